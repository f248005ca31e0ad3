package engine

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

// transitionLog records an engine's instance transitions.
type transitionLog struct {
	mu  sync.Mutex
	log []Transition
}

func (l *transitionLog) add(tr Transition) {
	l.mu.Lock()
	l.log = append(l.log, tr)
	l.mu.Unlock()
}

func (l *transitionLog) last() Transition {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.log[len(l.log)-1]
}

// startLogged is startRouter with the transitions recorded.
func startLogged(t *testing.T, lan *fakeLAN, name, addr, conf string) (*router, *transitionLog) {
	t.Helper()
	n := lan.node(name, addr)
	tl := &transitionLog{}
	e, err := New(load(t, conf), n, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), OnTransition: tl.add})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &router{net: n, engine: e, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- e.Run(ctx) }()
	return r, tl
}

// stall blocks r's loop until the returned function is called, as a process that is not
// scheduled: its timers still expire, but their fires wait in the queue.
func stall(r *router) (resume func()) {
	release := make(chan struct{})
	r.engine.post(func() { <-release })
	return func() { close(release) }
}

func instanceState(t *testing.T, r *router) string {
	t.Helper()
	st, err := r.engine.Snapshot()
	if err != nil || len(st) != 1 {
		t.Fatalf("%s: snapshot %v, %v", r.net.name, st, err)
	}
	return st[0].State
}

// TestTimerExpiredBackup stalls the master's loop for 6 s, longer than the backup's
// Master_Down_Interval (3.61 s), so the backup takes over meanwhile. When the stalled master runs
// again its advert timer fires about 5 s late: with timer_expired_backup it steps down without
// sending that advert and follows the new master (nopreempt); without it, it stays master and
// its first advert (priority 150) takes mastership back from the backup.
func TestTimerExpiredBackup(t *testing.T) {
	tests := []struct {
		name   string
		extra  string
		aState string
		bState string
	}{
		{"with timer_expired_backup", "nopreempt\n    timer_expired_backup", "BACKUP", "MASTER"},
		{"without", "nopreempt", "MASTER", "BACKUP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				lan := &fakeLAN{}
				a, aLog := startLogged(t, lan, "a", "198.51.100.1", instanceConf(150, tt.extra))
				b := startRouter(t, lan, "b", "198.51.100.2", instanceConf(100, "nopreempt"))
				waitInstalled(t, a.net, 10*time.Second)
				time.Sleep(500 * time.Millisecond)
				synctest.Wait()

				resume := stall(a)
				waitInstalled(t, b.net, 10*time.Second) // b took over during the stall
				time.Sleep(6*time.Second - 3700*time.Millisecond)
				resume()
				synctest.Wait()
				time.Sleep(10 * time.Second) // the outcome is stable: no flapping
				synctest.Wait()

				if got := instanceState(t, a); got != tt.aState {
					t.Errorf("a: %s, want %s", got, tt.aState)
				}
				if got := instanceState(t, b); got != tt.bState {
					t.Errorf("b: %s, want %s", got, tt.bState)
				}
				if got, want := a.net.isInstalled("VI_1"), tt.aState == "MASTER"; got != want {
					t.Errorf("a holds the VIP: %v, want %v", got, want)
				}
				if got, want := b.net.isInstalled("VI_1"), tt.bState == "MASTER"; got != want {
					t.Errorf("b holds the VIP: %v, want %v", got, want)
				}
				if tt.aState == "BACKUP" {
					tr := aLog.last()
					if tr.From != fsm.StateMaster || tr.To != fsm.StateBackup || tr.Reason != fsm.ReasonTimerExpired {
						t.Errorf("a's last transition %v->%v reason %v, want MASTER->BACKUP timer_expired", tr.From, tr.To, tr.Reason)
					}
				}
				a.stop(t)
				b.stop(t)
			})
		})
	}
}
