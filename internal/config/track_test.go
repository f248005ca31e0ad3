package config

import (
	"slices"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

func TestVRRPScriptDefaults(t *testing.T) {
	cfg, d := load(t, `vrrp_script chk {
 script "/bin/check arg"
}
vrrp_script chk2 {
 script /bin/x
 interval 0.25
 weight -20 reverse
 rise 3
 fall 2
 user nobody nogroup
 init_fail
}
vrrp_script unused {
 script /bin/y
 interval 5
}
vrrp_script noscript {
 interval 5
}
`+vi(" track_script {\n  chk\n  chk2 weight 10 noreverse\n }\n virtual_ipaddress {\n  198.51.100.1\n }"))
	checkDiags(t, d,
		wantDiag{13, syntax.Info, "Warning - script unused is not used"},
		wantDiag{17, syntax.Error, "vrrp_script noscript has no 'script' - ignoring"},
	)
	s := cfg.Scripts["chk"]
	if s.Interval != time.Second || s.Timeout != time.Second || s.Weight != 0 || s.Rise != 1 || s.Fall != 1 || len(s.Script.Args) != 2 {
		t.Errorf("chk defaults = %+v", s)
	}
	s2 := cfg.Scripts["chk2"]
	if s2.Interval != 250*time.Millisecond || s2.Timeout != 250*time.Millisecond || s2.Weight != -20 || !s2.WeightReverse ||
		s2.Rise != 3 || s2.Fall != 2 || s2.Script.User != "nobody" || s2.Script.Group != "nogroup" || !s2.InitFail {
		t.Errorf("chk2 = %+v", s2)
	}
	if cfg.Scripts["unused"].Timeout != 5*time.Second {
		t.Errorf("timeout must default to interval")
	}
	ts := inst(t, cfg, "VI_1").TrackScripts
	if len(ts) != 2 || ts[0].Weight != 0 || ts[1].Weight != 10 || ts[1].Reverse {
		t.Errorf("track_script = %+v", ts)
	}
}

func TestTrackWeights(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		diags []wantDiag
		n     int
	}{
		{"in range", "eth1 weight -253", nil, 1},
		{"too high", "eth1 weight 254", []wantDiag{{6, syntax.Error, "'eth1' expects an integer in [-253, 253], found '254'"}}, 0},
		{"reverse", "eth1 weight 10 reverse", nil, 1},
		{"junk", "eth1 heavy", []wantDiag{{6, syntax.Error, "expected 'weight' or 'reverse', found 'heavy'"}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, d := load(t, vi(" priority 100\n track_interface {\n  "+tc.line+"\n }\n virtual_ipaddress {\n  198.51.100.1\n }"))
			checkDiags(t, d, tc.diags...)
			if got := len(inst(t, cfg, "VI_1").TrackInterfaces); got != tc.n {
				t.Errorf("%d trackers, want %d", got, tc.n)
			}
		})
	}
}

func TestUndefinedTrackers(t *testing.T) {
	_, d := load(t, vi(` track_script {
  nosuch
 }
 track_file {
  nofile
 }
 track_process {
  noproc
 }
 track_bfd {
  nobfd
 }
 virtual_ipaddress {
  198.51.100.1
 }`))
	checkDiags(t, d,
		wantDiag{5, syntax.Error, "(VI_1) track script nosuch not found, ignoring..."},
		wantDiag{8, syntax.Error, "track file nofile not found"},
		wantDiag{11, syntax.Error, "track process noproc not found"},
		wantDiag{14, syntax.Error, "track bfd nobfd not found"},
	)
}

func TestTrackDefinitions(t *testing.T) {
	cfg, d := load(t, `track_file tf {
 file /run/ka/tf
 weight -5 reverse
 init_file 3 overwrite
}
vrrp_track_file old {
 file /run/ka/old
}
vrrp_track_process haproxy {
 process haproxy -f /etc/haproxy.cfg
 param_match initial
 weight 20
 quorum 2
 quorum_max 4
 delay 0.5
 full_command
}
bfd_instance b1 {
 neighbor_ip 198.51.100.7
 source_ip 198.51.100.2
 min_rx 50
 min_tx 60
 idle_tx 2000
 multiplier 3
 max_hops 5
 weight 15
 vrrp
}
track_group tg {
 group {
  VI_1
 }
}
garp_group {
 garp_interval 0.001
 gna_interval 0
 interfaces {
  eth0
  eth1
 }
}
linkbeat_interfaces {
 eth0
 eth1 ETHTOOL
}
interface_up_down_delays {
 eth0 2 0.5
}
`+vi(" track_file {\n  tf\n }\n track_process {\n  haproxy weight -5\n }\n track_bfd {\n  b1\n }\n virtual_ipaddress {\n  198.51.100.1\n }"))
	checkDiags(t, d, wantDiag{6, syntax.Warning, "'vrrp_track_file' is deprecated, use 'track_file'"})
	tf := cfg.TrackFiles["tf"]
	if tf.File != "/run/ka/tf" || tf.Weight != -5 || !tf.WeightReverse || !tf.InitFile || tf.InitValue != 3 || !tf.Overwrite {
		t.Errorf("track_file = %+v", tf)
	}
	if cfg.TrackFiles["old"] == nil || cfg.TrackFiles["old"].Weight != 1 {
		t.Errorf("vrrp_track_file not parsed with weight 1: %+v", cfg.TrackFiles["old"])
	}
	tp := cfg.TrackProcesses["haproxy"]
	if tp.Process != "haproxy" || len(tp.Params) != 2 || tp.ParamMatch != ParamMatchInitial || tp.Weight != 20 || tp.Quorum != 2 ||
		tp.QuorumMax != 4 || tp.ForkDelay != 500*time.Millisecond || tp.TerminateDelay != 500*time.Millisecond || !tp.FullCommand {
		t.Errorf("track_process = %+v", tp)
	}
	b := cfg.BFDInstances["b1"]
	if b.MinRx != 50*time.Millisecond || b.MinTx != 60*time.Millisecond || b.IdleTx != 2*time.Second || b.Multiplier != 3 ||
		b.MaxHops != 5 || b.Weight != 15 || !b.VRRP || b.Checker {
		t.Errorf("bfd_instance = %+v", b)
	}
	if len(cfg.GARPGroups) != 1 || cfg.GARPGroups[0].GARPInterval != time.Millisecond || len(cfg.GARPGroups[0].Interfaces) != 2 {
		t.Errorf("garp_group = %+v", cfg.GARPGroups)
	}
	if cfg.LinkbeatInterfaces["eth1"] != LinkbeatEthtool || cfg.LinkbeatInterfaces["eth0"] != LinkbeatMII {
		t.Errorf("linkbeat = %v", cfg.LinkbeatInterfaces)
	}
	if dl := cfg.InterfaceUpDownDelays["eth0"]; dl.Down != 2*time.Second || dl.Up != 500*time.Millisecond {
		t.Errorf("up_down = %+v", dl)
	}
	v := inst(t, cfg, "VI_1")
	if v.TrackFiles[0].Weight != -5 || !v.TrackFiles[0].Reverse || v.TrackProcesses[0].Weight != -5 || v.TrackBFDs[0].Weight != 15 {
		t.Errorf("resolved weights: files %+v procs %+v bfd %+v", v.TrackFiles, v.TrackProcesses, v.TrackBFDs)
	}
}

func TestTrackOwnInterfaceOrLink(t *testing.T) {
	tests := []struct {
		name    string
		iface   string
		tracked string
		diag    []wantDiag
		kept    bool
	}{
		{"own interface", "eth1", "eth1", []wantDiag{{5, syntax.Error, "(VI_1) Ignoring track_interface eth1 since own interface"}}, false},
		{"link under a VLAN", "eth0.1", "eth0",
			[]wantDiag{{5, syntax.Error, "(VI_1) Ignoring track_interface eth0 since own interface (by its name, eth0.1 sits on eth0"}}, false},
		{"link under a VLAN of a VLAN", "eth0.1.2", "eth0.1",
			[]wantDiag{{5, syntax.Error, "(VI_1) Ignoring track_interface eth0.1 since own interface"}}, false},
		{"VLAN under the own interface", "eth0", "eth0.1", nil, true},
		{"another interface", "eth1", "eth0", nil, true},
		{"grandparent is not the link", "eth0.1.2", "eth0", nil, true},
		{"suffix not a number", "br.lan", "br", nil, true},
		{"suffix above the VLAN range", "eth0.4096", "eth0", nil, true},
		{"highest VLAN id", "eth0.4095", "eth0", []wantDiag{{5, syntax.Error, "since own interface"}}, false},
		{"empty suffix", "eth0.", "eth0", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "vrrp_instance VI_1 {\n interface " + tc.iface + "\n virtual_router_id 1\n track_interface {\n  " + tc.tracked +
				"\n  eth3\n }\n virtual_ipaddress {\n  198.51.100.1\n }\n}\n"
			cfg, d := load(t, src)
			checkDiags(t, d, tc.diag...)
			var names []string
			for _, ti := range inst(t, cfg, "VI_1").TrackInterfaces {
				names = append(names, ti.Name)
			}
			want := []string{"eth3"}
			if tc.kept {
				want = []string{tc.tracked, "eth3"}
			}
			if !slices.Equal(names, want) {
				t.Errorf("tracked interfaces %q, want %q", names, want)
			}
		})
	}
}
