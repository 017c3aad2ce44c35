#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The tutorial's NAT-T road warrior (roadwarrior.sh; sections 5.4-5.6) with
# Linux's XFRM (ip xfrm, a UDP_ENCAP_ESPINUDP socket on 4500) at one end and
# bitsec at the other, on the stock kernel.  Either way round: ping and TCP
# between the client's inner address and the server, a ping to the
# gateway's inner address, ESP in UDP on the NAT's outer link from its
# translated address, each end's counters, an IKE datagram reaching the
# gateway's port 4500.  Then the tracepath experiments of 69-pmtu with both
# ends XFRM (the reference: Linux prints the tutorial's numbers too) and
# with each mixed pair.  Nothing runs without XFRM (the debug kernel).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/roadwarrior.sh"
T=$(mktemp -d)
trap 'gone; rm -rf "$T"' EXIT
module_load || exit 1
UDP="python3 $TOP/tools/testing/netns/udpsock.py"
AES="-E aes-cbc $K128 -A hmac-sha1 $K160"
DES="-E 3des-cbc $K192 -A hmac-md5 $K128"
IKE=000000000102030405060708

why=
if [ "$BITSEC_VM_KERNEL" = debug ]; then
	why="the debug kernel has no XFRM"
elif ! modprobe xfrm_user 2>/dev/null || ! modprobe esp4 2>/dev/null; then
	why="no xfrm_user or esp4 in this kernel"
fi
# run DESC COMMAND...: check it, or skip it where XFRM is missing.
run() { if [ -z "$why" ]; then check "$@"; else skip "$1" "$why"; fi; }
name() { if [ "$1" = xfrm ]; then echo XFRM; else echo bitsec; fi; }

up() {
	setup "$@" || return 1
	# What an IKE client installs for its virtual IP (strongSwan's table
	# 220): the client's own connections to the subnet leave from
	# 10.1.1.2, so they go through the tunnel.
	C ip route add 192.168.10.0/24 via 192.168.1.1 src 10.1.1.2
}

# What the NAT's outer link carries while the client pings the server.
enc_out="172.16.0.2.4500 > 172.16.0.1.4500: UDP-encap: ESP(spi=0x00001002,"
enc_back="172.16.0.1.4500 > 172.16.0.2.4500: UDP-encap: ESP(spi=0x00001001,"
both_seen() {
	[ "$(grep -cF "$enc_out" "$T/n0")" -ge 2 ] && [ "$(grep -cF "$enc_back" "$T/n0")" -ge 2 ]
}
wire() {
	: > "$T/n0.err"
	N tcpdump -l -nn -i n0 "udp port 4500 or esp or icmp" > "$T/n0" 2> "$T/n0.err" &
	local cap=$! rc=0
	wait_until 30 grep -q "listening on" "$T/n0.err" || { kill $cap; cat "$T/n0.err"; return 1; }
	C ping -c 2 -i 0.2 -W 5 -I 10.1.1.2 192.168.10.2 > /dev/null || { echo "ping failed"; rc=1; }
	[ $rc = 1 ] || wait_until 30 both_seen || { echo "not 2 ESP-in-UDP packets each way:"; rc=1; }
	kill $cap
	wait $cap 2>/dev/null
	# Nothing in the clear, nothing from the client's own address.
	! grep -Eq "ICMP echo|192\.168\.1\.2" "$T/n0" || { echo "the NAT's outer link shows:"; rc=1; }
	[ $rc = 0 ] || cat "$T/n0"
	return $rc
}

tcp() {	# tcp FROM TO TO-ADDR: 300 kB from bs-FROM to TO-ADDR in bs-TO
	tcp_transfer "bs-$1" "bs-$2" "$3" 300000
}

# packets NS IMPL SRC DST SPI: what that end's inbound SA has taken.
packets() {
	if [ "$2" = xfrm ]; then
		ip -n bs-$1 -s xfrm state get src "$3" dst "$4" proto esp spi "$5" |
			sed -n 's/.*(bytes), \([0-9]*\)(packets).*/\1/p' | head -1
	else
		ip netns exec bs-$1 "$BITSKEY" -Dj | jq ".[] | select(.spi == $(($5))) | .packets"
	fi
}
decrypted() {
	local g c
	g=$(packets gw "$RW_GW_IMPL" 172.16.0.2 172.16.0.1 0x1002)
	c=$(packets cli "$RW_CLI_IMPL" 172.16.0.1 192.168.1.2 0x1001)
	# Both TCP transfers went through each SA: hundreds of packets.
	[ "${g:-0}" -ge 100 ] && [ "${c:-0}" -ge 100 ] ||
		{ echo "the gateway decrypted ${g:-0} packets, the client ${c:-0}"; return 1; }
}

got_ike() { grep -qx "$IKE" "$1" 2>/dev/null; }
ike() {
	local log=$RW_RUN/gw.udp pid='' rc=0
	if [ "$RW_GW_IMPL" != xfrm ]; then
		# bitsec needs no socket of its own; an IKE daemon's is a plain one.
		log=$T/gw-ike
		rm -f "$log" "$log.ready"
		G $UDP listen 172.16.0.1 4500 "$log" > /dev/null 2>&1 &
		pid=$!
		wait_until 30 test -e "$log.ready" || { kill $pid; echo "the socket never bound"; return 1; }
	fi
	# From the client's port 4500, as its IKE daemon sends (an XFRM
	# client's encap socket holds that port too, with SO_REUSEADDR).
	C $UDP send 172.16.0.1 4500 $IKE 4500 &&
		wait_until 30 got_ike "$log" || { echo "the gateway's socket got:"; cat "$log"; rc=1; }
	[ -z "$pid" ] || kill $pid
	return $rc
}

interop() {	# interop GW-IMPL CLI-IMPL
	RW_GW_IMPL=$1 RW_CLI_IMPL=$2
	local t="gateway $(name "$1"), client $(name "$2")"
	run "$t: the AES-CBC + HMAC-SHA-1-96 tunnel through the NAT comes up" up "$AES"
	run "$t: the client (from 10.1.1.2) pings the server" \
		C ping -c 3 -i 0.2 -W 5 -I 10.1.1.2 192.168.10.2
	# XFRM takes what the tunnel brings to the gateway itself only under
	# an in policy (roadwarrior.sh installs one).
	run "$t: the client pings the gateway's own inner address 192.168.10.1" \
		C ping -c 2 -i 0.2 -W 5 -I 10.1.1.2 192.168.10.1
	run "$t: on the NAT's outer link, ESP in UDP from 172.16.0.2.4500 to 172.16.0.1.4500 and back" wire
	run "$t: 300 kB over TCP from the server to the client, SHA-256 intact" tcp srv cli 10.1.1.2
	run "$t: 300 kB over TCP from the client to the server, SHA-256 intact" tcp cli srv 192.168.10.2
	run "$t: each end's inbound SA decrypted the other's packets" decrypted
	run "$t: an IKE datagram (non-ESP marker) reaches the gateway's socket on 4500 unchanged" ike
}
interop xfrm bitsec
interop bitsec xfrm

simple() {	# simple ALGS PMTU
	setup "$1" || return 1
	trace
	hop2_is "2: 192.168.10.1 pmtu $2
2: 10.1.1.2 reached" && has "Resume: pmtu $2 hops 2 back 2"
}
complex() {	# complex HOP2-LINES RESUME-LINE
	setup "$DES" 1300 1000 || return 1
	G tcpdump -l -nn -v -i g1 "udp port 4500 and greater 1200" > "$T/gw.cap" 2> "$T/gw.err" &
	local cap=$!
	wait_until 30 grep -q "listening on" "$T/gw.err" || { kill $cap; return 1; }
	trace
	kill $cap
	wait $cap 2>/dev/null
	hop2_is "$1" && has "$2" || return 1
	grep -q "length 1296)" "$T/gw.cap" || { echo "no 1296-byte ESP packet from the gateway:"; cat "$T/gw.cap"; return 1; }
}
# The gateway learned the NAT's 1000 bytes: XFRM in the route to the NAT
# (the encap socket's PMTU update), bitsec in its SA.
learned() {
	if [ "$RW_GW_IMPL" = xfrm ]; then
		G ip route get 172.16.0.2 | grep -q "mtu 1000" || { G ip route get 172.16.0.2; return 1; }
	else
		G "$BITSKEY" -D | grep -q "pmtu=1000" || { G "$BITSKEY" -D; return 1; }
	fi
}
tracepaths() {	# tracepaths GW-IMPL CLI-IMPL
	RW_GW_IMPL=$1 RW_CLI_IMPL=$2
	local t="gateway $(name "$1"), client $(name "$2")"
	run "$t: AES-CBC + HMAC-SHA-1-96 through the NAT: tracepath reports pmtu 1422" \
		simple "$AES" 1422
	run "$t: 3DES-CBC + HMAC-MD5-96 through the NAT: tracepath reports pmtu 1438" \
		simple "$DES" 1438
	run "$t: gateway link 1300, NAT to client 1000: pmtu 1238 then 942 at hop 2, via a 1296-byte ESP packet" \
		complex "2: 192.168.10.1 pmtu 1238
2: 192.168.10.1 pmtu 942
2: 10.1.1.2 reached" "Resume: pmtu 942 hops 2 back 2"
	run "$t: the gateway learned path MTU 1000 to the NAT from its ICMP" learned
}
# The reference: Linux's own IPsec at both ends.
tracepaths xfrm xfrm
# The gateway is where the ICMPs come from.
tracepaths bitsec xfrm
tracepaths xfrm bitsec
finish
