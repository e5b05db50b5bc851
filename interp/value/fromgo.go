package value

import (
	"fmt"
	"slices"
)

// FromGo converts a Go value to a Value; a convenience for tests and Go-side literals. It accepts
// nil, bool, the integer types (int, int8…int64 and uint, uint8…uint64), float32, float64, string,
// []byte (Bytes), []any, []Value, map[string]any and map[string]Value (keys sorted bytewise),
// *Rec and Value. int follows the JSON decoder's rule (Int when negative, Uint otherwise); the
// sized signed types give Int and the unsigned ones Uint. Anything else panics.
func FromGo(x any) Value {
	switch x := x.(type) {
	case nil:
		return Value{}
	case Value:
		return x
	case *Rec:
		return NewRecordValue(x)
	case bool:
		return NewBool(x)
	case int:
		if x < 0 {
			return NewInt(int64(x))
		}
		return NewUint(uint64(x))
	case int8:
		return NewInt(int64(x))
	case int16:
		return NewInt(int64(x))
	case int32:
		return NewInt(int64(x))
	case int64:
		return NewInt(x)
	case uint:
		return NewUint(uint64(x))
	case uint8:
		return NewUint(uint64(x))
	case uint16:
		return NewUint(uint64(x))
	case uint32:
		return NewUint(uint64(x))
	case uint64:
		return NewUint(x)
	case float32:
		return NewFloat(float64(x))
	case float64:
		return NewFloat(x)
	case string:
		return NewString(x)
	case []byte:
		return NewBytes(x)
	case []Value:
		return NewArray(x)
	case []any:
		items := make([]Value, len(x))
		for i, e := range x {
			items[i] = FromGo(e)
		}
		return NewArray(items)
	case map[string]any:
		r := NewRec(len(x))
		for _, k := range sortedKeys(x) {
			r.Set(k, FromGo(x[k]))
		}
		return NewRecordValue(r)
	case map[string]Value:
		r := NewRec(len(x))
		for _, k := range sortedKeys(x) {
			r.Set(k, x[k])
		}
		return NewRecordValue(r)
	}
	panic(fmt.Sprintf("value.FromGo: unsupported type %T", x))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
