package stdlib

import (
	"github.com/rillstream/rill/interp/value"
)

// recordImpls implements std::record. Results keep insertion order (spec §0): a copy of a record
// keeps its order, setting an existing key keeps its position, removal is a swap_remove.
func recordImpls() map[string]Fn {
	return map[string]Fn{
		"len": fnRec(func(r *value.Rec) (value.Value, error) {
			return value.NewUint(uint64(r.Len())), nil
		}),
		"is_empty": fnRec(func(r *value.Rec) (value.Value, error) {
			return value.NewBool(r.Len() == 0), nil
		}),
		"contains": func(_ Context, args []value.Value) (value.Value, error) {
			r, ok1 := args[0].AsRecord()
			key, ok2 := args[1].AsString()
			if !ok1 || !ok2 {
				return badType()
			}
			_, found := r.Get(key)
			return value.NewBool(found), nil
		},
		"keys": fnRec(func(r *value.Rec) (value.Value, error) {
			out := make([]value.Value, 0, r.Len())
			r.Range(func(k string, _ value.Value) bool {
				out = append(out, value.NewString(k))
				return true
			})
			return value.NewArray(out), nil
		}),
		"values": fnRec(func(r *value.Rec) (value.Value, error) {
			return value.NewArray(r.Values()), nil
		}),
		"to_array": fnRec(func(r *value.Rec) (value.Value, error) {
			out := make([]value.Value, 0, r.Len())
			r.Range(func(k string, v value.Value) bool {
				out = append(out, value.NewArray([]value.Value{value.NewString(k), v}))
				return true
			})
			return value.NewArray(out), nil
		}),
		// from_array's error text is unverified (Tremor's mentions the offending element).
		"from_array": fnArr(func(a []value.Value) (value.Value, error) {
			r := value.NewRec(len(a))
			for _, x := range a {
				pair, ok := x.AsArray()
				if !ok || len(pair) != 2 {
					return fail("Onlay arrays that consist of tuples (arrays of two elements) can be turned into records but this array contained: " + value.Encode(x))
				}
				k, ok := pair[0].AsString()
				if !ok {
					return fail("Onlay arrays that consist of tuples (arrays of two elements) where the first element is a string can be turned into records but this array contained: " + value.Encode(x))
				}
				r.Set(k, pair[1])
			}
			return value.NewRecordValue(r), nil
		}),
		// extract keeps the fields named in keys (non-strings ignored), in the record's order.
		"extract": func(_ Context, args []value.Value) (value.Value, error) {
			r, ok1 := args[0].AsRecord()
			keys, ok2 := args[1].AsArray()
			if !ok1 || !ok2 {
				return badType()
			}
			want := make(map[string]bool, len(keys))
			for _, k := range keys {
				if s, ok := k.AsString(); ok {
					want[s] = true
				}
			}
			out := value.NewRec(min(len(want), r.Len()))
			r.Range(func(k string, v value.Value) bool {
				if want[k] {
					out.Set(k, v)
				}
				return true
			})
			return value.NewRecordValue(out), nil
		},
		// combine copies left, then sets right's fields: left's keys keep their positions,
		// right's new keys follow in right's order.
		"combine": func(_ Context, args []value.Value) (value.Value, error) {
			l, ok1 := args[0].AsRecord()
			r, ok2 := args[1].AsRecord()
			if !ok1 || !ok2 {
				return badType()
			}
			out := shallowCopy(l, r.Len())
			r.Range(func(k string, v value.Value) bool {
				out.Set(k, v)
				return true
			})
			return value.NewRecordValue(out), nil
		},
		// rename applies {old: new} in the order of changes: each existing old field is removed
		// (swap_remove) and set under its new name; non-string targets are ignored.
		"rename": func(_ Context, args []value.Value) (value.Value, error) {
			r, ok1 := args[0].AsRecord()
			changes, ok2 := args[1].AsRecord()
			if !ok1 || !ok2 {
				return badType()
			}
			out := shallowCopy(r, 0)
			changes.Range(func(old string, nv value.Value) bool {
				to, ok := nv.AsString()
				if !ok {
					return true
				}
				if v, found := out.Remove(old); found {
					out.Set(to, v)
				}
				return true
			})
			return value.NewRecordValue(out), nil
		},
	}
}

// shallowCopy copies r's entries (values shared) into a new record with room for extra more.
func shallowCopy(r *value.Rec, extra int) *value.Rec {
	out := value.NewRec(r.Len() + extra)
	r.Range(func(k string, v value.Value) bool {
		out.Set(k, v)
		return true
	})
	return out
}
