#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Inside the stock-kernel VM: how fast 100,000 SAs (and 100,000 policies)
# load with `bitskey -f` into bitsec and with `ip -batch` into Linux's own
# XFRM, the same entries, in the same boot, each side in a fresh namespace.
# Prints CSV rows: what,count,run,bitsec_s,xfrm_s.
. "$(dirname "$0")/../netns/lib.sh"
N=${BITSEC_BENCH_N:-100000}
RUNS=${BITSEC_BENCH_RUNS:-3}
T=$(mktemp -d)
module_load || exit 1
modprobe xfrm_user 2>/dev/null
modprobe esp4 2>/dev/null

KEY=0x00112233445566778899aabbccddeeff
AKEY=0x00112233445566778899aabbccddeeff00112233
for ((i = 0; i < N; i++)); do
	s="10.$((10 + i / 62500)).$((i / 250 % 250)).$((i % 250 + 1))"
	printf 'add %s 10.9.0.1 esp %d -m transport -E aes-cbc %s -A hmac-sha1 %s;\n' \
		"$s" $((i + 1000)) $KEY $AKEY >&3
	printf 'xfrm state add src %s dst 10.9.0.1 proto esp spi %d mode transport enc cbc(aes) %s auth-trunc hmac(sha1) %s 96\n' \
		"$s" $((i + 1000)) $KEY $AKEY >&4
	h="$((i >> 16)).$((i >> 8 & 255)).$((i & 255))"
	printf 'spdadd 10.%s 11.%s any -P out ipsec esp/transport//require;\n' "$h" "$h" >&5
	printf 'xfrm policy add src 10.%s/32 dst 11.%s/32 dir out tmpl proto esp mode transport level required\n' "$h" "$h" >&6
done 3>"$T/sa.conf" 4>"$T/sa.batch" 5>"$T/sp.conf" 6>"$T/sp.batch"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

for ((r = 1; r <= RUNS; r++)); do
	for what in sa sp; do
		ip netns add bs-bench-a && ip netns add bs-bench-b || exit 1
		t0=$(now)
		ip netns exec bs-bench-a "$BITSKEY" -f "$T/$what.conf" || exit 1
		t1=$(now)
		ip netns exec bs-bench-b ip -batch "$T/$what.batch" || exit 1
		t2=$(now)
		echo "$what,$N,$r,$(elapsed "$t0" "$t1"),$(elapsed "$t1" "$t2")"
		ip netns del bs-bench-a
		ip netns del bs-bench-b
	done
done
rm -rf "$T"
