package check

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Spec is one checker of a real server.
type Spec struct {
	Name     string // label in events and logs; defaults to the Kind
	Kind     Kind
	Prober   Prober
	Schedule Schedule
	// FastRecovery is HTTP_GET/SSL_GET's fast_recovery.
	FastRecovery bool
	// StartDown starts the checker down whatever Alpha says; a reload uses it
	// so that a real server that had failed is not re-added before its
	// checker passes again (keepalived issue #1720).
	StartDown bool
}

// RealServer is a real server with its checkers.
type RealServer struct {
	VirtualServer string // FormatVS form
	ID            string // FormatRS form; must be unique per VirtualServer
	Checkers      []Spec
}

// Config tunes the Scheduler; zero values get sensible defaults.
type Config struct {
	// Workers bounds concurrent probes, hence goroutines and sockets (default 512).
	Workers int
	// EventQueue is the capacity of the Events channel (default 4096). When it
	// is full, workers block: transitions are never dropped, checks slow down.
	EventQueue int
	Logger     *slog.Logger
	// Rand returns a value in [0, n) for warmup; default math/rand/v2.
	Rand func(n int64) int64
	// OnLag, if set, is called with how late each probe started against its
	// schedule (the scheduling jitter); used by the benchmark and metrics.
	OnLag func(time.Duration)
	// OnProbe, if set, is called after every probe (for metrics); it must not block.
	OnProbe func(vs, rs, checker string, err error, latency time.Duration)
}

// Scheduler runs the checkers of many real servers with one timer heap and
// a bounded worker pool.
type Scheduler struct {
	cfg    Config
	log    *slog.Logger
	events chan Event
	rss    []*rsEntry
	jobs   chan *entry

	mu   sync.Mutex
	q    entryHeap
	wake chan struct{}
}

type rsEntry struct {
	vs, id    string
	suspended atomic.Bool // ha_suspend: probes are skipped, state is kept
	mu        sync.Mutex
	entries   []*entry
	up        bool
}

type entry struct {
	rs     *rsEntry
	spec   Spec
	policy policy
	st     checkState // guarded by rs.mu
	weight int        // last dynamic weight; guarded by rs.mu
	hasW   bool
	due    time.Time
	index  int
}

// RSState is a real server's current state.
type RSState struct {
	VirtualServer, RealServer string
	Up                        bool
	CheckersUp                []bool
	// CheckerNames are the checkers' labels, in the order of CheckersUp.
	CheckerNames []string
}

// New validates the servers and builds a Scheduler; call Run to start it.
func New(cfg Config, servers []RealServer) (*Scheduler, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 512
	}
	if cfg.EventQueue <= 0 {
		cfg.EventQueue = 4096
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Int64N
	}
	s := &Scheduler{
		cfg:    cfg,
		log:    cfg.Logger,
		events: make(chan Event, cfg.EventQueue),
		// A buffer of one job per worker lets the dispatcher hand over a
		// whole batch without waiting for each worker to wake up.
		jobs: make(chan *entry, cfg.Workers),
		wake: make(chan struct{}, 1),
	}
	seen := map[[2]string]bool{}
	for _, rs := range servers {
		key := [2]string{rs.VirtualServer, rs.ID}
		if seen[key] {
			return nil, fmt.Errorf("check: real server %s in %s listed twice", rs.ID, rs.VirtualServer)
		}
		seen[key] = true
		r := &rsEntry{vs: rs.VirtualServer, id: rs.ID, up: true}
		for i, sp := range rs.Checkers {
			if sp.Prober == nil {
				return nil, fmt.Errorf("check: %s checker %d: no prober", rs.ID, i)
			}
			if sp.Schedule.DelayLoop <= 0 {
				return nil, fmt.Errorf("check: %s checker %d: delay_loop must be positive", rs.ID, i)
			}
			if sp.Name == "" {
				sp.Name = string(sp.Kind)
			}
			e := &entry{rs: r, spec: sp, policy: policyFor(sp.Kind, sp.FastRecovery), st: newCheckState(sp.Schedule.Alpha || sp.StartDown)}
			if !e.st.up {
				r.up = false
			}
			r.entries = append(r.entries, e)
		}
		s.rss = append(s.rss, r)
	}
	return s, nil
}

// Suspend stops (or resumes) probing the real servers of virtual server vs
// while keeping their state, for ha_suspend: keepalived suspends checkers
// while the VS address is not configured locally.
func (s *Scheduler) Suspend(vs string, suspended bool) {
	for _, r := range s.rss {
		if r.vs == vs {
			r.suspended.Store(suspended)
		}
	}
}

// Events returns the bounded queue of transitions. It is closed when Run
// returns.
func (s *Scheduler) Events() <-chan Event { return s.events }

// Snapshot returns the current state of every real server. It may wait while
// the event queue is full, so do not call it from the goroutine that drains
// Events.
func (s *Scheduler) Snapshot() []RSState {
	out := make([]RSState, 0, len(s.rss))
	for _, r := range s.rss {
		r.mu.Lock()
		st := RSState{VirtualServer: r.vs, RealServer: r.id, Up: r.up}
		for _, e := range r.entries {
			st.CheckersUp = append(st.CheckersUp, e.st.up)
			st.CheckerNames = append(st.CheckerNames, e.spec.Name)
		}
		r.mu.Unlock()
		out = append(out, st)
	}
	return out
}

// Run schedules every checker (first probe after a random warmup delay) and
// runs until ctx is cancelled. It returns after all workers have stopped.
// Call it once.
func (s *Scheduler) Run(ctx context.Context) error {
	now := time.Now()
	s.mu.Lock()
	for _, r := range s.rss {
		for _, e := range r.entries {
			var d time.Duration
			if w := e.spec.Schedule.Warmup; w > 0 {
				d = time.Duration(s.cfg.Rand(int64(w)))
			}
			e.due = now.Add(d)
			heap.Push(&s.q, e)
		}
	}
	s.mu.Unlock()

	var wg sync.WaitGroup
	for range s.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.worker(ctx)
		}()
	}
	s.dispatch(ctx)
	wg.Wait()
	// Only workers send events, so the queue can be closed once they are gone.
	close(s.events)
	if err := ctx.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// dispatch pops due entries and hands them to the workers. Workers never
// wait on the dispatcher (they push back under s.mu), so a full pool only
// delays dispatch and cannot deadlock.
func (s *Scheduler) dispatch(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var batch []*entry
	for {
		now := time.Now()
		s.mu.Lock()
		for s.q.Len() > 0 && !s.q[0].due.After(now) {
			batch = append(batch, heap.Pop(&s.q).(*entry))
		}
		wait := time.Hour
		if s.q.Len() > 0 {
			wait = s.q[0].due.Sub(now)
		}
		s.mu.Unlock()
		sent := len(batch) > 0
		for _, e := range batch {
			select {
			case s.jobs <- e:
			case <-ctx.Done():
				return
			}
		}
		clear(batch)
		batch = batch[:0]
		if sent {
			// Handing the batch over may have taken a while: look again.
			continue
		}
		// Since Go 1.23 Reset needs no draining; a stale fire only causes
		// one extra loop.
		timer.Reset(wait)
		select {
		case <-timer.C:
		case <-s.wake:
		case <-ctx.Done():
			return
		}
	}
}

func (s *Scheduler) worker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-s.jobs:
			start := time.Now()
			if e.rs.suspended.Load() {
				s.requeue(e, e.spec.Schedule.DelayLoop)
				continue
			}
			if s.cfg.OnLag != nil {
				s.cfg.OnLag(start.Sub(e.due))
			}
			out := e.spec.Prober.Probe(ctx)
			if ctx.Err() != nil {
				return
			}
			end := time.Now()
			if s.cfg.OnProbe != nil {
				s.cfg.OnProbe(e.rs.vs, e.rs.id, e.spec.Name, out.Err, end.Sub(start))
			}
			// The event is queued under the real server's lock so that the
			// consumer sees each real server's transitions in order.
			e.rs.mu.Lock()
			delay, ev := s.apply(e, out, end.Sub(start), end)
			if ev != nil {
				select {
				case s.events <- *ev:
				case <-ctx.Done():
					e.rs.mu.Unlock()
					return
				}
			}
			e.rs.mu.Unlock()
			s.requeue(e, delay)
		}
	}
}

// requeue schedules e delay from now and wakes the dispatcher when e is
// now the earliest entry.
func (s *Scheduler) requeue(e *entry, delay time.Duration) {
	s.mu.Lock()
	e.due = time.Now().Add(delay)
	heap.Push(&s.q, e)
	first := s.q[0] == e
	s.mu.Unlock()
	if first {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// apply feeds a result to the checker state and derives the event, if any.
// The caller holds e.rs.mu.
func (s *Scheduler) apply(e *entry, out Outcome, latency time.Duration, now time.Time) (time.Duration, *Event) {
	r := e.rs
	wasUp := e.st.up
	delay, changed := e.st.step(out.Err == nil, e.spec.Schedule, e.policy)
	weightChanged := out.Err == nil && out.HasWeight && (!e.hasW || e.weight != out.Weight)
	if out.Err == nil && out.HasWeight {
		e.weight, e.hasW = out.Weight, true
	}
	reason := ""
	if out.Err != nil {
		reason = out.Err.Error()
		if e.spec.Schedule.LogAllFailures || (wasUp && changed) {
			s.log.Info("check failed", "instance", r.vs, "from", r.id, "reason", reason, "checker", e.spec.Name)
		}
	}
	if !changed && !weightChanged {
		return delay, nil
	}
	rsUp := true
	for _, o := range r.entries {
		rsUp = rsUp && o.st.up
	}
	rsChanged := rsUp != r.up
	r.up = rsUp
	if changed {
		s.log.Info(transitionMessage(e.spec.Kind, r.id, e.st.up, e.spec.Schedule.Retry),
			"instance", r.vs, "from", r.id, "checker", e.spec.Name,
			"to", upDown(e.st.up), "reason", reasonOr(reason, "success"))
	}
	if rsChanged {
		s.log.Info("real server state", "instance", r.vs, "from", r.id, "to", upDown(rsUp))
	}
	return delay, &Event{
		Time: now, VirtualServer: r.vs, RealServer: r.id, Checker: e.spec.Name, Kind: e.spec.Kind,
		Up: e.st.up, Reason: reason, Latency: latency, Weight: e.weight, HasWeight: e.hasW,
		RSUp: rsUp, RSChanged: rsChanged, CheckerChanged: changed,
	}
}

func upDown(up bool) string {
	if up {
		return "UP"
	}
	return "DOWN"
}

func reasonOr(r, d string) string {
	if r == "" {
		return d
	}
	return r
}

// entryHeap orders entries by due time.
type entryHeap []*entry

func (h entryHeap) Len() int           { return len(h) }
func (h entryHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h entryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *entryHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *entryHeap) Pop() any {
	old := *h
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	e.index = -1
	return e
}
