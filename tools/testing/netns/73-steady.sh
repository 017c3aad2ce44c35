#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The steady state costs no allocations and copies only what has no room
# (design.rst, Memory).  Once a flow's first packets have filled the
# per-CPU request caches (reqcache.c), ESP and AH protect and unwrap it
# without allocating a crypto request (req_alloc), inline and, nearly,
# in parallel; TCP's segments, built with headroom, are not copied
# (out_copied); datagrams (linear, built by ip_append_data with only the
# link layer's headroom) are copied once each at most, their trailer
# going into the tailroom the route reserves or a fragment; nothing
# received is copied (in_copied).  Both ends are bitsec.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
P=/sys/module/bitsec/parameters
trap 'echo 1 > $P/parallel 2>/dev/null; ip netns del bs-a 2>/dev/null;
	ip netns del bs-b 2>/dev/null; rm -rf "$T"' EXIT
module_load || exit 1

A() { ip netns exec bs-a "$@"; }
B() { ip netns exec bs-b "$@"; }
stat() { ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' /proc/net/bitsec_stat; }
UDPBURST="python3 $TOP/tools/testing/netns/udpburst.py"
K=0x00112233445566778899aabbccddeeff01020304
KE=0x00112233445566778899aabbccddeeff
KA=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

# setup PROTO MODE ALGS: fresh namespaces, one SA each way for everything.
# (Each case runs in a subshell, so the namespaces go by name.)
setup() {
	local ends=""
	ip netns del bs-a 2>/dev/null
	ip netns del bs-b 2>/dev/null
	ip netns add bs-a && ip netns add bs-b || return 1
	ip link add va netns bs-a type veth peer name vb netns bs-b || return 1
	ip -n bs-a addr add 10.0.0.1/24 dev va && ip -n bs-b addr add 10.0.0.2/24 dev vb &&
		ip -n bs-a link set va up && ip -n bs-b link set vb up || return 1
	[ "$2" = tunnel ] && ends=10.0.0.1-10.0.0.2
	for ns in bs-a bs-b; do
		if [ $ns = bs-a ]; then
			out="10.0.0.1 10.0.0.2 any -P out ipsec $1/$2/$ends/require"
			in="10.0.0.2 10.0.0.1 any -P in ipsec $1/$2/${ends:+10.0.0.2-10.0.0.1}/require"
		else
			out="10.0.0.2 10.0.0.1 any -P out ipsec $1/$2/${ends:+10.0.0.2-10.0.0.1}/require"
			in="10.0.0.1 10.0.0.2 any -P in ipsec $1/$2/$ends/require"
		fi
		ip netns exec $ns "$BITSKEY" -c <<-EOF || return 1
			add 10.0.0.1 10.0.0.2 $1 0x7300 -m $2 $3;
			add 10.0.0.2 10.0.0.1 $1 0x7301 -m $2 $3;
			spdadd $out;
			spdadd $in;
		EOF
	done
}

# burst COUNT SIZE [RATE]: COUNT datagrams (RATE a second, or as fast as
# possible) from bs-a (one CPU) to a receiver in bs-b, which has seen them
# all or gone quiet for two seconds.
burst() {
	rm -f "$T/recv" "$T/recv.ready"
	# (Simple commands in the background, so that $! is the process.)
	ip netns exec bs-b $UDPBURST recv 10.0.0.2 7777 "$T/recv" 2 > /dev/null 2>&1 &
	local rx=$!
	if ! wait_until 30 test -e "$T/recv.ready"; then
		kill $rx
		echo "the receiver never started"
		return 1
	fi
	A taskset -c 0 $UDPBURST send 10.0.0.2 7777 "$1" "$2" ${3:+"$3"} || { kill $rx; return 1; }
	wait $rx
	[ -s "$T/recv" ] || { echo "the receiver wrote nothing"; return 1; }
}

# counts: "out_copied in_copied req_alloc" of both ends, summed.
counts() {
	echo $(($(stat bs-a out_copied) + $(stat bs-b out_copied))) \
		$(($(stat bs-a in_copied) + $(stat bs-b in_copied))) \
		$(($(stat bs-a req_alloc) + $(stat bs-b req_alloc)))
}

# steady PROTO MODE ALGS SIZE: after a warm-up of the same kind, a steady
# flow of 500 datagrams of SIZE bytes (1000 a second, which the crypto
# keeps up with) allocates almost no requests, and they are copied at
# most once each on the way out and not at all on the way in.  (A burst
# faster than the crypto, which asynchronous crypto such as the debug
# kernel's GCM lets queue up, has more requests in flight than a CPU's
# cache holds; those allocate.)
steady() {
	local before after n=500
	echo 0 > $P/parallel
	setup "$1" "$2" "$3" || return 1
	burst $n "$4" 1000 || return 1
	read -r -a before <<<"$(counts)"
	burst $n "$4" 1000 || return 1
	read -r -a after <<<"$(counts)"
	echo "$(cat "$T/recv"); out_copied +$((after[0] - before[0]))" \
		"in_copied +$((after[1] - before[1])) req_alloc +$((after[2] - before[2]))"
	grep -q "^received [1-9]" "$T/recv" &&
		[ $((after[0] - before[0])) -le $n ] && [ $((after[1] - before[1])) -eq 0 ] &&
		[ $((after[2] - before[2])) -le $((n / 10)) ]
}

check "ESP transport aes-gcm-16, 1400-byte datagrams: no allocations, no copies in" \
	steady esp transport "-E aes-gcm-16 $K" 1400
check "ESP transport aes-gcm-16, 64-byte datagrams: no allocations, no copies in" \
	steady esp transport "-E aes-gcm-16 $K" 64
check "ESP tunnel aes-cbc hmac-sha2-256, 1400-byte datagrams: no allocations, no copies in" \
	steady esp tunnel "-E aes-cbc $KE -A hmac-sha2-256 $KA" 1400
check "ESP tunnel null hmac-sha1, 64-byte datagrams: no allocations, no copies in" \
	steady esp tunnel "-E null -A hmac-sha1 ${K}" 64
check "AH transport hmac-sha2-256, 1400-byte datagrams: no allocations, no copies in" \
	steady ah transport "-A hmac-sha2-256 $KA" 1400

# TCP's segments have headroom (MAX_TCP_HEADER) and page fragments, which
# ESP encrypts out of place: 2 MB through bs-a copy next to nothing.
tcp_steady() {
	local p0 c0 p1 c1
	echo 0 > $P/parallel
	setup esp transport "-E aes-gcm-16 $K" || return 1
	p0=$(stat bs-a out_packets) c0=$(stat bs-a out_copied)
	tcp_transfer bs-a bs-b 10.0.0.2 2000000 || return 1
	p1=$(stat bs-a out_packets) c1=$(stat bs-a out_copied)
	echo "out_packets +$((p1 - p0)) out_copied +$((c1 - c0))"
	[ $((p1 - p0)) -gt 0 ] && [ $((c1 - c0)) -le $(((p1 - p0) / 100 + 5)) ]
}
check "TCP, 2 MB: under 1% of the ESP packets copied" tcp_steady

# GSO.  A route that has carried datagrams (which raised its tailroom
# reservation) leaves TCP its segmentation offload: the super-packets are
# segmented here (out_gso).  Their ESP packets take their sequence numbers
# a batch at a time (with parallel=2 their tickets too) and none is
# skipped (the SA's counter equals the packets sent) or arrives out of
# order far enough to be refused as a replay.
gso_batch() {
	local gso segs pk seq replay
	echo "$1" > $P/parallel
	setup esp transport "-E aes-gcm-16 $K" || return 1
	A ping -c 3 -i 0.2 -s 1000 10.0.0.2 > /dev/null || { echo "ping failed"; return 1; }
	tcp_transfer bs-a bs-b 10.0.0.2 2000000 || return 1
	gso=$(stat bs-a out_gso) segs=$(stat bs-a out_gso_segs) pk=$(stat bs-a out_packets)
	seq=$(A "$BITSKEY" -D | sed -n '/(0x00007300)/,/seq=/s/.*seq=\(0x[0-9a-f]*\).*/\1/p')
	replay=$(stat bs-b in_replay)
	echo "out_gso $gso out_gso_segs $segs out_packets $pk SA seq $seq in_replay $replay"
	[ -n "$seq" ] && [ "$gso" -gt 0 ] && [ "$segs" -ge $((2 * gso)) ] &&
		[ $((seq)) -eq "$pk" ] && [ "$replay" -eq 0 ]
}
check "TCP after pings on the route: GSO kept, segments numbered in batches without gaps" \
	gso_batch 0
check "TCP with parallel=2: GSO batches keep their order through the tickets" gso_batch 2

# Parallel crypto frees a request on the SA's home CPU, not always where
# it was allocated; the block still goes back to its own CPU's cache.  The
# warm-up burst fills the caches as deep as the ring got; the second burst
# allocates only where it got deeper.
parallel_reuse() {
	local before after n=2000
	echo 2 > $P/parallel
	setup esp transport "-E aes-gcm-16 $K" || return 1
	burst $n 1000 || return 1
	before=$(($(stat bs-a req_alloc) + $(stat bs-b req_alloc)))
	burst $n 1000 || return 1
	after=$(($(stat bs-a req_alloc) + $(stat bs-b req_alloc)))
	echo "out_parallel $(stat bs-a out_parallel) in_parallel $(stat bs-b in_parallel)" \
		"req_alloc +$((after - before)) for $n datagrams"
	[ "$(stat bs-a out_parallel)" -gt 0 ] && [ $((after - before)) -lt $((n / 4)) ]
}
check "parallel=2: 2000 datagrams allocate fewer than 500 requests once warm" parallel_reuse

# The counter counts: a packet socket on the receiver's link that does not
# read keeps a clone of each packet queued, and a cloned ESP packet must be
# copied before it is decrypted in place.
cloned_copied() {
	local before after tap
	echo 0 > $P/parallel
	setup esp transport "-E aes-gcm-16 $K" || return 1
	ip netns exec bs-b python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
s.bind(("vb", 0))
open(sys.argv[1], "w").close()
time.sleep(600)' "$T/tap.ready" > /dev/null 2>&1 &
	tap=$!
	if ! wait_until 30 test -e "$T/tap.ready"; then
		kill $tap
		echo "the packet socket never opened"
		return 1
	fi
	before=$(stat bs-b in_copied)
	burst 100 1400
	after=$(stat bs-b in_copied)
	kill $tap
	echo "in_copied +$((after - before)); $(cat "$T/recv")"
	[ $((after - before)) -ge 50 ]
}
check "a packet socket on the receiver's link: in_copied counts the copies" cloned_copied

ip netns del bs-a 2>/dev/null
ip netns del bs-b 2>/dev/null
finish
