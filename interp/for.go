package interp

import (
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
)

// for comprehensions (spec §2.11).

type forCase struct {
	kslot, vslot int
	guard        evalFn
	gsite        *site
	body         evalFn
	lastSite     *site // the body's last expression: fold errors underline it
}

// foldKind is what a comprehension accumulates into.
type foldKind uint8

const (
	foldArray   foldKind = iota // push into an array
	foldRecord                  // merge records key by key
	foldInvalid                 // an array or record initial with another op: "Invalid fold operation"
	foldScalar                  // acc = acc OP v
	foldAnd
	foldOr
	foldXor
)

func (c *compiler) forExpr(n *ast.For, needResult bool) cnode {
	target := c.expr(n.Target)
	nodes := []cnode{target}
	cases := make([]forCase, 0, len(n.Cases))
	for _, fc := range n.Cases {
		if fc == nil {
			continue
		}
		k := forCase{kslot: c.body.bind(identName(fc.Key)), vslot: c.body.bind(identName(fc.Value))}
		if fc.Guard != nil {
			g := c.expr(fc.Guard)
			nodes = append(nodes, g)
			k.guard = g.fn
			k.gsite = c.siteAt(n.Pos, fc.Guard.Position())
		}
		// A statement-level comprehension whose value is not needed skips a pure last expression
		// (its case collects null), like a match (spec §2.1).
		body := c.block(fc.Body, needResult, false)
		nodes = append(nodes, body)
		k.body = body.fn
		lastPos := fc.Pos
		if len(fc.Body) > 0 && fc.Body[len(fc.Body)-1] != nil {
			lastPos = fc.Body[len(fc.Body)-1].Position()
		}
		k.lastSite = c.siteAt(n.Pos, lastPos)
		c.body.unbind(2)
		cases = append(cases, k)
	}
	initial := konstNode(value.NewArray(nil))
	if n.Into != nil {
		initial = c.expr(n.Into)
		nodes = append(nodes, initial)
	}
	opName := n.FoldOp
	if opName == "" {
		opName = "+"
	}
	var bop binOp
	switch opName {
	case "and", "or", "xor":
	default:
		var ok bool
		if bop, ok = binOps[opName]; !ok {
			c.fail(n.Pos, "", "Invalid fold operation %s", opName)
		}
	}
	ifn, tfn := initial.fn, target.fn
	fn := func(f *Frame) (value.Value, error) {
		t, err := tfn(f)
		if err != nil {
			return value.NullValue, err
		}
		acc, err := ifn(f)
		if err != nil {
			return value.NullValue, err
		}
		kind := foldScalar
		switch acc.Kind() {
		case value.Array:
			kind = foldArray
			if opName != "+" {
				kind = foldInvalid
			}
		case value.Record:
			kind = foldRecord
			if opName != "+" {
				kind = foldInvalid
			}
		default:
			switch opName {
			case "and":
				kind = foldAnd
			case "or":
				kind = foldOr
			case "xor":
				kind = foldXor
			}
		}
		st := foldState{kind: kind, op: bop, opName: opName, acc: acc}
		if kind == foldArray {
			a, _ := acc.AsArray()
			st.arr = append(make([]value.Value, 0, len(a)+4), a...)
		} else if kind == foldRecord {
			r, _ := acc.AsRecord()
			st.rec = shallowCopy(r, 4)
		}
		switch t.Kind() {
		case value.Array:
			arr, _ := t.AsArray()
			for i, el := range arr {
				if err := st.step(f, cases, value.NewUint(uint64(i)), el); err != nil {
					return value.NullValue, err
				}
			}
		case value.Record:
			r, _ := t.AsRecord()
			for i := 0; i < r.Len(); i++ {
				k, v := r.At(i)
				if err := st.step(f, cases, value.NewString(k), v); err != nil {
					return value.NullValue, err
				}
			}
		}
		return st.result(), nil
	}
	return cnode{fn: fn, dyn: dynOf(nodes...)}
}

// foldState is the accumulator of one comprehension run.
type foldState struct {
	kind   foldKind
	op     binOp
	opName string
	acc    value.Value
	arr    []value.Value
	rec    *value.Rec
	done   bool // a logical fold reached its final value
}

// step runs the first applicable case for one element and folds its value in.
func (st *foldState) step(f *Frame, cases []forCase, k, v value.Value) error {
	for i := range cases {
		cs := &cases[i]
		f.locals[cs.kslot] = slot{v: k, set: true}
		f.locals[cs.vslot] = slot{v: v, set: true}
		if cs.guard != nil {
			g, err := cs.guard(f)
			if err != nil {
				return err
			}
			gb, ok := g.AsBool()
			if !ok {
				return needErr(cs.gsite, g, "bool")
			}
			if !gb {
				continue
			}
		}
		x, err := cs.body(f)
		if err != nil {
			return err
		}
		return st.add(cs.lastSite, x)
	}
	return nil
}

// add folds one collected value in.
func (st *foldState) add(s *site, x value.Value) error {
	switch st.kind {
	case foldArray:
		st.arr = append(st.arr, x)
	case foldRecord:
		r, ok := x.AsRecord()
		if !ok {
			return s.err("Type error: Expected object, found "+x.ValueTraitName(), "")
		}
		r.Range(func(k string, v value.Value) bool {
			st.rec.Set(k, v)
			return true
		})
	case foldInvalid:
		return s.err("Invalid fold operation "+st.opName, "")
	case foldAnd, foldOr, foldXor:
		if st.done {
			return nil
		}
		a, ok := st.acc.AsBool()
		if !ok {
			return s.err("The binary operation `"+st.opName+"` is not defined for the type `"+st.acc.TypeName()+"` and `<not executed>`", "")
		}
		if st.kind == foldAnd && !a || st.kind == foldOr && a {
			st.done = true
			return nil
		}
		b, ok := x.AsBool()
		if !ok {
			return s.err("The binary operation `"+st.opName+"` is not defined for the type `bool` and `"+x.TypeName()+"`", "")
		}
		if st.kind == foldXor {
			st.acc = boolValue(a != b)
		} else {
			st.acc = boolValue(b)
		}
	default:
		v, why := execNumeric(st.op, st.acc, x)
		if why != failNone {
			return s.err(binaryMessage(why, st.opName, st.acc, x), "")
		}
		st.acc = v
	}
	return nil
}

func (st *foldState) result() value.Value {
	switch st.kind {
	case foldArray:
		return value.NewArray(st.arr)
	case foldRecord:
		return value.NewRecordValue(st.rec)
	}
	return st.acc
}
