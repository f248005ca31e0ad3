package config

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// RuleAction is what a rule does when it matches (rtnetlink FR_ACT_*).
type RuleAction uint8

// Rule actions; RuleToTable is "table N" / "lookup N".
const (
	RuleToTable     RuleAction = 1
	RuleGoto        RuleAction = 2
	RuleNop         RuleAction = 3
	RuleBlackhole   RuleAction = 6
	RuleUnreachable RuleAction = 7
	RuleProhibit    RuleAction = 8
)

// String returns the ip-rule(8) word.
func (a RuleAction) String() string {
	switch a {
	case RuleToTable:
		return "table"
	case RuleGoto:
		return "goto"
	case RuleNop:
		return "nop"
	case RuleBlackhole:
		return "blackhole"
	case RuleUnreachable:
		return "unreachable"
	case RuleProhibit:
		return "prohibit"
	}
	return strconv.Itoa(int(a))
}

// PortRange is an inclusive port or uid range.
type PortRange struct{ Lo, Hi uint32 }

// Rule is one line of virtual_rules or static_rules (vrrp_iprule.c, ip-rule(8) grammar).
type Rule struct {
	Pos syntax.Pos
	// Family is taken from from/to, or from an explicit inet/inet6 word; IPv4 when nothing says.
	Family Family
	Not    bool
	From   netip.Prefix
	To     netip.Prefix
	// Preference is the rule priority; PreferenceSet false means it was assigned automatically.
	Preference    uint32
	PreferenceSet bool
	TOS           uint8
	FwMark        uint32
	FwMask        uint32
	FwMarkSet     bool
	Iif, Oif      string
	L3mdev        bool
	UIDRange      *PortRange
	IPProto       uint8
	SPort, DPort  *PortRange
	Realms        uint32
	Protocol      uint8
	Action        RuleAction
	Table         uint32
	Goto          uint32
	// SuppressPrefixLen and SuppressIfGroup are -1 when unset.
	SuppressPrefixLen int
	SuppressIfGroup   int
	NoTrack           bool
	TrackGroup        string
}

func parseRange(s string) (*PortRange, bool) {
	lo, hi, dash := strings.Cut(s, "-")
	l, err := strconv.ParseUint(lo, 10, 32)
	if err != nil {
		return nil, false
	}
	h := l
	if dash {
		h, err = strconv.ParseUint(hi, 10, 32)
		if err != nil || h < l {
			return nil, false
		}
	}
	return &PortRange{uint32(l), uint32(h)}, true
}

var ipProtoNames = map[string]uint8{"icmp": 1, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51, "ipv6-icmp": 58, "sctp": 132}

// ruleLine parses one rule line.
func (p *parser) ruleLine(n *syntax.Node) (Rule, bool) {
	r := Rule{Pos: n.Pos, SuppressPrefixLen: -1, SuppressIfGroup: -1}
	a := n.Args
	bad := func(format string, args ...any) (Rule, bool) {
		p.errorf(n, "rule '%s': "+format, append([]any{strings.Join(a, " ")}, args...)...)
		return r, false
	}
	setFam := func(f Family) bool {
		if r.Family != FamilyUnset && r.Family != f {
			return false
		}
		r.Family = f
		return true
	}
	for i := 0; i < len(a); i++ {
		w := a[i]
		switch w {
		case "inet":
			r.Family = FamilyIPv4
			continue
		case "inet6":
			r.Family = FamilyIPv6
			continue
		case "not":
			r.Not = true
			continue
		case "l3mdev":
			r.L3mdev = true
			continue
		case "no_track":
			r.NoTrack = true
			continue
		case "nop":
			r.Action = RuleNop
			continue
		case "blackhole", "unreachable", "prohibit":
			r.Action = map[string]RuleAction{"blackhole": RuleBlackhole, "unreachable": RuleUnreachable, "prohibit": RuleProhibit}[w]
			continue
		}
		if i+1 >= len(a) {
			return bad("'%s' is missing its value", w)
		}
		s := a[i+1]
		i++
		switch w {
		case "from", "to":
			var pf netip.Prefix
			if s == "all" || s == "any" || s == "default" {
				continue
			}
			pf, ok := parsePrefix(s)
			if !ok {
				return bad("invalid %s address '%s'", w, s)
			}
			if !setFam(familyOf(pf.Addr())) {
				return bad("'%s %s' does not match the rule's address family", w, s)
			}
			if w == "from" {
				r.From = pf.Masked()
			} else {
				r.To = pf.Masked()
			}
		case "preference", "priority", "pref", "order":
			v, err := strconv.ParseUint(s, 0, 32)
			if err != nil {
				return bad("invalid preference '%s'", s)
			}
			r.Preference, r.PreferenceSet = uint32(v), true
		case "tos", "dsfield":
			v, err := strconv.ParseUint(s, 0, 8)
			if err != nil {
				return bad("invalid tos '%s'", s)
			}
			r.TOS = uint8(v)
		case "fwmark":
			m, mask, hasMask := strings.Cut(s, "/")
			v, err := strconv.ParseUint(m, 0, 32)
			if err != nil {
				return bad("invalid fwmark '%s'", s)
			}
			r.FwMark, r.FwMask, r.FwMarkSet = uint32(v), 0xffffffff, true
			if hasMask {
				mv, err := strconv.ParseUint(mask, 0, 32)
				if err != nil {
					return bad("invalid fwmark mask '%s'", s)
				}
				r.FwMask = uint32(mv)
			}
		case "iif", "dev":
			r.Iif = s
		case "oif":
			r.Oif = s
		case "uidrange":
			pr, ok := parseRange(s)
			if !ok {
				return bad("invalid uidrange '%s': expected N-M", s)
			}
			r.UIDRange = pr
		case "ipproto":
			if v, ok := ipProtoNames[s]; ok {
				r.IPProto = v
				continue
			}
			v, err := strconv.ParseUint(s, 0, 8)
			if err != nil {
				return bad("invalid ipproto '%s'", s)
			}
			r.IPProto = uint8(v)
		case "sport", "dport":
			pr, ok := parseRange(s)
			if !ok || pr.Hi > 65535 {
				return bad("invalid %s '%s': expected PORT or PORT-PORT", w, s)
			}
			if w == "sport" {
				r.SPort = pr
			} else {
				r.DPort = pr
			}
		case "realms":
			v, err := strconv.ParseUint(s, 0, 32)
			if err != nil {
				return bad("invalid realms '%s'", s)
			}
			r.Realms = uint32(v)
		case "protocol", "proto":
			pr, ok := parseProto(s)
			if !ok {
				return bad("unknown protocol '%s'", s)
			}
			r.Protocol = pr
		case "table", "lookup":
			t, ok := parseTable(s)
			if !ok {
				return bad("unknown table '%s'", s)
			}
			r.Action, r.Table = RuleToTable, t
		case "goto":
			v, err := strconv.ParseUint(s, 0, 32)
			if err != nil {
				return bad("invalid goto target '%s'", s)
			}
			r.Action, r.Goto = RuleGoto, uint32(v)
		case "suppress_prefixlength", "sup_pl":
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 || v > 128 {
				return bad("invalid suppress_prefixlength '%s'", s)
			}
			r.SuppressPrefixLen = v
		case "suppress_ifgroup", "sup_group":
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 {
				return bad("invalid suppress_ifgroup '%s'", s)
			}
			r.SuppressIfGroup = v
		case "track_group":
			r.TrackGroup = s
		default:
			return bad("unknown rule option '%s'", w)
		}
	}
	if r.Family == FamilyUnset {
		r.Family = FamilyIPv4
	}
	if r.Action == 0 {
		return bad("no action given: expected 'table', 'goto', 'nop', 'blackhole', 'unreachable' or 'prohibit'")
	}
	return r, true
}

// rulePrefStart is where keepalived starts assigning preferences to rules without one.
const rulePrefStart = 16384

// ruleBlock parses every line of a rules block.
func (p *parser) ruleBlock(n *syntax.Node) []Rule {
	if !n.HasBlock {
		p.errorf(n, "'%s' expects a block: '%s {'", n.Keyword(), n.Keyword())
		return nil
	}
	var out []Rule
	for _, c := range valueLines(n) {
		if r, ok := p.ruleLine(c); ok {
			out = append(out, r)
		}
	}
	return out
}
