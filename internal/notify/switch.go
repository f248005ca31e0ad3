package notify

import (
	"sync/atomic"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// Switch forwards the engine's events to the current Notifier, so a reload can
// replace the Notifier (keepalived restarts the FIFO scripts at a reload) while the
// engine keeps the one OnTransition func it was built with. The zero value drops
// events until Set is called.
type Switch struct {
	cur atomic.Pointer[Notifier]
}

// Set installs n and returns the previous Notifier (nil the first time), which the
// caller closes.
func (s *Switch) Set(n *Notifier) *Notifier { return s.cur.Swap(n) }

// OnTransition is the engine.Options.OnTransition hook.
func (s *Switch) OnTransition(t engine.Transition) {
	if n := s.cur.Load(); n != nil {
		n.OnTransition(t)
	}
}

// PriorityChanged forwards to the current Notifier.
func (s *Switch) PriorityChanged(instance string, prio int, master bool) {
	if n := s.cur.Load(); n != nil {
		n.PriorityChanged(instance, prio, master)
	}
}

// MasterRxLowerPri forwards to the current Notifier.
func (s *Switch) MasterRxLowerPri(instance string, prio int) {
	if n := s.cur.Load(); n != nil {
		n.MasterRxLowerPri(instance, prio)
	}
}

// Deleted forwards to the current Notifier.
func (s *Switch) Deleted(instance string, prio int) {
	if n := s.cur.Load(); n != nil {
		n.Deleted(instance, prio)
	}
}
