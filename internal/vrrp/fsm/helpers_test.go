package fsm

import (
	"net/netip"
	"testing"
	"time"
)

var (
	addrLow  = netip.MustParseAddr("198.51.100.1")
	addrSelf = netip.MustParseAddr("198.51.100.2")
	addrHigh = netip.MustParseAddr("198.51.100.9")
)

func at(d time.Duration) time.Time { return epoch.Add(d) }

func baseConfig() Config {
	return Config{VRID: 7, Version: 2, Priority: 100, AdvertInterval: time.Second, LocalAddr: addrSelf, GARP: DefaultGARP()}
}

func mustNew(t testing.TB, c Config) *Machine {
	t.Helper()
	m, err := New(c)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

// find returns the first action of kind k (and timer tm for timer actions), or false.
func find(acts []Action, k ActionKind, tm ...Timer) (Action, bool) {
	for _, a := range acts {
		if a.Kind == k && (len(tm) == 0 || a.Timer == tm[0]) {
			return a, true
		}
	}
	return Action{}, false
}

func kinds(acts []Action) []ActionKind {
	ks := make([]ActionKind, len(acts))
	for i, a := range acts {
		ks[i] = a.Kind
	}
	return ks
}

// fire fires the current generation of tm.
func fire(m *Machine, tm Timer, now time.Time) []Action {
	return m.Handle(TimerFired{Timer: tm, Gen: m.gen[tm]}, now, nil)
}

// startedMaster returns a machine that became master at time 0 as an owner.
func startedMaster(t testing.TB, c Config) *Machine {
	t.Helper()
	c.Priority, c.WantMaster = 255, true
	m := mustNew(t, c)
	m.Handle(Start{}, at(0), nil)
	if m.State() != StateMaster {
		t.Fatalf("owner did not start as master: %v", m.State())
	}
	return m
}
