package fsm_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

// An engine feeds events with the current time and executes the actions in order. Here a
// backup hears nothing and takes over after Master_Down_Interval.
func Example() {
	m, err := fsm.New(fsm.Config{VRID: 51, Version: 2, Priority: 100, AdvertInterval: time.Second,
		LocalAddr: netip.MustParseAddr("198.51.100.2"), GARP: fsm.DefaultGARP()})
	if err != nil {
		fmt.Println(err)
		return
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []fsm.Action
	out = m.Handle(fsm.Start{}, t0, out[:0])
	var fire fsm.TimerFired
	for _, a := range out {
		fmt.Println(a.Format(t0))
		if a.Kind == fsm.ActArmTimer {
			fire = fsm.TimerFired{Timer: a.Timer, Gen: a.Gen} // the engine's timer delivers this at a.At
		}
	}
	out = m.Handle(fire, t0.Add(3609375*time.Microsecond), out[:0])
	for _, a := range out {
		fmt.Println(a.Format(t0))
	}
	// Output:
	// state INIT->BACKUP reason=startup
	// arm master_down gen=1 at=3.609375s
	// send_advert prio=100 reason=master_down_timer
	// arm advert gen=1 at=4.609375s
	// add_addresses
	// garp count=5 reason=garp_master
	// arm garp_delayed gen=1 at=8.609375s
	// state BACKUP->MASTER reason=master_down_timer
}
