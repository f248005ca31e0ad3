package lvs

// QuorumChange is one quorum announcement of a virtual server, with the figures keepalived's
// ipwrapper.c do_vs_notifies() puts in its SMTP alert ("=> Gained quorum 2+1=3 <= 3 <=").
type QuorumChange struct {
	// VirtualServer is the format_vs() name, e.g. "[198.51.100.1]:tcp:80".
	VirtualServer string
	// Up is the quorum state announced.
	Up bool
	// Init marks the state a virtual server starts with, at start or after a reload, rather
	// than a change seen by the checkers (keepalived's "Starting with quorum up/down").
	Init bool
	// Stopping marks the quorum_down of a stopping daemon (omega): "=> Shutting down <=".
	Stopping bool
	// Quorum and Hysteresis are the configured values; Threshold is the weight the alive sum
	// was compared with (quorum+hysteresis while the quorum was down, quorum-hysteresis while
	// it was up), WeightSum the alive servers' weight sum.
	Quorum, Hysteresis, Threshold, WeightSum int
	// SMTPAlert is the virtual server's resolved smtp_alert.
	SMTPAlert bool
}

// quorumCause says why a quorum state is announced.
type quorumCause int

const (
	quorumChanged  quorumCause = iota // a checker verdict or a virtual server leaving at reload
	quorumInit                        // the state at start or after a reload
	quorumStopping                    // the daemon stops (omega)
)

// quorumHook hands a quorum announcement to Options.OnQuorum. It runs with m.mu held, so the
// hook must not call back into the manager.
func (m *Manager) quorumHook(v *vsState, up bool, cause quorumCause) {
	if m.o.OnQuorum == nil {
		return
	}
	// update_quorum_state() compares with quorum+hysteresis while the quorum is down and with
	// quorum-hysteresis while it is up; the announced state is the new one, so the state it
	// was compared in is the opposite, except at start where a virtual server begins down.
	wasUp := !up
	if cause == quorumInit && !up {
		wasUp = false
	}
	th := v.cfg.Quorum + v.cfg.Hysteresis
	if wasUp {
		th = v.cfg.Quorum - v.cfg.Hysteresis
	}
	m.o.OnQuorum(QuorumChange{
		VirtualServer: v.name, Up: up, Init: cause == quorumInit, Stopping: cause == quorumStopping,
		Quorum: v.cfg.Quorum, Hysteresis: v.cfg.Hysteresis, Threshold: th, WeightSum: v.weightSum(),
		SMTPAlert: v.cfg.ResolvedSMTPAlert,
	})
}
