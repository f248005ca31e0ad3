package ifaddr

import (
	"net/netip"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// vips returns n /32 VIPs 198.51.100.100+i... spread over 203.0.113.0/24.
func vips(idx, n int) []Address {
	out := make([]Address, n)
	for i := range out {
		out[i] = Address{Ifindex: idx, Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{203, 0, 113, byte(i + 1)}), 32)}
	}
	return out
}

// BenchmarkReconcileNoop measures a reconcile of 100 VIPs that are all in
// place: one address dump and zero changes.
func BenchmarkReconcileNoop(b *testing.B) {
	ns := nettest.NewNS(b, "bench")
	ns.IP("link", "add", "v0", "type", "veth", "peer", "name", "v1")
	var m *Netlink
	if err := ns.Do(func() (err error) { m, err = Dial(); return }); err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	want := vips(ns.Ifindex("v0"), 100)
	if res, err := Reconcile(m, want, want); err != nil || len(res.Added) != 100 {
		b.Fatalf("initial reconcile %d, %v", len(res.Added), err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res, err := Reconcile(m, want, want); err != nil || res.Ops() != 0 {
			b.Fatalf("reconcile %+v, %v", res, err)
		}
	}
}

// BenchmarkAddDel100 measures adding then removing 100 VIPs through the reconciler.
func BenchmarkAddDel100(b *testing.B) {
	ns := nettest.NewNS(b, "bench")
	ns.IP("link", "add", "v0", "type", "veth", "peer", "name", "v1")
	var m *Netlink
	if err := ns.Do(func() (err error) { m, err = Dial(); return }); err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	want := vips(ns.Ifindex("v0"), 100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res, err := Reconcile(m, want, want); err != nil || len(res.Added) != 100 {
			b.Fatalf("add %+v, %v", res, err)
		}
		if res, err := RemoveConfigured(m, want); err != nil || len(res.Removed) != 100 {
			b.Fatalf("remove %+v, %v", res, err)
		}
	}
}
