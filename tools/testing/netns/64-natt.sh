#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# NAT-T (RFC 3948): tunnel-mode ESP in UDP on port 4500 between bs-a
# (bitsec) and bs-b (Linux's XFRM with `encap espinudp` and a
# UDP_ENCAP_ESPINUDP socket, as an IKE daemon sets it up, on the stock
# kernel; bitsec on the debug kernel).  Ping, TCP and the peer's counters;
# then what else reaches bs-a's port 4500: IKE datagrams (non-ESP marker)
# go to the listening socket unchanged, a 0xff keepalive is consumed,
# ESP-in-UDP for an unknown SPI is dropped, and plain ESP for the
# encapsulating SA is refused.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; netns_cleanup; rm -rf "$T"' EXIT
module_load || exit 1
UDP="python3 $TOP/tools/testing/netns/udpsock.py"

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
ip -n bs-a link set lo up && ip -n bs-b link set lo up
A() { ip netns exec bs-a "$@"; }
B() { ip netns exec bs-b "$@"; }
K=0x00112233445566778899aabbccddeeff01020304

conf="add 10.0.0.1 10.0.0.2 esp-udp 0x4000 -m tunnel -E aes-gcm-16 $K;
add 10.0.0.2 10.0.0.1 esp 0x4001 -m tunnel -natt 4500 4500 -E aes-gcm-16 $K;"
check "esp-udp and -natt tunnel SAs load" A "$BITSKEY" -c <<EOF
$conf
spdadd 10.0.0.1 10.0.0.2 icmp -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
spdadd 10.0.0.1 10.0.0.2 tcp -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
spdadd 10.0.0.2 10.0.0.1 icmp -P in ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;
spdadd 10.0.0.2 10.0.0.1 tcp -P in ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;
EOF
check "bitskey -D shows both SAs as esp-udp on 4500" \
	bash -c "[ \$(ip netns exec bs-a '$BITSKEY' -D | grep -c '^10.0.0.[12]\[4500\] 10.0.0.[12]\[4500\]') = 2 ]"

# The module's own checks of the ENCAP nest: a raw SA_ADD (2) of a tunnel
# SA with ports 4500 and KEEPALIVE 3601 (more than an hour), then with the
# reply-only PEER.
GENL_SA=0600020002000000080003000a000001080004000a000002050005003200000008000600003000000500080002000000
raw_keepalive() {
	local out
	out=$(A $GENL bitsec 2 32773:raw:${GENL_SA}1c0012800600010094110000060002009411000008000300110e0000) || true
	grep -q "^error ERANGE" <<<"$out" || { echo "$out"; return 1; }
}
check "the module refuses a NAT keepalive of 3601 s (ERANGE)" raw_keepalive
raw_peer() {
	local out
	out=$(A $GENL bitsec 2 32773:raw:${GENL_SA}1c00128006000100941100000600020094110000080004000a000009) || true
	grep -q "BITSEC_A_ENCAP_PEER is reply-only" <<<"$out" || { echo "$out"; return 1; }
}
check "the module refuses ENCAP_PEER in a request (reply-only)" raw_peer

# The peer: XFRM's SAs want a socket with UDP_ENCAP_ESPINUDP on 4500.
ready() { [ -e "$1.ready" ]; }
if [ $xfrm_peer = 1 ]; then
	ip netns exec bs-b $UDP listen 0.0.0.0 4500 "$T/b-ike" --encap &
	pids+=($!)
	wait_until 30 ready "$T/b-ike" || echo "# the peer's encap socket never bound"
	for d in "10.0.0.1 10.0.0.2 0x4000" "10.0.0.2 10.0.0.1 0x4001"; do
		set -- $d
		B ip xfrm state add src "$1" dst "$2" proto esp spi "$3" mode tunnel \
			aead 'rfc4106(gcm(aes))' $K 128 encap espinudp 4500 4500 0.0.0.0
	done
	for p in icmp tcp; do
		B ip xfrm policy add src 10.0.0.2 dst 10.0.0.1 proto $p dir out \
			tmpl src 10.0.0.2 dst 10.0.0.1 proto esp mode tunnel
		B ip xfrm policy add src 10.0.0.1 dst 10.0.0.2 proto $p dir in \
			tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode tunnel
	done
else
	B "$BITSKEY" -c <<EOF
$conf
spdadd 10.0.0.2 10.0.0.1 icmp -P out ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;
spdadd 10.0.0.2 10.0.0.1 tcp -P out ipsec esp/tunnel/10.0.0.2-10.0.0.1/require;
spdadd 10.0.0.1 10.0.0.2 icmp -P in ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
spdadd 10.0.0.1 10.0.0.2 tcp -P in ipsec esp/tunnel/10.0.0.1-10.0.0.2/require;
EOF
fi

listening() { grep -q "listening on" "$T/tcpdump.err"; }
wire() {
	: > "$T/tcpdump.err"
	ip netns exec bs-b tcpdump -l -nn -c 4 -i vb "udp port 4500" > "$T/tcpdump.out" 2> "$T/tcpdump.err" &
	local cap=$!
	wait_until 30 listening || { kill $cap; cat "$T/tcpdump.err"; return 1; }
	A ping -c 2 -i 0.2 -W 5 10.0.0.2 >/dev/null || { kill $cap; echo "ping failed"; return 1; }
	wait $cap
	[ "$(grep -c "10.0.0.1.4500 > 10.0.0.2.4500: UDP-encap: ESP(spi=0x00004000" "$T/tcpdump.out")" = 2 ] &&
		[ "$(grep -c "10.0.0.2.4500 > 10.0.0.1.4500: UDP-encap: ESP(spi=0x00004001" "$T/tcpdump.out")" = 2 ] ||
		{ cat "$T/tcpdump.out"; return 1; }
}
check "a ping both ways is ESP in UDP 4500 -> 4500 on the wire ($peer peer)" wire

tcp() { tcp_transfer bs-a bs-b 10.0.0.2 500000; }
check "500 kB over TCP through the NAT-T tunnel, SHA-256 intact" tcp

decrypted() {
	local n
	if [ $xfrm_peer = 1 ]; then
		n=$(B ip -s xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x4000 |
			sed -n 's/.*(bytes), \([0-9]*\)(packets).*/\1/p' | head -1)
	else
		n=$(B "$BITSKEY" -Dj | jq '.[] | select(.spi == 16384) | .packets')
	fi
	[ "${n:-0}" -ge 100 ] || { echo "the peer decrypted ${n:-0} packets"; return 1; }
}
check "the $peer peer decrypted bitsec's ESP-in-UDP" decrypted

# What else comes to bs-a's port 4500, where an IKE daemon would listen.
ip netns exec bs-a $UDP listen 10.0.0.1 4500 "$T/a-ike" &
pids+=($!)
wait_until 30 ready "$T/a-ike" || echo "# bs-a's socket never bound"
stat() { A awk -v k="$1" '$1 == k { print $2 }' /proc/net/bitsec_stat; }
got_line() { grep -qx "$1" "$T/a-ike" 2>/dev/null; }
ike() {
	B $UDP send 10.0.0.1 4500 000000000102030405060708 || return 1
	wait_until 30 got_line 000000000102030405060708 || { cat "$T/a-ike"; return 1; }
}
check "an IKE datagram (non-ESP marker) reaches the socket on 4500 unchanged" ike
keepalive() {
	local before
	before=$(stat in_natt_keepalive)
	B $UDP send 10.0.0.1 4500 ff || return 1
	# A marker datagram sent after it shows the socket has had its chance.
	B $UDP send 10.0.0.1 4500 00000000aa || return 1
	wait_until 30 got_line 00000000aa || return 1
	! grep -qx ff "$T/a-ike" || { echo "the keepalive reached the socket"; return 1; }
	[ "$(stat in_natt_keepalive)" = $((before + 1)) ] || { echo "in_natt_keepalive $before -> $(stat in_natt_keepalive)"; return 1; }
}
check "a one-byte 0xff keepalive is consumed (in_natt_keepalive), not delivered" keepalive
no_sa() {
	local before
	before=$(stat in_no_sa)
	B $UDP send 10.0.0.1 4500 0000777700000001000000000000000000000000000000000000 || return 1
	wait_until 30 eval '[ "$(stat in_no_sa)" = $((before + 1)) ]' || { echo "in_no_sa $before -> $(stat in_no_sa)"; return 1; }
	! grep -q "^00007777" "$T/a-ike" || { echo "reached the socket"; return 1; }
}
check "ESP in UDP for an SPI bs-a does not have: in_no_sa, not delivered" no_sa
plain() {
	local before
	before=$(stat in_selector_mismatch)
	# SPI 0x4001, sequence 1, then junk: plain ESP (protocol 50) for an
	# SA that only takes ESP in UDP.
	B python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 50)
s.sendto(bytes.fromhex("0000400100000001") + bytes(40), ("10.0.0.1", 0))' || return 1
	wait_until 30 eval '[ "$(stat in_selector_mismatch)" = $((before + 1)) ]' ||
		{ echo "in_selector_mismatch $before -> $(stat in_selector_mismatch)"; return 1; }
}
check "plain ESP for an encapsulating SA is refused (in_selector_mismatch)" plain
other_port() {
	local before
	before=$(stat in_auth_failed)
	# The same SPI in UDP from port 5000 with a sequence number ahead of
	# the window but no valid ICV: judged by its ICV (port floating waits
	# for it), dropped, and the SA's peer port stays 4500.
	B $UDP send 10.0.0.1 4500 "000040017fffffff$(printf '%0120d' 0)" 5000 || return 1
	wait_until 30 eval '[ "$(stat in_auth_failed)" = $((before + 1)) ]' ||
		{ echo "in_auth_failed $before -> $(stat in_auth_failed)"; return 1; }
	[ "$(A "$BITSKEY" -Dj | jq '.[] | select(.spi == 16385) | .encap.sport')" = 4500 ] ||
		{ A "$BITSKEY" -D; return 1; }
}
check "ESP in UDP from another source port with a bad ICV: in_auth_failed, the peer stays on 4500" other_port
short_icmp() {
	local before
	before=$(stat in_pmtu_learned)
	# ICMP "fragmentation needed" quoting a header cut short, and one
	# quoting ESP in UDP that no SA of bs-a sent: nothing is learned.
	B python3 -c '
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
def csum(b):
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xffff)
    return ~(t + (t >> 16)) & 0xffff
def icmp(quoted):
    h = struct.pack("!BBHHH", 3, 4, 0, 0, 600) + quoted
    return h[:2] + struct.pack("!H", csum(h)) + h[4:]
ip = bytes.fromhex("45000064000040004011") + b"\0\0" + socket.inet_aton("10.0.0.1") + socket.inet_aton("10.0.0.2")
s.sendto(icmp(ip[:12]), ("10.0.0.1", 0))
s.sendto(icmp(ip + struct.pack("!HH", 4500, 4999)), ("10.0.0.1", 0))' || return 1
	# A ping afterwards shows both were handled; still nothing learned.
	A ping -c 1 -W 5 10.0.0.2 >/dev/null || return 1
	[ "$(stat in_pmtu_learned)" = "$before" ] || { echo "in_pmtu_learned moved"; return 1; }
	! A "$BITSKEY" -D | grep -q "pmtu=" || { A "$BITSKEY" -D; return 1; }
}
check "ICMPs quoting a cut header or another UDP flow teach no SA a path MTU" short_icmp

# Port floating against XFRM: the peer's SA now sends from port 5000 (ip
# xfrm state update keeps its sequence numbers), as if a NAT had moved it.
floated() {
	local moved
	moved=$(stat in_natt_mapping)
	wait_until 30 ready "$T/b-5000" || { echo "no encap socket on 5000"; return 1; }
	B ip xfrm state update src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x4001 mode tunnel \
		aead 'rfc4106(gcm(aes))' $K 128 encap espinudp 5000 4500 0.0.0.0 || return 1
	B ping -c 1 -W 10 10.0.0.1 >/dev/null || { echo "ping from the peer failed"; return 1; }
	[ "$(stat in_natt_mapping)" = $((moved + 1)) ] || { echo "in_natt_mapping $moved -> $(stat in_natt_mapping)"; return 1; }
	A "$BITSKEY" -D | grep -q "^10.0.0.2\[5000\] 10.0.0.1\[4500\]" &&
		A "$BITSKEY" -D | grep -q "^10.0.0.1\[4500\] 10.0.0.2\[5000\]" || { A "$BITSKEY" -D; return 1; }
	# bs-a's replies and its own packets now go to 5000.
	A ping -c 1 -W 10 10.0.0.2 >/dev/null
}
if [ $xfrm_peer = 1 ]; then
	# Started here, not in the case: check waits for its output to close.
	ip netns exec bs-b $UDP listen 0.0.0.0 5000 "$T/b-5000" --encap &
	pids+=($!)
	check "the XFRM peer's SA moves to port 5000: bs-a follows it both ways (port floating)" floated
else
	skip "port floating against XFRM" "needs Linux's XFRM (stock kernel); 64-natmap covers bitsec"
fi
finish
