package codec

import (
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// strs is an array of strings.
func strs(ss ...string) value.Value {
	items := make([]value.Value, len(ss))
	for i, s := range ss {
		items[i] = value.NewString(s)
	}
	return value.NewArray(items)
}

var csvCases = codecCases{
	name: "csv",
	roundTrip: []value.Value{
		strs("a", "b,c", `"q"`, "line\nbreak", "cr\r\nlf", "", " sp ", "x\"y", "é"),
		strs(""),
		strs("", ""),
		strs("x"),
		strs(`"`, `""`, "\r"),
	},
	// The inputs follow RFC 4180's grammar.
	decode: []decodeCase{
		{"a,b,c", strs("a", "b", "c")},
		{`"a,b","c""d",`, strs("a,b", `c"d`, "")},
		{"\"multi\nline\",x", strs("multi\nline", "x")},
		{"\"keeps\r\nCRLF\"", strs("keeps\r\nCRLF")},
		{"a,b\r\n", strs("a", "b")},
		{"a,b\n", strs("a", "b")},
		{"", strs("")},
		{"\n", strs("")},
		{",", strs("", "")},
		{" a , b ", strs(" a ", " b ")},
		{`x"y,z`, strs(`x"y`, "z")}, // a quote inside an unquoted field is a character
		{`1,2.5,true,null`, strs("1", "2.5", "true", "null")},
		{`""`, strs("")},
		{`"",""`, strs("", "")},
	},
	encode: []encodeCase{
		{j(`[1,null,"a b",2.5,{"x":1},true,-3]`), `1,null,a b,2.5,"{""x"":1}",true,-3`},
		{j(`["",""]`), ","},
		{j(`[""]`), `""`},
		{j(`["say \"hi\"","a\nb"]`), "\"say \"\"hi\"\"\",\"a\nb\""},
		{value.NewArray([]value.Value{value.NewBytes([]byte("hi"))}), `"""aGk="""`},
	},
	decodeErr: []decodeErrCase{
		{`"abc`, "csv: line has an unterminated quote (the quoted field 1 opens at byte 0)"},
		{`a,"b`, "csv: line has an unterminated quote (the quoted field 2 opens at byte 2)"},
		{`"a"b`, `csv: unexpected 'b' after the closing quote of field 1 at byte 3`},
		{"a\nb", "csv: the frame holds more than one record (a line break outside quotes at byte 1)"},
		{"a\r\n\r\n", "csv: the frame holds more than one record"},
		{"a,\xff", "csv: invalid UTF-8 at byte 2"},
	},
	encodeErr: []encodeErrCase{
		{j(`{"a":1}`), "csv: expected an array of field values to write as one record, not record"},
		{j(`"a,b"`), "not string"},
		{j(`[]`), "csv: a record needs at least one field"},
	},
}

func TestCSVSeparator(t *testing.T) {
	c := newCodec(t, "csv", `{"separator": ";"}`)
	got, err := c.Decode([]byte(`a;"b;c";d,e`), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := strs("a", "b;c", "d,e"); !identical(got, want) {
		t.Errorf("got %s, want %s", show(got), show(want))
	}
	out, err := c.Encode(nil, strs("x;y", "z,w", "v"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `"x;y";z,w;v`; string(out) != want {
		t.Errorf("encode: got %q, want %q", out, want)
	}
	tab := newCodec(t, "csv", `{"separator": "\t"}`)
	got, err = tab.Decode([]byte("a b\tc"), 0)
	if err != nil || !identical(got, strs("a b", "c")) {
		t.Errorf("tab separator: got %s, %v", show(got), err)
	}
}

func TestCSVBadSeparator(t *testing.T) {
	for _, sep := range []string{`""`, `";;"`, `"\""`, `"\n"`, `"\r"`, `"é"`} {
		_, err := Builtin().Compile(Ref{Name: "csv", Config: j(`{"separator": ` + sep + `}`)})
		if err == nil || !strings.Contains(err.Error(), "csv: `separator` must be one ASCII character") {
			t.Errorf("separator %s: want a separator error, got %v", sep, err)
		}
	}
	if _, err := Builtin().Compile(Ref{Name: "csv", Config: j(`{"separator": 1}`)}); err == nil {
		t.Errorf("a numeric separator was accepted")
	}
}
