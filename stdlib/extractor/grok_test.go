package extractor

import (
	"strings"
	"testing"
)

func TestGrok(t *testing.T) {
	runCases(t, []extractCase{
		{"common apache log", "grok", "%{COMMONAPACHELOG}", apacheLine,
			`{"auth":"frank","bytes":"2326","clientip":"127.0.0.1","httpversion":"1.0","ident":"-","rawrequest":"","request":"/apache_pb.gif","response":"200","timestamp":"10/Oct/2000:13:55:36 -0700","verb":"GET"}`},
		{"common apache log without bytes", "grok", "%{COMMONAPACHELOG}", strings.TrimSuffix(apacheLine, "2326") + "-",
			`{"auth":"frank","bytes":"","clientip":"127.0.0.1","httpversion":"1.0","ident":"-","rawrequest":"","request":"/apache_pb.gif","response":"200","timestamp":"10/Oct/2000:13:55:36 -0700","verb":"GET"}`},
		{"combined apache log named", "grok", "%{COMBINEDAPACHELOG:line}", apacheLine + ` "http://example.com/" "curl/8.0"`,
			`{"agent":"\"curl/8.0\"","auth":"frank","bytes":"2326","clientip":"127.0.0.1","httpversion":"1.0","ident":"-","line":` +
				`"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 \"http://example.com/\" \"curl/8.0\"",` +
				`"rawrequest":"","referrer":"\"http://example.com/\"","request":"/apache_pb.gif","response":"200","timestamp":"10/Oct/2000:13:55:36 -0700","verb":"GET"}`},
		{"logstash example", "grok", "%{IP:client} %{WORD:method} %{URIPATHPARAM:request} %{NUMBER:bytes} %{NUMBER:duration}",
			"55.3.244.1 GET /index.html 15824 0.043",
			`{"bytes":"15824","client":"55.3.244.1","duration":"0.043","method":"GET","request":"/index.html"}`},
		{"syslog", "grok", "%{SYSLOGTIMESTAMP:ts} %{SYSLOGHOST:host} %{DATA:program}: %{GREEDYDATA:msg}",
			"Jan  1 06:25:43 mailserver14 postfix/cleanup[21403]: BEF25A72965: message-id=<x@y>",
			`{"host":"mailserver14","msg":"BEF25A72965: message-id=<x@y>","program":"postfix/cleanup[21403]","ts":"Jan  1 06:25:43"}`},
		{"syslog base", "grok", "%{SYSLOGBASE} %{GREEDYDATA:message}",
			"Jan  1 06:25:43 mailserver14 postfix/cleanup[21403]: hello",
			`{"facility":"","logsource":"mailserver14","message":"hello","pid":"21403","priority":"","program":"postfix/cleanup","timestamp":"Jan  1 06:25:43"}`},
		{"unanchored", "grok", "%{INT:n}", "abc -12 def", `{"n":"-12"}`},
		{"no match", "grok", "%{IPV4:ip}", "no address here", ""},
		{"unnamed pattern is not captured", "grok", "%{WORD} %{WORD:b}", "x y", `{"b":"y"}`},
		{"alias with colon", "grok", "%{NUMBER:n:int}", "v=3", `{"n:int":"3"}`},
		{"inline definition", "grok", "%{PAIR:p=[a-z]+=[0-9]+} %{PAIR:q}", "ab=1 c=22", `{"p":"ab=1","q":"c=22"}`},
		{"raw named group", "grok", "(?<first>\\w+) %{WORD:second}", "a b", `{"first":"a","second":"b"}`},
		{"repeated alias keeps generated name", "grok", "%{WORD:a} %{WORD:a}", "x y", `{"a":"y","name0":"x"}`},
		{"uuid", "grok", "%{UUID:id}", "id=123e4567-e89b-12d3-a456-426614174000;", `{"id":"123e4567-e89b-12d3-a456-426614174000"}`},
		{"ipv6", "grok", "%{IP:ip}", "2001:db8::1", `{"ip":"2001:db8::1"}`},
		{"mac", "grok", "%{MAC:mac}", "00:1A:2b:3c:4D:5e", `{"mac":"00:1A:2b:3c:4D:5e"}`},
		{"quoted string", "grok", `%{QUOTEDSTRING:q}`, `say "hi \"there\"" now`, `{"q":"\"hi \\\"there\\\"\""}`},
		{"iso8601", "grok", "%{TIMESTAMP_ISO8601:ts}", "at 2020-01-02T03:04:05.123+01:00 ok", `{"ts":"2020-01-02T03:04:05.123+01:00"}`},
		{"loglevel", "grok", "\\[%{LOGLEVEL:level}\\]", "[WARNING] x", `{"level":"WARNING"}`},
		{"uri", "grok", "%{URI:u}", "see https://user@example.com:8080/a/b?c=d", `{"port":"8080","u":"https://user@example.com:8080/a/b?c=d"}`},
		{"hostport", "grok", "%{HOSTPORT:hp}", "db.local:5432", `{"hp":"db.local:5432"}`},
		{"httpdate", "grok", "%{HTTPDATE:d}", "[10/Oct/2000:13:55:36 -0700]", `{"d":"10/Oct/2000:13:55:36 -0700"}`},
		{"java stack trace", "grok", "%{JAVASTACKTRACEPART}", "    at com.example.Foo.bar(Foo.java:42)",
			`{"class":"com.example.Foo","file":"Foo.java","line":"42","method":"bar"}`},
	})
}

func TestGrokCompileErrors(t *testing.T) {
	runCompileErrors(t, []compileErrorCase{
		{"grok", "%{NOPE:x}", "unknown pattern %{NOPE}"},
		{"grok", "", "the pattern is empty"},
		{"grok", "%{WORD:x} (", "invalid regex in the `grok` extractor"},
		{"grok", "%{LOOP:x=%{LOOP}}", "unknown pattern %{LOOP}"},
	})
}

// TestGrokPatternsCompile compiles every built-in pattern on its own.
func TestGrokPatternsCompile(t *testing.T) {
	for name := range grokPatterns() {
		if _, err := Compile("grok", "%{"+name+":x}"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := len(grokPatterns()); n < 80 {
		t.Errorf("only %d grok patterns loaded", n)
	}
}
