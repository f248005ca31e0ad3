package track

import (
	"context"
	"fmt"
	"sync"
)

// readiness is closed once a tracker has reported its first verdict.
type readiness struct {
	once sync.Once
	ch   chan struct{}
}

func newReadiness() readiness { return readiness{ch: make(chan struct{})} }

// mark records that the first verdict went out.
func (r *readiness) mark() { r.once.Do(func() { close(r.ch) }) }

// WaitReady blocks until every tracker has reported its first verdict, or ctx ends.
// keepalived keeps an instance in INIT until its scripts have returned once; calling
// WaitReady after Start and before the engine runs gives the engine the verdicts
// first, instead of a start in BACKUP followed by FAULT. A bound of the longest
// script timeout is enough.
func (s *Set) WaitReady(ctx context.Context) error {
	var all []*readiness
	for _, t := range s.scripts {
		all = append(all, &t.ready)
	}
	for _, t := range s.files {
		all = append(all, &t.ready)
	}
	for _, t := range s.procs {
		all = append(all, &t.ready)
	}
	for _, r := range all {
		select {
		case <-r.ch:
		case <-ctx.Done():
			return fmt.Errorf("track: waiting for first verdicts: %w", ctx.Err())
		}
	}
	return nil
}
