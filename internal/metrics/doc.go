// Package metrics exposes gokeepalived's state as Prometheus metrics: a Collector that turns a
// status.Report into keepalived-exporter compatible series (so existing dashboards keep working)
// plus gokeepalived_* native ones, a ProbeRecorder for per-probe checker metrics, and the
// registry and HTTP handler the daemon serves on its control socket and optional TCP listener.
// docs/metrics.md lists every metric.
package metrics
