#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ESP in transport mode between two namespaces over a veth pair: bs-a runs
# bitsec; its peer bs-b runs Linux's own IPsec (XFRM, configured with
# `ip xfrm`) on the stock kernel, and bitsec on the debug kernel, which has
# no XFRM.  For every ESP suite: ping both ways, a TCP transfer whose
# SHA-256 must match, and, against XFRM, the peer's own counters showing
# it decrypted our packets: proof that what bitsec sends is standard ESP.
. "$(dirname "$0")/lib.sh"
trap netns_cleanup EXIT
module_load || exit 1
T=$(mktemp -d)
trap 'netns_cleanup; rm -rf "$T"' EXIT

xfrm_peer=0
if [ "$BITSEC_VM_KERNEL" != debug ] && modprobe xfrm_user 2>/dev/null &&
	modprobe esp4 2>/dev/null; then
	xfrm_peer=1
fi

setup() {
	netns_cleanup
	netns_add bs-a && netns_add bs-b || return 1
	ip link add va netns bs-a type veth peer name vb netns bs-b || return 1
	ip -n bs-a addr add 10.0.0.1/24 dev va && ip -n bs-b addr add 10.0.0.2/24 dev vb &&
		ip -n bs-a link set va up && ip -n bs-b link set vb up &&
		ip -n bs-a link set lo up && ip -n bs-b link set lo up
}

A() { ip netns exec bs-a "$@"; }
B() { ip netns exec bs-b "$@"; }

# suite NAME BITSKEY-ALGS XFRM-ALGS: SAs 0x1000 (a->b) and 0x1001 (b->a).
configure() {
	local algs=$1 xalgs=$2 conf
	conf="add 10.0.0.1 10.0.0.2 esp 0x1000 -m transport $algs;
add 10.0.0.2 10.0.0.1 esp 0x1001 -m transport $algs;"
	A "$BITSKEY" -c <<-EOF || return 1
		$conf
		spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;
		spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require;
	EOF
	if [ $xfrm_peer = 1 ]; then
		# shellcheck disable=SC2086
		B ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 \
			mode transport replay-window 32 $xalgs || return 1
		# shellcheck disable=SC2086
		B ip xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x1001 \
			mode transport replay-window 32 $xalgs || return 1
		B ip xfrm policy add src 10.0.0.2 dst 10.0.0.1 dir out \
			tmpl proto esp mode transport level required || return 1
		B ip xfrm policy add src 10.0.0.1 dst 10.0.0.2 dir in \
			tmpl proto esp mode transport level required || return 1
	else
		B "$BITSKEY" -c <<-EOF || return 1
			$conf
			spdadd 10.0.0.2 10.0.0.1 any -P out ipsec esp/transport//require;
			spdadd 10.0.0.1 10.0.0.2 any -P in ipsec esp/transport//require;
		EOF
	fi
}

ping_both() {
	A ping -c 3 -i 0.2 -W 5 10.0.0.2 >/dev/null || { echo "a -> b failed"; return 1; }
	B ping -c 3 -i 0.2 -W 5 10.0.0.1 >/dev/null || { echo "b -> a failed"; return 1; }
}

listening() { B ss -ltnH "sport = :$1" | grep -q .; }

# 2 MB from a to b over TCP (segments of a full MTU, so GSO and the path
# MTU matter), then the same back; the hashes must match.
tcp_both() {
	head -c 2000000 /dev/urandom > "$T/data"
	local want got
	want=$(sha256sum < "$T/data")
	B python3 "$TOP/tools/testing/netns/tcpsink.py" 10.0.0.2 5001 > "$T/got" &
	local pid=$!
	wait_until 30 listening 5001 ||
		{ kill $pid; echo "sink never listened"; return 1; }
	A python3 "$TOP/tools/testing/netns/tcpsink.py" --send 10.0.0.2 5001 < "$T/data" ||
		{ kill $pid; echo "send a -> b failed"; return 1; }
	wait $pid
	got=$(cat "$T/got")
	[ "$got" = "$want" ] || { echo "a -> b: sha256 $got, want $want"; return 1; }
}

peer_decrypted() {
	local n
	if [ $xfrm_peer = 1 ]; then
		# "N(bytes), M(packets)" under "lifetime current:".
		n=$(B ip -s xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 |
			sed -n 's/.*(bytes), \([0-9]*\)(packets).*/\1/p' | head -1)
	else
		n=$(B "$BITSKEY" -Dj | jq '.[] | select(.spi == 4096) | .packets')
	fi
	[ "${n:-0}" -ge "$1" ] || { echo "peer decrypted ${n:-0} packets of SA 0x1000, want >= $1"; return 1; }
}

k128=0x00112233445566778899aabbccddeeff
k160=0x00112233445566778899aabbccddeeff01020304
k192=0x00112233445566778899aabbccddeeff0011223344556677
k256=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
k288=${k256}01020304
k384=${k256}00112233445566778899aabbccddeeff
k512=${k256}${k256#0x}

# name | bitskey algorithms | ip xfrm algorithms
while IFS='|' read -r name algs xalgs; do
	[ -n "$name" ] || continue
	peer=$([ $xfrm_peer = 1 ] && echo XFRM || echo bitsec)
	# Not in a subshell: setup records the namespaces for cleanup.
	if ! { setup && configure "$algs" "$xalgs"; } > "$T/setup.log" 2>&1; then
		tap 1 "$name: SAs and policies load on both sides"; diag "$(cat "$T/setup.log")"
		continue
	fi
	check "$name: ping both ways with $peer" ping_both
	check "$name: 2 MB over TCP a -> b, SHA-256 intact" tcp_both
	check "$name: the $peer peer decrypted bitsec's packets" peer_decrypted 100
done <<ROWS
aes-cbc-128 hmac-sha1|-E aes-cbc $k128 -A hmac-sha1 $k160|enc cbc(aes) $k128 auth-trunc hmac(sha1) $k160 96
aes-cbc-256 hmac-sha2-256|-E aes-cbc $k256 -A hmac-sha2-256 $k256|enc cbc(aes) $k256 auth-trunc hmac(sha256) $k256 128
aes-gcm-16 128|-E aes-gcm-16 $k160|aead rfc4106(gcm(aes)) $k160 128
chacha20-poly1305|-E chacha20-poly1305 $k288|aead rfc7539esp(chacha20,poly1305) $k288 128
ROWS

# Bad input, with the last suite's SAs in place: each drop is counted under
# its own reason in bs-a's /proc/net/bitsec_stat.
stat() { A awk -v k="$1" '$1 == k { print $2 }' /proc/net/bitsec_stat; }
unprotected() {
	local before
	before=$(stat in_unprotected)
	if [ $xfrm_peer = 1 ]; then B ip xfrm policy flush; else B "$BITSKEY" -FP; fi
	! B ping -c 2 -i 0.2 -W 1 10.0.0.1 >/dev/null || { echo "a answered a cleartext ping"; return 1; }
	[ "$(stat in_unprotected)" -ge $((before + 2)) ] ||
		{ echo "in_unprotected $before -> $(stat in_unprotected)"; return 1; }
}
check "a cleartext ping where the in policy requires ESP is dropped as in_unprotected" unprotected
no_sa() {
	local before
	before=$(stat in_no_sa)
	A "$BITSKEY" -F || return 1
	# Put the peer's policy back: it sends ESP for an SA bs-a no longer has.
	if [ $xfrm_peer = 1 ]; then
		B ip xfrm policy add src 10.0.0.2 dst 10.0.0.1 dir out \
			tmpl proto esp mode transport level required || return 1
	else
		B "$BITSKEY" -c <<< "spdadd 10.0.0.2 10.0.0.1 any -P out ipsec esp/transport//require;" ||
			return 1
	fi
	! B ping -c 2 -i 0.2 -W 1 10.0.0.1 >/dev/null || { echo "ping answered without an SA"; return 1; }
	[ "$(stat in_no_sa)" -ge $((before + 2)) ] ||
		{ echo "in_no_sa $before -> $(stat in_no_sa)"; return 1; }
}
check "ESP for an SPI bs-a does not have is dropped as in_no_sa" no_sa
out_no_sa() {
	local before
	before=$(stat out_no_sa)
	! A ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 || { echo "ping went out without an SA"; return 1; }
	[ "$(stat out_no_sa)" -gt "$before" ] || { echo "out_no_sa stayed $before"; return 1; }
}
check "a packet whose out policy requires an SA that is missing is dropped as out_no_sa" out_no_sa

finish
