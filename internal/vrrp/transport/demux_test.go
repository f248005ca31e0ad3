package transport

import (
	"net/netip"
	"testing"
)

func TestVRIDOf(t *testing.T) {
	ah := make([]byte, 24+8)
	ah[1] = 4 // (4+2)*4 = 24 bytes of AH
	ah[24+1] = 77
	tests := []struct {
		name    string
		proto   int
		payload []byte
		want    uint8
		ok      bool
	}{
		{"vrrp", ProtoVRRP, []byte{0x31, 51, 100, 1}, 51, true},
		{"vrrp short", ProtoVRRP, []byte{0x31}, 0, false},
		{"empty", ProtoVRRP, nil, 0, false},
		{"ah", ProtoAH, ah, 77, true},
		{"ah truncated", ProtoAH, ah[:25], 0, false},
		{"ah one byte", ProtoAH, []byte{0}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := VRIDOf(tt.proto, tt.payload)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("VRIDOf = %d, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzVRIDOf(f *testing.F) {
	f.Add(ProtoVRRP, []byte{0x31, 1, 100, 1, 0, 1, 0, 0})
	f.Add(ProtoAH, []byte{112, 4, 0, 0, 0, 0, 0, 1})
	f.Add(ProtoAH, []byte{112, 255})
	f.Fuzz(func(t *testing.T, proto int, b []byte) {
		v, ok := VRIDOf(proto, b)
		if !ok {
			return
		}
		// The VRID must come from inside the buffer.
		off := 1
		if proto == ProtoAH {
			off = (int(b[1])+2)*4 + 1
		}
		if off >= len(b) || b[off] != v {
			t.Fatalf("VRIDOf(%d, %x) = %d from outside or wrong offset", proto, b, v)
		}
	})
}

type fakeMember struct {
	name  string
	peers []netip.Addr
}

func (f fakeMember) hasPeer(a netip.Addr) bool {
	for _, p := range f.peers {
		if p == a {
			return true
		}
	}
	return false
}

func TestPick(t *testing.T) {
	p1 := netip.MustParseAddr("198.51.100.1")
	p2 := netip.MustParseAddr("198.51.100.2")
	p3 := netip.MustParseAddr("198.51.100.3")
	a := fakeMember{"a", []netip.Addr{p1}}
	b := fakeMember{"b", []netip.Addr{p2}}
	tests := []struct {
		name  string
		cands []fakeMember
		src   netip.Addr
		want  string
	}{
		{"none", nil, p1, ""},
		{"single takes any source", []fakeMember{a}, p3, "a"},
		{"duplicate vrid by peer a", []fakeMember{a, b}, p1, "a"},
		{"duplicate vrid by peer b", []fakeMember{a, b}, p2, "b"},
		{"duplicate vrid unknown peer", []fakeMember{a, b}, p3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := pick(tt.cands, tt.src)
			if ok != (tt.want != "") || got.name != tt.want {
				t.Fatalf("pick = %q, %v; want %q", got.name, ok, tt.want)
			}
		})
	}
}

func TestNextID(t *testing.T) {
	tests := []struct{ in, want uint16 }{{0, 1}, {1, 2}, {0xfffe, 0xffff}, {0xffff, 1}}
	for _, tt := range tests {
		if got := nextID(tt.in); got != tt.want {
			t.Errorf("nextID(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestDestinations(t *testing.T) {
	peers := []netip.Addr{netip.MustParseAddr("198.51.100.2"), netip.MustParseAddr("198.51.100.3")}
	tests := []struct {
		name string
		cfg  Config
		want []netip.Addr
	}{
		{"v4 default group", Config{}, []netip.Addr{GroupV4}},
		{"v6 default group", Config{IPv6: true}, []netip.Addr{GroupV6}},
		{"custom group", Config{Group: netip.MustParseAddr("224.0.0.19")}, []netip.Addr{netip.MustParseAddr("224.0.0.19")}},
		{"unicast", Config{Peers: peers}, peers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cfg.Destinations()
			if len(got) != len(tt.want) {
				t.Fatalf("Destinations = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("Destinations = %v, want %v", got, tt.want)
				}
			}
		})
	}
}
