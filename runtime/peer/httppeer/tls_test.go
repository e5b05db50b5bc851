package httppeer

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

// tlsClient is an HTTPS client trusting the test certificate, presenting it too when mutual.
func tlsClient(f *peertest.TLSFiles, mutual bool) *http.Client {
	cfg := f.Client.Clone()
	if mutual {
		cfg.Certificates = []tls.Certificate{f.Pair}
	}
	return &http.Client{Transport: &http.Transport{Proxy: nil, TLSClientConfig: cfg}, Timeout: 10 * time.Second}
}

// post sends body to url with c in the background.
func post(c *http.Client, url, body string) <-chan reply {
	out := make(chan reply, 1)
	go func() {
		defer c.CloseIdleConnections()
		res, err := c.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			out <- reply{err: err}
			return
		}
		data, err := io.ReadAll(res.Body)
		res.Body.Close()
		out <- reply{status: res.StatusCode, header: res.Header, body: string(data), err: err}
	}()
	return out
}

func TestServerHTTPS(t *testing.T) {
	f := peertest.NewTLS(t)
	h := peertest.Start(t, ServerSpec, `{"url": "https://127.0.0.1:0", "tls": `+f.Config(false)+`}`, peertest.Options{})
	base := "https://" + h.Peer.(*Server).Addr().String()

	res := post(tlsClient(f, false), base+"/x", `{"a": 1}`)
	d := h.Next()
	if peertest.JS(d.Ev.Value) != `{"a":1}` {
		t.Fatalf("got %s", value.Encode(d.Ev.Value))
	}
	if u, _ := get(t, d.Ev.Meta, "http_server", "request", "url").AsString(); !strings.HasPrefix(u, "https://127.0.0.1:") {
		t.Fatalf("request url %q", u)
	}
	if err := h.Send(answerTo(d, `"ok"`, `{}`)); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, res); got.status != 200 || got.body != `"ok"` {
		t.Fatalf("reply %d %q", got.status, got.body)
	}

	// Plain HTTP to the TLS port is refused (net/http answers 400 without reaching the flow).
	if r := <-do(t, "POST", "http://"+h.Peer.(*Server).Addr().String()+"/x", `1`, nil); r.err == nil && r.status != http.StatusBadRequest {
		t.Fatalf("plain request answered %d %q", r.status, r.body)
	}
	// A client that does not trust the certificate fails its handshake.
	if r := <-do(t, "POST", base+"/x", `1`, nil); r.err == nil || !strings.Contains(r.err.Error(), "certificate") {
		t.Fatalf("untrusting client: %v", r.err)
	}
	h.None(50 * time.Millisecond)
}

func TestServerHTTPSRequiresClientCertificateWithCA(t *testing.T) {
	f := peertest.NewTLS(t)
	h := peertest.Start(t, ServerSpec, `{"url": "https://127.0.0.1:0", "tls": `+f.Config(true)+`}`, peertest.Options{})
	base := "https://" + h.Peer.(*Server).Addr().String()
	if r := <-post(tlsClient(f, false), base, `1`); r.err == nil {
		t.Fatalf("a client without certificate got %d %q", r.status, r.body)
	}
	res := post(tlsClient(f, true), base, `2`)
	d := h.Next()
	if err := h.Send(answerTo(d, `3`, `{}`)); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, res); got.body != `3` {
		t.Fatalf("reply %q", got.body)
	}
}

func TestClientHTTPS(t *testing.T) {
	f := peertest.NewTLS(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"echo": %s, "tls": %t}`, b, r.TLS != nil)
	}))
	srv.TLS = f.Server.Clone()
	srv.StartTLS()
	t.Cleanup(srv.Close)

	h := startClient(t, fmt.Sprintf(`{"url": %q, "tls": {"ca": %q}}`, srv.URL, f.Cert))
	if err := h.Send(reqEvent(`7`, `{"correlation": "c"}`)); err != nil {
		t.Fatal(err)
	}
	if d := h.Next(); d.Port != "out" || peertest.JS(d.Ev.Value) != `{"echo":7,"tls":true}` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}

	// Without `tls` the system roots do not know the test certificate: the request fails.
	plain := peertest.Start(t, ClientSpec, fmt.Sprintf(`{"url": %q, "retry": {"max_retries": 0}}`, srv.URL), peertest.Options{UID: 3})
	if err := plain.Send(reqEvent(`8`, `{}`)); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("send without tls: %v", err)
	}
	if d := plain.Next(); d.Port != "err" {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
}

func TestTLSConfigErrors(t *testing.T) {
	f := peertest.NewTLS(t)
	for _, c := range []struct{ spec, cfg, want string }{
		{"server", `{"url": "http://127.0.0.1:0", "tls": ` + f.Config(false) + `}`, "must be an https:// URL when config key `tls` is set"},
		{"server", `{"url": "https://127.0.0.1:0", "tls": {"cert": "` + f.Cert + `"}}`, "config key `tls` of http_server: `tls.key` is required"},
		{"server", `{"url": "https://127.0.0.1:0", "tls": {"cert": "/nonexistent.pem", "key": "` + f.Key + `"}}`, "`tls.cert`: cannot read"},
		{"server", `{"url": "https://127.0.0.1:0", "tls": "on"}`, "config key `tls` of peer type `http_server` must be a record"},
		{"client", `{"url": "https://127.0.0.1:1", "tls": {"verify": false}}`, "config key `tls` of http_client: unknown key `tls.verify`"},
		{"client", `{"url": "https://127.0.0.1:1", "tls": {"ca": "/nonexistent.pem"}}`, "`tls.ca`: cannot read"},
	} {
		spec := ServerSpec
		if c.spec == "client" {
			spec = ClientSpec
		}
		cv, err := validate(spec, c.cfg)
		if err == nil {
			_, err = spec.New(cv)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.cfg, err, c.want)
		}
	}
}
