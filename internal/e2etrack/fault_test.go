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

// TestScriptWeightZeroFault: a failing vrrp_script without a weight (0)
// puts the master in FAULT: it drops the VIP, sends a priority-0 advert so
// the backup takes over at once, and the backup holds the VIP.
func TestScriptWeightZeroFault(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	vip := netip.MustParseAddr("198.51.100.101")
	up := filepath.Join(l.dir, "up")
	if err := os.WriteFile(up, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	top := fmt.Sprintf("vrrp_script chk_up {\n    script \"/usr/bin/test -f %s\"\n    interval 0.2\n}\n", up)
	d0 := startDaemon(t, l.r[0].NS, l.dir, "r0", conf("r0", nil, top,
		inst{name: "VI_1", vrid: 52, priority: 150, vip: vip.String() + "/24", extra: []string{"track_script {\n        chk_up\n    }"}}))
	d1 := startDaemon(t, l.r[1].NS, l.dir, "r1", conf("r1", nil, "", inst{name: "VI_1", vrid: 52, priority: 100, vip: vip.String() + "/24"}))
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 5*time.Second)
	d1.mustLog(0, "(VI_1) Entering BACKUP STATE", 5*time.Second)

	m0 := d0.mark()
	if err := os.Remove(up); err != nil {
		t.Fatal(err)
	}
	d0.mustLog(m0, "(VI_1) Entering FAULT STATE", 3*time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vip, false, time.Second)
	faultAt := d0.logTime(m0, "(VI_1) Entering FAULT STATE")
	took := waitAddr(t, l.r[1].NS, "eth0", vip, true, 2*time.Second)
	mac0 := l.r[0].Interface("eth0").HardwareAddr.String()
	zero, ok := l.cap.WaitFor(time.Second, func(f nettest.Frame) bool {
		a, ok := parseAdvert(f)
		return ok && a.vrid == 52 && a.priority == 0 && a.srcMAC.String() == mac0
	})
	if !ok {
		t.Fatal("no priority-0 advert from the faulted master on the wire")
	}
	t.Logf("FAULT at %s, priority-0 advert %v later, backup holds the VIP %v after FAULT",
		faultAt.Format("15:04:05.000"), zero.At.Sub(faultAt).Round(time.Millisecond), took.Sub(faultAt).Round(time.Millisecond))
	// The priority-0 advert makes the backup skip the master-down wait
	// (RFC 9568 §6.4.2: Skew_Time only), far below 3×100 ms.
	if took.Sub(zero.At) > 300*time.Millisecond {
		t.Errorf("backup took the VIP %v after the priority-0 advert, want about Skew_Time", took.Sub(zero.At))
	}
	// A FAULT instance stays silent.
	time.Sleep(300 * time.Millisecond)
	for _, a := range adverts(l.cap, 52) {
		if a.srcMAC.String() == mac0 && a.at.After(zero.At) {
			t.Fatalf("faulted router advertised again at %v with priority %d", a.at, a.priority)
		}
	}
}

// pgroupMembers lists the live processes whose process group is pgid.
// Zombies are dead already: orphans are re-parented to PID 1, which in a
// container may reap them late, so they are not counted.
func pgroupMembers(pgid int) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// Fields after the parenthesised comm: state ppid pgrp ...
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 2 && f[2] == strconv.Itoa(pgid) && f[0] != "Z" {
			out = append(out, pid)
		}
	}
	return out
}

// TestScriptTimeoutKillsGroup: a script that hangs (a background sleep 60
// and a foreground sleep 60) with timeout 1 is killed at its timeout, the
// whole process group goes, and the run counts as a failure (weight 0 ⇒
// FAULT).
func TestScriptTimeoutKillsGroup(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	vip := netip.MustParseAddr("198.51.100.102")
	hang := filepath.Join(l.dir, "hang")
	pidFile := filepath.Join(l.dir, "script.pid")
	chk := writeScript(t, l.dir, "chk_hang.sh", fmt.Sprintf(`test -f %s || exit 0
echo "$$ $(date +%%s.%%N)" > %s.tmp && mv %s.tmp %s
sleep 60 &
sleep 60
`, hang, pidFile, pidFile, pidFile))
	top := fmt.Sprintf("vrrp_script chk_hang {\n    script \"%s\"\n    interval 1.5\n    timeout 1\n}\n", chk)
	d0 := startDaemon(t, l.r[0].NS, l.dir, "r0", conf("r0", nil, top,
		inst{name: "VI_1", vrid: 53, priority: 150, vip: vip.String() + "/24", extra: []string{"track_script {\n        chk_hang\n    }"}}))
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 5*time.Second)

	m0 := d0.mark()
	if err := os.WriteFile(hang, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// The script records its PID and its own start time, so the timeout
	// is measured from when it really started, not from when we noticed.
	var pid int
	var started time.Time
	if poll(3*time.Second, func() bool {
		b, err := os.ReadFile(pidFile)
		if err != nil {
			return false
		}
		f := strings.Fields(string(b))
		if len(f) != 2 {
			return false
		}
		sec, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return false
		}
		started = time.Unix(0, int64(sec*1e9))
		pid, err = strconv.Atoi(f[0])
		return err == nil
	}).IsZero() {
		t.Fatal("the hanging script never started")
	}
	// The pid file is written before the sleeps start.
	if poll(time.Second, func() bool { return len(pgroupMembers(pid)) >= 3 }).IsZero() {
		n := len(pgroupMembers(pid))
		t.Fatalf("script process group %d has %d members, want the shell and two sleeps (is the script its own group leader?)", pid, n)
	}
	d0.mustLog(m0, "VRRP_Script(chk_hang) timed out", 3*time.Second)
	timedOut := d0.logTime(m0, "VRRP_Script(chk_hang) timed out")
	d0.mustLog(m0, "(VI_1) Entering FAULT STATE", time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vip, false, time.Second)
	if poll(3*time.Second, func() bool { return len(pgroupMembers(pid)) == 0 }).IsZero() {
		t.Fatalf("process group %d still has %v after the timeout", pid, pgroupMembers(pid))
	}
	gone := time.Now()
	t.Logf("script started at %s, timed out at %s, group gone %v after start",
		started.Format("15:04:05.000"), timedOut.Format("15:04:05.000"), gone.Sub(started).Round(time.Millisecond))
	// SIGTERM to the group ends sh and both sleeps; the 2 s SIGKILL
	// escalation must not have been needed.
	if g := gone.Sub(timedOut); g > 500*time.Millisecond {
		t.Errorf("process group outlived the timeout by %v", g)
	}
	// The daemon's timer starts at fork, the script's clock reading a
	// shell start-up later (tens of ms, more on a loaded machine).
	if el := timedOut.Sub(started); el < 700*time.Millisecond || el > 1800*time.Millisecond {
		t.Errorf("timed out %v after the script started, want about the 1 s timeout", el)
	}
}
