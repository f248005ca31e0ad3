package announce

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
)

// Neighbor Advertisement constants (RFC 4861 §4.4, §4.6.1).
const (
	// ICMPv6TypeNA is the ICMPv6 type of a Neighbor Advertisement.
	ICMPv6TypeNA = 136
	// ProtoICMPv6 is the IPv6 next header of ICMPv6.
	ProtoICMPv6 = 58
	// OptTargetLLA is the Target Link-Layer Address option type.
	OptTargetLLA = 2
	// IPv6HeaderLen is the fixed IPv6 header.
	IPv6HeaderLen = 40
	// naBodyLen is the NA message with one 8-byte TLLA option.
	naBodyLen = 24 + 8
	// NALen is the frame keepalived sends: Ethernet + IPv6 + NA + TLLA = 86 bytes.
	NALen = EthHeaderLen + IPv6HeaderLen + naBodyLen
	// HopLimit is the hop limit every ND message carries (RFC 4861 §7.1.2).
	HopLimit = 255
)

// AllNodes is ff02::1, the destination of unsolicited NAs (RFC 4861 §7.2.6), and
// AllNodesMAC its Ethernet mapping 33:33:00:00:00:01 (RFC 2464 §7).
var (
	AllNodes    = netip.AddrFrom16([16]byte{0: 0xff, 1: 0x02, 15: 1})
	AllNodesMAC = net.HardwareAddr{0x33, 0x33, 0, 0, 0, 1}
)

// NA is an Ethernet frame carrying an IPv6 Neighbor Advertisement.
type NA struct {
	EthDst, EthSrc net.HardwareAddr
	// TrafficClass and HopLimit are from the IPv6 header.
	TrafficClass uint8
	HopLimit     uint8
	Src, Dst     netip.Addr
	// Router, Solicited and Override are the R, S and O flags (RFC 4861 §4.4).
	Router, Solicited, Override bool
	Target                      netip.Addr
	// TargetMAC is the Target Link-Layer Address option; nil when absent.
	TargetMAC net.HardwareAddr
	// Checksum is the ICMPv6 checksum as found or as AppendMarshal computed it.
	Checksum uint16
	// ChecksumOK is set by ParseNA when the checksum verifies.
	ChecksumOK bool
}

// UnsolicitedNA returns the NA keepalived sends for vip from an interface with
// address mac (ndisc_send_unsolicited_na_immediate()): Ethernet to
// 33:33:00:00:00:01, IPv6 from the VIP itself to ff02::1 with hop limit 255 and
// traffic class 0, Override set, Router set only when IPv6 forwarding is on for
// the interface, Solicited clear, target = vip, and a TLLA option with mac.
func UnsolicitedNA(mac net.HardwareAddr, vip netip.Addr, router bool) NA {
	return NA{EthDst: AllNodesMAC, EthSrc: mac, HopLimit: HopLimit, Src: vip, Dst: AllNodes,
		Router: router, Override: true, Target: vip, TargetMAC: mac}
}

// AppendUnsolicitedNA appends keepalived's 86-byte unsolicited NA frame for vip to b.
func AppendUnsolicitedNA(b []byte, mac net.HardwareAddr, vip netip.Addr, router bool) ([]byte, error) {
	n := UnsolicitedNA(mac, vip, router)
	return n.AppendMarshal(b)
}

// AppendMarshal appends the frame to b with the ICMPv6 checksum computed over the
// IPv6 pseudo-header (RFC 4443 §2.3, RFC 8200 §8.1). The TLLA option is written
// when TargetMAC is set. It does not allocate when b has room.
func (n *NA) AppendMarshal(b []byte) ([]byte, error) {
	if len(n.EthDst) != 6 || len(n.EthSrc) != 6 || (n.TargetMAC != nil && len(n.TargetMAC) != 6) {
		return b, fmt.Errorf("na frame: MACs %v %v %v are not 6 bytes", n.EthDst, n.EthSrc, n.TargetMAC)
	}
	if !n.Src.Is6() || !n.Dst.Is6() || !n.Target.Is6() {
		return b, fmt.Errorf("na frame: %v -> %v target %v: not IPv6", n.Src, n.Dst, n.Target)
	}
	body := 24
	if n.TargetMAC != nil {
		body += 8
	}
	b = append(b, n.EthDst...)
	b = append(b, n.EthSrc...)
	b = binary.BigEndian.AppendUint16(b, EtherTypeIPv6)
	// version 6, traffic class, flow label 0.
	b = binary.BigEndian.AppendUint32(b, 6<<28|uint32(n.TrafficClass)<<20)
	b = binary.BigEndian.AppendUint16(b, uint16(body))
	b = append(b, ProtoICMPv6, n.HopLimit)
	s, d, t := n.Src.As16(), n.Dst.As16(), n.Target.As16()
	b = append(b, s[:]...)
	b = append(b, d[:]...)
	icmp := len(b)
	var flags byte
	if n.Router {
		flags |= 0x80
	}
	if n.Solicited {
		flags |= 0x40
	}
	if n.Override {
		flags |= 0x20
	}
	b = append(b, ICMPv6TypeNA, 0, 0, 0, flags, 0, 0, 0)
	b = append(b, t[:]...)
	if n.TargetMAC != nil {
		b = append(b, OptTargetLLA, 1)
		b = append(b, n.TargetMAC...)
	}
	sum := icmpv6Checksum(n.Src, n.Dst, b[icmp:])
	binary.BigEndian.PutUint16(b[icmp+2:], sum)
	n.Checksum = sum
	return b, nil
}

// ParseNA decodes an Ethernet frame holding an IPv6 Neighbor Advertisement with
// no extension headers. The first TLLA option, if any, is returned; other options
// are skipped. Bytes beyond the IPv6 payload length are ignored. MACs alias b.
func ParseNA(b []byte) (NA, error) {
	var n NA
	if len(b) < EthHeaderLen+IPv6HeaderLen+24 {
		return n, fmt.Errorf("na frame: %d bytes: %w", len(b), ErrTruncated)
	}
	if et := binary.BigEndian.Uint16(b[12:14]); et != EtherTypeIPv6 {
		return n, fmt.Errorf("na frame: ethertype %#04x", et)
	}
	ip := b[EthHeaderLen:]
	vtf := binary.BigEndian.Uint32(ip[0:4])
	if vtf>>28 != 6 {
		return n, fmt.Errorf("na frame: IP version %d", vtf>>28)
	}
	if ip[6] != ProtoICMPv6 {
		return n, fmt.Errorf("na frame: next header %d, not ICMPv6", ip[6])
	}
	plen := int(binary.BigEndian.Uint16(ip[4:6]))
	if plen < 24 || len(ip) < IPv6HeaderLen+plen {
		return n, fmt.Errorf("na frame: payload length %d, have %d: %w", plen, len(ip)-IPv6HeaderLen, ErrTruncated)
	}
	msg := ip[IPv6HeaderLen : IPv6HeaderLen+plen]
	if msg[0] != ICMPv6TypeNA {
		return n, fmt.Errorf("na frame: ICMPv6 type %d", msg[0])
	}
	n.EthDst = net.HardwareAddr(b[0:6:6])
	n.EthSrc = net.HardwareAddr(b[6:12:12])
	n.TrafficClass = uint8(vtf >> 20)
	n.HopLimit = ip[7]
	n.Src = netip.AddrFrom16([16]byte(ip[8:24]))
	n.Dst = netip.AddrFrom16([16]byte(ip[24:40]))
	n.Router = msg[4]&0x80 != 0
	n.Solicited = msg[4]&0x40 != 0
	n.Override = msg[4]&0x20 != 0
	n.Target = netip.AddrFrom16([16]byte(msg[8:24]))
	n.Checksum = binary.BigEndian.Uint16(msg[2:4])
	n.ChecksumOK = fold(pseudoSum(n.Src, n.Dst, len(msg))+sum(msg)) == 0xFFFF
	for opts := msg[24:]; len(opts) > 0; {
		if len(opts) < 2 || opts[1] == 0 || len(opts) < int(opts[1])*8 {
			return n, fmt.Errorf("na frame: malformed option %x (RFC 4861 §4.6)", opts)
		}
		l := int(opts[1]) * 8
		if opts[0] == OptTargetLLA && n.TargetMAC == nil && l == 8 {
			n.TargetMAC = net.HardwareAddr(opts[2:8:8])
		}
		opts = opts[l:]
	}
	return n, nil
}

// icmpv6Checksum returns the ICMPv6 checksum of msg (checksum field taken as
// zero) with the IPv6 pseudo-header (RFC 4443 §2.3).
func icmpv6Checksum(src, dst netip.Addr, msg []byte) uint16 {
	acc := pseudoSum(src, dst, len(msg)) + sum(msg[:2]) + sum(msg[4:])
	return ^fold(acc)
}

// pseudoSum sums the IPv6 pseudo-header {src, dst, length, 0, 58} (RFC 8200 §8.1).
func pseudoSum(src, dst netip.Addr, n int) uint64 {
	s, d := src.As16(), dst.As16()
	return sum(s[:]) + sum(d[:]) + uint64(uint32(n)>>16) + uint64(n&0xFFFF) + ProtoICMPv6
}

// sum is the RFC 1071 one's-complement sum of b's big-endian 16-bit words.
func sum(b []byte) uint64 {
	var acc uint64
	for len(b) >= 2 {
		acc += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		acc += uint64(b[0]) << 8
	}
	return acc
}

// fold reduces a sum to 16 bits with end-around carry.
func fold(acc uint64) uint16 {
	for acc > 0xFFFF {
		acc = acc&0xFFFF + acc>>16
	}
	return uint16(acc)
}
