package config

import (
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// twoInstances returns VI_1 (lines 1-9) and VI_2 (lines 10-16) with priority p1/p2 and trackers.
func twoInstances(p1, extra1 string) string {
	return "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority " + p1 + "\n" + extra1 + "\n virtual_ipaddress {\n  198.51.100.1\n }\n}\n" +
		"vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n virtual_ipaddress {\n  198.51.100.2\n }\n}\n"
}

func TestSyncGroupMembership(t *testing.T) {
	src := twoInstances("100", "") + `vrrp_sync_group G1 {
 group {
  VI_1
  VI_9
 }
}
vrrp_sync_group G2 {
 group {
  VI_1 VI_2
 }
}
vrrp_sync_group G3 {
 group {
 }
}
vrrp_sync_group G4 {
 VI_2
}
`
	cfg, d := load(t, src)
	checkDiags(t, d,
		wantDiag{20, syntax.Error, "Virtual router VI_9 specified in sync group G1 doesn't exist - ignoring"},
		wantDiag{17, syntax.Warning, "Sync group G1 has only 1 virtual router(s) - this probably isn't what you want"},
		wantDiag{25, syntax.Error, "Virtual router VI_1 cannot exist in more than one sync group; ignoring it in G2 (already in G1)"},
		wantDiag{23, syntax.Warning, "Sync group G2 has only 1 virtual router(s)"},
		wantDiag{28, syntax.Warning, "Sync group G3 has no virtual router(s). removing"},
		wantDiag{33, syntax.Warning, "unknown keyword 'VI_2'"},
		wantDiag{32, syntax.Warning, "Sync group G4 has no virtual router(s). removing"},
	)
	if len(cfg.SyncGroups) != 2 || inst(t, cfg, "VI_1").SyncGroup != "G1" || inst(t, cfg, "VI_2").SyncGroup != "G2" {
		t.Errorf("groups = %+v", cfg.SyncGroups)
	}
}

func TestSyncGroupWeightedTrackersDropped(t *testing.T) {
	scripts := "vrrp_script chk {\n script /bin/true\n weight -30\n}\nvrrp_script plain {\n script /bin/true\n}\n"
	body := " track_script {\n  chk\n  plain\n }\n track_interface {\n  eth1 weight 10\n  eth2\n }"
	group := "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n%s}\n"
	tests := []struct {
		name        string
		prio        string
		groupExtra  string
		wantScripts int
		wantIfW     int
		wantLost    []string
	}{
		{"member drops weights", "100", "", 1, 0, []string{
			"(VI_1) ignoring tracked script chk with weights due to SYNC group: WEIGHT IGNORED: track_script chk has weight -30 but VI_1 is a member of sync group G, whose members cannot use weighted trackers unless the group sets sync_group_tracking_weight; the tracker is removed",
			"(VI_1) ignoring eth1 tracked interface weight due to SYNC group: WEIGHT IGNORED: track_interface eth1 has weight 10 but VI_1 is a member of sync group G",
		}},
		{"tracking weight keeps them", "100", " sync_group_tracking_weight\n", 2, 10, nil},
		{"owner drops weights even with tracking weight", "255", " sync_group_tracking_weight\n", 1, -1, []string{
			"ignoring tracked script chk with weights due to address owner: WEIGHT IGNORED: track_script chk has weight -30 but VI_1 is the address owner (priority 255)",
			"ignoring eth1 tracked interface due to address owner: WEIGHT IGNORED: track_interface eth1 has weight 10 but VI_1 is the address owner (priority 255), whose priority trackers never change; the tracker is removed",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := scripts + twoInstances(tc.prio, body) + strings.Replace(group, "%s", tc.groupExtra, 1)
			cfg, d := load(t, src)
			var want []wantDiag
			for _, l := range tc.wantLost {
				want = append(want, wantDiag{0, syntax.Warning, l})
			}
			checkDiags(t, d, want...)
			v := inst(t, cfg, "VI_1")
			if len(v.TrackScripts) != tc.wantScripts {
				t.Errorf("%d track scripts kept, want %d", len(v.TrackScripts), tc.wantScripts)
			}
			if tc.wantIfW < 0 {
				if len(v.TrackInterfaces) != 1 {
					t.Errorf("owner kept weighted interface: %+v", v.TrackInterfaces)
				}
			} else if len(v.TrackInterfaces) != 2 || v.TrackInterfaces[0].Weight != tc.wantIfW {
				t.Errorf("track_interface = %+v, want weight %d", v.TrackInterfaces, tc.wantIfW)
			}
			if !cfg.Scripts["chk"].Used {
				t.Error("tracked script must be marked used even when its weight was dropped")
			}
		})
	}
}

func TestSyncGroupTrackersAndNotify(t *testing.T) {
	src := "vrrp_script s {\n script /bin/true\n}\n" + twoInstances("100", "") + `vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
 track_script {
  s
 }
 notify_master "/bin/notify GROUP master"
 notify /bin/generic
 global_tracking
 notify_priority_changes
}
`
	cfg, d := load(t, src)
	checkDiags(t, d, wantDiag{30, syntax.Warning, "'global_tracking' is deprecated, use 'sync_group_tracking_weight'"})
	g := cfg.SyncGroups[0]
	if g.Notify.Master.Args[2] != "master" || g.Notify.Generic.Command != "/bin/generic" || !g.TrackingWeight || !g.NotifyPriorityChanges {
		t.Errorf("group = %+v", g)
	}
	for _, n := range []string{"VI_1", "VI_2"} {
		if ts := inst(t, cfg, n).TrackScripts; len(ts) != 1 || ts[0].Name != "s" {
			t.Errorf("%s did not inherit the group's track_script: %+v", n, ts)
		}
	}
}

func TestSyncGroupOwnTrackersKeepWeights(t *testing.T) {
	tests := []struct {
		name   string
		prio   string
		weight int
		want   []wantDiag
	}{
		{"group trackers keep their weight", "100", -30, nil},
		{"owner member clears group weights", "255", 0, []wantDiag{{0, syntax.Warning,
			"(G) Cannot have weighted track script 'chk' with member having priority 255 - clearing weight: WEIGHT IGNORED: weight -30 dropped because member VI_1 is the address owner"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "vrrp_script chk {\n script /bin/true\n weight -30\n}\n" + twoInstances(tc.prio, "") +
				"vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n track_script {\n  chk\n }\n}\n"
			cfg, d := load(t, src)
			checkDiags(t, d, tc.want...)
			for _, n := range []string{"VI_1", "VI_2"} {
				ts := inst(t, cfg, n).TrackScripts
				if len(ts) != 1 || ts[0].Weight != tc.weight || ts[0].Group != "G" {
					t.Errorf("%s track_script = %+v, want weight %d from group G", n, ts, tc.weight)
				}
			}
		})
	}
}

func TestTrackOwnInterface(t *testing.T) {
	cfg, d := load(t, vi(" track_interface {\n  eth0\n  eth1\n }\n virtual_ipaddress {\n  198.51.100.1\n }"))
	checkDiags(t, d, wantDiag{5, syntax.Error, "(VI_1) Ignoring track_interface eth0 since own interface"})
	if ti := inst(t, cfg, "VI_1").TrackInterfaces; len(ti) != 1 || ti[0].Name != "eth1" {
		t.Errorf("track_interface = %+v", ti)
	}
}
