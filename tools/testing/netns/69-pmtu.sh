#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Path MTU through a NAT-T tunnel: the tutorial's road warrior (section
# 5.6).  A server (192.168.10.2) sits behind the gateway 192.168.10.1; the
# client (inner address 10.1.1.2, on 192.168.1.2) sits behind a NAT router
# that masquerades it as 172.16.0.2; client and gateway run a tunnel-mode
# ESP SA pair in UDP 4500 through the NAT, both with bitsec.  tracepath on
# the server towards the client must print the tutorial's numbers: 1422
# with AES-CBC and HMAC-SHA-1-96, 1438 with 3DES and HMAC-MD5-96 (every
# link 1500), and with 3DES/MD5, the gateway's outer link at 1300 and the
# NAT's link to the client at 1000, 1238 and then 942 at the same hop, the
# second learned by the gateway from the NAT's ICMP about the 1296-byte
# ESP packet it sent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/roadwarrior.sh"
T=$(mktemp -d)
trap 'gone; rm -rf "$T"' EXIT
module_load || exit 1

simple() {
	setup "$1" > "$T/setup" 2>&1 || { cat "$T/setup"; return 1; }
	trace
	hop2_is "2: 192.168.10.1 pmtu $2
2: 10.1.1.2 reached" && has "Resume: pmtu $2 hops 2 back 2"
}
check "AES-CBC + HMAC-SHA-1-96 through the NAT: tracepath reports pmtu 1422" \
	simple "-E aes-cbc $K128 -A hmac-sha1 $K160" 1422
check "3DES-CBC + HMAC-MD5-96 through the NAT: tracepath reports pmtu 1438" \
	simple "-E 3des-cbc $K192 -A hmac-md5 $K128" 1438

gw_esp_len() { grep -q "length $1)" "$T/gw.cap"; }
complex() {
	setup "-E 3des-cbc $K192 -A hmac-md5 $K128" 1300 1000 > "$T/setup" 2>&1 ||
		{ cat "$T/setup"; return 1; }
	G tcpdump -l -nn -v -i g1 "udp port 4500 and greater 1200" > "$T/gw.cap" 2> "$T/gw.err" &
	local cap=$!
	wait_until 30 grep -q "listening on" "$T/gw.err" || { kill $cap; return 1; }
	trace
	kill $cap
	wait $cap 2>/dev/null
	# Exactly the tutorial's lines, in this order.
	hop2_is "2: 192.168.10.1 pmtu 1238
2: 192.168.10.1 pmtu 942
2: 10.1.1.2 reached" && has "Resume: pmtu 942 hops 2 back 2" || return 1
	gw_esp_len 1296 || { echo "no 1296-byte ESP packet from the gateway:"; cat "$T/gw.cap"; return 1; }
}
check "gateway link 1300, NAT to client 1000: pmtu 1238 then 942 at hop 2, via a 1296-byte ESP packet" \
	complex
learned() {
	G "$BITSKEY" -D | grep -q "pmtu=1000" || { G "$BITSKEY" -D; return 1; }
}
check "bitskey -D shows the gateway's SA learned path MTU 1000 from the NAT's ICMP" learned

# TCP through the 1000-byte link with DF: no black hole, segments adapt.
tcp() { tcp_transfer bs-srv bs-cli 10.1.1.2 300000; }
check "300 kB over TCP from the server to the client through the 1000-byte link" tcp
finish
