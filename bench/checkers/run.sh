#!/usr/bin/env bash
# Benchmarks 10,000 TCP_CHECK real servers at delay_loop 1 s inside a private
# network namespace (198.51.100.1-4 on its loopback, 2,500 ports each) and
# prints a Markdown table. Needs root. Usage: bench/checkers/run.sh [duration [flags...]]
# NICE=-10 runs the checker at that nice value, like keepalived's checker_priority.
# REMOTE=1 makes every handshake finish after connect() returns, as on a real
# network: receive processing of the namespace's loopback moves to CPU 1 (RPS),
# the listeners run on CPU 1 and the checker on CPU 0 (needs 2 CPUs). Without
# it the kernel usually completes a loopback handshake inside connect().
set -euo pipefail
dur=${1:-30s}
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
ns=gkbench$$
bin=$(mktemp -d)
srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$bin"
}
trap cleanup EXIT
go build -o "$bin/checkers" ./bench/checkers
ip netns add "$ns"
ip -n "$ns" link set lo up
for i in 1 2 3 4; do ip -n "$ns" addr add 198.51.100.$i/32 dev lo; done
ulimit -n "$(ulimit -Hn)" # 10,000 listeners need more than the default 1024
pin_srv=() pin_chk=()
if [ "${REMOTE:-0}" = 1 ]; then
	ip netns exec "$ns" sh -c 'echo 2 > /sys/class/net/lo/queues/rx-0/rps_cpus'
	pin_srv=(taskset -c 1) pin_chk=(taskset -c 0)
fi
ip netns exec "$ns" "${pin_srv[@]}" "$bin/checkers" -mode serve > "$bin/serve.log" 2>&1 &
srv_pid=$!
for _ in $(seq 100); do grep -q listening "$bin/serve.log" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$bin/serve.log" || { cat "$bin/serve.log"; exit 1; }
echo "# $(nproc) cores, REMOTE=${REMOTE:-0}, $(go version | cut -d' ' -f3), $(uname -r), loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(awk '{print $14+$15}' /proc/$srv_pid/stat)
ip netns exec "$ns" "${pin_chk[@]}" nice -n "${NICE:-0}" "$bin/checkers" -mode check -duration "$dur" "${@:2}"
t1=$(awk '{print $14+$15}' /proc/$srv_pid/stat)
echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "listener process CPU over the whole check run: $(( (t1 - t0) / $(getconf CLK_TCK) )) s"
echo
echo "# scheduler alone (probes return at once, no sockets):"
"$bin/checkers" -mode noop -duration "$dur" "${@:2}" | grep -v '^probe latency'
