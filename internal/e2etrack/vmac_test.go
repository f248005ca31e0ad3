package e2etrack

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// TestVMAC: with use_vmac the master has a private macvlan "vrrp.51" on
// eth0 with the RFC 9568 §7.3 virtual MAC 00:00:5e:00:01:33, the VIP lives
// on it, its adverts and gratuitous ARPs leave with the virtual MAC as
// Ethernet source (and ARP sender), and the macvlan is gone after SIGTERM.
func TestVMAC(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	vip := netip.MustParseAddr("198.51.100.111")
	const vmacName, vmacAddr = "vrrp.51", "00:00:5e:00:01:33"
	var d [2]*daemon
	for i, prio := range []int{150, 100} {
		in := inst{name: "VI_1", vrid: 51, priority: prio, vip: vip.String() + "/24", extra: []string{"use_vmac"}}
		d[i] = startDaemon(t, l.r[i].NS, l.dir, "r"+string(rune('0'+i)), conf("r"+string(rune('0'+i)), nil, "", in))
	}
	up := waitAddr(t, l.r[0].NS, vmacName, vip, true, 5*time.Second)
	d[0].mustLog(0, "(VI_1) using VMAC vrrp.51", time.Second)
	if hasAddr(l.r[0].NS, "eth0", vip) {
		t.Error("VIP on the base interface eth0 as well as on the VMAC")
	}
	link := l.r[0].IP("-d", "link", "show", "dev", vmacName)
	for _, want := range []string{"link/ether " + vmacAddr, "@eth0", "macvlan mode private"} {
		if !strings.Contains(link, want) {
			t.Errorf("%s on the master lacks %q:\n%s", vmacName, want, link)
		}
	}
	d[1].mustLog(0, "(VI_1) Entering BACKUP STATE", 5*time.Second)

	// The wire, seen from the client: adverts and GARPs from the VMAC.
	if _, ok := l.cap.WaitFor(2*time.Second, func(f nettest.Frame) bool {
		a, ok := parseAdvert(f)
		return ok && a.vrid == 51 && a.priority == 150 && a.srcMAC.String() == vmacAddr
	}); !ok {
		t.Error("no priority-150 advert with Ethernet source " + vmacAddr)
	}
	if _, ok := l.cap.WaitFor(2*time.Second, func(f nettest.Frame) bool {
		eth, sha, ok := isGARP(f, vip)
		return ok && eth.String() == vmacAddr && sha.String() == vmacAddr
	}); !ok {
		t.Error("no gratuitous ARP for the VIP from " + vmacAddr)
	}
	mac0 := l.r[0].Interface("eth0").HardwareAddr.String()
	var nAdv, nGARP int
	for _, f := range l.cap.Frames() {
		if a, ok := parseAdvert(f); ok && a.srcMAC.String() == vmacAddr {
			nAdv++
		}
		if eth, _, ok := isGARP(f, vip); ok && eth.String() == vmacAddr {
			nGARP++
		}
	}
	t.Logf("%s on the master: %s; from %s so far: %d adverts, %d GARPs", vmacName, strings.Fields(link)[1], vmacAddr, nAdv, nGARP)
	for _, f := range l.cap.Frames() {
		if a, ok := parseAdvert(f); ok && a.vrid == 51 && a.srcMAC.String() == mac0 && a.at.After(up) {
			t.Errorf("advert from the base MAC %s after the VMAC came up", mac0)
			break
		}
	}

	// A clean stop removes the macvlan; the backup takes over.
	d[0].stop(5 * time.Second)
	if out, err := l.r[0].TryIP("link", "show", "dev", vmacName); err == nil {
		t.Errorf("%s still exists after stop:\n%s", vmacName, out)
	}
	waitAddr(t, l.r[1].NS, vmacName, vip, true, 2*time.Second)
}
