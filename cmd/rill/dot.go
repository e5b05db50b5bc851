package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
)

func init() {
	register(&command{
		name:    "dot",
		summary: "print a query's operator graph or a deployment's flows in Graphviz DOT (or SVG)",
		usage: `Usage: rill dot [--svg] [--path DIR:DIR] FILE.trickle|FILE.troy

Compiles a trickle query and prints its operator graph in Graphviz DOT on standard output: one
node per graph node, named as in the source: the inputs (in, in/p), the outputs (out, err,
out/p), streams, created scripts and operators, select_N for the selects (numbered from 0
in source order), and the nodes of created pipelines prefixed with the instance name
(t1::in, t1::select_0). Node shapes show the kind: inputs and outputs are houses, selects boxes, scripts components, operators 3-d boxes,
streams ellipses. Nodes pruned because they can not see an event or reach an output are
dashed and gray. An edge leaving another port than out, or entering another port than in, is
labelled "FROM_PORT -> TO_PORT".

For a deployment (a file with ` + "`deploy flow`" + `), it draws each deployed flow as a cluster:
its peers as ellipses labelled with their type (sources filled), its pipelines as boxes, and one
edge per connect.

--svg pipes the DOT through Graphviz (dot -Tsvg) and prints the SVG instead; it fails (exit
status 1) when the dot command is not installed. Compile errors are printed like ` + "`rill check`" + `
prints them (exit status 1); queries using features not implemented yet exit with status 2.

Examples:
  rill dot testdata/queries/pipeline_args_ports/query.trickle
  rill dot query.trickle | dot -Tpng > graph.png
  rill dot --svg query.trickle > graph.svg
  rill dot --svg testdata/examples/http_enrich.troy > flows.svg
`,
		run: runDot,
	})
}

func runDot(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	svg := fs.Bool("svg", false, "print SVG rendered by Graphviz's dot instead of DOT")
	path := fs.String("path", "", "module search `dirs`, colon-separated")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprint(stderr, "rill dot: expected one query or deployment file\n\nUsage: rill dot [--svg] [--path DIR:DIR] FILE.trickle|FILE.troy\n")
		return 2
	}
	name := fs.Arg(0)
	title := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	var src string
	if isFlowFile(name) {
		dep, ok := compileFlow(name, modulePath(*path), nil, io.Discard, io.Discard, stderr)
		if !ok {
			return 1
		}
		src = dep.DOT(title)
	} else {
		if ext := strings.ToLower(filepath.Ext(name)); ext == ".tremor" {
			fmt.Fprintf(stderr, "rill dot: %s: a script has no graph; give a query (.trickle) or a deployment (.troy)\n", name)
			return 2
		}
		g, code := compileQuery(name, modulePath(*path), stderr)
		if g == nil {
			return code
		}
		src = g.DOT(title)
	}
	if !*svg {
		io.WriteString(stdout, src)
		return 0
	}
	bin, err := exec.LookPath("dot")
	if err != nil {
		fmt.Fprint(stderr, "rill dot: --svg needs Graphviz's `dot` command, which is not installed (not found in PATH); install graphviz or drop --svg and render the DOT elsewhere\n")
		return 1
	}
	var errBuf bytes.Buffer
	cmd := exec.Command(bin, "-Tsvg")
	cmd.Stdin = strings.NewReader(src)
	cmd.Stdout = stdout
	cmd.Stderr = &errBuf
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			fmt.Fprintf(stderr, "rill dot: dot -Tsvg failed: %s\n", strings.TrimSpace(errBuf.String()))
		} else {
			fmt.Fprintf(stderr, "rill dot: %v\n", err)
		}
		return 1
	}
	return 0
}
