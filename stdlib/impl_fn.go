package stdlib

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/rillstream/rill/interp/value"
)

// Context is what a registry function may read of the event being processed. A nil Context means
// "no event" (constant folding at compile time); every function is nil-safe: the event-reading ones
// then return their "nothing" value (0, null, "").
type Context interface {
	IngestNs() uint64       // system::ingest_ns, random seeding
	Origin() *url.URL       // origin::*; nil when the event has none
	PeerID() string         // peer_id()/source_id(): the origin peer's alias
	StreamID() uint64       // stream_id()
	EventID() uint64        // event_id()
	WinCardinality() uint64 // win::cardinality()
}

// Fn implements a registry function. args are already evaluated; len(args) was checked against
// the spec's arity by the caller (FnSpec.Call does it). A failure is returned as an *FnError,
// which the caller formats with the function's name and arity (spec §3.1).
//
// A Fn never modifies its arguments. Its result may share nested arrays, records and strings
// with them (array::push copies the outer array, not the elements), like any copy of a
// value.Value: a caller that mutates a result in place must own it (Clone) first.
type Fn func(ctx Context, args []value.Value) (value.Value, error)

// FnErrorKind tells the two ways a registry function fails.
type FnErrorKind uint8

const (
	// BadType is an argument of the wrong kind: "Bad type passed to function m::f/A".
	BadType FnErrorKind = iota + 1
	// Runtime is any other failure: "Runtime error in function m::f/A: " + Msg.
	Runtime
)

// FnError is a registry function failure, without the function's name (FnSpec.Call adds it).
type FnError struct {
	Kind FnErrorKind // BadType or Runtime
	Msg  string      // the message of a Runtime error, e.g. "invalid float literal"; empty for BadType
}

// Error returns the bare message ("bad type" for BadType); FnSpec.Call renders the full text.
func (e *FnError) Error() string {
	if e.Kind == BadType {
		return "bad type"
	}
	return e.Msg
}

// errBadType is the shared BadType failure (FnError carries no per-call data for it).
var errBadType error = &FnError{Kind: BadType}

// runtimeErr returns a Runtime failure with message msg.
func runtimeErr(msg string) error { return &FnError{Kind: Runtime, Msg: msg} }

// Call checks the number of arguments against the spec's arity and runs the implementation.
// Errors come back as plain errors whose text is final (spec §3.1):
//
//	Bad arity for function string::len/1..=1 but was called with 2 arguments
//	Bad type passed to function string::len/1
//	Runtime error in function integer::parse/1: invalid digit found in string
//
// The `/A` of the last two is the declared arity, except for the variadic string::format and
// the optional-argument random::* functions, which report the number of arguments passed, and
// for datetime::parse, whose runtime errors report `/1` as Tremor's do. Calling a spec without
// an implementation is an error too ("function m::f is not implemented").
func (s *FnSpec) Call(ctx Context, args []value.Value) (value.Value, error) {
	if !s.Accepts(len(args)) {
		return value.NullValue, errors.New("Bad arity for function " + s.Qualified() + "/" + s.Arity() +
			" but was called with " + strconv.Itoa(len(args)) + " arguments")
	}
	if s.Impl == nil {
		return value.NullValue, errors.New("function " + s.Qualified() + " is not implemented")
	}
	v, err := s.Impl(ctx, args)
	if err == nil {
		return v, nil
	}
	var fe *FnError
	if !errors.As(err, &fe) {
		fe = &FnError{Kind: Runtime, Msg: err.Error()}
	}
	if fe.Kind == BadType {
		return value.NullValue, errors.New("Bad type passed to function " + s.Qualified() + "/" + s.errArity(len(args), false))
	}
	return value.NullValue, errors.New("Runtime error in function " + s.Qualified() + "/" + s.errArity(len(args), true) + ": " + fe.Msg)
}

// errArity is the `A` of "m::f/A" in type and runtime errors (see Call).
func (s *FnSpec) errArity(n int, runtime bool) string {
	switch {
	case s.Variadic() || (s.Module == "random" && !s.Aggregate):
		return strconv.Itoa(n)
	case runtime && s.Module == "datetime" && s.Name == "parse":
		return "1"
	}
	return strconv.Itoa(s.MaxArity)
}
