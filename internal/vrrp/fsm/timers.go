package fsm

import "time"

// centisecond is the unit of the VRRPv3 Max Advertise Interval field (RFC 9568 §5.2.7).
const centisecond = 10 * time.Millisecond

// skewTime returns Skew_Time for priority p and the master's advert interval.
//
// VRRPv3 (RFC 9568 §6.1): Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256.
// VRRPv2 (RFC 3768 §6.1): Skew_Time = (256 - Priority) / 256 seconds, whatever advert_int is.
//
// The product is formed before the division in integer nanoseconds and the result is truncated
// to whole microseconds, which equals keepalived's µs formulas exactly
// ((256-P)*1000000/256 and ((256-P)*cs*625)/16, include/vrrp.h): floor(floor(x)/1000) is
// floor(x/1000). TestSkewMatchesKeepalived checks every priority and interval.
func skewTime(version int, p uint8, masterAdverInterval time.Duration) time.Duration {
	base := masterAdverInterval
	if version == 2 {
		base = time.Second
	}
	ns := time.Duration(256-int64(p)) * base / 256
	return ns.Truncate(time.Microsecond)
}

// masterDownInterval returns Master_Down_Interval = down_timer_adverts * Master_Adver_Interval +
// Skew_Time (RFC 9568 §6.1 with keepalived's down_timer_adverts in place of the 3).
func masterDownInterval(version, adverts int, p uint8, masterAdverInterval time.Duration) time.Duration {
	return time.Duration(adverts)*masterAdverInterval + skewTime(version, p, masterAdverInterval)
}

// rogueWindow is how long the higher-addressed of two owners waits before it also demotes
// itself to 254, and how long a demoted owner must hear no other owner before it restores 255:
// two adverts plus 1.2 times the longer of the two intervals (keepalived's rogue timer).
func rogueWindow(local, remote time.Duration) time.Duration {
	return 2*local + max(local, remote)*6/5
}
