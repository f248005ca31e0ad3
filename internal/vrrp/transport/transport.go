// Package transport moves VRRP advertisements between the daemon and the
// kernel: raw IP sockets (protocol 112, or 51 for AH) opened exactly as
// keepalived opens them (keepalived open_vrrp_read_socket and
// open_vrrp_send_socket), shared by every instance on the same interface,
// family, protocol and group or unicast source, and demultiplexed by VRID
// (and by peer address when unicast instances share a VRID).
//
// The package never parses or builds VRRP: payloads are opaque bytes except
// for the VRID octet used to demultiplex. Codecs live in internal/vrrp/packet.
package transport

import (
	"errors"
	"net/netip"
	"sync/atomic"
)

// IP protocol numbers carried by the sockets (IANA; RFC 5798 §5.1.1.3, RFC 4302).
const (
	ProtoVRRP = 112
	ProtoAH   = 51
)

// Default multicast groups (RFC 5798 §5.1.1.2, §5.1.2.2).
var (
	GroupV4 = netip.MustParseAddr("224.0.0.18")
	GroupV6 = netip.MustParseAddr("ff02::12")
)

// ErrUnsupported is returned on platforms without raw VRRP sockets.
var ErrUnsupported = errors.New("transport: raw VRRP sockets are only supported on Linux")

// Packet is one received advertisement.
type Packet struct {
	// Src is the IP source address.
	Src netip.Addr
	// Dst is the IP destination (the group, or our unicast address).
	Dst netip.Addr
	// TTL is the IPv4 TTL or IPv6 hop limit as received (RFC 5798 §7.1 wants 255).
	TTL int
	// Ifindex is the interface the packet arrived on.
	Ifindex int
	// IsMulticastDst tells whether Dst is a multicast address.
	IsMulticastDst bool
	// Proto is the IP protocol: ProtoVRRP, or ProtoAH when Payload starts
	// with an Authentication Header.
	Proto int
	// Payload is everything after the IP header: the VRRP packet, or AH
	// followed by the VRRP packet. It is owned by the receiver.
	Payload []byte
	// IPHeader is the IPv4 header as received (nil for IPv6); AH (RFC 2402
	// §3.3.3) authenticates parts of it.
	IPHeader []byte
}

// Copy is one copy of an advertisement: multicast sends one to the group,
// unicast one to each peer (each copy may need its own checksum, since the
// VRRPv3 checksum covers the destination in its pseudo-header).
type Copy struct {
	Dst     netip.Addr
	Payload []byte
}

// Config describes one VRRP instance's use of the transport.
type Config struct {
	// Interface is the instance's interface name. It is required for
	// multicast; unicast may omit it (keepalived allows that with a
	// non-link-local unicast_src_ip).
	Interface string
	// VRID is the virtual router ID used to demultiplex received packets.
	VRID uint8
	// IPv6 selects the address family.
	IPv6 bool
	// Proto is ProtoVRRP (default when 0) or ProtoAH (IPv4 only).
	Proto int
	// Group is the multicast group (mcast_dst_ip / vrrp_mcast_group4/6);
	// the zero value means 224.0.0.18 or ff02::12.
	Group netip.Addr
	// Src is mcast_src_ip or unicast_src_ip. Zero lets the kernel choose
	// (the interface's primary address) when sending; unicast requires it.
	// A unicast source is bound with IP(V6)_FREEBIND, so it need not exist yet.
	Src netip.Addr
	// Peers are the unicast_peer addresses; non-empty means unicast mode.
	Peers []netip.Addr
	// UnicastTTL is unicast_ttl (1..255). Zero means keepalived's default:
	// 255 for IPv4 and the kernel's default hop limit (usually 64) for IPv6.
	UnicastTTL int
	// RecvBuffer is SO_RCVBUF for the shared receive socket in bytes
	// (kernel_rx_buf_size); 0 keeps the kernel default. The first instance
	// to open a socket pair sets it.
	RecvBuffer int
	// QueueLen bounds the receive queue of this instance (default 64);
	// packets arriving while it is full are dropped and counted.
	QueueLen int
}

// Unicast reports whether the config describes a unicast instance.
func (c *Config) Unicast() bool { return len(c.Peers) > 0 }

// proto returns the IP protocol with the default applied.
func (c *Config) proto() int {
	if c.Proto == 0 {
		return ProtoVRRP
	}
	return c.Proto
}

// group returns the multicast group with the family default applied.
func (c *Config) group() netip.Addr {
	if c.Group.IsValid() {
		return c.Group
	}
	if c.IPv6 {
		return GroupV6
	}
	return GroupV4
}

// Destinations returns where each advertisement goes: the group, or every
// peer in configuration order.
func (c *Config) Destinations() []netip.Addr {
	if c.Unicast() {
		return append([]netip.Addr(nil), c.Peers...)
	}
	return []netip.Addr{c.group()}
}

// Stats counts what happened on one shared socket pair. All fields are
// cumulative.
type Stats struct {
	// Received counts packets read from the receive socket.
	Received uint64
	// RecvErrors counts failed reads and unparsable IP headers.
	RecvErrors uint64
	// Short counts packets too short to carry a VRID.
	Short uint64
	// NoInstance counts packets for a VRID (or unicast peer) no instance owns.
	NoInstance uint64
	// QueueFull counts packets dropped because the instance's queue was full.
	QueueFull uint64
	// Sent counts copies handed to the kernel.
	Sent uint64
	// SendErrors counts copies the kernel refused.
	SendErrors uint64
}

// counters is the atomic form of Stats.
type counters struct {
	received, recvErrors, short, noInstance, queueFull, sent, sendErrors atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Received:   c.received.Load(),
		RecvErrors: c.recvErrors.Load(),
		Short:      c.short.Load(),
		NoInstance: c.noInstance.Load(),
		QueueFull:  c.queueFull.Load(),
		Sent:       c.sent.Load(),
		SendErrors: c.sendErrors.Load(),
	}
}
