package config

import (
	"net/netip"
	"strconv"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Scope is an address or route scope (rtnetlink RT_SCOPE_*), written by name in the configuration.
type Scope uint8

// Named scopes from /etc/iproute2/rt_scopes.
const (
	ScopeGlobal  Scope = 0
	ScopeSite    Scope = 200
	ScopeLink    Scope = 253
	ScopeHost    Scope = 254
	ScopeNowhere Scope = 255
)

// String returns the iproute2 name, or the number.
func (s Scope) String() string {
	switch s {
	case ScopeGlobal:
		return "global"
	case ScopeSite:
		return "site"
	case ScopeLink:
		return "link"
	case ScopeHost:
		return "host"
	case ScopeNowhere:
		return "nowhere"
	}
	return strconv.Itoa(int(s))
}

// parseScope reads a scope name or number (0-255).
func parseScope(s string) (Scope, bool) {
	switch s {
	case "global", "universe":
		return ScopeGlobal, true
	case "site":
		return ScopeSite, true
	case "link":
		return ScopeLink, true
	case "host":
		return ScopeHost, true
	case "nowhere":
		return ScopeNowhere, true
	}
	v, err := strconv.ParseUint(s, 0, 8)
	return Scope(v), err == nil
}

// BroadcastMode says how a VIP's broadcast address is set ("brd ADDR|+|-").
type BroadcastMode int

// Broadcast modes; BroadcastNone leaves the kernel default.
const (
	BroadcastNone BroadcastMode = iota
	BroadcastAddr
	BroadcastPlus
	BroadcastMinus
)

// String returns the configuration form.
func (b BroadcastMode) String() string {
	switch b {
	case BroadcastAddr:
		return "addr"
	case BroadcastPlus:
		return "+"
	case BroadcastMinus:
		return "-"
	}
	return "none"
}

// VirtualAddr is one line of virtual_ipaddress, virtual_ipaddress_excluded or static_ipaddress
// (vrrp_ipaddress.c parse_ipaddress(), reference §1a.10).
type VirtualAddr struct {
	// Pos is the line the address was configured on.
	Pos syntax.Pos
	// Prefix is the address and length; a missing length means /32 or /128.
	Prefix netip.Prefix
	// BroadcastMode and Broadcast come from "brd".
	BroadcastMode BroadcastMode
	Broadcast     netip.Addr
	// Dev is the interface; empty means the instance interface (or VMAC), or default_interface
	// for static addresses.
	Dev string
	// Scope defaults to global.
	Scope Scope
	// Label is the IPv4 address label.
	Label string
	// Peer is the point-to-point peer address.
	Peer netip.Prefix
	// Flags from ip-address(8).
	Home, NoDAD, MngTmpAddr, NoPrefixRoute, AutoJoin bool
	// NoTrack: deleting this VIP externally does not make the instance leave MASTER.
	NoTrack bool
	// PreferredLft is the preferred lifetime in seconds when PreferredLftSet; PreferredForever
	// means "forever". IPv6 /128 VIPs default to 0 (deprecated) as in keepalived.
	PreferredLft     uint32
	PreferredLftSet  bool
	PreferredForever bool
	// UseVMAC puts the VIP on a VMAC (name VMACName if given) on Dev.
	UseVMAC  bool
	VMACName string
	// TrackGroup names a track_group (static addresses only).
	TrackGroup string
}

// String renders the address roughly as it was written, for messages.
func (v VirtualAddr) String() string {
	if v.Prefix.Bits() == v.Prefix.Addr().BitLen() {
		return v.Prefix.Addr().String()
	}
	return v.Prefix.String()
}

// vipLine parses one virtual_ipaddress line. The address is Args[0], as keepalived treats each
// line of the block as a vector of words.
func (p *parser) vipLine(n *syntax.Node) (VirtualAddr, bool) {
	var v VirtualAddr
	v.Pos = n.Pos
	if len(n.Args) == 0 {
		return v, false
	}
	pf, ok := parsePrefix(n.Args[0])
	if !ok {
		p.errorf(n, "invalid address '%s' in virtual_ipaddress: expected ADDR[/LEN]", n.Args[0])
		return v, false
	}
	if pf.Addr().Zone() != "" {
		pf = netip.PrefixFrom(pf.Addr().WithZone(""), pf.Bits())
	}
	v.Prefix = pf
	is6 := pf.Addr().Is6() && !pf.Addr().Is4In6()
	args := n.Args[1:]
	next := func(i int, what string) (string, bool) {
		if i+1 >= len(args) {
			p.errorf(n, "'%s' in address %s is missing its %s", args[i], n.Args[0], what)
			return "", false
		}
		return args[i+1], true
	}
	for i := 0; i < len(args); i++ {
		w := args[i]
		switch w {
		case "brd", "broadcast":
			s, ok := next(i, "broadcast address")
			if !ok {
				return v, false
			}
			i++
			if is6 {
				p.errorf(n, "broadcast address '%s' is not valid for IPv6 address %s - ignoring", s, n.Args[0])
				continue
			}
			switch s {
			case "+":
				v.BroadcastMode = BroadcastPlus
			case "-":
				v.BroadcastMode = BroadcastMinus
			default:
				a, err := netip.ParseAddr(s)
				if err != nil || !a.Is4() {
					p.errorf(n, "invalid broadcast address '%s' for %s: expected an IPv4 address, '+' or '-'", s, n.Args[0])
					continue
				}
				v.BroadcastMode, v.Broadcast = BroadcastAddr, a
			}
		case "dev":
			s, ok := next(i, "interface name")
			if !ok {
				return v, false
			}
			i++
			v.Dev = s
		case "scope":
			s, ok := next(i, "scope")
			if !ok {
				return v, false
			}
			i++
			sc, ok := parseScope(s)
			if !ok {
				p.errorf(n, "invalid scope '%s' for %s: expected global, site, link, host, nowhere or 0-255", s, n.Args[0])
				continue
			}
			if is6 {
				p.errorf(n, "scope is not supported for IPv6 address %s - ignoring", n.Args[0])
				continue
			}
			v.Scope = sc
		case "label":
			s, ok := next(i, "label")
			if !ok {
				return v, false
			}
			i++
			if is6 {
				p.errorf(n, "label is not supported for IPv6 address %s - ignoring", n.Args[0])
				continue
			}
			if len(s) >= 16 {
				p.errorf(n, "label '%s' for %s is longer than 15 characters - ignoring", s, n.Args[0])
				continue
			}
			v.Label = s
		case "peer":
			s, ok := next(i, "peer address")
			if !ok {
				return v, false
			}
			i++
			pp, ok := parsePrefix(s)
			if !ok || pp.Addr().Is4() != pf.Addr().Is4() {
				p.errorf(n, "invalid peer address '%s' for %s: expected an address of the same family", s, n.Args[0])
				continue
			}
			v.Peer = pp
		case "home", "-nodad", "mngtmpaddr", "noprefixroute", "autojoin":
			if !is6 && w != "noprefixroute" && w != "autojoin" {
				p.errorf(n, "'%s' is only valid for IPv6 addresses, not %s - ignoring", w, n.Args[0])
				continue
			}
			switch w {
			case "home":
				v.Home = true
			case "-nodad":
				v.NoDAD = true
			case "mngtmpaddr":
				v.MngTmpAddr = true
			case "noprefixroute":
				v.NoPrefixRoute = true
			case "autojoin":
				v.AutoJoin = true
			}
		case "no_track":
			v.NoTrack = true
		case "preferred_lft":
			s, ok := next(i, "lifetime")
			if !ok {
				return v, false
			}
			i++
			if s == "forever" {
				v.PreferredForever = true
				continue
			}
			u, err := strconv.ParseUint(s, 10, 32)
			if err != nil {
				p.errorf(n, "invalid preferred_lft '%s' for %s: expected seconds or 'forever'", s, n.Args[0])
				continue
			}
			v.PreferredLft, v.PreferredLftSet = uint32(u), true
		case "use_vmac":
			v.UseVMAC = true
			if i+1 < len(args) && !isVIPOption(args[i+1]) {
				v.VMACName = args[i+1]
				i++
			}
		case "track_group":
			s, ok := next(i, "group name")
			if !ok {
				return v, false
			}
			i++
			v.TrackGroup = s
		default:
			p.errorf(n, "unknown option '%s' for address %s", w, n.Args[0])
		}
	}
	if is6 && pf.Bits() == 128 && !v.PreferredLftSet && !v.PreferredForever {
		// keepalived marks IPv6 /128 VIPs deprecated so they are not picked as a source address.
		v.PreferredLftSet = true
	}
	return v, true
}

var vipOptions = map[string]bool{"brd": true, "broadcast": true, "dev": true, "scope": true, "label": true,
	"peer": true, "home": true, "-nodad": true, "mngtmpaddr": true, "noprefixroute": true, "autojoin": true,
	"no_track": true, "preferred_lft": true, "use_vmac": true, "track_group": true}

func isVIPOption(s string) bool { return vipOptions[s] }

// vipBlock parses every line of an address block.
func (p *parser) vipBlock(n *syntax.Node) []VirtualAddr {
	if !n.HasBlock {
		p.errorf(n, "'%s' expects a block: '%s {'", n.Keyword(), n.Keyword())
		return nil
	}
	var out []VirtualAddr
	for _, c := range valueLines(n) {
		if c.HasBlock {
			p.errorf(c, "unexpected block after '%s' in %s", c.Keyword(), n.Keyword())
			continue
		}
		if v, ok := p.vipLine(c); ok {
			out = append(out, v)
		}
	}
	return out
}

// familyOf returns the family of an address.
func familyOf(a netip.Addr) Family {
	if a.Is4() || a.Is4In6() {
		return FamilyIPv4
	}
	return FamilyIPv6
}
