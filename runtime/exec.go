package runtime

import (
	"fmt"
	"runtime/debug"
	"sort"
	"sync/atomic"
)

// Output is an event that left the pipeline.
type Output struct {
	Port  string // the port it leaves on: "out", "err", or p for an output `out/p`
	Node  string // the output node: "out", "err", "out/p"
	Event *Event
}

// emitted is an event an operator sends on one of its output ports.
type emitted struct {
	port string
	ev   *Event
}

// operator is the running instance of a node; it owns its mutable state.
type operator interface {
	onEvent(port string, ev *Event, out []emitted) ([]emitted, error)
}

// passthrough forwards every event to port out (inputs and streams).
type passthrough struct{}

func (passthrough) onEvent(_ string, ev *Event, out []emitted) ([]emitted, error) {
	return append(out, emitted{port: portOut, ev: ev}), nil
}

// task is a pending delivery on the execution stack.
type task struct {
	node int
	port string
	ev   *Event
}

// Pipeline is one running instance of a Graph: it owns the state of its operators and must be used
// by one goroutine at a time.
type Pipeline struct {
	g      *Graph
	ops    []operator
	stack  []task
	buf    []emitted
	counts []NodeCounts // per node, read concurrently by metrics (Counts)
}

// NodeCounts counts the events a node of a running pipeline took and emitted (peers.md §1,
// "per operator" metrics). They are atomics: a metrics reader may load them from another
// goroutine while the pipeline runs.
type NodeCounts struct {
	Name  string        // the node's name ("in", "select_1", "p::enrich", "out")
	Kind  string        // "input", "output", "select", "script", "operator", "stream"
	In    atomic.Uint64 // events delivered to the node
	Out   atomic.Uint64 // events it emitted on ports other than err
	Err   atomic.Uint64 // events it emitted on its err port
	Ports []PortCount   // events it emitted per output port that is connected, in port order
}

// PortCount counts the events a node emitted on one output port.
type PortCount struct {
	Port string
	N    atomic.Uint64
}

// Counts returns the pipeline's per-node counters, in node order; safe to call from any goroutine.
func (p *Pipeline) Counts() []NodeCounts { return p.counts }

// NewPipeline returns a fresh instance of g (script states at their initial values).
func NewPipeline(g *Graph) *Pipeline {
	p := &Pipeline{g: g, ops: make([]operator, len(g.nodes)), counts: make([]NodeCounts, len(g.nodes))}
	for i, n := range g.nodes {
		p.counts[i].Name, p.counts[i].Kind = n.name, n.kind.String()
		ports := make([]string, 0, len(n.edges))
		for port := range n.edges {
			ports = append(ports, port)
		}
		sort.Strings(ports)
		p.counts[i].Ports = make([]PortCount, len(ports))
		for j, port := range ports {
			p.counts[i].Ports[j].Port = port
		}
		switch n.kind {
		case kindInput, kindStream:
			p.ops[i] = passthrough{}
		case kindSelect:
			p.ops[i] = newSelectOp(n.sel)
		case kindScript:
			p.ops[i] = newScriptOp(n.script)
		case kindOp:
			p.ops[i] = newOperator(n.op)
		}
	}
	return p
}

// Enqueue runs one event that arrives on the input node named input ("in", "in/p") through the
// graph and returns the outputs it produced (spec §4.10).
//
// Execution is Tremor's LIFO stack: a node's emitted events are pushed in emission order, for each
// one its downstream connections in statement order; outputs are collected as they are popped and
// reversed at the end, so they come out in depth-first pre-order. A select-level error aborts the
// event: the stack is cleared and the outputs collected so far are returned unreversed (raw push
// order) together with the error. Later events are processed normally.
func (p *Pipeline) Enqueue(input string, ev *Event) (outs []Output, err error) {
	idx, ok := p.g.byName[input]
	if !ok || p.g.nodes[idx].kind != kindInput {
		return nil, fmt.Errorf("the pipeline has no input `%s`", input)
	}
	defer func() {
		if r := recover(); r != nil {
			p.stack = p.stack[:0]
			err = fmt.Errorf("internal error in the pipeline: %v\n%s", r, debug.Stack())
		}
	}()
	p.stack = append(p.stack[:0], task{node: idx, port: portIn, ev: ev})
	return p.drain(nil)
}

// drain runs the tasks on the stack until it is empty, appending the outputs to outs; see Enqueue
// for the order and the error behaviour.
func (p *Pipeline) drain(outs []Output) ([]Output, error) {
	start := len(outs)
	for len(p.stack) > 0 {
		t := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		n := p.g.nodes[t.node]
		c := &p.counts[t.node]
		c.In.Add(1)
		if n.kind == kindOutput {
			outs = append(outs, Output{Port: n.outPort, Node: n.name, Event: t.ev})
			continue
		}
		emits, err := p.ops[t.node].onEvent(t.port, t.ev, p.buf[:0])
		p.buf = emits
		if err != nil {
			p.stack = p.stack[:0]
			return outs, err
		}
		for _, e := range emits {
			if e.port == portErr {
				c.Err.Add(1)
			} else {
				c.Out.Add(1)
			}
			for j := range c.Ports { // a handful of ports: a scan beats a map
				if c.Ports[j].Port == e.port {
					c.Ports[j].N.Add(1)
					break
				}
			}
			for _, to := range n.edges[e.port] {
				p.stack = append(p.stack, task{node: to.to, port: to.port, ev: e.ev})
			}
		}
	}
	for i, j := start, len(outs)-1; i < j; i, j = i+1, j-1 {
		outs[i], outs[j] = outs[j], outs[i]
	}
	return outs, nil
}
