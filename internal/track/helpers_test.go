package track

import (
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// timeT is a test clock reading in nanoseconds since an arbitrary epoch.
type timeT int64

func (t timeT) time() time.Time { return time.Unix(0, 0).Add(time.Duration(t)) }

// call is one SetTracker call.
type call struct {
	instance, key string
	st            engine.TrackerState
}

// fakeReporter records SetTracker calls and lets a test wait for a condition.
type fakeReporter struct {
	mu    sync.Mutex
	calls []call
	cond  *sync.Cond
}

func newFakeReporter() *fakeReporter {
	r := &fakeReporter{}
	r.cond = sync.NewCond(&r.mu)
	return r
}

func (r *fakeReporter) SetTracker(instance, key string, st engine.TrackerState) {
	r.mu.Lock()
	r.calls = append(r.calls, call{instance, key, st})
	r.mu.Unlock()
	r.cond.Broadcast()
}

// snapshot returns the calls so far.
func (r *fakeReporter) snapshot() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

// last returns the last state reported for instance/key.
func (r *fakeReporter) last(instance, key string) (engine.TrackerState, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastLocked(instance, key)
}

func (r *fakeReporter) lastLocked(instance, key string) (engine.TrackerState, bool) {
	for i := len(r.calls) - 1; i >= 0; i-- {
		if c := r.calls[i]; c.instance == instance && c.key == key {
			return c.st, true
		}
	}
	return engine.TrackerState{}, false
}

// waitFor blocks until the last state for instance/key equals want or the deadline
// passes (a generous bound for real processes, not a timing assertion).
func (r *fakeReporter) waitFor(instance, key string, want engine.TrackerState, d time.Duration) bool {
	timer := time.AfterFunc(d, func() { r.cond.Broadcast() })
	defer timer.Stop()
	deadline := time.Now().Add(d)
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		if st, ok := r.lastLocked(instance, key); ok && st == want {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		r.cond.Wait()
	}
}
