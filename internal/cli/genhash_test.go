package cli

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/check"
)

// genhashServer serves a fixed body on /page and 404 elsewhere, recording the Host headers.
func genhashServer(t *testing.T, tls bool) (*httptest.Server, string, []string) {
	t.Helper()
	body := "<html>gokeepalived genhash test</html>\n"
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/page" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("X-Host", r.Host)
		_, _ = w.Write([]byte(body))
	})
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	ap := netip.MustParseAddrPort(srv.Listener.Addr().String())
	sum := md5.Sum([]byte(body))
	return srv, hex.EncodeToString(sum[:]), []string{ap.Addr().String(), strconv.Itoa(int(ap.Port()))}
}

func TestGenhashAgainstServer(t *testing.T) {
	_, digest, hp := genhashServer(t, false)
	// keepalived's genhash hashes whatever body comes back; the status code is not checked.
	nf := md5.Sum([]byte("404 page not found\n"))
	notFound := hex.EncodeToString(nf[:]) + "\n"
	_, tlsDigest, tlsHP := genhashServer(t, true)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // exact, or prefix when verbose
		stderr string // substring
	}{
		{"short", []string{"-T", "-s", hp[0], "-p", hp[1], "-u", "/page"}, 0, digest + "\n", ""},
		{"long and attached", []string{"--genhash", "--server=" + hp[0], "--port", hp[1], "-u/page", "-P", "1.1", "-t", "5"}, 0, digest + "\n", ""},
		{"long prefix", []string{"-T", "--serv", hp[0], "--po=" + hp[1], "--url", "/page", "--use-v", "www.example", "-H", "md5"}, 0, digest + "\n", ""},
		{"ssl", []string{"-T", "-S", "-s", tlsHP[0], "-p", tlsHP[1], "-u", "/page", "-I", "-V", "example.com"}, 0, tlsDigest + "\n", ""},
		{"not first", []string{"-l", "-T", "-s", hp[0], "-p", hp[1], "-u", "/page"}, 0, digest + "\n", "Warning -- `-T` not used as first option, previous options ignored"},
		{"404 is hashed too", []string{"-T", "-s", hp[0], "-p", hp[1], "-u", "/missing"}, 0, notFound, ""},
		{"refused fails", []string{"-T", "-s", "127.0.0.1", "-p", closedPort(t), "-u", "/page", "-t", "2"}, 1, "", "genhash: "},
		{"alone", []string{"-T"}, 1, "", "Usage: gokeepalived --genhash COMMAND [OPTIONS]"},
		{"help", []string{"-T", "-h"}, 0, "", "--use-ssl         -S"},
		{"missing url", []string{"-T", "-s", hp[0], "-p", hp[1]}, 1, "", "server (-s), port (-p) and url (-u) are required"},
		{"name not ip", []string{"-T", "-s", "localhost", "-p", "80", "-u", "/"}, 1, "", "server should be an IP, not localhost"},
		{"bad port", []string{"-T", "-s", hp[0], "-p", "0", "-u", "/"}, 1, "", "invalid port number '0'"},
		{"bad protocol", []string{"-T", "-s", hp[0], "-p", "80", "-u", "/", "-P", "2"}, 1, "", "invalid HTTP protocol version '2'"},
		{"bad timeout", []string{"-T", "-s", hp[0], "-p", "80", "-u", "/", "-t", "-1"}, 1, "", "invalid timeout '-1'"},
		{"bad fwmark", []string{"-T", "-s", hp[0], "-p", "80", "-u", "/", "-m", "x"}, 1, "", "invalid fwmark 'x'"},
		{"bad hash", []string{"-T", "-s", hp[0], "-p", "80", "-u", "/", "-H", "sha1"}, 1, "", "only md5"},
		{"operand", []string{"-T", "-s", hp[0], "-p", "80", "-u", "/", "extra"}, 1, "", "Unexpected argument(s): extra"},
		{"unknown", []string{"-T", "-Z"}, 1, "", "invalid option -- 'Z'"},
		{"ambiguous", []string{"-T", "--use", "x"}, 1, "", "option '--use' is ambiguous"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Run(tt.args, Env{Stdout: &out, Stderr: &errOut, ConfigID: func() string { return "n" }})
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, errOut.String())
			}
			if out.String() != tt.stdout {
				t.Errorf("stdout %q, want %q", out.String(), tt.stdout)
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", errOut.String(), tt.stderr)
			}
		})
	}
}

func TestGenhashVerbose(t *testing.T) {
	_, digest, hp := genhashServer(t, false)
	var out, errOut bytes.Buffer
	if code := Run([]string{"-T", "-v", "-s", hp[0], "-p", hp[1], "-u", "/page", "-V", "vh.example"}, Env{Stdout: &out, Stderr: &errOut}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	s := out.String()
	if !strings.Contains(s, "HTTP Header Ascii Buffer") || !strings.Contains(s, "X-Host: vh.example") || !strings.HasSuffix(s, digest+"\n") {
		t.Errorf("verbose output:\n%s", s)
	}
}

func TestParseGenhash(t *testing.T) {
	o, err := parseGenhash([]string{"-vSIs", "2001:db8::1", "-p443", "-u", "/x", "-m", "7", "-t", "3", "-P", "1.0c", "-V", "h"})
	if err != nil {
		t.Fatal(err)
	}
	want := check.GenhashOptions{Server: netip.MustParseAddr("2001:db8::1"), Port: 443, URL: "/x", SSL: true, SNI: true,
		VirtualHost: "h", Protocol: check.HTTP10C, FWMark: 7, Timeout: 3 * time.Second, Verbose: true}
	if o != want {
		t.Errorf("got %+v\nwant %+v", o, want)
	}
}

func FuzzParseGenhash(f *testing.F) {
	for _, s := range []string{"-s 198.51.100.1 -p 80 -u /", "--server=::1 --port 8080 --url /x -S -I -V h", "-vSIs ::1 -p1 -u/", "--use", "-t", "-- x", "-m 4294967296"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := parseGenhash(strings.Fields(s))
		if err == nil && (!o.Server.IsValid() || o.Port == 0 || o.URL == "") {
			t.Fatalf("accepted %q without server, port and url: %+v", s, o)
		}
	})
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}
