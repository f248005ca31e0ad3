//go:build linux

package main

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/ipvs"
	"github.com/gokeepalived/gokeepalived/internal/ipvs/ipvstest"
)

// errnoOf names the errno inside err ("ok" for nil).
func errnoOf(err error) string {
	if err == nil {
		return "ok"
	}
	var e syscall.Errno
	if errors.As(err, &e) {
		return fmt.Sprintf("errno %d (%s)", int(e), e)
	}
	return "error " + err.Error()
}

// parity runs the same operations against the kernel and ipvstest.Memory and reports every step
// whose outcome differs, so that the unit tests' fake keeps the kernel's semantics.
func parity(kernel ipvs.Client) error {
	mem := ipvstest.NewMemory()
	svc := ipvs.Service{ServiceKey: ipvs.ServiceKey{Family: ipvs.INET, Protocol: ipvs.TCP, Addr: netip.MustParseAddr("198.51.100.60"), Port: 80}, Scheduler: "rr"}
	other := svc
	other.Port = 81
	bad := svc
	bad.Port, bad.Scheduler = 82, "nope"
	fwm := ipvs.Service{ServiceKey: ipvs.ServiceKey{Family: ipvs.INET, Fwmark: 60}, Scheduler: "wrr"}
	fwmDup := fwm
	fwmDup.Protocol, fwmDup.Port = ipvs.UDP, 53
	d := ipvs.Destination{DestinationKey: ipvs.DestinationKey{Addr: netip.MustParseAddr("203.0.113.60"), Port: 80}, Forward: ipvs.DirectRoute, Weight: 1}
	missing := d
	missing.Port = 99
	neg := d
	neg.Weight = -1
	thr := d
	thr.UpperThreshold, thr.LowerThreshold = 5, 10
	thr0 := d
	thr0.UpperThreshold, thr0.LowerThreshold = 0, 10
	steps := []struct {
		name string
		do   func(c ipvs.Client) error
	}{
		{"create service", func(c ipvs.Client) error { return c.CreateService(svc) }},
		{"create service again", func(c ipvs.Client) error { return c.CreateService(svc) }},
		{"update missing service", func(c ipvs.Client) error { return c.UpdateService(other) }},
		{"remove missing service", func(c ipvs.Client) error { return c.RemoveService(other.ServiceKey) }},
		{"unknown scheduler", func(c ipvs.Client) error { return c.CreateService(bad) }},
		{"create fwmark", func(c ipvs.Client) error { return c.CreateService(fwm) }},
		{"fwmark identity ignores protocol/port", func(c ipvs.Client) error { return c.CreateService(fwmDup) }},
		{"list dests of missing service", func(c ipvs.Client) error { _, err := c.Destinations(other.ServiceKey); return err }},
		{"create dest", func(c ipvs.Client) error { return c.CreateDestination(svc.ServiceKey, d) }},
		{"create dest again", func(c ipvs.Client) error { return c.CreateDestination(svc.ServiceKey, d) }},
		{"create dest in missing service", func(c ipvs.Client) error { return c.CreateDestination(other.ServiceKey, d) }},
		{"update missing dest", func(c ipvs.Client) error { return c.UpdateDestination(svc.ServiceKey, missing) }},
		{"remove missing dest", func(c ipvs.Client) error { return c.RemoveDestination(svc.ServiceKey, missing.DestinationKey) }},
		{"negative weight", func(c ipvs.Client) error { return c.UpdateDestination(svc.ServiceKey, neg) }},
		{"lower threshold above upper", func(c ipvs.Client) error { return c.UpdateDestination(svc.ServiceKey, thr) }},
		{"lower threshold with no upper", func(c ipvs.Client) error { return c.UpdateDestination(svc.ServiceKey, thr0) }},
		{"remove dest", func(c ipvs.Client) error { return c.RemoveDestination(svc.ServiceKey, d.DestinationKey) }},
		{"stop absent sync daemon", func(c ipvs.Client) error { return c.StopDaemon(ipvs.DaemonMaster) }},
		{"remove service", func(c ipvs.Client) error { return c.RemoveService(svc.ServiceKey) }},
		{"remove fwmark", func(c ipvs.Client) error { return c.RemoveService(fwm.ServiceKey) }},
	}
	var diffs []string
	for _, s := range steps {
		k, m := errnoOf(s.do(kernel)), errnoOf(s.do(mem))
		fmt.Printf("VMTEST INFO parity %s: kernel %s\n", s.name, k)
		if k != m {
			diffs = append(diffs, fmt.Sprintf("%s: kernel %s, memory %s", s.name, k, m))
		}
	}
	if len(diffs) > 0 {
		return errors.New(strings.Join(diffs, "; "))
	}
	return nil
}
