#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Inside the stock-kernel VM: the datapath, bitsec against Linux's own
# IPsec (XFRM), the same SAs, in the same boot.  Two namespaces over a veth
# pair protect everything between them with ESP, first with bitsec on both
# ends, then with XFRM on both ends, per suite and mode:
#   tcp1, tcp4     iperf3 TCP, 1 and 4 streams (Mbit/s)
#   udp64, udp1400 UDP datagrams of 64 and 1400 bytes received per second
#   ping50, ping99 ping round trip, median and 99th percentile (ms), idle
#   load50, load99 the same while tcp1's bulk transfer runs
# (tunnel mode: the TCP rows only), and the policy scale: tcp1 of one flow
# with 0, 1,000 and 100,000 other outbound policies installed (half host
# pairs, half prefix pairs).  Prints CSV rows:
#   dp,suite,metric,run,bitsec,xfrm
#   drv,suite,driver     the crypto driver both sides instantiated
. "$(dirname "${BASH_SOURCE[0]}")/../netns/lib.sh"
RUNS=${BITSEC_BENCH_RUNS:-3}
SECS=${BITSEC_BENCH_SECS:-5}
POLICIES=${BITSEC_BENCH_POLICIES:-100000}
module_load || exit 1
modprobe xfrm_user 2>/dev/null
modprobe esp4 2>/dev/null
T=$(mktemp -d)

k128=0x00112233445566778899aabbccddeeff
k160=0x00112233445566778899aabbccddeeff01020304
k256=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
k288=${k256}01020304

setup() {
	ip netns del bb-a 2>/dev/null
	ip netns del bb-b 2>/dev/null
	ip netns add bb-a && ip netns add bb-b || return 1
	ip link add va netns bb-a type veth peer name vb netns bb-b
	ip -n bb-a addr add 10.0.0.1/24 dev va && ip -n bb-b addr add 10.0.0.2/24 dev vb
	ip -n bb-a link set va up && ip -n bb-b link set vb up
	ip -n bb-a link set lo up && ip -n bb-b link set lo up
}

# with_bitsec MODE ALGS: both ends, both directions.
with_bitsec() {
	local ns me peer ends out in
	for ns in bb-a bb-b; do
		if [ $ns = bb-a ]; then me=10.0.0.1 peer=10.0.0.2; else me=10.0.0.2 peer=10.0.0.1; fi
		out="" in=""
		[ "$1" = tunnel ] && out=$me-$peer in=$peer-$me
		ip netns exec $ns "$BITSKEY" -c <<-EOF || return 1
			add 10.0.0.1 10.0.0.2 esp 0x1000 -m $1 $2;
			add 10.0.0.2 10.0.0.1 esp 0x1001 -m $1 $2;
			spdadd $me $peer any -P out ipsec esp/$1/$out/require;
			spdadd $peer $me any -P in ipsec esp/$1/$in/require;
		EOF
	done
}

# with_xfrm MODE XFRM-ALGS (EMPTY stands for cipher_null's empty key).
with_xfrm() {
	local ns me peer xa=() w out=() in=()
	for w in $2; do [ "$w" = EMPTY ] && xa+=("") || xa+=("$w"); done
	for ns in bb-a bb-b; do
		if [ $ns = bb-a ]; then me=10.0.0.1 peer=10.0.0.2; else me=10.0.0.2 peer=10.0.0.1; fi
		[ "$1" = tunnel ] && out=(src $me dst $peer) in=(src $peer dst $me)
		ip -n $ns xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 \
			mode "$1" replay-window 32 "${xa[@]}" || return 1
		ip -n $ns xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x1001 \
			mode "$1" replay-window 32 "${xa[@]}" || return 1
		ip -n $ns xfrm policy add src $me dst $peer dir out \
			tmpl "${out[@]}" proto esp mode "$1" level required || return 1
		ip -n $ns xfrm policy add src $peer dst $me dir in \
			tmpl "${in[@]}" proto esp mode "$1" level required || return 1
	done
}

up() { ip netns exec bb-b ss -ltnH 'sport = :5201' | grep -q .; }
server() {
	ip netns exec bb-b iperf3 -s -D -1 -I "$T/iperf.pid" >/dev/null 2>&1
	wait_until 30 up || { echo "iperf3 server did not start" >&2; return 1; }
}
tcp() { server && ip netns exec bb-a iperf3 -c 10.0.0.2 -t "$SECS" -P "$1" -J |
	jq '.end.sum_received.bits_per_second / 1e6'; }
udp() { server && ip netns exec bb-a iperf3 -c 10.0.0.2 -t "$SECS" -u -l "$1" -b 0 -J |
	jq '(.end.sum.packets - .end.sum.lost_packets) / .end.sum.seconds'; }
# rtt: "median p99" of 100 pings, 20 ms apart.
rtt() {
	ip netns exec bb-a ping -c 100 -i 0.02 -W 2 10.0.0.2 |
		sed -n 's/.* time=\([0-9.]*\) ms/\1/p' | sort -g |
		awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)], v[int(NR * 0.99 + 0.5)] }'
}
# rtt under tcp1's load: the transfer runs a second longer than the pings.
loaded_rtt() {
	local pid r
	server || return 1
	ip netns exec bb-a iperf3 -c 10.0.0.2 -t $((SECS + 1)) > /dev/null 2>&1 &
	pid=$!
	sleep 1		# the pings should meet the transfer in full flow
	r=$(rtt)
	wait $pid
	echo "$r"
}

# measure MODE: the metric values in the order of METRICS_<mode>.
METRICS_transport="tcp1 tcp4 udp64 udp1400 ping50 ping99 load50 load99"
METRICS_tunnel="tcp1 tcp4"
measure() {
	if [ "$1" = tunnel ]; then
		echo "$(tcp 1) $(tcp 4)"
	else
		echo "$(tcp 1) $(tcp 4) $(udp 64) $(udp 1400) $(rtt) $(loaded_rtt)"
	fi
}

# The crypto driver the SA's transform runs on, as /proc/crypto lists it.
driver() {
	awk -v n="$1" '$1 == "name" { cur = $3 } $1 == "driver" && cur == n { d = $3 }
		$1 == "priority" && cur == n && d != "" { if ($3 > best) { best = $3; bd = d } d = "" }
		END { print bd }' /proc/crypto
}

# Both sides on the same, fastest drivers: the stock kernel autoloads none.
for m in aesni_intel ghash_clmulni_intel sha1_ssse3 sha256_ssse3 chacha20_x86_64 poly1305_x86_64; do
	modprobe $m 2>/dev/null
done

# (Sourced with BITSEC_BENCH_LIB=1: the functions above, nothing run.)
[ -n "${BITSEC_BENCH_LIB:-}" ] && return 0

SUITES=$(cat <<ROWS
null hmac-sha1|-E null -A hmac-sha1 $k160|enc ecb(cipher_null) EMPTY auth-trunc hmac(sha1) $k160 96|authenc(hmac(sha1),ecb(cipher_null))
aes-gcm-16 128|-E aes-gcm-16 $k160|aead rfc4106(gcm(aes)) $k160 128|rfc4106(gcm(aes))
chacha20-poly1305|-E chacha20-poly1305 $k288|aead rfc7539esp(chacha20,poly1305) $k288 128|rfc7539esp(chacha20,poly1305)
aes-cbc-128 hmac-sha2-256|-E aes-cbc $k128 -A hmac-sha2-256 $k256|enc cbc(aes) $k128 auth-trunc hmac(sha256) $k256 128|authenc(hmac(sha256),cbc(aes))
ROWS
)

# Extra outbound policies in bb-a, none of which the flow matches: half
# host pairs, half /24 pairs.
for ((i = 0; i < POLICIES; i++)); do
	h="$((i >> 16)).$((i >> 8 & 255)).$((i & 255))"
	if ((i % 2)); then
		s="20.$((i >> 9 & 255)).$((i >> 1 & 255)).0/24" d="21.$((i >> 9 & 255)).$((i >> 1 & 255)).0/24"
	else
		s="30.$h" d="31.$h"
	fi
	printf 'spdadd %s %s any -P out ipsec esp/transport//require;\n' "$s" "$d" >&3
	printf 'xfrm policy add src %s dst %s dir out tmpl proto esp mode transport level required\n' "$s" "$d" >&4
done 3>"$T/sp.conf" 4>"$T/sp.batch"

# policies N IMPL: the first N of them into bb-a.
policies() {
	[ "$1" = 0 ] && return 0
	if [ "$2" = bitsec ]; then
		head -n "$1" "$T/sp.conf" > "$T/sp.n" && ip netns exec bb-a "$BITSKEY" -f "$T/sp.n"
	else
		head -n "$1" "$T/sp.batch" > "$T/sp.n" && ip netns exec bb-a ip -batch "$T/sp.n"
	fi
}

for ((r = 1; r <= RUNS; r++)); do
	while IFS='|' read -r suite algs xalgs cname; do
		for mode in transport tunnel; do
			eval "metrics=\$METRICS_$mode"
			setup && with_bitsec $mode "$algs" && read -ra b < <(measure $mode) || exit 1
			[ $r = 1 ] && [ $mode = transport ] && echo "drv,$suite,$(driver "$cname")"
			setup && with_xfrm $mode "$xalgs" && read -ra x < <(measure $mode) || exit 1
			i=0
			label=$suite
			[ $mode = tunnel ] && label="$suite tunnel"
			for m in $metrics; do
				echo "dp,$label,$m,$r,${b[$i]},${x[$i]}"
				i=$((i + 1))
			done
		done
	done <<<"$SUITES"
	IFS='|' read -r suite algs xalgs cname < <(sed -n 2p <<<"$SUITES")
	for n in 0 1000 "$POLICIES"; do
		setup && with_bitsec transport "$algs" && policies "$n" bitsec && b=$(tcp 1) || exit 1
		setup && with_xfrm transport "$xalgs" && policies "$n" xfrm && x=$(tcp 1) || exit 1
		echo "dp,$suite +$n policies,tcp1,$r,$b,$x"
	done
done
ip netns del bb-a
ip netns del bb-b
rm -rf "$T"
