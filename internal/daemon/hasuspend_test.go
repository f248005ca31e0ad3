package daemon

import (
	"io"
	"log/slog"
	"net/netip"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ipvs/ipvstest"
	"github.com/gokeepalived/gokeepalived/internal/lvs"
)

// TestHASuspendFollowsVIP: with ha_suspend the checkers of a virtual server are suspended while
// its address is not on this node, and resumed when VRRP installs the VIP (and suspended again
// when it is removed).
func TestHASuspendFollowsVIP(t *testing.T) {
	const conf = `virtual_server 198.51.100.200 80 {
    lb_algo rr
    lb_kind DR
    protocol TCP
    ha_suspend
    real_server 203.0.113.1 80 {
        TCP_CHECK {
        }
    }
}
`
	cfg, diags := config.LoadString("t.conf", conf, config.LoadOptions{})
	if diags.ExitCode() != 0 {
		t.Fatal(diags)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	mgr, err := lvs.New(cfg, lvs.Options{Client: &ipvstest.Memory{}, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
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
