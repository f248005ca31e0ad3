package config

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

// lvsCase is a snippet test: a small configuration, the expected diagnostics and a model check.
type lvsCase struct {
	name string
	src  string
	// diags are "LINE SEVERITY: substring" in report order; the count must match exactly.
	diags []string
	check func(t *testing.T, c *Config)
}

// runLVSCases loads each snippet and checks its diagnostics and model.
func runLVSCases(t *testing.T, cases []lvsCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, ds := LoadString("t.conf", tc.src, LoadOptions{})
			var got []string
			for _, d := range ds {
				got = append(got, fmt.Sprintf("%d %s: %s", d.Pos.Line, d.Severity, d.Msg))
			}
			ok := len(got) == len(tc.diags)
			for i := 0; ok && i < len(got); i++ {
				pfx, sub, _ := strings.Cut(tc.diags[i], ": ")
				g := got[i]
				ok = strings.HasPrefix(g, pfx+": ") && strings.Contains(g, sub)
			}
			if !ok {
				t.Errorf("diagnostics:\n got  %q\n want %q", got, tc.diags)
			}
			if tc.check != nil && cfg != nil {
				tc.check(t, cfg)
			}
		})
	}
}

// eq fails the test when got != want.
func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// onlyVS returns the single virtual server of c.
func onlyVS(t *testing.T, c *Config) *VirtualServer {
	t.Helper()
	if len(c.VirtualServers) != 1 {
		t.Fatalf("got %d virtual servers, want 1", len(c.VirtualServers))
	}
	return c.VirtualServers[0]
}

func TestVirtualServer(t *testing.T) {
	runLVSCases(t, []lvsCase{
		{
			name: "defaults",
			src:  "virtual_server 203.0.113.1 80 {\n real_server 198.51.100.1 {\n  TCP_CHECK {\n  }\n }\n}\n",
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "kind", vs.Kind, VSByAddr)
				eq(t, "addr", vs.Addr, netip.MustParseAddr("203.0.113.1"))
				eq(t, "port", vs.Port, uint16(80))
				eq(t, "family", vs.Family, AFInet)
				eq(t, "protocol", vs.Protocol, ProtoTCP)
				eq(t, "scheduler", vs.Scheduler, SchedWLC)
				eq(t, "forwarding", vs.Forwarding, Forwarding{Method: FwdNAT})
				eq(t, "quorum", vs.Quorum, 1)
				eq(t, "persistence", vs.PersistenceTimeout, time.Duration(0))
				rs := vs.RealServers[0]
				eq(t, "rs weight", rs.Weight, 1)
				eq(t, "rs port (inherited)", rs.Port, uint16(80))
				r := rs.Checkers[0].Resolved
				eq(t, "resolved", r, ResolvedCheck{DelayLoop: 60 * time.Second, ConnectTimeout: 5 * time.Second,
					Retry: 1, DelayBeforeRetry: time.Second, Warmup: 60 * time.Second,
					Target: netip.MustParseAddrPort("198.51.100.1:80")})
			},
		},
		{
			name: "persistence bare is 360s",
			src:  "virtual_server 203.0.113.1 80 {\n persistence_timeout\n}\n",
			check: func(t *testing.T, c *Config) {
				eq(t, "persistence", onlyVS(t, c).PersistenceTimeout, 360*time.Second)
			},
		},
		{
			name: "persistence value",
			src:  "virtual_server 203.0.113.1 80 {\n persistence_timeout 50\n persistence_engine sip\n}\n",
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "persistence", vs.PersistenceTimeout, 50*time.Second)
				eq(t, "engine", vs.PersistenceEngine, "sip")
			},
		},
		{
			name:  "port omitted without persistence",
			src:   "virtual_server 203.0.113.1 {\n lb_algo rr\n}\n",
			diags: []string{"1 warning: virtual server 203.0.113.1: a port may only be omitted for a persistent service - setting persistence_timeout 360"},
			check: func(t *testing.T, c *Config) {
				eq(t, "persistence", onlyVS(t, c).PersistenceTimeout, 360*time.Second)
			},
		},
		{
			name: "port omitted with persistence",
			src:  "virtual_server 203.0.113.1 {\n persistence_timeout 600\n}\n",
			check: func(t *testing.T, c *Config) {
				eq(t, "port", onlyVS(t, c).Port, uint16(0))
			},
		},
		{
			name: "protocol is case-insensitive",
			src:  "virtual_server 203.0.113.1 53 {\n protocol udp\n}\nvirtual_server 203.0.113.1 80 {\n protocol Sctp\n}\n",
			check: func(t *testing.T, c *Config) {
				eq(t, "udp", c.VirtualServers[0].Protocol, ProtoUDP)
				eq(t, "sctp", c.VirtualServers[1].Protocol, ProtoSCTP)
			},
		},
		{
			name:  "protocol invalid",
			src:   "virtual_server 203.0.113.1 53 {\n protocol ICMP\n}\n",
			diags: []string{"2 error: 'protocol' expects TCP|UDP|SCTP, found 'ICMP'"},
			check: func(t *testing.T, c *Config) { eq(t, "protocol", onlyVS(t, c).Protocol, ProtoTCP) },
		},
		{
			name:  "fwmark with protocol warns",
			src:   "virtual_server fwmark 1 {\n protocol TCP\n real_server 198.51.100.1 {\n }\n}\n",
			diags: []string{"2 warning: virtual server fwmark 1: protocol specified for fwmark - protocol will be ignored"},
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "kind", vs.Kind, VSByFwmark)
				eq(t, "fwmark", vs.Fwmark, uint32(1))
				eq(t, "family from real server", vs.Family, AFInet)
			},
		},
		{
			name: "fwmark family from ip_family",
			src:  "virtual_server fwmark 2 {\n ip_family inet6\n}\n",
			check: func(t *testing.T, c *Config) {
				eq(t, "family", onlyVS(t, c).Family, AFInet6)
			},
		},
		{
			name: "schedulers and aliases",
			src: "virtual_server 203.0.113.1 80 {\n lvs_sched twos\n}\nvirtual_server 203.0.113.2 80 {\n lb_algo lblcr\n}\n" +
				"virtual_server 203.0.113.3 80 {\n lb_algo RR\n}\n",
			diags: []string{"8 error: 'lb_algo' expects one of rr|wrr|lc|wlc|lblc|sh|mh|dh|fo|ovf|lblcr|sed|nq|twos, found 'RR'"},
			check: func(t *testing.T, c *Config) {
				eq(t, "lvs_sched", c.VirtualServers[0].Scheduler, SchedTWOS)
				eq(t, "lb_algo", c.VirtualServers[1].Scheduler, SchedLBLCR)
				eq(t, "invalid keeps wlc", c.VirtualServers[2].Scheduler, SchedWLC)
			},
		},
		{
			name: "scheduler flags",
			src:  "virtual_server 203.0.113.1 80 {\n sh-port\n sh-fallback\n lb_algo sh\n ops\n hashed\n flag-1\n flag-3\n}\n",
			diags: []string{
				"1 info: 'ops' (one-packet scheduling) only has an effect on UDP services",
			},
			check: func(t *testing.T, c *Config) {
				eq(t, "flags", onlyVS(t, c).SchedFlags, FlagSched1|FlagSched2|FlagOnePacket|FlagHashed|FlagSched3)
			},
		},
		{
			name: "sh and mh flags need their scheduler",
			src:  "virtual_server 203.0.113.1 80 {\n lb_algo rr\n sh-port\n mh-fallback\n}\n",
			diags: []string{
				"3 warning: virtual server 203.0.113.1:80: 'sh-port' only applies to the sh scheduler, not rr - ignoring",
				"4 warning: virtual server 203.0.113.1:80: 'mh-fallback' only applies to the mh scheduler, not rr - ignoring",
			},
			check: func(t *testing.T, c *Config) { eq(t, "flags", onlyVS(t, c).SchedFlags, SchedFlags(0)) },
		},
		{
			name: "forwarding methods",
			src: "virtual_server 203.0.113.1 80 {\n lb_kind DR\n}\nvirtual_server 203.0.113.2 80 {\n lvs_method TUN type gue port 6080 nocsum\n}\n" +
				"virtual_server 203.0.113.3 80 {\n lvs_method TUN type gre remcsum\n}\nvirtual_server 203.0.113.4 80 {\n lvs_method DR nocsum\n}\n" +
				"virtual_server 203.0.113.5 80 {\n lvs_method TUN type gue port 0\n}\nvirtual_server 203.0.113.6 80 {\n lvs_method TUN type vxlan\n}\n",
			diags: []string{
				"8 error: 'lvs_method TUN': 'remcsum' is only valid with 'type gue'",
				"11 error: 'lvs_method DR' takes no options, found 'nocsum'",
				"14 error: 'lvs_method TUN type gue port' expects a port in [1, 65535], found '0'",
				"17 error: 'lvs_method TUN type' expects ipip|gue|gre, found 'vxlan'",
			},
			check: func(t *testing.T, c *Config) {
				eq(t, "DR", c.VirtualServers[0].Forwarding, Forwarding{Method: FwdDR})
				f := Forwarding{Method: FwdTUN, TunnelType: TunnelGUE, TunnelPort: 6080, TunnelChecksum: TunnelNoCsum}
				eq(t, "gue", c.VirtualServers[1].Forwarding, f)
				eq(t, "gue string", f.String(), "TUN type gue port 6080 nocsum")
				eq(t, "invalid keeps NAT", c.VirtualServers[2].Forwarding, Forwarding{})
			},
		},
		{
			name: "quorum, hysteresis and scripts",
			src: "virtual_server 203.0.113.1 80 {\n quorum 3\n hysteresis 1\n" +
				" quorum_up \"/bin/up.sh 'a b' c\" root wheel\n quorum_down '/bin/down.sh'\n quorum_down /bin/other\n}\n",
			diags: []string{"6 warning: virtual server 203.0.113.1:80: quorum_down script already specified - ignoring 'quorum_down /bin/other'"},
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "quorum", vs.Quorum, 3)
				eq(t, "hysteresis", vs.Hysteresis, 1)
				eq(t, "quorum_up args", vs.QuorumUp.Args, []string{"/bin/up.sh", "a b", "c"})
				eq(t, "quorum_up user", vs.QuorumUp.User+":"+vs.QuorumUp.Group, "root:wheel")
				eq(t, "quorum_down", vs.QuorumDown.Args, []string{"/bin/down.sh"})
			},
		},
		{
			name:  "quorum must be at least 1",
			src:   "virtual_server 203.0.113.1 80 {\n quorum 0\n}\n",
			diags: []string{"2 error: 'quorum' expects an integer in [1, 4294967295], found '0'"},
			check: func(t *testing.T, c *Config) { eq(t, "quorum", onlyVS(t, c).Quorum, 1) },
		},
		{
			name:  "hysteresis not below quorum is noted",
			src:   "virtual_server 203.0.113.1 80 {\n quorum 2\n hysteresis 2\n}\n",
			diags: []string{"1 info: hysteresis 2 is not less than quorum 2"},
		},
		{
			name: "persistence granularity",
			src: "virtual_server 203.0.113.1 80 {\n persistence_granularity 255.255.255.0\n}\n" +
				"virtual_server 2001:db8::1 80 {\n persistence_granularity 64\n}\n" +
				"virtual_server 203.0.113.2 80 {\n persistence_granularity 255.0.255.0\n}\n" +
				"virtual_server 2001:db8::2 80 {\n persistence_granularity 129\n}\n",
			diags: []string{
				"8 error: IPv4 persistence_granularity netmask is not solid - 255.0.255.0",
				"11 error: 'persistence_granularity' expects an IPv6 prefix length in [1, 128], found '129'",
			},
			check: func(t *testing.T, c *Config) {
				eq(t, "v4 bits", c.VirtualServers[0].PersistenceGranularity, 24)
				eq(t, "v4 implies persistence", c.VirtualServers[0].PersistenceTimeout, 360*time.Second)
				eq(t, "v6 bits", c.VirtualServers[1].PersistenceGranularity, 64)
				eq(t, "invalid", c.VirtualServers[2].PersistenceGranularity, 0)
			},
		},
		{
			name: "sorry server",
			src: "virtual_server 203.0.113.1 80 {\n lb_kind DR\n sorry_server 198.51.100.9\n sorry_server_inhibit\n}\n" +
				"virtual_server 203.0.113.2 80 {\n sorry_server 2001:db8::9 80\n}\n" +
				"virtual_server 2001:db8::1 80 {\n sorry_server 198.51.100.9 80\n sorry_server_lvs_method TUN\n}\n",
			diags: []string{"7 warning: virtual server 203.0.113.2:80: address family of virtual server (inet) and sorry server 2001:db8::9 (inet6) don't match - skipping sorry server"},
			check: func(t *testing.T, c *Config) {
				ss := c.VirtualServers[0].SorryServer
				eq(t, "sorry addr", ss.Addr, netip.MustParseAddr("198.51.100.9"))
				eq(t, "sorry port from VS", ss.Port, uint16(80))
				eq(t, "sorry inhibit", ss.Inhibit, true)
				eq(t, "sorry forwarding from VS", ss.Forwarding, Forwarding{Method: FwdDR})
				eq(t, "dropped", c.VirtualServers[1].SorryServer == nil, true)
				eq(t, "TUN sorry across families", c.VirtualServers[2].SorryServer.Forwarding.Method, FwdTUN)
			},
		},
		{
			name: "sorry server options without sorry server",
			src:  "virtual_server 203.0.113.1 80 {\n sorry_server_inhibit\n sorry_server_lvs_method DR\n}\n",
			diags: []string{
				"2 error: 'sorry_server_inhibit' used before or without 'sorry_server' - ignoring",
				"3 error: 'sorry_server_lvs_method' used before or without 'sorry_server' - ignoring",
			},
		},
		{
			name: "boolean options",
			src: "virtual_server 203.0.113.1 80 {\n inhibit_on_failure\n alpha\n omega yes\n ha_suspend\n" +
				" virtualhost www.example.org\n smtp_alert off\n snmp_name vs1\n weight 7\n}\n",
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "flags", []bool{vs.InhibitOnFailure, vs.Alpha, vs.Omega, vs.HASuspend}, []bool{true, true, true, true})
				eq(t, "virtualhost", vs.Virtualhost, "www.example.org")
				eq(t, "smtp_alert", vs.SMTPAlert, Setting[bool]{Value: false, Set: true})
				eq(t, "snmp_name", vs.SNMPName, "vs1")
				eq(t, "weight", vs.Weight, Setting[int]{Value: 7, Set: true})
			},
		},
		{
			name: "header errors",
			src: "virtual_server 203.0.113.1 80\nvirtual_server bogus 80 {\n}\nvirtual_server fwmark 0 {\n}\n" +
				"virtual_server 203.0.113.1 80 extra {\n}\nvirtual_server 203.0.113.1 70000 {\n}\n",
			diags: []string{
				"1 error: 'virtual_server 203.0.113.1:80' expects a block",
				"2 error: 'virtual_server' expects IP [PORT], 'fwmark N' or 'group NAME', found 'bogus'",
				"4 error: 'virtual_server fwmark' expects a mark in [1, 4294967295], found '0'",
				"6 error: 'virtual_server 203.0.113.1 80' has unexpected words 'extra'",
				"8 error: 'virtual_server' expects a port in [0, 65535], found '70000'",
			},
			check: func(t *testing.T, c *Config) { eq(t, "kept", len(c.VirtualServers), 1) },
		},
		{
			name:  "unknown keyword",
			src:   "virtual_server 203.0.113.1 80 {\n lb_algo rr\n bogus_keyword 1\n}\n",
			diags: []string{"3 warning: unknown keyword 'bogus_keyword'"},
		},
	})
}

func TestVirtualServerGroup(t *testing.T) {
	runLVSCases(t, []lvsCase{
		{
			name: "entries",
			src: "virtual_server_group G {\n 203.0.113.1 80\n 203.0.113.3-10 80\n ae00::2-9 80\n 203.0.113.64/30 8080\n" +
				" 203.0.113.20-203.0.113.25\n fwmark 1\n fwmark 2 inet6\n}\n",
			diags: []string{"4 error: virtual server group G mixes IPv4 and IPv6 addresses"},
			check: func(t *testing.T, c *Config) {
				g := c.VirtualServerGroup("G")
				if g == nil || len(g.Entries) != 7 {
					t.Fatalf("group = %+v", g)
				}
				a := netip.MustParseAddr
				eq(t, "single", [2]netip.Addr{g.Entries[0].First, g.Entries[0].Last}, [2]netip.Addr{a("203.0.113.1"), a("203.0.113.1")})
				eq(t, "v4 range", [2]netip.Addr{g.Entries[1].First, g.Entries[1].Last}, [2]netip.Addr{a("203.0.113.3"), a("203.0.113.10")})
				eq(t, "v6 range (hex)", [2]netip.Addr{g.Entries[2].First, g.Entries[2].Last}, [2]netip.Addr{a("ae00::2"), a("ae00::9")})
				eq(t, "cidr", [2]netip.Addr{g.Entries[3].First, g.Entries[3].Last}, [2]netip.Addr{a("203.0.113.64"), a("203.0.113.67")})
				eq(t, "cidr port", g.Entries[3].Port, uint16(8080))
				eq(t, "full range", g.Entries[4].Last, a("203.0.113.25"))
				eq(t, "full range no port", g.Entries[4].Port, uint16(0))
				eq(t, "fwmark", g.Entries[5], VSGEntry{Pos: g.Entries[5].Pos, IsFwmark: true, Fwmark: 1})
				eq(t, "fwmark family", g.Entries[6].Family, AFInet6)
			},
		},
		{
			name: "invalid entries",
			src: "virtual_server_group G {\n 203.0.113.9-3 80\n 203.0.113.0/23\n 203.0.113.1-203.0.114.1\n 2001:db8::1-10000\n" +
				" fwmark 5 inet4\n 203.0.113.1 99999\n 203.0.113.1 80 x\n}\n",
			diags: []string{
				"2 error: virtual_server_group entry expects IP, IP-END, IP/LEN or 'fwmark N', found '203.0.113.9-3'",
				"3 error: virtual_server_group entry expects IP, IP-END, IP/LEN or 'fwmark N', found '203.0.113.0/23'",
				"4 error: virtual_server_group entry expects IP, IP-END, IP/LEN or 'fwmark N', found '203.0.113.1-203.0.114.1'",
				"5 error: virtual_server_group entry expects IP, IP-END, IP/LEN or 'fwmark N', found '2001:db8::1-10000'",
				"6 error: virtual_server_group fwmark expects inet|inet6 after the mark, found 'inet4'",
				"7 error: virtual_server_group entry 203.0.113.1 expects a port in [0, 65535], found '99999'",
				"8 error: virtual_server_group entry 203.0.113.1 has unexpected words 'x'",
			},
			check: func(t *testing.T, c *Config) { eq(t, "entries", len(c.VirtualServerGroup("G").Entries), 1) },
		},
		{
			name: "empty and duplicate groups",
			src:  "virtual_server_group E {\n}\nvirtual_server_group G {\n 203.0.113.1 80\n}\nvirtual_server_group G {\n 203.0.113.2 80\n}\n",
			diags: []string{
				"1 warning: virtual server group E has no entries - removing",
				"6 error: virtual_server_group G is already defined - ignoring this one",
			},
			check: func(t *testing.T, c *Config) {
				eq(t, "groups", len(c.VirtualServerGroups), 1)
				eq(t, "first wins", c.VirtualServerGroups[0].Entries[0].First, netip.MustParseAddr("203.0.113.1"))
			},
		},
		{
			name: "virtual_server group uses the group family",
			src:  "virtual_server_group G6 {\n 2001:db8::1 80\n}\nvirtual_server group G6 {\n real_server 2001:db8::10 80 {\n }\n}\n",
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "kind", vs.Kind, VSByGroup)
				eq(t, "family", vs.Family, AFInet6)
				eq(t, "rs kept", len(vs.RealServers), 1)
			},
		},
		{
			name:  "virtual_server group undefined",
			src:   "virtual_server group nosuch {\n real_server 198.51.100.1 80\n}\n",
			diags: []string{"1 error: virtual_server group nosuch: no virtual_server_group nosuch with valid entries is defined - skipping the virtual server"},
			check: func(t *testing.T, c *Config) { eq(t, "dropped", len(c.VirtualServers), 0) },
		},
	})
}

func TestRealServer(t *testing.T) {
	runLVSCases(t, []lvsCase{
		{
			name: "options and cascade",
			src: "virtual_server 203.0.113.1 80 {\n lb_kind DR\n inhibit_on_failure\n alpha\n virtualhost vs.example.org\n smtp_alert\n" +
				" real_server 198.51.100.1 8080 {\n  weight 0\n  lvs_method TUN\n  uthreshold 100\n  lthreshold 10\n  alpha off\n" +
				"  notify_up \"/bin/n.sh up\"\n  notify_down /bin/down nobody\n }\n real_server 198.51.100.2 {\n  inhibit_on_failure no\n  virtualhost rs.example.org\n }\n}\n",
			diags: []string{"7 info: real server 198.51.100.1 uses TUN forwarding, which cannot change the destination port"},
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				r1, r2 := vs.RealServers[0], vs.RealServers[1]
				eq(t, "weight", r1.Weight, 0)
				eq(t, "thresholds", [2]uint32{r1.UThreshold, r1.LThreshold}, [2]uint32{100, 10})
				eq(t, "r1 resolved", r1.Resolved, ResolvedRealServer{Forwarding: Forwarding{Method: FwdTUN},
					InhibitOnFailure: true, Alpha: false, SMTPAlert: true, Virtualhost: "vs.example.org"})
				eq(t, "notify_up", r1.NotifyUp.Args, []string{"/bin/n.sh", "up"})
				eq(t, "notify_down user", r1.NotifyDown.User, "nobody")
				eq(t, "r2 resolved", r2.Resolved, ResolvedRealServer{Forwarding: Forwarding{Method: FwdDR},
					InhibitOnFailure: false, Alpha: true, SMTPAlert: true, Virtualhost: "rs.example.org"})
				eq(t, "r2 port", r2.Port, uint16(80))
			},
		},
		{
			name: "duplicate and family mismatch",
			src: "virtual_server 203.0.113.1 80 {\n real_server 198.51.100.1 80\n real_server 198.51.100.1\n" +
				" real_server 2001:db8::1 80\n real_server 2001:db8::2 80 {\n  lvs_method TUN\n }\n}\n",
			diags: []string{
				"3 warning: virtual server 203.0.113.1:80: real server 198.51.100.1:80 is duplicated - removing",
				"4 warning: virtual server 203.0.113.1:80: address family of virtual server (inet) and real server 2001:db8::1 (inet6) don't match - skipping real server",
			},
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "kept", len(vs.RealServers), 2)
				eq(t, "tunnelled v6 kept", vs.RealServers[1].Addr, netip.MustParseAddr("2001:db8::2"))
			},
		},
		{
			name: "invalid values keep defaults",
			src: "virtual_server 203.0.113.1 80 {\n real_server 198.51.100.1 80 {\n  weight -1\n  lthreshold 2\n  uthreshold 1\n" +
				"  lvs_method FOO\n }\n}\n",
			diags: []string{
				"3 error: 'weight' expects an integer in [0, 2147483647], found '-1'",
				"6 error: 'lvs_method' expects NAT|DR|TUN, found 'FOO'",
				"2 error: real server 198.51.100.1:80 lthreshold 2 is greater than uthreshold 1",
			},
			check: func(t *testing.T, c *Config) { eq(t, "weight", onlyVS(t, c).RealServers[0].Weight, 1) },
		},
		{
			name:  "duplicate notify",
			src:   "virtual_server 203.0.113.1 80 {\n real_server 198.51.100.1 80 {\n  notify_up /a\n  notify_up /b\n }\n}\n",
			diags: []string{"4 warning: notify_up script already specified - ignoring 'notify_up /b'"},
		},
		{
			name:  "unterminated quote in script",
			src:   "virtual_server 203.0.113.1 80 {\n real_server 198.51.100.1 80 {\n  notify_up \"/a 'b\"\n }\n}\n",
			diags: []string{"3 error: missing terminating quote"},
		},
	})
}
