package natspeer

import (
	"encoding/base64"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

func startNats(t *testing.T, cfg string, uid uint64) *peertest.Harness {
	t.Helper()
	return peertest.Start(t, NatsSpec, cfg, peertest.Options{UID: uid, Alias: fmt.Sprintf("nats%d", uid)})
}

// metaJS is the canonical JSON of ev's meta at path ("" path: the whole meta).
func metaJS(ev *runtime.Event, path ...string) string {
	return peertest.JS(peer.MetaPath(ev.Meta, path...))
}

func TestNatsSubscriptionsAreStreamsWithMeta(t *testing.T) {
	s := startServer(t, -1, "")
	h := startNats(t, fmt.Sprintf(`{"url": %q, "subjects": ["a.*", "b"]}`, s.ClientURL()), 1)
	s1, s2 := h.NextSignal(), h.NextSignal()
	if s1.Kind != runtime.StreamStart || s2.Kind != runtime.StreamStart || s1.Stream == s2.Stream {
		t.Fatalf("signals %+v %+v", s1, s2)
	}
	waitInterest(t, s, "a.x", 1)
	waitInterest(t, s, "b", 1)
	nc := client(t, s)
	m := nats.NewMsg("a.x")
	m.Data = []byte(`{"n": 1}`)
	m.Header.Add("X-Tag", "one")
	m.Header.Add("X-Tag", "two")
	if err := nc.PublishMsg(m); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	d := h.Next()
	if d.Port != "out" || peertest.JS(d.Ev.Value) != `{"n":1}` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	if got := metaJS(d.Ev, "nats"); got != `{"headers":{"X-Tag":["one","two"]},"subject":"a.x"}` {
		t.Fatalf("meta %s", got)
	}
	streamA := d.Ev.ID.Stream
	if err := nc.Publish("b", []byte(`2`)); err != nil {
		t.Fatal(err)
	}
	d = h.Next()
	if peertest.JS(d.Ev.Value) != "2" || metaJS(d.Ev, "nats", "subject") != `"b"` || d.Ev.ID.Stream == streamA {
		t.Fatalf("got %s on stream %d (a.* is %d)", value.Encode(d.Ev.Meta), d.Ev.ID.Stream, streamA)
	}
	h.Stop()
	e1, e2 := h.NextSignal(), h.NextSignal()
	if e1.Kind != runtime.StreamEnd || e2.Kind != runtime.StreamEnd {
		t.Fatalf("end signals %+v %+v", e1, e2)
	}
}

func TestNatsBadJSONIsAnErrEventWithRawBytes(t *testing.T) {
	s := startServer(t, -1, "")
	h := startNats(t, fmt.Sprintf(`{"url": %q, "subjects": ["in"]}`, s.ClientURL()), 1)
	waitInterest(t, s, "in", 1)
	nc := client(t, s)
	if err := nc.Publish("in", []byte(`{"broken`)); err != nil {
		t.Fatal(err)
	}
	if err := nc.Publish("in", []byte(`[1]`)); err != nil {
		t.Fatal(err)
	}
	d := h.Next()
	if d.Port != "err" {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	raw, _ := peer.MetaPath(d.Ev.Value, "raw").AsString()
	if b, _ := base64.StdEncoding.DecodeString(raw); string(b) != `{"broken` {
		t.Fatalf("raw %q in %s", b, value.Encode(d.Ev.Value))
	}
	if metaJS(d.Ev, "nats", "subject") != `"in"` {
		t.Fatalf("err meta %s", value.Encode(d.Ev.Meta))
	}
	if d := h.Next(); d.Port != "out" || peertest.JS(d.Ev.Value) != "[1]" {
		t.Fatalf("the stream did not go on: %s %s", d.Port, value.Encode(d.Ev.Value))
	}
}

func TestNatsSinkPublishesToConfigOrMetaSubject(t *testing.T) {
	s := startServer(t, -1, "")
	nc := client(t, s)
	sub, err := nc.SubscribeSync("out.>")
	if err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	h := startNats(t, fmt.Sprintf(`{"url": %q, "subject": "out.default"}`, s.ClientURL()), 1)
	waitCB(t, h, true)
	if err := h.Send(peertest.Event(`{"a": 1}`, `{"correlation": {"id": 7}}`)); err != nil {
		t.Fatal(err)
	}
	m, err := sub.NextMsg(5 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "out.default" || string(m.Data) != `{"a":1}` || m.Header.Get(correlationHeader) != `{"id":7}` {
		t.Fatalf("got %s %q %v", m.Subject, m.Data, m.Header)
	}
	ev := peertest.Event(`"x"`, `{"nats": {"publish": {"subject": "out.other", "headers": {"K": "v", "L": ["1", "2"]}}}}`)
	if err := h.Send(ev); err != nil {
		t.Fatal(err)
	}
	if m, err = sub.NextMsg(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if m.Subject != "out.other" || string(m.Data) != `"x"` || m.Header.Get("K") != "v" || len(m.Header["L"]) != 2 ||
		m.Header.Get(correlationHeader) != "" {
		t.Fatalf("got %s %q %v", m.Subject, m.Data, m.Header)
	}
	// A consumed message's meta is not an override: it goes to the sink's own subject, without
	// the received headers.
	ev = peertest.Event(`1`, `{"nats": {"subject": "in.x", "headers": {"H": ["1"]}}}`)
	if err := h.Send(ev); err != nil {
		t.Fatal(err)
	}
	if m, err = sub.NextMsg(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	if m.Subject != "out.default" || len(m.Header) != 0 {
		t.Fatalf("got %s %v", m.Subject, m.Header)
	}
	if err := h.Send(peertest.Event(`1`, `{"nats": {"publish": {"subject": "bad.*"}}}`)); err == nil ||
		!strings.Contains(err.Error(), "wildcards") {
		t.Fatalf("wildcard subject: %v", err)
	}
	if err := h.Send(peertest.Event(`1`, `{"nats": {"publish": {"headers": {"K": 1}}}}`)); err == nil ||
		!strings.Contains(err.Error(), "string or an array of strings") {
		t.Fatalf("bad header: %v", err)
	}
	if n := h.Host.Metrics().Send.Load(); n != 3 {
		t.Fatalf("send metric %d", n)
	}
}

func TestNatsSinkWithoutSubjectFails(t *testing.T) {
	s := startServer(t, -1, "")
	h := startNats(t, fmt.Sprintf(`{"url": %q}`, s.ClientURL()), 1)
	if err := h.Send(peertest.Event(`1`, "")); err == nil || !strings.Contains(err.Error(), "no subject") {
		t.Fatalf("got %v", err)
	}
}

// A plain client's request reaches the pipeline with $nats.reply; the answer sent back with that
// meta is its reply: Rill as a NATS service.
func TestNatsAnswersRequests(t *testing.T) {
	s := startServer(t, -1, "")
	h := startNats(t, fmt.Sprintf(`{"url": %q, "subjects": ["svc.add"], "queue": "workers"}`, s.ClientURL()), 1)
	waitInterest(t, s, "svc.add", 1)
	nc := client(t, s)
	type result struct {
		m   *nats.Msg
		err error
	}
	got := make(chan result, 1)
	go func() {
		req := nats.NewMsg("svc.add")
		req.Data = []byte(`[1, 2]`)
		req.Header.Set("X-Req", "r")
		m, err := nc.RequestMsg(req, 5*time.Second)
		got <- result{m, err}
	}()
	d := h.Next()
	reply, _ := peer.MetaPath(d.Ev.Meta, "nats", "reply").AsString()
	if d.Port != "out" || reply == "" || metaJS(d.Ev, "nats", "headers") != `{"X-Req":["r"]}` {
		t.Fatalf("request event %s %s", value.Encode(d.Ev.Value), value.Encode(d.Ev.Meta))
	}
	answer := &runtime.Event{Value: value.NewInt(3), Meta: d.Ev.Meta, ID: d.Ev.ID}
	if err := h.Send(answer); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil {
		t.Fatal(r.err)
	}
	if string(r.m.Data) != "3" || r.m.Header.Get("X-Req") != "" {
		t.Fatalf("reply %q %v", r.m.Data, r.m.Header)
	}
}

func TestNatsRequestModeReplyCarriesCorrelation(t *testing.T) {
	s := startServer(t, -1, "")
	nc := client(t, s)
	seen := make(chan string, 1)
	if _, err := nc.Subscribe("svc.echo", func(m *nats.Msg) {
		seen <- m.Header.Get(correlationHeader)
		r := nats.NewMsg(m.Reply)
		r.Data = []byte(fmt.Sprintf(`{"echo": %s}`, m.Data))
		r.Header.Set("X-Resp", "yes")
		_ = m.RespondMsg(r)
	}); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	h := startNats(t, fmt.Sprintf(`{"url": %q, "subject": "svc.echo", "request_mode": true}`, s.ClientURL()), 2)
	if sig := h.NextSignal(); sig.Kind != runtime.StreamStart {
		t.Fatalf("signal %+v", sig)
	}
	req := peertest.Event(`{"q": 1}`, `{"correlation": "c-1"}`)
	req.ID = runtime.EventID{Peer: 5, Stream: 9, Seq: 3}
	if err := h.Send(req); err != nil {
		t.Fatal(err)
	}
	if c := <-seen; c != `"c-1"` {
		t.Fatalf("responder saw correlation header %q", c)
	}
	d := h.Next()
	if d.Port != "out" || peertest.JS(d.Ev.Value) != `{"echo":{"q":1}}` || metaJS(d.Ev, "correlation") != `"c-1"` {
		t.Fatalf("reply %s %s %s", d.Port, value.Encode(d.Ev.Value), value.Encode(d.Ev.Meta))
	}
	if metaJS(d.Ev, "nats", "subject") != `"svc.echo"` || metaJS(d.Ev, "nats", "headers") != `{"X-Resp":["yes"]}` {
		t.Fatalf("reply meta %s", value.Encode(d.Ev.Meta))
	}
	if s := d.Ev.Streams(5); len(s) != 1 || s[0] != 9 {
		t.Fatalf("the reply does not track the request: %v", d.Ev.Tracked)
	}
}

func TestNatsRequestModeNoResponderOrTimeoutIsAnErrEvent(t *testing.T) {
	s := startServer(t, -1, "")
	nc := client(t, s)
	if _, err := nc.SubscribeSync("svc.silent"); err != nil { // interest, but never a reply
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	h := startNats(t, fmt.Sprintf(`{"url": %q, "subject": "svc.none", "request_mode": true, "timeout": 300}`, s.ClientURL()), 1)
	waitCB(t, h, true)
	err := h.Send(peertest.Event(`1`, `{"correlation": 11}`))
	if err == nil || !strings.Contains(err.Error(), "no responders") {
		t.Fatalf("send: %v", err)
	}
	d := h.Next()
	if d.Port != "err" || metaJS(d.Ev, "correlation") != "11" || !strings.Contains(peertest.JS(peer.MetaPath(d.Ev.Value, "error")), "no responders") {
		t.Fatalf("got %s %s %s", d.Port, value.Encode(d.Ev.Value), value.Encode(d.Ev.Meta))
	}
	err = h.Send(peertest.Event(`1`, `{"correlation": 12, "nats": {"publish": {"subject": "svc.silent"}}}`))
	if err == nil || !strings.Contains(err.Error(), "within 300 ms") {
		t.Fatalf("send: %v", err)
	}
	d = h.Next()
	if d.Port != "err" || metaJS(d.Ev, "correlation") != "12" || metaJS(d.Ev, "nats", "subject") != `"svc.silent"` {
		t.Fatalf("got %s %s %s", d.Port, value.Encode(d.Ev.Value), value.Encode(d.Ev.Meta))
	}
}

// `$correlation` crosses a hop between two Rill peers in the Rill-Correlation header.
func TestNatsCorrelationHeaderRoundTrip(t *testing.T) {
	s := startServer(t, -1, "")
	recv := startNats(t, fmt.Sprintf(`{"url": %q, "subjects": ["hop"]}`, s.ClientURL()), 1)
	send := startNats(t, fmt.Sprintf(`{"url": %q, "subject": "hop"}`, s.ClientURL()), 2)
	waitInterest(t, s, "hop", 1)
	if err := send.Send(peertest.Event(`{"v": 1}`, `{"correlation": {"trace": [1, "a"]}}`)); err != nil {
		t.Fatal(err)
	}
	d := recv.Next()
	if metaJS(d.Ev, "correlation") != `{"trace":[1,"a"]}` || metaJS(d.Ev, "nats", "headers") != `{}` {
		t.Fatalf("meta %s", value.Encode(d.Ev.Meta))
	}
	// Without propagate the header is neither sent nor restored.
	off := startNats(t, fmt.Sprintf(`{"url": %q, "subject": "hop", "propagate": false}`, s.ClientURL()), 3)
	if err := off.Send(peertest.Event(`2`, `{"correlation": 5}`)); err != nil {
		t.Fatal(err)
	}
	d = recv.Next()
	if !peer.MetaPath(d.Ev.Meta, "correlation").IsNull() {
		t.Fatalf("meta %s", value.Encode(d.Ev.Meta))
	}
}

// A server that is not up yet and a server restart: the breaker follows the connection, a send
// while disconnected fails at once, and the subscriptions come back.
func TestNatsConnectsLateAndReconnects(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	h := startNats(t, fmt.Sprintf(`{"url": "127.0.0.1:%d", "subjects": ["up"], "subject": "up"}`, port), 1)
	waitCB(t, h, false)
	if err := h.Send(peertest.Event(`0`, "")); err == nil || !strings.Contains(err.Error(), "not connected") {
		t.Fatalf("send while disconnected: %v", err)
	}
	s := startServer(t, port, "")
	waitCB(t, h, true)
	waitInterest(t, s, "up", 1)
	if err := h.Send(peertest.Event(`1`, "")); err != nil {
		t.Fatal(err)
	}
	if d := h.Next(); peertest.JS(d.Ev.Value) != "1" {
		t.Fatalf("got %s", value.Encode(d.Ev.Value))
	}

	s.Shutdown()
	s.WaitForShutdown()
	waitCB(t, h, false)
	s = startServer(t, port, "")
	waitCB(t, h, true)
	waitInterest(t, s, "up", 1)
	nc := client(t, s)
	if err := nc.Publish("up", []byte(`2`)); err != nil {
		t.Fatal(err)
	}
	if d := h.Next(); peertest.JS(d.Ev.Value) != "2" {
		t.Fatalf("got %s", value.Encode(d.Ev.Value))
	}
	cbs := h.CBs()
	want := []bool{false, true, false, true}
	if len(cbs) != len(want) {
		t.Fatalf("breaker reports %v, want open=%v", cbs, want)
	}
	for i, cb := range cbs {
		if cb.Open != want[i] || cb.Peer != 0 || cb.Stream != 0 {
			t.Fatalf("breaker reports %v, want open=%v", cbs, want)
		}
	}
}

func TestNatsConfigErrors(t *testing.T) {
	for _, c := range []struct{ cfg, want string }{
		{`{"url": "http://127.0.0.1:4222"}`, "scheme"},
		{`{"url": "127.0.0.1"}`, "host:port"},
		{`{"url": "nats://a:1,,nats://b:2"}`, "comma-separated"},
		{`{"url": "nats://127.0.0.1:4222", "subjects": ["a..b"]}`, "subjects"},
		{`{"url": "nats://127.0.0.1:4222", "subjects": ["a.>.b"]}`, "last token"},
		{`{"url": "nats://127.0.0.1:4222", "subject": "a.*"}`, "wildcards"},
		{`{"url": "nats://127.0.0.1:4222", "queue": "a b"}`, "queue"},
		{`{"url": "nats://127.0.0.1:4222", "timeout": 0}`, "timeout"},
	} {
		cfg, err := config.Validate("peer type `nats`", value.MustDecodeJSON(c.cfg), NatsSpec.Config)
		if err == nil {
			_, err = NatsSpec.New(cfg)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error about %s", c.cfg, err, c.want)
		}
	}
	cfg, err := config.Validate("peer type `nats`", value.MustDecodeJSON(`{"url": "nats://a:1, b:2,tls://c"}`), NatsSpec.Config)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NatsSpec.New(cfg)
	if err != nil || p.(*Nats).url != "nats://a:1,nats://b:2,tls://c" {
		t.Fatalf("got %v %v", p, err)
	}
	var _ peer.Sink = (*Nats)(nil)
}
