package value

import (
	"slices"
	"strings"
)

// indexThreshold is the record size above which a Rec keeps a key→position map; up to it, lookups
// scan the keys linearly, which is faster for the small records events are made of.
const indexThreshold = 16

// Rec is an insertion-ordered record (spec §0). Iteration order (At, Range, Keys, Values, the
// encoders) is always insertion order, with Tremor's two twists: setting an existing key overwrites
// its value in place, keeping its position, and Remove is a swap_remove (the last entry moves into
// the removed slot). Tremor switches records with more than 32 entries to a hash table whose order
// is hash order; Rill does not reproduce that and keeps insertion order at every size.
//
// The zero Rec is an empty record ready to use. A Rec is not safe for concurrent mutation; concurrent
// reads (Get, At, Range ...) are safe.
type Rec struct {
	kv  []Value        // key i at kv[2i] (a String value), its value at kv[2i+1]
	idx map[string]int // entry position by key, kept only while the record has more than indexThreshold entries
}

// NewRec returns an empty record with room for capacity entries.
func NewRec(capacity int) *Rec {
	if capacity < 0 {
		capacity = 0
	}
	return &Rec{kv: make([]Value, 0, 2*capacity)}
}

// Len returns the number of entries.
func (r *Rec) Len() int { return len(r.kv) / 2 }

// find returns the entry position of key, or -1.
func (r *Rec) find(key string) int {
	if r.idx != nil {
		if i, ok := r.idx[key]; ok {
			return i
		}
		return -1
	}
	kv := r.kv
	for i := 0; i < len(kv); i += 2 {
		if kv[i].key() == key {
			return i / 2
		}
	}
	return -1
}

// Get returns the value of key.
func (r *Rec) Get(key string) (Value, bool) {
	if i := r.find(key); i >= 0 {
		return r.kv[2*i+1], true
	}
	return Value{}, false
}

// Set sets key to v: an existing key keeps its position and gets the new value, a new key is
// appended at the end.
func (r *Rec) Set(key string, v Value) {
	if i := r.find(key); i >= 0 {
		r.kv[2*i+1] = v
		return
	}
	r.kv = append(r.kv, textValue(String, key), v)
	if r.idx != nil {
		r.idx[key] = len(r.kv)/2 - 1
	} else if len(r.kv) > 2*indexThreshold {
		r.buildIndex()
	}
}

// buildIndex creates the key→position map from the entries.
func (r *Rec) buildIndex() {
	r.idx = make(map[string]int, len(r.kv)/2)
	for i := 0; i < len(r.kv); i += 2 {
		r.idx[r.kv[i].key()] = i / 2
	}
}

// Remove deletes key and returns its value. Like Tremor (halfbrown's swap_remove, spec §0 ⚠), the
// last entry moves into the removed entry's position: removing "a" from {a, b, c} leaves {c, b}.
func (r *Rec) Remove(key string) (Value, bool) {
	i := r.find(key)
	if i < 0 {
		return Value{}, false
	}
	v := r.kv[2*i+1]
	last := len(r.kv) - 2
	if 2*i != last {
		r.kv[2*i], r.kv[2*i+1] = r.kv[last], r.kv[last+1]
		if r.idx != nil {
			r.idx[r.kv[2*i].key()] = i
		}
	}
	r.kv[last], r.kv[last+1] = Value{}, Value{} // let the removed values be collected
	r.kv = r.kv[:last]
	if r.idx != nil {
		delete(r.idx, key)
		if len(r.kv) <= indexThreshold { // half the threshold (8 entries) or fewer: back to scanning
			r.idx = nil
		}
	}
	return v, true
}

// At returns the i-th entry in order (0 ≤ i < Len).
func (r *Rec) At(i int) (key string, v Value) { return r.kv[2*i].key(), r.kv[2*i+1] }

// Range calls fn for each entry in order until fn returns false. fn must not modify r.
func (r *Rec) Range(fn func(key string, v Value) bool) {
	kv := r.kv
	for i := 0; i+1 < len(kv); i += 2 {
		if !fn(kv[i].key(), kv[i+1]) {
			return
		}
	}
}

// Keys returns the keys in order (a new slice).
func (r *Rec) Keys() []string {
	keys := make([]string, len(r.kv)/2)
	for i := range keys {
		keys[i] = r.kv[2*i].key()
	}
	return keys
}

// Values returns the values in order (a new slice; the values themselves are shared).
func (r *Rec) Values() []Value {
	vals := make([]Value, len(r.kv)/2)
	for i := range vals {
		vals[i] = r.kv[2*i+1]
	}
	return vals
}

// Clone returns a deep copy of r (same order; nested arrays and records copied too).
func (r *Rec) Clone() *Rec {
	c := &Rec{kv: make([]Value, len(r.kv))}
	for i := 0; i < len(r.kv); i += 2 {
		c.kv[i] = r.kv[i]
		c.kv[i+1] = r.kv[i+1].Clone()
	}
	if r.idx != nil {
		c.buildIndex()
	}
	return c
}

// sortedOrder returns the entry positions of r in bytewise key order. It uses buf when it is large
// enough, so callers can pass a stack array.
func (r *Rec) sortedOrder(buf []int) []int {
	n := len(r.kv) / 2
	var order []int
	if n <= cap(buf) {
		order = buf[:n]
	} else {
		order = make([]int, n)
	}
	for i := range order {
		order[i] = i
	}
	kv := r.kv
	if n <= 16 {
		// Insertion sort on the keys' first 8 bytes, comparing whole keys only on a tie: no
		// allocation and few string comparisons for event-sized records.
		var pre [16]uint64
		for i := range order {
			pre[i] = keyPrefix(kv[2*i].key())
		}
		for i := 1; i < n; i++ {
			for j := i; j > 0; j-- {
				a, b := order[j], order[j-1]
				if pre[a] > pre[b] || pre[a] == pre[b] && kv[2*a].key() >= kv[2*b].key() {
					break
				}
				order[j], order[j-1] = b, a
			}
		}
		return order
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(kv[2*a].key(), kv[2*b].key()) })
	return order
}

// keyPrefix returns the first 8 bytes of s as a big-endian number, zero-padded: prefixes order
// like the strings, and equal prefixes need a full comparison.
func keyPrefix(s string) uint64 {
	if len(s) >= 8 {
		return uint64(s[0])<<56 | uint64(s[1])<<48 | uint64(s[2])<<40 | uint64(s[3])<<32 |
			uint64(s[4])<<24 | uint64(s[5])<<16 | uint64(s[6])<<8 | uint64(s[7])
	}
	var p uint64
	for i := 0; i < len(s); i++ {
		p |= uint64(s[i]) << (56 - 8*i)
	}
	return p
}
