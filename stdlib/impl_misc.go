package stdlib

import (
	"github.com/rillstream/rill/interp/value"
)

// pathImpls implements std::path.
func pathImpls() map[string]Fn {
	return map[string]Fn{
		// try_default walks string segments through records and integer segments through arrays;
		// any miss (absent key, index out of range, wrong segment kind, a scalar on the way)
		// gives the fallback. A null base gives the fallback too; other scalars are an error.
		"try_default": func(_ Context, args []value.Value) (value.Value, error) {
			base, segs, fallback := args[0], args[1], args[2]
			switch base.Kind() {
			case value.Null:
				return fallback, nil
			case value.Record, value.Array:
			default:
				return fail("Expected record or array or literal `null` as first argument")
			}
			path, ok := segs.AsArray()
			if !ok {
				return fail("Expected array of path segments as second argument")
			}
			cur := base
			for _, seg := range path {
				if key, ok := seg.AsString(); ok {
					r, ok := cur.AsRecord()
					if !ok {
						return fallback, nil
					}
					if cur, ok = r.Get(key); !ok {
						return fallback, nil
					}
					continue
				}
				idx, ok := seg.AsU64()
				a, isArr := cur.AsArray()
				if !ok || !isArr || idx >= uint64(len(a)) {
					return fallback, nil
				}
				cur = a[idx]
			}
			return cur, nil
		},
	}
}

// rangeImpls implements std::range's registry function.
func rangeImpls() map[string]Fn {
	return map[string]Fn{
		"range": func(_ Context, args []value.Value) (value.Value, error) {
			a, ok1 := args[0].AsI64()
			b, ok2 := args[1].AsI64()
			if !ok1 || !ok2 {
				return badType()
			}
			if a >= b {
				return value.NewArray([]value.Value{}), nil
			}
			out := make([]value.Value, 0, min(uint64(b-a), 1<<20))
			for i := a; i < b; i++ {
				out = append(out, intValue(i))
			}
			return value.NewArray(out), nil
		},
	}
}

// testImpls implements std::test's registry function.
func testImpls() map[string]Fn {
	return map[string]Fn{
		// assert returns true when got equals expected (val_eq), else [expected, got]; Rill has
		// no "panic on assert" mode here (the test runner checks the result).
		"assert": func(_ Context, args []value.Value) (value.Value, error) {
			expected, got := args[1], args[2]
			if value.Equal(expected, got) {
				return value.NewBool(true), nil
			}
			return value.NewArray([]value.Value{expected, got}), nil
		},
	}
}

// typeImpls implements std::type.
func typeImpls() map[string]Fn {
	is := func(f func(value.Value) bool) Fn {
		return fn1(func(v value.Value) (value.Value, error) { return value.NewBool(f(v)), nil })
	}
	kind := func(k value.Kind) Fn { return is(func(v value.Value) bool { return v.Kind() == k }) }
	return map[string]Fn{
		"as_string": fn1(func(v value.Value) (value.Value, error) {
			return value.NewString(v.TypeName()), nil
		}),
		"is_null":    kind(value.Null),
		"is_bool":    kind(value.Bool),
		"is_integer": is(value.Value.IsInteger),
		"is_float":   kind(value.Float),
		"is_number":  is(value.Value.IsNumber),
		"is_string":  kind(value.String),
		"is_array":   kind(value.Array),
		"is_record":  kind(value.Record),
		"is_binary":  kind(value.Bytes),
	}
}
