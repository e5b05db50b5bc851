package repl

import (
	"fmt"
	"strings"

	"github.com/rillstream/rill/runtime"
)

// graphText renders a query graph for reading in a terminal: the nodes in creation order with
// their kind (pruned ones marked), then the edges, one per line, as `from -> to`. A port other
// than `out` on the source or `in` on the target is written after a slash: `s/err -> err`.
func graphText(g *runtime.Graph) string {
	var b strings.Builder
	nodes := g.Nodes()
	width := 0
	for _, n := range nodes {
		width = max(width, len(n.Name))
	}
	b.WriteString("nodes:\n")
	for _, n := range nodes {
		fmt.Fprintf(&b, "  %-*s  %s", width, n.Name, n.Kind)
		if n.Pruned {
			b.WriteString(" (pruned: sees no event or reaches no output)")
		}
		b.WriteByte('\n')
	}
	b.WriteString("edges:\n")
	for _, e := range g.Edges() {
		from, to := e.From, e.To
		if e.FromPort != "out" {
			from += "/" + e.FromPort
		}
		if e.ToPort != "in" {
			to += "/" + e.ToPort
		}
		fmt.Fprintf(&b, "  %s -> %s\n", from, to)
	}
	return b.String()
}

// dotShapes are the DOT node shapes by node kind, as `rill dot` draws them.
var dotShapes = map[string]string{
	"input":    "invhouse",
	"output":   "house",
	"stream":   "ellipse",
	"select":   "box",
	"script":   "component",
	"operator": "box3d",
}

// graphDOT renders a query graph in Graphviz DOT the way `rill dot` does (cmd/rill/dot.go).
func graphDOT(g *runtime.Graph) string {
	var b strings.Builder
	b.WriteString("digraph repl {\n")
	b.WriteString("  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for _, n := range g.Nodes() {
		shape := dotShapes[n.Kind]
		if shape == "" {
			shape = "ellipse"
		}
		attrs := fmt.Sprintf("shape=%s, tooltip=%s", shape, dotID(n.Kind))
		if n.Pruned {
			attrs = fmt.Sprintf("shape=%s, style=dashed, color=gray, fontcolor=gray, tooltip=%s", shape, dotID(n.Kind+" (pruned)"))
		}
		fmt.Fprintf(&b, "  %s [%s];\n", dotID(n.Name), attrs)
	}
	for _, e := range g.Edges() {
		fmt.Fprintf(&b, "  %s -> %s", dotID(e.From), dotID(e.To))
		if e.FromPort != "out" || e.ToPort != "in" {
			fmt.Fprintf(&b, " [label=%s]", dotID(e.FromPort+" -> "+e.ToPort))
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// dotID quotes s as a DOT string ID.
func dotID(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
