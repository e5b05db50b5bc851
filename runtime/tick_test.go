package runtime

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// tickRun feeds events (ingest time = value) and ticks ("t<ns>") to a query and returns every
// output value, "|" separated, with "/" after each step.
func tickRun(t *testing.T, query string, steps ...any) string {
	t.Helper()
	p := NewPipeline(mustCompile(t, query))
	var got []string
	for _, s := range steps {
		var outs []Output
		var err error
		switch x := s.(type) {
		case int:
			outs, err = p.Enqueue("in", NewEvent(value.NewUint(uint64(x)), uint64(x)))
		case string:
			var ns uint64
			for _, c := range strings.TrimPrefix(x, "t") {
				ns = ns*10 + uint64(c-'0')
			}
			outs, err = p.Tick(ns)
			for _, o := range outs {
				if o.Event.IngestNs != ns || o.Event.Origin != nil || value.EncodeSorted(o.Event.Meta) != "{}" {
					t.Errorf("tick output %v: want ingest_ns %d, no origin, meta {}", o.Event, ns)
				}
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			got = append(got, o.Node+":"+value.EncodeSorted(o.Event.Value))
		}
		got = append(got, "/")
	}
	return strings.Join(got, "")
}

func TestTickIntervalWindow(t *testing.T) {
	q := "define window w from tumbling with interval = 10 end;\n" +
		"create stream s;\n" +
		"select {\"c\": aggr::win::collect_flattened(event), \"g\": group[0]} from in[w] group by event % 2 into s;\n" +
		"select event from s into out;\n"
	// Before the interval has passed a tick does nothing; at next <= ns every group closes
	// (in key order) and the output flows on to `out`. A window closed by a tick starts afresh.
	got := tickRun(t, q, 1, 2, 3, "t5", "t12", "t13", 20, "t25", "t30", "t31")
	want := "///" + "/" + `out:{"c":[2],"g":0}out:{"c":[1,3],"g":1}/` + "/" + "/" + "/" + `out:{"c":[20],"g":0}/` + "/"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestTickIntervalWindowWithScript(t *testing.T) {
	// A time window with a script takes its time from the events: ticks never close it.
	q := "define window w from tumbling with interval = 10 script event + 0 end;\n" +
		"select aggr::win::collect_flattened(event) from in[w] into out;\n"
	if got, want := tickRun(t, q, 1, 2, "t50", 12), "//"+"/"+"out:[1,2]/"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestTickStateWindow(t *testing.T) {
	q := "define window w from tumbling state 0\n" +
		"script from tick\n  let state = state + 10;\n  [state >= 20, false]\n" +
		"script\n  let state = state + 1;\n  state >= 3\nend;\n" +
		"select aggr::win::collect_flattened(event) from in[w] into out;\n"
	// Events count 1, 2; the first tick makes 12 (no emit), the second 22: emit. The tick script
	// shares the state; the group is removed after the tick emission, so state restarts at 0.
	got := tickRun(t, q, 1, 2, "t100", "t200", 3, 4, 5, 6)
	want := "//" + "/" + "out:[1,2]/" + "//" + "out:[3,4,5]/" + "/"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestTickIgnoredBySizeWindowsAndPlainSelects(t *testing.T) {
	q := "define window w from tumbling with size = 2 end;\n" +
		"select aggr::win::collect_flattened(event) from in[w] into out;\n" +
		"select event from in into out;\n"
	if got, want := tickRun(t, q, 1, "t1000", 2), "out:1/"+"/"+"out:[1,2]out:2/"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestTickTiltFrames(t *testing.T) {
	// Only frame 1 receives the tick; its emission propagates to frame 2 like an event.
	q := "define window w1 from tumbling with interval = 10 end;\n" +
		"define window w2 from tumbling with size = 2 end;\n" +
		"select [window, aggr::win::collect_flattened(event)] from in[w1, w2] into out;\n"
	got := tickRun(t, q, 1, "t11", 12, "t30")
	want := "/" + `out:["w1",[1]]/` + "/" + `out:["w1",[12]]out:["w2",[1,12]]/`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestTickFlushesBatch checks that a tick flushes a non-empty generic::batch past its timeout
// (ns - first_ns > timeout, spec §4.9): the flushed event gets a fresh id tracking the batched
// events, the first event's ingest_ns, and flows downstream depth-first (the history branch, then
// the direct one, in statement order).
func TestTickFlushesBatch(t *testing.T) {
	q := "define operator b from generic::batch with count = 3, timeout = 10 end;\n" +
		"define operator h from debug::history with op = \"h\", name = \"h\" end;\n" +
		"create operator b;\ncreate operator h;\n" +
		"select event from in into b;\n" +
		"select event from b into h;\n" +
		"select {\"h\": $h} from h into out;\n" +
		"select event from b into out;\n"
	p := NewPipeline(mustCompile(t, q))
	var got []string
	step := func(outs []Output, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			var vals []string
			for _, v := range OutputValues(o.Event) {
				vals = append(vals, value.EncodeSorted(v))
			}
			got = append(got, fmt.Sprintf("%s@%d#%d", strings.Join(vals, ","), o.Event.IngestNs, o.Event.ID.Seq))
		}
		got = append(got, "/")
	}
	ev := func(n uint64) *Event {
		e := NewEvent(value.NewUint(n), n)
		e.ID = EventID{Seq: n}
		return e
	}
	step(p.Enqueue("in", ev(1)))
	step(p.Enqueue("in", ev(2)))
	step(p.Tick(5))  // 5 - 1 = 4: not past the timeout
	step(p.Tick(11)) // 11 - 1 = 10: not past it either (strictly greater)
	step(p.Tick(12))
	step(p.Tick(30)) // empty batch: nothing
	step(p.Enqueue("in", ev(40)))
	step(p.Enqueue("in", ev(41)))
	step(p.Enqueue("in", ev(42))) // count reached
	want := "/" + "/" + "/" + "/" +
		`{"h":["evt: h(0:0:0:0 0:0:1:2)"]}@1#0` + `1,2@1#0` + "/" +
		"/" + "/" + "/" +
		`{"h":["evt: h(0:0:1:1 0:0:40:42)"]}@40#1` + `40,41,42@40#1` + "/"
	if g := strings.Join(got, ""); g != want {
		t.Errorf("got  %s\nwant %s", g, want)
	}
}
