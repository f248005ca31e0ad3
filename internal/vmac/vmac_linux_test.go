package vmac

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// TestVMACInNamespace creates an IPv4 and an IPv6 VMAC with the same VRID on a dummy
// parent inside a throw-away namespace, checks mode, MAC, names and sysctls, then
// deletes them and checks the parent's sysctls are restored.
func TestVMACInNamespace(t *testing.T) {
	nettest.RequireRoot(t)
	ns := nettest.NewNS(t, "vmac")
	ns.IP("link", "add", "dummy0", "type", "veth", "peer", "name", "peer0")
	ns.IP("link", "set", "peer0", "up")
	ns.IP("link", "set", "dummy0", "up")
	ns.Sysctl("net.ipv4.conf.dummy0.arp_ignore", "2")
	ns.IP("link", "set", "dummy0", "group", "7")
	ll := parentLinkLocal(t, ns)
	err := ns.Do(func() error {
		m, err := Open()
		if err != nil {
			return err
		}
		defer m.Close()
		v4, err := m.Create(Spec{Parent: "dummy0", VRID: 51, Names: Names("", "", 51, false), MAC: MAC(51, false, nil), Group: -1})
		if err != nil {
			return err
		}
		v6, err := m.Create(Spec{Parent: "dummy0", VRID: 51, IPv6: true, Names: Names("", "", 51, true), MAC: MAC(51, true, nil)})
		if err != nil {
			return err
		}
		if v4.Name != "vrrp.51" || v6.Name != "vrrp6.51" {
			t.Errorf("names %s, %s; want vrrp.51, vrrp6.51", v4.Name, v6.Name)
		}
		out := ns.IP("-d", "link", "show", "vrrp.51")
		for _, w := range []string{"macvlan mode private", "00:00:5e:00:01:33", "vrrp.51@dummy0", "UP", "group 7"} {
			if !strings.Contains(out, w) {
				t.Errorf("vrrp.51 lacks %q:\n%s", w, out)
			}
		}
		if out := ns.IP("link", "show", "vrrp6.51"); !strings.Contains(out, "00:00:5e:00:02:33") || strings.Contains(out, "group 7") {
			t.Errorf("vrrp6.51 has the wrong MAC or a group it was not asked for:\n%s", out)
		}
		// The IPv6 VMAC carries exactly the parent's link-local, not its own EUI-64 one.
		if got := linkLocals(ns.IP("-6", "addr", "show", "dev", "vrrp6.51")); len(got) != 1 || got[0] != ll {
			t.Errorf("vrrp6.51 link-locals %q, want only the parent's %s", got, ll)
		}
		if got := read6(t, "vrrp6.51/addr_gen_mode"); got != "1" {
			t.Errorf("vrrp6.51 addr_gen_mode = %s, want 1", got)
		}
		checks := map[string]string{
			"vrrp.51/arp_ignore": "1", "vrrp.51/accept_local": "1", "vrrp.51/rp_filter": "0", "vrrp.51/promote_secondaries": "1",
			"dummy0/arp_ignore": "1", "dummy0/arp_filter": "1",
		}
		for k, want := range checks {
			if got := read(t, k); got != want {
				t.Errorf("%s = %s, want %s", k, got, want)
			}
		}
		// Adoption: creating the same VMAC again (a restart) reuses it.
		again, err := m.Create(Spec{Parent: "dummy0", VRID: 51, Names: Names("", "", 51, false), MAC: MAC(51, false, nil)})
		if err != nil {
			return err
		}
		if again.Index != v4.Index {
			t.Errorf("re-create made a new interface %d, want the existing %d", again.Index, v4.Index)
		}
		for _, v := range []*VMAC{again, v6} {
			if err := m.Delete(v); err != nil {
				return err
			}
		}
		// The first Create and the adoption both count as users of dummy0.
		if got := read(t, "dummy0/arp_ignore"); got != "1" {
			t.Errorf("arp_ignore restored while a VMAC user remains: %s", got)
		}
		if err := m.Delete(v4); err != nil && !strings.Contains(err.Error(), "no such") {
			t.Logf("deleting the already deleted link: %v", err)
		}
		if got := read(t, "dummy0/arp_ignore"); got != "2" {
			t.Errorf("dummy0 arp_ignore = %s after the last delete, want the original 2", got)
		}
		if got := read(t, "dummy0/arp_filter"); got != "0" {
			t.Errorf("dummy0 arp_filter = %s after the last delete, want the original 0", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := ns.TryIP("link", "show", "vrrp.51"); strings.Contains(out, "vrrp.51") {
		t.Errorf("vrrp.51 still exists:\n%s", out)
	}
}

func read(t *testing.T, k string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sysctlRoot, k))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func read6(t *testing.T, k string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sysctl6Root, k))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// linkLocals extracts the fe80:: addresses from `ip -6 addr show` output.
func linkLocals(out string) []string {
	var lls []string
	for _, f := range strings.Fields(out) {
		if strings.HasPrefix(f, "fe80:") {
			lls = append(lls, f)
		}
	}
	return lls
}

// parentLinkLocal waits for the kernel to give dummy0 its link-local address.
func parentLinkLocal(t *testing.T, ns *nettest.NS) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if lls := linkLocals(ns.IP("-6", "addr", "show", "dev", "dummy0")); len(lls) > 0 {
			return lls[0]
		}
		if time.Now().After(deadline) {
			t.Skip("no IPv6 link-local on the parent (IPv6 disabled?)")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
