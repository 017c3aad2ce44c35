#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad AH at a namespace holding the SA, each case crafted by ahgen.py
# (HMAC-SHA-256-128 over the packet as RFC 4302 3.3.3 says, so the ICV can
# be right while the header length is wrong): each is dropped and counted
# under its own reason, and nothing else moves.  Fields a router may
# change (TOS, TTL, flags, record route) change without harm; immutable
# ones (the IP ID, security and router alert options) may not.  Then
# replay, with and without ESN.  Then thousands of random mutations:
# every one is dropped and counted exactly once, none is delivered, and
# the kernel (KASAN, lockdep on the debug kernel) stays quiet.  On the
# stock kernel Linux's own AH takes ahgen.py's packets too, which shows
# the generator computes the ICV as Linux does.
. "$(dirname "$0")/lib.sh"
trap netns_cleanup EXIT
module_load || exit 1
GEN="python3 $TOP/tools/testing/netns/ahgen.py"
KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff

netns_add bs-a && netns_add bs-b || exit 1
ip link add va netns bs-a type veth peer name vb netns bs-b
ip -n bs-a addr add 10.0.0.1/24 dev va && ip -n bs-b addr add 10.0.0.2/24 dev vb
ip -n bs-a link set va up && ip -n bs-b link set vb up
A() { ip netns exec bs-a "$@"; }
B() { ip netns exec bs-b "$@"; }
# The peer learns a's MAC once, so no send waits on ARP.
B ping -c 1 -W 5 10.0.0.1 >/dev/null

check "two AH SAs (hmac-sha2-256, window 32, one with ESN) and a policy load" A "$BITSKEY" -c <<EOF
add 10.0.0.2 10.0.0.1 ah 0x2001 -m transport -r 32 -A hmac-sha2-256 0x$KEY;
add 10.0.0.2 10.0.0.1 ah 0x2002 -m transport -r 32 -esn -A hmac-sha2-256 0x$KEY;
spdadd 10.0.0.2 10.0.0.1 udp -P in ipsec ah/transport//require;
EOF

# All counters of bs-a as "name value" lines, and one of them.
counters() { A cat /proc/net/bitsec_stat; }
stat() { A awk -v k="$1" '$1 == k { print $2 }' /proc/net/bitsec_stat; }
send() { B $GEN 10.0.0.2 10.0.0.1 0x2001 $KEY send "$@"; }
esn() { B $GEN 10.0.0.2 10.0.0.1 0x2002 $KEY send "$@"; }
mutable() { B $GEN 10.0.0.2 10.0.0.1 0x2001 $KEY mutable "$@"; }

# expect COUNTER DELTA COMMAND ARGS...: after COMMAND (send, esn or
# mutable) ran, COUNTER moved by DELTA and no other counter moved at all
# (in_bytes moves with in_packets).
expect() {
	local name=$1 delta=$2 before want
	shift 2
	before=$(counters)
	"$@" || return 1
	want=$(stat_mask "$name" <<<"$before" | awk -v k="$name" -v d="$delta" '$1 == k { $2 += d } { print $1, $2 }')
	wait_until 20 moved "$name" "$want" || { diff <(echo "$want") <(counters | stat_mask "$name"); return 1; }
}
moved() { [ "$(counters | stat_mask "$1")" = "$2" ]; }

check "a good packet is taken (in_packets)" expect in_packets 1 send 1
check "a 28-byte AH header (4-byte aligned, no padding) is taken" expect in_packets 1 send 2 align4
check "padding after the ICV that is not zero, hashed as sent: taken" expect in_packets 1 send 3 padded
check "a flipped ICV: in_auth_failed" expect in_auth_failed 1 send 4 auth
check "an SPI nobody has: in_no_sa" expect in_no_sa 1 send 5 spi
check "AH cut to 10 bytes, no whole sequence number: in_malformed" expect in_malformed 1 send 6 trunc
check "AH cut inside the ICV: in_malformed" expect in_malformed 1 send 7 short
check "a length field of 32 bytes over 28 that are there: in_malformed" expect in_malformed 1 send 8 long
check "a length field of 1028 bytes: in_malformed" expect in_malformed 1 send 9 huge
check "a 12-byte ICV (HMAC-SHA-1-96's), valid over itself: in_malformed" expect in_malformed 1 send 10 icv12
check "a 32-byte untruncated HMAC-SHA-256 ICV: in_malformed" expect in_malformed 1 send 11 icv32
check "TOS, TTL and DF changed in flight (mutable): taken" expect in_packets 1 send 12 inflight
check "the IP ID changed in flight (immutable): in_auth_failed" expect in_auth_failed 1 send 13 ident
check "an ICV with ESN's high half, the SA without ESN: in_auth_failed" expect in_auth_failed 1 send 14 esn

# Replay, window 32.  Sequence numbers 1..14 were used above, each once.
check "sequence number 1 again: in_replay" expect in_replay 1 send 1
check "a jump ahead to 100 is taken" expect in_packets 1 send 100
check "99 arrives late but inside the window: taken" expect in_packets 1 send 99
check "69, the oldest the window holds: taken" expect in_packets 1 send 69
check "99 a second time: in_replay" expect in_replay 1 send 99
check "68, older than the window: in_too_old" expect in_too_old 1 send 68
check "sequence number 0, never sent: in_too_old" expect in_too_old 1 send 0
# A forged packet must not move the window (RFC 4302 3.4.3).
check "a forged 1000 (bad ICV) is dropped as in_auth_failed" expect in_auth_failed 1 send 1000 auth
check "80, inside the window the forgery did not move, is taken" expect in_packets 1 send 80

# The SA counts the drops that happened after it was found (not the
# unknown SPI, nor the header too short to hold a sequence number).
sa_drops() {
	local j
	j=$(A "$BITSKEY" -Dj | jq -c '.[] | select(.spi == 8193) | .drops |
		with_entries(select(.value > 0))') || return 1
	[ "$j" = '{"in_malformed":5,"in_replay":2,"in_too_old":2,"in_auth_failed":4}' ] ||
		{ echo "SA drops: $j"; return 1; }
	A "$BITSKEY" -D | grep -q "dropped: in_malformed=5 in_replay=2 in_too_old=2 in_auth_failed=4" ||
		{ A "$BITSKEY" -D; return 1; }
}
check "bitskey -D and -Dj show the SA's own drops by reason" sa_drops

# IPv4 options (RFC 4302 appendix A1): record route is mutable (the
# receiver itself writes its address into it before bitsec sees the
# packet); security (130) and router alert (148) are immutable, hashed as
# sent.  The "changed" packets carry an ICV that counted the option as
# zero and a value nobody hashed: only a receiver that wrongly zeroes the
# option takes them.
check "a record route option, filled in by the receiver: taken" expect in_packets 1 send 101 rr
check "a security option, hashed as sent: taken" expect in_packets 1 send 102 sec
check "a security option changed, the ICV over it zeroed: in_auth_failed" expect in_auth_failed 1 send 103 sec-changed
check "a router alert option, hashed as sent: taken" expect in_packets 1 send 104 ra
check "a router alert option changed, the ICV over it zeroed: in_auth_failed" expect in_auth_failed 1 send 105 ra-changed

# 200 good packets in order, TOS, TTL and DF random on each.
check "200 packets with random TOS, TTL and DF: all taken" expect in_packets 200 mutable 200 7 2000

# ESN (RFC 4302 2.5.1, RFC 4303 appendix A): the high half is sent by
# nobody, inferred by the receiver and hashed after the payload.
check "ESN: 1, the high half (0) hashed after the payload: taken" expect in_packets 1 esn 1 esn
check "ESN: 2, the high half left out of the ICV: in_auth_failed" expect in_auth_failed 1 esn 2
check "ESN: 0xfffffff0, the end of the first 2^32 block: taken" expect in_packets 1 esn 0xfffffff0 esn
check "ESN: 0x100000003, past the wrap (3 on the wire, high half 1): taken" expect in_packets 1 esn 0x100000003 esn
check "ESN: 4 hashed with high half 0 after the wrap: in_auth_failed" expect in_auth_failed 1 esn 4 esn
check "ESN: 0xffffffe8, late, inside the window across the wrap: taken" expect in_packets 1 esn 0xffffffe8 esn
check "ESN: 0x100000003 again: in_replay" expect in_replay 1 esn 0x100000003 esn

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
check "afterwards a good packet is still taken" expect in_packets 1 send 5000

# The same packets at Linux's own AH (stock kernel: XFRM is there), in a
# third namespace behind b: what ahgen.py calls good, Linux takes too.
xfrm_takes() {
	local before after
	before=$(xfrm_packets)
	B $GEN 10.0.1.2 10.0.1.1 0x2001 $KEY send "$@" || return 1
	wait_until 20 xfrm_moved "$before" || { echo "XFRM took $before -> $(xfrm_packets) packets"; C ip -s xfrm state; return 1; }
}
xfrm_refuses() {
	local before
	before=$(xfrm_failed)
	B $GEN 10.0.1.2 10.0.1.1 0x2001 $KEY send "$@" || return 1
	wait_until 20 xfrm_failed_moved "$before" || { echo "XFRM integrity failures $before -> $(xfrm_failed)"; C ip -s xfrm state; return 1; }
}
xfrm_failed() { C ip -s xfrm state get src 10.0.1.2 dst 10.0.1.1 proto ah spi 0x2001 | sed -n 's/.* failed \([0-9]*\).*/\1/p'; }
xfrm_failed_moved() { [ "$(xfrm_failed)" -eq $(($1 + 1)) ]; }
xfrm_packets() { C ip -s xfrm state get src 10.0.1.2 dst 10.0.1.1 proto ah spi 0x2001 | sed -n 's/.*, \([0-9]*\)(packets).*/\1/p'; }
xfrm_moved() { [ "$(xfrm_packets)" -eq $(($1 + 1)) ]; }
C() { ip netns exec bs-c "$@"; }
if [ "$BITSEC_VM_KERNEL" != debug ] && modprobe xfrm_user 2>/dev/null &&
	modprobe ah4 2>/dev/null; then
	netns_add bs-c
	ip link add vc netns bs-c type veth peer name vd netns bs-b
	ip -n bs-c addr add 10.0.1.1/24 dev vc && ip -n bs-b addr add 10.0.1.2/24 dev vd
	ip -n bs-c link set vc up && ip -n bs-b link set vd up
	B ping -c 1 -W 5 10.0.1.1 >/dev/null
	check "XFRM peer: the same SA with ip xfrm" C ip xfrm state add src 10.0.1.2 dst 10.0.1.1 \
		proto ah spi 0x2001 mode transport replay-window 32 auth-trunc 'hmac(sha256)' 0x$KEY 128
	check "XFRM peer takes ahgen.py's good packet" xfrm_takes 1
	check "XFRM peer takes it with TOS, TTL and DF changed in flight" xfrm_takes 2 inflight
	check "XFRM peer takes it with a record route option" xfrm_takes 3 rr
	check "XFRM peer takes it with a security option" xfrm_takes 4 sec
	check "XFRM peer takes it with a router alert option" xfrm_takes 5 ra
	check "XFRM peer refuses a changed router alert (ICV over it zeroed)" xfrm_refuses 6 ra-changed
	check "XFRM peer refuses a changed security option (ICV over it zeroed)" xfrm_refuses 7 sec-changed
else
	skip "XFRM peer takes ahgen.py's packets" "no XFRM in this kernel"
fi

finish
