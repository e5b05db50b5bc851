package runtime

import (
	"errors"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// run enqueues each value on input and returns "PORT VALUE" lines, plus "!error MSG" lines.
func runLines(t *testing.T, p *Pipeline, input string, vals ...string) []string {
	t.Helper()
	var got []string
	for i, s := range vals {
		ev := NewEvent(value.MustDecodeJSON(s), uint64(i))
		outs, err := p.Enqueue(input, ev)
		for _, o := range outs {
			got = append(got, o.Port+" "+value.EncodeSorted(o.Event.Value))
		}
		if err != nil {
			var m interface{ Message() string }
			if errors.As(err, &m) {
				got = append(got, "!error "+m.Message())
			} else {
				got = append(got, "!error "+err.Error())
			}
		}
	}
	return got
}

func mustCompile(t *testing.T, src string) *Graph {
	t.Helper()
	g, err := compileQuery(t, "q.trickle", src)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return g
}

func TestExtraInputAndOutputPorts(t *testing.T) {
	g := mustCompile(t, "select {\"side\": event} from in/side into out/p;\nselect event from in into out;\n")
	if got := strings.Join(g.Inputs(), ","); got != "in,in/side" {
		t.Errorf("inputs %s", got)
	}
	if got := strings.Join(g.Outputs(), ","); got != "out,err,out/p" {
		t.Errorf("outputs %s", got)
	}
	p := NewPipeline(g)
	got := append(runLines(t, p, "in", "1"), runLines(t, p, "in/side", "2")...)
	if want := "out 1|p {\"side\":2}"; strings.Join(got, "|") != want {
		t.Errorf("got %q, want %q", strings.Join(got, "|"), want)
	}
	if _, err := p.Enqueue("nope", NewEvent(value.NullValue, 0)); err == nil {
		t.Error("enqueue on an unknown input must fail")
	}
	if _, err := p.Enqueue("out", NewEvent(value.NullValue, 0)); err == nil {
		t.Error("enqueue on an output must fail")
	}
}

// TestScriptInstancesHaveOwnState: two creations of one definition, and two pipelines of one
// graph, never share state.
func TestScriptInstancesHaveOwnState(t *testing.T) {
	g := mustCompile(t, `define script c state 0 script let state = state + 1; state end;
create script a from c;
create script b from c;
select event from in into a;
select event from in where event > 1 into b;
select {"a": event} from a into out;
select {"b": event} from b into out;
`)
	for round := 0; round < 2; round++ {
		p := NewPipeline(g)
		got := strings.Join(runLines(t, p, "in", "1", "2", "3"), "|")
		if want := `out {"a":1}|out {"a":2}|out {"b":1}|out {"a":3}|out {"b":2}`; got != want {
			t.Errorf("round %d: got %s\nwant %s", round, got, want)
		}
	}
}

func TestNotImplemented(t *testing.T) {
	for src, what := range map[string]string{} {
		_, err := compileQuery(t, "q.trickle", src)
		var ni *NotImplementedError
		if !errors.As(err, &ni) || ni.What != what {
			t.Errorf("%q: got %v, want not implemented: %s", src, err, what)
		}
		if err != nil && !strings.Contains(err.Error(), "not implemented yet: "+what) {
			t.Errorf("message %q", err.Error())
		}
	}
}

func TestCycleRejected(t *testing.T) {
	_, err := compileQuery(t, "q.trickle", "create stream a;\nselect event from in into a;\nselect event from a into a;\nselect event from a into out;\n")
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("got %v, want a cycle error", err)
	}
}

// TestEachNotArray: `each` over a non-array aborts the event with Tremor's type conflict.
func TestEachNotArray(t *testing.T) {
	p := NewPipeline(mustCompile(t, "select group[0] from in group by each(event) into out;\n"))
	got := strings.Join(runLines(t, p, "in", "[1]", "{}", "[2]"), "|")
	if want := "out 1|!error Conflicting types, got record but expected array|out 2"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func BenchmarkEnqueueSelectScript(b *testing.B) {
	g, err := compileQuery(b, "q.trickle", `define script s script let event.n = event.a + 1; event end;
create script s;
select event from in where event.a > 0 into s;
select {"n": event.n, "g": group[0]} from s group by event.k into out;
`)
	if err != nil {
		b.Fatal(err)
	}
	p := NewPipeline(g)
	v := value.MustDecodeJSON(`{"a": 1, "k": "x", "pad": [1, 2, 3]}`)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Enqueue("in", NewEvent(v, uint64(i))); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPruneChains: nodes that lead to no output are pruned transitively, so a failing select in a
// dead branch never aborts an event (spec §4.10).
func TestPruneChains(t *testing.T) {
	p := NewPipeline(mustCompile(t, `create stream a;
create stream b;
create stream unread;
select event.nope from in into a;
select event.nope from a into b;
select event.nope from b into unread;
select event from unread into out/never;
select event from in into out;
`))
	// `unread` feeds out/never, so the whole chain is live and the first select fails.
	if got := strings.Join(runLines(t, p, "in", "1"), "|"); !strings.Contains(got, "!error") {
		t.Errorf("live chain: got %s", got)
	}
	p = NewPipeline(mustCompile(t, `create stream a;
create stream b;
select event.nope from in into a;
select event.nope from a into b;
select event from in into out;
`))
	if got := strings.Join(runLines(t, p, "in", "1"), "|"); got != "out 1" {
		t.Errorf("dead chain: got %s", got)
	}
}
