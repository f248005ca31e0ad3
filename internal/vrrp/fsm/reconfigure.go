package fsm

import (
	"errors"
	"time"
)

// ErrRestartNeeded means a new configuration cannot be applied to a running machine: it changes
// the VRID, the protocol version or whether the router is the address owner. The caller stops
// the instance and starts it again instead.
var ErrRestartNeeded = errors.New("the change needs the instance restarted")

// Reconfigure applies a reloaded configuration to a running machine without leaving its state,
// as keepalived keeps an instance's state across a reload. effective is the new effective
// priority (the configured one plus the trackers' weights; ignored for an owner).
//
// What changes at once: a master re-arms its advert timer on a new advert_int and its GARP
// refresh timer on a new garp_master_refresh; the Master_Down_Interval of a VRRPv2 backup (or of
// a v3 backup that has not heard a master) uses the new advert_int from the next advert on; a
// new effective priority is reported (ActPriorityChanged, reason reload) and goes into the next
// advert. A master whose priority fell below a backup's keeps MASTER until that backup preempts,
// and a backup whose priority rose above the master's preempts on the master's next advert,
// exactly as for a tracker's priority change (RFC 9568 §6.4.2, §6.4.3).
//
// It returns ErrRestartNeeded, without changing anything, when the change cannot be applied in
// place, and a wrapped ErrInvalidConfig for an invalid configuration.
func (m *Machine) Reconfigure(cfg Config, effective int, now time.Time, out []Action) ([]Action, error) {
	c, err := cfg.normalize()
	if err != nil {
		return out, err
	}
	if c.VRID != m.cfg.VRID || c.Version != m.cfg.Version || (c.Priority == OwnerPriority) != m.isOwner() {
		return out, ErrRestartNeeded
	}
	old := m.cfg
	m.cfg = c
	if m.state != StateBackup || c.Version == 2 || !m.masterAddr.IsValid() {
		// Only a v3 backup that follows a master uses the master's interval (RFC 9568 §6.4.2).
		m.masterAdverInterval = c.AdvertInterval
	}
	if m.state == StateMaster {
		if c.AdvertInterval != old.AdvertInterval && m.armed&(1<<TimerAdvert) != 0 {
			out = m.arm(out, TimerAdvert, now.Add(c.AdvertInterval))
		}
		if c.GARP.MasterRefresh != old.GARP.MasterRefresh {
			out = m.stop(out, TimerGARPRefresh)
			if c.GARP.MasterRefresh > 0 {
				out = m.arm(out, TimerGARPRefresh, now.Add(c.GARP.MasterRefresh))
			}
		}
	}
	if !m.isOwner() {
		p := uint8(min(max(effective, 1), OwnerPriority-1))
		if p != m.effPrio {
			m.effPrio = p
			out = append(out, Action{Kind: ActPriorityChanged, Priority: p, Reason: ReasonReload})
		}
	}
	return out, nil
}
