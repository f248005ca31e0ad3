package linuxnet

import (
	"bytes"
	"errors"
	"log/slog"
	"net/netip"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
	"github.com/gokeepalived/gokeepalived/internal/ifaddr"
	"github.com/gokeepalived/gokeepalived/internal/nettest"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// parseRoutes reads static_routes lines with the real configuration parser.
func parseRoutes(t *testing.T, lines ...string) []config.Route {
	t.Helper()
	cfg, diags := config.LoadString("test.conf", "static_routes {\n"+strings.Join(lines, "\n")+"\n}\n", config.LoadOptions{})
	if diags.Max() >= syntax.Error {
		t.Fatalf("config: %v", diags)
	}
	if len(cfg.StaticRoutes) != len(lines) {
		t.Fatalf("parsed %d routes from %d lines: %v", len(cfg.StaticRoutes), len(lines), diags)
	}
	return cfg.StaticRoutes
}

func TestToRouteNexthops(t *testing.T) {
	index := func(dev string) (int, error) {
		if i, ok := map[string]int{"eth0": 2, "eth1": 3}[dev]; ok {
			return i, nil
		}
		return 0, errors.New("no such interface")
	}
	rs := parseRoutes(t,
		"203.0.113.0/24 table 100 nexthop via 198.51.100.1 dev eth0 weight 2 nexthop via 198.51.100.2 dev eth1 onlink",
		"203.0.113.0/25 via 198.51.100.1 dev eth0 or 198.51.100.2",
		"2001:db8:100::/48 nexthop via 2001:db8::1 dev eth0 weight 256 nexthop dev eth1",
		"203.0.113.128/25 nexthop via 198.51.100.1 dev nosuch0 nexthop via 198.51.100.2",
	)
	gw := netip.MustParseAddr
	tests := []struct {
		want    []ifaddr.Nexthop
		wantErr string
	}{
		{want: []ifaddr.Nexthop{{Gateway: gw("198.51.100.1"), Ifindex: 2, Weight: 2}, {Gateway: gw("198.51.100.2"), Ifindex: 3, Weight: 1, OnLink: true}}},
		// The deprecated "or": the first path keeps the route's dev, the weights are unset (1).
		{want: []ifaddr.Nexthop{{Gateway: gw("198.51.100.1"), Ifindex: 2}, {Gateway: gw("198.51.100.2")}}},
		{want: []ifaddr.Nexthop{{Gateway: gw("2001:db8::1"), Ifindex: 2, Weight: 256}, {Ifindex: 3, Weight: 1}}},
		{wantErr: "nexthop dev nosuch0"},
	}
	single, err := toRoute(parseRoutes(t, "203.0.113.0/26 via 198.51.100.1 dev eth0 onlink")[0], 2, index)
	if err != nil || !single.OnLink || single.Gateway != gw("198.51.100.1") || single.Ifindex != 2 || len(single.Nexthops) != 0 {
		t.Errorf("single-path onlink route: %s, %v", single, err)
	}
	for i, tt := range tests {
		got, err := toRoute(rs[i], 2, index)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("route %d: err %v, want %q", i, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("route %d: %v", i, err)
		}
		if got.Gateway.IsValid() || got.Ifindex != 0 || got.Dst != rs[i].Dst || got.Table != rs[i].Table {
			t.Errorf("route %d: %s: top-level gateway/dev set or key lost", i, got)
		}
		if len(got.Nexthops) != len(tt.want) {
			t.Fatalf("route %d: %s, want paths %+v", i, got, tt.want)
		}
		for j := range tt.want {
			if got.Nexthops[j] != tt.want[j] {
				t.Errorf("route %d path %d: %+v, want %+v", i, j, got.Nexthops[j], tt.want[j])
			}
		}
	}
}

// TestSetAddressesMultipath drives Network.SetAddresses in a namespace: a multipath route is
// installed with the VIP, left alone when unchanged, replaced when a weight changes and
// removed with the VIP; a route naming a missing interface is an error that stops nothing else.
func TestSetAddressesMultipath(t *testing.T) {
	ns := nettest.NewNS(t, "lnmp")
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
	var logs bytes.Buffer
	var n *Network
	if err := ns.Do(func() error {
		var err error
		n, err = Open(slog.New(slog.NewTextHandler(&logs, nil)), Pacing{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	set := func(routes []config.Route, installed bool) error {
		s := engine.AddressSet{
			Addrs:  []config.VirtualAddr{{Prefix: netip.MustParsePrefix("198.51.100.10/32"), Dev: "v0"}},
			Routes: routes,
		}
		return ns.Do(func() error { return n.SetAddresses("VI_1", s, installed) })
	}
	routes := parseRoutes(t,
		"203.0.113.0/24 table 100 nexthop via 198.51.100.2 dev v0 weight 2 nexthop via 198.51.100.130 dev w0",
		"2001:db8:100::/48 table 100 nexthop via 2001:db8:1::2 dev v0 weight 3 nexthop via 2001:db8:2::2 dev w0",
		"203.0.113.128/25 table 100 nexthop via 198.51.100.2 dev nosuch0 nexthop via 198.51.100.130 dev w0",
		"203.0.113.0/26 table 101 via 198.51.100.2 dev v0",
	)
	err := set(routes, true)
	if err == nil || !strings.Contains(err.Error(), "VI_1: route 203.0.113.128/25: nexthop dev nosuch0") {
		t.Fatalf("missing nexthop dev not reported by route: %v", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"addr", "show", "dev", "v0"}, "198.51.100.10/32"},
		{[]string{"route", "show", "table", "100"}, "nexthop via 198.51.100.2 dev v0 weight 2"},
		{[]string{"-6", "route", "show", "table", "100"}, "nexthop via 2001:db8:1::2 dev v0 weight 3"},
		{[]string{"route", "show", "table", "101"}, "203.0.113.0/26 via 198.51.100.2 dev v0"},
	} {
		if out := ns.IP(c.args...); !strings.Contains(out, c.want) {
			t.Errorf("ip %v lacks %q:\n%s", c.args, c.want, out)
		}
	}
	if out := ns.IP("route", "show", "table", "100"); strings.Contains(out, "203.0.113.128") {
		t.Errorf("route with a missing dev installed:\n%s", out)
	}
	if c := strings.Count(logs.String(), `msg="route added"`); c != 2 {
		t.Errorf("%d routes logged as added, want 2:\n%s", c, logs.String())
	}

	good := []config.Route{routes[0], routes[1], routes[3]}
	logs.Reset()
	if err := set(good, true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "route ") {
		t.Errorf("unchanged routes touched:\n%s", logs.String())
	}

	good[0].Nexthops = append([]config.Nexthop(nil), good[0].Nexthops...)
	good[0].Nexthops[0].Weight = 7
	if err := set(good, true); err != nil {
		t.Fatal(err)
	}
	if c := strings.Count(logs.String(), `msg="route replaced"`); c != 1 {
		t.Errorf("%d routes logged as replaced, want 1:\n%s", c, logs.String())
	}
	if out := ns.IP("route", "show", "table", "100"); !strings.Contains(out, "nexthop via 198.51.100.2 dev v0 weight 7") {
		t.Errorf("weight not replaced:\n%s", out)
	}

	if err := set(good, false); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"route", "show", "table", "100"}, {"-6", "route", "show", "table", "100"}, {"route", "show", "table", "101"}} {
		if out := ns.IP(args...); strings.TrimSpace(out) != "" {
			t.Errorf("ip %v after removal:\n%s", args, out)
		}
	}
	if out := ns.IP("addr", "show", "dev", "v0"); strings.Contains(out, "198.51.100.10/32") {
		t.Errorf("VIP left:\n%s", out)
	}
}
