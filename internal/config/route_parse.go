package config

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// RouteType is the kind of route (rtnetlink RTN_*).
type RouteType uint8

// Route types written as the first word of an ip-route(8) line.
const (
	RouteUnicast     RouteType = 1
	RouteLocal       RouteType = 2
	RouteBroadcast   RouteType = 3
	RouteAnycast     RouteType = 4
	RouteMulticast   RouteType = 5
	RouteBlackhole   RouteType = 6
	RouteUnreachable RouteType = 7
	RouteProhibit    RouteType = 8
	RouteThrow       RouteType = 9
	RouteNAT         RouteType = 10
)

var routeTypeNames = map[string]RouteType{"unicast": RouteUnicast, "local": RouteLocal, "broadcast": RouteBroadcast,
	"anycast": RouteAnycast, "multicast": RouteMulticast, "blackhole": RouteBlackhole,
	"unreachable": RouteUnreachable, "prohibit": RouteProhibit, "throw": RouteThrow, "nat": RouteNAT}

// String returns the ip-route(8) word.
func (t RouteType) String() string {
	for k, v := range routeTypeNames {
		if v == t {
			return k
		}
	}
	return strconv.Itoa(int(t))
}

// Nexthop is one gateway of a route ("via", or each "nexthop" of a multipath route).
type Nexthop struct {
	Via    netip.Addr
	Dev    string
	Weight int
	OnLink bool
}

// Route is one line of virtual_routes or static_routes (vrrp_iproute.c, ip-route(8) grammar).
type Route struct {
	Pos  syntax.Pos
	Type RouteType
	// Dst is the destination; "default" is 0.0.0.0/0 or ::/0.
	Dst netip.Prefix
	Src netip.Addr
	// Via, Dev and OnLink describe a single-path route; Nexthops a multipath one.
	Via      netip.Addr
	Dev      string
	OnLink   bool
	Nexthops []Nexthop
	// Table is the routing table id (main = 254 by default).
	Table    uint32
	Metric   uint32
	Scope    Scope
	ScopeSet bool
	Protocol uint8
	TOS      uint8
	Realms   uint32
	// Metrics holds the RTAX_* values (mtu, advmss, window, ...), keyed by their ip-route name.
	Metrics map[string]uint32
	// Locks holds the metrics written with "lock".
	Locks map[string]bool
	// Pref is the IPv6 router preference (low, medium, high).
	Pref string
	// Op is add (prepend, the default), append or replace.
	Op string
	// NoTrack: losing this route does not affect the instance state.
	NoTrack    bool
	TrackGroup string
}

// routeMetricNames are the ip-route(8) metric keywords taking a number.
var routeMetricNames = map[string]bool{"mtu": true, "advmss": true, "window": true, "rtt": true, "rttvar": true,
	"ssthresh": true, "cwnd": true, "initcwnd": true, "initrwnd": true, "reordering": true, "hoplimit": true,
	"rto_min": true, "features": true, "quickack": true, "fastopen_no_cookie": true}

// parseTable reads a routing table name or number.
func parseTable(s string) (uint32, bool) {
	switch s {
	case "main":
		return 254, true
	case "local":
		return 255, true
	case "default":
		return 253, true
	case "unspec":
		return 0, true
	}
	v, err := strconv.ParseUint(s, 0, 32)
	return uint32(v), err == nil
}

var protoNames = map[string]uint8{"redirect": 1, "kernel": 2, "boot": 3, "static": 4, "gated": 8, "ra": 9,
	"mrt": 10, "zebra": 11, "bird": 12, "dnrouted": 13, "xorp": 14, "ntk": 15, "dhcp": 16, "keepalived": 18,
	"babel": 42, "bgp": 186, "isis": 187, "ospf": 188, "rip": 189, "eigrp": 192}

func parseProto(s string) (uint8, bool) {
	if v, ok := protoNames[s]; ok {
		return v, true
	}
	v, err := strconv.ParseUint(s, 0, 8)
	return uint8(v), err == nil
}

// routeLine parses one route line. Deprecated "gw" and "or" are accepted with a warning.
func (p *parser) routeLine(n *syntax.Node) (Route, bool) {
	r := Route{Pos: n.Pos, Type: RouteUnicast, Table: 254}
	a := n.Args
	bad := func(format string, args ...any) (Route, bool) {
		p.errorf(n, "route '%s': "+format, append([]any{strings.Join(a, " ")}, args...)...)
		return r, false
	}
	val := func(i int) (string, bool) {
		if i+1 < len(a) {
			return a[i+1], true
		}
		return "", false
	}
	haveDst := false
	for i := 0; i < len(a); i++ {
		w := a[i]
		if t, ok := routeTypeNames[w]; ok && !haveDst {
			r.Type = t
			continue
		}
		switch w {
		case "src", "via", "gw", "or", "dev", "oif", "table", "metric", "priority", "preference", "scope",
			"proto", "protocol", "tos", "dsfield", "realms", "pref", "track_group", "to", "from":
			s, ok := val(i)
			if !ok {
				return bad("'%s' is missing its value", w)
			}
			i++
			switch w {
			case "to":
				pf, ok := parseDest(s)
				if !ok {
					return bad("invalid destination '%s'", s)
				}
				r.Dst, haveDst = pf, true
			case "src", "from":
				ad, err := netip.ParseAddr(s)
				if err != nil {
					return bad("invalid source address '%s'", s)
				}
				r.Src = ad
			case "via", "gw", "or":
				if w == "gw" {
					p.warnf(n, "'gw' is deprecated in routes, use 'via'")
				}
				if w == "or" {
					p.warnf(n, "'or' in routes is deprecated, use 'nexthop via' for a multipath route")
				}
				if s == "inet" || s == "inet6" {
					if s2, ok := val(i); ok {
						s = s2
						i++
					}
				}
				ad, err := netip.ParseAddr(s)
				if err != nil {
					return bad("invalid gateway '%s'", s)
				}
				if w == "or" {
					if r.Via.IsValid() && len(r.Nexthops) == 0 {
						r.Nexthops = append(r.Nexthops, Nexthop{Via: r.Via, Dev: r.Dev})
						r.Via = netip.Addr{}
					}
					r.Nexthops = append(r.Nexthops, Nexthop{Via: ad})
					continue
				}
				r.Via = ad
			case "dev", "oif":
				r.Dev = s
			case "table":
				t, ok := parseTable(s)
				if !ok {
					return bad("unknown table '%s'", s)
				}
				r.Table = t
			case "metric", "priority", "preference":
				v, err := strconv.ParseUint(s, 0, 32)
				if err != nil {
					return bad("invalid metric '%s'", s)
				}
				r.Metric = uint32(v)
			case "scope":
				sc, ok := parseScope(s)
				if !ok {
					return bad("invalid scope '%s'", s)
				}
				r.Scope, r.ScopeSet = sc, true
			case "proto", "protocol":
				pr, ok := parseProto(s)
				if !ok {
					return bad("unknown protocol '%s'", s)
				}
				r.Protocol = pr
			case "tos", "dsfield":
				v, err := strconv.ParseUint(s, 0, 8)
				if err != nil {
					return bad("invalid tos '%s'", s)
				}
				r.TOS = uint8(v)
			case "realms":
				v, err := strconv.ParseUint(s, 0, 32)
				if err != nil {
					return bad("invalid realms '%s'", s)
				}
				r.Realms = uint32(v)
			case "pref":
				if s != "low" && s != "medium" && s != "high" {
					return bad("invalid pref '%s': expected low, medium or high", s)
				}
				r.Pref = s
			case "track_group":
				r.TrackGroup = s
			}
		case "onlink":
			r.OnLink = true
		case "no_track":
			r.NoTrack = true
		case "add", "append", "replace", "prepend":
			r.Op = w
		case "nexthop":
			nh := Nexthop{Weight: 1}
			for i+1 < len(a) {
				k := a[i+1]
				if k != "via" && k != "dev" && k != "weight" && k != "onlink" {
					break
				}
				i++
				if k == "onlink" {
					nh.OnLink = true
					continue
				}
				s, ok := val(i)
				if !ok {
					return bad("nexthop '%s' is missing its value", k)
				}
				i++
				switch k {
				case "via":
					ad, err := netip.ParseAddr(s)
					if err != nil {
						return bad("invalid nexthop gateway '%s'", s)
					}
					nh.Via = ad
				case "dev":
					nh.Dev = s
				case "weight":
					v, err := strconv.Atoi(s)
					if err != nil || v < 1 || v > 256 {
						return bad("invalid nexthop weight '%s': expected 1-256", s)
					}
					nh.Weight = v
				}
			}
			r.Nexthops = append(r.Nexthops, nh)
		default:
			if routeMetricNames[w] {
				s, ok := val(i)
				if !ok {
					return bad("'%s' is missing its value", w)
				}
				i++
				if s == "lock" {
					s, ok = val(i)
					if !ok {
						return bad("'%s lock' is missing its value", w)
					}
					i++
					if r.Locks == nil {
						r.Locks = map[string]bool{}
					}
					r.Locks[w] = true
				}
				v, err := strconv.ParseUint(strings.TrimSuffix(s, "ms"), 0, 32)
				if err != nil {
					return bad("invalid %s '%s'", w, s)
				}
				if r.Metrics == nil {
					r.Metrics = map[string]uint32{}
				}
				r.Metrics[w] = uint32(v)
				continue
			}
			if haveDst {
				return bad("unknown route option '%s'", w)
			}
			pf, ok := parseDest(w)
			if !ok {
				return bad("invalid destination '%s'", w)
			}
			r.Dst, haveDst = pf, true
		}
	}
	if !haveDst {
		return bad("no destination given")
	}
	if r.Dst.Bits() == 0 && r.Dst.Addr().Is4() && (r.Via.Is6() || r.Src.Is6() || (len(r.Nexthops) > 0 && r.Nexthops[0].Via.Is6())) {
		// "default" takes the family of the gateway or source, as ip route does.
		r.Dst = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
	}
	if r.Src.IsValid() && r.Src.Is4() != r.Dst.Addr().Is4() {
		return bad("source %s and destination are of different families", r.Src)
	}
	if r.Via.IsValid() && r.Via.Is4() != r.Dst.Addr().Is4() {
		return bad("gateway %s and destination are of different families", r.Via)
	}
	return r, true
}

// parseDest reads a destination prefix or "default".
func parseDest(s string) (netip.Prefix, bool) {
	switch s {
	case "default", "all", "any":
		return netip.PrefixFrom(netip.IPv4Unspecified(), 0), true
	}
	pf, ok := parsePrefix(s)
	if !ok {
		return pf, false
	}
	return pf.Masked(), true
}

// routeBlock parses every line of a routes block.
func (p *parser) routeBlock(n *syntax.Node) []Route {
	if !n.HasBlock {
		p.errorf(n, "'%s' expects a block: '%s {'", n.Keyword(), n.Keyword())
		return nil
	}
	var out []Route
	for _, c := range valueLines(n) {
		if r, ok := p.routeLine(c); ok {
			out = append(out, r)
		}
	}
	return out
}
