package runtime

import (
	"net/url"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/stdlib"
)

// EventID identifies an event (peers.md §4): the uid of the peer it came from, the stream inside
// that peer (0: no stream) and its sequence number within the stream.
type EventID struct {
	Peer   uint64 // uid of the origin peer
	Stream uint64 // stream id inside the peer; 0 = no stream
	Seq    uint64 // per-stream sequence number
}

// Event is what flows through a pipeline. Values are immutable (interp's contract), so copying an
// Event shares its value and meta safely.
type Event struct {
	Value    value.Value // the event value (`event`)
	Meta     value.Value // its metadata (`$`), a record ({} by default)
	IngestNs uint64      // ingest time in nanoseconds
	Origin   *url.URL    // origin URI (origin::*), nil when the event has none
	ID       EventID     // (peer, stream, seq)
	PeerName string      // the alias of the origin peer: what peer_id() / source_id() return
	IsBatch  bool        // the value is a generic::batch array of {"data": {"value": …}} (spec §4.9)
	Tracked  []IDRange   // windowed select outputs: the ids of the events aggregated into it (window.go)
}

// NewEvent returns an event with value v, empty metadata and the given ingest time.
func NewEvent(v value.Value, ingestNs uint64) *Event {
	return &Event{Value: v, Meta: value.NewRecordValue(value.NewRec(0)), IngestNs: ingestNs}
}

// eventCtx is what registry functions see of the event being processed (stdlib.Context).
type eventCtx struct {
	ev   *Event
	card uint64 // windowed selects: stored groups when the current group is processed
}

func (c *eventCtx) IngestNs() uint64       { return c.ev.IngestNs }
func (c *eventCtx) Origin() *url.URL       { return c.ev.Origin }
func (c *eventCtx) PeerID() string         { return c.ev.PeerName }
func (c *eventCtx) StreamID() uint64       { return c.ev.ID.Stream }
func (c *eventCtx) EventID() uint64        { return c.ev.ID.Seq }
func (c *eventCtx) WinCardinality() uint64 { return c.card } // 0 without windows: groups are never stored (spec §4.5)

var _ stdlib.Context = (*eventCtx)(nil)
