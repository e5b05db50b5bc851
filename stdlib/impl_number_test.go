package stdlib

import (
	"math"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

func TestFloatFunctions(t *testing.T) {
	const perr = "error: Runtime error in function float::parse/1: "
	runCases(t, nil, []fnCase{
		{fn: "float::parse", args: `["1"]`, want: "1.0"},
		{fn: "float::parse", args: `["1."]`, want: "1.0"},
		{fn: "float::parse", args: `[".5"]`, want: "0.5"},
		{fn: "float::parse", args: `["+1"]`, want: "1.0"},
		{fn: "float::parse", args: `["1e5"]`, want: "100000.0"},
		{fn: "float::parse", args: `["1.5E+3"]`, want: "1500.0"},
		{fn: "float::parse", args: `["-2.25"]`, want: "-2.25"},
		{fn: "float::parse", args: `["inf"]`, want: "1.797693134862316e308"},
		{fn: "float::parse", args: `["-Infinity"]`, want: "-1.797693134862316e308"},
		{fn: "float::parse", args: `["NaN"]`, want: "2.696539702293474e308"},
		{fn: "float::parse", args: `["-nan"]`, want: "-2.696539702293474e308"},
		{fn: "float::parse", args: `["1e400"]`, want: "1.797693134862316e308"},
		{fn: "float::parse", args: `["1e-400"]`, want: "0.0"},
		{fn: "float::parse", args: `[""]`, want: perr + "cannot parse float from empty string"},
		{fn: "float::parse", args: `["."]`, want: perr + "invalid float literal"},
		{fn: "float::parse", args: `["1e"]`, want: perr + "invalid float literal"},
		{fn: "float::parse", args: `[" 1"]`, want: perr + "invalid float literal"},
		{fn: "float::parse", args: `["1_0"]`, want: perr + "invalid float literal"},
		{fn: "float::parse", args: `["0x10"]`, want: perr + "invalid float literal"},
		{fn: "float::parse", args: `["infinit"]`, want: perr + "invalid float literal"},
		{fn: "float::parse", args: `[1.0]`, want: "error: Bad type passed to function float::parse/1"},
		{fn: "float::is_finite", args: `[1]`, want: "true"},
		{fn: "float::is_finite", argv: []value.Value{floatV(math.Inf(1))}, want: "false"},
		{fn: "float::is_nan", argv: []value.Value{floatV(value.NaN())}, want: "true"},
		{fn: "float::is_nan", args: `[1.5]`, want: "false"},
		{fn: "float::is_infinite", argv: []value.Value{floatV(math.Inf(-1))}, want: "true"},
		{fn: "float::is_nan", args: `["x"]`, want: "error: Runtime error in function float::is_nan/1: expected a number but got string"},
	})
}

func TestIntegerParse(t *testing.T) {
	const perr = "error: Runtime error in function integer::parse/1: "
	runCases(t, nil, []fnCase{
		{fn: "integer::parse", args: `["+1"]`, want: "1"},
		{fn: "integer::parse", args: `["-1"]`, want: "-1"},
		{fn: "integer::parse", args: `["-0"]`, want: "0"},
		{fn: "integer::parse", args: `["9223372036854775807"]`, want: "9223372036854775807"},
		{fn: "integer::parse", args: `["-9223372036854775808"]`, want: "-9223372036854775808"},
		{fn: "integer::parse", args: `[""]`, want: perr + "cannot parse integer from empty string"},
		{fn: "integer::parse", args: `["+"]`, want: perr + "invalid digit found in string"},
		{fn: "integer::parse", args: `["1.0"]`, want: perr + "invalid digit found in string"},
		{fn: "integer::parse", args: `[" 1"]`, want: perr + "invalid digit found in string"},
		{fn: "integer::parse", args: `["1_000"]`, want: perr + "invalid digit found in string"},
		{fn: "integer::parse", args: `["9223372036854775808"]`, want: perr + "number too large to fit in target type"},
		{fn: "integer::parse", args: `["-9223372036854775809"]`, want: perr + "number too small to fit in target type"},
		{fn: "integer::parse", args: `["99999999999999999999a"]`, want: perr + "number too large to fit in target type"},
		{fn: "integer::parse", args: `["a99999999999999999999"]`, want: perr + "invalid digit found in string"},
		{fn: "integer::parse", args: `[1]`, want: "error: Bad type passed to function integer::parse/1"},
	})
}

func TestMathFunctions(t *testing.T) {
	runCases(t, nil, []fnCase{
		{fn: "math::round", args: `[-2.5]`, want: "-3"},
		{fn: "math::round", args: `[2.5]`, want: "3"},
		{fn: "math::round", args: `[2.4]`, want: "2"},
		{fn: "math::round", args: `[-0.4]`, want: "0"},
		{fn: "math::floor", args: `[1.7]`, want: "1"},
		{fn: "math::floor", args: `[-1.2]`, want: "-2"},
		{fn: "math::ceil", args: `[1.2]`, want: "2"},
		{fn: "math::ceil", args: `[-1.7]`, want: "-1"},
		{fn: "math::trunc", args: `[-1.7]`, want: "-1"},
		{fn: "math::trunc", args: `[1.7]`, want: "1"},
		{fn: "math::floor", args: `[5]`, want: "5"},
		{fn: "math::floor", args: `[-5]`, want: "-5"},
		{fn: "math::floor", args: `[1e30]`, want: "18446744073709551615"},
		{fn: "math::floor", args: `[-1e30]`, want: "-9223372036854775808"},
		{fn: "math::round", argv: []value.Value{floatV(value.NaN())}, want: "0"},
		{fn: "math::ceil", argv: []value.Value{floatV(math.Inf(1))}, want: "18446744073709551615"},
		{fn: "math::floor", args: `["1"]`, want: "error: Bad type passed to function math::floor/1"},
		{fn: "math::max", args: `[1, 2.0]`, want: "2.0"},
		{fn: "math::max", args: `[3, 2.0]`, want: "3.0"},
		{fn: "math::max", args: `[1, 2]`, want: "2"},
		{fn: "math::max", args: `[-1, -2]`, want: "-1"},
		{fn: "math::max", args: `[-1, 18446744073709551615]`, want: "1.8446744073709552e19"},
		{fn: "math::min", args: `[-1, 2]`, want: "-1"},
		{fn: "math::min", args: `[1.5, 2]`, want: "1.5"},
		{fn: "math::min", args: `[3, 2]`, want: "2"},
		{fn: "math::max", args: `["a", 1]`, want: "error: Bad type passed to function math::max/2"},
		{fn: "math::min", args: `[null, 1]`, want: "error: Bad type passed to function math::min/2"},
	})
}
