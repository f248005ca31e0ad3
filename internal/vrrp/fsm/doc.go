// Package fsm is the VRRP state machine of gokeepalived: a pure function of (state, event, now)
// that appends the actions an engine must execute, in order.
//
// The machine follows RFC 3768 (VRRPv2) and RFC 9568 (VRRPv3) as keepalived implements them,
// because operators keep their keepalived.conf and expect keepalived's behaviour: accept mode is
// the engine's business, a master answers a lower-priority advert with an immediate advert unless
// lower_prio_no_advert is set, state MASTER is only a preference, address owners (priority 255)
// start as master at once, and duplicate owners are resolved by demotion to 254.
//
// It does no I/O, reads no clock, starts no goroutine and draws no random number. Time is an
// input: the engine passes now with every event, and timers are requested with ArmTimer actions
// that carry a generation number. Arming a timer bumps its generation, so a TimerFired whose
// generation is stale (the timer was re-armed or stopped after it fired) is ignored. The engine
// keeps at most one pending timer per Timer kind and replaces it on every ArmTimer.
//
// Caller duties, for each event:
//
//  1. validate and decode the packet (internal/vrrp/packet) before passing an AdvertReceived;
//  2. call Handle with the event and the current time, passing a reused slice as out;
//  3. execute the returned actions in order: the order is the protocol's (for a new master:
//     advert, then addresses, then GARP/NA, then notifications).
//
// Group ties machines into a keepalived vrrp_sync_group: members move to MASTER together, to
// BACKUP together and to FAULT together. docs/vrrp-fsm.md describes every rule and each place
// where keepalived and the RFCs differ.
package fsm
