package interp

import (
	"cmp"
	"math"
	"math/bits"

	"github.com/rillstream/rill/interp/value"
)

// Binary and unary operators (spec §2.3: exec_binary, exec_binary_numeric, exec_unary).

// binOp is a binary operator other than the boolean and/or/xor.
type binOp uint8

const (
	opEq binOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opAdd
	opSub
	opMul
	opDiv
	opMod
	opBitAnd // &
	opBitXor // ^
	opShl    // <<
	opShr    // >>
	opUShr   // >>>
)

var binOpNames = [...]string{"==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&", "^", "<<", ">>", ">>>"}

func (o binOp) String() string { return binOpNames[o] }

var binOps = map[string]binOp{
	"==": opEq, "!=": opNe, "<": opLt, "<=": opLe, ">": opGt, ">=": opGe, "+": opAdd, "-": opSub,
	"*": opMul, "/": opDiv, "%": opMod, "&": opBitAnd, "^": opBitXor, "<<": opShl, ">>": opShr, ">>>": opUShr,
}

// opFail says why an operation failed; the message needs the operator and operand types.
type opFail uint8

const (
	failNone     opFail = iota
	failType            // not defined for the types
	failOverflow        // over- or underflow
	failZero            // division by zero
	failShift           // shift count out of range
)

// binaryMessage renders the message of a failed binary operation.
func binaryMessage(fail opFail, op string, l, r value.Value) string {
	switch fail {
	case failOverflow:
		return "The binary operation `" + op + "` caused an over- or underflow"
	case failZero:
		return "The binary operation `" + op + "` must have a non zero RHS"
	case failShift:
		return "RHS value is larger than or equal to the number of bits in LHS value"
	}
	return "The binary operation `" + op + "` is not defined for the type `" + l.TypeName() + "` and `" + r.TypeName() + "`"
}

var (
	vTrue  = value.NewBool(true)
	vFalse = value.NewBool(false)
)

func boolValue(b bool) value.Value {
	if b {
		return vTrue
	}
	return vFalse
}

func isStrOrBytes(k value.Kind) bool { return k == value.String || k == value.Bytes }

// strOf returns the bytes of a string or bytes value.
func strOf(v value.Value) string {
	if s, ok := v.AsString(); ok {
		return s
	}
	s, _ := v.AsBytes()
	return s
}

// execBinary applies op to l and r (Tremor's exec_binary).
func execBinary(op binOp, l, r value.Value) (value.Value, opFail) {
	if l.Kind() == value.Uint && r.Kind() == value.Uint { // the common case first
		a, _ := l.AsU64()
		b, _ := r.AsU64()
		return u64Op(op, a, b)
	}
	switch op {
	case opEq:
		return boolValue(value.Equal(l, r)), failNone
	case opNe:
		return boolValue(!value.Equal(l, r)), failNone
	}
	lk, rk := l.Kind(), r.Kind()
	switch {
	case lk == value.Bool && rk == value.Bool:
		a, _ := l.AsBool()
		b, _ := r.AsBool()
		switch op {
		case opBitAnd:
			return boolValue(a && b), failNone
		case opBitXor:
			return boolValue(a != b), failNone
		}
		return value.NullValue, failType
	case isStrOrBytes(lk) && isStrOrBytes(rk):
		a, b := strOf(l), strOf(r)
		switch op {
		case opLt:
			return boolValue(a < b), failNone
		case opLe:
			return boolValue(a <= b), failNone
		case opGt:
			return boolValue(a > b), failNone
		case opGe:
			return boolValue(a >= b), failNone
		case opAdd:
			if lk == value.String && rk == value.String {
				return value.NewString(a + b), failNone
			}
		}
		return value.NullValue, failType
	case lk == value.Array && rk == value.Array && op == opAdd:
		a, _ := l.AsArray()
		b, _ := r.AsArray()
		out := make([]value.Value, 0, len(a)+len(b))
		out = append(append(out, a...), b...)
		return value.NewArray(out), failNone
	case lk == value.Record && rk == value.Record && op == opAdd:
		return recordAdd(l, r), failNone
	}
	return execNumeric(op, l, r)
}

// recordAdd is record `+` record: RHS keys in RHS order, then the LHS-only keys in LHS order.
func recordAdd(l, r value.Value) value.Value {
	a, _ := l.AsRecord()
	b, _ := r.AsRecord()
	out := value.NewRec(a.Len() + b.Len())
	b.Range(func(k string, v value.Value) bool {
		out.Set(k, v)
		return true
	})
	a.Range(func(k string, v value.Value) bool {
		if _, ok := b.Get(k); !ok {
			out.Set(k, v)
		}
		return true
	})
	return value.NewRecordValue(out)
}

// execNumeric is the numeric path: both as u64, else both as i64, else both as f64.
func execNumeric(op binOp, l, r value.Value) (value.Value, opFail) {
	if a, ok := l.AsU64(); ok {
		if b, ok := r.AsU64(); ok {
			return u64Op(op, a, b)
		}
	}
	if a, ok := l.AsI64(); ok {
		if b, ok := r.AsI64(); ok {
			return i64Op(op, a, b)
		}
	}
	if a, ok := l.CastF64(); ok {
		if b, ok := r.CastF64(); ok {
			return f64Op(op, a, b)
		}
	}
	return value.NullValue, failType
}

// compare evaluates the ordering operators (and == / !=) on two numbers of one type; ok is false
// for any other operator.
func compare[T cmp.Ordered](op binOp, a, b T) (v value.Value, ok bool) {
	switch op {
	case opEq:
		return boolValue(a == b), true
	case opNe:
		return boolValue(a != b), true
	case opLt:
		return boolValue(a < b), true
	case opLe:
		return boolValue(a <= b), true
	case opGt:
		return boolValue(a > b), true
	case opGe:
		return boolValue(a >= b), true
	}
	return value.NullValue, false
}

func u64Op(op binOp, a, b uint64) (value.Value, opFail) {
	if v, ok := compare(op, a, b); ok {
		return v, failNone
	}
	switch op {
	case opAdd:
		s, carry := bits.Add64(a, b, 0)
		if carry != 0 {
			return value.NullValue, failOverflow
		}
		return value.NewUint(s), failNone
	case opSub:
		if a >= b {
			return value.NewUint(a - b), failNone
		}
		d := b - a
		if d > math.MaxInt64 {
			return value.NullValue, failOverflow
		}
		return value.NewInt(-int64(d)), failNone
	case opMul:
		hi, lo := bits.Mul64(a, b)
		if hi != 0 {
			return value.NullValue, failOverflow
		}
		return value.NewUint(lo), failNone
	case opDiv:
		if b == 0 {
			return value.NullValue, failZero
		}
		return value.NewFloat(float64(a) / float64(b)), failNone
	case opMod:
		if b == 0 {
			return value.NullValue, failZero
		}
		return value.NewUint(a % b), failNone
	case opBitAnd:
		return value.NewUint(a & b), failNone
	case opBitXor:
		return value.NewUint(a ^ b), failNone
	case opShl:
		if b >= 64 {
			return value.NullValue, failShift
		}
		return value.NewUint(a << b), failNone
	case opShr, opUShr:
		if b >= 64 {
			return value.NullValue, failShift
		}
		return value.NewUint(a >> b), failNone
	}
	return value.NullValue, failType
}

func i64Op(op binOp, a, b int64) (value.Value, opFail) {
	if v, ok := compare(op, a, b); ok {
		return v, failNone
	}
	switch op {
	case opAdd:
		s := a + b
		if (s > a) != (b > 0) {
			return value.NullValue, failOverflow
		}
		return value.NewInt(s), failNone
	case opSub:
		s := a - b
		if (s < a) != (b > 0) {
			return value.NullValue, failOverflow
		}
		return value.NewInt(s), failNone
	case opMul:
		if a == 0 || b == 0 {
			return value.NewInt(0), failNone
		}
		p := a * b
		if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
			return value.NullValue, failOverflow
		}
		return value.NewInt(p), failNone
	case opDiv:
		if b == 0 {
			return value.NullValue, failZero
		}
		return value.NewFloat(float64(a) / float64(b)), failNone
	case opMod:
		if b == 0 {
			return value.NullValue, failZero
		}
		if a == math.MinInt64 && b == -1 {
			return value.NullValue, failOverflow
		}
		return value.NewInt(a % b), failNone
	case opBitAnd:
		return value.NewInt(a & b), failNone
	case opBitXor:
		return value.NewInt(a ^ b), failNone
	case opShl:
		if b < 0 || b >= 64 {
			return value.NullValue, failShift
		}
		return value.NewInt(a << uint(b)), failNone
	case opShr:
		if b < 0 || b >= 64 {
			return value.NullValue, failShift
		}
		return value.NewInt(a >> uint(b)), failNone
	case opUShr:
		if b < 0 || b >= 64 {
			return value.NullValue, failShift
		}
		return value.NewInt(int64(uint64(a) >> uint(b))), failNone
	}
	return value.NullValue, failType
}

func f64Op(op binOp, a, b float64) (value.Value, opFail) {
	if v, ok := compare(op, a, b); ok {
		return v, failNone
	}
	switch op {
	case opAdd:
		return value.NewFloat(hwNaN(a+b, a, b)), failNone
	case opSub:
		return value.NewFloat(hwNaN(a-b, a, b)), failNone
	case opMul:
		return value.NewFloat(hwNaN(a*b, a, b)), failNone
	case opDiv:
		return value.NewFloat(hwNaN(a/b, a, b)), failNone
	}
	return value.NullValue, failType
}

// hwNaN gives a NaN result the bits x86-64 hardware produces: an invalid operation (0/0, inf-inf,
// 0*inf) yields the negative quiet NaN (spec §0: serialized -2.696539702293474e308), a NaN operand
// propagates.
func hwNaN(q, a, b float64) float64 {
	if q == q {
		return q
	}
	if a != a {
		return a
	}
	if b != b {
		return b
	}
	return value.NegNaN()
}

// unary operators.
type unOp uint8

const (
	unNeg    unOp = iota // -
	unPlus               // +
	unNot                // not
	unBitNot             // !
)

var unOps = map[string]unOp{"-": unNeg, "+": unPlus, "not": unNot, "!": unBitNot}

var unOpNames = [...]string{"-", "+", "not", "!"}

// execUnary applies op to v (Tremor's exec_unary); ok=false means "not defined for the type".
func execUnary(op unOp, v value.Value) (value.Value, bool) {
	switch v.Kind() {
	case value.Float:
		f, _ := v.AsF64()
		switch op {
		case unNeg:
			return value.NewFloat(-f), true
		case unPlus:
			return v, true
		}
		return value.NullValue, false
	case value.Bool:
		b, _ := v.AsBool()
		if op == unNot || op == unBitNot {
			return boolValue(!b), true
		}
		return value.NullValue, false
	case value.Int, value.Uint:
		if u, ok := v.AsU64(); ok {
			switch op {
			case unNeg:
				if u > 1<<63 {
					return value.NullValue, false
				}
				return value.NewInt(-int64(u)), true // 1<<63 wraps to i64::MIN
			case unPlus:
				return v, true
			case unBitNot:
				return value.NewUint(^u), true
			}
			return value.NullValue, false
		}
		i, _ := v.AsI64()
		switch op {
		case unNeg:
			if i == math.MinInt64 {
				return value.NullValue, false
			}
			return value.NewInt(-i), true
		case unPlus:
			return v, true
		case unBitNot:
			return value.NewInt(^i), true
		}
	}
	return value.NullValue, false
}

func unaryMessage(op unOp, v value.Value) string {
	return "The unary operation `" + unOpNames[op] + "` is not defined for the type `" + v.TypeName() + "`"
}
