package fsm

import "time"

func ignored(out []Action, ev *AdvertReceived, r Reason) []Action {
	return append(out, Action{Kind: ActIgnoredAdvert, Peer: ev.From, Priority: ev.Priority, Reason: r})
}

// onAdvert applies a validated advert (RFC 9568 §6.4.2, §6.4.3; keepalived vrrp_state_backup()
// and vrrp_state_master_rx()).
func (m *Machine) onAdvert(ev *AdvertReceived, now time.Time, out []Action) []Action {
	switch {
	case m.inStartupDelay:
		return ignored(out, ev, ReasonStartupDelay)
	case m.state != StateBackup && m.state != StateMaster:
		return ignored(out, ev, ReasonNotRunning)
	case ev.From == m.cfg.LocalAddr:
		return ignored(out, ev, ReasonOwnAddress)
	case m.isOwner() && m.cfg.OwnerIgnoreAdverts:
		return ignored(out, ev, ReasonOwnerIgnoreAdverts)
	case m.cfg.Version == 2 && ev.Interval != 0 && ev.Interval != m.cfg.AdvertInterval:
		// RFC 3768 §7.1: an advert interval different from ours is discarded.
		return ignored(out, ev, ReasonIntervalMismatch)
	}
	if ev.AddrMismatch {
		out = append(out, Action{Kind: ActAddrMismatch, Peer: ev.From, Priority: ev.Priority})
	}
	yield := ReasonHigherPriority
	if m.isOwner() && ev.Priority == OwnerPriority {
		var demoted bool
		out, demoted = m.rogueSeen(ev, now, out)
		if demoted {
			yield = ReasonDuplicateOwner
		}
	}
	if m.state == StateBackup {
		return m.backupRx(ev, now, out)
	}
	return m.masterRx(ev, now, out, yield)
}

func (m *Machine) adopt(ev *AdvertReceived) {
	m.masterAddr, m.masterPrio = ev.From, ev.Priority
	if m.cfg.Version == 3 && ev.Interval > 0 {
		// RFC 9568 §6.4.2: Set Master_Adver_Interval to the advert's Max Advertise Interval.
		m.masterAdverInterval = ev.Interval
	}
}

// backupRx is RFC 9568 §6.4.2 "If an ADVERTISEMENT is received" with keepalived's nopreempt
// and preempt_delay.
func (m *Machine) backupRx(ev *AdvertReceived, now time.Time, out []Action) []Action {
	if ev.Priority == 0 {
		// "If the Priority in the ADVERTISEMENT is zero, then: Set the Master_Down_Timer to Skew_Time".
		m.downCause = ReasonPriorityZero
		return m.arm(out, TimerMasterDown, now.Add(m.skew()))
	}
	accept := m.cfg.Nopreempt || ev.Priority >= m.effPrio
	if accept {
		// A master at least as good as us: any preempt_delay window is moot.
		out = m.stop(out, TimerPreemptDelay)
		m.preempt = preemptIdle
	} else if m.cfg.PreemptDelay > 0 {
		switch m.preempt {
		case preemptIdle:
			// The delay starts with the first lower-priority advert; until it ends that
			// master is accepted as if we were not preempting.
			m.preempt = preemptRunning
			out = m.arm(out, TimerPreemptDelay, now.Add(m.cfg.PreemptDelay))
			accept = true
		case preemptRunning:
			accept = true
		}
	}
	if !accept {
		// "Else (Priority less than local Priority and Preempt_Mode True): Discard the
		// ADVERTISEMENT". The down timer keeps running and we preempt when it fires.
		m.downCause = ReasonPreempt
		return ignored(out, ev, ReasonLowerPriority)
	}
	m.adopt(ev)
	m.wantMaster = false
	m.downCause = ReasonMasterDownTimer
	return m.arm(out, TimerMasterDown, now.Add(m.downInterval()))
}

// masterRx is RFC 9568 §6.4.3 "If an ADVERTISEMENT is received" as keepalived implements it.
func (m *Machine) masterRx(ev *AdvertReceived, now time.Time, out []Action, yield Reason) []Action {
	if ev.Priority == 0 {
		// "Send an ADVERTISEMENT; Reset the Adver_Timer to Advertisement_Interval".
		out = append(out, Action{Kind: ActSendAdvert, Priority: m.effPrio, Reason: ReasonForcedElection})
		return m.arm(out, TimerAdvert, now.Add(m.cfg.AdvertInterval))
	}
	cmp := ev.From.Compare(m.cfg.LocalAddr)
	if ev.Priority > m.effPrio || (ev.Priority == m.effPrio && cmp > 0) {
		// "Cancel Adver_Timer, Set Master_Adver_Interval, ..., Set Master_Down_Timer,
		// Transition to the Backup state". keepalived can announce itself once first.
		if m.cfg.HigherPrioSendAdvert {
			out = append(out, Action{Kind: ActSendAdvert, Priority: m.effPrio, Reason: ReasonHigherPriority})
		}
		m.adopt(ev)
		return m.toBackup(now, out, yield)
	}
	// Lower priority, or equal priority from a lower address: stay master. RFC 9568 §6.4.3
	// and keepalived answer at once so the other router yields ("forcing new election").
	if !m.cfg.LowerPrioNoAdvert {
		out = append(out, Action{Kind: ActSendAdvert, Priority: m.effPrio, Reason: ReasonForcedElection})
		out = m.arm(out, TimerAdvert, now.Add(m.cfg.AdvertInterval))
	}
	out = m.lowerPrioGARP(now, out)
	return append(out, Action{Kind: ActNotifyRxLowerPriority, Peer: ev.From, Priority: ev.Priority})
}

// lowerPrioGARP sends the garp_lower_prio burst and schedules its repeat.
func (m *Machine) lowerPrioGARP(now time.Time, out []Action) []Action {
	g := &m.cfg.GARP
	if g.LowerPrioRepeat == 0 {
		return out
	}
	out = append(out, Action{Kind: ActGARP, Count: g.LowerPrioRepeat, Reason: ReasonGARPLowerPrio})
	if g.LowerPrioDelay > 0 {
		out = m.arm(out, TimerLowerPrioGARP, now.Add(g.LowerPrioDelay))
	}
	return out
}
