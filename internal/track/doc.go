// Package track runs keepalived's VRRP trackers — vrrp_script, track_file and
// vrrp_track_process (reference §1a.6) — and reports each tracker's verdict
// for every instance that tracks it to a Reporter (the VRRP engine).
//
// Trackers never run on the VRRP loop: each has its own goroutine, and a
// verdict is handed over through Reporter.SetTracker, which must not block.
// The weight rules are pure functions (weight.go) so they are tested apart
// from processes, files and time.
package track
