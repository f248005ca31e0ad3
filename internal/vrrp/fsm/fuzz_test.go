package fsm

import (
	"net/netip"
	"testing"
	"time"
)

// FuzzMachine drives a sync group of two machines (and so each machine) with an arbitrary
// event sequence decoded from the input, checking invariants after every event:
// transitions chain (From is the previous state), timers are never armed in the past, a member
// holds its addresses exactly when it is MASTER, priority-0 adverts come only from a master
// that is leaving, the effective priority stays in 1-255, and every state that waits for a
// timer (BACKUP, MASTER, startup delay, duplicate owner) has that timer armed. A timer_expired
// step-down is only ever MASTER to BACKUP, only with the option, and never sends the late advert.
//
// A byte left over after the last whole event (the input's length after the mode byte is not a
// multiple of 3) sets timer_expired_backup: bit 0 turns it on with nopreempt, the rest picks PRIO.
// Seeds without such a byte, or with a zero one, mean what they meant before the option existed.
func FuzzMachine(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 3, 0, 3, 1, 2, 0, 200, 5, 1})
	f.Add([]byte{1, 0, 0, 3, 0, 2, 1, 255, 4, 8, 5, 8, 6, 0})
	f.Add([]byte{2, 0, 0, 1, 0, 3, 1, 2, 1, 0, 7, 0, 3, 0, 3, 1})
	f.Add([]byte{3, 0, 0, 2, 0, 9, 2, 1, 100, 4, 9, 1, 0})
	// timer_expired_backup (trailing 1): both members elected, then member 0's advert timer fires 9 s late.
	f.Add([]byte{0, 0, 0, 0, 1, 0, 0, 0, 3, 104, 1, 3, 0, 0, 3, 249, 1})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzGroup(t, data, false) })
}

// FuzzReconfigure is FuzzMachine with reloads in the event alphabet: Reconfigure with an
// arbitrary priority, advert_int, nopreempt and refresh period must keep every invariant and
// never change a state.
func FuzzReconfigure(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 3, 0, 3, 1, 2, 0, 9, 50, 1, 9, 3, 0, 3, 1})
	f.Add([]byte{1, 0, 0, 3, 0, 2, 1, 9, 200, 4, 9, 8, 5, 8, 6, 0})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzGroup(t, data, true) })
}

// fuzzGroup runs a two-member sync group through the events encoded in data (see FuzzMachine);
// with reconfigure, op 9 reloads the member's configuration.
func fuzzGroup(t *testing.T, data []byte, reconfigure bool) {
	if len(data) == 0 {
		return
	}
	mode := data[0]
	data = data[1:]
	var teb bool
	var tebPrio uint8
	if len(data)%3 != 0 {
		last := data[len(data)-1]
		teb, tebPrio = last&1 != 0, 1+(last>>1)%(OwnerPriority-1)
	}
	mk := func(i int) *Machine {
		c := baseConfig()
		c.Version = 2 + int(mode&1)
		c.VRID = uint8(i + 1)
		if mode&2 != 0 {
			c.Priority, c.WantMaster = 255, i == 0
		}
		c.PreemptDelay = time.Duration(mode>>2&3) * time.Second
		c.StartupDelay = time.Duration(mode>>4&1) * time.Second
		c.GARP.MasterRefresh = time.Duration(mode>>5&1) * 10 * time.Second
		c.LowerPrioNoAdvert = mode&64 != 0
		c.HigherPrioSendAdvert = mode&128 != 0
		c.TimerExpiredBackup, c.TimerExpiredPriority = teb, tebPrio
		c.Nopreempt = c.Nopreempt || teb
		return mustNew(t, c)
	}
	g, err := NewGroup("F", mk(0), mk(1))
	if err != nil {
		t.Fatal(err)
	}
	states := []State{StateInit, StateInit}
	vip := []bool{false, false}
	now := epoch
	var out []Action
	for len(data) >= 3 {
		member, op, arg := int(data[0]&1), data[1], data[2]
		data = data[3:]
		now = now.Add(time.Duration(arg) * 37 * time.Millisecond)
		m := g.Member(member)
		ops := byte(9)
		if reconfigure {
			ops = 10
		}
		if op%ops == 9 {
			c := m.Config()
			if c.Priority != OwnerPriority {
				c.Priority = max(arg, 1)
				if c.Priority == OwnerPriority {
					c.Priority--
				}
			}
			c.AdvertInterval = time.Duration(1+arg%3) * time.Second
			c.GARP.MasterRefresh = time.Duration(arg>>2&1) * 10 * time.Second
			c.Nopreempt = arg&8 != 0
			c.TimerExpiredBackup = c.Nopreempt && arg&16 != 0
			before := m.State()
			var err error
			out, err = m.Reconfigure(c, int(arg)-20, now, out[:0])
			if err != nil {
				t.Fatalf("member %d: Reconfigure: %v", member, err)
			}
			if m.State() != before {
				t.Fatalf("member %d: Reconfigure moved %v to %v", member, before, m.State())
			}
		}
		var ev Event
		switch op % 9 {
		case 0:
			ev = Start{}
		case 1:
			ev = Shutdown{}
		case 2:
			ev = AdvertReceived{From: netip.AddrFrom4([4]byte{198, 51, 100, arg % 4}), Priority: arg, Interval: time.Duration(1+arg%3) * time.Second}
		case 3:
			tm := Timer(arg % uint8(numTimers))
			ev = TimerFired{Timer: tm, Gen: m.gen[tm]}
		case 4:
			ev = PriorityChanged{Effective: int(arg) - 20}
		case 5:
			ev = FaultRaised{Reason: Reason(arg % 4)}
		case 6:
			ev = FaultCleared{Reason: Reason(arg % 4)}
		case 7:
			ev = TimerFired{Timer: Timer(arg % uint8(numTimers)), Gen: uint64(arg)}
		case 8:
			ev = AdvertReceived{From: netip.AddrFrom4([4]byte{198, 51, 100, arg % 4}), Priority: 255, Interval: time.Second}
		}
		if op%ops != 9 {
			out = g.Handle(member, ev, now, out[:0])
		}
		stepDown, periodic := false, false
		for _, a := range out {
			switch {
			case a.Kind == ActStateChanged && a.Reason == ReasonTimerExpired:
				if a.From != StateMaster || a.To != StateBackup || !g.Member(a.Member).Config().TimerExpiredBackup {
					t.Fatalf("member %d: timer_expired %v->%v with option %v", a.Member, a.From, a.To, g.Member(a.Member).Config().TimerExpiredBackup)
				}
				stepDown = true
			case a.Kind == ActSendAdvert && a.Reason == ReasonAdvertTimer:
				periodic = true
			}
		}
		if stepDown && periodic {
			t.Fatal("a master stepped down for a late advert timer and still sent the advert")
		}
		for _, a := range out {
			if a.Kind == ActGroupStateChanged {
				continue
			}
			i := a.Member
			switch a.Kind {
			case ActStateChanged:
				if a.From != states[i] {
					t.Fatalf("member %d: transition %v->%v but was %v", i, a.From, a.To, states[i])
				}
				states[i] = a.To
			case ActArmTimer:
				if a.At.Before(now) {
					t.Fatalf("member %d: %v armed in the past", i, a.Timer)
				}
			case ActAddAddresses:
				vip[i] = true
			case ActRemoveAddresses:
				vip[i] = false
			case ActSendAdvert:
				if a.Priority == 0 && a.Reason != ReasonShutdown && states[i] != StateMaster {
					t.Fatalf("member %d: priority-0 advert from %v", i, states[i])
				}
			}
		}
		for i := range 2 {
			mm := g.Member(i)
			if mm.State() != states[i] {
				t.Fatalf("member %d: state %v, transitions say %v", i, mm.State(), states[i])
			}
			if vip[i] != (states[i] == StateMaster) {
				t.Fatalf("member %d: addresses=%v in %v", i, vip[i], states[i])
			}
			if mm.Priority() == 0 {
				t.Fatalf("member %d: priority 0", i)
			}
			// Liveness: a state that waits for a timer has it armed.
			armed := func(tm Timer) bool { return mm.armed&(1<<tm) != 0 }
			switch {
			case states[i] == StateBackup && !armed(TimerMasterDown) && !mm.wantMaster:
				t.Fatalf("member %d: BACKUP without a master-down timer", i)
			case states[i] == StateMaster && !armed(TimerAdvert):
				t.Fatalf("member %d: MASTER without an advert timer", i)
			case mm.rogue != rogueNone && !armed(TimerRogue):
				t.Fatalf("member %d: duplicate-owner stage %d without its timer", i, mm.rogue)
			case mm.inStartupDelay && !armed(TimerStartup):
				t.Fatalf("member %d: startup delay without its timer", i)
			}
		}
		if s := g.State(); s == StateMaster && (states[0] != StateMaster || states[1] != StateMaster) {
			t.Fatalf("group MASTER with members %v", states)
		}
	}
}
