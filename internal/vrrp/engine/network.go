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
	// Open returns the instance's handle on the VRRP socket for ep. The network shares one socket
	// among the instances of equal endpoints (reference §6.8) and demultiplexes by VRID and, for
	// unicast, by peer; recv is called for every packet of this instance, from a goroutine of the
	// network's own, with data the callee may keep.
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
	// CreateVMAC creates (or adopts from an earlier run) the VMAC interface of an instance with
	// use_vmac — a private macvlan with the virtual router MAC — and returns its name.
	CreateVMAC(c *config.Instance, g *config.GlobalDefs) (string, error)
	// DeleteVMAC removes a VMAC made by CreateVMAC and restores its parent's settings.
	DeleteVMAC(name string) error
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

// Endpoint describes one instance's use of the VRRP sockets. keepalived keeps one socket per
// (interface, family, unicast source or multicast group) and tells instances apart by VRID.
type Endpoint struct {
	Iface  string
	Family packet.Family
	VRID   uint8
	// Src is the advert source (mcast_src_ip, unicast_src_ip or the interface's address).
	Src netip.Addr
	// Group is the multicast group; Peers the unicast peers (none: multicast).
	Group netip.Addr
	Peers []netip.Addr
	// UnicastTTL is unicast_ttl; -1 means keepalived's default (255 for IPv4, the kernel default
	// hop limit for IPv6).
	UnicastTTL int
	// AH selects IP protocol 51 instead of 112.
	AH bool
}

// Unicast reports whether the endpoint sends to peers rather than a group.
func (ep *Endpoint) Unicast() bool { return len(ep.Peers) > 0 }

// Packet is one received VRRP packet.
type Packet struct {
	Src, Dst netip.Addr
	// TTL is the IPv4 TTL or IPv6 hop limit; -1 when the socket did not report it.
	TTL int
	// Data is the whole IPv4 datagram, or the VRRP message for IPv6.
	Data []byte
}

// Conn sends an instance's adverts.
type Conn interface {
	// Send transmits one advert: one copy per destination (the group, or each unicast peer), all
	// in one call because they share one IPv4 identification. For IPv4 each copy is the whole
	// datagram the engine built (as keepalived does with IP_HDRINCL: TOS 0xC0, TTL, ID); for IPv6
	// it is the VRRP message, checksummed by the kernel.
	Send(copies []Datagram) error
	// Close releases the instance's use of the socket.
	Close() error
}

// Datagram is one copy of an advert for one destination.
type Datagram struct {
	Dst  netip.Addr
	Data []byte
}

// AddressSet is what an instance installs while MASTER: its VIPs and eVIPs (with Dev resolved to
// a real interface), virtual routes and virtual rules.
type AddressSet struct {
	Addrs  []config.VirtualAddr
	Routes []config.Route
	Rules  []config.Rule
	// NoAccept is no_accept (the default under vrrp_strict for a non-owner): while installed,
	// traffic addressed to Addrs is dropped by firewall rules, as keepalived's nftables rules do.
	NoAccept bool
}

// Empty reports whether the set holds nothing.
func (s AddressSet) Empty() bool {
	return len(s.Addrs) == 0 && len(s.Routes) == 0 && len(s.Rules) == 0
}
