package httppeer

import "github.com/rillstream/rill/interp/value"

// metaPath returns the value at meta.a.b... (null when any step is missing or not a record).
func metaPath(meta value.Value, path ...string) value.Value {
	v := meta
	for _, k := range path {
		rec, ok := v.AsRecord()
		if !ok {
			return value.NullValue
		}
		if v, ok = rec.Get(k); !ok {
			return value.NullValue
		}
	}
	return v
}
