package linuxnet

import (
	"fmt"
	"net"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ifaddr"
)

// interfaceIndex resolves an interface name on the running system.
func interfaceIndex(dev string) (int, error) {
	ifc, err := net.InterfaceByName(dev)
	if err != nil {
		return 0, err
	}
	return ifc.Index, nil
}

// setRoutes installs (or removes) routes and returns one error per route that failed; the
// others are applied regardless. Single-path routes are added or deleted as keepalived does
// (an existing one is left alone). Multipath routes are reconciled against the kernel's: an
// unchanged one is not touched, one whose paths or weights changed is replaced.
func (n *Network) setRoutes(owner string, routes []config.Route, installed bool) []error {
	var errs []error
	var multi []ifaddr.Route
	for _, r := range routes {
		idx := 0
		if r.Dev != "" {
			if i, err := interfaceIndex(r.Dev); err == nil {
				idx = i
			}
		}
		rt, err := toRoute(r, idx, interfaceIndex)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: route %s: %w", owner, r.Dst, err))
			continue
		}
		if len(rt.Nexthops) > 0 {
			multi = append(multi, rt)
			continue
		}
		if installed {
			err = n.nl.AddRoute(rt)
		} else {
			err = n.nl.DelRoute(rt)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: route %s: %w", owner, r.Dst, err))
		}
	}
	if len(multi) == 0 {
		return errs
	}
	var desired []ifaddr.Route
	if installed {
		desired = multi
	}
	res, err := ifaddr.ReconcileRoutes(n.nl, desired, multi)
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", owner, err))
	}
	for _, r := range res.Added {
		n.log.Info("route added", "instance", owner, "route", r.String())
	}
	for _, r := range res.Replaced {
		n.log.Info("route replaced", "instance", owner, "route", r.String())
	}
	for _, r := range res.Removed {
		n.log.Info("route removed", "instance", owner, "route", r.String())
	}
	return errs
}
