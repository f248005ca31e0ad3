// Package ifaddr manages the kernel state a VRRP instance owns — virtual
// addresses, routes and rules — through rtnetlink, and reconciles it: the
// desired set is compared with what the kernel has and only the difference
// is applied, never touching anything the daemon does not own.
//
// Addresses carry every option keepalived's virtual_ipaddress accepts
// (keepalived vrrp_ipaddress.c: brd, scope, label, peer, preferred_lft,
// -nodad, noprefixroute, home, mngtmpaddr).
package ifaddr

import (
	"fmt"
	"net/netip"
)

// Scope is an address or route scope (rtnetlink RT_SCOPE_*).
type Scope uint8

// Scopes as named by ip(8) and keepalived's `scope` keyword.
const (
	ScopeGlobal  Scope = 0
	ScopeSite    Scope = 200
	ScopeLink    Scope = 253
	ScopeHost    Scope = 254
	ScopeNowhere Scope = 255
)

// LifetimeForever is the "forever" preferred/valid lifetime (INFINITY_LIFE_TIME).
const LifetimeForever = ^uint32(0)

// Address is one interface address with keepalived's options.
type Address struct {
	// Ifindex is the interface holding the address.
	Ifindex int
	// Prefix is the address and its prefix length (keepalived default /32, /128).
	Prefix netip.Prefix
	// Peer is the point-to-point peer (`peer ADDR`), zero when unset.
	Peer netip.Addr
	// Broadcast is the IPv4 broadcast address (`brd`), zero when unset.
	Broadcast netip.Addr
	// Scope is the address scope (IPv4 only in keepalived; default global).
	Scope Scope
	// Label is the IPv4 label (`label`), empty when unset.
	Label string
	// SetPreferredLft sends PreferredLft; otherwise the kernel's default
	// (forever) applies. keepalived gives IPv6 /128 VIPs preferred_lft 0
	// (deprecated, never chosen as a source) unless `preferred_lft forever`.
	SetPreferredLft bool
	// PreferredLft is the preferred lifetime in seconds, or LifetimeForever.
	PreferredLft uint32
	// NoDAD skips IPv6 duplicate address detection (`-nodad`).
	NoDAD bool
	// NoPrefixRoute adds no prefix route (`noprefixroute`).
	NoPrefixRoute bool
	// Home marks an IPv6 home address (`home`).
	Home bool
	// ManageTempAddr makes the kernel create temporary addresses (`mngtmpaddr`).
	ManageTempAddr bool
}

// Key identifies an address the way the kernel does: IPv4 addresses by
// interface, address and prefix length (the same address may exist with two
// lengths), IPv6 addresses by interface and address.
type Key struct {
	Ifindex int
	Addr    netip.Addr
	Bits    int // -1 for IPv6
}

// Key returns the kernel identity of a.
func (a Address) Key() Key {
	k := Key{Ifindex: a.Ifindex, Addr: a.Prefix.Addr().Unmap(), Bits: a.Prefix.Bits()}
	if k.Addr.Is6() {
		k.Bits = -1
	}
	return k
}

// String formats a like ip(8): "198.51.100.10/32 dev 3".
func (a Address) String() string {
	s := fmt.Sprintf("%s dev %d", a.Prefix, a.Ifindex)
	if a.Peer.IsValid() {
		s += " peer " + a.Peer.String()
	}
	if a.Label != "" {
		s += " label " + a.Label
	}
	return s
}

// WithKeepalivedDefaults applies keepalived's implicit rule for IPv6 /128
// VIPs: preferred_lft 0 unless a preferred lifetime was configured
// (vrrp_ipaddress.c alloc_ipaddress).
func (a Address) WithKeepalivedDefaults() Address {
	if !a.SetPreferredLft && a.Prefix.Addr().Is6() && !a.Prefix.Addr().Is4In6() && a.Prefix.Bits() == 128 {
		a.SetPreferredLft, a.PreferredLft = true, 0
	}
	return a
}

// Route is one route (keepalived virtual_routes / static_routes, the
// common subset).
type Route struct {
	// Dst is the destination prefix.
	Dst netip.Prefix
	// Src is the preferred source (`src`), zero when unset.
	Src netip.Addr
	// Gateway is the next hop (`via`), zero for a direct route.
	Gateway netip.Addr
	// Ifindex is the output interface (`dev`), 0 when unset.
	Ifindex int
	// OnLink trusts Gateway to be on the link (`onlink`, RTNH_F_ONLINK in rtm_flags).
	OnLink bool
	// Table is the routing table; 0 means main (254).
	Table uint32
	// Metric is the route priority (`metric`).
	Metric uint32
	// Scope is the route scope; global when zero.
	Scope Scope
	// Type is the route type (unix.RTN_*); 0 means unicast.
	Type uint8
	// Protocol is the route protocol (unix.RTPROT_*); 0 means boot, like ip(8).
	Protocol uint8
	// Nexthops makes the route multipath (`nexthop via ... dev ... weight
	// ...`, sent as RTA_MULTIPATH); Gateway and Ifindex are then unused.
	Nexthops []Nexthop
}

// Nexthop is one path of a multipath route (struct rtnexthop and its
// RTA_GATEWAY).
type Nexthop struct {
	// Gateway is the next hop (`via`), zero for a direct path.
	Gateway netip.Addr
	// Ifindex is the output interface (`dev`), 0 to let the kernel resolve it.
	Ifindex int
	// Weight is the path's share (1-256, sent as rtnh_hops = weight-1); 0 means 1.
	Weight int
	// OnLink trusts the gateway to be on the link without a matching
	// prefix (`onlink`, RTNH_F_ONLINK).
	OnLink bool
}

// Rule is one policy routing rule (keepalived virtual_rules / static_rules,
// the common subset).
type Rule struct {
	// IPv6 selects the family when neither Src nor Dst is set.
	IPv6 bool
	// Src and Dst are the `from` and `to` selectors, zero when unset.
	Src, Dst netip.Prefix
	// Table is the lookup table.
	Table uint32
	// Priority is `preference`; 0 lets the kernel choose.
	Priority uint32
	// FwMark and FwMask select by firewall mark (FwMask 0 with a mark means
	// an exact match).
	FwMark, FwMask uint32
	// IIF and OIF select by input and output interface name.
	IIF, OIF string
}

// Manager is the kernel boundary the daemon needs. The rtnetlink
// implementation is *Netlink; tests use an in-memory fake.
type Manager interface {
	// ListAddrs returns the addresses on ifindex, or on every interface when 0.
	ListAddrs(ifindex int) ([]Address, error)
	// AddAddr adds a; an address already present is not an error.
	AddAddr(a Address) error
	// DelAddr removes a; an address already gone is not an error.
	DelAddr(a Address) error
	// AddRoute adds r; a route already present is not an error.
	AddRoute(r Route) error
	// DelRoute removes r; a route already gone is not an error.
	DelRoute(r Route) error
	// AddRule adds r; a rule already present is not an error.
	AddRule(r Rule) error
	// DelRule removes r; a rule already gone is not an error.
	DelRule(r Rule) error
}
