package main

import "testing"

// TestReloadOperations checks the benchmark's claims at a reduced size: an unchanged reload is 0
// IPVS operations and a one-weight change is 1.
func TestReloadOperations(t *testing.T) {
	r, err := measure(300, 10, 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.startOps != 300+300*10 {
		t.Errorf("start: %d operations, want %d", r.startOps, 300+300*10)
	}
	if r.sameOps != 0 || r.oneOps != 1 {
		t.Errorf("reload operations: unchanged %d (want 0), one weight %d (want 1)", r.sameOps, r.oneOps)
	}
}
