package lvs

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"slices"
	"sync"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ipvs"
)

// Options configures a Manager.
type Options struct {
	// Client programs IPVS (ipvs.Open, or ipvstest.Memory in tests).
	Client ipvs.Client
	// Runner runs quorum_up/quorum_down/notify_up/notify_down; nil runs nothing.
	Runner Runner
	// FIFO receives the lvs_notify_fifo lines; nil writes none.
	FIFO io.Writer
	// TrailingNUL ends every FIFO line with "\n\0" as keepalived does (ipwrapper.c writes the
	// string's terminating NUL); off by default, see docs/lvs.md.
	TrailingNUL bool
	// NoRSNotify leaves the real servers' notify_up/notify_down and "RS …" FIFO lines to the
	// caller (internal/check's Notifier does them); quorum scripts and "VS …" lines stay here.
	NoRSNotify bool
	// OnQuorum, when set, is told about every quorum announcement (with quorum_up/quorum_down
	// and the "VS …" FIFO line), for the SMTP alerts. It is called with the manager's lock
	// held: it must not block nor call the manager.
	OnQuorum func(QuorumChange)
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Manager owns the IPVS entries of the configuration. Its methods are safe for concurrent use;
// each change is reconciled before the method returns.
type Manager struct {
	mu     sync.Mutex
	o      Options
	log    *slog.Logger
	cfg    *config.Config
	vs     []*vsState
	byName map[string]*vsState
	local  map[netip.Addr]bool
	// started is set by Start; the methods that change the table refuse to run before.
	started bool
}

// Changes counts the IPVS operations one reconciliation issued.
type Changes struct {
	ServicesCreated, ServicesUpdated, ServicesRemoved int
	DestsCreated, DestsUpdated, DestsRemoved          int
	Flushed                                           bool
}

// Total is the number of service and destination operations.
func (c Changes) Total() int {
	return c.ServicesCreated + c.ServicesUpdated + c.ServicesRemoved + c.DestsCreated + c.DestsUpdated + c.DestsRemoved
}

// add accumulates o into c.
func (c *Changes) add(o Changes) {
	c.ServicesCreated += o.ServicesCreated
	c.ServicesUpdated += o.ServicesUpdated
	c.ServicesRemoved += o.ServicesRemoved
	c.DestsCreated += o.DestsCreated
	c.DestsUpdated += o.DestsUpdated
	c.DestsRemoved += o.DestsRemoved
	c.Flushed = c.Flushed || o.Flushed
}

// New returns a manager for cfg. Nothing touches IPVS until Start.
func New(cfg *config.Config, o Options) (*Manager, error) {
	if o.Client == nil {
		return nil, fmt.Errorf("lvs: no IPVS client")
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	m := &Manager{o: o, log: o.Logger, local: map[netip.Addr]bool{}}
	vs, err := m.build(cfg, nil)
	if err != nil {
		return nil, err
	}
	m.cfg, m.vs, m.byName = cfg, vs, index(vs)
	return m, nil
}

// index maps virtual server names to their state.
func index(vs []*vsState) map[string]*vsState {
	out := make(map[string]*vsState, len(vs))
	for _, v := range vs {
		out[v.name] = v
	}
	return out
}

// build creates the runtime state of cfg, carrying the real servers' health and the quorum state
// over from prev (a reload): a server that was down stays down until its checker passes
// (keepalived issue #1720), a new one starts up unless alpha.
func (m *Manager) build(cfg *config.Config, prev map[string]*vsState) ([]*vsState, error) {
	var out []*vsState
	var errs []error
	for _, vc := range cfg.VirtualServers {
		svcs, err := expandServices(vc, &cfg.LVSSection)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		v := &vsState{cfg: vc, name: vc.Name(), services: svcs, addrs: vsAddrs(svcs)}
		old := prev[v.name]
		var oldRS map[RSKey]*rsState
		if old != nil {
			oldRS = make(map[RSKey]*rsState, len(old.rs))
			for _, r := range old.rs {
				oldRS[r.key] = r
			}
		}
		for _, rc := range vc.RealServers {
			r := &rsState{cfg: rc, key: RSKey{VS: v.name, Addr: rc.Addr, Port: rc.Port}, alive: !rc.Resolved.Alpha, isNew: true}
			if o := oldRS[r.key]; o != nil {
				r.alive, r.dynWeight, r.hasDyn, r.isNew = o.alive, o.dynWeight, o.hasDyn, false
			}
			v.rs = append(v.rs, r)
		}
		if old != nil {
			v.quorumUp = old.quorumUp
			v.quorumUp = v.quorumAfter()
		} else {
			v.quorumUp = v.initialQuorum()
			v.isNew = true
		}
		out = append(out, v)
	}
	return out, errors.Join(errs...)
}

// Start programs IPVS: lvs_flush, lvs_timeouts, then a full reconciliation.
func (m *Manager) Start() (Changes, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ch Changes
	g := m.cfg.Global
	if g.LVSFlush {
		if err := m.o.Client.Flush(); err != nil {
			return ch, fmt.Errorf("lvs: lvs_flush: %w", err)
		}
		ch.Flushed = true
	}
	if t := (ipvs.Timeouts{TCP: g.LVSTimeoutTCP, TCPFin: g.LVSTimeoutTCPFin, UDP: g.LVSTimeoutUDP}); t != (ipvs.Timeouts{}) {
		if err := m.o.Client.SetTimeouts(t); err != nil {
			return ch, fmt.Errorf("lvs: lvs_timeouts: %w", err)
		}
	}
	m.started = true
	m.initialNotifies()
	c, err := m.reconcileAll(nil)
	ch.add(c)
	return ch, err
}

// initialNotifies announces new servers as keepalived's init_service_vs() does: with the global
// rs_init_notifies, notify_up and "RS … UP" for each new server that starts alive; then for a
// virtual server that starts with the quorum lost and has a sorry server to put in, quorum_down
// and "VS … DOWN" ("Starting with quorum down"). Nothing else is announced at start.
func (m *Manager) initialNotifies() {
	for _, v := range m.vs {
		for _, r := range v.rs {
			if r.isNew && r.alive && m.cfg.Global.RSInitNotifies {
				m.rsNotify(v, r, true)
			}
			r.isNew = false
		}
		if v.isNew && !v.quorumUp && v.cfg.SorryServer != nil {
			m.quorumNotify(v, false, quorumInit)
		}
		v.isNew = false
	}
}

// Reload switches to cfg and reconciles: unchanged entries cost nothing, services and servers
// that left the configuration are removed, health and quorum states carry over by name.
func (m *Manager) Reload(cfg *config.Config) (Changes, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	vs, err := m.build(cfg, m.byName)
	if err != nil {
		return Changes{}, err
	}
	old := m.vs
	if m.started {
		m.reloadNotifies(old, index(vs))
	}
	m.cfg, m.vs, m.byName = cfg, vs, index(vs)
	if !m.started {
		return Changes{}, nil
	}
	m.initialNotifies()
	return m.reconcileAll(old)
}

// reloadNotifies announces what a reload takes away, as keepalived's clear_diff_services() does:
// an alive server that left the configuration (or whose virtual server left) gets notify_down and
// its "RS … DOWN" line, a virtual server that left with its quorum up gets quorum_down, and a kept
// virtual server whose quorum changed announces the new state.
func (m *Manager) reloadNotifies(old []*vsState, next map[string]*vsState) {
	for _, o := range old {
		n := next[o.name]
		for _, r := range o.rs {
			if !r.alive {
				continue
			}
			if n != nil && slices.ContainsFunc(n.rs, func(x *rsState) bool { return x.key == r.key }) {
				continue
			}
			m.rsNotify(o, r, false)
		}
		switch {
		case n == nil && o.quorumUp:
			m.quorumNotify(o, false, quorumChanged)
		case n != nil && n.quorumUp != o.quorumUp:
			m.quorumNotify(n, n.quorumUp, quorumInit)
		}
	}
}

// Resync reconciles the whole table again, repairing changes made behind the manager's back to
// the entries it owns.
func (m *Manager) Resync() (Changes, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reconcileAll(nil)
}

// RealServer describes a configured real server for the checkers.
type RealServer struct {
	Key           RSKey
	VirtualServer *config.VirtualServer
	Config        *config.RealServer
}

// RealServers lists the configured real servers in file order.
func (m *Manager) RealServers() []RealServer {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []RealServer
	for _, v := range m.vs {
		for _, r := range v.rs {
			out = append(out, RealServer{Key: r.key, VirtualServer: v.cfg, Config: r.cfg})
		}
	}
	return out
}

// Suspended reports whether the checkers of virtual server vs are suspended by ha_suspend: none
// of its addresses is configured locally (the VIP is on the other node). Fwmark services have no
// address and are never suspended.
func (m *Manager) Suspended(vs string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := m.byName[vs]
	return v != nil && m.suspended(v)
}

// suspended is Suspended with m.mu held.
func (m *Manager) suspended(v *vsState) bool {
	if !v.cfg.HASuspend || len(v.addrs) == 0 {
		return false
	}
	return !slices.ContainsFunc(v.addrs, func(a netip.Addr) bool { return m.local[a] })
}

// SetAddressPresent tells the manager whether a is configured on this node (the VRRP side adds
// and removes VIPs). The daemon reports the local addresses at start; ha_suspend uses them.
func (m *Manager) SetAddressPresent(a netip.Addr, present bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if present {
		m.local[a] = true
	} else {
		delete(m.local, a)
	}
}

// SetLocalAddresses replaces the manager's view of the addresses configured on this node (the
// daemon's address monitor reports every change; ha_suspend uses them).
func (m *Manager) SetLocalAddresses(addrs []netip.Addr) {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.local)
	for _, a := range addrs {
		m.local[a.Unmap()] = true
	}
}

// SetHealth records a checker verdict and reconciles the real server's virtual server. Health of
// an unknown server (one a reload removed) and of a suspended virtual server is ignored.
func (m *Manager) SetHealth(k RSKey, h Health) (Changes, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := m.byName[k.VS]
	if v == nil || m.suspended(v) {
		return Changes{}, nil
	}
	i := slices.IndexFunc(v.rs, func(r *rsState) bool { return r.key == k })
	if i < 0 {
		return Changes{}, nil
	}
	return m.setHealth(v, v.rs[i], h)
}

// SetHealthByName is SetHealth for callers that name servers as keepalived prints them
// (check.Event): vs as format_vs() ("[198.51.100.1]:tcp:80", "FWM 5", "[group]:0") and rs as
// format_rs() ("[203.0.113.1]:tcp:80").
func (m *Manager) SetHealthByName(vs, rs string, h Health) (Changes, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := m.byName[vs]
	if v == nil || m.suspended(v) {
		return Changes{}, nil
	}
	i := slices.IndexFunc(v.rs, func(r *rsState) bool { return rsName(v.cfg, r.cfg.Addr, r.cfg.Port) == rs })
	if i < 0 {
		return Changes{}, nil
	}
	return m.setHealth(v, v.rs[i], h)
}

// setHealth applies a verdict with m.mu held.
func (m *Manager) setHealth(v *vsState, r *rsState, h Health) (Changes, error) {
	if !h.HasWeight {
		h.HasWeight, h.Weight = r.hasDyn, r.dynWeight
	}
	changed := r.alive != h.Up || r.hasDyn != h.HasWeight || h.HasWeight && r.dynWeight != h.Weight
	if !changed {
		return Changes{}, nil
	}
	wasAlive, oldWeight := r.alive, r.weight()
	r.alive, r.hasDyn, r.dynWeight = h.Up, h.HasWeight, h.Weight
	if wasAlive != h.Up {
		m.log.Info(rsStateMessage(v, r, h.Up), "instance", v.name, "rs", rsName(v.cfg, r.cfg.Addr, r.cfg.Port),
			"from", upDown(wasAlive), "to", upDown(h.Up), "reason", "checker")
		m.rsNotify(v, r, h.Up)
	}
	if w := r.weight(); w != oldWeight {
		m.log.Info(weightMessage(v, r, oldWeight, w), "instance", v.name, "rs", rsName(v.cfg, r.cfg.Addr, r.cfg.Port), "reason", "dynamic_weight")
	}
	if q := v.quorumAfter(); q != v.quorumUp {
		v.quorumUp = q
		m.quorumNotify(v, q, quorumChanged)
	}
	if !m.started {
		return Changes{}, nil
	}
	return m.reconcileVS(v, nil)
}

// rsNotify runs notify_up/notify_down and writes the FIFO line of a real server change.
func (m *Manager) rsNotify(v *vsState, r *rsState, up bool) {
	if m.o.NoRSNotify {
		return
	}
	s, reason := r.cfg.NotifyDown, "notify_down"
	if up {
		s, reason = r.cfg.NotifyUp, "notify_up"
	}
	if s != nil && m.o.Runner != nil {
		m.o.Runner.Run(reason, s)
	}
	// format_rs() prints the configured address and port (config has already applied the
	// service's port where keepalived does).
	if err := m.writeLine(fifoRS(v.cfg, r.cfg.Addr, r.cfg.Port, up)); err != nil {
		m.log.Warn("notify fifo", "instance", v.name, "reason", err.Error())
	}
}

// quorumNotify runs quorum_up/quorum_down, writes the FIFO line of a quorum change and tells
// Options.OnQuorum.
func (m *Manager) quorumNotify(v *vsState, up bool, cause quorumCause) {
	if cause == quorumChanged {
		m.log.Info(quorumMessage(v, up), "instance", v.name, "from", upDown(!up), "to", upDown(up),
			"reason", fmt.Sprintf("alive weight %d, quorum %d, hysteresis %d", v.weightSum(), v.cfg.Quorum, v.cfg.Hysteresis))
		for _, msg := range sorryMessages(v, up) {
			m.log.Info(msg, "instance", v.name)
		}
	} else {
		m.log.Info("virtual server quorum", "instance", v.name, "to", upDown(up), "reason", cause.String(),
			"weight", v.weightSum(), "quorum", v.cfg.Quorum, "hysteresis", v.cfg.Hysteresis)
	}
	s, reason := v.cfg.QuorumDown, "quorum_down"
	if up {
		s, reason = v.cfg.QuorumUp, "quorum_up"
	}
	if s != nil && m.o.Runner != nil {
		m.o.Runner.Run(reason, s)
	}
	if err := m.writeLine(fifoVS(v.cfg, up)); err != nil {
		m.log.Warn("notify fifo", "instance", v.name, "reason", err.Error())
	}
	m.quorumHook(v, up, cause)
}

// Stop ends the manager as keepalived's clear_services() does. Unless keep (keepalived -I,
// --dont-release-ipvs, which leaves IPVS and runs no scripts): lvs_flush_on_stop flushes the whole
// table, otherwise the configured services are removed. With omega, the alive servers'
// notify_down (not after a flush) and every virtual server's quorum_down run, with their FIFO lines.
func (m *Manager) Stop(keep bool) (Changes, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ch Changes
	if keep || !m.started {
		return ch, nil
	}
	m.started = false
	flush := m.cfg.Global.LVSFlushOnStop != config.LVSFlushOnStopOff
	for _, v := range m.vs {
		if !v.cfg.Omega {
			continue
		}
		if !flush {
			for _, r := range v.rs {
				if r.alive {
					m.rsNotify(v, r, false)
				}
			}
		}
		// update_vs_notifies(vs, stopping) announces DOWN even when it already was.
		m.quorumNotify(v, false, quorumStopping)
	}
	if m.cfg.Global.LVSFlushOnStop == config.LVSFlushOnStopAll {
		if err := m.o.Client.Flush(); err != nil {
			return ch, fmt.Errorf("lvs: lvs_flush_on_stop: %w", err)
		}
		ch.Flushed = true
		return ch, nil
	}
	kernel, err := m.kernelServices()
	if err != nil {
		return ch, err
	}
	var errs []error
	for _, v := range m.vs {
		for _, s := range v.services {
			if _, ok := kernel[s.ServiceKey]; !ok {
				continue
			}
			if err := m.o.Client.RemoveService(s.ServiceKey); err != nil {
				errs = append(errs, err)
				continue
			}
			delete(kernel, s.ServiceKey)
			ch.ServicesRemoved++
		}
	}
	return ch, errors.Join(errs...)
}

// writeLine writes one FIFO line, with keepalived's trailing NUL when asked.
func (m *Manager) writeLine(line string) error {
	if m.o.TrailingNUL {
		line += "\x00"
	}
	return writeLine(m.o.FIFO, line)
}
