package ipvstest

import (
	"errors"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/ipvs"
)

var (
	web = ipvs.ServiceKey{Family: ipvs.INET, Protocol: ipvs.TCP, Addr: netip.MustParseAddr("198.51.100.1"), Port: 80}
	fwm = ipvs.ServiceKey{Family: ipvs.INET, Fwmark: 3}
	rs1 = ipvs.Destination{DestinationKey: ipvs.DestinationKey{Addr: netip.MustParseAddr("203.0.113.1"), Port: 80}, Weight: 1}
)

// TestKernelErrnos checks each error the kernel returns for identity violations.
func TestKernelErrnos(t *testing.T) {
	m := NewMemory()
	steps := []struct {
		name string
		do   func() error
		want error
	}{
		{"create", func() error { return m.CreateService(ipvs.Service{ServiceKey: web, Scheduler: "wlc"}) }, nil},
		{"duplicate", func() error { return m.CreateService(ipvs.Service{ServiceKey: web, Scheduler: "rr"}) }, syscall.EEXIST},
		{"unknown scheduler", func() error { return m.CreateService(ipvs.Service{ServiceKey: fwm, Scheduler: "nope"}) }, syscall.ENOENT},
		// A fwmark service ignores protocol, address and port in its identity.
		{"fwmark", func() error { return m.CreateService(ipvs.Service{ServiceKey: fwm, Scheduler: "rr"}) }, nil},
		{"fwmark dup", func() error {
			k := fwm
			k.Port = 9
			return m.CreateService(ipvs.Service{ServiceKey: k, Scheduler: "rr"})
		}, syscall.EEXIST},
		{"update missing", func() error {
			k := web
			k.Port = 81
			return m.UpdateService(ipvs.Service{ServiceKey: k, Scheduler: "rr"})
		}, syscall.ESRCH},
		{"dest", func() error { return m.CreateDestination(web, rs1) }, nil},
		{"dest dup", func() error { return m.CreateDestination(web, rs1) }, syscall.EEXIST},
		{"dest no service", func() error {
			k := web
			k.Port = 81
			return m.CreateDestination(k, rs1)
		}, syscall.ESRCH},
		{"negative weight", func() error { d := rs1; d.Weight = -1; return m.UpdateDestination(web, d) }, syscall.ERANGE},
		{"thresholds", func() error { d := rs1; d.UpperThreshold, d.LowerThreshold = 5, 10; return m.UpdateDestination(web, d) }, syscall.ERANGE},
		{"threshold without upper", func() error { d := rs1; d.LowerThreshold = 10; return m.UpdateDestination(web, d) }, syscall.ERANGE},
		{"get missing service", func() error {
			k := web
			k.Port = 81
			_, err := m.Service(k)
			return err
		}, syscall.ESRCH},
		// The kernel's destination dump of a missing service is empty, not an error.
		{"list dests of missing service", func() error {
			k := web
			k.Port = 81
			ds, err := m.Destinations(k)
			if len(ds) != 0 {
				return syscall.EIO
			}
			return err
		}, nil},
		{"remove dest", func() error { return m.RemoveDestination(web, rs1.DestinationKey) }, nil},
		{"remove dest again", func() error { return m.RemoveDestination(web, rs1.DestinationKey) }, syscall.ENOENT},
		{"stop absent daemon", func() error { return m.StopDaemon(ipvs.DaemonMaster) }, syscall.ESRCH},
		{"start daemon", func() error { return m.StartDaemon(ipvs.Daemon{State: ipvs.DaemonMaster, Interface: "eth0"}) }, nil},
		{"start daemon twice", func() error { return m.StartDaemon(ipvs.Daemon{State: ipvs.DaemonMaster, Interface: "eth0"}) }, syscall.EEXIST},
	}
	for _, s := range steps {
		err := s.do()
		if s.want == nil && err != nil || s.want != nil && !errors.Is(err, s.want) {
			t.Errorf("%s: %v, want %v", s.name, err, s.want)
		}
	}
	if got := m.Ops(); got.CreateService != 2 || got.CreateDestination != 1 || got.RemoveDestination != 1 || got.Total() != 4 {
		t.Errorf("ops %+v", got)
	}
}

func TestFlagsTimeoutsFlush(t *testing.T) {
	m := NewMemory()
	if err := m.CreateService(ipvs.Service{ServiceKey: web, Scheduler: "sh", Timeout: 300 * time.Second}); err != nil {
		t.Fatal(err)
	}
	ss, _ := m.Services()
	if len(ss) != 1 || ss[0].Flags != ipvs.FlagPersistent|ipvs.FlagHashed {
		t.Fatalf("services %+v", ss)
	}
	if err := m.SetTimeouts(ipvs.Timeouts{UDP: 10 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if to, _ := m.Timeouts(); to != (ipvs.Timeouts{TCP: 900 * time.Second, TCPFin: 120 * time.Second, UDP: 10 * time.Second}) {
		t.Errorf("timeouts %+v", to)
	}
	if err := m.Flush(); err != nil {
		t.Fatal(err)
	}
	if ss, _ := m.Services(); len(ss) != 0 {
		t.Errorf("after flush: %+v", ss)
	}
	m.FailNext = syscall.EIO
	if err := m.CreateService(ipvs.Service{ServiceKey: web, Scheduler: "sh"}); !errors.Is(err, syscall.EIO) {
		t.Errorf("FailNext: %v", err)
	}
}
