package local

import (
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

func TestMetronomeTicks(t *testing.T) {
	h := peertest.Start(t, metronomeSpec, `{"interval": 5}`, peertest.Options{})
	expectSignal(t, h, runtime.StreamStart, 1)
	var last uint64
	for i := range 3 {
		d := h.Next()
		rec, ok := d.Ev.Value.AsRecord()
		if d.Port != "out" || !ok {
			t.Fatalf("tick %d: %s %s", i, d.Port, value.Encode(d.Ev.Value))
		}
		onramp, _ := rec.Get("onramp")
		id, _ := rec.Get("id")
		ns, _ := rec.Get("ingest_ns")
		if s, _ := onramp.AsString(); s != "metronome" {
			t.Errorf("onramp = %s", value.Encode(onramp))
		}
		if n, _ := id.AsU64(); n != uint64(i) {
			t.Errorf("tick %d has id %s", i, value.Encode(id))
		}
		n, _ := ns.AsU64()
		if n <= last || n != d.Ev.IngestNs {
			t.Errorf("tick %d: ingest_ns %d after %d, event ingest %d", i, n, last, d.Ev.IngestNs)
		}
		last = n
		if d.Ev.ID.Stream != 1 || d.Ev.ID.Seq != uint64(i) {
			t.Errorf("tick %d id = %+v", i, d.Ev.ID)
		}
	}
	h.Stop()
	expectSignal(t, h, runtime.StreamEnd, 1)
}

func TestMetronomeRejectsZeroInterval(t *testing.T) {
	cfg := mustValidate(t, metronomeSpec.Config, `{"interval": 0}`)
	if _, err := metronomeSpec.New(cfg); err == nil || !strings.Contains(err.Error(), "interval") {
		t.Errorf("interval 0: %v", err)
	}
}

func TestNullAcksAndNeverEmits(t *testing.T) {
	h := peertest.Start(t, nullSpec, "", peertest.Options{})
	for range 3 {
		if err := h.Send(peertest.Event(`{"x":1}`, "")); err != nil {
			t.Fatal(err)
		}
	}
	h.None(20 * time.Millisecond)
}

// nextExit waits for an exit request.
func nextExit(t *testing.T, h *peertest.Harness) int {
	t.Helper()
	select {
	case c := <-h.Exits:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no exit requested")
	}
	return 0
}

func TestExitCodes(t *testing.T) {
	for _, c := range []struct {
		ev   string
		code int
	}{
		{`{"exit": 3}`, 3},
		{`{"exit": 1, "delay": 20}`, 1},
		{`{"exit": -2}`, -2},
		{`{}`, 0},
		{`"not a record"`, 0},
		{`{"exit": "one"}`, 0},              // mistyped: warned, code 0
		{`{"exit": 7, "delay": "soon"}`, 7}, // mistyped delay: warned, no delay
		{`{"exit": 99999999999}`, 0},        // out of range
	} {
		h := peertest.Start(t, exitSpec, "", peertest.Options{})
		if err := h.Send(peertest.Event(c.ev, "")); err != nil {
			t.Fatalf("%s: %v", c.ev, err)
		}
		if got := nextExit(t, h); got != c.code {
			t.Errorf("%s: exit code %d, want %d", c.ev, got, c.code)
		}
		h.Stop()
	}
}

func TestExitFirstEventDecides(t *testing.T) {
	h := peertest.Start(t, exitSpec, "", peertest.Options{})
	h.Send(peertest.Event(`{"exit": 4, "delay": 10}`, ""))
	h.Send(peertest.Event(`{"exit": 5}`, ""))
	if got := nextExit(t, h); got != 4 {
		t.Errorf("exit code %d, want 4", got)
	}
	select {
	case c := <-h.Exits:
		t.Errorf("second exit %d requested", c)
	case <-time.After(30 * time.Millisecond):
	}
}

func TestExitStopCancelsDelay(t *testing.T) {
	h := peertest.Start(t, exitSpec, "", peertest.Options{})
	if err := h.Send(peertest.Event(`{"exit": 1, "delay": 60000}`, "")); err != nil {
		t.Fatal(err)
	}
	h.Stop() // returns at once, no exit
	if len(h.Exits) != 0 {
		t.Errorf("exit requested after Stop")
	}
}

func TestMetricsPassesSnapshotsThrough(t *testing.T) {
	snap := []value.Value{
		value.MustDecodeJSON(`{"measurement": "rill_peer_events", "tags": {"peer": "api", "port": "out"}, "fields": {"count": 12}, "timestamp": 5}`),
		value.MustDecodeJSON(`{"measurement": "rill_peer_events", "tags": {"peer": "api", "port": "err"}, "fields": {"count": 0}, "timestamp": 5}`),
	}
	h := peertest.Start(t, metricsSpec, `{"interval": 5}`, peertest.Options{Snapshot: func() []value.Value { return snap }})
	expectSignal(t, h, runtime.StreamStart, 1)
	for round := range 2 {
		for i, want := range snap {
			ev := expectOut(t, h, peertest.JS(want))
			if ev.ID.Seq != uint64(2*round+i) {
				t.Errorf("round %d event %d: id %+v", round, i, ev.ID)
			}
		}
	}
	h.Stop()
	expectSignal(t, h, runtime.StreamEnd, 1)
}

func TestMetricsDefaultInterval(t *testing.T) {
	cfg := mustValidate(t, metricsSpec.Config, `{}`)
	p, err := metricsSpec.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := p.(*Metrics).interval; d != time.Second {
		t.Errorf("default interval %s, want 1s", d)
	}
}

func TestSpecsDeclareEveryLocalPeer(t *testing.T) {
	var names []string
	for _, s := range Specs() {
		names = append(names, s.Name)
		if s.New == nil || s.Doc == "" {
			t.Errorf("%s: incomplete spec", s.Name)
		}
	}
	if got := strings.Join(names, " "); got != "stdio file metronome null exit metrics" {
		t.Errorf("specs: %s", got)
	}
}
