#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SA lifetimes: tiny packet, byte and second limits give an "expire soft"
# event, then an "expire hard" one, in that order; the SA then leaves the
# table and its traffic is dropped under its own counter.  A larval SA
# (getspi) that is never completed goes after 30 seconds.
. "$(dirname "$0")/lib.sh"
module_load || exit 1
T=$(mktemp -d)
watcher=
trap 'kill $watcher 2>/dev/null; netns_cleanup; rm -rf "$T"' EXIT

netns_add bs-a && netns_add bs-b || exit 1
ip link add va netns bs-a type veth peer name vb netns bs-b
ip -n bs-a addr add 10.0.0.1/24 dev va && ip -n bs-b addr add 10.0.0.2/24 dev vb
ip -n bs-a link set va up && ip -n bs-b link set vb up
A() { ip netns exec bs-a "$@"; }
K=0x00112233445566778899aabbccddeeff01020304

# Events as JSON lines; a probe SA proves the watcher has joined the group.
# Not through A(): $! must be bitskey itself (ip netns exec execs it), so
# the trap's kill reaches it.
ip netns exec bs-a "$BITSKEY" -xj > "$T/events" 2>/dev/null &
watcher=$!
joined() {
	A "$BITSKEY" -c <<< "delete 10.9.9.9 10.9.9.8 esp 0x999;" 2>/dev/null
	A "$BITSKEY" -c <<< "add 10.9.9.9 10.9.9.8 esp 0x999 -E aes-gcm-16 $K;" &&
		grep -q '"spi":2457' "$T/events"
}
check "bitskey -x hears the namespace's events" wait_until 60 joined

# events SPI: the expiry events of SPI, in order, one word each.
events() {
	jq -r --argjson s "$1" 'select(.sa.spi == $s and (.event | startswith("expire"))) | .event' \
		"$T/events" | tr '\n' ',' | sed 's/,$//'
}
# Polled by wait_until: the events must be re-read each time.
events_are() { [ "$(events "$1")" = "$2" ]; }
stat() { A awk -v k="$1" '$1 == k { print $2 }' /proc/net/bitsec_stat; }
in_table() { A "$BITSKEY" -Dj | jq -e --argjson s "$1" 'any(.[]; .spi == $s)' >/dev/null; }
gone() { ! in_table "$1"; }

# One SA, out of a to b, with a policy sending every packet through it.
sa() {
	A "$BITSKEY" -F && A "$BITSKEY" -FP && A "$BITSKEY" -c <<-EOF
		add 10.0.0.1 10.0.0.2 esp $1 -m transport $2 -E aes-gcm-16 $K;
		spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;
	EOF
}
# The peer has no SA: these pings only go out, one ESP packet each.
send() { A ping -c "$1" -i 0.2 -W 1 10.0.0.2 >/dev/null 2>&1; true; }

packets() {
	sa 4097 "-ps 3 -ph 5" || return 1
	send 3
	wait_until 30 events_are 4097 "expire soft" || { echo "after 3: $(events 4097)"; return 1; }
	in_table 4097 || { echo "the SA went at its soft limit"; return 1; }
	send 2
	wait_until 30 events_are 4097 "expire soft,expire hard" ||
		{ echo "after 5: $(events 4097)"; return 1; }
	wait_until 30 gone 4097 || { echo "still in the table"; return 1; }
}
check "packets: soft at 3, hard at 5, then the SA is gone" packets

after_hard() {
	local before
	before=$(stat out_no_sa)
	send 1
	[ "$(stat out_no_sa)" -gt "$before" ] || { echo "out_no_sa stayed $before"; return 1; }
}
check "after the hard expiry, packets are dropped as out_no_sa" after_hard

# A GSO super-packet (UDP_SEGMENT: 40 datagrams in one send) through an SA
# with a hard limit of 20 packets.  Its segments take their sequence
# numbers one by one, not in batches, so the 20th is the last to leave and
# the other 20 are dropped as out_sa_state.
gso_limit() {
	local p0 d0 sent dropped
	sa 4101 "-ph 20" || return 1
	p0=$(stat out_packets) d0=$(stat out_sa_state)
	A python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_UDP, 103, 1000)  # UDP_SEGMENT
s.sendto(bytes(40000), ("10.0.0.2", 9))' || { echo "the UDP GSO send failed"; return 1; }
	# (Asynchronous crypto counts a packet sent when it completes.)
	wait_until 30 eval '[ $(($(stat out_packets) - p0 + $(stat out_sa_state) - d0)) -ge 40 ]'
	sent=$(($(stat out_packets) - p0)) dropped=$(($(stat out_sa_state) - d0))
	echo "sent $sent, dropped $dropped, out_gso $(stat out_gso)"
	[ "$(stat out_gso)" -gt 0 ] && [ $sent -eq 20 ] && [ $dropped -eq 20 ]
}
check "a GSO super-packet through an SA with a hard packet limit: exactly 20 of 40 leave" gso_limit

bytes() {
	# Each ping is 84 bytes before protection.
	sa 4098 "-bs 200 -bh 400" || return 1
	send 3
	wait_until 30 events_are 4098 "expire soft" || { echo "after 252 B: $(events 4098)"; return 1; }
	send 2
	wait_until 30 events_are 4098 "expire soft,expire hard" ||
		{ echo "after 420 B: $(events 4098)"; return 1; }
	wait_until 30 gone 4098
}
check "bytes: soft at 200, hard at 400, then the SA is gone" bytes

added() {
	sa 4099 "-ls 2 -lh 4" || return 1
	wait_until 60 events_are 4099 "expire soft,expire hard" ||
		{ echo "events: $(events 4099)"; return 1; }
	wait_until 30 gone 4099
}
check "seconds since added: soft at 2, hard at 4, in that order" added

used() {
	sa 4100 "-us 1 -uh 2" || return 1
	# Unused, it does not age.
	! wait_until 4 events_are 4100 "expire soft" || { echo "expired unused: $(events 4100)"; return 1; }
	send 1
	wait_until 60 events_are 4100 "expire soft,expire hard" ||
		{ echo "events: $(events 4100)"; return 1; }
}
check "seconds since first use: nothing before use, then soft and hard" used

larval() {
	A "$BITSKEY" -c <<< "getspi 10.0.0.2 10.0.0.1 esp 0x5000-0x5fff;" || return 1
	is_larval() { A "$BITSKEY" -Dj | jq -e 'any(.[]; .state == "larval")' >/dev/null; }
	is_larval || { echo "no larval SA"; return 1; }
	wait_until 90 eval '! is_larval' || { echo "the larval SA is still there"; return 1; }
	jq -e 'select(.event == "expire hard" and .sa.spi >= 20480 and .sa.spi <= 24575)' \
		"$T/events" >/dev/null || { echo "no hard expiry event for it"; return 1; }
}
check "a larval SA that is never completed expires (hard) after 30 s" larval

# Acquires: an out policy whose SA is missing asks the key manager for one.
# Sources 10.0.0.3 (require) and 10.0.0.4 (use) have policies but no SAs.
A ip addr add 10.0.0.3/24 dev va
A ip addr add 10.0.0.4/24 dev va
A "$BITSKEY" -c <<EOF
spdadd 10.0.0.3 10.0.0.2 any -P out ipsec esp/transport//require;
spdadd 10.0.0.4 10.0.0.2 any -P out ipsec ah/transport//use;
EOF
acquires() {
	jq -c --arg s "$1" 'select(.event == "acquire" and .want.src == $s) |
		[.want.proto, .want.mode, .want.dst, .want.reqid, .sp.dir]' "$T/events" | sort | uniq -c |
		awk '{ print $1, $2 }'
}
count_acquires() { jq --arg s "$1" 'select(.event == "acquire" and .want.src == $s)' "$T/events" | grep -c '"event"'; }
acquired() { [ "$(acquires "$1")" = "$2" ]; }
require_acq() {
	local before
	before=$(stat out_no_sa)
	! A ping -c 1 -W 1 -I 10.0.0.3 10.0.0.2 >/dev/null 2>&1 || { echo "ping went out"; return 1; }
	[ "$(stat out_no_sa)" -gt "$before" ] || { echo "out_no_sa stayed $before"; return 1; }
	wait_until 30 acquired 10.0.0.3 '1 ["esp","transport","10.0.0.2",0,"out"]' ||
		{ echo "acquires: $(acquires 10.0.0.3)"; return 1; }
}
check "require without an SA: dropped as out_no_sa, one acquire for esp/transport 10.0.0.3-10.0.0.2" \
	require_acq
# Twenty more packets in a fraction of a second: acquires are throttled to
# one per policy per second, so far fewer than twenty come.
throttled() {
	local before after
	before=$(count_acquires 10.0.0.3)
	A ping -c 20 -i 0.01 -W 1 -I 10.0.0.3 10.0.0.2 >/dev/null 2>&1
	# The event of the first packet, if it was not throttled, is on its way.
	wait_until 5 eval '[ "$(count_acquires 10.0.0.3)" -gt "$before" ]'
	after=$(count_acquires 10.0.0.3)
	[ $((after - before)) -lt 10 ] || { echo "$((after - before)) acquires for 20 packets"; return 1; }
}
check "acquires are throttled: 20 packets in a burst do not give 20 events" throttled
use_acq() {
	A ping -c 1 -W 5 -I 10.0.0.4 10.0.0.2 >/dev/null || { echo "level use did not send clear"; return 1; }
	wait_until 30 acquired 10.0.0.4 '1 ["ah","transport","10.0.0.2",0,"out"]' ||
		{ echo "acquires: $(acquires 10.0.0.4)"; return 1; }
}
check "use without an SA: the ping goes out clear, and an acquire for ah/transport is sent" use_acq
poke() {
	A ping -c 1 -W 1 -I 10.0.0.3 10.0.0.2 >/dev/null 2>&1
	grep -q "^acquire esp/transport 10.0.0.3-10.0.0.2 reqid 0:" "$T/ev.txt"
}
text_acq() {
	local w rc
	ip netns exec bs-a "$BITSKEY" -x > "$T/ev.txt" 2>/dev/null &
	w=$!
	# Each poll sends a packet: one gets past the throttle once its second is over.
	wait_until 60 poke
	rc=$?
	kill $w
	[ $rc = 0 ] || { cat "$T/ev.txt"; return 1; }
	grep -A1 "^acquire" "$T/ev.txt" | grep -q "^10\.0\.0\.3.* 10\.0\.0\.2" || { cat "$T/ev.txt"; return 1; }
}
check "bitskey -x prints an acquire in words, with the policy that wanted it" text_acq

finish
