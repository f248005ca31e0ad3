package daemon

import (
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/track"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/packet"
)

var updateDumps = flag.Bool("update", false, "rewrite testdata/dump_*.golden")

// dumpFixture is a fixed daemon state: a MASTER with VIPs on two devices, an excluded VIP and
// drops of most kinds (each counter a distinct value, so a swapped field shows); an IPv6 BACKUP;
// a STOPped instance the configuration does not name; and two vrrp_scripts.
func dumpFixture() dumpInput {
	pfx := netip.MustParsePrefix
	cfg := &config.Config{}
	cfg.Global.GARPMasterDelay = 5 * time.Second
	cfg.Instances = []*config.Instance{
		{Name: "VI_1", GARPMasterDelay: 10 * time.Second,
			VIPs: []config.VirtualAddr{
				{Prefix: pfx("198.51.100.10/24")},
				{Prefix: pfx("203.0.113.7/32"), Dev: "eth1", Label: "eth1:vip"},
			},
			EVIPs: []config.VirtualAddr{{Prefix: pfx("203.0.113.99/32"), Dev: "eth2", Scope: config.ScopeLink}},
		},
		{Name: "VI_6", GARPMasterDelay: 5 * time.Second,
			VIPs: []config.VirtualAddr{{Prefix: pfx("2001:db8::10/64")}},
		},
	}
	st := []engine.InstanceStatus{
		{
			Name: "VI_1", SyncGroup: "G1", VRID: 51, Interface: "eth0", Family: "inet", Version: 2,
			State: "MASTER", Priority: 150, BasePriority: 100,
			SourceAddr:  netip.MustParseAddr("198.51.100.2"),
			VIPs:        []string{"198.51.100.10/24", "203.0.113.7", "203.0.113.99"},
			AdvertsSent: 1234, AdvertsReceived: 56, PriorityZeroTx: 21, PriorityZeroRx: 31,
			BecomeMaster: 4, ReleaseMaster: 5, SendErrors: 9,
			Drops: map[string]uint64{
				packet.DropTooShort.String():         1,
				packet.DropIPLength.String():         12, // also packet_len_err
				packet.DropTTL.String():              3,
				packet.DropUnicastTTL.String():       14, // also ip_ttl_err
				packet.DropType.String():             15,
				packet.DropIntervalMismatch.String(): 6,
				packet.DropVIPCount.String():         11,
				packet.DropAuthTypeInvalid.String():  8,
				packet.DropAuthTypeMismatch.String(): 9,
				packet.DropAuthPass.String():         10,
				packet.DropChecksum.String():         100, // no keepalived counter
			},
			Trackers: []engine.TrackerStatus{
				{Key: "file /run/flag", Weight: 0},
				{Key: "script chk_nginx", Weight: 20},
			},
		},
		{
			Name: "VI_6", VRID: 52, Interface: "eth0", Family: "inet6", Version: 3,
			State: "BACKUP", Priority: 90, BasePriority: 90,
			Master: netip.MustParseAddr("fe80::1"), MasterPriority: 200,
			SourceAddr:      netip.MustParseAddr("fe80::2"),
			VIPs:            []string{"2001:db8::10/64"},
			AdvertsReceived: 77,
		},
		{
			Name: "VI_gone", VRID: 53, Interface: "eth3", Family: "inet", Version: 2,
			State: "STOP", Priority: 100, BasePriority: 100,
			VIPs: []string{"198.51.100.53"},
		},
	}
	scripts := []track.ScriptStatus{
		{Name: "chk_nginx", Good: true},
		{Name: "chk_slow", Good: false, Running: true},
	}
	return dumpInput{status: st, cfg: cfg, scripts: scripts}
}

func TestDumpGolden(t *testing.T) {
	in := dumpFixture()
	js, err := formatJSON(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file, got string
	}{
		{"dump_keepalived.data.golden", formatData(in)},
		{"dump_keepalived.stats.golden", formatStats(in)},
		{"dump_keepalived.json.golden", js},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			if *updateDumps {
				if err := os.WriteFile(path, []byte(tc.got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if tc.got != string(want) {
				t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", tc.file, tc.got, want)
			}
		})
	}
}

// TestDumpEmpty: with no instances the text dumps are keepalived's empty ones and the JSON is an
// empty array, which the exporter decodes to no instances.
func TestDumpEmpty(t *testing.T) {
	in := dumpInput{}
	if got, want := formatData(in), "------< VRRP Topology >------\n"; got != want {
		t.Errorf("data = %q, want %q", got, want)
	}
	if got := formatStats(in); got != "" {
		t.Errorf("stats = %q, want empty", got)
	}
	js, err := formatJSON(in)
	if err != nil {
		t.Fatal(err)
	}
	if js != "[]\n" {
		t.Errorf("json = %q, want %q", js, "[]\n")
	}
}
