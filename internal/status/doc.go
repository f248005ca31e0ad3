// Package status defines the daemon's status report: the JSON document the control socket
// serves at /status, what `gokeepalived status` prints, and what the Prometheus metrics are
// computed from at scrape time. It holds types only; the daemon fills a Report from the running
// engine, trackers, checkers and IPVS manager (internal/daemon/report.go).
package status
