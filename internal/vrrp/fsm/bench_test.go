package fsm

import (
	"testing"
	"time"
)

// BenchmarkHandleAdvert is the steady state: a BACKUP receiving its master's advert, which
// re-arms the master-down timer. Target: 0 allocs/op.
func BenchmarkHandleAdvert(b *testing.B) {
	m := mustNew(b, baseConfig())
	out := make([]Action, 0, 8)
	out = m.Handle(Start{}, at(0), out[:0])
	ev := AdvertReceived{From: addrHigh, Priority: 200, Interval: time.Second}
	now := at(time.Second)
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Second)
		out = m.Handle(ev, now, out[:0])
	}
	if m.State() != StateBackup || len(out) != 1 {
		b.Fatalf("not steady state: %v %v", m.State(), out)
	}
}

// BenchmarkMasterAdvertTimer is the master's steady state: the advert timer fires.
func BenchmarkMasterAdvertTimer(b *testing.B) {
	m := startedMaster(b, baseConfig())
	out := make([]Action, 0, 8)
	now := at(0)
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Second)
		out = m.Handle(TimerFired{Timer: TimerAdvert, Gen: m.gen[TimerAdvert]}, now, out[:0])
	}
	if len(out) != 2 {
		b.Fatalf("not steady state: %v", out)
	}
}

func TestHandleAdvertAllocs(t *testing.T) {
	m := mustNew(t, baseConfig())
	out := make([]Action, 0, 8)
	m.Handle(Start{}, at(0), out[:0])
	ev := AdvertReceived{From: addrHigh, Priority: 200, Interval: time.Second}
	now := at(time.Second)
	allocs := testing.AllocsPerRun(1000, func() {
		now = now.Add(time.Second)
		out = m.Handle(ev, now, out[:0])
	})
	if allocs != 0 {
		t.Errorf("steady-state advert: %v allocs, want 0", allocs)
	}
}
