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
