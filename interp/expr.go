package interp

import (
	"strings"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
)

// Literals, interpolated strings, records, lists and the operators.

// str compiles a string literal with its interpolations (spec §2.10): strings are inserted raw,
// every other value as its JSON encoding.
func (c *compiler) str(n *ast.String) cnode {
	if n == nil {
		return konstNode(value.NewString(""))
	}
	type part struct {
		text string
		fn   evalFn
	}
	parts := make([]part, 0, len(n.Parts))
	nodes := make([]cnode, 0, len(n.Parts))
	for _, p := range n.Parts {
		if p.Interp == nil {
			parts = append(parts, part{text: p.Text})
			continue
		}
		x := c.expr(p.Interp)
		nodes = append(nodes, x)
		if x.konst {
			parts = append(parts, part{text: interpText(x.val)})
			continue
		}
		parts = append(parts, part{fn: x.fn})
	}
	if allKonst(nodes) {
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(p.text)
		}
		return konstNode(value.NewString(b.String()))
	}
	return cnode{fn: func(f *Frame) (value.Value, error) {
		var b strings.Builder
		for _, p := range parts {
			if p.fn == nil {
				b.WriteString(p.text)
				continue
			}
			v, err := p.fn(f)
			if err != nil {
				return value.NullValue, err
			}
			if s, ok := v.AsString(); ok {
				b.WriteString(s)
			} else {
				b.Write(value.AppendEncode(nil, v))
			}
		}
		return value.NewString(b.String()), nil
	}, dyn: dynOf(nodes...)}
}

// interpText renders an interpolated value.
func interpText(v value.Value) string {
	if s, ok := v.AsString(); ok {
		return s
	}
	return value.Encode(v)
}

// keyString compiles a record or patch key to a closure returning a string.
func (c *compiler) keyString(n *ast.String) (cnode, func(*Frame) (string, error)) {
	k := c.str(n)
	if k.konst {
		s, _ := k.val.AsString()
		return k, func(*Frame) (string, error) { return s, nil }
	}
	fn := k.fn
	return k, func(f *Frame) (string, error) {
		v, err := fn(f)
		if err != nil {
			return "", err
		}
		s, _ := v.AsString()
		return s, nil
	}
}

// record compiles a record literal. Fields whose key and value are both constant form a base record
// built once, in source order; the other fields are inserted after it at run time, in source order,
// value before key (spec §2.6 ⚠ key order).
func (c *compiler) record(n *ast.Record) cnode {
	type dynField struct {
		key func(*Frame) (string, error)
		val evalFn
	}
	base := value.NewRec(len(n.Fields))
	var dyns []dynField
	var nodes []cnode
	for _, fd := range n.Fields {
		if fd == nil {
			continue
		}
		k, kfn := c.keyString(fd.Key)
		v := c.expr(fd.Value)
		nodes = append(nodes, k, v)
		if k.konst && v.konst {
			s, _ := k.val.AsString()
			base.Set(s, v.val)
			continue
		}
		dyns = append(dyns, dynField{key: kfn, val: v.fn})
	}
	if len(dyns) == 0 {
		return konstNode(value.NewRecordValue(base))
	}
	size := base.Len() + len(dyns)
	return cnode{fn: func(f *Frame) (value.Value, error) {
		r := value.NewRec(size)
		for i := 0; i < base.Len(); i++ {
			r.Set(base.At(i))
		}
		for _, d := range dyns {
			v, err := d.val(f)
			if err != nil {
				return value.NullValue, err
			}
			k, err := d.key(f)
			if err != nil {
				return value.NullValue, err
			}
			r.Set(k, v)
		}
		return value.NewRecordValue(r), nil
	}, dyn: dynOf(nodes...)}
}

// list compiles a list literal.
func (c *compiler) list(n *ast.List) cnode {
	nodes := make([]cnode, len(n.Items))
	for i, it := range n.Items {
		nodes[i] = c.expr(it)
	}
	if allKonst(nodes) {
		vals := make([]value.Value, len(nodes))
		for i, x := range nodes {
			vals[i] = x.val
		}
		return konstNode(value.NewArray(vals))
	}
	fns := make([]evalFn, len(nodes))
	for i, x := range nodes {
		fns[i] = x.fn
	}
	return cnode{fn: func(f *Frame) (value.Value, error) {
		out := make([]value.Value, len(fns))
		for i, fn := range fns {
			v, err := fn(f)
			if err != nil {
				return value.NullValue, err
			}
			out[i] = v
		}
		return value.NewArray(out), nil
	}, dyn: dynOf(nodes...)}
}

// binary compiles a binary operation.
func (c *compiler) binary(n *ast.Binary) cnode {
	switch n.Op {
	case "and", "or", "xor":
		return c.boolOp(n)
	}
	op, ok := binOps[n.Op]
	if !ok {
		c.fail(n.OpPos, "", "unknown binary operator %s", n.Op)
	}
	l, r := c.expr(n.L), c.expr(n.R)
	s := c.siteAt(n.Pos, n.Pos)
	lf, rf := l.fn, r.fn
	name := n.Op
	fail := func(why opFail, a, b value.Value) (value.Value, error) {
		return value.NullValue, s.err(binaryMessage(why, name, a, b), "")
	}
	var fn evalFn
	switch {
	case r.konst && (op == opEq || op == opNe) && r.val.Kind() == value.String:
		// `x == "literal"`: compare strings directly.
		b := r.val
		bs, _ := b.AsString()
		eq := op == opEq
		fn = func(f *Frame) (value.Value, error) {
			a, err := lf(f)
			if err != nil {
				return value.NullValue, err
			}
			if as, ok := a.AsString(); ok {
				return boolValue((as == bs) == eq), nil
			}
			return boolValue(value.Equal(a, b) == eq), nil
		}
	case r.konst && r.val.Kind() == value.Uint:
		// `x OP 3`: the unsigned fast path without the kind dispatch of execBinary.
		b := r.val
		bu, _ := b.AsU64()
		fn = func(f *Frame) (value.Value, error) {
			a, err := lf(f)
			if err != nil {
				return value.NullValue, err
			}
			var v value.Value
			var why opFail
			if a.Kind() == value.Uint {
				au, _ := a.AsU64()
				v, why = u64Op(op, au, bu)
			} else {
				v, why = execBinary(op, a, b)
			}
			if why != failNone {
				return fail(why, a, b)
			}
			return v, nil
		}
	case r.konst:
		b := r.val
		fn = func(f *Frame) (value.Value, error) {
			a, err := lf(f)
			if err != nil {
				return value.NullValue, err
			}
			v, why := execBinary(op, a, b)
			if why != failNone {
				return fail(why, a, b)
			}
			return v, nil
		}
	default:
		fn = func(f *Frame) (value.Value, error) {
			a, err := lf(f)
			if err != nil {
				return value.NullValue, err
			}
			b, err := rf(f)
			if err != nil {
				return value.NullValue, err
			}
			v, why := execBinary(op, a, b)
			if why != failNone {
				return fail(why, a, b)
			}
			return v, nil
		}
	}
	return c.fold(cnode{fn: fn, dyn: dynOf(l, r)}, l, r)
}

// boolOp compiles the short-circuit boolean operators and, or and the boolean xor.
func (c *compiler) boolOp(n *ast.Binary) cnode {
	l, r := c.expr(n.L), c.expr(n.R)
	ls, rs := c.siteAt(n.Pos, n.L.Position()), c.siteAt(n.Pos, n.R.Position())
	lf, rf := l.fn, r.fn
	op := n.Op
	lhsErr := func(a value.Value) (value.Value, error) {
		return value.NullValue, ls.err("The binary operation `"+op+"` is not defined for the type `"+a.TypeName()+"` and `<not executed>`", "")
	}
	rhsErr := func(b value.Value) error {
		return rs.err("The binary operation `"+op+"` is not defined for the type `bool` and `"+b.TypeName()+"`", "")
	}
	rhs := func(f *Frame) (bool, error) {
		b, err := rf(f)
		if err != nil {
			return false, err
		}
		x, ok := b.AsBool()
		if !ok {
			return false, rhsErr(b)
		}
		return x, nil
	}
	var fn evalFn
	switch op {
	case "and":
		fn = func(f *Frame) (value.Value, error) {
			a, err := lf(f)
			if err != nil {
				return value.NullValue, err
			}
			x, ok := a.AsBool()
			if !ok {
				return lhsErr(a)
			}
			if !x {
				return vFalse, nil
			}
			b, err := rf(f)
			if err != nil {
				return value.NullValue, err
			}
			if b.Kind() != value.Bool {
				return value.NullValue, rhsErr(b)
			}
			return b, nil
		}
	case "or":
		fn = func(f *Frame) (value.Value, error) {
			a, err := lf(f)
			if err != nil {
				return value.NullValue, err
			}
			x, ok := a.AsBool()
			if !ok {
				return lhsErr(a)
			}
			if x {
				return vTrue, nil
			}
			y, err := rhs(f)
			if err != nil {
				return value.NullValue, err
			}
			return boolValue(y), nil
		}
	default: // xor
		fn = func(f *Frame) (value.Value, error) {
			a, err := lf(f)
			if err != nil {
				return value.NullValue, err
			}
			x, ok := a.AsBool()
			if !ok {
				return lhsErr(a)
			}
			y, err := rhs(f)
			if err != nil {
				return value.NullValue, err
			}
			return boolValue(x != y), nil
		}
	}
	return c.fold(cnode{fn: fn, dyn: dynOf(l, r)}, l, r)
}

// unary compiles a prefix operation; errors underline the operand (spec §5).
func (c *compiler) unary(n *ast.Unary) cnode {
	op, ok := unOps[n.Op]
	if !ok {
		c.fail(n.Pos, "", "unknown unary operator %s", n.Op)
	}
	x := c.expr(n.X)
	s := c.siteAt(n.Pos, n.X.Position())
	xf := x.fn
	fn := func(f *Frame) (value.Value, error) {
		v, err := xf(f)
		if err != nil {
			return value.NullValue, err
		}
		r, ok := execUnary(op, v)
		if !ok {
			return value.NullValue, s.err(unaryMessage(op, v), "")
		}
		return r, nil
	}
	return c.fold(cnode{fn: fn, dyn: x.dyn}, x)
}
