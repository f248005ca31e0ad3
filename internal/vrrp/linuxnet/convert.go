package linuxnet

import (
	"fmt"
	"net/netip"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ifaddr"
)

// toAddress converts a configured VIP on the interface ifindex.
func toAddress(v config.VirtualAddr, ifindex int) ifaddr.Address {
	a := ifaddr.Address{
		Ifindex: ifindex, Prefix: v.Prefix, Scope: ifaddr.Scope(v.Scope), Label: v.Label,
		NoDAD: v.NoDAD, NoPrefixRoute: v.NoPrefixRoute, Home: v.Home, ManageTempAddr: v.MngTmpAddr,
	}
	if v.Peer.IsValid() {
		a.Peer = v.Peer.Addr()
	}
	switch v.BroadcastMode {
	case config.BroadcastAddr:
		a.Broadcast = v.Broadcast
	case config.BroadcastPlus:
		a.Broadcast = broadcastOf(v.Prefix)
	}
	switch {
	case v.PreferredForever:
		a.SetPreferredLft, a.PreferredLft = true, ifaddr.LifetimeForever
	case v.PreferredLftSet:
		a.SetPreferredLft, a.PreferredLft = true, v.PreferredLft
	}
	return a.WithKeepalivedDefaults()
}

// broadcastOf sets every host bit of an IPv4 prefix ("brd +").
func broadcastOf(p netip.Prefix) netip.Addr {
	if !p.Addr().Is4() {
		return netip.Addr{}
	}
	b := p.Addr().As4()
	for i := p.Bits(); i < 32; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom4(b)
}

// toRoute converts a configured route; ifindex is its dev's index (0 when none) and
// index resolves each multipath nexthop's dev. A nexthop naming a missing interface is an
// error: installing the route without that path would spread traffic differently.
func toRoute(r config.Route, ifindex int, index func(dev string) (int, error)) (ifaddr.Route, error) {
	out := ifaddr.Route{
		Dst: r.Dst, Src: r.Src, Gateway: r.Via, Ifindex: ifindex, OnLink: r.OnLink, Table: r.Table, Metric: r.Metric,
		Type: uint8(r.Type), Protocol: r.Protocol,
	}
	if r.ScopeSet {
		out.Scope = ifaddr.Scope(r.Scope)
	}
	for _, nh := range r.Nexthops {
		hop := ifaddr.Nexthop{Gateway: nh.Via, Weight: nh.Weight, OnLink: nh.OnLink}
		if nh.Dev != "" {
			idx, err := index(nh.Dev)
			if err != nil {
				return out, fmt.Errorf("nexthop dev %s: %w", nh.Dev, err)
			}
			hop.Ifindex = idx
		}
		out.Nexthops = append(out.Nexthops, hop)
	}
	if len(out.Nexthops) > 0 {
		out.Gateway, out.Ifindex, out.OnLink = netip.Addr{}, 0, false // the paths say where it goes
	}
	return out, nil
}

// toRule converts a configured rule.
func toRule(r config.Rule) ifaddr.Rule {
	return ifaddr.Rule{
		IPv6: r.Family == config.FamilyIPv6, Src: r.From, Dst: r.To, Table: r.Table, Priority: r.Preference,
		FwMark: r.FwMark, FwMask: r.FwMask, IIF: r.Iif, OIF: r.Oif,
	}
}
