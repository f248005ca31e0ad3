package fsm

import (
	"testing"
	"time"
)

// electedMaster returns a non-owner machine that started at 0 and became master when its
// master-down timer fired, and the time its advert timer is due.
func electedMaster(t *testing.T, c Config) (*Machine, time.Time) {
	t.Helper()
	m := mustNew(t, c)
	m.Handle(Start{}, at(0), nil)
	up := at(m.downInterval())
	acts := fire(m, TimerMasterDown, up)
	if m.State() != StateMaster {
		t.Fatalf("not master after the master-down timer: %v", m.State())
	}
	a, ok := find(acts, ActArmTimer, TimerAdvert)
	if !ok {
		t.Fatal("becoming master armed no advert timer")
	}
	return m, a.At
}

// TestTimerExpiredBackup checks the exact lateness at which a master with timer_expired_backup
// steps down: the quickest other router takes over Master_Down_Interval after our last advert,
// which went out one advert_int before the timer was due.
func TestTimerExpiredBackup(t *testing.T) {
	v2 := func(mod func(*Config)) Config {
		c := baseConfig()
		c.Nopreempt, c.TimerExpiredBackup = true, true
		if mod != nil {
			mod(&c)
		}
		return c
	}
	v3 := func(mod func(*Config)) Config {
		return v2(func(c *Config) {
			c.Version, c.AdvertInterval = 3, 100*time.Millisecond
			if mod != nil {
				mod(c)
			}
		})
	}
	us := time.Microsecond
	tests := []struct {
		name   string
		cfg    Config
		late   time.Duration
		backup bool
	}{
		// v2, 1 s, PRIO 254 (default): 3 s + (256-254)/256 s = 3.007812 s, less 1 s.
		{"v2 on time", v2(nil), 0, false},
		{"v2 just short", v2(nil), 2007811 * us, false},
		{"v2 at the limit", v2(nil), 2007812 * us, true},
		{"v2 far too late", v2(nil), 10 * time.Second, true},
		// PRIO 100: skew 0.609375 s.
		{"v2 prio 100 short", v2(func(c *Config) { c.TimerExpiredPriority = 100 }), 2609374 * us, false},
		{"v2 prio 100 limit", v2(func(c *Config) { c.TimerExpiredPriority = 100 }), 2609375 * us, true},
		// v3, 100 ms, PRIO 254: 300 ms + 0.781 ms, less 100 ms.
		{"v3 just short", v3(nil), 200780 * us, false},
		{"v3 at the limit", v3(nil), 200781 * us, true},
		// down_timer_adverts 1, PRIO 200: 100 ms + 21.875 ms, less 100 ms.
		{"v3 down_timer_adverts 1 short", v3(func(c *Config) { c.DownTimerAdverts, c.TimerExpiredPriority = 1, 200 }), 21874 * us, false},
		{"v3 down_timer_adverts 1 limit", v3(func(c *Config) { c.DownTimerAdverts, c.TimerExpiredPriority = 1, 200 }), 21875 * us, true},
		// Without the option a stalled master stays master whatever the delay.
		{"off", v2(func(c *Config) { c.TimerExpiredBackup = false }), time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, due := electedMaster(t, tt.cfg)
			now := due.Add(tt.late)
			acts := fire(m, TimerAdvert, now)
			if !tt.backup {
				if m.State() != StateMaster {
					t.Fatalf("state %v, want MASTER", m.State())
				}
				if a, ok := find(acts, ActSendAdvert); !ok || a.Priority != 100 || a.Reason != ReasonAdvertTimer {
					t.Fatalf("no periodic advert: %v", kinds(acts))
				}
				if a, ok := find(acts, ActArmTimer, TimerAdvert); !ok || !a.At.Equal(now.Add(tt.cfg.AdvertInterval)) {
					t.Fatalf("advert timer not re-armed: %+v", a)
				}
				return
			}
			if m.State() != StateBackup {
				t.Fatalf("state %v, want BACKUP", m.State())
			}
			if _, ok := find(acts, ActSendAdvert); ok {
				t.Fatalf("a stepping-down master sent an advert: %v", kinds(acts))
			}
			if _, ok := find(acts, ActRemoveAddresses); !ok {
				t.Fatalf("addresses kept: %v", kinds(acts))
			}
			sc, ok := find(acts, ActStateChanged)
			if !ok || sc.From != StateMaster || sc.To != StateBackup || sc.Reason != ReasonTimerExpired {
				t.Fatalf("transition %+v", sc)
			}
			down, ok := find(acts, ActArmTimer, TimerMasterDown)
			if want := now.Add(m.downInterval()); !ok || !down.At.Equal(want) {
				t.Fatalf("master-down armed at %v, want %v", down.At.Sub(epoch), want.Sub(epoch))
			}
			if a, _ := m.Master(); a.IsValid() {
				t.Fatalf("master address %v kept after stepping down", a)
			}
			if m.Priority() != 100 {
				t.Fatalf("priority %d: PRIO must not change our own", m.Priority())
			}
		})
	}
}

// TestTimerExpiredBackupFollowsNewMaster checks what happens after stepping down: with nopreempt
// the lower-priority router that took over is accepted, and without any master the instance
// takes over again after Master_Down_Interval.
func TestTimerExpiredBackupFollowsNewMaster(t *testing.T) {
	c := baseConfig()
	c.Nopreempt, c.TimerExpiredBackup = true, true
	m, due := electedMaster(t, c)
	now := due.Add(5 * time.Second)
	fire(m, TimerAdvert, now)
	if m.State() != StateBackup {
		t.Fatalf("state %v", m.State())
	}
	acts := m.Handle(AdvertReceived{From: addrLow, Priority: 50, Interval: time.Second}, now.Add(time.Millisecond), nil)
	if m.State() != StateBackup {
		t.Fatalf("preempted a lower-priority master despite nopreempt: %v", kinds(acts))
	}
	if a, p := m.Master(); a != addrLow || p != 50 {
		t.Fatalf("master %v/%d, want %v/50", a, p, addrLow)
	}
	// No more adverts: the master-down timer elects us again, on time, with a fresh advert timer.
	m2, due2 := electedMaster(t, c)
	fire(m2, TimerAdvert, due2.Add(5*time.Second))
	back := due2.Add(5 * time.Second).Add(m2.downInterval())
	fire(m2, TimerMasterDown, back)
	if m2.State() != StateMaster {
		t.Fatalf("not master again: %v", m2.State())
	}
	acts = fire(m2, TimerAdvert, back.Add(time.Second))
	if m2.State() != StateMaster {
		t.Fatalf("an on-time advert after re-election stepped down: %v", kinds(acts))
	}
}

// TestTimerExpiredBackupSyncGroup checks that a member stepping down takes the group with it.
func TestTimerExpiredBackupSyncGroup(t *testing.T) {
	mk := func(vrid uint8) *Machine {
		c := baseConfig()
		c.VRID, c.Nopreempt, c.TimerExpiredBackup = vrid, true, true
		return mustNew(t, c)
	}
	g, err := NewGroup("G", mk(1), mk(2))
	if err != nil {
		t.Fatal(err)
	}
	g.Handle(0, Start{}, at(0), nil)
	g.Handle(1, Start{}, at(0), nil)
	up := at(g.Member(0).downInterval())
	g.Handle(0, TimerFired{Timer: TimerMasterDown, Gen: g.Member(0).gen[TimerMasterDown]}, up, nil)
	g.Handle(1, TimerFired{Timer: TimerMasterDown, Gen: g.Member(1).gen[TimerMasterDown]}, up, nil)
	if g.State() != StateMaster {
		t.Fatalf("group %v", g.State())
	}
	late := up.Add(time.Second + 3*time.Second)
	acts := g.Handle(0, TimerFired{Timer: TimerAdvert, Gen: g.Member(0).gen[TimerAdvert]}, late, nil)
	if g.Member(0).State() != StateBackup || g.Member(1).State() != StateBackup || g.State() != StateBackup {
		t.Fatalf("members %v %v group %v", g.Member(0).State(), g.Member(1).State(), g.State())
	}
	gs, ok := find(acts, ActGroupStateChanged)
	if !ok || gs.Reason != ReasonTimerExpired {
		t.Fatalf("group transition %+v", gs)
	}
}

func TestTimerExpiredPriorityValidation(t *testing.T) {
	c := baseConfig()
	c.TimerExpiredPriority = 255
	if _, err := New(c); err == nil {
		t.Fatal("PRIO 255 accepted")
	}
	c.TimerExpiredPriority = 0
	if m := mustNew(t, c); m.Config().TimerExpiredPriority != 254 {
		t.Fatalf("default PRIO %d, want 254", m.Config().TimerExpiredPriority)
	}
}
