#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Security associations through bitskey: the tutorial's lines, every SA
# statement, refusals with the kernel's reason, batches that stop at a bad
# statement, events, namespace isolation and permissions, and a raw
# generic-netlink fuzz run that must leave the module consistent.
. "$(dirname "$0")/lib.sh"
trap netns_cleanup EXIT
module_load
T=$(mktemp -d)
bk() { "$BITSKEY" "$@"; }
count() { bk -Dj | jq length; }

# In a namespace of its own, so other suites' state cannot interfere.
netns_add bs-sad
in_ns() { ip netns exec bs-sad "$@"; }
nbk() { in_ns "$BITSKEY" "$@"; }
ncount() { nbk -Dj | jq length; }

cat > "$T/tutorial.conf" <<'CONF'
# From the tutorial, with addresses.
add 10.0.0.1 10.0.0.2 ah 13800 -A hmac-md5 "1234567890123456";
add 10.0.0.1 10.0.0.2 esp 13801 -E aes-cbc "123456789012123456789012";
CONF
check "the tutorial's SA lines load exactly as written" nbk -f "$T/tutorial.conf"
tutorial_dump() {
	local out
	out=$(nbk -D) || return 1
	grep -q "ah mode=any spi=13800(0x000035e8)" <<<"$out" &&
		grep -q "esp mode=any spi=13801(0x000035e9)" <<<"$out" &&
		grep -q "^	A: hmac-md5$" <<<"$out" && grep -q "^	E: aes-cbc$" <<<"$out" &&
		grep -q "state=mature" <<<"$out" || { echo "$out"; return 1; }
}
check "-D shows both in setkey's layout, keys hidden" tutorial_dump
keys_shown() {
	nbk -D --keys | grep -q "E: aes-cbc  31323334 35363738 39303132 31323334 35363738 39303132"
}
check "--keys shows the key material" keys_shown
isolated() {
	netns_add bs-other
	[ "$(ip netns exec bs-other "$BITSKEY" -D)" = "No SAD entries." ]
}
check "namespace isolation: a fresh namespace has no SAD entries" isolated

dup_refused() {
	local out rc
	out=$(echo 'add 10.0.0.1 10.0.0.2 esp 13801 -E aes-cbc "123456789012123456789012";' |
	      nbk -c 2>&1)
	rc=$?
	[ $rc -eq 1 ] && grep -q -- "-:1: add refused: bitsec: an SA with this destination, SPI and protocol exists; use update to replace it (File exists)" <<<"$out" &&
		grep -q "applied 0 of 1 statements" <<<"$out" || { echo "rc=$rc $out"; return 1; }
}
check "a duplicate add is refused with the kernel's reason" dup_refused

update_works() {
	echo 'update 10.0.0.1 10.0.0.2 esp 13801 -E aes-cbc 0x00112233445566778899aabbccddeeff;' | nbk -c &&
		nbk -D --keys | grep -q "E: aes-cbc  00112233 44556677 8899aabb ccddeeff"
}
check "update replaces an SA's key" update_works

# A batch whose middle statement is refused: what came before stays,
# what came after is undone.
batch_stop() {
	local out rc
	out=$(printf '%s\n' \
		'add 10.0.0.1 10.0.0.3 esp 5001 -E aes-cbc 0x00112233445566778899aabbccddeeff;' \
		'add 10.0.0.1 10.0.0.2 esp 13801 -E aes-cbc 0x00112233445566778899aabbccddeeff;' \
		'add 10.0.0.1 10.0.0.3 esp 5002 -E aes-cbc 0x00112233445566778899aabbccddeeff;' |
		nbk -c 2>&1)
	rc=$?
	[ $rc -eq 1 ] && grep -q "^bitskey: -:2: add refused" <<<"$out" &&
		grep -q "applied 1 of 3 statements" <<<"$out" &&
		! grep -q "could not undo" <<<"$out" || { echo "rc=$rc $out"; return 1; }
	nbk -Dj | jq -e 'map(.spi) | (index(5001) != null) and (index(5002) == null)' >/dev/null ||
		{ nbk -Dj; return 1; }
}
check "a refused statement stops the batch; later adds are undone" batch_stop

syntax_applies_nothing() {
	local before out rc
	before=$(ncount)
	out=$(printf '%s\n' 'add 10.0.0.1 10.0.0.4 esp 6001 -E aes-cbc 0x00112233445566778899aabbccddeeff;' \
		'add 10.0.0.1 10.0.0.4 esp 6002 -E aes-cbc 0x0011;' | nbk -c 2>&1)
	rc=$?
	[ $rc -eq 2 ] && grep -q "^bitskey: -:2:" <<<"$out" && grep -q "nothing applied" <<<"$out" &&
		[ "$(ncount)" = "$before" ] || { echo "rc=$rc $out"; return 1; }
}
check "a syntax error anywhere applies nothing" syntax_applies_nothing

get_delete() {
	nbk -c <<<'get 10.0.0.1 10.0.0.2 ah 13800;' | grep -q "spi=13800" &&
		nbk -c <<<'delete 10.0.0.1 10.0.0.2 ah 13800;' &&
		! nbk -c <<<'get 10.0.0.1 10.0.0.2 ah 13800;' 2>/dev/null
}
check "get and delete" get_delete

getspi_larval() {
	local spi
	nbk -c <<<'getspi 10.0.0.1 10.0.0.7 esp 0x1000-0x1fff;' >/dev/null || return 1
	spi=$(nbk -Dj | jq '.[] | select(.dst == "10.0.0.7") | .spi') || return 1
	[ -n "$spi" ] && [ "$spi" -ge 4096 ] && [ "$spi" -le 8191 ] &&
		[ "$(nbk -Dj | jq -r '.[] | select(.dst == "10.0.0.7") | .state')" = larval ]
}
check "getspi reserves an SPI in the range as a larval SA" getspi_larval

deleteall_flush() {
	nbk -c <<<'deleteall 10.0.0.1 10.0.0.3 esp;' &&
		[ "$(nbk -Dj | jq '[.[] | select(.dst == "10.0.0.3")] | length')" = 0 ] &&
		nbk -c <<<'flush esp;' &&
		[ "$(nbk -Dj | jq '[.[] | select(.proto == "esp")] | length')" = 0 ] &&
		nbk -F && [ "$(nbk -D)" = "No SAD entries." ]
}
check "deleteall, flush esp, and -F" deleteall_flush

# Events: -x sees an add and a delete.
events() {
	local pid
	nbk -x > "$T/events" 2>&1 &
	pid=$!
	# The watcher must have joined before the change; retry the add until seen.
	wait_until 60 bash -c "ip netns exec bs-sad '$BITSKEY' -c <<<'add 10.0.0.1 10.0.0.8 esp 7001 -E aes-cbc 0x00112233445566778899aabbccddeeff;' 2>/dev/null; ip netns exec bs-sad '$BITSKEY' -c <<<'delete 10.0.0.1 10.0.0.8 esp 7001;' 2>/dev/null; grep -q '^add:' '$T/events' && grep -q '^delete:' '$T/events'"
	local rc=$?
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	[ $rc -eq 0 ] && grep -q "^add:" "$T/events" || { cat "$T/events"; return 1; }
}
check "-x reports adds and deletes" events

# Permissions: CAP_NET_ADMIN in the user namespace owning the netns.
perms() {
	local out
	out=$(unshare --user "$BITSKEY" -D 2>&1) && { echo "unprivileged dump worked: $out"; return 1; }
	grep -q "Operation not permitted" <<<"$out" || { echo "$out"; return 1; }
	# A user namespace's root administers a network namespace it owns...
	unshare --user --map-root-user --net bash -c \
		"echo 'add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc 0x00112233445566778899aabbccddeeff;' | '$BITSKEY' -c && '$BITSKEY' -D | grep -q spi=300" ||
		{ echo "userns root in its own netns was refused"; return 1; }
	# ...but not the initial one.
	! unshare --user --map-root-user "$BITSKEY" -D >/dev/null 2>&1
}
check "non-admin users are refused; a user namespace's root only in its own netns" perms

fuzz() {
	local out
	out=$(in_ns python3 "$TOP/tools/testing/netns/genl_fuzz.py" 3000 "${BITSEC_FUZZ_SEED:-1}") || { echo "$out"; return 1; }
	echo "$out" > "$T/fuzz.out"
	# The tables must still answer and agree with themselves.
	nbk -Dj >/dev/null && nbk -F && [ "$(nbk -D)" = "No SAD entries." ] &&
		bk -V >/dev/null
}
check "3000 random and mutated netlink messages: no crash, tables consistent" fuzz
diag "$(cat "$T/fuzz.out" 2>/dev/null)"

many() {
	local n=$1 f="$T/many.conf" i start
	for ((i = 0; i < n; i++)); do
		printf 'add 10.%d.%d.%d 10.9.0.1 esp %d -E aes-cbc 0x00112233445566778899aabbccddeeff -A hmac-sha1 0x00112233445566778899aabbccddeeff00112233;\n' \
			$((10 + i / 62500)) $((i / 250 % 250)) $((i % 250 + 1)) $((i + 1000))
	done > "$f"
	start=$SECONDS
	nbk -f "$f" || return 1
	echo "loaded $n SAs in $((SECONDS - start)) s" > "$T/many.out"
	[ "$(ncount)" = "$n" ] || { echo "dump has $(ncount)"; return 1; }
}
N=${BITSEC_MANY_SAS:-100000}
[ "$BITSEC_VM_KERNEL" = debug ] && N=${BITSEC_MANY_SAS_DEBUG:-20000}
check "$N SAs load in batches and dump back complete" many $N
diag "$(cat "$T/many.out" 2>/dev/null)"
check "deleting the namespace that holds them" ip netns del bs-sad
rm -rf "$T"
finish
