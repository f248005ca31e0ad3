package e2etrack

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// checkScript is the "service check" of the nginx example: it succeeds while
// the router's flag file exists and appends "UNIXTIME RESULT" to a runs file
// so the test can count the failures before the demotion.
const checkScript = `up=$1 runs=$2
if test -f "$up"; then r=0; else r=1; fi
echo "$(date +%s.%N) $r" >> "$runs"
exit $r
`

// checkRun is one recorded check run.
type checkRun struct {
	at time.Time
	ok bool
}

// readRuns parses a runs file written by checkScript.
func readRuns(t *testing.T, path string) []checkRun {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []checkRun
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(l)
		if len(f) != 2 {
			continue
		}
		sec, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			t.Fatalf("runs line %q: %v", l, err)
		}
		out = append(out, checkRun{at: time.Unix(0, int64(sec*1e9)), ok: f[1] == "0"})
	}
	return out
}

// failedBetween returns the failed runs in [from, to].
func failedBetween(runs []checkRun, from, to time.Time) []checkRun {
	var out []checkRun
	for _, r := range runs {
		if !r.ok && !r.at.Before(from) && !r.at.After(to) {
			out = append(out, r)
		}
	}
	return out
}

// TestScriptWeightFailover is the seeds' nginx example: a weighted
// vrrp_script (weight -60, fall 2, rise 2) on master 150 / backup 100.
// Stopping the "service" on the master drops it to 90 after exactly two
// failed runs and the backup takes the VIP; restoring it gives the master
// 150 again after two good runs and it preempts back.
func TestScriptWeightFailover(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	vip := netip.MustParseAddr("198.51.100.100")
	chk := writeScript(t, l.dir, "chk_nginx.sh", checkScript)
	var d [2]*daemon
	for i, prio := range []int{150, 100} {
		up := filepath.Join(l.dir, fmt.Sprintf("r%d-up", i))
		if err := os.WriteFile(up, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		runs := filepath.Join(l.dir, fmt.Sprintf("r%d-runs", i))
		top := fmt.Sprintf("vrrp_script chk_nginx {\n    script \"%s %s %s\"\n    interval 0.3\n    weight -60\n    fall 2\n    rise 2\n}\n", chk, up, runs)
		in := inst{name: "VI_1", vrid: 51, priority: prio, vip: vip.String() + "/24", extra: []string{"track_script {\n        chk_nginx\n    }"}}
		d[i] = startDaemon(t, l.r[i].NS, l.dir, fmt.Sprintf("r%d", i), conf(fmt.Sprintf("r%d", i), nil, top, in))
	}
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 5*time.Second)
	d[1].mustLog(0, "(VI_1) Entering BACKUP STATE", 5*time.Second)
	// Let both routers settle: r1 must be BACKUP and r0 keep the VIP.
	time.Sleep(500 * time.Millisecond)
	if hasAddr(l.r[1].NS, "eth0", vip) {
		t.Fatal("backup (100) holds the VIP while the master (150) is healthy")
	}

	// Kill the service on the master.
	m0 := d[0].mark()
	killed := time.Now()
	if err := os.Remove(filepath.Join(l.dir, "r0-up")); err != nil {
		t.Fatal(err)
	}
	gone := waitAddr(t, l.r[0].NS, "eth0", vip, false, 5*time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vip, true, 2*time.Second)
	d[0].mustLog(m0, "VRRP_Script(chk_nginx) failed", time.Second)
	d[0].mustLog(m0, "(VI_1) Changing effective priority to 90", time.Second)
	// fall 2: the verdict flips right after the second failed run, not
	// the first, and the priority follows it.
	failAt := d[0].logTime(m0, "VRRP_Script(chk_nginx) failed")
	if prioAt := d[0].logTime(m0, "(VI_1) Changing effective priority to 90"); prioAt.Before(failAt) {
		t.Errorf("priority changed at %v before the script was declared failed at %v", prioAt, failAt)
	}
	runs := readRuns(t, filepath.Join(l.dir, "r0-runs"))
	failed := failedBetween(runs, killed, failAt)
	t.Logf("service down at %s; failed runs before the verdict: %d (last %v before it); VIP left the master %v after the kill",
		killed.Format("15:04:05.000"), len(failed), failAt.Sub(failed[len(failed)-1].at).Round(time.Millisecond), gone.Sub(killed).Round(time.Millisecond))
	if len(failed) != 2 {
		t.Fatalf("script declared failed after %d failed run(s), want fall=2 (runs %+v)", len(failed), runs)
	}
	if lag := gone.Sub(failAt); lag > time.Second {
		t.Errorf("VIP left the master %v after the demotion, want one master-down interval", lag)
	}
	// The wire: the demoted master advertised 90 until it was preempted,
	// then the new master advertises its own priority 100.
	if !sawAdvert(l, 51, 90, l.r[0].Interface("eth0").HardwareAddr.String(), time.Second) {
		t.Error("the demoted master never advertised priority 150-60 = 90")
	}
	mac1 := l.r[1].Interface("eth0").HardwareAddr.String()
	if _, ok := l.cap.WaitFor(2*time.Second, func(f nettest.Frame) bool {
		a, ok := parseAdvert(f)
		return ok && a.vrid == 51 && a.priority == 100 && a.srcMAC.String() == mac1 && a.at.After(gone)
	}); !ok {
		t.Fatal("no advert with priority 100 from the new master on the wire")
	}

	// Restore the service: two good runs, then priority 150 and preemption.
	m0 = d[0].mark()
	restored := time.Now()
	if err := os.WriteFile(filepath.Join(l.dir, "r0-up"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	back := waitAddr(t, l.r[0].NS, "eth0", vip, true, 5*time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vip, false, 2*time.Second)
	d[0].mustLog(m0, "VRRP_Script(chk_nginx) succeeded", time.Second)
	d[0].mustLog(m0, "(VI_1) Changing effective priority to 150", time.Second)
	riseAt := d[0].logTime(m0, "VRRP_Script(chk_nginx) succeeded")
	var good int
	for _, r := range readRuns(t, filepath.Join(l.dir, "r0-runs")) {
		if r.ok && r.at.After(restored) && r.at.Before(riseAt) {
			good++
		}
	}
	t.Logf("service back; good runs before the verdict: %d; VIP back %v after restore", good, back.Sub(restored).Round(time.Millisecond))
	if good != 2 {
		t.Fatalf("script declared up after %d good run(s), want rise=2", good)
	}
}
