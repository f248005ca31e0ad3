// Package e2e proves the VRRP daemon end to end: real gokeepalived and
// keepalived 2.2.7 processes in throw-away network namespaces on a bridge,
// with the kernel's address state and the frames on the wire checked against
// RFC 3768/9568 timers and keepalived's behaviour.
//
// The non-test files are the harness (lab, daemons, kernel-timestamped
// capture, frame decoding, address watching); they are shared with
// bench/failover. Everything needs root and skips otherwise; every namespace
// and process is removed in t.Cleanup, processes by PID.
package e2e
