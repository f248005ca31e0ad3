package lvs

import (
	"reflect"
	"testing"
)

// TestStatus follows the quorum walk of TestHealthAndQuorum in the status view.
func TestStatus(t *testing.T) {
	h := newHarness(t, web)
	h.start()
	want := func(when string, quorumUp bool, alive int, rs ...RSStatus) {
		t.Helper()
		got := h.m.Status()
		exp := []VSStatus{{Name: webVS, QuorumUp: quorumUp, AliveWeight: alive, Quorum: 2, RealServers: rs}}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("%s:\n got %+v\nwant %+v", when, got, exp)
		}
	}
	want("start", true, 3, RSStatus{"[203.0.113.1]:tcp:80", true, 1}, RSStatus{"[203.0.113.2]:tcp:80", true, 2})
	h.health(webVS, "203.0.113.2", 80, false)
	want("rs2 down", false, 1, RSStatus{"[203.0.113.1]:tcp:80", true, 1}, RSStatus{"[203.0.113.2]:tcp:80", false, 2})
	h.health(webVS, "203.0.113.2", 80, true)
	want("rs2 up again", true, 3, RSStatus{"[203.0.113.1]:tcp:80", true, 1}, RSStatus{"[203.0.113.2]:tcp:80", true, 2})
}
