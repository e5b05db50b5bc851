package codec

import (
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
)

var syslogCases = codecCases{
	name: "syslog",
	roundTrip: []value.Value{
		j(`{"severity":"crit","facility":"auth","hostname":"mymachine.example.com","appname":"su","procid":null,"msgid":"ID47",
			"protocol":"RFC5424","protocol_version":1,"structured_data":null,"msg":"'su root' failed","timestamp":1065910455003000000}`),
		j(`{"severity":"notice","facility":"local4","hostname":"192.0.2.1","appname":"myproc","procid":"8710","msgid":null,
			"protocol":"RFC5424","protocol_version":1,
			"structured_data":{"exampleSDID@32473":[{"iut":"3"},{"eventSource":"App]li\"ca\\tion"}],"empty@1":[],"x@2":[{"k":""}]},
			"msg":"  spaced  msg ","timestamp":1061727255000003000}`),
		j(`{"severity":"emerg","facility":"kern","hostname":null,"appname":null,"procid":null,"msgid":null,
			"protocol":"RFC5424","protocol_version":2,"structured_data":null,"msg":"","timestamp":null}`),
		j(`{"severity":"debug","facility":"local7","hostname":"h","appname":"a","procid":"p","msgid":"m",
			"protocol":"RFC5424","protocol_version":1,"structured_data":null,"msg":"\ufeffbom kept","timestamp":-1}`),
		j(`{"severity":"info","facility":"clockd","hostname":"h","appname":"a","procid":"p","msgid":"m",
			"protocol":"RFC5424","protocol_version":1,"structured_data":null,"msg":"ns","timestamp":1000000001}`),
	},
	// The inputs are the examples of RFC 5424 §6.5 (with BOM written as the bytes EF BB BF) and
	// variations written from its ABNF.
	decode: []decodeCase{
		{"<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xEF\xBB\xBF'su root' failed for lonvick on /dev/pts/8",
			j(`{"severity":"crit","facility":"auth","hostname":"mymachine.example.com","appname":"su","procid":null,"msgid":"ID47",
				"protocol":"RFC5424","protocol_version":1,"structured_data":null,"msg":"'su root' failed for lonvick on /dev/pts/8",
				"timestamp":1065910455003000000}`)},
		{"<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
			j(`{"severity":"notice","facility":"local4","hostname":"192.0.2.1","appname":"myproc","procid":"8710","msgid":null,
				"protocol":"RFC5424","protocol_version":1,"structured_data":null,"msg":"%% It's time to make the do-nuts.",
				"timestamp":1061727255000003000}`)},
		{`<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] ` + "\xEF\xBB\xBFAn application event log entry...",
			j(`{"severity":"notice","facility":"local4","hostname":"mymachine.example.com","appname":"evntslog","procid":null,"msgid":"ID47",
				"protocol":"RFC5424","protocol_version":1,
				"structured_data":{"exampleSDID@32473":[{"iut":"3"},{"eventSource":"Application"},{"eventID":"1011"}]},
				"msg":"An application event log entry...","timestamp":1065910455003000000}`)},
		{`<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]`,
			j(`{"severity":"notice","facility":"local4","hostname":"mymachine.example.com","appname":"evntslog","procid":null,"msgid":"ID47",
				"protocol":"RFC5424","protocol_version":1,
				"structured_data":{"exampleSDID@32473":[{"iut":"3"},{"eventSource":"Application"},{"eventID":"1011"}],"examplePriority@32473":[{"class":"high"}]},
				"msg":"","timestamp":1065910455003000000}`)},
		{"<0>1 - - - - - -",
			j(`{"severity":"emerg","facility":"kern","hostname":null,"appname":null,"procid":null,"msgid":null,
				"protocol":"RFC5424","protocol_version":1,"structured_data":null,"msg":"","timestamp":null}`)},
		{`<191>12 - h a p m [x@1 k="a\"b\\c\]d\e"][x@1 j="2"][y] msg`,
			j(`{"severity":"debug","facility":"local7","hostname":"h","appname":"a","procid":"p","msgid":"m",
				"protocol":"RFC5424","protocol_version":12,"structured_data":{"x@1":[{"k":"a\"b\\c]d\\e"},{"j":"2"}],"y":[]},
				"msg":"msg","timestamp":null}`)},
	},
	encode: []encodeCase{
		{j(`{"facility":"local4","severity":"notice","hostname":"h","appname":"app","procid":"12","msgid":null,
			"structured_data":{"id@1":[{"k":"v\"]"},{"n":5}]},"msg":"hello","timestamp":1065910455003000000}`),
			`<165>1 2003-10-11T22:14:15.003Z h app 12 - [id@1 k="v\"\]" n="5"] hello`},
		{j(`{"facility":"kern","severity":"emerg"}`), "<0>1 - - - - - -"},
		{j(`{"facility":1,"severity":3,"hostname":"","procid":42,"timestamp":0,"structured_data":{}}`), "<11>1 1970-01-01T00:00:00Z - - 42 - -"},
		{j(`{"facility":"user","severity":"err","timestamp":1000,"structured_data":{"a":{"k":"v","l":"w"}}}`),
			`<11>1 1970-01-01T00:00:00.000001Z - - - - [a k="v" l="w"]`},
		{j(`{"facility":"user","severity":"err","timestamp":1,"msg":null}`), "<11>1 1970-01-01T00:00:00.000000001Z - - - - -"},
		{j(`{"facility":"auth","severity":"crit","protocol":"RFC3164","hostname":"mymachine","appname":"su","procid":"7",
			"msg":"'su root' failed","timestamp":1065910455003000000}`), "<34>Oct 11 22:14:15 mymachine su[7]: 'su root' failed"},
		{j(`{"facility":"user","severity":"notice","protocol":"RFC3164","hostname":"10.0.0.99","appname":null,
			"msg":"Use the BFG!","timestamp":1065398400000000000}`), "<13>Oct  6 00:00:00 10.0.0.99 Use the BFG!"},
	},
	decodeErr: []decodeErrCase{
		{"", "syslog: expected `<PRI>` at byte 0"},
		{"no pri", "syslog: expected `<PRI>` at byte 0"},
		{"<>1 - - - - - -", "syslog: expected `<PRI>` with 1 to 3 digits"},
		{"<1234>1 - - - - - -", "syslog: expected `<PRI>` with 1 to 3 digits"},
		{"<34", "syslog: expected `<PRI>` with 1 to 3 digits"},
		{"<192>1 - - - - - -", "syslog: the priority 192 is out of range (0 to 191)"},
		{"<34>1 2003-13-11T22:14:15Z h a p m -", `syslog: invalid timestamp "2003-13-11T22:14:15Z" at byte 6`},
		{"<34>1 9999-01-01T00:00:00Z h a p m -", "out of range (1678 to 2262)"},
		{"<34>1 - host", "syslog: expected a space after HOSTNAME at byte 12, the message ends"},
		{"<34>1 - h a p m", "syslog: expected a space after MSGID"},
		{"<34>1 - h a p m ", "syslog: expected STRUCTURED-DATA (`-` or `[id ...]`) at byte 16, the message ends"},
		{"<34>1 -  a p m -", "syslog: expected HOSTNAME at byte 8, found a space"},
		{"<34>1 - h a p m [x", `syslog: the structured data element "x" is not closed with`},
		{"<34>1 - h a p m [x k=v]", "syslog: expected `=\"` after the PARAM-NAME \"k\" at byte 20"},
		{"<34>1 - h a p m [x k=\"v]", "syslog: the PARAM-VALUE opened at byte 21 has no closing"},
		{"<34>1 - h a p m []", "syslog: expected an SD-ID after `[` at byte 17"},
		{"<34>1 - h a p m [x =\"v\"]", "syslog: expected a PARAM-NAME at byte 19"},
		{"<34>1 - h a p m [x k=\"v\"x]", "syslog: expected a space or `]` at byte 24 in the structured data element \"x\", found 'x'"},
		{"<34>1 - h a p m x", "syslog: expected STRUCTURED-DATA (`-` or `[id ...]`) at byte 16, found 'x'"},
		{"<34>1 - h a p m -x", "syslog: expected a space before MSG at byte 17"},
		{"<34>Foo 11 22:14:15 h x", "syslog: expected an RFC 5424 version or an RFC 3164 timestamp `Mmm dd hh:mm:ss` at byte 4"},
		{"<34>Oct 11 25:00:00 h x", "syslog: the timestamp at byte 4 is out of range"},
		{"<34>Feb 30 00:00:00 h x", "names day 30 of Feb"},
		{"<34>Oct 11 22:14", "an RFC 3164 timestamp"},
		{"<34>Oct 11 22:14:15x", "syslog: expected a space after the timestamp at byte 19"},
		{"<34>01 - - - - - -", "an RFC 3164 timestamp"},
		{"<34>1 - h a p m - \xff", "syslog: invalid UTF-8 at byte 18"},
	},
	encodeErr: []encodeErrCase{
		{j(`"x"`), "syslog: expected a record"},
		{j(`{"severity":"crit"}`), "syslog: `facility` must be"},
		{j(`{"facility":"bogus","severity":"crit"}`), `not "bogus"`},
		{j(`{"facility":"user","severity":8}`), "syslog: `severity` must be"},
		{j(`{"facility":"user","severity":"crit","hostname":"a b"}`), "syslog: `hostname` cannot hold a space"},
		{j(`{"facility":"user","severity":"crit","appname":[1]}`), "syslog: `appname` must be a string or null, not array"},
		{j(`{"facility":"user","severity":"crit","timestamp":"now"}`), "syslog: `timestamp` must be an integer"},
		{j(`{"facility":"user","severity":"crit","protocol_version":0}`), "syslog: `protocol_version` must be an integer from 1 to 999"},
		{j(`{"facility":"user","severity":"crit","structured_data":[1]}`), "syslog: `structured_data` must be a record of ids or null"},
		{j(`{"facility":"user","severity":"crit","structured_data":{"a b":[]}}`), `syslog: the SD-ID "a b" must be non-empty`},
		{j(`{"facility":"user","severity":"crit","structured_data":{"a":[{"k=":"v"}]}}`), `the PARAM-NAME "k=" must be`},
		{j(`{"facility":"user","severity":"crit","structured_data":{"a":[1]}}`), "must be an array of records, it holds int"},
		{j(`{"facility":"user","severity":"crit","structured_data":{"a":[{"k":null}]}}`), "must be a string, number or bool, not null"},
		{j(`{"facility":"user","severity":"crit","msg":1}`), "syslog: `msg` must be a string, not int"},
		{j(`{"facility":"user","severity":"crit","protocol":"RFC3164"}`), "syslog: an RFC 3164 message needs a `timestamp`"},
		{j(`{"facility":"user","severity":"crit","protocol":"RFC3164","timestamp":0,"appname":"a:b"}`), "the RFC 3164 `appname` must be"},
	},
}

// fixedClock returns a clock stuck at the given time, for the year of RFC 3164 timestamps.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestSyslogRFC3164(t *testing.T) {
	c := syslogCodec{now: fixedClock(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))}
	rec3164 := func(sev, fac string, host, app, pid value.Value, msg string, ts int64) value.Value {
		return value.NewRecordValue(recOf("severity", value.NewString(sev), "facility", value.NewString(fac),
			"hostname", host, "appname", app, "procid", pid, "msgid", value.NullValue,
			"protocol", value.NewString("RFC3164"), "structured_data", value.NullValue,
			"msg", value.NewString(msg), "timestamp", value.NewInt(ts)))
	}
	s := value.NewString
	null := value.NullValue
	// The first two inputs are the examples of RFC 3164 §5.4.
	cases := []struct {
		in   string
		want value.Value
	}{
		{"<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
			rec3164("crit", "auth", s("mymachine"), s("su"), null, "'su root' failed for lonvick on /dev/pts/8", 1760220855000000000)},
		{"<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!",
			rec3164("notice", "user", s("10.0.0.99"), null, null, "Use the BFG!", 1738776738000000000)},
		{"<38>Jan  1 00:00:00 host sshd[1234]: Accepted publickey",
			rec3164("info", "auth", s("host"), s("sshd"), s("1234"), "Accepted publickey", 1735689600000000000)},
		{"<38>Jan 01 00:00:00 sshd[1234]: no hostname",
			rec3164("info", "auth", null, s("sshd"), s("1234"), "no hostname", 1735689600000000000)},
		{"<38>Jan 1 00:00:00 cron: no hostname either",
			rec3164("info", "auth", null, s("cron"), null, "no hostname either", 1735689600000000000)},
		{"<38>Jan  1 00:00:00 host",
			rec3164("info", "auth", s("host"), null, null, "", 1735689600000000000)},
		{"<38>Jan  1 00:00:00",
			rec3164("info", "auth", null, null, null, "", 1735689600000000000)},
		{"<38>Jan  1 00:00:00 - app[x]:msg",
			rec3164("info", "auth", null, s("app"), s("x"), "msg", 1735689600000000000)},
	}
	for _, tc := range cases {
		got, err := c.Decode([]byte(tc.in), 0)
		if err != nil {
			t.Errorf("decode %q: %v", tc.in, err)
			continue
		}
		if !identical(got, tc.want) {
			t.Errorf("decode %q\n got %s\nwant %s", tc.in, show(got), show(tc.want))
		}
		// Encoding it again gives an RFC 3164 line that reads back the same.
		enc, err := c.Encode(nil, got)
		if err != nil {
			t.Errorf("encode %s: %v", show(got), err)
			continue
		}
		back, err := c.Decode(enc, 0)
		if err != nil || !identical(back, got) {
			t.Errorf("re-decode of %q gave %s, %v; want %s", enc, show(back), err, show(got))
		}
	}
	// 2024 is a leap year: Feb 29 exists then, not in 2025.
	leap := syslogCodec{now: fixedClock(time.Date(2024, 12, 31, 23, 0, 0, 0, time.UTC))}
	if _, err := leap.Decode([]byte("<13>Feb 29 12:00:00 h x"), 0); err != nil {
		t.Errorf("Feb 29 in 2024: %v", err)
	}
	if _, err := c.Decode([]byte("<13>Feb 29 12:00:00 h x"), 0); err == nil || !strings.Contains(err.Error(), "which 2025 does not have") {
		t.Errorf("Feb 29 in 2025: want an error, got %v", err)
	}
}
