package config

import (
	"net/netip"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

func TestInstanceDefaults(t *testing.T) {
	cfg, d := load(t, vi(" virtual_ipaddress {\n  198.51.100.10/24\n }"))
	checkDiags(t, d)
	v := inst(t, cfg, "VI_1")
	checks := []struct {
		name      string
		got, want any
	}{
		{"priority", v.Priority, 100},
		{"state", v.State, StateBackup},
		{"version", v.Version, 2},
		{"family", v.Family, FamilyIPv4},
		{"advert_int", v.AdvertInt, time.Second},
		{"accept", v.Accept, true},
		{"garp_master_delay", v.GARPMasterDelay, 5 * time.Second},
		{"garp_master_repeat", v.GARPMasterRepeat, 5},
		{"garp_master_refresh_repeat", v.GARPMasterRefreshRepeat, 1},
		{"garp_lower_prio_repeat", v.GARPLowerPrioRepeat, 5},
		{"garp_lower_prio_delay", v.GARPLowerPrioDelay, 5 * time.Second},
		{"down_timer_adverts", v.DownTimerAdverts, 3},
		{"mcast_dst_ip", v.McastDstIP, netip.MustParseAddr("224.0.0.18")},
		{"unicast_ttl", v.UnicastTTL, -1},
		{"lower_prio_no_advert", v.LowerPrioNoAdvert, false},
		{"owner_ignore_adverts", v.OwnerIgnoreAdverts, false},
		{"vip", v.VIPs[0].Prefix, netip.MustParsePrefix("198.51.100.10/24")},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestInstanceGlobalDefaults(t *testing.T) {
	src := `global_defs {
 vrrp_version 3
 vrrp_garp_master_delay 2
 vrrp_garp_master_repeat 3
 vrrp_garp_lower_prio_repeat 1
 vrrp_down_timer_adverts 5
 vrrp_mcast_group4 224.0.0.99
 vrrp_check_unicast_src
 vrrp_skip_check_adv_addr
 vrrp_lower_prio_no_advert
}
` + vi(" garp_master_repeat 7\n virtual_ipaddress {\n  198.51.100.10\n }")
	cfg, d := load(t, src)
	checkDiags(t, d)
	v := inst(t, cfg, "VI_1")
	if v.Version != 3 || v.GARPMasterDelay != 2*time.Second || v.GARPMasterRepeat != 7 || v.GARPLowerPrioRepeat != 1 ||
		v.DownTimerAdverts != 5 || v.McastDstIP != netip.MustParseAddr("224.0.0.99") || !v.CheckUnicastSrc ||
		!v.SkipCheckAdvAddr || !v.LowerPrioNoAdvert {
		t.Errorf("globals not applied: %+v", v)
	}
}

func TestPriorityAndState(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		prio      int
		state     State
		nopreempt bool
		diags     []wantDiag
	}{
		{"master without priority is owner", " state MASTER", 255, StateMaster, false, nil},
		{"priority 255 without state is master", " priority 255", 255, StateMaster, false, nil},
		{"state derived from priority", " priority 150", 150, StateBackup, false, nil},
		{"master with priority stays master", " state MASTER\n priority 150", 150, StateMaster, false, nil},
		{"backup after master rejected", " state MASTER\n state BACKUP\n priority 50", 50, StateMaster, false,
			[]wantDiag{{5, syntax.Error, "state previously set as MASTER - ignoring BACKUP"}}},
		{"priority 0 invalid", " priority 0", 100, StateBackup, false,
			[]wantDiag{{4, syntax.Error, "'priority' expects an integer in [1, 255], found '0'"}}},
		{"priority 256 invalid, master gives 255", " priority 256\n state MASTER", 255, StateMaster, false,
			[]wantDiag{{4, syntax.Error, "found '256'"}}},
		{"bad state", " state ACTIVE", 100, StateBackup, false,
			[]wantDiag{{4, syntax.Warning, "(VI_1) unknown state 'ACTIVE', defaulting to BACKUP"}}},
		{"nopreempt kept on backup", " nopreempt\n priority 90", 90, StateBackup, true, nil},
		{"nopreempt cleared on master", " nopreempt\n state MASTER\n priority 90", 90, StateMaster, false,
			[]wantDiag{{4, syntax.Warning, "nopreempt will not work with initial state MASTER"}}},
		{"nopreempt cleared on owner", " nopreempt\n priority 255", 255, StateMaster, false,
			[]wantDiag{{4, syntax.Warning, "(VI_1) nopreempt is incompatible with priority 255. resetting nopreempt"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, d := load(t, vi(tc.body+"\n virtual_ipaddress {\n  198.51.100.1\n }"))
			checkDiags(t, d, tc.diags...)
			v := inst(t, cfg, "VI_1")
			if v.Priority != tc.prio || v.State != tc.state || v.Nopreempt != tc.nopreempt {
				t.Errorf("priority %d state %s nopreempt %v, want %d %s %v", v.Priority, v.State, v.Nopreempt, tc.prio, tc.state, tc.nopreempt)
			}
		})
	}
}

func TestAdvertInt(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		want  time.Duration
		diags []wantDiag
	}{
		{"v2 whole", " advert_int 3", 3 * time.Second, nil},
		{"v2 rounds 1.5 up", " advert_int 1.5", 2 * time.Second,
			[]wantDiag{{4, syntax.Error, "(VI_1) VRRPv2 advertisement interval 1.500000s must be an integer. rounding (to 2s)"}}},
		{"v2 rounds 0.4 to 1", " advert_int 0.4", time.Second,
			[]wantDiag{{4, syntax.Error, "must be an integer. rounding (to 1s)"}}},
		{"v3 centiseconds kept", " version 3\n advert_int 0.25", 250 * time.Millisecond, nil},
		{"v3 quantised", " version 3\n advert_int 0.015", 20 * time.Millisecond,
			[]wantDiag{{5, syntax.Error, "VRRPv3 advertisement interval 0.015000s must be in units of 10ms - rounding (to 0.02s)"}}},
		{"v3 max", " version 3\n advert_int 50", 40950 * time.Millisecond,
			[]wantDiag{{5, syntax.Error, "VRRPv3 advertisement interval 50.00s is out of range. Must be less than 40.96s. Setting to 40.95s"}}},
		{"below range", " advert_int 0.001", time.Second,
			[]wantDiag{{4, syntax.Error, "'advert_int' expects seconds in [0.01, 255], found '0.001'"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, d := load(t, vi(tc.body+"\n virtual_ipaddress {\n  198.51.100.1\n }"))
			checkDiags(t, d, tc.diags...)
			if got := inst(t, cfg, "VI_1").AdvertInt; got != tc.want {
				t.Errorf("advert_int = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFamilyAndVersion(t *testing.T) {
	tests := []struct {
		name    string
		global  string
		body    string
		family  Family
		version int
		nVIPs   int
		nEVIPs  int
		diags   []wantDiag
	}{
		{"ipv6 defaults to v3", "", " virtual_ipaddress {\n  fe80::10\n  2001:db8::10/64\n }", FamilyIPv6, 3, 2, 0, nil},
		{"other family VIP rejected", "", " virtual_ipaddress {\n  2001:db8::10\n  198.51.100.1\n }", FamilyIPv6, 3, 1, 0,
			[]wantDiag{{6, syntax.Error, "(VI_1): address family must match VRRP instance [198.51.100.1] - ignoring"}}},
		{"eVIPs of any family", "", " virtual_ipaddress {\n  198.51.100.1\n }\n virtual_ipaddress_excluded {\n  2001:db8::1\n  203.0.113.1\n }",
			FamilyIPv4, 2, 1, 2, nil},
		{"version 2 before ipv6 VIPs", "", " version 2\n virtual_ipaddress {\n  fe80::1\n }", FamilyIPv6, 2, 1, 0, nil},
		{"version 2 after ipv6 VIPs", "", " virtual_ipaddress {\n  fe80::1\n }\n version 2", FamilyIPv6, 3, 1, 0,
			[]wantDiag{{7, syntax.Error, "cannot set VRRP version 2 after IPv6 addresses"}}},
		{"global vrrp_version 3 for ipv4", "global_defs {\n vrrp_version 3\n}\n", " virtual_ipaddress {\n  198.51.100.1\n }", FamilyIPv4, 3, 1, 0, nil},
		{"global vrrp_version 2 does not apply to ipv6", "global_defs {\n vrrp_version 2\n}\n", " virtual_ipaddress {\n  fe80::1\n }", FamilyIPv6, 3, 1, 0, nil},
		{"no VIPs is IPv4", "", " no_virtual_ipaddress", FamilyIPv4, 2, 0, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, d := load(t, tc.global+vi(tc.body))
			// Shift expected lines by the global block's lines.
			off := 0
			for _, c := range tc.global {
				if c == '\n' {
					off++
				}
			}
			want := append([]wantDiag(nil), tc.diags...)
			for i := range want {
				if want[i].line != 0 {
					want[i].line += off
				}
			}
			checkDiags(t, d, want...)
			v := inst(t, cfg, "VI_1")
			if v.Family != tc.family || v.Version != tc.version || len(v.VIPs) != tc.nVIPs || len(v.EVIPs) != tc.nEVIPs {
				t.Errorf("family %s version %d vips %d evips %d, want %s %d %d %d", v.Family, v.Version, len(v.VIPs), len(v.EVIPs),
					tc.family, tc.version, tc.nVIPs, tc.nEVIPs)
			}
			if v.Family == FamilyIPv6 && v.McastDstIP != netip.MustParseAddr("ff02::12") {
				t.Errorf("IPv6 mcast group = %s", v.McastDstIP)
			}
		})
	}
}

func TestUnicastPeers(t *testing.T) {
	cfg, d := load(t, vi(` unicast_src_ip 198.51.100.2
 unicast_peer {
  198.51.100.3
  198.51.100.4 min_ttl 250 max_ttl 255
  198.51.100.3
  2001:db8::5
  198.51.100.6 max_ttl 10 min_ttl 20
  198.51.100.7 ttl 3
 }
 virtual_ipaddress {
  198.51.100.1
 }`))
	checkDiags(t, d,
		wantDiag{8, syntax.Error, "unicast_peer 198.51.100.3 is specified more than once - ignoring"},
		wantDiag{9, syntax.Error, "unicast_peer 2001:db8::5 is not IPv4 like the instance - ignoring"},
		wantDiag{10, syntax.Error, "min_ttl 20 is above max_ttl 10"},
		wantDiag{11, syntax.Error, "expected min_ttl or max_ttl, found 'ttl'"},
	)
	v := inst(t, cfg, "VI_1")
	if len(v.UnicastPeers) != 2 || v.UnicastPeers[1].MinTTL != 250 || v.UnicastPeers[1].MaxTTL != 255 {
		t.Fatalf("peers = %+v", v.UnicastPeers)
	}
	if !v.CheckUnicastSrc {
		t.Error("min_ttl/max_ttl must imply check_unicast_src")
	}
}

func TestInterfaceRules(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		keep  bool
		diags []wantDiag
	}{
		{"missing interface", "vrrp_instance A {\n virtual_router_id 1\n virtual_ipaddress {\n  198.51.100.1\n }\n}\n", false,
			[]wantDiag{{1, syntax.Error, "(A) no interface specified"}}},
		{"unicast without interface", "vrrp_instance A {\n virtual_router_id 1\n unicast_src_ip 198.51.100.2\n unicast_peer {\n  198.51.100.3\n }\n virtual_ipaddress {\n  198.51.100.1\n }\n}\n", true, nil},
		{"loopback refused", "vrrp_instance A {\n interface lo\n virtual_router_id 1\n}\n", false,
			[]wantDiag{{2, syntax.Error, "cannot use the loopback interface"}, {1, syntax.Warning, "No VIP specified; at least one is sensible"}, {1, syntax.Error, "no interface specified"}}},
		{"missing vrid", "vrrp_instance A {\n interface eth0\n}\n", false,
			[]wantDiag{{1, syntax.Error, "(A) the virtual router id must be set - removing instance"}}},
		{"vrid out of range", "vrrp_instance A {\n interface eth0\n virtual_router_id 256\n}\n", false,
			[]wantDiag{{3, syntax.Error, "'virtual_router_id' expects an integer in [1, 255], found '256'"}, {1, syntax.Error, "must be set"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, d := load(t, tc.src)
			checkDiags(t, d, tc.diags...)
			if (cfg.Instance("A") != nil) != tc.keep {
				t.Errorf("instance kept = %v, want %v", cfg.Instance("A") != nil, tc.keep)
			}
		})
	}
}

func TestAuthentication(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		typ   AuthType
		pass  string
		state State
		diags []wantDiag
	}{
		{"pass padded", " authentication {\n  auth_type PASS\n  auth_pass 1111\n }", AuthPass, "1111\x00\x00\x00\x00", StateBackup, nil},
		{"pass truncated", " authentication {\n  auth_type PASS\n  auth_pass 0123456789\n }", AuthPass, "01234567", StateBackup,
			[]wantDiag{{6, syntax.Warning, "auth_pass '0123456789' is longer than 8 characters - truncating to '01234567'"}}},
		{"v3 ignores auth", " version 3\n authentication {\n  auth_type PASS\n  auth_pass x\n }", AuthNone, "\x00\x00\x00\x00\x00\x00\x00\x00", StateBackup,
			[]wantDiag{{5, syntax.Error, "(VI_1) VRRP version 3 does not support authentication. Ignoring."}}},
		{"AH with master", " state MASTER\n priority 100\n authentication {\n  auth_type AH\n  auth_pass secret\n }", AuthAH, "secret\x00\x00", StateBackup,
			[]wantDiag{{6, syntax.Error, "Initial state master is incompatible with AH authentication"}}},
		{"bad type", " authentication {\n  auth_type MD5\n }", AuthNone, "\x00\x00\x00\x00\x00\x00\x00\x00", StateBackup,
			[]wantDiag{{5, syntax.Error, "unknown auth_type 'MD5', expected PASS or AH"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, d := load(t, vi(tc.body+"\n virtual_ipaddress {\n  198.51.100.1\n }"))
			checkDiags(t, d, tc.diags...)
			v := inst(t, cfg, "VI_1")
			if v.AuthType != tc.typ || string(v.AuthPass[:]) != tc.pass || v.State != tc.state {
				t.Errorf("auth %s %q state %s, want %s %q %s", v.AuthType, v.AuthPass[:], v.State, tc.typ, tc.pass, tc.state)
			}
		})
	}
}

func TestAuthHMAC(t *testing.T) {
	cfg, d := load(t, vi(` auth_hmac {
  key 1 hex:00112233445566778899aabbccddeeff
  key 2 file:/etc/keepalived/k2
  key 2 other
  active_key 2
  anti_replay monotonic
  time_window 30
  mode permissive
 }
 virtual_ipaddress {
  198.51.100.1
 }`))
	checkDiags(t, d, wantDiag{7, syntax.Error, "auth_hmac key 2 is defined more than once"})
	h := inst(t, cfg, "VI_1").AuthHMAC
	if h == nil || len(h.Keys) != 2 || h.ActiveKey != 2 || h.AntiReplay != AntiReplayMonotonic ||
		h.TimeWindow != 30*time.Second || h.Mode != HMACPermissive || h.Keys[1].Source != "file" {
		t.Fatalf("auth_hmac = %+v", h)
	}
}

// TestAuthHMACWords checks the one-of-N keywords of auth_hmac: each accepted word, a wrong word
// (exact match, as keepalived's strcmp) and a missing one, which keep the default.
func TestAuthHMACWords(t *testing.T) {
	tests := []struct {
		line   string
		replay AntiReplay
		mode   HMACMode
		diags  []wantDiag
	}{
		{"anti_replay time", AntiReplayTime, HMACEnforce, nil},
		{"anti_replay monotonic", AntiReplayMonotonic, HMACEnforce, nil},
		{"anti_replay Monotonic", AntiReplayTime, HMACEnforce,
			[]wantDiag{{6, syntax.Error, "(VI_1) anti_replay expects 'time' or 'monotonic', found 'Monotonic'"}}},
		{"anti_replay", AntiReplayTime, HMACEnforce, []wantDiag{{6, syntax.Error, "'anti_replay' is missing a value"}}},
		{"mode enforce", AntiReplayTime, HMACEnforce, nil},
		{"mode permissive", AntiReplayTime, HMACPermissive, nil},
		{"mode receive-only", AntiReplayTime, HMACReceiveOnly, nil},
		{"mode strict", AntiReplayTime, HMACEnforce,
			[]wantDiag{{6, syntax.Error, "(VI_1) auth_hmac mode expects enforce, permissive or receive-only, found 'strict'"}}},
		{"mode", AntiReplayTime, HMACEnforce, []wantDiag{{6, syntax.Error, "'mode' is missing a value"}}},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			cfg, d := load(t, vi(" auth_hmac {\n  key 1 secret\n  "+tc.line+"\n }\n virtual_ipaddress {\n  198.51.100.1\n }"))
			checkDiags(t, d, tc.diags...)
			h := inst(t, cfg, "VI_1").AuthHMAC
			if h == nil || h.AntiReplay != tc.replay || h.Mode != tc.mode {
				t.Fatalf("auth_hmac = %+v, want anti_replay %s mode %s", h, tc.replay, tc.mode)
			}
		})
	}
}

func TestNotifyScripts(t *testing.T) {
	cfg, d := load(t, vi(` notify_master "/usr/local/bin/notify.sh master 'two words'" root :wheel
 notify_backup /bin/true
 notify "/bin/echo x" nobody nogroup
 notify_deleted
 notify_master_rx_lower_pri "/bin/aws-move-ip"
 virtual_ipaddress {
  198.51.100.1
 }`))
	checkDiags(t, d)
	v := inst(t, cfg, "VI_1")
	m := v.Notify.Master
	if m.Command != "/usr/local/bin/notify.sh master 'two words'" || len(m.Args) != 3 || m.Args[2] != "two words" || m.User != "root" || m.Group != "wheel" {
		t.Errorf("notify_master = %+v", m)
	}
	if v.Notify.Backup.Args[0] != "/bin/true" || v.Notify.Generic.User != "nobody" || v.Notify.Generic.Group != "nogroup" {
		t.Errorf("notify = %+v", v.Notify)
	}
	if !v.NotifyDeleted || v.Notify.MasterRxLowerPri.Command != "/bin/aws-move-ip" {
		t.Errorf("notify_deleted/rx_lower_pri not parsed: %+v", v)
	}
}

func TestVMACAndIpvlan(t *testing.T) {
	cfg, d := load(t, vi(` use_vmac vrrp.51 00:00:5e:00:01 netlink_notify_msg group 5
 vmac_xmit_base
 virtual_ipaddress {
  198.51.100.1
 }`)+`vrrp_instance VI_2 {
 interface eth1
 virtual_router_id 2
 use_ipvlan ipv1 198.51.100.9/24 private
 virtual_ipaddress {
  198.51.100.2
 }
}
`)
	checkDiags(t, d)
	m := inst(t, cfg, "VI_1").VMAC
	if m == nil || m.Name != "vrrp.51" || len(m.MAC) != 5 || !m.NetlinkNotifyMsg || m.Group != 5 || !inst(t, cfg, "VI_1").VMACXmitBase {
		t.Errorf("use_vmac = %+v", m)
	}
	iv := inst(t, cfg, "VI_2").Ipvlan
	if iv == nil || iv.Name != "ipv1" || iv.Mode != "private" || iv.Addr != netip.MustParsePrefix("198.51.100.9/24") {
		t.Errorf("use_ipvlan = %+v", iv)
	}
}

func TestNotifyFirstWins(t *testing.T) {
	cfg, d := load(t, vi(" notify_master /bin/first\n notify_master /bin/second\n virtual_ipaddress {\n  198.51.100.1\n }"))
	checkDiags(t, d, wantDiag{5, syntax.Warning, "(VI_1) notify_master script already specified - ignoring /bin/second"})
	if c := inst(t, cfg, "VI_1").Notify.Master.Command; c != "/bin/first" {
		t.Errorf("notify_master = %q", c)
	}
}

func TestDebounceDelayCap(t *testing.T) {
	cfg, d := load(t, "interface_up_down_delays {\n eth0 5 1\n eth1 9\n}\n"+vi(" advert_int 1\n virtual_ipaddress {\n  198.51.100.1\n }"))
	checkDiags(t, d, wantDiag{2, syntax.Warning, "interface eth0 down delay 5s is longer than (down_timer_adverts - 1) x advert_int = 2s of instance VI_1 - reducing it to 2s"})
	if dl := cfg.InterfaceUpDownDelays["eth0"]; dl.Down != 2*time.Second || dl.Up != time.Second {
		t.Errorf("eth0 delays = %+v", dl)
	}
	if dl := cfg.InterfaceUpDownDelays["eth1"]; dl.Down != 9*time.Second {
		t.Errorf("eth1 delays = %+v (no instance there, no cap)", dl)
	}
}

func TestNotifyQuoting(t *testing.T) {
	cfg, d := load(t, vi(` notify_master '/bin/x "a b"' nobody
 notify_backup "/bin/unterminated
 notify_fault /bin/f root wheel extra
 virtual_ipaddress {
  198.51.100.1
 }`))
	checkDiags(t, d,
		wantDiag{5, syntax.Error, "unterminated quote"}, // from the syntax layer
		wantDiag{5, syntax.Error, "'notify_backup': invalid quoting"},
		wantDiag{6, syntax.Warning, "'notify_fault' has extra arguments after the user and group: 'extra'"},
	)
	v := inst(t, cfg, "VI_1")
	if m := v.Notify.Master; len(m.Args) != 2 || m.Args[1] != "a b" || m.User != "nobody" {
		t.Errorf("single-quoted notify_master = %+v", m)
	}
	if !v.Notify.Backup.IsZero() {
		t.Errorf("broken notify_backup kept: %+v", v.Notify.Backup)
	}
}
