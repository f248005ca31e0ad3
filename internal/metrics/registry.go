package metrics

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewRegistry returns a registry with c, p (either may be nil, e.g. p when no checker runs) and
// client_golang's Go runtime and process collectors.
func NewRegistry(c *Collector, p *ProbeRecorder) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	cs := []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	}
	if c != nil {
		cs = append(cs, c)
	}
	if p != nil {
		cs = append(cs, p)
	}
	for _, col := range cs {
		// Registration fails only on a duplicate or inconsistent Desc, a programming error
		// that TestRegistry catches; log instead of panicking so the daemon keeps running.
		if err := reg.Register(col); err != nil {
			slog.Error("metrics: register collector", "err", fmt.Errorf("metrics: %w", err))
		}
	}
	return reg
}

// Handler serves g in the Prometheus text or OpenMetrics format. A failing collector does not
// fail the scrape: the other metrics are served and the error is logged.
func Handler(g prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{
		ErrorLog:      slogErrorLog{},
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// slogErrorLog adapts promhttp's ErrorLog (Println) to slog.
type slogErrorLog struct{}

func (slogErrorLog) Println(v ...any) {
	slog.Warn("metrics: serving scrape", "err", fmt.Sprint(v...))
}
