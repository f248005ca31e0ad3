package config

import (
	"net/netip"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

func TestVIPGrammar(t *testing.T) {
	tests := []struct {
		line  string
		check func(VirtualAddr) bool
		msg   string
	}{
		{"198.51.100.1", func(v VirtualAddr) bool { return v.Prefix == netip.MustParsePrefix("198.51.100.1/32") }, ""},
		{"198.51.100.1/24 brd 198.51.100.255 dev eth1 scope link label eth1:vip", func(v VirtualAddr) bool {
			return v.BroadcastMode == BroadcastAddr && v.Broadcast == netip.MustParseAddr("198.51.100.255") && v.Dev == "eth1" &&
				v.Scope == ScopeLink && v.Label == "eth1:vip"
		}, ""},
		{"198.51.100.1/24 brd + no_track", func(v VirtualAddr) bool { return v.BroadcastMode == BroadcastPlus && v.NoTrack }, ""},
		{"198.51.100.1/24 brd -", func(v VirtualAddr) bool { return v.BroadcastMode == BroadcastMinus }, ""},
		{"198.51.100.1 peer 198.51.100.2/32 noprefixroute autojoin", func(v VirtualAddr) bool {
			return v.Peer == netip.MustParsePrefix("198.51.100.2/32") && v.NoPrefixRoute && v.AutoJoin
		}, ""},
		{"2001:db8::1 home -nodad mngtmpaddr preferred_lft forever", func(v VirtualAddr) bool {
			return v.Home && v.NoDAD && v.MngTmpAddr && v.PreferredForever && v.Prefix.Bits() == 128
		}, ""},
		{"2001:db8::1", func(v VirtualAddr) bool { return v.PreferredLftSet && v.PreferredLft == 0 }, ""},
		{"2001:db8::1/64", func(v VirtualAddr) bool { return !v.PreferredLftSet }, ""},
		{"2001:db8::1 preferred_lft 300", func(v VirtualAddr) bool { return v.PreferredLftSet && v.PreferredLft == 300 }, ""},
		{"198.51.100.1 use_vmac vrrp.1", func(v VirtualAddr) bool { return v.UseVMAC && v.VMACName == "vrrp.1" }, ""},
		{"198.51.100.1 use_vmac dev eth1", func(v VirtualAddr) bool { return v.UseVMAC && v.VMACName == "" && v.Dev == "eth1" }, ""},
		{"198.51.100.1 scope 200", func(v VirtualAddr) bool { return v.Scope == ScopeSite }, ""},
		{"2001:db8::1 label x", func(v VirtualAddr) bool { return v.Label == "" }, "label is not supported for IPv6 address 2001:db8::1 - ignoring"},
		{"198.51.100.1 scope galaxy", func(v VirtualAddr) bool { return v.Scope == ScopeGlobal }, "invalid scope 'galaxy'"},
		{"198.51.100.1 brd 2001:db8::1", func(v VirtualAddr) bool { return v.BroadcastMode == BroadcastNone }, "invalid broadcast address '2001:db8::1'"},
		{"198.51.100.1 frobnicate", func(v VirtualAddr) bool { return true }, "unknown option 'frobnicate' for address 198.51.100.1"},
		{"198.51.100.1 -nodad", func(v VirtualAddr) bool { return !v.NoDAD }, "'-nodad' is only valid for IPv6 addresses"},
		{"198.51.100.1 label averyveryverylonglabel", func(v VirtualAddr) bool { return v.Label == "" }, "longer than 15 characters"},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			fam := "198.51.100.9"
			if netip.MustParsePrefix(mustPrefix(tc.line)).Addr().Is6() {
				fam = "2001:db8::9"
			}
			cfg, d := load(t, vi(" virtual_ipaddress {\n  "+fam+"\n  "+tc.line+"\n }"))
			var want []wantDiag
			if tc.msg != "" {
				want = append(want, wantDiag{6, syntax.Error, tc.msg})
			}
			checkDiags(t, d, want...)
			v := inst(t, cfg, "VI_1")
			if len(v.VIPs) != 2 {
				t.Fatalf("%d VIPs", len(v.VIPs))
			}
			if !tc.check(v.VIPs[1]) {
				t.Errorf("parsed %+v", v.VIPs[1])
			}
		})
	}
}

func mustPrefix(line string) string {
	w := line
	for i, c := range line {
		if c == ' ' {
			w = line[:i]
			break
		}
	}
	pf, _ := parsePrefix(w)
	return pf.String()
}

func TestVIPInvalidAddress(t *testing.T) {
	cfg, d := load(t, vi(" virtual_ipaddress {\n  198.51.100.1\n  198.51.100./24\n }"))
	checkDiags(t, d, wantDiag{6, syntax.Error, "invalid address '198.51.100./24' in virtual_ipaddress: expected ADDR[/LEN]"})
	if len(inst(t, cfg, "VI_1").VIPs) != 1 {
		t.Error("invalid VIP kept")
	}
}

func TestRoutes(t *testing.T) {
	tests := []struct {
		line  string
		check func(Route) bool
		diags []wantDiag
	}{
		{"198.51.100.0/24 via 203.0.113.1 dev eth1", func(r Route) bool {
			return r.Dst == netip.MustParsePrefix("198.51.100.0/24") && r.Via == netip.MustParseAddr("203.0.113.1") && r.Dev == "eth1" && r.Table == 254
		}, nil},
		{"src 198.51.100.5 to 203.0.113.0/24 via 198.51.100.1 table 100 metric 5 scope link proto static no_track", func(r Route) bool {
			return r.Src == netip.MustParseAddr("198.51.100.5") && r.Dst.Bits() == 24 && r.Table == 100 && r.Metric == 5 &&
				r.Scope == ScopeLink && r.ScopeSet && r.Protocol == 4 && r.NoTrack
		}, nil},
		{"blackhole 203.0.113.0/24", func(r Route) bool { return r.Type == RouteBlackhole && r.NoTrack }, []wantDiag{{5, syntax.Warning, "(VI_1) Warning - cannot track route 203.0.113.0/24 with no interface specified, not tracking"}}},
		{"default via 2001:db8::1", func(r Route) bool { return r.Dst == netip.MustParsePrefix("::/0") }, []wantDiag{{5, syntax.Warning, "(VI_1) Warning - cannot track route ::/0 with no interface specified, not tracking"}}},
		{"203.0.113.0/24 gw 198.51.100.1", func(r Route) bool { return r.Via == netip.MustParseAddr("198.51.100.1") },
			[]wantDiag{{5, syntax.Warning, "'gw' is deprecated in routes, use 'via'"}, {5, syntax.Warning, "(VI_1) Warning - cannot track route 203.0.113.0/24 with no interface specified, not tracking"}}},
		{"203.0.113.0/24 via 198.51.100.1 or 198.51.100.2", func(r Route) bool { return len(r.Nexthops) == 2 && !r.Via.IsValid() },
			[]wantDiag{{5, syntax.Warning, "'or' in routes is deprecated"}, {5, syntax.Warning, "(VI_1) Warning - cannot track route 203.0.113.0/24 with no interface specified, not tracking"}}},
		{"203.0.113.0/24 nexthop via 198.51.100.1 dev eth0 weight 2 nexthop via 198.51.100.2", func(r Route) bool {
			return len(r.Nexthops) == 2 && r.Nexthops[0].Weight == 2 && r.Nexthops[1].Weight == 1
		}, nil},
		{"203.0.113.0/24 dev eth0 mtu lock 1400 initcwnd 10 table main", func(r Route) bool {
			return r.Metrics["mtu"] == 1400 && r.Locks["mtu"] && r.Metrics["initcwnd"] == 10
		}, nil},
		{"203.0.113.0/24 dev eth0 proto static", func(r Route) bool { return r.Protocol == 18 && !r.NoTrack },
			[]wantDiag{{5, syntax.Warning, "(VI_1) Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol"}}},
		{"203.0.113.0/24 proto static no_track", func(r Route) bool { return r.Protocol == 4 && r.NoTrack }, nil},
		{"203.0.113.0/24 via 2001:db8::1", nil, []wantDiag{{5, syntax.Error, "gateway 2001:db8::1 and destination are of different families"}}},
		{"203.0.113.0/24 table nosuch", nil, []wantDiag{{5, syntax.Error, "unknown table 'nosuch'"}}},
		{"via 198.51.100.1", nil, []wantDiag{{5, syntax.Error, "no destination given"}}},
		{"203.0.113.0/24 wibble 3", nil, []wantDiag{{5, syntax.Error, "unknown route option 'wibble'"}}},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			cfg, d := load(t, vi(" virtual_routes {\n  "+tc.line+"\n }\n virtual_ipaddress {\n  198.51.100.9\n }"))
			checkDiags(t, d, tc.diags...)
			rs := inst(t, cfg, "VI_1").Routes
			if tc.check == nil {
				if len(rs) != 0 {
					t.Errorf("invalid route kept: %+v", rs)
				}
				return
			}
			if len(rs) != 1 || !tc.check(rs[0]) {
				t.Errorf("parsed %+v", rs)
			}
		})
	}
}

// TestRoutesOfDroppedInstance checks that the route warnings keepalived gives while parsing come
// also for an instance that is dropped afterwards for another error.
func TestRoutesOfDroppedInstance(t *testing.T) {
	tests := []struct {
		name  string
		vrid  string
		route string
		diags []wantDiag
	}{
		{"no interface, instance kept", "virtual_router_id 1", "203.0.113.0/24 via 198.51.100.1",
			[]wantDiag{{5, syntax.Warning, "(VI_1) Warning - cannot track route 203.0.113.0/24 with no interface specified, not tracking"}}},
		{"no interface, instance dropped", "virtual_router_id 300", "203.0.113.0/24 via 198.51.100.1",
			[]wantDiag{{3, syntax.Error, "'virtual_router_id' expects an integer in [1, 255], found '300'"},
				{1, syntax.Error, "(VI_1) the virtual router id must be set - removing instance"},
				{5, syntax.Warning, "(VI_1) Warning - cannot track route 203.0.113.0/24 with no interface specified, not tracking"}}},
		{"other protocol, instance dropped", "virtual_router_id 0", "203.0.113.0/24 dev eth0 proto static",
			[]wantDiag{{3, syntax.Error, "'virtual_router_id' expects an integer in [1, 255], found '0'"},
				{1, syntax.Error, "(VI_1) the virtual router id must be set - removing instance"},
				{5, syntax.Warning, "(VI_1) Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol"}}},
		{"with interface, instance dropped", "virtual_router_id 300", "203.0.113.0/24 via 198.51.100.1 dev eth1",
			[]wantDiag{{3, syntax.Error, "'virtual_router_id' expects an integer in [1, 255], found '300'"},
				{1, syntax.Error, "(VI_1) the virtual router id must be set - removing instance"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, d := load(t, "vrrp_instance VI_1 {\n interface eth0\n "+tc.vrid+"\n virtual_routes {\n  "+tc.route+
				"\n }\n virtual_ipaddress {\n  198.51.100.9\n }\n}\n")
			checkDiags(t, d, tc.diags...)
		})
	}
}

func TestRules(t *testing.T) {
	cfg, d := load(t, `static_rules {
 from 198.51.100.0/24 table 100
 to 203.0.113.0/24 preference 50 table main
 from 2001:db8::/32 lookup 200
 to 198.51.100./24 table 5
 fwmark 0x10/0xff iif eth0 oif eth1 uidrange 100-200 ipproto tcp sport 80 dport 1000-2000 goto 60
 not from 198.51.100.7 blackhole
 from 198.51.100.8
}
`+vi(" virtual_rules {\n  from 203.0.113.9 table 7 no_track\n }\n virtual_ipaddress {\n  198.51.100.9\n }"))
	checkDiags(t, d,
		wantDiag{2, syntax.Warning, "IPv4 rule has no preference specified - setting to 16384"},
		wantDiag{4, syntax.Warning, "IPv6 rule has no preference specified - setting to 16384"},
		wantDiag{5, syntax.Error, "invalid to address '198.51.100./24'"},
		wantDiag{6, syntax.Warning, "setting to 16383"},
		wantDiag{7, syntax.Warning, "setting to 16382"},
		wantDiag{8, syntax.Error, "no action given"},
		wantDiag{14, syntax.Warning, "setting to 16381"},
	)
	rs := cfg.StaticRules
	if len(rs) != 5 {
		t.Fatalf("%d rules: %+v", len(rs), rs)
	}
	if rs[0].Preference != 16384 || rs[0].PreferenceSet || rs[0].Table != 100 || rs[0].Action != RuleToTable {
		t.Errorf("rule 0 = %+v", rs[0])
	}
	if rs[1].Preference != 50 || !rs[1].PreferenceSet || rs[1].Table != 254 {
		t.Errorf("rule 1 = %+v", rs[1])
	}
	if rs[2].Family != FamilyIPv6 || rs[2].Preference != 16384 {
		t.Errorf("rule 2 = %+v", rs[2])
	}
	r := rs[3]
	if r.FwMark != 0x10 || r.FwMask != 0xff || r.Iif != "eth0" || r.Oif != "eth1" || *r.UIDRange != (PortRange{100, 200}) ||
		r.IPProto != 6 || *r.SPort != (PortRange{80, 80}) || *r.DPort != (PortRange{1000, 2000}) || r.Action != RuleGoto || r.Goto != 60 {
		t.Errorf("rule 3 = %+v", r)
	}
	if !rs[4].Not || rs[4].Action != RuleBlackhole {
		t.Errorf("rule 4 = %+v", rs[4])
	}
	vr := inst(t, cfg, "VI_1").Rules
	if len(vr) != 1 || !vr[0].NoTrack || vr[0].Table != 7 {
		t.Errorf("virtual_rules = %+v", vr)
	}
}

func TestStaticDefaultInterface(t *testing.T) {
	for _, tc := range []struct{ global, want string }{{"", "eth0"}, {"global_defs {\n default_interface bond0\n}\n", "bond0"}} {
		cfg, d := load(t, tc.global+"static_ipaddress {\n 203.0.113.5/24\n}\n")
		checkDiags(t, d)
		if got := cfg.StaticAddresses[0].Dev; got != tc.want {
			t.Errorf("static address dev = %q, want %q", got, tc.want)
		}
	}
}

func TestStaticAddressesAndTrackGroups(t *testing.T) {
	cfg, d := load(t, `track_group TG {
 group {
  VI_1
  VI_X
 }
}
static_ipaddress {
 203.0.113.5/24 dev eth2 track_group TG
 203.0.113.6/24 dev eth2 track_group NOPE
}
static_routes {
 203.0.113.0/25 via 198.51.100.1 dev eth2 track_group TG
 203.0.113.128/25 via 198.51.100.1 track_group TG
}
`+vi(" virtual_ipaddress {\n  198.51.100.9 track_group TG\n }"))
	checkDiags(t, d,
		wantDiag{1, syntax.Error, "track_group TG: vrrp_instance VI_X doesn't exist - ignoring"},
		wantDiag{9, syntax.Error, "track_group NOPE not found - ignoring it"},
		wantDiag{13, syntax.Error, "Static route cannot have track group if no oif specified"},
		wantDiag{19, syntax.Error, "track_group is only valid for static addresses"},
	)
	if len(cfg.StaticAddresses) != 2 || cfg.StaticAddresses[0].Dev != "eth2" || cfg.StaticAddresses[0].TrackGroup != "TG" || cfg.StaticAddresses[1].TrackGroup != "" ||
		cfg.StaticRoutes[0].TrackGroup != "TG" {
		t.Errorf("static = %+v %+v", cfg.StaticAddresses, cfg.StaticRoutes)
	}
}

func TestRuleGrammar(t *testing.T) {
	tests := []struct {
		line  string
		check func(Rule) bool
		msg   string
	}{
		{"inet6 l3mdev nop preference 5", func(r Rule) bool { return r.Family == FamilyIPv6 && r.L3mdev && r.Action == RuleNop }, ""},
		{"from 198.51.100.0/24 tos 0x10 realms 3 protocol boot unreachable pref 7", func(r Rule) bool {
			return r.TOS == 0x10 && r.Realms == 3 && r.Protocol == 3 && r.Action == RuleUnreachable && r.Preference == 7
		}, ""},
		{"to 203.0.113.0/24 lookup local suppress_prefixlength 0 suppress_ifgroup 2 priority 9 no_track", func(r Rule) bool {
			return r.Table == 255 && r.SuppressPrefixLen == 0 && r.SuppressIfGroup == 2 && r.NoTrack
		}, ""},
		{"from all prohibit order 3", func(r Rule) bool { return r.Action == RuleProhibit && !r.From.IsValid() }, ""},
		{"from 198.51.100.1 to 2001:db8::1 table 5 pref 1", nil, "'to 2001:db8::1' does not match the rule's address family"},
		{"fwmark zz table 5 pref 1", nil, "invalid fwmark 'zz'"},
		{"uidrange 9-3 table 5 pref 1", nil, "invalid uidrange '9-3'"},
		{"dport 70000 table 5 pref 1", nil, "invalid dport '70000'"},
		{"from 198.51.100.1 frob 1 table 5", nil, "unknown rule option 'frob'"},
		{"from 198.51.100.1 table", nil, "'table' is missing its value"},
		{"ipproto nosuch table 5 pref 1", nil, "invalid ipproto 'nosuch'"},
		{"goto x pref 1", nil, "invalid goto target 'x'"},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			cfg, d := load(t, "static_rules {\n "+tc.line+"\n}\n")
			var want []wantDiag
			if tc.msg != "" {
				want = append(want, wantDiag{2, syntax.Error, tc.msg})
			}
			checkDiags(t, d, want...)
			if tc.check == nil {
				if len(cfg.StaticRules) != 0 {
					t.Errorf("invalid rule kept: %+v", cfg.StaticRules)
				}
				return
			}
			if len(cfg.StaticRules) != 1 || !tc.check(cfg.StaticRules[0]) {
				t.Errorf("parsed %+v", cfg.StaticRules)
			}
		})
	}
}

func TestRouteTypesAndOptions(t *testing.T) {
	tests := []struct {
		line  string
		check func(Route) bool
		msg   string
	}{
		{"unreachable 203.0.113.0/24 no_track", func(r Route) bool { return r.Type == RouteUnreachable }, ""},
		{"throw 203.0.113.0/24 no_track", func(r Route) bool { return r.Type == RouteThrow }, ""},
		{"to 203.0.113.0/24 dev eth0 onlink tos 4 realms 2 pref high append", func(r Route) bool {
			return r.OnLink && r.TOS == 4 && r.Realms == 2 && r.Pref == "high" && r.Op == "append"
		}, ""},
		{"203.0.113.0/24 via inet 198.51.100.1 dev eth0 rtt 300ms", func(r Route) bool {
			return r.Via == netip.MustParseAddr("198.51.100.1") && r.Metrics["rtt"] == 300
		}, ""},
		{"203.0.113.0/24 dev eth0 pref max", nil, "invalid pref 'max'"},
		{"203.0.113.0/24 dev eth0 metric x", nil, "invalid metric 'x'"},
		{"203.0.113.0/24 dev eth0 scope galaxy", nil, "invalid scope 'galaxy'"},
		{"203.0.113.0/24 dev eth0 proto nosuch", nil, "unknown protocol 'nosuch'"},
		{"203.0.113.0/24 dev eth0 nexthop via 198.51.100.1 weight 0", nil, "invalid nexthop weight '0'"},
		{"203.0.113.0/24 dev eth0 mtu", nil, "'mtu' is missing its value"},
		{"203.0.113.0/24 src 2001:db8::1 dev eth0", nil, "source 2001:db8::1 and destination are of different families"},
		{"bogus/99 dev eth0", nil, "invalid destination 'bogus/99'"},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			cfg, d := load(t, "static_routes {\n "+tc.line+"\n}\n")
			var want []wantDiag
			if tc.msg != "" {
				want = append(want, wantDiag{2, syntax.Error, tc.msg})
			}
			checkDiags(t, d, want...)
			if tc.check == nil {
				if len(cfg.StaticRoutes) != 0 {
					t.Errorf("invalid route kept: %+v", cfg.StaticRoutes)
				}
				return
			}
			if len(cfg.StaticRoutes) != 1 || !tc.check(cfg.StaticRoutes[0]) {
				t.Errorf("parsed %+v", cfg.StaticRoutes)
			}
		})
	}
}
