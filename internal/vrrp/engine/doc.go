// Package engine runs VRRP instances. It feeds the pure state machines of package fsm with
// received adverts, timer fires and link events, and carries out the actions they return through
// narrow interfaces to the kernel (Network).
//
// One goroutine, the loop, owns every state machine, so instances and sync groups need no locks.
// The loop never waits on slow work: sending an advert is one non-blocking raw-socket write, while
// addresses (netlink) and gratuitous ARP / NA bursts are handed to a per-instance worker that
// reconciles the kernel towards the latest wanted state. A slow netlink call can therefore delay
// a GARP, never an advert (keepalived issue #1653 is the failure this avoids).
package engine
