// Package failover benchmarks VRRP failover of gokeepalived against
// keepalived 2.2.7 on the same two-router namespace topology (internal/e2e),
// for VRRPv2 at 1 s and VRRPv3 at 0.05 s and 0.01 s, crash and clean stop.
//
// It is a root-only test that does nothing unless -failover is given, so
// `make test` skips it; run it with bench/failover/run.sh.
package failover
