#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module loads and unloads cleanly, answers GET_INFO in every network
# namespace, survives namespaces coming and going, and refuses malformed
# generic-netlink requests with an extack message.
. "$(dirname "$0")/lib.sh"
trap netns_cleanup EXIT

version=$(sed -n 's/^#define BITSEC_VERSION[[:space:]]*"\(.*\)"/\1/p' "$TOP/module/limits.h")

check "the VM has the $BITSEC_VM_SMP CPUs it was given" \
	test "$(nproc)" = "${BITSEC_VM_SMP:-$(nproc)}"

check "bitsec.ko was built for $KREL" test -f "$MODDIR/bitsec.ko"

no_xfrm_symbols() {
	local u
	u=$(nm -u "$MODDIR/bitsec.ko" | grep -i xfrm)
	[ -z "$u" ] || { echo "uses: $u"; return 1; }
}
check "bitsec.ko uses no XFRM symbol" no_xfrm_symbols

if [ "$BITSEC_VM_KERNEL" = debug ]; then
	# With CONFIG_XFRM=n the kernel has no NETLINK_XFRM at all.
	no_native_ipsec() {
		! ip xfrm state list >/dev/null 2>&1 && [ ! -e /proc/net/xfrm_stat ]
	}
	check "the debug kernel has no native IPsec (CONFIG_XFRM=n)" no_native_ipsec
fi

module_unload >/dev/null 2>&1
not_loaded_message() {
	local out rc
	out=$("$BITSKEY" -V 2>&1)
	rc=$?
	[ $rc -eq 1 ] && grep -q "the bitsec module is not loaded" <<<"$out" &&
		grep -q "^bitskey $version\$" <<<"$out" || { echo "rc=$rc: $out"; return 1; }
}
check "bitskey -V without the module says so and exits 1" not_loaded_message

check "insmod bitsec.ko" insmod "$MODDIR/bitsec.ko"
check "module is live" grep -qx live /sys/module/bitsec/initstate
check "module reports version $version" grep -qx "$version" /sys/module/bitsec/version

info_ok() {
	local out
	out=$("$BITSKEY" -V) || return 1
	grep -q "^bitsec module $version (generic netlink family bitsec, ABI version 1)\$" <<<"$out" || { echo "$out"; return 1; }
}
check "bitskey -V shows the module version and ABI" info_ok

all_algs_available() {
	local json n avail
	json=$("$BITSKEY" -Vj) || return 1
	n=$(jq '.algorithms | length' <<<"$json")
	avail=$(jq '[.algorithms[] | select(.available)] | length' <<<"$json")
	jq -r '.algorithms[] | "\(.name) \(.kind) \(.driver // "UNAVAILABLE")"' <<<"$json"
	[ "$n" -eq 14 ] && [ "$avail" -eq "$n" ]
}
# Both kernels ship every template (Debian as modules the probe autoloads).
if out=$(all_algs_available 2>&1); then tap 0 "all 14 algorithms instantiate in this kernel"; diag "$out"
else tap 1 "all 14 algorithms instantiate in this kernel"; diag "$out"; fi

cookie() {
	"$BITSKEY" -Vj | jq -r .netns_cookie
}
init_cookie=$(cookie)

netns_add bs-fresh
fresh_ns() {
	local c
	c=$(ip netns exec bs-fresh "$BITSKEY" -Vj | jq -r .netns_cookie) || return 1
	[ -n "$c" ] && [ "$c" != null ] && [ "$c" != "$init_cookie" ] ||
		{ echo "cookie '$c' vs init '$init_cookie'"; return 1; }
}
check "family answers from a fresh namespace, with that namespace's state" fresh_ns

unprivileged() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$BITSKEY" -V >/dev/null &&
		unshare --user --map-root-user --net "$BITSKEY" -V >/dev/null
}
check "GET_INFO needs no privilege (nobody, and a user namespace's root)" unprivileged

# Per-namespace counters: bitskey -s and /proc/net/bitsec_stat agree, count
# this namespace's tables only, and need no privilege.
nstats=$(grep -c '^BITSEC_STAT(' "$TOP/module/stat_table.h")
netns_add bs-stats
stats_fresh() {
	local j
	j=$(ip netns exec bs-stats "$BITSKEY" -sj) || return 1
	jq -e --argjson n "$nstats" '.sa_count == 0 and .sp_count == 0 and
		(.stats | length) == $n and ([.stats[]] | add) == 0' <<<"$j" >/dev/null ||
		{ echo "$j"; return 1; }
}
check "bitskey -s in a fresh namespace: no SAs, no policies, $nstats counters at zero" stats_fresh
stats_counts() {
	local j
	ip netns exec bs-stats "$BITSKEY" -c <<-EOF || return 1
		add 10.0.0.1 10.0.0.2 ah 13800 -A hmac-md5 "1234567890123456";
		add 10.0.0.1 10.0.0.2 esp 13801 -E aes-cbc "123456789012123456789012";
		spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require ah/transport//require;
	EOF
	j=$(ip netns exec bs-stats "$BITSKEY" -sj) || return 1
	jq -e '.sa_count == 2 and .sp_count == 1' <<<"$j" >/dev/null || { echo "$j"; return 1; }
	j=$("$BITSKEY" -sj) || return 1
	jq -e '.sa_count == 0 and .sp_count == 0' <<<"$j" >/dev/null || { echo "init: $j"; return 1; }
	ip netns exec bs-stats "$BITSKEY" -s | grep -qx "SAs: 2" || return 1
}
check "the tutorial's lines count 2 SAs and 1 policy in their namespace only" stats_counts
proc_stats() {
	local p j
	p=$(ip netns exec bs-stats cat /proc/net/bitsec_stat) || return 1
	j=$(ip netns exec bs-stats "$BITSKEY" -sj) || return 1
	[ "$(wc -l <<<"$p")" -eq "$nstats" ] || { echo "$p"; return 1; }
	diff <(awk '{ print $1, $2 }' <<<"$p") \
		<(jq -r '.stats | to_entries[] | "\(.key) \(.value)"' <<<"$j")
}
check "/proc/net/bitsec_stat lists the same $nstats counters as bitskey -sj" proc_stats
stats_unprivileged() {
	ip netns exec bs-stats setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BITSKEY" -s | grep -qx "SAs: 2" &&
		unshare --user --map-root-user --net "$BITSKEY" -s | grep -qx "SAs: 0"
}
check "GET_STATS needs no privilege (nobody, and a user namespace's root)" stats_unprivileged

# Malformed requests, sent raw: each is refused with a reason, none crashes.
refused() {
	local want=$1 out
	shift
	out=$($GENL bitsec "$@")
	[ $? -eq 1 ] && grep -q -- "$want" <<<"$out" || { echo "got: $out"; return 1; }
}
check "a request carrying a reply-only attribute is refused by name" \
	refused "error EINVAL: BITSEC_A_VERSION is reply-only" 1 2:str:9.9.9
check "an attribute type beyond the policy is refused" \
	refused "error EINVAL: Unknown attribute type" 1 200:u32:1
check "an attribute overrunning the message is refused" \
	refused "error EINVAL" 1 trunc:ff00020041
check "an unknown command is refused" refused "error EOPNOTSUPP" 99
check "a request with no attributes still answers" $GENL bitsec 1
check "GET_STATS refuses a request carrying the reply-only counters" \
	refused "error EINVAL: BITSEC_A_STATS is reply-only" 14 9:raw:

# Namespaces created and destroyed while the module is loaded: each gets
# state and answers; deleting them must leave the module healthy.
churn() {
	local i
	for i in $(seq 1 30); do
		ip netns add bs-churn-$i || return 1
		ip netns exec bs-churn-$i "$BITSKEY" -V >/dev/null || { echo "ns $i"; return 1; }
	done
	for i in $(seq 1 30); do
		ip netns del bs-churn-$i || return 1
	done
	"$BITSKEY" -V >/dev/null
}
check "30 namespaces created, queried and deleted under the module" churn

# rmmod while namespaces are alive frees their state; loading again gives
# the survivors fresh state.
netns_add bs-alive1
netns_add bs-alive2
check "rmmod with namespaces alive" rmmod bitsec
gone() {
	local out
	out=$(ip netns exec bs-alive1 "$BITSKEY" -V 2>&1)
	[ $? -eq 1 ] && grep -q "not loaded" <<<"$out"
}
check "after rmmod, the family is gone in those namespaces" gone
check "after rmmod, /proc/net/bitsec_stat is gone" \
	ip netns exec bs-alive1 test ! -e /proc/net/bitsec_stat
check "insmod again" insmod "$MODDIR/bitsec.ko"
back() {
	ip netns exec bs-alive1 "$BITSKEY" -V >/dev/null &&
		ip netns exec bs-alive2 "$BITSKEY" -V >/dev/null
}
check "namespaces that outlived the module get state on reload" back
netns_cleanup
check "deleting them, then rmmod" rmmod bitsec
check "load again for the suites that follow" insmod "$MODDIR/bitsec.ko"

finish
