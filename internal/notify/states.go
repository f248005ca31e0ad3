package notify

import "github.com/gokeepalived/gokeepalived/internal/vrrp/engine"

// WriteStates writes the current state of every sync group and then of every instance to the
// notify FIFOs, for fifo_write_vrrp_states_on_reload: keepalived restarts the FIFO reader
// scripts at a reload, and this tells the new reader where things stand (vrrp_scheduler.c
// vrrp_init_state(), groups first, then instances). The lines have the transition lines' format
// (`GROUP "SG" MASTER 0`, `INSTANCE "VI_1" BACKUP 150`) and are queued after any line already
// pending. Nothing else happens: no notify script runs and no mail is sent.
//
// st is engine.Snapshot's answer. Groups and instances are written in configuration order, as
// keepalived walks its lists; an instance the configuration does not know is not written. A target in INIT or STOP has no state to report and is skipped, as transitions into
// INIT are not notified either. A group's state is derived from its members as the state
// machine does: FAULT if one is, MASTER if all are, else BACKUP.
func (n *Notifier) WriteStates(st []engine.InstanceStatus) {
	members := map[string][]string{}
	byName := make(map[string]*engine.InstanceStatus, len(st))
	for i := range st {
		s := &st[i]
		byName[s.Name] = s
		if s.SyncGroup != "" {
			members[s.SyncGroup] = append(members[s.SyncGroup], s.State)
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed || len(n.fifos) == 0 {
		return
	}
	write := func(ev event) {
		select {
		case n.lines <- Line(ev.kind, ev.name, ev.state, ev.prio):
		default:
			n.drop(ev, "fifo queue full")
		}
	}
	for _, g := range n.groups {
		if state := groupState(members[g]); state != "" {
			write(event{kind: KindGroup, name: g, state: state})
		}
	}
	for _, name := range n.instances {
		if s := byName[name]; s != nil && reportable(s.State) {
			write(event{kind: KindInstance, name: s.Name, state: s.State, prio: s.Priority})
		}
	}
}

// reportable says whether an instance state (fsm.State's String form) has a FIFO word.
func reportable(state string) bool {
	return state == StateMaster || state == StateBackup || state == StateFault
}

// groupState derives a sync group's FIFO state from its members' states (fsm.Group's rule:
// FAULT if any member is, MASTER if all are, INIT or STOP if all are, else BACKUP). It returns ""
// for a group without members or wholly in INIT or STOP.
func groupState(states []string) string {
	if len(states) == 0 {
		return ""
	}
	count := map[string]int{}
	for _, s := range states {
		count[s]++
	}
	switch {
	case count[StateFault] > 0:
		return StateFault
	case count[StateMaster] == len(states):
		return StateMaster
	case count["INIT"] == len(states), count[StateStop] == len(states):
		return ""
	}
	return StateBackup
}
