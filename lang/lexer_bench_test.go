package lang

import (
	"fmt"
	"strings"
	"testing"
)

// lexBenchSource generates a realistic trickle program of at least n bytes: comments, windows,
// scripts with match/patch/for, strings with interpolation, heredocs, extractors and selects,
// repeated with distinct names.
func lexBenchSource(n int) string {
	var b strings.Builder
	b.WriteString("### A generated pipeline.\n#!config metrics_interval_s = 10\nuse std::string;\nuse std::record;\n")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `
# ---- stage %[1]d: window, enrichment script, counter ----
## Tumbling window number %[1]d.
define window w%[1]d from tumbling
with
  interval = core::datetime::with_seconds(%[1]d),
  max_groups = 1_000
end;

## Enriches events of stage %[1]d.
define script enrich%[1]d
args
  threshold = 10.5,
  label = "svc-%[1]d"
state
  {"count": 0, "last": null}
script
  use std::string;
  # count everything we see
  let state.count = state.count + 1;
  let event.label = args.label;
  match event of
    case %%{ present level, level == "error" } => let $severity = 3
    case r = %%{ msg ~= glob|*timeout*| } => let event.timeout = true
    case %%{ msg ~= re|^(?P<code>[0-9]+) \| (?P<text>.*)$| } => emit event => "codes"
    case %%[ _, ~ %%{ a > 0x1f } ] => drop
    case _ => null
  end;
  let event.tags = for event.tags of
    case (i, t) when t != "" and i < 16 => string::lowercase(t)
  end;
  let event.summary = "#{event.host}:#{state.count} #{args.label} \"quoted\" \u00e9";
  let event.report = """
    host: #{ event.host }
    bits: #{ event.flags >> 3 & 0xff }
  """;
  patch event of
    insert "seen" => true;
    upsert "n" => state.count * 2 + 1;
    merge "meta" => {"stage": %[1]d, "ratio": 1.5e-3};
    erase "debug"
  end
end;

define operator counter%[1]d from generic::counter;
create script enrich%[1]d;
create operator counter%[1]d;

select event from in into enrich%[1]d;
select event from enrich%[1]d into counter%[1]d;
select {
  "host": group[0],
  "count": aggr::stats::count(),
  "p99": aggr::stats::hdr(event.duration, ["0.5", "0.99"]),
  "errors": aggr::win::collect_flattened(event.msg)
}
from counter%[1]d[w%[1]d]
where event.event.duration > 0.5 and not (event.event.host == "localhost")
group by set(event.event.host, each(record::keys(event.event.tags)))
into out
having event.count > %[1]d;
`, i)
	}
	return b.String()
}

// BenchmarkLex measures lexing throughput in MB/s of source (target: ≥ 50 MB/s).
func BenchmarkLex(b *testing.B) {
	src := lexBenchSource(1 << 20)
	toks, err := Lex("big.trickle", src)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Lex("big.trickle", src); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(src))/float64(len(toks)), "bytes/token")
}
