package check

import (
	"bufio"
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestParseSMTPReply(t *testing.T) {
	tests := []struct {
		in   string
		code int
		done bool
		err  bool
	}{
		{"220 mail ESMTP\r\n", 220, true, false},
		{"220\r\n", 220, true, false},
		{"250-mail\r\n250-SIZE 1000\r\n250 HELP\r\n", 250, true, false},
		{"250-mail\r\n", 250, false, false},
		{"250 partial", 0, false, false},
		{"250-a\r\n251 b\r\n", 0, false, true},
		{"abc def\r\n", 0, false, true},
		{"25\r\n", 0, false, true},
		{"250xtext\r\n", 0, false, true},
		{"-25 x\r\n", 0, false, true},
		{"999 x\r\n", 0, false, true},
	}
	for _, tc := range tests {
		code, done, err := ParseSMTPReply([]byte(tc.in))
		if code != tc.code || done != tc.done || (err != nil) != tc.err {
			t.Errorf("%q: got %d %v %v", tc.in, code, done, err)
		}
	}
}

func FuzzParseSMTPReply(f *testing.F) {
	for _, s := range []string{"220 ok\r\n", "250-a\r\n250 b\r\n", "421 bye\n", "250-x\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		code, done, err := ParseSMTPReply(b)
		if err == nil && done && (code < 200 || code > 599) {
			t.Fatalf("done with code %d", code)
		}
	})
}

// smtpServer runs a scripted SMTP dialogue on loopback and records what the
// client sent.
func smtpServer(t *testing.T, banner, heloReply string, stall bool, quitReply ...string) (netip.AddrPort, <-chan string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	got := make(chan string, 4)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				if stall {
					time.Sleep(2 * time.Second)
					return
				}
				c.Write([]byte(banner))
				r := bufio.NewReader(c)
				line, _ := r.ReadString('\n')
				got <- line
				c.Write([]byte(heloReply))
				line, _ = r.ReadString('\n')
				got <- line
				if len(quitReply) == 0 {
					c.Write([]byte("221 bye\r\n"))
				}
			}(c)
		}
	}()
	return netip.MustParseAddrPort(l.Addr().String()), got
}

func TestSMTPProber(t *testing.T) {
	tests := []struct {
		name, banner, helo string
		stall              bool
		want               string
	}{
		{"ok", "220 mail ESMTP\r\n", "250 hello\r\n", false, ""},
		{"multiline", "220-mail\r\n220 ESMTP\r\n", "250-hello\r\n250 SIZE\r\n", false, ""},
		{"busy", "421 busy\r\n", "", false, "got 421"},
		{"helo refused", "220 ok\r\n", "550 no\r\n", false, "got 550"},
		{"garbage", "HTTP/1.0 400\r\n", "", false, "malformed"},
		{"timeout", "", "", true, "timeout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, got := smtpServer(t, tc.banner, tc.helo, tc.stall)
			ps := NewSMTP(addr, SMTPOptions{Conn: Conn{ConnectTimeout: 300 * time.Millisecond}})
			if len(ps) != 1 || ps[0].Helo != DefaultSMTPHelo {
				t.Fatalf("probers %+v", ps)
			}
			out := ps[0].Probe(context.Background())
			if tc.want == "" {
				if out.Err != nil {
					t.Fatal(out.Err)
				}
				if h, q := <-got, <-got; h != "HELO smtpchecker.keepalived.org\r\n" || q != "QUIT\r\n" {
					t.Fatalf("dialogue %q %q", h, q)
				}
				return
			}
			if out.Err == nil || !strings.Contains(out.Err.Error(), tc.want) {
				t.Fatalf("want %q, got %v", tc.want, out.Err)
			}
		})
	}
}

func TestSMTPNoQuitReply(t *testing.T) {
	addr, _ := smtpServer(t, "220 ok\r\n", "250 ok\r\n", false, "none")
	ps := NewSMTP(addr, SMTPOptions{Conn: Conn{ConnectTimeout: 300 * time.Millisecond}})
	if out := ps[0].Probe(context.Background()); out.Err == nil || !strings.Contains(out.Err.Error(), "QUIT") {
		t.Fatalf("want QUIT failure, got %v", out.Err)
	}
}

func TestSMTPHosts(t *testing.T) {
	a, _ := smtpServer(t, "220 a\r\n", "250 a\r\n", false)
	ps := NewSMTP(netip.MustParseAddrPort("198.51.100.10:0"), SMTPOptions{HeloName: "me.example", Hosts: []Conn{
		{ConnectIP: a.Addr(), ConnectPort: a.Port()},
		{ConnectIP: netip.MustParseAddr("127.0.0.1"), ConnectPort: closedPort(t)},
		{ConnectIP: netip.MustParseAddr("127.0.0.1")},
	}})
	if len(ps) != 3 || ps[2].Target.Port() != 25 || ps[0].Helo != "me.example" {
		t.Fatalf("probers %+v", ps)
	}
	if out := ps[0].Probe(context.Background()); out.Err != nil {
		t.Fatal(out.Err)
	}
	if out := ps[1].Probe(context.Background()); out.Err == nil {
		t.Fatal("refused host passed")
	}
}
