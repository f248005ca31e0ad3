package track

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
)

// Runner runs one script and waits for it; script.Run in production. Tests inject a
// fake to drive the interval logic inside a testing/synctest bubble.
type Runner func(ctx context.Context, c script.Command) (script.Result, error)

// scriptTracker runs one vrrp_script every interval and reports its rise/fall verdict.
type scriptTracker struct {
	ready    readiness
	name     string
	cmd      script.Command
	interval time.Duration
	rf       riseFall
	binds    []binding
	rep      Reporter
	run      Runner
	log      *slog.Logger
	// good and running mirror the loop's state for Scripts, which reads them from other
	// goroutines.
	good, running atomic.Bool
}

// loop runs the script at once and then every interval, as keepalived schedules a
// run interval after the previous start. A run still going when the next is due is
// not doubled ("is already running, expect idle - skipping run"). Each run happens
// on its own goroutine, so a hung script never delays anything but itself.
func (t *scriptTracker) loop(ctx context.Context) {
	t.good.Store(t.rf.ok())
	if t.rf.known {
		// init_fail: the script starts failed and is reported so before its first run.
		t.report()
	}
	results := make(chan bool, 1)
	running := false
	start := func() {
		running = true
		t.running.Store(true)
		go func() {
			res, err := t.run(ctx, t.cmd)
			ok := err == nil && res.OK()
			switch {
			case err != nil:
				t.log.Warn(fmt.Sprintf("VRRP_Script(%s) cannot be run: %v", t.name, err), "reason", "script_error")
			case res.TimedOut:
				t.log.Info(fmt.Sprintf("VRRP_Script(%s) timed out", t.name), "reason", "timeout")
			case !ok:
				t.log.Debug(fmt.Sprintf("VRRP_Script(%s) %s", t.name, res), "reason", "script_failed")
			}
			results <- ok
		}()
	}
	start()
	tick := time.NewTicker(t.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			if running {
				// The runner kills the script's process group on cancel; wait so no
				// script outlives Stop.
				<-results
			}
			return
		case ok := <-results:
			running = false
			t.running.Store(false)
			changed := t.rf.observe(ok)
			t.good.Store(t.rf.ok())
			if changed {
				if t.rf.ok() {
					t.log.Info(fmt.Sprintf("VRRP_Script(%s) succeeded", t.name))
				} else {
					t.log.Info(fmt.Sprintf("VRRP_Script(%s) failed", t.name))
				}
				t.report()
			}
		case <-tick.C:
			if running {
				t.log.Debug(fmt.Sprintf("Track script %s is already running, expect idle - skipping run", t.name))
				continue
			}
			start()
		}
	}
}

// report sends the current verdict to every instance tracking the script.
func (t *scriptTracker) report() {
	defer t.ready.mark()
	ok := t.rf.ok()
	for _, b := range t.binds {
		t.rep.SetTracker(b.instance, b.key, BoolState(ok, b.weight, b.reverse))
	}
}
