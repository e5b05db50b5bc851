package runtime

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
	"github.com/rillstream/rill/stdlib/aggr"
)

// windowSpec is a compiled tumbling window definition (spec §4.6).
//
// Legacy windows (`define tumbling window w with interval = I, count = N end`) may set both a
// count and an interval: the window then emits on whichever comes first. A count emission
// includes the event and restarts the interval at the event's time; an interval emission does not
// include the event, which becomes the first counted event of the new window.
type windowSpec struct {
	name      string
	isCount   bool
	isTime    bool
	isState   bool
	size      uint64
	interval  uint64
	maxGroups uint64 // 0: unlimited
	script    *interp.Program
	scriptErr string          // size/interval: the last statement is not a pure expression
	state     value.Value     // state windows: the initial state
	tick      *interp.Program // state windows: the `script from tick`, or nil (tick.go)
	// onStreamEnd is what a group does once every stream that contributed to it ended
	// (peers.md §3): "emit" (flush the partial window, then evict), "discard" or "keep".
	onStreamEnd string
}

// aggrSite is one aggregate call of a windowed select's target or having.
type aggrSite struct {
	pos          ast.Pos
	module, name string
	args         []*interp.Program
	eventArg     bool // win::collect_flattened(): the event is the argument
}

// windowedSpec is the windowed part of a select (spec §4.4 variant 3).
type windowedSpec struct {
	windows   []*windowSpec
	sites     []*aggrSite
	maxGroups uint64 // 0: unlimited
}

// defineWindow records a window definition for later selects.
func (c *compiler) defineWindow(n *ast.DefineWindow) {
	if n == nil || n.Name == nil {
		return
	}
	if c.windows == nil {
		c.windows = map[string]*ast.DefineWindow{}
	}
	c.windows[n.Name.Name] = n
}

// compileWindow builds the window a select refers to.
func (c *compiler) compileWindow(ref *ast.WindowRef) (*windowSpec, error) {
	d, src := c.windows[ref.Name.Name], c.src
	if len(ref.Module) > 0 {
		var err error
		if d, src, err = c.moduleWindow(ref); err != nil {
			return nil, err
		}
	}
	if d == nil {
		return nil, &compileError{ref.Pos, fmt.Sprintf("The window `%s` is not defined", ref.Name.Name)}
	}
	if d.Kind == "sliding" {
		return nil, &compileError{d.Pos, "Sliding windows are not yet implemented"}
	}
	w := &windowSpec{name: ref.Name.Name, onStreamEnd: "emit"}
	for _, a := range d.With {
		if a == nil || a.Name == nil {
			continue
		}
		v, err := c.evalConst(a.Value, src, c.args)
		if err != nil {
			return nil, err
		}
		if a.Name.Name == "on_stream_end" {
			s, _ := v.AsString()
			switch s {
			case "emit", "discard", "keep":
				w.onStreamEnd = s
			default:
				return nil, &compileError{a.Value.Position(), fmt.Sprintf("on_stream_end must be \"emit\", \"discard\" or \"keep\", not %s", value.Encode(v))}
			}
			continue
		}
		u, ok := v.AsU64()
		if !ok || v.Kind() == value.Float {
			continue
		}
		switch a.Name.Name {
		case "size":
			w.isCount, w.size = true, u
		case "count":
			if d.Legacy {
				w.isCount, w.size = true, u
			}
		case "interval":
			w.isTime, w.interval = true, u
		case "max_groups":
			w.maxGroups = u
		}
	}
	w.isState = d.State != nil
	n := 0
	for _, b := range []bool{w.isCount, w.isTime, w.isState} {
		if b {
			n++
		}
	}
	legacyBoth := d.Legacy && w.isCount && w.isTime && !w.isState
	switch {
	case n > 1 && !legacyBoth:
		return nil, &compileError{d.Pos, "Bad window configuration, only one of `size`, `interval`, or `state` is allowed."}
	case n == 0:
		return nil, &compileError{d.Pos, "Bad window configuration, either `size`, `interval`, or `state` is required."}
	}
	if d.Tick != nil && d.Script == nil && w.isState {
		return nil, &compileError{d.Pos, "Script is required for `state` type windows"}
	}
	if w.isState {
		if d.Script == nil {
			return nil, &compileError{d.Pos, "Script is required for `state` type windows"}
		}
		var err error
		if w.state, err = c.evalConst(d.State, src, nil); err != nil {
			return nil, err
		}
		if w.script, err = interp.CompileBody(d.Script, src, c.env, interp.BodyOptions{Dir: c.dir}); err != nil {
			return nil, err
		}
		if d.Tick != nil {
			if w.tick, err = interp.CompileBody(d.Tick, src, c.env, interp.BodyOptions{Dir: c.dir}); err != nil {
				return nil, err
			}
		}
		return w, nil
	}
	if d.Script != nil && len(d.Script.Items) > 0 {
		// Only the last statement runs, and it must be a pure expression (spec §4.7).
		var items []ast.Stmt
		for _, it := range d.Script.Items {
			if u, ok := it.(*ast.Use); ok {
				items = append(items, u)
			}
		}
		last := d.Script.Items[len(d.Script.Items)-1]
		es, ok := last.(*ast.ExprStmt)
		if !ok || !pureWindowExpr(es.Expr) {
			w.scriptErr = "Not an imutable expression"
			return w, nil
		}
		items = append(items, es)
		var err error
		w.script, err = interp.CompileBody(&ast.Script{Pos: d.Script.Pos, Items: items}, src, c.env, interp.BodyOptions{Dir: c.dir})
		if err != nil {
			return nil, err
		}
	}
	return w, nil
}

// moduleWindow finds `define window name` in the module a query alias names (`from in[m::w]`
// after `use a::m;`); it returns the definition and the module's source.
func (c *compiler) moduleWindow(ref *ast.WindowRef) (*ast.DefineWindow, string, error) {
	st, src, err := c.moduleDef(ref.Pos, ref.Module, "windows", func(st ast.Stmt) bool {
		d, ok := st.(*ast.DefineWindow)
		return ok && d.Name != nil && d.Name.Name == ref.Name.Name
	})
	if err != nil {
		return nil, "", err
	}
	if st == nil {
		return nil, "", &compileError{ref.Pos, fmt.Sprintf("The window `%s::%s` is not defined", strings.Join(ref.Module, "::"), ref.Name.Name)}
	}
	return st.(*ast.DefineWindow), src, nil
}

// pureWindowExpr reports whether a window script's last statement is an immutable expression.
func pureWindowExpr(e ast.Expr) bool {
	switch n := e.(type) {
	case *ast.Let, *ast.Match, *ast.For, *ast.Emit, *ast.Drop:
		return false
	case *ast.Path:
		return !(n.Root == ast.RootEvent && len(n.Segments) == 0)
	}
	return e != nil
}

// compileWindowedSelect compiles a select reading windows: aggregate calls in target and having
// become reads of `state[i]`, where the emission binds state to the frame's aggregate results;
// in the target, sub-expressions equal to a group-by expression read `group[i]` (spec §4.4).
func (c *compiler) compileWindowedSelect(n *ast.Select) (*selectSpec, error) {
	s := &selectSpec{stmt: n, src: c.src, win: &windowedSpec{}}
	for _, ref := range n.Windows {
		w, err := c.compileWindow(ref)
		if err != nil {
			return nil, err
		}
		if w.maxGroups > 0 && (s.win.maxGroups == 0 || w.maxGroups < s.win.maxGroups) {
			s.win.maxGroups = w.maxGroups
		}
		s.win.windows = append(s.win.windows, w)
	}
	var groupExprs []ast.Expr
	var flatten func(g ast.GroupBy)
	flatten = func(g ast.GroupBy) {
		switch x := g.(type) {
		case *ast.GroupExpr:
			groupExprs = append(groupExprs, x.Expr)
		case *ast.GroupEach:
			groupExprs = append(groupExprs, nil)
		case *ast.GroupSet:
			for _, it := range x.Items {
				flatten(it)
			}
		}
	}
	if n.GroupBy != nil {
		flatten(n.GroupBy)
	}
	var failed error
	var replace func(withGroups bool) func(ast.Expr) ast.Expr
	replace = func(withGroups bool) func(ast.Expr) ast.Expr {
		return func(e ast.Expr) ast.Expr {
			if failed != nil {
				return nil
			}
			if p, ok := e.(*ast.Path); ok && p.Root == ast.RootState {
				// `state` is null in selects; the aggregate results take its place below.
				np := *p
				np.Root, np.Base = ast.RootExpr, &ast.Literal{Pos: p.Pos, Kind: ast.NullLit}
				np.Segments = nil
				for _, sg := range p.Segments {
					np.Segments = append(np.Segments, copyValue(reflect.ValueOf(sg), replace(withGroups)).Interface().(*ast.Segment))
				}
				return &np
			}
			if call, ok := e.(*ast.Call); ok {
				if site := aggrCall(call); site != nil {
					for _, a := range call.Args {
						p, err := c.compileExpr(a)
						if err != nil {
							failed = err
							return nil
						}
						site.args = append(site.args, p)
					}
					s.win.sites = append(s.win.sites, site)
					return indexPath(call.Pos, ast.RootState, len(s.win.sites)-1)
				}
			}
			if withGroups {
				if _, lit := e.(*ast.Literal); !lit {
					for i, g := range groupExprs {
						if g != nil && ast.Equal(e, g) {
							return indexPath(e.Position(), ast.RootGroup, i)
						}
					}
				}
			}
			return nil
		}
	}
	target := rewriteExpr(n.Target, replace(true))
	var having ast.Expr
	if n.Having != nil {
		having = rewriteExpr(n.Having, replace(false))
	}
	if failed != nil {
		return nil, failed
	}
	var err error
	if s.target, err = c.compileExpr(target); err != nil {
		return nil, err
	}
	if err := c.compileClauses(s, n, having); err != nil {
		return nil, err
	}
	return s, nil
}

// aggrCall recognises an aggregate call: aggr::m::f, or the legacy win::f / stats::f.
func aggrCall(call *ast.Call) *aggrSite {
	if call.Name == nil {
		return nil
	}
	var mod string
	switch {
	case len(call.Module) == 2 && call.Module[0] == "aggr":
		mod = call.Module[1]
	case len(call.Module) == 1 && (call.Module[0] == "win" || call.Module[0] == "stats"):
		mod = call.Module[0]
	default:
		return nil
	}
	if _, ok := aggr.New(mod, call.Name.Name); !ok {
		return nil
	}
	return &aggrSite{pos: call.Pos, module: mod, name: call.Name.Name,
		eventArg: mod == "win" && call.Name.Name == "collect_flattened" && len(call.Args) == 0}
}

// indexPath is `root[i]`.
func indexPath(pos ast.Pos, root ast.RootKind, i int) ast.Expr {
	return &ast.Path{Pos: pos, Root: root, Segments: []*ast.Segment{{Pos: pos, Kind: ast.SegIndex,
		Index: &ast.Literal{Pos: pos, Kind: ast.IntLit, Int: uint64(i), Text: fmt.Sprint(i)}}}}
}

var exprType = reflect.TypeFor[ast.Expr]()

// rewriteExpr returns a deep copy of e in which every expression fn replaces (non-nil result) is
// swapped; replaced expressions are not descended into.
func rewriteExpr(e ast.Expr, fn func(ast.Expr) ast.Expr) ast.Expr {
	if e == nil {
		return nil
	}
	if r := fn(e); r != nil {
		return r
	}
	return copyValue(reflect.ValueOf(e), fn).Interface().(ast.Expr)
}

func copyValue(v reflect.Value, fn func(ast.Expr) ast.Expr) reflect.Value {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		if v.Type() == exprType {
			out.Set(reflect.ValueOf(rewriteExpr(v.Interface().(ast.Expr), fn)))
			return out
		}
		out.Set(copyValue(v.Elem(), fn))
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		if v.Type().Implements(exprType) {
			if r := fn(v.Interface().(ast.Expr)); r != nil && reflect.TypeOf(r) == v.Type() {
				return reflect.ValueOf(r)
			}
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(copyValue(v.Elem(), fn))
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v)
		for i := range v.NumField() {
			if n.Field(i).CanSet() {
				n.Field(i).Set(copyValue(v.Field(i), fn))
			}
		}
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(copyValue(v.Index(i), fn))
		}
		return n
	}
	return v
}

// ---- running ----

// IDRange is a tracked id range of an aggregated event: the events of one (peer, stream) that
// went into it have sequence numbers in [Min, Max] (Tremor tracks min/max per stream, spec §6).
type IDRange struct {
	Peer, Stream uint64
	Min, Max     uint64
}

// trackID adds one id to a range list.
func trackID(rs []IDRange, id EventID) []IDRange {
	for i := range rs {
		if rs[i].Peer == id.Peer && rs[i].Stream == id.Stream {
			rs[i].Min = min(rs[i].Min, id.Seq)
			rs[i].Max = max(rs[i].Max, id.Seq)
			return rs
		}
	}
	return append(rs, IDRange{Peer: id.Peer, Stream: id.Stream, Min: id.Seq, Max: id.Seq})
}

// trackRanges adds a range list to another.
func trackRanges(rs, other []IDRange) []IDRange {
	for _, o := range other {
		rs = trackID(rs, EventID{Peer: o.Peer, Stream: o.Stream, Seq: o.Min})
		rs = trackID(rs, EventID{Peer: o.Peer, Stream: o.Stream, Seq: o.Max})
	}
	return rs
}

// winRun is the state of one window of one frame (spec §4.6); counters survive emissions.
type winRun struct {
	count   uint64
	next    uint64
	started bool
	state   value.Value
}

// frame is one tilt frame of a group: its window and its aggregates.
type frame struct {
	win     winRun
	aggs    []aggr.Aggregate
	hasData bool
	ids     []IDRange // ids of the events in the frame
}

// groupWin is a stored group: its `group` value and its tilt-frame chain.
type groupWin struct {
	group  value.Value
	frames []frame
	// streams are the (peer, stream) pairs with a stream id that contributed to the group since
	// it was stored; when the last of them ends the window's on_stream_end applies (stream_end.go).
	streams map[[2]uint64]struct{}
}

// windowedOp is the windowed part of a running select.
type windowedOp struct {
	spec    *windowedSpec
	sites   [][]*exprRun // per site, per argument
	args    []value.Value
	scripts []*interp.Frame // per window: the frame its script runs on
	ticks   []*interp.Frame // per window: the frame its tick script runs on (tick.go)
	names   []value.Value   // per window: what `window` reads
	nextID  uint64          // sequence number of the next emitted event
	stored  map[string]*groupWin
	event   value.Value
	meta    value.Value
	state   value.Value
}

func newWindowedOp(op *selectOp) *windowedOp {
	s := op.spec.win
	w := &windowedOp{spec: s, stored: map[string]*groupWin{}}
	for _, site := range s.sites {
		runs := make([]*exprRun, len(site.args))
		for i, p := range site.args {
			runs[i] = newExprRun(p, &op.ctx)
		}
		w.sites = append(w.sites, runs)
	}
	for _, ws := range s.windows {
		var fr *interp.Frame
		if ws.script != nil {
			fr = ws.script.NewFrame()
			fr.Ctx = &op.ctx
		}
		w.scripts = append(w.scripts, fr)
		w.names = append(w.names, value.NewString(ws.name))
	}
	return w
}

func (w *windowedOp) newGroup(gv value.Value) *groupWin {
	g := &groupWin{group: gv, frames: make([]frame, len(w.spec.windows))}
	for i, ws := range w.spec.windows {
		g.frames[i].win.state = ws.state
		g.frames[i].aggs = make([]aggr.Aggregate, len(w.spec.sites))
		for j, site := range w.spec.sites {
			g.frames[i].aggs[j], _ = aggr.New(site.module, site.name)
		}
	}
	return g
}

// onWindowed runs a windowed select for one event that passed `where` (spec §4.4 variant 3).
func (op *selectOp) onWindowed(ev *Event, out []emitted) ([]emitted, error) {
	if op.win == nil {
		op.win = newWindowedOp(op)
	}
	if op.spec.group == nil {
		return op.groupEvent(nullKey, nil, ev, out)
	}
	groups, err := op.generate(op.spec.group, nil, ev)
	if err != nil {
		return out, err
	}
	for _, g := range groups {
		if out, err = op.groupEvent(value.EncodeSorted(value.NewArray(g)), g, ev, out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// nullKey is the key of the only group of a windowed select without group by.
const nullKey = "[null]"

// groupEvent feeds the event to one group's tilt-frame chain, creating, storing and removing the
// group as spec §4.5 says; g is the group's values (nil: the `[null]` group).
func (op *selectOp) groupEvent(key string, g []value.Value, ev *Event, out []emitted) ([]emitted, error) {
	w := op.win
	op.ctx.card = uint64(len(w.stored))
	gw, known := w.stored[key]
	if !known {
		gv := defaultGroup
		if g != nil {
			vals := make([]value.Value, len(g), len(g)+1)
			copy(vals, g)
			gv = value.NewArray(append(vals, value.NewString(key)))
		}
		gw = w.newGroup(gv)
	}
	out, removable, err := op.frameEvent(gw, 0, ev, out)
	if err != nil {
		return out, err
	}
	switch {
	case known && removable:
		delete(w.stored, key)
	case !known && !removable:
		if max := w.spec.maxGroups; max > 0 && uint64(len(w.stored)) >= max {
			mark := op.spec.stmt.Pos
			if op.spec.stmt.GroupBy != nil {
				mark = op.spec.stmt.GroupBy.Position()
			}
			return out, &QueryError{Pos: mark, Msg: fmt.Sprintf("Maxmimum amount of groups reached (%d). Ignoring group [%d]", max, len(w.stored)+1),
				src: op.spec.src, ctx: op.spec.stmt.Pos, mark: mark}
		}
		w.stored[key] = gw
	}
	if known || !removable {
		gw.noteStreams(ev)
	}
	return out, nil
}

// frameEvent is GroupWindow::on_event for frame k of a group (spec §4.6).
func (op *selectOp) frameEvent(g *groupWin, k int, ev *Event, out []emitted) ([]emitted, bool, error) {
	f := &g.frames[k]
	include, emit, err := op.windowAction(k, &f.win, g, ev)
	if err != nil {
		return out, false, err
	}
	canRemove := true
	if include {
		if err := op.include(g, k, ev); err != nil {
			return out, false, err
		}
	}
	if emit {
		if f.hasData {
			if out, err = op.emitFrame(f, g, k, ev, out); err != nil {
				return out, false, err
			}
		}
		if k+1 < len(g.frames) {
			var r bool
			if out, r, err = op.frameEvent(g, k+1, ev, out); err != nil {
				return out, false, err
			}
			canRemove = canRemove && r
		}
		for _, a := range f.aggs {
			a.Reset()
		}
		f.hasData = false
		f.ids = f.ids[:0]
	}
	if !include {
		if err := op.include(g, k, ev); err != nil {
			return out, false, err
		}
	}
	return out, include && canRemove, nil
}

// include puts the event into frame k: frame 1 accumulates it, a later frame merges the previous
// frame's aggregates if that frame held data.
func (op *selectOp) include(g *groupWin, k int, ev *Event) error {
	f := &g.frames[k]
	if k == 0 {
		return op.accumulate(f, g, ev)
	}
	prev := &g.frames[k-1]
	if prev.hasData {
		for i := range f.aggs {
			f.aggs[i].Merge(prev.aggs[i])
		}
		f.ids = trackRanges(f.ids, prev.ids)
		f.hasData = true
	}
	return nil
}

// accumulate folds the event into frame 1's aggregates.
func (op *selectOp) accumulate(f *frame, g *groupWin, ev *Event) error {
	w := op.win
	for i, site := range w.spec.sites {
		args := w.args[:0]
		if site.eventArg {
			args = append(args, ev.Value)
		}
		for _, r := range w.sites[i] {
			v, err := r.runWith(ev.Value, ev.Meta, value.NullValue, g.group, value.NullValue)
			if err != nil {
				return err
			}
			args = append(args, v)
		}
		w.args = args
		if err := f.aggs[i].Accumulate(args); err != nil {
			return &QueryError{Pos: site.pos, Msg: err.Error(), src: op.spec.src, ctx: op.spec.stmt.Pos, mark: site.pos}
		}
	}
	f.hasData = true
	f.ids = trackID(f.ids, ev.ID)
	return nil
}

// emitFrame evaluates target and having over a frame's aggregates and appends the output.
func (op *selectOp) emitFrame(f *frame, g *groupWin, k int, ev *Event, out []emitted) ([]emitted, error) {
	w := op.win
	vals := make([]value.Value, len(f.aggs))
	for i, a := range f.aggs {
		if ee, ok := a.(aggr.EmitErrer); ok {
			v, err := ee.EmitErr()
			if err != nil {
				return out, err
			}
			vals[i] = v
		} else {
			vals[i] = a.Emit()
		}
	}
	st := value.NewArray(vals)
	win := w.names[k]
	res, err := op.target.runWith(ev.Value, ev.Meta, st, g.group, win)
	if err != nil {
		return out, err
	}
	if op.having != nil {
		v, err := op.having.runWith(res, ev.Meta, st, g.group, win)
		if err != nil {
			return out, err
		}
		b, ok := v.AsBool()
		if !ok {
			return out, op.notBool(op.spec.stmt.Having, v)
		}
		if !b {
			return out, nil
		}
	}
	o := *ev
	o.Value = res
	// A fresh id (Tremor's per-operator id generator: stream 0, counting from 0) that tracks the
	// events of the frame and the triggering event.
	o.ID = EventID{Peer: ev.ID.Peer, Seq: w.nextID}
	w.nextID++
	o.Tracked = trackID(append([]IDRange(nil), f.ids...), ev.ID)
	return append(out, emitted{port: portOut, ev: &o}), nil
}

// runWith evaluates the expression with every root bound.
func (r *exprRun) runWith(ev, meta, state, group, window value.Value) (value.Value, error) {
	r.event, r.meta, r.state = ev, meta, state
	r.fr.Event, r.fr.Meta, r.fr.State = &r.event, &r.meta, &r.state
	r.fr.Group, r.fr.Window = group, window
	res, err := r.prog.Run(r.fr)
	if err != nil {
		return value.NullValue, err
	}
	return res.Value, nil
}

// windowAction is the window's on_event: whether the event is included in the closing window
// and whether the window emits (spec §4.6).
func (op *selectOp) windowAction(k int, wr *winRun, g *groupWin, ev *Event) (include, emit bool, err error) {
	w := op.win
	ws := w.spec.windows[k]
	if ws.isState {
		return op.stateAction(k, wr, ev)
	}
	var data uint64
	hasData := false
	if ws.scriptErr != "" {
		return false, false, errors.New(ws.scriptErr)
	}
	if ws.script != nil {
		fr := w.scripts[k]
		w.event, w.meta, w.state = ev.Value, ev.Meta, value.NullValue
		fr.Event, fr.Meta, fr.State = &w.event, &w.meta, &w.state
		fr.Group, fr.Window = value.NullValue, value.NullValue
		res, err := ws.script.Run(fr)
		if err != nil {
			return false, false, err
		}
		u, ok := res.Value.AsU64()
		if !ok || res.Value.Kind() == value.Float {
			return false, false, errors.New("Data based window didn't provide a valid value")
		}
		data, hasData = u, true
	}
	if ws.isTime {
		t := ev.IngestNs
		if hasData && !ws.isCount {
			t = data
		}
		if !wr.started {
			wr.started = true
			wr.next = t + ws.interval
		} else if wr.next <= t {
			wr.next = t + ws.interval
			if ws.isCount {
				wr.count = 1
			}
			return false, true, nil
		}
		if !ws.isCount {
			return false, false, nil
		}
	}
	inc := uint64(1)
	if hasData {
		inc = data
	}
	wr.count += inc
	if wr.count >= ws.size {
		wr.count -= ws.size
		if ws.isTime {
			wr.next = ev.IngestNs + ws.interval
		}
		return true, true, nil
	}
	return false, false, nil
}

// stateAction runs a state window's script (spec §4.6).
func (op *selectOp) stateAction(k int, wr *winRun, ev *Event) (include, emit bool, err error) {
	w := op.win
	ws := w.spec.windows[k]
	fr := w.scripts[k]
	w.event, w.meta = ev.Value, ev.Meta
	fr.Event, fr.Meta, fr.State = &w.event, &w.meta, &wr.state
	fr.Group, fr.Window = value.NullValue, value.NullValue
	res, err := ws.script.Run(fr)
	if err != nil {
		return false, false, err
	}
	return stateReply(res, w.event)
}

// stateReply turns a state window script's result into its actions; ev is what `event` read at
// the end of the run (the reply of `emit event`).
func stateReply(res interp.Result, ev value.Value) (include, emit bool, err error) {
	v := res.Value
	switch res.Kind {
	case interp.Drop:
		return false, false, errors.New("State based window didn't provide a boolean return")
	case interp.EmitEvent:
		v = ev
	}
	if b, ok := v.AsBool(); ok {
		return b, b, nil
	}
	if arr, ok := v.AsArray(); ok {
		allBool := true
		for _, x := range arr {
			if _, ok := x.AsBool(); !ok {
				allBool = false
			}
		}
		if allBool {
			if len(arr) != 2 {
				return false, false, errors.New("An array as return value needs to be a two-element array of booleans with the form `[emit, include]`")
			}
			e, _ := arr[0].AsBool()
			i, _ := arr[1].AsBool()
			return i, e, nil
		}
	}
	return false, false, errors.New("Window returned `" + strings.TrimSpace(value.Encode(v)) + "` this can't be used as a window reply")
}
