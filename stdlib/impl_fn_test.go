package stdlib

import (
	"net/url"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// testCtx is a Context over fixed event data.
type testCtx struct {
	ingest, stream, event, card uint64
	origin                      *url.URL
	peer                        string
}

func (c *testCtx) IngestNs() uint64       { return c.ingest }
func (c *testCtx) Origin() *url.URL       { return c.origin }
func (c *testCtx) PeerID() string         { return c.peer }
func (c *testCtx) StreamID() uint64       { return c.stream }
func (c *testCtx) EventID() uint64        { return c.event }
func (c *testCtx) WinCardinality() uint64 { return c.card }

// fnCase is one call of a registry function.
type fnCase struct {
	fn   string        // path as written in a call, e.g. "string::format", "peer_id"
	args string        // the arguments as a JSON array, e.g. `["{}", 1.0]`; ignored when argv is set
	argv []value.Value // arguments that JSON cannot express (bytes, NaN)
	want string        // value.EncodeSorted of the result, or "error: " + the full error text
	// ordered compares value.Encode (insertion order) instead, for record-order cases.
	ordered bool
}

// callFn runs one call through FnSpec.Call and renders its result like fnCase.want.
func callFn(t *testing.T, r *Registry, ctx Context, c fnCase) string {
	t.Helper()
	module, name := "", c.fn
	if i := strings.LastIndex(c.fn, "::"); i >= 0 {
		module, name = c.fn[:i], c.fn[i+2:]
	}
	s, ok := r.Lookup(module, name)
	if !ok {
		t.Fatalf("%s: no such function", c.fn)
	}
	args := c.argv
	if args == nil {
		a := "[]"
		if c.args != "" {
			a = c.args
		}
		arr, ok := value.MustDecodeJSON(a).AsArray()
		if !ok {
			t.Fatalf("%s: args %s is not an array", c.fn, a)
		}
		args = arr
	}
	v, err := s.Call(ctx, args)
	if err != nil {
		return "error: " + err.Error()
	}
	if c.ordered {
		return value.Encode(v)
	}
	return value.EncodeSorted(v)
}

// runCases runs a table of calls with ctx (nil for "no event").
func runCases(t *testing.T, ctx Context, cases []fnCase) {
	t.Helper()
	r := NewRegistry()
	for _, c := range cases {
		got := callFn(t, r, ctx, c)
		if got != c.want {
			args := c.args
			if c.argv != nil {
				args = value.Encode(value.NewArray(c.argv))
			}
			t.Errorf("%s(%s)\n got  %s\n want %s", c.fn, args, got, c.want)
		}
	}
}

func bytesV(s string) value.Value { return value.NewBytesString(s) }
func floatV(f float64) value.Value {
	return value.NewFloat(f)
}

func TestEveryRegistryFunctionImplemented(t *testing.T) {
	r := NewRegistry()
	for _, s := range r.All() {
		if s.Aggregate {
			if s.Impl != nil {
				t.Errorf("%s: aggregates are implemented by the runtime, not here", s.Path())
			}
			continue
		}
		if s.Impl == nil {
			t.Errorf("%s: no implementation", s.Path())
		}
	}
}

// TestNilContext calls every function that takes no arguments without an event: none may panic.
func TestNilContext(t *testing.T) {
	r := NewRegistry()
	for _, s := range r.All() {
		if s.Aggregate || s.MinArity > 0 {
			continue
		}
		if _, err := s.Call(nil, nil); err != nil {
			t.Errorf("%s(): %v", s.Path(), err)
		}
	}
	runCases(t, nil, []fnCase{
		{fn: "peer_id", want: "null"},
		{fn: "tremor::stream_id", want: "null"},
		{fn: "system::ingest_ns", want: "0"},
		{fn: "origin::as_uri_string", want: "null"},
		{fn: "win::cardinality", want: "0"},
	})
}

// TestCallErrors pins the three error texts of spec §3.1 and the `/A` rules.
func TestCallErrors(t *testing.T) {
	runCases(t, nil, []fnCase{
		{fn: "string::len", args: `["a", "b"]`, want: "error: Bad arity for function string::len/1..=1 but was called with 2 arguments"},
		{fn: "random::integer", args: `[1, 2, 3]`, want: "error: Bad arity for function random::integer/0..=2 but was called with 3 arguments"},
		{fn: "string::format", args: `[]`, want: "error: Bad arity for function string::format/1.. but was called with 0 arguments"},
		{fn: "string::len", args: `[1]`, want: "error: Bad type passed to function string::len/1"},
		{fn: "array::push", args: `[1, 2]`, want: "error: Bad type passed to function array::push/2"},
		{fn: "integer::parse", args: `["x"]`, want: "error: Runtime error in function integer::parse/1: invalid digit found in string"},
		// variadic string::format counts the arguments passed
		{fn: "string::format", args: `[1, 2, 3]`, want: "error: Runtime error in function string::format/3: expected 1st parameter to format to be a format specifier e.g. to print a number use `string::format(\"{}\", 1)`"},
		// random::* counts the arguments passed
		{fn: "random::integer", args: `[0]`, want: "error: Runtime error in function random::integer/1: Invalid argument. Must be greater than 0. Got 0"},
		{fn: "random::integer", args: `["a", 1]`, want: "error: Bad type passed to function random::integer/2"},
		// datetime::parse reports /1 in its runtime errors
		{fn: "datetime::parse", args: `["x", "%Y"]`, want: "error: Runtime error in function datetime::parse/1: Datetime Parse Error: ParseError(Invalid)"},
		{fn: "datetime::parse", args: `[1, "%Y"]`, want: "error: Bad type passed to function datetime::parse/2"},
		// global and tremor:: names
		{fn: "tremor::peer_id", args: `[1]`, want: "error: Bad arity for function tremor::peer_id/0..=0 but was called with 1 arguments"},
		{fn: "peer_id", args: `[1]`, want: "error: Bad arity for function peer_id/0..=0 but was called with 1 arguments"},
	})
}

func TestCallUnimplemented(t *testing.T) {
	s := pure("m", "f", "D.", "a")
	if _, err := s.Call(nil, []value.Value{value.NullValue}); err == nil || err.Error() != "function m::f is not implemented" {
		t.Errorf("Call without Impl: %v", err)
	}
	s.Impl = func(Context, []value.Value) (value.Value, error) { return value.NullValue, errBadType }
	if _, err := s.Call(nil, []value.Value{value.NullValue}); err == nil || err.Error() != "Bad type passed to function m::f/1" {
		t.Errorf("Call with BadType: %v", err)
	}
}

// FuzzCall calls every registry function with arbitrary JSON arguments: none may panic.
// range::range and random::string are skipped, as they allocate what their arguments ask for.
func FuzzCall(f *testing.F) {
	for _, s := range []string{`[]`, `["a"]`, `["{}", 1]`, `[[1, [2]], "x"]`, `[{"a": 1}, ["a"], 0]`, `["\\d+", "a1", "$1"]`, `[1700000000000000000, "%+"]`, `[-1, 1.5, null]`} {
		f.Add(s)
	}
	r := NewRegistry()
	ctx := &testCtx{ingest: 1, origin: &url.URL{Scheme: "x", Host: "h"}}
	f.Fuzz(func(t *testing.T, args string) {
		v, err := value.DecodeJSONString(args)
		if err != nil {
			return
		}
		arr, ok := v.AsArray()
		if !ok {
			return
		}
		for _, s := range r.All() {
			if s.Aggregate || s.Path() == "range::range" || s.Path() == "random::string" || !s.Accepts(len(arr)) {
				continue
			}
			s.Call(ctx, arr)
		}
	})
}
