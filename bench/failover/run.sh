#!/usr/bin/env bash
# Failover benchmark: gokeepalived vs keepalived 2.2.7 in namespaces (root).
# Usage: bench/failover/run.sh [RUNS] [-configs v2-1s,v3-0.05s,v3-0.01s]
# The markdown table is printed and written to $OUT (default /tmp/failover-results.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
shift || true
exec go test -count=1 -timeout 60m -run TestFailoverBench -v ./bench/failover -args -failover -runs "$runs" -out "${OUT:-/tmp/failover-results.md}" "$@"
