package check

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
)

// TestAlertBody pins the alert bodies to keepalived 2.2.x's strings.
func TestAlertBody(t *testing.T) {
	tests := []struct {
		kind   Kind
		up     bool
		reason string
		want   string
		ok     bool
	}{
		{KindTCP, true, "", "=> TCP CHECK succeed on service <=", true},
		{KindTCP, false, "connection refused", "=> TCP CHECK failed on service <=", true},
		{KindHTTP, true, "", "=> CHECK succeed on service <=", true},
		{KindHTTP, false, "status 500", "=> CHECK failed on service : HTTP request failed <=", true},
		{KindSSL, false, "", "=> CHECK failed on service : HTTP request failed <=", true},
		{KindUDP, true, "", "=> UDP CHECK succeed on service <=", true},
		{KindUDP, false, "x", "=> UDP CHECK failed on service <=", true},
		{KindPing, true, "", "=> ICMP CHECK succeed on service <=", true},
		{KindPing, false, "x", "=> ICMP CHECK failed on service <=", true},
		{KindDNS, true, "", "=> DNS_CHECK: succeed on service <=", true},
		{KindDNS, false, "x", "=> DNS_CHECK: failed on service <=", true},
		{KindSMTP, true, "", "=> CHECK succeed on service <=", true},
		{KindSMTP, false, "bad greeting", "=> CHECK failed on service : bad greeting <=", true},
		{KindSMTP, false, "", "=> CHECK failed on service <=", true},
		{KindMisc, true, "", "=> MISC CHECK succeeded on service <=", true},
		{KindMisc, false, "misc_path exited with status 1", "=> MISC CHECK failed on service <=", true},
		{KindMisc, false, miscTimedOut, "=> MISC CHECK timed out on service <=", true},
		{KindFile, false, "x", "", false},
		{KindFile, true, "", "", false},
	}
	for _, tt := range tests {
		got, ok := AlertBody(tt.kind, tt.up, tt.reason)
		if got != tt.want || ok != tt.ok {
			t.Errorf("AlertBody(%s, %v, %q) = %q, %v; want %q, %v", tt.kind, tt.up, tt.reason, got, ok, tt.want, tt.ok)
		}
	}
}

// TestMiscTimeoutReason: the time-out outcome carries the reason AlertBody recognises.
func TestMiscTimeoutReason(t *testing.T) {
	out := MiscOutcome(script.Result{TimedOut: true, Signal: 9}, false)
	if out.Err == nil || out.Err.Error() != miscTimedOut {
		t.Fatalf("timed-out script: %v", out.Err)
	}
}

// weighted is a Prober returning a fixed sequence of outcomes.
type weighted struct {
	mu  sync.Mutex
	out []Outcome
}

func (p *weighted) Probe(context.Context) Outcome {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.out) == 0 {
		return Outcome{Weight: 9, HasWeight: true}
	}
	o := p.out[0]
	p.out = p.out[1:]
	return o
}

// TestEventCheckerChanged: an event that only carries a new dynamic weight is not a checker
// transition (no SMTP alert); up/down events are.
func TestEventCheckerChanged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &weighted{out: []Outcome{{Weight: 3, HasWeight: true}, {Err: errDown}, {Weight: 3, HasWeight: true}}}
		s, err := New(Config{Workers: 1, Logger: quiet()}, []RealServer{{
			VirtualServer: "[198.51.100.1]:tcp:80", ID: "[198.51.100.10]:tcp:80",
			Checkers: []Spec{{Kind: KindMisc, Prober: p, Schedule: Schedule{DelayLoop: time.Second}}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { _ = s.Run(ctx); close(done) }()
		for i, want := range []struct{ up, changed bool }{{true, false}, {false, true}, {true, true}, {true, false}} {
			ev := <-s.Events()
			if ev.Up != want.up || ev.CheckerChanged != want.changed {
				t.Errorf("event %d: up %v changed %v, want %v %v (%+v)", i, ev.Up, ev.CheckerChanged, want.up, want.changed, ev)
			}
		}
		cancel()
		<-done
	})
}
