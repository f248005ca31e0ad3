package daemon

import (
	"net/http"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/metrics"
)

// newMetrics builds the Prometheus handler over rep's status report and the hook that records
// every checker probe.
func newMetrics(rep *reporter) (http.Handler, func(vs, rs, checker string, err error, latency time.Duration)) {
	probes := metrics.NewProbeRecorder()
	reg := metrics.NewRegistry(metrics.NewCollector(rep.report), probes)
	return metrics.Handler(reg), probes.Observe
}
