package httppeer

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

func TestMimeMappingLookup(t *testing.T) {
	cv, err := validate(ServerSpec, `{"url": "127.0.0.1:0", "mime_mapping": {"Text/*": "binary", "text/plain": "json", "*/*": "yaml"}}`)
	if err != nil {
		t.Fatal(err)
	}
	m, err := parseMimeMapping("mime_mapping", cv.Value("mime_mapping"))
	if err != nil {
		t.Fatal(err)
	}
	for ct, want := range map[string]string{
		"text/plain":                     "json",   // replaced
		"TEXT/Plain ; charset=utf-8":     "json",   // parameters and case ignored
		"text/html":                      "string", // a default kept: the exact entry wins over text/*
		"text/x-other":                   "binary", // text/*
		"application/yaml":               "yaml",
		"application/x-msgpack":          "msgpack",
		"application/octet-stream":       "binary",
		"application/vnd.unknown; q=1.0": "own",
		"":                               "own",
	} {
		got, ok := m.lookup(ct)
		if !ok {
			got = "own"
		}
		if got != want {
			t.Errorf("lookup(%q) = %q, want %q", ct, got, want)
		}
	}
	if got := m.decoder("application/vnd.unknown", "json"); got != "yaml" {
		t.Errorf("the */* fallback: %q", got)
	}
	if got := (&mimeMapping{}).decoder("", "csv"); got != "csv" {
		t.Errorf("without */* the peer's codec decodes: %q", got)
	}
}

func TestMimeMappingConfigErrors(t *testing.T) {
	for _, spec := range []*struct {
		name string
		new  func(string) error
	}{
		{"http_server", func(m string) error { return newPeer(ServerSpec, `{"url": "127.0.0.1:0", "mime_mapping": `+m+`}`) }},
		{"http_client", func(m string) error { return newPeer(ClientSpec, `{"url": "127.0.0.1:1", "mime_mapping": `+m+`}`) }},
	} {
		for m, want := range map[string]string{
			`{"text/plain": "nope"}`:      "config key `mime_mapping` of " + spec.name + `: "text/plain": unknown codec ` + "`nope`",
			`{"*/*": "jsn"}`:              `"*/*": unknown codec ` + "`jsn`",
			`{"text/plain": 1}`:           `"text/plain" must map to a codec name`,
			`{"plain": "json"}`:           `"plain" is not a content type`,
			`{"*/json": "json"}`:          `"*/json" is not a content type`,
			`"application/json"`:          "a record",
			`{"application/json": "csv"}`: "", // fine
		} {
			err := spec.new(m)
			if want == "" {
				if err != nil {
					t.Errorf("%s %s: %v", spec.name, m, err)
				}
				continue
			}
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s %s: %v, want %q", spec.name, m, err, want)
			}
		}
	}
}

// newPeer validates cfg and creates (without starting) a peer of spec.
func newPeer(spec *peer.Spec, cfg string) error {
	cv, err := validate(spec, cfg)
	if err == nil {
		_, err = spec.New(cv)
	}
	return err
}

// decodeWith decodes data with the named codec (default config).
func decodeWith(name, data string) (value.Value, error) {
	c, err := codec.Builtin().Compile(codec.Ref{Name: name})
	if err != nil {
		return value.NullValue, err
	}
	dec, err := c.New()
	if err != nil {
		return value.NullValue, err
	}
	return dec.Decode([]byte(data), 0)
}

// A text/plain POST to a json server is a string event, and echoing it answers text/plain with the
// same text; a JSON request on the same server still decodes as JSON.
func TestServerDecodesByContentType(t *testing.T) {
	h, base := startServer(t, "")
	res := do(t, "POST", base, `{"not": "json to me"}`, map[string]string{"Content-Type": "text/plain; charset=utf-8"})
	d := h.Next()
	if d.Port != "out" || peertest.JS(d.Ev.Value) != `"{\"not\": \"json to me\"}"` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	if err := h.Send(d.Ev); err != nil {
		t.Fatal(err)
	}
	got := wait(t, res)
	if got.status != 200 || got.body != `{"not": "json to me"}` || mediaType(got.header.Get("Content-Type")) != "text/plain" {
		t.Fatalf("echo %d %q %v", got.status, got.body, got.header)
	}

	res = do(t, "POST", base, `{"a": 1}`, map[string]string{"Content-Type": "Application/JSON"})
	d = h.Next()
	if d.Port != "out" || peertest.JS(d.Ev.Value) != `{"a":1}` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	if err := h.Send(d.Ev); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, res); got.body != `{"a":1}` || got.header.Get("Content-Type") != "application/json" {
		t.Fatalf("echo %q %v", got.body, got.header)
	}
}

// A YAML body is a record; its echo is YAML again.
func TestServerYAMLBody(t *testing.T) {
	h, base := startServer(t, "")
	res := do(t, "POST", base, "a: 1\nb: [x, y]\n", map[string]string{"Content-Type": "application/x-yaml"})
	d := h.Next()
	if d.Port != "out" || peertest.JS(d.Ev.Value) != `{"a":1,"b":["x","y"]}` {
		t.Fatalf("got %s %s", d.Port, value.Encode(d.Ev.Value))
	}
	if err := h.Send(answerTo(d, `{"ok": true}`, "")); err != nil {
		t.Fatal(err)
	}
	got := wait(t, res)
	if strings.TrimSpace(got.body) != "ok: true" || got.header.Get("Content-Type") != "application/yaml" {
		t.Fatalf("answer %q %v", got.body, got.header)
	}
}

// A user mapping adds entries and keeps the defaults; "*/*" replaces the fallback.
func TestServerCustomMimeMapping(t *testing.T) {
	h, base := startServer(t, `{"url": "http://127.0.0.1:0", "mime_mapping": {"application/vnd.x+json": "json", "*/*": "string"}}`)
	for _, c := range []struct{ ct, body, want string }{
		{"application/vnd.x+json; v=2", `{"x": [1]}`, `{"x":[1]}`},
		{"text/plain", `{"x": [1]}`, `"{\"x\": [1]}"`}, // a default entry, kept
		{"", `[1, 2]`, `"[1, 2]"`},                     // no Content-Type: the */* fallback
		{"application/vnd.other", `3`, `"3"`},          // unmapped: the */* fallback
	} {
		hdr := map[string]string{}
		if c.ct != "" {
			hdr["Content-Type"] = c.ct
		}
		res := do(t, "POST", base, c.body, hdr)
		d := h.Next()
		if d.Port != "out" || peertest.JS(d.Ev.Value) != c.want {
			t.Fatalf("%q: got %s %s, want %s", c.ct, d.Port, value.Encode(d.Ev.Value), c.want)
		}
		if err := h.Send(answerTo(d, `{"r": 1}`, "")); err != nil {
			t.Fatal(err)
		}
		// the answer uses the request's codec: json for vnd.x+json, string otherwise
		got := wait(t, res)
		wantType := "text/plain; charset=utf-8"
		if strings.HasPrefix(c.ct, "application/vnd.x+json") {
			wantType = "application/json"
		}
		if got.body != `{"r":1}` || got.header.Get("Content-Type") != wantType {
			t.Fatalf("%q: answer %q %v", c.ct, got.body, got.header)
		}
	}
}

// An answer naming a mapped content type is encoded with its codec and keeps the header as
// given; an unmapped one keeps the request's codec.
func TestServerAnswerContentTypePicksCodec(t *testing.T) {
	h, base := startServer(t, "")
	res := do(t, "POST", base, `{"q": 1}`, map[string]string{"Content-Type": "application/json"})
	d := h.Next()
	if err := h.Send(answerTo(d, `{"a": [1, 2]}`, `{"http_server": {"response": {"headers": {"content-type": "application/yaml; charset=utf-8"}}}}`)); err != nil {
		t.Fatal(err)
	}
	got := wait(t, res)
	v, err := decodeWith("yaml", got.body)
	if err != nil || peertest.JS(v) != `{"a":[1,2]}` || got.header.Get("Content-Type") != "application/yaml; charset=utf-8" {
		t.Fatalf("answer %q %v (%v)", got.body, got.header, err)
	}
	if strings.HasPrefix(strings.TrimSpace(got.body), "{") {
		t.Fatalf("the answer is JSON, not YAML: %q", got.body)
	}
}

// An aggregate answering two requests encodes each answer with its own request's codec.
func TestServerAggregateAnswersInEachRequestsCodec(t *testing.T) {
	h, base := startServer(t, "")
	r1 := do(t, "POST", base, `"one"`, map[string]string{"Content-Type": "application/json"})
	d1 := h.Next()
	r2 := do(t, "POST", base, `two`, map[string]string{"Content-Type": "text/plain"})
	d2 := h.Next()
	agg := peertest.Event(`"both"`, "")
	agg.ID = runtime.EventID{Peer: 77, Stream: 3, Seq: 9}
	agg.Track(d1.Ev)
	agg.Track(d2.Ev)
	if err := h.Send(agg); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, r1); got.body != `"both"` || got.header.Get("Content-Type") != "application/json" {
		t.Fatalf("json request got %q %v", got.body, got.header)
	}
	if got := wait(t, r2); got.body != `both` || got.header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("text request got %q %v", got.body, got.header)
	}
}

// The client decodes each response with the codec of its Content-Type, and encodes a request
// with the codec its content-type header maps to.
func TestClientDecodesByContentType(t *testing.T) {
	type seen struct{ typ, body string }
	got := make(chan seen, 4)
	srv, _ := upstream(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Header.Get("Content-Type"), string(b)}
		switch r.URL.Path {
		case "/text":
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, `{"looks": "like json"}`)
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"is": "json"}`)
		case "/yaml":
			w.Header().Set("Content-Type", "text/yaml")
			io.WriteString(w, "y: [1]\n")
		}
	})
	h := startClient(t, fmt.Sprintf(`{"url": %q}`, srv.URL))
	for _, c := range []struct{ path, meta, sentType, sentBody, want string }{
		{"/text", `{}`, "application/json", `{"k":"v"}`, `"{\"looks\": \"like json\"}"`},
		{"/json", `{"http_client": {"request": {"headers": {"content-type": "text/plain"}}}}`, "text/plain", "as text", `{"is":"json"}`},
		{"/yaml", `{"http_client": {"request": {"headers": {"content-type": "application/vnd.custom"}}}}`, "application/vnd.custom", `"as text"`, `{"y":[1]}`},
	} {
		v := `{"k": "v"}`
		if c.path != "/text" {
			v = `"as text"`
		}
		meta := strings.Replace(c.meta, `"request": {`, fmt.Sprintf(`"request": {"url": %q, `, srv.URL+c.path), 1)
		if c.meta == `{}` {
			meta = fmt.Sprintf(`{"http_client": {"request": {"url": %q}}}`, srv.URL+c.path)
		}
		if err := h.Send(reqEvent(v, meta)); err != nil {
			t.Fatal(err)
		}
		if s := <-got; s != (seen{c.sentType, c.sentBody}) {
			t.Fatalf("%s: upstream saw %+v", c.path, s)
		}
		d := h.Next()
		if d.Port != "out" || peertest.JS(d.Ev.Value) != c.want {
			t.Fatalf("%s: got %s %s, want %s", c.path, d.Port, value.Encode(d.Ev.Value), c.want)
		}
	}
}
