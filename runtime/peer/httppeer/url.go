package httppeer

import (
	"fmt"
	"net/url"
	"strings"
)

// parseURL reads a URL that what names in errors ("config key `url` of http_client"):
// "scheme://host:port/path" or "host:port" (http is assumed). Only http and https are accepted,
// and a host is required.
func parseURL(what, s string) (*url.URL, error) {
	raw := s
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s must be a URL like \"http://127.0.0.1:8080\": %v", what, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%s must be an http:// or https:// URL, not %q", what, s)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%s must name a host, as in \"http://127.0.0.1:8080\", not %q", what, s)
	}
	return u, nil
}
