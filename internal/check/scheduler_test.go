package check

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// scripted is a Prober that returns a fixed sequence of results and records
// the (fake) time of each probe.
type scripted struct {
	mu      sync.Mutex
	results []error
	times   []time.Time
	delay   time.Duration
}

func (p *scripted) Probe(ctx context.Context) Outcome {
	p.mu.Lock()
	p.times = append(p.times, time.Now())
	var err error
	if len(p.results) > 0 {
		err = p.results[0]
		p.results = p.results[1:]
	}
	p.mu.Unlock()
	if p.delay > 0 {
		select {
		case <-time.After(p.delay):
		case <-ctx.Done():
		}
	}
	return Outcome{Err: err}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

var errDown = errors.New("refused")

// TestSchedulerRetryTiming checks delay_loop, retry and delay_before_retry in
// a synctest bubble: the probe times are exact, not wall-clock approximations.
func TestSchedulerRetryTiming(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &scripted{results: []error{nil, errDown, errDown, errDown, nil}, delay: 100 * time.Millisecond}
		sched := Schedule{DelayLoop: 10 * time.Second, Retry: 2, DelayBeforeRetry: 3 * time.Second}
		s, err := New(Config{Workers: 2, Logger: quiet()}, []RealServer{{
			VirtualServer: "[198.51.100.1]:tcp:80", ID: "[198.51.100.10]:tcp:80",
			Checkers: []Spec{{Kind: KindTCP, Prober: p, Schedule: sched}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { _ = s.Run(ctx); close(done) }()

		ev := <-s.Events()
		if ev.Up || !ev.RSChanged || ev.RSUp || ev.Reason != "refused" || ev.Latency != 100*time.Millisecond {
			t.Fatalf("down event: %+v", ev)
		}
		ev = <-s.Events()
		if !ev.Up || !ev.RSUp || !ev.RSChanged {
			t.Fatalf("up event: %+v", ev)
		}
		cancel()
		<-done

		// Offsets: probe 0 at 0 (ok, +0.1 s), next at 10.1 (fail), retries at
		// 13.2 and 16.3, down; next after delay_loop at 26.4 (ok).
		want := []time.Duration{0, 10100, 13200, 16300, 26400}
		if len(p.times) < len(want) {
			t.Fatalf("only %d probes", len(p.times))
		}
		for i, w := range want {
			if got := p.times[i].Sub(start); got != w*time.Millisecond {
				t.Errorf("probe %d at %v, want %v", i, got, w*time.Millisecond)
			}
		}
	})
}

// TestSchedulerAllCheckersUp checks a real server is up only when all of its
// checkers are, and that alpha starts it down.
func TestSchedulerAllCheckersUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := &scripted{results: []error{nil, errDown, nil}}
		b := &scripted{results: []error{nil, nil, nil}}
		sched := Schedule{DelayLoop: 5 * time.Second, Alpha: true}
		s, err := New(Config{Logger: quiet()}, []RealServer{{
			VirtualServer: "VS", ID: "RS",
			Checkers: []Spec{{Name: "a", Kind: KindTCP, Prober: a, Schedule: sched}, {Name: "b", Kind: KindTCP, Prober: b, Schedule: sched}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if snap := s.Snapshot(); snap[0].Up || !slices.Equal(snap[0].CheckerNames, []string{"a", "b"}) {
			t.Fatalf("alpha real server starts up, or checker names wrong: %+v", snap[0])
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { _ = s.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		var got []Event
		for range 4 {
			got = append(got, <-s.Events())
		}
		// Both come up (RS up only with the second), a fails (RS down), a recovers (RS up).
		// Both checkers run at once; either may come up first, but the real
		// server comes up only with the second event.
		ups := 0
		for i, ev := range got[:2] {
			if !ev.Up {
				t.Fatalf("event %d: %+v", i, ev)
			}
			if ev.RSChanged {
				ups++
				if i != 1 || !ev.RSUp {
					t.Fatalf("RS up too early: %+v", ev)
				}
			} else if ev.RSUp {
				t.Fatalf("RS up with one checker down: %+v", ev)
			}
		}
		if ups != 1 {
			t.Fatalf("want one RS up transition, got %d", ups)
		}
		if ev := got[2]; ev.Checker != "a" || ev.Up || !ev.RSChanged || ev.RSUp {
			t.Fatalf("a down: %+v", ev)
		}
		if ev := got[3]; ev.Checker != "a" || !ev.Up || !ev.RSChanged || !ev.RSUp {
			t.Fatalf("a up: %+v", ev)
		}
	})
}

// TestSchedulerWarmup checks the first probe waits the injected random warmup.
func TestSchedulerWarmup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &scripted{}
		var asked int64
		s, err := New(Config{Logger: quiet(), Rand: func(n int64) int64 { asked = n; return n / 4 }}, []RealServer{{
			ID: "RS", Checkers: []Spec{{Kind: KindTCP, Prober: p, Schedule: Schedule{DelayLoop: 8 * time.Second, Warmup: 8 * time.Second}}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { _ = s.Run(ctx); close(done) }()
		time.Sleep(11 * time.Second)
		cancel()
		<-done
		if asked != int64(8*time.Second) {
			t.Fatalf("warmup range %v", time.Duration(asked))
		}
		if len(p.times) != 2 || p.times[0].Sub(start) != 2*time.Second || p.times[1].Sub(start) != 10*time.Second {
			t.Fatalf("probe times %v", p.times)
		}
	})
}

// TestSchedulerBoundedWorkers checks no more probes run at once than Workers.
func TestSchedulerBoundedWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		cur, peak := 0, 0
		probe := ProberFunc(func(ctx context.Context) Outcome {
			mu.Lock()
			cur++
			peak = max(peak, cur)
			mu.Unlock()
			time.Sleep(time.Second)
			mu.Lock()
			cur--
			mu.Unlock()
			return Outcome{}
		})
		var rss []RealServer
		for i := range 50 {
			rss = append(rss, RealServer{ID: string(rune('A' + i)), Checkers: []Spec{{Kind: KindTCP, Prober: probe, Schedule: Schedule{DelayLoop: time.Second}}}})
		}
		var lags []time.Duration
		s, err := New(Config{Workers: 5, Logger: quiet(), OnLag: func(d time.Duration) { mu.Lock(); lags = append(lags, d); mu.Unlock() }}, rss)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { _ = s.Run(ctx); close(done) }()
		time.Sleep(30 * time.Second)
		cancel()
		<-done
		if peak != 5 {
			t.Fatalf("peak concurrency %d, want 5", peak)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(lags) < 100 {
			t.Fatalf("only %d probes", len(lags))
		}
	})
}

func TestNewRejects(t *testing.T) {
	p := &scripted{}
	ok := Spec{Kind: KindTCP, Prober: p, Schedule: Schedule{DelayLoop: time.Second}}
	tests := []struct {
		name string
		rss  []RealServer
	}{
		{"duplicate", []RealServer{{ID: "a", Checkers: []Spec{ok}}, {ID: "a", Checkers: []Spec{ok}}}},
		{"no prober", []RealServer{{ID: "a", Checkers: []Spec{{Kind: KindTCP, Schedule: Schedule{DelayLoop: time.Second}}}}}},
		{"zero loop", []RealServer{{ID: "a", Checkers: []Spec{{Kind: KindTCP, Prober: p}}}}},
	}
	for _, tc := range tests {
		if _, err := New(Config{}, tc.rss); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

// TestSchedulerSuspendAndStartDown checks ha_suspend skips probes without
// changing state, and StartDown keeps a reloaded failed server down until a
// success.
func TestSchedulerSuspendAndStartDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &scripted{}
		var probed []string
		var mu sync.Mutex
		s, err := New(Config{Logger: quiet(), OnProbe: func(vs, rs, ck string, err error, _ time.Duration) {
			mu.Lock()
			probed = append(probed, vs+"/"+rs+"/"+ck)
			mu.Unlock()
		}}, []RealServer{
			{VirtualServer: "VS1", ID: "RS", Checkers: []Spec{{Name: "c", Kind: KindTCP, Prober: p, Schedule: Schedule{DelayLoop: time.Second}, StartDown: true}}},
			{VirtualServer: "VS2", ID: "RS", Checkers: []Spec{{Name: "c", Kind: KindTCP, Prober: p, Schedule: Schedule{DelayLoop: time.Second}}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if snap := s.Snapshot(); snap[0].Up || !snap[1].Up {
			t.Fatalf("initial %+v", snap)
		}
		s.Suspend("VS1", true)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { _ = s.Run(ctx); close(done) }()
		time.Sleep(2500 * time.Millisecond)
		synctest.Wait()
		mu.Lock()
		for _, pr := range probed {
			if pr != "VS2/RS/c" {
				t.Errorf("suspended VS probed: %s", pr)
			}
		}
		n := len(probed)
		mu.Unlock()
		if n != 3 || s.Snapshot()[0].Up {
			t.Fatalf("probes %d, snapshot %+v", n, s.Snapshot())
		}
		s.Suspend("VS1", false)
		ev := <-s.Events()
		if ev.VirtualServer != "VS1" || !ev.RSUp || !ev.RSChanged {
			t.Fatalf("resume event %+v", ev)
		}
		cancel()
		<-done
	})
}
