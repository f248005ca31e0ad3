package ifaddr

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"golang.org/x/sys/unix"
)

// routeMessage encodes r as an rtmsg with its attributes. A route with
// Nexthops carries them in RTA_MULTIPATH (one struct rtnexthop {len, flags,
// hops = weight-1, ifindex} followed by its RTA_GATEWAY per path, encoded
// by rtnetlink/v2) and no top-level gateway or interface, as ip(8) sends it.
func routeMessage(r Route) (*rtnetlink.RouteMessage, error) {
	if err := r.validate(); err != nil {
		return nil, fmt.Errorf("ifaddr: route %s: %w", r, err)
	}
	fam := uint8(unix.AF_INET)
	if r.Dst.Addr().Unmap().Is6() {
		fam = unix.AF_INET6
	}
	table := r.Table
	if table == 0 {
		table = unix.RT_TABLE_MAIN
	}
	m := &rtnetlink.RouteMessage{
		Family:    fam,
		DstLength: uint8(r.Dst.Bits()),
		Protocol:  r.Protocol,
		Scope:     uint8(r.Scope),
		Type:      r.Type,
		Attributes: rtnetlink.RouteAttributes{
			Dst:      ipOf(r.Dst.Masked().Addr()),
			Src:      ipOf(r.Src),
			Priority: r.Metric,
			Table:    table,
		},
	}
	if len(r.Nexthops) == 0 {
		m.Attributes.Gateway = ipOf(r.Gateway)
		m.Attributes.OutIface = uint32(r.Ifindex)
		if r.OnLink {
			m.Flags = unix.RTNH_F_ONLINK
		}
	}
	for _, nh := range r.Nexthops {
		hop := rtnetlink.NextHop{
			Hop:     rtnetlink.RTNextHop{IfIndex: uint32(nh.Ifindex)},
			Gateway: ipOf(nh.Gateway),
		}
		if nh.Weight > 1 {
			hop.Hop.Hops = uint8(nh.Weight - 1)
		}
		if nh.OnLink {
			hop.Hop.Flags = unix.RTNH_F_ONLINK
		}
		m.Attributes.Multipath = append(m.Attributes.Multipath, hop)
	}
	if table < 256 {
		m.Table = uint8(table)
	}
	if m.Protocol == 0 {
		m.Protocol = unix.RTPROT_BOOT
	}
	if m.Type == 0 {
		m.Type = unix.RTN_UNICAST
	}
	if m.Scope == 0 && !r.Gateway.IsValid() && len(r.Nexthops) == 0 && m.Type == unix.RTN_UNICAST && fam == unix.AF_INET {
		m.Scope = unix.RT_SCOPE_LINK // a direct IPv4 route, as ip(8) does
	}
	return m, nil
}

// addrOf converts a kernel address; nil is the zero Addr.
func addrOf(ip net.IP) (netip.Addr, error) {
	if ip == nil {
		return netip.Addr{}, nil
	}
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return netip.Addr{}, fmt.Errorf("address of %d bytes", len(ip))
	}
	return a.Unmap(), nil
}

// routeFromMessage decodes a route the kernel reported. ok is false for a
// family other than IPv4 and IPv6.
func routeFromMessage(m *rtnetlink.RouteMessage) (r Route, ok bool, err error) {
	var zero netip.Addr
	switch m.Family {
	case unix.AF_INET:
		zero = netip.IPv4Unspecified()
	case unix.AF_INET6:
		zero = netip.IPv6Unspecified()
	default:
		return r, false, nil
	}
	a := &m.Attributes
	dst, err := addrOf(a.Dst)
	if err != nil {
		return r, false, fmt.Errorf("ifaddr: route destination: %w", err)
	}
	if !dst.IsValid() {
		dst = zero // the default route has no RTA_DST
	}
	if dst.BitLen() != zero.BitLen() || int(m.DstLength) > dst.BitLen() {
		return r, false, fmt.Errorf("ifaddr: route to %s/%d in family %d", dst, m.DstLength, m.Family)
	}
	r = Route{
		Dst: netip.PrefixFrom(dst, int(m.DstLength)), Ifindex: int(a.OutIface), Table: a.Table, Metric: a.Priority,
		Scope: Scope(m.Scope), Type: m.Type, Protocol: m.Protocol, OnLink: m.Flags&unix.RTNH_F_ONLINK != 0,
	}
	if r.Table == 0 {
		r.Table = uint32(m.Table)
	}
	if r.Src, err = addrOf(a.Src); err != nil {
		return r, false, fmt.Errorf("ifaddr: route source: %w", err)
	}
	if r.Gateway, err = addrOf(a.Gateway); err != nil {
		return r, false, fmt.Errorf("ifaddr: route gateway: %w", err)
	}
	for _, hop := range a.Multipath {
		gw, err := addrOf(hop.Gateway)
		if err != nil {
			return r, false, fmt.Errorf("ifaddr: nexthop gateway: %w", err)
		}
		r.Nexthops = append(r.Nexthops, Nexthop{
			Gateway: gw, Ifindex: int(hop.Hop.IfIndex), Weight: int(hop.Hop.Hops) + 1,
			OnLink: hop.Hop.Flags&unix.RTNH_F_ONLINK != 0,
		})
	}
	return r, true, nil
}

// ParseRouteMessage decodes the body of an RTM_NEWROUTE message (rtmsg and
// attributes). ok is false for a family other than IPv4 and IPv6.
func ParseRouteMessage(b []byte) (r Route, ok bool, err error) {
	var m rtnetlink.RouteMessage
	if err := m.UnmarshalBinary(b); err != nil {
		return r, false, fmt.Errorf("ifaddr: decode route: %w", err)
	}
	return routeFromMessage(&m)
}

// ListRoutes dumps the IPv4 and IPv6 routes of table (0: main).
func (n *Netlink) ListRoutes(table uint32) ([]Route, error) {
	if table == 0 {
		table = unix.RT_TABLE_MAIN
	}
	msgs, err := n.rt.Route.List()
	if err != nil {
		return nil, fmt.Errorf("ifaddr: dump routes: %w", err)
	}
	var out []Route
	for i := range msgs {
		r, ok, err := routeFromMessage(&msgs[i])
		if err != nil {
			return nil, err
		}
		if ok && r.Table == table {
			out = append(out, r)
		}
	}
	return out, nil
}

// AddRoute adds r; EEXIST is success.
func (n *Netlink) AddRoute(r Route) error {
	m, err := routeMessage(r)
	if err != nil {
		return err
	}
	if err := n.rt.Route.Add(m); err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("ifaddr: add route %s: %w", r, err)
	}
	return nil
}

// ReplaceRoute installs r in place of the route with the same table,
// destination and metric (NLM_F_REPLACE), or adds it. An IPv6 multipath
// replace swaps all of the old route's paths (Linux 4.11 and later).
func (n *Netlink) ReplaceRoute(r Route) error {
	m, err := routeMessage(r)
	if err != nil {
		return err
	}
	if err := n.rt.Route.Replace(m); err != nil {
		return fmt.Errorf("ifaddr: replace route %s: %w", r, err)
	}
	return nil
}

// DelRoute removes r; ESRCH (already gone) is success. A multipath route
// is deleted with its paths, so the kernel only removes a route whose
// paths match.
func (n *Netlink) DelRoute(r Route) error {
	m, err := routeMessage(r)
	if err != nil {
		return err
	}
	if err := n.rt.Route.Delete(m); err != nil && !errors.Is(err, unix.ESRCH) {
		return fmt.Errorf("ifaddr: delete route %s: %w", r, err)
	}
	return nil
}

var _ RouteManager = (*Netlink)(nil)
