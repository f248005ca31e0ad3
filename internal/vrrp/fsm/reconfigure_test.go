package fsm

import (
	"errors"
	"testing"
	"time"
)

// masterByElection starts a non-owner machine and lets its master-down timer make it master.
func masterByElection(t *testing.T, c Config) *Machine {
	t.Helper()
	m := mustNew(t, c)
	m.Handle(Start{}, at(0), nil)
	fire(m, TimerMasterDown, at(4*time.Second))
	if m.State() != StateMaster {
		t.Fatalf("not master: %v", m.State())
	}
	return m
}

func TestReconfigureMasterKeepsState(t *testing.T) {
	m := masterByElection(t, baseConfig())
	c := baseConfig()
	c.Priority = 120
	c.AdvertInterval = 2 * time.Second
	now := at(5 * time.Second)
	out, err := m.Reconfigure(c, 120, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.State() != StateMaster {
		t.Fatalf("state %v after reconfigure", m.State())
	}
	if _, ok := find(out, ActStateChanged); ok {
		t.Errorf("reconfigure changed state: %v", kinds(out))
	}
	if _, ok := find(out, ActRemoveAddresses); ok {
		t.Errorf("reconfigure removed the addresses: %v", kinds(out))
	}
	a, ok := find(out, ActArmTimer, TimerAdvert)
	if !ok || !a.At.Equal(now.Add(2*time.Second)) {
		t.Errorf("advert timer %+v (found %v), want re-armed at +2s", a, ok)
	}
	p, ok := find(out, ActPriorityChanged)
	if !ok || p.Priority != 120 || p.Reason != ReasonReload || m.Priority() != 120 {
		t.Errorf("priority action %+v (found %v), machine priority %d", p, ok, m.Priority())
	}
	// The next advert goes out with the new priority at the new interval.
	adv := fire(m, TimerAdvert, now.Add(2*time.Second))
	if s, ok := find(adv, ActSendAdvert); !ok || s.Priority != 120 {
		t.Errorf("next advert %+v", adv)
	}
	if a, ok := find(adv, ActArmTimer, TimerAdvert); !ok || !a.At.Equal(now.Add(4*time.Second)) {
		t.Errorf("advert period after reload: %+v", a)
	}
	// The old generation of the advert timer is stale now.
	if out := m.Handle(TimerFired{Timer: TimerAdvert, Gen: m.gen[TimerAdvert] - 1}, now, nil); len(out) != 0 {
		t.Errorf("stale advert timer acted: %v", kinds(out))
	}
}

func TestReconfigureBackupPreemptsOnNextAdvert(t *testing.T) {
	m := mustNew(t, baseConfig())
	m.Handle(Start{}, at(0), nil)
	adv := AdvertReceived{From: addrHigh, Priority: 110, Interval: time.Second}
	m.Handle(adv, at(time.Second), nil)
	if m.State() != StateBackup {
		t.Fatalf("state %v", m.State())
	}
	c := baseConfig()
	c.Priority = 200
	out, err := m.Reconfigure(c, 200, at(1500*time.Millisecond), nil)
	if err != nil || m.State() != StateBackup {
		t.Fatalf("reconfigure: %v, state %v", err, m.State())
	}
	if _, ok := find(out, ActPriorityChanged); !ok {
		t.Errorf("no priority change reported: %v", kinds(out))
	}
	// The master's next advert is now of lower priority: discarded (RFC 9568 §6.4.2, preempt),
	// so the master-down timer runs out and the backup takes over.
	out = m.Handle(adv, at(2*time.Second), nil)
	if _, ok := find(out, ActArmTimer, TimerMasterDown); ok || m.State() != StateBackup {
		t.Errorf("lower-priority advert reset the master-down timer: %v", kinds(out))
	}
	fire(m, TimerMasterDown, at(4*time.Second))
	if m.State() != StateMaster {
		t.Errorf("backup with a raised priority did not preempt: %v", m.State())
	}
}

func TestReconfigureNeedsRestart(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
	}{
		{"vrid", func(c *Config) { c.VRID = 8 }},
		{"version", func(c *Config) { c.Version = 3 }},
		{"becomes owner", func(c *Config) { c.Priority = OwnerPriority }},
	}
	for _, tt := range tests {
		m := masterByElection(t, baseConfig())
		before := m.Config()
		c := baseConfig()
		tt.change(&c)
		out, err := m.Reconfigure(c, int(c.Priority), at(5*time.Second), nil)
		if !errors.Is(err, ErrRestartNeeded) || len(out) != 0 || m.Config() != before {
			t.Errorf("%s: err %v, actions %v, config changed %v", tt.name, err, kinds(out), m.Config() != before)
		}
	}
	m := masterByElection(t, baseConfig())
	bad := baseConfig()
	bad.AdvertInterval = 0
	if _, err := m.Reconfigure(bad, 100, at(5*time.Second), nil); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("invalid config: %v", err)
	}
}

func TestReconfigureGARPRefresh(t *testing.T) {
	m := masterByElection(t, baseConfig())
	c := baseConfig()
	c.GARP.MasterRefresh = 30 * time.Second
	now := at(5 * time.Second)
	out, err := m.Reconfigure(c, 100, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := find(out, ActArmTimer, TimerGARPRefresh); !ok || !a.At.Equal(now.Add(30*time.Second)) {
		t.Errorf("refresh timer not armed: %v", out)
	}
	if _, ok := find(out, ActPriorityChanged); ok {
		t.Errorf("priority reported without a change: %v", kinds(out))
	}
	c.GARP.MasterRefresh = 0
	out, _ = m.Reconfigure(c, 100, now, nil)
	if _, ok := find(out, ActStopTimer, TimerGARPRefresh); !ok {
		t.Errorf("refresh timer not stopped: %v", out)
	}
}
