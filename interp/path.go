package interp

import (
	"strconv"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
)

// Paths (spec §2.4): a root (event, $, state, args, group, window, a local, a const, an expression)
// and segments (.key, [expr], [a:b]).

// rootKind is where a path starts.
type rootKind uint8

const (
	rootSlot   rootKind = iota // a local or binding: f.locals[slot]
	rootEvent                  // *f.Event
	rootMeta                   // *f.Meta
	rootState                  // *f.State
	rootFnArgs                 // the variadic arguments of the running function
	rootGroup                  // f.Group
	rootWindow                 // f.Window
	rootKonst                  // a constant: a const, the inlined args, event/$/state inside functions
	rootExpr                   // an expression
)

// keyKind names the root in "Trying to access a non existing <kind> key" messages.
type keyKind uint8

const (
	keyLocal keyKind = iota
	keyEvent
	keyGlobal
	keyState
)

var keyKindNames = [...]string{"local", "event", "global", "state"}

// segKind is the kind of a compiled segment.
type segKind uint8

const (
	segKey   segKind = iota // .key or ["literal"]
	segIdx                  // [constant index]
	segIndex                // [expr]
	segRange                // [a:b]
)

// pathSeg is a compiled segment.
type pathSeg struct {
	kind  segKind
	key   string
	index evalFn // segIndex, and the start of segRange
	end   evalFn // end of segRange
	idx   uint64 // segIdx
	konst bool   // index is a constant (ival)
	ival  value.Value
	site  *site // ctx: the path; inner: the segment (the key, the index expression, the range)
	sSite *site // range start bound
	eSite *site // range end bound
}

// pathSpec is a compiled path.
type pathSpec struct {
	root     rootKind
	slot     int
	kv       value.Value // rootKonst
	base     evalFn      // rootExpr
	kind     keyKind
	name     string // rootSlot: the local's name
	nameSite *site  // unset local
	segs     []pathSeg
	keys     []string // all segments are segKey: their keys
	allKeys  bool
	owns     bool // reading may hand out a record this run owns (event, $, state, locals)
	fnNull   bool // event, $ or state inside a function: null, but not a constant
}

// frameRoots are the roots a frame holds: event, $ and state, with their key kinds.
var frameRoots = map[ast.RootKind]struct {
	kind keyKind
	root rootKind
}{ast.RootEvent: {keyEvent, rootEvent}, ast.RootMeta: {keyGlobal, rootMeta}, ast.RootState: {keyState, rootState}}

// compilePath resolves the root and compiles the segments of p.
func (c *compiler) compilePath(p *ast.Path) (*pathSpec, []cnode) {
	ps := &pathSpec{}
	var nodes []cnode
	ps.kind = keyLocal
	switch p.Root {
	case ast.RootLocal:
		name := identName(p.Name)
		ps.name = name
		ps.nameSite = c.siteAt(p.Pos, identPos(p.Name, p.Pos))
		if s, ok := c.body.shadow(name); ok {
			ps.root, ps.slot, ps.owns = rootSlot, s, true
		} else if v, ok := c.ns.consts[name]; ok {
			ps.root, ps.kv = rootKonst, v
		} else {
			ps.root, ps.slot, ps.owns = rootSlot, c.body.local(name), true
		}
	case ast.RootEvent, ast.RootMeta, ast.RootState:
		// Inside a function these roots read as null.
		fr := frameRoots[p.Root]
		ps.kind = fr.kind
		if c.body.fn != nil {
			ps.root, ps.fnNull = rootKonst, true
		} else {
			ps.root, ps.owns = fr.root, true
		}
	case ast.RootArgs:
		if c.body.fn != nil {
			ps.root = rootFnArgs
			c.body.fn.usesArgs = true
		} else {
			ps.root, ps.kv = rootKonst, c.args
		}
	case ast.RootGroup:
		ps.root = rootGroup
	case ast.RootWindow:
		ps.root = rootWindow
	case ast.RootConst:
		ps.root, ps.kv = rootKonst, c.moduleConst(p)
	case ast.RootExpr:
		b := c.expr(p.Base)
		c.body.newSlot() // Tremor keeps an expression path's base in a shadow slot
		nodes = append(nodes, b)
		if b.konst {
			ps.root, ps.kv = rootKonst, b.val
		} else {
			ps.root, ps.base = rootExpr, b.fn
		}
	}
	if p.Root == ast.RootMeta && p.Name != nil {
		ps.segs = append(ps.segs, pathSeg{kind: segKey, key: p.Name.Name, site: c.siteAt(p.Pos, p.Name.Pos)})
	}
	for _, s := range p.Segments {
		if s == nil {
			continue
		}
		var seg pathSeg
		switch s.Kind {
		case ast.SegField:
			seg.kind = segKey
			seg.key = identName(s.Name)
			seg.site = c.siteAt(p.Pos, identPos(s.Name, s.Pos))
		case ast.SegIndex:
			x := c.expr(s.Index)
			nodes = append(nodes, x)
			seg.site = c.siteAt(p.Pos, s.Index.Position())
			if k, ok := x.val.AsString(); ok && x.konst {
				seg.kind, seg.key = segKey, k // ["k"] is .k
			} else if u, ok := x.val.AsU64(); ok && x.konst {
				seg.kind, seg.idx = segIdx, u // [1] needs an array
			} else {
				seg.kind, seg.index, seg.konst, seg.ival = segIndex, x.fn, x.konst, x.val
			}
		case ast.SegRange:
			a, b := c.expr(s.Index), c.expr(s.End)
			nodes = append(nodes, a, b)
			seg.kind, seg.index, seg.end = segRange, a.fn, b.fn
			seg.site = c.siteAt(p.Pos, s.Index.Position().To(s.End.Position()))
			seg.sSite = c.siteAt(p.Pos, s.Index.Position())
			seg.eSite = c.siteAt(p.Pos, s.End.Position())
		}
		ps.segs = append(ps.segs, seg)
	}
	ps.allKeys = true
	for _, s := range ps.segs {
		if s.kind != segKey {
			ps.allKeys = false
			break
		}
		ps.keys = append(ps.keys, s.key)
	}
	return ps, nodes
}

func identName(id *ast.Ident) string {
	if id == nil {
		return ""
	}
	return id.Name
}

func identPos(id *ast.Ident, fallback ast.Pos) ast.Pos {
	if id == nil || !id.Pos.IsValid() {
		return fallback
	}
	return id.Pos
}

// rootValue reads the root of a path; ok=false for an unset local.
func (ps *pathSpec) rootValue(f *Frame) (value.Value, error) {
	switch ps.root {
	case rootSlot:
		s := &f.locals[ps.slot]
		if !s.set {
			return value.NullValue, ps.nameSite.err("Trying to access a non existing local key `"+ps.name+"`", localHint(ps.name, nil))
		}
		return s.v, nil
	case rootEvent:
		return *f.Event, nil
	case rootMeta:
		return *f.Meta, nil
	case rootState:
		return *f.State, nil
	case rootFnArgs:
		return f.fnArgs, nil
	case rootGroup:
		return f.Group, nil
	case rootWindow:
		return f.Window, nil
	case rootKonst:
		return ps.kv, nil
	case rootExpr:
		return ps.base(f)
	}
	return value.NullValue, nil
}

// path compiles a path read.
func (c *compiler) path(p *ast.Path) cnode {
	ps, nodes := c.compilePath(p)
	var dyn ast.Node
	switch {
	case ps.fnNull:
		dyn = p
	case ps.root == rootKonst:
		dyn = dynOf(nodes...)
	case ps.root == rootExpr:
		dyn = dynOf(nodes...)
	case ps.root == rootSlot:
		// A binding set inside a constant expression (match x = ...) is static there; locals are not.
		if _, ok := c.body.shadow(ps.name); !ok {
			dyn = p
		} else if d := dynOf(nodes...); d != nil {
			dyn = d
		}
	default:
		dyn = p
	}
	fn := ps.reader()
	if ps.root == rootKonst && !ps.fnNull && allKonst(nodes) {
		return c.fold(cnode{fn: fn, dyn: dyn}, nodes...)
	}
	return cnode{fn: fn, dyn: dyn}
}

// reader returns the closure reading the path. Reading a container from a root that may hold
// records this run owns gives up that ownership (the record is now shared).
func (ps *pathSpec) reader() evalFn {
	if ps.allKeys {
		keys := ps.keys
		switch ps.root {
		case rootEvent:
			if len(keys) == 0 {
				return func(f *Frame) (value.Value, error) {
					f.owned = f.owned[:0]
					return *f.Event, nil
				}
			}
			if len(keys) == 2 {
				k0, k1 := keys[0], keys[1]
				return func(f *Frame) (value.Value, error) {
					r, ok := f.Event.AsRecord()
					if !ok {
						return ps.keyFail(0, *f.Event)
					}
					v, ok := r.Get(k0)
					if !ok {
						return ps.keyFail(0, *f.Event)
					}
					if r, ok = v.AsRecord(); !ok {
						return ps.keyFail(1, v)
					}
					x, ok := r.Get(k1)
					if !ok {
						return ps.keyFail(1, v)
					}
					if x.Kind() >= value.Array {
						f.owned = f.owned[:0]
					}
					return x, nil
				}
			}
			if len(keys) == 1 {
				k0 := keys[0]
				return func(f *Frame) (value.Value, error) {
					r, ok := f.Event.AsRecord()
					if !ok {
						return ps.keyFail(0, *f.Event)
					}
					v, ok := r.Get(k0)
					if !ok {
						return ps.keyFail(0, *f.Event)
					}
					if v.Kind() >= value.Array {
						f.owned = f.owned[:0]
					}
					return v, nil
				}
			}
			return func(f *Frame) (value.Value, error) {
				v := *f.Event
				for i, k := range keys {
					r, ok := v.AsRecord()
					if !ok {
						return ps.keyFail(i, v)
					}
					x, ok := r.Get(k)
					if !ok {
						return ps.keyFail(i, v)
					}
					v = x
				}
				if v.Kind() >= value.Array {
					f.owned = f.owned[:0]
				}
				return v, nil
			}
		case rootSlot:
			slot := ps.slot
			return func(f *Frame) (value.Value, error) {
				s := &f.locals[slot]
				if !s.set {
					return ps.rootValue(f)
				}
				v := s.v
				for i, k := range keys {
					r, ok := v.AsRecord()
					if !ok {
						return ps.keyFail(i, v)
					}
					x, ok := r.Get(k)
					if !ok {
						return ps.keyFail(i, v)
					}
					v = x
				}
				if v.Kind() >= value.Array {
					f.owned = f.owned[:0]
				}
				return v, nil
			}
		}
		owns := ps.owns
		return func(f *Frame) (value.Value, error) {
			v, err := ps.rootValue(f)
			if err != nil {
				return value.NullValue, err
			}
			for i, k := range keys {
				r, ok := v.AsRecord()
				if !ok {
					return ps.keyFail(i, v)
				}
				x, ok := r.Get(k)
				if !ok {
					return ps.keyFail(i, v)
				}
				v = x
			}
			if owns && v.Kind() >= value.Array {
				f.owned = f.owned[:0]
			}
			return v, nil
		}
	}
	owns := ps.owns
	return func(f *Frame) (value.Value, error) {
		v, err := ps.rootValue(f)
		if err != nil {
			return value.NullValue, err
		}
		v, err = ps.walk(f, v, 0)
		if err != nil {
			return value.NullValue, err
		}
		if owns && v.Kind() >= value.Array {
			f.owned = f.owned[:0]
		}
		return v, nil
	}
}

// keyFail builds the error of key segment i applied to v.
func (ps *pathSpec) keyFail(i int, v value.Value) (value.Value, error) {
	seg := &ps.segs[i]
	r, ok := v.AsRecord()
	if !ok {
		return value.NullValue, needErr(seg.site, v, "record")
	}
	return value.NullValue, ps.missingKey(seg.site, seg.key, r)
}

// missingKey builds "Trying to access a non existing … key `k`" with its hint.
func (ps *pathSpec) missingKey(s *site, key string, r *value.Rec) error {
	msg := "Trying to access a non existing " + keyKindNames[ps.kind] + " key `" + key + "`"
	hint := ""
	switch ps.kind {
	case keyEvent, keyGlobal:
		hint = bestHint(key, r.Keys())
	case keyLocal:
		hint = localHint(key, r.Keys())
	}
	return s.err(msg, hint)
}

// needErr is "Conflicting types, got T but expected U".
func needErr(s *site, got value.Value, want string) error {
	hint := ""
	if got.Kind() == value.Float && want == "integer" {
		hint = "You can use math::trunc() and related functions to ensure numbers are integers."
	}
	return s.err("Conflicting types, got "+got.TypeName()+" but expected "+want, hint)
}

// walk applies the segments from index i on to v.
func (ps *pathSpec) walk(f *Frame, v value.Value, i int) (value.Value, error) {
	for ; i < len(ps.segs); i++ {
		seg := &ps.segs[i]
		switch seg.kind {
		case segKey:
			r, ok := v.AsRecord()
			if !ok {
				return value.NullValue, needErr(seg.site, v, "record")
			}
			x, ok := r.Get(seg.key)
			if !ok {
				return value.NullValue, ps.missingKey(seg.site, seg.key, r)
			}
			v = x
		case segIdx:
			arr, ok := v.AsArray()
			if !ok {
				return value.NullValue, needErr(seg.site, v, "array")
			}
			if seg.idx >= uint64(len(arr)) {
				return value.NullValue, seg.site.err("Array index out of bounds, got index "+strconv.FormatUint(seg.idx, 10)+" but expected an index in the range 0:"+strconv.Itoa(len(arr)), "")
			}
			v = arr[seg.idx]
		case segIndex:
			idx := seg.ival
			if !seg.konst {
				var err error
				if idx, err = seg.index(f); err != nil {
					return value.NullValue, err
				}
			}
			x, err := ps.element(seg, v, idx)
			if err != nil {
				return value.NullValue, err
			}
			v = x
		case segRange:
			arr, ok := v.AsArray()
			if !ok {
				return value.NullValue, needErr(seg.site, v, "array")
			}
			a, err := rangeBound(f, seg.index, seg.sSite, len(arr))
			if err != nil {
				return value.NullValue, err
			}
			b, err := rangeBound(f, seg.end, seg.eSite, len(arr))
			if err != nil {
				return value.NullValue, err
			}
			if b < a {
				return value.NullValue, seg.site.err("A range's end cannot be smaller than its start, "+strconv.FormatUint(a, 10)+":"+strconv.FormatUint(b, 10)+" is invalid", "")
			}
			if b > uint64(len(arr)) {
				return value.NullValue, seg.site.err("Array index out of bounds, got index range "+strconv.FormatUint(a, 10)+":"+strconv.FormatUint(b, 10)+" but expected a subrange of 0:"+strconv.Itoa(len(arr)), "")
			}
			v = value.NewArray(arr[a:b:b])
		}
	}
	return v, nil
}

// element applies `[idx]` to v.
func (ps *pathSpec) element(seg *pathSeg, v, idx value.Value) (value.Value, error) {
	switch v.Kind() {
	case value.Record:
		r, _ := v.AsRecord()
		k, ok := idx.AsString()
		if !ok {
			return value.NullValue, needErr(seg.site, idx, "string")
		}
		x, ok := r.Get(k)
		if !ok {
			return value.NullValue, ps.missingKey(seg.site, k, r)
		}
		return x, nil
	case value.Array:
		arr, _ := v.AsArray()
		if u, ok := idx.AsU64(); ok {
			if u >= uint64(len(arr)) {
				return value.NullValue, seg.site.err("Array index out of bounds, got index "+strconv.FormatUint(u, 10)+" but expected an index in the range 0:"+strconv.Itoa(len(arr)), "")
			}
			return arr[u], nil
		}
		if idx.IsInteger() {
			return value.NullValue, seg.site.err("Bad array index, got `"+value.Encode(idx)+"` but expected an index in the range 0:"+strconv.Itoa(len(arr)), "")
		}
		return value.NullValue, needErr(seg.site, idx, "integer")
	}
	if idx.Kind() == value.String {
		return value.NullValue, needErr(seg.site, v, "record")
	}
	return value.NullValue, needErr(seg.site, v, "array")
}

// rangeBound evaluates a bound of `[a:b]` as an array index.
func rangeBound(f *Frame, fn evalFn, s *site, n int) (uint64, error) {
	v, err := fn(f)
	if err != nil {
		return 0, err
	}
	if u, ok := v.AsU64(); ok {
		return u, nil
	}
	if v.IsInteger() {
		return 0, s.err("Bad array index, got `"+value.Encode(v)+"` but expected an index in the range 0:"+strconv.Itoa(n), "")
	}
	return 0, needErr(s, v, "integer")
}

// ---- present ----

// present compiles `present path` / `absent path`: missing keys, indexes out of range and
// non-containers give false; only bad index types and decreasing ranges are errors.
func (c *compiler) present(n *ast.Present) cnode {
	if n.Path == nil {
		return konstNode(boolValue(n.Absent))
	}
	ps, nodes := c.compilePath(n.Path)
	absent := n.Absent
	fn := func(f *Frame) (value.Value, error) {
		ok, err := ps.isPresent(f)
		if err != nil {
			return value.NullValue, err
		}
		return boolValue(ok != absent), nil
	}
	dyn := ast.Node(n)
	if ps.root == rootKonst && !ps.fnNull {
		dyn = dynOf(nodes...)
	}
	return cnode{fn: fn, dyn: dyn}
}

func (ps *pathSpec) isPresent(f *Frame) (bool, error) {
	if ps.root == rootSlot && !f.locals[ps.slot].set {
		return false, nil
	}
	v, err := ps.rootValue(f)
	if err != nil {
		return false, err
	}
	for i := range ps.segs {
		seg := &ps.segs[i]
		switch seg.kind {
		case segKey:
			r, ok := v.AsRecord()
			if !ok {
				return false, nil
			}
			if v, ok = r.Get(seg.key); !ok {
				return false, nil
			}
		case segIdx:
			arr, ok := v.AsArray()
			if !ok || seg.idx >= uint64(len(arr)) {
				return false, nil
			}
			v = arr[seg.idx]
		case segIndex:
			idx := seg.ival
			if !seg.konst {
				if idx, err = seg.index(f); err != nil {
					return false, err
				}
			}
			switch v.Kind() {
			case value.Record:
				r, _ := v.AsRecord()
				k, ok := idx.AsString()
				if !ok {
					return false, needErr(seg.site, idx, "string")
				}
				if v, ok = r.Get(k); !ok {
					return false, nil
				}
			case value.Array:
				arr, _ := v.AsArray()
				u, ok := idx.AsU64()
				if !ok {
					if idx.IsInteger() {
						return false, nil
					}
					return false, needErr(seg.site, idx, "integer")
				}
				if u >= uint64(len(arr)) {
					return false, nil
				}
				v = arr[u]
			default:
				return false, nil
			}
		case segRange:
			arr, ok := v.AsArray()
			if !ok {
				return false, nil
			}
			a, err := rangeBound(f, seg.index, seg.sSite, len(arr))
			if err != nil {
				return false, err
			}
			b, err := rangeBound(f, seg.end, seg.eSite, len(arr))
			if err != nil {
				return false, err
			}
			if b < a {
				return false, seg.site.err("A range's end cannot be smaller than its start, "+strconv.FormatUint(a, 10)+":"+strconv.FormatUint(b, 10)+" is invalid", "")
			}
			if b > uint64(len(arr)) {
				return false, nil
			}
			v = value.NewArray(arr[a:b:b])
		}
	}
	return true, nil
}
