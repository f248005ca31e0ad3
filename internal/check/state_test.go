package check

import (
	"testing"
	"time"
)

// TestCheckStateSteps drives the pure state machine with result sequences and
// checks the delays and transitions against keepalived's epilogs.
func TestCheckStateSteps(t *testing.T) {
	tcp := Schedule{DelayLoop: 10 * time.Second, Retry: 2, DelayBeforeRetry: 3 * time.Second}
	http := Schedule{DelayLoop: 10 * time.Second, Retry: 1, DelayBeforeRetry: 3 * time.Second}
	slowRetry := Schedule{DelayLoop: 2 * time.Second, Retry: 1, DelayBeforeRetry: 5 * time.Second}
	type step struct {
		ok      bool
		delay   time.Duration
		changed bool
		up      bool
	}
	s := time.Second
	tests := []struct {
		name  string
		kind  Kind
		fast  bool
		alpha bool
		sched Schedule
		steps []step
	}{
		{"tcp up stays up", KindTCP, false, false, tcp, []step{
			{true, 10 * s, false, true}, {true, 10 * s, false, true}}},
		{"tcp retries then down", KindTCP, false, false, tcp, []step{
			{false, 3 * s, false, true}, {false, 3 * s, false, true}, {false, 10 * s, true, false}}},
		{"tcp retry succeeds resets", KindTCP, false, false, tcp, []step{
			{false, 3 * s, false, true}, {true, 10 * s, false, true}, {false, 3 * s, false, true}}},
		{"tcp down keeps retrying cadence", KindTCP, false, false, Schedule{DelayLoop: 10 * s, Retry: 1, DelayBeforeRetry: s}, []step{
			{false, s, false, true}, {false, 10 * s, true, false}, {false, s, false, false}, {false, 10 * s, false, false}, {true, 10 * s, true, true}}},
		{"alpha starts down, one success is up", KindTCP, false, true, tcp, []step{
			{true, 10 * s, true, true}}},
		{"alpha failure stays down", KindTCP, false, true, Schedule{DelayLoop: 10 * s}, []step{
			{false, 10 * s, false, false}, {true, 10 * s, true, true}}},
		{"retry 0 fails at once", KindMisc, false, false, Schedule{DelayLoop: 10 * s}, []step{
			{false, 10 * s, true, false}}},
		{"http no retry when down, needs two passes", KindHTTP, false, false, http, []step{
			{false, 3 * s, false, true}, {false, 10 * s, true, false}, {false, 10 * s, false, false},
			{true, 10 * s, false, false}, {true, 10 * s, true, true}}},
		{"http fast_recovery second pass at once", KindHTTP, true, false, http, []step{
			{false, 3 * s, false, true}, {false, 10 * s, true, false}, {true, 0, false, false}, {true, 10 * s, true, true}}},
		{"http recovery interrupted", KindHTTP, false, false, http, []step{
			{false, 3 * s, false, true}, {false, 10 * s, true, false}, {true, 10 * s, false, false}, {false, 10 * s, false, false}, {true, 10 * s, false, false}, {true, 10 * s, true, true}}},
		{"http down delay is max(dbr, loop)", KindHTTP, false, false, slowRetry, []step{
			{false, 5 * s, false, true}, {false, 5 * s, true, false}, {false, 5 * s, false, false}}},
		{"udp retries only while up", KindUDP, false, false, Schedule{DelayLoop: 10 * s, Retry: 1, DelayBeforeRetry: s}, []step{
			{false, s, false, true}, {false, 10 * s, true, false}, {false, 10 * s, false, false}, {true, 10 * s, true, true}}},
		{"udp alpha does not retry", KindUDP, false, true, Schedule{DelayLoop: 10 * s, Retry: 1, DelayBeforeRetry: s}, []step{
			{false, 10 * s, false, false}}},
		{"http alpha retries first run", KindHTTP, false, true, http, []step{
			{false, 3 * s, false, false}, {false, 10 * s, false, false}}},
		{"http alpha first success is up", KindHTTP, false, true, http, []step{
			{true, 10 * s, true, true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newCheckState(tc.alpha)
			p := policyFor(tc.kind, tc.fast)
			for i, want := range tc.steps {
				d, ch := st.step(want.ok, tc.sched, p)
				if d != want.delay || ch != want.changed || st.up != want.up {
					t.Fatalf("step %d (ok=%v): got delay %v changed %v up %v, want %v %v %v",
						i, want.ok, d, ch, st.up, want.delay, want.changed, want.up)
				}
			}
		})
	}
}

func TestDefaultSchedule(t *testing.T) {
	tests := []struct {
		kind  Kind
		loop  time.Duration
		retry int
		dbr   time.Duration
	}{
		{KindTCP, 0, 1, time.Second},
		{KindHTTP, 6 * time.Second, 1, 3 * time.Second},
		{KindSSL, 6 * time.Second, 1, 3 * time.Second},
		{KindMisc, 6 * time.Second, 0, time.Second},
		{KindDNS, 6 * time.Second, 3, 6 * time.Second},
		{KindSMTP, 6 * time.Second, 1, time.Second},
	}
	for _, tc := range tests {
		s := DefaultSchedule(tc.kind, tc.loop)
		wantLoop := tc.loop
		if wantLoop == 0 {
			wantLoop = 60 * time.Second
		}
		if s.Retry != tc.retry || s.DelayBeforeRetry != tc.dbr || s.DelayLoop != wantLoop || s.Warmup != wantLoop || s.ConnectTimeout != 5*time.Second {
			t.Errorf("%s: got %+v", tc.kind, s)
		}
	}
}
