package config

import (
	"os"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// The shipped default config must give exactly keepalived 2.2.7's errors, as recorded with
// `keepalived -t` (internal/conformance/testdata/keepalived-2.2.7/etc-default.txt): both GARP/NA
// intervals of 0, and the two strict-mode fix-ups (reference §1a.9).
func TestShippedDefaultConfig(t *testing.T) {
	b, err := os.ReadFile("testdata/vrrp/default.conf")
	if err != nil {
		t.Fatal(err)
	}
	cfg, d := load(t, string(b))
	checkDiags(t, d,
		wantDiag{15, syntax.Error, "vrrp_garp_interval '0' is invalid"},
		wantDiag{16, syntax.Error, "vrrp_gna_interval '0' is invalid"},
		wantDiag{20, syntax.Error, "(VI_1) State MASTER must match being address owner"},
		wantDiag{25, syntax.Error, "(VI_1) Strict mode does not support authentication"},
	)
	if d.ExitCode() != syntax.ExitErrors {
		t.Errorf("exit code %d, want %d", d.ExitCode(), syntax.ExitErrors)
	}
	v := inst(t, cfg, "VI_1")
	if v.State != StateBackup || v.AuthType != AuthNone || v.Accept || !v.OwnerIgnoreAdverts || !v.LowerPrioNoAdvert ||
		v.GARPLowerPrioRepeat != 0 || cfg.Global.GARPInterval != 0 {
		t.Errorf("strict fix-ups not applied: %+v", v)
	}
}

func TestStrictFixups(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		check func(*testing.T, *Instance)
		diags []wantDiag
	}{
		{"preempt_delay reset", " strict_mode\n preempt_delay 10\n virtual_ipaddress {\n  198.51.100.1\n }", func(t *testing.T, v *Instance) {
			if v.PreemptDelay != 0 {
				t.Error("preempt_delay kept")
			}
		}, []wantDiag{{5, syntax.Error, "(VI_1) preempt_delay is incompatible with strict mode - resetting"}}},
		{"down_timer_adverts reset", " strict_mode\n down_timer_adverts 5\n virtual_ipaddress {\n  198.51.100.1\n }", func(t *testing.T, v *Instance) {
			if v.DownTimerAdverts != 3 {
				t.Error("down_timer_adverts kept")
			}
		}, []wantDiag{{5, syntax.Error, "down_timer_adverts is not supported in strict mode - using 3"}}},
		{"accept refused with v2", " strict_mode\n accept\n virtual_ipaddress {\n  198.51.100.1\n }", func(t *testing.T, v *Instance) {
			if v.Accept {
				t.Error("accept kept")
			}
		}, []wantDiag{{5, syntax.Error, "(VI_1) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting"}}},
		{"accept default for owner", " strict_mode\n priority 255\n virtual_ipaddress {\n  198.51.100.1\n }", func(t *testing.T, v *Instance) {
			if !v.Accept || v.State != StateMaster {
				t.Errorf("owner accept %v state %s", v.Accept, v.State)
			}
		}, nil},
		{"higher_prio_send_advert and vmac_xmit_base", " strict_mode\n higher_prio_send_advert\n vmac_xmit_base\n use_vmac 02:00:5e:00:01:01\n virtual_ipaddress {\n  198.51.100.1\n }", func(t *testing.T, v *Instance) {
			if v.HigherPrioSendAdvert || v.VMACXmitBase || v.VMAC.MAC != nil {
				t.Errorf("strict overrides not applied: %+v", v)
			}
		}, []wantDiag{
			{5, syntax.Error, "(VI_1) strict mode requires higher_prio_send_advert to be clear. resetting"},
			{6, syntax.Error, "(VI_1) xmit_base is incompatible with strict mode - resetting"},
			{7, syntax.Error, "a use_vmac MAC address is not supported in strict mode"},
		}},
		{"ipv6 forces v3 and link-local first VIP", " strict_mode\n version 2\n virtual_ipaddress {\n  2001:db8::1\n }", func(t *testing.T, v *Instance) {
			if v.Version != 3 {
				t.Errorf("version %d", v.Version)
			}
		}, []wantDiag{
			{5, syntax.Error, "(VI_1) cannot use IPv6 with VRRP version 2; setting version 3"},
			{7, syntax.Error, "(VI_1) the first IPv6 VIP address must be link local"},
		}},
		{"auth_hmac forced to enforce", " strict_mode\n auth_hmac {\n  key 1 secret\n  mode permissive\n }\n virtual_ipaddress {\n  198.51.100.1\n }", func(t *testing.T, v *Instance) {
			if v.AuthHMAC.Mode != HMACEnforce {
				t.Errorf("mode %s", v.AuthHMAC.Mode)
			}
		}, []wantDiag{{5, syntax.Error, "auth_hmac mode permissive is not allowed in strict mode - using enforce"}}},
		{"garp lower prio zeroed", " strict_mode\n garp_lower_prio_repeat 3\n virtual_ipaddress {\n  198.51.100.1\n }", func(t *testing.T, v *Instance) {
			if v.GARPLowerPrioRepeat != 0 || v.GARPLowerPrioDelay != 0 {
				t.Errorf("lower prio %d %v", v.GARPLowerPrioRepeat, v.GARPLowerPrioDelay)
			}
		}, []wantDiag{{5, syntax.Error, "(VI_1) Strict mode requires no repeat garps. resetting"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, d := load(t, vi(tc.body))
			checkDiags(t, d, tc.diags...)
			tc.check(t, inst(t, cfg, "VI_1"))
		})
	}
}

func TestNoVIPs(t *testing.T) {
	tests := []struct {
		name string
		body string
		keep bool
		want []wantDiag
	}{
		{"v2 warns", "", true, []wantDiag{{1, syntax.Warning, "(VI_1) No VIP specified; at least one is sensible"}}},
		{"v2 no_virtual_ipaddress", " no_virtual_ipaddress", true, nil},
		{"v3 removed", " version 3\n no_virtual_ipaddress", false, []wantDiag{{1, syntax.Error, "(VI_1) No VIP specified; at least one is required"}}},
		{"strict removed", " strict_mode\n no_virtual_ipaddress", false, []wantDiag{{1, syntax.Error, "(VI_1) No VIP specified; at least one is required"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, d := load(t, vi(tc.body))
			checkDiags(t, d, tc.want...)
			if (cfg.Instance("VI_1") != nil) != tc.keep {
				t.Errorf("instance kept = %v, want %v", !tc.keep, tc.keep)
			}
		})
	}
}

func TestStrictUnicastDropsInstance(t *testing.T) {
	cfg, d := load(t, "global_defs {\n vrrp_strict\n}\n"+vi(" unicast_peer {\n  198.51.100.3\n }\n virtual_ipaddress {\n  198.51.100.1\n }"))
	checkDiags(t, d, wantDiag{7, syntax.Error, "Unicast peers are not supported in strict mode - removing instance"})
	if cfg.Instance("VI_1") != nil {
		t.Error("instance kept")
	}
}

func TestPreemptDelayRules(t *testing.T) {
	tests := []struct {
		name string
		body string
		want time.Duration
		msg  string
		sev  syntax.Severity
	}{
		{"kept", " preempt_delay 2.5", 2500 * time.Millisecond, "", 0},
		{"with nopreempt", " preempt_delay 5\n nopreempt", 0, "(VI_1) preempt_delay is incompatible with nopreempt mode - resetting", syntax.Error},
		{"with master", " preempt_delay 5\n state MASTER\n priority 100", 0, "(VI_1) Warning - preempt delay will not work with initial state MASTER - clearing", syntax.Warning},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, d := load(t, vi(tc.body+"\n virtual_ipaddress {\n  198.51.100.1\n }"))
			var want []wantDiag
			if tc.msg != "" {
				want = append(want, wantDiag{4, tc.sev, tc.msg})
			}
			checkDiags(t, d, want...)
			if got := inst(t, cfg, "VI_1").PreemptDelay; got != tc.want {
				t.Errorf("preempt_delay %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDuplicateVRID(t *testing.T) {
	mk := func(name, iface, extra string) string {
		return "vrrp_instance " + name + " {\n interface " + iface + "\n virtual_router_id 7\n" + extra + "\n virtual_ipaddress {\n  198.51.100.1\n }\n}\n"
	}
	peers := func(src, a string) string {
		s := " unicast_peer {\n  " + a + "\n }"
		if src != "" {
			s = " unicast_src_ip " + src + "\n" + s
		}
		return s
	}
	const mcast = "A and B both use VRID 7 with IPv4 on interface eth0"
	const ucast = "(B) duplicate VRID conflict with A VRID 7"
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"same interface multicast", mk("A", "eth0", "") + mk("B", "eth0", ""), mcast},
		{"different interfaces", mk("A", "eth0", "") + mk("B", "eth1", ""), ""},
		{"different mcast group", mk("A", "eth0", "") + mk("B", "eth0", " mcast_dst_ip 224.0.0.99"), ""},
		{"unicast same source", mk("A", "eth0", peers("198.51.100.2", "198.51.100.3")) + mk("B", "eth0", peers("198.51.100.2", "198.51.100.4")), ucast},
		{"unicast different sources", mk("A", "eth0", peers("198.51.100.2", "198.51.100.3")) + mk("B", "eth0", peers("198.51.100.5", "198.51.100.3")), ""},
		{"unicast unknown source disjoint peers", mk("A", "eth0", peers("", "198.51.100.3")) + mk("B", "eth0", peers("", "198.51.100.4")), ""},
		{"unicast unknown source overlapping peers", mk("A", "eth0", peers("", "198.51.100.3")) + mk("B", "eth0", peers("", "198.51.100.3")), ucast},
		{"unicast and multicast are separate", mk("A", "eth0", peers("198.51.100.2", "198.51.100.3")) + mk("B", "eth0", ""), ""},
		{"different family", mk("A", "eth0", "") + "vrrp_instance B {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress {\n  fe80::1\n }\n}\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, d := load(t, tc.src)
			var want []wantDiag
			if tc.want != "" {
				want = append(want, wantDiag{0, syntax.Error, tc.want})
			}
			checkDiags(t, d, want...)
		})
	}
}

func TestSyncGroupStartState(t *testing.T) {
	src := "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n state MASTER\n priority 200\n virtual_ipaddress {\n  198.51.100.1\n }\n}\n" +
		"vrrp_instance B {\n interface eth0\n virtual_router_id 2\n virtual_ipaddress {\n  198.51.100.2\n }\n}\n" +
		"vrrp_sync_group G {\n group {\n  A\n  B\n }\n}\n"
	cfg, d := load(t, src)
	checkDiags(t, d, wantDiag{1, syntax.Info, "(A) starts as BACKUP: sync group G has members that cannot start as MASTER"})
	if s := inst(t, cfg, "A").State; s != StateBackup {
		t.Errorf("A state %s, want BACKUP", s)
	}
}
