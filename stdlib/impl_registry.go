package stdlib

import (
	"github.com/rillstream/rill/interp/value"
)

// implementations returns the implementation of every registry (non-aggregate) function, keyed by
// module and name. NewRegistry attaches them to the declared specs; per-registry state (the
// timezone cache) lives in the closures, never in package variables.
func implementations() map[string]map[string]Fn {
	zones := newZoneCache()
	return map[string]map[string]Fn{
		"array":    arrayImpls(),
		"base64":   base64Impls(),
		"binary":   binaryImpls(),
		"chash":    chashImpls(),
		"datetime": datetimeImpls(zones),
		"float":    floatImpls(),
		"integer":  integerImpls(),
		"json":     jsonImpls(),
		"math":     mathImpls(),
		"origin":   originImpls(),
		"path":     pathImpls(),
		"random":   randomImpls(),
		"range":    rangeImpls(),
		"re":       reImpls(),
		"record":   recordImpls(),
		"string":   stringImpls(),
		"system":   systemImpls(),
		"test":     testImpls(),
		"type":     typeImpls(),
		"url":      urlImpls(),
		"win":      winImpls(),
		"":         idImpls(),
		"tremor":   idImpls(),
	}
}

// attachImplementations sets Impl on every registry function that has one. An implementation for
// an undeclared function is a programming error (the tests keep the tables in step).
func (r *Registry) attachImplementations() {
	for module, fns := range implementations() {
		for name, fn := range fns {
			s, ok := r.Lookup(module, name)
			if !ok {
				panic("stdlib: implementation for undeclared function " + module + "::" + name)
			}
			s.Impl = fn
		}
	}
}

// Argument helpers. Typed parameters (Tremor's `String`, `Array`, `Object`, `Bytes` kinds) are
// checked by exact kind and fail with BadType; untyped ones are checked inside each function.

// badType returns the BadType failure.
func badType() (value.Value, error) { return value.NullValue, errBadType }

// fail returns a Runtime failure with message msg.
func fail(msg string) (value.Value, error) { return value.NullValue, runtimeErr(msg) }

// fn0 adapts a function of no arguments that reads only the context.
func fn0(f func(ctx Context) value.Value) Fn {
	return func(ctx Context, _ []value.Value) (value.Value, error) { return f(ctx), nil }
}

// fn1 adapts a function of one untyped argument.
func fn1(f func(v value.Value) (value.Value, error)) Fn {
	return func(_ Context, args []value.Value) (value.Value, error) { return f(args[0]) }
}

// fnStr adapts a function of one string argument.
func fnStr(f func(s string) (value.Value, error)) Fn {
	return func(_ Context, args []value.Value) (value.Value, error) {
		s, ok := args[0].AsString()
		if !ok {
			return badType()
		}
		return f(s)
	}
}

// fnArr adapts a function of one array argument.
func fnArr(f func(a []value.Value) (value.Value, error)) Fn {
	return func(_ Context, args []value.Value) (value.Value, error) {
		a, ok := args[0].AsArray()
		if !ok {
			return badType()
		}
		return f(a)
	}
}

// fnRec adapts a function of one record argument.
func fnRec(f func(r *value.Rec) (value.Value, error)) Fn {
	return func(_ Context, args []value.Value) (value.Value, error) {
		r, ok := args[0].AsRecord()
		if !ok {
			return badType()
		}
		return f(r)
	}
}

// strings2 returns the first two arguments as strings.
func strings2(args []value.Value) (a, b string, ok bool) {
	a, ok1 := args[0].AsString()
	b, ok2 := args[1].AsString()
	return a, b, ok1 && ok2
}

// intValue returns an integer value: I64 when negative, U64 otherwise (how Tremor's Value::from
// picks for computed integers; both serialize the same).
func intValue(i int64) value.Value {
	if i < 0 {
		return value.NewInt(i)
	}
	return value.NewUint(uint64(i))
}
