package interp

import (
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
)

// patch and merge (spec §2.9).

type patchKind uint8

const (
	pInsert patchKind = iota
	pUpsert
	pUpdate
	pErase
	pMove
	pCopy
	pMerge       // merge "k" => v
	pMergeTarget // merge => v
	pDefault     // default "k" => v
	pDefaultAll  // default => v
)

var patchKinds = map[string]patchKind{
	"insert": pInsert, "upsert": pUpsert, "update": pUpdate, "erase": pErase, "move": pMove,
	"copy": pCopy, "merge": pMerge, "default": pDefault,
}

// patchOp is a compiled patch operation.
type patchOp struct {
	kind patchKind
	key  func(*Frame) (string, error)
	to   func(*Frame) (string, error)
	val  evalFn
	site *site
}

// evaluated holds what phase 1 computed for an operation.
type evaluated struct {
	key, to string
	val     value.Value
}

func (c *compiler) patch(n *ast.Patch) cnode {
	target := c.expr(n.Target)
	nodes := []cnode{target}
	ops := make([]patchOp, 0, len(n.Ops))
	for _, o := range n.Ops {
		if o == nil {
			continue
		}
		kind, ok := patchKinds[o.Op]
		if !ok {
			c.fail(o.Pos, "", "unknown patch operation %s", o.Op)
		}
		op := patchOp{kind: kind, site: c.siteAt(n.Pos, o.Pos)}
		if o.Key != nil {
			k, kfn := c.keyString(o.Key)
			nodes = append(nodes, k)
			op.key = kfn
		} else if kind == pMerge {
			op.kind = pMergeTarget
		} else if kind == pDefault {
			op.kind = pDefaultAll
		}
		if o.To != nil {
			t, tfn := c.keyString(o.To)
			nodes = append(nodes, t)
			op.to = tfn
		}
		if o.Value != nil {
			v := c.expr(o.Value)
			nodes = append(nodes, v)
			op.val = v.fn
		}
		ops = append(ops, op)
	}
	tsite := c.siteAt(n.Pos, n.Target.Position())
	tfn := target.fn
	adds := 0 // operations that may add a key: room in the copy
	for _, op := range ops {
		switch op.kind {
		case pErase, pUpdate, pMergeTarget, pDefaultAll:
		default:
			adds++
		}
	}
	fn := func(f *Frame) (value.Value, error) {
		t, err := tfn(f)
		if err != nil {
			return value.NullValue, err
		}
		r, ok := t.AsRecord()
		if !ok {
			return value.NullValue, needErr(tsite, t, "record")
		}
		// Phase 1: keys and values against the unpatched state (default values stay lazy).
		var buf [8]evaluated
		var evs []evaluated
		if len(ops) <= len(buf) {
			evs = buf[:len(ops)]
		} else {
			evs = make([]evaluated, len(ops))
		}
		for i := range ops {
			op := &ops[i]
			if op.key != nil {
				if evs[i].key, err = op.key(f); err != nil {
					return value.NullValue, err
				}
			}
			if op.to != nil {
				if evs[i].to, err = op.to(f); err != nil {
					return value.NullValue, err
				}
			}
			if op.val != nil && op.kind != pDefault && op.kind != pDefaultAll {
				if evs[i].val, err = op.val(f); err != nil {
					return value.NullValue, err
				}
			}
		}
		// Phase 2: apply in order to a copy.
		out := shallowCopy(r, adds)
		for i := range ops {
			op, ev := &ops[i], &evs[i]
			switch op.kind {
			case pInsert:
				if _, has := out.Get(ev.key); has {
					return value.NullValue, op.site.err("The key that is supposed to be written to already exists: "+ev.key, "")
				}
				out.Set(ev.key, ev.val)
			case pUpsert:
				out.Set(ev.key, ev.val)
			case pUpdate:
				if _, has := out.Get(ev.key); !has {
					return value.NullValue, op.site.err("The key that is supposed to be updated does not exists: "+ev.key, "")
				}
				out.Set(ev.key, ev.val)
			case pErase:
				out.Remove(ev.key)
			case pMove, pCopy:
				if _, has := out.Get(ev.to); has {
					return value.NullValue, op.site.err("The key that is supposed to be written to already exists: "+ev.to, "")
				}
				v, has := out.Get(ev.key)
				if !has {
					continue
				}
				if op.kind == pMove {
					out.Remove(ev.key)
				}
				out.Set(ev.to, v)
			case pMerge:
				old, has := out.Get(ev.key)
				if !has {
					out.Set(ev.key, mergeValues(value.NewRecordValue(value.NewRec(0)), ev.val))
					continue
				}
				if old.Kind() != value.Record || ev.val.Kind() != value.Record {
					return value.NullValue, op.site.err("Merge can only be performed on keys that either do not exist or are records but the key '"+ev.key+"' has the type "+old.TypeName(), "")
				}
				out.Set(ev.key, mergeValues(old, ev.val))
			case pMergeTarget:
				vr, ok := ev.val.AsRecord()
				if !ok {
					return value.NullValue, op.site.err("Merge can only be performed on keys that either do not exist or are records but the key '<target>' has the type "+ev.val.TypeName(), "")
				}
				mergeInto(out, vr)
			case pDefault:
				if _, has := out.Get(ev.key); has {
					continue
				}
				v, err := op.val(f)
				if err != nil {
					return value.NullValue, err
				}
				out.Set(ev.key, v)
			case pDefaultAll:
				v, err := op.val(f)
				if err != nil {
					return value.NullValue, err
				}
				vr, ok := v.AsRecord()
				if !ok {
					return value.NullValue, op.site.err("Merge can only be performed on keys that either do not exist or are records but the key '<target>' has the type "+v.TypeName(), "")
				}
				defaultInto(out, vr)
			}
		}
		return value.NewRecordValue(out), nil
	}
	return cnode{fn: fn, dyn: dynOf(nodes...)}
}

// mergeValues deep-merges replacement into base (Tremor's merge_values): when both are records,
// every key of the replacement is merged recursively; otherwise the replacement wins (null
// included). The result is new; base and replacement are not changed.
func mergeValues(base, repl value.Value) value.Value {
	br, ok1 := base.AsRecord()
	rr, ok2 := repl.AsRecord()
	if !ok1 || !ok2 {
		return repl
	}
	out := shallowCopy(br, rr.Len())
	mergeInto(out, rr)
	return value.NewRecordValue(out)
}

// mergeInto deep-merges the entries of repl into out (which the caller owns).
func mergeInto(out, repl *value.Rec) {
	repl.Range(func(k string, v value.Value) bool {
		if old, has := out.Get(k); has && old.Kind() == value.Record && v.Kind() == value.Record {
			out.Set(k, mergeValues(old, v))
		} else {
			out.Set(k, v)
		}
		return true
	})
}

// defaultInto inserts the keys of def missing from out, recursing where both sides are records.
func defaultInto(out, def *value.Rec) {
	def.Range(func(k string, v value.Value) bool {
		old, has := out.Get(k)
		if !has {
			out.Set(k, v)
			return true
		}
		or, ok1 := old.AsRecord()
		dr, ok2 := v.AsRecord()
		if ok1 && ok2 {
			c := shallowCopy(or, dr.Len())
			defaultInto(c, dr)
			out.Set(k, value.NewRecordValue(c))
		}
		return true
	})
}

// merge compiles `merge target of value end`.
func (c *compiler) merge(n *ast.Merge) cnode {
	target, val := c.expr(n.Target), c.expr(n.Value)
	tsite := c.siteAt(n.Pos, n.Target.Position())
	vsite := c.siteAt(n.Pos, n.Value.Position())
	tfn, vfn := target.fn, val.fn
	fn := func(f *Frame) (value.Value, error) {
		t, err := tfn(f)
		if err != nil {
			return value.NullValue, err
		}
		v, err := vfn(f)
		if err != nil {
			return value.NullValue, err
		}
		if t.Kind() != value.Record {
			return value.NullValue, needErr(tsite, t, "record")
		}
		if v.Kind() != value.Record {
			return value.NullValue, needErr(vsite, v, "record")
		}
		return mergeValues(t, v), nil
	}
	return cnode{fn: fn, dyn: dynOf(target, val)}
}
