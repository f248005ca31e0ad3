package check

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// dnsResponder answers every query on loopback UDP per mode.
func dnsResponder(t *testing.T, mode string) netip.AddrPort {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var p dnsmessage.Parser
			h, err := p.Start(buf[:n])
			if err != nil {
				continue
			}
			q, _ := p.Question()
			if mode == "silent" {
				continue
			}
			rh := dnsmessage.Header{ID: h.ID, Response: true, RecursionDesired: h.RecursionDesired}
			switch mode {
			case "nxdomain":
				rh.RCode = dnsmessage.RCodeNameError
			case "noqr":
				rh.Response = false
			case "wrongid":
				rh.ID = h.ID + 1
			}
			if !h.RecursionDesired || q.Type != dnsmessage.TypeSOA || q.Name.String() != "example.org." {
				rh.RCode = dnsmessage.RCodeRefused
			}
			b := dnsmessage.NewBuilder(nil, rh)
			b.StartQuestions()
			b.Question(q)
			out, _ := b.Finish()
			pc.WriteTo(out, from)
		}
	}()
	return netip.MustParseAddrPort(pc.LocalAddr().String())
}

func TestDNSProber(t *testing.T) {
	tests := []struct{ mode, want string }{
		{"ok", ""},
		{"nxdomain", "RCODE=RCodeNameError"},
		{"noqr", "timeout"},
		{"wrongid", "timeout"},
		{"silent", "timeout"},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			addr := dnsResponder(t, tc.mode)
			p, err := NewDNS(addr, DNSOptions{Conn: Conn{ConnectTimeout: 200 * time.Millisecond}, Name: "example.org"})
			if err != nil {
				t.Fatal(err)
			}
			out := p.Probe(context.Background())
			if tc.want == "" && out.Err != nil {
				t.Fatal(out.Err)
			}
			if tc.want != "" && (out.Err == nil || !strings.Contains(out.Err.Error(), tc.want)) {
				t.Fatalf("want %q got %v", tc.want, out.Err)
			}
		})
	}
}

func TestNewDNSDefaults(t *testing.T) {
	p, err := NewDNS(netip.MustParseAddrPort("198.51.100.5:0"), DNSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Target.Port() != 53 || p.qtype != dnsmessage.TypeSOA || p.name.String() != "." {
		t.Fatalf("%+v", p)
	}
	if _, err := NewDNS(netip.MustParseAddrPort("198.51.100.5:53"), DNSOptions{Type: "PTRX"}); err == nil {
		t.Fatal("bad type accepted")
	}
	q, err := p.BuildDNSQuery(0x1234)
	if err != nil {
		t.Fatal(err)
	}
	// RFC 1035 §4.1.1: ID, flags with only RD (0x0100), QDCOUNT 1.
	if q[0] != 0x12 || q[1] != 0x34 || q[2] != 0x01 || q[3] != 0x00 || q[5] != 1 {
		t.Fatalf("header % x", q[:12])
	}
}

func FuzzCheckDNSReply(f *testing.F) {
	f.Add([]byte{0x12, 0x34, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0}, uint16(0x1234))
	f.Add([]byte{0x12, 0x34, 0x81, 0x83, 0, 0, 0, 0, 0, 0, 0, 0}, uint16(0x1234))
	f.Fuzz(func(t *testing.T, b []byte, id uint16) {
		err := CheckDNSReply(b, id)
		if err == nil && (len(b) < 12 || b[0] != byte(id>>8) || b[1] != byte(id) || b[2]&0x80 == 0 || b[3]&0x0f != 0) {
			t.Fatalf("accepted % x for id %x", b, id)
		}
	})
}
