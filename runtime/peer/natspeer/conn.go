package natspeer

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/rillstream/rill/runtime/peer"
)

// link is the NATS connection of one peer and the circuit breaker it reports. nats.go connects
// in the background and reconnects forever on its own, waiting the host's Reconnect delays
// between rounds; the link turns its connect and disconnect callbacks into circuit breaker
// reports (closed while disconnected, open while connected) and logs once per outage.
type link struct {
	nc  *nats.Conn
	h   *peer.Host
	log *slog.Logger
	typ string // peer type, for messages
	url string

	mu     sync.Mutex
	known  bool // a breaker state was reported
	up     bool // the last state reported
	outage bool // a failure was logged and no connection was made since
	closed bool // Stop began: report nothing more
}

// dial connects to url (the parsed config) in the background, over TLS when tlsCfg is set. Only a
// malformed option makes it fail: a server that is not up yet is retried.
func dial(h *peer.Host, typ, url string, tlsCfg *tls.Config) (*link, error) {
	l := &link{h: h, log: h.Log(), typ: typ, url: url}
	b := h.Reconnect()
	opts := []nats.Option{
		nats.Name(fmt.Sprintf("rill %s %s", typ, h.Alias())),
		nats.MaxReconnects(-1),
		nats.RetryOnFailedConnect(true),
		// No buffering while disconnected: a publish fails at once, so the event fails promptly.
		nats.ReconnectBufSize(-1),
		nats.CustomReconnectDelay(func(attempts int) time.Duration { return reconnectDelay(b, attempts) }),
		nats.NoCallbacksAfterClientClose(),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { l.down(err) }),
		nats.ReconnectHandler(l.connected),
		nats.ConnectHandler(l.connected),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subj := ""
			if sub != nil {
				subj = sub.Subject
			}
			l.log.Warn(typ+": asynchronous error", "subject", subj, "error", err)
		}),
	}
	if tlsCfg != nil {
		opts = append(opts, nats.Secure(tlsCfg))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot connect to %s: %w", typ, url, err)
	}
	l.mu.Lock()
	l.nc = nc
	if !l.known && !nc.IsConnected() {
		l.outage = true
		l.report(false)
		l.log.Warn(typ+": cannot connect yet; retrying in the background (logged once until connected)", "url", url)
	} else if !l.known {
		l.report(true)
	}
	l.mu.Unlock()
	return l, nil
}

// reconnectDelay is the wait before reconnect round attempts (from 1): the host's Reconnect
// backoff, which NATS peers apply forever (max_retries does not stop them: the connection is all
// they have); a zero interval ("none") falls back to the default policy so nothing spins.
func reconnectDelay(b peer.Backoff, attempts int) time.Duration {
	if b.Interval <= 0 {
		b = peer.DefaultBackoff
	}
	b.MaxRetries = -1
	d, _ := b.Delay(min(max(attempts-1, 0), 64))
	return d
}

// report sends a breaker state when it changed; l.mu is held.
func (l *link) report(up bool) {
	if l.closed || (l.known && l.up == up) {
		return
	}
	l.known, l.up = true, up
	l.h.CircuitBreaker(up, 0, 0)
}

// down handles a lost connection: breaker closed, a warning once per outage.
func (l *link) down(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	if !l.outage {
		l.outage = true
		l.log.Warn(l.typ+": connection lost; reconnecting (logged once until reconnected)", "url", l.url, "error", err)
	}
	l.report(false)
}

// connected handles a (re)connection: breaker open, the end of an outage logged.
func (l *link) connected(nc *nats.Conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	if l.outage {
		l.outage = false
		l.log.Info(l.typ+": connected", "server", nc.ConnectedUrlRedacted())
	}
	l.report(true)
}

// close flushes what is buffered (acks, publishes) for at most a second and closes the
// connection; no breaker report follows.
func (l *link) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	if l.nc.IsConnected() {
		_ = l.nc.FlushTimeout(time.Second)
	}
	l.nc.Close()
}

// publishError explains a failed publish: the connection is down (no buffering while
// reconnecting) or the error itself.
func (l *link) publishError(subject string, err error) error {
	if !l.nc.IsConnected() {
		return fmt.Errorf("%s `%s`: cannot publish to %q: not connected to NATS (%v)", l.typ, l.h.Alias(), subject, err)
	}
	return fmt.Errorf("%s `%s`: cannot publish to %q: %w", l.typ, l.h.Alias(), subject, err)
}
