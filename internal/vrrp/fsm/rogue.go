package fsm

import "time"

// rogueSeen handles an advert with priority 255 received by a configured owner: two routers
// claim to own the addresses (keepalived ≥2.3.3 extension, reference §1a.1). The owner with the
// lower address drops to 254 at once; the higher one waits rogueWindow and drops too if the
// other keeps advertising 255. Either restores 255 after a window with no other owner heard.
// It reports whether this advert demoted us.
func (m *Machine) rogueSeen(ev *AdvertReceived, now time.Time, out []Action) ([]Action, bool) {
	m.rogueLast = now
	remote := ev.Interval
	if remote == 0 {
		remote = m.cfg.AdvertInterval
	}
	m.rogueWindow = rogueWindow(m.cfg.AdvertInterval, remote)
	if m.rogue != rogueNone {
		return out, false
	}
	if m.cfg.LocalAddr.Compare(ev.From) < 0 {
		out = m.demote(now, out)
		return out, true
	}
	m.rogue = rogueWatching
	return m.arm(out, TimerRogue, now.Add(m.rogueWindow)), false
}

func (m *Machine) demote(now time.Time, out []Action) []Action {
	m.rogue = rogueDemoted
	m.effPrio = OwnerPriority - 1
	out = append(out, Action{Kind: ActPriorityChanged, Priority: m.effPrio, Reason: ReasonDuplicateOwner})
	return m.arm(out, TimerRogue, now.Add(m.rogueWindow))
}

func (m *Machine) onRogueTimer(now time.Time, out []Action) []Action {
	quiet := now.Sub(m.rogueLast) >= m.rogueWindow
	switch m.rogue {
	case rogueWatching:
		if quiet {
			m.rogue = rogueNone // the other owner backed off
			return out
		}
		return m.demote(now, out)
	case rogueDemoted:
		if !quiet {
			return m.arm(out, TimerRogue, m.rogueLast.Add(m.rogueWindow))
		}
		m.rogue = rogueNone
		m.effPrio = OwnerPriority
		return append(out, Action{Kind: ActPriorityChanged, Priority: m.effPrio, Reason: ReasonDuplicateOwnerResolved})
	}
	return out
}

// clearRogue ends duplicate-owner handling when the machine stops its timers (FAULT, STOP):
// without the rogue timer a demotion could never be lifted, and a stopped router is no
// longer in conflict.
func (m *Machine) clearRogue(out []Action) []Action {
	was := m.rogue
	m.rogue = rogueNone
	if was != rogueDemoted {
		return out
	}
	m.effPrio = OwnerPriority
	return append(out, Action{Kind: ActPriorityChanged, Priority: m.effPrio, Reason: ReasonDuplicateOwnerResolved})
}
