# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the netns suites: TAP output, bounded waits, namespaces,
# and loading this kernel's build of the module.  Source it; never run it.

TOP=${BITSEC_VM_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
KREL=$(uname -r)
MODDIR=$TOP/build/modules/$KREL
BITSKEY=${BITSKEY:-$TOP/tools/bitskey/bitskey}
GENL="python3 $TOP/tools/testing/netns/genl.py"
SUITE=$(basename "$0" .sh)

_n=0
_failed=0
_netns=()

# ok CONDITION-EXIT-STATUS DESCRIPTION: one TAP line per case.
tap() {
	local rc=$1
	shift
	_n=$((_n + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $_n - $SUITE: $*"
	else
		echo "not ok $_n - $SUITE: $*"
		_failed=$((_failed + 1))
	fi
}

skip() {
	_n=$((_n + 1))
	echo "ok $_n - $SUITE: $1 # SKIP $2"
}

# Run a case: check DESCRIPTION COMMAND...; output is shown only on failure.
check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	tap $rc "$desc"
	[ $rc -eq 0 ] || printf '%s\n' "$out" | sed 's/^/#   /'
	return $rc
}

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# stat_mask COUNTER: /proc/net/bitsec_stat (stdin) as "name value" lines
# for comparing before and after one packet that should move COUNTER
# alone; in_bytes moves with in_packets, and the memory counters
# (req_alloc, out_copied, in_copied) with the state of the caches.
stat_mask() {
	awk -v k="$1" '(k == "in_packets" && $1 == "in_bytes") ||
		$1 == "req_alloc" || $1 ~ /_copied$/ { $2 = "*" } { print $1, $2 }'
}

# wait_until SECONDS COMMAND...: poll COMMAND until it succeeds, at most
# SECONDS.  Generous limits: TCG is slow and noisy.
wait_until() {
	local limit=$1 end
	shift
	end=$((SECONDS + limit))
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

netns_add() {
	ip netns add "$1" && _netns+=("$1")
}

netns_cleanup() {
	local ns
	for ns in "${_netns[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	_netns=()
}

# Can Linux's own IPsec be the peer?  Not on the debug kernel (no XFRM).
xfrm_available() {
	[ "$BITSEC_VM_KERNEL" != debug ] && modprobe xfrm_user 2>/dev/null &&
		modprobe esp4 2>/dev/null
}

# tcp_transfer FROM-NS TO-NS ADDR BYTES: BYTES of random data over TCP from
# FROM-NS to a sink on ADDR:5001 in TO-NS; the SHA-256 must arrive intact.
tcp_transfer() {
	local from=$1 to=$2 addr=$3 dir want got pid
	dir=$(mktemp -d)
	head -c "$4" /dev/urandom > "$dir/data"
	want=$(sha256sum < "$dir/data")
	ip netns exec "$to" python3 "$TOP/tools/testing/netns/tcpsink.py" "$addr" 5001 > "$dir/got" &
	pid=$!
	if ! wait_until 30 eval "ip netns exec '$to' ss -ltnH 'sport = :5001' | grep -q ."; then
		kill $pid
		rm -rf "$dir"
		echo "the sink in $to never listened"
		return 1
	fi
	if ! ip netns exec "$from" python3 "$TOP/tools/testing/netns/tcpsink.py" --send "$addr" 5001 \
		< "$dir/data"; then
		kill $pid
		rm -rf "$dir"
		echo "sending from $from to $addr failed"
		return 1
	fi
	wait $pid
	got=$(cat "$dir/got")
	rm -rf "$dir"
	[ "$got" = "$want" ] || { echo "$from -> $addr: sha256 $got, want $want"; return 1; }
}

module_loaded() {
	[ -d /sys/module/bitsec ]
}

module_load() {
	module_loaded || insmod "$MODDIR/bitsec.ko"
}

module_unload() {
	! module_loaded || rmmod bitsec
}

finish() {
	netns_cleanup
	echo "1..$_n"
	[ $_failed -eq 0 ]
}
