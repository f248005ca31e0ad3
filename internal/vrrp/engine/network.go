package engine

import (
	"net"
	"net/netip"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/packet"
)

// Network is everything the engine needs from the kernel. The Linux implementation lives in
// package linuxnet; tests use an in-memory fake.
type Network interface {
	// Interface returns what the engine needs to know about the named interface now.
	Interface(name string) (Interface, error)
	// Open returns the socket for ep. Instances with equal endpoints share one socket and are told
	// apart by VRID (and by source for unicast); recv is called for every packet received on it,
	// from a goroutine of the network's own, with data the callee may keep.
	Open(ep Endpoint, recv func(Packet)) (Conn, error)
	// SetAddresses makes the kernel hold all of set (installed) or none of it (!installed),
	// changing only what differs. It may take a while (netlink); the engine never calls it from
	// the loop.
	SetAddresses(owner string, set AddressSet, installed bool) error
	// Announce sends count gratuitous ARPs (IPv4) or unsolicited neighbour advertisements (IPv6)
	// for every address of set, each from the interface that holds it. Never called from the loop.
	Announce(set AddressSet, count int) error
	// WatchLinks calls fn with the interface's name whenever a link's state or its addresses
	// change, until the network is closed. fn must not block.
	WatchLinks(fn func(name string)) error
}

// Interface is one network interface as the engine sees it.
type Interface struct {
	Name  string
	Index int
	MAC   net.HardwareAddr
	// Up is the operational state (the carrier is up and the link is administratively up).
	Up bool
	// Addr4 is the primary IPv4 address; LinkLocal6 the first IPv6 link-local address.
	Addr4      netip.Addr
	LinkLocal6 netip.Addr
}

// Endpoint identifies one shared VRRP socket: keepalived keeps one per (interface, family,
// unicast source or multicast group) (reference §6.8).
type Endpoint struct {
	Iface  string
	Family packet.Family
	// Unicast endpoints bind to Src; multicast ones join Group.
	Unicast bool
	Src     netip.Addr
	Group   netip.Addr
	// AH selects IP protocol 51 instead of 112.
	AH bool
}

// Packet is one received VRRP packet.
type Packet struct {
	Src, Dst netip.Addr
	// TTL is the IPv4 TTL or IPv6 hop limit; -1 when the socket did not report it.
	TTL int
	// Data is the whole IPv4 datagram, or the VRRP message for IPv6.
	Data []byte
}

// Conn sends adverts on one endpoint.
type Conn interface {
	// Send transmits data to dst: the whole datagram with its IPv4 header (built by the engine, as
	// keepalived does with IP_HDRINCL), or the VRRP message for IPv6 sent with hop limit ttl
	// (-1: the kernel default).
	Send(dst netip.Addr, ttl int, data []byte) error
	// Close releases the engine's use of the endpoint.
	Close() error
}

// AddressSet is what an instance installs while MASTER: its VIPs and eVIPs (with Dev resolved to
// a real interface), virtual routes and virtual rules.
type AddressSet struct {
	Addrs  []config.VirtualAddr
	Routes []config.Route
	Rules  []config.Rule
}

// Empty reports whether the set holds nothing.
func (s AddressSet) Empty() bool {
	return len(s.Addrs) == 0 && len(s.Routes) == 0 && len(s.Rules) == 0
}
