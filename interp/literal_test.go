package interp

import "testing"

// Literals (spec §2.6), interpolation (§2.10).

func TestLiterals(t *testing.T) {
	in := []string{`{"x":1,"s":"str","n":255,"neg":-1,"b":"AQ=="}`}
	runCases(t, []scriptCase{
		{name: "scalars", src: `[null, true, false, 0, 0xff, 1_000, 1.5, 1., 2.5e3]`, in: in, out: []string{"[null,true,false,0,255,1000,1.5,1.0,2500.0]"}},
		{name: "escapes", src: `"a\"b\\c\n\t\u0041\#{x}"`, in: in, out: []string{`"a\"b\\c\n\tA#{x}"`}},
		{name: "interpolation kinds", src: `"#{event.s}|#{event.x}|#{[event.s]}|#{{"k": event.x}}|#{true}"`, in: in, out: []string{`"str|1|[\"str\"]|{\"k\":1}|true"`}},
		{name: "nested interpolation", src: `"a#{"b#{event.x}c"}d"`, in: in, out: []string{`"ab1cd"`}},
		{name: "interpolated key", src: `{"k#{event.x}": 1, "#{event.s}": 2}`, in: in, out: []string{`{"k1":1,"str":2}`}},
		{name: "empty", src: `["", {}, [], <<>>]`, in: in, out: []string{`["",{},[],""]`}},
		{name: "record key order", src: "use std::record;\nrecord::keys({\"a\": event.x, \"b\": 1 + 1, \"c\": \"#{1}\", \"d\": event.s, \"e\": {\"f\": [1]}})", in: in, out: []string{`["b","c","e","a","d"]`}},
		{name: "interpolation keeps order", src: `"#{{"a": event.x, "b": 1}}"`, in: in, out: []string{`"{\"b\":1,\"a\":1}"`}},
		{name: "list of paths", src: `[event.x, event.s, 3]`, in: in, out: []string{`[1,"str",3]`}},
	})
}

func TestBinaryLiterals(t *testing.T) {
	in := []string{`{"n":255,"neg":-1,"s":"abc","big":300}`}
	runCases(t, []scriptCase{
		{name: "spec example", src: `<< 1, 2:4, 15:4, "ab"/binary >>`, in: in, out: []string{`"AS9hYg=="`}},
		{name: "nibbles", src: `[<< 1:4 >>, << 1:4, 1:4 >>, << 15:4, 1:4, 1:8 >>]`, in: in, out: []string{`["AQ==","EQ==","8QE="]`}},
		{name: "wide", src: `[<< 258:16 >>, << 258:16/little >>, << 1:32/little >>, << 1:64 >>]`, in: in, out: []string{`["AQI=","AgE=","AQAAAA==","AAAAAAAAAAE="]`}},
		{name: "signed", src: `<< event.neg:8/signed_integer >>`, in: in, out: []string{`"/w=="`}},
		{name: "unsigned rejects negative", src: `<< event.neg:8 >>`, in: in, out: []string{"error: Not an unsigned integer: -1"}},
		{name: "binary prefix", src: `<< event.s:2/binary >>`, in: in, out: []string{`"YWI="`}},
		{name: "binary too short", src: `<< event.s:4/binary >>`, in: in, out: []string{`error: Not a long enough binary: "abc"`}},
		{name: "binary mid byte", src: `<< 1:4, "a"/binary >>`, in: in, out: []string{`"FgE="`}},
		{name: "no range check", src: `<< event.big:8 >>`, in: in, out: []string{`"LA=="`}},
		{name: "mask quirk", src: `<< 0:4, 31:4 >>`, in: in, out: []string{`"Hw=="`}},
		{name: "bad type", src: `<< 1/signed >>`, in: in, out: []string{"compile error: Not a valid data type: 'signed'"}},
		{name: "bad bits", src: `<< 1:65 >>`, in: in, out: []string{"compile error: negative bits or bits > 64 are are not allowed: 65"}},
	})
}
