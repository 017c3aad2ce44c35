#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What `bitskey -D --keys --script` and `-DP --script` print loads again,
# with -f, to the same state.
. "$(dirname "$0")/lib.sh"
trap netns_cleanup EXIT
module_load
T=$(mktemp -d)
netns_add bs-rt
nbk() { ip netns exec bs-rt "$BITSKEY" "$@"; }
# The state without what a reload legitimately changes (ids, times, counters).
state() {
	{ nbk -Dj --keys | jq -S 'map(del(.id, .add_time, .use_time, .seq, .packets, .bytes)) | sort_by(.spi)'
	  nbk -DPj | jq -S 'map(del(.index, .add_time, .use_time)) | sort_by(.src, .dst, .dir)'; }
}

cat > "$T/conf" <<'CONF'
add 10.0.0.1 10.0.0.2 ah 13800 -A hmac-md5 "1234567890123456";
add 10.0.0.1 10.0.0.2 esp 13801 -E aes-cbc "123456789012123456789012";
add 10.0.0.2 10.0.0.1 esp 13802 -m tunnel -r 128 -u 5 -esn -lh 3600 -ls 3000 -bh 1000000
	-E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;
add 192.0.2.1 198.51.100.1 esp 0x2000 -natt 4500 4500 -E chacha20-poly1305
	0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01020304;
add 2001:db8::1 2001:db8::2 esp 0x3000 -m transport -E null -A hmac-sha2-512
	0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;
spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require ah/transport//require;
spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require ah/transport//require;
spdadd 10.1.0.0/16[any] 10.2.0.0/16[443] tcp -P fwd prio high + 7 ipsec esp/tunnel/192.0.2.1-198.51.100.1/unique:12;
spdadd 10.1.0.0/16 10.2.0.0/16 icmp 3,4 -P in prio low - 2 none;
spdadd 2001:db8::/48 2001:db8:1::/48 any -P out discard;
CONF
check "a mixed configuration loads" nbk -f "$T/conf"
state > "$T/before"
dump_scripts() {
	nbk -D --keys --script > "$T/sa.script" && nbk -DP --script > "$T/sp.script" &&
		[ "$(grep -c '^add ' "$T/sa.script")" = 5 ] && [ "$(grep -c '^spdadd ' "$T/sp.script")" = 5 ]
}
check "-D --keys --script and -DP --script print one statement per entry" dump_scripts
check "-D --script without --keys is refused (keys are printed)" bash -c "! ip netns exec bs-rt '$BITSKEY' -D --script 2>/dev/null"
reload() {
	nbk -F && nbk -FP && [ "$(nbk -D)" = "No SAD entries." ] &&
		nbk -f "$T/sa.script" && nbk -f "$T/sp.script"
}
check "flushed, the scripts load again" reload
same() {
	state > "$T/after"
	# Both dumps really hold the entries: an empty diff of two failures proves nothing.
	[ "$(jq -s '(.[0] | length) + (.[1] | length)' "$T/before")" = 10 ] ||
		{ cat "$T/before"; return 1; }
	diff -u "$T/before" "$T/after"
}
check "the reloaded state equals the original" same
rm -rf "$T"
finish
