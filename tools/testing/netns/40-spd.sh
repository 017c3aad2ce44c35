#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Security policies through bitskey: the tutorial's spdadd line, -DP in
# setkey's layout, priorities, templates, refusals, update, delete, flush,
# and a large set loaded in batches.
. "$(dirname "$0")/lib.sh"
trap netns_cleanup EXIT
module_load
T=$(mktemp -d)
netns_add bs-spd
nbk() { ip netns exec bs-spd "$BITSKEY" "$@"; }
ncount() { nbk -DPj | jq length; }

tutorial() {
	echo 'spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require ah/transport//require;' |
		nbk -c || return 1
	local out
	out=$(nbk -DP)
	grep -qx "10.0.0.1\[any\] 10.0.0.2\[any\] 255" <<<"$out" &&
		grep -qx "	out prio def ipsec" <<<"$out" &&
		[ "$(grep -A2 'out prio def ipsec' <<<"$out" | tail -n 2 | tr -d '\t' | paste -sd' ')" = \
		  "esp/transport//require ah/transport//require" ] || { echo "$out"; return 1; }
}
check "the tutorial's spdadd line loads and -DP shows it in setkey's layout" tutorial

dup() {
	local out rc
	out=$(echo 'spdadd 10.0.0.1 10.0.0.2 any -P out none;' | nbk -c 2>&1)
	rc=$?
	[ $rc -eq 1 ] && grep -q "a policy with this direction and selector exists; use spdupdate to replace it (File exists)" <<<"$out" ||
		{ echo "rc=$rc $out"; return 1; }
}
check "a second policy for the same selector is refused with the kernel's reason" dup

update() {
	echo 'spdupdate 10.0.0.1 10.0.0.2 any -P out discard;' | nbk -c &&
		nbk -DP | grep -qx "	out prio def discard" && [ "$(ncount)" = 1 ]
}
check "spdupdate replaces it" update

shapes() {
	nbk -c <<'CONF' || return 1
spdadd 192.168.10.0/24[any] 10.1.1.0/24[22] tcp -P in prio high + 10 ipsec
	esp/tunnel/192.0.2.1-192.0.2.2/unique:7;
spdadd 192.168.10.0/24 10.1.1.0/24 icmp 8,0 -P fwd prio low - 3 none;
spdadd 2001:db8::/32 2001:db8:1::1 any -P out prio 5 ipsec esp/transport//use;
CONF
	local out
	out=$(nbk -DP)
	grep -qx "192.168.10.0/24\[any\] 10.1.1.0/24\[22\] 6" <<<"$out" &&
		grep -qx "	in prio high + 10 ipsec" <<<"$out" &&
		grep -qx "	esp/tunnel/192.0.2.1-192.0.2.2/unique:7" <<<"$out" &&
		grep -qx "192.168.10.0/24\[8\] 10.1.1.0/24\[0\] 1" <<<"$out" &&
		grep -qx "	fwd prio low - 3 none" <<<"$out" &&
		grep -qx "2001:db8::/32\[any\] 2001:db8:1::1\[any\] 255" <<<"$out" &&
		grep -qx "	out prio def + 5 ipsec" <<<"$out" &&
		grep -qx "	esp/transport//use" <<<"$out" || { echo "$out"; return 1; }
}
check "prefixes, ports, ICMP type/code, IPv6, priorities and templates round-trip" shapes

refusals() {
	local out
	out=$(echo 'spddelete 10.9.9.9 10.9.9.8 any -P in;' | nbk -c 2>&1)
	grep -q "no such policy (No such process)" <<<"$out" || { echo "$out"; return 1; }
	# SP_ADD (9) whose nest (type 8 | NLA_F_NESTED) holds a family but no direction.
	out=$(ip netns exec bs-spd $GENL bitsec 9 32776:raw:0600020002000000 2>&1)
	grep -q "^error EINVAL: bitsec: a policy needs its family and direction" <<<"$out" ||
		{ echo "$out"; return 1; }
}
check "deleting a policy that does not exist, and a malformed SP request, are refused" refusals

delete_flush() {
	echo 'spddelete 10.0.0.1 10.0.0.2 any -P out;' | nbk -c && [ "$(ncount)" = 3 ] &&
		nbk -FP && [ "$(nbk -DP)" = "No SPD entries." ]
}
check "spddelete, then -FP" delete_flush

many() {
	local n=$1 f="$T/many.conf" i start
	# Every selector distinct: host pairs from all of i, prefix pairs from
	# i's upper bits (the /24) and its low byte (the /16).
	for ((i = 0; i < n; i++)); do
		if ((i % 2)); then
			printf 'spdadd 10.%d.%d.%d 11.%d.%d.%d any -P out ipsec esp/transport//require;\n' \
				$((i >> 16)) $((i >> 8 & 255)) $((i & 255)) $((i >> 16)) $((i >> 8 & 255)) $((i & 255))
		else
			printf 'spdadd 12.%d.%d.0/24 13.%d.0.0/16 any -P out none;\n' \
				$((i >> 16)) $((i >> 8 & 255)) $((i & 255))
		fi
	done > "$f"
	start=$SECONDS
	nbk -f "$f" || return 1
	echo "loaded $n policies in $((SECONDS - start)) s" > "$T/many.out"
	[ "$(ncount)" = "$n" ] || { echo "dump has $(ncount)"; return 1; }
}
N=${BITSEC_MANY_SPS:-100000}
[ "$BITSEC_VM_KERNEL" = debug ] && N=${BITSEC_MANY_SPS_DEBUG:-100000}
check "$N policies (half host pairs, half prefixes) load in batches and dump back complete" many $N
diag "$(cat "$T/many.out" 2>/dev/null)"
check "deleting the namespace that holds them" ip netns del bs-spd
rm -rf "$T"
finish
