package linkmon

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/ifaddr"
)

func a(s string, idx int) ifaddr.Address {
	return ifaddr.Address{Ifindex: idx, Prefix: netip.MustParsePrefix(s)}
}

func strs(ev []Event) []string {
	var out []string
	for _, e := range ev {
		out = append(out, e.String())
	}
	return out
}

func TestStateTransitions(t *testing.T) {
	type step struct {
		do   func(s *state) []Event
		want []string
	}
	eth0Up := Link{Ifindex: 2, Name: "eth0", Up: true}
	eth0Down := Link{Ifindex: 2, Name: "eth0"}
	tests := []struct {
		name  string
		steps []step
	}{
		{"up then repeated up is silent", []step{
			{func(s *state) []Event { return s.link(eth0Up) }, []string{"link-up eth0(2)"}},
			{func(s *state) []Event { return s.link(eth0Up) }, nil},
			{func(s *state) []Event { return s.link(eth0Down) }, []string{"link-down eth0(2)"}},
			{func(s *state) []Event { return s.link(eth0Down) }, nil},
			{func(s *state) []Event { return s.link(eth0Up) }, []string{"link-up eth0(2)"}},
		}},
		{"new link down is reported", []step{
			{func(s *state) []Event { return s.link(eth0Down) }, []string{"link-down eth0(2)"}},
		}},
		{"addresses", []step{
			{func(s *state) []Event { return s.link(eth0Up) }, []string{"link-up eth0(2)"}},
			{func(s *state) []Event { return s.addr(a("198.51.100.10/32", 2)) }, []string{"addr-added 198.51.100.10/32 on eth0(2)"}},
			{func(s *state) []Event { return s.addr(a("198.51.100.10/32", 2)) }, nil},
			{func(s *state) []Event { return s.delAddr(a("198.51.100.10/32", 2)) }, []string{"addr-removed 198.51.100.10/32 on eth0(2)"}},
			{func(s *state) []Event { return s.delAddr(a("198.51.100.10/32", 2)) }, nil},
		}},
		{"link deletion drops its addresses", []step{
			{func(s *state) []Event { return s.link(eth0Up) }, []string{"link-up eth0(2)"}},
			{func(s *state) []Event { return s.addr(a("2001:db8::10/128", 2)) }, []string{"addr-added 2001:db8::10/128 on eth0(2)"}},
			{func(s *state) []Event { return s.addr(a("198.51.100.1/24", 3)) }, []string{"addr-added 198.51.100.1/24 on (3)"}},
			{func(s *state) []Event { return s.delLink(2, "") }, []string{"link-deleted eth0(2)", "addr-removed 2001:db8::10/128 on eth0(2)"}},
		}},
		{"resync reports only differences", []step{
			{func(s *state) []Event {
				return s.resync([]Link{eth0Up, {Ifindex: 3, Name: "eth1", Up: true}}, []ifaddr.Address{a("198.51.100.10/32", 2), a("198.51.100.11/32", 2)})
			}, []string{"link-up eth0(2)", "link-up eth1(3)", "addr-added 198.51.100.10/32 on eth0(2)", "addr-added 198.51.100.11/32 on eth0(2)", "resync"}},
			{func(s *state) []Event {
				return s.resync([]Link{eth0Down}, []ifaddr.Address{a("198.51.100.10/32", 2), a("198.51.100.12/32", 2)})
			}, []string{"link-down eth0(2)", "link-deleted eth1(3)", "addr-added 198.51.100.12/32 on eth0(2)", "addr-removed 198.51.100.11/32 on eth0(2)", "resync"}},
			{func(s *state) []Event {
				return s.resync([]Link{eth0Down}, []ifaddr.Address{a("198.51.100.10/32", 2), a("198.51.100.12/32", 2)})
			}, []string{"resync"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newState()
			for i, st := range tt.steps {
				if got := strs(st.do(s)); !slices.Equal(got, st.want) {
					t.Fatalf("step %d: events %q, want %q", i, got, st.want)
				}
			}
		})
	}
}

func TestHasAddr(t *testing.T) {
	list := []ifaddr.Address{a("198.51.100.10/24", 2), a("2001:db8::1/64", 3)}
	tests := []struct {
		idx  int
		addr string
		want bool
	}{
		{0, "198.51.100.10", true},
		{2, "198.51.100.10", true},
		{3, "198.51.100.10", false},
		{3, "2001:db8::1", true},
		{0, "198.51.100.11", false},
	}
	for _, tt := range tests {
		if got := HasAddr(list, tt.idx, netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("HasAddr(%d, %s) = %v, want %v", tt.idx, tt.addr, got, tt.want)
		}
	}
}
