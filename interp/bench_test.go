package interp

import (
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// benchRun compiles src and runs it b.N times over the event (fresh meta, shared state).
func benchRun(b *testing.B, src, event string) {
	p, err := compileSrc(b, src)
	if err != nil {
		b.Fatal(err)
	}
	ev := value.MustDecodeJSON(event)
	meta := value.NewRecordValue(value.NewRec(0))
	state := value.NullValue
	fr := p.NewFrame()
	fr.Ctx = testCtx{}
	fr.Meta, fr.State = &meta, &state
	cur := ev
	fr.Event = &cur
	if _, err := p.Run(fr); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		cur = ev
		if _, err := p.Run(fr); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWhere is a where-clause-like expression (budget: ≤ 60 ns/op, 0 allocs/op).
func BenchmarkWhere(b *testing.B) {
	benchRun(b, `event.a.b + 1 > 3 and event.s == "x"`, `{"a":{"b":5},"s":"x"}`)
}

// BenchmarkScript10 is a 10-statement script: lets, a match, a string::format call and a patch
// (budget: ≤ 1 µs/op).
func BenchmarkScript10(b *testing.B) {
	benchRun(b, `use std::string;
let a = event.a.b + 1;
let s = event.s;
let kind = match event of
  case %{s == "x"} => "ex"
  case %{present a} => "a"
  case _ => "other"
end;
let label = string::format("{}-{}", kind, a);
let event.label = label;
let event.n = a * 2;
let total = a + event.n;
let flag = total > 10 and s == "x";
let out = patch event of insert "flag" => flag; upsert "total" => total; erase "s" end;
out`, `{"a":{"b":5},"s":"x","t":1}`)
}
