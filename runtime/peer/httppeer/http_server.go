package httppeer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

// ServerSpec declares http_server.
var ServerSpec = &peer.Spec{
	Name: "http_server",
	Doc: "an HTTP server: every request is a stream whose body becomes events, decoded with the codec its " +
		"Content-Type maps to (mime_mapping); the event a pipeline sends back answers it, in the request's codec " +
		"unless its response headers name another content type (an error event answers 500, no answer within response_timeout 504); with `tls` it serves https (HTTP/2 offered)",
	Source: true,
	Sink:   true,
	Codec:  "json",
	Config: []config.Key{
		{Name: "url", Type: config.String, Required: true,
			Doc: "where to listen, \"http://127.0.0.1:8080\" (port 0 picks a free port), or \"https://...\" with `tls` set; a path other than / is a mount point: requests outside it are answered 404"},
		{Name: "response_timeout", Type: config.Duration, Default: value.NewUint(30000),
			Doc: "how long, in milliseconds, a request waits for its answer before it is answered 504"},
		{Name: "max_body", Type: config.Int, Default: value.NewUint(16 << 20),
			Doc: "the largest request body in bytes; a larger one is answered 413 and reported on err"},
		{Name: "propagate", Type: config.Bool, Default: value.NewBool(true),
			Doc: "restore `$correlation` from a request's x-rill-correlation header (JSON text)"},
		peer.TLSKey(),
		mimeKey("server", "a request body is decoded with the codec its Content-Type maps to; an answer is encoded with the codec "+
			"its $http_server.response.headers content-type maps to, else with its request's codec"),
	},
	Meta: []string{
		"$http_server.request_id: the request's stream id; set it on an event to answer that request",
		"$http_server.request: {method, path, query (raw), url, headers {lower-case name: [values]}, protocol, remote {host, port}} of the request",
		"$http_server.response.status: the answer's status (default 200, 500 for an error event)",
		"$http_server.response.headers: the answer's headers, {name: string or [strings]}; a content-type mime_mapping maps picks the answer's codec, and without one Content-Type follows the codec used",
		"$correlation: restored from the x-rill-correlation request header when propagate is true",
	},
	New: newServer,
}

// shutdownGrace is how long Stop lets in-flight responses finish before closing connections.
const shutdownGrace = time.Second

// closedMemory is how many finished requests the server remembers, to explain why a late answer
// is refused.
const closedMemory = 4096

// Server is a running http_server peer.
type Server struct {
	addr      string // host:port to listen on
	mount     string // "" (every path) or a path prefix without trailing slash ("/api")
	timeout   time.Duration
	maxBody   int64
	propagate bool
	mime      *mimeMapping
	tls       *tls.Config // nil: plain HTTP

	h         *peer.Host
	ln        net.Listener
	srv       *http.Server
	base      context.Context // request contexts derive from it; cancelled when the peer stops
	cancel    context.CancelFunc
	serveDone chan struct{}

	mu       sync.Mutex
	stopped  bool
	handlers sync.WaitGroup
	pending  map[uint64]*request // requests waiting for their answer, by stream id
	closed   map[uint64]string   // why a recently finished request can not be answered any more
	closedQ  []uint64            // closed's keys, oldest first
}

// request is one request waiting for its answer.
type request struct {
	id     uint64
	codec  string       // the codec its body was decoded with; its answer's unless the answer names one
	answer chan *answer // capacity 1: whoever claims the request sends exactly one answer
}

// answer is the response an event makes for one request.
type answer struct {
	status int
	header http.Header
	body   []byte
	err    error       // the event could not be turned into a response (status is then 500)
	finish func(error) // reports the write's outcome to the event's done
}

func newServer(cfg config.Values) (peer.Peer, error) {
	u, err := parseURL("config key `url` of http_server", cfg.String("url"))
	if err != nil {
		return nil, err
	}
	tcfg, err := peer.ParseTLS(cfg.Value("tls"), true)
	if err != nil {
		return nil, fmt.Errorf("config key `tls` of http_server: %w", err)
	}
	switch {
	case u.Scheme == "https" && tcfg == nil:
		return nil, fmt.Errorf("config key `url` of http_server is an https:// URL, which needs config key `tls` ({\"cert\": ..., \"key\": ...}), not %q", cfg.String("url"))
	case u.Scheme == "http" && tcfg != nil:
		return nil, fmt.Errorf("config key `url` of http_server must be an https:// URL when config key `tls` is set, not %q", cfg.String("url"))
	}
	maxBody := cfg.Int("max_body")
	if maxBody <= 0 {
		return nil, fmt.Errorf("config key `max_body` of http_server must be a positive number of bytes, not %d", maxBody)
	}
	timeout := time.Duration(cfg.Int("response_timeout")) * time.Millisecond
	if timeout <= 0 {
		return nil, fmt.Errorf("config key `response_timeout` of http_server must be a positive number of milliseconds")
	}
	mime, err := parseMimeMapping("config key `mime_mapping` of http_server", cfg.Value("mime_mapping"))
	if err != nil {
		return nil, err
	}
	addr := u.Host
	if u.Port() == "" {
		port := "80"
		if tcfg != nil {
			port = "443"
		}
		addr = net.JoinHostPort(u.Hostname(), port)
	}
	return &Server{addr: addr, mount: strings.TrimRight(u.Path, "/"), timeout: timeout, maxBody: maxBody,
		propagate: cfg.Bool("propagate"), mime: mime, tls: tcfg, pending: map[uint64]*request{}, closed: map[uint64]string{}}, nil
}

// Addr is the address the server listens on (for tests and logs); nil before Start.
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Start binds the listener and serves requests in the background.
func (s *Server) Start(ctx context.Context, h *peer.Host) error {
	s.h = h
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("http_server `%s` cannot listen on %s: %w", h.Alias(), s.addr, err)
	}
	s.ln = ln
	s.base, s.cancel = context.WithCancel(ctx)
	s.srv = &http.Server{
		Handler:           http.HandlerFunc(s.serve),
		BaseContext:       func(net.Listener) context.Context { return s.base },
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(h.Log().Handler(), slog.LevelDebug),
		TLSConfig:         s.tls,
	}
	s.serveDone = make(chan struct{})
	go func() {
		defer close(s.serveDone)
		var err error
		if s.tls != nil {
			err = s.srv.ServeTLS(ln, "", "") // certificates come from TLSConfig; HTTP/2 is offered
		} else {
			err = s.srv.Serve(ln)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.Log().Error("http_server stopped serving", "addr", ln.Addr().String(), "error", err)
		}
	}()
	h.CircuitBreaker(true, 0, 0) // the sink answers whatever it is sent
	return nil
}

// Stop refuses new requests, answers waiting ones 503, lets responses being written finish for
// up to a second, closes every connection and waits for the handlers.
func (s *Server) Stop() error {
	if s.srv == nil {
		return nil
	}
	s.mu.Lock()
	already := s.stopped
	s.stopped = true
	s.mu.Unlock()
	if already {
		return nil
	}
	s.cancel()
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close() // the grace passed: drop the connections still open
	}
	cancel()
	<-s.serveDone
	s.handlers.Wait()
	return nil
}

// mounted reports whether path is under the server's mount point.
func (s *Server) mounted(path string) bool {
	return s.mount == "" || path == s.mount || strings.HasPrefix(path, s.mount+"/")
}

// serve handles one request: a stream from StartStream to EndStream.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !s.mounted(r.URL.Path) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no route for %s: this server serves %s", r.URL.Path, s.mount))
		return
	}
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		writeError(w, http.StatusServiceUnavailable, "the server is stopping")
		return
	}
	s.handlers.Add(1)
	s.mu.Unlock()
	defer s.handlers.Done()

	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	id := s.h.StartStream()
	defer s.h.EndStream(id)
	req := &request{id: id, codec: s.mime.decoder(r.Header.Get("Content-Type"), s.h.CodecName()), answer: make(chan *answer, 1)}
	codecErr := s.h.SetStreamCodec(id, req.codec, true, false)
	if codecErr != nil { // only when the flow's codecs lack one mime_mapping names
		req.codec = s.h.CodecName()
	}
	s.mu.Lock()
	s.pending[id] = req
	s.mu.Unlock()

	in := peer.Incoming{Stream: id, Meta: s.requestMeta(id, r)}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = fmt.Errorf("the request body is larger than max_body (%d bytes)", s.maxBody)
			if s.claim(req, "was refused because its body was larger than max_body (answered 413)") {
				s.h.EmitError(in, err, nil)
				writeError(w, http.StatusRequestEntityTooLarge, err.Error())
				return
			}
		} else {
			s.h.Log().Debug("http_server: reading a request body failed", "request", id, "error", err)
			if s.claim(req, "ended before its body was read: "+err.Error()) {
				return
			}
		}
		s.write(w, r, req, <-req.answer)
		return
	}
	switch {
	case len(body) == 0:
		err = s.h.Emit(ctx, "out", in, value.NullValue)
	case codecErr != nil:
		s.h.EmitError(in, fmt.Errorf("cannot decode a %s body: %w", mediaType(r.Header.Get("Content-Type")), codecErr), body)
	default:
		err = s.h.Receive(ctx, in, body)
	}
	if err == nil {
		select {
		case a := <-req.answer:
			s.write(w, r, req, a)
			return
		case <-ctx.Done():
		}
	}
	s.unanswered(w, r, req)
}

// unanswered ends a request whose context is done: the peer stops (503), the client went away
// (nothing to write) or the response timeout passed (504). If an answer claimed the request in
// the meantime, it is written instead.
func (s *Server) unanswered(w http.ResponseWriter, r *http.Request, req *request) {
	switch {
	case s.base.Err() != nil:
		if s.claim(req, "was cancelled because the peer stopped (answered 503)") {
			writeError(w, http.StatusServiceUnavailable, "the server is stopping")
			return
		}
	case r.Context().Err() != nil:
		if s.claim(req, "ended because the client disconnected") {
			s.h.Log().Debug("http_server: the client disconnected before the answer", "request", req.id)
			return
		}
	default:
		ms := s.timeout.Milliseconds()
		if s.claim(req, fmt.Sprintf("timed out after %d ms (answered 504)", ms)) {
			writeError(w, http.StatusGatewayTimeout, fmt.Sprintf("no response within %d ms", ms))
			return
		}
	}
	s.write(w, r, req, <-req.answer)
}

// write sends an answer to the client and reports the outcome to the answering event.
func (s *Server) write(w http.ResponseWriter, r *http.Request, req *request, a *answer) {
	if r.Context().Err() != nil && s.base.Err() == nil {
		a.finish(fmt.Errorf("request %d of peer `%s` ended because the client disconnected before the answer was written", req.id, s.h.Alias()))
		return
	}
	hdr := w.Header()
	for k, v := range a.header {
		hdr[k] = v
	}
	withBody := r.Method != http.MethodHead && a.status != http.StatusNoContent && a.status != http.StatusNotModified
	if withBody {
		hdr.Set("Content-Length", strconv.Itoa(len(a.body)))
	}
	w.WriteHeader(a.status)
	var err error
	if withBody {
		_, err = w.Write(a.body)
	}
	if err == nil {
		err = http.NewResponseController(w).Flush()
	}
	if err == nil {
		s.h.Metrics().Send.Add(1)
	} else {
		err = fmt.Errorf("writing the answer to request %d of peer `%s`: %w", req.id, s.h.Alias(), err)
	}
	if a.err != nil {
		err = a.err
	}
	a.finish(err)
}

// claim takes req out of the pending requests, recording why it can not be answered any more;
// it reports false when someone else (an answer, a timeout) claimed it first.
func (s *Server) claim(req *request, reason string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending[req.id] != req {
		return false
	}
	s.closeLocked(req.id, reason)
	return true
}

// take claims the pending request id for an answer; when it is not pending it returns nil and
// why.
func (s *Server) take(id uint64) (*request, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	req := s.pending[id]
	if req == nil {
		if why, ok := s.closed[id]; ok {
			return nil, why
		}
		return nil, "is not open (it was never received, or finished long ago)"
	}
	s.closeLocked(id, "was already answered")
	return req, ""
}

// closeLocked removes request id from the pending ones and remembers why; s.mu is held.
func (s *Server) closeLocked(id uint64, reason string) {
	delete(s.pending, id)
	if _, ok := s.closed[id]; !ok {
		s.closedQ = append(s.closedQ, id)
		if len(s.closedQ) > closedMemory {
			delete(s.closed, s.closedQ[0])
			s.closedQ = s.closedQ[1:]
		}
	}
	s.closed[id] = reason
}

// requestMeta builds `$http_server` (and `$correlation` when propagated) for a request.
func (s *Server) requestMeta(id uint64, r *http.Request) value.Value {
	req := value.NewRec(8)
	req.Set("method", value.NewString(r.Method))
	req.Set("path", value.NewString(r.URL.Path))
	req.Set("query", value.NewString(r.URL.RawQuery))
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" { // HTTP/1.0 without a Host header
		host = s.ln.Addr().String()
	}
	req.Set("url", value.NewString(scheme+"://"+host+r.URL.RequestURI()))
	hdr := r.Header
	if r.Host != "" && hdr.Get("Host") == "" {
		hdr = hdr.Clone()
		hdr.Set("Host", r.Host)
	}
	req.Set("headers", headersValue(hdr))
	req.Set("protocol", value.NewString(r.Proto))
	req.Set("remote", peer.EndpointOf(r.RemoteAddr))

	hs := value.NewRec(2)
	hs.Set("request_id", value.NewUint(id))
	hs.Set("request", value.NewRecordValue(req))
	meta := value.NewRec(2)
	meta.Set("http_server", value.NewRecordValue(hs))
	if s.propagate {
		if c := r.Header.Get(correlationHeader); c != "" {
			if v, err := value.DecodeJSON([]byte(c)); err == nil {
				meta.Set("correlation", v)
			} else {
				s.h.Log().Debug("http_server: ignoring an x-rill-correlation header that is not JSON", "request", id, "error", err)
			}
		}
	}
	return value.NewRecordValue(meta)
}

// Send answers the requests an event targets: the streams of this peer it came from (its id and
// an aggregate's tracked ids) plus `$http_server.request_id`. done(nil) once at least one answer
// was written, done(err) when none could be (already answered, timed out, client gone, no target).
func (s *Server) Send(_ string, ev *runtime.Event, done func(error)) {
	targets, err := s.targets(ev)
	if err != nil {
		done(err)
		return
	}
	if len(targets) == 0 {
		done(fmt.Errorf("the event answers no request of peer `%s` (http_server): it did not come from one of its requests and sets no $http_server.request_id", s.h.Alias()))
		return
	}
	status, header, headErr := s.responseHead(ev)
	explicit := header.Get("Content-Type")
	named, mapped := s.mime.lookup(explicit)
	g := &group{left: len(targets), done: done}
	for _, id := range targets {
		req, why := s.take(id)
		if req == nil {
			g.finish(fmt.Errorf("request %d of peer `%s` %s", id, s.h.Alias(), why))
			continue
		}
		a := &answer{status: status, header: header, finish: g.finish}
		if headErr == nil {
			codec := req.codec
			if mapped {
				codec = named
			}
			var used string
			a.body, used, a.err = s.body(id, codec, ev)
			if explicit == "" {
				a.header = header.Clone()
				a.header.Set("Content-Type", contentType(used))
			}
		} else {
			a.err = headErr
		}
		if a.err != nil {
			a.err = fmt.Errorf("request %d of peer `%s` answered 500: %w", id, s.h.Alias(), a.err)
			a.status = http.StatusInternalServerError
			a.header = http.Header{"Content-Type": {"application/json"}}
			a.body = errorBody(a.err.Error())
		}
		req.answer <- a
	}
}

// targets lists the requests ev answers, without duplicates.
func (s *Server) targets(ev *runtime.Event) ([]uint64, error) {
	ids := ev.Streams(s.h.UID())
	rid := peer.MetaPath(ev.Meta, "http_server", "request_id")
	if rid.IsNull() {
		return ids, nil
	}
	id, ok := rid.AsU64()
	if !ok || id == 0 {
		return nil, fmt.Errorf("$http_server.request_id must be the positive integer id of a request of peer `%s`, not %s", s.h.Alias(), value.Encode(rid))
	}
	for _, x := range ids {
		if x == id {
			return ids, nil
		}
	}
	return append(ids, id), nil
}

// responseHead reads the answer's status and headers from the event.
func (s *Server) responseHead(ev *runtime.Event) (int, http.Header, error) {
	status := http.StatusOK
	if ev.Failed {
		status = http.StatusInternalServerError
	}
	if v := peer.MetaPath(ev.Meta, "http_server", "response", "status"); !v.IsNull() {
		n, ok := v.AsI64()
		if !ok || n < 200 || n > 599 {
			return 0, nil, fmt.Errorf("$http_server.response.status must be an integer from 200 to 599, not %s", value.Encode(v))
		}
		status = int(n)
	}
	header := http.Header{}
	if err := parseHeaders("$http_server.response.headers", peer.MetaPath(ev.Meta, "http_server", "response", "headers"), header); err != nil {
		return 0, nil, err
	}
	for _, k := range []string{"Content-Length", "Transfer-Encoding", "Connection"} {
		header.Del(k) // the server sets these itself
	}
	return status, header, nil
}

// body encodes ev for the stream of request id with the named codec: the codec, the write-side
// interceptors and their trailer (a compressor's), concatenated into a fresh buffer. It also
// returns the name of the codec that encoded it, which the default Content-Type follows.
func (s *Server) body(id uint64, codec string, ev *runtime.Event) ([]byte, string, error) {
	if err := s.h.SetStreamCodec(id, codec, false, true); err != nil {
		return nil, "", fmt.Errorf("cannot encode the answer: %w", err)
	}
	used := s.h.StreamCodecName(id, true) // before CloseWrite forgets the stream's write side
	chunks, err := s.h.Serialize(id, ev)
	if err != nil {
		return nil, "", fmt.Errorf("cannot encode the answer: %w", err)
	}
	var body []byte
	for _, c := range chunks {
		body = append(body, c...)
	}
	tail, err := s.h.CloseWrite(id)
	if err != nil {
		return nil, "", fmt.Errorf("cannot finish the answer: %w", err)
	}
	for _, c := range tail {
		body = append(body, c...)
	}
	return body, used, nil
}

// group reports one done for the answers of one event: nil once every target finished and at
// least one was written, else the first error.
type group struct {
	mu   sync.Mutex
	left int
	ok   bool
	err  error
	done func(error)
}

func (g *group) finish(err error) {
	g.mu.Lock()
	g.left--
	if err == nil {
		g.ok = true
	} else if g.err == nil {
		g.err = err
	}
	last, ok, first := g.left == 0, g.ok, g.err
	g.mu.Unlock()
	if !last {
		return
	}
	if ok {
		g.done(nil)
	} else {
		g.done(first)
	}
}

// writeError answers with a status and a JSON body {"error": msg}.
func writeError(w http.ResponseWriter, status int, msg string) {
	body := errorBody(msg)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errorBody is the JSON body {"error": msg}.
func errorBody(msg string) []byte {
	rec := value.NewRec(1)
	rec.Set("error", value.NewString(msg))
	return value.AppendEncode(nil, value.NewRecordValue(rec))
}
