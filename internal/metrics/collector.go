package metrics

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gokeepalived/gokeepalived/internal/status"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// ScrapeTimeout bounds the status query of one scrape, so that a stuck daemon loop turns into
// keepalived_up 0 instead of a hanging scrape.
const ScrapeTimeout = 5 * time.Second

// ReportFunc returns the daemon's current status.
type ReportFunc func(ctx context.Context) (status.Report, error)

// Collector is a prometheus.Collector that asks the daemon for a status.Report at each scrape
// and emits it as constant metrics. It keeps no state between scrapes.
type Collector struct {
	report ReportFunc
	d      *descs
	// goVersion is the goversion label of gokeepalived_build_info; tests pin it.
	goVersion string
}

// NewCollector returns a Collector that calls report at each scrape.
func NewCollector(report func(ctx context.Context) (status.Report, error)) *Collector {
	return &Collector{report: report, d: newDescs(), goVersion: runtime.Version()}
}

// Describe sends every Desc the Collector can emit.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.d.all() {
		ch <- d
	}
}

// Collect queries the daemon and emits the metrics. When the query fails it emits only
// keepalived_up 0: stale or partial VRRP series would be worse than none.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), ScrapeTimeout)
	defer cancel()
	r, err := c.report(ctx)
	if err != nil {
		ch <- gauge(c.d.up, 0)
		return
	}
	ch <- gauge(c.d.up, 1)
	c.collectDaemon(ch, r.Daemon)
	for i := range r.VRRP {
		c.collectInstance(ch, &r.VRRP[i])
	}
	c.collectScripts(ch, r.Scripts)
	c.collectCheckers(ch, r.RealServers)
	c.collectLVS(ch, r.VirtualServers)
}

func (c *Collector) collectDaemon(ch chan<- prometheus.Metric, d status.Daemon) {
	ch <- gauge(c.d.buildInfo, 1, d.Version, c.goVersion)
	if !d.Started.IsZero() {
		ch <- gauge(c.d.startTime, float64(d.Started.UnixNano())/1e9)
	}
	ch <- counter(c.d.reloads, float64(d.Reloads))
}

// compatStates are the states keepalived-exporter knows, in keepalived's numbering.
var compatStates = map[string]float64{"INIT": 0, "BACKUP": 1, "MASTER": 2, "FAULT": 3}

// compatState returns the keepalived_vrrp_state value of s. STOP (after shutdown), keepalived's
// DELETED and anything unknown count as INIT: like INIT, the instance takes no part in the
// election, and dashboards only know the four RFC/keepalived states.
func compatState(s string) float64 {
	return compatStates[s]
}

// nativeStates are the states of gokeepalived_vrrp_state (fsm.State names).
var nativeStates = []string{"INIT", "BACKUP", "MASTER", "FAULT", "STOP"}

func (c *Collector) collectInstance(ch chan<- prometheus.Metric, in *engine.InstanceStatus) {
	vrid := strconv.Itoa(in.VRID)
	stateVal := compatState(in.State)
	// No state label on the counters, as in keepalived-exporter since it dropped it: a label
	// that changes at every failover would split each counter into several series.
	il := []string{in.Name, in.Interface, vrid}
	ch <- counter(c.d.advertsRcvd, float64(in.AdvertsReceived), il...)
	ch <- counter(c.d.advertsSent, float64(in.AdvertsSent), il...)
	ch <- counter(c.d.becomeMaster, float64(in.BecomeMaster), il...)
	ch <- counter(c.d.releaseMaster, float64(in.ReleaseMaster), il...)
	ch <- counter(c.d.prioZeroRcvd, float64(in.PriorityZeroRx), il...)
	ch <- counter(c.d.prioZeroSent, float64(in.PriorityZeroTx), il...)
	totals := statTotals(in.Drops)
	for s := statNone + 1; s < numStats; s++ {
		ch <- counter(c.d.stats[s], float64(totals[s]), il...)
	}
	if len(in.VIPs) == 0 {
		// Like keepalived-exporter: the state is still visible for an instance without VIPs.
		ch <- gauge(c.d.vrrpState, stateVal, in.Name, in.Interface, vrid, "")
	}
	seen := make(map[string]bool, len(in.VIPs))
	for _, v := range in.VIPs {
		ip := vipAddress(v)
		if ip == "" || seen[ip] {
			continue // the same address on two devices would be a duplicate series
		}
		seen[ip] = true
		ch <- gauge(c.d.vrrpState, stateVal, in.Name, in.Interface, vrid, ip)
	}

	nl := []string{in.Name, in.Interface, vrid}
	ch <- gauge(c.d.priority, float64(in.Priority), nl...)
	ch <- gauge(c.d.basePriority, float64(in.BasePriority), nl...)
	for _, s := range nativeStates {
		ch <- gauge(c.d.stateSet, boolf(s == in.State), in.Name, in.Interface, vrid, s)
	}
	for reason, n := range in.Drops {
		if n > 0 {
			ch <- counter(c.d.drops, float64(n), in.Name, in.Interface, vrid, reason)
		}
	}
	ch <- counter(c.d.sendErrors, float64(in.SendErrors), nl...)
	for _, t := range in.Trackers {
		ch <- gauge(c.d.trackerFault, boolf(t.Fault), in.Name, t.Key)
		ch <- gauge(c.d.trackerWeight, float64(t.Weight), in.Name, t.Key)
	}
}

// vipAddress returns the address of an InstanceStatus VIP string ("198.51.100.10/24", or a bare
// address for a host prefix; anything after the first space is ignored) without its prefix length.
func vipAddress(v string) string {
	f, _, _ := strings.Cut(strings.TrimSpace(v), " ")
	a, _, _ := strings.Cut(f, "/")
	return a
}

func (c *Collector) collectScripts(ch chan<- prometheus.Metric, scripts []status.Script) {
	for _, s := range scripts {
		switch s.Status {
		case status.ScriptGood:
			ch <- gauge(c.d.scriptStatus, 1, s.Name)
		case status.ScriptBad:
			ch <- gauge(c.d.scriptStatus, 0, s.Name)
		}
		switch s.State {
		case status.ScriptIdle:
			ch <- gauge(c.d.scriptState, 0, s.Name)
		case status.ScriptRunning:
			ch <- gauge(c.d.scriptState, 1, s.Name)
		}
	}
}

func (c *Collector) collectCheckers(ch chan<- prometheus.Metric, rss []status.RealServer) {
	for _, rs := range rss {
		ch <- gauge(c.d.rsUp, boolf(rs.Up), rs.VirtualServer, rs.RealServer)
		for _, ck := range rs.Checkers {
			ch <- gauge(c.d.checkerUp, boolf(ck.Up), rs.VirtualServer, rs.RealServer, ck.Name)
		}
	}
}

func (c *Collector) collectLVS(ch chan<- prometheus.Metric, vss []status.VirtualServer) {
	for _, vs := range vss {
		ch <- gauge(c.d.lvsQuorumUp, boolf(vs.QuorumUp), vs.Name)
		ch <- gauge(c.d.lvsAliveWeight, float64(vs.AliveWeight), vs.Name)
		ch <- gauge(c.d.lvsQuorum, float64(vs.Quorum), vs.Name)
		for _, rs := range vs.RealServers {
			ch <- gauge(c.d.lvsRSAlive, boolf(rs.Alive), vs.Name, rs.Name)
			ch <- gauge(c.d.lvsRSWeight, float64(rs.Weight), vs.Name, rs.Name)
		}
		for _, svc := range vs.Services {
			ch <- counter(c.d.svcConns, float64(svc.Connections), vs.Name, svc.Service)
			ch <- counter(c.d.svcPackets, float64(svc.PacketsIn), vs.Name, svc.Service, "in")
			ch <- counter(c.d.svcPackets, float64(svc.PacketsOut), vs.Name, svc.Service, "out")
			ch <- counter(c.d.svcBytes, float64(svc.BytesIn), vs.Name, svc.Service, "in")
			ch <- counter(c.d.svcBytes, float64(svc.BytesOut), vs.Name, svc.Service, "out")
			for _, d := range svc.Destinations {
				ch <- counter(c.d.dstConns, float64(d.Connections), vs.Name, svc.Service, d.RealServer)
				ch <- counter(c.d.dstPackets, float64(d.PacketsIn), vs.Name, svc.Service, d.RealServer, "in")
				ch <- counter(c.d.dstPackets, float64(d.PacketsOut), vs.Name, svc.Service, d.RealServer, "out")
				ch <- counter(c.d.dstBytes, float64(d.BytesIn), vs.Name, svc.Service, d.RealServer, "in")
				ch <- counter(c.d.dstBytes, float64(d.BytesOut), vs.Name, svc.Service, d.RealServer, "out")
				ch <- gauge(c.d.dstActive, float64(d.ActiveConns), vs.Name, svc.Service, d.RealServer)
				ch <- gauge(c.d.dstInactive, float64(d.InactiveConns), vs.Name, svc.Service, d.RealServer)
			}
		}
	}
}

// gauge and counter build const metrics. Label values are made valid UTF-8 first; should
// NewConstMetric still fail, the invalid metric fails only that series of the scrape instead of
// MustNewConstMetric's panic.
func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return constMetric(d, prometheus.GaugeValue, v, labels)
}

func counter(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return constMetric(d, prometheus.CounterValue, v, labels)
}

func constMetric(d *prometheus.Desc, t prometheus.ValueType, v float64, labels []string) prometheus.Metric {
	for i, l := range labels {
		labels[i] = validLabel(l)
	}
	m, err := prometheus.NewConstMetric(d, t, v, labels...)
	if err != nil {
		return prometheus.NewInvalidMetric(d, fmt.Errorf("metrics: %w", err))
	}
	return m
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
