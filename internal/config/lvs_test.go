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
	// defaults keeps the "no protocol/scheduler/forwarding method set" warnings, which are otherwise
	// filtered out so that snippets stay short.
	defaults bool
	check    func(t *testing.T, c *Config)
}

// runLVSCases loads each snippet and checks its diagnostics and model.
func runLVSCases(t *testing.T, cases []lvsCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, ds := LoadString("t.conf", tc.src, LoadOptions{})
			var got []string
			for _, d := range ds {
				if !tc.defaults && isDefaultingWarning(d.Msg) {
					continue
				}
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

// isDefaultingWarning matches keepalived's warnings for a missing protocol, scheduler or method.
func isDefaultingWarning(msg string) bool {
	return strings.Contains(msg, "no protocol set - defaulting to UDP") ||
		strings.Contains(msg, "no scheduler set, setting default") ||
		strings.Contains(msg, "no forwarding method set, setting default NAT")
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

// svc builds "virtual_server HEADER {" + body lines (from line 2) + one real server, so that the service
// is not dropped for having none.
func svc(header, body, rs string) string {
	return "virtual_server " + header + " {\n" + body + " real_server " + rs + " {\n }\n}\n"
}

func TestVirtualServer(t *testing.T) {
	runLVSCases(t, []lvsCase{
		{
			name: "defaults",
			src:  "virtual_server 203.0.113.1 80 {\n protocol TCP\n real_server 198.51.100.1 {\n  TCP_CHECK {\n  }\n }\n}\n",
			diags: []string{
				"1 warning: Virtual server [203.0.113.1]:tcp:80: no scheduler set, setting default 'wlc'",
				"1 warning: Virtual server [203.0.113.1]:tcp:80: no forwarding method set, setting default NAT",
			},
			defaults: true,
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
				eq(t, "rs port (NAT takes the service port)", rs.Port, uint16(80))
				eq(t, "rs smtp_alert", rs.Resolved.SMTPAlert, true)
				r := rs.Checkers[0].Resolved
				eq(t, "resolved", r, ResolvedCheck{DelayLoop: 60 * time.Second, ConnectTimeout: 5 * time.Second,
					Retry: 1, DelayBeforeRetry: time.Second, Warmup: 60 * time.Second,
					Target: netip.MustParseAddrPort("198.51.100.1:80")})
			},
		},
		{
			name:     "no protocol defaults to UDP",
			src:      svc("203.0.113.1 80", " lb_algo rr\n lb_kind NAT\n", "198.51.100.1 80"),
			diags:    []string{"1 warning: Virtual server [203.0.113.1]:none:80: no protocol set - defaulting to UDP"},
			defaults: true,
			check:    func(t *testing.T, c *Config) { eq(t, "protocol", onlyVS(t, c).Protocol, ProtoUDP) },
		},
		{
			name:  "no real servers",
			src:   "virtual_server 203.0.113.1 80 {\n protocol TCP\n}\n",
			diags: []string{"1 warning: Virtual server [203.0.113.1]:tcp:80 has no real servers - ignoring"},
			check: func(t *testing.T, c *Config) { eq(t, "dropped", len(c.VirtualServers), 0) },
		},
		{
			name: "persistence bare is 360s",
			src:  svc("203.0.113.1 80", " persistence_timeout\n", "198.51.100.1 80"),
			check: func(t *testing.T, c *Config) {
				eq(t, "persistence", onlyVS(t, c).PersistenceTimeout, 360*time.Second)
			},
		},
		{
			name:  "persistence value",
			src:   svc("203.0.113.1 80", " persistence_timeout 50\n persistence_engine sip\n persistence_timeout 2678401\n", "198.51.100.1 80"),
			diags: []string{"4 error: 'persistence_timeout' expects an integer in [1, 2678400], found '2678401'"},
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "persistence", vs.PersistenceTimeout, 50*time.Second)
				eq(t, "engine", vs.PersistenceEngine, "sip")
			},
		},
		{
			name:  "port omitted without persistence",
			src:   svc("203.0.113.1", " protocol TCP\n", "198.51.100.1 80"),
			diags: []string{"1 warning: Virtual server [203.0.113.1]:tcp:0: zero port only valid for persistent services - setting persistence_timeout 360"},
			check: func(t *testing.T, c *Config) {
				eq(t, "persistence", onlyVS(t, c).PersistenceTimeout, 360*time.Second)
			},
		},
		{
			name: "port omitted with persistence",
			src:  svc("203.0.113.1", " persistence_timeout 600\n", "198.51.100.1"),
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "port", vs.Port, uint16(0))
				eq(t, "rs port", vs.RealServers[0].Port, uint16(0))
			},
		},
		{
			name: "protocol is case-insensitive",
			src:  svc("203.0.113.1 53", " protocol udp\n", "198.51.100.1") + svc("203.0.113.1 80", " protocol Sctp\n", "198.51.100.1"),
			check: func(t *testing.T, c *Config) {
				eq(t, "udp", c.VirtualServers[0].Protocol, ProtoUDP)
				eq(t, "sctp", c.VirtualServers[1].Protocol, ProtoSCTP)
			},
		},
		{
			name:  "protocol invalid",
			src:   svc("203.0.113.1 53", " protocol ICMP\n", "198.51.100.1"),
			diags: []string{"2 error: Unknown protocol ICMP - ignoring (expected TCP|UDP|SCTP)"},
			check: func(t *testing.T, c *Config) {
				eq(t, "protocol (keepalived's UDP default)", onlyVS(t, c).Protocol, ProtoUDP)
			},
		},
		{
			name:  "fwmark with protocol warns",
			src:   svc("fwmark 1", " protocol TCP\n", "198.51.100.1"),
			diags: []string{"1 warning: Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored"},
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "kind", vs.Kind, VSByFwmark)
				eq(t, "fwmark", vs.Fwmark, uint32(1))
				eq(t, "protocol", vs.Protocol, ProtoNone)
				eq(t, "family from real server", vs.Family, AFInet)
			},
		},
		{
			name: "fwmark family from ip_family",
			src:  svc("fwmark 2", " ip_family inet6\n lvs_method TUN\n", "198.51.100.1"),
			check: func(t *testing.T, c *Config) {
				eq(t, "family", onlyVS(t, c).Family, AFInet6)
			},
		},
		{
			name: "fwmark tunnelled servers default to IPv4 when mixed",
			src:  "virtual_server fwmark 3 {\n lvs_method TUN\n real_server 2001:db8::1 {\n }\n real_server 198.51.100.1 {\n }\n}\n",
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "family", vs.Family, AFInet)
				eq(t, "kept", len(vs.RealServers), 2)
			},
		},
		{
			name: "schedulers and aliases",
			src: svc("203.0.113.1 80", " lvs_sched twos\n", "198.51.100.1") + svc("203.0.113.2 80", " lb_algo lblcr\n", "198.51.100.1") +
				svc("203.0.113.3 80", " lb_algo RR\n", "198.51.100.1"),
			diags: []string{"12 error: Invalid lvs_scheduler 'RR' - ignoring"},
			check: func(t *testing.T, c *Config) {
				eq(t, "lvs_sched", c.VirtualServers[0].Scheduler, SchedTWOS)
				eq(t, "lb_algo", c.VirtualServers[1].Scheduler, SchedLBLCR)
				eq(t, "invalid falls back to wlc", c.VirtualServers[2].Scheduler, SchedWLC)
			},
		},
		{
			name: "scheduler flags in any order",
			src:  svc("203.0.113.1 80", " sh-port\n sh-fallback\n lb_algo sh\n protocol UDP\n ops\n hashed\n flag-1\n flag-3\n", "198.51.100.1"),
			check: func(t *testing.T, c *Config) {
				eq(t, "flags", onlyVS(t, c).SchedFlags, FlagSched1|FlagSched2|FlagOnePacket|FlagHashed|FlagSched3)
			},
		},
		{
			name:  "ops requires UDP",
			src:   svc("203.0.113.1 80", " protocol TCP\n ops\n", "198.51.100.1"),
			diags: []string{"1 warning: Virtual server [203.0.113.1]:tcp:80: one packet scheduling requires UDP - resetting"},
			check: func(t *testing.T, c *Config) { eq(t, "flags", onlyVS(t, c).SchedFlags, SchedFlags(0)) },
		},
		{
			name: "sh and mh flags need their scheduler",
			src:  svc("203.0.113.1 80", " lb_algo rr\n sh-port\n mh-fallback\n", "198.51.100.1"),
			diags: []string{
				"3 warning: Virtual server [203.0.113.1]:udp:80: 'sh-port' only applies to the sh scheduler, not rr - ignoring",
				"4 warning: Virtual server [203.0.113.1]:udp:80: 'mh-fallback' only applies to the mh scheduler, not rr - ignoring",
			},
			check: func(t *testing.T, c *Config) { eq(t, "flags", onlyVS(t, c).SchedFlags, SchedFlags(0)) },
		},
		{
			name: "forwarding methods",
			src: svc("203.0.113.1 80", " lb_kind DR\n", "198.51.100.1") + svc("203.0.113.2 80", " lvs_method TUN type gue port 6080 nocsum\n", "198.51.100.1") +
				svc("203.0.113.3 80", " lvs_method TUN type gre remcsum\n", "198.51.100.1") + svc("203.0.113.4 80", " lvs_method DR nocsum\n", "198.51.100.1") +
				svc("203.0.113.5 80", " lvs_method TUN type gue port 0\n", "198.51.100.1") + svc("203.0.113.6 80", " lvs_method TUN type vxlan\n", "198.51.100.1"),
			diags: []string{
				"12 error: 'lvs_method TUN': 'remcsum' is only valid with 'type gue'",
				"17 error: 'lvs_method DR' takes no options, found 'nocsum'",
				"22 error: 'lvs_method TUN type gue port' expects a port in [1, 65535], found '0'",
				"27 error: 'lvs_method TUN type' expects ipip|gue|gre, found 'vxlan'",
			},
			check: func(t *testing.T, c *Config) {
				eq(t, "DR", c.VirtualServers[0].Forwarding, Forwarding{Method: FwdDR})
				f := Forwarding{Method: FwdTUN, TunnelType: TunnelGUE, TunnelPort: 6080, TunnelChecksum: TunnelNoCsum}
				eq(t, "gue", c.VirtualServers[1].Forwarding, f)
				eq(t, "gue on the real server", c.VirtualServers[1].RealServers[0].Resolved.Forwarding, f)
				eq(t, "gue string", f.String(), "TUN type gue port 6080 nocsum")
				eq(t, "invalid falls back to NAT", c.VirtualServers[2].Forwarding, Forwarding{})
			},
		},
		{
			name: "quorum, hysteresis and scripts",
			src: "virtual_server 203.0.113.1 80 {\n quorum 3\n hysteresis 1\n" +
				" quorum_up \"/bin/up.sh 'a b' c\" root wheel\n quorum_down '/bin/down.sh'\n quorum_down /bin/other\n" +
				" real_server 198.51.100.1 80 {\n  weight 3\n }\n}\n",
			diags: []string{"6 info: Virtual server [203.0.113.1]:none:80: quorum_down script already specified - ignoring 'quorum_down /bin/other'"},
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
			name: "quorum capped by weights, hysteresis below quorum",
			src:  svc("203.0.113.1 80", " quorum 5\n hysteresis 3\n", "198.51.100.1"),
			diags: []string{
				"1 warning: Warning - quorum 5 for [203.0.113.1]:udp:80 exceeds total weight of real servers 1, reducing quorum to 1",
				"1 warning: Virtual server [203.0.113.1]:udp:80: hysteresis 3 >= quorum 1; setting hysteresis to 0",
			},
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "quorum", vs.Quorum, 1)
				eq(t, "hysteresis", vs.Hysteresis, 0)
			},
		},
		{
			name:  "quorum must be at least 1",
			src:   svc("203.0.113.1 80", " quorum 0\n", "198.51.100.1"),
			diags: []string{"2 error: 'quorum' expects an integer in [1, 4294967295], found '0'"},
			check: func(t *testing.T, c *Config) { eq(t, "quorum", onlyVS(t, c).Quorum, 1) },
		},
		{
			name: "service weight is the real servers' default",
			src:  "virtual_server 203.0.113.1 80 {\n weight 7\n real_server 198.51.100.1 80 {\n }\n real_server 198.51.100.2 80 {\n  weight 2\n }\n}\n",
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "weights", []int{vs.RealServers[0].Weight, vs.RealServers[1].Weight}, []int{7, 2})
			},
		},
		{
			name: "persistence granularity",
			src: svc("203.0.113.1 80", " persistence_granularity 255.255.255.0\n", "198.51.100.1") +
				svc("2001:db8::1 80", " persistence_granularity 64\n", "2001:db8::10") +
				svc("203.0.113.2 80", " persistence_granularity 255.0.255.0\n", "198.51.100.1") +
				svc("2001:db8::2 80", " persistence_granularity 129\n", "2001:db8::10"),
			diags: []string{
				"12 error: IPv4 persistence_granularity netmask is not solid - 255.0.255.0",
				"17 error: 'persistence_granularity' expects an IPv6 prefix length in [1, 128], found '129'",
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
			src: svc("203.0.113.1 80", " lb_kind DR\n sorry_server 198.51.100.9\n sorry_server_inhibit\n", "198.51.100.1") +
				svc("203.0.113.2 80", " sorry_server 2001:db8::9 80\n", "198.51.100.1") +
				svc("2001:db8::1 80", " sorry_server 198.51.100.9 80\n sorry_server_lvs_method TUN\n", "2001:db8::10") +
				svc("203.0.113.3 80", " lb_kind DR\n sorry_server 198.51.100.9 8080\n", "198.51.100.1"),
			diags: []string{
				"9 warning: Virtual server [203.0.113.2]:none:80: address family of virtual server (inet) and sorry server 2001:db8::9 (inet6) don't match - skipping sorry server",
				"21 warning: WARNING - virtual server [203.0.113.3]:udp:80 and sorry server ports don't match - resetting",
			},
			check: func(t *testing.T, c *Config) {
				ss := c.VirtualServers[0].SorryServer
				eq(t, "sorry addr", ss.Addr, netip.MustParseAddr("198.51.100.9"))
				eq(t, "sorry port from VS", ss.Port, uint16(80))
				eq(t, "sorry inhibit", ss.Inhibit, true)
				eq(t, "sorry forwarding from VS", ss.Forwarding, Forwarding{Method: FwdDR})
				eq(t, "dropped", c.VirtualServers[1].SorryServer == nil, true)
				eq(t, "TUN sorry across families", c.VirtualServers[2].SorryServer.Forwarding.Method, FwdTUN)
				eq(t, "DR port reset", c.VirtualServers[3].SorryServer.Port, uint16(80))
			},
		},
		{
			name: "sorry server options without sorry server",
			src:  svc("203.0.113.1 80", " sorry_server_inhibit\n sorry_server_lvs_method DR\n sorry_server bogus\n", "198.51.100.1"),
			diags: []string{
				"2 error: 'sorry_server_inhibit' used before or without 'sorry_server' - ignoring",
				"3 error: 'sorry_server_lvs_method' used before or without 'sorry_server' - ignoring",
				"4 error: Invalid sorry server IP address bogus - skipping",
			},
		},
		{
			name: "boolean options",
			src: svc("203.0.113.1 80", " inhibit_on_failure\n alpha\n omega yes\n ha_suspend\n"+
				" virtualhost www.example.org\n smtp_alert off\n snmp_name vs1\n", "198.51.100.1"),
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "flags", []bool{vs.InhibitOnFailure, vs.Alpha, vs.Omega, vs.HASuspend}, []bool{true, true, true, true})
				eq(t, "virtualhost", vs.Virtualhost, "www.example.org")
				eq(t, "smtp_alert", vs.SMTPAlert, Setting[bool]{Value: false, Set: true})
				eq(t, "snmp_name", vs.SNMPName, "vs1")
			},
		},
		{
			name:  "ha_suspend with fwmark",
			src:   svc("fwmark 4", " ha_suspend\n", "198.51.100.1"),
			diags: []string{"1 warning: Virtual server FWM 4: cannot use ha_suspend with fwmarks - clearing ha_suspend"},
			check: func(t *testing.T, c *Config) { eq(t, "ha_suspend", onlyVS(t, c).HASuspend, false) },
		},
		{
			name: "header errors",
			src: "virtual_server 203.0.113.1 80\nvirtual_server bogus 80 {\n}\nvirtual_server fwmark 0 {\n}\n" +
				svc("203.0.113.1 80 extra", "", "198.51.100.1") + "virtual_server 203.0.113.1 70000 {\n}\n",
			diags: []string{
				"1 error: 'virtual_server [203.0.113.1]:none:80' expects a block",
				"2 error: Invalid virtual server IP address bogus - skipping",
				"4 error: virtual server fwmark '0' must be in [1, 4294967295] - ignoring",
				"6 info: 'virtual_server 203.0.113.1 80': extra words 'extra' ignored",
				"10 error: Invalid virtual server IP address/port 203.0.113.1/70000 - skipping",
			},
			check: func(t *testing.T, c *Config) { eq(t, "kept", len(c.VirtualServers), 1) },
		},
		{
			name:  "unknown keyword",
			src:   svc("203.0.113.1 80", " lb_algo rr\n bogus_keyword 1\n", "198.51.100.1"),
			diags: []string{"3 warning: unknown keyword 'bogus_keyword'"},
		},
	})
}

func TestVirtualServerGroup(t *testing.T) {
	runLVSCases(t, []lvsCase{
		{
			name: "entries",
			src: "virtual_server_group G {\n 203.0.113.1 80\n 203.0.113.3-10 80\n 203.0.113.64/30 8080\n" +
				" 203.0.113.250-203.0.114.10 0\n 203.0.112.0/23 80\n fwmark 1\n fwmark 2 inet\n}\n" +
				"virtual_server_group G6 {\n ae00::2-9 80\n 2001:db8::/120 443\n fwmark 0 inet6\n}\n",
			check: func(t *testing.T, c *Config) {
				g := c.VirtualServerGroup("G")
				if g == nil || len(g.Entries) != 7 {
					t.Fatalf("group = %+v", g)
				}
				a := netip.MustParseAddr
				r := func(e VSGEntry) [2]netip.Addr { return [2]netip.Addr{e.First, e.Last} }
				eq(t, "single", r(g.Entries[0]), [2]netip.Addr{a("203.0.113.1"), a("203.0.113.1")})
				eq(t, "v4 range", r(g.Entries[1]), [2]netip.Addr{a("203.0.113.3"), a("203.0.113.10")})
				eq(t, "cidr", r(g.Entries[2]), [2]netip.Addr{a("203.0.113.64"), a("203.0.113.67")})
				eq(t, "cidr port", g.Entries[2].Port, uint16(8080))
				eq(t, "full range across octets", r(g.Entries[3]), [2]netip.Addr{a("203.0.113.250"), a("203.0.114.10")})
				eq(t, "port 0 is none", g.Entries[3].Port, uint16(0))
				eq(t, "/23", r(g.Entries[4]), [2]netip.Addr{a("203.0.112.0"), a("203.0.113.255")})
				eq(t, "fwmark", g.Entries[5], VSGEntry{Pos: g.Entries[5].Pos, IsFwmark: true, Fwmark: 1})
				eq(t, "fwmark family", g.Entries[6].Family, AFInet)
				eq(t, "string", g.Entries[1].String(), "203.0.113.3-203.0.113.10,80")
				g6 := c.VirtualServerGroup("G6")
				eq(t, "v6 range (hex)", r(g6.Entries[0]), [2]netip.Addr{a("ae00::2"), a("ae00::9")})
				eq(t, "v6 cidr", r(g6.Entries[1]), [2]netip.Addr{a("2001:db8::"), a("2001:db8::ff")})
				eq(t, "fwmark 0 is valid in a group", g6.Entries[2].Fwmark, uint32(0))
			},
		},
		{
			name: "invalid entries",
			src: "virtual_server_group G {\n 203.0.113.9-3 80\n 203.0.113.0/16\n 203.0.113.0/33\n 203.0.114.1-203.0.113.1\n" +
				" 2001:db8::1-10000\n fwmark 5 inet4\n 203.0.113.1 99999\n 203.0.113.1-2001:db8::1\n fwmark x\n 203.0.113.1 80\n}\n",
			diags: []string{
				"2 error: Address range end is not greater than address range start - 203.0.113.9-3 - skipping",
				"3 error: Address mask bits not empty - 203.0.113.0/16 - skipping",
				"4 error: Invalid netmask - 203.0.113.0/33 - skipping",
				"5 error: Address range end is less than address range start - 203.0.114.1-203.0.113.1 - skipping",
				"6 error: Virtual server group range '2001:db8::1-10000' end '10000' too large or invalid",
				"7 error: (G): fwmark '5' family inet4 unknown - ignoring",
				"8 error: Invalid virtual server group IP address 203.0.113.1 /port/99999 - skipping",
				"9 error: Virtual server group range '203.0.113.1-2001:db8::1' end '2001:db8::1' too large or invalid",
				"10 error: (G): fwmark 'x' must be in [0, 4294967295] - ignoring",
			},
			check: func(t *testing.T, c *Config) { eq(t, "entries", len(c.VirtualServerGroup("G").Entries), 1) },
		},
		{
			name: "empty, duplicate and mixed groups",
			src: "virtual_server_group E {\n}\nvirtual_server_group G {\n 203.0.113.1 80\n}\nvirtual_server_group G {\n 203.0.113.2 80\n}\n" +
				"virtual_server_group M {\n 203.0.113.1 80\n 2001:db8::1 80\n fwmark 1\n}\n",
			diags: []string{
				"1 warning: virtual server group E has no entries - removing",
				"6 info: virtual_server_group G is already defined - this one is never used",
				"9 warning: virtual server group M cannot have IPv4, IPv6 and fwmark without family - removing",
			},
			check: func(t *testing.T, c *Config) {
				eq(t, "groups", len(c.VirtualServerGroups), 1)
				eq(t, "first wins", c.VirtualServerGroups[0].Entries[0].First, netip.MustParseAddr("203.0.113.1"))
			},
		},
		{
			name: "virtual_server group uses the group family",
			src:  "virtual_server_group G6 {\n 2001:db8::1 80\n}\n" + svc("group G6", " protocol TCP\n", "2001:db8::10 80"),
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "kind", vs.Kind, VSByGroup)
				eq(t, "family", vs.Family, AFInet6)
				eq(t, "rs kept", len(vs.RealServers), 1)
			},
		},
		{
			name: "group checks",
			src: "virtual_server_group G {\n 203.0.113.1\n fwmark 3\n}\n" +
				svc("group G", " protocol TCP\n lb_kind DR\n", "198.51.100.1 8080"),
			diags: []string{
				"5 warning: Virtual server [G]:0: zero port only valid for persistent services - setting persistence_timeout 360",
				"8 warning: virtual server [G]:0:[203.0.113.1,0] and real server [198.51.100.1]:tcp:8080 ports don't match",
				"8 warning: WARNING - fwmark virtual server [G]:0, real server [198.51.100.1]:tcp:8080 has port specified - port will be ignored",
			},
		},
		{
			name:  "virtual_server group undefined",
			src:   svc("group nosuch", "", "198.51.100.1 80"),
			diags: []string{"1 error: virtual_server group nosuch: no virtual_server_group nosuch with valid entries is defined - skipping the virtual server"},
			check: func(t *testing.T, c *Config) { eq(t, "dropped", len(c.VirtualServers), 0) },
		},
	})
}

func TestRealServer(t *testing.T) {
	runLVSCases(t, []lvsCase{
		{
			name: "options and cascade",
			src: "virtual_server 203.0.113.1 80 {\n lb_kind DR\n inhibit_on_failure\n alpha\n virtualhost vs.example.org\n smtp_alert off\n" +
				" real_server 198.51.100.1 8080 {\n  weight 0\n  lvs_method TUN\n  uthreshold 100\n  lthreshold 10\n  alpha off\n" +
				"  notify_up \"/bin/n.sh up\"\n  notify_down /bin/down nobody\n }\n real_server 198.51.100.2 {\n  inhibit_on_failure no\n  virtualhost rs.example.org\n }\n}\n",
			diags: []string{
				"7 warning: WARNING - virtual server [203.0.113.1]:udp:80 and real server [198.51.100.1]:udp:8080 ports don't match - resetting",
			},
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				r1, r2 := vs.RealServers[0], vs.RealServers[1]
				eq(t, "weight", r1.Weight, 0)
				eq(t, "port reset", r1.Port, uint16(80))
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
			src: "virtual_server 203.0.113.1 80 {\n real_server 198.51.100.1 80 {\n }\n real_server 198.51.100.1 {\n }\n" +
				" real_server 2001:db8::1 80 {\n }\n real_server 2001:db8::2 80 {\n  lvs_method TUN\n }\n}\n",
			diags: []string{
				"6 warning: Virtual server [203.0.113.1]:none:80: address family of virtual server (inet) and real server 2001:db8::1 (inet6) don't match - skipping real server",
			},
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "kept", len(vs.RealServers), 3)
				eq(t, "tunnelled v6 kept", vs.RealServers[2].Addr, netip.MustParseAddr("2001:db8::2"))
			},
		},
		{
			name: "duplicate",
			src:  "virtual_server 203.0.113.1 80 {\n real_server 198.51.100.1 80 {\n }\n real_server 198.51.100.1 80 {\n }\n}\n",
			diags: []string{
				"4 warning: VS [203.0.113.1]:udp:80: real server [198.51.100.1]:udp:80 is duplicated - removing second rs",
			},
			check: func(t *testing.T, c *Config) { eq(t, "kept", len(onlyVS(t, c).RealServers), 1) },
		},
		{
			name:  "fwmark DR real server port cleared",
			src:   svc("fwmark 1", " lb_kind DR\n", "198.51.100.1 80"),
			diags: []string{"3 warning: WARNING - fwmark virtual server FWM 1, real server [198.51.100.1]:none:80 has port specified - clearing"},
			check: func(t *testing.T, c *Config) { eq(t, "port", onlyVS(t, c).RealServers[0].Port, uint16(0)) },
		},
		{
			name: "invalid values keep defaults",
			src:  "virtual_server 203.0.113.1 80 {\n real_server 198.51.100.1 80 {\n  weight -1\n  lvs_method FOO\n }\n}\n",
			diags: []string{
				"3 error: 'weight' expects an integer in [0, 2147483647], found '-1'",
				"4 error: 'lvs_method' expects NAT|DR|TUN, found 'FOO'",
			},
			check: func(t *testing.T, c *Config) { eq(t, "weight", onlyVS(t, c).RealServers[0].Weight, 1) },
		},
		{
			name: "header errors",
			src: "virtual_server 203.0.113.1 80 {\n real_server bogus 80 {\n }\n real_server 198.51.100.2 70000 {\n }\n" +
				" real_server 198.51.100.3 80\n real_server 198.51.100.4 80 x {\n }\n}\n",
			diags: []string{
				"2 error: Invalid real server ip address/port bogus/80 - skipping",
				"4 error: Invalid real server ip address/port 198.51.100.2/70000 - skipping",
				"6 error: 'real_server 198.51.100.3' expects a block: 'real_server 198.51.100.3 {'",
				"7 info: 'real_server 198.51.100.4 80': extra words 'x' ignored",
			},
			check: func(t *testing.T, c *Config) { eq(t, "kept", len(onlyVS(t, c).RealServers), 1) },
		},
		{
			name:  "duplicate notify",
			src:   "virtual_server 203.0.113.1 80 {\n real_server 198.51.100.1 80 {\n  notify_up /a\n  notify_up /b\n }\n}\n",
			diags: []string{"4 info: notify_up script already specified - ignoring 'notify_up /b'"},
		},
		{
			name:  "unterminated quote in script",
			src:   "virtual_server 203.0.113.1 80 {\n real_server 198.51.100.1 80 {\n  notify_up \"/a 'b\"\n }\n}\n",
			diags: []string{"3 error: missing terminating quote"},
		},
	})
}
