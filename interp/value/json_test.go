package value

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestDecodeEncodeRoundTrip(t *testing.T) {
	tests := []struct {
		in, compact, sorted string
	}{
		{`null`, `null`, `null`},
		{` true `, `true`, `true`},
		{"\t\n\rfalse\n", `false`, `false`},
		{`0`, `0`, `0`},
		{`-0`, `0`, `0`},
		{`-0.0`, `-0.0`, `-0.0`},
		{`6`, `6`, `6`},
		{`6.0`, `6.0`, `6.0`},
		{`6e0`, `6.0`, `6.0`},
		{`1E2`, `100.0`, `100.0`},
		{`1e-7`, `1e-7`, `1e-7`},
		{`-5`, `-5`, `-5`},
		{`18446744073709551615`, `18446744073709551615`, `18446744073709551615`},
		{`18446744073709551616`, `1.8446744073709552e19`, `1.8446744073709552e19`},
		{`-9223372036854775808`, `-9223372036854775808`, `-9223372036854775808`},
		{`-9223372036854775809`, `-9.223372036854776e18`, `-9.223372036854776e18`},
		{`1e-400`, `0.0`, `0.0`},
		{`""`, `""`, `""`},
		{`"a/b"`, `"a/b"`, `"a/b"`},
		{`"a\/b"`, `"a/b"`, `"a/b"`},
		{`"\u00e9\u20ac\ud83d\ude00"`, `"é€😀"`, `"é€😀"`},
		{`"é€😀"`, `"é€😀"`, `"é€😀"`},
		{`"\u0000\u001f\u007f"`, `"\u0000\u001f` + "\x7f" + `"`, `"\u0000\u001f` + "\x7f" + `"`},
		{`"\b\f\n\r\t\"\\"`, `"\b\f\n\r\t\"\\"`, `"\b\f\n\r\t\"\\"`},
		{`"\u000B\u001B"`, `"\u000b\u001b"`, `"\u000b\u001b"`},
		{`[]`, `[]`, `[]`},
		{`{}`, `{}`, `{}`},
		{`[1, 2.5, "x", [], {}]`, `[1,2.5,"x",[],{}]`, `[1,2.5,"x",[],{}]`},
		{`{"b": 1, "a": {"d": [true, null], "c": -1}}`, `{"b":1,"a":{"d":[true,null],"c":-1}}`, `{"a":{"c":-1,"d":[true,null]},"b":1}`},
		{`{"a": 1, "b": 2, "a": 3}`, `{"a":3,"b":2}`, `{"a":3,"b":2}`},
		{`{"a\n": 1, "a": 2}`, `{"a\n":1,"a":2}`, `{"a":2,"a\n":1}`},
		{`{"\u0061": 1, "a": 2}`, `{"a":2}`, `{"a":2}`},
		{`{"a": 1, "\u0061": 2}`, `{"a":2}`, `{"a":2}`},
		{`{"é": 1, "z": 2, "Z": 3}`, `{"é":1,"z":2,"Z":3}`, `{"Z":3,"z":2,"é":1}`},
		{`{"host":"web-01","level":"error","msg":"disk full","code":507,"ratio":0.93,"tags":["a","b"]}`,
			`{"host":"web-01","level":"error","msg":"disk full","code":507,"ratio":0.93,"tags":["a","b"]}`,
			`{"code":507,"host":"web-01","level":"error","msg":"disk full","ratio":0.93,"tags":["a","b"]}`},
	}
	for _, tt := range tests {
		v, err := DecodeJSONString(tt.in)
		if err != nil {
			t.Errorf("DecodeJSONString(%q): %v", tt.in, err)
			continue
		}
		if got := Encode(v); got != tt.compact {
			t.Errorf("Encode(%q) = %q, want %q", tt.in, got, tt.compact)
		}
		if got := EncodeSorted(v); got != tt.sorted {
			t.Errorf("EncodeSorted(%q) = %q, want %q", tt.in, got, tt.sorted)
		}
		w, err := DecodeJSON([]byte(tt.in))
		if err != nil || !PartialEqual(v, w) || Encode(w) != tt.compact {
			t.Errorf("DecodeJSON(%q) = %v, %v; DecodeJSONString gave %v", tt.in, w, err, v)
		}
	}
}

func TestDecodeKinds(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
	}{
		{`0`, Uint}, {`7`, Uint}, {`-0`, Int}, {`-7`, Int}, {`0.0`, Float}, {`7e0`, Float}, {`7E+1`, Float},
		{`-7.5`, Float}, {`18446744073709551615`, Uint}, {`18446744073709551616`, Float},
		{`-9223372036854775808`, Int}, {`-9223372036854775809`, Float}, {`123456789012345678901234567890`, Float},
		{`"x"`, String}, {`"\n"`, String}, {`[]`, Array}, {`{}`, Record}, {`null`, Null}, {`true`, Bool},
	}
	for _, tt := range tests {
		v, err := DecodeJSONString(tt.in)
		if err != nil || v.Kind() != tt.kind {
			t.Errorf("DecodeJSONString(%q) = %v (%v), %v; want kind %v", tt.in, v, v.Kind(), err, tt.kind)
		}
	}
	v := MustDecodeJSON(`[18446744073709551615, -9223372036854775808, 9223372036854775807]`)
	items, _ := v.AsArray()
	if u, ok := items[0].AsU64(); !ok || u != math.MaxUint64 {
		t.Errorf("u64 max: %v", items[0])
	}
	if i, ok := items[1].AsI64(); !ok || i != math.MinInt64 {
		t.Errorf("i64 min: %v", items[1])
	}
	if i, ok := items[2].AsI64(); !ok || i != math.MaxInt64 {
		t.Errorf("i64 max: %v", items[2])
	}
}

// TestDecodeInfinity: numbers beyond the float range read as ±Inf, so the canonical text of an
// infinity reads back as one.
func TestDecodeInfinity(t *testing.T) {
	for in, want := range map[string]float64{`1e400`: math.Inf(1), `-1e400`: math.Inf(-1), `1.797693134862316e308`: math.Inf(1)} {
		v, err := DecodeJSONString(in)
		f, ok := v.AsF64()
		if err != nil || !ok || f != want {
			t.Errorf("%s: got %v %v, want %v", in, v, err, want)
		}
		if out := EncodeSorted(v); in != `1e400` && in != `-1e400` && out != in {
			t.Errorf("%s: re-encodes as %s", in, out)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{``, 0, "unexpected end of input"},
		{`   `, 3, "unexpected end of input"},
		{`{"host":"web-01" "level"}`, 17, "expected ',' or '}', found character '\"'"},
		{`{"a":1,}`, 7, "expected a string key, found character '}'"},
		{`{,}`, 1, "expected a string key or '}', found character ','"},
		{`{"a" 1}`, 5, "expected ':' after the key, found character '1'"},
		{`{"a":}`, 5, "expected a value, found character '}'"},
		{`[1,]`, 3, "expected a value, found character ']'"},
		{`[1 2]`, 3, "expected ',' or ']', found character '2'"},
		{`[1`, 2, "unexpected end of input"},
		{`{"a":1`, 6, "unexpected end of input"},
		{`"abc`, 4, "unexpected end of input"},
		{`"a\`, 3, "unexpected end of input"},
		{`"a\x"`, 2, `invalid escape '\x'`},
		{`"a\u12"`, 6, `invalid hex digit character '"' in \u escape`},
		{`"a\ud800"`, 2, `lone surrogate in \u escape`},
		{`"a\ud800\u0041"`, 2, `lone surrogate in \u escape`},
		{`"a\udc00"`, 2, `lone surrogate in \u escape`},
		{"\"a\tb\"", 2, "control character byte 0x9 in string"},
		{"\"a\xffb\"", 2, "invalid UTF-8 in string"},
		{"\"\\n\xc3\"", 3, "invalid UTF-8 in string"},
		{`1 2`, 2, "unexpected character '2' after the value"},
		{`{} x`, 3, "unexpected character 'x' after the value"},
		{`01`, 1, "leading zero in number"},
		{`-`, 1, "unexpected end of input"},
		{`-a`, 1, "expected a digit, found character 'a'"},
		{`1.`, 2, "unexpected end of input"},
		{`1.e5`, 2, "expected a digit after the decimal point, found character 'e'"},
		{`1e`, 2, "unexpected end of input"},
		{`1e+x`, 3, "expected a digit in the exponent, found character 'x'"},
		{`.5`, 0, "expected a value, found character '.'"},
		{`+1`, 0, "expected a value, found character '+'"},
		{`tru`, 3, "unexpected end of input"},
		{`trUe`, 2, "invalid literal, expected true"},
		{`nul1`, 3, "invalid literal, expected null"},
		{`NaN`, 0, "expected a value, found character 'N'"},
		{"\xef\xbb\xbf{}", 0, "expected a value, found byte 0xef"},
		{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), MaxDepth, "nesting deeper than 1024"},
		{strings.Repeat(`{"a":`, MaxDepth+1), 5 * MaxDepth, "nesting deeper than 1024"},
	}
	for _, tt := range tests {
		_, err := DecodeJSONString(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("DecodeJSONString(%q) error = %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Offset != tt.offset || se.Msg != tt.msg {
			t.Errorf("DecodeJSONString(%q) = at %d %q, want at %d %q", tt.in, se.Offset, se.Msg, tt.offset, tt.msg)
		}
	}
	_, err := DecodeJSONString(`{"host":"web-01" "level"}`)
	if want := `invalid JSON at byte 17: expected ',' or '}', found character '"'`; err == nil || err.Error() != want {
		t.Errorf("error text = %v, want %s", err, want)
	}
}

func TestDecodeDepthLimit(t *testing.T) {
	ok := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if _, err := DecodeJSONString(ok); err != nil {
		t.Errorf("depth %d: %v", MaxDepth, err)
	}
	// Deep input must be an error, not a stack overflow.
	if _, err := DecodeJSONString(strings.Repeat("[", 1<<20)); err == nil {
		t.Error("very deep input decoded")
	}
}

// Strings without escapes share the input; decoding twice and mutating nothing leaves the results
// independent of the pooled scratch space.
func TestDecodeResultsIndependent(t *testing.T) {
	a := MustDecodeJSON(`{"a":"x\ny","b":[1,{"c":"d"}]}`)
	b := MustDecodeJSON(`{"z":"q\tq","y":[2,{"w":"v"}],"a":1}`)
	if got := EncodeSorted(a); got != `{"a":"x\ny","b":[1,{"c":"d"}]}` {
		t.Errorf("first result changed: %s", got)
	}
	if got := Encode(b); got != `{"z":"q\tq","y":[2,{"w":"v"}],"a":1}` {
		t.Errorf("second result: %s", got)
	}
	// Setting on a decoded record must not overwrite its neighbours in the shared slab.
	r, _ := a.AsRecord()
	r.Set("new", NewUint(1))
	bv, _ := r.Get("b")
	items, _ := bv.AsArray()
	if len(items) != 2 || Encode(a) != `{"a":"x\ny","b":[1,{"c":"d"}],"new":1}` {
		t.Errorf("after Set: %s", Encode(a))
	}
	inner, _ := items[1].AsRecord()
	inner.Set("e", NewBool(true))
	if Encode(a) != `{"a":"x\ny","b":[1,{"c":"d","e":true}],"new":1}` {
		t.Errorf("after nested Set: %s", Encode(a))
	}
}

// DecodeJSON must not keep references into the caller's buffer.
func TestDecodeJSONCopiesInput(t *testing.T) {
	data := []byte(`{"key":"value","arr":["x","y\n"],"n":1}`)
	v, err := DecodeJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] = '#'
	}
	if got := Encode(v); got != `{"key":"value","arr":["x","y\n"],"n":1}` {
		t.Errorf("result changed with the input buffer: %s", got)
	}
}

func TestDecodeLargeObject(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 100 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k` + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + `":` + FormatFloat(float64(i)))
	}
	b.WriteString(`,"k\u0061":"dup","ka":"dup2"}`)
	v := MustDecodeJSON(b.String())
	r, _ := v.AsRecord()
	if r.Len() != 100 {
		t.Fatalf("len = %d", r.Len())
	}
	if k, x := r.At(0); k != "ka" || Encode(x) != `"dup2"` {
		t.Errorf("first entry = %s: %v", k, x)
	}
	for i := range 100 {
		k := "k" + string(rune('a'+i%26)) + strings.Repeat("x", i/26)
		if x, ok := r.Get(k); !ok || (i > 0 && x.Display() != FormatFloat(float64(i))[:len(FormatFloat(float64(i)))-2]) {
			t.Errorf("Get(%q) = %v, %v", k, x, ok)
		}
	}
	if r.idx == nil {
		t.Error("a decoded record with 100 keys has no index")
	}
}

func TestEncodeStrings(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{`"`, `"\""`},
		{`\`, `"\\"`},
		{"/", `"/"`},
		{"\b\t\n\f\r", `"\b\t\n\f\r"`},
		{"\x00\x01\x0b\x0e\x1f", `"\u0000\u0001\u000b\u000e\u001f"`},
		{"\x7f", "\"\x7f\""},
		{"é€😀", `"é€😀"`},
		{"a\x1fb\"c", `"a\u001fb\"c"`},
	}
	for _, tt := range tests {
		if got := Encode(NewString(tt.in)); got != tt.want {
			t.Errorf("Encode(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestEncodeScalars(t *testing.T) {
	tests := []struct {
		in   Value
		want string
	}{
		{NullValue, "null"},
		{NewBool(true), "true"},
		{NewBool(false), "false"},
		{NewInt(-5), "-5"},
		{NewInt(5), "5"},
		{NewInt(math.MinInt64), "-9223372036854775808"},
		{NewUint(math.MaxUint64), "18446744073709551615"},
		{NewFloat(6), "6.0"},
		{NewFloat(math.Inf(1)), "1.797693134862316e308"},
		{NewFloat(NegNaN()), "-2.696539702293474e308"},
		{NewBytes(nil), `""`},
		{NewBytes([]byte{1}), `"AQ=="`},
		{NewBytes([]byte{1, 2}), `"AQI="`},
		{NewBytes([]byte{1, 2, 3}), `"AQID"`},
		{NewBytesString("\xff\xfe\xfd\xfc"), `"//79/A=="`},
		{NewBytesString("hello world"), `"aGVsbG8gd29ybGQ="`},
	}
	for _, tt := range tests {
		if got := Encode(tt.in); got != tt.want {
			t.Errorf("Encode(%#v) = %s, want %s", tt.in, got, tt.want)
		}
		if got := EncodeSorted(tt.in); got != tt.want {
			t.Errorf("EncodeSorted(%#v) = %s, want %s", tt.in, got, tt.want)
		}
		if got := EncodePretty(tt.in); got != tt.want {
			t.Errorf("EncodePretty(%#v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestEncodeSortedOrder(t *testing.T) {
	r := NewRec(0)
	for _, k := range []string{"b", "a", "é", "Z", "", "aa", "a\x00", "~", "\x7f"} {
		r.Set(k, NewString(k))
	}
	inner := NewRec(0)
	inner.Set("y", NewUint(1))
	inner.Set("x", NewArray([]Value{NewRecordValue(func() *Rec {
		q := NewRec(0)
		q.Set("2", NewUint(2))
		q.Set("10", NewUint(10))
		return q
	}())}))
	r.Set("nested", NewRecordValue(inner))
	want := `{"":"","Z":"Z","a":"a","a\u0000":"a\u0000","aa":"aa","b":"b","nested":{"x":[{"10":10,"2":2}],"y":1},"~":"~","` + "\x7f" + `":"` + "\x7f" + `","é":"é"}`
	if got := EncodeSorted(NewRecordValue(r)); got != want {
		t.Errorf("EncodeSorted = %s\nwant %s", got, want)
	}
	// Records larger than the stack buffer of the sorter.
	big := NewRec(0)
	for i := 40; i > 0; i-- {
		big.Set(strings.Repeat("k", i), NewUint(uint64(i)))
	}
	got := EncodeSorted(NewRecordValue(big))
	if !strings.HasPrefix(got, `{"k":1,"kk":2,"kkk":3,`) || !strings.HasSuffix(got, `:40}`) {
		t.Errorf("EncodeSorted(big) = %s", got)
	}
	// Encode keeps insertion order.
	if got := Encode(NewRecordValue(inner)); got != `{"y":1,"x":[{"2":2,"10":10}]}` {
		t.Errorf("Encode = %s", got)
	}
}

func TestEncodePretty(t *testing.T) {
	v := MustDecodeJSON(`{"b":[1,{"c":null,"a":[]}],"a":{},"s":"x\ny","f":1.0}`)
	want := `{
  "b": [
    1,
    {
      "c": null,
      "a": []
    }
  ],
  "a": {},
  "s": "x\ny",
  "f": 1.0
}`
	if got := EncodePretty(v); got != want {
		t.Errorf("EncodePretty =\n%s\nwant\n%s", got, want)
	}
	if got := EncodePretty(MustDecodeJSON(`[]`)); got != `[]` {
		t.Errorf("EncodePretty([]) = %s", got)
	}
}

func TestAppendEncodeReusesBuffer(t *testing.T) {
	v := MustDecodeJSON(`{"a":[1,2]}`)
	buf := make([]byte, 0, 64)
	buf = AppendEncodeSorted(buf, v)
	buf = append(buf, '\n')
	buf = AppendEncode(buf, v)
	if string(buf) != "{\"a\":[1,2]}\n{\"a\":[1,2]}" {
		t.Errorf("got %q", buf)
	}
}

// The decoder and encoder pools are shared between goroutines; decoded values must stay independent,
// and a large shared record may be read concurrently.
func TestConcurrentDecodeEncode(t *testing.T) {
	shared := MustDecodeJSON(`{` + largeObjectJSON(40) + `}`)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				in := `{"g":` + strconv.Itoa(g) + `,"i":` + strconv.Itoa(i) + `,"s":"x\ty","a":[1,{"b":null}]}`
				v, err := DecodeJSON([]byte(in))
				if err != nil {
					errs <- err.Error()
					return
				}
				if got := Encode(v); got != `{"g":`+strconv.Itoa(g)+`,"i":`+strconv.Itoa(i)+`,"s":"x\ty","a":[1,{"b":null}]}` {
					errs <- got
					return
				}
				r, _ := shared.AsRecord()
				if x, ok := r.Get("k17"); !ok || Encode(x) != "17" {
					errs <- "shared record lookup"
					return
				}
				_ = EncodeSorted(shared)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// largeObjectJSON returns n entries "k0":0,"k1":1,... (without braces).
func largeObjectJSON(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = `"k` + strconv.Itoa(i) + `":` + strconv.Itoa(i)
	}
	return strings.Join(parts, ",")
}
