#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad ESP at a namespace holding the SA, each case crafted by espgen.py
# (null encryption and HMAC-SHA-256, so the ICV can be right while
# something else is wrong): each is dropped and counted under its own
# reason, and nothing else moves.  Then replay: a packet sent again is
# dropped, packets reordered within the window are taken, one older than
# the window is not.  Then thousands of random mutations: every one is
# dropped and counted exactly once, none is delivered, and the kernel
# (KASAN, lockdep on the debug kernel) stays quiet.
. "$(dirname "$0")/lib.sh"
trap netns_cleanup EXIT
module_load || exit 1
GEN="python3 $TOP/tools/testing/netns/espgen.py"
KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff

netns_add bs-a && netns_add bs-b || exit 1
ip link add va netns bs-a type veth peer name vb netns bs-b
ip -n bs-a addr add 10.0.0.1/24 dev va && ip -n bs-b addr add 10.0.0.2/24 dev vb
ip -n bs-a link set va up && ip -n bs-b link set vb up
A() { ip netns exec bs-a "$@"; }
B() { ip netns exec bs-b "$@"; }
# The peer learns a's MAC once, so no send waits on ARP.
B ping -c 1 -W 5 10.0.0.1 >/dev/null

check "the SA (null, hmac-sha2-256, window 32) and a policy load" A "$BITSKEY" -c <<EOF
add 10.0.0.2 10.0.0.1 esp 0x2001 -m transport -r 32 -E null -A hmac-sha2-256 0x$KEY;
spdadd 10.0.0.2 10.0.0.1 udp -P in ipsec esp/transport//require;
EOF

# All counters of bs-a as "name value" lines, and one of them.
counters() { A cat /proc/net/bitsec_stat; }
stat() { A awk -v k="$1" '$1 == k { print $2 }' /proc/net/bitsec_stat; }
send() { B $GEN 10.0.0.2 10.0.0.1 0x2001 $KEY send "$@"; }

# expect COUNTER DELTA SEND-ARGS...: after sending, COUNTER moved by DELTA
# and no other counter moved at all (in_bytes moves with in_packets).
expect() {
	local name=$1 delta=$2 before want
	shift 2
	before=$(counters)
	send "$@" || return 1
	want=$(stat_mask "$name" <<<"$before" | awk -v k="$name" -v d="$delta" '$1 == k { $2 += d } { print $1, $2 }')
	wait_until 20 moved "$name" "$want" || { diff <(echo "$want") <(counters | stat_mask "$name"); return 1; }
}
moved() { [ "$(counters | stat_mask "$1")" = "$2" ]; }

check "a good packet is taken (in_packets)" expect in_packets 1 1
check "a flipped ICV: in_auth_failed" expect in_auth_failed 1 2 auth
check "an SPI nobody has: in_no_sa" expect in_no_sa 1 3 spi
check "an ESP header cut short: in_malformed" expect in_malformed 1 4 trunc
check "ciphertext not a multiple of 4: in_malformed" expect in_malformed 1 5 align
check "padding bytes not 1, 2, 3 ...: in_bad_padding" expect in_bad_padding 1 6 padding
check "a pad length past the payload: in_bad_padding" expect in_bad_padding 1 7 padlen
check "next header 59, a dummy packet: in_dummy" expect in_dummy 1 8 dummy

# Replay, window 32.  Sequence numbers 1..8 were used above, each once.
check "sequence number 1 again: in_replay" expect in_replay 1 1
check "a jump ahead to 100 is taken" expect in_packets 1 100
check "99 arrives late but inside the window: taken" expect in_packets 1 99
check "90, later still: taken" expect in_packets 1 90
check "69, the oldest the window holds: taken" expect in_packets 1 69
check "90 a second time: in_replay" expect in_replay 1 90
check "68, older than the window: in_too_old" expect in_too_old 1 68
check "sequence number 0, never sent: in_too_old" expect in_too_old 1 0
# A forged packet must not move the window (RFC 4303 3.4.3).
check "a forged 1000 (bad ICV) is dropped as in_auth_failed" expect in_auth_failed 1 1000 auth
check "80, inside the window the forgery did not move, is taken" expect in_packets 1 80

# The SA counts the drops that happened after it was found (not the
# unknown SPI, nor the header too short to hold one).
sa_drops() {
	local j
	j=$(A "$BITSKEY" -Dj | jq -c '.[] | select(.spi == 8193) | .drops |
		with_entries(select(.value > 0))') || return 1
	[ "$j" = '{"in_malformed":1,"in_replay":2,"in_too_old":2,"in_auth_failed":2,"in_bad_padding":2,"in_dummy":1}' ] ||
		{ echo "SA drops: $j"; return 1; }
	A "$BITSKEY" -D | grep -q "dropped: in_malformed=1 in_replay=2 in_too_old=2 in_auth_failed=2 in_bad_padding=2 in_dummy=1" ||
		{ A "$BITSKEY" -D; return 1; }
}
check "bitskey -D and -Dj show the SA's own drops by reason" sa_drops

# Thousands of mutations: every one counted once, under some drop reason.
N=${BITSEC_FUZZ_PACKETS:-3000}
[ "$BITSEC_VM_KERNEL" = debug ] && N=${BITSEC_FUZZ_PACKETS:-1000}
drops() { counters | awk '$1 !~ /^(in_packets|in_bytes|out_)/ { n += $2 } END { print n }'; }
all_counted() { [ "$(drops)" -eq "$1" ]; }
fuzz() {
	local d0 p0
	d0=$(drops)
	p0=$(stat in_packets)
	B $GEN 10.0.0.2 10.0.0.1 0x2001 $KEY fuzz "$N" 4242 || return 1
	wait_until 120 all_counted $((d0 + N)) || { echo "drops $d0 -> $(drops), want +$N"; counters; return 1; }
	[ "$(stat in_packets)" -eq "$p0" ] || { echo "in_packets $p0 -> $(stat in_packets)"; return 1; }
}
check "$N random mutations: each dropped and counted once, none delivered" fuzz
check "afterwards a good packet is still taken" expect in_packets 1 200

finish
