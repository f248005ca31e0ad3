package engine

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

// errStopped is returned by calls made after Run returned.
var errStopped = errors.New("vrrp engine is not running")

// Reload switches the engine to cfg, as keepalived does on SIGHUP (reference §1c.4, §7.10).
// Instances are matched by keepalived's identity — VRID, family, interface, unicast source or
// multicast group, VMAC — not by name. A unit (instance or sync group) whose configuration did not
// change keeps its state, timers and addresses untouched: no flap. An instance or sync group
// whose priority, timers, addresses, trackers or notifications changed keeps its state too and
// takes the new settings in place (reconfigure.go). Any other changed unit, and a removed one, is
// stopped (priority 0 if it was master, addresses removed) and a changed or new one started.
func (e *Engine) Reload(cfg *config.Config) error {
	errc := make(chan error, 1)
	select {
	case e.events <- func() { errc <- e.reload(cfg) }:
	case <-e.done:
		return errStopped
	}
	select {
	case err := <-errc:
		return err
	case <-e.done:
		return errStopped
	}
}

// identity is keepalived's reload identity of an instance (vrrp.c vrrp_exist()).
type identity struct {
	vrid    int
	family  config.Family
	iface   string
	unicast bool
	src     netip.Addr
	group   netip.Addr
	vmac    bool
}

func identityOf(c *config.Instance) identity {
	id := identity{vrid: c.VRID, family: c.Family, iface: c.Interface, unicast: len(c.UnicastPeers) > 0, vmac: c.VMAC != nil}
	if id.unicast {
		id.src = c.UnicastSrcIP
	} else {
		id.group = c.McastDstIP
	}
	return id
}

// plan is a unit of the new configuration before it runs.
type plan struct {
	name    string
	group   bool
	members []*config.Instance
}

// plans lists cfg's units the way New builds them: sync groups, then lone instances.
func plans(cfg *config.Config) []plan {
	var out []plan
	grouped := map[string]bool{}
	for _, sg := range cfg.SyncGroups {
		p := plan{name: sg.Name, group: true}
		for _, name := range sg.Members {
			if c := cfg.Instance(name); c != nil {
				p.members = append(p.members, c)
				grouped[name] = true
			}
		}
		if len(p.members) > 0 {
			out = append(out, p)
		}
	}
	for _, c := range cfg.Instances {
		if !grouped[c.Name] {
			out = append(out, plan{name: c.Name, members: []*config.Instance{c}})
		}
	}
	return out
}

// signature names a unit by its kind, group name and members' identities.
func signature(group bool, name string, members []*config.Instance) string {
	var b strings.Builder
	if group {
		b.WriteString("group " + name)
	}
	for _, c := range members {
		fmt.Fprintf(&b, "|%+v", identityOf(c))
	}
	return b.String()
}

func (e *Engine) reload(cfg *config.Config) error {
	old := map[string]*unit{}
	for _, u := range e.units {
		members := make([]*config.Instance, len(u.members))
		for i, in := range u.members {
			members[i] = in.cfg
		}
		old[signature(u.group != nil, u.name, members)] = u
	}

	var units []*unit
	var fresh []plan
	changed := map[string]bool{}
	reconfigured := 0
	now := time.Now()
	for _, p := range plans(cfg) {
		sig := signature(p.group, p.name, p.members)
		if u := old[sig]; u != nil && !e.unchanged(u, p, cfg) {
			if e.reconfigure(u, p, cfg, now) {
				units = append(units, u)
				delete(old, sig)
				reconfigured++
				continue
			}
			changed[sig] = true
		}
		if u := old[sig]; u != nil && e.unchanged(u, p, cfg) {
			for i, in := range u.members {
				in.cfg = p.members[i] // same settings; only positions may differ
			}
			units = append(units, u)
			delete(old, sig)
			continue
		}
		fresh = append(fresh, p)
	}

	for sig, u := range old {
		if changed[sig] {
			e.log.Info(fmt.Sprintf("(%s) changed by reload; restarting it", u.name), "instance", u.name)
			e.stopUnit(u, false)
		} else {
			e.log.Info(fmt.Sprintf("(%s) removed by reload; stopping it", u.name), "instance", u.name)
			e.stopUnit(u, true)
		}
	}
	e.cfg = cfg
	go e.applyStatic(cfg) // netlink: never on the loop. Additive only, so reload order cannot matter.
	var started []*unit
	var firstErr error
	for _, p := range fresh {
		u, err := e.startUnit(p)
		if err != nil {
			e.log.Error("cannot start instance after reload", "instance", p.name, "err", err)
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		units = append(units, u)
		started = append(started, u)
	}

	e.units = units
	e.instances = e.instances[:0]
	e.byName = map[string]*instance{}
	for _, u := range units {
		for _, in := range u.members {
			e.instances = append(e.instances, in)
			e.byName[in.cfg.Name] = in
		}
	}
	now = time.Now()
	for _, u := range started {
		for i, in := range u.members {
			e.dispatchAt(u, i, fsm.Start{}, now)
			e.evaluateFaults(in, true)
		}
	}
	e.log.Info("Reload finished", "kept", len(units)-len(started)-reconfigured, "changed_in_place", reconfigured, "started", len(started), "stopped", len(old))
	return firstErr
}

// unchanged reports whether the running unit u would run exactly as p under cfg.
func (e *Engine) unchanged(u *unit, p plan, cfg *config.Config) bool {
	if len(u.members) != len(p.members) {
		return false
	}
	for i, in := range u.members {
		if !equalIgnoringPos(reflect.ValueOf(*in.cfg), reflect.ValueOf(*p.members[i])) {
			return false
		}
		if fsmConfig(in.cfg, &e.cfg.Global, in.src) != fsmConfig(p.members[i], &cfg.Global, in.src) {
			return false
		}
	}
	return true
}

// stopUnit shuts u down as a stop would, off the loop for the slow parts. A deleted unit's
// members are reported through OnDeleted rather than as a STOP transition, as keepalived sends
// DELETED (notify_deleted) or FAULT for instances a reload removes.
func (e *Engine) stopUnit(u *unit, deleted bool) {
	now := time.Now()
	for _, in := range u.members {
		if deleted {
			in.deleting = true
			if e.opts.OnDeleted != nil {
				e.opts.OnDeleted(in.cfg.Name, int(u.machineOf(in.member).Priority()))
			}
		}
	}
	e.stopMembers(u, now, false)
	for _, in := range u.members {
		e.detach(in)
		go func() {
			in.worker.wait()
			in.stopWorker()
			e.deleteVMAC(in) // after its addresses are gone; in is no longer reachable from the loop
		}()
	}
}

// startUnit builds and attaches a unit of the new configuration; Start is fed by the caller.
func (e *Engine) startUnit(p plan) (*unit, error) {
	u := &unit{name: p.name}
	for i, c := range p.members {
		in, err := newInstance(c, &e.cfg.Global)
		if err != nil {
			return nil, err
		}
		in.unit, in.member = u, i
		u.members = append(u.members, in)
	}
	for _, in := range u.members {
		if err := e.attach(in); err != nil {
			return nil, err
		}
		in.worker.want(false) // start-up cleanup, off the loop
	}
	if !p.group {
		u.name = p.members[0].Name
	}
	if err := e.buildMachines(u); err != nil {
		return nil, err
	}
	return u, nil
}

var posType = reflect.TypeOf(syntax.Pos{})

// equalIgnoringPos is reflect.DeepEqual that skips syntax.Pos values, so that moving an instance
// within the file, or adding lines above it, does not count as a change.
func equalIgnoringPos(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	if a.Type() == posType {
		return true
	}
	switch a.Kind() {
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !equalIgnoringPos(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		fallthrough
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			if !equalIgnoringPos(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		it := a.MapRange()
		for it.Next() {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() || !equalIgnoringPos(it.Value(), bv) {
				return false
			}
		}
		return true
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalIgnoringPos(a.Elem(), b.Elem())
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	case reflect.String:
		return a.String() == b.String()
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return a.IsNil() && b.IsNil()
	}
	return false
}
