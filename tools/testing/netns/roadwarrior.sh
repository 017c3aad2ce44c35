# SPDX-License-Identifier: GPL-2.0
# The tutorial's road warrior (sections 5.5, 5.6) in four namespaces, for
# 69-pmtu and the demo; source it after lib.sh.  A server (192.168.10.2)
# sits behind the gateway 192.168.10.1; the client (inner address
# 10.1.1.2, on 192.168.1.2) sits behind a NAT router that masquerades it as
# 172.16.0.2; client and gateway run a tunnel-mode ESP SA pair in UDP 4500
# through the NAT, with bitsec, or either end with Linux's XFRM (67-rwinterop).

K128=0x00112233445566778899aabbccddeeff
K160=0x00112233445566778899aabbccddeeff01020304
K192=0x00112233445566778899aabbccddeeff0011223344556677

# The namespaces go by name, not by lib.sh's list: 69-pmtu sets them up in
# subshells (check).  For the same reason an XFRM end's encap socket, a
# process, leaves its pid (and what it received) in files under RW_RUN.
RW_RUN=${RW_RUN:-${TMPDIR:-/tmp}/bitsec-rw.$$}
gone() {
	local ns
	for ns in srv gw nat cli; do
		if [ -e "$RW_RUN/$ns.pid" ]; then kill "$(cat "$RW_RUN/$ns.pid")" 2>/dev/null || true; fi
		ip netns del bs-$ns 2>/dev/null || true
	done
	rm -rf "$RW_RUN"
}

S() { ip netns exec bs-srv "$@"; }
G() { ip netns exec bs-gw "$@"; }
N() { ip netns exec bs-nat "$@"; }
C() { ip netns exec bs-cli "$@"; }

# tracepath from the server to the client (the caller's $T holds the
# files): its output in $T/tp, and in $T/hop2 the lines of hop 2 without
# their timings ("2: ADDR pmtu N"); has and hop2_is judge them.
trace() {
	S tracepath -n -m 5 10.1.1.2 > "$T/tp" 2>&1
	grep -E "^ *2: " "$T/tp" | sed -E 's/ +[0-9.]+ms//; s/ +/ /g; s/^ //; s/ $//' > "$T/hop2"
}
has() { grep -Eq "$1" "$T/tp" || { echo "tracepath printed no line like /$1/:"; cat "$T/tp"; return 1; }; }
hop2_is() {
	[ "$(cat "$T/hop2")" = "$1" ] || { echo "hop 2 lines:"; cat "$T/hop2"; echo "want:"; echo "$1"; cat "$T/tp"; return 1; }
}

# setup ALGS [GW-OUTER-MTU NAT-CLIENT-MTU]: fresh namespaces (no learned
# PMTU anywhere), the links, the NAT, the SAs and policies of both ends.
# RW_NAT is the NAT's statement (default "masquerade", which keeps the
# client's port 4500 when it can); RW_GW_OPTS and RW_CLI_OPTS (SA options
# before the algorithms, such as -natt-keepalive) are added to
# the SAs of the gateway and of the client.  RW_GW_IMPL and RW_CLI_IMPL
# choose each end's IPsec: bitsec (default) or xfrm (ip xfrm; the caller
# loads xfrm_user and esp4; the *_OPTS do not apply), whose end also gets
# the UDP_ENCAP_ESPINUDP socket on 4500 an IKE daemon would hold, logging
# what reaches it to $RW_RUN/gw.udp or cli.udp.
setup() {
	local algs=$1 gmtu=${2:-1500} cmtu=${3:-1500} ns
	gone
	mkdir -p "$RW_RUN" || return 1
	for ns in srv gw nat cli; do ip netns add bs-$ns || return 1; done
	ip link add s0 netns bs-srv type veth peer name g0 netns bs-gw &&
	ip link add g1 netns bs-gw type veth peer name n0 netns bs-nat &&
	ip link add n1 netns bs-nat type veth peer name c0 netns bs-cli || return 1
	S ip addr add 192.168.10.2/24 dev s0 && G ip addr add 192.168.10.1/24 dev g0 &&
	G ip addr add 172.16.0.1/24 dev g1 && N ip addr add 172.16.0.2/24 dev n0 &&
	N ip addr add 192.168.1.1/24 dev n1 && C ip addr add 192.168.1.2/24 dev c0 &&
	C ip addr add 10.1.1.2/32 dev lo || return 1
	G ip link set g1 mtu "$gmtu" && N ip link set n0 mtu "$gmtu" &&
	N ip link set n1 mtu "$cmtu" && C ip link set c0 mtu "$cmtu" || return 1
	for ns in srv gw nat cli; do
		for l in $(ip -n bs-$ns -o link show | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
			ip -n bs-$ns link set "$l" up
		done
	done
	S ip route add default via 192.168.10.1 &&
	G ip route add 10.1.1.0/24 via 172.16.0.2 &&
	C ip route add default via 192.168.1.1 || return 1
	G sysctl -qw net.ipv4.ip_forward=1 && N sysctl -qw net.ipv4.ip_forward=1 || return 1
	N nft -f - <<-EOF || return 1
		table ip nat {
			chain post { type nat hook postrouting priority srcnat; oifname "n0" ${RW_NAT:-masquerade}; }
		}
	EOF
	case ${RW_GW_IMPL:-bitsec} in
	bitsec) G "$BITSKEY" -c <<-EOF || return 1
		add 172.16.0.1 172.16.0.2 esp 0x1001 -m tunnel -natt 4500 4500 ${RW_GW_OPTS:-} $algs;
		add 172.16.0.2 172.16.0.1 esp 0x1002 -m tunnel -natt 4500 4500 ${RW_GW_OPTS:-} $algs;
		spdadd 192.168.10.0/24 10.1.1.2 any -P out ipsec esp/tunnel/172.16.0.1-172.16.0.2/require;
		spdadd 10.1.1.2 192.168.10.0/24 any -P fwd ipsec esp/tunnel/172.16.0.2-172.16.0.1/require;
		spdadd 10.1.1.2 192.168.10.0/24 any -P in ipsec esp/tunnel/172.16.0.2-172.16.0.1/require;
		EOF
		;;
	# XFRM checks decapsulated packets against fwd when it forwards them
	# and against in when they are for the gateway itself (192.168.10.1 is
	# in the subnet); an IKE daemon installs both.
	xfrm) rw_xfrm gw 172.16.0.1 172.16.0.2 0x1001 0x1002 "$algs" &&
		rw_xfrm_policy gw out 192.168.10.0/24 10.1.1.2/32 172.16.0.1 172.16.0.2 &&
		rw_xfrm_policy gw fwd 10.1.1.2/32 192.168.10.0/24 172.16.0.2 172.16.0.1 &&
		rw_xfrm_policy gw in 10.1.1.2/32 192.168.10.0/24 172.16.0.2 172.16.0.1 || return 1 ;;
	*) echo "RW_GW_IMPL: bitsec or xfrm, not '$RW_GW_IMPL'"; return 1 ;;
	esac
	case ${RW_CLI_IMPL:-bitsec} in
	bitsec) C "$BITSKEY" -c <<-EOF || return 1
		add 192.168.1.2 172.16.0.1 esp 0x1002 -m tunnel -natt 4500 4500 ${RW_CLI_OPTS:-} $algs;
		add 172.16.0.1 192.168.1.2 esp 0x1001 -m tunnel -natt 4500 4500 ${RW_CLI_OPTS:-} $algs;
		spdadd 10.1.1.2 192.168.10.0/24 any -P out ipsec esp/tunnel/192.168.1.2-172.16.0.1/require;
		spdadd 192.168.10.0/24 10.1.1.2 any -P in ipsec esp/tunnel/172.16.0.1-192.168.1.2/require;
		EOF
		;;
	xfrm) rw_xfrm cli 192.168.1.2 172.16.0.1 0x1002 0x1001 "$algs" &&
		rw_xfrm_policy cli out 10.1.1.2/32 192.168.10.0/24 192.168.1.2 172.16.0.1 &&
		rw_xfrm_policy cli in 192.168.10.0/24 10.1.1.2/32 172.16.0.1 192.168.1.2 || return 1 ;;
	*) echo "RW_CLI_IMPL: bitsec or xfrm, not '$RW_CLI_IMPL'"; return 1 ;;
	esac
	# The client speaks first, as its IKE would: the NAT maps 4500.
	C ping -c 1 -W 10 -I 10.1.1.2 192.168.10.2 >/dev/null || { echo "the tunnel does not pass a ping"; return 1; }
}

# ip xfrm's words for bitskey's ALGS ("-E aes-cbc KEY -A hmac-sha1 KEY"),
# for the algorithms the tutorial uses.
rw_xfrm_algs() {
	set -- $1
	while [ $# -gt 0 ]; do
		[ $# -ge 3 ] || { echo "ALGS: '$*' is not FLAG NAME KEY" >&2; return 1; }
		case "$1 $2" in
		"-E aes-cbc") echo "enc cbc(aes) $3" ;;
		"-E 3des-cbc") echo "enc cbc(des3_ede) $3" ;;
		"-A hmac-sha1") echo "auth-trunc hmac(sha1) $3 96" ;;
		"-A hmac-md5") echo "auth-trunc hmac(md5) $3 96" ;;
		*) echo "ALGS: no ip xfrm name for '$1 $2'" >&2; return 1 ;;
		esac
		shift 3
	done
}

# rw_xfrm NS ME PEER SPI-OUT SPI-IN ALGS: an XFRM end's SA pair in UDP 4500,
# and the socket XFRM needs to take ESP in UDP from (started first, so
# nothing arriving finds the port closed).
rw_xfrm() {
	local ns=$1 me=$2 peer=$3 algs
	algs=$(rw_xfrm_algs "$6") || return 1
	ip netns exec bs-$ns python3 "$TOP/tools/testing/netns/udpsock.py" \
		listen 0.0.0.0 4500 "$RW_RUN/$ns.udp" --encap > /dev/null 2>&1 &
	echo $! > "$RW_RUN/$ns.pid"
	wait_until 60 test -e "$RW_RUN/$ns.udp.ready" || { echo "bs-$ns: the encap socket never bound"; return 1; }
	# $algs unquoted: one word each ("cbc(aes)" holds no glob character).
	ip -n bs-$ns xfrm state add src "$me" dst "$peer" proto esp spi "$4" mode tunnel \
		replay-window 32 $algs encap espinudp 4500 4500 0.0.0.0 &&
	ip -n bs-$ns xfrm state add src "$peer" dst "$me" proto esp spi "$5" mode tunnel \
		replay-window 32 $algs encap espinudp 4500 4500 0.0.0.0
}

# rw_xfrm_policy NS DIR SRC DST TUNNEL-SRC TUNNEL-DST
rw_xfrm_policy() {
	ip -n bs-$1 xfrm policy add src "$3" dst "$4" dir "$2" \
		tmpl src "$5" dst "$6" proto esp mode tunnel
}
