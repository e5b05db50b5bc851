package runtime

import (
	"errors"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
)

// scriptSpec is a compiled `create script` (spec §4.3, §4.8): the main body, the named port scripts
// and the initial state, with `args` already inlined. Immutable.
type scriptSpec struct {
	name  string
	main  *interp.Program
	ports map[string]*interp.Program
	state value.Value // the folded `state` expression, or null
}

// scriptOp is a running script operator: one state shared by the main and port scripts.
type scriptOp struct {
	spec        *scriptSpec
	ctx         eventCtx
	state       value.Value
	event, meta value.Value              // what the frames point at during a run
	frames      map[string]*interp.Frame // by input port
}

func newScriptOp(s *scriptSpec) *scriptOp {
	return &scriptOp{spec: s, state: s.state, frames: map[string]*interp.Frame{}}
}

// errorEvent returns the value of an error event: {"error": msg, "event": v}, keys in that order.
func errorEvent(msg string, v value.Value) value.Value {
	rec := value.NewRec(2)
	rec.Set("error", value.NewString(msg))
	rec.Set("event", v)
	return value.NewRecordValue(rec)
}

// onEvent runs the script of the port the event arrived on. Runtime errors never escape: they
// become an event on port err (spec §4.8).
func (op *scriptOp) onEvent(port string, ev *Event, out []emitted) ([]emitted, error) {
	prog := op.spec.main
	if port != portIn {
		prog = op.spec.ports[port]
	}
	if prog == nil {
		o := *ev
		o.Value = errorEvent("unknown port: `"+port+"`", ev.Value)
		return append(out, emitted{port: portErr, ev: &o}), nil
	}
	fr := op.frames[port]
	if fr == nil {
		fr = prog.NewFrame()
		fr.Ctx = &op.ctx
		op.frames[port] = fr
	}
	op.ctx.ev = ev
	op.event, op.meta = ev.Value, ev.Meta
	fr.Event, fr.Meta, fr.State = &op.event, &op.meta, &op.state
	fr.Group, fr.Window = value.NullValue, value.NullValue
	res, err := prog.Run(fr)
	o := *ev
	o.Meta = op.meta
	if err != nil {
		o.Value = errorEvent(renderError(err), op.event)
		return append(out, emitted{port: portErr, ev: &o}), nil
	}
	switch res.Kind {
	case interp.Drop:
		return out, nil
	case interp.EmitEvent:
		o.Value = op.event
	default:
		o.Value = res.Value
	}
	p := res.Port
	if p == "" {
		p = portOut
	}
	return append(out, emitted{port: p, ev: &o}), nil
}

// renderError is the Tremor rendering of an error (spec §5); message-only errors read "Error: msg".
func renderError(err error) string {
	var ie *interp.Error
	if errors.As(err, &ie) {
		return ie.Error()
	}
	return "Error: " + err.Error()
}
