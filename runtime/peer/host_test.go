package peer

import (
	"context"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/interceptor"
)

func testHost(t *testing.T, out chan peertestDelivered) *Host {
	c, err := codec.Builtin().Compile(codec.Ref{Name: "json"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := interceptor.Builtin().Compile([]interceptor.Ref{{Name: "lines"}}, "both")
	if err != nil {
		t.Fatal(err)
	}
	return NewHost(HostConfig{UID: 7, Alias: "h", Codec: c, Read: st, Write: st,
		Deliver: func(port string, ev *runtime.Event) bool { out <- peertestDelivered{port, ev}; return true }})
}

func TestHostSplitsDecodesAndKeepsStreamsApart(t *testing.T) {
	out := make(chan peertestDelivered, 100)
	h := testHost(t, out)
	ctx := context.Background()
	a, b := h.StartStream(), h.StartStream()
	h.Receive(ctx, Incoming{Stream: a}, []byte(`{"x":`))
	h.Receive(ctx, Incoming{Stream: b}, []byte("1\n2"))
	h.Receive(ctx, Incoming{Stream: a}, []byte("1}\nnot json\n"))
	h.EndStream(b)
	var got []string
	for len(out) > 0 {
		d := <-out
		got = append(got, d.Port+" "+value.Encode(d.Ev.Value)+" "+string(rune('0'+d.Ev.ID.Stream))+string(rune('0'+d.Ev.ID.Seq)))
	}
	want := []string{
		"out 1 20",
		`out {"x":1} 10`,
		`err {"error":"json codec: `, // a prefix
	}
	if len(got) != 4 || got[0] != want[0] || got[1] != want[1] || !strings.HasPrefix(got[2], want[2]) || got[3] != "out 2 21" {
		t.Fatalf("got %q", got)
	}
	if !strings.Contains(got[2], `"raw":"bm90IGpzb24="`) {
		t.Errorf("err event lacks the raw bytes: %s", got[2])
	}
}

func TestHostCorrelationAndTracking(t *testing.T) {
	out := make(chan peertestDelivered, 10)
	h := testHost(t, out)
	req := testEvent(`"q"`, `{"correlation": 42, "other": 1}`)
	req.ID = runtime.EventID{Peer: 3, Stream: 9, Seq: 5}
	h.Receive(context.Background(), Incoming{Stream: 1, Cause: req}, []byte("{}\n"))
	d := <-out
	if value.EncodeSorted(d.Ev.Meta) != `{"correlation":42}` {
		t.Errorf("meta %s", value.EncodeSorted(d.Ev.Meta))
	}
	if s := d.Ev.Streams(3); len(s) != 1 || s[0] != 9 {
		t.Errorf("tracked streams of peer 3: %v", s)
	}
}

func TestHostSerialize(t *testing.T) {
	h := testHost(t, make(chan peertestDelivered, 1))
	chunks, err := h.Serialize(1, runtime.NewEvent(value.MustDecodeJSON(`{"a":[1,2.5]}`), 0))
	if err != nil || len(chunks) != 1 || string(chunks[0]) != "{\"a\":[1,2.5]}\n" {
		t.Fatalf("%q %v", chunks, err)
	}
}

type peertestDelivered struct {
	Port string
	Ev   *runtime.Event
}

func testEvent(v, meta string) *runtime.Event {
	ev := runtime.NewEvent(value.MustDecodeJSON(v), 1)
	ev.Meta = value.MustDecodeJSON(meta)
	return ev
}

// batchOf builds a generic::batch event of values with the given metas, the way the batch
// operator does.
func batchOf(values, metas []string) *runtime.Event {
	items := make([]value.Value, len(values))
	for i := range values {
		data := value.NewRec(3)
		data.Set("value", value.MustDecodeJSON(values[i]))
		data.Set("meta", value.MustDecodeJSON(metas[i]))
		data.Set("is_batch", value.NewBool(false))
		item := value.NewRec(1)
		item.Set("data", value.NewRecordValue(data))
		items[i] = value.NewRecordValue(item)
	}
	ev := runtime.NewEvent(value.NewArray(items), 1)
	ev.IsBatch = true
	return ev
}

func TestHostSerializeBatchWritesElements(t *testing.T) {
	h := testHost(t, make(chan peertestDelivered, 1))
	chunks, err := h.Serialize(1, batchOf([]string{`1`, `{"b":2}`}, []string{`{}`, `{}`}))
	var got []string
	for _, c := range chunks {
		got = append(got, string(c))
	}
	if err != nil || strings.Join(got, "") != "1\n{\"b\":2}\n" {
		t.Fatalf("%q %v", got, err)
	}
}

func TestHostBatchCorrelationIsAnArray(t *testing.T) {
	out := make(chan peertestDelivered, 1)
	h := testHost(t, out)
	req := batchOf([]string{`1`, `2`, `3`}, []string{`{"correlation": "a"}`, `{}`, `{"correlation": 3}`})
	h.Receive(context.Background(), Incoming{Stream: 1, Cause: req}, []byte("{}\n"))
	d := <-out
	if got := value.EncodeSorted(d.Ev.Meta); got != `{"correlation":["a",null,3]}` {
		t.Fatalf("meta %s", got)
	}
}

func TestHostDeliveredHook(t *testing.T) {
	h := testHost(t, make(chan peertestDelivered, 10))
	var got []string
	h.Receive(context.Background(), Incoming{Stream: 3, Delivered: func(port string, ev *runtime.Event) {
		got = append(got, port+" "+string(rune('0'+ev.ID.Seq)))
	}}, []byte("1\nbad\n2\n"))
	h.Receive(context.Background(), Incoming{Stream: 3}, []byte("3\n")) // no hook: not recorded
	if strings.Join(got, ",") != "out 0,err 1,out 2" {
		t.Fatalf("delivered %v", got)
	}
}
