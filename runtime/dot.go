package runtime

import (
	"fmt"
	"sort"
	"strings"
)

// GraphNode describes one node of a compiled graph, for tools such as `rill dot`.
type GraphNode struct {
	Name   string // as in the source: in, out, err, streams, scripts, operators, select_N; nodes of a created pipeline are prefixed "p::"
	Kind   string // "input", "output", "stream", "select", "script" or "operator"
	Pruned bool   // removed because it is not reachable from an input or leads to no output (spec §4.10)
}

// GraphEdge connects the output port FromPort of node From to the input port ToPort of node To.
type GraphEdge struct {
	From, FromPort string
	To, ToPort     string
}

// Nodes lists the nodes of the graph in creation order, pruned ones included.
func (g *Graph) Nodes() []GraphNode {
	out := make([]GraphNode, len(g.nodes))
	for i, n := range g.nodes {
		out[i] = GraphNode{Name: n.name, Kind: n.kind.String(), Pruned: n.removed}
	}
	return out
}

// Edges lists the live edges of the graph: by source node in creation order, then by output port
// ("out" first, the others sorted), then in statement order.
func (g *Graph) Edges() []GraphEdge {
	var out []GraphEdge
	for _, n := range g.nodes {
		ports := make([]string, 0, len(n.edges))
		for p := range n.edges {
			ports = append(ports, p)
		}
		sort.Slice(ports, func(i, j int) bool {
			if (ports[i] == portOut) != (ports[j] == portOut) {
				return ports[i] == portOut
			}
			return ports[i] < ports[j]
		})
		for _, p := range ports {
			for _, e := range n.edges[p] {
				out = append(out, GraphEdge{From: n.name, FromPort: p, To: g.nodes[e.to].name, ToPort: e.port})
			}
		}
	}
	return out
}

// dotShapes are the node shapes by kind.
var dotShapes = map[string]string{
	"input":    "invhouse",
	"output":   "house",
	"stream":   "ellipse",
	"select":   "box",
	"script":   "component",
	"operator": "box3d",
}

// DOT renders the graph in Graphviz DOT, named title: one node per graph node shaped by kind
// (pruned nodes dashed and grey), edges labelled with their ports unless they go out -> in.
func (g *Graph) DOT(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", DOTQuote(title))
	b.WriteString("  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for _, n := range g.Nodes() {
		shape := dotShapes[n.Kind]
		if shape == "" {
			shape = "ellipse"
		}
		attrs := fmt.Sprintf("shape=%s, tooltip=%s", shape, DOTQuote(n.Kind))
		if n.Pruned {
			attrs = fmt.Sprintf("shape=%s, style=dashed, color=gray, fontcolor=gray, tooltip=%s", shape, DOTQuote(n.Kind+" (pruned)"))
		}
		fmt.Fprintf(&b, "  %s [%s];\n", DOTQuote(n.Name), attrs)
	}
	for _, e := range g.Edges() {
		fmt.Fprintf(&b, "  %s -> %s", DOTQuote(e.From), DOTQuote(e.To))
		if e.FromPort != "out" || e.ToPort != "in" {
			fmt.Fprintf(&b, " [label=%s]", DOTQuote(e.FromPort+" -> "+e.ToPort))
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// DOTQuote quotes s as a Graphviz DOT string ID.
func DOTQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
