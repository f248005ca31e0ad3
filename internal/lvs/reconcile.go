package lvs

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/ipvs"
)

// kernelServices reads the kernel's services by key.
func (m *Manager) kernelServices() (map[ipvs.ServiceKey]ipvs.Service, error) {
	list, err := m.o.Client.Services()
	if err != nil {
		return nil, fmt.Errorf("lvs: read IPVS services: %w", err)
	}
	out := make(map[ipvs.ServiceKey]ipvs.Service, len(list))
	for _, s := range list {
		out[s.ServiceKey] = s.Service
	}
	return out, nil
}

// reconcileAll makes the kernel's table match every virtual server. old is the state before a
// reload (nil otherwise): its services that are no longer configured are removed, and its servers
// count as owned so that removed ones are deleted.
func (m *Manager) reconcileAll(old []*vsState) (Changes, error) {
	var ch Changes
	kernel, err := m.kernelServices()
	if err != nil {
		return ch, err
	}
	oldByName := index(old)
	wanted := map[ipvs.ServiceKey]bool{}
	var errs []error
	for _, v := range m.vs {
		for _, s := range v.services {
			wanted[s.ServiceKey] = true
		}
		c, err := m.reconcileServices(v, oldByName[v.name], kernel)
		ch.add(c)
		if err != nil {
			errs = append(errs, err)
		}
	}
	for _, v := range old {
		for _, s := range v.services {
			if wanted[s.ServiceKey] {
				continue
			}
			if _, ok := kernel[s.ServiceKey]; !ok {
				continue
			}
			wanted[s.ServiceKey] = true // a group may list an address twice
			if err := m.o.Client.RemoveService(s.ServiceKey); err != nil {
				errs = append(errs, fmt.Errorf("lvs: %s: %w", v.name, err))
				continue
			}
			ch.ServicesRemoved++
		}
	}
	return ch, errors.Join(errs...)
}

// reconcileVS reconciles one virtual server without listing every service: each of its services
// is read on its own (a missing one is ESRCH and is created again).
func (m *Manager) reconcileVS(v *vsState, old *vsState) (Changes, error) {
	return m.reconcileServices(v, old, nil)
}

// reconcileServices reconciles the services of v. kernel, when not nil, is the kernel's service
// table; otherwise each service is read with Client.Service.
func (m *Manager) reconcileServices(v, old *vsState, kernel map[ipvs.ServiceKey]ipvs.Service) (Changes, error) {
	var ch Changes
	var errs []error
	for _, s := range v.services {
		c, err := m.reconcileService(v, old, s, kernel)
		ch.add(c)
		if err != nil {
			errs = append(errs, fmt.Errorf("lvs: %s: %w", v.name, err))
		}
	}
	return ch, errors.Join(errs...)
}

// reconcileService makes one service and the destinations the manager owns in it match the
// desired state; destinations it does not own are left alone.
func (m *Manager) reconcileService(v, old *vsState, s ipvs.Service, kernel map[ipvs.ServiceKey]ipvs.Service) (Changes, error) {
	var ch Changes
	c := m.o.Client
	want := desiredDests(v, s)
	var (
		have    ipvs.Service
		present bool
	)
	if kernel != nil {
		have, present = kernel[s.ServiceKey]
	} else {
		e, err := c.Service(s.ServiceKey)
		switch {
		case err == nil:
			have, present = e.Service, true
		case !errors.Is(err, syscall.ESRCH):
			return ch, err
		}
	}
	if !present {
		if err := c.CreateService(s); err != nil {
			return ch, err
		}
		ch.ServicesCreated++
	} else if !have.Equal(s) {
		if err := c.UpdateService(s); err != nil {
			return ch, err
		}
		ch.ServicesUpdated++
	}
	var dests []ipvs.DestinationEntry
	if present {
		var err error
		if dests, err = c.Destinations(s.ServiceKey); err != nil {
			return ch, err
		}
	}
	owned := make(map[ipvs.DestinationKey]bool, len(v.rs)+1)
	ownedDests(v, s, owned)
	if old != nil {
		ownedDests(old, s, owned)
	}
	var errs []error
	seen := make(map[ipvs.DestinationKey]bool, len(dests))
	for _, h := range dests {
		if !owned[h.DestinationKey] {
			continue // added by someone else (ipvsadm): keepalived does not reconcile it either
		}
		seen[h.DestinationKey] = true
		d, ok := want[h.DestinationKey]
		switch {
		case !ok:
			if err := c.RemoveDestination(s.ServiceKey, h.DestinationKey); err != nil {
				errs = append(errs, err)
				continue
			}
			ch.DestsRemoved++
		case !d.Equal(h.Destination):
			if err := c.UpdateDestination(s.ServiceKey, d); err != nil {
				errs = append(errs, err)
				continue
			}
			ch.DestsUpdated++
		}
	}
	// Create in configuration order so that the table reads like the file.
	for _, d := range orderedDests(v, s, want) {
		if seen[d.DestinationKey] {
			continue
		}
		if err := c.CreateDestination(s.ServiceKey, d); err != nil {
			errs = append(errs, err)
			continue
		}
		ch.DestsCreated++
	}
	return ch, errors.Join(errs...)
}

// orderedDests returns want's destinations in configuration order (real servers, then the sorry
// server).
func orderedDests(v *vsState, s ipvs.Service, want map[ipvs.DestinationKey]ipvs.Destination) []ipvs.Destination {
	out := make([]ipvs.Destination, 0, len(want))
	done := make(map[ipvs.DestinationKey]bool, len(want))
	take := func(k ipvs.DestinationKey) {
		if d, ok := want[k]; ok && !done[k] {
			done[k] = true
			out = append(out, d)
		}
	}
	for _, r := range v.rs {
		take(ipvs.DestinationKey{Addr: r.cfg.Addr, Port: destPort(r.cfg.Port, s)})
	}
	if ss := v.cfg.SorryServer; ss != nil {
		take(ipvs.DestinationKey{Addr: ss.Addr, Port: destPort(ss.Port, s)})
	}
	return out
}
