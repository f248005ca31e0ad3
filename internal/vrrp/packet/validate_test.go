package packet

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"testing"
	"time"
)

// scenario is one received packet and the instance that receives it.
type scenario struct {
	a    Advert
	s    IPv4Send
	p    Params
	post []func([]byte) []byte // byte edits after framing, applied in order
}

// base2 is a VRRPv2 multicast instance (VRID 42, 1 s, VIP 10.99.0.100) and a valid
// advert for it from 10.99.0.1, as in the reference capture.
func base2() scenario {
	vips := []netip.Addr{addr("10.99.0.100")}
	return scenario{
		a: Advert{Version: 2, Type: 1, VRID: 42, Priority: 150, AdverInt: 1, Addrs: vips},
		s: IPv4Send{Src: addr("10.99.0.1"), Dst: Group4, TTL: 255, ID: 1},
		p: Params{Version: 2, Family: IPv4, VRID: 42, Priority: 100, AdverInt: time.Second, VIPs: vips, CheckVIPs: true},
	}
}

// base3u is a VRRPv3 unicast instance receiving from its peer 10.99.0.1.
func base3u() scenario {
	vips := []netip.Addr{addr("10.99.0.101")}
	return scenario{
		a: Advert{Version: 3, Type: 1, VRID: 44, Priority: 150, AdverInt: 100, Addrs: vips},
		s: IPv4Send{Src: addr("10.99.0.1"), Dst: addr("10.99.0.2"), TTL: 255, ID: 1, Unicast: true},
		p: Params{Version: 3, Family: IPv4, VRID: 44, Priority: 100, AdverInt: time.Second, VIPs: vips, CheckVIPs: true,
			Peers: []Peer{{Addr: addr("10.99.0.1")}}, CheckUnicastSrc: true},
	}
}

func (sc scenario) bytes(t testing.TB) []byte {
	t.Helper()
	b, err := AppendIPv4Advert(nil, &sc.a, &sc.s)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sc.post {
		b = f(b)
	}
	return b
}

func setTotLen(n int) func([]byte) []byte {
	return func(b []byte) []byte { binary.BigEndian.PutUint16(b[2:], uint16(n)); return b }
}

// flipChecksum corrupts the VRRP checksum of a datagram without AH.
func flipChecksum(b []byte) []byte { b[27] ^= 0xff; return b }

// fault is one thing wrong with a packet, detected by Validate as reason.
type fault struct {
	reason DropReason
	apply  func(*scenario)
}

// v2Faults are independent faults of the v2 multicast scenario, in check order.
var v2Faults = []fault{
	{DropLength, func(s *scenario) { s.post = append(s.post, func(b []byte) []byte { return b[:len(b)-4] }) }},
	{DropTTL, func(s *scenario) { s.s.TTL = 254 }},
	{DropVersion, func(s *scenario) { s.a.Version = 3 }},
	{DropAuthTypeInvalid, func(s *scenario) { s.a.AuthType = 7 }},
	{DropIntervalMismatch, func(s *scenario) { s.a.AdverInt = 2 }},
	{DropType, func(s *scenario) { s.a.Type = 2 }},
	{DropIPLength, func(s *scenario) { s.post = append([]func([]byte) []byte{setTotLen(39)}, s.post...) }},
	{DropChecksum, func(s *scenario) { s.post = append([]func([]byte) []byte{flipChecksum}, s.post...) }},
	{DropCastMismatch, func(s *scenario) { s.s.Dst = addr("10.99.0.2") }},
	{DropOwnerIgnore, func(s *scenario) { s.p.Priority = 255; s.p.OwnerIgnoreAdverts = true }},
	{DropVIPCount, func(s *scenario) {
		s.p.RejectVIPMismatch = true
		s.p.VIPs = []netip.Addr{addr("10.99.0.100"), addr("10.99.0.7")}
	}},
}

// TestValidateOrder applies every pair of faults and expects the one keepalived
// checks first, which proves the order of vrrp_check_packet() pairwise.
func TestValidateOrder(t *testing.T) {
	for i, f := range v2Faults {
		sc := base2()
		f.apply(&sc)
		var a Advert
		if got := Validate(&sc.p, sc.bytes(t), nil, &a); got.Drop != f.reason {
			t.Errorf("single fault %v: got %v", f.reason, got.Drop)
		}
		for _, g := range v2Faults[i+1:] {
			sc := base2()
			g.apply(&sc)
			f.apply(&sc)
			if got := Validate(&sc.p, sc.bytes(t), nil, &a); got.Drop != f.reason {
				t.Errorf("faults %v + %v: got %v, want %v", f.reason, g.reason, got.Drop, f.reason)
			}
		}
	}
}

func TestValidateCases(t *testing.T) {
	key, _ := Password("secret")
	wrong, _ := Password("wrong")
	ah := func(s *scenario) {
		s.a.AuthType = AuthAH
		s.p.AuthType = AuthAH
		s.p.AuthData = key
		s.s.AHKey = key
		s.s.AHSeq = 10
	}
	tests := []struct {
		name   string
		base   func() scenario
		edit   func(*scenario)
		want   Result
		replay *Replay
	}{
		{"v2 accepted", base2, func(*scenario) {}, Result{}, nil},
		{"v3 unicast accepted", base3u, func(*scenario) {}, Result{}, nil},
		{"too short", base2, func(s *scenario) { s.post = append(s.post, func(b []byte) []byte { return b[:26] }) }, Result{Drop: DropTooShort}, nil},
		{"too short for IP", base2, func(s *scenario) { s.post = append(s.post, func(b []byte) []byte { return b[:12] }) }, Result{Drop: DropTooShort}, nil},
		{"IHL beyond packet", base2, func(s *scenario) {
			s.post = append(s.post, func(b []byte) []byte { b[0] = 0x4f; return b[:30] })
		}, Result{Drop: DropTooShort}, nil},
		{"IP version 6", base2, func(s *scenario) { s.post = append(s.post, func(b []byte) []byte { b[0] = 0x65; return b }) }, Result{Drop: DropIPHeader}, nil},
		{"protocol TCP", base2, func(s *scenario) { s.post = append(s.post, func(b []byte) []byte { b[9] = 6; return b }) }, Result{Drop: DropIPHeader}, nil},
		{"AH truncated", base2, func(s *scenario) {
			ah(s)
			s.post = append(s.post, func(b []byte) []byte { return b[:40] })
		}, Result{Drop: DropTooShort}, nil},
		{"other VRID", base2, func(s *scenario) { s.a.VRID = 43 }, Result{Drop: DropVRID}, nil},
		{"AH expected, none sent", base2, func(s *scenario) { s.p.AuthType = AuthAH }, Result{Drop: DropAHMismatch}, nil},
		{"AH sent, not expected", base2, func(s *scenario) { ah(s); s.p.AuthType = AuthNone }, Result{Drop: DropAHMismatch}, nil},
		{"padding after datagram tolerated", base2, func(s *scenario) {
			s.post = append(s.post, func(b []byte) []byte { return append(b, 0, 0, 0, 0, 0, 0) })
		}, Result{}, nil},
		{"tot_len covering padding", base2, func(s *scenario) {
			s.post = append(s.post, func(b []byte) []byte { return append(b, 0, 0, 0, 0) }, setTotLen(44))
		}, Result{Drop: DropIPLength}, nil},
		{"unicast ignores TTL 255 rule", base3u, func(s *scenario) { s.s.TTL = 64 }, Result{}, nil},
		{"PASS accepted", base2, func(s *scenario) {
			s.a.AuthType, s.a.AuthData = AuthPass, key
			s.p.AuthType, s.p.AuthData = AuthPass, key
		}, Result{}, nil},
		{"PASS wrong", base2, func(s *scenario) {
			s.a.AuthType, s.a.AuthData = AuthPass, wrong
			s.p.AuthType, s.p.AuthData = AuthPass, key
		}, Result{Drop: DropAuthPass}, nil},
		{"PASS sent, NONE configured", base2, func(s *scenario) { s.a.AuthType, s.a.AuthData = AuthPass, key }, Result{Drop: DropAuthTypeMismatch}, nil},
		{"PASS wrong beats interval", base2, func(s *scenario) {
			s.a.AuthType, s.a.AuthData, s.a.AdverInt = AuthPass, wrong, 5
			s.p.AuthType, s.p.AuthData = AuthPass, key
		}, Result{Drop: DropAuthPass}, nil},
		{"AH accepted", base2, ah, Result{}, &Replay{}},
		{"AH accepted without replay state", base2, ah, Result{}, nil},
		{"AH wrong key", base2, func(s *scenario) { ah(s); s.s.AHKey = wrong }, Result{Drop: DropAHICV}, nil},
		{"AH payload altered", base2, func(s *scenario) {
			ah(s)
			s.post = append(s.post, func(b []byte) []byte { b[len(b)-9] ^= 1; return b })
		}, Result{Drop: DropAHICV}, nil},
		{"AH mutable TOS and TTL ignored (multicast TTL still 255)", base2, func(s *scenario) {
			ah(s)
			s.post = append(s.post, func(b []byte) []byte { b[1] = 0; b[10] ^= 0xff; return b })
		}, Result{}, nil},
		{"AH next header", base2, func(s *scenario) {
			ah(s)
			s.post = append(s.post, func(b []byte) []byte { b[20] = 6; return b })
		}, Result{Drop: DropAHNextHeader}, nil},
		{"AH SPI not source", base2, func(s *scenario) {
			ah(s)
			s.post = append(s.post, func(b []byte) []byte {
				b[27] ^= 1
				icv, _ := ComputeICV(b[:20], b[20:44], b[44:], key, false)
				copy(b[32:44], icv[:])
				return b
			})
		}, Result{Drop: DropAHSPI}, nil},
		{"AH replayed", base2, ah, Result{Drop: DropAHReplay}, &Replay{last: 10}},
		{"AH over v2 interval", base2, func(s *scenario) { ah(s); s.a.AdverInt = 3 }, Result{Drop: DropIntervalMismatch}, &Replay{}},
		{"v3 interval only flagged", base3u, func(s *scenario) { s.a.AdverInt = 50 }, Result{IntervalMismatch: true}, nil},
		{"VIP count flagged (2.3.3+)", base2, func(s *scenario) { s.a.Addrs = nil }, Result{VIPMismatch: true}, nil},
		{"VIP set flagged (2.3.3+)", base2, func(s *scenario) { s.a.Addrs = []netip.Addr{addr("10.99.0.99")} }, Result{VIPMismatch: true}, nil},
		{"VIP set dropped (<=2.3.2)", base2, func(s *scenario) {
			s.a.Addrs = []netip.Addr{addr("10.99.0.99")}
			s.p.RejectVIPMismatch = true
		}, Result{Drop: DropVIPMismatch}, nil},
		{"VIP check skipped", base2, func(s *scenario) { s.a.Addrs = nil; s.p.CheckVIPs = false }, Result{}, nil},
		{"unicast instance gets multicast", base3u, func(s *scenario) { s.s.Dst = Group4; s.s.Unicast = false }, Result{Drop: DropCastMismatch}, nil},
		{"unicast source not a peer", base3u, func(s *scenario) { s.p.Peers = []Peer{{Addr: addr("10.99.0.3")}} }, Result{Drop: DropUnicastSource}, nil},
		{"unicast source unchecked", base3u, func(s *scenario) {
			s.p.Peers = []Peer{{Addr: addr("10.99.0.3")}}
			s.p.CheckUnicastSrc = false
		}, Result{}, nil},
		{"unicast TTL below min", base3u, func(s *scenario) { s.s.TTL = 9; s.p.Peers[0].MinTTL = 10 }, Result{Drop: DropUnicastTTL}, nil},
		{"unicast TTL above max", base3u, func(s *scenario) { s.s.TTL = 200; s.p.Peers[0].MaxTTL = 100 }, Result{Drop: DropUnicastTTL}, nil},
		{"unicast TTL in range", base3u, func(s *scenario) { s.s.TTL = 50; s.p.Peers[0].MinTTL, s.p.Peers[0].MaxTTL = 10, 100 }, Result{}, nil},
		{"VIP mismatch flag then unicast source drop", base3u, func(s *scenario) {
			s.a.Addrs = nil
			s.p.Peers = []Peer{{Addr: addr("10.99.0.3")}}
		}, Result{Drop: DropUnicastSource}, nil},
		// VRRPv3 IPv4 checksum settings (reference §6.4).
		{"v3 as_v2 sent, pseudo-header expected", base3u, func(s *scenario) { s.s.Checksum = ChecksumAsV2 }, Result{Drop: DropChecksum}, nil},
		{"v3 as_v2 both sides", base3u, func(s *scenario) { s.s.Checksum = ChecksumAsV2; s.p.Checksum = ChecksumAsV2 }, Result{}, nil},
		{"v3 pseudo-header sent, as_v2 expected", base3u, func(s *scenario) { s.p.Checksum = ChecksumAsV2 }, Result{Drop: DropChecksum}, nil},
		{"old unicast checksum auto-detected", base3u, func(s *scenario) { s.s.UnicastChecksum = UnicastChecksumOld }, Result{OldUnicastChecksum: true}, nil},
		{"old unicast checksum with configured group", base3u, func(s *scenario) {
			s.s.UnicastChecksum, s.s.Group = UnicastChecksumOld, addr("224.0.0.42")
			s.p.Group4 = addr("224.0.0.42")
		}, Result{OldUnicastChecksum: true}, nil},
		{"old unicast checksum never", base3u, func(s *scenario) {
			s.s.UnicastChecksum = UnicastChecksumOld
			s.p.UnicastChecksum = UnicastChecksumNever
		}, Result{Drop: DropChecksum}, nil},
		{"old unicast checksum forced", base3u, func(s *scenario) {
			s.s.UnicastChecksum = UnicastChecksumOld
			s.p.UnicastChecksum = UnicastChecksumOld
		}, Result{}, nil},
		{"forced old style rejects new style", base3u, func(s *scenario) { s.p.UnicastChecksum = UnicastChecksumOld }, Result{Drop: DropChecksum}, nil},
		{"garbage checksum is not old style", base3u, func(s *scenario) { s.post = append(s.post, flipChecksum) }, Result{Drop: DropChecksum}, nil},
		{"v3 multicast, no auto-detect", func() scenario {
			sc := base3u()
			sc.s.Dst, sc.s.Unicast, sc.p.Peers = Group4, false, nil
			return sc
		}, func(s *scenario) { s.post = append(s.post, flipChecksum) }, Result{Drop: DropChecksum}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := tt.base()
			tt.edit(&sc)
			sc.p.Replay = tt.replay
			var a Advert
			got := Validate(&sc.p, sc.bytes(t), nil, &a)
			if got != tt.want {
				t.Errorf("got %+v (%v), want %+v", got, got.Drop, tt.want)
			}
			if got.OK() != (tt.want.Drop == DropNone) {
				t.Error("OK() disagrees with Drop")
			}
			if got.OK() && a.VRID != sc.a.VRID {
				t.Errorf("decoded VRID %d", a.VRID)
			}
		})
	}
}

// TestValidateReplayState checks that the AH sequence is recorded only when the
// ICV and SPI pass, and that a replay is then refused.
func TestValidateReplayState(t *testing.T) {
	key, _ := Password("k")
	sc := base2()
	sc.a.AuthType, sc.p.AuthType, sc.p.AuthData, sc.s.AHKey, sc.s.AHSeq = AuthAH, AuthAH, key, key, 3
	r := &Replay{}
	sc.p.Replay = r
	b := sc.bytes(t)
	var a Advert
	if got := Validate(&sc.p, b, nil, &a); !got.OK() || r.Last() != 3 {
		t.Fatalf("first: %v last=%d", got.Drop, r.Last())
	}
	if got := Validate(&sc.p, b, nil, &a); got.Drop != DropAHReplay {
		t.Fatalf("replay: %v", got.Drop)
	}
	bad := sc
	bad.s.AHSeq, bad.s.AHKey = 9, [8]byte{1}
	if got := Validate(&sc.p, bad.bytes(t), nil, &a); got.Drop != DropAHICV || r.Last() != 3 {
		t.Fatalf("forged: %v last=%d", got.Drop, r.Last())
	}
}

func TestValidateIPv6(t *testing.T) {
	src := addr("fe80::1")
	vips := []netip.Addr{addr("fe80::100"), addr("2001:db8::100")}
	a := Advert{Version: 3, Type: 1, VRID: 43, Priority: 150, AdverInt: 100, Addrs: vips}
	msg, err := AppendIPv6Advert(nil, &a, PseudoHeader{Src: src, Dst: Group6})
	if err != nil {
		t.Fatal(err)
	}
	p := Params{Version: 3, Family: IPv6, VRID: 43, Priority: 100, AdverInt: time.Second, VIPs: vips, CheckVIPs: true, VerifyIPv6Checksum: true}
	meta := Meta{Src: src, Dst: Group6, HopLimit: 255}
	tests := []struct {
		name string
		b    []byte
		p    func(*Params)
		m    Meta
		want DropReason
	}{
		{"accepted", msg, nil, meta, DropNone},
		{"hop limit", msg, nil, Meta{Src: src, Dst: Group6, HopLimit: 64}, DropTTL},
		{"hop limit unknown", msg, nil, Meta{Src: src, Dst: Group6, HopLimit: -1}, DropNone},
		{"trailing byte", append(clone(msg), 0), nil, meta, DropLength},
		{"short", msg[:20], nil, meta, DropLength},
		{"header only", msg[:7], nil, meta, DropTooShort},
		{"checksum", msg, nil, Meta{Src: addr("fe80::2"), Dst: Group6, HopLimit: 255}, DropChecksum},
		{"checksum without addresses", msg, nil, Meta{HopLimit: 255}, DropChecksum},
		{"kernel verified checksum", msg, func(p *Params) { p.VerifyIPv6Checksum = false }, Meta{Src: addr("fe80::2"), Dst: Group6, HopLimit: 255}, DropNone},
		{"unicast dst to multicast instance", msg, func(p *Params) { p.VerifyIPv6Checksum = false }, Meta{Src: src, Dst: addr("fe80::2"), HopLimit: 255}, DropCastMismatch},
		{"PASS impossible over IPv6 v2", func() []byte {
			a2 := a
			a2.Version, a2.AdverInt, a2.AuthType = 2, 1, AuthPass
			b, _ := AppendIPv6Advert(nil, &a2, PseudoHeader{Src: src, Dst: Group6})
			return b
		}(), func(p *Params) { p.Version, p.AdverInt, p.AuthType = 2, time.Second, AuthPass }, meta, DropAuthPass},
		{"AH impossible over IPv6", func() []byte {
			a2 := a
			a2.Version, a2.AdverInt, a2.AuthType = 2, 1, AuthAH
			b, _ := AppendIPv6Advert(nil, &a2, PseudoHeader{Src: src, Dst: Group6})
			return b
		}(), func(p *Params) { p.Version, p.AdverInt, p.AuthType = 2, time.Second, AuthAH }, meta, DropAHMismatch},
		{"v2 over IPv6 accepted", func() []byte {
			a2 := a
			a2.Version, a2.AdverInt = 2, 1
			b, _ := AppendIPv6Advert(nil, &a2, PseudoHeader{Src: src, Dst: Group6})
			return b
		}(), func(p *Params) { p.Version, p.AdverInt = 2, time.Second }, meta, DropNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pp := p
			if tt.p != nil {
				tt.p(&pp)
			}
			var got Advert
			if r := Validate(&pp, tt.b, &tt.m, &got); r.Drop != tt.want {
				t.Errorf("got %v, want %v", r.Drop, tt.want)
			}
		})
	}
	var got Advert
	if r := Validate(&p, msg, nil, &got); r.Drop != DropChecksum {
		t.Errorf("nil meta with IPv6 checksum check: %v", r.Drop)
	}
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

func TestDropReasonStrings(t *testing.T) {
	seen := map[string]bool{}
	rs := DropReasons()
	if len(rs) != int(dropReasonCount)-1 || rs[0] != DropTooShort {
		t.Fatalf("DropReasons %v", rs)
	}
	for _, r := range append(rs, DropNone) {
		s := r.String()
		if s == "" || s == "unknown" || seen[s] {
			t.Errorf("reason %d label %q empty or duplicate", r, s)
		}
		seen[s] = true
	}
	if DropReason(200).String() != "unknown" {
		t.Error("out of range reason")
	}
	if fmt.Sprint(DropChecksum) != "checksum" {
		t.Error("Stringer not used by fmt")
	}
}
