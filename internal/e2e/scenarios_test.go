package e2e

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

const (
	scAdv     = 100 * time.Millisecond
	scAdvText = "0.1"
)

var scVIP = netip.MustParseAddr("198.51.100.100")

func scInstance(prio int) Instance {
	return Instance{Name: "VI_1", VRID: VRID, Priority: prio, Version: 3, AdvertInt: scAdvText, VIPs: []string{"198.51.100.100/24"}}
}

func one(in Instance) Conf { return Conf{Instances: []Instance{in}} }

// startMaster starts router i alone with conf and waits until it holds the VIP.
func startMaster(t *testing.T, l *Lab, im Impl, i int, c Conf) *Daemon {
	t.Helper()
	d := l.Start(im, i, c)
	if !WaitVIP(l.Routers[i], scVIP, true, 3*time.Second) {
		t.Fatalf("router %d never became master\n%s", i, d.Log())
	}
	return d
}

// TestPreemptOnReturn: the higher-priority router comes back after a crash,
// waits its own Master_Down_Interval in BACKUP (discarding the lower-priority
// adverts, reference §6.5), then takes over; the old master yields at once.
func TestPreemptOnReturn(t *testing.T) {
	im := impl()
	requireImpl(t, im)
	l := NewLab(t, 2)
	d0 := startMaster(t, l, im, 0, one(scInstance(150)))
	l.Start(im, 1, one(scInstance(100)))
	time.Sleep(3 * scAdv)
	d0.Crash()
	if !WaitVIP(l.Routers[1], scVIP, true, 2*time.Second) {
		t.Fatal("backup did not take over after the crash")
	}
	time.Sleep(3 * scAdv)
	back := l.Start(im, 0, one(scInstance(150)))
	first, ok := l.Cap.WaitPkt(back.Started, 3*time.Second, IsAdvertFrom(VRID, l.MAC(0)))
	if !ok {
		t.Fatal("returning router never advertised")
	}
	// From the process start: the start-up itself (exec, config, sockets)
	// comes on top of the RFC interval, up to 150 ms on a loaded machine.
	md := MasterDown(3, scAdv, 150)
	if d := first.At.Sub(back.Started); d < md-GapEarly || d > md+150*time.Millisecond {
		t.Errorf("returning router took over %v after its start, Master_Down_Interval is %v", d, md)
	}
	if first.Prio != 150 {
		t.Errorf("returning router advertised priority %d", first.Prio)
	}
	if !WaitVIP(l.Routers[1], scVIP, false, time.Second) || !WaitVIP(l.Routers[0], scVIP, true, time.Second) {
		t.Error("VIP did not move back to the higher-priority router")
	}
	time.Sleep(3 * scAdv)
	if n := Count(Between(l.Cap.Packets(), first.At.Add(scAdv/2), time.Time{}), IsAdvertFrom(VRID, l.MAC(1))); n != 0 {
		t.Errorf("old master sent %d adverts after the preemption", n)
	}
}

// TestNopreempt: a higher-priority router with nopreempt joining a running
// master stays BACKUP (and silent) until the master fails.
func TestNopreempt(t *testing.T) {
	im := impl()
	requireImpl(t, im)
	l := NewLab(t, 2)
	d1 := startMaster(t, l, im, 1, one(scInstance(100)))
	in := scInstance(150)
	in.Nopreempt = true
	d0 := l.Start(im, 0, one(in))
	time.Sleep(10 * scAdv)
	if n := Count(Between(l.Cap.Packets(), d0.Started, time.Time{}), IsAdvertFrom(VRID, l.MAC(0))); n != 0 {
		t.Errorf("nopreempt router sent %d adverts while a lower-priority master ran", n)
	}
	if HasAddr(l.Routers[0].NS, "eth0", scVIP) || !HasAddr(l.Routers[1].NS, "eth0", scVIP) {
		t.Error("nopreempt router took the VIP")
	}
	kill := d1.Crash()
	ev, ok := l.Cap.WaitPkt(kill, 2*time.Second, IsAdvertFrom(VRID, l.MAC(0)))
	if !ok || !WaitVIP(l.Routers[0], scVIP, true, time.Second) {
		t.Fatal("nopreempt router did not take over when the master crashed")
	}
	if ev.Prio != 150 {
		t.Errorf("new master advertised priority %d", ev.Prio)
	}
}

// TestPreemptDelay: a higher-priority router with preempt_delay 1 accepts the
// lower-priority master's adverts for a second after start, then preempts.
func TestPreemptDelay(t *testing.T) {
	im := impl()
	requireImpl(t, im)
	l := NewLab(t, 2)
	startMaster(t, l, im, 1, one(scInstance(100)))
	in := scInstance(150)
	in.PreemptDelay = "1"
	d0 := l.Start(im, 0, one(in))
	first, ok := l.Cap.WaitPkt(d0.Started, 4*time.Second, IsAdvertFrom(VRID, l.MAC(0)))
	if !ok {
		t.Fatal("router with preempt_delay never preempted")
	}
	// Earliest: the delay runs out, then the discarded adverts leave the
	// down timer to expire (Master_Down_Interval). Latest: plus start-up and
	// one advert interval of phase.
	lo := time.Second
	hi := time.Second + MasterDown(3, scAdv, 150) + scAdv + 200*time.Millisecond
	if d := first.At.Sub(d0.Started); d < lo || d > hi {
		t.Errorf("preempted %v after start, want between %v and %v", d, lo, hi)
	}
	if !WaitVIP(l.Routers[0], scVIP, true, time.Second) || !WaitVIP(l.Routers[1], scVIP, false, time.Second) {
		t.Error("VIP did not move to the preempting router")
	}
}

// TestTrackInterfaceFault: the master's tracked interface goes down, it
// enters FAULT (priority 0 advert, VIP removed) and the backup takes over
// after Skew; when the link comes back it preempts again.
func TestTrackInterfaceFault(t *testing.T) {
	im := impl()
	requireImpl(t, im)
	l := NewLab(t, 2)
	r0 := l.Routers[0]
	// A veth pair inside the router: the test kernel has no dummy driver.
	r0.IP("link", "add", "trk0", "type", "veth", "peer", "name", "trk1")
	r0.IP("link", "set", "trk1", "up")
	r0.IP("link", "set", "trk0", "up")
	in := scInstance(150)
	in.TrackIfaces = []string{"trk0"}
	d0 := startMaster(t, l, im, 0, one(in))
	l.Start(im, 1, one(scInstance(100)))
	time.Sleep(5 * scAdv)
	mark := d0.Mark()
	down := time.Now()
	r0.IP("link", "set", "trk0", "down")
	p0, ok := l.Cap.WaitPkt(down, time.Second, func(p Pkt) bool { return IsAdvertFrom(VRID, l.MAC(0))(p) && p.Prio == 0 })
	if !ok {
		t.Error("master entering FAULT sent no priority-0 advert")
	}
	if !WaitVIP(r0, scVIP, false, time.Second) {
		t.Error("master in FAULT kept the VIP")
	}
	first, ok2 := l.Cap.WaitPkt(down, 2*time.Second, IsAdvertFrom(VRID, l.MAC(1)))
	if !ok2 || !WaitVIP(l.Routers[1], scVIP, true, time.Second) {
		t.Fatal("backup did not take over from the faulty master")
	}
	if ok {
		if g, w := first.At.Sub(p0.At), Skew(3, scAdv, 100); g-w < -GapEarly || g-w > GapLate {
			t.Errorf("takeover %v after priority 0, Skew is %v", g, w)
		}
	}
	if !d0.WaitLogAfter(mark, "Entering FAULT STATE", time.Second) {
		t.Errorf("no FAULT transition logged:\n%s", d0.LogAfter(mark))
	}
	r0.IP("link", "set", "trk0", "up")
	if !WaitVIP(r0, scVIP, true, 3*time.Second) {
		t.Error("router did not preempt again after its tracked link came back")
	}
}

// TestEqualPriority: the higher primary address wins between equal priorities.
func TestEqualPriority(t *testing.T) {
	im := impl()
	requireImpl(t, im)
	RunTieBreak(t, NewLab(t, 2), im, im)
}

// TestReloadAddsInstance: SIGHUP with a configuration that adds an instance
// starts it, and the unchanged instance neither flaps nor stops advertising.
func TestReloadAddsInstance(t *testing.T) {
	im := impl()
	requireImpl(t, im)
	l := NewLab(t, 1)
	watch := NewAddrWatch(t, l.Routers[0].NS)
	d := startMaster(t, l, im, 0, one(scInstance(150)))
	time.Sleep(5 * scAdv)
	vip2 := netip.MustParseAddr("198.51.100.101")
	in2 := Instance{Name: "VI_2", VRID: VRID + 1, Priority: 150, Version: 3, AdvertInt: scAdvText, VIPs: []string{"198.51.100.101/24"}}
	mark, hup := reloadUntilVIP(t, l, d, Conf{Instances: []Instance{scInstance(150), in2}}, vip2, "added instance never became master")
	noRemovalSince(t, watch, scVIP, hup, "the unchanged instance's VIP")
	if !HasAddr(l.Routers[0].NS, "eth0", scVIP) {
		t.Error("unchanged instance's VIP is gone after the reload")
	}
	after := d.LogAfter(mark)
	for _, line := range strings.Split(after, "\n") {
		if strings.Contains(line, "(VI_1)") && strings.Contains(line, "Entering") {
			t.Errorf("unchanged instance changed state on reload: %s", line)
		}
	}
	adv1 := Filter(Between(l.Cap.Packets(), hup.Add(-2*scAdv), time.Time{}), IsAdvertFrom(VRID, l.MAC(0)))
	if g := MaxGap(adv1); len(adv1) < 5 || g > scAdv+GapLate {
		t.Errorf("unchanged instance: %d adverts around the reload, max gap %v", len(adv1), g)
	}
	if n := Count(adv1, func(p Pkt) bool { return p.Prio != 150 }); n != 0 {
		t.Errorf("unchanged instance sent %d adverts with another priority around the reload", n)
	}
	if n := Count(Between(l.Cap.Packets(), hup, time.Time{}), IsAdvertFrom(VRID+1, l.MAC(0))); n < 3 {
		t.Errorf("added instance sent %d adverts", n)
	}
}

// TestReloadChangesInPlace: SIGHUP with a new priority and an extra VIP for the master keeps it
// MASTER (keepalived keeps an instance's state across a reload): its VIP is never removed, the new
// VIP is added, and the adverts go on without a gap, now with the new priority.
func TestReloadChangesInPlace(t *testing.T) {
	im := impl()
	requireImpl(t, im)
	l := NewLab(t, 1)
	watch := NewAddrWatch(t, l.Routers[0].NS)
	d := startMaster(t, l, im, 0, one(scInstance(150)))
	time.Sleep(5 * scAdv)
	vip2 := netip.MustParseAddr("198.51.100.102")
	changed := scInstance(160)
	changed.VIPs = append(changed.VIPs, "198.51.100.102/24")
	mark, hup := reloadUntilVIP(t, l, d, one(changed), vip2, "the added VIP never appeared")
	noRemovalSince(t, watch, scVIP, hup, "the master's VIP")
	for _, line := range strings.Split(d.LogAfter(mark), "\n") {
		if strings.Contains(line, "(VI_1)") && strings.Contains(line, "Entering") {
			t.Errorf("instance changed state on reload: %s", line)
		}
	}
	adv := Filter(Between(l.Cap.Packets(), hup.Add(-2*scAdv), time.Time{}), IsAdvertFrom(VRID, l.MAC(0)))
	if g := MaxGap(adv); len(adv) < 5 || g > scAdv+GapLate {
		t.Errorf("%d adverts around the reload, max gap %v", len(adv), g)
	}
	if n := Count(adv, func(p Pkt) bool { return p.Prio == 0 }); n != 0 {
		t.Errorf("%d priority-0 adverts: the instance was stopped", n)
	}
	last, ok := LastBefore(l.Cap.Packets(), time.Now(), IsAdvertFrom(VRID, l.MAC(0)))
	if !ok || last.Prio != 160 {
		t.Errorf("last advert %+v, want priority 160", last)
	}
}

// reloadUntilVIP writes conf, sends SIGHUP and waits until vip is on router 0, then lets five
// adverts pass. It returns the log mark and the time of the signal.
func reloadUntilVIP(t *testing.T, l *Lab, d *Daemon, conf Conf, vip netip.Addr, failure string) (int, time.Time) {
	t.Helper()
	d.WriteConf(conf)
	mark := d.Mark()
	hup := time.Now()
	d.Signal(syscallHUP)
	if !WaitVIP(l.Routers[0], vip, true, 3*time.Second) {
		t.Fatalf("%s:\n%s", failure, d.LogAfter(mark))
	}
	time.Sleep(5 * scAdv)
	return mark, hup
}

// noRemovalSince fails if addr was deleted at or after since.
func noRemovalSince(t *testing.T, w *AddrWatch, addr netip.Addr, since time.Time, what string) {
	t.Helper()
	for _, e := range w.Events() {
		if e.Addr == addr && !e.New && !e.At.Before(since) {
			t.Errorf("reload removed %s at %v", what, e.At.Sub(since))
		}
	}
}
