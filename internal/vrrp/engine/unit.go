package engine

import (
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

// unit is what the loop drives as one: a lone instance's machine, or a sync group whose members
// move together.
type unit struct {
	name    string
	group   *fsm.Group   // nil for a lone instance
	machine *fsm.Machine // the lone instance's machine
	members []*instance
}

// handle feeds ev for member i to the machine or group.
func (u *unit) handle(i int, ev fsm.Event, now time.Time, out []fsm.Action) []fsm.Action {
	if u.group != nil {
		return u.group.Handle(i, ev, now, out)
	}
	return u.machine.Handle(ev, now, out)
}

// machine returns member i's state machine.
func (u *unit) machineOf(i int) *fsm.Machine {
	if u.group != nil {
		return u.group.Member(i)
	}
	return u.machine
}
