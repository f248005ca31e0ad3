package packet

import (
	"errors"
	"net/netip"
	"testing"
	"time"
)

func TestAdvertInterval(t *testing.T) {
	tests := []struct {
		version uint8
		in      time.Duration
		raw     uint16
		out     time.Duration
		err     bool
	}{
		{2, time.Second, 1, time.Second, false},
		{2, 1500 * time.Millisecond, 1, time.Second, false}, // the parser rounds v2 first; the field truncates
		{2, 255 * time.Second, 255, 255 * time.Second, false},
		{2, 256 * time.Second, 0, 0, true},
		{2, -time.Second, 0, 0, true},
		{3, 500 * time.Millisecond, 50, 500 * time.Millisecond, false},
		{3, 40950 * time.Millisecond, 0xfff, 40950 * time.Millisecond, false},
		{3, 41 * time.Second, 0, 0, true},
		{4, time.Second, 0, 0, true},
	}
	for _, tt := range tests {
		a := Advert{Version: tt.version}
		err := a.SetAdvertInterval(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("v%d %v: err %v", tt.version, tt.in, err)
			continue
		}
		if err == nil && (a.AdverInt != tt.raw || a.AdvertInterval() != tt.out) {
			t.Errorf("v%d %v: raw %d -> %v, want %d -> %v", tt.version, tt.in, a.AdverInt, a.AdvertInterval(), tt.raw, tt.out)
		}
	}
}

func TestMarshalErrors(t *testing.T) {
	many := make([]netip.Addr, 256)
	for i := range many {
		many[i] = addr("198.51.100.1")
	}
	tests := []struct {
		name string
		a    Advert
		fam  Family
	}{
		{"version", Advert{Version: 1}, IPv4},
		{"type", Advert{Version: 3, Type: 16}, IPv4},
		{"reserved", Advert{Version: 3, Reserved: 16}, IPv4},
		{"v2 interval", Advert{Version: 2, AdverInt: 256}, IPv4},
		{"v3 interval", Advert{Version: 3, AdverInt: 0x1000}, IPv4},
		{"too many", Advert{Version: 3, Addrs: many}, IPv4},
		{"v6 in v4", Advert{Version: 3, Addrs: []netip.Addr{addr("2001:db8::1")}}, IPv4},
		{"v4 in v6", Advert{Version: 3, Addrs: []netip.Addr{addr("198.51.100.1")}}, IPv6},
		{"invalid", Advert{Version: 3, Addrs: []netip.Addr{{}}}, IPv4},
	}
	for _, tt := range tests {
		if _, err := tt.a.Marshal(tt.fam); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	if _, err := AppendIPv4Advert(nil, &tests[0].a, &IPv4Send{Src: addr("198.51.100.1"), Dst: Group4}); err == nil {
		t.Error("AppendIPv4Advert: bad advert accepted")
	}
	ok := Advert{Version: 3, Type: 1}
	if _, err := AppendIPv4Advert(nil, &ok, &IPv4Send{Src: addr("2001:db8::1"), Dst: Group4}); err == nil {
		t.Error("AppendIPv4Advert: IPv6 source accepted")
	}
	if b, err := AppendIPv6Advert([]byte{9}, &tests[0].a, PseudoHeader{}); err == nil || len(b) != 1 {
		t.Errorf("AppendIPv6Advert: bad advert gave %x, %v", b, err)
	}
}

func TestUnmarshalTruncated(t *testing.T) {
	raw := readHex(t, "v2_prio100.hex")
	var a Advert
	for n := 0; n < len(raw); n++ {
		if err := a.Unmarshal(raw[:n], IPv4); !errors.Is(err, ErrTruncated) {
			t.Errorf("%d bytes: %v", n, err)
		}
	}
	// Reserved bits and unknown versions decode for Validate to judge.
	if err := a.Unmarshal([]byte{0x41, 1, 2, 0, 0xf0, 0x64, 0, 0}, IPv6); err != nil || a.Version != 4 || a.Reserved != 0xf || a.AdverInt != 100 {
		t.Errorf("v4 header: %+v %v", a, err)
	}
}

// TestAppendNoAlloc checks the zero-allocation promise of the send path.
func TestAppendNoAlloc(t *testing.T) {
	key, _ := Password("secret")
	a := Advert{Version: 2, Type: 1, VRID: 42, Priority: 100, AdverInt: 1, AuthType: AuthAH, Addrs: []netip.Addr{addr("10.99.0.100")}}
	s := IPv4Send{Src: addr("10.99.0.1"), Dst: Group4, TTL: 255, AHKey: key}
	buf := make([]byte, 0, 128)
	if n := testing.AllocsPerRun(100, func() {
		if _, err := AppendIPv4Advert(buf, &a, &s); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("AppendIPv4Advert: %v allocs", n)
	}
}

// TestValidateNoAlloc checks the zero-allocation promise of the receive path.
func TestValidateNoAlloc(t *testing.T) {
	key, _ := Password("secret")
	withAH := base2()
	withAH.a.AuthType, withAH.p.AuthType, withAH.p.AuthData, withAH.s.AHKey = AuthAH, AuthAH, key, key
	for _, sc := range []scenario{base2(), base3u(), withAH} {
		b := sc.bytes(t)
		a := Advert{Addrs: make([]netip.Addr, 0, 4)}
		if n := testing.AllocsPerRun(100, func() {
			if r := Validate(&sc.p, b, nil, &a); !r.OK() {
				t.Fatal(r.Drop)
			}
		}); n != 0 {
			t.Errorf("v%d: %v allocs", sc.p.Version, n)
		}
	}
}

func TestPeekVRID(t *testing.T) {
	sc := base2()
	b := sc.bytes(t)
	if v, ok := PeekVRID(b, IPv4); !ok || v != 42 {
		t.Errorf("ipv4: %d %v", v, ok)
	}
	key, _ := Password("x")
	sc.a.AuthType, sc.s.AHKey = AuthAH, key
	if v, ok := PeekVRID(sc.bytes(t), IPv4); !ok || v != 42 {
		t.Errorf("ipv4 ah: %d %v", v, ok)
	}
	if v, ok := PeekVRID(readHex(t, "v3_ipv6.hex"), IPv6); !ok || v != 43 {
		t.Errorf("ipv6: %d %v", v, ok)
	}
	for _, bad := range [][]byte{b[:19], b[:25], append([]byte{0x60}, b[1:]...)} {
		if _, ok := PeekVRID(bad, IPv4); ok {
			t.Errorf("%x accepted", bad)
		}
	}
}

func TestNames(t *testing.T) {
	if IPv4.String() != "ipv4" || IPv6.String() != "ipv6" || IPv6.AddrLen() != 16 || IPv4.AddrLen() != 4 {
		t.Error("Family")
	}
	for at, s := range map[AuthType]string{AuthNone: "NONE", AuthPass: "PASS", AuthAH: "AH", 9: "unknown"} {
		if at.String() != s {
			t.Errorf("%d: %q", at, at.String())
		}
	}
}
