package stdlib

import (
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rillstream/rill/interp/value"
)

// Functions that read the event being processed, the host or the clock. With a nil Context they
// return their "nothing" value: 0 for numbers, null for origin parts and peer ids.

// Compatibility values of tremor::system (spec §3.2, §7): the instance name under the runtime
// (which Tremor's test harness uses) and the Tremor version Rill follows.
const (
	systemInstance = "tremor"
	systemVersion  = "0.13.0-rc.33"
)

// systemImpls implements tremor::system.
func systemImpls() map[string]Fn {
	return map[string]Fn{
		"ingest_ns": fn0(func(ctx Context) value.Value {
			if ctx == nil {
				return value.NewUint(0)
			}
			return value.NewUint(ctx.IngestNs())
		}),
		"nanotime": fn0(func(Context) value.Value {
			return value.NewUint(uint64(time.Now().UnixNano()))
		}),
		"hostname": fn0(func(Context) value.Value {
			h, _ := os.Hostname()
			return value.NewString(h)
		}),
		"instance": fn0(func(Context) value.Value { return value.NewString(systemInstance) }),
		"version":  fn0(func(Context) value.Value { return value.NewString(systemVersion) }),
	}
}

// winImpls implements std::win's registry function.
func winImpls() map[string]Fn {
	return map[string]Fn{
		"cardinality": fn0(func(ctx Context) value.Value {
			if ctx == nil {
				return value.NewUint(0)
			}
			return value.NewUint(ctx.WinCardinality())
		}),
	}
}

// idImpls implements Rill's id functions (peers.md §4), registered both bare and under tremor::.
func idImpls() map[string]Fn {
	peer := fn0(func(ctx Context) value.Value {
		if ctx == nil {
			return value.NullValue
		}
		return value.NewString(ctx.PeerID())
	})
	return map[string]Fn{
		"peer_id":   peer,
		"source_id": peer,
		"stream_id": fn0(func(ctx Context) value.Value {
			if ctx == nil {
				return value.NullValue
			}
			return value.NewUint(ctx.StreamID())
		}),
		"event_id": fn0(func(ctx Context) value.Value {
			if ctx == nil {
				return value.NullValue
			}
			return value.NewUint(ctx.EventID())
		}),
	}
}

// originImpls implements tremor::origin over the event's origin URI; every function returns
// null when the event has none. The URI is seen as Tremor's EventOriginUri: scheme, host,
// optional port and path segments.
func originImpls() map[string]Fn {
	with := func(f func(u *url.URL) value.Value) Fn {
		return fn0(func(ctx Context) value.Value {
			if ctx == nil {
				return value.NullValue
			}
			u := ctx.Origin()
			if u == nil {
				return value.NullValue
			}
			return f(u)
		})
	}
	return map[string]Fn{
		"as_uri_string": with(func(u *url.URL) value.Value { return value.NewString(originString(u)) }),
		"as_uri_record": with(func(u *url.URL) value.Value {
			r := value.NewRec(4)
			r.Set("scheme", value.NewString(u.Scheme))
			r.Set("host", value.NewString(u.Hostname()))
			r.Set("port", originPort(u))
			r.Set("path", originPath(u))
			return value.NewRecordValue(r)
		}),
		"scheme": with(func(u *url.URL) value.Value { return value.NewString(u.Scheme) }),
		"host":   with(func(u *url.URL) value.Value { return value.NewString(u.Hostname()) }),
		"port":   with(originPort),
		"path":   with(originPath),
	}
}

// originString renders the URI as EventOriginUri's Display: scheme://host[:port][/seg/seg].
func originString(u *url.URL) string {
	s := u.Scheme + "://" + u.Hostname()
	if p := u.Port(); p != "" {
		s += ":" + p
	}
	if segs := originSegments(u); len(segs) > 0 {
		s += "/" + strings.Join(segs, "/")
	}
	return s
}

// originPort returns the port as an integer, or null when the URI has none.
func originPort(u *url.URL) value.Value {
	p, err := strconv.ParseUint(u.Port(), 10, 16)
	if err != nil {
		return value.NullValue
	}
	return value.NewUint(p)
}

// originSegments splits the URI's path into its segments ("/a/b" → a, b; "" → none).
func originSegments(u *url.URL) []string {
	p := strings.TrimPrefix(u.Path, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// originPath returns the path segments as an array of strings.
func originPath(u *url.URL) value.Value {
	segs := originSegments(u)
	out := make([]value.Value, len(segs))
	for i, s := range segs {
		out[i] = value.NewString(s)
	}
	return value.NewArray(out)
}
