package natspeer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

// JetStreamSpec declares the jetstream peer type.
var JetStreamSpec = &peer.Spec{
	Name: "jetstream",
	Doc: "NATS JetStream: a durable pull consumer shared by every process with the same `durable` " +
		"(at-least-once: messages are acked when their events are, naked when they fail) and a publisher that waits for the PubAck",
	Source: true,
	Sink:   true,
	Codec:  "json",
	Config: []config.Key{
		{Name: "url", Type: config.String, Required: true,
			Doc: "the server, \"nats://127.0.0.1:4222\" or \"host:port\"; a comma-separated list names several of one cluster"},
		peer.TLSKey(),
		{Name: "stream", Type: config.String, Required: true,
			Doc: "the JetStream stream to consume from (and that publishes land in)"},
		{Name: "subjects", Type: config.Strings, Default: value.NewArray(nil),
			Doc: "when set, the stream is created with these subjects at start, or they are added to it; when empty the stream must exist"},
		{Name: "durable", Type: config.String, Default: value.NewString(""),
			Doc: "the durable consumer's name; every process with the same name shares its messages (\"\": no source side, the peer only publishes)"},
		{Name: "filter_subject", Type: config.String, Default: value.NewString(""),
			Doc: "consume only the stream's messages on this subject (wildcards allowed; \"\": all)"},
		{Name: "max_ack_pending", Type: config.Int, Default: value.NewUint(1024),
			Doc: "the most messages delivered and not yet acked, over all processes sharing the consumer"},
		{Name: "batch", Type: config.Int, Default: value.NewUint(100),
			Doc: "how many messages a process pulls ahead"},
		{Name: "ack_wait", Type: config.Duration, Default: value.NewUint(30000),
			Doc: "how long, in milliseconds, the server waits for a message's ack before redelivering it"},
		{Name: "subject", Type: config.String, Default: value.NewString(""),
			Doc: "the subject the sink publishes to unless the event names one in $jetstream.publish.subject"},
		{Name: "timeout", Type: config.Duration, Default: value.NewUint(5000),
			Doc: "how long, in milliseconds, a publish waits for its PubAck and a setup request for its answer"},
		{Name: "propagate", Type: config.Bool, Default: value.NewBool(true),
			Doc: "send `$correlation` as JSON in the Rill-Correlation header and restore it from consumed messages"},
	},
	Meta: []string{
		"$jetstream.subject, .stream, .sequence (the stream sequence), .delivered (1 on the first delivery): of a consumed message",
		"$jetstream.headers: the consumed message's headers, {name: [values]} (hop-local: never published again unless copied)",
		"$jetstream.publish: {subject, headers {name: string or [strings]}} read from an event to override the subject and set headers of its message",
		"$correlation: restored from a consumed message's Rill-Correlation header (propagate)",
	},
	New: newJetStream,
}

// maxPublishes bounds the publishes waiting for their PubAck; Send blocks beyond it.
const maxPublishes = 4096

// JetStream is a running jetstream peer.
//
// Its source side (when `durable` is set) is one stream, from Start to Stop, fed by a durable
// pull consumer with explicit acks: every message is one frame for the codec, and the events it
// gives are remembered until the contraflow (peer.Acker) settles them: the message is acked once
// all its events were acked, naked with the host's Reconnect backoff (by delivery count) when one
// failed, and terminated when it gave only an `err` event (undecodable: it would fail forever;
// the err event carries the raw bytes). A message that is never answered is redelivered by the
// server after ack_wait: delivery is at least once, and processes sharing the durable consumer
// split the messages between them (scale-out, peers.md §8).
//
// Its sink side publishes every event as one message and acks the event when the stream's
// PubAck arrives (fails it on an error, a timeout or when no stream holds the subject).
//
// The stream and consumer are set up at Start when the server is reachable, else in the
// background with the Reconnect backoff (logged once until it works).
type JetStream struct {
	url           string
	tls           *tls.Config // config.tls; nil: plain
	stream        string
	subjects      []string
	durable       string
	filter        string
	maxAckPending int
	batch         int
	ackWait       time.Duration
	subject       string
	timeout       time.Duration
	propagate     bool

	h      *peer.Host
	uid    uint64
	ctx    context.Context
	cancel context.CancelFunc
	link   *link
	js     jetstream.JetStream
	id     uint64 // the source side's stream (0: no durable)
	acks   *ackTable
	wg     sync.WaitGroup
	pubs   chan publish  // publishes waiting for their PubAck, in order
	pubEnd chan struct{} // closed when the confirm goroutine ends

	mu      sync.Mutex // guards stopped, link (set once Start succeeded) and sending.Add
	stopped bool
	sending sync.WaitGroup
}

// publish is one message waiting for its PubAck.
type publish struct {
	f       jetstream.PubAckFuture
	subject string
	done    func(error)
}

func newJetStream(cfg config.Values) (peer.Peer, error) {
	u, err := parseURLs("jetstream", cfg.String("url"))
	if err != nil {
		return nil, err
	}
	j := &JetStream{url: u, stream: cfg.String("stream"), subjects: cfg.Strings("subjects"), durable: cfg.String("durable"),
		filter: cfg.String("filter_subject"), subject: cfg.String("subject"), propagate: cfg.Bool("propagate")}
	if j.tls, err = peer.ParseTLS(cfg.Value("tls"), false); err != nil {
		return nil, fmt.Errorf("config key `tls` of jetstream: %w", err)
	}
	if err := checkName("config key `stream` of jetstream", j.stream); err != nil {
		return nil, err
	}
	for _, s := range j.subjects {
		if err := checkSubject("config key `subjects` of jetstream", s, true); err != nil {
			return nil, err
		}
	}
	if j.durable != "" {
		if err := checkName("config key `durable` of jetstream", j.durable); err != nil {
			return nil, err
		}
	}
	if j.filter != "" {
		if err := checkSubject("config key `filter_subject` of jetstream", j.filter, true); err != nil {
			return nil, err
		}
	}
	if j.subject != "" {
		if err := checkSubject("config key `subject` of jetstream", j.subject, false); err != nil {
			return nil, err
		}
	}
	if n := cfg.Int("max_ack_pending"); n < 1 || n > 1<<24 {
		return nil, fmt.Errorf("config key `max_ack_pending` of jetstream must be from 1 to %d, not %d", 1<<24, n)
	} else {
		j.maxAckPending = int(n)
	}
	if n := cfg.Int("batch"); n < 1 || n > 1<<16 {
		return nil, fmt.Errorf("config key `batch` of jetstream must be from 1 to %d, not %d", 1<<16, n)
	} else {
		j.batch = int(n)
	}
	if j.ackWait, err = positiveMs("config key `ack_wait` of jetstream", cfg.Int("ack_wait")); err != nil {
		return nil, err
	}
	if j.timeout, err = positiveMs("config key `timeout` of jetstream", cfg.Int("timeout")); err != nil {
		return nil, err
	}
	return j, nil
}

// Start connects in the background, sets up the stream and the consumer (now when the server is
// reachable, else in the background) and starts consuming.
func (j *JetStream) Start(ctx context.Context, h *peer.Host) error {
	j.h, j.uid = h, h.UID()
	j.ctx, j.cancel = context.WithCancel(ctx)
	l, err := dial(h, "jetstream", j.url, j.tls)
	if err != nil {
		j.cancel()
		return err
	}
	j.js, err = jetstream.New(l.nc, jetstream.WithPublishAsyncTimeout(j.timeout), jetstream.WithPublishAsyncMaxPending(maxPublishes))
	if err != nil {
		j.cancel()
		l.close()
		return fmt.Errorf("jetstream: %w", err)
	}
	j.mu.Lock()
	j.link = l // Send and Stop work from now on
	j.mu.Unlock()
	j.acks = newAckTable(h.Reconnect(), h.Log(), j.ackWait, j.maxAckPending+j.batch)
	j.pubs = make(chan publish, maxPublishes)
	j.pubEnd = make(chan struct{})
	go j.confirm()
	if j.durable == "" && len(j.subjects) == 0 {
		return nil // publish only, to a stream someone else made
	}
	var cons jetstream.Consumer
	setupErr := errors.New("the NATS connection is not up yet")
	if l.nc.IsConnected() {
		cons, setupErr = j.setup()
	}
	if j.durable != "" {
		j.id = h.StartStream()
	}
	if setupErr != nil || j.durable != "" {
		j.wg.Add(1)
		go j.run(cons, setupErr)
	}
	return nil
}

// setup makes sure the stream exists with the configured subjects and returns the durable
// consumer (nil without durable).
func (j *JetStream) setup() (jetstream.Consumer, error) {
	ctx, cancel := context.WithTimeout(j.ctx, j.timeout)
	defer cancel()
	if err := j.ensureStream(ctx); err != nil {
		return nil, err
	}
	if j.durable == "" {
		return nil, nil
	}
	cons, err := j.js.CreateOrUpdateConsumer(ctx, j.stream, jetstream.ConsumerConfig{
		Durable:       j.durable,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       j.ackWait,
		MaxAckPending: j.maxAckPending,
		FilterSubject: j.filter,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("cannot create or update the durable consumer %q of stream %q: %w", j.durable, j.stream, err)
	}
	return cons, nil
}

// ensureStream checks that the stream exists; with subjects it creates it, or adds the missing
// subjects to it (its other settings and subjects are kept).
func (j *JetStream) ensureStream(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		s, err := j.js.Stream(ctx, j.stream)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			if len(j.subjects) == 0 {
				return fmt.Errorf("stream %q does not exist (set config `subjects` to create it)", j.stream)
			}
			_, err = j.js.CreateStream(ctx, jetstream.StreamConfig{Name: j.stream, Subjects: j.subjects})
			if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) && attempt == 0 {
				continue // another process made it meanwhile: update it
			}
			if err != nil {
				return fmt.Errorf("cannot create stream %q: %w", j.stream, err)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("cannot look up stream %q: %w", j.stream, err)
		}
		cfg := s.CachedInfo().Config
		changed := false
		for _, subj := range j.subjects {
			if !slices.Contains(cfg.Subjects, subj) {
				cfg.Subjects = append(cfg.Subjects, subj)
				changed = true
			}
		}
		if changed {
			if _, err := j.js.UpdateStream(ctx, cfg); err != nil {
				return fmt.Errorf("cannot add subjects %v to stream %q: %w", j.subjects, j.stream, err)
			}
		}
		return nil
	}
}

// run sets up what Start could not, then consumes until Stop; when consuming fails (the
// consumer or stream was deleted, ...) the setup is retried with the Reconnect backoff. Failures
// are logged once until it works again.
func (j *JetStream) run(cons jetstream.Consumer, err error) {
	defer j.wg.Done()
	outage := false
	for failures := 0; ; {
		if err == nil {
			if outage {
				outage = false
				j.h.Log().Info("jetstream: set up", "stream", j.stream, "durable", j.durable)
			}
			if j.durable == "" {
				return // the stream is set up; there is nothing to consume
			}
			failures = 0
			err = j.consume(cons)
			if j.ctx.Err() != nil {
				return
			}
		}
		if !outage {
			outage = true
			j.h.Log().Warn("jetstream: cannot set up or consume; retrying (logged once until it works)",
				"stream", j.stream, "durable", j.durable, "error", err)
		}
		t := time.NewTimer(reconnectDelay(j.h.Reconnect(), failures+1))
		failures++
		select {
		case <-t.C:
		case <-j.ctx.Done():
			t.Stop()
			return
		}
		cons, err = j.setup()
	}
}

// consume delivers the consumer's messages until Stop (nil) or the iterator fails (its error).
func (j *JetStream) consume(cons jetstream.Consumer) error {
	it, err := cons.Messages(jetstream.PullMaxMessages(j.batch))
	if err != nil {
		return fmt.Errorf("cannot pull from the durable consumer %q: %w", j.durable, err)
	}
	defer it.Stop()
	for {
		msg, err := it.Next(jetstream.NextContext(j.ctx))
		if err != nil {
			if j.ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("pulling from the durable consumer %q: %w", j.durable, err)
		}
		if !j.deliver(msg) {
			return nil
		}
	}
}

// deliver receives one message on the peer's stream, recording which events it gave; false when
// the peer stops first (the message is naked so another process gets it at once).
func (j *JetStream) deliver(msg jetstream.Msg) bool {
	md, err := msg.Metadata()
	if err != nil {
		j.h.Log().Warn("jetstream: ignoring a message without JetStream metadata", "subject", msg.Subject(), "error", err)
		return true
	}
	e := j.acks.begin(msg, md)
	in := peer.Incoming{Stream: j.id, Meta: j.messageMeta(msg, md),
		Delivered: func(port string, ev *runtime.Event) { j.acks.delivered(e, port, ev.ID.Seq) }}
	if err := j.h.Receive(j.ctx, in, msg.Data()); err != nil {
		_ = msg.Nak()
		return false
	}
	j.acks.release(e)
	return true
}

// messageMeta is the meta of a consumed message: `$jetstream` and the propagated `$correlation`.
func (j *JetStream) messageMeta(msg jetstream.Msg, md *jetstream.MsgMetadata) value.Value {
	jm := value.NewRec(5)
	jm.Set("subject", value.NewString(msg.Subject()))
	jm.Set("stream", value.NewString(md.Stream))
	jm.Set("sequence", value.NewUint(md.Sequence.Stream))
	jm.Set("delivered", value.NewUint(md.NumDelivered))
	jm.Set("headers", headersValue(msg.Headers(), j.propagate))
	meta := value.NewRec(2)
	meta.Set("jetstream", value.NewRecordValue(jm))
	if j.propagate {
		withCorrelation(meta, receivedCorrelation(msg.Headers()))
	}
	return value.NewRecordValue(meta)
}

// Ack acks the messages of ev: its own id and every tracked range of this peer's stream.
func (j *JetStream) Ack(ev *runtime.Event) { j.settle(ev, false) }

// Fail naks the messages of ev (its id and tracked ranges of this peer's stream): the server
// redelivers each after the Reconnect backoff of its delivery count.
func (j *JetStream) Fail(ev *runtime.Event, _ error) { j.settle(ev, true) }

func (j *JetStream) settle(ev *runtime.Event, failed bool) {
	if j.acks == nil || j.id == 0 {
		return
	}
	if ev.ID.Peer == j.uid && ev.ID.Stream == j.id {
		j.acks.settle(ev.ID.Seq, ev.ID.Seq, failed)
	}
	for _, r := range ev.Tracked {
		if r.Peer == j.uid && r.Stream == j.id {
			j.acks.settle(r.Min, r.Max, failed)
		}
	}
}

// Stop refuses new events, stops consuming (messages delivered and not settled are redelivered
// after ack_wait), waits for the PubAcks of publishes in flight and closes the connection.
func (j *JetStream) Stop() error {
	j.mu.Lock()
	if j.stopped || j.link == nil {
		j.mu.Unlock()
		return nil
	}
	j.stopped = true
	j.mu.Unlock()
	j.cancel()
	j.sending.Wait()
	j.wg.Wait()
	if j.id != 0 {
		j.h.EndStream(j.id)
	}
	close(j.pubs)
	<-j.pubEnd
	j.link.close()
	return nil
}

// Send publishes ev as one message and completes it when its PubAck arrives; see the type's
// comment.
func (j *JetStream) Send(_ string, ev *runtime.Event, done func(error)) {
	j.mu.Lock()
	if j.stopped || j.link == nil {
		j.mu.Unlock()
		done(fmt.Errorf("jetstream peer is not running"))
		return
	}
	j.sending.Add(1)
	j.mu.Unlock()
	defer j.sending.Done()

	msg, err := j.build(ev)
	if err != nil {
		done(fmt.Errorf("jetstream `%s`: %w", j.h.Alias(), err))
		return
	}
	for {
		f, err := j.js.PublishMsgAsync(msg)
		if errors.Is(err, jetstream.ErrTooManyStalledMsgs) && j.ctx.Err() == nil {
			continue // maxPublishes are waiting for their PubAck: wait more (backpressure)
		}
		if err != nil {
			done(j.link.publishError(msg.Subject, err))
			return
		}
		j.h.Metrics().Send.Add(1)
		j.pubs <- publish{f: f, subject: msg.Subject, done: done}
		return
	}
}

// build makes the message of ev: subject ($jetstream.publish.subject or the config's), headers
// ($jetstream.publish.headers and the propagated correlation) and data.
func (j *JetStream) build(ev *runtime.Event) (*nats.Msg, error) {
	subject := j.subject
	if v := peer.MetaPath(ev.Meta, "jetstream", "publish", "subject"); !v.IsNull() {
		s, ok := v.AsString()
		if !ok {
			return nil, fmt.Errorf("$jetstream.publish.subject must be a string, not %s", v.TypeName())
		}
		if err := checkSubject("$jetstream.publish.subject", s, false); err != nil {
			return nil, err
		}
		subject = s
	}
	if subject == "" {
		return nil, fmt.Errorf("no subject to publish to: set config `subject` or $jetstream.publish.subject")
	}
	hdr, err := buildHeaders(ev, "$jetstream.publish.headers", peer.MetaPath(ev.Meta, "jetstream", "publish", "headers"), j.propagate)
	if err != nil {
		return nil, err
	}
	data, err := serialize(j.h, ev)
	if err != nil {
		return nil, err
	}
	return &nats.Msg{Subject: subject, Header: hdr, Data: data}, nil
}

// confirm completes the publishes in order as their PubAcks (or errors) arrive; every publish
// resolves within the timeout.
func (j *JetStream) confirm() {
	defer close(j.pubEnd)
	for p := range j.pubs {
		select {
		case <-p.f.Ok():
			p.done(nil)
		case err := <-p.f.Err():
			switch {
			case errors.Is(err, jetstream.ErrNoStreamResponse) || errors.Is(err, nats.ErrNoResponders):
				err = fmt.Errorf("jetstream: no stream holds subject %q (no PubAck): %w", p.subject, err)
			case errors.Is(err, jetstream.ErrAsyncPublishTimeout):
				err = fmt.Errorf("jetstream: no PubAck for subject %q within %d ms: %w", p.subject, j.timeout.Milliseconds(), err)
			default:
				err = fmt.Errorf("jetstream: publish to %q failed: %w", p.subject, err)
			}
			p.done(err)
		}
	}
}
