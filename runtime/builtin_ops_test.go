package runtime

import (
	"strings"
	"testing"

	"github.com/rillstream/rill/interp"
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/stdlib"
)

// TestOperatorConfigErrors checks the graph-build errors of built-in operators and creations
// (spec §4.3, §4.9).
func TestOperatorConfigErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"define operator b from generic::batch;\ncreate operator b;\n", "Operator config for b is missing"},
		{"define operator r from qos::roundrobin;\ncreate operator r;\n", "Operator config for r is missing"},
		{"define operator r from qos::roundrobin with outputs = [] end;\ncreate operator r;\n", "Operator config for r is missing"},
		{"define operator h from debug::history;\ncreate operator h;\n", "Operator config for h is missing"},
		{"define operator p from qos::percentile;\ncreate operator p;\n", "Operator config for p is missing"},
		{"define operator p from qos::backpressure;\ncreate operator p;\n", "Operator config for p is missing"},
		{"define operator g from grouper::bucket with x = 1 end;\ncreate operator g;\n", "Operator g has a config but can't be configured"},
		{"define operator b from generic::batch with count = 2, size = 3 end;\ncreate operator b;\n", "unknown field `size`"},
		{"define operator b from generic::batch with count = \"2\" end;\ncreate operator b;\n", "invalid type for field `count`"},
		{"define operator b from generic::batch with timeout = 2 end;\ncreate operator b;\n", "missing field `count`"},
		{"define operator h from debug::history with op = \"x\" end;\ncreate operator h;\n", "missing field `name`"},
		{"define operator p from qos::backpressure with timeout = 1, method = \"drop\" end;\ncreate operator p;\n", "unknown variant"},
		{"define operator o from generic::counter;\ncreate operator x from nope;\n", "operator not found"},
		{"define operator o from generic::counter;\ncreate operator in from o;\n", "Name `in` is already in use for another node"},
		{"define operator o from generic::counter;\ncreate operator o;\ncreate operator o;\n", "Name `o` is already in use for another node"},
		{"define operator o from generic::counter args n with count = args.n end;\ncreate operator o;\n", "Missing key"},
		{"define operator o from generic::counter;\ncreate operator o with n = 1 end;\n", "Unknown key"},
		{"define pipeline p pipeline select event from in into out; end;\ncreate pipeline q from nope;\n", "Unknown pipeline `nope`"},
		{"define pipeline p args a pipeline select event from in into out; end;\ncreate pipeline p;\n", "Required key not provided"},
		{"define pipeline p pipeline select event from in into out; end;\ncreate pipeline p with z = 1 end;\n", "Unknown parameter z"},
		{"define pipeline p pipeline select event from in into out; end;\ncreate pipeline p;\nselect event from in into p/x;\n", "Stream used in `from` or `into` is not defined: p/x"},
		{"define pipeline p pipeline select event from in into out; end;\ncreate pipeline p;\nselect event from p/nope into out;\n", "Stream used in `from` or `into` is not defined: p/nope"},
		{"define pipeline p from a pipeline select event from in into out; end;\ncreate pipeline p;\n", "Stream used in `from` or `into` is not defined: in/out"},
		{"define pipeline p pipeline select event from in into out; end;\ncreate pipeline p;\ncreate stream p;\n", "already in use"},
	} {
		err := checkAndCompile(t, tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}

// checkAndCompile compiles src without the static checker, which reports several creation
// errors first with texts of its own; these are the runtime's (spec §4.3) texts.
func checkAndCompile(t *testing.T, src string) error {
	t.Helper()
	f, err := lang.ParseQuery("q.trickle", src)
	if err != nil {
		return err
	}
	_, err = Compile(f, src, Options{Env: &interp.Env{Registry: stdlib.NewRegistry()}})
	return err
}

func TestUnknownOperatorKind(t *testing.T) {
	err := checkAndCompile(t, "define operator x from nope::thing;\ncreate operator x;\n")
	if err == nil || !strings.Contains(err.Error(), "Unknown operator: nope::thing") {
		t.Errorf("got %v", err)
	}
}

func TestBatchTimeoutAndPipelinePorts(t *testing.T) {
	g, err := compileQuery(t, "q.trickle", `define operator b from generic::batch with count = 10, timeout = 2 end;
create operator b;
select event from in into b;
select event from b into out;
`)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPipeline(g)
	var got []string
	for i, v := range []string{"1", "2", "3", "4", "5"} {
		got = append(got, enqueueLine(t, p, uint64(i), v)...)
	}
	// ingest_ns 0..4: flush once ingest_ns - first > 2, i.e. at 3 (events 0..3); 4 stays pending.
	if s := strings.Join(got, "|"); s != "[1,2,3,4]" {
		t.Errorf("batch timeout: got %s", s)
	}

	// `from p/err` registers on the passthrough's port err, which only emits on out (spec §4.3).
	g, err = compileQuery(t, "q.trickle", `define pipeline p pipeline
  select event from in into out;
  select {"e": event} from in into err;
end;
create pipeline p;
select event from in into p;
select {"out": event} from p into out;
select {"err": event} from p/err into out;
`)
	if err != nil {
		t.Fatal(err)
	}
	p = NewPipeline(g)
	if s := strings.Join(enqueueLine(t, p, 0, "1"), "|"); s != `{"out":1}` {
		t.Errorf("pipeline ports: got %s", s)
	}
}

// enqueueLine runs one JSON value through p at ingest time ns and returns the output values in
// canonical form (a batch as `[inner values]`).
func enqueueLine(t *testing.T, p *Pipeline, ns uint64, line string) []string {
	t.Helper()
	outs, err := p.Enqueue("in", NewEvent(value.MustDecodeJSON(line), ns))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range outs {
		var vs []string
		for _, v := range OutputValues(o.Event) {
			vs = append(vs, value.EncodeSorted(v))
		}
		if o.Event.IsBatch {
			got = append(got, "["+strings.Join(vs, ",")+"]")
		} else {
			got = append(got, vs...)
		}
	}
	return got
}
