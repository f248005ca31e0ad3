package track

// riseFall is keepalived's rise/fall hysteresis for vrrp_script
// (vrrp_scheduler.c vrrp_script_child_thread()). The counter lives in
// [0, rise+fall-1]; the script is OK while it is >= rise. A success in the failed
// range counts up and the rise-th consecutive one makes it OK; a failure in the OK
// range counts down and the fall-th consecutive one makes it failed.
type riseFall struct {
	rise, fall int
	result     int
	// known is false until the first result: the first one decides at once, as
	// keepalived's init state does, unless init_fail set a failed start.
	known bool
}

func newRiseFall(rise, fall int, initFail bool) riseFall {
	if rise < 1 {
		rise = 1
	}
	if fall < 1 {
		fall = 1
	}
	return riseFall{rise: rise, fall: fall, known: initFail}
}

// ok reports the current verdict.
func (r *riseFall) ok() bool { return r.result >= r.rise }

// observe feeds one run's outcome and reports whether the verdict changed (always
// true for the first result of a tracker that started unknown).
func (r *riseFall) observe(success bool) (changed bool) {
	first := !r.known
	r.known = true
	before := r.ok()
	top := r.rise + r.fall - 1
	if first {
		if success {
			r.result = top
		} else {
			r.result = 0
		}
		return true
	}
	if success {
		if r.result < r.rise-1 {
			r.result++
		} else {
			r.result = top
		}
	} else {
		if r.result > r.rise {
			r.result--
		} else {
			r.result = 0
		}
	}
	return before != r.ok()
}
