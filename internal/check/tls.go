package check

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// clientTLSConfig builds SSL_GET's client context like keepalived's
// check_ssl.c: no server verification unless a CA is configured (then the
// chain is verified against it, without a host name check, as OpenSSL's
// SSL_VERIFY_PEER does), an optional client certificate, and SNI only with
// enable_sni (sni_name, else the virtual host).
func clientTLSConfig(o TLSOptions, vhost string) (*tls.Config, error) {
	cfg := &tls.Config{InsecureSkipVerify: true} //nolint:gosec // keepalived does not verify unless "ca" is set
	if o.EnableSNI {
		cfg.ServerName = o.SNIName
		if cfg.ServerName == "" {
			cfg.ServerName = vhost
		}
	}
	if o.CertFile != "" || o.KeyFile != "" {
		key := o.KeyFile
		if key == "" {
			key = o.CertFile
		}
		cert, err := tls.LoadX509KeyPair(o.CertFile, key)
		if err != nil {
			return nil, fmt.Errorf("SSL certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("SSL ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("SSL ca %s: no certificates", o.CAFile)
		}
		cfg.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
			return verifyChain(raw, pool)
		}
	}
	return cfg, nil
}

// verifyChain verifies the presented chain against roots, ignoring names.
func verifyChain(raw [][]byte, roots *x509.CertPool) error {
	if len(raw) == 0 {
		return errors.New("no server certificate")
	}
	certs := make([]*x509.Certificate, len(raw))
	for i, r := range raw {
		c, err := x509.ParseCertificate(r)
		if err != nil {
			return fmt.Errorf("server certificate: %w", err)
		}
		certs[i] = c
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
	return err
}
