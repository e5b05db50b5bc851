package interp

import (
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
)

// Assignment (spec §2.5). Nested assignments copy the records along the path (see the package
// documentation), except records this run created itself and nobody else can reach (Frame.owned).

// let compiles `let path = value`; its value is the assigned value.
func (c *compiler) let(n *ast.Let, tail bool) cnode {
	val := c.exprTail(n.Value, tail)
	vf := val.fn
	t := n.Target
	if t == nil {
		return val
	}
	wide := c.siteWide(n.Pos, 2, t.Pos.To(n.Pos))
	constErr := func() cnode {
		return cnode{fn: func(f *Frame) (value.Value, error) {
			if _, err := vf(f); err != nil {
				return value.NullValue, err
			}
			return value.NullValue, wide.err("Can't assign to a constant expression", "")
		}, dyn: n}
	}
	ps := &pathSpec{}
	switch t.Root {
	case ast.RootLocal:
		name := identName(t.Name)
		ps.name = name
		ps.nameSite = c.siteAt(t.Pos, identPos(t.Name, t.Pos))
		if s, ok := c.body.shadow(name); ok {
			ps.root, ps.slot = rootSlot, s
		} else if _, ok := c.ns.consts[name]; ok {
			return constErr()
		} else {
			ps.root, ps.slot = rootSlot, c.body.local(name)
		}
	case ast.RootEvent:
		ps.root, ps.kind = rootEvent, keyEvent
	case ast.RootMeta:
		ps.root, ps.kind = rootMeta, keyGlobal
		if t.Name == nil && len(t.Segments) == 0 {
			return cnode{fn: func(f *Frame) (value.Value, error) {
				if _, err := vf(f); err != nil {
					return value.NullValue, err
				}
				return value.NullValue, wide.err("You are trying to assign to a value that isn't valid", "")
			}, dyn: n}
		}
	case ast.RootState:
		ps.root, ps.kind = rootState, keyState
	default:
		return constErr()
	}
	if c.body.fn != nil && ps.root != rootSlot {
		// Inside functions event, $ and state are null: an assignment changes a throwaway copy.
		ps.kind = keyLocal
	}
	inFn := c.body.fn != nil
	// Segments: keys, [expr] keys, and the array segments assignment rejects.
	var segs []assignSeg
	if t.Root == ast.RootMeta && t.Name != nil {
		segs = append(segs, assignSeg{key: t.Name.Name, site: c.siteAt(t.Pos, t.Name.Pos)})
	}
	for _, s := range t.Segments {
		if s == nil {
			continue
		}
		switch s.Kind {
		case ast.SegField:
			segs = append(segs, assignSeg{key: identName(s.Name), site: c.siteAt(t.Pos, identPos(s.Name, s.Pos))})
		case ast.SegIndex:
			x := c.expr(s.Index)
			as := assignSeg{site: c.siteAt(t.Pos, s.Index.Position())}
			if _, ok := x.val.AsU64(); ok && x.konst {
				as.array = true
			} else if k, ok := x.val.AsString(); ok && x.konst {
				as.key = k
			} else {
				as.index = x.fn
			}
			segs = append(segs, as)
		case ast.SegRange:
			c.expr(s.Index)
			c.expr(s.End)
			segs = append(segs, assignSeg{array: true, site: c.siteAt(t.Pos, s.Pos)})
		}
	}
	if len(segs) == 0 {
		var fn evalFn
		switch ps.root {
		case rootSlot:
			idx := ps.slot
			fn = func(f *Frame) (value.Value, error) {
				v, err := vf(f)
				if err != nil {
					return value.NullValue, err
				}
				f.locals[idx] = slot{v: v, set: true}
				return v, nil
			}
		case rootEvent, rootState:
			isEvent := ps.root == rootEvent
			fn = func(f *Frame) (value.Value, error) {
				v, err := vf(f)
				if err != nil {
					return value.NullValue, err
				}
				if inFn {
					return v, nil
				}
				if isEvent {
					*f.Event = v
				} else {
					*f.State = v
				}
				return v, nil
			}
		}
		return cnode{fn: fn, dyn: n}
	}
	fn := func(f *Frame) (value.Value, error) {
		v, err := vf(f)
		if err != nil {
			return value.NullValue, err
		}
		var root value.Value
		switch {
		case inFn:
			root = value.NullValue
		case ps.root == rootSlot:
			s := &f.locals[ps.slot]
			if !s.set {
				return value.NullValue, ps.nameSite.err("Trying to access a non existing local key `"+ps.name+"`", localHint(ps.name, nil))
			}
			root = s.v
		case ps.root == rootEvent:
			root = *f.Event
		case ps.root == rootMeta:
			root = *f.Meta
		case ps.root == rootState:
			root = *f.State
		}
		nr, err := f.assignIn(root, segs, v)
		if err != nil {
			return value.NullValue, err
		}
		switch {
		case inFn:
		case ps.root == rootSlot:
			f.locals[ps.slot].v = nr
		case ps.root == rootEvent:
			*f.Event = nr
		case ps.root == rootMeta:
			*f.Meta = nr
		case ps.root == rootState:
			*f.State = nr
		}
		return v, nil
	}
	return cnode{fn: fn, dyn: n}
}

// assignSeg is a segment of an assignment target.
type assignSeg struct {
	key   string // a static key
	index evalFn // a computed key (must be a string)
	array bool   // an index or range: arrays can not be assigned into
	site  *site
}

// keyOf returns the key of a segment.
func (s *assignSeg) keyOf(f *Frame) (string, error) {
	if s.array {
		return "", s.site.err("It is not supported to assign value into an array", "")
	}
	if s.index == nil {
		return s.key, nil
	}
	k, err := s.index(f)
	if err != nil {
		return "", err
	}
	str, ok := k.AsString()
	if !ok {
		return "", needErr(s.site, k, "string")
	}
	return str, nil
}

// assignIn sets the path segs of root to v and returns the new root. Like Tremor's assignment it
// walks segment by segment: an index or range segment fails at once, a key is computed, then the
// current value must be a record; missing intermediate records are created. Records on the path are
// copied unless this run owns them.
func (f *Frame) assignIn(root value.Value, segs []assignSeg, v value.Value) (value.Value, error) {
	var top, parent *value.Rec
	var parentKey string
	cur := root
	for i := range segs {
		s := &segs[i]
		key, err := s.keyOf(f)
		if err != nil {
			return value.NullValue, err
		}
		r, ok := cur.AsRecord()
		if !ok {
			return value.NullValue, needErr(s.site, cur, "record")
		}
		own := f.own(r)
		if parent == nil {
			top = own
		} else if own != r {
			parent.Set(parentKey, value.NewRecordValue(own))
		}
		if i == len(segs)-1 {
			own.Set(key, v)
			break
		}
		child, ok := own.Get(key)
		if !ok {
			nr := value.NewRec(1)
			f.addOwned(nr)
			child = value.NewRecordValue(nr)
			own.Set(key, child)
		}
		parent, parentKey, cur = own, key, child
	}
	if r, _ := root.AsRecord(); r == top {
		return root, nil
	}
	return value.NewRecordValue(top), nil
}

// own returns r itself when this run owns it, else a shallow copy that it owns from now on.
func (f *Frame) own(r *value.Rec) *value.Rec {
	for _, o := range f.owned {
		if o == r {
			return r
		}
	}
	c := shallowCopy(r, 2) // room for new keys: assignments tend to come in runs
	f.addOwned(c)
	return c
}

// maxOwned bounds the owned list (own scans it). Forgetting ownership is always safe: it only
// costs a copy on the next assignment.
const maxOwned = 32

func (f *Frame) addOwned(r *value.Rec) {
	if len(f.owned) >= maxOwned {
		f.owned = f.owned[:0]
	}
	f.owned = append(f.owned, r)
}

// shallowCopy copies a record's entries (not the values) with room for extra more.
func shallowCopy(r *value.Rec, extra int) *value.Rec {
	n := r.Len()
	c := value.NewRec(n + extra)
	for i := 0; i < n; i++ {
		c.Set(r.At(i))
	}
	return c
}
