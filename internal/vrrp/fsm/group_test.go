package fsm

import (
	"errors"
	"testing"
	"time"
)

func newGroup(t *testing.T, n int, mod func(i int, c *Config)) *Group {
	t.Helper()
	ms := make([]*Machine, n)
	for i := range ms {
		c := baseConfig()
		c.VRID = uint8(i + 1)
		if mod != nil {
			mod(i, &c)
		}
		ms[i] = mustNew(t, c)
	}
	g, err := NewGroup("G1", ms...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func groupFire(g *Group, i int, tm Timer, now time.Time) []Action {
	return g.Handle(i, TimerFired{Timer: tm, Gen: g.Member(i).gen[tm]}, now, nil)
}

func groupStates(g *Group) []State {
	s := make([]State, g.Len())
	for i := range s {
		s[i] = g.Member(i).State()
	}
	return s
}

func startAll(g *Group) {
	for i := range g.Len() {
		g.Handle(i, Start{}, at(0), nil)
	}
}

// keepalived vrrp_sync_can_goto_master(): a member goes MASTER only when every member wants to.
func TestGroupMasterOnlyWhenAllWant(t *testing.T) {
	g := newGroup(t, 3, nil)
	startAll(g)
	if g.State() != StateBackup || g.Name() != "G1" {
		t.Fatalf("group state %v", g.State())
	}
	down := at(3609375 * time.Microsecond)
	if acts := groupFire(g, 0, TimerMasterDown, down); len(acts) != 0 || g.Member(0).State() != StateBackup {
		t.Fatalf("member 0 went ahead alone: %v", acts)
	}
	groupFire(g, 1, TimerMasterDown, down)
	if g.Member(1).State() != StateBackup {
		t.Fatal("member 1 went ahead alone")
	}
	acts := groupFire(g, 2, TimerMasterDown, down)
	for i, s := range groupStates(g) {
		if s != StateMaster {
			t.Errorf("member %d: %v", i, s)
		}
	}
	last := acts[len(acts)-1]
	if last.Kind != ActGroupStateChanged || last.Member != -1 || last.To != StateMaster || last.Reason != ReasonMasterDownTimer {
		t.Errorf("group transition %+v", last)
	}
	seen := map[int]bool{}
	for _, a := range acts {
		if a.Kind == ActStateChanged {
			seen[a.Member] = true
		}
	}
	if len(seen) != 3 {
		t.Errorf("member transitions for %v, want all 3", seen)
	}
}

// A pending member that hears a master again stops wanting MASTER.
func TestGroupPendingMemberHearsMaster(t *testing.T) {
	g := newGroup(t, 2, nil)
	startAll(g)
	down := at(3609375 * time.Microsecond)
	groupFire(g, 0, TimerMasterDown, down)
	g.Handle(0, AdvertReceived{From: addrHigh, Priority: 200}, down.Add(time.Millisecond), nil)
	groupFire(g, 1, TimerMasterDown, down)
	if s := groupStates(g); s[0] != StateBackup || s[1] != StateBackup {
		t.Errorf("states %v, want both BACKUP", s)
	}
}

// One master member going BACKUP takes every master member to BACKUP (vrrp_sync_backup()).
func TestGroupOneBackupAllBackup(t *testing.T) {
	g := newGroup(t, 3, nil)
	startAll(g)
	down := at(3609375 * time.Microsecond)
	for i := range 3 {
		groupFire(g, i, TimerMasterDown, down)
	}
	acts := g.Handle(1, AdvertReceived{From: addrHigh, Priority: 200}, at(4*time.Second), nil)
	for i, s := range groupStates(g) {
		if s != StateBackup {
			t.Errorf("member %d: %v", i, s)
		}
	}
	n := 0
	for _, a := range acts {
		if a.Kind == ActStateChanged && a.Reason == ReasonSyncGroup {
			n++
		}
	}
	if n != 2 || g.State() != StateBackup {
		t.Errorf("%d sync_group transitions, group %v", n, g.State())
	}
}

// One FAULT ⇒ all FAULT; the group leaves FAULT only when no member has a fault of its own.
func TestGroupOneFaultAllFault(t *testing.T) {
	g := newGroup(t, 3, func(i int, c *Config) {
		if i == 0 {
			c.Priority, c.WantMaster = 255, true
		}
	})
	startAll(g) // the owner waits for the others
	if g.Member(0).State() != StateBackup || !g.Member(0).wantMaster {
		t.Fatalf("owner did not wait: %v", g.Member(0).State())
	}
	down := at(3609375 * time.Microsecond)
	groupFire(g, 1, TimerMasterDown, down)
	groupFire(g, 2, TimerMasterDown, down)
	if g.State() != StateMaster {
		t.Fatalf("group %v", g.State())
	}
	acts := g.Handle(2, FaultRaised{Reason: ReasonLinkDown}, at(5*time.Second), nil)
	if s := groupStates(g); s[0] != StateFault || s[1] != StateFault || s[2] != StateFault {
		t.Fatalf("states %v", s)
	}
	prio0 := 0
	for _, a := range acts {
		if a.Kind == ActSendAdvert && a.Priority == 0 {
			prio0++
		}
	}
	if prio0 != 3 {
		t.Errorf("%d priority-0 adverts, want 3", prio0)
	}
	g.Handle(1, FaultRaised{Reason: ReasonTrackerFault}, at(6*time.Second), nil)
	g.Handle(2, FaultCleared{Reason: ReasonLinkDown}, at(7*time.Second), nil)
	if g.State() != StateFault || g.Member(2).State() != StateFault {
		t.Fatalf("left FAULT while member 1 still faulty: %v", groupStates(g))
	}
	acts = g.Handle(1, FaultCleared{Reason: ReasonTrackerFault}, at(8*time.Second), nil)
	if s := groupStates(g); s[0] != StateBackup || s[1] != StateBackup || s[2] != StateBackup {
		t.Fatalf("states %v", s)
	}
	if last := acts[len(acts)-1]; last.Kind != ActGroupStateChanged || last.From != StateFault || last.To != StateBackup {
		t.Errorf("group transition %+v", last)
	}
}

func TestNewGroupErrors(t *testing.T) {
	if _, err := NewGroup("empty"); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("empty group: %v", err)
	}
	m := mustNew(t, baseConfig())
	if _, err := NewGroup("a", m); err != nil {
		t.Fatal(err)
	}
	if _, err := NewGroup("b", m); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("member in two groups: %v", err)
	}
	if _, err := NewGroup("c", nil); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("nil member: %v", err)
	}
	g := newGroup(t, 1, nil)
	if acts := g.Handle(5, Start{}, at(0), nil); len(acts) != 0 {
		t.Errorf("out-of-range member: %v", acts)
	}
}

func TestGroupStopAndInit(t *testing.T) {
	g := newGroup(t, 2, nil)
	startAll(g)
	g.Handle(0, Shutdown{}, at(time.Second), nil)
	if g.State() != StateBackup {
		t.Errorf("half stopped: %v", g.State())
	}
	acts := g.Handle(1, Shutdown{}, at(time.Second), nil)
	if g.State() != StateStop || acts[len(acts)-1].Reason != ReasonShutdown {
		t.Errorf("all stopped: %v %v", g.State(), acts)
	}
}

// keepalived sends the garp_lower_prio burst for every master member of the group.
func TestGroupLowerPriorityGARPForAllMembers(t *testing.T) {
	g := newGroup(t, 3, nil)
	startAll(g)
	down := at(3609375 * time.Microsecond)
	for i := range 3 {
		groupFire(g, i, TimerMasterDown, down)
	}
	acts := g.Handle(0, AdvertReceived{From: addrLow, Priority: 50}, at(4*time.Second), nil)
	bursts := map[int]bool{}
	for _, a := range acts {
		if a.Kind == ActGARP && a.Reason == ReasonGARPLowerPrio {
			bursts[a.Member] = true
		}
	}
	if len(bursts) != 3 {
		t.Errorf("lower-priority GARP bursts for members %v, want all 3", bursts)
	}
	if n, _ := find(acts, ActNotifyRxLowerPriority); n.Member != 0 {
		t.Errorf("notify for member %d, want 0 only", n.Member)
	}
}
