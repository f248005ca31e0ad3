package e2etrack

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// TestTrackFileDemotes: writing 6 into a track_file with weight -10 gives
// the master 150 + 6×(-10) = 90, below the backup's 100, which takes the
// VIP; writing 0 gives it back (preempt).
func TestTrackFileDemotes(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	vip := netip.MustParseAddr("198.51.100.103")
	file := filepath.Join(l.dir, "drain")
	top := fmt.Sprintf("track_file tf_drain {\n    file %s\n    weight -10\n    init_file 0\n}\n", file)
	d0 := startDaemon(t, l.r[0].NS, l.dir, "r0", conf("r0", nil, top,
		inst{name: "VI_1", vrid: 54, priority: 150, vip: vip.String() + "/24", extra: []string{"track_file {\n        tf_drain\n    }"}}))
	d1 := startDaemon(t, l.r[1].NS, l.dir, "r1", conf("r1", nil, "", inst{name: "VI_1", vrid: 54, priority: 100, vip: vip.String() + "/24"}))
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 5*time.Second)
	d1.mustLog(0, "(VI_1) Entering BACKUP STATE", 5*time.Second)
	if b, err := os.ReadFile(file); err != nil || string(b) != "0\n" && string(b) != "0" {
		t.Errorf("init_file 0 left %q, %v; want the file created with 0", b, err)
	}

	m0 := d0.mark()
	if err := os.WriteFile(file, []byte("6\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d0.mustLog(m0, "Track file tf_drain value changed from 0 to 6", 2*time.Second)
	d0.mustLog(m0, "(VI_1) Changing effective priority to 90", time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vip, true, 2*time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vip, false, time.Second)
	mac1 := l.r[1].Interface("eth0").HardwareAddr.String()
	if !sawAdvert(l, 54, 100, mac1, 2*time.Second) {
		t.Fatal("no priority-100 advert from the new master")
	}

	m0 = d0.mark()
	if err := os.WriteFile(file, []byte("0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d0.mustLog(m0, "(VI_1) Changing effective priority to 150", 2*time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 3*time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vip, false, time.Second)
}

// sawAdvert waits for an advert for vrid with priority prio from mac.
func sawAdvert(l *lab, vrid, prio int, mac string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		for _, a := range adverts(l.cap, vrid) {
			if a.priority == prio && a.srcMAC.String() == mac {
				return true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// TestTrackProcessDemotes: a vrrp_track_process on a uniquely named copy
// of sleep(1) (so no other process on the machine can match its comm)
// with weight -60. Killing it by PID demotes the master below the backup;
// starting it again restores 150 and the master preempts back.
func TestTrackProcessDemotes(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	vip := netip.MustParseAddr("198.51.100.104")
	name := fmt.Sprintf("e2etk%06d", rand.IntN(1000000))
	svc := filepath.Join(l.dir, name)
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep(1)")
	}
	b, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(svc, b, 0o755); err != nil {
		t.Fatal(err)
	}
	proc := startProc(t, l.r[0].NS, svc, "600")
	top := fmt.Sprintf("vrrp_track_process tp_svc {\n    process %s\n    weight -60\n}\n", name)
	d0 := startDaemon(t, l.r[0].NS, l.dir, "r0", conf("r0", nil, top,
		inst{name: "VI_1", vrid: 55, priority: 150, vip: vip.String() + "/24", extra: []string{"track_process {\n        tp_svc\n    }"}}))
	d1 := startDaemon(t, l.r[1].NS, l.dir, "r1", conf("r1", nil, "", inst{name: "VI_1", vrid: 55, priority: 100, vip: vip.String() + "/24"}))
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 5*time.Second)
	d1.mustLog(0, "(VI_1) Entering BACKUP STATE", 5*time.Second)
	if hasAddr(l.r[1].NS, "eth0", vip) {
		t.Fatal("backup holds the VIP while the tracked process runs")
	}

	m0 := d0.mark()
	killed := time.Now()
	// Killed and reaped at once. An unreaped zombie keeps its comm in
	// /proc and gokeepalived's /proc scan still counts it (keepalived's
	// proc-connector exit event would not); see TestTrackProcessZombie.
	proc.kill()
	d0.mustLog(m0, "Track process tp_svc lost quorum", 2*time.Second)
	d0.mustLog(m0, "(VI_1) Changing effective priority to 90", time.Second)
	lost := d0.logTime(m0, "Track process tp_svc lost quorum")
	took := waitAddr(t, l.r[1].NS, "eth0", vip, true, 2*time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vip, false, time.Second)
	t.Logf("process killed; quorum lost after %v, backup took the VIP after %v",
		lost.Sub(killed).Round(time.Millisecond), took.Sub(killed).Round(time.Millisecond))

	m0 = d0.mark()
	startProc(t, l.r[0].NS, svc, "600")
	d0.mustLog(m0, "Track process tp_svc now has quorum", 2*time.Second)
	d0.mustLog(m0, "(VI_1) Changing effective priority to 150", time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 3*time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vip, false, time.Second)
}

// proc is a process started in a namespace that the test may kill early.
type proc struct {
	cmd  *exec.Cmd
	once sync.Once
}

// startProc starts name in ns; t.Cleanup kills it by PID unless the test
// already did, and never signals a PID after reaping it.
func startProc(t *testing.T, ns *nettest.NS, name string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: ns.Command(context.Background(), name, args...)}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(p.kill)
	return p
}

// kill sends SIGKILL and reaps the process, once.
func (p *proc) kill() {
	p.once.Do(func() {
		_ = syscall.Kill(p.cmd.Process.Pid, syscall.SIGKILL)
		_ = p.cmd.Wait()
	})
}

// TestTrackProcessZombie: a tracked process that has exited but is not yet
// reaped by its parent (a zombie) is gone for keepalived, whose proc
// connector reports PROC_EVENT_EXIT at exit. Inside a network namespace the
// connector is unavailable and gokeepalived scans /proc, where the zombie
// still has its comm: the scanner must skip state Z.
func TestTrackProcessZombie(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	name := fmt.Sprintf("e2etz%06d", rand.IntN(1000000))
	svc := filepath.Join(l.dir, name)
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep(1)")
	}
	b, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(svc, b, 0o755); err != nil {
		t.Fatal(err)
	}
	p := startProc(t, l.r[0].NS, svc, "600")
	top := fmt.Sprintf("vrrp_track_process tp_svc {\n    process %s\n    weight -60\n}\n", name)
	d0 := startDaemon(t, l.r[0].NS, l.dir, "r0", conf("r0", nil, top,
		inst{name: "VI_1", vrid: 56, priority: 150, vip: "198.51.100.105/24", extra: []string{"track_process {\n        tp_svc\n    }"}}))
	d0.mustLog(0, "Track process tp_svc now has quorum", 5*time.Second)
	m0 := d0.mark()
	// SIGKILL without Wait: the process is a zombie until cleanup reaps it.
	if err := syscall.Kill(p.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	d0.mustLog(m0, "Track process tp_svc lost quorum", 2*time.Second)
}
