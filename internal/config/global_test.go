package config

import (
	"net/netip"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

func TestGlobalDefaults(t *testing.T) {
	cfg, d := load(t, "")
	checkDiags(t, d)
	g := cfg.Global
	if g.DefaultInterface != "eth0" || g.VRRPVersion != 2 || g.GARPMasterDelay != 5*time.Second || g.GARPMasterRepeat != 5 ||
		g.SNMPSocket != "unix:/var/agentx/master" || g.DBusServiceName != "org.keepalived.Vrrp1" || g.ChildWaitTime != 5*time.Second ||
		g.StartupScriptTimeout != 10*time.Second || g.MaxAutoPriority != -1 || g.VRRPMcastGroup6 != netip.MustParseAddr("ff02::12") {
		t.Errorf("defaults = %+v", g)
	}
}

func TestGlobalDefs(t *testing.T) {
	src := `global_defs {
 router_id lb1
 notification_email {
  a@example.com
  b@example.com
 }
 smtp_server 198.51.100.25 2525
 smtp_connect_timeout 15
 script_user ka_script:ka_group
 enable_script_security
 startup_script "/bin/start now" root
 vrrp_garp_interval 0.001
 vrrp_gna_interval 0.002
 vrrp_garp_extra_if all 30
 vrrp_mcast_group4 224.0.0.99
 vrrp_mcast_group6 ff02::99
 vrrp_startup_delay 5.5
 max_auto_priority
 vrrp_cpu_affinity 0 1
 checker_priority -5
 bfd_rt_priority 50
 vrrp_notify_fifo /run/ka.fifo nobody
 vrrp_notify_fifo_script /bin/reader
 nftables
 vrrp_iptables KA-IN KA-OUT
 dynamic_interfaces allow_if_changes
 lvs_timeouts tcp 900 udp 60
 lvs_sync_daemon eth1 VI_1 id 5 port 8849 group 239.0.0.1
 lvs_flush_on_stop VS
 vrrp_rx_bufs_policy MTU
 vrrp_netlink_cmd_rcv_bufs 1048576
 vrrp_netlink_cmd_rcv_bufs_force
 umask 0077
 json_version 2
 vrrp_owner_ignore_adverts
}
net_namespace blue
instance inst1
child_wait_time 7
`
	cfg, d := load(t, src)
	checkDiags(t, d)
	g := cfg.Global
	checks := []struct {
		name      string
		got, want any
	}{
		{"router_id", g.RouterID, "lb1"},
		{"emails", len(g.NotificationEmail), 2},
		{"smtp", g.SMTPServer + ":" + strconv.Itoa(g.SMTPPort), "198.51.100.25:2525"},
		{"smtp timeout", g.SMTPConnectTimeout, 15 * time.Second},
		{"script user", g.ScriptUser + "/" + g.ScriptGroup, "ka_script/ka_group"},
		{"security", g.EnableScriptSecurity, true},
		{"startup script", g.StartupScript.Args[1] + g.StartupScript.User, "nowroot"},
		{"garp interval", g.GARPInterval, time.Millisecond},
		{"gna interval", g.GNAInterval, 2 * time.Millisecond},
		{"garp extra", g.GARPExtraIf, 30 * time.Second},
		{"garp extra all", g.GARPExtraIfAll, true},
		{"mcast4", g.VRRPMcastGroup4, netip.MustParseAddr("224.0.0.99")},
		{"mcast6", g.VRRPMcastGroup6, netip.MustParseAddr("ff02::99")},
		{"startup delay", g.VRRPStartupDelay, 5500 * time.Millisecond},
		{"max auto prio", g.MaxAutoPriority, 99},
		{"affinity", len(g.VRRPProc.CPUAffinity), 2},
		{"checker prio", g.CheckerProc.Priority, -5},
		{"bfd rt", g.BFDProc.RTPriority, 50},
		{"fifo", g.VRRPNotifyFIFO.Path + g.VRRPNotifyFIFO.User + g.VRRPNotifyFIFO.Script.Command, "/run/ka.fifonobody/bin/reader"},
		{"nftables", g.NFTables, "keepalived"},
		{"iptables", g.VRRPIptablesIn + g.VRRPIptablesOut, "KA-INKA-OUT"},
		{"dynamic", g.DynamicInterfacesAllowChanges, true},
		{"lvs tcp", g.LVSTimeoutTCP, 900 * time.Second},
		{"lvs udp", g.LVSTimeoutUDP, 60 * time.Second},
		{"sync daemon", *g.LVSSyncDaemon, LVSSyncDaemon{Interface: "eth1", Instance: "VI_1", SyncID: 5, Port: 8849, TTL: 1, Group: netip.MustParseAddr("239.0.0.1")}},
		{"flush on stop", g.LVSFlushOnStop, LVSFlushOnStopVS},
		{"rx bufs", g.VRRPRxBufsPolicy.MTU, true},
		{"netlink", g.NetlinkBufs["vrrp_netlink_cmd"], RcvBuf{Size: 1048576, Force: true}},
		{"umask", g.Umask, uint32(0o077)},
		{"json", g.JSONVersion, 2},
		{"owner ignore", g.VRRPOwnerIgnoreAdverts, true},
		{"netns", g.NetNamespace, "blue"},
		{"instance", g.Instance, "inst1"},
		{"child wait", g.ChildWaitTime, 7 * time.Second},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestGlobalDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		line string
		want wantDiag
	}{
		{"garp interval zero", "vrrp_garp_interval 0", wantDiag{2, syntax.Error, "vrrp_garp_interval '0' is invalid"}},
		{"deprecated lvs_process_name", "lvs_process_name ka_lvs", wantDiag{2, syntax.Warning, "'lvs_process_name' is deprecated, use 'checker_process_name'"}},
		{"deprecated snmp keyword", "enable_snmp_keepalived", wantDiag{2, syntax.Warning, "'enable_snmp_keepalived' is deprecated, use 'enable_snmp_vrrp'"}},
		{"deprecated rlimit", "vrrp_rlimit_rtime 1000", wantDiag{2, syntax.Warning, "'vrrp_rlimit_rtime' is deprecated, use 'vrrp_rlimit_rttime'"}},
		{"deprecated vmac garp", "vrrp_vmac_garp_intvl 10", wantDiag{2, syntax.Warning, "'vrrp_vmac_garp_intvl' is deprecated, use 'vrrp_garp_extra_if'"}},
		{"deprecated flush", "lvs_flush_onstop", wantDiag{2, syntax.Warning, "'lvs_flush_onstop' is deprecated, use 'lvs_flush_on_stop'"}},
		{"unknown keyword", "vrrp_turbo on", wantDiag{2, syntax.Warning, "unknown keyword 'vrrp_turbo'"}},
		{"mcast group not multicast", "vrrp_mcast_group4 198.51.100.1", wantDiag{2, syntax.Error, "vrrp_mcast_group4 '198.51.100.1' is not an IPv4 multicast address"}},
		{"mcast6 not link-local", "vrrp_mcast_group6 ff05::12", wantDiag{2, syntax.Error, "is not a link-local IPv6 multicast address"}},
		{"bad version", "vrrp_version 4", wantDiag{2, syntax.Error, "'vrrp_version' expects an integer in [2, 3], found '4'"}},
		{"bad bool", "vrrp_strict maybe", wantDiag{2, syntax.Error, "'vrrp_strict' expects on|off|true|false|yes|no, found 'maybe'"}},
		{"bad umask", "umask 999", wantDiag{2, syntax.Error, "'umask' expects an octal mode"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, d := load(t, "global_defs {\n "+tc.line+"\n}\n")
			checkDiags(t, d, tc.want)
		})
	}
}

// TestUnmatchedQuoteDropsValue checks that a value after an unclosed '"' is dropped, as keepalived
// drops it ("routerid name missing - ignoring"), so the keyword keeps its default.
func TestUnmatchedQuoteDropsValue(t *testing.T) {
	def := defaultGlobalDefs()
	tests := []struct {
		name     string
		line     string
		diags    []wantDiag
		routerID string
		from     string
	}{
		{"quoted value unterminated", `router_id "abc def`, []wantDiag{
			{2, syntax.Error, `unterminated quote: expected a closing '"'`},
			{2, syntax.Error, "'router_id' is missing a value"}}, def.RouterID, def.NotificationEmailFrom},
		{"quote after the value", `router_id abc "def`, []wantDiag{
			{2, syntax.Error, `unterminated quote: expected a closing '"'`}}, "abc", def.NotificationEmailFrom},
		{"escaped quote opens a token quote", `router_id ab\"c`, []wantDiag{
			{2, syntax.Error, `unmatched quote: expected a closing '"'`}}, `ab\`, def.NotificationEmailFrom},
		{"closed quote is a value", `router_id "abc def"`, nil, "abc def", def.NotificationEmailFrom},
		{"other keyword", `notification_email_from "a@b.c`, []wantDiag{
			{2, syntax.Error, `unterminated quote: expected a closing '"'`},
			{2, syntax.Error, "'notification_email_from' is missing a value"}}, def.RouterID, def.NotificationEmailFrom},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, d := load(t, "global_defs {\n "+tc.line+"\n}\n")
			checkDiags(t, d, tc.diags...)
			if cfg.Global.RouterID != tc.routerID || cfg.Global.NotificationEmailFrom != tc.from {
				t.Errorf("router_id %q, notification_email_from %q; want %q, %q", cfg.Global.RouterID, cfg.Global.NotificationEmailFrom, tc.routerID, tc.from)
			}
		})
	}
}

func TestMinGARP(t *testing.T) {
	cfg, d := load(t, "global_defs {\n vrrp_min_garp\n}\n"+vi(" virtual_ipaddress {\n  198.51.100.1\n }"))
	checkDiags(t, d)
	v := inst(t, cfg, "VI_1")
	if v.GARPMasterRepeat != 1 || v.GARPMasterDelay != 0 || v.GARPMasterRefresh != 0 {
		t.Errorf("vrrp_min_garp: repeat %d delay %v refresh %v", v.GARPMasterRepeat, v.GARPMasterDelay, v.GARPMasterRefresh)
	}
}
