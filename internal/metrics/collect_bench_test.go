package metrics

import (
	"fmt"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/status"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
	"github.com/prometheus/client_golang/prometheus"
)

// bigReport is a large installation: 20 VRRP instances, 100 virtual servers of 100 real servers
// each (10,000 checked real servers, one checker each).
func bigReport() status.Report {
	r := status.Report{Version: status.FormatVersion, Daemon: status.Daemon{VRRP: true, Checkers: true, LVS: true}}
	for i := range 20 {
		r.VRRP = append(r.VRRP, engine.InstanceStatus{
			Name: fmt.Sprintf("VI_%d", i), VRID: i + 1, Interface: "eth0", State: "MASTER", Priority: 150, BasePriority: 150,
			VIPs: []string{fmt.Sprintf("203.0.113.%d/32 dev 2", i+1)}, AdvertsSent: 1000,
		})
	}
	for v := range 100 {
		vs := status.VirtualServer{Name: fmt.Sprintf("[203.0.113.%d]:tcp:80", v), QuorumUp: true, Quorum: 1, AliveWeight: 100}
		for s := range 100 {
			rs := fmt.Sprintf("[198.51.%d.%d]:tcp:80", v, s)
			vs.RealServers = append(vs.RealServers, status.LVSRealServer{Name: rs, Alive: true, Weight: 1})
			r.RealServers = append(r.RealServers, status.RealServer{VirtualServer: vs.Name, RealServer: rs, Up: true, Checkers: []status.Checker{{Name: "TCP_CHECK", Up: true}}})
		}
		r.VirtualServers = append(r.VirtualServers, vs)
	}
	return r
}

// BenchmarkGather10kRealServers measures one scrape of a 10,000-real-server daemon (the status
// report is given; building it is the daemon's part).
func BenchmarkGather10kRealServers(b *testing.B) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(fixedCollector(bigReport(), nil))
	b.ReportAllocs()
	var n int
	for b.Loop() {
		mfs, err := reg.Gather()
		if err != nil {
			b.Fatal(err)
		}
		n = 0
		for _, mf := range mfs {
			n += len(mf.GetMetric())
		}
	}
	b.ReportMetric(float64(n), "series")
}
