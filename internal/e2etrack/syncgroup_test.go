package e2etrack

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// addSecondLAN puts every host on a second bridge (in its own namespace):
// host i gets eth1 with 203.0.113.(i+1)/24; the bridge-side port of host i
// is "q<i>". It returns the bridge namespace.
func addSecondLAN(t *testing.T, hosts ...*nettest.Host) *nettest.NS {
	t.Helper()
	br := nettest.NewNS(t, "brb")
	br.IP("link", "add", "br1", "type", "bridge", "mcast_snooping", "0", "forward_delay", "0", "stp_state", "0")
	br.IP("link", "set", "br1", "up")
	for i, h := range hosts {
		port := fmt.Sprintf("q%d", i)
		// Created inside the host namespace, peer straight into the bridge
		// namespace, as nettest does: the test's own namespace is untouched.
		h.IP("link", "add", "eth1", "type", "veth", "peer", "name", port, "netns", br.Name)
		h.Sysctl("net.ipv6.conf.eth1.accept_dad", "0")
		br.IP("link", "set", port, "master", "br1")
		br.IP("link", "set", port, "up")
		h.IP("addr", "add", fmt.Sprintf("203.0.113.%d/24", i+1), "dev", "eth1")
		h.IP("link", "set", "eth1", "up")
	}
	for _, h := range hosts {
		if poll(5*time.Second, func() bool {
			out, err := h.TryIP("-br", "link", "show", "dev", "eth1")
			return err == nil && containsField(out, "UP")
		}).IsZero() {
			t.Fatalf("%s eth1 never came up", h.Name)
		}
	}
	return br
}

// containsField reports whether s has the whitespace-separated field f.
func containsField(s, f string) bool {
	for _, x := range strings.Fields(s) {
		if x == f {
			return true
		}
	}
	return false
}

// TestSyncGroupTwoLANs: two routers, each on two bridges, run a sync group
// of VI_A (LAN A, eth0) and VI_B (LAN B, eth1). Pulling the master's cable
// on LAN B (its bridge port down, so eth1 loses carrier) faults VI_B, and
// the sync group takes VI_A along although its link is fine: the master
// drops both VIPs, sends a priority-0 advert on LAN A, and the backup takes
// both. Plugging the cable back makes the master take both back.
func TestSyncGroupTwoLANs(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	brB := addSecondLAN(t, l.r[0], l.r[1], l.cli)
	capB := l.cli.NewCapture("eth1")
	vipA := netip.MustParseAddr("198.51.100.110")
	vipB := netip.MustParseAddr("203.0.113.110")
	note := writeScript(t, l.dir, "note.sh", noteScript)
	fifoPath := filepath.Join(l.dir, "vrrp.fifo")
	fifo := openFIFO(t, fifoPath)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("master's FIFO:\n%s", fifo.String())
		}
	})
	var d [2]*daemon
	for i, prio := range []int{150, 100} {
		// Only the master reports to the FIFO and the group notify script.
		top := "vrrp_sync_group SG {\n    group {\n        VI_A\n        VI_B\n    }\n"
		var global []string
		if i == 0 {
			top += fmt.Sprintf("    notify \"%s generic\"\n", note)
			global = []string{"vrrp_notify_fifo " + fifoPath}
		}
		top += "}\n"
		d[i] = startDaemon(t, l.r[i].NS, l.dir, fmt.Sprintf("r%d", i), conf(fmt.Sprintf("r%d", i), global, top,
			inst{name: "VI_A", iface: "eth0", vrid: 60, priority: prio, vip: vipA.String() + "/24"},
			inst{name: "VI_B", iface: "eth1", vrid: 61, priority: prio, vip: vipB.String() + "/24"}))
	}
	waitAddr(t, l.r[0].NS, "eth0", vipA, true, 5*time.Second)
	waitAddr(t, l.r[0].NS, "eth1", vipB, true, 5*time.Second)
	d[1].mustLog(0, "(VI_A) Entering BACKUP STATE", 5*time.Second)
	d[1].mustLog(0, "(VI_B) Entering BACKUP STATE", 5*time.Second)
	time.Sleep(300 * time.Millisecond)
	if hasAddr(l.r[1].NS, "eth0", vipA) || hasAddr(l.r[1].NS, "eth1", vipB) {
		t.Fatal("backup holds a VIP while the master is healthy")
	}

	m0 := d[0].mark()
	pulled := time.Now()
	brB.IP("link", "set", "q0", "down")
	d[0].mustLog(m0, "(VI_B) Entering FAULT STATE", 3*time.Second)
	d[0].mustLog(m0, "(VI_A) Entering FAULT STATE", time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vipA, false, time.Second)
	tookA := waitAddr(t, l.r[1].NS, "eth0", vipA, true, 2*time.Second)
	tookB := waitAddr(t, l.r[1].NS, "eth1", vipB, true, 2*time.Second)
	fault := d[0].logTime(m0, "(VI_B) Entering FAULT STATE")
	t.Logf("cable pulled; master FAULT after %v; backup holds VI_A after %v and VI_B after %v",
		fault.Sub(pulled).Round(time.Millisecond), tookA.Sub(pulled).Round(time.Millisecond), tookB.Sub(pulled).Round(time.Millisecond))
	// Notifications: every member and the group report FAULT; a group
	// carries priority 0 (keepalived vrrp_notify.c).
	for _, want := range []string{"INSTANCE \"VI_A\" FAULT 150\n", "INSTANCE \"VI_B\" FAULT 150\n", "GROUP \"SG\" FAULT 0\n"} {
		if poll(time.Second, func() bool { return strings.Contains(fifo.String(), want) }).IsZero() {
			t.Errorf("FIFO lacks %q:\n%s", want, fifo.String())
		}
	}
	if poll(time.Second, func() bool {
		return strings.Contains(strings.Join(readNotes(l.dir), "\n"), "[generic][GROUP][SG][FAULT][0]")
	}).IsZero() {
		t.Errorf("group notify did not get GROUP SG FAULT 0: %q", readNotes(l.dir))
	}
	mac0 := l.r[0].Interface("eth0").HardwareAddr.String()
	if !sawAdvert(l, 60, 0, mac0, time.Second) {
		t.Error("no priority-0 advert for VI_A on LAN A from the faulted master")
	}
	mac1B := l.r[1].Interface("eth1").HardwareAddr.String()
	if poll(2*time.Second, func() bool {
		for _, a := range adverts(capB, 61) {
			if a.priority == 100 && a.srcMAC.String() == mac1B {
				return true
			}
		}
		return false
	}).IsZero() {
		t.Error("no VI_B advert from the new master on LAN B")
	}

	m0 = d[0].mark()
	brB.IP("link", "set", "q0", "up")
	waitAddr(t, l.r[0].NS, "eth0", vipA, true, 5*time.Second)
	waitAddr(t, l.r[0].NS, "eth1", vipB, true, 2*time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vipA, false, 2*time.Second)
	waitAddr(t, l.r[1].NS, "eth1", vipB, false, 2*time.Second)
	d[0].mustLog(m0, "(VI_A) Entering MASTER STATE", time.Second)
	d[0].mustLog(m0, "(VI_B) Entering MASTER STATE", time.Second)
	if poll(time.Second, func() bool { return strings.HasSuffix(fifo.String(), "GROUP \"SG\" MASTER 0\n") }).IsZero() {
		t.Errorf("FIFO does not end with the group's MASTER line:\n%s", fifo.String())
	}
	t.Logf("master's FIFO:\n%s", fifo.String())
}

// TestSyncGroupFIFOStartupOrder: keepalived 2.2.7 writes the group's
// BACKUP line before its members' at start-up (captured:
// `GROUP "SG" BACKUP 0`, `INSTANCE "VI_A" BACKUP 150`, `INSTANCE "VI_B"
// BACKUP 150`), and the group's MASTER line after both members' MASTER
// lines. gokeepalived must write them in the same order.
func TestSyncGroupFIFOStartupOrder(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	fifoPath := filepath.Join(l.dir, "vrrp.fifo")
	fifo := openFIFO(t, fifoPath)
	top := "vrrp_sync_group SG {\n    group {\n        VI_A\n        VI_B\n    }\n}\n"
	startDaemon(t, l.r[0].NS, l.dir, "r0", conf("r0", []string{"vrrp_notify_fifo " + fifoPath}, top,
		inst{name: "VI_A", vrid: 63, priority: 150, vip: "198.51.100.112/24"},
		inst{name: "VI_B", vrid: 64, priority: 150, vip: "198.51.100.113/24"}))
	if poll(5*time.Second, func() bool { return strings.Count(fifo.String(), "\n") >= 6 }).IsZero() {
		t.Fatalf("FIFO:\n%s", fifo.String())
	}
	lines := strings.Split(fifo.String(), "\n")
	wantStart := []string{`GROUP "SG" BACKUP 0`, `INSTANCE "VI_A" BACKUP 150`, `INSTANCE "VI_B" BACKUP 150`}
	if strings.Join(lines[:3], "\n") != strings.Join(wantStart, "\n") {
		t.Errorf("start-up lines %q, want keepalived's %q", lines[:3], wantStart)
	}
	if lines[5] != `GROUP "SG" MASTER 0` {
		t.Errorf("sixth line %q, want the group's MASTER line after both members'", lines[5])
	}
}

// TestSyncGroupTrackScript: a weight-0 track_script on the sync group
// applies to every member, so its failure faults both instances on the
// master and the backup takes both VIPs; when it succeeds again the master
// takes both back.
func TestSyncGroupTrackScript(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	vipA := netip.MustParseAddr("198.51.100.114")
	vipB := netip.MustParseAddr("198.51.100.115")
	up := filepath.Join(l.dir, "up")
	if err := os.WriteFile(up, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var d [2]*daemon
	for i, prio := range []int{150, 100} {
		top := fmt.Sprintf("vrrp_script chk_up {\n    script \"/usr/bin/test -f %s\"\n    interval 0.2\n}\n", up)
		top += "vrrp_sync_group SG {\n    group {\n        VI_A\n        VI_B\n    }\n"
		if i == 0 {
			top += "    track_script {\n        chk_up\n    }\n"
		}
		top += "}\n"
		d[i] = startDaemon(t, l.r[i].NS, l.dir, fmt.Sprintf("r%d", i), conf(fmt.Sprintf("r%d", i), nil, top,
			inst{name: "VI_A", vrid: 65, priority: prio, vip: vipA.String() + "/24"},
			inst{name: "VI_B", vrid: 66, priority: prio, vip: vipB.String() + "/24"}))
	}
	waitAddr(t, l.r[0].NS, "eth0", vipA, true, 5*time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vipB, true, 5*time.Second)
	d[1].mustLog(0, "(VI_B) Entering BACKUP STATE", 5*time.Second)

	m0 := d[0].mark()
	if err := os.Remove(up); err != nil {
		t.Fatal(err)
	}
	d[0].mustLog(m0, "(VI_A) Entering FAULT STATE", 3*time.Second)
	d[0].mustLog(m0, "(VI_B) Entering FAULT STATE", time.Second)
	d[0].mustLog(m0, "(SG) Sync group entering FAULT state", time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vipA, true, 2*time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vipB, true, 2*time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vipA, false, time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vipB, false, time.Second)

	if err := os.WriteFile(up, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitAddr(t, l.r[0].NS, "eth0", vipA, true, 3*time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vipB, true, 3*time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vipA, false, time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vipB, false, time.Second)
}
