package runtime

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
)

// TestWindowOriginSize2 runs the origin document's size_2 query unchanged: `$correlation` is
// read from the meta, so the events carry one.
func TestWindowOriginSize2(t *testing.T) {
	g := mustCompile(t, "define tumbling window size_2\nwith\n  size = 2,\n  eviction_period = 1000\nend;\n"+
		"select aggr::win::collect_flattened(event) from in[size_2] group by $correlation into out;\n")
	p := NewPipeline(g)
	origin, _ := url.Parse("tremor://localhost/x")
	var got []string
	for i, c := range []string{"x", "y", "x", "y", "x"} {
		ev := NewEvent(value.NewInt(int64(i+1)), uint64(100+i))
		ev.Meta = value.MustDecodeJSON(`{"correlation":"` + c + `"}`)
		ev.Origin = origin
		ev.ID = EventID{Seq: uint64(i)}
		outs, err := p.Enqueue("in", ev)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			// The emitted event carries the triggering event's meta, ingest time and origin.
			if o.Event.IngestNs != ev.IngestNs || o.Event.Origin != origin || value.EncodeSorted(o.Event.Meta) != value.EncodeSorted(ev.Meta) {
				t.Errorf("output %v does not carry the triggering event's meta/ingest_ns/origin", o.Event)
			}
			got = append(got, value.EncodeSorted(o.Event.Value))
			// A fresh id tracking the ids that went into the window.
			got = append(got, fmt.Sprintf("%d%v", o.Event.ID.Seq, o.Event.Tracked))
		}
	}
	if want := "[1,3]|0[{0 0 0 2}]|[2,4]|1[{0 0 1 3}]"; strings.Join(got, "|") != want {
		t.Errorf("got %s, want %s", strings.Join(got, "|"), want)
	}
}

// TestWindowLegacyCountAndInterval checks the choice for legacy windows with both `count` and
// `interval`: whichever comes first emits; a count emission includes the event and restarts the
// interval, an interval emission puts the event into the new window.
func TestWindowLegacyCountAndInterval(t *testing.T) {
	g := mustCompile(t, "define tumbling window w\nwith\n  interval = 10,\n  count = 3\nend;\n"+
		"select aggr::win::collect_flattened(event) from in[w] into out;\n")
	p := NewPipeline(g)
	var got []string
	for _, ts := range []uint64{0, 1, 2, 5, 20, 21, 22} {
		outs, err := p.Enqueue("in", NewEvent(value.NewUint(ts), ts))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			got = append(got, value.EncodeSorted(o.Event.Value))
		}
	}
	if want := "[0,1,2]|[5]|[20,21,22]"; strings.Join(got, "|") != want {
		t.Errorf("got %s, want %s", strings.Join(got, "|"), want)
	}
}

func TestWindowConfigErrors(t *testing.T) {
	for src, want := range map[string]string{
		"define window w from tumbling\nwith\n  size = 2,\n  interval = 3\nend;\nselect aggr::stats::count() from in[w] into out;\n": "only one of `size`, `interval`, or `state` is allowed",
		"define window w from tumbling\nwith\n  max_groups = 2\nend;\nselect aggr::stats::count() from in[w] into out;\n":            "either `size`, `interval`, or `state` is required",
		"define window w from sliding\nwith\n  size = 2\nend;\nselect aggr::stats::count() from in[w] into out;\n":                   "Sliding windows are not yet implemented",
	} {
		// lang.Check reports these too; Compile must not rely on it.
		f, err := lang.ParseQuery("q.trickle", src)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compile(f, src, Options{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", src, err, want)
		}
	}
}

// TestWindowNoPerEventAllocs: an event that only accumulates (no group by, no emission)
// allocates nothing in the windowed select.
func TestWindowNoPerEventAllocs(t *testing.T) {
	g := mustCompile(t, "define window w from tumbling\nwith\n  size = 1000000\nend;\n"+
		"select {\"s\": aggr::stats::sum(event.v), \"n\": aggr::stats::count()} from in[w] into out;\n")
	p := NewPipeline(g)
	ev := NewEvent(value.MustDecodeJSON(`{"v": 2}`), 0)
	if _, err := p.Enqueue("in", ev); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := p.Enqueue("in", ev); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 0 {
		t.Errorf("%v allocations per event", allocs)
	}
}
