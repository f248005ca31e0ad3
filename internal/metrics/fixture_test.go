package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/status"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// fixtureReport is a hand-built report: a MASTER instance with several VIPs and drops, a FAULT
// instance with a failing script tracker, two scripts, checked real servers and one LVS
// virtual server.
func fixtureReport() status.Report {
	const vs = "[198.51.100.1]:tcp:80"
	return status.Report{
		Version: status.FormatVersion,
		Daemon: status.Daemon{
			PID: 42, Version: "1.2.3", ConfigFile: "/etc/keepalived/keepalived.conf",
			Started: time.Date(2026, 11, 22, 10, 0, 0, 500_000_000, time.UTC), Reloads: 2,
			VRRP: true, Checkers: true, LVS: true,
		},
		VRRP: []engine.InstanceStatus{
			{
				Name: "VI_1", VRID: 51, Interface: "eth0", Family: "inet", Version: 2, State: "MASTER",
				Priority: 150, BasePriority: 150,
				VIPs: []string{
					"198.51.100.10/32 dev 3",
					"198.51.100.11/24 dev 3 label eth0:1",
					"198.51.100.10/32 dev 4", // same address on another device: one series
				},
				AdvertsSent: 1000, AdvertsReceived: 7, PriorityZeroTx: 1, PriorityZeroRx: 2,
				BecomeMaster: 3, ReleaseMaster: 2, SendErrors: 4,
				Drops: map[string]uint64{
					"ttl": 2, "unicast_ttl": 1, // ip_ttl_err 3
					"auth_pass": 3, "ah_icv": 1, // auth_failure 4
					"vip_count": 4, "cast_mismatch": 1, // addr_list_err 5
					"interval_mismatch": 6, // advert_interval_err 6
					"checksum":          5, // no keepalived counter
					"vrid":              0, // zero: no drops series
				},
				Trackers: []engine.TrackerStatus{{Key: "script chk_nginx", Weight: 0}},
			},
			{
				Name: "VI_2", VRID: 52, Interface: "eth1", Family: "inet6", Version: 3, State: "FAULT",
				Priority: 100, BasePriority: 100,
				VIPs:     []string{"2001:db8::10/64 dev 5"},
				Trackers: []engine.TrackerStatus{{Key: "script chk_db", Fault: true}, {Key: "script chk_web", Weight: -20}},
			},
		},
		Scripts: []status.Script{
			{Name: "chk_db", Status: status.ScriptBad, State: status.ScriptRunning},
			{Name: "chk_nginx", Status: status.ScriptGood, State: status.ScriptIdle},
		},
		RealServers: []status.RealServer{
			{VirtualServer: vs, RealServer: "[203.0.113.10]:tcp:80", Up: true, Checkers: []status.Checker{
				{Name: "HTTP_GET", Up: true}, {Name: "TCP_CHECK", Up: true},
			}},
			{VirtualServer: vs, RealServer: "[203.0.113.11]:tcp:80", Up: false, Checkers: []status.Checker{
				{Name: "HTTP_GET", Up: false}, {Name: "HTTP_GET#2", Up: true},
			}},
		},
		VirtualServers: []status.VirtualServer{{
			Name: vs, QuorumUp: true, AliveWeight: 1, Quorum: 1,
			RealServers: []status.LVSRealServer{
				{Name: "[203.0.113.10]:tcp:80", Alive: true, Weight: 1},
				{Name: "[203.0.113.11]:tcp:80", Alive: false, Weight: 0},
			},
			Services: []status.LVSService{{
				Service: "TCP 198.51.100.100:80",
				Traffic: status.Traffic{Connections: 120, PacketsIn: 900, PacketsOut: 850, BytesIn: 64000, BytesOut: 1280000},
				Destinations: []status.LVSDestination{{
					RealServer: "[203.0.113.10]:tcp:80", ActiveConns: 3, InactiveConns: 7,
					Traffic: status.Traffic{Connections: 120, PacketsIn: 900, PacketsOut: 850, BytesIn: 64000, BytesOut: 1280000},
				}},
			}},
		}},
	}
}

// fixedCollector returns a Collector reporting r (or err) with a pinned Go version.
func fixedCollector(r status.Report, err error) *Collector {
	c := NewCollector(func(context.Context) (status.Report, error) { return r, err })
	c.goVersion = "go1.test"
	return c
}

var errDown = errors.New("control: daemon not answering")
