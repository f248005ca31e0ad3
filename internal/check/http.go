package check

import (
	"context"
	"crypto/md5"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/netip"
	"regexp"
	"strings"
)

// maxKeptBody bounds how much of a body is kept for regex matching; the MD5
// digest still covers the whole body.
const maxKeptBody = 1 << 20

// HTTPProber is HTTP_GET or SSL_GET: every url{} must pass, in order, each on
// a new connection (check_http.c).
type HTTPProber struct {
	opts   HTTPOptions
	target netip.AddrPort
	tls    *tls.Config
	urls   []compiledURL
}

type compiledURL struct {
	URL
	digest []byte
	re     *regexp.Regexp
	tls    *tls.Config // per-url client config (SNI follows the url's virtualhost)
}

// NewHTTP builds an HTTP_GET prober (SSL_GET when o.TLS is set) for the real
// server rs. It rejects what keepalived rejects at config time: no url, a
// url without path, a bad digest or regex.
func NewHTTP(rs netip.AddrPort, o HTTPOptions) (*HTTPProber, error) {
	p := &HTTPProber{opts: o, target: o.Target(rs)}
	if len(o.URLs) == 0 {
		return nil, errors.New("HTTP/SSL_GET checker has no urls specified")
	}
	for i, u := range o.URLs {
		cu := compiledURL{URL: u}
		if u.Path == "" {
			return nil, fmt.Errorf("HTTP/SSL_GET url %d has no path", i)
		}
		if u.Digest != "" {
			d, err := hex.DecodeString(u.Digest)
			if err != nil || len(d) != md5.Size {
				return nil, fmt.Errorf("url %s: digest %q must be 32 hex digits", u.Path, u.Digest)
			}
			cu.digest = d
		}
		if u.Regex != "" {
			flags, err := RegexFlags(u.RegexOptions)
			if err != nil {
				return nil, fmt.Errorf("url %s: %w", u.Path, err)
			}
			re, err := regexp.Compile(flags + u.Regex)
			if err != nil {
				return nil, fmt.Errorf("url %s: regex: %w", u.Path, err)
			}
			cu.re = re
		}
		p.urls = append(p.urls, cu)
	}
	if o.TLS != nil {
		cfg, err := clientTLSConfig(*o.TLS, o.VirtualHost)
		if err != nil {
			return nil, err
		}
		p.tls = cfg
		for i := range p.urls {
			p.urls[i].tls = cfg
			if o.TLS.EnableSNI && o.TLS.SNIName == "" && p.urls[i].VirtualHost != "" {
				c := cfg.Clone()
				c.ServerName = p.urls[i].VirtualHost
				p.urls[i].tls = c
			}
		}
	}
	return p, nil
}

// Probe checks every URL; the first failure fails the probe.
func (p *HTTPProber) Probe(ctx context.Context) Outcome {
	for i := range p.urls {
		if err := p.checkURL(ctx, &p.urls[i]); err != nil {
			return Fail(err)
		}
	}
	return Outcome{}
}

func (p *HTTPProber) vhost(u *compiledURL) string {
	if u.VirtualHost != "" {
		return u.VirtualHost
	}
	return p.opts.VirtualHost
}

func (p *HTTPProber) checkURL(ctx context.Context, u *compiledURL) error {
	res, err := fetch(ctx, p.opts.Conn, p.target, u.tls, BuildHTTPRequest(u.Path, p.opts.Protocol, p.vhost(u), p.target), u.re != nil)
	if err != nil {
		return fmt.Errorf("url %s: %w", u.Path, err)
	}
	if !u.StatusCodes.Match(res.head.Status) {
		return fmt.Errorf("url %s: HTTP status code error: %d", u.Path, res.head.Status)
	}
	if u.digest != nil && !equalBytes(u.digest, res.digest) {
		return fmt.Errorf("url %s: MD5 digest error: got %x", u.Path, res.digest)
	}
	if u.re != nil && matchRegex(u.re, res.body, u.RegexMinOffset, u.RegexMaxOffset) == u.RegexNoMatch {
		return fmt.Errorf("url %s: regex match failed", u.Path)
	}
	return nil
}

func equalBytes(a, b []byte) bool { return string(a) == string(b) }

// matchRegex reports a match starting at or after minOff and, when maxOff>0,
// at or before maxOff (keepalived's regex_min_offset/regex_max_offset).
func matchRegex(re *regexp.Regexp, body []byte, minOff, maxOff int) bool {
	if minOff > len(body) {
		return false
	}
	loc := re.FindIndex(body[minOff:])
	if loc == nil {
		return false
	}
	return maxOff <= 0 || minOff+loc[0] <= maxOff
}

// fetchResult is one response: header, MD5 of the body (bounded by
// Content-Length) and the start of the body for regex matching.
type fetchResult struct {
	head   httpHead
	digest []byte
	body   []byte
	header []byte
}

// fetch sends req and reads the response until EOF (or Content-Length bytes
// of body), re-arming connect_timeout for each step as keepalived does.
func fetch(ctx context.Context, c Conn, target netip.AddrPort, tlsCfg *tls.Config, req []byte, keepBody bool) (*fetchResult, error) {
	var conn net.Conn
	conn, err := c.dialTCP(ctx, target)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	if tlsCfg != nil {
		tc := tls.Client(conn, tlsCfg)
		c.stepDeadline(conn)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, fmt.Errorf("SSL handshake/communication error: %w", err)
		}
		conn = tc
	}
	c.stepDeadline(conn)
	if _, err := conn.Write(req); err != nil {
		return nil, fmt.Errorf("cannot send get request: %w", err)
	}
	return readResponse(conn, c, keepBody)
}

// readResponse reads the header and hashes the body.
func readResponse(conn net.Conn, c Conn, keepBody bool) (*fetchResult, error) {
	var (
		buf    []byte
		chunk  = make([]byte, 16<<10)
		res    = &fetchResult{}
		h      hash.Hash
		inBody bool
		got    int64
	)
	h = md5.New()
	consume := func(b []byte) bool {
		if res.head.ContentLength >= 0 {
			if left := res.head.ContentLength - got; int64(len(b)) > left {
				b = b[:left]
			}
		}
		h.Write(b)
		got += int64(len(b))
		if keepBody && len(res.body) < maxKeptBody {
			res.body = append(res.body, b[:min(len(b), maxKeptBody-len(res.body))]...)
		}
		return res.head.ContentLength >= 0 && got >= res.head.ContentLength
	}
	for {
		c.stepDeadline(conn)
		n, err := conn.Read(chunk)
		if n > 0 {
			if !inBody {
				buf = append(buf, chunk[:n]...)
				if hd, ok := parseHTTPHead(buf); ok {
					res.head, inBody = hd, true
					res.header = buf[:hd.BodyStart]
					if consume(buf[hd.BodyStart:]) {
						break
					}
				} else if len(buf) > 64<<10 {
					return nil, errors.New("HTTP header too large")
				}
			} else if consume(chunk[:n]) {
				break
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return nil, errors.New("timeout HTTP read")
			}
			return nil, fmt.Errorf("read error: %w", err)
		}
	}
	if !inBody {
		return nil, errors.New("read, no data received")
	}
	res.digest = h.Sum(nil)
	return res, nil
}

// protocolString names p as http_protocol does.
func (p HTTPProtocol) String() string {
	switch p {
	case HTTP10C:
		return "1.0C"
	case HTTP11:
		return "1.1"
	}
	return "1.0"
}

// ParseHTTPProtocol parses http_protocol ("1.0", "1.0C"/"1.0c", "1.1").
func ParseHTTPProtocol(s string) (HTTPProtocol, error) {
	switch strings.ToUpper(s) {
	case "1.0":
		return HTTP10, nil
	case "1.0C":
		return HTTP10C, nil
	case "1.1":
		return HTTP11, nil
	}
	return HTTP10, fmt.Errorf("invalid http_protocol version %q", s)
}

// regexFlagMap maps PCRE2 regex_options with an RE2 equivalent to inline flags.
var regexFlagMap = map[string]string{"caseless": "i", "multiline": "m", "dotall": "s", "ungreedy": "U"}

// regexIgnored are PCRE2 options that change nothing for RE2 (it is always
// UTF-8 aware and needs no JIT or auto-possession tuning).
var regexIgnored = map[string]bool{
	"utf": true, "never_utf": true, "ucp": true, "never_ucp": true, "no_auto_possess": true,
	"no_start_optimize": true, "no_dotstar_anchor": true, "never_backslash_c": true,
	"dollar_endonly": true, "no_auto_capture": true, "dupnames": true, "auto_callout": true,
}

// RegexFlags turns keepalived's regex_options into a Go inline-flag prefix
// such as "(?is)". Options without an RE2 meaning are ignored; ones whose
// meaning RE2 cannot honour (extended, firstline, ...) are an error.
func RegexFlags(opts []string) (string, error) {
	var f strings.Builder
	for _, o := range opts {
		if fl, ok := regexFlagMap[o]; ok {
			f.WriteString(fl)
			continue
		}
		if regexIgnored[o] {
			continue
		}
		return "", fmt.Errorf("regex_options %s has no Go regexp equivalent", o)
	}
	if f.Len() == 0 {
		return "", nil
	}
	return "(?" + f.String() + ")", nil
}
