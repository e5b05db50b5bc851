package interp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rillstream/rill/lang"
)

// Functions, consts, intrinsics and modules (spec §2.12).

func TestFunctions(t *testing.T) {
	in := []string{`{"a":1}`}
	runCases(t, []scriptCase{
		{name: "params", src: "fn f(a, b) with [a, b] end;\nf(1, 2)", in: in, out: []string{"[1,2]"}},
		{name: "missing argument", src: "fn f(a, b) with b end;\nf(1)", in: in, out: []string{"error: Trying to access a non existing local key `b`"}},
		{name: "surplus argument fills body local", src: "fn f(a) with b end;\nf(1, 2)", in: in, out: []string{"2"}},
		{name: "surplus arguments dropped", src: "fn f(a) with a end;\nf(1, 2, 3)", in: in, out: []string{"1"}},
		{name: "variadic args", src: "fn f(a, ...) with [a, args] end;\nf(1, 2, 3)", in: in, out: []string{"[1,[2,3]]"}},
		{name: "variadic no extras", src: "fn f(a, ...) with args end;\nf(1)", in: in, out: []string{"[]"}},
		{name: "variadic with body local", src: "fn f(a, ...) with let x = 1; args end;\nf(1, 2, 3)", in: in, out: []string{"[3]"}},
		{name: "non variadic args", src: "fn f(a) with args end;\nf(1)", in: in, out: []string{"[]"}},
		{name: "event is null inside", src: "fn f() with [event, $, state] end;\nf()", in: in, out: []string{"[null,null,null]"}},
		{name: "locals private", src: "let x = 1;\nfn f() with x end;\nf()", in: in, out: []string{"error: Trying to access a non existing local key `x`"}},
		{name: "fn locals do not leak", src: "fn f() with let y = 5; y end;\nlet r = f();\n[r, present y]", in: in, out: []string{"[5,false]"}},
		{name: "calls earlier fn", src: "fn a(x) with x + 1 end;\nfn b(x) with a(x) * 2 end;\nb(1)", in: in, out: []string{"4"}},
		{name: "consts inside", src: "const K = 10;\nfn f(x) with x + K end;\nf(1)", in: in, out: []string{"11"}},
		{name: "lazy body", src: "fn f() with event.x; 1 end;\nf()", in: in, out: []string{"1"}},
		{name: "recur", src: "fn sum(n, acc) with match n of case 0 => acc case _ => recur(n - 1, acc + n) end end;\nsum(100, 0)", in: in, out: []string{"5050"}},
		{name: "recur 1023 restarts", src: "fn f(n) with match n of case 0 => \"done\" case _ => recur(n - 1) end end;\nf(1023)", in: in, out: []string{`"done"`}},
		{name: "recur 1024 restarts", src: "fn f(n) with match n of case 0 => \"done\" case _ => recur(n - 1) end end;\nf(1024)", in: in, out: []string{"error: Recursion limit Reached"}},
		{name: "recur resets locals", src: "fn f(n) with let r = present x; let x = 1; match n of case 0 => r case _ => recur(n - 1) end end;\nf(3)", in: in, out: []string{"false"}},
		{name: "recur via let", src: "fn f(n) with match n of case 0 => \"z\" case _ => let q = recur(n - 1) end end;\nf(3)", in: in, out: []string{`"z"`}},
		{name: "match fn rebinding", src: "fn f(a, b) of\n  case (a, 2) => [a, b]\n  case (a, ~ re|(?P<d>[0-9])|) => b\n  case _ => \"default\"\nend;\n[f(1, 2), f(1, \"a5\"), f(1, 3)]", in: in, out: []string{`[[1,2],{"d":"5"},"default"]`}},
		{name: "match fn guard sees original", src: "fn f(a) of\n  case (~ glob|x*|) when a == \"xy\" => a\n  case _ => \"no\"\nend;\n[f(\"xy\"), f(\"xz\")]", in: in, out: []string{`[true,"no"]`}},
		{name: "match fn recur", src: "fn count(n, acc) of\n  case (0, acc) => acc\n  case _ => recur(n - 1, acc + 1)\nend;\ncount(5, 0)", in: in, out: []string{"5"}},
		{name: "error position in fn", src: "fn f(x) with x + \"a\" end;\nf(1)", in: in, out: []string{"error: The binary operation `+` is not defined for the type `integer` and `string`"}},
		{name: "unknown function", src: "nope(1)", in: in, out: []string{"compile error: Call to undefined function ::nope"}},
		{name: "self call", src: "fn f() with f() end", in: in, out: []string{"compile error: Call to undefined function ::f"}},
		{name: "duplicate", src: "fn f() with 1 end;\nfn f() with 2 end", in: in, out: []string{"compile error: Can't define the function `f` twice"}},
		{name: "emit in fn", src: "fn f() with emit 1 end", in: in, out: []string{"compile error: Can not emit from this location"}},
		{name: "drop in fn", src: "fn f() with drop end", in: in, out: []string{"compile error: Can not drop from this location"}},
		{name: "recur outside fn", src: "recur(1)", in: in, out: []string{"compile error: Can not recur from this location"}},
		{name: "recur arity", src: "fn f(a) with recur(1, 2) end", in: in, out: []string{"compile error: Wrong number of arguments 1 != 2"}},
	})
}

func TestConsts(t *testing.T) {
	in := []string{`{"i":1}`}
	runCases(t, []scriptCase{
		{name: "fold", src: "const A = 1 + 2;\nconst B = [A, \"#{A}\"];\nB", in: in, out: []string{`[3,"3"]`}},
		{name: "index by event", src: "const T = [\"a\", \"b\"];\nT[event.i]", in: in, out: []string{`"b"`}},
		{name: "pure call", src: "use std::string;\nconst U = string::uppercase(\"x\");\nU", in: in, out: []string{`"X"`}},
		{name: "match const", src: "const M = match 1 of case 1 => \"one\" case _ => \"other\" end;\nM", in: in, out: []string{`"one"`}},
		{name: "not constant", src: "const C = event.i;\nC", in: in, out: []string{"compile error: The expression isn't constant and can't be evaluated at compile time"}},
		{name: "not constant local", src: "let x = 1;\nconst C = x;\nC", in: in, out: []string{"compile error: The expression isn't constant and can't be evaluated at compile time"}},
		{name: "impure call", src: "use tremor::system;\nconst C = system::ingest_ns();\nC", in: in, out: []string{"compile error: The expression isn't constant and can't be evaluated at compile time"}},
		{name: "duplicate", src: "const C = 1;\nconst C = 2;\nC", in: in, out: []string{"compile error: Can't define the const `C` twice"}},
		{name: "fold error", src: "const C = 1 / 0;\nC", in: in, out: []string{"compile error: The binary operation `/` must have a non zero RHS"}},
		{name: "registry fold error", src: "use std::integer;\ninteger::parse(\"x\")", in: in, out: []string{"compile error: Runtime error in function integer::parse/1: invalid digit found in string"}},
		{name: "unknown module const", src: "use std::string;\nstring::NOPE", in: in, out: []string{"compile error: The constant string::NOPE (absolute path) is not defined."}},
		{name: "module const", src: "use std::integer::signed;\nsigned::MAX", in: in, out: []string{"9223372036854775807"}},
	})
}

func TestStdlibAndIntrinsics(t *testing.T) {
	in := []string{`{"s":"Hello"}`}
	runCases(t, []scriptCase{
		{name: "use module", src: "use std::string;\nstring::lowercase(event.s)", in: in, out: []string{`"hello"`}},
		{name: "use alias", src: "use std::string as s;\ns::len(event.s)", in: in, out: []string{"5"}},
		{name: "use group", src: "use std::{string, array as a};\n[string::len(event.s), a::len([1])]", in: in, out: []string{"[5,1]"}},
		{name: "nested alias", src: "use std;\nstd::string::len(event.s)", in: in, out: []string{"5"}},
		{name: "core", src: "core::string::len(event.s)", in: in, out: []string{"5"}},
		{name: "not implicit", src: "string::len(event.s)", in: in, out: []string{"compile error: Call to undefined function string::len"}},
		{name: "intrinsic", src: "intrinsic fn up(s) as string::uppercase;\nup(event.s)", in: in, out: []string{`"HELLO"`}},
		{name: "intrinsic arity from registry", src: "intrinsic fn up(s) as string::uppercase;\nup(event.s, 1)", in: in, out: []string{"compile error: Bad arity for function string::uppercase/1..=1 but was called with 2 arguments"}},
		{name: "lib fn", src: "use std::range;\n[range::contains(range::range(0, 5), 3), range::contains([], 1)]", in: in, out: []string{"[true,false]"}},
		{name: "size", src: "use std::size;\nsize::kiB(2)", in: in, out: []string{"2048"}},
		{name: "nanos float", src: "use std::time::nanos;\n[nanos::from_seconds(2), nanos::to_millis(1500000)]", in: in, out: []string{"[2000000000,1.5]"}},
		{name: "ids", src: "[peer_id(), tremor::event_id(), stream_id()]", in: in, out: []string{`["test",0,0]`}},
		{name: "runtime type error", src: "use std::string;\nstring::len(event)", in: in, out: []string{"error: Bad type passed to function string::len/1"}},
		{name: "format runtime error", src: "use std::string;\nstring::format(\"{}\")", in: in, out: []string{"compile error: Runtime error in function string::format/1: the arguments passed to the format function are less than the `{}` specifiers in the format string. The placeholder at 0 can not be filled"}},
	})
}

// TestModules loads user modules from the script's directory and from Env.Path.
func TestModules(t *testing.T) {
	dir := t.TempDir()
	lib := t.TempDir()
	write := func(root, name, src string) {
		t.Helper()
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(dir, "m.tremor", "use std::string;\nconst P = \"p\";\nfn up(s) with string::uppercase(\"#{P}#{s}\") end;\nfn bad(x) with x + \"s\" end;\n")
	write(lib, "deep/util.tremor", "use m;\nfn twice(s) with [m::up(s), m::up(s)] end;\n")
	write(dir, "cyc/a.tremor", "use cyc::b;\n")
	write(dir, "cyc/b.tremor", "use cyc::a;\n")
	env := &Env{Path: []string{lib}}
	run := func(src string) string {
		name := filepath.Join(dir, "script.tremor")
		f, err := lang.ParseScript(name, src)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Compile(f, src, env)
		if err != nil {
			return err.Error()
		}
		fr := p.NewFrame()
		res, err := p.Run(fr)
		if err != nil {
			return err.Error()
		}
		return res.Value.String()
	}
	if got := run("use m;\n[m::up(\"x\"), m::P]"); got != `["PX","p"]` {
		t.Errorf("module: %s", got)
	}
	if got := run("use deep::util;\nutil::twice(\"y\")"); got != `["PY","PY"]` {
		t.Errorf("module from path using a module next to the script: %s", got)
	}
	got := run("use m;\nm::bad(1)")
	want := "Error: \n    4 | fn bad(x) with x + \"s\" end;\n      |                ^^^^^^^ The binary operation `+` is not defined for the type `integer` and `string`\n\n"
	if got != want {
		t.Errorf("error inside a module renders the module's source:\n%q\nwant\n%q", got, want)
	}
	if got := run("use nope::other;\n1"); !strings.Contains(got, "Module `nope::other` not found or not readable error in module path: \n                         - "+lib+"\n                         - "+dir) {
		t.Errorf("missing module: %q", got)
	}
	if got := run("use cyc::a;\n1"); !strings.Contains(got, " Cyclic dependency detected: ") {
		t.Errorf("cycle: %q", got)
	}
}
