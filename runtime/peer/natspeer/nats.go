package natspeer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

// NatsSpec declares the nats peer type.
var NatsSpec = &peer.Spec{
	Name: "nats",
	Doc: "core NATS: subscribes to subjects (one stream each) and publishes the events sent to it; " +
		"answers requests it received (a NATS service) or sends every event as a request (request_mode)",
	Source: true,
	Sink:   true,
	Codec:  "json",
	Config: []config.Key{
		{Name: "url", Type: config.String, Required: true,
			Doc: "the server, \"nats://127.0.0.1:4222\" or \"host:port\"; a comma-separated list names several of one cluster"},
		peer.TLSKey(),
		{Name: "subjects", Type: config.Strings, Default: value.NewArray(nil),
			Doc: "subjects to subscribe to (wildcards allowed); each subscription is one stream of the source side"},
		{Name: "queue", Type: config.String, Default: value.NewString(""),
			Doc: "the queue group of the subscriptions (\"\": none): processes in one group share the messages"},
		{Name: "subject", Type: config.String, Default: value.NewString(""),
			Doc: "the subject the sink publishes to unless the event names one in $nats.publish.subject (\"\": the event must)"},
		{Name: "request_mode", Type: config.Bool, Default: value.NewBool(false),
			Doc: "send every event as a request; its reply (or the timeout / no-responders error on err) comes back with the request's $correlation"},
		{Name: "timeout", Type: config.Duration, Default: value.NewUint(5000),
			Doc: "how long, in milliseconds, a request waits for its reply and a publish for the server's confirmation"},
		{Name: "propagate", Type: config.Bool, Default: value.NewBool(true),
			Doc: "send `$correlation` as JSON in the Rill-Correlation header and restore it from received messages"},
	},
	Meta: []string{
		"$nats.subject: the subject of a received message (of a reply: the subject the request was sent to)",
		"$nats.reply: the reply subject of a received request; an event sent to a nats sink with it is published there (it answers the request)",
		"$nats.headers: the received message's headers, {name: [values]} (hop-local: never published again unless copied)",
		"$nats.publish: {subject, headers {name: string or [strings]}} read from an event to override the subject and set headers of its message",
		"$correlation: restored from a received Rill-Correlation header (propagate); on request_mode replies, the request's",
	},
	New: newNats,
}

// maxRequests bounds the requests a request_mode peer has in flight; Send blocks beyond it.
const maxRequests = 1024

// Nats is a running nats peer.
//
// Its source side subscribes to every configured subject at Start (a queue subscription when
// `queue` is set); each subscription is a stream from Start to Stop, and every message is one
// frame for the codec. Its sink side publishes every event it is sent as one message (the
// Serialize chunks of the event, joined): to `$nats.reply` when the event answers a request, else
// to `$nats.publish.subject` or the configured `subject`. An event is acked once the server
// confirmed it read the message (one flush round trip covers every event published meanwhile),
// failed when the publish or the flush failed (a publish while disconnected fails at once).
//
// In request_mode, an event without `$nats.reply` is sent as a request instead; the reply is
// decoded on the source side's reply stream with the request's `$correlation` and tracked ids
// (Cause), and the event is acked; no reply within `timeout` or no responders gives an `err`
// event with the correlation, and the event fails.
type Nats struct {
	url         string
	tls         *tls.Config // config.tls; nil: plain
	subjects    []string
	queue       string
	subject     string
	requestMode bool
	timeout     time.Duration
	propagate   bool

	h       *peer.Host
	ctx     context.Context
	cancel  context.CancelFunc
	link    *link
	flush   *flusher
	replies uint64        // request_mode: the stream replies are delivered on
	slots   chan struct{} // request_mode: one value per request in flight
	wg      sync.WaitGroup

	mu      sync.Mutex // guards stopped, link (set once Start succeeded) and sending.Add
	stopped bool
	sending sync.WaitGroup // Send calls in progress
}

func newNats(cfg config.Values) (peer.Peer, error) {
	u, err := parseURLs("nats", cfg.String("url"))
	if err != nil {
		return nil, err
	}
	n := &Nats{url: u, subjects: cfg.Strings("subjects"), queue: cfg.String("queue"), subject: cfg.String("subject"),
		requestMode: cfg.Bool("request_mode"), propagate: cfg.Bool("propagate")}
	if n.tls, err = peer.ParseTLS(cfg.Value("tls"), false); err != nil {
		return nil, fmt.Errorf("config key `tls` of nats: %w", err)
	}
	for _, s := range n.subjects {
		if err := checkSubject("config key `subjects` of nats", s, true); err != nil {
			return nil, err
		}
	}
	if n.subject != "" {
		if err := checkSubject("config key `subject` of nats", n.subject, false); err != nil {
			return nil, err
		}
	}
	if n.queue != "" {
		if err := checkName("config key `queue` of nats", n.queue); err != nil {
			return nil, err
		}
	}
	if n.timeout, err = positiveMs("config key `timeout` of nats", cfg.Int("timeout")); err != nil {
		return nil, err
	}
	return n, nil
}

// Start connects in the background (a server that is not up yet is retried), subscribes to the
// configured subjects (the subscriptions are sent once connected) and returns.
func (n *Nats) Start(ctx context.Context, h *peer.Host) error {
	n.h = h
	n.ctx, n.cancel = context.WithCancel(ctx)
	l, err := dial(h, "nats", n.url, n.tls)
	if err != nil {
		n.cancel()
		return err
	}
	subs := make([]*nats.Subscription, 0, len(n.subjects))
	for _, s := range n.subjects {
		sub, err := l.nc.QueueSubscribeSync(s, n.queue)
		if err != nil {
			n.cancel()
			l.close()
			return fmt.Errorf("nats: cannot subscribe to %q: %w", s, err)
		}
		subs = append(subs, sub)
	}
	for _, sub := range subs {
		id := h.StartStream()
		n.wg.Add(1)
		go n.read(sub, id)
	}
	n.flush = newFlusher(l.nc, n.timeout, "nats `"+h.Alias()+"`")
	if n.requestMode {
		n.replies = h.StartStream()
		n.slots = make(chan struct{}, maxRequests)
	}
	n.mu.Lock()
	n.link = l // Send and Stop work from now on
	n.mu.Unlock()
	return nil
}

// read delivers the messages of one subscription on its stream until the peer stops.
func (n *Nats) read(sub *nats.Subscription, id uint64) {
	defer n.wg.Done()
	defer n.h.EndStream(id)
	slow := false
	for {
		msg, err := sub.NextMsgWithContext(n.ctx)
		if err != nil {
			if n.ctx.Err() != nil {
				return
			}
			if errors.Is(err, nats.ErrSlowConsumer) {
				if !slow {
					slow = true
					n.h.Log().Warn("nats: messages were dropped because the pipelines did not keep up (slow consumer; logged once)", "subject", sub.Subject)
				}
				continue
			}
			n.h.Log().Warn("nats: subscription ended", "subject", sub.Subject, "error", err)
			return
		}
		if err := n.h.Receive(n.ctx, peer.Incoming{Stream: id, Meta: n.messageMeta(msg.Subject, msg)}, msg.Data); err != nil {
			return
		}
	}
}

// messageMeta is the meta of a received message: `$nats` {subject, reply, headers} and the
// propagated `$correlation`.
func (n *Nats) messageMeta(subject string, msg *nats.Msg) value.Value {
	nm := value.NewRec(3)
	nm.Set("subject", value.NewString(subject))
	if msg.Reply != "" {
		nm.Set("reply", value.NewString(msg.Reply))
	}
	nm.Set("headers", headersValue(msg.Header, n.propagate))
	meta := value.NewRec(2)
	meta.Set("nats", value.NewRecordValue(nm))
	if n.propagate {
		withCorrelation(meta, receivedCorrelation(msg.Header))
	}
	return value.NewRecordValue(meta)
}

// Stop refuses new events, ends the subscriptions and requests in flight, confirms the
// publishes waiting for their flush and closes the connection.
func (n *Nats) Stop() error {
	n.mu.Lock()
	if n.stopped || n.link == nil {
		n.mu.Unlock()
		return nil
	}
	n.stopped = true
	n.mu.Unlock()
	n.cancel() // first: a Send waiting for a request slot gives up
	n.sending.Wait()
	n.wg.Wait()
	if n.flush != nil {
		n.flush.close()
	}
	if n.requestMode && n.replies != 0 {
		n.h.EndStream(n.replies)
	}
	n.link.close()
	return nil
}

// errStopped fails events that arrive or are pending when the peer stops.
func (n *Nats) errStopped() error {
	return fmt.Errorf("nats `%s` stopped", n.h.Alias())
}

// Send publishes ev (or sends it as a request in request_mode); see the type's comment.
func (n *Nats) Send(_ string, ev *runtime.Event, done func(error)) {
	n.mu.Lock()
	if n.stopped || n.link == nil {
		n.mu.Unlock()
		done(fmt.Errorf("nats peer is not running"))
		return
	}
	n.sending.Add(1)
	n.mu.Unlock()
	defer n.sending.Done()

	msg, answer, err := n.build(ev)
	if err != nil {
		done(fmt.Errorf("nats `%s`: %w", n.h.Alias(), err))
		return
	}
	if n.requestMode && !answer {
		n.request(ev, msg, done)
		return
	}
	if err := n.link.nc.PublishMsg(msg); err != nil {
		done(n.link.publishError(msg.Subject, err))
		return
	}
	n.h.Metrics().Send.Add(1)
	n.flush.add(done)
}

// build makes the message of ev: its subject ($nats.reply when it answers a request, then
// $nats.publish.subject, then the config's), headers ($nats.publish.headers and the propagated
// correlation) and data. answer reports that it goes to a reply subject.
func (n *Nats) build(ev *runtime.Event) (msg *nats.Msg, answer bool, err error) {
	subject := ""
	if r, ok := peer.MetaPath(ev.Meta, "nats", "reply").AsString(); ok && r != "" {
		subject, answer = r, true
	} else if v := peer.MetaPath(ev.Meta, "nats", "publish", "subject"); !v.IsNull() {
		s, ok := v.AsString()
		if !ok {
			return nil, false, fmt.Errorf("$nats.publish.subject must be a string, not %s", v.TypeName())
		}
		if err := checkSubject("$nats.publish.subject", s, false); err != nil {
			return nil, false, err
		}
		subject = s
	} else if n.subject != "" {
		subject = n.subject
	} else {
		return nil, false, fmt.Errorf("no subject to publish to: set config `subject` or $nats.publish.subject (or answer a request with $nats.reply)")
	}
	msg = &nats.Msg{Subject: subject}
	hdr, err := buildHeaders(ev, "$nats.publish.headers", peer.MetaPath(ev.Meta, "nats", "publish", "headers"), n.propagate)
	if err != nil {
		return nil, false, err
	}
	msg.Header = hdr
	if msg.Data, err = serialize(n.h, ev); err != nil {
		return nil, false, err
	}
	return msg, answer, nil
}

// buildHeaders makes the headers of an outgoing message from the record v (what names it) and,
// with propagate, the event's `$correlation`; nil when there are none.
func buildHeaders(ev *runtime.Event, what string, v value.Value, propagate bool) (nats.Header, error) {
	hdr := nats.Header{}
	if err := parseHeaders(what, v, hdr); err != nil {
		return nil, err
	}
	if propagate {
		if c := eventCorrelation(ev.Meta); c != "" {
			hdr[correlationHeader] = []string{c}
		}
	}
	if len(hdr) == 0 {
		return nil, nil
	}
	return hdr, nil
}

// serialize encodes ev as one message body: the chunks of its encoding, joined (a
// generic::batch event is its elements back to back, framed by the write-side interceptors).
// The sink side writes on stream 0; Send runs on one goroutine, so its buffers are not shared.
func serialize(h *peer.Host, ev *runtime.Event) ([]byte, error) {
	chunks, err := h.Serialize(0, ev)
	if err != nil {
		return nil, fmt.Errorf("cannot encode the event: %w", err)
	}
	if len(chunks) == 1 {
		return append([]byte(nil), chunks[0]...), nil
	}
	var data []byte
	for _, c := range chunks {
		data = append(data, c...)
	}
	return data, nil
}

// request sends msg as a request in the background (Send blocks while maxRequests are in
// flight) and delivers the reply, or an err event, with ev as the cause.
func (n *Nats) request(ev *runtime.Event, msg *nats.Msg, done func(error)) {
	select {
	case n.slots <- struct{}{}:
	case <-n.ctx.Done():
		done(n.errStopped())
		return
	}
	n.wg.Add(1)
	n.h.Metrics().Send.Add(1)
	go func() {
		defer n.wg.Done()
		defer func() { <-n.slots }()
		ctx, cancel := context.WithTimeout(n.ctx, n.timeout)
		reply, err := n.link.nc.RequestMsgWithContext(ctx, msg)
		cancel()
		if n.ctx.Err() != nil {
			done(n.errStopped())
			return
		}
		if err != nil {
			switch {
			case errors.Is(err, nats.ErrNoResponders):
				err = fmt.Errorf("nats `%s`: no responders on subject %q", n.h.Alias(), msg.Subject)
			case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout):
				err = fmt.Errorf("nats `%s`: no reply on subject %q within %d ms", n.h.Alias(), msg.Subject, n.timeout.Milliseconds())
			default:
				err = n.link.publishError(msg.Subject, err)
			}
			meta := value.NewRec(1)
			nm := value.NewRec(1)
			nm.Set("subject", value.NewString(msg.Subject))
			meta.Set("nats", value.NewRecordValue(nm))
			n.h.EmitError(peer.Incoming{Stream: n.replies, Meta: value.NewRecordValue(meta), Cause: ev}, err, nil)
			done(err)
			return
		}
		in := peer.Incoming{Stream: n.replies, Meta: n.messageMeta(msg.Subject, reply), Cause: ev}
		if err := n.h.Receive(n.ctx, in, reply.Data); err != nil {
			done(n.errStopped())
			return
		}
		done(nil)
	}()
}
