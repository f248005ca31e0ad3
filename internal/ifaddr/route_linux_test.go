package ifaddr

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// setupMultipath returns a namespace with two veth pairs, v0 (198.51.100.1/25,
// 2001:db8:1::1/64) and w0 (198.51.100.129/25, 2001:db8:2::1/64), and a
// Manager dialled inside it.
func setupMultipath(t *testing.T) (ns *nettest.NS, m *Netlink, v0, w0 int) {
	ns = nettest.NewNS(t, "mpath")
	for _, l := range []struct{ name, peer, a4, a6 string }{
		{"v0", "v1", "198.51.100.1/25", "2001:db8:1::1/64"},
		{"w0", "w1", "198.51.100.129/25", "2001:db8:2::1/64"},
	} {
		ns.IP("link", "add", l.name, "type", "veth", "peer", "name", l.peer)
		ns.IP("addr", "add", l.a4, "dev", l.name)
		ns.IP("addr", "add", l.a6, "dev", l.name, "nodad")
		ns.IP("link", "set", l.name, "up")
		ns.IP("link", "set", l.peer, "up")
	}
	if err := ns.Do(func() error {
		var err error
		m, err = Dial()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return ns, m, ns.Ifindex("v0"), ns.Ifindex("w0")
}

// findRoute returns the kernel's route with r's key in r's table.
func findRoute(t *testing.T, m *Netlink, r Route) (Route, bool) {
	t.Helper()
	list, err := m.ListRoutes(r.Table)
	if err != nil {
		t.Fatal(err)
	}
	var found []Route
	for _, c := range list {
		if c.Key() == r.Key() {
			found = append(found, c)
		}
	}
	if len(found) > 1 {
		// This kernel (4.11+) reports a multipath route once, with RTA_MULTIPATH, in both families.
		t.Fatalf("kernel lists %d routes with the key of %s: %v", len(found), r, found)
	}
	if len(found) == 0 {
		return Route{}, false
	}
	return found[0], true
}

// checkPaths fails unless the kernel's route has exactly want's paths: gateway, device,
// weight and onlink, in any order.
func checkPaths(t *testing.T, got Route, want []Nexthop) {
	t.Helper()
	if len(got.Nexthops) != len(want) {
		t.Fatalf("kernel route %s has %d paths, want %d", got, len(got.Nexthops), len(want))
	}
	left := append([]Nexthop(nil), got.Nexthops...)
	for _, w := range want {
		i := -1
		for j, g := range left {
			if g == w {
				i = j
			}
		}
		if i < 0 {
			t.Fatalf("kernel route %s lacks path %+v", got, w)
		}
		left = append(left[:i], left[i+1:]...)
	}
}

func TestNetlinkMultipathLifecycle(t *testing.T) {
	ns, m, v0, w0 := setupMultipath(t)
	tests := []struct {
		name    string
		route   Route
		reweigh int // new weight of the first path
		show    []string
		want    string // in `ip route show` after the first install
	}{
		{
			name: "ipv4",
			route: Route{Dst: netip.MustParsePrefix("203.0.113.0/24"), Table: 100, Nexthops: []Nexthop{
				{Gateway: netip.MustParseAddr("198.51.100.2"), Ifindex: v0, Weight: 2},
				{Gateway: netip.MustParseAddr("198.51.100.130"), Ifindex: w0, Weight: 1},
			}},
			reweigh: 5,
			show:    []string{"route", "show", "table", "100"},
			want:    "nexthop via 198.51.100.2 dev v0 weight 2",
		},
		{
			name: "ipv6",
			route: Route{Dst: netip.MustParsePrefix("2001:db8:100::/48"), Table: 1000, Nexthops: []Nexthop{
				{Gateway: netip.MustParseAddr("2001:db8:1::2"), Ifindex: v0, Weight: 3},
				{Gateway: netip.MustParseAddr("2001:db8:2::2"), Ifindex: w0, Weight: 1},
			}},
			reweigh: 256,
			show:    []string{"-6", "route", "show", "table", "1000"},
			want:    "nexthop via 2001:db8:1::2 dev v0 weight 3",
		},
		{
			name: "ipv4 onlink main table",
			route: Route{Dst: netip.MustParsePrefix("203.0.113.0/25"), Metric: 7, Nexthops: []Nexthop{
				{Gateway: netip.MustParseAddr("198.51.100.200"), Ifindex: v0, Weight: 4, OnLink: true},
				{Gateway: netip.MustParseAddr("198.51.100.130"), Ifindex: w0},
			}},
			reweigh: 1,
			show:    []string{"route", "show"},
			want:    "nexthop via 198.51.100.200 dev v0 weight 4 onlink",
		},
		{
			name: "ipv4 direct path",
			route: Route{Dst: netip.MustParsePrefix("203.0.113.64/26"), Table: 101, Nexthops: []Nexthop{
				{Ifindex: v0, Weight: 2},
				{Gateway: netip.MustParseAddr("198.51.100.130"), Ifindex: w0},
			}},
			reweigh: 3,
			show:    []string{"route", "show", "table", "101"},
			want:    "nexthop dev v0 weight 2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.route
			want := r.paths()
			res, err := ReconcileRoutes(m, []Route{r}, []Route{r})
			if err != nil || len(res.Added) != 1 || res.Ops() != 1 {
				t.Fatalf("install: %+v, %v", res, err)
			}
			got, ok := findRoute(t, m, r)
			if !ok {
				t.Fatalf("%s not in the kernel", r)
			}
			checkPaths(t, got, want)
			if out := ns.IP(tt.show...); !strings.Contains(out, tt.want) {
				t.Errorf("ip %v lacks %q:\n%s", tt.show, tt.want, out)
			}

			if res, err := ReconcileRoutes(m, []Route{r}, []Route{r}); err != nil || res.Ops() != 0 {
				t.Fatalf("second reconcile of an unchanged route: %+v, %v", res, err)
			}

			changed := r
			changed.Nexthops = append([]Nexthop(nil), r.Nexthops...)
			changed.Nexthops[0].Weight = tt.reweigh
			res, err = ReconcileRoutes(m, []Route{changed}, []Route{changed})
			if err != nil || len(res.Replaced) != 1 || res.Ops() != 1 {
				t.Fatalf("reweigh: %+v, %v", res, err)
			}
			got, ok = findRoute(t, m, r)
			if !ok {
				t.Fatalf("%s gone after replace", changed)
			}
			checkPaths(t, got, changed.paths())
			if res, err := ReconcileRoutes(m, []Route{changed}, []Route{changed}); err != nil || res.Ops() != 0 {
				t.Fatalf("reconcile after replace: %+v, %v", res, err)
			}

			res, err = ReconcileRoutes(m, nil, []Route{changed})
			if err != nil || len(res.Removed) != 1 || res.Ops() != 1 {
				t.Fatalf("remove: %+v, %v", res, err)
			}
			if got, ok := findRoute(t, m, r); ok {
				t.Fatalf("%s still in the kernel after removal", got)
			}
			if res, err := ReconcileRoutes(m, nil, []Route{changed}); err != nil || res.Ops() != 0 {
				t.Fatalf("second removal: %+v, %v", res, err)
			}
		})
	}
}

// A route that cannot be installed is reported by name; the others still go in.
func TestNetlinkMultipathBadRouteIsolated(t *testing.T) {
	_, m, v0, w0 := setupMultipath(t)
	good := Route{Dst: netip.MustParsePrefix("203.0.113.0/24"), Table: 100, Nexthops: []Nexthop{
		{Gateway: netip.MustParseAddr("198.51.100.2"), Ifindex: v0, Weight: 2},
		{Gateway: netip.MustParseAddr("198.51.100.130"), Ifindex: w0},
	}}
	noDev := Route{Dst: netip.MustParsePrefix("203.0.113.128/25"), Table: 100, Nexthops: []Nexthop{
		{Gateway: netip.MustParseAddr("198.51.100.2"), Ifindex: 9999},
		{Gateway: netip.MustParseAddr("198.51.100.130"), Ifindex: w0},
	}}
	mixed := Route{Dst: netip.MustParsePrefix("2001:db8:100::/48"), Table: 100, Nexthops: []Nexthop{
		{Gateway: netip.MustParseAddr("198.51.100.2")},
		{Gateway: netip.MustParseAddr("2001:db8:2::2")},
	}}
	all := []Route{noDev, mixed, good}
	res, err := ReconcileRoutes(m, all, all)
	if err == nil {
		t.Fatal("no error for routes the kernel cannot take")
	}
	for _, want := range []string{"203.0.113.128/25", "2001:db8:100::/48"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if len(res.Added) != 1 || res.Added[0].Dst != good.Dst {
		t.Fatalf("added %v, want only %s", res.Added, good)
	}
	if _, ok := findRoute(t, m, good); !ok {
		t.Fatalf("%s not installed", good)
	}
	if _, err := ReconcileRoutes(m, nil, all); err != nil {
		t.Fatalf("cleanup: %v", err)
	}
	if _, ok := findRoute(t, m, good); ok {
		t.Fatalf("%s left behind", good)
	}
}

// A route with one `nexthop` is stored and listed by the kernel as a plain route; it must
// still compare equal, onlink included, so a second reconcile does nothing.
func TestNetlinkLoneNexthop(t *testing.T) {
	ns, m, v0, _ := setupMultipath(t)
	r := Route{Dst: netip.MustParsePrefix("203.0.113.0/24"), Table: 100, Nexthops: []Nexthop{
		{Gateway: netip.MustParseAddr("198.51.100.200"), Ifindex: v0, Weight: 3, OnLink: true},
	}}
	if res, err := ReconcileRoutes(m, []Route{r}, []Route{r}); err != nil || len(res.Added) != 1 {
		t.Fatalf("install: %+v, %v", res, err)
	}
	got, ok := findRoute(t, m, r)
	if !ok || len(got.Nexthops) != 0 || got.Gateway != r.Nexthops[0].Gateway || got.Ifindex != v0 || !got.OnLink {
		t.Fatalf("kernel lists %s (found %v), want a plain onlink route via 198.51.100.200 dev %d", got, ok, v0)
	}
	if out := ns.IP("route", "show", "table", "100"); !strings.Contains(out, "203.0.113.0/24 via 198.51.100.200 dev v0 onlink") {
		t.Errorf("ip route show table 100:\n%s", out)
	}
	if res, err := ReconcileRoutes(m, []Route{r}, []Route{r}); err != nil || res.Ops() != 0 {
		t.Fatalf("second reconcile: %+v, %v", res, err)
	}
	if res, err := ReconcileRoutes(m, nil, []Route{r}); err != nil || len(res.Removed) != 1 {
		t.Fatalf("remove: %+v, %v", res, err)
	}
	if _, ok := findRoute(t, m, r); ok {
		t.Fatal("route left after removal")
	}
}
