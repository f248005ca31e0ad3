package daemon

import (
	"net/http"

	"github.com/gokeepalived/gokeepalived/internal/metrics"
)

// newMetrics builds the Prometheus handler over rep's status report and the recorder of every
// checker probe.
func newMetrics(rep *reporter) (http.Handler, *metrics.ProbeRecorder) {
	probes := metrics.NewProbeRecorder()
	reg := metrics.NewRegistry(metrics.NewCollector(rep.report), probes)
	return metrics.Handler(reg), probes
}
