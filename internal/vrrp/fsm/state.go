package fsm

// State is the state of a VRRP instance (RFC 9568 §6.4) plus keepalived's STOP.
type State uint8

// The states. The numeric values are internal; use String for logs and metrics.
const (
	// StateInit is the state before Start and during vrrp_startup_delay (RFC 9568 §6.4.1).
	StateInit State = iota
	// StateBackup watches the master and takes over when its adverts stop (RFC 9568 §6.4.2).
	StateBackup
	// StateMaster owns the virtual addresses and sends adverts (RFC 9568 §6.4.3).
	StateMaster
	// StateFault is keepalived's state for an instance whose interface or trackers failed.
	StateFault
	// StateStop is keepalived's state after Shutdown; notifies report it as STOP.
	StateStop
)

var stateNames = [...]string{"INIT", "BACKUP", "MASTER", "FAULT", "STOP"}

// String returns keepalived's upper-case name of the state, as used in notify scripts.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "UNKNOWN"
}

// Timer names one of the machine's timers. The engine keeps at most one pending timer per kind.
type Timer uint8

// The timers.
const (
	// TimerMasterDown is the backup's Master_Down_Timer (RFC 9568 §6.2).
	TimerMasterDown Timer = iota
	// TimerAdvert is the master's Adver_Timer (RFC 9568 §6.2).
	TimerAdvert
	// TimerPreemptDelay ends keepalived's preempt_delay window.
	TimerPreemptDelay
	// TimerGARPDelayed sends the second GARP/NA burst garp_master_delay after becoming master.
	TimerGARPDelayed
	// TimerGARPRefresh sends the periodic garp_master_refresh burst.
	TimerGARPRefresh
	// TimerLowerPrioGARP sends the second burst garp_lower_prio_delay after a lower-priority advert.
	TimerLowerPrioGARP
	// TimerStartup ends vrrp_startup_delay.
	TimerStartup
	// TimerRogue re-checks a duplicate address owner conflict (keepalived's rogue timer).
	TimerRogue

	numTimers
)

var timerNames = [...]string{"master_down", "advert", "preempt_delay", "garp_delayed", "garp_refresh", "lower_prio_garp", "startup", "rogue"}

// String returns the timer's stable snake_case name.
func (t Timer) String() string {
	if int(t) < len(timerNames) {
		return timerNames[t]
	}
	return "unknown"
}

// ParseTimer returns the Timer named s (the String form).
func ParseTimer(s string) (Timer, bool) {
	for i, n := range timerNames {
		if n == s {
			return Timer(i), true
		}
	}
	return 0, false
}
