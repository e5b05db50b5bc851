package httppeer

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

// ClientSpec declares http_client.
var ClientSpec = &peer.Spec{
	Name: "http_client",
	Doc: "an HTTP client: every event it is sent becomes a request; the response comes back on out " +
		"(4xx and exhausted retries on err) with the request's $correlation, decoded with the codec its Content-Type maps to (mime_mapping); `tls` configures https requests",
	Source:  true,
	Sink:    true,
	Answers: true,
	Codec:   "json",
	Config: []config.Key{
		{Name: "url", Type: config.String, Required: true,
			Doc: "the default target, \"http://127.0.0.1:8080/path\" or \"https://...\" (\"host:port\" means http); https verifies the server against the system roots, or `tls.ca`"},
		{Name: "method", Type: config.String, Default: value.NewString("POST"),
			Doc: "the default request method"},
		{Name: "headers", Type: config.Record, Default: value.NewRecordValue(value.NewRec(0)),
			Doc: "default request headers, {name: string or [strings]}"},
		{Name: "timeout", Type: config.Duration, Default: value.NewUint(10000),
			Doc: "how long, in milliseconds, one attempt may take, response body included"},
		{Name: "concurrency", Type: config.Int, Default: value.NewUint(4),
			Doc: "the most requests in flight; beyond it the sink blocks and its circuit breaker closes"},
		{Name: "retry", Type: config.Record, Default: value.MustDecodeJSON(`{"max_retries": 3, "interval_ms": 100, "growth_rate": 2, "max_interval_ms": 5000}`),
			Doc: "retries of 5xx answers and transport errors: {max_retries, interval_ms, growth_rate, max_interval_ms}, exponential with jitter; 4xx are never retried"},
		{Name: "propagate", Type: config.Bool, Default: value.NewBool(true),
			Doc: "send the event's `$correlation` as JSON in the x-rill-correlation header"},
		peer.TLSKey(),
		mimeKey("client", "a response body is decoded with the codec its Content-Type maps to; a request body is encoded with "+
			"the codec its content-type header (config headers or $http_client.request.headers) maps to, else with the client's codec"),
	},
	Meta: []string{
		"$http_client.request: {method, url, headers} read from an event to override the config for its request; a content-type header mime_mapping maps picks the codec of the request body, and without one Content-Type follows the codec used",
		"$http_client.sent: {method, url} of the request, on response and err events (not named request, so forwarding a response to another http_client does not redirect it)",
		"$http_client.response: {status, headers {lower-case name: [values]}} of the response, on response and 4xx/5xx err events",
		"$correlation: the request's, copied onto its response and err events",
	},
	New: newClient,
}

// Client is a running http_client peer.
type Client struct {
	url       string
	method    string
	header    http.Header
	timeout   time.Duration
	conc      int
	retry     peer.Backoff
	propagate bool
	mime      *mimeMapping
	tls       *tls.Config // nil: the Transport's default TLS (system roots)

	h      *peer.Host
	tr     *http.Transport
	hc     *http.Client
	ctx    context.Context
	cancel context.CancelFunc
	sem    chan struct{}

	mu       sync.Mutex // guards stopped, workers.Add and inflight (and orders CB reports)
	stopped  bool
	workers  sync.WaitGroup
	inflight int
	outage   atomic.Bool // a failure was logged and no request succeeded since
}

// outgoing is one request as built from an event.
type outgoing struct {
	method, url string
	header      http.Header
	body        []byte
	hasBody     bool
}

func newClient(cfg config.Values) (peer.Peer, error) {
	u, err := parseURL("config key `url` of http_client", cfg.String("url"))
	if err != nil {
		return nil, err
	}
	method, err := parseMethod("config key `method` of http_client", cfg.String("method"))
	if err != nil {
		return nil, err
	}
	header := http.Header{}
	if err := parseHeaders("config key `headers` of http_client", cfg.Value("headers"), header); err != nil {
		return nil, err
	}
	timeout := time.Duration(cfg.Int("timeout")) * time.Millisecond
	if timeout <= 0 {
		return nil, fmt.Errorf("config key `timeout` of http_client must be a positive number of milliseconds")
	}
	conc := cfg.Int("concurrency")
	if conc < 1 || conc > 1<<16 {
		return nil, fmt.Errorf("config key `concurrency` of http_client must be from 1 to 65536, not %d", conc)
	}
	retry, err := parseRetry(cfg.Value("retry"))
	if err != nil {
		return nil, err
	}
	mime, err := parseMimeMapping("config key `mime_mapping` of http_client", cfg.Value("mime_mapping"))
	if err != nil {
		return nil, err
	}
	tcfg, err := peer.ParseTLS(cfg.Value("tls"), false)
	if err != nil {
		return nil, fmt.Errorf("config key `tls` of http_client: %w", err)
	}
	return &Client{url: u.String(), method: method, header: header, timeout: timeout, conc: int(conc),
		retry: retry, propagate: cfg.Bool("propagate"), mime: mime, tls: tcfg}, nil
}

// parseMethod checks an HTTP method (an RFC 9110 token) and upper-cases it.
func parseMethod(what, m string) (string, error) {
	if m == "" {
		return "", fmt.Errorf("%s must be an HTTP method like \"POST\", not empty", what)
	}
	for _, c := range m {
		if c > 0x7e || !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.ContainsRune("!#$%&'*+-.^_`|~", c)) {
			return "", fmt.Errorf("%s must be an HTTP method like \"POST\", not %q", what, m)
		}
	}
	return strings.ToUpper(m), nil
}

// parseRetry reads the retry record; keys it does not give keep their defaults.
func parseRetry(v value.Value) (peer.Backoff, error) {
	b := peer.Backoff{Interval: 100 * time.Millisecond, Growth: 2, Max: 5 * time.Second, MaxRetries: 3}
	rec, _ := v.AsRecord()
	if rec == nil {
		return b, nil
	}
	for i := 0; i < rec.Len(); i++ {
		k, x := rec.At(i)
		f, ok := x.CastF64()
		if !ok || f < 0 {
			return b, fmt.Errorf("config key `retry` of http_client: retry.%s must be a non-negative number, not %s", k, value.Encode(x))
		}
		switch k {
		case "max_retries":
			if !x.IsInteger() {
				return b, fmt.Errorf("config key `retry` of http_client: retry.max_retries must be an integer, not %s", value.Encode(x))
			}
			b.MaxRetries = int(min(f, 1<<20))
		case "interval_ms":
			b.Interval = time.Duration(f * float64(time.Millisecond))
		case "growth_rate":
			b.Growth = f
		case "max_interval_ms":
			b.Max = time.Duration(f * float64(time.Millisecond))
		default:
			return b, fmt.Errorf("config key `retry` of http_client has an unknown key `%s` (max_retries, interval_ms, growth_rate, max_interval_ms)", k)
		}
	}
	return b, nil
}

// Start prepares the HTTP client and opens the sink's circuit breaker: there is no connection to
// wait for, requests connect (and reuse idle connections) as they go.
func (c *Client) Start(ctx context.Context, h *peer.Host) error {
	c.h = h
	c.ctx, c.cancel = context.WithCancel(ctx)
	c.sem = make(chan struct{}, c.conc)
	c.tr = &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: c.timeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          max(100, c.conc),
		MaxIdleConnsPerHost:   max(c.conc, 2),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		TLSClientConfig:       c.tls,
		ExpectContinueTimeout: time.Second,
	}
	c.hc = &http.Client{
		Transport: c.tr,
		// 3xx answers are delivered as responses, not followed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	h.CircuitBreaker(true, 0, 0)
	return nil
}

// Stop abandons retries and requests in flight (their events fail), waits for them and closes
// idle connections.
func (c *Client) Stop() error {
	if c.cancel == nil {
		return nil
	}
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
	c.cancel()
	c.workers.Wait()
	c.tr.CloseIdleConnections()
	return nil
}

// errStopped is the failure of events the client could not finish because the peer stopped.
func (c *Client) errStopped() error {
	return fmt.Errorf("http_client `%s` stopped before the request finished", c.h.Alias())
}

// Send sends ev as one request in the background. It blocks while `concurrency` requests are in
// flight (the circuit breaker is closed meanwhile); done is called once the response was
// delivered (nil) or the request failed for good (the error, also delivered on `err`).
func (c *Client) Send(_ string, ev *runtime.Event, done func(error)) {
	if err := c.acquire(); err != nil {
		done(err)
		return
	}
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		c.release()
		done(c.errStopped())
		return
	}
	c.workers.Add(1)
	c.mu.Unlock()

	id := c.h.StartStream()
	o, err := c.build(id, ev)
	if err != nil {
		in := peer.Incoming{Stream: id, Meta: c.meta(nil, c.method, c.url), Cause: ev}
		_ = c.h.Emit(c.ctx, "err", in, c.errValue(id, err.Error(), nil, nil, 0))
		c.h.EndStream(id)
		c.release()
		c.workers.Done()
		done(err)
		return
	}
	go func() {
		defer c.workers.Done()
		err := c.run(id, ev, o)
		c.h.EndStream(id)
		c.release()
		done(err)
	}()
}

// acquire takes a request slot, blocking while all are taken; the sink's circuit breaker closes
// when the last slot is taken.
func (c *Client) acquire() error {
	if c.ctx.Err() != nil {
		return c.errStopped()
	}
	select {
	case c.sem <- struct{}{}:
	case <-c.ctx.Done():
		return c.errStopped()
	}
	c.mu.Lock()
	c.inflight++
	if c.inflight == c.conc {
		c.h.CircuitBreaker(false, 0, 0)
	}
	c.mu.Unlock()
	return nil
}

// release frees a request slot, opening the circuit breaker when the client was saturated.
func (c *Client) release() {
	c.mu.Lock()
	if c.inflight == c.conc {
		c.h.CircuitBreaker(true, 0, 0)
	}
	c.inflight--
	c.mu.Unlock()
	<-c.sem
}

// build makes the request for ev: the config's method, url and headers overridden by
// `$http_client.request`, the event's `$correlation` header, and the body, encoded with the codec
// its content-type header maps to (else the client's codec, whose content type it then gets).
func (c *Client) build(id uint64, ev *runtime.Event) (*outgoing, error) {
	o := &outgoing{method: c.method, url: c.url, header: c.header.Clone()}
	if r := peer.MetaPath(ev.Meta, "http_client", "request"); !r.IsNull() {
		rec, ok := r.AsRecord()
		if !ok {
			return nil, fmt.Errorf("$http_client.request must be a record {method, url, headers}, not %s", r.TypeName())
		}
		if v, ok := rec.Get("method"); ok && !v.IsNull() {
			s, _ := v.AsString()
			m, err := parseMethod("$http_client.request.method", s)
			if err != nil {
				return nil, err
			}
			o.method = m
		}
		if v, ok := rec.Get("url"); ok && !v.IsNull() {
			s, isStr := v.AsString()
			if !isStr {
				return nil, fmt.Errorf("$http_client.request.url must be a string, not %s", v.TypeName())
			}
			u, err := parseURL("$http_client.request.url", s)
			if err != nil {
				return nil, err
			}
			o.url = u.String()
		}
		if v, ok := rec.Get("headers"); ok {
			if err := parseHeaders("$http_client.request.headers", v, o.header); err != nil {
				return nil, err
			}
		}
	}
	o.hasBody = !(ev.Value.IsNull() && (o.method == http.MethodGet || o.method == http.MethodHead))
	if o.hasBody {
		ct := o.header.Get("Content-Type")
		name, ok := c.mime.lookup(ct)
		if !ok {
			name = c.h.CodecName()
		}
		if err := c.h.SetStreamCodec(id, name, false, true); err != nil {
			return nil, fmt.Errorf("cannot encode the request body: %w", err)
		}
		chunks, err := c.h.Serialize(id, ev)
		if err != nil {
			return nil, fmt.Errorf("cannot encode the request body: %w", err)
		}
		for _, ch := range chunks {
			o.body = append(o.body, ch...)
		}
		tail, err := c.h.CloseWrite(id)
		if err != nil {
			return nil, fmt.Errorf("cannot finish the request body: %w", err)
		}
		for _, ch := range tail {
			o.body = append(o.body, ch...)
		}
		if ct == "" {
			o.header.Set("Content-Type", contentType(name))
		}
	}
	if c.propagate {
		if rec, ok := ev.Meta.AsRecord(); ok {
			if corr, ok := rec.Get("correlation"); ok && !corr.IsNull() {
				o.header.Set(correlationHeader, value.Encode(corr))
			}
		}
	}
	return o, nil
}

// run sends o until it succeeds, fails for good or the peer stops, and delivers the outcome on
// the client's stream id.
func (c *Client) run(id uint64, ev *runtime.Event, o *outgoing) error {
	for attempt := 0; ; attempt++ {
		res, body, err := c.attempt(o)
		if c.ctx.Err() != nil {
			return c.errStopped()
		}
		if err == nil && res.StatusCode < 500 {
			c.recovered()
			meta := c.meta(res, o.method, o.url)
			in := peer.Incoming{Stream: id, Meta: meta, Cause: ev}
			if res.StatusCode >= 400 {
				msg := "HTTP " + res.Status
				_ = c.h.Emit(c.ctx, "err", in, c.errValue(id, msg, res, body, 0))
				return fmt.Errorf("http_client `%s`: %s %s answered %s", c.h.Alias(), o.method, o.url, msg)
			}
			if len(body) == 0 {
				err = c.h.Emit(c.ctx, "out", in, value.NullValue)
			} else {
				ct := res.Header.Get("Content-Type")
				if cerr := c.h.SetStreamCodec(id, c.mime.decoder(ct, c.h.CodecName()), true, false); cerr != nil {
					// only when the flow's codecs lack one that mime_mapping names
					c.h.EmitError(in, fmt.Errorf("cannot decode a %s response: %w", mediaType(ct), cerr), body)
					return cerr
				}
				err = c.h.Receive(c.ctx, in, body)
			}
			if err != nil {
				return c.errStopped()
			}
			return nil
		}
		msg := ""
		if err != nil {
			msg = err.Error()
		} else {
			msg = "HTTP " + res.Status
		}
		c.failed(o, msg)
		delay, again := c.retry.Delay(attempt)
		if !again {
			in := peer.Incoming{Stream: id, Meta: c.meta(res, o.method, o.url), Cause: ev}
			msg = fmt.Sprintf("%s (gave up after %d attempts)", msg, attempt+1)
			_ = c.h.Emit(c.ctx, "err", in, c.errValue(id, msg, res, body, attempt+1))
			return fmt.Errorf("http_client `%s`: %s %s failed: %s", c.h.Alias(), o.method, o.url, msg)
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-c.ctx.Done():
			t.Stop()
			return c.errStopped()
		}
	}
}

// attempt sends o once and reads the whole response.
func (c *Client) attempt(o *outgoing) (*http.Response, []byte, error) {
	ctx, cancel := context.WithTimeout(c.ctx, c.timeout)
	defer cancel()
	var body io.Reader
	if o.hasBody {
		body = bytes.NewReader(o.body)
	}
	req, err := http.NewRequestWithContext(ctx, o.method, o.url, body)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", o.method, o.url, err)
	}
	req.Header = o.header.Clone()
	if h := req.Header.Get("Host"); h != "" {
		req.Host = h
	}
	c.h.Metrics().Send.Add(1)
	res, err := c.hc.Do(req)
	if err == nil {
		var data []byte
		data, err = io.ReadAll(res.Body)
		res.Body.Close()
		if err == nil {
			return res, data, nil
		}
		err = fmt.Errorf("%s %s: reading the response: %w", o.method, o.url, err)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && c.ctx.Err() == nil {
		return nil, nil, fmt.Errorf("%s %s: no response within %d ms", o.method, o.url, c.timeout.Milliseconds())
	}
	return nil, nil, err
}

// failed logs a failed attempt once per outage.
func (c *Client) failed(o *outgoing, msg string) {
	if !c.outage.Swap(true) {
		c.h.Log().Warn("http_client request failed; retrying (logged once until a request succeeds)",
			"method", o.method, "url", o.url, "error", msg)
	}
}

// recovered ends an outage.
func (c *Client) recovered() {
	if c.outage.Swap(false) {
		c.h.Log().Info("http_client requests succeed again")
	}
}

// meta is `$http_client` of a response (res nil: no response was received).
func (c *Client) meta(res *http.Response, method, url string) value.Value {
	hc := value.NewRec(2)
	if res != nil {
		r := value.NewRec(2)
		r.Set("status", value.NewUint(uint64(res.StatusCode)))
		r.Set("headers", headersValue(res.Header))
		hc.Set("response", value.NewRecordValue(r))
	}
	q := value.NewRec(2)
	q.Set("method", value.NewString(method))
	q.Set("url", value.NewString(url))
	hc.Set("sent", value.NewRecordValue(q))
	meta := value.NewRec(1)
	meta.Set("http_client", value.NewRecordValue(hc))
	return value.NewRecordValue(meta)
}

// errValue is the value of an err event: {"error", "status" and "body" (with a response),
// "attempts" (after retries), "peer", "stream"}. A body that is not UTF-8 is base64.
func (c *Client) errValue(id uint64, msg string, res *http.Response, body []byte, attempts int) value.Value {
	rec := value.NewRec(6)
	rec.Set("error", value.NewString(msg))
	if res != nil {
		rec.Set("status", value.NewUint(uint64(res.StatusCode)))
		if utf8.Valid(body) {
			rec.Set("body", value.NewString(string(body)))
		} else {
			rec.Set("body", value.NewString(base64.StdEncoding.EncodeToString(body)))
		}
	}
	if attempts > 0 {
		rec.Set("attempts", value.NewUint(uint64(attempts)))
	}
	rec.Set("peer", value.NewString(c.h.Alias()))
	rec.Set("stream", value.NewUint(id))
	return value.NewRecordValue(rec)
}
