package fsm

import (
	"net/netip"
	"time"
)

// preemptPhase tracks keepalived's preempt_delay window in BACKUP.
type preemptPhase uint8

const (
	preemptIdle    preemptPhase = iota // no lower-priority master seen yet
	preemptRunning                     // accepting a lower-priority master until the timer fires
	preemptExpired                     // window over: discard lower-priority adverts again
)

// rogueStage tracks the duplicate address owner handling.
type rogueStage uint8

const (
	rogueNone     rogueStage = iota
	rogueWatching            // we are the higher address: wait for the other owner to back off
	rogueDemoted             // we run at 254 until no other owner is heard for a window
)

// Machine is one VRRP instance's state machine. It is not safe for concurrent use: the engine
// owns it from one goroutine.
type Machine struct {
	cfg Config

	state   State
	effPrio uint8 // effective priority: configured, tracker-adjusted, or 254 when a demoted owner

	masterAdverInterval time.Duration // RFC 9568 §6.1 Master_Adver_Interval (v3 adopts the master's)
	masterAddr          netip.Addr
	masterPrio          uint8
	downCause           Reason // reason to report when the master-down timer fires

	gen   [numTimers]uint64
	armed uint16 // bit per Timer

	// advertDue is when the advert timer was last armed to fire: timer_expired_backup measures
	// how late the fire is against it.
	advertDue time.Time

	faults    uint64 // set of raised fault reasons
	faultSync bool   // FAULT imposed by the sync group

	preempt preemptPhase

	rogue       rogueStage
	rogueLast   time.Time
	rogueWindow time.Duration

	inStartupDelay bool

	// Sync group gate: a gated member that wants MASTER waits for the group.
	gated        bool
	wantMaster   bool
	wantedReason Reason
}

// New validates cfg and returns a machine in INIT.
func New(cfg Config) (*Machine, error) {
	c, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	m := &Machine{cfg: c, effPrio: c.Priority, masterAdverInterval: c.AdvertInterval}
	return m, nil
}

// State returns the current state.
func (m *Machine) State() State { return m.state }

// Priority returns the effective priority (the value sent in adverts).
func (m *Machine) Priority() uint8 { return m.effPrio }

// Master returns the address and priority of the master last accepted in BACKUP.
func (m *Machine) Master() (netip.Addr, uint8) { return m.masterAddr, m.masterPrio }

// MasterAdverInterval returns Master_Adver_Interval: the local advert_int, or in v3 the
// interval adopted from the current master.
func (m *Machine) MasterAdverInterval() time.Duration { return m.masterAdverInterval }

// Config returns the normalized configuration.
func (m *Machine) Config() Config { return m.cfg }

// Handle applies ev at time now and appends the resulting actions to out, in execution order.
func (m *Machine) Handle(ev Event, now time.Time, out []Action) []Action {
	switch e := ev.(type) {
	case Start:
		return m.onStart(now, out)
	case Shutdown:
		return m.onShutdown(out)
	case AdvertReceived:
		return m.onAdvert(&e, now, out)
	case TimerFired:
		return m.onTimer(e, now, out)
	case PriorityChanged:
		return m.onPriority(e.Effective, out)
	case FaultRaised:
		m.faults |= faultBit(e.Reason)
		return m.reconcileFault(now, out, e.Reason)
	case FaultCleared:
		m.faults &^= faultBit(e.Reason)
		return m.reconcileFault(now, out, ReasonFaultCleared)
	}
	return out
}

func faultBit(r Reason) uint64 { return 1 << (uint(r) & 63) }

func (m *Machine) faulted() bool { return m.faults != 0 || m.faultSync }

// isOwner reports whether this router is the address owner by configuration.
func (m *Machine) isOwner() bool { return m.cfg.Priority == OwnerPriority }

// skewPriority is the priority used for Skew_Time: 255 for a configured owner, even demoted.
func (m *Machine) skewPriority() uint8 {
	if m.isOwner() {
		return OwnerPriority
	}
	return m.effPrio
}

func (m *Machine) downInterval() time.Duration {
	return masterDownInterval(m.cfg.Version, m.cfg.DownTimerAdverts, m.skewPriority(), m.masterAdverInterval)
}

func (m *Machine) skew() time.Duration {
	return skewTime(m.cfg.Version, m.skewPriority(), m.masterAdverInterval)
}

func (m *Machine) arm(out []Action, t Timer, at time.Time) []Action {
	m.gen[t]++
	m.armed |= 1 << t
	if t == TimerAdvert {
		m.advertDue = at
	}
	return append(out, Action{Kind: ActArmTimer, Timer: t, Gen: m.gen[t], At: at})
}

// stop cancels t if armed. The generation is bumped so a fire already queued is stale.
func (m *Machine) stop(out []Action, t Timer) []Action {
	if m.armed&(1<<t) == 0 {
		return out
	}
	m.gen[t]++
	m.armed &^= 1 << t
	return append(out, Action{Kind: ActStopTimer, Timer: t})
}

func (m *Machine) setState(out []Action, to State, reason Reason) []Action {
	from := m.state
	m.state = to
	return append(out, Action{Kind: ActStateChanged, From: from, To: to, Reason: reason})
}

func (m *Machine) onStart(now time.Time, out []Action) []Action {
	if m.state != StateInit && m.state != StateStop {
		return out
	}
	// After STOP the machine stays in STOP until it really starts, so that every
	// StateChanged's From is the state the engine last saw.
	if m.cfg.StartupDelay > 0 && !m.inStartupDelay {
		// vrrp_startup_delay: stay in INIT and discard adverts until the timer fires.
		m.inStartupDelay = true
		return m.arm(out, TimerStartup, now.Add(m.cfg.StartupDelay))
	}
	return m.start(now, out)
}

// start leaves INIT (RFC 9568 §6.4.1, keepalived vrrp_init_state()).
func (m *Machine) start(now time.Time, out []Action) []Action {
	// Leaving INIT ends the startup delay, whoever starts the machine (its own startup timer, or
	// its sync group): a startup timer still armed would later restart a running machine.
	out = m.stop(out, TimerStartup)
	m.inStartupDelay = false
	m.masterAdverInterval = m.cfg.AdvertInterval
	if m.faulted() {
		return m.setState(out, StateFault, m.faultReason())
	}
	if m.isOwner() && m.cfg.WantMaster {
		if !m.gated {
			return m.becomeMaster(now, out, ReasonStartupOwner)
		}
		out = m.setState(out, StateBackup, ReasonStartup)
		m.wantMaster, m.wantedReason = true, ReasonStartupOwner
		return out
	}
	// Everyone else, state MASTER included, waits Master_Down_Interval as a backup.
	out = m.setState(out, StateBackup, ReasonStartup)
	m.downCause = ReasonMasterDownTimer
	return m.arm(out, TimerMasterDown, now.Add(m.downInterval()))
}

// faultReason returns a raised fault reason for the FAULT transition.
func (m *Machine) faultReason() Reason {
	for r := Reason(0); r < 64; r++ {
		if m.faults&faultBit(r) != 0 {
			return r
		}
	}
	return ReasonSyncGroup
}

func (m *Machine) stopAll(out []Action) []Action {
	for t := Timer(0); t < numTimers; t++ {
		out = m.stop(out, t)
	}
	return out
}

func (m *Machine) onShutdown(out []Action) []Action {
	if m.state == StateStop {
		return out
	}
	wasMaster := m.state == StateMaster
	if wasMaster {
		// RFC 9568 §6.4.3: on Shutdown a master sends an advert with priority 0.
		out = append(out, Action{Kind: ActSendAdvert, Priority: 0, Reason: ReasonShutdown})
	}
	out = m.stopAll(out)
	if wasMaster {
		out = append(out, Action{Kind: ActRemoveAddresses})
	}
	out = m.clearRogue(out)
	m.reset()
	return m.setState(out, StateStop, ReasonShutdown)
}

// reset clears per-run state so that a later Start begins afresh.
func (m *Machine) reset() {
	m.inStartupDelay = false
	m.preempt = preemptIdle
	m.wantMaster = false
	m.masterAddr, m.masterPrio = netip.Addr{}, 0
	m.masterAdverInterval = m.cfg.AdvertInterval
}

func (m *Machine) onPriority(p int, out []Action) []Action {
	if m.isOwner() {
		return out // the owner's priority is immune to trackers (RFC 9568 §6.1, keepalived)
	}
	p = min(max(p, 1), OwnerPriority-1)
	if m.effPrio == uint8(p) {
		return out
	}
	m.effPrio = uint8(p)
	return append(out, Action{Kind: ActPriorityChanged, Priority: m.effPrio, Reason: ReasonTrackerPriority})
}

func (m *Machine) onTimer(e TimerFired, now time.Time, out []Action) []Action {
	if e.Timer >= numTimers || m.armed&(1<<e.Timer) == 0 || e.Gen != m.gen[e.Timer] {
		return out // stale: re-armed or stopped since
	}
	m.armed &^= 1 << e.Timer
	g := &m.cfg.GARP
	switch e.Timer {
	case TimerStartup:
		if m.state != StateInit && m.state != StateStop {
			return out // already running; start() stops this timer, so this is defence in depth
		}
		return m.start(now, out)
	case TimerMasterDown:
		if m.state != StateBackup {
			return out
		}
		if m.gated {
			m.wantMaster, m.wantedReason = true, m.downCause
			return out
		}
		return m.becomeMaster(now, out, m.downCause)
	case TimerAdvert:
		if m.tookOverMeanwhile(now) {
			return m.timerExpiredBackup(now, out)
		}
		out = append(out, Action{Kind: ActSendAdvert, Priority: m.effPrio, Reason: ReasonAdvertTimer})
		return m.arm(out, TimerAdvert, now.Add(m.cfg.AdvertInterval))
	case TimerPreemptDelay:
		m.preempt = preemptExpired
	case TimerGARPDelayed:
		return append(out, Action{Kind: ActGARP, Count: g.MasterRepeat, Reason: ReasonGARPMasterDelay})
	case TimerGARPRefresh:
		out = append(out, Action{Kind: ActGARP, Count: g.RefreshRepeat, Reason: ReasonGARPRefresh})
		return m.arm(out, TimerGARPRefresh, now.Add(g.MasterRefresh))
	case TimerLowerPrioGARP:
		return append(out, Action{Kind: ActGARP, Count: g.LowerPrioRepeat, Reason: ReasonGARPLowerPrioDelay})
	case TimerRogue:
		return m.onRogueTimer(now, out)
	}
	return out
}

// becomeMaster is keepalived's vrrp_state_become_master() order (reference §6.6): advert first
// so the old master drops its addresses before our GARPs, then addresses, GARP/NA, the delayed
// and refresh schedule, and last the notifies.
func (m *Machine) becomeMaster(now time.Time, out []Action, reason Reason) []Action {
	m.wantMaster = false
	m.masterAdverInterval = m.cfg.AdvertInterval // RFC 9568 §6.4.3: a master uses its own interval
	m.masterAddr, m.masterPrio = m.cfg.LocalAddr, m.effPrio
	out = m.stop(out, TimerMasterDown)
	out = m.stop(out, TimerPreemptDelay)
	m.preempt = preemptIdle
	out = append(out, Action{Kind: ActSendAdvert, Priority: m.effPrio, Reason: reason})
	out = m.arm(out, TimerAdvert, now.Add(m.cfg.AdvertInterval))
	out = append(out, Action{Kind: ActAddAddresses})
	g := &m.cfg.GARP
	if g.MasterRepeat > 0 {
		out = append(out, Action{Kind: ActGARP, Count: g.MasterRepeat, Reason: ReasonGARPMaster})
		if g.MasterDelay > 0 {
			out = m.arm(out, TimerGARPDelayed, now.Add(g.MasterDelay))
		}
	}
	if g.MasterRefresh > 0 && g.RefreshRepeat > 0 {
		out = m.arm(out, TimerGARPRefresh, now.Add(g.MasterDelay+g.MasterRefresh))
	}
	return m.setState(out, StateMaster, reason)
}

// leaveMaster stops the master's timers and removes its addresses. With prio0 it first sends a
// priority-0 advert so the backups take over after Skew_Time (RFC 9568 §6.4.3).
func (m *Machine) leaveMaster(out []Action, prio0 bool, reason Reason) []Action {
	if prio0 {
		out = append(out, Action{Kind: ActSendAdvert, Priority: 0, Reason: reason})
	}
	out = m.stop(out, TimerAdvert)
	out = m.stop(out, TimerGARPDelayed)
	out = m.stop(out, TimerGARPRefresh)
	out = m.stop(out, TimerLowerPrioGARP)
	return append(out, Action{Kind: ActRemoveAddresses})
}

// toBackup moves a master to BACKUP and arms the master-down timer.
func (m *Machine) toBackup(now time.Time, out []Action, reason Reason) []Action {
	out = m.leaveMaster(out, false, reason)
	m.downCause = ReasonMasterDownTimer
	out = m.arm(out, TimerMasterDown, now.Add(m.downInterval()))
	return m.setState(out, StateBackup, reason)
}

// reconcileFault enters or leaves FAULT to match the fault set (keepalived vrrp_state_leave_master
// with wantstate FAULT, and try_up_instance()).
func (m *Machine) reconcileFault(now time.Time, out []Action, reason Reason) []Action {
	switch {
	case m.faulted() && (m.state == StateBackup || m.state == StateMaster):
		if m.state == StateMaster {
			out = m.leaveMaster(out, true, reason)
		}
		out = m.stopAll(out)
		out = m.clearRogue(out)
		m.preempt = preemptIdle
		m.wantMaster = false
		return m.setState(out, StateFault, reason)
	case !m.faulted() && m.state == StateFault:
		m.masterAdverInterval = m.cfg.AdvertInterval
		d := m.downInterval()
		if m.isOwner() && m.cfg.WantMaster {
			d = m.cfg.AdvertInterval + m.skew() // an owner only waits adv + skew
		}
		out = m.setState(out, StateBackup, ReasonFaultCleared)
		m.downCause = ReasonMasterDownTimer
		return m.arm(out, TimerMasterDown, now.Add(d))
	}
	return out
}
