package natspeer

import (
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/rillstream/rill/runtime/peer"
)

// ackTable remembers which JetStream message each event of a jetstream peer's stream stands for
// (by the event's sequence number), until the contraflow settles it: a message is acked once
// every event decoded from it was acked, naked (redelivered after a backoff) when one of them
// failed, and terminated when it gave nothing but an `err` event (undecodable data can never be
// processed; the err event carries its raw bytes).
//
// The table stays bounded even when events are never answered (a pipeline dropped them): a
// redelivery of a message replaces the entry of its earlier delivery (whose events are then
// forgotten: the new delivery settles the message), and once the table holds more than limit
// messages, entries delivered longer than ack_wait ago are forgotten (the server has redelivered
// those messages, to this process or another). Messages delivered within ack_wait are at most
// max_ack_pending, so the table holds at most about max_ack_pending plus limit entries.
type ackTable struct {
	backoff peer.Backoff
	log     *slog.Logger
	ackWait time.Duration
	limit   int

	mu    sync.Mutex
	bySeq map[uint64]*inflight // event sequence number → its message
	byMsg map[uint64]*inflight // stream sequence → the latest delivery of the message
}

// inflight is one delivery of a message and what its events came to.
type inflight struct {
	msg       jetstream.Msg
	streamSeq uint64    // the message's stream sequence
	delivered uint64    // NumDelivered: 1 on the first delivery
	at        time.Time // when it was delivered
	refs      int       // 1 while it is being received, plus its events not settled yet
	outs      int       // events decoded from it (port out)
	seqs      []uint64  // their sequence numbers
	poisoned  bool      // it gave an err event
	failed    bool      // one of its events failed
	settled   bool      // acked, naked, terminated or forgotten
}

func newAckTable(b peer.Backoff, log *slog.Logger, ackWait time.Duration, limit int) *ackTable {
	return &ackTable{backoff: b, log: log, ackWait: ackWait, limit: limit,
		bySeq: map[uint64]*inflight{}, byMsg: map[uint64]*inflight{}}
}

// begin registers a delivery of a message about to be received and returns its entry; release
// ends the reception.
func (t *ackTable) begin(msg jetstream.Msg, md *jetstream.MsgMetadata) *inflight {
	e := &inflight{msg: msg, streamSeq: md.Sequence.Stream, delivered: md.NumDelivered, at: time.Now(), refs: 1}
	t.mu.Lock()
	defer t.mu.Unlock()
	if old := t.byMsg[e.streamSeq]; old != nil {
		t.forget(old)
	}
	if len(t.byMsg) >= t.limit {
		for _, old := range t.byMsg {
			if e.at.Sub(old.at) > t.ackWait {
				t.forget(old)
			}
		}
	}
	t.byMsg[e.streamSeq] = e
	return e
}

// forget drops e without answering the server (a later delivery of its message answers it);
// t.mu is held.
func (t *ackTable) forget(e *inflight) {
	e.settled = true
	for _, seq := range e.seqs {
		if t.bySeq[seq] == e {
			delete(t.bySeq, seq)
		}
	}
	if t.byMsg[e.streamSeq] == e {
		delete(t.byMsg, e.streamSeq)
	}
}

// delivered records an event decoded from e's message (port out: tracked under seq; port err:
// the message is poisoned).
func (t *ackTable) delivered(e *inflight, port string, seq uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e.settled {
		return
	}
	if port != "out" {
		e.poisoned = true
		return
	}
	e.refs++
	e.outs++
	e.seqs = append(e.seqs, seq)
	t.bySeq[seq] = e
}

// release ends the reception of e's message: it settles now if all its events already were
// (or it gave none).
func (t *ackTable) release(e *inflight) {
	t.mu.Lock()
	fin := t.drop(e)
	t.mu.Unlock()
	if fin {
		t.finish(e)
	}
}

// drop takes one reference from e and reports whether e is now to be settled; t.mu is held.
func (t *ackTable) drop(e *inflight) bool {
	e.refs--
	if e.refs > 0 || e.settled {
		return false
	}
	e.settled = true
	if t.byMsg[e.streamSeq] == e {
		delete(t.byMsg, e.streamSeq)
	}
	return true
}

// settle acks (failed false) or fails the events with sequence numbers lo..hi; unknown
// numbers (already settled, err events, another peer's) are ignored.
func (t *ackTable) settle(lo, hi uint64, failed bool) {
	if hi < lo {
		return
	}
	var fin []*inflight
	take := func(seq uint64, e *inflight) {
		delete(t.bySeq, seq)
		if failed {
			e.failed = true
		}
		if t.drop(e) {
			fin = append(fin, e)
		}
	}
	t.mu.Lock()
	if hi-lo < uint64(len(t.bySeq)) {
		for seq := lo; ; seq++ {
			if e := t.bySeq[seq]; e != nil {
				take(seq, e)
			}
			if seq == hi {
				break
			}
		}
	} else {
		for seq, e := range t.bySeq {
			if seq >= lo && seq <= hi {
				take(seq, e)
			}
		}
	}
	t.mu.Unlock()
	for _, e := range fin {
		t.finish(e)
	}
}

// finish answers the server for a settled message. The calls only write to the connection's
// buffer; an error (the connection is down) is logged at debug level: the server redelivers the
// message after ack_wait anyway.
func (t *ackTable) finish(e *inflight) {
	var err error
	switch {
	case e.failed:
		// The n-th delivery waits the backoff of retry n-1; max_retries does not stop it (the
		// message is never dropped), and a zero interval falls back to the default policy.
		err = e.msg.NakWithDelay(reconnectDelay(t.backoff, int(min(e.delivered, 64))))
	case e.outs == 0 && e.poisoned:
		t.log.Warn("jetstream: terminated a message that cannot be decoded (it is on err with its raw bytes; it will not be redelivered)",
			"subject", e.msg.Subject(), "stream_sequence", e.streamSeq)
		err = e.msg.TermWithReason("rill: the message cannot be decoded")
	default:
		err = e.msg.Ack()
	}
	if err != nil {
		t.log.Debug("jetstream: cannot answer the server for a message; it will be redelivered after ack_wait", "error", err)
	}
}

// pending returns the number of events and of messages waiting for their ack (for tests).
func (t *ackTable) pending() (events, messages int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.bySeq), len(t.byMsg)
}
