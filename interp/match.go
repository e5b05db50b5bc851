package interp

import (
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
	"github.com/rillstream/rill/stdlib/extractor"
)

// match and its patterns (spec §2.7).

// matcher tests target; with bind it also returns the value a binding of the pattern gets.
type matcher func(f *Frame, target value.Value, bind bool) (ok bool, bound value.Value, err error)

// clause is a compiled case.
type clause struct {
	match matcher
	slot  int // the binding's slot, or -1
	guard evalFn
	gsite *site
	body  evalFn
}

const noMatchHint = "Consider adding a `case _ => null` clause at the end of your match or validate full coverage beforehand."

// match compiles a match expression or statement.
func (c *compiler) match(n *ast.Match, needResult, tail bool) cnode {
	target := c.expr(n.Target)
	nodes := []cnode{target}
	clauses := make([]clause, 0, len(n.Clauses))
	dyn := target.dyn
	for _, cl := range n.Clauses {
		if cl == nil {
			continue
		}
		k := clause{slot: -1}
		pat := cl.Pattern
		if ap, ok := pat.(*ast.AssignPattern); ok {
			k.match, dyn = c.pattern(ap.Pattern, dyn)
			k.slot = c.body.bind(identName(ap.Name))
		} else {
			k.match, dyn = c.pattern(pat, dyn)
		}
		if cl.Guard != nil {
			g := c.expr(cl.Guard)
			nodes = append(nodes, g)
			k.guard = g.fn
			k.gsite = c.siteAt(n.Pos, cl.Guard.Position())
		}
		body := c.block(cl.Body, needResult, tail)
		nodes = append(nodes, body)
		k.body = body.fn
		if k.slot >= 0 {
			c.body.unbind(1)
		}
		clauses = append(clauses, k)
	}
	if dyn == nil {
		dyn = dynOf(nodes...)
	}
	noMatch := c.siteWide(n.Pos, 2, n.Pos)
	tfn := target.fn
	fn := func(f *Frame) (value.Value, error) {
		t, err := tfn(f)
		if err != nil {
			return value.NullValue, err
		}
		for i := range clauses {
			cl := &clauses[i]
			ok, b, err := cl.match(f, t, cl.slot >= 0)
			if err != nil {
				return value.NullValue, err
			}
			if !ok {
				continue
			}
			if cl.slot >= 0 {
				f.locals[cl.slot] = slot{v: b, set: true}
			}
			if cl.guard != nil {
				g, err := cl.guard(f)
				if err != nil {
					return value.NullValue, err
				}
				gb, ok := g.AsBool()
				if !ok {
					return value.NullValue, needErr(cl.gsite, g, "bool")
				}
				if !gb {
					continue
				}
			}
			return cl.body(f)
		}
		return value.NullValue, noMatch.err("A match expression executed but no clause matched", noMatchHint)
	}
	return cnode{fn: fn, dyn: dyn}
}

// pattern compiles a case pattern; dyn accumulates the first dynamic node found.
func (c *compiler) pattern(p ast.Pattern, dyn ast.Node) (matcher, ast.Node) {
	switch n := p.(type) {
	case nil, *ast.DefaultPattern:
		return func(_ *Frame, t value.Value, _ bool) (bool, value.Value, error) { return true, t, nil }, dyn
	case *ast.ExprPattern:
		x := c.expr(n.Expr)
		if dyn == nil {
			dyn = x.dyn
		}
		if x.konst {
			v := x.val
			return func(_ *Frame, t value.Value, _ bool) (bool, value.Value, error) {
				return value.Equal(t, v), v, nil
			}, dyn
		}
		xf := x.fn
		return func(f *Frame, t value.Value, _ bool) (bool, value.Value, error) {
			v, err := xf(f)
			if err != nil {
				return false, value.NullValue, err
			}
			return value.Equal(t, v), v, nil
		}, dyn
	case *ast.ExtractPattern:
		ex := c.extractor(n.Extractor)
		return func(f *Frame, t value.Value, bind bool) (bool, value.Value, error) {
			out, ok := ex.Extract(t, bind, f.ingestNs())
			return ok, out, nil
		}, dyn
	case *ast.RecordPattern:
		return c.recordPattern(n, dyn)
	case *ast.ArrayPattern:
		return c.arrayPattern(n, dyn)
	case *ast.TuplePattern:
		return c.tuplePattern(n, dyn)
	case *ast.AssignPattern:
		// Nested bindings are not part of the grammar; match the inner pattern.
		return c.pattern(n.Pattern, dyn)
	}
	c.fail(p.Position(), "", "unsupported pattern %T", p)
	return nil, dyn
}

// extractor compiles an extractor literal; an unknown kind or an invalid rule is a compile error.
func (c *compiler) extractor(x *ast.Extractor) extractor.Extractor {
	if x == nil {
		c.fail(ast.Pos{}, "", "missing extractor")
	}
	ex, err := extractor.Compile(identName(x.Kind), x.Rule)
	if err != nil {
		c.fail(x.Pos, "", "%s", err.Error())
	}
	return ex
}

// ingestNs is the event's ingest time (0 without a context).
func (f *Frame) ingestNs() uint64 {
	if f.Ctx == nil {
		return 0
	}
	return f.Ctx.IngestNs()
}

// fieldTest is a compiled test of a record pattern.
type fieldTest struct {
	test  ast.FieldTest
	key   string
	op    binOp
	opStr string
	val   evalFn
	ex    extractor.Extractor
	sub   matcher
	site  *site
}

func (c *compiler) recordPattern(n *ast.RecordPattern, dyn ast.Node) (matcher, ast.Node) {
	tests := make([]fieldTest, 0, len(n.Fields))
	for _, fp := range n.Fields {
		if fp == nil {
			continue
		}
		t := fieldTest{test: fp.Test, key: identName(fp.Key), site: c.siteAt(fp.Pos, fp.Pos)}
		switch fp.Test {
		case ast.FieldCompare:
			op, ok := binOps[fp.Op]
			if !ok {
				c.fail(fp.Pos, "", "unknown comparison %s", fp.Op)
			}
			x := c.expr(fp.Value)
			if dyn == nil {
				dyn = x.dyn
			}
			t.op, t.opStr, t.val = op, fp.Op, x.fn
		case ast.FieldExtract:
			t.ex = c.extractor(fp.Extractor)
		case ast.FieldSubPattern:
			t.sub, dyn = c.pattern(fp.Sub, dyn)
		}
		tests = append(tests, t)
	}
	return func(f *Frame, target value.Value, bind bool) (bool, value.Value, error) {
		r, ok := target.AsRecord()
		if !ok {
			return false, value.NullValue, nil
		}
		var out *value.Rec
		if bind {
			out = value.NewRec(len(tests))
		}
		for i := range tests {
			t := &tests[i]
			v, has := r.Get(t.key)
			switch t.test {
			case ast.FieldPresent:
				if !has {
					return false, value.NullValue, nil
				}
				if bind {
					out.Set(t.key, v)
				}
			case ast.FieldAbsent:
				if has {
					return false, value.NullValue, nil
				}
			case ast.FieldCompare:
				if !has {
					return false, value.NullValue, nil
				}
				rhs, err := t.val(f)
				if err != nil {
					return false, value.NullValue, err
				}
				res, why := execBinary(t.op, v, rhs)
				if why != failNone {
					return false, value.NullValue, t.site.err(binaryMessage(why, t.opStr, v, rhs), "")
				}
				if b, _ := res.AsBool(); !b {
					return false, value.NullValue, nil
				}
			case ast.FieldExtract:
				if !has {
					return false, value.NullValue, nil
				}
				x, ok := t.ex.Extract(v, bind, f.ingestNs())
				if !ok {
					return false, value.NullValue, nil
				}
				if bind {
					out.Set(t.key, x)
				}
			case ast.FieldSubPattern:
				if !has {
					return false, value.NullValue, nil
				}
				ok, x, err := t.sub(f, v, bind)
				if err != nil || !ok {
					return false, value.NullValue, err
				}
				if bind {
					out.Set(t.key, x)
				}
			}
		}
		if !bind {
			return true, value.NullValue, nil
		}
		return true, value.NewRecordValue(out), nil
	}, dyn
}

// itemMatcher is a compiled item of an array or tuple pattern.
type itemMatcher struct {
	dontCare bool
	m        matcher
}

func (c *compiler) items(ps []ast.Pattern, dyn ast.Node) ([]itemMatcher, ast.Node) {
	out := make([]itemMatcher, 0, len(ps))
	for _, p := range ps {
		if _, ok := p.(*ast.DefaultPattern); ok || p == nil {
			out = append(out, itemMatcher{dontCare: true})
			continue
		}
		var m matcher
		m, dyn = c.pattern(p, dyn)
		out = append(out, itemMatcher{m: m})
	}
	return out, dyn
}

// arrayPattern: every item must match some element (order irrelevant); `_` needs a non-empty array.
// The binding lists [index, value] pairs, item by item, element by element.
func (c *compiler) arrayPattern(n *ast.ArrayPattern, dyn ast.Node) (matcher, ast.Node) {
	items, dyn := c.items(n.Items, dyn)
	return func(f *Frame, target value.Value, bind bool) (bool, value.Value, error) {
		arr, ok := target.AsArray()
		if !ok {
			return false, value.NullValue, nil
		}
		var out []value.Value
		for _, it := range items {
			if it.dontCare {
				if len(arr) == 0 {
					return false, value.NullValue, nil
				}
				continue
			}
			found := false
			for i, el := range arr {
				ok, b, err := it.m(f, el, bind)
				if err != nil {
					return false, value.NullValue, err
				}
				if !ok {
					continue
				}
				found = true
				if !bind {
					break
				}
				out = append(out, value.NewArray([]value.Value{value.NewUint(uint64(i)), b}))
			}
			if !found {
				return false, value.NullValue, nil
			}
		}
		if !bind {
			return true, value.NullValue, nil
		}
		if out == nil {
			out = []value.Value{}
		}
		return true, value.NewArray(out), nil
	}, dyn
}

// tuplePattern: positional; the length must equal the item count (or reach it with `...`).
func (c *compiler) tuplePattern(n *ast.TuplePattern, dyn ast.Node) (matcher, ast.Node) {
	items, dyn := c.items(n.Items, dyn)
	open := n.Open
	return func(f *Frame, target value.Value, bind bool) (bool, value.Value, error) {
		arr, ok := target.AsArray()
		if !ok || len(arr) < len(items) || !open && len(arr) != len(items) {
			return false, value.NullValue, nil
		}
		var out []value.Value
		if bind {
			out = make([]value.Value, 0, len(items))
		}
		for i, it := range items {
			if it.dontCare {
				if bind {
					out = append(out, arr[i])
				}
				continue
			}
			ok, b, err := it.m(f, arr[i], bind)
			if err != nil || !ok {
				return false, value.NullValue, err
			}
			if bind {
				out = append(out, b)
			}
		}
		if !bind {
			return true, value.NullValue, nil
		}
		return true, value.NewArray(out), nil
	}, dyn
}
