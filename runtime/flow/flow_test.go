package flow

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer"
)

const perStreamFlow = `
define flow f
flow
  define peer src from probe with config = {"name": "src1"} end;
  define peer dst from probe with config = {"name": "dst1"} end;
  define pipeline agg
  pipeline
    define window w from tumbling with size = 100 end;
    select {"stream": group[0][1], "n": aggr::stats::count(), "vals": aggr::win::collect_flattened(event)}
    from in[w] group by [source_id(), stream_id()] into out;
    select {"id": event_id(), "stream": stream_id(), "peer": source_id(), "v": event} from in where event == "echo" into out;
  end;
  create peer src;
  create peer dst;
  create pipeline agg;
  connect /peer/src to /pipeline/agg;
  connect /pipeline/agg to /peer/dst;
end;
deploy flow f;
`

// TestFlowPerStreamAggregation: two streams of one peer aggregate separately; ending a stream
// flushes its group (on_stream_end = "emit"), the signal reaches the sink, ids reach scripts.
func TestFlowPerStreamAggregation(t *testing.T) {
	startSrc(t, perStreamFlow)
	src, dst := getProbe(t, "src1"), getProbe(t, "dst1")
	ctx := context.Background()
	a, b := src.host.StartStream(), src.host.StartStream()
	src.host.Receive(ctx, peer.Incoming{Stream: a}, []byte("1\n2\n"))
	src.host.Receive(ctx, peer.Incoming{Stream: b}, []byte("10\n\"echo\"\n"))
	src.host.Receive(ctx, peer.Incoming{Stream: a}, []byte("3\n"))
	got := dst.next(t)
	if s := value.EncodeSorted(got.ev.Value); s != `{"id":1,"peer":"src","stream":2,"v":"echo"}` {
		t.Fatalf("echo: %s", s)
	}
	src.host.EndStream(a)
	got = dst.next(t)
	if s := value.EncodeSorted(got.ev.Value); s != `{"n":3,"stream":1,"vals":[1,2,3]}` {
		t.Fatalf("flush of stream a: %s", s)
	}
	if s := got.ev.Streams(1); len(s) != 1 || s[0] != a {
		t.Errorf("the aggregate tracks streams %v of the source, want [%d]", s, a)
	}
	// Signals reach the sink: start a, start b, end a (in order).
	var sigs []string
	for len(sigs) < 3 {
		select {
		case s := <-dst.sigs:
			sigs = append(sigs, s.Kind.String()+" "+string(rune('0'+s.Stream)))
		case <-time.After(5 * time.Second):
			t.Fatalf("signals so far %v", sigs)
		}
	}
	if strings.Join(sigs, ",") != "StartStream 1,StartStream 2,EndStream 1" {
		t.Errorf("signals %v", sigs)
	}
}

// TestFlowContraflowAndErrPort: a sink's ack or fail goes back to the source; the pipeline's err
// port reaches a peer as a Failed event.
func TestFlowContraflowAndErrPort(t *testing.T) {
	startSrc(t, `
define flow f
flow
  define peer src from probe with config = {"name": "src2"} end;
  define peer dst from probe with config = {"name": "dst2"} end;
  define pipeline p
  pipeline
    define script s script let event.x = event.x + 1; event end;
    create script s;
    select event from in into s;
    select event from s into out;
    select event from s/err into err;
  end;
  create peer src; create peer dst; create pipeline p;
  connect /peer/src to /pipeline/p;
  connect /pipeline/p/out to /peer/dst;
  connect /pipeline/p/err to /peer/dst;
end;
deploy flow f;`)
	src, dst := getProbe(t, "src2"), getProbe(t, "dst2")
	s := src.host.StartStream()
	src.host.Receive(context.Background(), peer.Incoming{Stream: s}, []byte("{\"x\":1}\n{\"x\":\"no\"}\n"))
	ok := dst.next(t)
	if value.Encode(ok.ev.Value) != `{"x":2}` || ok.ev.Failed {
		t.Fatalf("ok event %s failed=%v", value.Encode(ok.ev.Value), ok.ev.Failed)
	}
	bad := dst.next(t)
	if !bad.ev.Failed || !strings.Contains(value.Encode(bad.ev.Value), "error") {
		t.Fatalf("err event %s failed=%v", value.Encode(bad.ev.Value), bad.ev.Failed)
	}
	if a := <-src.acks; a != `ack {"x":2}` {
		t.Errorf("contraflow: %s", a)
	}
}

// TestFlowCircuitBreakerPausesSource: a sink closing its breaker pauses the source feeding it.
func TestFlowCircuitBreakerPausesSource(t *testing.T) {
	startSrc(t, perStreamFlow)
	src, dst := getProbe(t, "src1"), getProbe(t, "dst1")
	dst.host.CircuitBreaker(false, 0, 0)
	if !src.host.Paused(1) {
		t.Fatal("the source is not paused while its sink's breaker is closed")
	}
	dst.host.CircuitBreaker(true, 0, 0)
	if src.host.Paused(1) {
		t.Fatal("the source stays paused after the breaker opened")
	}
	// Per stream: only that stream of the source.
	dst.host.CircuitBreaker(false, src.host.UID(), 7)
	if !src.host.Paused(7) || src.host.Paused(8) {
		t.Fatal("a per-stream breaker must pause exactly that stream")
	}
}

func TestFlowMetrics(t *testing.T) {
	r := startSrc(t, perStreamFlow)
	src, dst := getProbe(t, "src1"), getProbe(t, "dst1")
	s := src.host.StartStream()
	src.host.Receive(context.Background(), peer.Incoming{Stream: s}, []byte("\"echo\"\nnot json\n"))
	dst.next(t)
	found := map[string]uint64{}
	for _, v := range r.Snapshot() {
		rec, _ := v.AsRecord()
		m, _ := rec.Get("measurement")
		tags, _ := rec.Get("tags")
		fields, _ := rec.Get("fields")
		c, _ := fields.AsRecord()
		n, _ := c.Get("count")
		u, _ := n.AsU64()
		found[value.Encode(m)+value.EncodeSorted(tags)] = u
	}
	for k, want := range map[string]uint64{
		`"rill_peer_events"{"flow":"f","kind":"out","peer":"src","type":"probe"}`:             1,
		`"rill_peer_events"{"flow":"f","kind":"err","peer":"src","type":"probe"}`:             1,
		`"rill_peer_events"{"flow":"f","kind":"in","peer":"dst","type":"probe"}`:              1,
		`"rill_node_events"{"flow":"f","kind":"in","node":"in","pipeline":"agg"}`:             1,
		`"rill_node_port_events"{"flow":"f","node":"select_1","pipeline":"agg","port":"out"}`: 1,
	} {
		if found[k] != want {
			t.Errorf("%s = %d, want %d", k, found[k], want)
		}
	}
}

func TestFlowCompileErrors(t *testing.T) {
	base := func(peerWith, connect string) string {
		return "define flow f\nflow\n  define peer src from probe with " + peerWith + " end;\n" +
			"  define pipeline p pipeline select event from in into out; end;\n" +
			"  create peer src; create pipeline p;\n  " + connect + "\nend;\ndeploy flow f;\n"
	}
	ok := `config = {"name": "x"}`
	for _, tc := range []struct{ src, want string }{
		{base(`config = {"nme": "x"}`, ""), "flow.troy:3:45: unknown config key `nme` for peer type `probe`; did you mean `name`?"},
		{base(`config = {"name": 1}`, ""), "flow.troy:3:45: config key `name` of peer type `probe` must be a string, not integer"},
		{base(`config = {}`, ""), "flow.troy:3:44: missing config key `name` for peer type `probe`: a string"},
		{base(ok+`, codec = "jsn"`, ""), "unknown codec `jsn`"},
		{base(ok+`, interceptors = ["lnes"]`, ""), "interceptors: unknown interceptor `lnes`"},
		{base(ok+`, reconect = 1`, ""), "flow.troy:3:59: unknown peer setting `reconect`"},
		{strings.Replace(base(ok, ""), "from probe", "from prob", 1), "flow.troy:3:24: unknown peer type `prob`"},
		{base(ok, "connect /peer/src/nope to /pipeline/p;"), "flow.troy:6:21: peer `src` (probe) has no source port `nope`"},
		{base(ok, "connect /peer/src to /pipeline/p/nope;"), "flow.troy:6:36: pipeline `p` has no input port `nope`"},
		{base(ok, "connect /peer/src to /peer/src;"), "a peer is connected to a pipeline, not to another peer"},
		{"define pipeline p pipeline select event from in into out; end;\n", "nothing to run: the file deploys no flow"},
	} {
		_, err := compileSrc(t, tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s\n got %v\nwant %s", tc.src, err, tc.want)
		}
		if d, ok := err.(*lang.Diagnostic); err != nil && !ok {
			t.Errorf("%v is not a located diagnostic", err)
		} else if err != nil && d.Pos.Line == 0 {
			t.Errorf("%v has no position", err)
		}
	}
}

func TestFlowArgs(t *testing.T) {
	d, err := compileSrc(t, `
define flow f
args name = "dflt"
flow
  define peer src from probe args n = "x" with config = {"name": args.n} end;
  define pipeline p args k = 1 pipeline select {"k": args.k, "e": event} from in into out; end;
  create peer src with n = args.name end;
  create pipeline p with k = 2 end;
  connect /peer/src to /pipeline/p;
end;
deploy flow f with name = "given" end;`)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Flows[0].Peers[0].Config.String("name"); got != "given" {
		t.Errorf("peer config name = %q", got)
	}
	p := runtime.NewPipeline(d.Flows[0].Pipelines[0].Graph)
	outs, err := p.Enqueue("in", runtime.NewEvent(value.NewInt(5), 0))
	if err != nil || len(outs) != 1 || value.Encode(outs[0].Event.Value) != `{"k":2,"e":5}` {
		t.Fatalf("%v %v", outs, err)
	}
}

// TestFlowAcksDroppedEvents: an event a stateless pipeline filters out is acked back to its
// source (a transactional source would redeliver it forever otherwise); one a window holds is not
// (it is part of a later aggregate).
func TestFlowAcksDroppedEvents(t *testing.T) {
	startSrc(t, `
define flow f
flow
  define peer src from probe with config = {"name": "src3"} end;
  define peer dst from probe with config = {"name": "dst3"} end;
  define pipeline filter pipeline select event from in where event != "skip" into out; end;
  define pipeline win pipeline
    define window w from tumbling with size = 100 end;
    select aggr::stats::count() from in[w] into out;
  end;
  create peer src; create peer dst; create pipeline filter; create pipeline win;
  connect /peer/src/out to /pipeline/filter;
  connect /peer/src/err to /pipeline/win;
  connect /pipeline/filter to /peer/dst;
  connect /pipeline/win to /peer/dst;
end;
deploy flow f;`)
	src, dst := getProbe(t, "src3"), getProbe(t, "dst3")
	s := src.host.StartStream()
	src.host.Receive(context.Background(), peer.Incoming{Stream: s}, []byte("\"skip\"\n\"keep\"\nnot json\n"))
	if got := dst.next(t); value.Encode(got.ev.Value) != `"keep"` {
		t.Fatalf("sink got %s", value.Encode(got.ev.Value))
	}
	acks := map[string]bool{}
	for len(acks) < 2 {
		select {
		case a := <-src.acks:
			acks[a] = true
		case <-time.After(5 * time.Second):
			t.Fatalf("acks so far %v", acks)
		}
	}
	if !acks[`ack "skip"`] || !acks[`ack "keep"`] {
		t.Fatalf("acks %v", acks)
	}
	select {
	case a := <-src.acks:
		t.Fatalf("the err event the window holds was acked: %s", a)
	case <-time.After(100 * time.Millisecond):
	}
}
