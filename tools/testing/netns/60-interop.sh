#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ESP and AH, transport and tunnel mode and bundled, between two namespaces
# over a veth pair: bs-a runs bitsec; its peer bs-b runs Linux's own IPsec
# (XFRM, configured with `ip xfrm`) on the stock kernel, and bitsec on the
# debug kernel, which has no XFRM.  For every case: ping both ways, a TCP
# transfer whose SHA-256 must match, and the peer's own counters showing
# it decrypted our packets: against XFRM, proof that what bitsec sends is
# standard ESP and AH.
. "$(dirname "$0")/lib.sh"
trap netns_cleanup EXIT
module_load || exit 1
T=$(mktemp -d)
trap 'netns_cleanup; rm -rf "$T"' EXIT

xfrm_peer=0
if [ "$BITSEC_VM_KERNEL" != debug ] && modprobe xfrm_user 2>/dev/null &&
	modprobe esp4 2>/dev/null; then
	xfrm_peer=1
fi

# BITSEC_ASYNC=1 (88-async.sh): every SA bitsec creates runs its crypto
# through cryptd, which completes each request later from a worker, so the
# datapath's asynchronous continuations carry all the traffic.
if [ -n "${BITSEC_ASYNC:-}" ]; then
	echo 1 > /sys/module/bitsec/parameters/force_async || exit 1
	trap 'echo 0 > /sys/module/bitsec/parameters/force_async; netns_cleanup; rm -rf "$T"' EXIT
fi

setup() {
	netns_cleanup
	netns_add bs-a && netns_add bs-b || return 1
	ip link add va netns bs-a type veth peer name vb netns bs-b || return 1
	ip -n bs-a addr add 10.0.0.1/24 dev va && ip -n bs-b addr add 10.0.0.2/24 dev vb &&
		ip -n bs-a link set va up && ip -n bs-b link set vb up &&
		ip -n bs-a link set lo up && ip -n bs-b link set lo up
}

A() { ip netns exec bs-a "$@"; }
B() { ip netns exec bs-b "$@"; }

# The SAs of one case: "PROTO MODE BITSKEY-ALGS|XFRM-ALGS" per SA pair, the
# innermost first; the SPIs are 0x1000 + 0x100 * i (a -> b) and that + 1
# (b -> a).  Each side's policies ask for them in that order.
sa_list=()
configure() {
	local i proto mode algs xalgs spi conf="" tmpl="" xtmpl=() ends xends=()
	for i in "${!sa_list[@]}"; do
		read -r proto mode algs <<<"${sa_list[$i]%%|*}"
		algs=${sa_list[$i]#* * }
		algs=${algs%%|*}
		xalgs=${sa_list[$i]#*|}
		spi=$((0x1000 + 0x100 * i))
		conf+="add 10.0.0.1 10.0.0.2 $proto $spi -m $mode $algs;
add 10.0.0.2 10.0.0.1 $proto $((spi + 1)) -m $mode $algs;
"
		ends=""
		xends=()
		if [ "$mode" = tunnel ]; then
			ends=SRC-DST
			xends=(src SRC dst DST)
		fi
		tmpl+=" $proto/$mode/$ends/require"
		xtmpl+=(tmpl "${xends[@]}" proto "$proto" mode "$mode" level required)
		if [ $xfrm_peer = 1 ]; then
			# Words, with EMPTY for an empty key (cipher_null's).
			local xa=() w
			for w in $xalgs; do [ "$w" = EMPTY ] && xa+=("") || xa+=("$w"); done
			B ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto "$proto" spi $spi \
				mode "$mode" replay-window 32 "${xa[@]}" || return 1
			B ip xfrm state add src 10.0.0.2 dst 10.0.0.1 proto "$proto" spi $((spi + 1)) \
				mode "$mode" replay-window 32 "${xa[@]}" || return 1
		fi
	done
	# Policies: out on a is a -> b, its in is b -> a; the mirror on b.
	pol() { sed "s/SRC/$1/g; s/DST/$2/g" <<<"$tmpl"; }
	A "$BITSKEY" -c <<-EOF || return 1
		$conf
		spdadd 10.0.0.1 10.0.0.2 any -P out ipsec$(pol 10.0.0.1 10.0.0.2);
		spdadd 10.0.0.2 10.0.0.1 any -P in ipsec$(pol 10.0.0.2 10.0.0.1);
	EOF
	if [ $xfrm_peer = 1 ]; then
		xpol() { local a; for a in "${xtmpl[@]}"; do a=${a/SRC/$1}; echo "${a/DST/$2}"; done; }
		# shellcheck disable=SC2046
		B ip xfrm policy add src 10.0.0.2 dst 10.0.0.1 dir out \
			$(xpol 10.0.0.2 10.0.0.1) || return 1
		# shellcheck disable=SC2046
		B ip xfrm policy add src 10.0.0.1 dst 10.0.0.2 dir in \
			$(xpol 10.0.0.1 10.0.0.2) || return 1
	else
		B "$BITSKEY" -c <<-EOF || return 1
			$conf
			spdadd 10.0.0.2 10.0.0.1 any -P out ipsec$(pol 10.0.0.2 10.0.0.1);
			spdadd 10.0.0.1 10.0.0.2 any -P in ipsec$(pol 10.0.0.1 10.0.0.2);
		EOF
	fi
}

ping_both() {
	A ping -c 3 -i 0.2 -W 5 10.0.0.2 >/dev/null || { echo "a -> b failed"; return 1; }
	B ping -c 3 -i 0.2 -W 5 10.0.0.1 >/dev/null || { echo "b -> a failed"; return 1; }
}

tcp_bytes=2000000
[ "$BITSEC_VM_KERNEL" = debug ] && tcp_bytes=500000
listening() { B ss -ltnH "sport = :$1" | grep -q .; }

# 2 MB (or 500 kB) from a to b over TCP (segments of a full MTU, so GSO and the path
# MTU matter), then the same back; the hashes must match.
tcp_both() {
	# KASAN makes the debug kernel slow: a quarter of it there.
	head -c "$tcp_bytes" /dev/urandom > "$T/data"
	local want got
	want=$(sha256sum < "$T/data")
	B python3 "$TOP/tools/testing/netns/tcpsink.py" 10.0.0.2 5001 > "$T/got" &
	local pid=$!
	wait_until 30 listening 5001 ||
		{ kill $pid; echo "sink never listened"; return 1; }
	A python3 "$TOP/tools/testing/netns/tcpsink.py" --send 10.0.0.2 5001 < "$T/data" ||
		{ kill $pid; echo "send a -> b failed"; return 1; }
	wait $pid
	got=$(cat "$T/got")
	[ "$got" = "$want" ] || { echo "a -> b: sha256 $got, want $want"; return 1; }
}

# Every SA a -> b decrypted at least $1 packets at the peer.
peer_decrypted() {
	local i proto spi n
	for i in "${!sa_list[@]}"; do
		read -r proto _ <<<"${sa_list[$i]}"
		spi=$((0x1000 + 0x100 * i))
		if [ $xfrm_peer = 1 ]; then
			# "N(bytes), M(packets)" under "lifetime current:".
			n=$(B ip -s xfrm state get src 10.0.0.1 dst 10.0.0.2 proto "$proto" spi $spi |
				sed -n 's/.*(bytes), \([0-9]*\)(packets).*/\1/p' | head -1)
		else
			n=$(B "$BITSKEY" -Dj | jq --argjson s $spi '.[] | select(.spi == $s) | .packets')
		fi
		[ "${n:-0}" -ge "$1" ] ||
			{ printf 'peer decrypted %s packets of %s SA 0x%x, want >= %s\n' "${n:-0}" "$proto" $spi "$1"; return 1; }
	done
}

# The SAs' transforms are cryptd instances (an async driver).
async_tfms() {
	grep -A10 "^driver *: .*cryptd(" /proc/crypto | grep -q "^async *: yes" ||
		{ echo "/proc/crypto has no async cryptd instance"; return 1; }
}

# The ESN cases start XFRM's outbound count just below 2^32: its ACKs to
# bitsec's TCP transfer cross it, so bitsec must infer the high half.
crossed() {
	local proto out
	read -r proto _ <<<"${sa_list[0]}"
	out=$(B ip xfrm state get src 10.0.0.2 dst 10.0.0.1 proto "$proto" spi 0x1001)
	grep -q "oseq-hi 0x[1-9]" <<<"$out" || { echo "$out"; return 1; }
}

k64=0x0011223344556677
k128=0x00112233445566778899aabbccddeeff
k160=0x00112233445566778899aabbccddeeff01020304
k192=0x00112233445566778899aabbccddeeff0011223344556677
k224=${k192}01020304
k256=0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
k288=${k256}01020304
k384=${k256}00112233445566778899aabbccddeeff
k512=${k256}${k256#0x}

# name | SAs, innermost first, ";"-separated: PROTO MODE BITSKEY-ALGS|XFRM-ALGS
while IFS='|' read -r name sas; do
	[ -n "$name" ] || continue
	# BITSEC_ONLY=REGEX runs the cases whose name matches (for debugging).
	[[ $name =~ ${BITSEC_ONLY:-.} ]] || continue
	IFS=';' read -ra sa_list <<<"$sas"
	peer=$([ $xfrm_peer = 1 ] && echo XFRM || echo bitsec)
	# Not in a subshell: setup records the namespaces for cleanup.
	if ! { setup && configure; } > "$T/setup.log" 2>&1; then
		tap 1 "$name: SAs and policies load on both sides"; diag "$(cat "$T/setup.log")"
		continue
	fi
	check "$name: ping both ways with $peer" ping_both
	check "$name: $((tcp_bytes / 1000)) kB over TCP a -> b, SHA-256 intact" tcp_both
	check "$name: the $peer peer decrypted bitsec's packets" peer_decrypted 100
	if [ -n "${BITSEC_ASYNC:-}" ]; then
		check "$name: bitsec's transforms are cryptd's (asynchronous)" async_tfms
	fi
	if [[ $name == *"past 2^32"* && $xfrm_peer = 1 ]]; then
		check "$name: XFRM's sequence numbers to bitsec did pass 2^32" crossed
	fi
done <<ROWS
esp transport aes-cbc-128 hmac-sha1|esp transport -E aes-cbc $k128 -A hmac-sha1 $k160|enc cbc(aes) $k128 auth-trunc hmac(sha1) $k160 96
esp transport aes-cbc-192 hmac-sha2-384|esp transport -E aes-cbc $k192 -A hmac-sha2-384 $k384|enc cbc(aes) $k192 auth-trunc hmac(sha384) $k384 192
esp tunnel aes-cbc-256 hmac-sha2-512|esp tunnel -E aes-cbc $k256 -A hmac-sha2-512 $k512|enc cbc(aes) $k256 auth-trunc hmac(sha512) $k512 256
esp transport aes-cbc-192 alone (the tutorial's SA)|esp transport -E aes-cbc "123456789012123456789012"|enc cbc(aes) 0x313233343536373839303132313233343536373839303132
esp transport aes-ctr-128 hmac-sha2-256|esp transport -E aes-ctr $k160 -A hmac-sha2-256 $k256|enc rfc3686(ctr(aes)) $k160 auth-trunc hmac(sha256) $k256 128
esp tunnel aes-ctr-256 aes-xcbc-mac|esp tunnel -E aes-ctr $k288 -A aes-xcbc-mac $k128|enc rfc3686(ctr(aes)) $k288 auth-trunc xcbc(aes) $k128 96
esp transport 3des-cbc hmac-md5|esp transport -E 3des-cbc $k192 -A hmac-md5 $k128|enc cbc(des3_ede) $k192 auth-trunc hmac(md5) $k128 96
esp tunnel des-cbc hmac-sha1|esp tunnel -E des-cbc $k64 -A hmac-sha1 $k160|enc cbc(des) $k64 auth-trunc hmac(sha1) $k160 96
esp transport null hmac-sha2-256|esp transport -E null -A hmac-sha2-256 $k256|enc ecb(cipher_null) EMPTY auth-trunc hmac(sha256) $k256 128
esp transport aes-gcm-16 128|esp transport -E aes-gcm-16 $k160|aead rfc4106(gcm(aes)) $k160 128
esp tunnel aes-gcm-16 192|esp tunnel -E aes-gcm-16 $k224|aead rfc4106(gcm(aes)) $k224 128
esp tunnel aes-gcm-16 256|esp tunnel -E aes-gcm-16 $k288|aead rfc4106(gcm(aes)) $k288 128
esp transport chacha20-poly1305|esp transport -E chacha20-poly1305 $k288|aead rfc7539esp(chacha20,poly1305) $k288 128
esp tunnel chacha20-poly1305|esp tunnel -E chacha20-poly1305 $k288|aead rfc7539esp(chacha20,poly1305) $k288 128
ah transport hmac-md5|ah transport -A hmac-md5 $k128|auth-trunc hmac(md5) $k128 96
ah tunnel hmac-sha1|ah tunnel -A hmac-sha1 $k160|auth-trunc hmac(sha1) $k160 96
ah tunnel hmac-sha2-256|ah tunnel -A hmac-sha2-256 $k256|auth-trunc hmac(sha256) $k256 128
ah transport hmac-sha2-384|ah transport -A hmac-sha2-384 $k384|auth-trunc hmac(sha384) $k384 192
ah tunnel hmac-sha2-512|ah tunnel -A hmac-sha2-512 $k512|auth-trunc hmac(sha512) $k512 256
ah transport aes-xcbc-mac|ah transport -A aes-xcbc-mac $k128|auth-trunc xcbc(aes) $k128 96
esp transport aes-gcm-16 esn, XFRM counting past 2^32|esp transport -esn -r 64 -E aes-gcm-16 $k160|aead rfc4106(gcm(aes)) $k160 128 flag esn replay-oseq 0xfffffff0
esp tunnel aes-cbc-128 hmac-sha1 esn, XFRM counting past 2^32|esp tunnel -esn -r 128 -E aes-cbc $k128 -A hmac-sha1 $k160|enc cbc(aes) $k128 auth-trunc hmac(sha1) $k160 96 flag esn replay-oseq 0xffffffe0
ah transport hmac-sha2-256 esn, XFRM counting past 2^32|ah transport -esn -r 64 -A hmac-sha2-256 $k256|auth-trunc hmac(sha256) $k256 128 flag esn replay-oseq 0xfffffff0
esp+ah transport bundle (the tutorial's)|esp transport -E aes-cbc "123456789012123456789012"|enc cbc(aes) 0x313233343536373839303132313233343536373839303132;ah transport -A hmac-md5 "1234567890123456"|auth-trunc hmac(md5) 0x31323334353637383930313233343536 96
esp+ah tunnel bundle|esp tunnel -E aes-gcm-16 $k160|aead rfc4106(gcm(aes)) $k160 128;ah transport -A hmac-sha1 $k160|auth-trunc hmac(sha1) $k160 96
ROWS

# Bad input, with one ESP transport SA pair in place: each drop is counted
# under its own reason in bs-a's /proc/net/bitsec_stat.
sa_list=("esp transport -E aes-cbc $k128 -A hmac-sha1 $k160|enc cbc(aes) $k128 auth-trunc hmac(sha1) $k160 96")
{ setup && configure; } > "$T/setup.log" 2>&1 || diag "$(cat "$T/setup.log")"
stat() { A awk -v k="$1" '$1 == k { print $2 }' /proc/net/bitsec_stat; }
unprotected() {
	local before
	before=$(stat in_unprotected)
	if [ $xfrm_peer = 1 ]; then B ip xfrm policy flush; else B "$BITSKEY" -FP; fi
	! B ping -c 2 -i 0.2 -W 1 10.0.0.1 >/dev/null || { echo "a answered a cleartext ping"; return 1; }
	[ "$(stat in_unprotected)" -ge $((before + 2)) ] ||
		{ echo "in_unprotected $before -> $(stat in_unprotected)"; return 1; }
}
check "a cleartext ping where the in policy requires ESP is dropped as in_unprotected" unprotected
no_sa() {
	local before
	before=$(stat in_no_sa)
	A "$BITSKEY" -F || return 1
	# Put the peer's policy back: it sends ESP for an SA bs-a no longer has.
	if [ $xfrm_peer = 1 ]; then
		B ip xfrm policy add src 10.0.0.2 dst 10.0.0.1 dir out \
			tmpl proto esp mode transport level required || return 1
	else
		B "$BITSKEY" -c <<< "spdadd 10.0.0.2 10.0.0.1 any -P out ipsec esp/transport//require;" ||
			return 1
	fi
	! B ping -c 2 -i 0.2 -W 1 10.0.0.1 >/dev/null || { echo "ping answered without an SA"; return 1; }
	[ "$(stat in_no_sa)" -ge $((before + 2)) ] ||
		{ echo "in_no_sa $before -> $(stat in_no_sa)"; return 1; }
}
check "ESP for an SPI bs-a does not have is dropped as in_no_sa" no_sa
out_no_sa() {
	local before
	before=$(stat out_no_sa)
	! A ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 || { echo "ping went out without an SA"; return 1; }
	[ "$(stat out_no_sa)" -gt "$before" ] || { echo "out_no_sa stayed $before"; return 1; }
}
check "a packet whose out policy requires an SA that is missing is dropped as out_no_sa" out_no_sa

# Async only: namespaces deleted while cryptd still holds their packets.
# Their exit must wait for those requests (whose callbacks come back to the
# namespace's state); KASAN, lockdep and the unload below would see a
# callback that ran after it.  With "device", the receiving veth goes
# first: each packet holds the device it came in on (dev_hold) until it
# is delivered or dropped.
flooding() {
	local n
	n=$(A "$BITSKEY" -Dj | jq '[.[] | .packets] | add')
	[ "${n:-0}" -ge 2000 ]
}
delete_in_flight() {
	local i pid
	for i in 1 2 3; do
		sa_list=("esp tunnel -E aes-gcm-16 $k160|aead rfc4106(gcm(aes)) $k160 128")
		{ setup && configure; } > "$T/setup.log" 2>&1 || { cat "$T/setup.log"; return 1; }
		ip netns exec bs-a ping -f -q -s 1400 10.0.0.2 >/dev/null 2>&1 &
		pid=$!
		wait_until 60 flooding || { kill $pid; echo "no flood"; return 1; }
		if [ "$1" = device ] && ! ip -n bs-b link del vb; then
			kill $pid
			return 1
		fi
		kill -9 $pid
		netns_cleanup
		wait $pid 2>/dev/null
	done
	# The namespaces' exits have run once a new one can see no SAs of theirs.
	module_unload && module_load
}
if [ -n "${BITSEC_ASYNC:-}" ]; then
	check "the receiving device deleted with packets in cryptd, three times; the module unloads" \
		delete_in_flight device
	echo 1 > /sys/module/bitsec/parameters/force_async
	check "namespaces deleted with packets in cryptd, three times, then the module unloads" \
		delete_in_flight namespaces
fi

finish
