#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bitsec as a security gateway: h1 (10.1.0.10) -- gw1 == tunnel == gw2 --
# h2 (10.2.0.10).  gw1 runs bitsec; gw2 runs Linux's XFRM on the stock
# kernel and bitsec on the debug kernel.  Traffic between the two subnets
# is forwarded through an ESP tunnel between 192.0.2.1 and 192.0.2.2; the
# hosts know nothing of IPsec.  gw1's fwd policy admits only what came out
# of the tunnel.
. "$(dirname "$0")/lib.sh"
trap netns_cleanup EXIT
module_load || exit 1
xfrm_peer=0
if [ "$BITSEC_VM_KERNEL" != debug ] && modprobe xfrm_user 2>/dev/null &&
	modprobe esp4 2>/dev/null; then
	xfrm_peer=1
fi
peer=$([ $xfrm_peer = 1 ] && echo XFRM || echo bitsec)

for ns in h1 gw1 gw2 h2; do netns_add bs-$ns || exit 1; done
link() { ip link add "$2" netns "bs-$1" type veth peer name "$4" netns "bs-$3"; }
link h1 eth0 gw1 lan && link gw1 wan gw2 wan && link gw2 lan h2 eth0 || exit 1
addr() { ip -n "bs-$1" addr add "$3" dev "$2" && ip -n "bs-$1" link set "$2" up; }
addr h1 eth0 10.1.0.10/16 && addr gw1 lan 10.1.0.1/16 && addr gw1 wan 192.0.2.1/24 &&
	addr gw2 wan 192.0.2.2/24 && addr gw2 lan 10.2.0.1/16 && addr h2 eth0 10.2.0.10/16 || exit 1
ip -n bs-h1 route add default via 10.1.0.1
ip -n bs-h2 route add default via 10.2.0.1
ip -n bs-gw1 route add 10.2.0.0/16 via 192.0.2.2
ip -n bs-gw2 route add 10.1.0.0/16 via 192.0.2.1
for g in gw1 gw2; do ip netns exec bs-$g sysctl -qw net.ipv4.ip_forward=1; done

K=0x00112233445566778899aabbccddeeff01020304
A=0x00112233445566778899aabbccddeeff0011223344556677
conf() {	# conf ME PEER MYNET PEERNET
	cat <<-EOF
		add 192.0.2.1 192.0.2.2 esp 0x3000 -m tunnel -E aes-cbc ${A:0:34} -A hmac-sha1 $K;
		add 192.0.2.2 192.0.2.1 esp 0x3001 -m tunnel -E aes-cbc ${A:0:34} -A hmac-sha1 $K;
		spdadd $3 $4 any -P out ipsec esp/tunnel/$1-$2/require;
		spdadd $4 $3 any -P in ipsec esp/tunnel/$2-$1/require;
		spdadd $4 $3 any -P fwd ipsec esp/tunnel/$2-$1/require;
	EOF
}
load() {
	conf 192.0.2.1 192.0.2.2 10.1.0.0/16 10.2.0.0/16 | ip netns exec bs-gw1 "$BITSKEY" -c || return 1
	if [ $xfrm_peer = 0 ]; then
		conf 192.0.2.2 192.0.2.1 10.2.0.0/16 10.1.0.0/16 | ip netns exec bs-gw2 "$BITSKEY" -c
		return
	fi
	local g="ip -n bs-gw2 xfrm" s
	for s in 0x3000:192.0.2.1:192.0.2.2 0x3001:192.0.2.2:192.0.2.1; do
		IFS=: read -r spi src dst <<<"$s"
		$g state add src "$src" dst "$dst" proto esp spi "$spi" mode tunnel replay-window 32 \
			enc 'cbc(aes)' "${A:0:34}" auth-trunc 'hmac(sha1)' "$K" 96 || return 1
	done
	$g policy add src 10.2.0.0/16 dst 10.1.0.0/16 dir out \
		tmpl src 192.0.2.2 dst 192.0.2.1 proto esp mode tunnel || return 1
	$g policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir in \
		tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel || return 1
	$g policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir fwd \
		tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel
}
check "gw1 (bitsec) and gw2 ($peer) load the tunnel's SAs and policies" load

check "h1 pings h2 through the tunnel" ip netns exec bs-h1 ping -c 3 -i 0.2 -W 5 10.2.0.10
check "h2 pings h1 through the tunnel" ip netns exec bs-h2 ping -c 3 -i 0.2 -W 5 10.1.0.10

# What crosses gw1's wan side (a capture where bitsec transmits and
# receives; a Linux receiver's capture would also show the packets XFRM
# decrypted, as it re-injects them through the device).
wire() {
	ip netns exec bs-gw1 tcpdump -l -n -i wan -c 4 'icmp or esp' > "$T/wire" 2> "$T/err" &
	local pid=$!
	wait_until 30 grep -q "listening on" "$T/err" || return 1
	ip netns exec bs-h1 ping -c 2 -i 0.2 -W 5 10.2.0.10 >/dev/null || return 1
	wait_until 30 eval '! kill -0 $pid 2>/dev/null' || { kill $pid; return 1; }
	[ "$(grep -c "192.0.2.1 > 192.0.2.2: ESP(spi=0x00003000" "$T/wire")" -eq 2 ] &&
		[ "$(grep -c "192.0.2.2 > 192.0.2.1: ESP(spi=0x00003001" "$T/wire")" -eq 2 ] ||
		{ cat "$T/wire"; return 1; }
}
T=$(mktemp -d)
check "between the gateways every packet is ESP, 0x3000 out and 0x3001 back" wire

tcp() { tcp_transfer bs-h1 bs-h2 10.2.0.10 1000000; }
check "1 MB over TCP from h1 to h2, through both gateways, SHA-256 intact" tcp

fwd_clear() {
	local before
	before=$(ip netns exec bs-gw1 awk '$1 == "in_unprotected" { print $2 }' /proc/net/bitsec_stat)
	# gw2 forgets its policies and forwards h2's packets in the clear.
	if [ $xfrm_peer = 1 ]; then ip -n bs-gw2 xfrm policy flush
	else ip netns exec bs-gw2 "$BITSKEY" -FP; fi
	! ip netns exec bs-h2 ping -c 2 -i 0.2 -W 1 10.1.0.10 >/dev/null ||
		{ echo "gw1 forwarded clear traffic its fwd policy protects"; return 1; }
	[ "$(ip netns exec bs-gw1 awk '$1 == "in_unprotected" { print $2 }' /proc/net/bitsec_stat)" \
		-ge $((before + 2)) ]
}
check "clear traffic from h2's subnet is not forwarded by gw1 (in_unprotected)" fwd_clear

no_policy() {
	local before
	gw1_stat() { ip netns exec bs-gw1 awk '$1 == "in_tunnel_no_policy" { print $2 }' /proc/net/bitsec_stat; }
	before=$(gw1_stat)
	# gw2 tunnels again; gw1 no longer has in and fwd policies for it.
	if [ $xfrm_peer = 1 ]; then
		ip -n bs-gw2 xfrm policy add src 10.2.0.0/16 dst 10.1.0.0/16 dir out \
			tmpl src 192.0.2.2 dst 192.0.2.1 proto esp mode tunnel || return 1
	else
		ip netns exec bs-gw2 "$BITSKEY" -c <<< "spdadd 10.2.0.0/16 10.1.0.0/16 any -P out ipsec esp/tunnel/192.0.2.2-192.0.2.1/require;" || return 1
	fi
	ip netns exec bs-gw1 "$BITSKEY" -c <<-EOF || return 1
		spddelete 10.2.0.0/16 10.1.0.0/16 any -P in;
		spddelete 10.2.0.0/16 10.1.0.0/16 any -P fwd;
	EOF
	! ip netns exec bs-h2 ping -c 2 -i 0.2 -W 1 10.1.0.10 >/dev/null ||
		{ echo "gw1 forwarded a tunnel's packets no policy admits"; return 1; }
	! ip netns exec bs-h2 ping -c 1 -W 1 10.1.0.1 >/dev/null ||
		{ echo "gw1 took a tunnel's packet for itself that no policy admits"; return 1; }
	[ "$(gw1_stat)" -ge $((before + 3)) ] || { echo "in_tunnel_no_policy $before -> $(gw1_stat)"; return 1; }
}
check "out of the tunnel but no in/fwd policy names it: dropped by gw1 (in_tunnel_no_policy)" no_policy
rm -rf "$T"
finish
