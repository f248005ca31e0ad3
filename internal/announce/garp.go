package announce

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// Ethernet and ARP constants (RFC 826, IEEE 802.3).
const (
	// EtherTypeARP is the Ethernet type of ARP.
	EtherTypeARP = 0x0806
	// EtherTypeIPv6 is the Ethernet type of IPv6 (RFC 2464 §3).
	EtherTypeIPv6 = 0x86DD
	// EthHeaderLen is the Ethernet II header length.
	EthHeaderLen = 14
	// ARPLen is an Ethernet/IPv4 ARP packet (RFC 826).
	ARPLen = 28
	// GARPLen is the frame keepalived hands to the kernel: 42 bytes, not padded
	// (send_arp() sends sizeof(arphdr)+ETHER_HDR_LEN); the NIC pads it to the
	// 60-byte Ethernet minimum on the wire.
	GARPLen = EthHeaderLen + ARPLen
	// ARPRequest and ARPReply are the ARP opcodes.
	ARPRequest = 1
	ARPReply   = 2
)

// Broadcast is the Ethernet broadcast address.
var Broadcast = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// ErrTruncated is returned when a frame is shorter than its headers.
var ErrTruncated = errors.New("truncated")

// ARP is an Ethernet frame carrying an Ethernet/IPv4 ARP packet.
type ARP struct {
	EthDst, EthSrc net.HardwareAddr
	Op             uint16
	// SenderMAC/SenderIP and TargetMAC/TargetIP are sha/spa and tha/tpa.
	SenderMAC net.HardwareAddr
	SenderIP  netip.Addr
	TargetMAC net.HardwareAddr
	TargetIP  netip.Addr
}

// GARP returns the gratuitous ARP keepalived sends for vip from an interface
// with address mac (send_gratuitous_arp_immediate()): broadcast destination, op
// 1 (request, not reply), sha = mac, spa = tpa = vip, and tha = ff:ff:ff:ff:ff:ff
// rather than the zeros RFC 5227 §3 suggests.
func GARP(mac net.HardwareAddr, vip netip.Addr) ARP {
	return ARP{EthDst: Broadcast, EthSrc: mac, Op: ARPRequest, SenderMAC: mac, SenderIP: vip, TargetMAC: Broadcast, TargetIP: vip}
}

// AppendGARP appends keepalived's 42-byte gratuitous ARP frame for vip to b.
func AppendGARP(b []byte, mac net.HardwareAddr, vip netip.Addr) ([]byte, error) {
	g := GARP(mac, vip)
	return g.AppendMarshal(b)
}

// AppendMarshal appends the 42-byte frame to b. It does not allocate when b has room.
func (a *ARP) AppendMarshal(b []byte) ([]byte, error) {
	for _, m := range []net.HardwareAddr{a.EthDst, a.EthSrc, a.SenderMAC, a.TargetMAC} {
		if len(m) != 6 {
			return b, fmt.Errorf("arp frame: MAC %v is not 6 bytes", m)
		}
	}
	if !a.SenderIP.Is4() || !a.TargetIP.Is4() {
		return b, fmt.Errorf("arp frame: %v / %v are not IPv4", a.SenderIP, a.TargetIP)
	}
	b = append(b, a.EthDst...)
	b = append(b, a.EthSrc...)
	b = binary.BigEndian.AppendUint16(b, EtherTypeARP)
	// hardware type 1 (Ethernet), protocol 0x0800, lengths 6 and 4 (RFC 826).
	b = append(b, 0, 1, 0x08, 0x00, 6, 4)
	b = binary.BigEndian.AppendUint16(b, a.Op)
	b = append(b, a.SenderMAC...)
	s := a.SenderIP.As4()
	b = append(b, s[:]...)
	b = append(b, a.TargetMAC...)
	t := a.TargetIP.As4()
	return append(b, t[:]...), nil
}

// ParseARP decodes an Ethernet frame holding an Ethernet/IPv4 ARP packet;
// bytes after it (padding to 60) are ignored. The MACs alias b.
func ParseARP(b []byte) (ARP, error) {
	var a ARP
	if len(b) < GARPLen {
		return a, fmt.Errorf("arp frame: %d bytes: %w", len(b), ErrTruncated)
	}
	if et := binary.BigEndian.Uint16(b[12:14]); et != EtherTypeARP {
		return a, fmt.Errorf("arp frame: ethertype %#04x", et)
	}
	p := b[EthHeaderLen:]
	if !bytes.Equal(p[:6], []byte{0, 1, 0x08, 0x00, 6, 4}) {
		return a, fmt.Errorf("arp frame: not Ethernet/IPv4 (%x)", p[:6])
	}
	a.EthDst = net.HardwareAddr(b[0:6:6])
	a.EthSrc = net.HardwareAddr(b[6:12:12])
	a.Op = binary.BigEndian.Uint16(p[6:8])
	a.SenderMAC = net.HardwareAddr(p[8:14:14])
	a.SenderIP = netip.AddrFrom4([4]byte(p[14:18]))
	a.TargetMAC = net.HardwareAddr(p[18:24:24])
	a.TargetIP = netip.AddrFrom4([4]byte(p[24:28]))
	return a, nil
}

// IsGratuitous reports whether a announces its sender's own address (spa == tpa),
// the test RFC 5227 §3 and receivers use.
func (a *ARP) IsGratuitous() bool { return a.SenderIP == a.TargetIP }
