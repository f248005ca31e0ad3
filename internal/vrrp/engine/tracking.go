package engine

import (
	"fmt"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

// trackState is what the engine knows of an instance's trackers and last told its machine.
type trackState struct {
	linkFault bool
	weight    int
	reported  bool
	// external holds the trackers reported through SetTracker (scripts, files, processes, ...).
	external map[string]TrackerState
}

// TrackerState is one tracker's current verdict for one instance.
type TrackerState struct {
	// Fault means the tracker failed and has no weight: the instance must be in FAULT.
	Fault bool
	// Weight is the tracker's current contribution to the effective priority.
	Weight int
}

// SetTracker records the state of tracker key (e.g. "script chk_nginx") for the named instance
// and re-evaluates it. Trackers of a sync group are reported for each member. It is safe to call
// from any goroutine and does not wait for the loop.
func (e *Engine) SetTracker(instance, key string, st TrackerState) {
	e.post(func() {
		in := e.byName[instance]
		if in == nil {
			return
		}
		if in.track.external == nil {
			in.track.external = map[string]TrackerState{}
		}
		if old, ok := in.track.external[key]; ok && old == st {
			return
		}
		in.track.external[key] = st
		e.evaluateFaults(in, false)
	})
}

// linkChanged re-evaluates every instance that depends on the named interface, and has the
// address workers of instances with addresses there re-check the kernel: a VIP deleted behind our
// back while MASTER is put back, and logged by the network layer.
func (e *Engine) linkChanged(name string) {
	for _, in := range e.instances {
		if in.cfg.Interface == name || in.tracksInterface(name) {
			e.evaluateFaults(in, false)
		}
		if in.holdsAddressesOn(name) {
			in.worker.resync()
		}
	}
}

// holdsAddressesOn reports whether any of in's addresses lives on the named interface.
func (in *instance) holdsAddressesOn(name string) bool {
	for _, a := range in.addrs.Addrs {
		if a.Dev == name {
			return true
		}
	}
	return false
}

func (in *instance) tracksInterface(name string) bool {
	for _, t := range in.cfg.TrackInterfaces {
		if t.Name == name {
			return true
		}
	}
	return false
}

// up reports whether the named interface exists and is operationally up.
func (e *Engine) up(name string) bool {
	ifc, err := e.net.Interface(name)
	return err == nil && ifc.Up
}

// evaluateFaults recomputes in's interface faults and tracked-interface weights (reference
// §1a.6) and tells its machine what changed.
func (e *Engine) evaluateFaults(in *instance, initial bool) {
	c := in.cfg
	fault, why := false, ""
	if !c.DontTrackPrimary && c.Interface != "" && !e.up(c.Interface) {
		fault, why = true, "interface "+c.Interface+" is down"
	}
	if !in.src.IsValid() {
		fault, why = true, "no usable source address on "+c.Interface
	}
	weight := 0
	for _, t := range c.TrackInterfaces {
		up := e.up(t.Name)
		if t.Reverse {
			up = !up
		}
		switch {
		case !t.WeightSet || t.Weight == 0:
			if !up {
				fault, why = true, "tracked interface "+t.Name+" is down"
			}
		case t.Weight > 0 && up:
			weight += t.Weight
		case t.Weight < 0 && !up:
			weight += t.Weight
		}
	}
	st := &in.track
	for key, t := range st.external {
		if t.Fault {
			fault, why = true, "tracker "+key+" failed"
		}
		weight += t.Weight
	}
	if fault != st.linkFault || (initial && fault) {
		st.linkFault = fault
		if fault {
			e.log.Info(fmt.Sprintf("(%s) Entering FAULT STATE: %s", c.Name, why), "instance", c.Name, "iface", c.Interface, "reason", fsm.ReasonLinkDown.String())
			e.dispatch(in, fsm.FaultRaised{Reason: fsm.ReasonLinkDown})
		} else {
			e.dispatch(in, fsm.FaultCleared{Reason: fsm.ReasonLinkDown})
		}
	}
	if weight != st.weight || (!st.reported && weight != 0) {
		st.weight, st.reported = weight, true
		e.dispatch(in, fsm.PriorityChanged{Effective: c.Priority + weight})
	}
}
