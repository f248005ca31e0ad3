package ifaddr

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// setup returns a namespace with a veth pair v0/v1 (v0 has 198.51.100.1/24
// and 2001:db8::1/64) and a Manager dialled inside it.
func setup(t *testing.T) (*nettest.NS, *Netlink, int) {
	ns := nettest.NewNS(t, "addr")
	ns.IP("link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP("addr", "add", "198.51.100.1/24", "dev", "v0")
	ns.IP("addr", "add", "2001:db8::1/64", "dev", "v0", "nodad")
	ns.IP("link", "set", "v0", "up")
	ns.IP("link", "set", "v1", "up")
	var m *Netlink
	if err := ns.Do(func() error {
		var err error
		m, err = Dial()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return ns, m, ns.Ifindex("v0")
}

func TestNetlinkAddressOptions(t *testing.T) {
	ns, m, idx := setup(t)
	v4 := Address{Ifindex: idx, Prefix: netip.MustParsePrefix("198.51.100.10/24"), Broadcast: netip.MustParseAddr("198.51.100.255"), Label: "v0:vip"}
	v6 := Address{Ifindex: idx, Prefix: netip.MustParsePrefix("2001:db8::10/128"), NoDAD: true}.WithKeepalivedDefaults()
	peer := Address{Ifindex: idx, Prefix: netip.MustParsePrefix("203.0.113.1/32"), Peer: netip.MustParseAddr("203.0.113.2"), NoPrefixRoute: true}
	for _, a := range []Address{v4, v6, peer} {
		if err := m.AddAddr(a); err != nil {
			t.Fatal(err)
		}
		if err := m.AddAddr(a); err != nil {
			t.Fatalf("second add of %v: %v", a, err)
		}
	}
	out := ns.IP("addr", "show", "dev", "v0")
	for _, want := range []string{
		"inet 198.51.100.10/24 brd 198.51.100.255 scope global secondary v0:vip",
		"inet 203.0.113.1 peer 203.0.113.2/32 scope global noprefixroute v0",
		"inet6 2001:db8::10/128 scope global nodad deprecated",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("ip addr lacks %q:\n%s", want, out)
		}
	}
	list, err := m.ListAddrs(idx)
	if err != nil {
		t.Fatal(err)
	}
	found := map[Key]Address{}
	for _, a := range list {
		found[a.Key()] = a
	}
	if got := found[v6.Key()]; !got.NoDAD || !got.SetPreferredLft || got.PreferredLft != 0 {
		t.Errorf("listed IPv6 VIP %+v: want nodad, preferred 0", got)
	}
	if got := found[peer.Key()]; got.Peer != peer.Peer || !got.NoPrefixRoute {
		t.Errorf("listed peer address %+v", got)
	}
	if got := found[v4.Key()]; got.Label != "v0:vip" || got.Broadcast != v4.Broadcast {
		t.Errorf("listed IPv4 VIP %+v", got)
	}
	for _, a := range []Address{v4, v6, peer} {
		if err := m.DelAddr(a); err != nil {
			t.Fatal(err)
		}
		if err := m.DelAddr(a); err != nil {
			t.Fatalf("second delete of %v: %v", a, err)
		}
	}
	if out := ns.IP("addr", "show", "dev", "v0"); strings.Contains(out, "198.51.100.10") || strings.Contains(out, "2001:db8::10/") || strings.Contains(out, "203.0.113.1") {
		t.Fatalf("addresses left after delete:\n%s", out)
	}
}

func TestNetlinkReconcile(t *testing.T) {
	ns, m, idx := setup(t)
	vip1 := Address{Ifindex: idx, Prefix: netip.MustParsePrefix("198.51.100.10/32")}
	vip2 := Address{Ifindex: idx, Prefix: netip.MustParsePrefix("2001:db8::10/128"), NoDAD: true}.WithKeepalivedDefaults()
	stale := Address{Ifindex: idx, Prefix: netip.MustParsePrefix("198.51.100.11/32")}
	ns.IP("addr", "add", "198.51.100.11/32", "dev", "v0") // left by a previous run
	ns.IP("addr", "add", "203.0.113.99/24", "dev", "v0")  // someone else's
	owned := []Address{vip1, vip2, stale}
	desired := []Address{vip1, vip2}

	res, err := Reconcile(m, desired, owned)
	if err != nil || len(res.Added) != 2 || len(res.Removed) != 1 {
		t.Fatalf("first reconcile %+v, %v", res, err)
	}
	if res, err := Reconcile(m, desired, owned); err != nil || res.Ops() != 0 {
		t.Fatalf("second reconcile did %d operations: %+v, %v", res.Ops(), res, err)
	}
	// A VIP deleted behind our back is put back, and only it.
	ns.IP("addr", "del", "198.51.100.10/32", "dev", "v0")
	res, err = Reconcile(m, desired, owned)
	if err != nil || len(res.Added) != 1 || res.Added[0].Key() != vip1.Key() || len(res.Removed) != 0 {
		t.Fatalf("re-add reconcile %+v, %v", res, err)
	}
	// Start-up cleanup removes configured VIPs only.
	res, err = RemoveConfigured(m, owned)
	if err != nil || len(res.Removed) != 2 {
		t.Fatalf("RemoveConfigured %+v, %v", res, err)
	}
	out := ns.IP("addr", "show", "dev", "v0")
	if !strings.Contains(out, "203.0.113.99/24") || !strings.Contains(out, "198.51.100.1/24") || !strings.Contains(out, "2001:db8::1/64") {
		t.Fatalf("foreign addresses touched:\n%s", out)
	}
	if strings.Contains(out, "198.51.100.10") || strings.Contains(out, "2001:db8::10/") {
		t.Fatalf("VIPs left after RemoveConfigured:\n%s", out)
	}
}

func TestNetlinkRoutesRules(t *testing.T) {
	ns, m, idx := setup(t)
	routes := []Route{
		{Dst: netip.MustParsePrefix("203.0.113.0/25"), Gateway: netip.MustParseAddr("198.51.100.2"), Table: 100, Metric: 5},
		{Dst: netip.MustParsePrefix("203.0.113.128/25"), Ifindex: idx, Table: 100},
		{Dst: netip.MustParsePrefix("2001:db8:1::/48"), Gateway: netip.MustParseAddr("2001:db8::2"), Ifindex: idx, Table: 1000},
	}
	rules := []Rule{
		{Src: netip.MustParsePrefix("198.51.100.10/32"), Table: 100, Priority: 1000},
		{IPv6: true, FwMark: 7, Table: 1000, Priority: 1001},
	}
	for _, r := range routes {
		if err := m.AddRoute(r); err != nil {
			t.Fatal(err)
		}
		if err := m.AddRoute(r); err != nil {
			t.Fatalf("second add: %v", err)
		}
	}
	for _, r := range rules {
		if err := m.AddRule(r); err != nil {
			t.Fatal(err)
		}
	}
	checks := []struct {
		args []string
		want string
	}{
		{[]string{"route", "show", "table", "100"}, "203.0.113.0/25 via 198.51.100.2 dev v0 metric 5"},
		{[]string{"route", "show", "table", "100"}, "203.0.113.128/25 dev v0 scope link"},
		{[]string{"-6", "route", "show", "table", "1000"}, "2001:db8:1::/48 via 2001:db8::2 dev v0"},
		{[]string{"rule", "show"}, "1000:\tfrom 198.51.100.10 lookup 100"},
		{[]string{"-6", "rule", "show"}, "1001:\tfrom all fwmark 0x7 lookup 1000"},
	}
	for _, c := range checks {
		if out := ns.IP(c.args...); !strings.Contains(out, c.want) {
			t.Errorf("ip %v lacks %q:\n%s", c.args, c.want, out)
		}
	}
	for _, r := range routes {
		if err := m.DelRoute(r); err != nil {
			t.Fatal(err)
		}
		if err := m.DelRoute(r); err != nil {
			t.Fatalf("second delete: %v", err)
		}
	}
	for _, r := range rules {
		if err := m.DelRule(r); err != nil {
			t.Fatal(err)
		}
		if err := m.DelRule(r); err != nil {
			t.Fatalf("second rule delete: %v", err)
		}
	}
	if out := ns.IP("route", "show", "table", "100"); out != "" {
		t.Errorf("routes left: %s", out)
	}
	if out := ns.IP("rule", "show"); strings.Contains(out, "lookup 100") {
		t.Errorf("rule left: %s", out)
	}
}
