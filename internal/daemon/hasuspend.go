package daemon

import (
	"log/slog"
	"net"
	"net/netip"
	"sync"

	"github.com/gokeepalived/gokeepalived/internal/config"
)

// haSuspend implements ha_suspend: the checkers of a virtual server whose address is not
// configured on this node (its VIP is on the other node) are suspended, as keepalived does. The
// LVS manager keeps the local-address view; this applies its verdicts to the checkers.
type haSuspend struct {
	log  *slog.Logger
	lvs  *lvsRuntime
	chk  *checkers
	mu   sync.Mutex
	cfg  *config.Config
	last map[string]bool
	// stopWatch stops the address monitor; nil when it could not start and only our own VIPs
	// (the engine's OnAddresses hook) are followed after the start-time listing.
	stopWatch func()
}

// newHASuspend follows the node's addresses — every change, whoever makes it, through an
// rtnetlink monitor — and applies the verdicts. It returns nil when there is nothing to suspend
// (no IPVS manager).
func newHASuspend(cfg *config.Config, lvsrt *lvsRuntime, chk *checkers, log *slog.Logger) *haSuspend {
	if lvsrt == nil || lvsrt.mgr == nil {
		return nil
	}
	h := &haSuspend{log: log, lvs: lvsrt, chk: chk, cfg: cfg, last: map[string]bool{}}
	stop, err := addressWatcher(log, func(addrs []netip.Addr) {
		lvsrt.mgr.SetLocalAddresses(addrs)
		h.apply()
	})
	if err == nil {
		h.stopWatch = stop
		return h
	}
	log.Warn("ha_suspend: cannot follow address changes; using the addresses present now and our own VIPs", "err", err)
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if p, err := netip.ParsePrefix(a.String()); err == nil {
				lvsrt.mgr.SetAddressPresent(p.Addr(), true)
			}
		}
	} else {
		log.Warn("ha_suspend: cannot list local addresses", "err", err)
	}
	h.apply()
	return h
}

// addressWatcher is watchAddresses; tests replace it to exercise the fallback.
var addressWatcher = watchAddresses

// close stops following addresses.
func (h *haSuspend) close() {
	if h != nil && h.stopWatch != nil {
		h.stopWatch()
	}
}

// addressesChanged is the VRRP engine's OnAddresses hook: our VIPs came or went. With the
// address monitor running it is redundant (the monitor sees them too, as the single source of
// truth), so it only serves the fallback.
func (h *haSuspend) addressesChanged(_ string, addrs []netip.Addr, installed bool) {
	if h == nil || h.stopWatch != nil {
		return
	}
	for _, a := range addrs {
		h.lvs.mgr.SetAddressPresent(a, installed)
	}
	h.apply()
}

// reload switches to a new configuration's services and re-applies the verdicts (the checkers
// were rebuilt).
func (h *haSuspend) reload(cfg *config.Config) {
	if h == nil {
		return
	}
	h.mu.Lock()
	h.cfg, h.last = cfg, map[string]bool{}
	h.mu.Unlock()
	h.apply()
}

// apply suspends or resumes the checkers of every ha_suspend virtual server.
func (h *haSuspend) apply() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, vs := range h.cfg.VirtualServers {
		if !vs.HASuspend {
			continue
		}
		name := vs.Name()
		s := h.lvs.mgr.Suspended(name)
		if old, ok := h.last[name]; ok && old == s {
			continue
		}
		h.last[name] = s
		h.chk.suspend(name, s)
		if s {
			h.log.Info("ha_suspend: checkers suspended, the virtual server's address is not on this node", "vs", name)
		} else {
			h.log.Info("ha_suspend: checkers resumed", "vs", name)
		}
	}
}
