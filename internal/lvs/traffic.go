package lvs

import (
	"fmt"

	"github.com/gokeepalived/gokeepalived/internal/ipvs"
)

// ServiceTraffic is what the kernel counted for one IPVS service of a virtual server, as
// `ipvsadm -Ln --stats` shows it.
type ServiceTraffic struct {
	VirtualServer string
	// Service is the IPVS key as ipvsadm prints it, e.g. "TCP 198.51.100.1:80" or "FWM 5".
	Service string
	Stats   ipvs.Stats
	Dests   []DestTraffic
}

// DestTraffic is one destination of a service: a real server, or the sorry server.
type DestTraffic struct {
	// RealServer is in keepalived's log form, e.g. "[203.0.113.1]:tcp:80".
	RealServer                 string
	ActiveConns, InactiveConns uint32
	Stats                      ipvs.Stats
}

// Traffic reads the counters of every service the manager programs. The table is read outside
// the manager's lock, so a scrape never holds up a reconciliation; a service a concurrent reload
// removed is skipped.
func (m *Manager) Traffic() ([]ServiceTraffic, error) {
	type svc struct {
		vs   string
		cfgp func(ipvs.DestinationKey) string
		key  ipvs.ServiceKey
	}
	m.mu.Lock()
	var svcs []svc
	for _, v := range m.vs {
		cfg := v.cfg
		for _, s := range v.services {
			svcs = append(svcs, svc{vs: v.name, key: s.ServiceKey, cfgp: func(d ipvs.DestinationKey) string { return rsName(cfg, d.Addr, d.Port) }})
		}
	}
	client := m.o.Client
	m.mu.Unlock()

	out := make([]ServiceTraffic, 0, len(svcs))
	for _, s := range svcs {
		e, err := client.Service(s.key)
		if err != nil {
			continue // removed since; the next scrape sees the new table
		}
		dests, err := client.Destinations(s.key)
		if err != nil {
			return out, fmt.Errorf("lvs: destinations of %s: %w", s.key, err)
		}
		st := ServiceTraffic{VirtualServer: s.vs, Service: s.key.String(), Stats: e.Stats}
		for _, d := range dests {
			st.Dests = append(st.Dests, DestTraffic{
				RealServer:  s.cfgp(ipvs.DestinationKey{Addr: d.Addr, Port: d.Port}),
				ActiveConns: d.ActiveConns, InactiveConns: d.InactiveConns, Stats: d.Stats,
			})
		}
		out = append(out, st)
	}
	return out, nil
}
