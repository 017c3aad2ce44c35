#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# NAT mappings in the tutorial's road warrior (roadwarrior.sh): port
# floating and keepalives (RFC 3948 2.3, 4), bitsec at both ends.  The NAT
# gives the client a random port from a range that is not 4500, so the
# gateway's SAs, which name 172.16.0.2:4500, must follow the first packet.
# With the NAT's UDP timeout cut to 5 s, an idle tunnel keeps its mapping
# only if the client sends keepalives; a lost mapping comes back on the
# client's next packet with a new port (or address), which the gateway
# follows and announces as a mapping event.  The idle periods below are
# the experiment (a NAT timing out), not waits for something to happen.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/roadwarrior.sh"
T=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; gone; rm -rf "$T"' EXIT
module_load || exit 1
UDP="python3 $TOP/tools/testing/netns/udpsock.py"
ALGS="-E aes-cbc $K128 -A hmac-sha1 $K160"
TIMEOUT=5
IDLE=15

gstat() { G awk -v k="$1" '$1 == k { print $2 }' /proc/net/bitsec_stat; }
# The gateway's view of the client: "ADDR[PORT]" of its SA from the client.
gw_peer() {
	G "$BITSKEY" -Dj | jq -r '.[] | select(.spi == 4098) |
		"\(.encap.peer // .src)[\(.encap.sport)]"'
}
gw_out_port() { G "$BITSKEY" -Dj | jq -r '.[] | select(.spi == 4097) | .encap.dport'; }
# Mappings the NAT created for the client's port 4500.
nat_new() { N nft list chain ip mon watch | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
# The NAT: its UDP timeout short, and a count of new mappings.
nat_watch() {
	N sysctl -qw net.netfilter.nf_conntrack_udp_timeout=$TIMEOUT \
		net.netfilter.nf_conntrack_udp_timeout_stream=$TIMEOUT &&
	N nft -f - <<-EOF
		table ip mon {
			chain watch { type filter hook forward priority 0; ct state new udp dport 4500 counter; }
		}
	EOF
}
ping_in() { S ping -c 1 -W "${1:-10}" 10.1.1.2 >/dev/null; }
ping_out() { C ping -c 1 -W 10 -I 10.1.1.2 192.168.10.2 >/dev/null; }

export RW_NAT="meta l4proto udp masquerade to :20000-29999 random" RW_GW_OPTS="-natt-keepalive 0"

# Fresh namespaces: outside the cases, so that a watcher started for them
# is not a child of a case (check waits for a case's output to close).
fresh() { setup "$ALGS" > "$T/setup" 2>&1 || { cat "$T/setup"; return 1; }; }

RW_CLI_OPTS="-natt-keepalive 1" fresh
first() {
	local p
	p=$(gw_peer)
	[[ $p =~ ^172\.16\.0\.2\[2[0-9]{4}\]$ ]] || { echo "gateway's peer: $p"; return 1; }
	[ "172.16.0.2[$(gw_out_port)]" = "$p" ] || { echo "outbound SA port $(gw_out_port), peer $p"; return 1; }
	[ "$(gstat in_natt_mapping)" = 1 ] || { echo "in_natt_mapping $(gstat in_natt_mapping)"; return 1; }
	ping_in || { echo "server to client failed"; return 1; }
}
check "the gateway follows the NAT's port from the first packet (SA in and out, one mapping)" first

kept() {
	local peer ka
	nat_watch || return 1
	ping_out || return 1
	peer=$(gw_peer)
	ka=$(gstat in_natt_keepalive)
	sleep $IDLE
	[ "$(gstat in_natt_keepalive)" -ge $((ka + IDLE / 2)) ] ||
		{ echo "keepalives $ka -> $(gstat in_natt_keepalive) in ${IDLE}s"; return 1; }
	ping_in || { echo "server to client failed after ${IDLE}s idle"; return 1; }
	[ "$(nat_new)" = 0 ] || { echo "the NAT made $(nat_new) new mappings"; return 1; }
	[ "$(gw_peer)" = "$peer" ] || { echo "peer moved: $peer -> $(gw_peer)"; return 1; }
	[ "$(gstat in_natt_mapping)" = 1 ] || { echo "in_natt_mapping $(gstat in_natt_mapping)"; return 1; }
	[ "$(C awk '$1 == "out_natt_keepalive" { print $2 }' /proc/net/bitsec_stat)" -ge $((IDLE / 2)) ]
}
check "1 s keepalives keep the NAT's ${TIMEOUT} s mapping across ${IDLE}s idle: server reaches client" kept

RW_CLI_OPTS="-natt-keepalive 0" fresh
G "$BITSKEY" -x > "$T/events" 2>&1 &
pids+=($!)
# The watcher is subscribed once a policy event reaches it.
subscribed() {
	G "$BITSKEY" -c <<< "spdadd 9.9.9.9 9.9.9.8 any -P out none; spddelete 9.9.9.9 9.9.9.8 any -P out;" >/dev/null
	grep -q spdadd "$T/events"
}
wait_until 60 subscribed || diag "the event watcher never heard a policy event"
lost() {
	local old new
	nat_watch && ping_out || return 1
	old=$(gw_peer)
	sleep $IDLE
	! ping_in 5 || { echo "server reached the client: the mapping survived ${IDLE}s idle"; return 1; }
	[ "$(C awk '$1 == "out_natt_keepalive" { print $2 }' /proc/net/bitsec_stat)" = 0 ] || return 1
	# A new range: the new mapping cannot reuse the old port.
	N nft flush chain ip nat post && N nft add rule ip nat post oifname n0 meta l4proto udp masquerade to :30000-39999 || return 1
	ping_out || { echo "client to server failed"; return 1; }
	# At once, while the NAT's new mapping is fresh.
	ping_in || { echo "server to client failed on the new mapping"; return 1; }
	new=$(gw_peer)
	[[ $new =~ ^172\.16\.0\.2\[3[0-9]{4}\]$ ]] || { echo "peer $old -> $new"; return 1; }
	[ "$(nat_new)" = 1 ] || { echo "the NAT made $(nat_new) new mappings"; return 1; }
	wait_until 30 grep -qxF "mapping $old -> $new:" "$T/events" || { cat "$T/events"; return 1; }
}
check "without keepalives the mapping dies; the next packet's new port moves the gateway (mapping event)" lost

address() {
	local old new
	old=$(gw_peer)
	# The NAT now shows the client as 172.16.0.3 (after the old mapping dies).
	N ip addr add 172.16.0.3/24 dev n0 &&
	N nft flush chain ip nat post && N nft add rule ip nat post oifname n0 meta l4proto udp snat to 172.16.0.3:40000-49999 || return 1
	sleep $IDLE
	ping_out || { echo "client to server failed"; return 1; }
	# The tunnel's outer header follows: the server reaches the client.
	ping_in || { echo "server to client failed at the new address"; return 1; }
	new=$(gw_peer)
	[[ $new =~ ^172\.16\.0\.3\[4[0-9]{4}\]$ ]] || { echo "peer $old -> $new"; return 1; }
	G "$BITSKEY" -D | grep -q "peer=172.16.0.3" || { G "$BITSKEY" -D; return 1; }
	wait_until 30 grep -qxF "mapping $old -> $new:" "$T/events" || { cat "$T/events"; return 1; }
}
check "a new NAT address moves the gateway's tunnel to it (peer= in -D, mapping event)" address

forged() {
	local peer auth
	peer=$(gw_peer)
	auth=$(gstat in_auth_failed)
	# SPI 0x1002 with a sequence number far ahead, from a new port, but no
	# valid ICV: it must not move the gateway.
	N $UDP send 172.16.0.1 4500 "00001002"7fffffff$(printf '%0120d' 0) 5555 || return 1
	wait_until 30 eval '[ "$(gstat in_auth_failed)" = $((auth + 1)) ]' ||
		{ echo "in_auth_failed $auth -> $(gstat in_auth_failed)"; return 1; }
	[ "$(gw_peer)" = "$peer" ] || { echo "peer moved: $peer -> $(gw_peer)"; return 1; }
	ping_out || { echo "the tunnel no longer works"; return 1; }
}
check "a forged packet from a new port fails its ICV and moves nothing (in_auth_failed)" forged

overhead() {
	# AES-CBC + HMAC-SHA-1-96 in UDP, tunnel mode, at 1500: 1422 inside.
	G "$BITSKEY" -Dj | jq -e '.[] | select(.spi == 4097) | .overhead == 78 and .inner_mtu == 1422' >/dev/null &&
		G "$BITSKEY" -D | grep -q "overhead=78 inner_mtu=1422" || { G "$BITSKEY" -D; return 1; }
}
check "bitskey -D shows the outbound SA's overhead (78) and inner MTU (1422)" overhead
finish
