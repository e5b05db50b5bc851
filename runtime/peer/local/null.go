package local

import (
	"context"

	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

var nullSpec = &peer.Spec{
	Name:   "null",
	Doc:    "acks and drops every event sent to it; its source side never emits",
	Source: true,
	Sink:   true,
	New:    func(config.Values) (peer.Peer, error) { return Null{}, nil },
}

// Null is the null peer: Send acks and drops the event, the source side emits nothing.
type Null struct{}

// Start reports the sink ready.
func (Null) Start(_ context.Context, h *peer.Host) error {
	h.CircuitBreaker(true, 0, 0)
	return nil
}

// Stop does nothing.
func (Null) Stop() error { return nil }

// Send acks ev.
func (Null) Send(_ string, _ *runtime.Event, done func(error)) { done(nil) }
