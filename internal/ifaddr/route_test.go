package ifaddr

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func nh(gw string, ifindex, weight int) Nexthop {
	return Nexthop{Gateway: netip.MustParseAddr(gw), Ifindex: ifindex, Weight: weight}
}

func mp(dst string, hops ...Nexthop) Route {
	return Route{Dst: netip.MustParsePrefix(dst), Nexthops: hops}
}

func routeStrings(rs []Route) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.String())
	}
	return out
}

func TestRouteKey(t *testing.T) {
	tests := []struct {
		name string
		a, b Route
		same bool
	}{
		{"table 0 is main", Route{Dst: netip.MustParsePrefix("203.0.113.0/24")}, Route{Dst: netip.MustParsePrefix("203.0.113.0/24"), Table: 254}, true},
		{"ipv6 metric 0 is 1024", Route{Dst: netip.MustParsePrefix("2001:db8::/32")}, Route{Dst: netip.MustParsePrefix("2001:db8::/32"), Metric: 1024}, true},
		{"ipv4 metric 0 is 0", Route{Dst: netip.MustParsePrefix("203.0.113.0/24")}, Route{Dst: netip.MustParsePrefix("203.0.113.0/24"), Metric: 1024}, false},
		{"host bits masked", Route{Dst: netip.MustParsePrefix("203.0.113.7/24")}, Route{Dst: netip.MustParsePrefix("203.0.113.0/24")}, true},
		{"paths are not identity", mp("203.0.113.0/24", nh("198.51.100.1", 0, 1)), mp("203.0.113.0/24", nh("198.51.100.2", 0, 1)), true},
		{"other table", Route{Dst: netip.MustParsePrefix("203.0.113.0/24"), Table: 100}, Route{Dst: netip.MustParsePrefix("203.0.113.0/24")}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Key() == tt.b.Key(); got != tt.same {
			t.Errorf("%s: %v == %v is %v", tt.name, tt.a.Key(), tt.b.Key(), got)
		}
	}
}

func TestSameRoute(t *testing.T) {
	want := mp("203.0.113.0/24", nh("198.51.100.2", 3, 2), nh("198.51.100.130", 0, 0))
	kernel := mp("203.0.113.0/24", nh("198.51.100.130", 5, 1), nh("198.51.100.2", 3, 2))
	kernel.Protocol, kernel.Type, kernel.Table = 3, 1, 254
	onlink := kernel
	onlink.Nexthops = []Nexthop{nh("198.51.100.130", 5, 1), {Gateway: netip.MustParseAddr("198.51.100.2"), Ifindex: 3, Weight: 2, OnLink: true}}
	single := Route{Dst: netip.MustParsePrefix("203.0.113.0/24"), Gateway: netip.MustParseAddr("198.51.100.2"), Ifindex: 3}
	tests := []struct {
		name      string
		want, cur Route
		same      bool
	}{
		{"order and unset dev and weight ignored", want, kernel, true},
		{"weight differs", mp("203.0.113.0/24", nh("198.51.100.2", 3, 3), nh("198.51.100.130", 0, 1)), kernel, false},
		{"gateway differs", mp("203.0.113.0/24", nh("198.51.100.3", 3, 2), nh("198.51.100.130", 0, 1)), kernel, false},
		{"dev differs", mp("203.0.113.0/24", nh("198.51.100.2", 4, 2), nh("198.51.100.130", 0, 1)), kernel, false},
		{"path missing", mp("203.0.113.0/24", nh("198.51.100.2", 3, 2)), kernel, false},
		{"path repeated", mp("203.0.113.0/24", nh("198.51.100.2", 3, 2), nh("198.51.100.2", 3, 2)), kernel, false},
		{"onlink differs", want, onlink, false},
		{"protocol differs", Route{Dst: want.Dst, Nexthops: want.Nexthops, Protocol: 18}, kernel, false},
		{"lone nexthop is a plain route", mp("203.0.113.0/24", nh("198.51.100.2", 3, 7)), single, true},
		{"lone onlink nexthop needs an onlink route", mp("203.0.113.0/24", Nexthop{Gateway: netip.MustParseAddr("198.51.100.2"), Ifindex: 3, OnLink: true}), single, false},
		{"multipath is not a plain route", want, single, false},
	}
	for _, tt := range tests {
		if got := sameRoute(tt.want, tt.cur); got != tt.same {
			t.Errorf("%s: sameRoute(%s, %s) = %v", tt.name, tt.want, tt.cur, got)
		}
	}
}

func TestPlanRoutes(t *testing.T) {
	r1 := mp("203.0.113.0/24", nh("198.51.100.2", 3, 2), nh("198.51.100.130", 5, 1))
	r1w := mp("203.0.113.0/24", nh("198.51.100.2", 3, 5), nh("198.51.100.130", 5, 1))
	r2 := mp("2001:db8:100::/48", nh("2001:db8:1::2", 3, 1), nh("2001:db8:2::2", 5, 1))
	foreign := Route{Dst: netip.MustParsePrefix("198.51.100.0/25"), Ifindex: 3}
	// Before Linux 4.11 an IPv6 multipath route was listed as one route per path.
	r2split := []Route{
		{Dst: r2.Dst, Metric: 1024, Gateway: netip.MustParseAddr("2001:db8:1::2"), Ifindex: 3},
		{Dst: r2.Dst, Metric: 1024, Gateway: netip.MustParseAddr("2001:db8:2::2"), Ifindex: 5},
	}
	tests := []struct {
		name                    string
		current, desired, owned []Route
		add, replace, del       []Route
	}{
		{"empty", nil, nil, nil, nil, nil, nil},
		{"add missing", []Route{foreign}, []Route{r1, r2}, []Route{r1, r2}, []Route{r1, r2}, nil, nil},
		{"unchanged", []Route{foreign, r1, r2}, []Route{r1, r2}, []Route{r1, r2}, nil, nil, nil},
		{"weight changed", []Route{r1}, []Route{r1w}, []Route{r1w}, nil, []Route{r1w}, nil},
		{"remove owned", []Route{foreign, r1, r2}, nil, []Route{r1, r2}, nil, nil, []Route{r1, r2}},
		{"owned absent", []Route{foreign}, nil, []Route{r1}, nil, nil, nil},
		{"foreign untouched", []Route{foreign, r1}, []Route{r1}, nil, nil, nil, nil},
		{"duplicates collapse", nil, []Route{r1, r1w}, []Route{r1, r1w}, []Route{r1}, nil, nil},
		{"split ipv6 listing folded", r2split, []Route{r2}, []Route{r2}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			add, replace, del := PlanRoutes(tt.current, tt.desired, tt.owned)
			for _, c := range []struct {
				what      string
				got, want []Route
			}{{"add", add, tt.add}, {"replace", replace, tt.replace}, {"del", del, tt.del}} {
				if !slices.Equal(routeStrings(c.got), routeStrings(c.want)) {
					t.Errorf("%s = %v, want %v", c.what, routeStrings(c.got), routeStrings(c.want))
				}
			}
		})
	}
}

func TestRouteValidate(t *testing.T) {
	tests := []struct {
		name string
		r    Route
		want string // "" for valid
	}{
		{"ok", mp("203.0.113.0/24", nh("198.51.100.2", 3, 256), Nexthop{Ifindex: 4}), ""},
		{"no destination", Route{Nexthops: []Nexthop{nh("198.51.100.2", 3, 1)}}, "without destination"},
		{"empty nexthop", mp("203.0.113.0/24", nh("198.51.100.2", 3, 1), Nexthop{}), "nexthop 2 has neither via nor dev"},
		{"family", mp("2001:db8::/32", nh("198.51.100.2", 3, 1), nh("2001:db8::2", 3, 1)), "nexthop 1: gateway 198.51.100.2 is not of the route's family"},
		{"weight", mp("203.0.113.0/24", nh("198.51.100.2", 3, 257), nh("198.51.100.3", 3, 1)), "weight 257 is not 1-256"},
		{"type", Route{Dst: netip.MustParsePrefix("203.0.113.0/24"), Type: 6, Nexthops: []Nexthop{nh("198.51.100.2", 3, 1)}}, "type 6 cannot have nexthops"},
	}
	for _, tt := range tests {
		err := tt.r.validate()
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: validate(%s) = %v, want %q", tt.name, tt.r, err, tt.want)
		}
	}
}

// fakeRoutes is an in-memory RouteManager that keys routes like the kernel and counts calls.
type fakeRoutes struct {
	routes  map[RouteKey]Route
	calls   []string
	failFor netip.Prefix
}

func (f *fakeRoutes) ListRoutes(table uint32) ([]Route, error) {
	f.calls = append(f.calls, "list")
	var out []Route
	for _, r := range f.routes {
		if r.Key().Table == table {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeRoutes) put(op string, r Route) error {
	f.calls = append(f.calls, op)
	if r.Dst == f.failFor {
		return errors.New("injected failure for " + r.String())
	}
	f.routes[r.Key()] = r
	return nil
}

func (f *fakeRoutes) AddRoute(r Route) error     { return f.put("add", r) }
func (f *fakeRoutes) ReplaceRoute(r Route) error { return f.put("replace", r) }
func (f *fakeRoutes) DelRoute(r Route) error {
	f.calls = append(f.calls, "del")
	delete(f.routes, r.Key())
	return nil
}

func TestReconcileRoutesFake(t *testing.T) {
	r1 := mp("203.0.113.0/24", nh("198.51.100.2", 3, 2), nh("198.51.100.130", 5, 1))
	r1w := mp("203.0.113.0/24", nh("198.51.100.2", 3, 5), nh("198.51.100.130", 5, 1))
	r2 := mp("2001:db8:100::/48", nh("2001:db8:1::2", 3, 1), nh("2001:db8:2::2", 5, 1))
	r2.Table = 100
	bad := mp("203.0.113.128/25", nh("2001:db8:1::2", 3, 1), nh("198.51.100.2", 3, 1))
	foreign := Route{Dst: bad.Dst, Gateway: netip.MustParseAddr("198.51.100.9")}
	k := &fakeRoutes{routes: map[RouteKey]Route{foreign.Key(): foreign}}

	res, err := ReconcileRoutes(k, []Route{bad, r1, r2}, []Route{bad, r1, r2})
	if err == nil || !strings.Contains(err.Error(), "route 203.0.113.128/25") {
		t.Fatalf("invalid route not reported: %v", err)
	}
	if len(res.Added) != 2 || res.Ops() != 2 {
		t.Fatalf("first reconcile: %+v", res)
	}
	if got := k.routes[foreign.Key()]; got.Gateway != foreign.Gateway {
		t.Fatalf("the invalid route's key was touched: %s", got)
	}
	if !slices.Equal(k.calls, []string{"list", "list", "add", "add"}) {
		t.Fatalf("calls %v: want one listing per table, then the additions", k.calls)
	}

	k.calls = nil
	if res, err := ReconcileRoutes(k, []Route{r1, r2}, []Route{r1, r2}); err != nil || res.Ops() != 0 {
		t.Fatalf("second reconcile: %+v, %v", res, err)
	}
	res, err = ReconcileRoutes(k, []Route{r1w, r2}, []Route{r1w, r2})
	if err != nil || len(res.Replaced) != 1 || res.Ops() != 1 || k.routes[r1.Key()].Nexthops[0].Weight != 5 {
		t.Fatalf("reweigh: %+v, %v", res, err)
	}
	k.failFor = r2.Dst
	delete(k.routes, r2.Key())
	res, err = ReconcileRoutes(k, []Route{r1w, r2}, []Route{r1w, r2})
	if err == nil || res.Ops() != 0 {
		t.Fatalf("failed add reported %+v, %v", res, err)
	}
	res, err = ReconcileRoutes(k, nil, []Route{r1w, r2})
	if err != nil || len(res.Removed) != 1 || len(k.routes) != 1 {
		t.Fatalf("removal: %+v, %v, left %v", res, err, k.routes)
	}
}
