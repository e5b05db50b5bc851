// Package natspeer holds the NATS peers (peers.md §5–§8): nats, for core NATS subjects
// (subscribe, publish, request, and answering requests as a NATS service), and jetstream, a
// durable pull consumer that several Rill processes share (scale-out) and a publisher that waits
// for the stream's PubAck. Both use nats.go; a message is one frame for the codec (json by
// default, no lines interceptor). An event sent to a sink is one message; a generic::batch event
// is one message holding its elements' encodings back to back (name an interceptor such as
// lines to frame them).
//
// # Connection and circuit breaker
//
// A peer connects in the background and nats.go reconnects forever on its own, waiting the
// definition's `reconnect` delays between rounds (its max_retries does not stop a NATS peer).
// The sink's circuit breaker is closed while disconnected and open while connected; an outage is
// logged once. Nothing is buffered while disconnected: a publish fails at once, so the event
// fails promptly. Subscriptions and consumers resume after a reconnect.
//
// # Metadata and headers
//
// Received messages carry their protocol data under the peer type: `$nats` {subject, reply,
// headers} and `$jetstream` {subject, stream, sequence, delivered, headers}. The sinks read their
// overrides from a key the sources never set, `$nats.publish` / `$jetstream.publish` {subject,
// headers}, so an event consumed from one subject and sent on to a NATS sink goes to the sink's
// own subject, and received headers are never published again unless a script copies them
// (headers are hop-local, peers.md §6). The one exception is deliberate: an event carrying
// `$nats.reply` answers that request, so a pipeline between a nats source and a nats sink is a
// NATS service; to forward a request elsewhere instead, drop it (`let $nats = {}`).
//
// # Correlation across Rill instances (beyond Tremor)
//
// With `propagate = true` (the default) a sink sends the event's `$correlation` as JSON text in
// the reserved header `Rill-Correlation`, and a source restores it as `$correlation` of the
// events it decodes (the header is then not in `$nats.headers`), so correlation survives a hop
// between machines. A nats peer in request_mode gives every reply (and every timeout or
// no-responders err event) the request's `$correlation`.
//
// # Acknowledgements
//
// A nats sink acks an event once the server confirmed it read the message (one PING/PONG round
// trip covers all events published meanwhile); core NATS itself delivers at most once. A
// jetstream sink acks an event when the stream's PubAck arrives.
//
// A jetstream source is transactional (peers.md §7): it implements peer.Acker. The message an
// event came from is acked once every event decoded from it (or an aggregate tracking it) was
// acked, and naked when one failed; the server redelivers it after the Reconnect backoff of its
// delivery count. A message that gives only an `err` event (undecodable) is terminated at once —
// redelivering it would fail forever, and the err event carries its raw bytes. A message whose
// events are never answered (a crashed process, an event a window still holds at ack_wait; an
// event a stateless pipeline drops is acked by the flow) is redelivered by the server after
// ack_wait: delivery is at least once, so consumers should be idempotent. Processes with
// the same `durable` share the consumer: each message goes to one of them (until it is
// redelivered), and max_ack_pending bounds the messages in flight over all of them.
//
// Settling an aggregate acks every message in the tracked ranges (min..max sequence of this
// peer's stream) that is still waiting, including ones in the range that a filter sent
// elsewhere and that are still in flight there.
package natspeer

import "github.com/rillstream/rill/runtime/peer"

// Specs returns the NATS peer types: nats and jetstream.
func Specs() []*peer.Spec { return []*peer.Spec{NatsSpec, JetStreamSpec} }
