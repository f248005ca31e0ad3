package e2e

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// Case is a two-router failover: router 0 is the master (priority 150),
// router 1 the backup (100); the master is crashed or stopped and the backup
// must take over on the RFC schedule.
type Case struct {
	Name    string
	Version int
	// Adv is the advert interval; AdvText is how the configuration says it.
	Adv     time.Duration
	AdvText string
	// Family is 4 or 6.
	Family   int
	Unicast  bool
	AuthPass string
	// Stop is a clean stop (SIGTERM, priority 0) instead of a crash.
	Stop bool
}

// Priorities of the two routers in every Case.
const (
	MasterPrio = 150
	BackupPrio = 100
)

// VRID is the virtual router every Case uses.
const VRID = 51

// VIP is the Case's virtual address.
func (c Case) VIP() netip.Prefix {
	if c.Family == 6 {
		return netip.MustParsePrefix("2001:db8::100/64")
	}
	return netip.MustParsePrefix("198.51.100.100/24")
}

// Conf is the configuration of router i (0 master, 1 backup).
func (c Case) Conf(l *Lab, i int) Conf {
	prio := MasterPrio
	if i == 1 {
		prio = BackupPrio
	}
	in := Instance{Name: "VI_1", VRID: VRID, Priority: prio, Version: c.Version, AdvertInt: c.AdvText,
		VIPs: []string{c.VIP().String()}, AuthPass: c.AuthPass}
	if c.Unicast {
		self, peer := l.Routers[i], l.Routers[1-i]
		if c.Family == 6 {
			in.UnicastSrc, in.UnicastPeers = self.V6.Addr().String(), []string{peer.V6.Addr().String()}
		} else {
			in.UnicastSrc, in.UnicastPeers = self.V4.Addr().String(), []string{peer.V4.Addr().String()}
		}
	}
	return Conf{RouterID: fmt.Sprintf("r%d", i), Instances: []Instance{in}}
}

// Result is what one failover measured. Durations are from the kill (the
// moment before the signal) unless said otherwise.
type Result struct {
	KillToVIP      time.Duration
	KillToAdvert   time.Duration
	KillToAnnounce time.Duration
	// Gap is the last advert of the old master (the priority-0 one on a
	// clean stop) to the first advert of the new master; Want is the RFC
	// interval it should equal: Master_Down_Interval after a crash, Skew
	// after priority 0.
	Gap, Want time.Duration
	// MasterLog and BackupLog are the daemons' logs at the end of the run.
	MasterLog, BackupLog string
}

// GapTolerance bounds Gap − Want. Both frames are timestamped by the kernel
// on the same client interface after the same bridge path, so path delays
// cancel; the backup arms its timer when it receives the last advert (tens of
// µs after the client sees it), hence the small early bound. Lateness is
// timer and scheduling latency of the backup process on a loaded 2-core
// machine (`make test` runs packages in parallel, some with -race), hence
// the wider late bound (stalls of 30-40 ms were seen for both daemons at
// load average 2-5 on 2 cores). The benchmark reports the real figures.
const (
	GapEarly = 2 * time.Millisecond
	GapLate  = 30 * time.Millisecond
)

// RunFailover starts master and backup, checks the steady state (one
// master, VIP only there, no adverts from the backup), fails the master over
// and measures the takeover. Protocol deviations are reported with t.Errorf;
// a takeover that does not happen is fatal.
func RunFailover(t testing.TB, l *Lab, master, backup Impl, c Case) (r Result) {
	t.Helper()
	vip := c.VIP().Addr()
	mMAC, bMAC := l.MAC(0), l.MAC(1)
	watch := NewAddrWatch(t, l.Routers[1].NS)
	defer watch.Close()

	dm := l.Start(master, 0, c.Conf(l, 0))
	db := l.Start(backup, 1, c.Conf(l, 1))
	defer func() {
		dm.Kill()
		db.Kill()
		r.MasterLog, r.BackupLog = dm.Log(), db.Log()
		// A crashed master leaves its VIP behind, as a real crash does.
		for _, h := range l.Routers[:2] {
			_, _ = h.TryIP("addr", "del", c.VIP().String(), "dev", "eth0")
		}
	}()

	startTimeout := 2*MasterDown(c.Version, c.Adv, BackupPrio) + 3*time.Second
	if !WaitVIP(l.Routers[0], vip, true, startTimeout) {
		t.Fatalf("%s: master (%s) never got %s\n%s log:\n%s", c.Name, master, vip, master, dm.Log())
	}
	// Long enough for a few adverts; the window starts a little after the
	// VIP appeared because at 10 ms intervals the backup may have been
	// master for a moment during the start-up race.
	settle := 5 * c.Adv
	if c.Adv >= time.Second {
		settle = 2*c.Adv + c.Adv/2
	}
	if settle < 300*time.Millisecond {
		settle = 300 * time.Millisecond
	}
	steadyFrom := time.Now().Add(min(2*c.Adv, 100*time.Millisecond))
	time.Sleep(settle)
	if HasAddr(l.Routers[1].NS, "eth0", vip) {
		t.Errorf("%s: backup (%s) holds %s while the master runs", c.Name, backup, vip)
	}
	steady := Between(l.Cap.Packets(), steadyFrom, time.Time{})
	// keepalived against itself is the reference: at 10 ms its backup
	// sometimes times out once more after the start-up election (seen in
	// the benchmark); that is recorded, not failed. With gokeepalived on
	// either side an advert from the backup is a real fault.
	steadyReport := t.Errorf
	if master == Keepalived && backup == Keepalived {
		steadyReport = t.Logf
	}
	if n := Count(steady, IsAdvertFrom(VRID, bMAC)); n != 0 {
		steadyReport("%s: backup (%s) sent %d adverts while the master (%s) was up: it does not accept the master's adverts", c.Name, backup, n, master)
	}
	madv := Filter(steady, IsAdvertFrom(VRID, mMAC))
	if len(madv) < 2 {
		t.Fatalf("%s: master (%s) sent %d adverts in %v", c.Name, master, len(madv), settle)
	}
	checkAdvert(t, c, l, madv[len(madv)-1], MasterPrio, 0)

	var kill time.Time
	if c.Stop {
		kill = dm.Stop()
	} else {
		kill = dm.Crash()
	}
	wait := MasterDown(c.Version, c.Adv, BackupPrio) + 2*time.Second
	ev, ok := watch.Wait(vip, true, kill, wait)
	if !ok {
		t.Fatalf("%s: backup (%s) did not add %s within %v of the kill", c.Name, backup, vip, wait)
	}
	first, ok := l.Cap.WaitPkt(kill, wait, IsAdvertFrom(VRID, bMAC))
	if !ok {
		t.Fatalf("%s: no advert from the new master (%s)", c.Name, backup)
	}
	ann, annOK := l.Cap.WaitPkt(kill, wait, IsAnnounceFor(vip, bMAC))
	if !annOK {
		t.Errorf("%s: new master (%s) sent no gratuitous ARP/NA for %s", c.Name, backup, vip)
	}
	checkAdvert(t, c, l, first, BackupPrio, 1)
	r.KillToVIP, r.KillToAdvert = ev.At.Sub(kill), first.At.Sub(kill)
	if annOK {
		r.KillToAnnounce = ann.At.Sub(kill)
		if c.Family == 6 && (!ann.Override || ann.Router || ann.Src != vip) {
			t.Errorf("%s: NA for %s from %s override %v router %v; want from the VIP, Override only (forwarding is off)", c.Name, vip, ann.Src, ann.Override, ann.Router)
		}
		if c.Family == 4 && (ann.ARPOp != 1 || ann.ARPTHA.String() != "ff:ff:ff:ff:ff:ff") {
			t.Errorf("%s: GARP op %d tha %s, keepalived sends a request with tha ff:ff:ff:ff:ff:ff", c.Name, ann.ARPOp, ann.ARPTHA)
		}
	}
	pkts := l.Cap.Packets()
	if c.Stop {
		p0, ok := FirstAfter(pkts, kill, func(p Pkt) bool { return IsAdvertFrom(VRID, mMAC)(p) && p.Prio == 0 })
		if !ok {
			t.Fatalf("%s: stopped master (%s) sent no priority-0 advert", c.Name, master)
		}
		r.Gap, r.Want = first.At.Sub(p0.At), Skew(c.Version, c.Adv, BackupPrio)
		if !WaitVIP(l.Routers[0], vip, false, 2*time.Second) {
			t.Errorf("%s: stopped master (%s) left %s configured", c.Name, master, vip)
		}
	} else {
		last, ok := LastBefore(pkts, kill, IsAdvertFrom(VRID, mMAC))
		if !ok {
			t.Fatalf("%s: no advert of the master before the kill", c.Name)
		}
		r.Gap, r.Want = first.At.Sub(last.At), MasterDown(c.Version, c.Adv, BackupPrio)
	}
	if d := r.Gap - r.Want; d < -GapEarly || d > GapLate {
		t.Errorf("%s (%s→%s): takeover gap %v, RFC says %v (tolerance -%v/+%v)", c.Name, master, backup, r.Gap, r.Want, GapEarly, GapLate)
	}
	// The new master keeps advertising at its interval.
	time.Sleep(max(3*c.Adv, 500*time.Millisecond))
	// keepalived's default garp_master_repeat is 5 frames at once (§6.7).
	if annOK {
		burst := Count(Between(l.Cap.Packets(), ann.At, ann.At.Add(500*time.Millisecond)), IsAnnounceFor(vip, bMAC))
		if burst != 5 {
			reportFor(t, backup)("%s: new master (%s) sent %d GARP/NA in its first burst, keepalived sends 5", c.Name, backup, burst)
		}
	}
	after := Filter(Between(l.Cap.Packets(), first.At, time.Time{}), IsAdvertFrom(VRID, bMAC))
	if g, at := MaxGapAt(after); len(after) < 3 || g > c.Adv+GapLate {
		// keepalived is the reference, not under test: its own lapses
		// (seen: a 75 ms gap at advert_int 0.05 right after taking over)
		// are recorded, not failed.
		reportFor(t, backup)("%s: new master (%s) sent %d adverts, max gap %v (ending %v after its first advert) for advert_int %v", c.Name, backup, len(after), g, at.Sub(first.At), c.Adv)
	}
	return r
}

// checkAdvert compares an advert with what router i should send.
func checkAdvert(t testing.TB, c Case, l *Lab, p Pkt, prio uint8, i int) {
	t.Helper()
	var errs []string
	if int(p.Version) != c.Version {
		errs = append(errs, fmt.Sprintf("version %d", p.Version))
	}
	if p.Prio != prio {
		errs = append(errs, fmt.Sprintf("priority %d, want %d", p.Prio, prio))
	}
	if p.AdvInt != c.Adv {
		errs = append(errs, fmt.Sprintf("interval %v, want %v", p.AdvInt, c.Adv))
	}
	if len(p.Addrs) != 1 || p.Addrs[0] != c.VIP().Addr() {
		errs = append(errs, fmt.Sprintf("addresses %v", p.Addrs))
	}
	switch {
	case c.Unicast && c.Family == 4:
		if p.Dst != l.Routers[1-i].V4.Addr() || p.TTL != 255 {
			errs = append(errs, fmt.Sprintf("unicast to %s ttl %d", p.Dst, p.TTL))
		}
	case c.Unicast:
		if p.Dst != l.Routers[1-i].V6.Addr() {
			errs = append(errs, fmt.Sprintf("unicast to %s", p.Dst))
		}
	case c.Family == 4:
		if p.Dst != netip.MustParseAddr("224.0.0.18") || p.TTL != 255 {
			errs = append(errs, fmt.Sprintf("to %s ttl %d", p.Dst, p.TTL))
		}
	default:
		if p.Dst != netip.MustParseAddr("ff02::12") || p.TTL != 255 || !p.Src.IsLinkLocalUnicast() {
			errs = append(errs, fmt.Sprintf("from %s to %s hop limit %d", p.Src, p.Dst, p.TTL))
		}
	}
	if c.Version == 2 && c.Family == 4 {
		want := make([]byte, 8)
		copy(want, c.AuthPass)
		wantType := uint8(0)
		if c.AuthPass != "" {
			wantType = 1
		}
		if p.AuthType != wantType || !bytes.Equal(p.AuthData, want) {
			errs = append(errs, fmt.Sprintf("auth type %d data %q", p.AuthType, p.AuthData))
		}
	}
	if len(errs) > 0 {
		t.Errorf("%s: advert from router %d: %s (%s)", c.Name, i, strings.Join(errs, ", "), p)
	}
}

// reportFor fails the test for gokeepalived and only logs for keepalived:
// keepalived is the reference, not under test, so its own lapses (seen: a
// 75 ms advert gap at advert_int 0.05 right after taking over) are recorded.
func reportFor(t testing.TB, im Impl) func(string, ...any) {
	if im == Keepalived {
		return t.Logf
	}
	return t.Errorf
}
