package lang_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rillstream/rill/lang"
)

// fakeEnv is a small world for the checker tests: a handful of registry functions, aggregates,
// operators and standard library modules served from memory.
type fakeEnv struct{}

var fakeFuncs = map[string]lang.FuncInfo{
	"string::len":            {MinArity: 1, MaxArity: 1},
	"string::format":         {MinArity: 1, MaxArity: -1},
	"string::lowercase":      {MinArity: 1, MaxArity: 1},
	"::source_id":            {MinArity: 0, MaxArity: 0, Legacy: true},
	"tremor::source_id":      {MinArity: 0, MaxArity: 0, Legacy: true},
	"datetime::with_seconds": {MinArity: 1, MaxArity: 1, Legacy: true},
	"win::cardinality":       {MinArity: 0, MaxArity: 0},
}

var fakeAggrs = map[string]lang.FuncInfo{
	"stats::count":           {MinArity: 0, MaxArity: 0},
	"stats::sum":             {MinArity: 1, MaxArity: 1},
	"win::collect_flattened": {MinArity: 0, MaxArity: 1},
	"win::first":             {MinArity: 1, MaxArity: 1},
}

var fakeStd = map[string]string{
	"std.tremor":            "use std::string;\nuse std::time;\n",
	"std/string.tremor":     "intrinsic fn len(s) as string::len;\nintrinsic fn format(fmt, ...) as string::format;\nintrinsic fn lowercase(s) as string::lowercase;",
	"std/win.tremor":        "intrinsic fn cardinality() as win::cardinality;",
	"std/time.tremor":       "use std::time::nanos;",
	"std/time/nanos.tremor": "const NANOS_PER_SECOND = 1000000000;\nfn from_seconds(n) with n * NANOS_PER_SECOND end;",
}

func (fakeEnv) Func(module, name string) (lang.FuncInfo, bool) {
	fi, ok := fakeFuncs[module+"::"+name]
	return fi, ok
}

func (fakeEnv) Aggregate(module, name string) (lang.FuncInfo, bool) {
	fi, ok := fakeAggrs[module+"::"+name]
	return fi, ok
}

func (fakeEnv) Operator(module, kind string) bool {
	return module+"::"+kind == "generic::counter" || module+"::"+kind == "generic::batch"
}

func (fakeEnv) StdModule(path []string) (string, string, bool) {
	name := strings.Join(path, "/") + ".tremor"
	src, ok := fakeStd[name]
	return "std:" + name, src, ok
}

// noFiles is a ReadFile that finds nothing, so table tests never touch the disk.
func noFiles(string) ([]byte, error) { return nil, fs.ErrNotExist }

// checkSrc parses and checks src as the file name says; parse errors fail the test.
func checkSrc(t *testing.T, name, src string, opts lang.CheckOptions) (lang.Diagnostics, map[string]string) {
	t.Helper()
	f, err := lang.Parse(name, src)
	if err != nil {
		t.Fatalf("parse error: %v\n--- source:\n%s", err, src)
	}
	if opts.Env == nil {
		opts.Env = fakeEnv{}
	}
	if opts.ReadFile == nil {
		opts.ReadFile = noFiles
	}
	return lang.Check(f, opts)
}

func dump(ds lang.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %d:%d: %s", d.Pos.Line, d.Pos.Col, d.Msg)
		if d.Hint != "" {
			fmt.Fprintf(&b, " (hint: %s)", d.Hint)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

type checkCase struct {
	name string
	file string // "q.trickle" when empty
	src  string
	msg  string // expected fragment of the message
	at   string // line:col
	n    int    // expected number of diagnostics (default 1)
}

func runCheckCases(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "q.trickle"
			}
			ds, _ := checkSrc(t, file, tc.src, lang.CheckOptions{})
			want := tc.n
			if want == 0 {
				want = 1
			}
			found := false
			for _, d := range ds {
				if strings.Contains(d.Msg, tc.msg) && fmt.Sprintf("%d:%d", d.Pos.Line, d.Pos.Col) == tc.at {
					found = true
					if d.Pos.File != file {
						t.Errorf("diagnostic file = %q, want %q", d.Pos.File, file)
					}
				}
			}
			if !found || len(ds) != want {
				t.Errorf("want %d diagnostic(s) including %q at %s, got:\n%s--- source:\n%s", want, tc.msg, tc.at, dump(ds), tc.src)
			}
		})
	}
}

func TestCheckQueryDefinitions(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "duplicate window", src: "define window w from tumbling with size = 1 end;\ndefine window w from tumbling with size = 2 end;\nselect event from in into out;",
			msg: "Can't define the window `w` twice", at: "2:1"},
		{name: "duplicate script", src: "define script s script event end;\ndefine script s script event end;",
			msg: "Can't define the script `s` twice", at: "2:1"},
		{name: "duplicate operator", src: "define operator o from generic::counter;\ndefine operator o from generic::counter;",
			msg: "Can't define the operator `o` twice", at: "2:1"},
		{name: "duplicate pipeline", src: "define pipeline p pipeline select event from in into out; end;\ndefine pipeline p pipeline select event from in into out; end;",
			msg: "Can't define the pipeline `p` twice", at: "2:1"},
		{name: "duplicate flow", src: "define flow f flow define peer a from stdio; end;\ndefine flow f flow define peer a from stdio; end;",
			msg: "Can't define the flow `f` twice", at: "2:1"},
		{name: "duplicate peer", src: "define peer a from stdio;\ndefine connector a from stdio;",
			msg: "Can't define the connector `a` twice", at: "2:1"},
		{name: "unknown operator kind", src: "define operator o from generic::nope;",
			msg: "Unknown operator: generic::nope", at: "1:24"},
		{name: "create undefined script", src: "create script s;",
			msg: "The script `s` is not defined", at: "1:15"},
		{name: "create undefined operator", src: "create operator o from nope;",
			msg: "operator `nope` is not defined", at: "1:24"},
		{name: "create undefined pipeline", src: "create pipeline p;",
			msg: "Unknown pipeline `p`", at: "1:17"},
		{name: "create from unknown module", src: "create script s from lib::x;",
			msg: "The script `lib::x` is not defined", at: "1:22"},
		{name: "script unknown argument", src: "define script s args a = 1 script event end;\ncreate script s with b = 2 end;",
			msg: "Unknown argument: b (not declared by script `s`)", at: "2:22"},
		{name: "script missing argument", src: "define script s args a script event end;\ncreate script s;",
			msg: "Missing required argument: a (script `s` declares it without a default)", at: "2:1"},
		{name: "operator unknown argument", src: "define operator o from generic::batch args n = 1 with count = args.n end;\ncreate operator x from o with size = 2 end;",
			msg: "Unknown argument: size (not declared by operator `o`)", at: "2:31"},
		{name: "operator missing argument", src: "define operator o from generic::batch args n with count = args.n end;\ncreate operator x from o;",
			msg: "Missing required argument: n (operator `o`", at: "2:1"},
		{name: "operator with unknown args path", src: "define operator o from generic::batch args n = 1 with count = args.m end;",
			msg: "Unknown argument: m (not declared by operator `o`)", at: "1:68"},
		{name: "pipeline unknown argument", src: "define pipeline p args a = 1 pipeline select event from in into out; end;\ncreate pipeline p with b = 1 end;",
			msg: "Unknown argument: b (not declared by pipeline `p`)", at: "2:24"},
		{name: "create name in use", src: "define script s script event end;\ncreate script s;\ncreate script s;",
			msg: "Name `s` is already in use for another node", at: "3:1"},
		{name: "create named like an input", src: "define script s script event end;\ncreate script in from s;",
			msg: "Name `in` is already in use for another node", at: "2:1"},
		{name: "stream twice", src: "create stream s;\ncreate stream s;",
			msg: "Can't define the stream `s` twice", at: "2:1"},
		{name: "stream named like a port", src: "create stream out;",
			msg: "Streams cannot share names with from/into ports", at: "1:1"},
		{name: "pipeline stream named like a port", src: "define pipeline p from a into b pipeline create stream b; select event from a into b; end;",
			msg: "Streams cannot share names with from/into ports", at: "1:42"},
		{name: "with value not constant", src: "define script s args a = 1 script event end;\ncreate script s with a = event.x end;",
			msg: "The expression isn't constant", at: "2:26"},
		{name: "top-level create args not constant", src: "define script s args a = 1 script event end;\ncreate script s with a = args.x end;",
			msg: "The expression isn't constant", at: "2:26"},
		{name: "arg default not constant", src: "define script s args a = state script event end;",
			msg: "The expression isn't constant", at: "1:26"},
		{name: "define script args path", src: "define script s args a = 1 script args.b end;",
			msg: "Unknown argument: b (not declared by script `s`)", at: "1:40"},
		{name: "define script port args path", src: "define script s script from ctl args[\"x\"] script event end;",
			msg: "Unknown argument: x (not declared by script `s`)", at: "1:38"},
		{name: "define script state args path", src: "define script s args a = 1 state {\"n\": args.z} script event end;",
			msg: "Unknown argument: z", at: "1:45"},
		{name: "script body own scope", src: "use std::string;\ndefine script s script string::len(event) end;",
			msg: "Call to undefined function string::len", at: "2:24"},
		{name: "select after create only", src: "select event from in into s;\ndefine script s script event end;\ncreate script s;",
			msg: "Stream used in `from` or `into` is not defined: s/in", at: "1:27"},
		{name: "create peer outside flow", src: "define peer a from stdio;\ncreate peer a;",
			msg: "`create peer` is not allowed at the top level", at: "2:1"},
		{name: "connect outside flow", src: "connect /peer/a to /pipeline/b;",
			msg: "`connect` is not allowed at the top level", at: "1:1"},
	})
}

func TestCheckSelect(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "from unknown", src: "select event from nope into out;",
			msg: "Stream used in `from` or `into` is not defined: nope/out", at: "1:19"},
		{name: "into unknown", src: "select event from in into nope/p;",
			msg: "Stream used in `from` or `into` is not defined: nope/p", at: "1:27"},
		{name: "from an output", src: "select event from out into err;",
			msg: "not defined: out/out", at: "1:19"},
		{name: "config from override", src: "#!config from = \"a, b\"\nselect event from b into out;\nselect event from in into out;",
			msg: "not defined: in/out", at: "3:19"},
		{name: "config into override", src: "#!config into = \"x\"\nselect event from in into x;\nselect event from in into err;",
			msg: "not defined: err/in", at: "3:27"},
		{name: "created pipeline output ports", src: "define pipeline p into a pipeline select event from in into a; end;\ncreate pipeline p;\nselect event from in into p;\nselect event from p/a into out;\nselect event from p into out;",
			msg: "not defined: p/out", at: "5:19"},
		{name: "created pipeline input ports", src: "define pipeline p from x pipeline select event from x into out; end;\ncreate pipeline p;\nselect event from in into p/x;\nselect event from in into p;",
			msg: "not defined: p/in", at: "4:27"},
		{name: "pipeline body ports", src: "define pipeline p from input pipeline select event from in into out; end;",
			msg: "not defined: in/out", at: "1:57"},
		{name: "unknown window", src: "select aggr::stats::count() from in[nope] into out;",
			msg: "window `nope` is not defined", at: "1:37"},
		{name: "unknown module window", src: "select aggr::stats::count() from in[m::w] into out;",
			msg: "window `m::w` is not defined", at: "1:37"},
		{name: "pipeline body fresh scope", src: "define window w from tumbling with size = 2 end;\ndefine pipeline p pipeline select aggr::stats::count() from in[w] into out; end;",
			msg: "window `w` is not defined", at: "2:64"},
		{name: "locals in select", src: "select x from in into out;",
			msg: "Local variables are not allowed here", at: "1:8"},
		{name: "locals in where", src: "select event from in where y > 1 into out;",
			msg: "Local variables are not allowed here", at: "1:28"},
		{name: "locals in group by", src: "select event from in group by z into out;",
			msg: "Local variables are not allowed here", at: "1:31"},
		{name: "aggregate without window", src: "select aggr::stats::count() from in into out;",
			msg: "aggregate functions are only allowed in the target and having of a select with windows", at: "1:8"},
		{name: "aggregate in where", src: "define window w from tumbling with size = 2 end;\nselect aggr::stats::count() from in[w] where aggr::stats::count() > 1 into out;",
			msg: "aggregate functions are only allowed", at: "2:46"},
		{name: "aggregate in script", file: "s.tremor", src: "aggr::stats::count()",
			msg: "aggregate functions are only allowed", at: "1:1"},
		{name: "aggregate arity", src: "define window w from tumbling with size = 2 end;\nselect aggr::stats::count(1) from in[w] into out;",
			msg: "Bad arity for function stats::count/0..=0 but was called with 1 arguments", at: "2:8"},
		{name: "legacy aggregate arity", src: "define window w from tumbling with size = 2 end;\nselect win::collect_flattened(1, 2) from in[w] into out;",
			msg: "Bad arity for function win::collect_flattened/0..=1 but was called with 2 arguments", at: "2:8"},
		{name: "nested aggregate", src: "define window w from tumbling with size = 2 end;\nselect aggr::stats::sum(aggr::stats::count()) from in[w] into out;",
			msg: "can not be nested", at: "2:25"},
		{name: "unknown aggregate", src: "define window w from tumbling with size = 2 end;\nselect aggr::stats::nope() from in[w] into out;",
			msg: "Call to undefined function aggr::stats::nope", at: "2:8"},
		{name: "event in windowed target", src: "define window w from tumbling with size = 2 end;\nselect {\"a\": event.a, \"n\": aggr::stats::count()} from in[w] into out;",
			msg: "References to `event` or `$` are not allowed in this context", at: "2:14"},
		{name: "meta in windowed target", src: "define window w from tumbling with size = 2 end;\nselect [$x, aggr::stats::count()] from in[w] group by event.x into out;",
			msg: "References to `event` or `$` are not allowed", at: "2:9"},
		{name: "args in top-level select", src: "select args.x from in into out;",
			msg: "Unknown argument: x (the top-level query declares no arguments)", at: "1:13"},
		{name: "args in pipeline select", src: "define pipeline p args a = 1 pipeline select args.b from in into out; end;",
			msg: "Unknown argument: b (not declared by pipeline `p`)", at: "1:51"},
		{name: "args in pipeline create", src: "define pipeline p args a = 1 pipeline\n define script s args x script event end;\n create script s with x = args.q end;\n select event from in into s;\nend;",
			msg: "Unknown argument: q (not declared by pipeline `p`)", at: "3:32"},
		{name: "call of local fn in select", src: "select f(event) from in into out;",
			msg: "Call to undefined function f", at: "1:8"},
		{name: "module call without use in select", src: "select string::len(event) from in into out;",
			msg: "Call to undefined function string::len", at: "1:8"},
	})
}

func TestCheckWindows(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "with not constant", src: "define window w from tumbling with size = event.n end;",
			msg: "The expression isn't constant and can't be evaluated at compile time", at: "1:43"},
		{name: "with local", src: "define window w from tumbling with size = n end;",
			msg: "The expression isn't constant", at: "1:43"},
		{name: "size and interval", src: "define window w from tumbling with size = 2, interval = 10 end;",
			msg: "only one of `size`, `interval`, or `state` is allowed", at: "1:1"},
		{name: "size and state", src: "define window w from tumbling with size = 2 state 0 script true end;",
			msg: "only one of `size`, `interval`, or `state` is allowed", at: "1:1"},
		{name: "none", src: "define window w from tumbling with max_groups = 2 end;",
			msg: "either `size`, `interval`, or `state` is required", at: "1:1"},
		{name: "float size is absent", src: "define window w from tumbling with size = 2.0 end;",
			msg: "either `size`, `interval`, or `state` is required", at: "1:1"},
		{name: "legacy needs one", src: "define tumbling window w with eviction_period = 2 end;",
			msg: "either `size`, `interval`, or `state` is required", at: "1:1"},
		{name: "state without script", src: "define window w from tumbling state 0 end;",
			msg: "Script is required for `state` type windows", at: "1:1"},
		{name: "sliding", src: "define window w from sliding with size = 2 end;",
			msg: "Sliding windows are not yet implemented", at: "1:1"},
		{name: "assign event", src: "define window w from tumbling with size = 2 script\n  let event.x = 1;\n  1\nend;",
			msg: "Can not assign to `event` here", at: "2:7"},
		{name: "assign meta in match", src: "define window w from tumbling state 0 script\n  match event of case _ => let $x = 1 end;\n  true\nend;",
			msg: "Can not assign to `$` here", at: "2:32"},
		{name: "tick reads event", src: "define window w from tumbling state 0 script from tick\n  event.x\nscript\n  true\nend;",
			msg: "`event` isn't accessible in this context", at: "2:3"},
		{name: "tick reads meta", src: "define window w from tumbling state 0 script from tick\n  let state = $x;\n  true\nscript\n  true\nend;",
			msg: "`$` isn't accessible in this context", at: "2:3"},
		{name: "window script own scope", src: "use std::string;\ndefine window w from tumbling with size = 2 script string::len(\"x\") end;",
			msg: "Call to undefined function string::len", at: "2:52"},
	})
}

func TestCheckFlows(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "create undefined peer", src: "define flow f flow create peer a; end;",
			msg: "peer `a` is not defined", at: "1:32"},
		{name: "create undefined pipeline", src: "define flow f flow create pipeline p; end;",
			msg: "Unknown pipeline `p`", at: "1:36"},
		{name: "connect uncreated peer", src: "define flow f flow\n define peer a from stdio;\n connect /peer/a to /peer/a;\nend;",
			msg: "peer `a` is not created in flow `f`", at: "3:16", n: 2},
		{name: "connect undefined peer", src: "define flow f flow\n define peer a from stdio;\n create peer a;\n connect /peer/a to /peer/b;\nend;",
			msg: "peer `b` is not defined", at: "4:27"},
		{name: "connect pipeline port", src: "define pipeline p into x pipeline select event from in into x; end;\ndefine flow f flow\n define peer a from stdio;\n create peer a;\n create pipeline p;\n connect /pipeline/p to /peer/a;\nend;",
			msg: "pipeline `p` has no output port `out`", at: "6:10"},
		{name: "connect pipeline input port", src: "define flow f flow\n define pipeline p pipeline select event from in into out; end;\n define peer a from stdio;\n create peer a;\n create pipeline p;\n connect /peer/a to /pipeline/p/nope;\nend;",
			msg: "pipeline `p` has no input port `nope`", at: "6:33"},
		{name: "peer output port", src: "define flow f flow\n define peer a from stdio;\n define pipeline p pipeline select event from in into out; end;\n create peer a;\n create pipeline p;\n connect /peer/a/in to /pipeline/p;\nend;",
			msg: "peer `a` has no output port `in`", at: "6:18"},
		{name: "peer input port", src: "define flow f flow\n define peer a from stdio;\n define pipeline p pipeline select event from in into out; end;\n create peer a;\n create pipeline p;\n connect /pipeline/p to /peer/a/out;\nend;",
			msg: "peer `a` has no input port `out`", at: "6:33"},
		{name: "deploy undefined flow", src: "deploy flow nope;",
			msg: "flow `nope` is not defined", at: "1:13"},
		{name: "deploy unknown key", src: "define flow f args port = 1 flow define peer a from stdio; end;\ndeploy flow f with host = \"x\" end;",
			msg: "Unknown argument: host (not declared by flow `f`)", at: "2:20"},
		{name: "deploy missing key", src: "define flow f args port flow define peer a from stdio; end;\ndeploy flow f;",
			msg: "Missing required argument: port (flow `f`", at: "2:1"},
		{name: "flow args path", src: "define flow f args port = 1 flow\n define peer a from stdio args port with config = {\"p\": args.port} end;\n create peer a with port = args.nope end;\nend;",
			msg: "Unknown argument: nope (not declared by flow `f`)", at: "3:33"},
		{name: "peer args path", src: "define peer a from stdio args port = 1 with config = {\"p\": args.prt} end;",
			msg: "Unknown argument: prt (not declared by peer `a`)", at: "1:65"},
		{name: "select in flow", src: "define flow f flow select event from in into out; end;",
			msg: "`select` is not allowed inside a flow", at: "1:20"},
	})
}

func TestCheckScripts(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "duplicate fn", file: "s.tremor", src: "fn f() with 1 end;\nfn f() with 2 end;\nf()",
			msg: "Can't define the function `f` twice", at: "2:1"},
		{name: "duplicate intrinsic", file: "s.tremor", src: "fn len() with 1 end;\nintrinsic fn len(s) as string::len;\n1",
			msg: "Can't define the function `len` twice", at: "2:1"},
		{name: "duplicate const", file: "s.tremor", src: "const X = 1;\nconst X = 2;\nX",
			msg: "Can't define the const `X` twice", at: "2:1"},
		{name: "const not constant", file: "s.tremor", src: "const X = event.a;\nX",
			msg: "The expression isn't constant", at: "1:11"},
		{name: "const reads local", file: "s.tremor", src: "let a = 1;\nconst X = a + 1;\nX",
			msg: "The expression isn't constant", at: "2:11"},
		{name: "call before definition", file: "s.tremor", src: "f();\nfn f() with 1 end;\n1",
			msg: "Call to undefined function f", at: "1:1"},
		{name: "self call", file: "s.tremor", src: "fn f(n) with f(n) end;\n1",
			msg: "Call to undefined function f", at: "1:14"},
		{name: "module call without use", file: "s.tremor", src: "string::len(\"x\")",
			msg: "Call to undefined function string::len", at: "1:1"},
		{name: "unknown module function", file: "s.tremor", src: "use std::string;\nstring::nope(\"x\")",
			msg: "Call to undefined function string::nope", at: "2:1"},
		{name: "intrinsic arity", file: "s.tremor", src: "use std::string;\nstring::len(\"x\", 2)",
			msg: "Bad arity for function string::len/1..=1 but was called with 2 arguments", at: "2:1"},
		{name: "variadic arity", file: "s.tremor", src: "use std::string;\nstring::format()",
			msg: "Bad arity for function string::format/1.. but was called with 0 arguments", at: "2:1"},
		{name: "nested module arity", file: "s.tremor", src: "use std;\nstd::string::len()",
			msg: "Bad arity for function string::len/1..=1 but was called with 0 arguments", at: "2:1"},
		{name: "core call arity", file: "s.tremor", src: "core::string::len()",
			msg: "Bad arity for function string::len/1..=1", at: "1:1"},
		{name: "global arity", file: "s.tremor", src: "source_id(1)",
			msg: "Bad arity for function source_id/0..=0 but was called with 1 arguments", at: "1:1"},
		{name: "local intrinsic arity", file: "s.tremor", src: "intrinsic fn l(s) as string::len;\nl()",
			msg: "Bad arity for function string::len/1..=1", at: "2:1"},
		{name: "intrinsic of unknown function", file: "s.tremor", src: "intrinsic fn l(s) as string::nope;\n1",
			msg: "Call to undefined function string::nope", at: "1:30"},
		{name: "unknown module const", file: "s.tremor", src: "use std::time::nanos;\nnanos::NOPE",
			msg: "The constant nanos::NOPE (absolute path) is not defined.", at: "2:1"},
		{name: "const of unused module", file: "s.tremor", src: "m::X",
			msg: "The constant m::X (absolute path) is not defined.", at: "1:1"},
		{name: "emit in fn", file: "s.tremor", src: "fn f() with emit 1 end;\n1",
			msg: "Can not emit from this location", at: "1:13"},
		{name: "drop in fn match", file: "s.tremor", src: "fn f(x) with match x of case 1 => drop case _ => 2 end end;\n1",
			msg: "Can not drop from this location", at: "1:35"},
		{name: "recur outside fn", file: "s.tremor", src: "recur(1)",
			msg: "Can not recur from this location", at: "1:1"},
		{name: "recur in operand", file: "s.tremor", src: "fn f(n) with 1 + recur(n) end;\n1",
			msg: "Can not recur from this location", at: "1:18"},
		{name: "recur in call argument", file: "s.tremor", src: "fn g(x) with x end;\nfn f(n) with g(recur(n)) end;\n1",
			msg: "Can not recur from this location", at: "2:16"},
		{name: "recur in list", file: "s.tremor", src: "fn f(n) with [recur(n)] end;\n1",
			msg: "Can not recur from this location", at: "1:15"},
		{name: "recur in expression for", file: "s.tremor", src: "fn f(n) with let x = (for n of case (k, v) => recur(v) end); x end;\n1",
			msg: "Can not recur from this location", at: "1:47"},
		{name: "recur arity", file: "s.tremor", src: "fn f(a, b) with match a of case 0 => b case _ => recur(a - 1) end end;\n1",
			msg: "Wrong number of arguments 2 != 1", at: "1:50"},
		{name: "recur variadic arity", file: "s.tremor", src: "fn f(a, ...) with recur(1, 2) end;\n1",
			msg: "Wrong number of arguments 1 != 2", at: "1:19"},
		{name: "unsupported extractor", file: "s.tremor", src: "match event of case ~ nope|x| => 1 case _ => 2 end",
			msg: "Unsupported extractor nope", at: "1:23"},
		{name: "bad regex", file: "s.tremor", src: "match event of case %{ a ~= re|(a| } => 1 case _ => 2 end",
			msg: "invalid regex in the `re` extractor: missing closing )", at: "1:29"},
		{name: "bad rerg", file: "s.tremor", src: "match event of case x = ~ rerg|[a| => x case _ => 2 end",
			msg: "invalid regex in the `rerg` extractor", at: "1:27"},
		{name: "bytes type", file: "s.tremor", src: "<< 1/little_big >>",
			msg: "Not a valid data type: 'little-big'", at: "1:4"},
		{name: "bytes signed alone", file: "s.tremor", src: "<< 1/signed >>",
			msg: "Not a valid data type: 'signed'", at: "1:4"},
		{name: "bytes bits zero", file: "s.tremor", src: "<< 1:0 >>",
			msg: "negative bits or bits > 64 are are not allowed: 0", at: "1:4"},
		{name: "bytes bits too many", file: "s.tremor", src: "<< 1:65/integer >>",
			msg: "negative bits or bits > 64 are are not allowed: 65", at: "1:4"},
		{name: "define script fn args not checked, body is", src: "define script s args a = 1 script\n  fn f(...) with args end;\n  args.nope\nend;",
			msg: "Unknown argument: nope", at: "3:8"},
		{name: "module not found", file: "s.tremor", src: "use m;\n1", msg: "Module `m` not found", at: "1:5"},
		{name: "module not found with alias", file: "s.tremor", src: "use a::b as c;\n1", msg: "Module `a::b` not found", at: "1:5"},
		{name: "module not found in group", file: "s.tremor", src: "use std::{string, nope};\n1", msg: "Module `std::nope` not found", at: "1:19"},
	})
}

// TestCheckValid lists programs that must check without any diagnostic.
func TestCheckValid(t *testing.T) {
	valid := []struct{ name, file, src string }{
		{"passthrough", "", "select event from in into out;"},
		{"extra ports", "", "select event from in/metrics into out/metrics;\nselect event from in into err;"},
		{"config ports", "", "#!config from = \"a, b\"\n#!config into = \"c\"\nselect event from a into c;\nselect event from b/x into c/y;"},
		{"streams", "", "create stream s;\nselect event from in into s;\nselect event from s into out;"},
		{"script any port", "", "define script s script event end;\ncreate script s;\nselect event from in into s/ctl;\nselect event from s/routed into out;\nselect event from s/err into err;"},
		{"script args", "", "define script s args a = 1, b script\n  let event.x = args.a + args.b;\n  event\nend;\ncreate script x from s with b = 2 end;\nselect event from in into x;\nselect event from x into out;"},
		{"script state and ports", "", "define script s args a = 1 state {\"n\": args.a} script from ctl\n  let state.n = args.a; drop\nscript\n  use std::string;\n  string::len(event)\nend;"},
		{"operator with args", "", "define operator o from generic::batch args n = 10 with count = args.n end;\ncreate operator b from o with n = 2 end;\nselect event from in into b;\nselect event from b/overflow into out;"},
		{"windows", "", "use std::time::nanos;\ndefine window a from tumbling with size = 10 end;\ndefine window b from tumbling with interval = nanos::from_seconds(15), max_groups = 100 end;\ndefine window c from tumbling with size = 2 + 3 end;\n" +
			"select {\"g\": group[0], \"n\": aggr::stats::count(), \"w\": window, \"x\": aggr::win::first(event.x)} from in[a, b, c] group by event.g into out having event.n > 1;"},
		{"group by rewrite", "", "define window w from tumbling with size = 10 end;\nselect {\"host\": event.host, \"t\": [event.a, $b], \"n\": aggr::stats::count()} from in[w] group by set(event.host, each([event.a, $b])) into out;"},
		{"group by each rewrite", "", "define window w from tumbling with size = 10 end;\nselect {\"tags\": event.tags, \"n\": aggr::stats::count()} from in[w] group by each(event.tags) into out;"},
		{"legacy window and aggregates", "", "define tumbling window w\nwith\n  interval = datetime::with_seconds(15),\n  count = 1000,\n  eviction_period = 10\nend;\nselect win::collect_flattened() from in[w] group by [tremor::source_id(), source_id()] into out;"},
		{"state window", "", "define window s from tumbling with max_groups = 10 state {\"n\": 0} script from tick\n  let state.n = state.n + 1; state.n > 3\nscript\n  let state.n = 0;\n  match event of case %{ done == true } => true case _ => [false, true] end\nend;\nselect aggr::win::collect_flattened(event) from in[s] into out;"},
		{"window script count", "", "define window w from tumbling with size = 100 script\n  let n = event.count;\n  n\nend;\nselect aggr::stats::sum(event.count) from in[w] into out;"},
		{"match and for bindings in select", "", "select match event of case x = %{ present a } => x case _ => for event.l of case (k, v) => [k, v] end end from in into out;"},
		{"select uses", "", "use std::string;\nselect string::len(event.host) from in where string::len(event.host) > 2 into out having event > 1;"},
		{"pipeline args and nesting", "", "define pipeline p from input into hot, cold args min = 1, field = \"x\" pipeline\n  #!config metrics_interval_s = 5\n  define pipeline inner pipeline select {\"inner\": event} from in into out; end;\n  define script pick args every = 1 state 0 script event end;\n  create script pick with every = args.min end;\n  create pipeline inner;\n  select event from input where present event[args.field] into pick;\n  select event from pick into inner;\n  select event from inner into hot;\n  select event from input into cold;\nend;\ncreate pipeline strict from p with min = 40 end;\nselect event from in into strict/input;\nselect event from strict/hot into out;\nselect event from strict/cold into err;"},
		{"flow", "t.troy", "define pipeline shared into out, alerts pipeline select event from in into alerts; end;\ndefine flow echo args port = 8080 flow\n  define peer api from http_server args port with config = {\"url\": \"http://127.0.0.1:#{args.port}\"} end;\n  define pipeline upper pipeline select {\"said\": event, \"id\": source_id()} from in into out; end;\n  create peer api with port = args.port end;\n  create connector other from api with port = 1 end;\n  create pipeline upper;\n  create pipeline s from shared;\n  connect /peer/api to /pipeline/upper;\n  connect /pipeline/upper to /peer/api;\n  connect /connector/other/err to /pipeline/s/in;\n  connect /pipeline/s/alerts to /connector/other;\nend;\ndeploy flow echo;\ndeploy flow echo2 from echo with port = 9090 end;"},
		{"script file", "s.tremor", "use std::string;\nuse std;\nuse std::{string as s, time::{nanos as ns}};\nconst T = {\"a\": 1, \"b\": [1, 2]};\nconst U = T.a + 1;\nfn f(x) with string::len(x) end;\nfn g(x, ...) with [f(x), args] end;\n" +
			"fn fib(n, a, b) with match n of case 0 => a case _ => recur(n - 1, b, a + b) end end;\nfn r(n) of case (0) => 0 case (m) when m > 0 => recur(m - 1) case _ => -1 end;\n" +
			"let x = s::format(\"{}\", std::string::len(event), ns::from_seconds(1), ns::NANOS_PER_SECOND, U);\n" +
			"let y = core::string::len(\"x\");\nlet z = datetime::with_seconds(1) + source_id() + tremor::source_id();\n" +
			"match event of case %{ a ~= re|(?P<x>\\\\d+)|, b ~= glob|*|, c ~= json||, d ~= %{ present e } } => x case ~ dissect|%{a}| => 1 case _ => drop end;\n" +
			"let b = << 1, 2:4, 15:4, \"ab\"/binary, 3:16/little_signed_integer, 4:64/big_unsigned_integer >>;\n" +
			"for event of case (k, v) => let w = v end;\nemit event => \"out\""},
		{"fn recur positions", "s.tremor", "fn f(n) with\n  let x = recur(n);\n  for [1] of case (k, v) => recur(v) end;\n  match n of case 0 => recur(0) case _ when recur(1) => 1 case _ => recur(2) end\nend;\nf(1)"},
		{"user fn arity not checked", "s.tremor", "fn f(a) with a end;\nf(1, 2, 3)"},
		{"window script fns may touch event", "", "define window w from tumbling with size = 2 script\n  fn f() with let event.x = 1; event end;\n  let state = 1;\n  let x = 1;\n  1\nend;"},
		{"module-level defines in script file", "m.tremor", "define window w from tumbling with size = 2 end;\ndefine script s script event end;"},
	}
	for _, tc := range valid {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "q.trickle"
			}
			ds, _ := checkSrc(t, file, tc.src, lang.CheckOptions{})
			if len(ds) > 0 {
				t.Errorf("unexpected diagnostics:\n%s--- source:\n%s", dump(ds), tc.src)
			}
		})
	}
}

// TestCheckReportsAllInOrder checks that independent problems are all reported, in source order.
func TestCheckReportsAllInOrder(t *testing.T) {
	src := "select x from in into out;\ncreate script s;\nselect aggr::stats::count() from in[w] into nope;"
	ds, _ := checkSrc(t, "q.trickle", src, lang.CheckOptions{})
	var got []string
	for _, d := range ds {
		got = append(got, fmt.Sprintf("%d:%d", d.Pos.Line, d.Pos.Col))
	}
	want := "1:8 2:15 3:37 3:45"
	if strings.Join(got, " ") != want {
		t.Errorf("positions = %v, want %s\n%s", got, want, dump(ds))
	}
}

// writeFiles creates files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func checkFile(t *testing.T, path string, dirs []string) (lang.Diagnostics, map[string]string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := lang.Parse(path, string(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return lang.Check(f, lang.CheckOptions{Env: fakeEnv{}, Path: dirs})
}

func TestCheckModules(t *testing.T) {
	lib := t.TempDir()
	proj := t.TempDir()
	writeFiles(t, lib, map[string]string{
		"acme/util.tremor": "### helpers\nuse std::string;\nconst PORT = 8080;\nfn norm(h) with string::lowercase(h) end;\nintrinsic fn len(s) as string::len;\n",
		"acme/defs.trickle": "use std::time::nanos;\n" +
			"define window ten from tumbling with interval = nanos::from_seconds(10) end;\n" +
			"define script tag args team = \"x\" script let event.team = args.team; event end;\n" +
			"define pipeline drop_debug pipeline select event from in where event.level != \"debug\" into out; end;\n" +
			"define operator counter from generic::counter;\n",
		"acme/flows.troy": "define connector console from stdio with codec = \"json\" end;\n",
	})
	writeFiles(t, proj, map[string]string{
		"local/lm.tremor": "const LOCAL = 1;\n",
		"main.trickle": "use acme::util;\nuse acme::defs as d;\nuse local::lm;\n" +
			"create script t from d::tag with team = \"y\" end;\n" +
			"create pipeline p from d::drop_debug;\n" +
			"create operator c from d::counter;\n" +
			"select {\"port\": util::PORT, \"n\": util::norm(event.h), \"l\": util::len(\"x\"), \"m\": lm::LOCAL} from in into t;\n" +
			"select aggr::stats::count() from t[d::ten] into p;\n" +
			"select event from p into c;\nselect event from c into out;\n",
		"bad.trickle": "use acme::util;\nselect util::len() from in into out;\nselect util::NOPE from in into out;\ncreate script x from util::tag;\n",
	})

	ds, sources := checkFile(t, filepath.Join(proj, "main.trickle"), []string{lib})
	if len(ds) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", dump(ds))
	}
	if _, ok := sources[filepath.Join(lib, "acme/util.tremor")]; !ok {
		t.Errorf("sources lacks the module util.tremor: %v", keys(sources))
	}
	if _, ok := sources[filepath.Join(proj, "local/lm.tremor")]; !ok {
		t.Errorf("sources lacks local/mod.tremor (the file's own directory): %v", keys(sources))
	}

	ds, _ = checkFile(t, filepath.Join(proj, "bad.trickle"), []string{lib})
	wants := []string{
		"2:8 Bad arity for function string::len/1..=1 but was called with 0 arguments",
		"3:8 The constant util::NOPE (absolute path) is not defined.",
		"4:22 The script `util::tag` is not defined",
	}
	if len(ds) != len(wants) {
		t.Fatalf("want %d diagnostics, got:\n%s", len(wants), dump(ds))
	}
	for i, w := range wants {
		if got := fmt.Sprintf("%d:%d %s", ds[i].Pos.Line, ds[i].Pos.Col, ds[i].Msg); got != w {
			t.Errorf("diagnostic %d = %q, want %q", i, got, w)
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestCheckModuleNotFound(t *testing.T) {
	lib := t.TempDir()
	proj := t.TempDir()
	writeFiles(t, proj, map[string]string{"q.trickle": "use a::b;\nselect b::f() from in into out;\n"})
	ds, _ := checkFile(t, filepath.Join(proj, "q.trickle"), []string{lib})
	if len(ds) != 1 {
		t.Fatalf("want 1 diagnostic (no follow-up errors through the missing module), got:\n%s", dump(ds))
	}
	d := ds[0]
	pad := "\n" + strings.Repeat(" ", 25) + "- "
	want := "Module `a::b` not found or not readable error in module path: " + pad + lib + pad + proj
	if d.Msg != want {
		t.Errorf("message = %q, want %q", d.Msg, want)
	}
	if d.Pos.Line != 1 || d.Pos.Col != 5 {
		t.Errorf("position = %d:%d, want 1:5 (the module name)", d.Pos.Line, d.Pos.Col)
	}
	if !strings.Contains(d.Hint, filepath.Join("a", "b.tremor")) || !strings.Contains(d.Hint, "--path") {
		t.Errorf("hint = %q", d.Hint)
	}
}

func TestCheckModuleSearchOrder(t *testing.T) {
	lib1, lib2, proj := t.TempDir(), t.TempDir(), t.TempDir()
	writeFiles(t, lib1, map[string]string{"m/x.trickle": "define window w from tumbling with size = 1 end;\n"})
	writeFiles(t, lib2, map[string]string{"m/x.tremor": "const A = 1;\n"})
	writeFiles(t, proj, map[string]string{
		"m/x.tremor": "const B = 1;\n",
		"q.trickle":  "use m::x;\nselect aggr::stats::count() from in[x::w] into out;\n",
	})
	// The first mount wins, whatever the extension; the std library is not shadowed by files.
	ds, sources := checkFile(t, filepath.Join(proj, "q.trickle"), []string{lib1, lib2})
	if len(ds) != 0 {
		t.Errorf("unexpected diagnostics:\n%s", dump(ds))
	}
	if _, ok := sources[filepath.Join(lib1, "m/x.trickle")]; !ok || len(sources) != 1 {
		t.Errorf("sources = %v, want only %s", keys(sources), filepath.Join(lib1, "m/x.trickle"))
	}
}

func TestCheckModuleDiagnosticsPointIntoModule(t *testing.T) {
	proj := t.TempDir()
	writeFiles(t, proj, map[string]string{
		"lib/m.tremor": "fn f() with emit 1 end;\nconst C = event;\n",
		"q.tremor":     "use lib::m;\nuse lib::m as again;\nm::f()",
	})
	ds, sources := checkFile(t, filepath.Join(proj, "q.tremor"), nil)
	mod := filepath.Join(proj, "lib/m.tremor")
	if len(ds) != 2 {
		t.Fatalf("want 2 diagnostics (the module is checked once), got:\n%s", dump(ds))
	}
	for _, d := range ds {
		if d.Pos.File != mod {
			t.Errorf("diagnostic %q points into %q, want %q", d.Msg, d.Pos.File, mod)
		}
	}
	if ds[0].Msg != "Can not emit from this location" || ds[0].Pos.Line != 1 || ds[1].Pos.Line != 2 {
		t.Errorf("diagnostics:\n%s", dump(ds))
	}
	if sources[mod] == "" {
		t.Errorf("sources lacks %s", mod)
	}
	// Rendering with the module's source shows the module line.
	if r := ds[0].Render(sources[mod]); !strings.Contains(r, "fn f() with emit 1 end;") {
		t.Errorf("render:\n%s", r)
	}
}

func TestCheckModuleParseErrors(t *testing.T) {
	proj := t.TempDir()
	writeFiles(t, proj, map[string]string{
		"m.tremor": "fn f( with 1 end;\n",
		"q.tremor": "use m;\n1",
	})
	ds, _ := checkFile(t, filepath.Join(proj, "q.tremor"), nil)
	if len(ds) == 0 || ds[0].Pos.File != filepath.Join(proj, "m.tremor") {
		t.Errorf("want a parse error inside m.tremor, got:\n%s", dump(ds))
	}
}

func TestCheckModuleCycle(t *testing.T) {
	proj := t.TempDir()
	writeFiles(t, proj, map[string]string{
		"a.tremor": "use b;\nconst A = 1;\n",
		"b.tremor": "use a;\nconst B = 1;\n",
		"q.tremor": "use a;\na::A",
	})
	ds, _ := checkFile(t, filepath.Join(proj, "q.tremor"), nil)
	if len(ds) != 1 {
		t.Fatalf("want 1 diagnostic, got:\n%s", dump(ds))
	}
	a, b := filepath.Join(proj, "a.tremor"), filepath.Join(proj, "b.tremor")
	want := " Cyclic dependency detected: " + a + " -> " + b + " -> " + a
	if ds[0].Msg != want || ds[0].Pos.File != b || ds[0].Pos.Line != 1 {
		t.Errorf("got %s: %q, want %s:1: %q", ds[0].Pos, ds[0].Msg, b, want)
	}
}

func TestCheckModuleOnlyDefinitions(t *testing.T) {
	proj := t.TempDir()
	writeFiles(t, proj, map[string]string{
		"m.tremor": "const A = 1;\nA + 1;\n",
		"q.tremor": "use m;\nm::A",
	})
	ds, _ := checkFile(t, filepath.Join(proj, "q.tremor"), nil)
	if len(ds) != 1 || !strings.Contains(ds[0].Msg, "a module can not hold expressions") || ds[0].Pos.Line != 2 {
		t.Errorf("got:\n%s", dump(ds))
	}
}

func TestCheckNilAndNoEnv(t *testing.T) {
	ds, src := lang.Check(nil, lang.CheckOptions{})
	if ds != nil || src == nil {
		t.Errorf("Check(nil) = %v, %v", ds, src)
	}
	f, err := lang.Parse("q.trickle", "select string::len(event) from in into out;")
	if err != nil {
		t.Fatal(err)
	}
	ds, _ = lang.Check(f, lang.CheckOptions{ReadFile: func(string) ([]byte, error) { return nil, errors.New("no") }})
	if len(ds) != 1 || !strings.Contains(ds[0].Msg, "Call to undefined function string::len") {
		t.Errorf("got:\n%s", dump(ds))
	}
}

// TestCheckHints spot-checks the hints that make messages actionable.
func TestCheckHints(t *testing.T) {
	for _, tc := range []struct{ file, src, hint string }{
		{"s.tremor", "string::len(\"x\")", "add `use std::string;`"},
		{"s.tremor", "std::string::len(\"x\")", "add `use std;`"},
		{"s.tremor", "fn f(n) with f(n) end;\n1", "recur"},
		{"q.trickle", "define script s args a, b script args.c end;", "declared arguments: `a`, `b`"},
		{"q.trickle", "define window w from tumbling with size = 2 end;\nselect event from in[w] into out;", "aggr::win::last"},
		{"q.trickle", "select event from in into outt;", "did you mean `out`?"},
		{"q.trickle", "define window minute from tumbling with size = 2 end;\nselect aggr::stats::count() from in[minutes] into out;", "did you mean `minute`?"},
		{"q.trickle", "define script s args limit = 1 script event end;\ncreate script s with limt = 2 end;", "did you mean `limit`?"},
		{"s.tremor", "use std::string;\nstring::lenn(\"x\")", "did you mean `len`?"},
	} {
		ds, _ := checkSrc(t, tc.file, tc.src, lang.CheckOptions{})
		ok := false
		for _, d := range ds {
			if strings.Contains(d.Hint, tc.hint) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%q: no hint containing %q in:\n%s", tc.src, tc.hint, dump(ds))
		}
	}
}

// FuzzCheck parses arbitrary input and checks whatever parsed; nothing may panic, and the checker's
// internal-error safety net must never fire.
func FuzzCheck(f *testing.F) {
	for _, path := range corpus(f) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src), strings.HasSuffix(path, ".tremor"))
	}
	for _, s := range []string{
		"select event from in into out;",
		"define window w from tumbling with size = 2 end; select aggr::stats::count() from in[w] group by event.x into out;",
		"define flow f flow define peer a from stdio; create peer a; connect /peer/a to /peer/a; end; deploy flow f;",
		"fn f(n) with match n of case 0 => 0 case _ => recur(n - 1) end end; f(3)",
		"use std; std::string::len(event)",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, src string, script bool) {
		name := "fuzz.trickle"
		if script {
			name = "fuzz.tremor"
		}
		file, _ := lang.Parse(name, src)
		if file == nil {
			return
		}
		ds, _ := lang.Check(file, lang.CheckOptions{Env: fakeEnv{}, ReadFile: noFiles})
		for _, d := range ds {
			if strings.Contains(d.Msg, "internal error in the checker") {
				t.Fatalf("%s\n--- input:\n%q", d.Msg, src)
			}
			_ = d.Render(src)
		}
	})
}
