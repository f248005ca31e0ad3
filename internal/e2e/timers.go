package e2e

import "time"

// Skew is the RFC skew time in keepalived's integer microsecond arithmetic
// (reference §6.5): (256-P)/256 s for VRRPv2 (RFC 3768 §6.1, independent of
// the advert interval), (256-P)×Master_Adver_Interval/256 for VRRPv3 (RFC 9568
// §6.1, interval in centiseconds).
func Skew(version int, adv time.Duration, prio int) time.Duration {
	if version == 2 {
		return time.Duration((256-prio)*1000000/256) * time.Microsecond
	}
	cs := int64(adv / (10 * time.Millisecond))
	return time.Duration(int64(256-prio)*cs*625/16) * time.Microsecond
}

// MasterDown is Master_Down_Interval = 3 × Master_Adver_Interval + Skew.
func MasterDown(version int, adv time.Duration, prio int) time.Duration {
	return 3*adv + Skew(version, adv, prio)
}
