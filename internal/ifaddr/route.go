package ifaddr

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Kernel defaults the route identity depends on (rtnetlink(7), ip-route(8)).
const (
	tableMain        = 254  // RT_TABLE_MAIN: table 0 means main
	ipv6MetricDflt   = 1024 // IP6_RT_PRIO_USER: an IPv6 route without a metric gets this one
	rtprotBoot       = 3    // RTPROT_BOOT: ip(8)'s default protocol
	rtnUnicast       = 1    // RTN_UNICAST
	rtnhFOnlink      = 4    // RTNH_F_ONLINK
	maxNexthopWeight = 256  // rtnh_hops is a byte holding weight-1
)

// RouteKey identifies a route the way the kernel does when it looks for an
// existing one to replace or delete: table, destination and metric (TOS is
// always 0 here). IPv6 metric 0 is the kernel's 1024.
type RouteKey struct {
	Table  uint32
	Dst    netip.Prefix
	Metric uint32
}

// Key returns the kernel identity of r.
func (r Route) Key() RouteKey {
	k := RouteKey{Table: r.Table, Dst: netip.PrefixFrom(r.Dst.Addr().Unmap(), r.Dst.Bits()).Masked(), Metric: r.Metric}
	if k.Table == 0 {
		k.Table = tableMain
	}
	if k.Metric == 0 && k.Dst.Addr().Is6() {
		k.Metric = ipv6MetricDflt
	}
	return k
}

// paths returns r's next hops in one form for comparison: the multipath
// list, or its gateway and interface as a single path of weight 1. A lone
// `nexthop` is installed, and reported back by the kernel, as a plain route.
func (r Route) paths() []Nexthop {
	if len(r.Nexthops) == 0 {
		return []Nexthop{{Gateway: r.Gateway.Unmap(), Ifindex: r.Ifindex, Weight: 1, OnLink: r.OnLink}}
	}
	out := make([]Nexthop, len(r.Nexthops))
	for i, nh := range r.Nexthops {
		nh.Gateway = nh.Gateway.Unmap()
		if nh.Weight == 0 || len(r.Nexthops) == 1 {
			nh.Weight = 1 // a lone path's weight means nothing and is not reported
		}
		out[i] = nh
	}
	return out
}

// validate reports what the kernel would reject in r's next hops, so that
// the error names the route and the path instead of a bare EINVAL.
func (r Route) validate() error {
	if !r.Dst.IsValid() {
		return errors.New("route without destination")
	}
	v4 := r.Dst.Addr().Unmap().Is4()
	for i, nh := range r.Nexthops {
		if !nh.Gateway.IsValid() && nh.Ifindex == 0 {
			return fmt.Errorf("nexthop %d has neither via nor dev", i+1)
		}
		if nh.Gateway.IsValid() && nh.Gateway.Unmap().Is4() != v4 {
			// An IPv4 route via an IPv6 gateway needs RTA_VIA, which is not sent.
			return fmt.Errorf("nexthop %d: gateway %s is not of the route's family", i+1, nh.Gateway)
		}
		if nh.Weight < 0 || nh.Weight > maxNexthopWeight {
			return fmt.Errorf("nexthop %d: weight %d is not 1-%d", i+1, nh.Weight, maxNexthopWeight)
		}
	}
	if len(r.Nexthops) > 0 && r.Type != 0 && r.Type != rtnUnicast {
		return fmt.Errorf("a route of type %d cannot have nexthops", r.Type)
	}
	return nil
}

// String formats r like ip(8): "203.0.113.0/24 table 100 nexthop via
// 198.51.100.2 dev 3 weight 2 nexthop via 198.51.100.3".
func (r Route) String() string {
	var b strings.Builder
	b.WriteString(r.Dst.String())
	if r.Table != 0 && r.Table != tableMain {
		fmt.Fprintf(&b, " table %d", r.Table)
	}
	if r.Metric != 0 {
		fmt.Fprintf(&b, " metric %d", r.Metric)
	}
	if len(r.Nexthops) == 0 {
		if r.Gateway.IsValid() {
			fmt.Fprintf(&b, " via %s", r.Gateway)
		}
		if r.Ifindex != 0 {
			fmt.Fprintf(&b, " dev %d", r.Ifindex)
		}
		if r.OnLink {
			b.WriteString(" onlink")
		}
	}
	for _, nh := range r.Nexthops {
		b.WriteString(" nexthop")
		if nh.Gateway.IsValid() {
			fmt.Fprintf(&b, " via %s", nh.Gateway)
		}
		if nh.Ifindex != 0 {
			fmt.Fprintf(&b, " dev %d", nh.Ifindex)
		}
		if nh.Weight > 1 {
			fmt.Fprintf(&b, " weight %d", nh.Weight)
		}
		if nh.OnLink {
			b.WriteString(" onlink")
		}
	}
	return b.String()
}

// sameRoute reports whether the kernel's route cur already is the desired
// route want: same source, type, protocol and the same paths in any order.
// A path's interface only counts when want names one (the kernel resolves
// the rest).
func sameRoute(want, cur Route) bool {
	if want.Src.Unmap() != cur.Src.Unmap() || orDefault(want.Type, rtnUnicast) != orDefault(cur.Type, rtnUnicast) ||
		orDefault(want.Protocol, rtprotBoot) != orDefault(cur.Protocol, rtprotBoot) {
		return false
	}
	wp, cp := want.paths(), cur.paths()
	if len(wp) != len(cp) {
		return false
	}
	used := make([]bool, len(cp))
next:
	for _, w := range wp {
		for i, c := range cp {
			if !used[i] && w.Gateway == c.Gateway && w.Weight == c.Weight && w.OnLink == c.OnLink &&
				(w.Ifindex == 0 || w.Ifindex == c.Ifindex) {
				used[i] = true
				continue next
			}
		}
		return false
	}
	return true
}

func orDefault(v, dflt uint8) uint8 {
	if v == 0 {
		return dflt
	}
	return v
}

// indexRoutes maps the kernel's routes by key. Older kernels (before 4.11)
// list an IPv6 multipath route as one route per path with the same key;
// those are folded back into one route with Nexthops.
func indexRoutes(current []Route) map[RouteKey]Route {
	have := make(map[RouteKey]Route, len(current))
	for _, r := range current {
		k := r.Key()
		prev, dup := have[k]
		if !dup {
			have[k] = r
			continue
		}
		if !k.Dst.Addr().Is6() {
			continue // IPv4 lists the first route first; that is the one a replace hits
		}
		merged := prev
		merged.Nexthops = append(append([]Nexthop(nil), prev.paths()...), r.paths()...)
		merged.Gateway, merged.Ifindex = netip.Addr{}, 0
		have[k] = merged
	}
	return have
}

// PlanRoutes computes what makes current agree with desired for the routes
// in owned: add each desired route whose key is absent, replace each one
// whose key is present with other paths (or weights, source, protocol),
// delete each owned, undesired route whose key is present. Desired routes
// count as owned; routes neither desired nor owned are never touched.
func PlanRoutes(current, desired, owned []Route) (add, replace, del []Route) {
	have := indexRoutes(current)
	want := make(map[RouteKey]bool, len(desired))
	for _, r := range desired {
		k := r.Key()
		if want[k] {
			continue
		}
		want[k] = true
		cur, ok := have[k]
		switch {
		case !ok:
			add = append(add, r)
		case !sameRoute(r, cur):
			replace = append(replace, r)
		}
	}
	seen := make(map[RouteKey]bool, len(owned))
	for _, r := range owned {
		k := r.Key()
		if _, ok := have[k]; want[k] || seen[k] || !ok {
			continue
		}
		seen[k] = true
		del = append(del, r)
	}
	return add, replace, del
}

// RouteManager is the part of the kernel boundary route reconciliation needs.
type RouteManager interface {
	// ListRoutes returns the routes of table (0: main) in both families.
	ListRoutes(table uint32) ([]Route, error)
	AddRoute(r Route) error
	// ReplaceRoute installs r in place of the route with r's key.
	ReplaceRoute(r Route) error
	DelRoute(r Route) error
}

// RouteResult tells what a route reconcile did.
type RouteResult struct {
	Added, Replaced, Removed []Route
}

// Ops is the number of kernel operations performed.
func (r RouteResult) Ops() int { return len(r.Added) + len(r.Replaced) + len(r.Removed) }

// ReconcileRoutes lists the kernel's routes once per table involved,
// computes PlanRoutes and applies it: deletions, replacements, additions.
// Every operation is tried; a route that cannot be installed yields an
// error naming it and does not stop the others. A second call with the
// same sets performs no operation.
func ReconcileRoutes(m RouteManager, desired, owned []Route) (RouteResult, error) {
	var res RouteResult
	var errs []error
	var current []Route
	listed := map[uint32]bool{}
	for _, rs := range [][]Route{desired, owned} {
		for _, r := range rs {
			t := r.Key().Table
			if listed[t] {
				continue
			}
			listed[t] = true
			got, err := m.ListRoutes(t)
			if err != nil {
				return res, fmt.Errorf("reconcile routes: %w", err)
			}
			current = append(current, got...)
		}
	}
	var valid []Route
	invalid := map[RouteKey]bool{}
	for _, r := range desired {
		if err := r.validate(); err != nil {
			errs = append(errs, fmt.Errorf("route %s: %w", r, err))
			invalid[r.Key()] = true
			continue
		}
		valid = append(valid, r)
	}
	var keep []Route // an invalid desired route's key may hold someone else's route: leave it
	for _, r := range owned {
		if !invalid[r.Key()] {
			keep = append(keep, r)
		}
	}
	add, replace, del := PlanRoutes(current, valid, keep)
	for _, r := range del {
		if err := m.DelRoute(r); err != nil {
			errs = append(errs, err)
			continue
		}
		res.Removed = append(res.Removed, r)
	}
	for _, r := range replace {
		if err := m.ReplaceRoute(r); err != nil {
			errs = append(errs, err)
			continue
		}
		res.Replaced = append(res.Replaced, r)
	}
	for _, r := range add {
		if err := m.AddRoute(r); err != nil {
			errs = append(errs, err)
			continue
		}
		res.Added = append(res.Added, r)
	}
	return res, errors.Join(errs...)
}
