package codec

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

// codecCases are the table entries of one codec; each codec's _test.go file declares its own.
type codecCases struct {
	name      string
	config    string          // JSON config record ("" for none)
	roundTrip []value.Value   // decode(encode(v)) is identical to v
	decode    []decodeCase    // literal inputs written from the format's spec
	encode    []encodeCase    // exact encodings written from the format's spec
	decodeErr []decodeErrCase // bad input → an error naming the problem
	encodeErr []encodeErrCase // values the codec cannot write
}

type decodeCase struct {
	in   string
	want value.Value
}

type encodeCase struct {
	v    value.Value
	want string
}

type decodeErrCase struct {
	in  string
	err string // a substring of the error
}

type encodeErrCase struct {
	v   value.Value
	err string
}

// allCases lists every codec's table; TestEveryCodecHasCases checks none is missing.
var allCases = []codecCases{jsonCases, stringCases, binaryCases, msgpackCases, csvCases, influxCases,
	yamlCases, statsdCases, syslogCases}

// testIngestNs is the ingest time every table decode passes (influx stamps lines without one).
const testIngestNs = 7

// j decodes a JSON literal for the tables.
func j(s string) value.Value { return value.MustDecodeJSON(s) }

// newCodec makes a codec from the builtin registry with a JSON config.
func newCodec(t testing.TB, name, cfgJSON string) Codec {
	t.Helper()
	spec, ok := Builtin().Lookup(name)
	if !ok {
		t.Fatalf("codec %q is not registered", name)
	}
	cfg := value.NullValue
	if cfgJSON != "" {
		cfg = j(cfgJSON)
	}
	vals, err := config.Validate("codec "+name, cfg, spec.Config)
	if err != nil {
		t.Fatalf("config of %s: %v", name, err)
	}
	c, err := spec.New(vals)
	if err != nil {
		t.Fatalf("new %s: %v", name, err)
	}
	return c
}

// identical is strict equality for codec tests: the same kinds (Int and Uint count as one:
// integers compare by value), floats with the same bits (any NaN equals any NaN), strings and
// bytes distinct, records with the same keys in the same order.
func identical(a, b value.Value) bool {
	if a.IsInteger() && b.IsInteger() {
		return value.Equal(a, b)
	}
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case value.Float:
		x, _ := a.AsF64()
		y, _ := b.AsF64()
		return math.Float64bits(x) == math.Float64bits(y) || (math.IsNaN(x) && math.IsNaN(y))
	case value.Array:
		x, _ := a.AsArray()
		y, _ := b.AsArray()
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !identical(x[i], y[i]) {
				return false
			}
		}
		return true
	case value.Record:
		x, _ := a.AsRecord()
		y, _ := b.AsRecord()
		if x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			kx, vx := x.At(i)
			ky, vy := y.At(i)
			if kx != ky || !identical(vx, vy) {
				return false
			}
		}
		return true
	}
	return value.Equal(a, b)
}

// show renders a value with its kind for failure messages.
func show(v value.Value) string { return v.TypeName() + " " + value.Encode(v) }

func TestEveryCodecHasCases(t *testing.T) {
	have := map[string]bool{}
	for _, c := range allCases {
		have[c.name] = true
	}
	for _, name := range Builtin().Names() {
		if !have[name] {
			t.Errorf("codec %q has no test table", name)
		}
	}
	for _, want := range []string{"json", "string", "binary", "msgpack", "csv", "influx", "yaml", "statsd", "syslog"} {
		if _, ok := Builtin().Lookup(want); !ok {
			t.Errorf("codec %q is not registered", want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, cc := range allCases {
		t.Run(cc.name, func(t *testing.T) {
			c := newCodec(t, cc.name, cc.config)
			for _, v := range cc.roundTrip {
				enc, err := c.Encode([]byte("prefix"), v)
				if err != nil {
					t.Errorf("encode %s: %v", show(v), err)
					continue
				}
				if !bytes.HasPrefix(enc, []byte("prefix")) {
					t.Errorf("encode %s did not append to dst: %q", show(v), enc)
					continue
				}
				frame := append([]byte(nil), enc[len("prefix"):]...)
				got, err := c.Decode(frame, testIngestNs)
				if err != nil {
					t.Errorf("decode %q (from %s): %v", frame, show(v), err)
					continue
				}
				// The decoded value must not alias the frame.
				for i := range frame {
					frame[i] = 0xAA
				}
				if !identical(got, v) {
					t.Errorf("round trip of %s via %q gave %s", show(v), enc[len("prefix"):], show(got))
				}
			}
		})
	}
}

func TestDecodeLiterals(t *testing.T) {
	for _, cc := range allCases {
		t.Run(cc.name, func(t *testing.T) {
			c := newCodec(t, cc.name, cc.config)
			for _, tc := range cc.decode {
				frame := []byte(tc.in)
				got, err := c.Decode(frame, testIngestNs)
				if err != nil {
					t.Errorf("decode %q: %v", tc.in, err)
					continue
				}
				for i := range frame {
					frame[i] = 0xAA
				}
				if !identical(got, tc.want) {
					t.Errorf("decode %q\n got %s\nwant %s", tc.in, show(got), show(tc.want))
				}
			}
		})
	}
}

func TestEncodeLiterals(t *testing.T) {
	for _, cc := range allCases {
		t.Run(cc.name, func(t *testing.T) {
			c := newCodec(t, cc.name, cc.config)
			for _, tc := range cc.encode {
				got, err := c.Encode(nil, tc.v)
				if err != nil {
					t.Errorf("encode %s: %v", show(tc.v), err)
					continue
				}
				if string(got) != tc.want {
					t.Errorf("encode %s\n got %q\nwant %q", show(tc.v), got, tc.want)
				}
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, cc := range allCases {
		t.Run(cc.name, func(t *testing.T) {
			c := newCodec(t, cc.name, cc.config)
			for _, tc := range cc.decodeErr {
				got, err := c.Decode([]byte(tc.in), testIngestNs)
				if err == nil {
					t.Errorf("decode %q: want an error containing %q, got %s", tc.in, tc.err, show(got))
					continue
				}
				if !strings.Contains(err.Error(), tc.err) {
					t.Errorf("decode %q: error %q does not contain %q", tc.in, err, tc.err)
				}
				if !strings.HasPrefix(err.Error(), cc.name+": ") && cc.name != "json" {
					t.Errorf("decode %q: error %q does not start with %q", tc.in, err, cc.name+": ")
				}
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, cc := range allCases {
		t.Run(cc.name, func(t *testing.T) {
			c := newCodec(t, cc.name, cc.config)
			for _, tc := range cc.encodeErr {
				got, err := c.Encode(nil, tc.v)
				if err == nil {
					t.Errorf("encode %s: want an error containing %q, got %q", show(tc.v), tc.err, got)
					continue
				}
				if !strings.Contains(err.Error(), tc.err) {
					t.Errorf("encode %s: error %q does not contain %q", show(tc.v), err, tc.err)
				}
			}
		})
	}
}

// benchInputs are small typical messages, one per codec.
var benchInputs = map[string]string{
	"json":    `{"a":1,"b":"hello","c":[1,2.5,true]}`,
	"string":  "hello world",
	"binary":  "\x00\x01\x02hello",
	"msgpack": "\x83\xa1a\x01\xa1b\xa5hello\xa1c\x93\x01\xcb\x40\x04\x00\x00\x00\x00\x00\x00\xc3",
	"csv":     `a,"b,c",hello world,1.5`,
	"influx":  "weather,location=us-midwest,season=summer temperature=82,humidity=71i 1465839830100400200",
	"yaml":    "a: 1\nb: hello\nc: [1, 2.5, true]",
	"statsd":  "gorets:1|c|@0.1",
	"syslog":  `<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event log entry`,
}

func BenchmarkDecode(b *testing.B) {
	for _, name := range Builtin().Names() {
		in, ok := benchInputs[name]
		if !ok {
			b.Fatalf("no benchmark input for codec %q", name)
		}
		b.Run(name, func(b *testing.B) {
			c := newCodec(b, name, "")
			frame := []byte(in)
			if _, err := c.Decode(frame, 0); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(frame)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Decode(frame, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
