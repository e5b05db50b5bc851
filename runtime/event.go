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
	// Failed is set by a flow on an event a pipeline sent from its `err` port to a peer: a server
	// answers it as a failure (HTTP 500) instead of a normal response.
	Failed bool
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

// SignalKind says what a Signal announces.
type SignalKind uint8

const (
	StreamStart SignalKind = iota + 1 // a stream of a peer started (its first data)
	StreamEnd                         // a stream of a peer ended (connection closed, request answered, file read)
)

func (k SignalKind) String() string {
	switch k {
	case StreamStart:
		return "StartStream"
	case StreamEnd:
		return "EndStream"
	}
	return "signal"
}

// Signal travels beside events from a peer's source side to every pipeline connected to it, and
// on to their sinks (peers.md §3).
type Signal struct {
	Kind     SignalKind
	Peer     uint64 // uid of the peer the stream belongs to
	PeerName string // its alias
	Stream   uint64 // the stream id
}

// Track records other (its id, or the ids it tracks itself) as a contributor of ev, so a server
// peer routes ev back to every stream other came from (peers.md §4, §5).
func (ev *Event) Track(other *Event) {
	if len(other.Tracked) > 0 {
		ev.Tracked = trackRanges(ev.Tracked, other.Tracked)
	}
	if other.ID != (EventID{}) {
		ev.Tracked = trackID(ev.Tracked, other.ID)
	}
}

// Streams returns the streams of peer uid that ev came from: its own id's stream and every
// tracked range of that peer, without duplicates, in order of appearance.
func (ev *Event) Streams(uid uint64) []uint64 {
	var out []uint64
	add := func(s uint64) {
		for _, x := range out {
			if x == s {
				return
			}
		}
		out = append(out, s)
	}
	if ev.ID.Peer == uid {
		add(ev.ID.Stream)
	}
	for _, r := range ev.Tracked {
		if r.Peer == uid {
			add(r.Stream)
		}
	}
	return out
}
