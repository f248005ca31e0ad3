package transport

import (
	"encoding/binary"
	"net/netip"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// advert returns 8+ opaque payload bytes whose second octet is vrid and
// whose last octet is seq, so tests can tell packets apart. Bytes 6-7 are
// left for the IPv6 checksum the kernel fills.
func advert(vrid, seq byte) []byte {
	return []byte{0x31, vrid, 100, 1, 0, 1, 0, 0, 198, 51, 100, seq}
}

// open opens cfg in host's namespace.
func open(t *testing.T, h *nettest.Host, p *Pool, cfg Config) *Conn {
	t.Helper()
	var c *Conn
	if err := h.Do(func() error {
		var err error
		c, err = p.Open(cfg)
		return err
	}); err != nil {
		t.Fatalf("open %+v in %s: %v", cfg, h.Name, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func recv(t *testing.T, c *Conn) Packet {
	t.Helper()
	select {
	case p, ok := <-c.Packets():
		if !ok {
			t.Fatal("queue closed")
		}
		return p
	case <-time.After(3 * time.Second):
		t.Fatalf("no packet within 3s; stats %+v", c.Stats())
	}
	return Packet{}
}

func mustSend(t *testing.T, c *Conn, copies ...Copy) {
	t.Helper()
	if err := c.Send(copies...); err != nil {
		t.Fatal(err)
	}
}

func TestMulticast(t *testing.T) {
	for _, v6 := range []bool{false, true} {
		name := "ipv4"
		if v6 {
			name = "ipv6"
		}
		t.Run(name, func(t *testing.T) {
			a, b := nettest.NewVethPair(t)
			pa, pb := NewPool(nil), NewPool(nil)
			a10 := open(t, a, pa, Config{Interface: "eth0", VRID: 10, IPv6: v6})
			a20 := open(t, a, pa, Config{Interface: "eth0", VRID: 20, IPv6: v6})
			b10 := open(t, b, pb, Config{Interface: "eth0", VRID: 10, IPv6: v6})
			b20 := open(t, b, pb, Config{Interface: "eth0", VRID: 20, IPv6: v6})
			if a10.s != a20.s {
				t.Fatal("instances on one interface do not share a socket pair")
			}
			group := a10.Destinations()[0]

			mustSend(t, a10, Copy{Dst: group, Payload: advert(10, 1)})
			mustSend(t, a20, Copy{Dst: group, Payload: advert(20, 2)})
			// Demux by VRID: each of b's instances sees only its own packet.
			p10, p20 := recv(t, b10), recv(t, b20)
			if p10.Payload[1] != 10 || p10.Payload[11] != 1 || p20.Payload[1] != 20 || p20.Payload[11] != 2 {
				t.Fatalf("demux: b10 got %x, b20 got %x", p10.Payload, p20.Payload)
			}
			if p10.TTL != 255 || !p10.IsMulticastDst || p10.Dst != group || p10.Ifindex != b.Ifindex {
				t.Fatalf("packet metadata %+v; want TTL 255, dst %s, ifindex %d", p10, group, b.Ifindex)
			}
			if v6 {
				if !p10.Src.IsLinkLocalUnicast() || p10.IPHeader != nil {
					t.Fatalf("IPv6 source %s not link-local or header kept", p10.Src)
				}
				if binary.BigEndian.Uint16(p10.Payload[6:8]) == 0 {
					t.Fatal("IPv6 checksum not filled by the kernel")
				}
			} else {
				if p10.Src != a.V4.Addr() {
					t.Fatalf("src %s, want %s", p10.Src, a.V4.Addr())
				}
				if len(p10.IPHeader) != 20 || p10.IPHeader[1] != 0xc0 || p10.IPHeader[9] != ProtoVRRP {
					t.Fatalf("IPv4 header %x: want TOS 0xc0, proto 112", p10.IPHeader)
				}
				if id := binary.BigEndian.Uint16(p10.IPHeader[4:6]); id != 1 {
					t.Fatalf("first advert IPv4 ID %d, want 1", id)
				}
				mustSend(t, a10, Copy{Dst: group, Payload: advert(10, 3)})
				if id := binary.BigEndian.Uint16(recv(t, b10).IPHeader[4:6]); id != 2 {
					t.Fatalf("second advert IPv4 ID %d, want 2", id)
				}
			}
			// Multicast loop is off: a's own instances must not have seen
			// their adverts; the first thing they receive is b's.
			mustSend(t, b10, Copy{Dst: group, Payload: advert(10, 9)})
			if got := recv(t, a10); got.Payload[11] != 9 {
				t.Fatalf("a10 received %x first: own advert looped back", got.Payload)
			}
			if st := a10.Stats(); st.Received != 1 || st.Sent < 2 {
				t.Fatalf("a stats %+v: want exactly 1 received", st)
			}
		})
	}
}

func TestUnicast(t *testing.T) {
	tests := []struct {
		name    string
		v6      bool
		ttl     int
		wantTTL int
	}{
		{"ipv4 default ttl", false, 0, 255},
		{"ipv4 unicast_ttl", false, 7, 7},
		{"ipv6 kernel default hop limit", true, 0, 64},
		{"ipv6 unicast_ttl", true, 9, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := nettest.NewVethPair(t)
			aAddr, bAddr := a.V4.Addr(), b.V4.Addr()
			if tt.v6 {
				aAddr, bAddr = a.V6.Addr(), b.V6.Addr()
			}
			ca := open(t, a, NewPool(nil), Config{Interface: "eth0", VRID: 7, IPv6: tt.v6, Src: aAddr, Peers: []netip.Addr{bAddr}, UnicastTTL: tt.ttl})
			cb := open(t, b, NewPool(nil), Config{Interface: "eth0", VRID: 7, IPv6: tt.v6, Src: bAddr, Peers: []netip.Addr{aAddr}, UnicastTTL: tt.ttl})
			mustSend(t, ca, Copy{Dst: ca.Destinations()[0], Payload: advert(7, 1)})
			p := recv(t, cb)
			if p.Src != aAddr || p.Dst != bAddr || p.IsMulticastDst || p.TTL != tt.wantTTL {
				t.Fatalf("got src %s dst %s mcast %v ttl %d; want %s %s false %d", p.Src, p.Dst, p.IsMulticastDst, p.TTL, aAddr, bAddr, tt.wantTTL)
			}
		})
	}
}

// TestUnicastFreebind opens a unicast instance whose source address is not
// (yet) configured, as keepalived allows with IP(V6)_FREEBIND, then adds it.
func TestUnicastFreebind(t *testing.T) {
	for _, v6 := range []bool{false, true} {
		name, src, plen := "ipv4", netip.MustParseAddr("198.51.100.50"), "/24"
		if v6 {
			name, src, plen = "ipv6", netip.MustParseAddr("2001:db8::50"), "/64"
		}
		t.Run(name, func(t *testing.T) {
			a, b := nettest.NewVethPair(t)
			peerA := a.V4.Addr()
			if v6 {
				peerA = a.V6.Addr()
			}
			cb := open(t, b, NewPool(nil), Config{Interface: "eth0", VRID: 3, IPv6: v6, Src: src, Peers: []netip.Addr{peerA}})
			b.IP("addr", "add", src.String()+plen, "dev", "eth0", "nodad")
			ca := open(t, a, NewPool(nil), Config{Interface: "eth0", VRID: 3, IPv6: v6, Src: peerA, Peers: []netip.Addr{src}})
			mustSend(t, ca, Copy{Dst: src, Payload: advert(3, 1)})
			if p := recv(t, cb); p.Dst != src || p.Src != peerA {
				t.Fatalf("src %s dst %s, want %s %s", p.Src, p.Dst, peerA, src)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"multicast without interface", Config{VRID: 1}},
		{"ah over ipv6", Config{Interface: "lo", IPv6: true, Proto: ProtoAH}},
		{"family mismatch", Config{Interface: "lo", Group: netip.MustParseAddr("ff02::12")}},
		{"unicast without interface or source", Config{Peers: []netip.Addr{netip.MustParseAddr("198.51.100.9")}}},
		{"missing interface", Config{Interface: "nosuchif0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := NewPool(nil).Open(tt.cfg); err == nil {
				c.Close()
				t.Fatalf("Open(%+v) succeeded", tt.cfg)
			}
		})
	}
}

// TestUnicastDuplicateVRID has two instances with the same VRID on one
// socket, told apart by their unicast peers (keepalived allows duplicate
// VRIDs over unicast).
func TestUnicastDuplicateVRID(t *testing.T) {
	lan := nettest.NewLAN(t, 3)
	a, b, c := lan.Hosts[0], lan.Hosts[1], lan.Hosts[2]
	pb := NewPool(nil)
	src := b.V4.Addr()
	bFromA := open(t, b, pb, Config{Interface: "eth0", VRID: 5, Src: src, Peers: []netip.Addr{a.V4.Addr()}})
	bFromC := open(t, b, pb, Config{Interface: "eth0", VRID: 5, Src: src, Peers: []netip.Addr{c.V4.Addr()}})
	if bFromA.s != bFromC.s {
		t.Fatal("unicast instances with one source do not share a socket")
	}
	ca := open(t, a, NewPool(nil), Config{Interface: "eth0", VRID: 5, Src: a.V4.Addr(), Peers: []netip.Addr{src}})
	cc := open(t, c, NewPool(nil), Config{Interface: "eth0", VRID: 5, Src: c.V4.Addr(), Peers: []netip.Addr{src}})
	mustSend(t, ca, Copy{Dst: src, Payload: advert(5, 1)})
	mustSend(t, cc, Copy{Dst: src, Payload: advert(5, 2)})
	if p := recv(t, bFromA); p.Src != a.V4.Addr() || p.Payload[11] != 1 {
		t.Fatalf("instance peering a got %s %x", p.Src, p.Payload)
	}
	if p := recv(t, bFromC); p.Src != c.V4.Addr() || p.Payload[11] != 2 {
		t.Fatalf("instance peering c got %s %x", p.Src, p.Payload)
	}
}

// TestUnicastNoSource leaves unicast_src_ip unset: the receive socket binds
// to any address and the kernel picks the source when sending.
func TestUnicastNoSource(t *testing.T) {
	a, b := nettest.NewVethPair(t)
	cb := open(t, b, NewPool(nil), Config{Interface: "eth0", VRID: 8, Peers: []netip.Addr{a.V4.Addr()}})
	ca := open(t, a, NewPool(nil), Config{Interface: "eth0", VRID: 8, Peers: []netip.Addr{b.V4.Addr()}})
	mustSend(t, ca, Copy{Dst: b.V4.Addr(), Payload: advert(8, 1)})
	if p := recv(t, cb); p.Src != a.V4.Addr() {
		t.Fatalf("src %s, want the kernel's choice %s", p.Src, a.V4.Addr())
	}
}

// TestAH carries IP protocol 51 (auth_type AH, IPv4 only) and demultiplexes
// past the Authentication Header.
func TestAH(t *testing.T) {
	a, b := nettest.NewVethPair(t)
	ca := open(t, a, NewPool(nil), Config{Interface: "eth0", VRID: 12, Proto: ProtoAH})
	cb := open(t, b, NewPool(nil), Config{Interface: "eth0", VRID: 12, Proto: ProtoAH})
	// AH: next header 112, payload length 4 → 24 bytes, then VRRP.
	ah := make([]byte, 24)
	ah[0], ah[1], ah[7], ah[11] = ProtoVRRP, 4, 1, 1 // next header, length, SPI, sequence
	payload := append(ah, advert(12, 1)...)
	mustSend(t, ca, Copy{Dst: GroupV4, Payload: payload})
	p := recv(t, cb)
	if p.Proto != ProtoAH || p.IPHeader[9] != ProtoAH || len(p.Payload) != len(payload) {
		t.Fatalf("AH packet %+v", p)
	}
}
