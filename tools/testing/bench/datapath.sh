#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Inside the stock-kernel VM: the datapath, bitsec against Linux's own
# IPsec (XFRM), the same SAs, in the same boot.  Two namespaces over a veth
# pair protect everything between them with ESP in transport mode, first
# with bitsec on both ends, then with XFRM on both ends, for each suite:
# iperf3 TCP with 1 and 4 streams (Mbit/s), UDP with 64-byte payloads
# (packets/s received), and ping round trips (ms).  Prints CSV rows:
# dp,suite,metric,run,bitsec,xfrm.
. "$(dirname "$0")/../netns/lib.sh"
RUNS=${BITSEC_BENCH_RUNS:-3}
SECS=${BITSEC_BENCH_SECS:-5}
module_load || exit 1
modprobe xfrm_user 2>/dev/null
modprobe esp4 2>/dev/null
T=$(mktemp -d)

k128=0x00112233445566778899aabbccddeeff
k160=0x00112233445566778899aabbccddeeff01020304

setup() {
	ip netns del bb-a 2>/dev/null
	ip netns del bb-b 2>/dev/null
	ip netns add bb-a && ip netns add bb-b || return 1
	ip link add va netns bb-a type veth peer name vb netns bb-b
	ip -n bb-a addr add 10.0.0.1/24 dev va && ip -n bb-b addr add 10.0.0.2/24 dev vb
	ip -n bb-a link set va up && ip -n bb-b link set vb up
	ip -n bb-a link set lo up && ip -n bb-b link set lo up
}

# bitsec SUITE-ALGS: both ends, both directions.
with_bitsec() {
	local ns me peer
	for ns in bb-a bb-b; do
		if [ $ns = bb-a ]; then me=10.0.0.1 peer=10.0.0.2; else me=10.0.0.2 peer=10.0.0.1; fi
		ip netns exec $ns "$BITSKEY" -c <<-EOF || return 1
			add 10.0.0.1 10.0.0.2 esp 0x1000 -m transport $1;
			add 10.0.0.2 10.0.0.1 esp 0x1001 -m transport $1;
			spdadd $me $peer any -P out ipsec esp/transport//require;
			spdadd $peer $me any -P in ipsec esp/transport//require;
		EOF
	done
}

with_xfrm() {
	local ns me peer xa=() w
	# Words, with EMPTY for an empty key (cipher_null's).
	for w in $2; do [ "$w" = EMPTY ] && xa+=("") || xa+=("$w"); done
	for ns in bb-a bb-b; do
		if [ $ns = bb-a ]; then me=10.0.0.1 peer=10.0.0.2; else me=10.0.0.2 peer=10.0.0.1; fi
		ip -n $ns xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 \
			mode transport replay-window 32 "${xa[@]}" || return 1
		ip -n $ns xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x1001 \
			mode transport replay-window 32 "${xa[@]}" || return 1
		ip -n $ns xfrm policy add src $me dst $peer dir out \
			tmpl proto esp mode transport level required || return 1
		ip -n $ns xfrm policy add src $peer dst $me dir in \
			tmpl proto esp mode transport level required || return 1
	done
}

up() { ip netns exec bb-b ss -ltnH 'sport = :5201' | grep -q .; }

# measure: one line "tcp1 tcp4 udp64 ping" for the configured pair.
measure() {
	local tcp1 tcp4 udp rtt
	ip netns exec bb-b iperf3 -s -D -1 -I "$T/iperf.pid" >/dev/null 2>&1
	wait_until 30 up || { echo "iperf3 server did not start" >&2; return 1; }
	tcp1=$(ip netns exec bb-a iperf3 -c 10.0.0.2 -t "$SECS" -J | jq '.end.sum_received.bits_per_second / 1e6')
	ip netns exec bb-b iperf3 -s -D -1 -I "$T/iperf.pid" >/dev/null 2>&1
	wait_until 30 up || return 1
	tcp4=$(ip netns exec bb-a iperf3 -c 10.0.0.2 -t "$SECS" -P 4 -J | jq '.end.sum_received.bits_per_second / 1e6')
	ip netns exec bb-b iperf3 -s -D -1 -I "$T/iperf.pid" >/dev/null 2>&1
	wait_until 30 up || return 1
	udp=$(ip netns exec bb-a iperf3 -c 10.0.0.2 -t "$SECS" -u -l 64 -b 0 -J |
		jq '(.end.sum.packets - .end.sum.lost_packets) / .end.sum.seconds')
	rtt=$(ip netns exec bb-a ping -c 50 -i 0.02 -q 10.0.0.2 | sed -n 's|.* = [0-9.]*/\([0-9.]*\)/.*|\1|p')
	echo "$tcp1 $tcp4 $udp $rtt"
}

while IFS='|' read -r suite algs xalgs; do
	for ((r = 1; r <= RUNS; r++)); do
		setup && with_bitsec "$algs" && read -r b1 b4 bu bp < <(measure) || exit 1
		setup && with_xfrm "$algs" "$xalgs" && read -r x1 x4 xu xp < <(measure) || exit 1
		echo "dp,$suite,tcp1,$r,$b1,$x1"
		echo "dp,$suite,tcp4,$r,$b4,$x4"
		echo "dp,$suite,udp64,$r,$bu,$xu"
		echo "dp,$suite,ping,$r,$bp,$xp"
	done
done <<ROWS
null hmac-sha1|-E null -A hmac-sha1 $k160|enc ecb(cipher_null) EMPTY auth-trunc hmac(sha1) $k160 96
aes-gcm-16 128|-E aes-gcm-16 $k160|aead rfc4106(gcm(aes)) $k160 128
aes-cbc-128 hmac-sha1|-E aes-cbc $k128 -A hmac-sha1 $k160|enc cbc(aes) $k128 auth-trunc hmac(sha1) $k160 96
ROWS
ip netns del bb-a
ip netns del bb-b
rm -rf "$T"
