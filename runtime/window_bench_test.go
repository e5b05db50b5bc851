package runtime

import (
	goruntime "runtime"
	"strconv"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
)

// BenchmarkGroups1M measures the memory a windowed select needs per stored group: 1,000,000
// events with distinct `g` go into one tumbling window (size 2,000,000, so it never emits) and
// the benchmark reports the retained heap per group (`bytes/group`, target ≤ 400 for count/sum)
// and the time per event (`ns/event`).
//
// Each iteration is one full run of 1,000,000 events on a fresh pipeline; the intended
// invocation is
//
//	go test ./runtime -run x -bench Groups1M -benchtime 1x -benchmem
//
// The events are built before the timer and memory baseline, so neither counts them.
func BenchmarkGroups1M(b *testing.B) {
	const groups = 1_000_000
	g, err := compileQuery(b, "groups.trickle", `define window w from tumbling with size = 2000000 end;
select {"g": group[0], "n": aggr::stats::count(), "s": aggr::stats::sum(event.v)} from in[w] group by event.g into out;
`)
	if err != nil {
		b.Fatal(err)
	}
	events := make([]*Event, groups)
	for i := range events {
		r := value.NewRec(2)
		r.Set("g", value.NewString("group-"+strconv.Itoa(i)))
		r.Set("v", value.NewInt(int64(i)))
		events[i] = NewEvent(value.NewRecordValue(r), uint64(i))
	}
	var perGroup, perEvent float64
	b.ResetTimer()
	for b.Loop() {
		var before, after goruntime.MemStats
		goruntime.GC()
		goruntime.ReadMemStats(&before)
		start := time.Now()
		p := NewPipeline(g)
		for _, ev := range events {
			outs, err := p.Enqueue("in", ev)
			if err != nil {
				b.Fatal(err)
			}
			if len(outs) != 0 {
				b.Fatalf("unexpected emission %v", outs)
			}
		}
		elapsed := time.Since(start)
		goruntime.GC()
		goruntime.ReadMemStats(&after)
		goruntime.KeepAlive(p)
		perGroup = (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / groups
		perEvent = float64(elapsed.Nanoseconds()) / groups
	}
	goruntime.KeepAlive(events)
	b.ReportMetric(perGroup, "bytes/group")
	b.ReportMetric(perEvent, "ns/event")
}
