package peertest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TLSFiles is a self-signed certificate for 127.0.0.1 (and "localhost") written to a test's
// temporary directory: it serves as a server certificate, a client certificate and the CA bundle
// that verifies both.
type TLSFiles struct {
	Cert, Key string               // the PEM files' paths
	Pair      tls.Certificate      // the certificate and key, for tls.Config.Certificates
	Pool      *x509.CertPool       // holds the certificate, for RootCAs / ClientCAs
	Client    *tls.Config          // a client config trusting the certificate (TLS 1.2+)
	Server    *tls.Config          // a server config presenting the certificate (TLS 1.2+)
	Config    func(ca bool) string // `"tls"` record JSON naming the files, with "ca" when ca is true
}

// NewTLS generates the certificate (ECDSA P-256, valid for an hour) into t.TempDir().
func NewTLS(t testing.TB) *TLSFiles {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "rill test"},
		NotBefore:             time.Now().Add(-time.Minute),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := &TLSFiles{Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem")}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if err := os.WriteFile(f.Cert, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.Key, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if f.Pair, err = tls.X509KeyPair(certPEM, keyPEM); err != nil {
		t.Fatal(err)
	}
	f.Pool = x509.NewCertPool()
	f.Pool.AppendCertsFromPEM(certPEM)
	f.Client = &tls.Config{RootCAs: f.Pool, MinVersion: tls.VersionTLS12}
	f.Server = &tls.Config{Certificates: []tls.Certificate{f.Pair}, MinVersion: tls.VersionTLS12}
	f.Config = func(ca bool) string {
		s := `{"cert": ` + strconv.Quote(f.Cert) + `, "key": ` + strconv.Quote(f.Key)
		if ca {
			s += `, "ca": ` + strconv.Quote(f.Cert)
		}
		return s + "}"
	}
	return f
}
