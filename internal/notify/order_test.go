package notify

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

// Compile-time checks that the notifier plugs into the engine as documented.
var _ = engine.Options{OnTransition: (*Notifier)(nil).OnTransition}

// TestSlowScriptHoldsQueueUpToOrderWait: a hung notify_backup delays the next
// instance notification by OrderWait, not forever, and is not killed; another
// instance's queue is not delayed at all.
func TestSlowScriptHoldsQueueUpToOrderWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var started []string
		begin := time.Now()
		release := make(chan struct{})
		runner := func(ctx context.Context, c script.Command) (script.Result, error) {
			mu.Lock()
			started = append(started, fmt.Sprintf("%s@%v", c.Argv[0], time.Since(begin)))
			mu.Unlock()
			if c.Argv[0] == "/hang" {
				select {
				case <-release:
				case <-ctx.Done():
					t.Error("a notify script was cancelled")
				}
			}
			return script.Result{}, nil
		}
		cfg := load(t, instance("VI_1", 1, "notify_backup /hang\nnotify_master /master\n")+
			instance("VI_2", 2, "notify_master /other\n"))
		n := newNotifier(t, cfg, Options{Runner: runner, OrderWait: 5 * time.Second})
		n.OnTransition(tr("VI_1", false, fsm.StateBackup, 150))
		n.OnTransition(tr("VI_1", false, fsm.StateMaster, 150))
		n.OnTransition(tr("VI_2", false, fsm.StateMaster, 150))
		time.Sleep(10 * time.Second)
		synctest.Wait()
		close(release)
		if err := n.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		slices.Sort(started)
		want := []string{"/hang@0s", "/master@5s", "/other@0s"}
		if !slices.Equal(started, want) {
			t.Errorf("started %q, want %q", started, want)
		}
	})
}

// TestCloseIsBounded: a notify_stop that never ends does not hold Close past its
// context.
func TestCloseIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		block := make(chan struct{})
		runner := func(ctx context.Context, c script.Command) (script.Result, error) {
			<-block
			return script.Result{}, nil
		}
		cfg := load(t, instance("VI_1", 1, "notify_stop /stop\n"))
		n := newNotifier(t, cfg, Options{Runner: runner, OrderWait: time.Hour})
		n.OnTransition(tr("VI_1", false, fsm.StateStop, 150))
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		begin := time.Now()
		err := n.Close(ctx)
		if err == nil {
			t.Error("Close reported success with notify_stop still running")
		}
		if d := time.Since(begin); d != time.Second {
			t.Errorf("Close took %v, want the 1s bound", d)
		}
		close(block)
		synctest.Wait()
	})
}

// TestQueueFullDrops: events past the queue length are dropped and counted instead
// of blocking the caller.
func TestQueueFullDrops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		block := make(chan struct{})
		runner := func(ctx context.Context, c script.Command) (script.Result, error) {
			<-block
			return script.Result{}, nil
		}
		cfg := load(t, instance("VI_1", 1, "notify_master /m\n"))
		n := newNotifier(t, cfg, Options{Runner: runner, QueueLen: 2, OrderWait: time.Hour})
		n.OnTransition(tr("VI_1", false, fsm.StateMaster, 150))
		synctest.Wait() // the first is now running
		for range 4 {
			n.OnTransition(tr("VI_1", false, fsm.StateMaster, 150))
		}
		synctest.Wait()
		// One is running, two are queued.
		if got := n.Dropped(); got != 2 {
			t.Errorf("dropped %d, want 2", got)
		}
		close(block)
		if err := n.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}
