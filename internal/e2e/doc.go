// Package e2e proves the VRRP daemon end to end: real gokeepalived and
// keepalived 2.2.7 processes in throw-away network namespaces on a bridge,
// with the kernel's address state and the frames on the wire checked against
// RFC 3768/9568 timers and keepalived's behaviour.
//
// The non-test files are the harness (lab, daemons, kernel-timestamped
// capture, frame decoding, address watching, the failover and tie-break
// runners); they are shared with bench/failover. Everything needs root and
// skips otherwise; every namespace and process is removed in t.Cleanup,
// processes by PID.
//
// Run as root: `go test ./internal/e2e` (about 80 s; TestMain builds
// cmd/gokeepalived once). GOKA_E2E_IMPL=keepalived runs the
// single-implementation scenarios against keepalived 2.2.7 instead, which is
// how the scenarios themselves are checked against the reference.
package e2e
