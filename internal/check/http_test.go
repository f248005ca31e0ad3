package check

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestBuildHTTPRequestGolden pins keepalived's request bytes.
func TestBuildHTTPRequestGolden(t *testing.T) {
	v4 := netip.MustParseAddrPort("198.51.100.10:8080")
	v6 := netip.MustParseAddrPort("[2001:db8::10]:80")
	cases := []struct {
		name  string
		path  string
		proto HTTPProtocol
		vhost string
		dst   netip.AddrPort
	}{
		{"http10_ipv4", "/health", HTTP10, "", v4},
		{"http10c_vhost", "/", HTTP10C, "www.example.com", v4},
		{"http11_ipv6", "/index.html?x=1", HTTP11, "", v6},
	}
	var all bytes.Buffer
	for _, c := range cases {
		fmt.Fprintf(&all, "== %s\n%s", c.name, BuildHTTPRequest(c.path, c.proto, c.vhost, c.dst))
	}
	golden := filepath.Join("testdata", "http_requests.golden")
	if *update {
		if err := os.WriteFile(golden, all.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(all.Bytes(), want) {
		t.Fatalf("requests differ from %s:\n%q\nwant\n%q", golden, all.Bytes(), want)
	}
}

func TestParseHTTPHead(t *testing.T) {
	tests := []struct {
		in     string
		ok     bool
		status int
		clen   int64
		start  int
	}{
		{"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello", true, 200, 5, 38},
		{"HTTP/1.1 404 Not Found\r\ncontent-length:0\r\n\r\n", true, 404, 0, 44},
		{"HTTP/1.0 200 OK\n\nbody", true, 200, -1, 17},
		{"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n", false, 0, 0, 0},
		{"garbage\r\n\r\n", true, 0, -1, 11},
		{"HTTP/1.0 20x OK\r\n\r\n", true, 0, -1, 19},
		{"HTTP/1.0 200 OK\r\nContent-Length: -3\r\n\r\n", true, 200, -1, 39},
	}
	for _, tc := range tests {
		h, ok := parseHTTPHead([]byte(tc.in))
		if ok != tc.ok || (ok && (h.Status != tc.status || h.ContentLength != tc.clen || h.BodyStart != tc.start)) {
			t.Errorf("%q: got %+v %v", tc.in, h, ok)
		}
	}
}

func FuzzParseHTTPHead(f *testing.F) {
	f.Add([]byte("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello"))
	f.Add([]byte("HTTP/1.1 301 Moved\nLocation: /\n\n"))
	f.Add([]byte("\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, ok := parseHTTPHead(b)
		if !ok {
			return
		}
		if h.BodyStart > len(b) || h.BodyStart < 2 {
			t.Fatalf("body start %d of %d", h.BodyStart, len(b))
		}
		if h.Status != 0 && (h.Status < 0 || h.Status > 999) {
			t.Fatalf("status %d", h.Status)
		}
	})
}

func md5hex(s string) string {
	d := md5.Sum([]byte(s))
	return hex.EncodeToString(d[:])
}

func addrOf(t *testing.T, rawURL string) netip.AddrPort {
	t.Helper()
	ap, err := netip.ParseAddrPort(strings.TrimPrefix(strings.TrimPrefix(rawURL, "http://"), "https://"))
	if err != nil {
		t.Fatal(err)
	}
	return ap
}

// webServer serves a few paths and records the raw request lines.
func webHandler(reqs chan<- *http.Request) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		if reqs != nil {
			reqs <- r
		}
		fmt.Fprint(w, "all good here")
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nope", http.StatusNotFound) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		fmt.Fprint(w, "start")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	return mux
}

func TestHTTPProber(t *testing.T) {
	reqs := make(chan *http.Request, 16)
	srv := httptest.NewServer(webHandler(reqs))
	defer srv.Close()
	rs := addrOf(t, srv.URL)
	sc404, _ := ParseStatusCodes([]string{"404"})
	fast := Conn{ConnectTimeout: 300 * time.Millisecond}
	tests := []struct {
		name string
		opts HTTPOptions
		want string // "" = success, else substring of the error
	}{
		{"ok", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/ok"}}}, ""},
		{"digest ok", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/ok", Digest: md5hex("all good here")}}}, ""},
		{"digest wrong", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/ok", Digest: md5hex("other")}}}, "MD5 digest error"},
		{"status wrong", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/missing"}}}, "status code error: 404"},
		{"status list", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/missing", StatusCodes: sc404}}}, ""},
		{"all urls must pass", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/ok"}, {Path: "/missing"}}}, "url /missing"},
		{"regex", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/ok", Regex: "go+d"}}}, ""},
		{"regex caseless", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/ok", Regex: "ALL GOOD", RegexOptions: []string{"caseless"}}}}, ""},
		{"regex fails", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/ok", Regex: "bad"}}}, "regex match failed"},
		{"regex no match", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/ok", Regex: "bad", RegexNoMatch: true}}}, ""},
		{"regex min offset", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/ok", Regex: "all", RegexMinOffset: 1}}}, "regex match failed"},
		{"regex max offset", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/ok", Regex: "here", RegexMaxOffset: 5}}}, "regex match failed"},
		{"slow body", HTTPOptions{Conn: fast, URLs: []URL{{Path: "/slow"}}}, "timeout HTTP read"},
		{"http 1.1", HTTPOptions{Conn: fast, Protocol: HTTP11, URLs: []URL{{Path: "/ok", Digest: md5hex("all good here")}}}, ""},
		{"refused", HTTPOptions{Conn: Conn{ConnectTimeout: time.Second, ConnectPort: closedPort(t)}, URLs: []URL{{Path: "/ok"}}}, "refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewHTTP(rs, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			out := p.Probe(context.Background())
			if tc.want == "" && out.Err != nil {
				t.Fatalf("want success, got %v", out.Err)
			}
			if tc.want != "" && (out.Err == nil || !strings.Contains(out.Err.Error(), tc.want)) {
				t.Fatalf("want %q, got %v", tc.want, out.Err)
			}
		})
	}
	// The request carried keepalived's User-Agent and Host.
	var r *http.Request
	for len(reqs) > 0 {
		r = <-reqs
	}
	if r == nil || r.UserAgent() != "KeepAliveClient" || r.Host != rs.String() {
		t.Fatalf("request %+v", r)
	}
}

// closedPort returns a loopback port with nothing listening.
func closedPort(t *testing.T) uint16 {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return uint16(port)
}

func TestHTTPVirtualHost(t *testing.T) {
	reqs := make(chan *http.Request, 4)
	srv := httptest.NewServer(webHandler(reqs))
	defer srv.Close()
	p, err := NewHTTP(addrOf(t, srv.URL), HTTPOptions{VirtualHost: "vs.example", URLs: []URL{{Path: "/ok"}, {Path: "/ok", VirtualHost: "url.example"}}})
	if err != nil {
		t.Fatal(err)
	}
	if out := p.Probe(context.Background()); out.Err != nil {
		t.Fatal(out.Err)
	}
	if h := (<-reqs).Host; h != "vs.example" {
		t.Fatalf("host %q", h)
	}
	if h := (<-reqs).Host; h != "url.example" {
		t.Fatalf("url host %q", h)
	}
}

func TestSSLProber(t *testing.T) {
	srv := httptest.NewTLSServer(webHandler(nil))
	defer srv.Close()
	rs := addrOf(t, srv.URL)
	p, err := NewHTTP(rs, HTTPOptions{TLS: &TLSOptions{}, URLs: []URL{{Path: "/ok", Digest: md5hex("all good here")}}})
	if err != nil {
		t.Fatal(err)
	}
	if out := p.Probe(context.Background()); out.Err != nil {
		t.Fatalf("SSL_GET without verification: %v", out.Err)
	}

	// With a CA that did not sign the server certificate, the handshake fails.
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	writeCertPEM(t, ca, selfSigned(t))
	p, err = NewHTTP(rs, HTTPOptions{Conn: Conn{ConnectTimeout: time.Second}, TLS: &TLSOptions{CAFile: ca}, URLs: []URL{{Path: "/ok"}}})
	if err != nil {
		t.Fatal(err)
	}
	if out := p.Probe(context.Background()); out.Err == nil || !strings.Contains(out.Err.Error(), "SSL handshake") {
		t.Fatalf("want TLS failure, got %v", out.Err)
	}
	// With the right CA it verifies.
	good := filepath.Join(dir, "good.pem")
	writeCertPEM(t, good, srv.Certificate().Raw)
	p, _ = NewHTTP(rs, HTTPOptions{TLS: &TLSOptions{CAFile: good}, URLs: []URL{{Path: "/ok"}}})
	if out := p.Probe(context.Background()); out.Err != nil {
		t.Fatalf("verified SSL_GET: %v", out.Err)
	}
	// Plain HTTP against a TLS port fails as an HTTP error, TLS against plain HTTP as a handshake error.
	plain := httptest.NewServer(webHandler(nil))
	defer plain.Close()
	p, _ = NewHTTP(addrOf(t, plain.URL), HTTPOptions{Conn: Conn{ConnectTimeout: time.Second}, TLS: &TLSOptions{}, URLs: []URL{{Path: "/ok"}}})
	if out := p.Probe(context.Background()); out.Err == nil || !strings.Contains(out.Err.Error(), "SSL handshake") {
		t.Fatalf("TLS to plain server: %v", out.Err)
	}
}

func TestSSLSNI(t *testing.T) {
	var gotSNI = make(chan string, 4)
	srv := httptest.NewUnstartedServer(webHandler(nil))
	srv.StartTLS()
	srv.TLS.GetConfigForClient = nil
	defer srv.Close()
	// Capture the SNI with a wrapping listener-level config.
	base := srv.TLS.Clone()
	srv.TLS.GetConfigForClient = func(hi *tlsClientHello) (*tlsConfigT, error) {
		gotSNI <- hi.ServerName
		return base, nil
	}
	rs := addrOf(t, srv.URL)
	p, err := NewHTTP(rs, HTTPOptions{VirtualHost: "www.example", TLS: &TLSOptions{EnableSNI: true}, URLs: []URL{{Path: "/ok"}, {Path: "/ok", VirtualHost: "u.example"}}})
	if err != nil {
		t.Fatal(err)
	}
	if out := p.Probe(context.Background()); out.Err != nil {
		t.Fatal(out.Err)
	}
	if a, b := <-gotSNI, <-gotSNI; a != "www.example" || b != "u.example" {
		t.Fatalf("SNI %q %q", a, b)
	}
	p, _ = NewHTTP(rs, HTTPOptions{VirtualHost: "www.example", TLS: &TLSOptions{}, URLs: []URL{{Path: "/ok"}}})
	if out := p.Probe(context.Background()); out.Err != nil {
		t.Fatal(out.Err)
	}
	if a := <-gotSNI; a != "" {
		t.Fatalf("SNI sent without enable_sni: %q", a)
	}
}

func TestGenhash(t *testing.T) {
	srv := httptest.NewServer(webHandler(nil))
	defer srv.Close()
	rs := addrOf(t, srv.URL)
	var out bytes.Buffer
	err := Genhash(context.Background(), GenhashOptions{Server: rs.Addr(), Port: rs.Port(), URL: "/ok", Timeout: time.Second}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != md5hex("all good here")+"\n" {
		t.Fatalf("genhash output %q", out.String())
	}
	out.Reset()
	if err := Genhash(context.Background(), GenhashOptions{Server: rs.Addr(), Port: rs.Port(), URL: "/ok", Verbose: true}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "HTML hash final resulting") || !strings.HasSuffix(out.String(), md5hex("all good here")+"\n") {
		t.Fatalf("verbose output %q", out.String())
	}
	tsrv := httptest.NewTLSServer(webHandler(nil))
	defer tsrv.Close()
	trs := addrOf(t, tsrv.URL)
	out.Reset()
	if err := Genhash(context.Background(), GenhashOptions{Server: trs.Addr(), Port: trs.Port(), URL: "/ok", SSL: true, Timeout: time.Second}, &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != md5hex("all good here")+"\n" {
		t.Fatalf("genhash SSL output %q", out.String())
	}
	if err := Genhash(context.Background(), GenhashOptions{Server: rs.Addr()}, &out); err == nil {
		t.Fatal("missing port and url accepted")
	}
}

func TestRegexFlags(t *testing.T) {
	tests := []struct {
		in   []string
		want string
		err  bool
	}{
		{nil, "", false},
		{[]string{"caseless", "dotall"}, "(?is)", false},
		{[]string{"utf", "multiline", "ungreedy"}, "(?mU)", false},
		{[]string{"extended"}, "", true},
	}
	for _, tc := range tests {
		got, err := RegexFlags(tc.in)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("%v: got %q %v", tc.in, got, err)
		}
	}
}
