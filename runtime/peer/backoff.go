package peer

import (
	"math/rand/v2"
	"time"

	"github.com/rillstream/rill/interp/value"
)

// Backoff is a bounded exponential retry policy with jitter: the n-th retry (n from 0) waits
// Interval * Growth^n, capped at Max, plus up to half of that at random; MaxRetries < 0 retries
// forever.
type Backoff struct {
	Interval   time.Duration
	Growth     float64
	Max        time.Duration
	MaxRetries int
}

// DefaultBackoff is used when a definition gives no `reconnect`: 100 ms doubling up to 5 s, forever.
var DefaultBackoff = Backoff{Interval: 100 * time.Millisecond, Growth: 2, Max: 5 * time.Second, MaxRetries: -1}

// Delay returns how long to wait before retry n and whether retry n is allowed.
func (b Backoff) Delay(n int) (time.Duration, bool) {
	if b.MaxRetries >= 0 && n >= b.MaxRetries {
		return 0, false
	}
	d := float64(b.Interval)
	for i := 0; i < n && d < float64(b.Max); i++ {
		d *= max(b.Growth, 1)
	}
	if b.Max > 0 && d > float64(b.Max) {
		d = float64(b.Max)
	}
	return time.Duration(d + rand.Float64()*d/2), true
}

// ParseBackoff reads a definition's `reconnect` value: {"retry": {"interval_ms", "growth_rate",
// "max_retries", "max_interval_ms"}} (Tremor's form), or "none" for no reconnect.
func ParseBackoff(v value.Value) (Backoff, error) {
	b := DefaultBackoff
	if v.IsNull() {
		return b, nil
	}
	if s, ok := v.AsString(); ok && s == "none" {
		return Backoff{MaxRetries: 0}, nil
	}
	rec, ok := v.AsRecord()
	if !ok {
		return b, errorf("reconnect is \"none\" or {\"retry\": {...}}, not %s", v.TypeName())
	}
	r, ok := rec.Get("retry")
	if !ok || rec.Len() != 1 {
		return b, errorf("reconnect takes one key, `retry`")
	}
	rr, ok := r.AsRecord()
	if !ok {
		return b, errorf("reconnect.retry must be a record")
	}
	for i := 0; i < rr.Len(); i++ {
		k, x := rr.At(i)
		f, isNum := x.CastF64()
		if !isNum || f < 0 {
			return b, errorf("reconnect.retry.%s must be a non-negative number", k)
		}
		switch k {
		case "interval_ms":
			b.Interval = time.Duration(f * float64(time.Millisecond))
		case "max_interval_ms":
			b.Max = time.Duration(f * float64(time.Millisecond))
		case "growth_rate":
			b.Growth = f
		case "max_retries":
			b.MaxRetries = int(f)
		case "randomized":
		default:
			return b, errorf("unknown key reconnect.retry.%s (interval_ms, growth_rate, max_retries, max_interval_ms)", k)
		}
	}
	return b, nil
}
