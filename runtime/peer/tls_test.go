package peer_test

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
	"github.com/rillstream/rill/runtime/peer/peertest"
)

func TestTLSKeyDeclaresNullDefault(t *testing.T) {
	k := peer.TLSKey()
	if k.Name != "tls" || k.Type != config.Record || !k.Default.IsNull() || k.Required {
		t.Fatalf("key %+v", k)
	}
	cv, err := config.Validate("x", value.NullValue, []config.Key{k})
	if err != nil {
		t.Fatal(err)
	}
	c, err := peer.ParseTLS(cv.Value("tls"), true)
	if c != nil || err != nil {
		t.Fatalf("null tls: %v %v", c, err)
	}
}

func TestParseTLSBuildsConfigs(t *testing.T) {
	f := peertest.NewTLS(t)
	srv, err := peer.ParseTLS(value.MustDecodeJSON(f.Config(true)), true)
	if err != nil {
		t.Fatal(err)
	}
	if srv.MinVersion != tls.VersionTLS12 || len(srv.Certificates) != 1 || srv.ClientAuth != tls.RequireAndVerifyClientCert || srv.ClientCAs == nil {
		t.Fatalf("server config %+v", srv)
	}
	cli, err := peer.ParseTLS(value.MustDecodeJSON(`{"ca": `+quote(f.Cert)+`, "server_name": "localhost"}`), false)
	if err != nil {
		t.Fatal(err)
	}
	if cli.RootCAs == nil || cli.ServerName != "localhost" || len(cli.Certificates) != 0 || cli.InsecureSkipVerify {
		t.Fatalf("client config %+v", cli)
	}

	// The two configs complete a mutually authenticated handshake once the client has a certificate.
	cli.Certificates = []tls.Certificate{f.Pair}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	errc := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			err = c.(*tls.Conn).Handshake()
			c.Close()
		}
		errc <- err
	}()
	c, err := tls.Dial("tcp", ln.Addr().String(), cli)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}

	// Without a client certificate, the server refuses the handshake.
	cli.Certificates = nil
	go func() {
		c, err := ln.Accept()
		if err == nil {
			err = c.(*tls.Conn).Handshake()
			c.Close()
		}
		errc <- err
	}()
	if c, err := tls.Dial("tcp", ln.Addr().String(), cli); err == nil {
		// TLS 1.3 reports the server's refusal on the first read.
		_, err = c.Read(make([]byte, 1))
		c.Close()
		if err == nil {
			t.Fatal("handshake without client certificate succeeded")
		}
	}
	if err := <-errc; err == nil {
		t.Fatal("server accepted a client without certificate")
	}
}

func quote(s string) string { return strconv.Quote(s) }

func TestParseTLSErrors(t *testing.T) {
	f := peertest.NewTLS(t)
	garbage := filepath.Join(t.TempDir(), "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing.pem")
	cert, key := quote(f.Cert), quote(f.Key)
	for _, c := range []struct {
		cfg    string
		server bool
		want   string
	}{
		{`"yes"`, true, "`tls` must be a record"},
		{`{"crt": ` + cert + `}`, true, "did you mean `tls.cert`?"},
		{`{"key": ` + key + `}`, true, "`tls.cert` is required for a server"},
		{`{"cert": ` + cert + `}`, true, "`tls.key` is required for a server"},
		{`{"cert": ` + cert + `}`, false, "`tls.key` is required with `tls.cert`"},
		{`{"key": ` + key + `}`, false, "`tls.cert` is required with `tls.key`"},
		{`{"cert": 1, "key": ` + key + `}`, true, "`tls.cert` must be a non-empty string"},
		{`{"cert": "", "key": ` + key + `}`, true, "`tls.cert` must be a non-empty string"},
		{`{"cert": ` + quote(missing) + `, "key": ` + key + `}`, true, "`tls.cert`: cannot read"},
		{`{"cert": ` + cert + `, "key": ` + quote(missing) + `}`, true, "`tls.key`: cannot read"},
		{`{"cert": ` + quote(garbage) + `, "key": ` + key + `}`, true, "are not a PEM certificate"},
		{`{"ca": ` + quote(missing) + `}`, false, "`tls.ca`: cannot read"},
		{`{"ca": ` + quote(garbage) + `}`, false, "`tls.ca`: " + garbage + " holds no PEM certificate"},
		{`{"insecure_skip_verify": "yes"}`, false, "`tls.insecure_skip_verify` must be a boolean"},
		{`{"cert": ` + cert + `, "key": ` + key + `, "server_name": "x"}`, true, "`tls.server_name` applies to clients only"},
		{`{"cert": ` + cert + `, "key": ` + key + `, "insecure_skip_verify": true}`, true, "`tls.insecure_skip_verify` applies to clients only"},
	} {
		_, err := peer.ParseTLS(value.MustDecodeJSON(c.cfg), c.server)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s (server %v): %v, want %q", c.cfg, c.server, err, c.want)
		}
	}
}
