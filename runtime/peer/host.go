package peer

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/codec"
	"github.com/rillstream/rill/runtime/interceptor"
)

// Metrics counts what passes through one peer (peers.md §1): In pipeline→peer, Out peer→pipeline
// (port out), Err events on port err, Send messages written to the outside, Recv messages read
// from it. Peers add to Send and Recv themselves; the host and the flow count the rest.
type Metrics struct {
	In, Out, Err, Send, Recv atomic.Uint64
}

// HostConfig is what the flow gives a peer's Host.
type HostConfig struct {
	UID   uint64 // the peer's uid, > 0
	Alias string // its name in the flow
	Type  string // its peer type
	// Codec decodes and encodes frames; nil for peers without one (their Receive is Emit-only).
	Codec *codec.Compiled
	// Codecs are the codecs SetStreamCodec may name; nil means codec.Builtin().
	Codecs *codec.Registry
	// Read are the read-side stages, in order (the interceptors list, then preprocessors).
	Read []interceptor.Stage
	// Write are the write-side stages, in order (postprocessors, then the interceptors list
	// reversed).
	Write []interceptor.Stage
	// Deliver hands an event to the pipelines connected to port ("out" or "err"). It may block
	// (backpressure). It reports whether anything is connected to the port.
	Deliver func(port string, ev *runtime.Event) bool
	// Signal announces a stream start or end to the connected pipelines. Nil: dropped.
	Signal func(runtime.Signal)
	// CircuitBreaker reports the sink side's state: closed (false) stops the sources feeding it,
	// for the whole peer (stream 0) or for one stream of an upstream peer (per_stream clients).
	CircuitBreaker func(open bool, peer, stream uint64)
	// Exit asks the flow to stop with an exit code (the exit peer). Nil: ignored.
	Exit func(code int)
	// Snapshot returns the flow's metrics as events (the metrics peer). Nil: none.
	Snapshot func() []value.Value
	// Reconnect is the retry policy of a client peer (from the definition's `reconnect`).
	Reconnect Backoff
	// Log is the logger; nil means slog.Default().
	Log *slog.Logger
	// Metrics counts the peer's traffic; nil means a fresh one.
	Metrics *Metrics
}

// Host connects one running peer to its flow. See the package comment for the contract.
type Host struct {
	cfg   HostConfig
	log   *slog.Logger
	mu    sync.Mutex
	read  map[uint64]*readState
	write map[uint64]*writeState
	// codecs caches the codecs SetStreamCodec compiled, by name (guarded by mu).
	codecs map[string]*codec.Compiled
	next   atomic.Uint64 // last stream id given out
	// unrouted counts err events delivered with nothing connected to err.
	unrouted atomic.Uint64

	gateMu sync.Mutex
	paused map[uint64]bool // stream → paused; 0 pauses the whole peer
	gateCh chan struct{}   // closed and replaced whenever a gate opens
}

// streamState is one side of one stream: its own codec and interceptor chain (C is
// *interceptor.ReadChain or *interceptor.WriteChain), made on the stream's first use.
type streamState[C any] struct {
	mu    sync.Mutex
	chain C
	codec codec.Codec
	name  string // the codec's name ("" without one), for errors and StreamCodecName
	// used is set by the first use of the state (guarded by Host.mu): SetStreamCodec replaces
	// only a state it made itself and nothing used yet.
	used bool
	seq  uint64 // read side: the sequence number of the next event
	buf  []byte // write side: the encoding of the value being written
	err  error  // building the chain or codec failed
	// onDeliver is the Incoming.Delivered of the Receive/Emit call in progress (st.mu held).
	onDeliver func(port string, ev *runtime.Event)
}

// readState is the per-stream read side: interceptors, codec, sequence numbers.
type readState = streamState[*interceptor.ReadChain]

// writeState is the per-stream write side: codec, interceptors, encoding buffer.
type writeState = streamState[*interceptor.WriteChain]

// stateOf returns the state of stream in states (guarded by h.mu), making it on first use: a
// codec of its own (when the peer has one), then the chain newChain builds of stages. What
// failed is kept in err, so every use of the stream reports it.
func stateOf[C any](h *Host, states map[uint64]*streamState[C], stream uint64,
	newChain func([]interceptor.Stage) (C, error), stages []interceptor.Stage) *streamState[C] {
	h.mu.Lock()
	st := states[stream]
	if st == nil {
		st = newStreamState(h.cfg.Codec, newChain, stages)
		states[stream] = st
	}
	st.used = true
	h.mu.Unlock()
	return st
}

// newStreamState makes the state of one side of a stream: a codec of its own from c (none when
// c is nil), then the chain newChain builds of stages.
func newStreamState[C any](c *codec.Compiled, newChain func([]interceptor.Stage) (C, error),
	stages []interceptor.Stage) *streamState[C] {
	st := &streamState[C]{}
	if c != nil {
		st.codec, st.err = c.New()
		if c.Spec != nil {
			st.name = c.Spec.Name
		}
	}
	if st.err == nil {
		st.chain, st.err = newChain(stages)
	}
	return st
}

// SetStreamCodec makes the read side (read) and/or the write side (write) of stream use the
// codec registered as name (HostConfig.Codecs) instead of the peer's configured codec: a protocol
// peer picks it from a content type (http_server decodes a text/plain body with "string"). When
// name is the peer's own codec, its configured one is used, config included; any other codec
// gets its default config. The interceptors are the peer's either way.
//
// It must be called before the side's first use (Receive, Emit or EmitError for the read side,
// Serialize for the write side), by the goroutine handling the stream. A side that a previous
// SetStreamCodec made and nothing used yet is replaced; a side already in use keeps its codec
// and SetStreamCodec returns an error. An unknown name (or a codec that needs config) is an
// error too; on any error neither side changes. EndStream and CloseWrite forget the choice with
// the state, like every other stream state.
func (h *Host) SetStreamCodec(stream uint64, name string, read, write bool) error {
	c, err := h.compiledCodec(name)
	if err != nil {
		return fmt.Errorf("stream %d of peer `%s`: %w", stream, h.cfg.Alias, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if st := h.read[stream]; read && st != nil && st.used {
		return fmt.Errorf("the read side of stream %d of peer `%s` is already in use with codec `%s`; its codec must be chosen before its first use", stream, h.cfg.Alias, st.name)
	}
	if st := h.write[stream]; write && st != nil && st.used {
		return fmt.Errorf("the write side of stream %d of peer `%s` is already in use with codec `%s`; its codec must be chosen before its first use", stream, h.cfg.Alias, st.name)
	}
	if read {
		h.read[stream] = newStreamState(c, interceptor.NewReadChain, h.cfg.Read)
	}
	if write {
		h.write[stream] = newStreamState(c, interceptor.NewWriteChain, h.cfg.Write)
	}
	return nil
}

// compiledCodec returns the codec name names with its default config (the peer's configured
// one when name is its codec), compiling each name once.
func (h *Host) compiledCodec(name string) (*codec.Compiled, error) {
	if c := h.cfg.Codec; c != nil && c.Spec != nil && c.Spec.Name == name {
		return c, nil
	}
	h.mu.Lock()
	c := h.codecs[name]
	h.mu.Unlock()
	if c != nil {
		return c, nil
	}
	c, err := h.cfg.Codecs.Compile(codec.Ref{Name: name})
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.codecs[name] = c
	h.mu.Unlock()
	return c, nil
}

// StreamCodecName is the name of the codec the read side (write false) or the write side (write
// true) of stream decodes or encodes with: the one SetStreamCodec chose, else the peer's ("" when
// it has none). A server derives an answer's default Content-Type from it.
func (h *Host) StreamCodecName(stream uint64, write bool) string {
	h.mu.Lock()
	var name string
	var ok bool
	if write {
		if st := h.write[stream]; st != nil {
			name, ok = st.name, true
		}
	} else if st := h.read[stream]; st != nil {
		name, ok = st.name, true
	}
	h.mu.Unlock()
	if ok {
		return name
	}
	return h.CodecName()
}

// NewHost returns the host of one peer.
func NewHost(cfg HostConfig) *Host {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Metrics == nil {
		cfg.Metrics = &Metrics{}
	}
	if cfg.Deliver == nil {
		cfg.Deliver = func(string, *runtime.Event) bool { return false }
	}
	if cfg.Codecs == nil {
		cfg.Codecs = codec.Builtin()
	}
	return &Host{cfg: cfg, log: cfg.Log.With("peer", cfg.Alias), read: map[uint64]*readState{},
		write: map[uint64]*writeState{}, codecs: map[string]*codec.Compiled{}, paused: map[uint64]bool{},
		gateCh: make(chan struct{})}
}

// UID is the peer's uid.
func (h *Host) UID() uint64 { return h.cfg.UID }

// Alias is the peer's name in the flow.
func (h *Host) Alias() string { return h.cfg.Alias }

// Log is the peer's logger (it carries the peer's alias).
func (h *Host) Log() *slog.Logger { return h.log }

// Metrics are the peer's counters.
func (h *Host) Metrics() *Metrics { return h.cfg.Metrics }

// Reconnect is the peer's reconnect/retry policy.
func (h *Host) Reconnect() Backoff { return h.cfg.Reconnect }

// CodecName is the name of the peer's codec ("json"), or "" when it has none; protocol peers
// derive a default content type from it.
func (h *Host) CodecName() string {
	if h.cfg.Codec == nil || h.cfg.Codec.Spec == nil {
		return ""
	}
	return h.cfg.Codec.Spec.Name
}

// Exit asks the flow to stop with code.
func (h *Host) Exit(code int) {
	if h.cfg.Exit != nil {
		h.cfg.Exit(code)
	}
}

// Snapshot returns the flow's current metrics as events (nil without a flow).
func (h *Host) Snapshot() []value.Value {
	if h.cfg.Snapshot == nil {
		return nil
	}
	return h.cfg.Snapshot()
}

// CircuitBreaker reports that the sink side can (open) or cannot take events, for the whole peer
// (peer = stream = 0) or for the stream of an upstream peer it serves (per_stream clients).
func (h *Host) CircuitBreaker(open bool, peer, stream uint64) {
	if h.cfg.CircuitBreaker != nil {
		h.cfg.CircuitBreaker(open, peer, stream)
	}
}

// StartStream allocates a new stream id (1, 2, ...) and announces it to the connected pipelines.
func (h *Host) StartStream() uint64 {
	id := h.next.Add(1)
	h.signal(runtime.StreamStart, id)
	return id
}

// EndStream flushes the stream's read side (a last line without separator is decoded and
// delivered), forgets its state and announces the end. The stream's write side is closed too.
func (h *Host) EndStream(stream uint64) {
	h.mu.Lock()
	st := h.read[stream]
	delete(h.read, stream)
	delete(h.write, stream)
	h.mu.Unlock()
	if st != nil && st.chain != nil {
		st.mu.Lock()
		ingest := uint64(time.Now().UnixNano())
		frames, err := st.chain.Finish(&ingest)
		h.decodeFrames(st, stream, frames, 0, value.NullValue, nil)
		if err != nil {
			h.deliverError(st, stream, err, nil, value.NullValue, nil)
		}
		st.mu.Unlock()
	}
	h.signal(runtime.StreamEnd, stream)
}

func (h *Host) signal(kind runtime.SignalKind, stream uint64) {
	if h.cfg.Signal != nil {
		h.cfg.Signal(runtime.Signal{Kind: kind, Peer: h.cfg.UID, PeerName: h.cfg.Alias, Stream: stream})
	}
}

// Incoming describes data or a value the source side received.
type Incoming struct {
	Stream   uint64      // the stream it belongs to (0: none)
	Meta     value.Value // the event's metadata (`$`), a record; null means {}
	IngestNs uint64      // its ingest time; 0 means now
	// Cause is the event this one answers (a response to a request the sink side sent): its
	// `$correlation` is copied onto the new event and its ids are tracked, so a server peer routes
	// the answer back to the stream the request came from.
	Cause *runtime.Event
	// Causes, when Cause is nil, is called once per decoded frame to find the request that frame
	// answers (a request-mode client pairs responses with requests in order); nil: none.
	Causes func() *runtime.Event
	// Delivered, when set, is called with every event the call delivers (out and err), before
	// the flow gets it: a transactional source (jetstream) records which message each event id
	// stands for, to ack or nak it when the contraflow (peer.Acker) comes back.
	Delivered func(port string, ev *runtime.Event)
}

// ingestOrNow is in's ingest time: IngestNs, or now when it is 0.
func (in Incoming) ingestOrNow() uint64 {
	if in.IngestNs == 0 {
		return uint64(time.Now().UnixNano())
	}
	return in.IngestNs
}

func (h *Host) readState(stream uint64) *readState {
	return stateOf(h, h.read, stream, interceptor.NewReadChain, h.cfg.Read)
}

// Receive runs bytes read from the outside through the stream's interceptors and codec and
// delivers the events on `out`. Data that can not be split or decoded becomes an `err` event
// {"error", "raw" (base64), "peer", "stream"}; the stream goes on. Receive blocks while the
// stream or peer is paused by a circuit breaker, or until ctx is done (it then drops nothing:
// it returns ctx's error before reading data, and the caller keeps its data). data is not
// retained.
func (h *Host) Receive(ctx context.Context, in Incoming, data []byte) error {
	if err := h.wait(ctx, in.Stream); err != nil {
		return err
	}
	h.cfg.Metrics.Recv.Add(1)
	st := h.readState(in.Stream)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.onDeliver = in.Delivered
	defer func() { st.onDeliver = nil }()
	ingest := in.ingestOrNow()
	if st.err != nil {
		h.deliverError(st, in.Stream, st.err, data, in.Meta, in.Cause)
		return nil
	}
	frames, err := st.chain.Process(data, &ingest)
	if in.Cause == nil && in.Causes != nil {
		for i, f := range frames {
			h.decodeFrames(st, in.Stream, [][]byte{f}, i, in.Meta, in.Causes())
		}
	} else {
		h.decodeFrames(st, in.Stream, frames, 0, in.Meta, in.Cause)
	}
	if err != nil {
		h.deliverError(st, in.Stream, err, data, in.Meta, in.Cause)
	}
	return nil
}

// decodeFrames decodes and delivers frames, which are frames first, first+1, ... of the read
// chain's last call: each gets its own ingest time (an ingest-ns interceptor may have set it).
func (h *Host) decodeFrames(st *readState, stream uint64, frames [][]byte, first int, meta value.Value, cause *runtime.Event) {
	for i, f := range frames {
		ingest := st.chain.IngestNs(first + i)
		if st.codec == nil {
			h.deliverError(st, stream, fmt.Errorf("the peer has no codec"), f, meta, cause)
			continue
		}
		v, err := st.codec.Decode(f, ingest)
		if err != nil {
			h.deliverError(st, stream, fmt.Errorf("%s codec: %w", st.name, err), f, meta, cause)
			continue
		}
		h.deliver(st, "out", stream, v, meta, ingest, cause)
	}
}

// Emit delivers a value that needs no decoding (metronome ticks, metrics, values a peer builds
// itself) on port ("out" or "err"), blocking like Receive while paused.
func (h *Host) Emit(ctx context.Context, port string, in Incoming, v value.Value) error {
	if err := h.wait(ctx, in.Stream); err != nil {
		return err
	}
	st := h.readState(in.Stream)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.onDeliver = in.Delivered
	defer func() { st.onDeliver = nil }()
	h.deliver(st, port, in.Stream, v, in.Meta, in.ingestOrNow(), in.Cause)
	return nil
}

// EmitError delivers an `err` event for data the peer could not handle itself (a request it could
// not send, a response it could not read): {"error", "raw" (when data is not nil), "peer",
// "stream"}, with the cause's `$correlation`.
func (h *Host) EmitError(in Incoming, err error, data []byte) {
	st := h.readState(in.Stream)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.onDeliver = in.Delivered
	defer func() { st.onDeliver = nil }()
	h.deliverError(st, in.Stream, err, data, in.Meta, in.Cause)
}

func (h *Host) deliverError(st *readState, stream uint64, err error, raw []byte, meta value.Value, cause *runtime.Event) {
	rec := value.NewRec(4)
	rec.Set("error", value.NewString(err.Error()))
	if raw != nil {
		rec.Set("raw", value.NewString(base64.StdEncoding.EncodeToString(raw)))
	}
	rec.Set("peer", value.NewString(h.cfg.Alias))
	rec.Set("stream", value.NewUint(stream))
	h.deliver(st, "err", stream, value.NewRecordValue(rec), meta, uint64(time.Now().UnixNano()), cause)
}

// deliver builds the event and hands it to the flow; st.mu is held (it guards seq).
func (h *Host) deliver(st *readState, port string, stream uint64, v, meta value.Value, ingest uint64, cause *runtime.Event) {
	if meta.IsNull() {
		meta = value.NewRecordValue(value.NewRec(0))
	}
	ev := &runtime.Event{Value: v, Meta: meta, IngestNs: ingest, PeerName: h.cfg.Alias,
		ID: runtime.EventID{Peer: h.cfg.UID, Stream: stream, Seq: st.seq}}
	st.seq++
	if cause != nil {
		ev.Meta = withCauseCorrelation(ev.Meta, cause)
		ev.Track(cause)
	}
	if port == "err" {
		h.cfg.Metrics.Err.Add(1)
	} else {
		h.cfg.Metrics.Out.Add(1)
	}
	if st.onDeliver != nil {
		st.onDeliver(port, ev)
	}
	if !h.cfg.Deliver(port, ev) && port == "err" {
		// Nothing is connected to err: the error is logged, so it is not lost silently (the first
		// ten, then one in a thousand, so a bad input does not flood the log).
		if n := h.unrouted.Add(1); n <= 10 || n%1000 == 0 {
			h.log.Warn("error event with no pipeline connected to err", "event", value.Encode(v), "unrouted_so_far", n)
		}
	}
}

// withCauseCorrelation copies the cause's `$correlation` onto meta; for a generic::batch cause
// it is the array of the elements' correlations (null where an element has none), as peers.md
// §5 says for batched requests.
func withCauseCorrelation(meta value.Value, cause *runtime.Event) value.Value {
	if !cause.IsBatch {
		return WithCorrelation(meta, cause.Meta)
	}
	metas := runtime.BatchMetas(cause)
	cs := make([]value.Value, len(metas))
	found := false
	for i, m := range metas {
		if r, ok := m.AsRecord(); ok {
			if c, ok := r.Get("correlation"); ok {
				cs[i], found = c, true
			}
		}
	}
	if !found {
		return meta
	}
	rec := value.NewRec(1)
	rec.Set("correlation", value.NewArray(cs))
	return WithCorrelation(meta, value.NewRecordValue(rec))
}

// WithCorrelation returns meta with `$correlation` copied from the request's meta (when it has
// one). meta is not modified.
func WithCorrelation(meta, request value.Value) value.Value {
	r, ok := request.AsRecord()
	if !ok {
		return meta
	}
	c, ok := r.Get("correlation")
	if !ok {
		return meta
	}
	m, ok := meta.AsRecord()
	if !ok {
		m = value.NewRec(1)
	} else {
		m = m.Clone()
	}
	m.Set("correlation", c)
	return value.NewRecordValue(m)
}

func (h *Host) writeState(stream uint64) *writeState {
	return stateOf(h, h.write, stream, interceptor.NewWriteChain, h.cfg.Write)
}

// Serialize encodes an event for stream with the codec and the write-side interceptors and
// returns the chunks to write, in order. A generic::batch event is written as its elements, each
// encoded and intercepted on its own (a batch of lines is several lines). The chunks alias the
// stream's buffers: write them before the next Serialize of that stream.
func (h *Host) Serialize(stream uint64, ev *runtime.Event) ([][]byte, error) {
	st := h.writeState(stream)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.err != nil {
		return nil, st.err
	}
	if st.codec == nil {
		return nil, fmt.Errorf("the peer has no codec")
	}
	if !ev.IsBatch {
		return h.encode(st, ev.Value, ev.IngestNs)
	}
	var out [][]byte
	for _, v := range runtime.OutputValues(ev) {
		chunks, err := h.encode(st, v, ev.IngestNs)
		if err != nil {
			return nil, err
		}
		for _, c := range chunks { // the next element reuses the buffers
			out = append(out, append([]byte(nil), c...))
		}
	}
	return out, nil
}

// encode runs one value through the codec and the write chain; st.mu is held.
func (h *Host) encode(st *writeState, v value.Value, ingestNs uint64) ([][]byte, error) {
	var err error
	st.buf, err = st.codec.Encode(st.buf[:0], v)
	if err != nil {
		return nil, fmt.Errorf("%s codec: %w", st.name, err)
	}
	return st.chain.Process(st.buf, ingestNs)
}

// CloseWrite flushes the write-side interceptors of stream (a compressor's trailer) and forgets
// its state; the chunks returned are the last to write.
func (h *Host) CloseWrite(stream uint64) ([][]byte, error) {
	h.mu.Lock()
	st := h.write[stream]
	delete(h.write, stream)
	h.mu.Unlock()
	if st == nil || st.err != nil {
		return nil, nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.chain.Finish(uint64(time.Now().UnixNano()))
}

// Pause stops the source side from delivering data of stream (0: every stream) until Resume; the
// peer's Receive and Emit calls block meanwhile, so sockets stop being read (backpressure).
func (h *Host) Pause(stream uint64) {
	h.gateMu.Lock()
	h.paused[stream] = true
	h.gateMu.Unlock()
}

// Resume undoes Pause.
func (h *Host) Resume(stream uint64) {
	h.gateMu.Lock()
	if h.paused[stream] {
		delete(h.paused, stream)
		close(h.gateCh)
		h.gateCh = make(chan struct{})
	}
	h.gateMu.Unlock()
}

// Paused reports whether stream (or the whole peer) is paused.
func (h *Host) Paused(stream uint64) bool {
	h.gateMu.Lock()
	defer h.gateMu.Unlock()
	return h.paused[0] || h.paused[stream]
}

func (h *Host) wait(ctx context.Context, stream uint64) error {
	for {
		h.gateMu.Lock()
		if !h.paused[0] && !h.paused[stream] {
			h.gateMu.Unlock()
			return nil
		}
		ch := h.gateCh
		h.gateMu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
