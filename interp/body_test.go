package interp

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
)

// TestCompileBody compiles the script of a `define script` inside a query with its args inlined
// (spec §4.3); errors point into the query source.
func TestCompileBody(t *testing.T) {
	src := `define script s
args
  limit = 10,
  name = "x"
script
  use std::string;
  let key = string::format("{}-{}", args.name, args.limit);
  {"k": key, "over": event.n > args.limit, "all": args, "r": {"a": event.n, "b": args.name}}
end;

create script s with limit = 3 end;
select event from in into s;
select event from s into out;
`
	f, err := lang.ParseQuery("q.trickle", src)
	if err != nil {
		t.Fatal(err)
	}
	var body *ast.Script
	for _, st := range f.Stmts {
		if d, ok := st.(*ast.DefineScript); ok {
			body = d.Script
		}
	}
	if body == nil {
		t.Fatal("no define script")
	}
	args := value.MustDecodeJSON(`{"limit":3,"name":"x"}`)
	p, err := CompileBody(body, src, testEnv, BodyOptions{Args: &args})
	if err != nil {
		t.Fatal(err)
	}
	ev := value.MustDecodeJSON(`{"n":5}`)
	fr := p.NewFrame()
	fr.Event = &ev
	res, err := p.Run(fr)
	if err != nil {
		t.Fatal(err)
	}
	if got := value.EncodeSorted(res.Value); got != `{"all":{"limit":3,"name":"x"},"k":"x-3","over":true,"r":{"a":5,"b":"x"}}` {
		t.Errorf("got %s", got)
	}
	// args fields are constants: hoisted before the dynamic ones.
	r, _ := res.Value.AsRecord()
	inner, _ := r.Get("r")
	ir, _ := inner.AsRecord()
	if keys := strings.Join(ir.Keys(), ","); keys != "b,a" {
		t.Errorf("key order %s", keys)
	}

	ev = value.MustDecodeJSON(`{"m":5}`)
	_, err = p.Run(fr)
	if err == nil {
		t.Fatal("no error")
	}
	want := "Error: \n    8 |   {\"k\": key, \"over\": event.n > args.limit, \"all\": args, \"r\": {\"a\": event.n, \"b\": args.name}}\n      |                            ^ Trying to access a non existing event key `n`\n      |                              NOTE: Did you mean to use `m`?\n\n"
	if err.Error() != want {
		t.Errorf("error:\n%q\nwant\n%q", err.Error(), want)
	}
}

// TestProgramConcurrent runs one program from several goroutines, each with its own frame.
func TestProgramConcurrent(t *testing.T) {
	p, err := compileSrc(t, "use std::string;\nlet event.x = string::format(\"{}\", event.n);\nlet state = match state of case null => 1 case _ => state + 1 end;\n{\"x\": event.x, \"s\": state, \"c\": [1, 2]}")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fr := p.NewFrame()
			state := value.NullValue
			fr.State = &state
			for i := range 200 {
				ev := value.NewRecordValue(value.NewRec(1))
				r, _ := ev.AsRecord()
				r.Set("n", value.NewUint(uint64(g*1000+i)))
				fr.Event = &ev
				res, err := p.Run(fr)
				if err != nil {
					t.Error(err)
					return
				}
				want := `{"c":[1,2],"s":` + strconv.Itoa(i+1) + `,"x":"` + strconv.Itoa(g*1000+i) + `"}`
				if got := value.EncodeSorted(res.Value); got != want {
					t.Errorf("got %s want %s", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestNeverPanics feeds odd inputs and programs; every failure must be an error.
func TestNeverPanics(t *testing.T) {
	srcs := []string{
		"event[event.k][0:event.n]",
		"for event of case (k, v) => v into event.init use + end",
		"match event of case %{ a ~= %[ %{ b == 1 } ] } => 1 case _ => 2 end",
		"<< event.n:3, event.s/binary, event.n:64/little_signed_integer >>",
		"patch event of merge => event.m; default => event.d end",
		"merge event.a of event.b end",
		"fn f(a, b) with recur(b, a) end; f(event.a)",
		"let event[event.k] = event; event",
		"\"#{event.s}#{event}\"",
		"-event.n; !event.n; not event.b; event.n >>> event.n",
	}
	inputs := []string{`null`, `1`, `"s"`, `[]`, `{}`, `{"k":"k","n":2,"init":[],"s":"ab","a":{},"b":1,"m":[],"d":{},"b":true}`,
		`{"k":1,"n":-1,"s":5,"a":[1],"init":1.5}`, `{"k":"x","n":99,"s":"","init":{}}`}
	for _, src := range srcs {
		p, err := compileSrc(t, src)
		if err != nil {
			continue
		}
		for _, in := range inputs {
			ev := value.MustDecodeJSON(in)
			fr := p.NewFrame()
			fr.Event = &ev
			_, err := p.Run(fr)
			if err != nil && strings.Contains(err.Error(), "internal error") {
				t.Errorf("%s on %s: %v", src, in, err)
			}
		}
	}
}

// TestCompileExpr compiles select-style expressions that read group, window and inlined args.
func TestCompileExpr(t *testing.T) {
	src := `select {"g": group[0], "w": window, "a": args.x, "e": event.n + 1} from in into out;`
	f, err := lang.ParseQuery("q.trickle", src)
	if err != nil {
		t.Fatal(err)
	}
	sel := f.Stmts[0].(*ast.Select)
	args := value.MustDecodeJSON(`{"x":"arg"}`)
	p, err := CompileExpr(sel.Target, src, testEnv, BodyOptions{Args: &args})
	if err != nil {
		t.Fatal(err)
	}
	ev := value.MustDecodeJSON(`{"n":1}`)
	fr := p.NewFrame()
	fr.Event = &ev
	fr.Group = value.MustDecodeJSON(`["k","[\"k\"]"]`)
	fr.Window = value.NewString("w1")
	res, err := p.Run(fr)
	if err != nil {
		t.Fatal(err)
	}
	if got := value.EncodeSorted(res.Value); got != `{"a":"arg","e":2,"g":"k","w":"w1"}` {
		t.Errorf("got %s", got)
	}
}
