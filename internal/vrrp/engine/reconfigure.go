package engine

import (
	"fmt"
	"net/netip"
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

// reconfigure applies the changed settings of p to the running lone instance u without leaving
// its state: a master keeps its addresses (adding and removing only what the reload changed) and
// a backup keeps following its master. It reports false, having changed nothing, when the change
// needs a restart: a sync group, a renamed instance, a hard setting (see softFields), or a change
// the state machine cannot take (fsm.ErrRestartNeeded).
func (e *Engine) reconfigure(u *unit, p plan, cfg *config.Config, now time.Time) bool {
	if u.group != nil || p.group || len(u.members) != 1 || len(p.members) != 1 {
		return false
	}
	in, c := u.members[0], p.members[0]
	if c.Name != in.cfg.Name || !sameExceptSoft(in.cfg, c) {
		return false
	}
	advert := in.advert
	if err := advert.SetAdvertInterval(c.AdvertInt); err != nil {
		return false
	}
	var err error
	e.out, err = u.machine.Reconfigure(fsmConfig(c, &cfg.Global, in.src), c.Priority+in.track.weight, now, e.out[:0])
	if err != nil {
		return false
	}
	vips := make([]netip.Addr, 0, len(c.VIPs))
	for _, v := range c.VIPs {
		vips = append(vips, v.Prefix.Addr())
	}
	advert.Addrs = vips
	in.advert = advert
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
		e.execute(u, a, now)
	}
	if added && u.machine.State() == fsm.StateMaster {
		in.worker.announce(c.GARPMasterRepeat)
	}
	e.evaluateFaults(in, false) // track_interface weights may have changed
	e.log.Info(fmt.Sprintf("(%s) changed by reload; applied in place, state %s kept", c.Name, u.machine.State()),
		"instance", c.Name, "vrid", c.VRID, "reason", fsm.ReasonReload.String(), "priority", u.machine.Priority())
	return true
}
