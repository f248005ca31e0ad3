package track

import "github.com/gokeepalived/gokeepalived/internal/vrrp/engine"

// Weight bounds (vrrp_track.c: weights are -253..253; a file result of -254 or
// below means FAULT).
const (
	maxWeight   = 253
	faultStatus = -254
)

// BoolState is the verdict of a pass/fail tracker (a script, a process quorum) for
// one reference, following vrrp_track.c process_script_update_priority():
//
//   - weight 0: failure is FAULT; reverse makes success the FAULT.
//   - weight > 0: the weight is added while the tracker succeeds.
//   - weight < 0: the weight is added (subtracted) while it fails.
//   - reverse multiplies the adjustment by -1.
func BoolState(ok bool, weight int, reverse bool) engine.TrackerState {
	if weight == 0 {
		return engine.TrackerState{Fault: ok == reverse}
	}
	mult := 1
	if reverse {
		mult = -1
	}
	switch {
	case ok && weight > 0:
		return engine.TrackerState{Weight: weight * mult}
	case !ok && weight < 0:
		return engine.TrackerState{Weight: weight * mult}
	}
	return engine.TrackerState{}
}

// FileState is the verdict of a track_file value for one reference
// (vrrp_track.c update_track_file_status()): with weight 0 any non-zero value is
// FAULT; otherwise value × weight (× -1 with reverse) is added to the priority,
// capped at 253, and a result of -254 or below is FAULT.
func FileState(value, weight int, reverse bool) engine.TrackerState {
	if weight == 0 {
		return engine.TrackerState{Fault: value != 0}
	}
	if reverse {
		weight = -weight
	}
	// value is clamped to ±254 when read, so this cannot overflow.
	st := value * weight
	switch {
	case st <= faultStatus:
		return engine.TrackerState{Fault: true}
	case st > maxWeight:
		st = maxWeight
	}
	return engine.TrackerState{Weight: st}
}
