package packet

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

// TestChecksumModes builds one VRRPv3 IPv4 advert under every checksum setting and
// checks the stored checksum against an independent sum over the exact bytes
// each mode covers.
func TestChecksumModes(t *testing.T) {
	src, peer := addr("10.99.0.1"), addr("10.99.0.2")
	group := addr("224.0.0.42") // a configured vrrp_mcast_group4
	a := Advert{Version: 3, Type: 1, VRID: 44, Priority: 150, AdverInt: 100, Addrs: []netip.Addr{addr("10.99.0.101")}}
	ph := func(s, d netip.Addr) []byte {
		b := append(s.AsSlice(), d.AsSlice()...)
		return append(b, 0, ProtoVRRP, 0, 12)
	}
	tests := []struct {
		name   string
		s      IPv4Send
		pseudo []byte // nil: no pseudo-header
	}{
		{"multicast pseudo-header uses the group", IPv4Send{Src: src, Dst: Group4}, ph(src, Group4)},
		{"unicast pseudo-header uses the peer", IPv4Send{Src: src, Dst: peer, Unicast: true}, ph(src, peer)},
		{"v3_checksum_as_v2 has no pseudo-header", IPv4Send{Src: src, Dst: peer, Unicast: true, Checksum: ChecksumAsV2}, nil},
		{"old_unicast_checksum uses the default group", IPv4Send{Src: src, Dst: peer, Unicast: true, UnicastChecksum: UnicastChecksumOld}, ph(src, Group4)},
		{"old_unicast_checksum uses the configured group", IPv4Send{Src: src, Dst: peer, Unicast: true, UnicastChecksum: UnicastChecksumOld, Group: group}, ph(src, group)},
		{"old style is irrelevant for multicast", IPv4Send{Src: src, Dst: Group4, UnicastChecksum: UnicastChecksumOld, Group: Group4}, ph(src, Group4)},
		{"never behaves as the default when sending", IPv4Send{Src: src, Dst: peer, Unicast: true, UnicastChecksum: UnicastChecksumNever}, ph(src, peer)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := AppendIPv4Advert(nil, &a, &tt.s)
			if err != nil {
				t.Fatal(err)
			}
			msg := b[20:]
			if got := naiveSum(tt.pseudo, msg); got != 0xffff {
				t.Errorf("independent sum %#04x over pseudo %x + message %x, want 0xffff", got, tt.pseudo, msg)
			}
		})
	}
}

// TestChecksumV2 checks that a VRRPv2 checksum covers the auth data and nothing else.
func TestChecksumV2(t *testing.T) {
	pw, _ := Password("pw")
	a := Advert{Version: 2, Type: 1, VRID: 1, Priority: 200, AdverInt: 3, AuthType: AuthPass, AuthData: pw,
		Addrs: []netip.Addr{addr("198.51.100.1"), addr("198.51.100.2")}}
	b, err := AppendIPv4Advert(nil, &a, &IPv4Send{Src: addr("198.51.100.9"), Dst: Group4, TTL: 255})
	if err != nil {
		t.Fatal(err)
	}
	msg := b[20:]
	if len(msg) != 8+8+8 {
		t.Fatalf("message length %d", len(msg))
	}
	if naiveSum(msg) != 0xffff {
		t.Error("v2 checksum does not verify over message + auth data")
	}
	msg[len(msg)-1] ^= 1
	if VerifyAdvertChecksum(msg, PseudoHeader{}) {
		t.Error("auth data is not covered by the checksum")
	}
}

// TestChecksumIPv6 checks the IPv6 pseudo-header (RFC 8200 §8.1) against a hand-built one.
func TestChecksumIPv6(t *testing.T) {
	src, dst := addr("fe80::1"), Group6
	a := Advert{Version: 3, Type: 1, VRID: 43, Priority: 150, AdverInt: 100,
		Addrs: []netip.Addr{addr("fe80::100"), addr("2001:db8::100")}}
	b, err := AppendIPv6Advert(nil, &a, PseudoHeader{Src: src, Dst: dst})
	if err != nil {
		t.Fatal(err)
	}
	ph := append(src.AsSlice(), dst.AsSlice()...)
	ph = binary.BigEndian.AppendUint32(ph, uint32(len(b)))
	ph = append(ph, 0, 0, 0, ProtoVRRP)
	if naiveSum(ph, b) != 0xffff {
		t.Errorf("IPv6 checksum %#04x does not verify independently", binary.BigEndian.Uint16(b[6:]))
	}
	if !VerifyAdvertChecksum(b, PseudoHeader{Src: src, Dst: dst}) {
		t.Error("VerifyAdvertChecksum rejected it")
	}
	// Without a pseudo-header the field is left for the kernel (IPV6_CHECKSUM).
	k, err := AppendIPv6Advert(nil, &a, PseudoHeader{})
	if err != nil {
		t.Fatal(err)
	}
	if k[6] != 0 || k[7] != 0 {
		t.Errorf("kernel-checksum advert carries %x", k[6:8])
	}
}

func TestInternetChecksumOddLength(t *testing.T) {
	b := []byte{0x12, 0x34, 0x56}
	if got, want := InternetChecksum(b), ^naiveSum(b); got != want {
		t.Errorf("got %#04x want %#04x", got, want)
	}
	if got := AdvertChecksum([]byte{1, 2, 3}, PseudoHeader{}); got != ^naiveSum([]byte{1, 2, 3}) {
		t.Errorf("short message checksum %#04x", got)
	}
}

func TestIPv4HeaderCodec(t *testing.T) {
	h := IPv4Header{TOS: 0xc0, TotalLen: 44, ID: 9, TTL: 255, Protocol: ProtoVRRP,
		Src: addr("203.0.113.1"), Dst: Group4, Options: []byte{1, 1, 1, 0}}
	b, err := h.AppendMarshal(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 24 || b[0] != 0x46 {
		t.Fatalf("header %x", b)
	}
	var g IPv4Header
	n, err := g.Unmarshal(b)
	if err != nil || n != 24 {
		t.Fatalf("unmarshal: %d %v", n, err)
	}
	if g.TOS != h.TOS || g.TotalLen != h.TotalLen || g.ID != h.ID || g.TTL != h.TTL || g.Protocol != h.Protocol ||
		g.Src != h.Src || g.Dst != h.Dst || string(g.Options) != string(h.Options) {
		t.Errorf("round trip %+v, want %+v", g, h)
	}
	for _, bad := range []IPv4Header{
		{Src: addr("203.0.113.1"), Dst: Group4, Options: []byte{1}},
		{Src: addr("2001:db8::1"), Dst: Group4},
	} {
		if _, err := bad.AppendMarshal(nil); err == nil {
			t.Errorf("marshal %+v: no error", bad)
		}
	}
	for _, bad := range [][]byte{b[:19], append([]byte{0x65}, b[1:]...), append([]byte{0x44}, b[1:]...), append([]byte{0x4f}, b[1:]...)} {
		if _, err := g.Unmarshal(bad); err == nil {
			t.Errorf("unmarshal %x: no error", bad)
		}
	}
}

func TestIPID(t *testing.T) {
	var c IPID
	if c.Next() != 1 || c.Next() != 2 {
		t.Fatal("counter does not start at 1")
	}
	c.n = 0xfffe
	if got := []uint16{c.Next(), c.Next(), c.Next()}; got[0] != 0xffff || got[1] != 1 || got[2] != 2 {
		t.Errorf("wrap %v, want [65535 1 2]", got)
	}
}
