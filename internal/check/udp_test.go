package check

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestParseReplyPattern(t *testing.T) {
	tests := []struct {
		pat   string
		reply string
		match bool
		err   bool
	}{
		{"0102", "\x01\x02", true, false},
		{"0102", "\x01\x02\x03", true, false},
		{"0102", "\x01", true, false},
		{"0102", "\x02", false, false},
		{"01X2", "\x01\xa2", true, false},
		{"01X2", "\x01\xa3", false, false},
		{"x1 0a", "\xf1\x0a", true, false},
		{"XX", "\x00", true, false},
		{"0G", "", false, true},
		{"012", "", false, true},
	}
	for _, tc := range tests {
		p, err := ParseReplyPattern(tc.pat)
		if (err != nil) != tc.err {
			t.Errorf("%q: err %v", tc.pat, err)
			continue
		}
		if err == nil && p.Match([]byte(tc.reply)) != tc.match {
			t.Errorf("%q vs % x: want %v", tc.pat, tc.reply, tc.match)
		}
	}
	if b, err := ParseHexPayload("de ad BE EF"); err != nil || !bytes.Equal(b, []byte{0xde, 0xad, 0xbe, 0xef}) {
		t.Fatalf("payload %x %v", b, err)
	}
	if _, err := ParseHexPayload("0X"); err == nil {
		t.Fatal("wildcard payload accepted")
	}
}

func FuzzParseReplyPattern(f *testing.F) {
	f.Add("01X2", []byte{1, 0xa2})
	f.Add("xxxx", []byte{})
	f.Add("zz", []byte{1})
	f.Fuzz(func(t *testing.T, pat string, reply []byte) {
		p, err := ParseReplyPattern(pat)
		if err != nil {
			return
		}
		// Only the overlap is compared: extending the reply never turns a
		// match of the overlap into a mismatch of it.
		if p.Match(reply) != p.Match(reply[:min(len(reply), p.Len())]) {
			t.Fatal("bytes beyond the pattern changed the result")
		}
		// A pattern built from the reply's own hex always matches it.
		if len(reply) > 0 {
			q, err := ParseReplyPattern(strings.ToUpper(hexOf(reply)))
			if err != nil || !q.Match(reply) {
				t.Fatalf("self pattern: %v", err)
			}
		}
	})
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// udpEcho echoes (or, with silent, swallows) datagrams on loopback.
func udpEcho(t *testing.T, silent bool, reply []byte) netip.AddrPort {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if silent {
				continue
			}
			if reply != nil {
				pc.WriteTo(reply, from)
			} else {
				pc.WriteTo(buf[:n], from)
			}
		}
	}()
	return netip.MustParseAddrPort(pc.LocalAddr().String())
}

// closedUDPPort returns a loopback UDP port with no socket (ICMP port unreachable).
func closedUDPPort(t *testing.T) netip.AddrPort {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := netip.MustParseAddrPort(pc.LocalAddr().String())
	pc.Close()
	return a
}

func TestUDPProber(t *testing.T) {
	pat, _ := ParseReplyPattern("C0FFXX")
	fast := Conn{ConnectTimeout: 200 * time.Millisecond}
	tests := []struct {
		name string
		addr netip.AddrPort
		opts UDPOptions
		want string
	}{
		{"echo, no reply required", udpEcho(t, false, nil), UDPOptions{Conn: fast}, ""},
		{"silence ok without require_reply", udpEcho(t, true, nil), UDPOptions{Conn: fast}, ""},
		{"icmp unreachable", closedUDPPort(t), UDPOptions{Conn: fast}, "refused"},
		{"icmp unreachable with require_reply", closedUDPPort(t), UDPOptions{Conn: fast, RequireReply: true}, "refused"},
		{"no reply", udpEcho(t, true, nil), UDPOptions{Conn: fast, RequireReply: true}, "no reply"},
		{"pattern match", udpEcho(t, false, nil), UDPOptions{Conn: fast, Payload: []byte{0xc0, 0xff, 0xee}, RequireReply: true, ReplyPattern: pat}, ""},
		{"pattern mismatch", udpEcho(t, false, []byte{0xc0, 0xfe, 0}), UDPOptions{Conn: fast, RequireReply: true, ReplyPattern: pat}, "does not match"},
		{"too short", udpEcho(t, false, []byte{1}), UDPOptions{Conn: fast, RequireReply: true, MinReplyLength: 2}, "length 1"},
		{"too long", udpEcho(t, false, bytes.Repeat([]byte{1}, 300)), UDPOptions{Conn: fast, RequireReply: true}, "length 300"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := NewUDP(tc.addr, tc.opts).Probe(context.Background())
			if tc.want == "" && out.Err != nil {
				t.Fatal(out.Err)
			}
			if tc.want != "" && (out.Err == nil || !strings.Contains(out.Err.Error(), tc.want)) {
				t.Fatalf("want %q got %v", tc.want, out.Err)
			}
		})
	}
}

func TestTCPProber(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	rs := netip.MustParseAddrPort(l.Addr().String())
	if out := NewTCP(rs, Conn{}).Probe(context.Background()); out.Err != nil {
		t.Fatal(out.Err)
	}
	// connect_port overrides the real server's port; bindto/bind_port set the source.
	if out := NewTCP(rs, Conn{ConnectPort: closedPort(t)}).Probe(context.Background()); out.Err == nil || !strings.Contains(out.Err.Error(), "refused") {
		t.Fatalf("refused: %v", out.Err)
	}
	src := closedPort(t)
	if out := NewTCP(rs, Conn{BindTo: netip.MustParseAddr("127.0.0.2"), BindPort: src}).Probe(context.Background()); out.Err != nil {
		t.Fatalf("bindto: %v", out.Err)
	}
	// Cancelling the context aborts a probe (the timeout case runs in the netns test).
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if out := NewTCP(rs, Conn{}).Probe(ctx); out.Err == nil {
		t.Fatal("cancelled probe passed")
	}
}
