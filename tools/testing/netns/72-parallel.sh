#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Parallel crypto of one SA (module/par.c): bs-a (bitsec) and bs-b (XFRM on
# the stock kernel, bitsec on the debug kernel) protect all traffic with
# one ESP SA each way.  With bitsec.parallel=2 every packet is encrypted
# or decrypted on whichever CPU its ticket names; what leaves bs-a must
# still carry its sequence numbers in order, and what bs-a delivers must be
# in the order it was sent.  parallel=1 deals an SA out only while it is
# busy (parallel_pps), and the switch must not reorder either; parallel=0
# never does.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
P=/sys/module/bitsec/parameters
trap 'echo 1 > $P/parallel 2>/dev/null; echo 0 > $P/force_async 2>/dev/null;
	echo 2000 > $P/parallel_pps 2>/dev/null; netns_cleanup; rm -rf "$T"' EXIT
module_load || exit 1

xfrm_peer=0
xfrm_available && xfrm_peer=1
peer=$([ $xfrm_peer = 1 ] && echo XFRM || echo bitsec)

A() { ip netns exec bs-a "$@"; }
B() { ip netns exec bs-b "$@"; }
stat() { A awk -v k="$1" '$1 == k { print $2 }' /proc/net/bitsec_stat; }
UDPBURST="python3 $TOP/tools/testing/netns/udpburst.py"
N=1500

# setup MODE SUITE: fresh namespaces, SAs and policies for all traffic.
# SUITE is gcm (aes-gcm-16) or cbc (aes-cbc with hmac-sha2-256).
setup() {
	local mode=$1 ends="" xends=() alg xalg
	local K=0x00112233445566778899aabbccddeeff01020304
	local KE=0x00112233445566778899aabbccddeeff
	local KA=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
	if [ "$2" = gcm ]; then
		alg="-E aes-gcm-16 $K"
		xalg=(aead 'rfc4106(gcm(aes))' $K 128)
	else
		alg="-E aes-cbc $KE -A hmac-sha2-256 $KA"
		xalg=(enc 'cbc(aes)' $KE auth-trunc 'hmac(sha256)' $KA 128)
	fi
	netns_cleanup
	netns_add bs-a && netns_add bs-b || return 1
	ip link add va netns bs-a type veth peer name vb netns bs-b || return 1
	ip -n bs-a addr add 10.0.0.1/24 dev va && ip -n bs-b addr add 10.0.0.2/24 dev vb &&
		ip -n bs-a link set va up && ip -n bs-b link set vb up &&
		ip -n bs-a link set lo up && ip -n bs-b link set lo up || return 1
	if [ "$mode" = tunnel ]; then
		ends=10.0.0.1-10.0.0.2
		xends=(src 10.0.0.2 dst 10.0.0.1)
	fi
	local conf="add 10.0.0.1 10.0.0.2 esp 0x7000 -m $mode $alg;
add 10.0.0.2 10.0.0.1 esp 0x7001 -m $mode $alg;"
	A "$BITSKEY" -c <<-EOF || return 1
		$conf
		spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/$mode/$ends/require;
		spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/$mode/${ends:+10.0.0.2-10.0.0.1}/require;
	EOF
	if [ $xfrm_peer = 1 ]; then
		B ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x7000 mode "$mode" \
			"${xalg[@]}" &&
		B ip xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x7001 mode "$mode" \
			"${xalg[@]}" &&
		B ip xfrm policy add src 10.0.0.2 dst 10.0.0.1 dir out \
			tmpl "${xends[@]}" proto esp mode "$mode" &&
		B ip xfrm policy add src 10.0.0.1 dst 10.0.0.2 dir in \
			tmpl ${xends:+src 10.0.0.1 dst 10.0.0.2} proto esp mode "$mode" || return 1
	else
		B "$BITSKEY" -c <<-EOF || return 1
			$conf
			spdadd 10.0.0.2 10.0.0.1 any -P out ipsec esp/$mode/${ends:+10.0.0.2-10.0.0.1}/require;
			spdadd 10.0.0.1 10.0.0.2 any -P in ipsec esp/$mode/$ends/require;
		EOF
	fi
	# Let the first packets find their neighbours.
	A ping -c 1 -W 5 10.0.0.2 >/dev/null
}

# burst FROM-NS TO-NS TO-ADDR: N numbered datagrams of 1000 bytes, the
# ESP captured as it leaves FROM-NS (the order it was sent in); the
# receiver's verdict lands in $T/recv, the ESP sequence numbers in $T/seqs.
burst() {
	local from=$1 to=$2 addr=$3 cap rx dev
	dev=$([ "$from" = bs-a ] && echo va || echo vb)
	rm -f "$T"/recv* "$T/wire"
	ip netns exec "$to" $UDPBURST recv "$addr" 7777 "$T/recv" 3 > /dev/null 2>&1 &
	rx=$!
	# (A simple command, so $! is tcpdump itself: a background job ignores
	# SIGINT, so it is stopped with SIGTERM; -U has written every packet.)
	ip netns exec "$from" tcpdump -i "$dev" -nn -U -w "$T/wire" esp > /dev/null 2> "$T/tcpdump.err" &
	cap=$!
	if ! wait_until 30 test -e "$T/recv.ready" ||
		! wait_until 30 grep -q "listening on" "$T/tcpdump.err"; then
		kill $rx $cap
		echo "receiver or capture never started"; cat "$T/tcpdump.err"
		return 1
	fi
	# One CPU sends: a sender that migrates enters the veth pair from two
	# CPUs, whose backlogs the receiver may drain concurrently, which
	# reorders any flow, with IPsec or without.
	ip netns exec "$from" taskset -c 0 $UDPBURST send "$addr" 7777 $N 1000 ||
		{ kill $rx $cap; return 1; }
	# The receiver stops once the datagrams have stopped for 3 s.
	wait_until 120 test -e "$T/recv" || { kill $rx $cap; echo "the receiver never finished"; return 1; }
	kill $cap
	wait $cap
	tcpdump -r "$T/wire" -nn 2>/dev/null |
		sed -n "s/.*> ${addr//./\\.}: ESP(spi=0x[0-9a-f]*,seq=\(0x[0-9a-f]*\)).*/\1/p" > "$T/seqs"
}

# in_order: the ESP sequence numbers leaving the sender rose throughout,
# a quarter of the burst or more arrived (a slower receiver drops the
# rest), and in the order sent.
in_order() {
	local got inv wire_inv
	read -r _ got _ inv _ < "$T/recv"
	wire_inv=$(while read -r h; do echo $((h)); done < "$T/seqs" |
		awk 'NR > 1 && $1 <= p { k++ } { p = $1 } END { print k + 0 }')
	echo "received $got of $N, $inv out of order; $(wc -l < "$T/seqs") ESP on the wire, $wire_inv out of order"
	[ "$got" -ge $((N / 4)) ] && [ "$inv" = 0 ] && [ "$wire_inv" = 0 ] && [ -s "$T/seqs" ]
}

# out_burst STAT-BEFORE: a burst bs-a -> bs-b, in order; prints how many
# packets bs-a sent in parallel meanwhile.
par_out=0
par_in=0
out_burst() {
	local before
	before=$(stat out_parallel)
	burst bs-a bs-b 10.0.0.2 && in_order || return 1
	par_out=$(($(stat out_parallel) - before))
	echo "out_parallel +$par_out"
}
in_burst() {
	local before
	before=$(stat in_parallel)
	burst bs-b bs-a 10.0.0.1 && in_order || return 1
	par_in=$(($(stat in_parallel) - before))
	echo "in_parallel +$par_in"
	[ "$(stat in_replay)" = 0 ] && [ "$(stat in_too_old)" = 0 ] ||
		{ echo "replay drops: $(stat in_replay), too old: $(stat in_too_old)"; return 1; }
}

warm() {
	A ping -c 1 -W 5 10.0.0.2 > /dev/null
	[ "$(stat out_parallel)" -gt 0 ] && [ "$(stat in_parallel)" -gt 0 ]
}
always_out() { out_burst && [ $par_out -ge $N ]; }
always_in() { in_burst && [ $par_in -ge $((N / 4)) ]; }
tcp() {
	tcp_transfer bs-a bs-b 10.0.0.2 2000000 && tcp_transfer bs-b bs-a 10.0.0.1 2000000
}
# An idle SA stays inline: a few pings, at the default threshold.
idle() {
	local before
	before=$(stat out_parallel)
	echo 2000 > $P/parallel_pps
	A ping -c 3 -i 0.3 -W 5 10.0.0.2 > /dev/null || return 1
	[ "$(stat out_parallel)" = "$before" ] || { echo "out_parallel $before -> $(stat out_parallel)"; return 1; }
}
# A busy one moves to the parallel path mid-burst, in order.
busy() { echo 50 > $P/parallel_pps && out_burst && [ $par_out -gt 0 ] && [ $par_out -lt $N ]; }
never() { out_burst && [ $par_out = 0 ]; }

for cfg in "transport gcm" "tunnel cbc"; do
	set -- $cfg
	name="$1 $([ $2 = gcm ] && echo aes-gcm-16 || echo aes-cbc+hmac-sha256)"
	if ! setup $cfg > "$T/setup" 2>&1; then
		cat "$T/setup"
		tap 1 "$name: bs-a (bitsec) and bs-b ($peer) set up"
		continue
	fi
	echo 2 > $P/parallel
		check "$name, parallel=2: both SAs take the parallel path" wait_until 60 warm
	check "$name, parallel=2: $N datagrams out in parallel, sent in order, received in order by $peer" always_out
	check "$name, parallel=2: $N datagrams from $peer decrypted in parallel, delivered in order" always_in
	check "$name, parallel=2: 2 MB of TCP each way, SHA-256 intact" tcp
	echo 1 > $P/parallel
	check "$name, parallel=1: an idle SA (3 pings) stays on the inline path" idle
	check "$name, parallel=1, parallel_pps=50: a burst moves the SA to the parallel path midway, sent and received in order" busy
	echo 0 > $P/parallel
	check "$name, parallel=0: a burst stays on the inline path" never
	echo 1 > $P/parallel
	echo 2000 > $P/parallel_pps
done

# A mode the parameter does not know is refused, and the mode stays.
bad_mode() {
	! echo 3 > $P/parallel 2>/dev/null && ! echo x > $P/parallel 2>/dev/null &&
		[ "$(cat $P/parallel)" = 1 ]
}
check "parallel=3 and parallel=x are refused (EINVAL); the mode stays 1" bad_mode

# Asynchronous transforms (cryptd inside, as 88-async makes them) complete
# from cryptd's worker, not from the CPU the ticket chose: the reorder
# ring must still put them in order.
S=/sys/module/bitsec/parameters/force_async
echo 1 > $S
if setup transport gcm > "$T/setup" 2>&1; then
	echo 2 > $P/parallel
	check "async aes-gcm-16, parallel=2: $N datagrams out, sent and received in order" always_out
	check "async aes-gcm-16, parallel=2: $N datagrams in, delivered in order" always_in
	check "async aes-gcm-16, parallel=2: 2 MB of TCP each way, SHA-256 intact" tcp
else
	cat "$T/setup"
	tap 1 "async aes-gcm-16: set up"
fi
echo 0 > $S
echo 1 > $P/parallel
finish
