package daemon

import (
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ipvs/ipvstest"
	"github.com/gokeepalived/gokeepalived/internal/lvs"
	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// haSuspendFixture is an ha_suspend virtual server on 198.51.100.200 and its IPVS manager over
// the in-memory IPVS.
func haSuspendFixture(t *testing.T) (*config.Config, *lvs.Manager, *slog.Logger) {
	t.Helper()
	cfg, diags := config.LoadString("t.conf", `virtual_server 198.51.100.200 80 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    ha_suspend
    real_server 203.0.113.1 80 {
        TCP_CHECK {
        }
    }
}
`, config.LoadOptions{})
	if diags.ExitCode() != 0 {
		t.Fatal(diags)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	mgr, err := lvs.New(cfg, lvs.Options{Client: &ipvstest.Memory{}, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, mgr, log
}

// TestHASuspendFollowsVIP: with ha_suspend the checkers of a virtual server are suspended while
// its address is not on this node, and resumed when VRRP installs the VIP (and suspended again
// when it is removed) — here through the engine's hook, the fallback without an address monitor.
func TestHASuspendFollowsVIP(t *testing.T) {
	cfg, mgr, log := haSuspendFixture(t)
	// Without the address monitor (no rtnetlink), the engine's hook is what follows the VIPs.
	addressWatcher = func(*slog.Logger, func([]netip.Addr)) (func(), error) { return nil, errors.ErrUnsupported }
	defer func() { addressWatcher = watchAddresses }()
	h := newHASuspend(cfg, &lvsRuntime{log: log, mgr: mgr}, &checkers{log: log}, log)
	vs := cfg.VirtualServers[0].Name()
	if !h.last[vs] {
		t.Fatalf("%s not suspended while its address is not local: %v", vs, h.last)
	}
	vip := []netip.Addr{netip.MustParseAddr("198.51.100.200")}
	h.addressesChanged("VI_1", vip, true)
	if h.last[vs] {
		t.Errorf("%s still suspended after the VIP was installed", vs)
	}
	h.addressesChanged("VI_1", vip, false)
	if !h.last[vs] {
		t.Errorf("%s not suspended again after the VIP was removed", vs)
	}
}

// TestHASuspendFollowsOtherAddresses (root): the address monitor sees an address that something
// other than our VRRP adds or removes (an operator, another daemon), and ha_suspend follows it.
func TestHASuspendFollowsOtherAddresses(t *testing.T) {
	nettest.RequireRoot(t)
	ns := nettest.NewNS(t, "hasusp")
	ns.IP("link", "add", "d0", "type", "veth", "peer", "name", "d1")
	ns.IP("link", "set", "d0", "up")
	cfg, mgr, log := haSuspendFixture(t)
	var h *haSuspend
	// The monitor's sockets are opened inside the namespace and stay there.
	if err := ns.Do(func() error {
		h = newHASuspend(cfg, &lvsRuntime{log: log, mgr: mgr}, &checkers{log: log}, log)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	defer h.close()
	if h.stopWatch == nil {
		t.Fatal("the address monitor did not start")
	}
	vs := cfg.VirtualServers[0].Name()
	waitSuspended := func(want bool, why string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			h.mu.Lock()
			got := h.last[vs]
			h.mu.Unlock()
			if got == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: suspended=%v, want %v", why, got, want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitSuspended(true, "at start, without the address")
	ns.IP("addr", "add", "198.51.100.200/32", "dev", "d0")
	waitSuspended(false, "after `ip addr add` of the virtual server's address")
	ns.IP("addr", "del", "198.51.100.200/32", "dev", "d0")
	waitSuspended(true, "after `ip addr del`")
}
