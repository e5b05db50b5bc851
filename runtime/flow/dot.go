package flow

import (
	"fmt"
	"strings"

	"github.com/rillstream/rill/runtime"
)

// DOT renders the deployment in Graphviz DOT, named title: one cluster per deployed flow, its
// peers (ellipses labelled "name (type)", sources filled) and pipelines (boxes) as nodes, and one
// edge per connect, labelled "FROM_PORT -> TO_PORT" unless it goes from out to in. A pipeline's
// own operator graph is what `rill dot` shows for a query.
func (d *Deployment) DOT(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", runtime.DOTQuote(title))
	b.WriteString("  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for i, fl := range d.Flows {
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s;\n    style=rounded;\n", runtime.DOTQuote(fmt.Sprintf("cluster_%d", i)), runtime.DOTQuote("flow "+fl.Name))
		for _, p := range fl.Peers {
			style := ""
			if p.Spec.Source {
				style = ", style=filled, fillcolor=\"#e8f0fe\""
			}
			fmt.Fprintf(&b, "    %s [label=%s, shape=ellipse%s];\n", runtime.DOTQuote(fl.Name+"/peer/"+p.Name), runtime.DOTQuote(p.Name+"\n("+p.Spec.Name+")"), style)
		}
		for _, p := range fl.Pipelines {
			fmt.Fprintf(&b, "    %s [label=%s, shape=box3d];\n", runtime.DOTQuote(fl.Name+"/pipeline/"+p.Name), runtime.DOTQuote(p.Name))
		}
		for _, l := range fl.Links {
			fmt.Fprintf(&b, "    %s -> %s", runtime.DOTQuote(endpointNode(fl.Name, l.From)), runtime.DOTQuote(endpointNode(fl.Name, l.To)))
			if l.From.Port != "out" || l.To.Port != "in" {
				fmt.Fprintf(&b, " [label=%s]", runtime.DOTQuote(l.From.Port+" -> "+l.To.Port))
			}
			b.WriteString(";\n")
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func endpointNode(flow string, e Endpoint) string {
	if e.Peer != nil {
		return flow + "/peer/" + e.Peer.Name
	}
	return flow + "/pipeline/" + e.Pipeline.Name
}
