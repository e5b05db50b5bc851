package natspeer

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// parseURLs reads the `url` config key of a NATS peer (typ names it in errors): one server or a
// comma-separated list, each "host:port" (nats) or "SCHEME://host[:port]" with scheme nats, tls,
// ws or wss (a missing port means NATS's 4222). It returns the list in the form nats.Connect
// takes.
func parseURLs(typ, raw string) (string, error) {
	key := fmt.Sprintf("config key `url` of %s", typ)
	var out []string
	for _, part := range strings.Split(raw, ",") {
		s := strings.TrimSpace(part)
		if s == "" {
			return "", fmt.Errorf("%s: expected a server like \"nats://127.0.0.1:4222\" (or a comma-separated list), not %q", key, raw)
		}
		if !strings.Contains(s, "://") {
			host, port, err := net.SplitHostPort(s)
			if err != nil || host == "" {
				return "", fmt.Errorf("%s: expected host:port or nats://host:port, not %q", key, s)
			}
			if p, err := strconv.ParseUint(port, 10, 16); err != nil || p == 0 {
				return "", fmt.Errorf("%s: expected a port number from 1 to 65535, not %q in %q", key, port, s)
			}
			out = append(out, "nats://"+s)
			continue
		}
		u, err := url.Parse(s)
		if err != nil {
			return "", fmt.Errorf("%s: %q is not a url: %v", key, s, err)
		}
		switch strings.ToLower(u.Scheme) {
		case "nats", "tls", "ws", "wss":
		default:
			return "", fmt.Errorf("%s: expected a nats://, tls://, ws:// or wss:// url, not scheme %q in %q", key, u.Scheme, s)
		}
		if u.Hostname() == "" {
			return "", fmt.Errorf("%s: expected a host in %q", key, s)
		}
		if p := u.Port(); p != "" {
			if n, err := strconv.ParseUint(p, 10, 16); err != nil || n == 0 {
				return "", fmt.Errorf("%s: expected a port number from 1 to 65535, not %q in %q", key, p, s)
			}
		}
		out = append(out, s)
	}
	return strings.Join(out, ","), nil
}

// checkSubject reports whether s is a valid NATS subject: dot-separated non-empty tokens
// without whitespace; wildcards (`*` as a token, `>` as the last token) only when wild.
func checkSubject(what, s string, wild bool) error {
	if s == "" {
		return fmt.Errorf("%s must be a NATS subject like \"orders.new\", not empty", what)
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return fmt.Errorf("%s must be a NATS subject without whitespace, not %q", what, s)
	}
	toks := strings.Split(s, ".")
	for i, t := range toks {
		if t == "" {
			return fmt.Errorf("%s must be a NATS subject of non-empty dot-separated tokens, not %q", what, s)
		}
		if t == "*" || t == ">" {
			if !wild {
				return fmt.Errorf("%s must be a subject without wildcards to publish to, not %q", what, s)
			}
			if t == ">" && i != len(toks)-1 {
				return fmt.Errorf("%s: `>` must be the last token of the subject, not in %q", what, s)
			}
		}
	}
	return nil
}

// checkName reports whether s is a valid JetStream stream or consumer name (what names the key):
// non-empty, no whitespace, no `.`, `*`, `>`, `/` or `\`.
func checkName(what, s string) error {
	if s == "" {
		return fmt.Errorf("%s must be a name like \"ORDERS\", not empty", what)
	}
	if strings.ContainsAny(s, " \t\r\n.*>/\\") {
		return fmt.Errorf("%s must be a name without whitespace, `.`, `*`, `>`, `/` or `\\`, not %q", what, s)
	}
	return nil
}

// positiveMs reads a positive duration in milliseconds.
func positiveMs(what string, ms int64) (time.Duration, error) {
	if ms <= 0 {
		return 0, fmt.Errorf("%s must be a positive number of milliseconds, not %d", what, ms)
	}
	return time.Duration(ms) * time.Millisecond, nil
}
