package e2e

import (
	"net/netip"
	"testing"
	"time"
)

// RunTieBreak checks the equal-priority rule (RFC 9568 §6.4.3, keepalived
// vrrp_state_master_rx): two masters with the same priority that start
// hearing each other resolve to the one with the higher primary address.
// Both routers start while router 1's bridge port is detached from the
// bridge (the veth stays up, so neither goes to FAULT), become master on their own, and the port is
// enabled: router 0 (198.51.100.1) must yield to router 1 (.2).
func RunTieBreak(t testing.TB, l *Lab, im0, im1 Impl) {
	t.Helper()
	const adv = 100 * time.Millisecond
	vip := netip.MustParseAddr("198.51.100.100")
	conf := func(i int) Conf {
		return Conf{RouterID: "tie", Instances: []Instance{{Name: "VI_1", VRID: VRID, Priority: 100, Version: 3, AdvertInt: "0.1", VIPs: []string{"198.51.100.100/24"}}}}
	}
	port := l.LAN.Hosts[1].Port
	l.LAN.Bridge.IP("link", "set", "dev", port, "nomaster")
	d0 := l.Start(im0, 0, conf(0))
	d1 := l.Start(im1, 1, conf(1))
	defer func() {
		d0.Kill()
		d1.Kill()
		for _, h := range l.Routers[:2] {
			_, _ = h.TryIP("addr", "del", "198.51.100.100/24", "dev", "eth0")
		}
	}()
	for i, h := range l.Routers[:2] {
		if !WaitVIP(h, vip, true, 3*time.Second) {
			t.Fatalf("tie-break: router %d did not become master while isolated", i)
		}
	}
	mark := d0.Mark()
	joined := time.Now()
	l.LAN.Bridge.IP("link", "set", "dev", port, "master", "br0")
	if !WaitVIP(l.Routers[0], vip, false, 2*time.Second) {
		t.Errorf("tie-break: router 0 (%s, lower address) still holds %s after both masters met", im0, vip)
	}
	// From the moment the VIP was seen gone (it is removed on the
	// transition), router 0 must be silent.
	yielded := time.Now().Add(adv / 2)
	time.Sleep(5 * adv)
	if !HasAddr(l.Routers[1].NS, "eth0", vip) {
		t.Errorf("tie-break: router 1 (%s, higher address) lost %s", im1, vip)
	}
	pkts := Between(l.Cap.Packets(), yielded, time.Time{})
	if n := Count(Between(l.Cap.Packets(), joined, yielded), IsAdvertFrom(VRID, l.MAC(1))); n == 0 {
		t.Errorf("tie-break: router 1 (%s) sent nothing between the join and router 0's yield", im1)
	}
	if n := Count(pkts, IsAdvertFrom(VRID, l.MAC(0))); n != 0 {
		t.Errorf("tie-break: router 0 (%s) still sent %d adverts after yielding", im0, n)
	}
	if n := Count(pkts, IsAdvertFrom(VRID, l.MAC(1))); n < 3 {
		t.Errorf("tie-break: router 1 (%s) sent %d adverts as master", im1, n)
	}
	if !d0.WaitLogAfter(mark, "Entering BACKUP STATE", time.Second) {
		t.Errorf("tie-break: router 0 (%s) logged no BACKUP transition", im0)
	}
}
