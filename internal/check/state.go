package check

import "time"

// policy holds the per-kind differences in how results drive the state.
type policy struct {
	// noRetryWhenDown: HTTP/SSL, UDP and DNS do not retry a checker already
	// known down (check_http.c timeout_epilog "do not retry if server is
	// already known as dead"; udp_epilog and dns_final retry only
	// "if (checker->is_up)").
	noRetryWhenDown bool
	// retryFirstRun: HTTP/SSL still retry on the very first run of a checker
	// that starts down (alpha): timeout_epilog tests "is_up || !has_run".
	retryFirstRun bool
	// longDownDelay: HTTP/SSL wait max(delay_before_retry, delay_loop) after
	// a failure that leaves the checker down (check_http.c epilog).
	longDownDelay bool
	// confirmRecovery: after a failure HTTP/SSL need one pass on the failed URL
	// and then a full pass before the checker is up again (check_http.c: epilog,
	// failed_url); fastRecovery runs that second pass at once.
	confirmRecovery bool
	fastRecovery    bool
}

func policyFor(k Kind, fastRecovery bool) policy {
	switch k {
	case KindHTTP, KindSSL:
		return policy{noRetryWhenDown: true, retryFirstRun: true, longDownDelay: true, confirmRecovery: true, fastRecovery: fastRecovery}
	case KindUDP, KindDNS:
		return policy{noRetryWhenDown: true}
	}
	return policy{}
}

// checkState is the pure per-checker state machine: it turns probe results
// into the checker's up/down state and the delay before the next probe. It
// reads no clock, so retry and delay_before_retry arithmetic is table-tested.
type checkState struct {
	up         bool // checker considered up
	hasRun     bool // a result was processed
	retryIt    int  // failures counted against retry
	failed     bool // declared down by a failure (HTTP failed_url)
	recovering bool // HTTP: failed URL passed, a full pass is pending
}

// newCheckState is the start state: up unless alpha.
func newCheckState(alpha bool) checkState { return checkState{up: !alpha} }

// step applies one result and returns the delay until the next probe and
// whether the checker's up/down state changed.
func (st *checkState) step(ok bool, s Schedule, p policy) (time.Duration, bool) {
	defer func() { st.hasRun = true }()
	if ok {
		st.retryIt = 0
		if p.confirmRecovery && st.failed && !st.recovering {
			st.recovering = true
			if p.fastRecovery {
				return 0, false
			}
			return s.DelayLoop, false
		}
		st.recovering, st.failed = false, false
		changed := !st.up
		st.up = true
		return s.DelayLoop, changed
	}
	st.recovering = false
	downDelay := s.DelayLoop
	if p.longDownDelay && s.DelayBeforeRetry > downDelay {
		downDelay = s.DelayBeforeRetry
	}
	if p.noRetryWhenDown && !st.up && (st.hasRun || !p.retryFirstRun) {
		st.failed = true
		return downDelay, false
	}
	if st.retryIt < s.Retry {
		st.retryIt++
		return s.DelayBeforeRetry, false
	}
	st.retryIt = 0
	st.failed = true
	changed := st.up
	st.up = false
	return downDelay, changed
}
