package e2e

import (
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	nft "github.com/google/nftables"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// TestStrictNoAccept: under vrrp_strict a non-owner master drops traffic to its VIPs (the
// "VIP not pingable" keepalived users know), an instance with accept (VRRPv3) still answers,
// an IPv6 VIP stays resolvable by neighbour discovery, and a clean stop deletes the table.
func TestStrictNoAccept(t *testing.T) {
	im := impl()
	requireImpl(t, im)
	l := NewLab(t, 1)
	r := l.Routers[0]
	filtered := netip.MustParseAddr("198.51.100.100")
	accepted := netip.MustParseAddr("198.51.100.101")
	filtered6 := netip.MustParseAddr("2001:db8::100")
	conf := Conf{Global: []string{"vrrp_strict", "nftables gk_strict"}, Instances: []Instance{
		{Name: "VI_NOACCEPT", VRID: 51, Priority: 100, Version: 2, AdvertInt: "1", VIPs: []string{"198.51.100.100/24"}},
		{Name: "VI_ACCEPT", VRID: 52, Priority: 100, Version: 3, AdvertInt: "1", VIPs: []string{"198.51.100.101/24"}, Extra: []string{"accept"}},
		{Name: "VI_V6", VRID: 53, Priority: 100, Version: 3, AdvertInt: "1", VIPs: []string{"fe80::100/64", "2001:db8::100/64"}},
	}}
	d := l.Start(im, 0, conf)
	for _, a := range []netip.Addr{filtered, accepted, filtered6} {
		if !WaitVIP(r, a, true, 6*time.Second) {
			t.Fatalf("router never installed %s\n%s", a, d.Log())
		}
	}
	if !hasKeepalivedTable(t, r.NS) {
		t.Fatalf("no gk_strict table (the filter) while master\n%s", d.Log())
	}

	// ping reports whether dst answers: ping(8) exits 0 when any reply came back.
	ping := func(dst netip.Addr) bool {
		t.Helper()
		args := []string{"-n", "-c", "2", "-i", "0.2", "-W", "1", dst.String()}
		if dst.Is6() {
			args = append([]string{"-6"}, args...)
		}
		return l.Client.Command(t.Context(), "ping", args...).Run() == nil
	}
	if !ping(netip.MustParseAddr("198.51.100.1")) {
		t.Error("the router's own address does not answer ping")
	}
	if !ping(accepted) {
		t.Error("the VIP of the instance with accept does not answer ping")
	}
	if ping(filtered) {
		t.Error("the no_accept VIP answers ping under vrrp_strict")
	}
	if ping(filtered6) {
		t.Error("the no_accept IPv6 VIP answers ping under vrrp_strict")
	}
	// The ping above made the client solicit the IPv6 VIP: the router's advert must have got
	// through the filter, so the client knows the router's MAC for it.
	neigh := l.Client.IP("-6", "neigh", "show", filtered6.String(), "dev", "eth0")
	if !strings.Contains(neigh, "lladdr "+l.MAC(0)) {
		t.Errorf("client did not resolve the filtered IPv6 VIP: %q (router MAC %s)", neigh, l.MAC(0))
	}
	if strings.Contains(d.Log(), "no_accept: cannot") {
		t.Errorf("the filter failed:\n%s", d.Log())
	}

	d.Stop()
	if !d.WaitExit(10 * time.Second) {
		t.Fatalf("daemon did not exit after SIGTERM\n%s", d.Log())
	}
	if hasKeepalivedTable(t, r.NS) {
		t.Errorf("the filter table is left after a clean stop\n%s", d.Log())
	}
}

// hasKeepalivedTable reports whether ns has the filter's table (named by the test's `nftables
// gk_strict`) in any family, and fails if one has keepalived's default name instead.
func hasKeepalivedTable(t *testing.T, ns *nettest.NS) bool {
	t.Helper()
	f, err := os.Open(ns.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := nft.New(nft.WithNetNSFd(int(f.Fd())))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := c.ListTables()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tb := range tables {
		if tb.Name == "keepalived" {
			t.Errorf("table %q: the configured name (nftables gk_strict) was not used", tb.Name)
		}
		found = found || tb.Name == "gk_strict"
	}
	return found
}
