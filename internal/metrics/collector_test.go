package metrics

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"

	"github.com/gokeepalived/gokeepalived/internal/status"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// render gathers c through a pedantic registry (which also checks every metric against the
// described Descs) and returns the text exposition.
func render(t *testing.T, c prometheus.Collector) []byte {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatalf("register: %v", err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			t.Fatalf("encode %s: %v", mf.GetName(), err)
		}
	}
	if buf.Len() == 0 {
		t.Fatal("gathered nothing")
	}
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update after checking):\n--- got\n%s", path, got)
	}
}

func TestCollectGolden(t *testing.T) {
	tests := []struct {
		name, golden string
		report       status.Report
		err          error
	}{
		{name: "full report", golden: "report.golden", report: fixtureReport()},
		{name: "empty report", golden: "empty.golden", report: status.Report{Version: status.FormatVersion}},
		{name: "report error", golden: "down.golden", err: errDown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, tt.golden, render(t, fixedCollector(tt.report, tt.err)))
		})
	}
}

// TestReportErrorOnlyUp: a failing status query yields keepalived_up 0 and nothing else.
func TestReportErrorOnlyUp(t *testing.T) {
	c := fixedCollector(fixtureReport(), errDown)
	if n := testutil.CollectAndCount(c); n != 1 {
		t.Errorf("collected %d metrics, want only keepalived_up", n)
	}
	want := "# HELP keepalived_up 1 when the daemon answered the status query for this scrape, 0 otherwise.\n# TYPE keepalived_up gauge\nkeepalived_up 0\n"
	if err := testutil.CollectAndCompare(c, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

// TestCollectPassesDeadline: the report function gets a context with the scrape timeout.
func TestCollectPassesDeadline(t *testing.T) {
	var got time.Duration
	c := NewCollector(func(ctx context.Context) (status.Report, error) {
		dl, ok := ctx.Deadline()
		if !ok {
			t.Error("report context has no deadline")
		}
		got = time.Until(dl)
		return status.Report{}, nil
	})
	testutil.CollectAndCount(c)
	if got <= 0 || got > ScrapeTimeout {
		t.Errorf("deadline in %v, want within (0, %v]", got, ScrapeTimeout)
	}
}

func TestCompatState(t *testing.T) {
	tests := []struct {
		in    string
		value float64
	}{
		{"INIT", 0},
		{"BACKUP", 1},
		{"MASTER", 2},
		{"FAULT", 3},
		{"STOP", 0},
		{"DELETED", 0},
		{"", 0},
		{"master", 0},
	}
	for _, tt := range tests {
		if v := compatState(tt.in); v != tt.value {
			t.Errorf("compatState(%q) = %v; want %v", tt.in, v, tt.value)
		}
	}
}

func TestVIPAddress(t *testing.T) {
	tests := []struct{ in, want string }{
		{"198.51.100.10/32 dev 3", "198.51.100.10"},
		{"198.51.100.11/24 dev 3 peer 198.51.100.12 label eth0:1", "198.51.100.11"},
		{"2001:db8::10/64 dev 5", "2001:db8::10"},
		{"203.0.113.1", "203.0.113.1"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := vipAddress(tt.in); got != tt.want {
			t.Errorf("vipAddress(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestStopStateSet: a stopped instance shows STOP in the native state set and INIT (0) in the
// exporter-compatible metrics.
func TestStopStateSet(t *testing.T) {
	r := status.Report{VRRP: []engine.InstanceStatus{{Name: "VI_1", VRID: 1, Interface: "eth0", State: "STOP", VIPs: []string{"198.51.100.10/32 dev 3"}}}}
	c := fixedCollector(r, nil)
	want := `
# HELP gokeepalived_vrrp_state VRRP state of the instance as a state set: 1 for the current state, 0 for the others.
# TYPE gokeepalived_vrrp_state gauge
gokeepalived_vrrp_state{iname="VI_1",intf="eth0",state="BACKUP",vrid="1"} 0
gokeepalived_vrrp_state{iname="VI_1",intf="eth0",state="FAULT",vrid="1"} 0
gokeepalived_vrrp_state{iname="VI_1",intf="eth0",state="INIT",vrid="1"} 0
gokeepalived_vrrp_state{iname="VI_1",intf="eth0",state="MASTER",vrid="1"} 0
gokeepalived_vrrp_state{iname="VI_1",intf="eth0",state="STOP",vrid="1"} 1
# HELP keepalived_vrrp_state Instance state per virtual address: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT.
# TYPE keepalived_vrrp_state gauge
keepalived_vrrp_state{iname="VI_1",intf="eth0",ip_address="198.51.100.10",vrid="1"} 0
# HELP keepalived_advertisements_sent_total VRRP adverts sent by the instance.
# TYPE keepalived_advertisements_sent_total counter
keepalived_advertisements_sent_total{iname="VI_1",intf="eth0",vrid="1"} 0
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), "gokeepalived_vrrp_state", "keepalived_vrrp_state", "keepalived_advertisements_sent_total"); err != nil {
		t.Error(err)
	}
}

// TestNoVIPState: an instance without VIPs still has one keepalived_vrrp_state series, with an
// empty ip_address, as keepalived-exporter does.
func TestNoVIPState(t *testing.T) {
	r := status.Report{VRRP: []engine.InstanceStatus{{Name: "VI_3", VRID: 3, Interface: "eth2", State: "BACKUP"}}}
	want := `
# HELP keepalived_vrrp_state Instance state per virtual address: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT.
# TYPE keepalived_vrrp_state gauge
keepalived_vrrp_state{iname="VI_3",intf="eth2",ip_address="",vrid="3"} 1
`
	if err := testutil.CollectAndCompare(fixedCollector(r, nil), strings.NewReader(want), "keepalived_vrrp_state"); err != nil {
		t.Error(err)
	}
}

// TestInvalidLabel: a non-UTF-8 name (possible in a configuration file) is served with U+FFFD
// in place of the bad bytes instead of panicking or failing the scrape.
func TestInvalidLabel(t *testing.T) {
	r := status.Report{Scripts: []status.Script{{Name: "bad\xff", Status: status.ScriptGood, State: status.ScriptIdle}}}
	want := "# HELP keepalived_script_status vrrp_script result: 1 GOOD, 0 BAD.\n" +
		"# TYPE keepalived_script_status gauge\n" +
		"keepalived_script_status{name=\"bad\uFFFD\"} 1\n"
	if err := testutil.CollectAndCompare(fixedCollector(r, nil), strings.NewReader(want), "keepalived_script_status"); err != nil {
		t.Error(err)
	}
}
