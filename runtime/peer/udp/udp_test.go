package udp

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

func TestUDPServerReceivesDatagrams(t *testing.T) {
	h := peertest.Start(t, serverSpec, `{"url": "udp://127.0.0.1:0", "buf_size": 100}`, peertest.Options{})
	if s := h.NextSignal(); s.Kind != runtime.StreamStart {
		t.Fatalf("got %+v", s)
	}
	c, err := net.Dial("udp", h.Peer.(*Server).Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	port := c.LocalAddr().(*net.UDPAddr).Port
	// No lines interceptor: a datagram is a frame, even with a newline inside.
	for _, d := range []string{`{"a":1}`, "[1,\n2]", "not json", strings.Repeat(" ", 101), `{"b":2}`} {
		if _, err := c.Write([]byte(d)); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{`out {"a":1}`, `out [1,2]`, `err raw="bm90IGpzb24="`, `err datagram longer than buf_size 100 bytes: discarded`, `out {"b":2}`}
	for i, w := range want {
		d := h.Next()
		got := d.Port + " " + value.Encode(d.Ev.Value)
		if d.Port == "err" {
			rec, _ := d.Ev.Value.AsRecord()
			if raw, ok := rec.Get("raw"); ok {
				got = "err raw=" + value.Encode(raw)
			} else {
				e, _ := rec.Get("error")
				got = "err " + e.Display()
			}
		}
		if got != w || d.Ev.ID.Seq != uint64(i) {
			t.Fatalf("datagram %d: got %s (seq %d), want %s", i, got, d.Ev.ID.Seq, w)
		}
		wantMeta := fmt.Sprintf(`{"udp_server":{"peer":{"host":"127.0.0.1","port":%d}}}`, port)
		if m := peertest.JS(d.Ev.Meta); m != wantMeta {
			t.Fatalf("meta %s, want %s", m, wantMeta)
		}
	}
	h.Stop()
	if s := h.NextSignal(); s.Kind != runtime.StreamEnd {
		t.Fatalf("got %+v after Stop", s)
	}
}

func TestUDPClientSendsDatagrams(t *testing.T) {
	dst, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	h := peertest.Start(t, clientSpec, fmt.Sprintf(`{"url": "%s"}`, dst.LocalAddr()), peertest.Options{})
	if cbs := h.CBs(); len(cbs) != 1 || !cbs[0].Open {
		t.Fatalf("breaker reports %+v", cbs)
	}
	buf := make([]byte, 70000)
	for _, v := range []string{`{"a":1}`, `[1,2,"x"]`} {
		if err := h.Send(peertest.Event(v, "")); err != nil {
			t.Fatal(err)
		}
		dst.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _, err := dst.ReadFrom(buf)
		if err != nil {
			t.Fatal(err)
		}
		if string(buf[:n]) != v {
			t.Fatalf("received %q, want %q", buf[:n], v)
		}
	}
	big := peertest.Event(`"`+strings.Repeat("x", maxDatagram)+`"`, "")
	if err := h.Send(big); err == nil || !strings.Contains(err.Error(), "does not fit in a UDP datagram") {
		t.Fatalf("an oversized datagram: %v", err)
	}
	if n := h.Host.Metrics().Send.Load(); n != 2 {
		t.Errorf("send metric %d, want 2", n)
	}
}

func TestUDPClientToUDPServer(t *testing.T) {
	srv := peertest.Start(t, serverSpec, `{"url": "127.0.0.1:0"}`, peertest.Options{})
	cl := peertest.Start(t, clientSpec, fmt.Sprintf(`{"url": "%s", "bind": "udp://127.0.0.1:0"}`, srv.Peer.(*Server).Addr()), peertest.Options{Alias: "cl"})
	if err := cl.Send(peertest.Event(`{"hello":"udp"}`, "")); err != nil {
		t.Fatal(err)
	}
	if d := srv.Next(); d.Port != "out" || value.Encode(d.Ev.Value) != `{"hello":"udp"}` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
}

func TestUDPConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		server bool
		cfg    string
		want   string
	}{
		{true, `{"url": "tcp://127.0.0.1:1"}`, "scheme"},
		{true, `{"url": "127.0.0.1:0", "buf_size": 70000}`, "buf_size"},
		{false, `{"url": "127.0.0.1:0"}`, "port other than 0"},
		{false, `{"url": "127.0.0.1:9", "bind": "nowhere"}`, "`bind`"},
	} {
		spec := clientSpec
		if tc.server {
			spec = serverSpec
		}
		cfg, err := config.Validate(spec.Name, value.MustDecodeJSON(tc.cfg), spec.Config)
		if err == nil {
			_, err = spec.New(cfg)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: got %v, want an error about %s", spec.Name, tc.cfg, err, tc.want)
		}
	}
}
