package runtime

import (
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// streamEndRun feeds (stream, value) events from peer 5 and then ends stream 1, returning what the
// end emitted and how many groups stayed stored.
func streamEndRun(t *testing.T, mode string) ([]string, int) {
	t.Helper()
	with := "size = 100"
	if mode != "" {
		with += `, on_stream_end = "` + mode + `"`
	}
	g := mustCompile(t, "define window w from tumbling with "+with+" end;\n"+
		"select {\"s\": group[0][1], \"vals\": aggr::win::collect_flattened(event)} from in[w] group by [source_id(), stream_id()] into out;\n")
	p := NewPipeline(g)
	for i, s := range []uint64{1, 2, 1} {
		ev := NewEvent(value.NewInt(int64(i)), uint64(i))
		ev.ID = EventID{Peer: 5, Stream: s, Seq: uint64(i)}
		ev.PeerName = "tcp"
		if outs, err := p.Enqueue("in", ev); err != nil || len(outs) != 0 {
			t.Fatalf("enqueue: %v %v", outs, err)
		}
	}
	outs, err := p.Signal(Signal{Kind: StreamEnd, Peer: 5, Stream: 1}, 99)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range outs {
		got = append(got, value.EncodeSorted(o.Event.Value))
		if s := o.Event.Streams(5); len(s) != 1 || s[0] != 1 {
			t.Errorf("the flushed window tracks streams %v of peer 5, want [1]", s)
		}
	}
	var stored int
	for _, op := range p.ops {
		if s, ok := op.(*selectOp); ok && s.win != nil {
			stored = len(s.win.stored)
		}
	}
	return got, stored
}

func TestStreamEndEmitsAndEvicts(t *testing.T) {
	got, stored := streamEndRun(t, "")
	if strings.Join(got, "|") != `{"s":1,"vals":[0,2]}` || stored != 1 {
		t.Fatalf("got %v, %d groups stored", got, stored)
	}
}

func TestStreamEndDiscard(t *testing.T) {
	got, stored := streamEndRun(t, "discard")
	if len(got) != 0 || stored != 1 {
		t.Fatalf("got %v, %d groups stored", got, stored)
	}
}

func TestStreamEndKeep(t *testing.T) {
	got, stored := streamEndRun(t, "keep")
	if len(got) != 0 || stored != 2 {
		t.Fatalf("got %v, %d groups stored", got, stored)
	}
}

func TestStreamEndBadOption(t *testing.T) {
	err := compileErr(t, "define window w from tumbling with size = 2, on_stream_end = \"flush\" end;\nselect aggr::stats::count() from in[w] into out;\n")
	if !strings.Contains(err, `on_stream_end must be "emit", "discard" or "keep"`) {
		t.Fatal(err)
	}
}

func compileErr(t *testing.T, src string) string {
	t.Helper()
	_, err := compileQuery(t, "q.trickle", src)
	if err == nil {
		t.Fatal("compiled without error")
	}
	return err.Error()
}

// TestNodeCountsPerPort: a node's counters split its emissions by connected output port.
func TestNodeCountsPerPort(t *testing.T) {
	g := mustCompile(t, "define script s script match event of case 1 => emit event => \"ones\" case _ => event end end;\n"+
		"create script s;\ncreate stream ones;\nselect event from in into s;\nselect event from s into out;\nselect event from s/ones into out;\n")
	p := NewPipeline(g)
	for _, v := range []int64{1, 2, 1, 3} {
		if _, err := p.Enqueue("in", NewEvent(value.NewInt(v), 0)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range p.Counts() {
		c := &p.Counts()[i]
		if c.Name != "s" {
			continue
		}
		got := map[string]uint64{}
		for j := range c.Ports {
			got[c.Ports[j].Port] = c.Ports[j].N.Load()
		}
		if c.In.Load() != 4 || c.Out.Load() != 4 || got["out"] != 2 || got["ones"] != 2 {
			t.Fatalf("in %d out %d ports %v", c.In.Load(), c.Out.Load(), got)
		}
		return
	}
	t.Fatal("no node s")
}
