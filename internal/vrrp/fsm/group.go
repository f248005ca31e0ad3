package fsm

import (
	"errors"
	"fmt"
	"time"
)

// Group is a keepalived vrrp_sync_group: its members move together (vrrp_sync.c). A member goes
// MASTER only when every member wants MASTER; when a master member goes BACKUP, every master
// member goes BACKUP; when one member is in FAULT, all are. Like Machine it is pure and not safe
// for concurrent use.
type Group struct {
	name    string
	members []*Machine
	state   State
}

// NewGroup ties the machines into the sync group name. Each machine must be new (in INIT) and
// belong to no other group.
func NewGroup(name string, members ...*Machine) (*Group, error) {
	if len(members) == 0 {
		return nil, fmt.Errorf("vrrp sync group %s: no members: %w", name, ErrInvalidConfig)
	}
	for i, m := range members {
		if m == nil || m.gated || m.state != StateInit {
			return nil, fmt.Errorf("vrrp sync group %s: member %d: %w", name, i, errors.Join(ErrInvalidConfig, errors.New("member is nil, started or in another group")))
		}
	}
	for _, m := range members {
		m.gated = true
	}
	return &Group{name: name, members: members}, nil
}

// Name returns the group's name.
func (g *Group) Name() string { return g.name }

// State returns the group's state: FAULT if any member is in FAULT, MASTER if all are MASTER,
// INIT or STOP if all are, else BACKUP.
func (g *Group) State() State { return g.state }

// Member returns member i.
func (g *Group) Member(i int) *Machine { return g.members[i] }

// Len returns the number of members.
func (g *Group) Len() int { return len(g.members) }

// Handle delivers ev to member i and then applies the group rules. Actions carry the index of
// the member they concern; a group state change is ActGroupStateChanged with Member -1.
func (g *Group) Handle(i int, ev Event, now time.Time, out []Action) []Action {
	if i < 0 || i >= len(g.members) {
		return out
	}
	m := g.members[i]
	before := m.state
	start := len(out)
	out = g.tag(out, i, func(o []Action) []Action { return m.Handle(ev, now, o) })

	// One FAULT ⇒ all FAULT; the group leaves FAULT when no member has a fault of its own.
	anyFault := false
	for _, mm := range g.members {
		if mm.faults != 0 {
			anyFault = true
		}
	}
	for j, mm := range g.members {
		if mm.faultSync != anyFault {
			mm.faultSync = anyFault
			r := ReasonSyncGroup
			if !anyFault {
				r = ReasonFaultCleared
			}
			out = g.tag(out, j, func(o []Action) []Action { return mm.reconcileFault(now, o, r) })
		}
	}
	// One master member goes BACKUP ⇒ every master member goes BACKUP.
	if before == StateMaster && m.state == StateBackup {
		for j, mm := range g.members {
			if mm.state == StateMaster {
				out = g.tag(out, j, func(o []Action) []Action { return mm.toBackup(now, o, ReasonSyncGroup) })
			}
		}
	}
	// A lower-priority advert to one master member refreshes the ARP/ND caches for every master
	// member: keepalived sends the garp_lower_prio burst for the whole group.
	if m.state == StateMaster && hasGARP(out[start:], ReasonGARPLowerPrio) {
		for j, mm := range g.members {
			if j != i && mm.state == StateMaster {
				out = g.tag(out, j, func(o []Action) []Action { return mm.lowerPrioGARP(now, o) })
			}
		}
	}
	// MASTER only when every member wants it (vrrp_sync_can_goto_master()).
	pending, ready := false, true
	for _, mm := range g.members {
		switch {
		case mm.state == StateBackup && mm.wantMaster:
			pending = true
		case mm.state != StateMaster:
			ready = false
		}
	}
	if pending && ready {
		for j, mm := range g.members {
			if mm.state == StateBackup && mm.wantMaster {
				out = g.tag(out, j, func(o []Action) []Action { return mm.becomeMaster(now, o, mm.wantedReason) })
			}
		}
	}
	return g.updateState(out, start)
}

func (g *Group) tag(out []Action, i int, f func([]Action) []Action) []Action {
	n := len(out)
	out = f(out)
	for k := n; k < len(out); k++ {
		out[k].Member = i
	}
	return out
}

func (g *Group) derive() State {
	counts := [StateStop + 1]int{}
	for _, m := range g.members {
		counts[m.state]++
	}
	n := len(g.members)
	switch {
	case counts[StateFault] > 0:
		return StateFault
	case counts[StateMaster] == n:
		return StateMaster
	case counts[StateInit] == n:
		return StateInit
	case counts[StateStop] == n:
		return StateStop
	}
	return StateBackup
}

// updateState emits ActGroupStateChanged when the derived state moved, with the reason of the
// first member transition since start.
func (g *Group) updateState(out []Action, start int) []Action {
	to := g.derive()
	if to == g.state {
		return out
	}
	reason := ReasonNone
	for _, a := range out[start:] {
		if a.Kind == ActStateChanged {
			reason = a.Reason
			break
		}
	}
	from := g.state
	g.state = to
	return append(out, Action{Kind: ActGroupStateChanged, Member: -1, From: from, To: to, Reason: reason})
}

func hasGARP(acts []Action, r Reason) bool {
	for _, a := range acts {
		if a.Kind == ActGARP && a.Reason == r {
			return true
		}
	}
	return false
}
