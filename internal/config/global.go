package config

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// GlobalDefs holds global_defs and the top-level keywords shared by all processes (reference §1c.1,
// Appendix D). Fields that only tune a keepalived feature gokeepalived does not implement yet are
// parsed all the same, so that a config keeps meaning the same thing.
type GlobalDefs struct {
	// Identity and processes.
	RouterID               string
	ProcessNames           bool
	ProcessName            string
	VRRPProcessName        string
	CheckerProcessName     string
	BFDProcessName         string
	UseSymlinkPaths        bool
	SetSupplementaryGroups bool

	// Top level, all processes.
	NetNamespace        string
	NetNamespaceIPVS    string
	NamespaceWithIpsets bool
	UsePIDDir           bool
	Instance            string
	ChildWaitTime       time.Duration
	LinkbeatUsePolling  bool

	// Email.
	NotificationEmail     []string
	NotificationEmailFrom string
	SMTPServer            string
	SMTPPort              int
	SMTPHeloName          string
	SMTPConnectTimeout    time.Duration
	SMTPAlert             *bool
	SMTPAlertVRRP         *bool
	SMTPAlertChecker      *bool
	CheckerLogAllFailures bool
	NoEmailFaults         bool

	// Scripts.
	StartupScript         Script
	StartupScriptTimeout  time.Duration
	ShutdownScript        Script
	ShutdownScriptTimeout time.Duration
	ScriptUser            string
	ScriptGroup           string
	EnableScriptSecurity  bool

	// Scheduling. MaxAutoPriority is -1 when not set.
	MaxAutoPriority      int
	MinAutoPriorityDelay time.Duration

	// Interfaces.
	DynamicInterfaces             bool
	DynamicInterfacesAllowChanges bool
	DefaultInterface              string
	DisableLocalIGMP              bool
	V3ChecksumAsV2                bool

	// LVS globals read by the checker process.
	LVSTimeoutTCP    time.Duration
	LVSTimeoutTCPFin time.Duration
	LVSTimeoutUDP    time.Duration
	LVSFlush         bool
	LVSFlushOnStop   LVSFlushOnStop
	LVSSyncDaemon    *LVSSyncDaemon

	// VRRP defaults for every instance.
	VRRPMcastGroup4         netip.Addr
	VRRPMcastGroup6         netip.Addr
	GARPMasterDelay         time.Duration
	GARPMasterRepeat        int
	GARPMasterRefresh       time.Duration
	GARPMasterRefreshRepeat int
	// GARPLowerPrioDelay and GARPLowerPrioRepeat default to the master values (-1 = not set).
	GARPLowerPrioDelay     time.Duration
	GARPLowerPrioRepeat    int
	GARPInterval           time.Duration
	GNAInterval            time.Duration
	MinGARP                bool
	GARPExtraIf            time.Duration
	GARPExtraIfAll         bool
	DownTimerAdverts       int
	LowerPrioNoAdvert      bool
	HigherPrioSendAdvert   bool
	VRRPVersion            int
	CheckUnicastSrc        bool
	SkipCheckAdvAddr       bool
	Strict                 bool
	VRRPStartupDelay       time.Duration
	VRRPDelayAfterBoot     time.Duration
	LogUnknownVRIDs        bool
	VRRPOwnerIgnoreAdverts bool
	VMACPrefix             string
	VMACAddrPrefix         string
	VRRPRxBufsPolicy       RxBufsPolicy
	VRRPRxBufsMultiplier   int

	// Firewall.
	VRRPIptablesIn          string
	VRRPIptablesOut         string
	VRRPIpsets              []string
	NFTables                string
	NFTablesPriority        int
	NFTablesIfindex         bool
	NFTablesCounters        bool
	NFTablesIPVS            string
	NFTablesIPVSPriority    int
	NFTablesIPVSStartFwmark int

	// Process tuning, one set per child process.
	VRRPProc, CheckerProc, BFDProc ProcTuning

	// Notify FIFOs.
	NotifyFIFO                  FIFO
	VRRPNotifyFIFO              FIFO
	LVSNotifyFIFO               FIFO
	VRRPNotifyPriorityChanges   bool
	FIFOWriteVRRPStatesOnReload bool

	// SNMP.
	SNMPSocket                string
	EnableTraps               bool
	EnableSNMPVRRP            bool
	EnableSNMPRFC             bool
	EnableSNMPRFCv2           bool
	EnableSNMPRFCv3           bool
	EnableSNMPChecker         bool
	SNMPVSStatsUpdateInterval time.Duration
	SNMPRSStatsUpdateInterval time.Duration

	// D-Bus.
	EnableDBus          bool
	DBusServiceName     string
	DBusNoInterfaceName bool

	// Netlink receive buffers, keyed by keyword stem (vrrp_netlink_cmd, vrrp_netlink_monitor,
	// process_monitor, lvs_netlink_cmd, lvs_netlink_monitor).
	NetlinkBufs map[string]RcvBuf

	// Checker notifications.
	RSInitNotifies  bool
	NoCheckerEmails bool

	// Files, reload and debug.
	Umask              uint32
	UmaskSet           bool
	RandomSeed         uint32
	RandomSeedSet      bool
	ReloadCheckConfig  bool
	ReloadCheckLog     string
	ReloadTimeFile     string
	ReloadRepeat       bool
	ReloadFile         string
	IncludeCheck       string
	ConfigSaveDir      string
	TmpConfigDirectory string
	DataUseInstance    bool
	JSONVersion        int
	IprouteUsrDir      string
	IprouteEtcDir      string
	StateDumpFile      string
	StatsDumpFile      string
	JSONDumpFile       string

	// set records the global_defs keywords that were accepted.
	set map[string]bool
}

// LVSFlushOnStop is lvs_flush_on_stop's mode.
type LVSFlushOnStop int

// lvs_flush_on_stop values: off, full flush, or only the configured virtual servers.
const (
	LVSFlushOnStopOff LVSFlushOnStop = iota
	LVSFlushOnStopAll
	LVSFlushOnStopVS
)

// String returns the configuration word.
func (m LVSFlushOnStop) String() string {
	switch m {
	case LVSFlushOnStopAll:
		return "on"
	case LVSFlushOnStopVS:
		return "VS"
	}
	return "off"
}

// LVSSyncDaemon is lvs_sync_daemon (IPVS connection sync following a VRRP instance).
type LVSSyncDaemon struct {
	Interface string
	Instance  string
	SyncID    int
	MaxLen    int
	Port      int
	TTL       int
	Group     netip.Addr
}

// RxBufsPolicy is vrrp_rx_bufs_policy: size receive buffers from the MTU, the advert size, or a
// fixed byte count.
type RxBufsPolicy struct {
	MTU, Advert bool
	Size        int
}

// ProcTuning holds a child process's scheduling options (vrrp_*, checker_*, bfd_*).
type ProcTuning struct {
	// Priority is the nice value (-20..19).
	Priority    int
	NoSwap      bool
	RTPriority  int
	CPUAffinity []int
	// RlimitRTTime is RLIMIT_RTTIME (written in microseconds).
	RlimitRTTime time.Duration
}

// FIFO is a notify FIFO with its optional reader script.
type FIFO struct {
	Path   string
	User   string
	Group  string
	Script Script
}

// RcvBuf is a netlink receive buffer size; Force uses SO_RCVBUFFORCE.
type RcvBuf struct {
	Size  int
	Force bool
}

// defaultGlobalDefs returns keepalived's defaults for global_defs (global_data.c
// alloc_global_data(), set_vrrp_defaults()).
func defaultGlobalDefs() GlobalDefs {
	return GlobalDefs{
		ChildWaitTime:           5 * time.Second,
		SMTPPort:                25,
		SMTPConnectTimeout:      30 * time.Second,
		StartupScriptTimeout:    10 * time.Second,
		ShutdownScriptTimeout:   10 * time.Second,
		MaxAutoPriority:         -1,
		DefaultInterface:        "eth0",
		VRRPMcastGroup4:         netip.MustParseAddr("224.0.0.18"),
		VRRPMcastGroup6:         netip.MustParseAddr("ff02::12"),
		GARPMasterDelay:         5 * time.Second,
		GARPMasterRepeat:        5,
		GARPMasterRefreshRepeat: 1,
		GARPLowerPrioDelay:      -1,
		GARPLowerPrioRepeat:     -1,
		DownTimerAdverts:        3,
		VRRPVersion:             2,
		VRRPRxBufsMultiplier:    3,
		SNMPSocket:              "unix:/var/agentx/master",
		DBusServiceName:         "org.keepalived.Vrrp1",
		JSONVersion:             1,
		NFTablesPriority:        -1, // keepalived's nftables_priority default
	}
}

// commonTopKeywords are the top-level keywords every keepalived process reads (global_defs,
// track_file, bfd_instance, net_namespace, ...).
func (p *parser) commonTopKeywords() keywords {
	g := &p.cfg.Global
	return keywords{
		"global_defs": func(n *syntax.Node) {
			kws := p.globalDefsKeywords()
			for kw, h := range kws {
				kws[kw] = func(n *syntax.Node) {
					before := len(p.diags)
					h(n)
					for _, d := range p.diags[before:] {
						if d.Severity >= syntax.Error {
							return
						}
					}
					if g.set == nil {
						g.set = map[string]bool{}
					}
					g.set[kw] = true
				}
			}
			p.block(n, kws)
		},
		"net_namespace": func(n *syntax.Node) {
			p.str(n, &g.NetNamespace)
		},
		"net_namespace_ipvs":    p.hStr(&g.NetNamespaceIPVS),
		"namespace_with_ipsets": p.hBool(&g.NamespaceWithIpsets),
		"use_pid_dir":           p.hBool(&g.UsePIDDir),
		"instance":              p.hStr(&g.Instance),
		"child_wait_time":       p.hSec(0, 1000*time.Second, &g.ChildWaitTime),
		"linkbeat_use_polling":  p.hBool(&g.LinkbeatUsePolling),
		"track_file":            p.trackFileDef,
		"vrrp_track_file":       p.deprecated("track_file", p.trackFileDef),
		"bfd_instance":          p.bfdInstanceDef,
	}
}

// globalDefsKeywords is the global_defs block table.
func (p *parser) globalDefsKeywords() keywords {
	g := &p.cfg.Global
	kw := keywords{
		"router_id":                p.hStr(&g.RouterID),
		"process_names":            p.hBool(&g.ProcessNames),
		"process_name":             p.hStr(&g.ProcessName),
		"vrrp_process_name":        p.hStr(&g.VRRPProcessName),
		"checker_process_name":     p.hStr(&g.CheckerProcessName),
		"lvs_process_name":         p.deprecated("checker_process_name", p.hStr(&g.CheckerProcessName)),
		"bfd_process_name":         p.hStr(&g.BFDProcessName),
		"use_symlink_paths":        p.hBool(&g.UseSymlinkPaths),
		"set_supplementary_groups": p.hBool(&g.SetSupplementaryGroups),
		"linkbeat_use_polling":     p.hBool(&g.LinkbeatUsePolling),

		"notification_email_from": p.hStr(&g.NotificationEmailFrom),
		"notification_email": func(n *syntax.Node) {
			if !n.HasBlock {
				p.errorf(n, "'notification_email' expects a block: 'notification_email {'")
				return
			}
			for _, c := range n.Block {
				g.NotificationEmail = append(g.NotificationEmail, c.Args...)
			}
		},
		"smtp_server": func(n *syntax.Node) {
			s, ok := p.arg(n, 1)
			if !ok {
				return
			}
			g.SMTPServer = s
			if len(n.Args) > 2 {
				p.integer(n, 2, 1, 65535, &g.SMTPPort)
			}
		},
		"smtp_helo_name":           p.hStr(&g.SMTPHeloName),
		"smtp_connect_timeout":     p.hSec(time.Second, 3600*time.Second, &g.SMTPConnectTimeout),
		"smtp_alert":               p.hOptBool(&g.SMTPAlert),
		"smtp_alert_vrrp":          p.hOptBool(&g.SMTPAlertVRRP),
		"smtp_alert_checker":       p.hOptBool(&g.SMTPAlertChecker),
		"checker_log_all_failures": p.hBool(&g.CheckerLogAllFailures),
		"no_email_faults":          p.hBool(&g.NoEmailFaults),

		"startup_script":          p.hScript(&g.StartupScript),
		"startup_script_timeout":  p.hSec(time.Second, 1000*time.Second, &g.StartupScriptTimeout),
		"shutdown_script":         p.hScript(&g.ShutdownScript),
		"shutdown_script_timeout": p.hSec(time.Second, 1000*time.Second, &g.ShutdownScriptTimeout),
		"script_user": func(n *syntax.Node) {
			if _, ok := p.arg(n, 1); ok {
				g.ScriptUser, g.ScriptGroup = splitUserGroup(n.Args[1:])
			}
		},
		"enable_script_security": p.hBool(&g.EnableScriptSecurity),

		"max_auto_priority": func(n *syntax.Node) {
			if len(n.Args) < 2 {
				g.MaxAutoPriority = 99 // sched_get_priority_max(SCHED_RR)
				return
			}
			p.integer(n, 1, 0, 99, &g.MaxAutoPriority)
		},
		"min_auto_priority_delay": p.hMicros(1, 1e9, &g.MinAutoPriorityDelay),

		"dynamic_interfaces": func(n *syntax.Node) {
			g.DynamicInterfaces = true
			if len(n.Args) > 1 {
				if n.Args[1] != "allow_if_changes" {
					p.errorf(n, "'dynamic_interfaces' expects nothing or 'allow_if_changes', found '%s'", n.Args[1])
					return
				}
				g.DynamicInterfacesAllowChanges = true
			}
		},
		"default_interface":  p.hStr(&g.DefaultInterface),
		"disable_local_igmp": p.hBool(&g.DisableLocalIGMP),
		"v3_checksum_as_v2":  p.hBool(&g.V3ChecksumAsV2),

		"lvs_timeouts": p.lvsTimeouts,
		"lvs_flush":    p.hBool(&g.LVSFlush),
		"lvs_flush_on_stop": func(n *syntax.Node) {
			g.LVSFlushOnStop = LVSFlushOnStopAll
			if len(n.Args) > 1 {
				if n.Args[1] == "VS" {
					g.LVSFlushOnStop = LVSFlushOnStopVS
					return
				}
				var b bool
				p.boolean(n, &b)
				if !b {
					g.LVSFlushOnStop = LVSFlushOnStopOff
				}
			}
		},
		"lvs_sync_daemon": p.lvsSyncDaemon,

		"vrrp_mcast_group4": func(n *syntax.Node) {
			if a, ok := p.addr(n, 1); ok {
				if !a.Is4() || !a.IsMulticast() {
					p.errorf(n, "vrrp_mcast_group4 '%s' is not an IPv4 multicast address", n.Args[1])
					return
				}
				g.VRRPMcastGroup4 = a
			}
		},
		"vrrp_mcast_group6": func(n *syntax.Node) {
			if a, ok := p.addr(n, 1); ok {
				if !a.Is6() || !a.IsLinkLocalMulticast() {
					p.errorf(n, "vrrp_mcast_group6 '%s' is not a link-local IPv6 multicast address (ffX2::)", n.Args[1])
					return
				}
				g.VRRPMcastGroup6 = a
			}
		},
		"vrrp_garp_master_delay":          p.hSecInt(0, 255, &g.GARPMasterDelay),
		"vrrp_garp_master_repeat":         p.hInt(1, 255, &g.GARPMasterRepeat),
		"vrrp_garp_master_refresh":        p.hSecInt(0, 1<<31-1, &g.GARPMasterRefresh),
		"vrrp_garp_master_refresh_repeat": p.hInt(1, 255, &g.GARPMasterRefreshRepeat),
		"vrrp_garp_lower_prio_delay":      p.hSecInt(0, 255, &g.GARPLowerPrioDelay),
		"vrrp_garp_lower_prio_repeat":     p.hInt(0, 255, &g.GARPLowerPrioRepeat),
		"vrrp_garp_interval":              p.garpInterval(&g.GARPInterval),
		"vrrp_gna_interval":               p.garpInterval(&g.GNAInterval),
		"vrrp_min_garp":                   p.hBool(&g.MinGARP),
		"vrrp_garp_extra_if":              p.garpExtraIf(&g.GARPExtraIf, &g.GARPExtraIfAll),
		"vrrp_vmac_garp_intvl":            p.deprecated("vrrp_garp_extra_if", p.garpExtraIf(&g.GARPExtraIf, &g.GARPExtraIfAll)),
		"vrrp_down_timer_adverts":         p.hInt(1, 100, &g.DownTimerAdverts),
		"vrrp_lower_prio_no_advert":       p.hBool(&g.LowerPrioNoAdvert),
		"vrrp_higher_prio_send_advert":    p.hBool(&g.HigherPrioSendAdvert),
		"vrrp_version":                    p.hInt(2, 3, &g.VRRPVersion),
		"vrrp_check_unicast_src":          p.hBool(&g.CheckUnicastSrc),
		"vrrp_skip_check_adv_addr":        p.hBool(&g.SkipCheckAdvAddr),
		"vrrp_strict":                     p.hBool(&g.Strict),
		"vrrp_startup_delay":              p.hSec(0, 3600*time.Second, &g.VRRPStartupDelay),
		"vrrp_delay_after_boot":           p.hSec(0, 3600*time.Second, &g.VRRPDelayAfterBoot),
		"log_unknown_vrids":               p.hBool(&g.LogUnknownVRIDs),
		"vrrp_owner_ignore_adverts":       p.hBool(&g.VRRPOwnerIgnoreAdverts),
		"vmac_prefix":                     p.hStr(&g.VMACPrefix),
		"vmac_addr_prefix":                p.hStr(&g.VMACAddrPrefix),
		"vrrp_rx_bufs_policy": func(n *syntax.Node) {
			for _, w := range n.Args[1:] {
				switch {
				case w == "MTU":
					g.VRRPRxBufsPolicy.MTU = true
				case w == "ADVERT":
					g.VRRPRxBufsPolicy.Advert = true
				default:
					v, err := strconv.Atoi(w)
					if err != nil || v <= 0 {
						p.errorf(n, "vrrp_rx_bufs_policy expects MTU, ADVERT or a size in bytes, found '%s'", w)
						continue
					}
					g.VRRPRxBufsPolicy.Size = v
				}
			}
		},
		"vrrp_rx_bufs_multiplier": p.hInt(1, 1<<20, &g.VRRPRxBufsMultiplier),

		"vrrp_iptables": func(n *syntax.Node) {
			g.VRRPIptablesIn = "INPUT"
			if len(n.Args) > 1 {
				g.VRRPIptablesIn = n.Args[1]
			}
			if len(n.Args) > 2 {
				g.VRRPIptablesOut = n.Args[2]
			}
		},
		"vrrp_ipsets": func(n *syntax.Node) { g.VRRPIpsets = append([]string(nil), n.Args[1:]...) },
		"nftables": func(n *syntax.Node) {
			g.NFTables = "keepalived"
			if len(n.Args) > 1 {
				g.NFTables = n.Args[1]
			}
		},
		"nftables_priority": p.hInt(-2147483648, 2147483647, &g.NFTablesPriority),
		"nftables_ifindex":  p.hBool(&g.NFTablesIfindex),
		"nftables_counters": p.hBool(&g.NFTablesCounters),
		"nftables_ipvs": func(n *syntax.Node) {
			g.NFTablesIPVS = "keepalived_ipvs"
			if len(n.Args) > 1 {
				g.NFTablesIPVS = n.Args[1]
			}
		},
		"nftables_ipvs_priority":     p.hInt(-2147483648, 2147483647, &g.NFTablesIPVSPriority),
		"nftables_ipvs_start_fwmark": p.hInt(1, 1<<32-1, &g.NFTablesIPVSStartFwmark),

		"notify_fifo":                      p.fifo(&g.NotifyFIFO),
		"notify_fifo_script":               p.hScript(&g.NotifyFIFO.Script),
		"vrrp_notify_fifo":                 p.fifo(&g.VRRPNotifyFIFO),
		"vrrp_notify_fifo_script":          p.hScript(&g.VRRPNotifyFIFO.Script),
		"lvs_notify_fifo":                  p.fifo(&g.LVSNotifyFIFO),
		"lvs_notify_fifo_script":           p.hScript(&g.LVSNotifyFIFO.Script),
		"vrrp_notify_priority_changes":     p.hBool(&g.VRRPNotifyPriorityChanges),
		"fifo_write_vrrp_states_on_reload": p.hBool(&g.FIFOWriteVRRPStatesOnReload),

		"snmp_socket":                   p.hStr(&g.SNMPSocket),
		"enable_traps":                  p.hBool(&g.EnableTraps),
		"enable_snmp_vrrp":              p.hBool(&g.EnableSNMPVRRP),
		"enable_snmp_keepalived":        p.deprecated("enable_snmp_vrrp", p.hBool(&g.EnableSNMPVRRP)),
		"enable_snmp_rfc":               p.hBool(&g.EnableSNMPRFC),
		"enable_snmp_rfcv2":             p.hBool(&g.EnableSNMPRFCv2),
		"enable_snmp_rfcv3":             p.hBool(&g.EnableSNMPRFCv3),
		"enable_snmp_checker":           p.hBool(&g.EnableSNMPChecker),
		"snmp_vs_stats_update_interval": p.hSec(0, 3600*time.Second, &g.SNMPVSStatsUpdateInterval),
		"snmp_rs_stats_update_interval": p.hSec(0, 3600*time.Second, &g.SNMPRSStatsUpdateInterval),

		"enable_dbus":            p.hBool(&g.EnableDBus),
		"dbus_service_name":      p.hStr(&g.DBusServiceName),
		"dbus_no_interface_name": p.hBool(&g.DBusNoInterfaceName),

		"rs_init_notifies":  p.hBool(&g.RSInitNotifies),
		"no_checker_emails": p.hBool(&g.NoCheckerEmails),

		"umask": func(n *syntax.Node) {
			if s, ok := p.arg(n, 1); ok {
				v, err := strconv.ParseUint(s, 0, 32)
				if err != nil || v > 0777 {
					p.errorf(n, "'umask' expects an octal mode such as 0177, found '%s'", s)
					return
				}
				g.Umask, g.UmaskSet = uint32(v), true
			}
		},
		"random_seed": func(n *syntax.Node) {
			if p.uintArg(n, 1, 0, 1<<32-1, &g.RandomSeed) {
				g.RandomSeedSet = true
			}
		},
		"reload_check_config": func(n *syntax.Node) {
			g.ReloadCheckConfig = true
			if len(n.Args) > 1 {
				g.ReloadCheckLog = n.Args[1]
			}
		},
		"reload_time_file": p.hStr(&g.ReloadTimeFile),
		"reload_repeat":    p.hBool(&g.ReloadRepeat),
		"reload_file": func(n *syntax.Node) {
			g.ReloadFile = "/run/keepalived/keepalived.reload"
			if len(n.Args) > 1 {
				g.ReloadFile = n.Args[1]
			}
		},
		"include_check": func(n *syntax.Node) {
			g.IncludeCheck = "all"
			if len(n.Args) > 1 {
				g.IncludeCheck = strings.Join(n.Args[1:], " ")
			}
		},
		"config_save_dir":      p.hStr(&g.ConfigSaveDir),
		"tmp_config_directory": p.hStr(&g.TmpConfigDirectory),
		"data_use_instance":    p.hBool(&g.DataUseInstance),
		"json_version":         p.hInt(1, 2, &g.JSONVersion),
		"iproute_usr_dir":      p.hStr(&g.IprouteUsrDir),
		"iproute_etc_dir":      p.hStr(&g.IprouteEtcDir),
		"state_dump_file":      p.hStr(&g.StateDumpFile),
		"stats_dump_file":      p.hStr(&g.StatsDumpFile),
		"json_dump_file":       p.hStr(&g.JSONDumpFile),
	}
	for _, proc := range []struct {
		name string
		t    *ProcTuning
	}{{"vrrp", &g.VRRPProc}, {"checker", &g.CheckerProc}, {"bfd", &g.BFDProc}} {
		t := proc.t
		kw[proc.name+"_priority"] = p.hInt(-20, 19, &t.Priority)
		kw[proc.name+"_no_swap"] = p.hBool(&t.NoSwap)
		kw[proc.name+"_rt_priority"] = p.hInt(1, 99, &t.RTPriority)
		kw[proc.name+"_cpu_affinity"] = func(n *syntax.Node) {
			t.CPUAffinity = nil
			for i := 1; i < len(n.Args); i++ {
				var c int
				if p.integer(n, i, 0, 4095, &c) {
					t.CPUAffinity = append(t.CPUAffinity, c)
				}
			}
		}
		kw[proc.name+"_rlimit_rttime"] = p.hMicros(1, 1<<31-1, &t.RlimitRTTime)
		kw[proc.name+"_rlimit_rtime"] = p.deprecated(proc.name+"_rlimit_rttime", p.hMicros(1, 1<<31-1, &t.RlimitRTTime))
	}
	for _, stem := range []string{"vrrp_netlink_cmd", "vrrp_netlink_monitor", "process_monitor", "lvs_netlink_cmd", "lvs_netlink_monitor"} {
		kw[stem+"_rcv_bufs"] = func(n *syntax.Node) {
			var v int
			if p.integer(n, 1, 1, 1<<31-1, &v) {
				if g.NetlinkBufs == nil {
					g.NetlinkBufs = map[string]RcvBuf{}
				}
				b := g.NetlinkBufs[stem]
				b.Size = v
				g.NetlinkBufs[stem] = b
			}
		}
		kw[stem+"_rcv_bufs_force"] = func(n *syntax.Node) {
			var f bool
			p.boolean(n, &f)
			if g.NetlinkBufs == nil {
				g.NetlinkBufs = map[string]RcvBuf{}
			}
			b := g.NetlinkBufs[stem]
			b.Force = f
			g.NetlinkBufs[stem] = b
		}
	}
	// lvs_flush_onstop is the old spelling.
	kw["lvs_flush_onstop"] = p.deprecated("lvs_flush_on_stop", kw["lvs_flush_on_stop"])
	return kw
}

// hMicros parses an integer number of microseconds.
func (p *parser) hMicros(lo, hi int64, dst *time.Duration) func(*syntax.Node) {
	return func(n *syntax.Node) {
		var v int
		if p.integer(n, 1, lo, hi, &v) {
			*dst = time.Duration(v) * time.Microsecond
		}
	}
}

// hSecInt parses whole seconds (keepalived reads these GARP values as unsigned integers).
func (p *parser) hSecInt(lo, hi int64, dst *time.Duration) func(*syntax.Node) {
	return func(n *syntax.Node) {
		var v int
		if p.integer(n, 1, lo, hi, &v) {
			*dst = time.Duration(v) * time.Second
		}
	}
}

// garpInterval parses vrrp_garp_interval / vrrp_gna_interval: decimal seconds from 1 µs. keepalived
// rejects 0 ("vrrp_garp_interval '0' is invalid") even though its shipped config uses it; the error
// is non-fatal and the default 0 (no rate limit) stays.
func (p *parser) garpInterval(dst *time.Duration) func(*syntax.Node) {
	return func(n *syntax.Node) {
		s, ok := p.arg(n, 1)
		if !ok {
			return
		}
		d, ok := parseSeconds(s)
		if !ok || d < time.Microsecond || d > 1000*time.Second {
			p.errorf(n, "%s '%s' is invalid: expected seconds in [0.000001, 1000]", n.Keyword(), s)
			return
		}
		if d >= time.Second {
			p.infof(n, "The %s is very large - %s seconds", n.Keyword(), s)
		}
		*dst = d
	}
}

// gnaInterval parses garp_group's gna_interval, which accepts 0. The global vrrp_gna_interval uses
// garpInterval: keepalived 2.2.7 rejects its 0 too (recorded for its shipped default config, lines
// 15 and 16: "vrrp_gna_interval '0' is invalid").
func (p *parser) gnaInterval(dst *time.Duration) func(*syntax.Node) {
	return func(n *syntax.Node) {
		s, ok := p.arg(n, 1)
		if !ok {
			return
		}
		d, ok := parseSeconds(s)
		if !ok || d > 1000*time.Second {
			p.errorf(n, "%s '%s' is invalid: expected seconds in [0, 1000]", n.Keyword(), s)
			return
		}
		*dst = d
	}
}

// garpExtraIf parses "[all] SECS".
func (p *parser) garpExtraIf(dst *time.Duration, all *bool) func(*syntax.Node) {
	return func(n *syntax.Node) {
		i := 1
		if len(n.Args) > 1 && n.Args[1] == "all" {
			*all = true
			i = 2
		}
		var v int
		if p.integer(n, i, 0, 86400, &v) {
			*dst = time.Duration(v) * time.Second
		}
	}
}

// fifo parses "KEYWORD PATH [USER [GROUP]]".
func (p *parser) fifo(dst *FIFO) func(*syntax.Node) {
	return func(n *syntax.Node) {
		s, ok := p.arg(n, 1)
		if !ok {
			return
		}
		dst.Path = s
		if len(n.Args) > 2 {
			dst.User, dst.Group = splitUserGroup(n.Args[2:])
		}
	}
}

// lvsTimeouts parses "lvs_timeouts [tcp N] [tcpfin N] [udp N]".
func (p *parser) lvsTimeouts(n *syntax.Node) {
	g := &p.cfg.Global
	for i := 1; i < len(n.Args); i += 2 {
		var dst *time.Duration
		switch n.Args[i] {
		case "tcp":
			dst = &g.LVSTimeoutTCP
		case "tcpfin":
			dst = &g.LVSTimeoutTCPFin
		case "udp":
			dst = &g.LVSTimeoutUDP
		default:
			p.errorf(n, "lvs_timeouts: expected tcp, tcpfin or udp, found '%s'", n.Args[i])
			return
		}
		var v int
		if !p.integer(n, i+1, 1, 86400*31, &v) {
			return
		}
		*dst = time.Duration(v) * time.Second
	}
}

// lvsSyncDaemon parses "lvs_sync_daemon IF [VI] [id N] [maxlen N] [port N] [ttl N] [group ADDR]".
func (p *parser) lvsSyncDaemon(n *syntax.Node) {
	s, ok := p.arg(n, 1)
	if !ok {
		return
	}
	d := &LVSSyncDaemon{Interface: s, Port: 8848, TTL: 1}
	i := 2
	if i < len(n.Args) && !map[string]bool{"id": true, "maxlen": true, "port": true, "ttl": true, "group": true}[n.Args[i]] {
		d.Instance = n.Args[i]
		i++
	}
	for ; i < len(n.Args); i += 2 {
		switch n.Args[i] {
		case "id":
			if !p.integer(n, i+1, 0, 255, &d.SyncID) {
				return
			}
		case "maxlen":
			if !p.integer(n, i+1, 1, 65535-20-8, &d.MaxLen) {
				return
			}
		case "port":
			if !p.integer(n, i+1, 1, 65535, &d.Port) {
				return
			}
		case "ttl":
			if !p.integer(n, i+1, 1, 255, &d.TTL) {
				return
			}
		case "group":
			a, ok := p.addr(n, i+1)
			if !ok {
				return
			}
			if !a.IsMulticast() {
				p.errorf(n, "lvs_sync_daemon group '%s' is not a multicast address", a)
				return
			}
			d.Group = a
		default:
			p.errorf(n, "lvs_sync_daemon: unknown option '%s'", n.Args[i])
			return
		}
	}
	p.cfg.Global.LVSSyncDaemon = d
}
