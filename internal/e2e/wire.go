package e2e

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// Kind is what a captured frame was recognised as.
type Kind uint8

// The frames the scenarios look at.
const (
	// KindAdvert is a VRRP advertisement (IP protocol 112, or 51 with AH).
	KindAdvert Kind = iota + 1
	// KindGARP is a gratuitous ARP: sender and target protocol address equal.
	KindGARP
	// KindNA is an ICMPv6 neighbour advertisement (RFC 4861 §4.4).
	KindNA
)

func (k Kind) String() string {
	switch k {
	case KindAdvert:
		return "advert"
	case KindGARP:
		return "garp"
	case KindNA:
		return "na"
	}
	return "other"
}

// Pkt is a decoded frame. The decoder is written here from the RFCs rather
// than taken from internal/vrrp/packet so the e2e checks do not share a bug
// with the code they test.
type Pkt struct {
	At     time.Time
	Kind   Kind
	SrcMAC net.HardwareAddr
	DstMAC net.HardwareAddr
	// Src and Dst are the IP addresses; for ARP the sender and target
	// protocol addresses.
	Src, Dst netip.Addr
	// TTL is the IPv4 TTL or IPv6 hop limit.
	TTL uint8
	// VRRP fields (RFC 3768 §5.1, RFC 9568 §5.1).
	Version, VRID, Prio, Count, AuthType uint8
	// AdvInt is the advertisement interval: whole seconds in v2,
	// centiseconds in v3.
	AdvInt time.Duration
	Addrs  []netip.Addr
	// AuthData is the v2 authentication data (8 bytes, IPv4 only).
	AuthData []byte
	// AH is set when the advert came inside an IPsec AH header.
	AH bool
	// Target is the NA target or the GARP's address.
	Target netip.Addr
	// Override and Router are the NA flags (RFC 4861 §4.4).
	Override, Router bool
	// ARPOp is the ARP operation (1 request, 2 reply).
	ARPOp uint16
	// ARPTHA is the ARP target hardware address.
	ARPTHA net.HardwareAddr
}

func (p Pkt) String() string {
	switch p.Kind {
	case KindAdvert:
		return fmt.Sprintf("%s advert v%d vrid %d prio %d from %s to %s int %v", p.At.Format("15:04:05.000000"), p.Version, p.VRID, p.Prio, p.Src, p.Dst, p.AdvInt)
	case KindGARP:
		return fmt.Sprintf("%s garp %s from %s", p.At.Format("15:04:05.000000"), p.Target, p.SrcMAC)
	case KindNA:
		return fmt.Sprintf("%s na %s from %s (%s)", p.At.Format("15:04:05.000000"), p.Target, p.Src, p.SrcMAC)
	}
	return "?"
}

// Decode recognises VRRP adverts, gratuitous ARPs and neighbour
// advertisements in an Ethernet frame.
func Decode(f nettest.Frame) (Pkt, bool) {
	b := f.Data
	if len(b) < 14 {
		return Pkt{}, false
	}
	p := Pkt{At: f.At, DstMAC: net.HardwareAddr(b[0:6]), SrcMAC: net.HardwareAddr(b[6:12])}
	switch binary.BigEndian.Uint16(b[12:14]) {
	case 0x0800:
		return decode4(p, b[14:])
	case 0x86dd:
		return decode6(p, b[14:])
	case 0x0806:
		return decodeARP(p, b[14:])
	}
	return Pkt{}, false
}

func decode4(p Pkt, b []byte) (Pkt, bool) {
	if len(b) < 20 || b[0]>>4 != 4 {
		return Pkt{}, false
	}
	ihl := int(b[0]&0x0f) * 4
	if len(b) < ihl {
		return Pkt{}, false
	}
	p.TTL = b[8]
	p.Src = netip.AddrFrom4([4]byte(b[12:16]))
	p.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	proto := b[9]
	body := b[ihl:]
	if proto == 51 { // RFC 4302 §2: payload length in 32-bit words minus 2
		if len(body) < 12 {
			return Pkt{}, false
		}
		proto = body[0]
		n := (int(body[1]) + 2) * 4
		if len(body) < n {
			return Pkt{}, false
		}
		body = body[n:]
		p.AH = true
	}
	if proto != 112 {
		return Pkt{}, false
	}
	return decodeVRRP(p, body, 4)
}

func decode6(p Pkt, b []byte) (Pkt, bool) {
	if len(b) < 40 || b[0]>>4 != 6 {
		return Pkt{}, false
	}
	p.TTL = b[7]
	p.Src = netip.AddrFrom16([16]byte(b[8:24]))
	p.Dst = netip.AddrFrom16([16]byte(b[24:40]))
	body := b[40:]
	switch b[6] {
	case 112:
		return decodeVRRP(p, body, 16)
	case 58:
		if len(body) < 24 || body[0] != 136 {
			return Pkt{}, false
		}
		p.Kind = KindNA
		p.Router = body[4]&0x80 != 0
		p.Override = body[4]&0x20 != 0
		p.Target = netip.AddrFrom16([16]byte(body[8:24]))
		return p, true
	}
	return Pkt{}, false
}

func decodeVRRP(p Pkt, b []byte, alen int) (Pkt, bool) {
	if len(b) < 8 || b[0]&0x0f != 1 {
		return Pkt{}, false
	}
	p.Kind = KindAdvert
	p.Version = b[0] >> 4
	p.VRID, p.Prio, p.Count = b[1], b[2], b[3]
	if p.Version == 3 {
		p.AdvInt = time.Duration(binary.BigEndian.Uint16(b[4:6])&0x0fff) * 10 * time.Millisecond
	} else {
		p.AuthType = b[4]
		p.AdvInt = time.Duration(b[5]) * time.Second
	}
	rest := b[8:]
	for i := 0; i < int(p.Count) && len(rest) >= alen; i++ {
		a, _ := netip.AddrFromSlice(rest[:alen])
		p.Addrs = append(p.Addrs, a)
		rest = rest[alen:]
	}
	if p.Version == 2 && alen == 4 && len(rest) >= 8 {
		p.AuthData = append([]byte(nil), rest[:8]...)
	}
	return p, true
}

func decodeARP(p Pkt, b []byte) (Pkt, bool) {
	// RFC 826 for Ethernet/IPv4: htype 1, ptype 0x0800, hlen 6, plen 4.
	if len(b) < 28 || binary.BigEndian.Uint16(b[0:2]) != 1 || binary.BigEndian.Uint16(b[2:4]) != 0x0800 {
		return Pkt{}, false
	}
	p.ARPOp = binary.BigEndian.Uint16(b[6:8])
	p.Src = netip.AddrFrom4([4]byte(b[14:18]))
	p.ARPTHA = net.HardwareAddr(b[18:24])
	p.Dst = netip.AddrFrom4([4]byte(b[24:28]))
	if p.Src != p.Dst {
		return Pkt{}, false
	}
	p.Kind = KindGARP
	p.Target = p.Src
	return p, true
}
