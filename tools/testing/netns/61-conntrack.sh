#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bitsec behind a stateful firewall, as XFRM is: bs-a accepts only
# established traffic (nftables, input policy drop) and talks ESP in
# transport and tunnel mode to bs-b (XFRM on the stock kernel, bitsec on
# the debug kernel).  bitsec takes packets before conntrack's confirm hook,
# so it must confirm their connections itself, and its ESP packets must
# pass LOCAL_OUT and POST_ROUTING like any local packet: else the replies
# (ESP, then the inner packets) look new and are dropped.  What bs-b starts
# stays refused.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'netns_cleanup; rm -rf "$T"' EXIT
module_load || exit 1

xfrm_peer=0
xfrm_available && xfrm_peer=1
peer=$([ $xfrm_peer = 1 ] && echo XFRM || echo bitsec)

A() { ip netns exec bs-a "$@"; }
B() { ip netns exec bs-b "$@"; }
K=0x00112233445566778899aabbccddeeff01020304

# setup MODE: fresh namespaces, SAs and policies for all traffic, and
# bs-a's firewall.
setup() {
	local mode=$1 ends="" xends=()
	netns_cleanup
	netns_add bs-a && netns_add bs-b || return 1
	ip link add va netns bs-a type veth peer name vb netns bs-b || return 1
	ip -n bs-a addr add 10.0.0.1/24 dev va && ip -n bs-b addr add 10.0.0.2/24 dev vb &&
		ip -n bs-a link set va up && ip -n bs-b link set vb up &&
		ip -n bs-a link set lo up && ip -n bs-b link set lo up || return 1
	if [ "$mode" = tunnel ]; then
		ends=10.0.0.1-10.0.0.2
		xends=(src 10.0.0.2 dst 10.0.0.1)
	fi
	local conf="add 10.0.0.1 10.0.0.2 esp 0x5000 -m $mode -E aes-gcm-16 $K;
add 10.0.0.2 10.0.0.1 esp 0x5001 -m $mode -E aes-gcm-16 $K;"
	A "$BITSKEY" -c <<-EOF || return 1
		$conf
		spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/$mode/$ends/require;
		spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/$mode/${ends:+10.0.0.2-10.0.0.1}/require;
	EOF
	if [ $xfrm_peer = 1 ]; then
		B ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x5000 mode "$mode" \
			aead 'rfc4106(gcm(aes))' $K 128 &&
		B ip xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x5001 mode "$mode" \
			aead 'rfc4106(gcm(aes))' $K 128 &&
		B ip xfrm policy add src 10.0.0.2 dst 10.0.0.1 dir out \
			tmpl "${xends[@]}" proto esp mode "$mode" &&
		B ip xfrm policy add src 10.0.0.1 dst 10.0.0.2 dir in \
			tmpl ${xends:+src 10.0.0.1 dst 10.0.0.2} proto esp mode "$mode" || return 1
	else
		B "$BITSKEY" -c <<-EOF || return 1
			$conf
			spdadd 10.0.0.2 10.0.0.1 any -P out ipsec esp/$mode/${ends:+10.0.0.2-10.0.0.1}/require;
			spdadd 10.0.0.1 10.0.0.2 any -P in ipsec esp/$mode/$ends/require;
		EOF
	fi
	# Established only, counting what is refused; ESP out counted too.
	A nft -f - <<-EOF
		table inet fw {
			chain in {
				type filter hook input priority -10; policy drop;
				ct state established,related accept
				iif lo accept
				counter
			}
			chain out {
				type filter hook output priority 0;
				meta l4proto esp counter
			}
		}
	EOF
}

refused() { A nft list chain inet fw in | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'; }
esp_out() { A nft list chain inet fw out | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'; }

outgoing() {
	A ping -c 3 -i 0.2 -W 5 10.0.0.2 >/dev/null || { echo "ping refused: $(refused) dropped"; return 1; }
	[ "$(refused)" = 0 ] || { echo "the firewall dropped $(refused)"; return 1; }
	# The ESP packets went through OUTPUT, where a ruleset sees them.
	[ "$(esp_out)" -ge 3 ] || { echo "OUTPUT saw $(esp_out) ESP packets"; return 1; }
}

tcp() { tcp_transfer bs-a bs-b 10.0.0.2 300000; }

incoming() {
	local before
	before=$(refused)
	! B ping -c 2 -i 0.2 -W 1 10.0.0.1 >/dev/null || { echo "a ping from bs-b got through"; return 1; }
	[ "$(refused)" -ge $((before + 2)) ] || { echo "refused $before -> $(refused)"; return 1; }
}

# conntrack's own table (the stock kernel's procfs view; the debug kernel
# has none): the ESP flow (protocol 50, "unknown" to conntrack) and the
# ICMP inside it, both confirmed.
table() {
	A grep -Eq "^ipv4 +2 unknown +50 .*src=10\.0\.0\.1 dst=10\.0\.0\.2 " /proc/net/nf_conntrack &&
		A grep -Eq "^ipv4 +2 icmp +1 .*src=10\.0\.0\.1 dst=10\.0\.0\.2 " /proc/net/nf_conntrack ||
		{ A cat /proc/net/nf_conntrack; return 1; }
}

for mode in transport tunnel; do
	if ! setup $mode > "$T/setup" 2>&1; then
		cat "$T/setup"
		tap 1 "$mode: bs-a (bitsec, stateful firewall) and bs-b ($peer) set up"
		continue
	fi
	check "$mode: bs-a pings bs-b through its established-only firewall; OUTPUT sees the ESP" outgoing
	check "$mode: 300 kB over TCP from bs-a, SHA-256 intact" tcp
	check "$mode: bs-b's pings to bs-a stay refused (new, not established)" incoming
	if [ -r /proc/net/nf_conntrack ]; then
		check "$mode: conntrack holds the ESP flow and the ICMP inside it" table
	else
		skip "$mode: conntrack's table" "no /proc/net/nf_conntrack in this kernel"
	fi
done
finish
