# SPDX-License-Identifier: GPL-2.0
# The tutorial's road warrior (sections 5.5, 5.6) in four namespaces, for
# 69-pmtu and the demo; source it after lib.sh.  A server (192.168.10.2)
# sits behind the gateway 192.168.10.1; the client (inner address
# 10.1.1.2, on 192.168.1.2) sits behind a NAT router that masquerades it as
# 172.16.0.2; client and gateway run a tunnel-mode ESP SA pair in UDP 4500
# through the NAT, both with bitsec.

K128=0x00112233445566778899aabbccddeeff
K160=0x00112233445566778899aabbccddeeff01020304
K192=0x00112233445566778899aabbccddeeff0011223344556677

# The namespaces go by name, not by lib.sh's list: 69-pmtu sets them up in
# subshells (check).
gone() { local ns; for ns in srv gw nat cli; do ip netns del bs-$ns 2>/dev/null || true; done; }

S() { ip netns exec bs-srv "$@"; }
G() { ip netns exec bs-gw "$@"; }
N() { ip netns exec bs-nat "$@"; }
C() { ip netns exec bs-cli "$@"; }

# setup ALGS [GW-OUTER-MTU NAT-CLIENT-MTU]: fresh namespaces (no learned
# PMTU anywhere), the links, the NAT, the SAs and policies of both ends.
# RW_NAT is the NAT's statement (default "masquerade", which keeps the
# client's port 4500 when it can); RW_GW_OPTS and RW_CLI_OPTS are added to
# the SAs of the gateway and of the client.
setup() {
	local algs=$1 gmtu=${2:-1500} cmtu=${3:-1500} ns
	gone
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
	G "$BITSKEY" -c <<-EOF || return 1
		add 172.16.0.1 172.16.0.2 esp 0x1001 -m tunnel -natt 4500 4500 $algs ${RW_GW_OPTS:-};
		add 172.16.0.2 172.16.0.1 esp 0x1002 -m tunnel -natt 4500 4500 $algs ${RW_GW_OPTS:-};
		spdadd 192.168.10.0/24 10.1.1.2 any -P out ipsec esp/tunnel/172.16.0.1-172.16.0.2/require;
		spdadd 10.1.1.2 192.168.10.0/24 any -P fwd ipsec esp/tunnel/172.16.0.2-172.16.0.1/require;
	EOF
	C "$BITSKEY" -c <<-EOF || return 1
		add 192.168.1.2 172.16.0.1 esp 0x1002 -m tunnel -natt 4500 4500 $algs ${RW_CLI_OPTS:-};
		add 172.16.0.1 192.168.1.2 esp 0x1001 -m tunnel -natt 4500 4500 $algs ${RW_CLI_OPTS:-};
		spdadd 10.1.1.2 192.168.10.0/24 any -P out ipsec esp/tunnel/192.168.1.2-172.16.0.1/require;
		spdadd 192.168.10.0/24 10.1.1.2 any -P in ipsec esp/tunnel/172.16.0.1-192.168.1.2/require;
	EOF
	# The client speaks first, as its IKE would: the NAT maps 4500.
	C ping -c 1 -W 10 -I 10.1.1.2 192.168.10.2 >/dev/null || { echo "the tunnel does not pass a ping"; return 1; }
}

