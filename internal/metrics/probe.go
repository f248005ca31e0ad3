package metrics

import (
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// checkDurationBuckets span 0.1 ms (a loopback TCP connect) to 10 s (a slow HTTP or MISC
// check near its timeout), roughly 2.5x apart.
var checkDurationBuckets = []float64{
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
}

// ProbeRecorder counts checker probes. Its Observe method has the signature of
// check.Config.OnProbe and is safe for concurrent use; it is a prometheus.Collector.
type ProbeRecorder struct {
	checks   *prometheus.CounterVec
	failures *prometheus.CounterVec
	duration *prometheus.HistogramVec

	// series caches the resolved children per probe key, so that Observe, called up to ~10k
	// times a second from many workers, does no label hashing and no allocation once a key has
	// been seen. A plain map under an RWMutex: a copy-on-write map was tried and is quadratic
	// when 10,000 real servers are first seen within one delay_loop (every insert copied the
	// whole map, and workers queued behind the copies for seconds); sync.Map would allocate on
	// every lookup to box the struct key.
	mu     sync.RWMutex
	series map[probeKey]*probeSeries
}

type probeKey struct{ vs, rs, checker string }

type probeSeries struct {
	success, failure prometheus.Counter // gokeepalived_checks_total of the checker type
	failures         prometheus.Counter // gokeepalived_check_failures_total of the key
	duration         prometheus.Observer
}

// NewProbeRecorder returns an empty ProbeRecorder.
func NewProbeRecorder() *ProbeRecorder {
	p := &ProbeRecorder{
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gokeepalived_checks_total",
			Help: "Checker probes run, by checker type and result (success or failure).",
		}, []string{"checker_type", "result"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gokeepalived_check_failures_total",
			Help: "Failed checker probes per virtual server, real server and checker.",
		}, []string{"virtual_server", "real_server", "checker"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gokeepalived_check_duration_seconds",
			Help:    "Duration of checker probes, successful or not, by checker type.",
			Buckets: checkDurationBuckets,
		}, []string{"checker_type"}),
	}
	p.series = map[probeKey]*probeSeries{}
	return p
}

// Observe records one probe of checker on real server rs of virtual server vs; err is nil when
// the probe succeeded.
func (p *ProbeRecorder) Observe(vs, rs, checker string, err error, latency time.Duration) {
	k := probeKey{vs, rs, checker}
	p.mu.RLock()
	s := p.series[k]
	p.mu.RUnlock()
	if s == nil {
		s = p.resolve(k)
	}
	if err != nil {
		s.failure.Inc()
		s.failures.Inc()
	} else {
		s.success.Inc()
	}
	s.duration.Observe(latency.Seconds())
}

// resolve creates the children of k once. The failure series is created at 0 with the first
// probe, so rate() works from the first failure on.
func (p *ProbeRecorder) resolve(k probeKey) *probeSeries {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.series[k]; s != nil {
		return s
	}
	// Label values are made valid UTF-8 so that WithLabelValues cannot panic.
	vs, rs, checker := validLabel(k.vs), validLabel(k.rs), validLabel(k.checker)
	t := checkerType(checker)
	s := &probeSeries{
		success:  p.checks.WithLabelValues(t, "success"),
		failure:  p.checks.WithLabelValues(t, "failure"),
		failures: p.failures.WithLabelValues(vs, rs, checker),
		duration: p.duration.WithLabelValues(t),
	}
	p.series[k] = s
	return s
}

// Forget drops the per-real-server series of rs in vs (after a reload removed it), so that
// gokeepalived_check_failures_total does not grow without bound. The per-type counters and the
// histogram keep their totals.
func (p *ProbeRecorder) Forget(vs, rs string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	maps.DeleteFunc(p.series, func(k probeKey, _ *probeSeries) bool { return k.vs == vs && k.rs == rs })
	p.failures.DeletePartialMatch(prometheus.Labels{"virtual_server": validLabel(vs), "real_server": validLabel(rs)})
}

// checkerType strips the daemon's disambiguating suffixes from a checker name: "HTTP_GET#2" and
// "SMTP_CHECK[1]" become "HTTP_GET" and "SMTP_CHECK".
func checkerType(name string) string {
	if i := strings.IndexAny(name, "#["); i > 0 {
		return name[:i]
	}
	return name
}

// Describe sends the Descs of the three metric families.
func (p *ProbeRecorder) Describe(ch chan<- *prometheus.Desc) {
	p.checks.Describe(ch)
	p.failures.Describe(ch)
	p.duration.Describe(ch)
}

// Collect sends the current values.
func (p *ProbeRecorder) Collect(ch chan<- prometheus.Metric) {
	p.checks.Collect(ch)
	p.failures.Collect(ch)
	p.duration.Collect(ch)
}
