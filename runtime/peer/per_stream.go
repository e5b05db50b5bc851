package peer

import (
	"fmt"
	"sync"

	"github.com/rillstream/rill/runtime"
)

// Per-stream clients (peers.md §3: `config.per_stream = true`) open one upstream connection per
// incoming stream. These helpers decide which stream an event belongs to and remember the
// streams that ended, so a late event does not open a connection no signal will ever close.

// OriginOf returns the incoming stream an event belongs to: the stream of its own id, or, for
// an event without one (an aggregate), the single stream it tracks. An event of no stream or
// of several has none (ok false).
func OriginOf(ev *runtime.Event) (peerUID, stream uint64, ok bool) {
	if ev.ID.Stream != 0 {
		return ev.ID.Peer, ev.ID.Stream, true
	}
	found := false
	for _, r := range ev.Tracked {
		if r.Stream == 0 {
			continue
		}
		if found && (r.Peer != peerUID || r.Stream != stream) {
			return 0, 0, false
		}
		peerUID, stream, found = r.Peer, r.Stream, true
	}
	return peerUID, stream, found
}

// ErrNoOrigin is the error per-stream clients fail an event of no single stream with.
func ErrNoOrigin(alias string) error {
	return fmt.Errorf("peer `%s` opens a connection per stream (per_stream), but this event belongs to no single stream (an aggregate of none or several)", alias)
}

// ErrStreamEnded is the error per-stream clients fail an event of an ended stream with.
func ErrStreamEnded(alias string, peerUID, stream uint64) error {
	return fmt.Errorf("peer `%s`: stream %d of peer %d has ended, its connection is closed", alias, stream, peerUID)
}

// EndedStreams remembers the last ended streams (at most endedMemory), for per-stream clients.
// Stream ids are never reused by a peer, so an ended stream stays ended. Safe for concurrent use.
type EndedStreams struct {
	mu    sync.Mutex
	set   map[[2]uint64]struct{}
	order [][2]uint64
}

// endedMemory bounds the ended streams remembered.
const endedMemory = 65536

// Add records that a stream ended.
func (e *EndedStreams) Add(peerUID, stream uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.set == nil {
		e.set = map[[2]uint64]struct{}{}
	}
	k := [2]uint64{peerUID, stream}
	if _, ok := e.set[k]; ok {
		return
	}
	e.set[k] = struct{}{}
	e.order = append(e.order, k)
	if len(e.order) > endedMemory {
		delete(e.set, e.order[0])
		e.order = e.order[1:]
	}
}

// Has reports whether a stream is known to have ended.
func (e *EndedStreams) Has(peerUID, stream uint64) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.set[[2]uint64{peerUID, stream}]
	return ok
}
