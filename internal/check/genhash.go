package check

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"time"
)

// GenhashOptions are keepalived --genhash's options (check_genhash.c).
type GenhashOptions struct {
	Server      netip.Addr    // -s/--server (an IP address, not a name)
	Port        uint16        // -p/--port
	URL         string        // -u/--url
	SSL         bool          // -S/--use-ssl
	SNI         bool          // -I/--use-sni: send the virtual host as SNI
	VirtualHost string        // -V/--use-virtualhost
	Protocol    HTTPProtocol  // -P/--protocol 1.0, 1.0c, 1.1
	FWMark      uint32        // -m/--fwmark
	Timeout     time.Duration // -t/--timeout (0 = no timeout, as keepalived's UINT_MAX)
	Verbose     bool          // -v/--verbose
}

// Output delimiters of keepalived's verbose genhash (check_http.c).
const (
	delimBegin     = "-----------------------["
	delimEnd       = "]-----------------------\n"
	genHeaderASCII = delimBegin + " HTTP Header Ascii Buffer " + delimEnd
	genHTMLHash    = delimBegin + "    HTML hash resulting    " + delimEnd
	genHashFinal   = delimBegin + " HTML hash final resulting " + delimEnd
)

// Genhash fetches the URL like HTTP_GET/SSL_GET and writes the MD5 digest of
// the body as 32 lower-case hex digits and a newline, which is exactly what
// keepalived --genhash prints without -v. With Verbose it first prints the
// response header and the digest sections with keepalived's delimiters (the
// hex dumps keepalived also prints are left out). Errors are returned, not
// printed; keepalived prints the failing step's message on stdout and exits 0.
func Genhash(ctx context.Context, o GenhashOptions, w io.Writer) error {
	if !o.Server.IsValid() || o.Port == 0 || o.URL == "" {
		return fmt.Errorf("genhash: server, port and url are required")
	}
	target := netip.AddrPortFrom(o.Server, o.Port)
	c := Conn{FWMark: o.FWMark, ConnectTimeout: o.Timeout}
	if o.Timeout <= 0 {
		c.ConnectTimeout = 24 * time.Hour
	}
	var tlsCfg *tls.Config
	if o.SSL {
		cfg, err := clientTLSConfig(TLSOptions{EnableSNI: o.SNI}, o.VirtualHost)
		if err != nil {
			return fmt.Errorf("genhash: %w", err)
		}
		tlsCfg = cfg
	}
	res, err := fetch(ctx, c, target, tlsCfg, BuildHTTPRequest(o.URL, o.Protocol, o.VirtualHost, target), false)
	if err != nil {
		return fmt.Errorf("genhash: %w", err)
	}
	if o.Verbose {
		fmt.Fprint(w, genHeaderASCII)
		fmt.Fprintf(w, "%s\n", res.header)
		fmt.Fprint(w, "\n"+genHTMLHash)
		fmt.Fprintln(w, hex.EncodeToString(res.digest))
		fmt.Fprint(w, genHashFinal)
	}
	_, err = fmt.Fprintln(w, hex.EncodeToString(res.digest))
	return err
}
