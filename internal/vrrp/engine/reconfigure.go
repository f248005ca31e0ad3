package engine

import (
	"fmt"
	"reflect"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

// softFields are the vrrp_instance settings a reload changes on the running instance, keeping its
// state (keepalived keeps an instance's state across a reload): priority, timers, preemption,
// addresses and routes, trackers, notifications, the GARP schedule. Any other change (interface,
// VRID, version, authentication, peers, VMAC, initial state, ...) restarts the instance.
var softFields = map[string]bool{
	"Pos": true, "set": true, "at": true, "Debug": true,
	"Priority": true, "AdvertInt": true, "Nopreempt": true, "PreemptDelay": true,
	"VIPs": true, "EVIPs": true, "Routes": true, "Rules": true,
	"TrackInterfaces": true, "TrackScripts": true, "TrackFiles": true, "TrackProcesses": true,
	"Notify": true, "NotifyDeleted": true, "SMTPAlert": true, "NotifyPriorityChanges": true,
	"GARPMasterDelay": true, "GARPMasterRepeat": true, "GARPMasterRefresh": true,
	"GARPMasterRefreshRepeat": true, "GARPLowerPrioDelay": true, "GARPLowerPrioRepeat": true,
	"DownTimerAdverts": true, "LowerPrioNoAdvert": true, "HigherPrioSendAdvert": true,
	"SkipCheckAdvAddr": true,
}

// sameExceptSoft reports whether a and b differ in softFields at most.
func sameExceptSoft(a, b *config.Instance) bool {
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	t := va.Type()
	for i := range t.NumField() {
		if softFields[t.Field(i).Name] {
			continue
		}
		if !equalIgnoringPos(va.Field(i), vb.Field(i)) {
			return false
		}
	}
	return true
}

// reconfigure applies the changed settings of p to the running unit u (a lone instance or a
// sync group) without leaving its state: a master keeps its addresses (adding and removing only
// what the reload changed) and a backup keeps following its master. It reports false, having
// changed nothing, when the change needs a restart: a renamed or regrouped instance, a hard
// setting (see softFields), or a change of the owner role (priority 255).
func (e *Engine) reconfigure(u *unit, p plan, cfg *config.Config, now time.Time) bool {
	if (u.group != nil) != p.group || len(u.members) != len(p.members) {
		return false
	}
	for i, in := range u.members {
		c := p.members[i]
		advert := in.advert
		if c.Name != in.cfg.Name || c.IsOwner() != in.cfg.IsOwner() || !sameExceptSoft(in.cfg, c) || advert.SetAdvertInterval(c.AdvertInt) != nil {
			return false
		}
	}
	// Everything fsm.Reconfigure could refuse (VRID, version, owner role) was checked above, so
	// either every member takes its new settings or none does.
	for i, in := range u.members {
		e.reconfigureMember(u, i, in, p.members[i], cfg, now)
	}
	return true
}

// reconfigureMember applies c to member i of u, which reconfigure has vetted.
func (e *Engine) reconfigureMember(u *unit, i int, in *instance, c *config.Instance, cfg *config.Config, now time.Time) {
	m := u.machineOf(i)
	var err error
	e.out, err = m.Reconfigure(fsmConfig(c, &cfg.Global, in.src), c.Priority+in.track.weight, now, e.out[:0])
	if err != nil {
		// Not reachable after reconfigure's checks; keep the running settings if it happens.
		e.log.Error("cannot apply the reloaded settings; keeping the running ones", "instance", c.Name, "err", err)
		return
	}
	vips := advertisedAddrs(c)
	_ = in.advert.SetAdvertInterval(c.AdvertInt) // checked by reconfigure
	in.advert.Addrs = vips
	in.params.Priority = uint8(c.Priority)
	in.params.AdverInt = c.AdvertInt
	in.params.VIPs = vips
	in.params.CheckVIPs = !c.SkipCheckAdvAddr
	in.cfg = c
	dev := c.Interface
	if in.vmac != "" {
		dev = in.vmac
	}
	in.addrs = addressSet(c, dev)
	added := in.worker.replace(in.addrs)
	for _, a := range e.out {
		a.Member = i // the machine's own actions do not know their place in a sync group
		e.execute(u, a, now)
	}
	if added && m.State() == fsm.StateMaster {
		in.worker.announce(c.GARPMasterRepeat)
	}
	e.evaluateFaults(in, false) // track_interface weights may have changed
	e.log.Info(fmt.Sprintf("(%s) changed by reload; applied in place, state %s kept", c.Name, m.State()),
		"instance", c.Name, "vrid", c.VRID, "reason", fsm.ReasonReload.String(), "priority", m.Priority())
}
