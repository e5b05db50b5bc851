package value

import (
	"math"
	"strings"
)

// Compare orders a and b like tremor-value's Ord, which `array::sort` uses (spec §3.2); it returns
// -1, 0 or +1. Across kinds the order is
//
//	records < arrays < strings and bytes < numbers < bools < null
//
// Within a rank:
//   - strings and bytes compare bytewise, also with each other;
//   - integers (Int and Uint) compare by value; an integer and a float compare the integer with the
//     float truncated toward zero (1.5 sorts equal to 1, -0.5 equal to 0); two floats compare
//     numerically, and a NaN compares equal to every float (and like 0 with integers);
//   - false < true;
//   - arrays compare element by element, then by length (a prefix sorts first);
//   - records compare by size, then by their sorted key lists, then by their values in sorted key
//     order.
//
// The int/float and NaN rules are read from the spec's description, not from Tremor's code.
func Compare(a, b Value) int {
	ra, rb := rank(a.Kind()), rank(b.Kind())
	if ra != rb {
		if ra < rb {
			return -1
		}
		return 1
	}
	switch ra {
	case rankRecord:
		return compareRecords(a.rec(), b.rec())
	case rankArray:
		l, r := a.items(), b.items()
		for i := 0; i < len(l) && i < len(r); i++ {
			if c := Compare(l[i], r[i]); c != 0 {
				return c
			}
		}
		return cmpInt(len(l), len(r))
	case rankText:
		return strings.Compare(a.text(), b.text())
	case rankNumber:
		return compareNumbers(a, b)
	case rankBool:
		return cmpInt(int(a.n), int(b.n))
	}
	return 0 // null, null
}

// Ranks of the kinds in Compare's order.
const (
	rankRecord = iota
	rankArray
	rankText
	rankNumber
	rankBool
	rankNull
)

func rank(k Kind) int {
	switch k {
	case Record:
		return rankRecord
	case Array:
		return rankArray
	case String, Bytes:
		return rankText
	case Int, Uint, Float:
		return rankNumber
	case Bool:
		return rankBool
	}
	return rankNull
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareNumbers compares two numbers per Compare's rules.
func compareNumbers(a, b Value) int {
	ka, kb := a.Kind(), b.Kind()
	if ka == Float && kb == Float {
		x, y := a.float(), b.float()
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	if ka == Float {
		return -compareIntFloat(b, a.float())
	}
	if kb == Float {
		return compareIntFloat(a, b.float())
	}
	// Both integers.
	if ka == kb {
		if ka == Int {
			x, y := int64(a.n), int64(b.n)
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
		switch {
		case a.n < b.n:
			return -1
		case a.n > b.n:
			return 1
		}
		return 0
	}
	if ka == Int { // Int vs Uint
		if int64(a.n) < 0 || a.n < b.n {
			return -1
		}
		if a.n > b.n {
			return 1
		}
		return 0
	}
	return -compareNumbers(b, a)
}

// compareIntFloat compares the integer i with f truncated toward zero (NaN as 0).
func compareIntFloat(i Value, f float64) int {
	t := math.Trunc(f)
	if t != t { // NaN
		t = 0
	}
	if i.Kind() == Int {
		x := int64(i.n)
		switch {
		case t < -(1 << 63):
			return 1
		case t >= 1<<63:
			return -1
		}
		y := int64(t)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	switch {
	case t < 0:
		return 1
	case t >= 1<<64:
		return -1
	}
	y := uint64(t)
	switch {
	case i.n < y:
		return -1
	case i.n > y:
		return 1
	}
	return 0
}

// compareRecords orders records by size, then sorted key lists, then values in sorted key order.
func compareRecords(a, b *Rec) int {
	if c := cmpInt(a.Len(), b.Len()); c != 0 {
		return c
	}
	var bufA, bufB [16]int
	oa, ob := a.sortedOrder(bufA[:]), b.sortedOrder(bufB[:])
	for i := range oa {
		if c := strings.Compare(a.kv[2*oa[i]].key(), b.kv[2*ob[i]].key()); c != 0 {
			return c
		}
	}
	for i := range oa {
		if c := Compare(a.kv[2*oa[i]+1], b.kv[2*ob[i]+1]); c != 0 {
			return c
		}
	}
	return 0
}
