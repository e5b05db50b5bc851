package peer

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

// TLSKey returns the declaration of the `tls` config key shared by the socket peers (http,
// tcp, ws). Its default is null: the peer speaks plain text. ParseTLS reads its value.
func TLSKey() config.Key {
	return config.Key{Name: "tls", Type: config.Record, Default: value.NullValue,
		Doc: "TLS settings, null for plain text: {\"cert\": PEM certificate file, \"key\": PEM private key file " +
			"(both required for servers; a client certificate for clients), \"ca\": PEM bundle that verifies the other side " +
			"(servers then require and verify client certificates; clients trust it instead of the system roots), " +
			"\"server_name\": the name to verify (clients; default the url's host), " +
			"\"insecure_skip_verify\": do not verify the server (clients, tests only)}"}
}

// tlsKeys are the keys a `tls` record may hold, in the order errors list them.
var tlsKeys = []string{"cert", "key", "ca", "server_name", "insecure_skip_verify"}

// ParseTLS reads the value of a `tls` config key (see TLSKey) for a server (server = true) or a
// client. Null gives a nil config (plain text). Otherwise it checks the record — unknown keys,
// mistyped values, keys that do not apply to the side, a server without cert and key, a client
// with only one of them — loads the files it names and returns a *tls.Config requiring TLS 1.2 or
// later. Errors name the offending key as `tls.<key>`; callers prefix which peer's config they
// concern. A client's ServerName is left empty unless server_name is set: crypto/tls and net/http
// then verify the host being dialled.
func ParseTLS(v value.Value, server bool) (*tls.Config, error) {
	if v.IsNull() {
		return nil, nil
	}
	rec, ok := v.AsRecord()
	if !ok {
		return nil, fmt.Errorf("`tls` must be a record like {\"cert\": \"server.pem\", \"key\": \"server.key\"} or null, not %s", v.TypeName())
	}
	str := map[string]string{}
	skip := false
	for i := 0; i < rec.Len(); i++ {
		k, x := rec.At(i)
		switch k {
		case "cert", "key", "ca", "server_name":
			s, ok := x.AsString()
			if !ok || s == "" {
				return nil, fmt.Errorf("`tls.%s` must be a non-empty string, not %s", k, value.Encode(x))
			}
			str[k] = s
		case "insecure_skip_verify":
			b, ok := x.AsBool()
			if !ok {
				return nil, fmt.Errorf("`tls.insecure_skip_verify` must be a boolean, not %s", value.Encode(x))
			}
			skip = b
		default:
			hint := ""
			if best := config.Closest(k, tlsKeys); best != "" {
				hint = fmt.Sprintf("; did you mean `tls.%s`?", best)
			}
			return nil, fmt.Errorf("unknown key `tls.%s` (known: cert, key, ca, server_name, insecure_skip_verify)%s", k, hint)
		}
		if server && (k == "server_name" || k == "insecure_skip_verify") {
			return nil, fmt.Errorf("`tls.%s` applies to clients only, a server does not take it", k)
		}
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	cert, hasCert := str["cert"]
	key, hasKey := str["key"]
	switch {
	case server && !hasCert:
		return nil, errors.New("`tls.cert` is required for a server: the PEM file of its certificate")
	case server && !hasKey:
		return nil, errors.New("`tls.key` is required for a server: the PEM file of its private key")
	case hasCert && !hasKey:
		return nil, errors.New("`tls.key` is required with `tls.cert`: the PEM file of the client certificate's private key")
	case hasKey && !hasCert:
		return nil, errors.New("`tls.cert` is required with `tls.key`: the PEM file of the client certificate")
	}
	if hasCert {
		certPEM, err := os.ReadFile(cert)
		if err != nil {
			return nil, fmt.Errorf("`tls.cert`: cannot read the certificate: %v", err)
		}
		keyPEM, err := os.ReadFile(key)
		if err != nil {
			return nil, fmt.Errorf("`tls.key`: cannot read the private key: %v", err)
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return nil, fmt.Errorf("`tls.cert`/`tls.key` (%s, %s) are not a PEM certificate and its private key: %v", cert, key, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	if ca, ok := str["ca"]; ok {
		data, err := os.ReadFile(ca)
		if err != nil {
			return nil, fmt.Errorf("`tls.ca`: cannot read the CA bundle: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("`tls.ca`: %s holds no PEM certificate", ca)
		}
		if server {
			cfg.ClientCAs = pool
			cfg.ClientAuth = tls.RequireAndVerifyClientCert
		} else {
			cfg.RootCAs = pool
		}
	}
	cfg.ServerName = str["server_name"]
	cfg.InsecureSkipVerify = skip //nolint:gosec // documented as for tests only
	return cfg, nil
}
