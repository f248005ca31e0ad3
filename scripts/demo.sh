#!/usr/bin/env bash
# make demo: a throw-away lab of network namespaces (a bridge, two load balancers running
# gokeepalived, a client, two web servers), a crash of the master and a readable failover
# timeline. Everything it creates is removed on exit, Ctrl-C included. Needs root.
# Addresses: 198.51.100.0/24 (documentation range) inside its own namespaces only.
# Environment: ADVERT_INT (default 0.1, VRRPv3 seconds), KEEP_LOGS=1 to keep the logs.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
	echo "demo: needs root (network namespaces, raw sockets)" >&2
	exit 1
fi
for tool in ip go; do
	command -v "$tool" >/dev/null || { echo "demo: $tool is missing (see README set-up)" >&2; exit 1; }
done
cd "$(dirname "$0")/.."

ADV=${ADVERT_INT:-0.1}
VIP=198.51.100.100
P=gkdemo$$
tmp=$(mktemp -d /tmp/gokeepalived-demo.XXXXXX)
pids=()
namespaces=()

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	set +e
	for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done 2>/dev/null
	for ns in "${namespaces[@]}"; do ip netns del "$ns"; done
	if [ "${KEEP_LOGS:-}" = 1 ]; then
		echo "demo: logs kept in $tmp"
	else
		rm -rf "$tmp"
	fi
	echo "demo: removed ${#namespaces[@]} namespaces and ${#pids[@]} processes"
	exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted"; exit 130' INT TERM

now() { date +%s%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%8.1f", (a - b) / 1e6 }'; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
holder() { # the load balancers whose eth0 is up and carries the VIP
	local who=""
	for lb in lb1 lb2; do
		if ip -n "$P-$lb" -o -4 addr show dev eth0 up | grep -q " $VIP/"; then who+="$lb "; fi
	done
	echo "${who:-nobody}"
}

step "building gokeepalived and the demo workload"
CGO_ENABLED=0 go build -o "$tmp/gokeepalived" ./cmd/gokeepalived
CGO_ENABLED=0 go build -o "$tmp/demohttp" ./scripts/demo/demohttp

step "creating the lab: bridge, lb1 .1, lb2 .2, client .3, web1 .11, web2 .12 (198.51.100.0/24)"
ip netns add "$P-br"
namespaces+=("$P-br")
ip -n "$P-br" link set lo up
ip -n "$P-br" link add br0 type bridge
ip -n "$P-br" link set br0 up
for spec in lb1:1 lb2:2 client:3 web1:11 web2:12; do
	h=${spec%%:*} n=${spec##*:}
	ip netns add "$P-$h"
	namespaces+=("$P-$h")
	ip -n "$P-$h" link set lo up
	ip -n "$P-$h" link add eth0 type veth peer name "$h" netns "$P-br"
	ip -n "$P-br" link set "$h" master br0 up
	ip -n "$P-$h" addr add "198.51.100.$n/24" dev eth0
	ip -n "$P-$h" link set eth0 up
done

start() { # start NAMESPACE LOG COMMAND...: background, remembered by PID
	local ns=$1 log=$2
	shift 2
	ip netns exec "$P-$ns" "$@" >"$log" 2>&1 &
	pids+=($!)
}
for w in web1 web2; do start "$w" "$tmp/$w.log" "$tmp/demohttp" web "$w" :80; done
declare -A kpid
for spec in lb1:150 lb2:100; do
	lb=${spec%%:*} prio=${spec##*:}
	cat >"$tmp/$lb.conf" <<CONF
global_defs {
    router_id $lb
}
vrrp_instance WEB {
    state BACKUP
    interface eth0
    virtual_router_id 51
    version 3
    priority $prio
    advert_int $ADV
    virtual_ipaddress {
        $VIP/24
    }
}
CONF
	start "$lb" "$tmp/$lb-proxy.log" "$tmp/demohttp" proxy "$lb" :80 198.51.100.11:80 198.51.100.12:80
	start "$lb" "$tmp/$lb.log" "$tmp/gokeepalived" -n -l -D -P -f "$tmp/$lb.conf" -p "$tmp/$lb.pid" -r "$tmp/$lb-vrrp.pid"
	kpid[$lb]=${pids[-1]}
done
start client "$tmp/client.log" "$tmp/demohttp" client eth0 "$VIP"
echo "lb1: gokeepalived priority 150, lb2: priority 100, VRRPv3 advert_int $ADV s, VIP $VIP"

step "waiting for the election"
for _ in $(seq 1 500); do
	[ "$(holder)" != nobody ] && grep -q "via" "$tmp/client.log" && break
	sleep 0.02
done
echo "VIP $VIP is held by: $(holder)"
ip -n "$P-$(holder)" -br addr show dev eth0 2>/dev/null || true
sleep 0.5
echo "client requests through the VIP:"
grep "http" "$tmp/client.log" | tail -n 2 | sed 's/^EV [0-9]* http /  /'
master=$(holder)
[ "$master" = "lb1 " ] || { echo "demo: expected lb1 to be master, got $master" >&2; exit 1; }

# lb2's address events with kernel-side microsecond timestamps.
start lb2 "$tmp/lb2-addr.log" ip -ts monitor address
sleep 0.2

step "crashing the master like a power cut: kill -9 gokeepalived on lb1 and cut its link"
t0=$(now)
{ kill -KILL "${kpid[lb1]}"; wait "${kpid[lb1]}"; } 2>/dev/null || true
ip -n "$P-lb1" link set eth0 down
for _ in $(seq 1 500); do
	awk -v t0="$t0" '$1 == "EV" && $2 > t0 && /http ok .*via lb2/ { found = 1 } END { exit !found }' "$tmp/client.log" && break
	sleep 0.02
done
sleep 0.2

first() { # first client event after t0 matching an awk pattern: prints "ns rest-of-line"
	awk -v t0="$t0" -v pat="$1" '$1 == "EV" && $2 > t0 && $0 ~ pat { print; exit }' "$tmp/client.log"
}
lb2mac=$(ip -n "$P-lb2" -o link show dev eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
adv=$(first "advert 198.51.100.2 ")
garp=$(first "garp $VIP $lb2mac")
ok=$(first "http ok .*via lb2")
tvip=""
while read -r stamp; do # the first addition (not "Deleted") of the VIP after the kill
	ts=$(date -d "$stamp" +%s%N)
	if [ "$ts" -gt "$t0" ]; then tvip=$ts; break; fi
done < <(grep -v Deleted "$tmp/lb2-addr.log" | grep "inet $VIP/" | sed -E 's/^\[([^]]*)\].*/\1/')
mdi=$(awk -v a="$ADV" 'BEGIN { printf "%.1f", (3 * a + (256 - 100) * a / 256) * 1000 }')

step "failover timeline (t = 0: the master was killed)"
printf '  +%s ms  lb1 crashed\n' "$(ms "$t0" "$t0")"
[ -n "$adv" ] && printf '  +%s ms  lb2 detected the master down and advertised (VRRP priority %s)\n' "$(ms "$(cut -d' ' -f2 <<<"$adv")" "$t0")" "$(cut -d' ' -f5 <<<"$adv")"
[ -n "$tvip" ] && printf '  +%s ms  VIP %s configured on lb2\n' "$(ms "$tvip" "$t0")" "$VIP"
[ -n "$garp" ] && printf '  +%s ms  first gratuitous ARP for %s from lb2 (%s)\n' "$(ms "$(cut -d' ' -f2 <<<"$garp")" "$t0")" "$VIP" "$lb2mac"
[ -n "$ok" ] && printf '  +%s ms  first successful client request through the VIP: "%s"\n' "$(ms "$(cut -d' ' -f2 <<<"$ok")" "$t0")" "$(cut -d' ' -f5- <<<"$ok")"
echo "  (RFC 9568: lb2 takes over Master_Down_Interval = 3 x $ADV s + (256-100)/256 x $ADV s = $mdi ms"
echo "   after lb1's last advert, which went out up to $ADV s before the kill)"
if [ -z "$adv" ] || [ -z "$tvip" ] || [ -z "$ok" ]; then
	echo "demo: the failover did not complete; logs in $tmp" >&2
	KEEP_LOGS=1
	exit 1
fi

step "after the failover"
echo "VIP $VIP is held by: $(holder)(lb1: daemon killed, link down)"
echo "lb2's log:"
grep -E "Entering|Sending gratuitous|VIP|address" "$tmp/lb2.log" | tail -n 5 | sed 's/^/  /'
echo "gokeepalived status on lb2 (its control socket):"
"$tmp/gokeepalived" status --socket "$tmp/lb2.sock" | sed 's/^/  /' || true
