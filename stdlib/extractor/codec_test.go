package extractor

import "testing"

func TestBase64(t *testing.T) {
	runCases(t, []extractCase{
		{"padded", "base64", "", "aGVsbG8=", `"hello"`},
		{"unpadded", "base64", "", "aGVsbG8", `"hello"`},
		{"double padding", "base64", "", "aGk=", `"hi"`},
		{"double padding partial", "base64", "", "YQ=", `"a"`},
		{"double padding full", "base64", "", "YQ==", `"a"`},
		{"no padding needed", "base64", "", "YWJj", `"abc"`},
		{"empty", "base64", "", "", `""`},
		{"too much padding", "base64", "", "YQ===", ""},
		{"padding without need", "base64", "", "YWJj=", ""},
		{"invalid char", "base64", "", "a$b=", ""},
		{"url alphabet refused", "base64", "", "-_8=", ""},
		{"newline refused", "base64", "", "aGVs\nbG8=", ""},
		{"bad length", "base64", "", "aGVsb", ""},
		{"trailing bits", "base64", "", "YR==", ""},
		{"invalid utf8", "base64", "", "/w==", ""},
		{"json inside", "base64", "", "eyJhIjoxfQ==", `"{\"a\":1}"`},
	})
}

func TestJSON(t *testing.T) {
	runCases(t, []extractCase{
		{"record", "json", "", `{"b":1,"a":[1.0,"x",null,true]}`, `{"a":[1.0,"x",null,true],"b":1}`},
		{"int stays int", "json", "", `6`, `6`},
		{"float stays float", "json", "", `6.0`, `6.0`},
		{"exponent is float", "json", "", `1e3`, `1000.0`},
		{"string", "json", "", `"x"`, `"x"`},
		{"surrounding whitespace", "json", "", " [1] ", `[1]`},
		{"invalid", "json", "", `{"a":`, ""},
		{"trailing garbage", "json", "", `{} x`, ""},
		{"not json", "json", "", `hello`, ""},
	})
}
