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
