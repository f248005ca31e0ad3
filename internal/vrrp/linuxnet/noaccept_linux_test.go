package linuxnet

import (
	"bytes"
	"errors"
	"log/slog"
	"net/netip"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/nftables"
)

func TestSetNFTables(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    config.GlobalDefs
		want nftables.Options
	}{
		{"nothing configured", config.GlobalDefs{}, nftables.Options{Table: "keepalived", Priority: -1}},
		{"priority without nftables is ignored", config.GlobalDefs{NFTablesPriority: 5}, nftables.Options{Table: "keepalived", Priority: -1}},
		{"counters alone", config.GlobalDefs{NFTablesCounters: true}, nftables.Options{Table: "keepalived", Priority: -1, Counters: true}},
		{"table and priority", config.GlobalDefs{NFTables: "mine", NFTablesPriority: -10}, nftables.Options{Table: "mine", Priority: -10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n Network
			n.SetNFTables(&tc.g)
			if n.na.opts != tc.want || !n.na.set {
				t.Errorf("options %+v (set %v), want %+v", n.na.opts, n.na.set, tc.want)
			}
		})
	}
	// Once the filter exists, the table is not renamed.
	var n Network
	n.na.filter = nftables.New(nftables.Options{})
	n.SetNFTables(&config.GlobalDefs{NFTables: "late"})
	if n.na.set {
		t.Error("SetNFTables changed the options of a filter in use")
	}
}

// TestFilterReportOnce: a failing filter logs one error per instance until an update succeeds.
func TestFilterReportOnce(t *testing.T) {
	var buf bytes.Buffer
	n := &Network{log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	fail := errors.New("nf_tables not supported")
	errorsFor := func(inst string) int {
		c := 0
		for _, l := range strings.Split(buf.String(), "\n") {
			if strings.Contains(l, "level=ERROR") && strings.Contains(l, "instance="+inst) {
				c++
			}
		}
		return c
	}
	for _, step := range []struct {
		inst  string
		err   error
		wantA int
		wantB int
	}{
		{"A", fail, 1, 0},
		{"A", fail, 1, 0},
		{"B", fail, 1, 1},
		{"A", nil, 1, 1},
		{"A", fail, 2, 1},
	} {
		n.na.report(n, step.inst, "add", step.err)
		if a, b := errorsFor("A"), errorsFor("B"); a != step.wantA || b != step.wantB {
			t.Fatalf("after %s/%v: %d errors for A, %d for B, want %d, %d\n%s", step.inst, step.err, a, b, step.wantA, step.wantB, buf.String())
		}
	}
}

func TestFilterAddrs(t *testing.T) {
	got := filterAddrs([]config.VirtualAddr{
		{Prefix: netip.MustParsePrefix("198.51.100.100/24"), Dev: "lo"},
		{Prefix: netip.MustParsePrefix("fe80::100/64"), Dev: "no-such-interface"},
	})
	want := []nftables.Addr{
		{IP: netip.MustParseAddr("198.51.100.100"), Ifindex: 1},
		{IP: netip.MustParseAddr("fe80::100")},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
