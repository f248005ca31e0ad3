package nftables

import (
	"encoding/binary"
	"net/netip"
	"testing"

	nft "github.com/google/nftables"
	"github.com/google/nftables/expr"
)

func TestElemOf(t *testing.T) {
	ll := netip.MustParseAddr("fe80::1").As16()
	llKey := string(binary.NativeEndian.AppendUint32(ll[:], 7))
	g := netip.MustParseAddr("2001:db8::1").As16()
	for _, tc := range []struct {
		name    string
		in      Addr
		want    elem
		wantErr bool
	}{
		{"ipv4", Addr{IP: netip.MustParseAddr("198.51.100.10")}, elem{nft.TableFamilyIPv4, setVIPs, "\xc6\x33\x64\x0a"}, false},
		{"v4-mapped is ipv4", Addr{IP: netip.MustParseAddr("::ffff:198.51.100.10")}, elem{nft.TableFamilyIPv4, setVIPs, "\xc6\x33\x64\x0a"}, false},
		{"global ipv6 ignores ifindex", Addr{IP: netip.MustParseAddr("2001:db8::1"), Ifindex: 3}, elem{nft.TableFamilyIPv6, setVIPs, string(g[:])}, false},
		{"link-local with zone", Addr{IP: netip.MustParseAddr("fe80::1%eth0"), Ifindex: 7}, elem{nft.TableFamilyIPv6, setLinkLocal, llKey}, false},
		{"link-local without ifindex", Addr{IP: netip.MustParseAddr("fe80::1")}, elem{}, true},
		{"invalid", Addr{}, elem{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := elemOf(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestLayout checks the shape keepalived gives each family: which chains hook where, which
// sets exist, and the verdict each rule ends with, with and without counters.
func TestLayout(t *testing.T) {
	type rule struct {
		chain   string
		verdict expr.VerdictKind
		goTo    string
	}
	drop, accept, goTo := expr.VerdictDrop, expr.VerdictAccept, expr.VerdictGoto
	for _, tc := range []struct {
		family nft.TableFamily
		chains []string // base chains first
		sets   []string
		rules  []rule
	}{
		{nft.TableFamilyIPv4, []string{"in", "out"}, []string{"vips"},
			[]rule{{"in", drop, ""}, {"out", drop, ""}}},
		{nft.TableFamilyIPv6, []string{"in", "out", "in_link_local", "out_link_local"}, []string{"vips", "vips_link_local", "neighbor-discovery"},
			[]rule{
				{"in", accept, ""}, {"in", goTo, "in_link_local"}, {"in", drop, ""}, {"in_link_local", drop, ""},
				{"out", accept, ""}, {"out", goTo, "out_link_local"}, {"out", drop, ""}, {"out_link_local", drop, ""},
			}},
	} {
		for _, counters := range []bool{false, true} {
			l := newLayout(tc.family, Options{Table: "t", Priority: -7, Counters: counters})
			if l.table.Name != "t" || l.table.Family != tc.family {
				t.Errorf("table %+v", l.table)
			}
			if len(l.chains) != len(tc.chains) {
				t.Fatalf("family %v: %d chains, want %d", tc.family, len(l.chains), len(tc.chains))
			}
			for i, c := range l.chains {
				base := i < 2
				if c.Name != tc.chains[i] || (c.Hooknum != nil) != base {
					t.Errorf("chain %d: %s hook %v, want %s base %v", i, c.Name, c.Hooknum, tc.chains[i], base)
				}
				if base && (*c.Priority != -7 || *c.Policy != nft.ChainPolicyAccept) {
					t.Errorf("chain %s: priority %d policy %d", c.Name, *c.Priority, *c.Policy)
				}
			}
			if *l.chains[0].Hooknum != *nft.ChainHookInput || *l.chains[1].Hooknum != *nft.ChainHookOutput {
				t.Errorf("hooks %d %d", *l.chains[0].Hooknum, *l.chains[1].Hooknum)
			}
			for i, name := range tc.sets {
				if l.sets[i].set.Name != name || l.set(name) == nil {
					t.Errorf("set %d = %s, want %s", i, l.sets[i].set.Name, name)
				}
			}
			if len(l.rules) != len(tc.rules) {
				t.Fatalf("family %v: %d rules, want %d", tc.family, len(l.rules), len(tc.rules))
			}
			for i, r := range l.rules {
				n := len(r.Exprs)
				v := r.Exprs[n-1].(*expr.Verdict)
				_, counted := r.Exprs[n-2].(*expr.Counter)
				if r.Chain.Name != tc.rules[i].chain || v.Kind != tc.rules[i].verdict || v.Chain != tc.rules[i].goTo || counted != counters {
					t.Errorf("rule %d: chain %s verdict %d %q counter %v, want %+v counter %v", i, r.Chain.Name, v.Kind, v.Chain, counted, tc.rules[i], counters)
				}
			}
		}
	}
	nd := newLayout(nft.TableFamilyIPv6, Options{Table: "t"}).set(setND)
	if !nd.Constant {
		t.Error("neighbor-discovery set is not constant")
	}
}
