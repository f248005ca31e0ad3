package fsm

import (
	"net/netip"
	"time"
)

// Event is an input to the machine. The set is closed: Start, Shutdown, AdvertReceived,
// TimerFired, PriorityChanged, FaultRaised and FaultCleared.
type Event interface{ isEvent() }

// Start begins the protocol: INIT to BACKUP, or to MASTER for an owner (RFC 9568 §6.4.1).
type Start struct{}

// Shutdown stops the instance; a master sends a priority-0 advert first (RFC 9568 §6.4.3).
type Shutdown struct{}

// AdvertReceived is an advert that passed receive validation (RFC 9568 §7.1) for this VRID.
type AdvertReceived struct {
	// From is the packet's source address.
	From netip.Addr
	// Priority is the advert's priority; 0 means the master is stopping.
	Priority uint8
	// Interval is the advert interval carried by the packet (v3: Max Advertise Interval; v2:
	// Adver Int). Zero means unknown and is treated as our own.
	Interval time.Duration
	// AddrMismatch says the advert's address list differs from ours. keepalived ≥2.3.3 logs it
	// and accepts the advert; so does this machine (it emits ActAddrMismatch).
	AddrMismatch bool
}

// TimerFired reports that a timer armed by ArmTimer expired. Gen must be the generation of the
// ArmTimer; a stale generation is ignored.
type TimerFired struct {
	Timer Timer
	Gen   uint64
}

// PriorityChanged carries the effective priority computed by the trackers. It is clamped to
// 1-254 and ignored for an owner, whose priority trackers cannot change.
type PriorityChanged struct {
	Effective int
}

// FaultRaised reports a fault (interface down, tracker failed). Reasons are kept as a set.
type FaultRaised struct {
	Reason Reason
}

// FaultCleared clears one fault reason; the instance leaves FAULT when none is left.
type FaultCleared struct {
	Reason Reason
}

func (Start) isEvent()           {}
func (Shutdown) isEvent()        {}
func (AdvertReceived) isEvent()  {}
func (TimerFired) isEvent()      {}
func (PriorityChanged) isEvent() {}
func (FaultRaised) isEvent()     {}
func (FaultCleared) isEvent()    {}
