package runtime

import (
	"fmt"
	"strings"
)

// Port names with a meaning of their own (spec §4.4, §4.8).
const (
	portIn  = "in"
	portOut = "out"
	portErr = "err"
)

// nodeKind says what a graph node does.
type nodeKind uint8

const (
	kindInput  nodeKind = iota // a pipeline input (`in`, `in/p`): passes events on to port out
	kindOutput                 // a pipeline output (`out`, `err`, `out/p`): collects events
	kindStream                 // `create stream s`: passes events on to port out
	kindSelect                 // a select statement
	kindScript                 // `create script s`
	kindOp                     // `create operator o`: a built-in operator (spec §4.9)
)

var kindNames = [...]string{"input", "output", "stream", "select", "script", "operator"}

func (k nodeKind) String() string { return kindNames[k] }

// edge connects an output port of one node to an input port of another.
type edge struct {
	to   int    // index of the receiving node
	port string // its input port
}

// node is one vertex of a compiled graph. It is immutable once Compile returns.
type node struct {
	name    string
	kind    nodeKind
	outPort string            // kindOutput: the port its events leave the pipeline on ("out", "err", "p" for out/p)
	sel     *selectSpec       // kindSelect
	script  *scriptSpec       // kindScript
	op      *opSpec           // kindOp
	edges   map[string][]edge // by output port, in statement order
	hasIn   bool              // some edge leads into this node
	removed bool              // pruned: not reachable from an input or leading to no output
}

// Graph is a compiled query: immutable, shareable; run it through NewPipeline.
type Graph struct {
	nodes   []*node
	byName  map[string]int
	inputs  []string // input node names in creation order
	outputs []string // output node names in creation order
}

// Inputs lists the input node names (`in`, then `in/p` ports in the order selects opened them).
func (g *Graph) Inputs() []string { return append([]string(nil), g.inputs...) }

// Outputs lists the output node names (`out`, `err`, then `out/p` ones).
func (g *Graph) Outputs() []string { return append([]string(nil), g.outputs...) }

// addNode adds a node and returns its index.
func (g *Graph) addNode(n *node) int {
	n.edges = map[string][]edge{}
	g.nodes = append(g.nodes, n)
	g.byName[n.name] = len(g.nodes) - 1
	switch n.kind {
	case kindInput:
		g.inputs = append(g.inputs, n.name)
	case kindOutput:
		g.outputs = append(g.outputs, n.name)
	}
	return len(g.nodes) - 1
}

// connect adds an edge from (from, port) to (to, toPort), after the existing ones of that port.
func (g *Graph) connect(from int, port string, to int, toPort string) {
	n := g.nodes[from]
	n.edges[port] = append(n.edges[port], edge{to: to, port: toPort})
	g.nodes[to].hasIn = true
}

// prune removes, repeatedly, every node other than inputs and outputs that has no incoming or no
// outgoing edge (spec §4.10), and rejects cycles.
func (g *Graph) prune() error {
	ins := make([]int, len(g.nodes))  // live edges into each node
	outs := make([]int, len(g.nodes)) // live edges out of each node
	from := make([][]int, len(g.nodes))
	for i, n := range g.nodes {
		for _, es := range n.edges {
			for _, e := range es {
				ins[e.to]++
				outs[i]++
				from[e.to] = append(from[e.to], i)
			}
		}
	}
	var queue []int
	dead := func(i int) bool {
		n := g.nodes[i]
		return !n.removed && n.kind != kindInput && n.kind != kindOutput && (ins[i] == 0 || outs[i] == 0)
	}
	for i := range g.nodes {
		if dead(i) {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		if !dead(i) {
			continue
		}
		g.nodes[i].removed = true
		for _, es := range g.nodes[i].edges {
			for _, e := range es {
				if ins[e.to]--; dead(e.to) {
					queue = append(queue, e.to)
				}
			}
		}
		for _, j := range from[i] {
			if outs[j]--; dead(j) {
				queue = append(queue, j)
			}
		}
	}
	// Drop edges touching removed nodes, so execution never visits them.
	for _, n := range g.nodes {
		for p, es := range n.edges {
			kept := es[:0:0]
			for _, e := range es {
				if !n.removed && !g.nodes[e.to].removed {
					kept = append(kept, e)
				}
			}
			n.edges[p] = kept
		}
	}
	return g.checkCycles()
}

// checkCycles rejects a graph with a cycle (a select into a stream it reads, directly or not).
func (g *Graph) checkCycles() error {
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(g.nodes))
	var path []string
	var visit func(i int) error
	visit = func(i int) error {
		color[i] = grey
		path = append(path, g.nodes[i].name)
		for _, es := range g.nodes[i].edges {
			for _, e := range es {
				switch color[e.to] {
				case grey:
					return fmt.Errorf("the query graph has a cycle: %s -> %s", strings.Join(path, " -> "), g.nodes[e.to].name)
				case white:
					if err := visit(e.to); err != nil {
						return err
					}
				}
			}
		}
		path = path[:len(path)-1]
		color[i] = black
		return nil
	}
	for i, n := range g.nodes {
		if color[i] == white && !n.removed {
			if err := visit(i); err != nil {
				return err
			}
		}
	}
	return nil
}

// HoldsEvents reports whether a running instance of the graph may keep an event to emit it
// later (a windowed select, a generic::batch): an event that produced no output then may still
// be part of a later one. Without such nodes, an event with no output was dropped for good.
func (g *Graph) HoldsEvents() bool {
	for _, n := range g.nodes {
		if n.removed {
			continue
		}
		switch {
		case n.kind == kindSelect && n.sel != nil && n.sel.win != nil:
			return true
		case n.kind == kindOp && n.op != nil && n.op.kind == "generic::batch":
			return true
		}
	}
	return false
}
