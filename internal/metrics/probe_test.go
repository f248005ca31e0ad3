package metrics

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

const (
	tvs  = "[198.51.100.1]:tcp:80"
	trs1 = "[203.0.113.10]:tcp:80"
	trs2 = "[203.0.113.11]:tcp:80"
)

var errProbe = errors.New("connection refused")

func TestCheckerType(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTP_GET", "HTTP_GET"},
		{"HTTP_GET#2", "HTTP_GET"},
		{"SMTP_CHECK[1]", "SMTP_CHECK"},
		{"SMTP_CHECK[0]#2", "SMTP_CHECK"},
		{"#weird", "#weird"}, // nothing left before the suffix: keep the name
	}
	for _, tt := range tests {
		if got := checkerType(tt.in); got != tt.want {
			t.Errorf("checkerType(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestProbeRecorder(t *testing.T) {
	p := NewProbeRecorder()
	p.Observe(tvs, trs1, "HTTP_GET", nil, 2*time.Millisecond)
	p.Observe(tvs, trs1, "HTTP_GET", nil, 3*time.Millisecond)
	p.Observe(tvs, trs1, "HTTP_GET#2", errProbe, 2*time.Second)
	p.Observe(tvs, trs2, "TCP_CHECK", errProbe, 50*time.Microsecond)
	p.Observe(tvs, trs2, "TCP_CHECK", nil, 200*time.Microsecond)

	counts := []struct {
		c    prometheus.Collector
		want float64
	}{
		{p.checks.WithLabelValues("HTTP_GET", "success"), 2},
		{p.checks.WithLabelValues("HTTP_GET", "failure"), 1},
		{p.checks.WithLabelValues("TCP_CHECK", "success"), 1},
		{p.checks.WithLabelValues("TCP_CHECK", "failure"), 1},
		{p.failures.WithLabelValues(tvs, trs1, "HTTP_GET"), 0},
		{p.failures.WithLabelValues(tvs, trs1, "HTTP_GET#2"), 1},
		{p.failures.WithLabelValues(tvs, trs2, "TCP_CHECK"), 1},
	}
	for i, c := range counts {
		if got := testutil.ToFloat64(c.c); got != c.want {
			t.Errorf("counter %d = %v, want %v", i, got, c.want)
		}
	}
	if n := testutil.CollectAndCount(p, "gokeepalived_check_failures_total"); n != 3 {
		t.Errorf("%d failure series, want 3 (one per probe key, created at 0)", n)
	}
	if n := testutil.CollectAndCount(p, "gokeepalived_checks_total"); n != 4 {
		t.Errorf("%d checks_total series, want 4", n)
	}

	if n := testutil.CollectAndCount(p, "gokeepalived_check_duration_seconds"); n != 2 {
		t.Errorf("%d histogram series, want 2 (one per checker type)", n)
	}
}

// TestProbeHistogram checks the buckets and sum of the duration histogram.
func TestProbeHistogram(t *testing.T) {
	p := NewProbeRecorder()
	p.Observe(tvs, trs2, "TCP_CHECK", errProbe, 50*time.Microsecond)
	p.Observe(tvs, trs2, "TCP_CHECK#2", nil, 200*time.Microsecond)
	p.Observe(tvs, trs1, "TCP_CHECK", nil, 20*time.Second) // above the last bucket: +Inf only
	want := `
# HELP gokeepalived_check_duration_seconds Duration of checker probes, successful or not, by checker type.
# TYPE gokeepalived_check_duration_seconds histogram
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.0001"} 1
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.00025"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.0005"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.001"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.0025"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.005"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.01"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.025"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.05"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.1"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.25"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="0.5"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="1"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="2.5"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="5"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="10"} 2
gokeepalived_check_duration_seconds_bucket{checker_type="TCP_CHECK",le="+Inf"} 3
gokeepalived_check_duration_seconds_sum{checker_type="TCP_CHECK"} 20.00025
gokeepalived_check_duration_seconds_count{checker_type="TCP_CHECK"} 3
`
	if err := testutil.CollectAndCompare(p, strings.NewReader(want), "gokeepalived_check_duration_seconds"); err != nil {
		t.Error(err)
	}
}

func TestProbeForget(t *testing.T) {
	p := NewProbeRecorder()
	p.Observe(tvs, trs1, "HTTP_GET", errProbe, time.Millisecond)
	p.Observe(tvs, trs1, "TCP_CHECK", errProbe, time.Millisecond)
	p.Observe(tvs, trs2, "HTTP_GET", errProbe, time.Millisecond)
	p.Forget(tvs, trs1)
	if n := testutil.CollectAndCount(p, "gokeepalived_check_failures_total"); n != 1 {
		t.Errorf("%d failure series after Forget, want 1", n)
	}
	if got := testutil.ToFloat64(p.checks.WithLabelValues("HTTP_GET", "failure")); got != 2 {
		t.Errorf("checks_total failure = %v after Forget, want 2 (type totals are kept)", got)
	}
	// A forgotten real server that comes back starts again from 0.
	p.Observe(tvs, trs1, "HTTP_GET", errProbe, time.Millisecond)
	if got := testutil.ToFloat64(p.failures.WithLabelValues(tvs, trs1, "HTTP_GET")); got != 1 {
		t.Errorf("failures after Forget and a new failure = %v, want 1", got)
	}
}

// TestObserveInvalidLabel: Observe with non-UTF-8 names does not panic.
func TestObserveInvalidLabel(t *testing.T) {
	p := NewProbeRecorder()
	p.Observe(tvs, "bad\xff", "HTTP_GET\xfe#2", errProbe, time.Millisecond)
	if got := testutil.ToFloat64(p.failures.WithLabelValues(tvs, "bad\uFFFD", "HTTP_GET\uFFFD#2")); got != 1 {
		t.Errorf("failures of the sanitised key = %v, want 1", got)
	}
	p.Forget(tvs, "bad\xff")
	if n := testutil.CollectAndCount(p, "gokeepalived_check_failures_total"); n != 0 {
		t.Errorf("%d failure series after Forget, want 0", n)
	}
}

// TestObserveNoAlloc: once a key has been seen, Observe allocates nothing.
func TestObserveNoAlloc(t *testing.T) {
	p := NewProbeRecorder()
	p.Observe(tvs, trs1, "HTTP_GET", nil, time.Millisecond)
	p.Observe(tvs, trs1, "HTTP_GET", errProbe, time.Millisecond)
	if a := testing.AllocsPerRun(1000, func() {
		p.Observe(tvs, trs1, "HTTP_GET", nil, time.Millisecond)
		p.Observe(tvs, trs1, "HTTP_GET", errProbe, time.Millisecond)
	}); a != 0 {
		t.Errorf("Observe allocates %v times per run, want 0", a)
	}
}

// TestObserveRace observes from many goroutines while scraping; run with -race. The totals must
// add up exactly.
func TestObserveRace(t *testing.T) {
	p := NewProbeRecorder()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(p); err != nil {
		t.Fatal(err)
	}
	const workers, per = 8, 500
	rss := []string{trs1, trs2}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	scraped := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				scraped <- nil
				return
			default:
			}
			if _, err := reg.Gather(); err != nil {
				scraped <- err
				return
			}
		}
	}()
	for w := range workers {
		wg.Go(func() {
			for i := range per {
				var err error
				if i%5 == 0 {
					err = errProbe
				}
				p.Observe(tvs, rss[(w+i)%2], "HTTP_GET", err, time.Duration(i)*time.Microsecond)
			}
		})
	}
	wg.Wait()
	close(stop)
	if err := <-scraped; err != nil {
		t.Fatalf("gather during Observe: %v", err)
	}
	total := testutil.ToFloat64(p.checks.WithLabelValues("HTTP_GET", "success")) + testutil.ToFloat64(p.checks.WithLabelValues("HTTP_GET", "failure"))
	if total != workers*per {
		t.Errorf("checks_total = %v, want %d", total, workers*per)
	}
	fails := testutil.ToFloat64(p.failures.WithLabelValues(tvs, trs1, "HTTP_GET")) + testutil.ToFloat64(p.failures.WithLabelValues(tvs, trs2, "HTTP_GET"))
	if fails != workers*per/5 {
		t.Errorf("check_failures_total = %v, want %d", fails, workers*per/5)
	}
}

// BenchmarkObserve measures the hot path of a seen key, in parallel like the checker workers.
func BenchmarkObserve(b *testing.B) {
	p := NewProbeRecorder()
	checkers := []string{"HTTP_GET", "TCP_CHECK", "HTTP_GET#2", "MISC_CHECK"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			var err error
			if i&7 == 0 {
				err = errProbe
			}
			p.Observe(tvs, trs1, checkers[i&3], err, time.Duration(i&1023)*time.Microsecond)
			i++
		}
	})
}

// BenchmarkObserveFirstSeen10k measures a daemon's first delay_loop with 10,000 real servers:
// every key is new once. It must stay linear in the number of keys (a copy-on-write map made it
// quadratic: about a second per op).
func BenchmarkObserveFirstSeen10k(b *testing.B) {
	keys := make([]string, 10000)
	for i := range keys {
		keys[i] = fmt.Sprintf("[198.51.%d.%d]:tcp:80", i/256, i%256)
	}
	b.ReportAllocs()
	for b.Loop() {
		p := NewProbeRecorder()
		for _, rs := range keys {
			p.Observe(tvs, rs, "TCP_CHECK", nil, time.Millisecond)
		}
	}
}
