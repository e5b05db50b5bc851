package value

import (
	"strconv"
	"strings"
	"testing"
)

// order returns the keys of r joined with commas.
func order(r *Rec) string { return strings.Join(r.Keys(), ",") }

func recOf(keys ...string) *Rec {
	r := NewRec(len(keys))
	for i, k := range keys {
		r.Set(k, NewUint(uint64(i)))
	}
	return r
}

func TestRecSetKeepsPosition(t *testing.T) {
	r := recOf("a", "b", "c")
	r.Set("a", NewString("new"))
	if order(r) != "a,b,c" || Encode(NewRecordValue(r)) != `{"a":"new","b":1,"c":2}` {
		t.Errorf("after overwrite: %v", NewRecordValue(r))
	}
	r.Set("d", NullValue)
	if order(r) != "a,b,c,d" || r.Len() != 4 {
		t.Errorf("after insert: %s", order(r))
	}
}

// Tremor's records remove by swap_remove: the last entry moves into the removed slot (spec §0 ⚠).
func TestRecRemoveSwapRemove(t *testing.T) {
	tests := []struct {
		keys   []string
		remove string
		want   string
		ok     bool
	}{
		{[]string{"a", "b", "c", "d"}, "a", "d,b,c", true},
		{[]string{"a", "b", "c", "d"}, "b", "a,d,c", true},
		{[]string{"a", "b", "c", "d"}, "d", "a,b,c", true},
		{[]string{"a"}, "a", "", true},
		{[]string{"a", "b"}, "x", "a,b", false},
		{nil, "x", "", false},
	}
	for _, tt := range tests {
		r := recOf(tt.keys...)
		v, ok := r.Remove(tt.remove)
		if ok != tt.ok || order(r) != tt.want {
			t.Errorf("%v remove %q: %v, order %q; want %v, %q", tt.keys, tt.remove, ok, order(r), tt.ok, tt.want)
		}
		if ok {
			want := uint64(indexOf(tt.keys, tt.remove))
			if u, isU := v.AsU64(); u != want || !isU || v.Kind() != Uint {
				t.Errorf("removed value = %v", v)
			}
			if _, found := r.Get(tt.remove); found {
				t.Errorf("%q still present", tt.remove)
			}
		}
	}
	// Remove then re-insert appends at the end.
	r := recOf("a", "b", "c")
	r.Remove("a")
	r.Set("a", NullValue)
	if order(r) != "c,b,a" {
		t.Errorf("re-insert: %s", order(r))
	}
}

func indexOf(keys []string, k string) int {
	for i, x := range keys {
		if x == k {
			return i
		}
	}
	return -1
}

func TestRecAccess(t *testing.T) {
	var r Rec // the zero Rec is usable
	if r.Len() != 0 || len(r.Keys()) != 0 {
		t.Error("zero Rec not empty")
	}
	if _, ok := r.Get("x"); ok {
		t.Error("Get on empty")
	}
	r.Set("x", NewUint(1))
	r.Set("", NewUint(2))
	r.Set("y", NewString("z"))
	if k, v := r.At(1); k != "" || Encode(v) != "2" {
		t.Errorf("At(1) = %q %v", k, v)
	}
	if v, ok := r.Get(""); !ok || Encode(v) != "2" {
		t.Errorf(`Get("") = %v %v`, v, ok)
	}
	var seen []string
	r.Range(func(k string, v Value) bool {
		seen = append(seen, k+"="+Encode(v))
		return true
	})
	if strings.Join(seen, ";") != `x=1;=2;y="z"` {
		t.Errorf("Range: %v", seen)
	}
	seen = nil
	r.Range(func(k string, v Value) bool {
		seen = append(seen, k)
		return false
	})
	if len(seen) != 1 {
		t.Errorf("Range did not stop: %v", seen)
	}
	if vals := r.Values(); len(vals) != 3 || Encode(NewArray(vals)) != `[1,2,"z"]` {
		t.Errorf("Values: %v", vals)
	}
	if NewRec(-1).Len() != 0 {
		t.Error("NewRec(-1)")
	}
}

// Records beyond the index threshold keep insertion order and swap_remove semantics; the index must
// stay consistent through sets and removes, and go away when the record shrinks.
func TestRecLargeIndex(t *testing.T) {
	r := NewRec(0)
	var keys []string
	for i := range 100 {
		k := "k" + strconv.Itoa(i)
		keys = append(keys, k)
		r.Set(k, NewUint(uint64(i)))
	}
	if r.idx == nil {
		t.Fatal("no index at 100 entries")
	}
	if order(r) != strings.Join(keys, ",") {
		t.Fatal("insertion order lost")
	}
	r.Set("k5", NewString("five"))
	if k, v := r.At(5); k != "k5" || Encode(v) != `"five"` {
		t.Errorf("overwrite moved: %s %v", k, v)
	}
	// swap_remove with the index.
	r.Remove("k0")
	if k, _ := r.At(0); k != "k99" {
		t.Errorf("after removing k0, first = %s", k)
	}
	// Remove in an arbitrary order and check every lookup after each step.
	present := map[string]bool{}
	for _, k := range keys[1:] {
		present[k] = true
	}
	for i := 1; i < 100; i += 2 {
		k := "k" + strconv.Itoa((i*37)%100)
		if _, ok := r.Remove(k); ok != present[k] {
			t.Fatalf("Remove(%s) = %v, want %v", k, ok, present[k])
		}
		delete(present, k)
		for key := range present {
			if _, ok := r.Get(key); !ok {
				t.Fatalf("after removing %s: Get(%s) missing", k, key)
			}
		}
		if r.Len() != len(present) {
			t.Fatalf("Len %d, want %d", r.Len(), len(present))
		}
		for j := 0; j < r.Len(); j++ {
			if k, _ := r.At(j); r.find(k) != j {
				t.Fatalf("index of %s = %d, at %d", k, r.find(k), j)
			}
		}
	}
	for key := range present {
		r.Remove(key)
	}
	if r.Len() != 0 || r.idx != nil {
		t.Errorf("after removing all: len %d, idx %v", r.Len(), r.idx != nil)
	}
	c := recOf(keys...).Clone()
	if c.idx == nil || c.Len() != 100 {
		t.Error("Clone of a large record has no index")
	}
	if v, ok := c.Get("k42"); !ok || Encode(v) != "42" {
		t.Errorf("clone Get = %v", v)
	}
}

func TestRecClone(t *testing.T) {
	r := recOf("a", "b")
	inner := recOf("x")
	r.Set("c", NewRecordValue(inner))
	c := r.Clone()
	inner.Set("y", NullValue)
	c.Set("a", NewString("changed"))
	if Encode(NewRecordValue(r)) != `{"a":0,"b":1,"c":{"x":0,"y":null}}` {
		t.Errorf("original: %v", NewRecordValue(r))
	}
	if Encode(NewRecordValue(c)) != `{"a":"changed","b":1,"c":{"x":0}}` {
		t.Errorf("clone: %v", NewRecordValue(c))
	}
}

func TestRecSortedOrder(t *testing.T) {
	for _, n := range []int{0, 1, 5, 12, 13, 40} {
		r := NewRec(n)
		for i := n; i > 0; i-- {
			r.Set(strconv.Itoa(i*7919%1000), NullValue)
		}
		var buf [16]int
		ord := r.sortedOrder(buf[:])
		for i := 1; i < len(ord); i++ {
			if a, _ := r.At(ord[i-1]); func() bool { b, _ := r.At(ord[i]); return a >= b }() {
				t.Errorf("n=%d: order not sorted at %d", n, i)
			}
		}
		if len(ord) != n {
			t.Errorf("n=%d: %d positions", n, len(ord))
		}
	}
}
