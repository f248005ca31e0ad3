#!/usr/bin/env bash
# Failover benchmark: gokeepalived vs keepalived 2.2.7 in namespaces (root).
# Usage: bench/failover/run.sh [RUNS] [extra go test flags...]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
shift || true
exec go test -count=1 -timeout 60m -run TestFailoverBench -v ./bench/failover -args -failover -runs "$runs" -out bench/failover/results.md "$@"
