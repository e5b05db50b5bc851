package lang_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rillstream/rill/lang"
)

// bigProgram generates a realistic trickle program of at least n bytes: windows, scripts with
// match/patch/for/interpolation, operators and selects, repeated with distinct names.
func bigProgram(n int) string {
	var b strings.Builder
	b.WriteString("use std::string;\nuse std::record;\n")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `
# window and script set %[1]d
define window w%[1]d from tumbling
with
  size = %[1]d,
  max_groups = 1000
end;

define script enrich%[1]d
args
  threshold = 10,
  label = "svc-%[1]d"
state
  {"count": 0}
script
  use std::string;
  let state.count = state.count + 1;
  let event.label = args.label;
  match event of
    case %%{ present level, level == "error" } => let $severity = 3
    case r = %%{ msg ~= glob|*timeout*| } => let event.timeout = true
    case _ => null
  end;
  let event.tags = for event.tags of
    case (i, t) when t != "" => string::lowercase(t)
  end;
  let event.summary = "#{event.host}:#{state.count} #{args.label}";
  patch event of
    insert "seen" => true;
    upsert "n" => state.count * 2 + 1;
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
from enrich%[1]d[w%[1]d]
where event.duration > 0.5 and not (event.host == "localhost")
group by set(event.host, each(record::keys(event.tags)))
into out
having event.count > %[1]d;
`, i)
	}
	return b.String()
}

// BenchmarkParse measures lexing+parsing throughput in MB/s of source (target: ≥ 5 MB/s).
func BenchmarkParse(b *testing.B) {
	src := bigProgram(1 << 20)
	if _, err := lang.ParseQuery("big.trickle", src); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := lang.ParseQuery("big.trickle", src); err != nil {
			b.Fatal(err)
		}
	}
}
