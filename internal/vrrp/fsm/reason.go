package fsm

// Reason is a stable token saying why a transition or action happened. Its String form is meant
// for the log key "reason" and for metric labels, so the names never change.
type Reason uint8

// The reasons. Fault reasons (ReasonTrackerFault, ReasonLinkDown, ReasonSyncGroup and any other
// value below 64) are tracked as a set, so a FAULT ends only when every raised reason is cleared.
const (
	ReasonNone Reason = iota
	// ReasonStartup: INIT to BACKUP at start.
	ReasonStartup
	// ReasonStartupOwner: INIT to MASTER at start of an address owner with state MASTER.
	ReasonStartupOwner
	// ReasonMasterDownTimer: the master's adverts stopped.
	ReasonMasterDownTimer
	// ReasonPriorityZero: the master sent a priority-0 advert (it is stopping).
	ReasonPriorityZero
	// ReasonPreempt: this backup discarded a lower-priority master's adverts and took over.
	ReasonPreempt
	// ReasonHigherPriority: a master received an advert that wins the election.
	ReasonHigherPriority
	// ReasonLowerPriority: a master received an advert that loses the election.
	ReasonLowerPriority
	// ReasonTrackerFault: a tracker reported a fault.
	ReasonTrackerFault
	// ReasonLinkDown: the interface went down.
	ReasonLinkDown
	// ReasonFaultCleared: every fault was cleared.
	ReasonFaultCleared
	// ReasonShutdown: the instance is stopping.
	ReasonShutdown
	// ReasonSyncGroup: another member of the sync group moved.
	ReasonSyncGroup
	// ReasonDuplicateOwner: another router also claims priority 255.
	ReasonDuplicateOwner
	// ReasonDuplicateOwnerResolved: the duplicate owner went away; 255 is restored.
	ReasonDuplicateOwnerResolved
	// ReasonTrackerPriority: trackers changed the effective priority.
	ReasonTrackerPriority
	// ReasonNotRunning: an advert arrived in INIT, FAULT or STOP.
	ReasonNotRunning
	// ReasonStartupDelay: an advert arrived during vrrp_startup_delay.
	ReasonStartupDelay
	// ReasonOwnAddress: an advert carried our own source address.
	ReasonOwnAddress
	// ReasonOwnerIgnoreAdverts: an owner with owner_ignore_adverts drops every advert.
	ReasonOwnerIgnoreAdverts
	// ReasonIntervalMismatch: a VRRPv2 advert with another interval (RFC 3768 §7.1).
	ReasonIntervalMismatch
	// ReasonAddressMismatch: the advert's address list differs from ours (logged, accepted).
	ReasonAddressMismatch
	// ReasonGARPMaster: the burst sent on becoming master.
	ReasonGARPMaster
	// ReasonGARPMasterDelay: the second burst, garp_master_delay later.
	ReasonGARPMasterDelay
	// ReasonGARPRefresh: the periodic garp_master_refresh burst.
	ReasonGARPRefresh
	// ReasonGARPLowerPrio: the burst after a lower-priority advert.
	ReasonGARPLowerPrio
	// ReasonGARPLowerPrioDelay: the second burst, garp_lower_prio_delay later.
	ReasonGARPLowerPrioDelay
	// ReasonAdvertTimer: the periodic advert.
	ReasonAdvertTimer
	// ReasonForcedElection: an advert sent at once in answer to a lower-priority or priority-0
	// advert (keepalived logs "forcing new election").
	ReasonForcedElection
	// ReasonReload: a configuration reload changed the instance's settings in place.
	ReasonReload
	// ReasonTimerExpired: a master's advert timer fired so late that another router has taken
	// over (timer_expired_backup), so it went to BACKUP.
	ReasonTimerExpired

	numReasons
)

var reasonNames = [...]string{
	"none", "startup", "startup_owner", "master_down_timer", "priority_zero_received", "preempt",
	"higher_priority_advert", "lower_priority_advert", "tracker_fault", "link_down", "fault_cleared",
	"shutdown", "sync_group", "duplicate_owner", "duplicate_owner_resolved", "tracker_priority",
	"not_running", "startup_delay", "own_address", "owner_ignore_adverts", "interval_mismatch",
	"address_mismatch", "garp_master", "garp_master_delay", "garp_refresh", "garp_lower_prio",
	"garp_lower_prio_delay", "advert_timer", "forced_election", "reload",
	"timer_expired",
}

// String returns the reason's stable snake_case token.
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "unknown"
}

// ParseReason returns the Reason whose String form is s.
func ParseReason(s string) (Reason, bool) {
	for i, n := range reasonNames {
		if n == s {
			return Reason(i), true
		}
	}
	return 0, false
}
