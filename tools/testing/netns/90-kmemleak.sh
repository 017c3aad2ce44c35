#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Last suite of a run: unload the module and ask kmemleak (debug kernel)
# for objects nobody references.  guest-suites cleared kmemleak's list at
# the start, so whatever it reports now appeared during our suites.
. "$(dirname "$0")/lib.sh"

KML=/sys/kernel/debug/kmemleak
if [ ! -e $KML ]; then
	skip "kmemleak finds no leak after the suites" "this kernel has no kmemleak"
	finish
	exit
fi

check "rmmod bitsec before the scan" module_unload
# kmemleak never reports an object younger than 5 s (its minimum age), so
# an object leaked by the rmmod above would be invisible to an immediate
# scan.  This wait is kmemleak's documented threshold, not a race.
t0=$SECONDS
aged() { [ $((SECONDS - t0)) -ge 6 ]; }
wait_until 20 aged
echo scan > $KML
echo scan > $KML
leaks=$(cat $KML)
no_leaks() {
	[ -z "$leaks" ] || { printf '%s\n' "$leaks" | head -n 80; return 1; }
}
check "kmemleak finds no leak after the suites" no_leaks
check "load the module again" module_load
finish
