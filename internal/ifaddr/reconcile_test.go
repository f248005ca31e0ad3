package ifaddr

import (
	"errors"
	"net/netip"
	"slices"
	"testing"
)

func addr(s string, ifindex int) Address {
	return Address{Ifindex: ifindex, Prefix: netip.MustParsePrefix(s)}
}

func keys(as []Address) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.String())
	}
	return out
}

func TestPlan(t *testing.T) {
	vip1, vip2, vip3 := addr("198.51.100.10/32", 2), addr("198.51.100.11/32", 2), addr("2001:db8::10/128", 2)
	foreign := addr("198.51.100.1/24", 2)
	tests := []struct {
		name                    string
		current, desired, owned []Address
		add, del                []Address
	}{
		{"empty", nil, nil, nil, nil, nil},
		{"add missing", []Address{foreign}, []Address{vip1, vip3}, []Address{vip1, vip3}, []Address{vip1, vip3}, nil},
		{"already there", []Address{foreign, vip1}, []Address{vip1}, []Address{vip1}, nil, nil},
		{"remove owned undesired", []Address{foreign, vip1, vip2}, []Address{vip1}, []Address{vip1, vip2}, nil, []Address{vip2}},
		{"foreign untouched", []Address{foreign, vip1}, nil, []Address{vip1}, nil, []Address{vip1}},
		{"owned absent not deleted", []Address{foreign}, nil, []Address{vip1, vip2}, nil, nil},
		{"desired implies owned", []Address{foreign}, []Address{vip2}, nil, []Address{vip2}, nil},
		{"duplicates collapse", nil, []Address{vip1, vip1}, []Address{vip1, vip1}, []Address{vip1}, nil},
		{"same address other interface is distinct", []Address{addr("198.51.100.10/32", 3)}, []Address{vip1}, nil, []Address{vip1}, nil},
		{"ipv4 prefix length is identity", []Address{addr("198.51.100.10/24", 2)}, []Address{vip1}, []Address{addr("198.51.100.10/24", 2)}, []Address{vip1}, []Address{addr("198.51.100.10/24", 2)}},
		{"ipv6 prefix length is not", []Address{addr("2001:db8::10/64", 2)}, []Address{vip3}, nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			add, del := Plan(tt.current, tt.desired, tt.owned)
			if !slices.Equal(keys(add), keys(tt.add)) || !slices.Equal(keys(del), keys(tt.del)) {
				t.Fatalf("Plan = add %v del %v; want add %v del %v", keys(add), keys(del), keys(tt.add), keys(tt.del))
			}
		})
	}
}

// fakeKernel is an in-memory AddrManager counting operations.
type fakeKernel struct {
	addrs   map[Key]Address
	ops     int
	failAdd bool
}

func (f *fakeKernel) ListAddrs(ifindex int) ([]Address, error) {
	var out []Address
	for _, a := range f.addrs {
		if ifindex == 0 || a.Ifindex == ifindex {
			out = append(out, a)
		}
	}
	return out, nil
}

func (f *fakeKernel) AddAddr(a Address) error {
	if f.failAdd {
		return errors.New("injected failure")
	}
	f.ops++
	f.addrs[a.Key()] = a
	return nil
}

func (f *fakeKernel) DelAddr(a Address) error {
	f.ops++
	delete(f.addrs, a.Key())
	return nil
}

func TestReconcileFake(t *testing.T) {
	foreign := addr("198.51.100.1/24", 2)
	vip1, vip2 := addr("198.51.100.10/32", 2), addr("198.51.100.11/32", 2)
	k := &fakeKernel{addrs: map[Key]Address{foreign.Key(): foreign, vip2.Key(): vip2}}
	owned := []Address{vip1, vip2}

	res, err := Reconcile(k, []Address{vip1}, owned)
	if err != nil || len(res.Added) != 1 || len(res.Removed) != 1 {
		t.Fatalf("first reconcile: %+v, %v", res, err)
	}
	before := k.ops
	res, err = Reconcile(k, []Address{vip1}, owned)
	if err != nil || res.Ops() != 0 || k.ops != before {
		t.Fatalf("second reconcile did %d operations (%+v, %v)", k.ops-before, res, err)
	}
	if _, ok := k.addrs[foreign.Key()]; !ok {
		t.Fatal("foreign address removed")
	}
	res, err = RemoveConfigured(k, owned)
	if err != nil || len(res.Removed) != 1 || len(k.addrs) != 1 {
		t.Fatalf("RemoveConfigured: %+v, %v, left %v", res, err, k.addrs)
	}
	k.failAdd = true
	if res, err := Reconcile(k, []Address{vip1}, owned); err == nil || res.Ops() != 0 {
		t.Fatalf("failed add reported %+v, %v", res, err)
	}
}

func TestWithKeepalivedDefaults(t *testing.T) {
	tests := []struct {
		in       Address
		set      bool
		lifetime uint32
	}{
		{addr("2001:db8::10/128", 1), true, 0},
		{addr("2001:db8::10/64", 1), false, 0},
		{addr("198.51.100.10/32", 1), false, 0},
		{Address{Prefix: netip.MustParsePrefix("2001:db8::10/128"), SetPreferredLft: true, PreferredLft: LifetimeForever}, true, LifetimeForever},
	}
	for _, tt := range tests {
		got := tt.in.WithKeepalivedDefaults()
		if got.SetPreferredLft != tt.set || got.PreferredLft != tt.lifetime {
			t.Errorf("%v: preferred %v/%d, want %v/%d", tt.in, got.SetPreferredLft, got.PreferredLft, tt.set, tt.lifetime)
		}
	}
}
