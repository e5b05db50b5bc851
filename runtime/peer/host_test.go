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

func TestHostSetStreamCodec(t *testing.T) {
	out := make(chan peertestDelivered, 10)
	h := testHost(t, out) // json, lines
	ctx := context.Background()
	if err := h.SetStreamCodec(1, "string", true, true); err != nil {
		t.Fatal(err)
	}
	if n := h.StreamCodecName(1, false); n != "string" {
		t.Fatalf("read codec of stream 1: %q", n)
	}
	if n := h.StreamCodecName(2, true); n != "json" {
		t.Fatalf("an unset stream reports %q, want the peer's json", n)
	}
	h.Receive(ctx, Incoming{Stream: 1}, []byte("plain {text\n"))
	h.Receive(ctx, Incoming{Stream: 2}, []byte(`{"x":1}`+"\n"))
	for _, want := range []string{`"plain {text"`, `{"x":1}`} {
		d := <-out
		if d.Port != "out" || value.Encode(d.Ev.Value) != want {
			t.Fatalf("got %s %s, want %s", d.Port, value.Encode(d.Ev.Value), want)
		}
	}
	chunks, err := h.Serialize(1, runtime.NewEvent(value.NewString("as is"), 0))
	if err != nil || len(chunks) != 1 || string(chunks[0]) != "as is\n" {
		t.Fatalf("string write side: %q %v", chunks, err)
	}
	// in use: the codec stays and the call fails, without changing the other side
	err = h.SetStreamCodec(1, "yaml", true, false)
	if err == nil || !strings.Contains(err.Error(), "already in use with codec `string`") {
		t.Fatalf("re-choosing a used side: %v", err)
	}
	if n := h.StreamCodecName(1, false); n != "string" {
		t.Fatalf("the used side changed to %q", n)
	}
	// a choice nothing used yet is replaced by the next one
	if err := h.SetStreamCodec(3, "yaml", false, true); err != nil {
		t.Fatal(err)
	}
	if err := h.SetStreamCodec(3, "msgpack", false, true); err != nil {
		t.Fatalf("replacing an unused choice: %v", err)
	}
	if n := h.StreamCodecName(3, true); n != "msgpack" {
		t.Fatalf("write codec of stream 3: %q", n)
	}
	// unknown names are errors and change nothing
	err = h.SetStreamCodec(4, "nope", true, true)
	if err == nil || !strings.Contains(err.Error(), "unknown codec `nope`") {
		t.Fatalf("unknown codec: %v", err)
	}
	if n := h.StreamCodecName(4, false); n != "json" {
		t.Fatalf("a failed choice left %q", n)
	}
	// EndStream forgets the choice with the state
	h.EndStream(1)
	if n := h.StreamCodecName(1, false); n != "json" {
		t.Fatalf("after EndStream: %q", n)
	}
}

// A decode error of a stream's chosen codec names that codec, not the peer's.
func TestHostStreamCodecErrorsNameIt(t *testing.T) {
	out := make(chan peertestDelivered, 10)
	h := testHost(t, out)
	if err := h.SetStreamCodec(5, "string", true, false); err != nil {
		t.Fatal(err)
	}
	h.Receive(context.Background(), Incoming{Stream: 5}, []byte("\xff\n"))
	d := <-out
	if d.Port != "err" || !strings.Contains(value.Encode(d.Ev.Value), "string codec: ") {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
}

// Naming the peer's own codec keeps its config (here json in sorted mode).
func TestHostSetStreamCodecKeepsOwnConfig(t *testing.T) {
	c, err := codec.Builtin().Compile(codec.Ref{Name: "json", Config: value.MustDecodeJSON(`{"mode": "sorted"}`)})
	if err != nil {
		t.Fatal(err)
	}
	h := NewHost(HostConfig{UID: 1, Alias: "h", Codec: c})
	if err := h.SetStreamCodec(1, "json", false, true); err != nil {
		t.Fatal(err)
	}
	chunks, err := h.Serialize(1, runtime.NewEvent(value.MustDecodeJSON(`{"b":1,"a":2}`), 0))
	if err != nil || len(chunks) != 1 || string(chunks[0]) != `{"a":2,"b":1}` {
		t.Fatalf("%q %v", chunks, err)
	}
}
