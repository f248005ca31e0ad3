package lvs

// VSStatus is a virtual server's state as the manager holds it, for the status report and
// metrics.
type VSStatus struct {
	Name string
	// QuorumUp is false after the alive weight fell below quorum (with hysteresis).
	QuorumUp bool
	// AliveWeight is the sum of the alive real servers' effective weights.
	AliveWeight int
	Quorum      int
	// Suspended is true while ha_suspend holds the virtual server (no VIP here).
	Suspended   bool
	RealServers []RSStatus
}

// RSStatus is a real server's state within its virtual server.
type RSStatus struct {
	Name   string
	Alive  bool
	Weight int // effective weight: the dynamic one when a checker set it
}

// Status returns every virtual server in configuration order.
func (m *Manager) Status() []VSStatus {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]VSStatus, 0, len(m.vs))
	for _, v := range m.vs {
		st := VSStatus{Name: v.name, QuorumUp: v.quorumUp, AliveWeight: v.weightSum(), Quorum: v.cfg.Quorum, Suspended: m.suspended(v)}
		for _, r := range v.rs {
			st.RealServers = append(st.RealServers, RSStatus{Name: rsName(v.cfg, r.cfg.Addr, r.cfg.Port), Alive: r.alive, Weight: r.weight()})
		}
		out = append(out, st)
	}
	return out
}
