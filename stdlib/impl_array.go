package stdlib

import (
	"slices"
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// arrayImpls implements std::array (spec §3.2). Every function but flatten takes an array first
// (Bad type otherwise); results are fresh arrays, the inputs are never modified.
func arrayImpls() map[string]Fn {
	return map[string]Fn{
		"len": fnArr(func(a []value.Value) (value.Value, error) {
			return value.NewUint(uint64(len(a))), nil
		}),
		"is_empty": fnArr(func(a []value.Value) (value.Value, error) {
			return value.NewBool(len(a) == 0), nil
		}),
		// contains uses Rust's PartialEq, not val_eq: 1 and 1.0 differ (value.PartialEqual).
		"contains": func(_ Context, args []value.Value) (value.Value, error) {
			a, ok := args[0].AsArray()
			if !ok {
				return badType()
			}
			for _, x := range a {
				if value.PartialEqual(x, args[1]) {
					return value.NewBool(true), nil
				}
			}
			return value.NewBool(false), nil
		},
		"push": func(_ Context, args []value.Value) (value.Value, error) {
			a, ok := args[0].AsArray()
			if !ok {
				return badType()
			}
			out := make([]value.Value, len(a), len(a)+1)
			copy(out, a)
			return value.NewArray(append(out, args[1])), nil
		},
		"zip": func(_ Context, args []value.Value) (value.Value, error) {
			l, ok1 := args[0].AsArray()
			r, ok2 := args[1].AsArray()
			if !ok1 || !ok2 {
				return badType()
			}
			if len(l) != len(r) {
				return fail("Zipping two arrays requires them to have the same length, but the first array provided has " +
					strconv.Itoa(len(l)) + " elements while the second one has " + strconv.Itoa(len(r)) + " elements")
			}
			out := make([]value.Value, len(l))
			for i := range l {
				out[i] = value.NewArray([]value.Value{l[i], r[i]})
			}
			return value.NewArray(out), nil
		},
		// unzip's error texts (with Tremor's "Onlay" typo) are from memory of std_lib/array.rs
		// and unverified.
		"unzip": fnArr(func(a []value.Value) (value.Value, error) {
			ls := make([]value.Value, 0, len(a))
			rs := make([]value.Value, 0, len(a))
			for _, x := range a {
				pair, ok := x.AsArray()
				if !ok {
					return fail("Onlay arrays that consist of tuples (arrays of two elements) can be unzipped but this array contained: " + value.Encode(x))
				}
				if len(pair) != 2 {
					return fail("Onlay arrays that consist of tuples (arrays of two elements) can be unzipped but this array contained " + strconv.Itoa(len(pair)) + " elements")
				}
				ls = append(ls, pair[0])
				rs = append(rs, pair[1])
			}
			return value.NewArray([]value.Value{value.NewArray(ls), value.NewArray(rs)}), nil
		}),
		"flatten": fn1(func(v value.Value) (value.Value, error) {
			a, ok := v.AsArray()
			if !ok {
				return value.NewArray([]value.Value{v}), nil
			}
			return value.NewArray(flattenInto(nil, a)), nil
		}),
		"coalesce": fnArr(func(a []value.Value) (value.Value, error) {
			out := make([]value.Value, 0, len(a))
			for _, x := range a {
				if !x.IsNull() {
					out = append(out, x)
				}
			}
			return value.NewArray(out), nil
		}),
		// join renders elements with tremor-value's Display (strings raw, floats as Rust `{}`).
		"join": func(_ Context, args []value.Value) (value.Value, error) {
			a, ok1 := args[0].AsArray()
			sep, ok2 := args[1].AsString()
			if !ok1 || !ok2 {
				return badType()
			}
			var b strings.Builder
			for i, x := range a {
				if i > 0 {
					b.WriteString(sep)
				}
				b.WriteString(x.Display())
			}
			return value.NewString(b.String()), nil
		},
		"concatenate": func(_ Context, args []value.Value) (value.Value, error) {
			l, ok1 := args[0].AsArray()
			r, ok2 := args[1].AsArray()
			if !ok1 || !ok2 {
				return badType()
			}
			out := make([]value.Value, 0, len(l)+len(r))
			return value.NewArray(append(append(out, l...), r...)), nil
		},
		"reverse": fnArr(func(a []value.Value) (value.Value, error) {
			out := slices.Clone(a)
			slices.Reverse(out)
			return value.NewArray(out), nil
		}),
		// sort is stable and ascending in tremor-value's Ord (value.Compare).
		"sort": fnArr(func(a []value.Value) (value.Value, error) {
			out := slices.Clone(a)
			slices.SortStableFunc(out, value.Compare)
			return value.NewArray(out), nil
		}),
	}
}

// flattenInto appends the leaves of the nested array a to dst.
func flattenInto(dst, a []value.Value) []value.Value {
	for _, x := range a {
		if inner, ok := x.AsArray(); ok {
			dst = flattenInto(dst, inner)
		} else {
			dst = append(dst, x)
		}
	}
	return dst
}
