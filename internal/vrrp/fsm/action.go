package fsm

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// ActionKind says what an Action asks the engine to do.
type ActionKind uint8

// The action kinds. Action is one struct rather than an interface of value types so that
// appending it to a reused slice never allocates: a steady-state advert costs no allocation.
const (
	_ ActionKind = iota
	// ActSendAdvert: send an advert with Priority (0 on shutdown and on MASTER to FAULT).
	ActSendAdvert
	// ActAddAddresses: install the VIPs, eVIPs, virtual routes and rules (and accept-mode state).
	ActAddAddresses
	// ActRemoveAddresses: remove everything ActAddAddresses installed.
	ActRemoveAddresses
	// ActGARP: send Count gratuitous ARPs / unsolicited NAs per address; Reason says which burst.
	ActGARP
	// ActArmTimer: (re)arm Timer to fire at At with generation Gen, replacing any pending one.
	ActArmTimer
	// ActStopTimer: cancel Timer.
	ActStopTimer
	// ActStateChanged: the instance moved From To for Reason; run the notifies.
	ActStateChanged
	// ActNotifyRxLowerPriority: a master received a lower-priority advert from Peer
	// (notify_master_rx_lower_pri, FIFO MASTER_RX_LOWER_PRI).
	ActNotifyRxLowerPriority
	// ActPriorityChanged: the effective priority is now Priority (notify_priority_changes).
	ActPriorityChanged
	// ActAddrMismatch: Peer's advert lists other addresses than ours; log it (rate-limited).
	ActAddrMismatch
	// ActIgnoredAdvert: an advert from Peer was discarded for Reason; count and log it.
	ActIgnoredAdvert
	// ActGroupStateChanged: the sync group moved From To for Reason; run the group notifies.
	ActGroupStateChanged
)

var kindNames = [...]string{"", "send_advert", "add_addresses", "remove_addresses", "garp", "arm", "stop",
	"state", "notify_rx_lower_prio", "priority", "addr_mismatch", "ignored", "group_state"}

// String returns the kind's snake_case name.
func (k ActionKind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return "unknown"
}

// Action is one step for the engine. Only the fields its Kind documents are set.
type Action struct {
	Kind ActionKind
	// Member is the index of the machine within its Group (0 for a standalone machine); -1 for
	// ActGroupStateChanged.
	Member   int
	Timer    Timer
	Gen      uint64
	At       time.Time
	Priority uint8
	Count    int
	From, To State
	Reason   Reason
	Peer     netip.Addr
}

// Format renders the action in the scenario-script syntax, with times relative to epoch.
func (a Action) Format(epoch time.Time) string {
	var b strings.Builder
	b.WriteString(a.Kind.String())
	switch a.Kind {
	case ActSendAdvert:
		fmt.Fprintf(&b, " prio=%d", a.Priority)
		if a.Reason != ReasonNone {
			fmt.Fprintf(&b, " reason=%s", a.Reason)
		}
	case ActGARP:
		fmt.Fprintf(&b, " count=%d reason=%s", a.Count, a.Reason)
	case ActArmTimer:
		fmt.Fprintf(&b, " %s gen=%d at=%s", a.Timer, a.Gen, a.At.Sub(epoch))
	case ActStopTimer:
		fmt.Fprintf(&b, " %s", a.Timer)
	case ActStateChanged, ActGroupStateChanged:
		fmt.Fprintf(&b, " %s->%s reason=%s", a.From, a.To, a.Reason)
	case ActNotifyRxLowerPriority, ActAddrMismatch:
		fmt.Fprintf(&b, " from=%s prio=%d", a.Peer, a.Priority)
	case ActPriorityChanged:
		fmt.Fprintf(&b, " %d reason=%s", a.Priority, a.Reason)
	case ActIgnoredAdvert:
		fmt.Fprintf(&b, " from=%s prio=%d reason=%s", a.Peer, a.Priority, a.Reason)
	}
	return b.String()
}
