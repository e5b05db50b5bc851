package flow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer"
)

// RunOptions tunes a running deployment.
type RunOptions struct {
	Log       *slog.Logger  // nil: slog.Default()
	Tick      time.Duration // pipeline tick period (time windows close on quiet input); 0: 100 ms, < 0: none
	QueueSize int           // capacity of each pipeline's and sink's inbox; 0: 256
}

// Runner is a running deployment.
type Runner struct {
	dep      *Deployment
	opts     RunOptions
	log      *slog.Logger
	peers    []*peerRun
	pipes    []*pipeRun
	byUID    map[uint64]*peerRun
	ctx      context.Context
	cancel   context.CancelFunc
	quit     chan struct{}
	wg       sync.WaitGroup
	inflight atomic.Int64
	exit     chan int
	stopOnce sync.Once
	acked    atomic.Uint64
	failed   atomic.Uint64
	lost     atomic.Uint64 // events dropped because the flow was stopping
}

// peerRun is one running peer.
type peerRun struct {
	flow    string
	inst    *Peer
	uid     uint64
	host    *peer.Host
	p       peer.Peer
	sink    peer.Sink
	inbox   chan sinkMsg
	outs    map[string][]target // source port → pipelines
	sigTo   []*pipeRun          // pipelines connected to the source side (signals)
	up      []*peerRun          // source peers upstream of the sink side (circuit breakers)
	started bool
	metrics peer.Metrics
	failLog atomic.Uint64 // fails logged so far (the log is rate limited)

	gate   sync.Mutex
	closed map[[3]uint64]bool // (sink uid, upstream peer, stream) that closed their breaker
}

// pipeRun is one running pipeline.
type pipeRun struct {
	flow  string
	inst  *Pipeline
	holds bool // the graph may keep events to emit later (windows, batches)
	p     *runtime.Pipeline
	inbox chan pipeMsg
	outs  map[string][]target // output port → targets
	sigTo []target            // every target, once (signals are forwarded to all)
}

type target struct {
	pipe *pipeRun
	peer *peerRun
	port string
}

type pipeMsg struct {
	port string
	ev   *runtime.Event
	sig  *runtime.Signal
}

type sinkMsg struct {
	port string
	ev   *runtime.Event
	sig  *runtime.Signal
}

// Start runs a deployment: pipelines first, then the peers with a sink side (so a source only
// emits once the sinks behind it are up), then source-only peers. If a peer fails to start,
// everything started is stopped and the error names the peer.
func Start(dep *Deployment, opts RunOptions) (*Runner, error) {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Tick == 0 {
		opts.Tick = 100 * time.Millisecond
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = 256
	}
	r := &Runner{dep: dep, opts: opts, log: opts.Log, byUID: map[uint64]*peerRun{}, quit: make(chan struct{}), exit: make(chan int, 1)}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	var uid uint64
	for _, fl := range dep.Flows {
		peers := map[*Peer]*peerRun{}
		pipes := map[*Pipeline]*pipeRun{}
		for _, pi := range fl.Pipelines {
			pr := &pipeRun{flow: fl.Name, inst: pi, holds: pi.Graph.HoldsEvents(), p: runtime.NewPipeline(pi.Graph),
				inbox: make(chan pipeMsg, opts.QueueSize), outs: map[string][]target{}}
			pipes[pi] = pr
			r.pipes = append(r.pipes, pr)
		}
		for _, pe := range fl.Peers {
			uid++
			if pe.Spec.Planned {
				r.cancel()
				return nil, fmt.Errorf("%s: flow `%s`, peer `%s`: peer type `%s` is not implemented yet", pe.Pos, fl.Name, pe.Name, pe.Spec.Name)
			}
			p, err := pe.Spec.New(pe.Config)
			if err != nil {
				r.cancel()
				return nil, fmt.Errorf("flow `%s`, peer `%s`: %w", fl.Name, pe.Name, err)
			}
			pr := &peerRun{flow: fl.Name, inst: pe, uid: uid, p: p, outs: map[string][]target{}, closed: map[[3]uint64]bool{}}
			if s, ok := p.(peer.Sink); ok && pe.Spec.Sink {
				pr.sink = s
				pr.inbox = make(chan sinkMsg, opts.QueueSize)
			}
			peers[pe] = pr
			r.peers = append(r.peers, pr)
			r.byUID[uid] = pr
		}
		for _, l := range fl.Links {
			var t target
			if l.To.Peer != nil {
				t = target{peer: peers[l.To.Peer], port: l.To.Port}
			} else {
				t = target{pipe: pipes[l.To.Pipeline], port: l.To.Port}
			}
			if l.From.Peer != nil {
				src := peers[l.From.Peer]
				src.outs[l.From.Port] = append(src.outs[l.From.Port], t)
				if !containsPipe(src.sigTo, t.pipe) {
					src.sigTo = append(src.sigTo, t.pipe)
				}
			} else {
				pr := pipes[l.From.Pipeline]
				pr.outs[l.From.Port] = append(pr.outs[l.From.Port], t)
				dup := false
				for _, x := range pr.sigTo {
					dup = dup || (x.pipe == t.pipe && x.peer == t.peer)
				}
				if !dup {
					pr.sigTo = append(pr.sigTo, t)
				}
			}
		}
	}
	r.linkUpstream()
	for _, pr := range r.peers {
		pr.host = peer.NewHost(r.hostConfig(pr))
	}
	for _, pr := range r.pipes {
		r.wg.Add(1)
		go r.runPipe(pr)
	}
	// Sinks first, so their circuit breakers hold the sources back until they are ready.
	for _, sinkFirst := range []bool{true, false} {
		for _, pr := range r.peers {
			if (pr.sink != nil) != sinkFirst {
				continue
			}
			if err := pr.p.Start(r.ctx, pr.host); err != nil {
				r.Stop(0)
				return nil, fmt.Errorf("flow `%s`: starting peer `%s` (%s): %w", pr.flow, pr.inst.Name, pr.inst.Spec.Name, err)
			}
			pr.started = true
			if pr.sink != nil {
				// Only a started peer is sent events; until then they wait in its inbox.
				r.wg.Add(1)
				go r.runSink(pr)
			}
		}
	}
	return r, nil
}

func containsPipe(ps []*pipeRun, p *pipeRun) bool {
	if p == nil {
		return true
	}
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

// linkUpstream finds, for every peer with a sink side, the source peers whose events can reach it.
func (r *Runner) linkUpstream() {
	// fedBy[x] = the pipelines and peers that send to pipeline x.
	fedBy := map[*pipeRun][]any{}
	for _, p := range r.peers {
		for _, ts := range p.outs {
			for _, t := range ts {
				if t.pipe != nil {
					fedBy[t.pipe] = append(fedBy[t.pipe], p)
				}
			}
		}
	}
	for _, p := range r.pipes {
		for _, ts := range p.outs {
			for _, t := range ts {
				if t.pipe != nil {
					fedBy[t.pipe] = append(fedBy[t.pipe], p)
				}
			}
		}
	}
	for _, sink := range r.peers {
		if sink.sink == nil {
			continue
		}
		seenPipe := map[*pipeRun]bool{}
		seenPeer := map[*peerRun]bool{}
		var visit func(p *pipeRun)
		visit = func(p *pipeRun) {
			if seenPipe[p] {
				return
			}
			seenPipe[p] = true
			for _, f := range fedBy[p] {
				switch x := f.(type) {
				case *peerRun:
					if !seenPeer[x] {
						seenPeer[x] = true
						sink.up = append(sink.up, x)
					}
				case *pipeRun:
					visit(x)
				}
			}
		}
		for _, p := range r.pipes {
			for _, ts := range p.outs {
				for _, t := range ts {
					if t.peer == sink {
						visit(p)
					}
				}
			}
		}
	}
}

func (r *Runner) hostConfig(pr *peerRun) peer.HostConfig {
	return peer.HostConfig{
		UID: pr.uid, Alias: pr.inst.Name, Type: pr.inst.Spec.Name,
		Codec: pr.inst.Codec, Read: pr.inst.Read, Write: pr.inst.Write,
		Reconnect: pr.inst.Reconnect,
		Log:       r.log.With("flow", pr.flow),
		Metrics:   &pr.metrics,
		Deliver:   func(port string, ev *runtime.Event) bool { return r.deliver(pr, port, ev) },
		Signal: func(sig runtime.Signal) {
			for _, p := range pr.sigTo {
				s := sig
				r.sendPipe(p, pipeMsg{sig: &s})
			}
		},
		CircuitBreaker: func(open bool, peer, stream uint64) { r.circuit(pr, open, peer, stream) },
		Exit: func(code int) {
			select {
			case r.exit <- code:
			default:
			}
		},
		Snapshot: r.Snapshot,
	}
}

// deliver hands an event from a peer's source side to the pipelines connected to port.
func (r *Runner) deliver(pr *peerRun, port string, ev *runtime.Event) bool {
	ts := pr.outs[port]
	for i, t := range ts {
		e := ev
		if i > 0 {
			c := *ev
			e = &c
		}
		r.sendPipe(t.pipe, pipeMsg{port: t.port, ev: e})
	}
	return len(ts) > 0
}

func (r *Runner) sendPipe(p *pipeRun, m pipeMsg) { send(r, p.inbox, m, m.ev != nil) }

func (r *Runner) sendSink(p *peerRun, m sinkMsg) { send(r, p.inbox, m, m.ev != nil) }

// send puts a message in an inbox, counting it in flight until its receiver is done with it; it
// blocks while the inbox is full (backpressure) unless the flow stops, and then counts a lost
// event.
func send[M any](r *Runner, inbox chan M, m M, isEvent bool) {
	r.inflight.Add(1)
	select {
	case inbox <- m:
	case <-r.quit:
		r.inflight.Add(-1)
		if isEvent {
			r.lost.Add(1)
		}
	}
}

// runPipe is a pipeline's goroutine: events, signals and ticks, one at a time.
func (r *Runner) runPipe(pr *pipeRun) {
	defer r.wg.Done()
	var tick <-chan time.Time
	if r.opts.Tick > 0 {
		t := time.NewTicker(r.opts.Tick)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case m := <-pr.inbox:
			if m.sig != nil {
				outs, err := pr.p.Signal(*m.sig, uint64(time.Now().UnixNano()))
				r.route(pr, outs, err)
				for _, t := range pr.sigTo {
					s := *m.sig
					if t.pipe != nil {
						r.sendPipe(t.pipe, pipeMsg{sig: &s})
					} else if _, ok := t.peer.p.(peer.SignalSink); ok {
						r.sendSink(t.peer, sinkMsg{sig: &s})
					}
				}
			} else {
				outs, err := pr.p.Enqueue(m.port, m.ev)
				if r.route(pr, outs, err) == 0 && !pr.holds {
					// Dropped for good (filtered out, or sent only to unconnected ports): the event
					// is done, so its source may forget it (a transactional source would
					// otherwise redeliver it forever).
					r.origins(m.ev, nil)
				}
			}
			r.inflight.Add(-1)
		case now := <-tick:
			outs, err := pr.p.Tick(uint64(now.UnixNano()))
			r.route(pr, outs, err)
		case <-r.quit:
			return
		}
	}
}

// route sends a pipeline's outputs to what its ports are connected to and returns how many
// deliveries it made; an error is logged (the pipeline already sent script errors to its err
// port).
func (r *Runner) route(pr *pipeRun, outs []runtime.Output, err error) int {
	n := 0
	for _, o := range outs {
		ts := pr.outs[o.Node]
		n += len(ts)
		for _, t := range ts {
			if t.pipe != nil {
				c := *o.Event
				r.sendPipe(t.pipe, pipeMsg{port: t.port, ev: &c})
				continue
			}
			c := *o.Event
			c.Failed = o.Node == "err"
			r.sendSink(t.peer, sinkMsg{port: t.port, ev: &c})
		}
		if len(ts) == 0 && o.Node == "err" {
			r.log.Error("error event on an unconnected err port", "flow", pr.flow, "pipeline", pr.inst.Name, "event", value.Encode(o.Event.Value))
		}
	}
	if err != nil {
		r.log.Error("pipeline error", "flow", pr.flow, "pipeline", pr.inst.Name, "error", err.Error())
	}
	return n
}

// runSink is a sink side's goroutine: it hands events to the peer in order.
func (r *Runner) runSink(pr *peerRun) {
	defer r.wg.Done()
	ss, _ := pr.p.(peer.SignalSink)
	for {
		select {
		case m := <-pr.inbox:
			if m.sig != nil {
				if ss != nil {
					ss.Signal(*m.sig)
				}
				r.inflight.Add(-1)
				continue
			}
			pr.metrics.In.Add(1)
			ev := m.ev
			var once atomic.Bool
			pr.sink.Send(m.port, ev, func(err error) {
				if !once.CompareAndSwap(false, true) {
					return
				}
				r.contraflow(pr, ev, err)
				r.inflight.Add(-1)
			})
		case <-r.quit:
			return
		}
	}
}

// contraflow counts an ack or fail and hands it to the source peers the event came from.
func (r *Runner) contraflow(sink *peerRun, ev *runtime.Event, err error) {
	if err != nil {
		r.failed.Add(1)
		if n := sink.failLog.Add(1); n <= 10 || n%1000 == 0 {
			sink.host.Log().Warn("event failed", "error", err.Error(), "failed_so_far", n)
		}
	} else {
		r.acked.Add(1)
	}
	r.origins(ev, err)
}

// origins hands an ack (err nil) or a fail to the source peers an event came from, when they
// implement peer.Acker.
func (r *Runner) origins(ev *runtime.Event, err error) {
	var seenBuf [4]uint64 // peers told so far; an event rarely comes from more than a few
	seen := seenBuf[:0]
	origin := func(uid uint64) {
		if uid == 0 || slices.Contains(seen, uid) {
			return
		}
		seen = append(seen, uid)
		src := r.byUID[uid]
		if src == nil {
			return
		}
		if a, ok := src.p.(peer.Acker); ok {
			if err != nil {
				a.Fail(ev, err)
			} else {
				a.Ack(ev)
			}
		}
	}
	origin(ev.ID.Peer)
	for _, t := range ev.Tracked {
		origin(t.Peer)
	}
}

// circuit applies a sink's circuit breaker report to the sources upstream of it: a source (or one
// of its streams) is paused while any sink has its breaker closed for it.
func (r *Runner) circuit(sink *peerRun, open bool, peerUID, stream uint64) {
	var srcs []*peerRun
	if peerUID == 0 {
		srcs = sink.up
	} else if p := r.byUID[peerUID]; p != nil {
		srcs = []*peerRun{p}
	}
	for _, src := range srcs {
		key := [3]uint64{sink.uid, peerUID, stream}
		src.gate.Lock()
		if open {
			delete(src.closed, key)
		} else {
			src.closed[key] = true
		}
		// Still closed by someone for this scope?
		held := false
		for k := range src.closed {
			if k[2] == stream {
				held = true
				break
			}
		}
		src.gate.Unlock()
		if held {
			src.host.Pause(stream)
		} else {
			src.host.Resume(stream)
		}
	}
}

// Exit returns a channel that receives an exit code when a peer (the exit peer) asks the flow to
// stop.
func (r *Runner) Exit() <-chan int { return r.exit }

// Stop drains and stops the deployment: sources are paused (clients' answers still come in),
// events in flight get up to drain to reach their sinks and be answered, then every peer is stopped (sources first) and the
// goroutines end. It reports how many events were still in flight when the drain gave up.
func (r *Runner) Stop(drain time.Duration) error {
	var err error
	r.stopOnce.Do(func() {
		// No new data from now on; clients still deliver the answers to requests in flight.
		for _, pr := range r.peers {
			if pr.host != nil && pr.inst.Spec.Source && !pr.inst.Spec.Answers {
				pr.host.Pause(0)
			}
		}
		deadline := time.Now().Add(drain)
		for r.inflight.Load() > 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		left := r.inflight.Load()
		r.cancel()
		close(r.quit)
		var errs []error
		for _, sinkLast := range []bool{false, true} {
			for i := len(r.peers) - 1; i >= 0; i-- {
				pr := r.peers[i]
				if !pr.started || (pr.sink != nil) != sinkLast {
					continue
				}
				if e := pr.p.Stop(); e != nil {
					errs = append(errs, fmt.Errorf("peer `%s`: %w", pr.inst.Name, e))
				}
			}
		}
		r.wg.Wait()
		if left > 0 {
			errs = append(errs, fmt.Errorf("%d events still in flight after draining for %s", left, drain))
		}
		err = errors.Join(errs...)
	})
	return err
}

// Addr returns the address a server peer of a flow listens on (for peers that expose one: tcp,
// udp, http and ws servers), or nil.
func (r *Runner) Addr(flowName, peerName string) net.Addr {
	for _, p := range r.Peers() {
		if p.Flow == flowName && p.Name == peerName {
			return p.Addr
		}
	}
	return nil
}

// PeerInfo describes a running peer (for logs and tools).
type PeerInfo struct {
	Flow, Name, Type string
	Addr             net.Addr // where a server peer listens; nil for others
}

// Peers lists the running peers in creation order.
func (r *Runner) Peers() []PeerInfo {
	var out []PeerInfo
	for _, pr := range r.peers {
		info := PeerInfo{Flow: pr.flow, Name: pr.inst.Name, Type: pr.inst.Spec.Name}
		if a, ok := pr.p.(interface{ Addr() net.Addr }); ok {
			info.Addr = a.Addr()
		}
		out = append(out, info)
	}
	return out
}
