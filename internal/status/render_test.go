package status

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testNow is the fixed "now" of every golden: the daemon started 2d3h4m5s earlier.
var testNow = time.Date(2026, 11, 22, 21, 0, 0, 0, time.UTC)

func testDaemon(vrrp, checkers, lvs bool) Daemon {
	return Daemon{
		PID: 4242, Version: "1.0.0", ConfigFile: "/etc/keepalived/keepalived.conf",
		Started: testNow.Add(-(51*time.Hour + 4*time.Minute + 5*time.Second)),
		Reloads: 2, LastReload: testNow.Add(-(17*time.Minute + 3*time.Second)),
		VRRP: vrrp, Checkers: checkers, LVS: lvs,
	}
}

func testVRRP() []engine.InstanceStatus {
	return []engine.InstanceStatus{
		{
			Name: "VI_web", VRID: 51, Interface: "eth0", Family: "inet", Version: 2, State: "MASTER",
			Priority: 110, BasePriority: 100, VIPs: []string{"203.0.113.10/32", "203.0.113.11/32"},
			Trackers: []engine.TrackerStatus{
				{Key: "file /run/maint", Weight: 0},   // healthy and weightless: not shown
				{Key: "script chk_nginx", Weight: 10}, // adds to the priority: shown
			},
		},
		{
			Name: "VI_db", SyncGroup: "G1", VRID: 52, Interface: "eth1", Family: "inet", Version: 3,
			State: "BACKUP", Priority: 80, BasePriority: 100, Master: netip.MustParseAddr("198.51.100.2"),
			MasterPriority: 150, VIPs: []string{"203.0.113.20/32"},
			Trackers: []engine.TrackerStatus{{Key: "script chk_db", Fault: false, Weight: -20}},
		},
		{
			Name: "VI_v6", VRID: 53, Interface: "eth1", Family: "inet6", Version: 3, State: "FAULT",
			Priority: 100, BasePriority: 100,
			VIPs: []string{"2001:db8::10/64", "2001:db8::11/64", "2001:db8::12/64", "2001:db8::13/64",
				"2001:db8::14/64", "2001:db8::15/64"},
			Trackers: []engine.TrackerStatus{{Key: "process haproxy", Fault: true}},
		},
	}
}

func testScripts() []Script {
	return []Script{
		{Name: "chk_db", Status: ScriptBad, State: ScriptIdle},
		{Name: "chk_nginx", Status: ScriptGood, State: ScriptRunning},
	}
}

func testLVS() []VirtualServer {
	return []VirtualServer{
		{
			Name: "[203.0.113.10]:tcp:80", QuorumUp: true, AliveWeight: 3, Quorum: 1,
			RealServers: []LVSRealServer{
				{Name: "[198.51.100.11]:tcp:80", Alive: true, Weight: 1},
				{Name: "[198.51.100.12]:tcp:80", Alive: true, Weight: 2},
				{Name: "[198.51.100.13]:tcp:80", Alive: false, Weight: 0},
			},
		},
		{
			Name: "[203.0.113.20]:udp:53", QuorumUp: false, AliveWeight: 0, Quorum: 2, Suspended: true,
			RealServers: []LVSRealServer{{Name: "[198.51.100.21]:udp:53", Alive: false, Weight: 1}},
		},
	}
}

func testRealServers() []RealServer {
	return []RealServer{
		{VirtualServer: "[203.0.113.10]:tcp:80", RealServer: "[198.51.100.11]:tcp:80", Up: true,
			Checkers: []Checker{{Name: "HTTP_GET", Up: true}}},
		{VirtualServer: "[203.0.113.10]:tcp:80", RealServer: "[198.51.100.12]:tcp:80", Up: true,
			Checkers: []Checker{{Name: "HTTP_GET", Up: true}}},
		{VirtualServer: "[203.0.113.10]:tcp:80", RealServer: "[198.51.100.13]:tcp:80", Up: false,
			Checkers: []Checker{{Name: "HTTP_GET", Up: false}, {Name: "TCP_CHECK", Up: true}, {Name: "MISC_CHECK", Up: false}}},
		{VirtualServer: "[203.0.113.20]:udp:53", RealServer: "[198.51.100.21]:udp:53", Up: false,
			Checkers: []Checker{{Name: "DNS_CHECK", Up: false}}},
	}
}

// bigReport has one virtual server with 1,000 real servers, three of them down.
func bigReport() Report {
	vs := VirtualServer{Name: "[203.0.113.30]:tcp:443", QuorumUp: true, Quorum: 100}
	var rss []RealServer
	for i := range 1000 {
		name := fmt.Sprintf("[198.51.100.%d]:tcp:%d", i%250+1, 8000+i/250)
		down := i == 7 || i == 500 || i == 999
		vs.RealServers = append(vs.RealServers, LVSRealServer{Name: name, Alive: !down, Weight: 1})
		if !down {
			vs.AliveWeight++
		}
		rss = append(rss, RealServer{VirtualServer: vs.Name, RealServer: name, Up: !down,
			Checkers: []Checker{{Name: "SSL_GET", Up: !down}}})
	}
	return Report{Version: FormatVersion, Daemon: testDaemon(false, true, true),
		VirtualServers: []VirtualServer{vs}, RealServers: rss}
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		r    Report
	}{
		{"vrrp-only", Report{Version: FormatVersion, Daemon: testDaemon(true, false, false),
			VRRP: testVRRP(), Scripts: testScripts()}},
		{"full", Report{Version: FormatVersion, Daemon: testDaemon(true, true, true),
			VRRP: testVRRP(), Scripts: testScripts(), RealServers: testRealServers(), VirtualServers: testLVS()}},
		// Checkers without IPVS (no ip_vs module): real servers are checked, nothing is programmed.
		{"no-ipvs", Report{Version: FormatVersion, Daemon: testDaemon(false, true, false),
			RealServers: testRealServers()}},
		{"many-real-servers", bigReport()},
		// A daemon that has just started: no reloads, no start time known, nothing configured.
		{"empty", Report{Version: FormatVersion, Daemon: Daemon{PID: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Render(&b, tt.r, testNow); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./internal/status -run Render -update writes it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s differs (go test ./internal/status -run Render -update):\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

// TestRenderProperties checks what the goldens could hide if they were regenerated carelessly.
func TestRenderProperties(t *testing.T) {
	full := Report{Version: FormatVersion, Daemon: testDaemon(true, true, true), VRRP: testVRRP(),
		Scripts: testScripts(), RealServers: testRealServers(), VirtualServers: testLVS()}
	big := bigReport()
	tests := []struct {
		name      string
		r         Report
		contains  []string
		excludes  []string
		maxLines  int
		noTrailWS bool
	}{
		{"header", full, []string{"gokeepalived 1.0.0  pid 4242  config /etc/keepalived/keepalived.conf\n",
			"up 2d3h4m (since 2026-11-20 17:55:55 UTC), 2 reloads (last 17m3s ago); running: VRRP, checkers, LVS\n"}, nil, 0, true},
		{"backup shows master", full, []string{"198.51.100.2 prio 150"}, nil, 0, true},
		{"trackers", full, []string{"    track script chk_nginx: weight +10\n", "    track script chk_db: weight -20\n",
			"    track process haproxy: FAULT\n"}, []string{"/run/maint"}, 0, true},
		{"vips capped", full, []string{"2001:db8::13/64 (+2 more)"}, []string{"2001:db8::14/64"}, 0, true},
		{"failing checkers", full, []string{"HTTP_GET, MISC_CHECK"}, nil, 0, true},
		{"no empty sections", Report{Daemon: testDaemon(true, false, false)},
			nil, []string{"VRRP INSTANCE", "VRRP SCRIPT", "VIRTUAL SERVER", "REAL SERVER"}, 2, true},
		{"many real servers", big, []string{
			"[198.51.100.8]:tcp:8000", "[198.51.100.1]:tcp:8002", "[198.51.100.250]:tcp:8003",
			"  -> 997 more ALIVE, not listed\n", "997 of 1000 real servers UP, not listed; 3 DOWN\n",
		}, []string{"[198.51.100.9]:tcp:8000"}, 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Render(&b, tt.r, testNow); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, s := range tt.contains {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.excludes {
				if strings.Contains(out, s) {
					t.Errorf("output has %q:\n%s", s, out)
				}
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if tt.maxLines > 0 && len(lines) > tt.maxLines {
				t.Errorf("%d lines, want at most %d:\n%s", len(lines), tt.maxLines, out)
			}
			for i, l := range lines {
				if strings.TrimRight(l, " \t") != l {
					t.Errorf("line %d has trailing blanks: %q", i+1, l)
				}
			}
		})
	}
}

// TestRenderColumnsAligned checks that tracker lines between rows neither break the alignment of
// the rows around them nor widen the instance column (the reason they are not tabwriter cells).
func TestRenderColumnsAligned(t *testing.T) {
	var b bytes.Buffer
	if err := Render(&b, Report{Daemon: testDaemon(true, false, false), VRRP: testVRRP()}, testNow); err != nil {
		t.Fatal(err)
	}
	state, rows := -1, 0
	for _, l := range strings.Split(b.String(), "\n") {
		switch {
		case strings.HasPrefix(l, "VRRP INSTANCE"):
			state = strings.Index(l, "STATE")
			if want := len("VRRP INSTANCE  "); state != want {
				t.Errorf("STATE column at %d, want %d (widened by a tracker line?):\n%s", state, want, b.String())
			}
		case strings.HasPrefix(l, "VI_"):
			rows++
			if state < 0 || len(l) <= state || l[state-1] != ' ' || l[state] == ' ' {
				t.Errorf("row %q: STATE column (%d) not aligned:\n%s", l, state, b.String())
			}
		}
	}
	if rows != 3 {
		t.Errorf("found %d instance rows, want 3:\n%s", rows, b.String())
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{-5 * time.Second, "0s"},
		{1500 * time.Millisecond, "1s"},
		{59*time.Minute + 59*time.Second, "59m59s"},
		{23*time.Hour + 59*time.Minute + 59*time.Second, "23h59m59s"},
		{24 * time.Hour, "1d0h0m"},
		{400*24*time.Hour + 5*time.Hour + 6*time.Minute + 7*time.Second, "400d5h6m"},
	}
	for _, tt := range tests {
		if got := duration(tt.d); got != tt.want {
			t.Errorf("duration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRenderWriteError(t *testing.T) {
	err := Render(failWriter{}, Report{Daemon: Daemon{PID: 1}}, testNow)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Render to a failing writer: %v, want the write error", err)
	}
}
