package interp

import "testing"

// Operators (spec §2.3).

func TestBinaryNumeric(t *testing.T) {
	in := []string{`{"u":5,"z":0,"n":-5,"f":1.5,"max":18446744073709551615,"imin":-9223372036854775808}`}
	runCases(t, []scriptCase{
		{name: "u64 add", src: "event.u + 1", in: in, out: []string{"6"}},
		{name: "u64 sub to negative", src: "event.z - event.u", in: in, out: []string{"-5"}},
		{name: "u64 sub 2^63-1", src: "event.z - 9223372036854775807", in: in, out: []string{"-9223372036854775807"}},
		{name: "u64 sub 2^63", src: "event.z - 9223372036854775808", in: in, out: []string{"error: The binary operation `-` caused an over- or underflow"}},
		{name: "u64 sub too far", src: "event.z - 9223372036854775809", in: in, out: []string{"error: The binary operation `-` caused an over- or underflow"}},
		{name: "u64 add overflow", src: "event.max + 1", in: in, out: []string{"error: The binary operation `+` caused an over- or underflow"}},
		{name: "u64 mul overflow", src: "event.max * 2", in: in, out: []string{"error: The binary operation `*` caused an over- or underflow"}},
		{name: "div always float", src: "event.u / 5", in: in, out: []string{"1.0"}},
		{name: "div by zero", src: "event.u / event.z", in: in, out: []string{"error: The binary operation `/` must have a non zero RHS"}},
		{name: "mod by zero", src: "event.u % event.z", in: in, out: []string{"error: The binary operation `%` must have a non zero RHS"}},
		{name: "float div by zero", src: "event.f / event.z", in: in, out: []string{"1.797693134862316e308"}},
		{name: "float zero by zero", src: "0.0 * event.f / event.z", in: in, out: []string{"-2.696539702293474e308"}},
		{name: "i64 mod sign of dividend", src: "[event.n % 3, 7 % event.n]", in: in, out: []string{"[-2,2]"}},
		{name: "i64 add overflow", src: "event.imin + -1", in: in, out: []string{"error: The binary operation `+` caused an over- or underflow"}},
		{name: "i64 mul", src: "event.n * event.n", in: in, out: []string{"25"}},
		{name: "i64 div float", src: "event.n / 2", in: in, out: []string{"-2.5"}},
		{name: "i64 bitwise", src: "[event.n & 3, event.n ^ 1]", in: in, out: []string{"[3,-6]"}},
		{name: "shifts", src: "[event.n >> 1, event.n >>> 60, event.n << 1, event.u << 63, event.u >> 1]", in: in, out: []string{"[-3,15,-10,9223372036854775808,2]"}},
		{name: "shift too far", src: "event.u << 64", in: in, out: []string{"error: RHS value is larger than or equal to the number of bits in LHS value"}},
		{name: "negative shift", src: "event.u >> event.n", in: in, out: []string{"error: RHS value is larger than or equal to the number of bits in LHS value"}},
		{name: "float mixed", src: "[event.u + event.f, event.u * 2.0, event.f - 2, event.f < 2, event.u >= 5.0]", in: in, out: []string{"[6.5,10.0,-0.5,true,true]"}},
		{name: "float mod", src: "event.f % 2", in: in, out: []string{"error: The binary operation `%` is not defined for the type `float` and `integer`"}},
		{name: "float bitand", src: "event.f & 1", in: in, out: []string{"error: The binary operation `&` is not defined for the type `float` and `integer`"}},
		{name: "big u64 with negative goes float", src: "event.max + event.n", in: in, out: []string{"1.8446744073709552e19"}},
		{name: "comparisons", src: "[event.n < event.u, event.u <= 5, event.u > 5, event.n >= -5, 1 == 1.0, 1 != 1.0]", in: in, out: []string{"[true,true,false,true,true,false]"}},
	})
}

func TestBinaryOtherKinds(t *testing.T) {
	in := []string{`{"s":"b","b":true,"a":[1],"r":{"x":1},"n":null}`}
	runCases(t, []scriptCase{
		{name: "string concat", src: `event.s + "c"`, in: in, out: []string{`"bc"`}},
		{name: "string compare", src: `[event.s < "c", event.s <= "b", event.s > "a", "B" < event.s]`, in: in, out: []string{"[true,true,true,true]"}},
		{name: "string minus", src: `event.s - "c"`, in: in, out: []string{"error: The binary operation `-` is not defined for the type `string` and `string`"}},
		{name: "string plus bytes", src: `event.s + <<1>>`, in: in, out: []string{"error: The binary operation `+` is not defined for the type `string` and `bytes`"}},
		{name: "bytes compare", src: `[<<1>> < <<2>>, <<97>> == "a", "a" <= <<97>>]`, in: in, out: []string{"[true,true,true]"}},
		{name: "string plus int", src: `event.s + 1`, in: in, out: []string{"error: The binary operation `+` is not defined for the type `string` and `integer`"}},
		{name: "bool and or xor", src: `[event.b & false, event.b ^ true, event.b ^ false]`, in: in, out: []string{"[false,false,true]"}},
		{name: "bool plus", src: `event.b + true`, in: in, out: []string{"error: The binary operation `+` is not defined for the type `bool` and `bool`"}},
		{name: "array concat", src: `event.a + [2, 3]`, in: in, out: []string{"[1,2,3]"}},
		{name: "array minus", src: `event.a - [1]`, in: in, out: []string{"error: The binary operation `-` is not defined for the type `array` and `array`"}},
		{name: "record merge", src: `event.r + {"y": 2, "x": 3}`, in: in, out: []string{`{"x":3,"y":2}`}},
		{name: "null compare", src: `event.n < event.n`, in: in, out: []string{"error: The binary operation `<` is not defined for the type `null` and `null`"}},
		{name: "record compare", src: `event.r < {}`, in: in, out: []string{"error: The binary operation `<` is not defined for the type `record` and `record`"}},
		{name: "equality never errors", src: `[event.r == {"x": 1.0}, event.a == [1], event.n == null, event.s == 1, event.r != event.a]`, in: in, out: []string{"[true,true,true,false,true]"}},
	})
}

func TestBooleanOps(t *testing.T) {
	in := []string{`{"t":true,"f":false,"n":1}`}
	runCases(t, []scriptCase{
		{name: "and", src: `[event.t and event.t, event.t and event.f, event.f and event.missing]`, in: in, out: []string{"[true,false,false]"}},
		{name: "or", src: `[event.f or event.t, event.f or event.f, event.t or event.missing]`, in: in, out: []string{"[true,false,true]"}},
		{name: "xor", src: `[event.t xor event.f, event.t xor event.t]`, in: in, out: []string{"[true,false]"}},
		{name: "xor evaluates both", src: `event.t xor event.missing`, in: in, out: []string{"error: Trying to access a non existing event key `missing`"}},
		{name: "and lhs", src: `event.n and event.t`, in: in, out: []string{"error: The binary operation `and` is not defined for the type `integer` and `<not executed>`"}},
		{name: "and rhs", src: `event.t and event.n`, in: in, out: []string{"error: The binary operation `and` is not defined for the type `bool` and `integer`"}},
		{name: "or lhs", src: `"x" or event.t`, in: in, out: []string{"error: The binary operation `or` is not defined for the type `string` and `<not executed>`"}},
		{name: "folded error", src: `"x" or true`, in: in, out: []string{"compile error: The binary operation `or` is not defined for the type `string` and `<not executed>`"}},
		{name: "xor lhs", src: `event.n xor event.t`, in: in, out: []string{"error: The binary operation `xor` is not defined for the type `integer` and `<not executed>`"}},
		{name: "precedence", src: `event.f and event.f or event.t`, in: in, out: []string{"true"}},
	})
}

func TestUnary(t *testing.T) {
	in := []string{`{"u":5,"n":-5,"f":2.5,"b":true,"s":"x","big":9223372036854775808,"huge":9223372036854775809,"imin":-9223372036854775808}`}
	runCases(t, []scriptCase{
		{name: "neg", src: `[-event.u, -event.n, -event.f, +event.u, +event.f]`, in: in, out: []string{"[-5,5,-2.5,5,2.5]"}},
		{name: "neg 2^63", src: `-event.big`, in: in, out: []string{"-9223372036854775808"}},
		{name: "neg too big", src: `-event.huge`, in: in, out: []string{"error: The unary operation `-` is not defined for the type `integer`"}},
		{name: "neg i64 min", src: `-event.imin`, in: in, out: []string{"error: The unary operation `-` is not defined for the type `integer`"}},
		{name: "bitnot", src: `[!event.u, !event.n, !0]`, in: in, out: []string{"[18446744073709551610,4,18446744073709551615]"}},
		{name: "not bool", src: `[not event.b, !event.b]`, in: in, out: []string{"[false,false]"}},
		{name: "not int", src: `not event.u`, in: in, out: []string{"error: The unary operation `not` is not defined for the type `integer`"}},
		{name: "not float", src: `!event.f`, in: in, out: []string{"error: The unary operation `!` is not defined for the type `float`"}},
		{name: "minus bool", src: `-event.b`, in: in, out: []string{"error: The unary operation `-` is not defined for the type `bool`"}},
		{name: "minus string", src: `-event.s`, in: in, out: []string{"error: The unary operation `-` is not defined for the type `string`"}},
		{name: "folded", src: `[-1, --1, - -1.5]`, in: in, out: []string{"[-1,1,1.5]"}},
	})
}
