package track

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// TestWaitReady: WaitReady returns once the slowest first run has reported, and
// gives up at its context.
func TestWaitReady(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		runner := func(ctx context.Context, c script.Command) (script.Result, error) {
			d := time.Second
			if c.Argv[0] == "/slow" {
				d = 3 * time.Second
			}
			select {
			case <-time.After(d):
				return script.Result{}, nil
			case <-ctx.Done():
				return script.Result{TimedOut: true, ExitStatus: -1}, nil
			}
		}
		cfg := load(t, `
vrrp_script fast {
	script /fast
	interval 10
}
vrrp_script slow {
	script /slow
	interval 10
}
`+instance("VI_1", 1, "track_script {\nfast\nslow\n}"))
		s, err := New(cfg, newFakeReporter(), Options{Runner: runner, Logger: quiet(t), Policy: &policy.Policy{Lookup: noUser}})
		if err != nil {
			t.Fatal(err)
		}
		s.Start(context.Background())
		defer s.Stop()
		short, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.WaitReady(short); err == nil {
			t.Error("WaitReady succeeded before the slow script reported")
		}
		begin := time.Now()
		if err := s.WaitReady(context.Background()); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(begin); d != time.Second {
			t.Errorf("WaitReady took another %v, want 1s (the slow script's remaining run time)", d)
		}
	})
}
