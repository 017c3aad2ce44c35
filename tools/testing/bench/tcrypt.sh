#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Inside the stock-kernel VM: the limit every datapath row runs against,
# the raw AEAD speed of one vCPU at ESP-sized (1420-byte) blocks, measured
# by the kernel's own tcrypt module (modes 211: rfc4106(gcm(aes)), 213:
# rfc7539esp(chacha20,poly1305); 1 s per size).  tcrypt always fails its
# load on purpose once done; the figures are in the kernel log.  Prints
# rows: raw,suite,driver (commas as +),direction,Mbit/s.
for m in aesni_intel ghash_clmulni_intel chacha20_x86_64 poly1305_x86_64; do
	modprobe $m 2>/dev/null
done
mark="bitsec tcrypt run $$ $RANDOM"
echo "$mark" > /dev/kmsg
for mode in 211 213; do
	modprobe tcrypt mode=$mode sec=1 2>/dev/null
done
dmesg | sed -n "/$mark/,\$p" | awk '
	/testing speed of/ {
		alg = ""; for (i = 1; i <= NF; i++) if ($i == "of") { alg = $(i + 1); drv = $(i + 2); dir = $(i + 3) }
		sub(/^\(/, "", drv); sub(/\)$/, "", drv)
	}
	/1420 byte blocks/ && (alg == "rfc4106(gcm(aes))" || alg == "rfc7539esp(chacha20,poly1305)") {
		for (i = 1; i <= NF; i++) if ($i == "seconds") { b = $(i + 1); s = $(i - 1) }
		gsub(/[()]/, "", b)
		short = alg ~ /^rfc4106/ ? "aes-gcm-16 128" : "chacha20-poly1305"
		gsub(/,/, "+", drv)
		if (s > 0) printf "raw,%s,%s,%s,%.1f\n", short, drv, dir, b * 8 / s / 1e6
	}'
