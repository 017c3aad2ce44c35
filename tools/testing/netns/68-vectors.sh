#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Known answers: the ESP packets published with RFC 3602 (AES-CBC),
# draft-mcgrew-gcm-test-01 (AES-GCM, in OpenDataPlane's full-packet form)
# and RFC 7634 (ChaCha20-Poly1305), parsed by vectors.py from the files in
# $BITSEC_VECTORS, are sent byte for byte at a namespace holding the SA:
# exactly the inner packet the vector lists must come out (seen by a raw
# socket of its protocol, header and all), counted once in in_packets.
# Unlike 60-interop, where bitsec and its peer could share a mistake, the
# answers here come from elsewhere.  Last, one AEAD packet with a ciphertext
# byte flipped: dropped as in_auth_failed, and nothing comes out.
. "$(dirname "$0")/lib.sh"
trap netns_cleanup EXIT
VEC="python3 $TOP/tools/testing/netns/vectors.py"
export BITSEC_VECTORS=${BITSEC_VECTORS:-$TOP/tools/testing/vectors}
if [ ! -d "$BITSEC_VECTORS" ]; then
	skip "known-answer ESP packets" "no vector files in $BITSEC_VECTORS"
	finish
	exit
fi
module_load || exit 1
T=$(mktemp -d)
trap 'netns_cleanup; rm -rf "$T"' EXIT

S() { ip netns exec bs-tx "$@"; }
R() { ip netns exec bs-rx "$@"; }
stat() { R awk -v k="$1" '$1 == k { print $2 }' /proc/net/bitsec_stat; }

# setup NAME MODE SRC DST SPI ESN ALG KEY: a sender namespace holding the
# outer source address and a receiver holding the outer destination and
# the SA, over a veth pair.  A receiver in tunnel mode also holds the inner
# destination (on lo), so the inner packet is delivered locally.
setup() {
	local name=$1 mode=$2 src=$3 dst=$4 spi=$5 esn=$6 alg=$7 key=$8 len=24 inner isrc pol=""
	netns_cleanup
	netns_add bs-tx && netns_add bs-rx || return 1
	ip link add vtx netns bs-tx type veth peer name vrx netns bs-rx || return 1
	# One /24 holds both ends in every published case; otherwise /32s and a
	# route each way.
	[ "${src%.*}" = "${dst%.*}" ] || len=32
	ip -n bs-tx addr add "$src/$len" dev vtx && ip -n bs-rx addr add "$dst/$len" dev vrx &&
		ip -n bs-tx link set vtx up && ip -n bs-rx link set vrx up &&
		ip -n bs-rx link set lo up || return 1
	if [ $len = 32 ]; then
		ip -n bs-tx route add "$dst/32" dev vtx && ip -n bs-rx route add "$src/32" dev vrx || return 1
	fi
	if [ "$mode" = tunnel ]; then
		inner=$($VEC show "$name" | awk '$1 == "inner_dst" { print $2 }')
		isrc=$($VEC show "$name" | awk '$1 == "inner_src" { print $2 }')
		[ -n "$inner" ] && [ -n "$isrc" ] || return 1
		# What comes out of a tunnel needs a policy that names it.
		pol="spdadd $isrc $inner any -P in ipsec esp/tunnel/$src-$dst/require;"
		if [ "$inner" != "$dst" ]; then
			ip -n bs-rx addr add "$inner/32" dev lo || return 1
		fi
		# Inner sources (198.51.100.5 in RFC 7634) have no route back:
		# reverse-path filtering must not drop them.
		R sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.vrx.rp_filter=0 || return 1
	fi
	# The sender learns the receiver's MAC now, so the injected packet
	# does not wait on ARP.
	S ping -c 1 -W 5 "$dst" >/dev/null || { echo "no ping $src -> $dst"; return 1; }
	local esnopt=""
	[ "$esn" = 1 ] && esnopt=-esn
	# Replay window 0: each case is one packet, whatever its sequence number.
	local sa="add $src $dst esp $spi -m $mode -r 0 $esnopt -E $alg 0x$key;"
	R "$BITSKEY" -c <<< "$sa $pol" || { echo "$sa $pol"; return 1; }
}

# listen NAME TIMEOUT [--absent]: vectors.py expect in the receiver, in the
# background ($pid), its output in $T/expect.out; returns once it listens.
listening() { grep -qx ready "$T/expect.out" || ! kill -0 "$pid" 2>/dev/null; }
listen() {
	ip netns exec bs-rx python3 "$TOP/tools/testing/netns/vectors.py" expect "$@" > "$T/expect.out" 2>&1 &
	pid=$!
	wait_until 30 listening && grep -qx ready "$T/expect.out" && return 0
	kill "$pid" 2>/dev/null
	wait "$pid"
	echo "the listener never got ready:"
	cat "$T/expect.out"
	return 1
}

# deliver NAME: send the case's packet; the listener must see its exact
# inner packet.  On failure, vectors.py's hex diff and the receiver's
# non-zero counters (which say where the packet went).
deliver() {
	local rc
	listen "$1" 30 || return 1
	S $VEC inject "$1" || { kill "$pid"; wait "$pid"; return 1; }
	wait "$pid"
	rc=$?
	[ $rc -eq 0 ] && return 0
	grep -vx ready "$T/expect.out"
	echo "the receiver's non-zero counters:"
	R awk '$2 != 0' /proc/net/bitsec_stat
	return 1
}

# is COUNTER VALUE: the receiver's COUNTER is exactly VALUE.
is() {
	local now
	now=$(stat "$1")
	[ "$now" = "$2" ] || { echo "$1 is $now, want $2"; return 1; }
}

if ! $VEC list > "$T/cases" 2> "$T/skipped"; then
	tap 1 "the vector files parse"
	diag "$(cat "$T/skipped")"
	finish
	exit
fi
# Each entry vectors.py does not use, and why.
diag "$(sed 's/^skip /not used: /' "$T/skipped")"
[ -s "$T/cases" ] || { tap 1 "the vector files hold usable cases"; finish; exit; }

while IFS='|' read -r name mode src dst spi esn alg key; do
	if ! setup "$name" "$mode" "$src" "$dst" "$spi" "$esn" "$alg" "$key" > "$T/setup.log" 2>&1; then
		tap 1 "$name: namespaces and the SA ($alg, $mode) load"
		diag "$(cat "$T/setup.log")"
		continue
	fi
	before=$(stat in_packets)
	check "$name ($alg, $mode, $src -> $dst): the exact inner packet comes out" deliver "$name"
	check "$name: in_packets went up by exactly 1" is in_packets $((before + 1))
done < "$T/cases"

# The negative case: the first AEAD case, its packet with the last
# ciphertext byte of the inner packet flipped.  A receiver that skipped the
# ICV would deliver the inner packet with that byte wrong: the listener
# watches for anything from the inner source to the inner destination.
IFS='|' read -r name mode src dst spi esn alg key < <(awk -F'|' '$7 != "aes-cbc"' "$T/cases" | head -1)
desc="$name with one ciphertext byte flipped"
if [ -z "$name" ]; then
	skip "a flipped ciphertext byte is caught by the ICV" "no AEAD case"
elif ! setup "$name" "$mode" "$src" "$dst" "$spi" "$esn" "$alg" "$key" > "$T/setup.log" 2>&1; then
	tap 1 "$desc: namespaces and the SA ($alg, $mode) load"
	diag "$(cat "$T/setup.log")"
elif ! listen "$name" 120 --absent > "$T/listen.log" 2>&1; then
	tap 1 "$desc: the listener starts"
	diag "$(cat "$T/listen.log")"
else
	auth=$(stat in_auth_failed)
	packets=$(stat in_packets)
	S $VEC inject "$name" --flip
	# Once the drop is counted, the packet is gone: then stop the listener,
	# which has exited 1 already if anything came out.
	wait_until 30 is in_auth_failed $((auth + 1)) > /dev/null
	rc=$?
	tap $rc "$desc: dropped and counted as in_auth_failed"
	[ $rc -eq 0 ] || diag "$(is in_auth_failed $((auth + 1)); R awk '$2 != 0' /proc/net/bitsec_stat)"
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	[ $rc -eq 0 ] && [ "$(stat in_packets)" = "$packets" ]
	tap $? "$desc: no inner packet comes out, in_packets unchanged"
	[ $rc -eq 0 ] || diag "$(grep -vx ready "$T/expect.out")"
fi

finish
