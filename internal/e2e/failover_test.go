package e2e

import (
	"testing"
	"time"
)

// failoverCases cover the transports: v3 IPv4 multicast, v3 IPv6 multicast,
// v3 IPv4 unicast, v2 IPv4 unicast, each crashed and cleanly stopped (the
// slow v2 only stopped: its crash is the same timer path as v3's).
var failoverCases = []Case{
	{Name: "v3-ipv4-crash", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 4},
	{Name: "v3-ipv4-stop", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 4, Stop: true},
	{Name: "v3-ipv6-crash", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 6},
	{Name: "v3-ipv6-stop", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 6, Stop: true},
	{Name: "v3-unicast-crash", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 4, Unicast: true},
	{Name: "v3-unicast-stop", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 4, Unicast: true, Stop: true},
	{Name: "v2-unicast-stop", Version: 2, Adv: time.Second, AdvText: "1", Family: 4, Unicast: true, Stop: true},
}

// TestFailover runs every case with the same implementation on both routers:
// election (steady state with one master), then crash or clean failover with
// the takeover gap checked against the RFC interval.
func TestFailover(t *testing.T) {
	im := impl()
	requireImpl(t, im)
	l := NewLab(t, 2)
	for _, c := range failoverCases {
		t.Run(c.Name, func(t *testing.T) {
			l.T = t
			r := RunFailover(t, l, im, im, c)
			t.Logf("%s: kill→VIP %v, kill→advert %v, kill→GARP/NA %v, gap %v (RFC %v)", c.Name, r.KillToVIP, r.KillToAdvert, r.KillToAnnounce, r.Gap, r.Want)
		})
	}
}
