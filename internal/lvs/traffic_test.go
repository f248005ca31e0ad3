package lvs

import (
	"testing"
)

// TestTraffic lists every programmed service with its destinations named as keepalived logs
// them, the sorry server included once it is in.
func TestTraffic(t *testing.T) {
	h := newHarness(t, web)
	h.start()
	tr, err := h.m.Traffic()
	if err != nil {
		t.Fatal(err)
	}
	if len(tr) != 1 || tr[0].VirtualServer != webVS || tr[0].Service != "TCP 198.51.100.1:80" || len(tr[0].Dests) != 2 {
		t.Fatalf("traffic %+v", tr)
	}
	names := map[string]bool{}
	for _, d := range tr[0].Dests {
		names[d.RealServer] = true
	}
	if !names["[203.0.113.1]:tcp:80"] || !names["[203.0.113.2]:tcp:80"] {
		t.Errorf("destination names %v", names)
	}
	// Losing the quorum brings the sorry server in; it is listed like a real server.
	h.health(webVS, "203.0.113.2", 80, false)
	tr, err = h.m.Traffic()
	if err != nil {
		t.Fatal(err)
	}
	names = map[string]bool{}
	for _, d := range tr[0].Dests {
		names[d.RealServer] = true
	}
	if !names["[203.0.113.99]:tcp:80"] {
		t.Errorf("sorry server not listed: %v", names)
	}
}
