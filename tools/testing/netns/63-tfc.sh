#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Traffic flow confidentiality padding (RFC 4303 2.7): a tunnel-mode ESP SA
# with -tfcpad 1000 pads every inner packet to 1000 bytes, so the wire shows
# one ESP size whatever the payload, but never past what fits the route's
# MTU.  The peer runs XFRM with the same tfcpad on the stock kernel (it must
# strip our padding, and we its), bitsec on the debug kernel.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'netns_cleanup; rm -rf "$T"' EXIT
module_load || exit 1

xfrm_peer=0
if [ "$BITSEC_VM_KERNEL" != debug ] && modprobe xfrm_user 2>/dev/null &&
	modprobe esp4 2>/dev/null; then
	xfrm_peer=1
fi
peer=$([ $xfrm_peer = 1 ] && echo XFRM || echo bitsec)

netns_add bs-a && netns_add bs-b || exit 1
ip link add va netns bs-a type veth peer name vb netns bs-b
ip -n bs-a addr add 10.0.0.1/24 dev va && ip -n bs-b addr add 10.0.0.2/24 dev vb
ip -n bs-a link set va up && ip -n bs-b link set vb up
A() { ip netns exec bs-a "$@"; }
B() { ip netns exec bs-b "$@"; }

K=0x00112233445566778899aabbccddeeff01020304
# refused STATEMENT MESSAGE: bitskey -n (parse only) refuses it, saying so.
refused() {
	local out
	if out=$("$BITSKEY" -n -c <<< "$1" 2>&1); then
		echo "accepted: $1"
		return 1
	fi
	grep -q -- "$2" <<<"$out" || { echo "$out"; return 1; }
}
check "bitskey refuses -tfcpad on a transport-mode SA, saying why" refused \
	"add 10.0.0.1 10.0.0.2 esp 0x3000 -m transport -tfcpad 1000 -E aes-gcm-16 $K;" "needs -m tunnel"
check "bitskey refuses -tfcpad on AH" refused \
	"add 10.0.0.1 10.0.0.2 ah 0x3000 -m tunnel -tfcpad 1000 -A hmac-sha1 $K;" "needs esp"
check "bitskey refuses -tfcpad 65536" refused \
	"add 10.0.0.1 10.0.0.2 esp 0x3000 -m tunnel -tfcpad 65536 -E aes-gcm-16 $K;" "TFC padding length"
# The module checks too: a raw SA_ADD (2) of a transport SA with TFCPAD.
raw_refused() {
	local out
	# BITSEC_A_SA nest: family AF_INET, src, dst, proto 50, SPI 0x3000,
	# mode transport (1), TFCPAD (26) 1000.
	out=$(A $GENL bitsec 2 32773:raw:0600020002000000080003000a000001080004000a00000205000500320000000800060000300000050008000100000008001a00e8030000) ||
		true
	grep -q "TFC padding needs an ESP SA in tunnel mode" <<<"$out" || { echo "$out"; return 1; }
}
check "the module refuses TFCPAD on a transport-mode SA, saying why" raw_refused
raw_too_big() {
	local out
	out=$(A $GENL bitsec 2 32773:raw:0600020002000000080003000a000001080004000a00000205000500320000000800060000300000050008000200000008001a0070110100) || true
	grep -q "^error ERANGE" <<<"$out" || { echo "$out"; return 1; }
}
check "the module refuses TFCPAD 70000 (more than an IPv4 packet holds)" raw_too_big

conf="add 10.0.0.1 10.0.0.2 esp 0x3000 -m tunnel -tfcpad 1000 -E aes-gcm-16 $K;
add 10.0.0.2 10.0.0.1 esp 0x3001 -m tunnel -tfcpad 1000 -E aes-gcm-16 $K;"
check "tunnel SAs with -tfcpad 1000 load" A "$BITSKEY" -c <<EOF
$conf
spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;
EOF
if [ $xfrm_peer = 1 ]; then
	for d in "10.0.0.1 10.0.0.2 0x3000" "10.0.0.2 10.0.0.1 0x3001"; do
		set -- $d
		B ip xfrm state add src "$1" dst "$2" proto esp spi "$3" mode tunnel \
			tfcpad 1000 aead 'rfc4106(gcm(aes))' $K 128
	done
	B ip xfrm policy add src 10.0.0.2 dst 10.0.0.1 dir out tmpl src 10.0.0.2 dst 10.0.0.1 \
		proto esp mode tunnel
	B ip xfrm policy add src 10.0.0.1 dst 10.0.0.2 dir in tmpl src 10.0.0.1 dst 10.0.0.2 \
		proto esp mode tunnel
else
	B "$BITSKEY" -c <<EOF
$conf
spdadd 10.0.0.2 10.0.0.1 any -P out ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;
spdadd 10.0.0.1 10.0.0.2 any -P in ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
EOF
fi

check "bitskey -D shows tfcpad=1000" bash -c "ip netns exec bs-a '$BITSKEY' -D | grep -q 'tfcpad=1000'"
check "bitskey -D --keys --script writes -tfcpad 1000 back" \
	bash -c "ip netns exec bs-a '$BITSKEY' -D --keys --script | grep -q -- '-tfcpad 1000 -E aes-gcm-16'"

# capture N FILTER: the IP lengths of the next N ESP packets on vb.
listening() { grep -q "listening on" "$T/tcpdump.err"; }
capture() {
	: > "$T/tcpdump.err"
	ip netns exec bs-b tcpdump -l -nn -v -c "$1" -i vb "esp and $2" > "$T/tcpdump.out" 2> "$T/tcpdump.err" &
	cap=$!
	wait_until 30 listening || { kill $cap; cat "$T/tcpdump.err"; return 1; }
}
lengths() { wait $cap; sed -n 's/.*proto ESP (50), length \([0-9]*\)).*/\1/p' "$T/tcpdump.out" | sort -u | tr '\n' ' '; }

# A 56-byte ping is an 84-byte inner packet, padded to 1000: outer header
# 20, SPI and sequence number 8, IV 8, 1000 + 2 padded to 1004, ICV 16.
small() {
	capture 4 "host 10.0.0.1" || return 1
	A ping -c 2 -i 0.2 -W 5 10.0.0.2 >/dev/null || { kill $cap; echo "ping failed"; return 1; }
	local l
	l=$(lengths)
	[ "$l" = "1056 " ] || { echo "ESP lengths on the wire: $l, want 1056 both ways"; cat "$T/tcpdump.out"; return 1; }
}
check "a small ping is 1056 bytes of ESP on the wire both ways ($peer pads and strips too)" small

# A newer SA a -> b (SPI 0x3002, which bs-a now prefers) pads to 2000, more
# than the link carries.  A 1400-byte ping is a 1428-byte inner packet: a
# -> b it is padded only to 1446, which with the 54 bytes of overhead fills
# the 1500-byte MTU exactly (no fragments); b -> a, already past 1000, it
# is not padded at all: 1428 + 2 rounded up to 1432, plus 52.
big() {
	A "$BITSKEY" -c <<< "add 10.0.0.1 10.0.0.2 esp 0x3002 -m tunnel -tfcpad 2000 -E aes-gcm-16 $K;" ||
		return 1
	if [ $xfrm_peer = 1 ]; then
		B ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x3002 mode tunnel \
			aead 'rfc4106(gcm(aes))' $K 128 || return 1
	else
		B "$BITSKEY" -c <<< "add 10.0.0.1 10.0.0.2 esp 0x3002 -m tunnel -E aes-gcm-16 $K;" ||
			return 1
	fi
	capture 4 "host 10.0.0.1" || return 1
	A ping -c 2 -i 0.2 -W 5 -M do -s 1400 10.0.0.2 >/dev/null || { kill $cap; echo "ping failed"; return 1; }
	local l
	l=$(lengths)
	[ "$l" = "1484 1500 " ] || { echo "ESP lengths on the wire: $l, want 1500 a -> b and 1484 back"; cat "$T/tcpdump.out"; return 1; }
	grep -q "spi=0x00003002" "$T/tcpdump.out" || { echo "SPI 0x3002 unused"; cat "$T/tcpdump.out"; return 1; }
}
check "with -tfcpad 2000 a 1400-byte ping is padded only up to the MTU: 1500 bytes, not fragmented" big

tcp() { tcp_transfer bs-a bs-b 10.0.0.2 300000; }
check "300 kB over TCP through the padded tunnel, SHA-256 intact" tcp
finish
