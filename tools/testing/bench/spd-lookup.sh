#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Inside the stock-kernel VM: the SPD lookup micro-benchmark.  Loads
# bitsec_bench.ko, which measures in init and logs CSV lines, and prints
# them as rows: spd,policies,exact_ns,prefix_ns,miss_ns.
. "$(dirname "$0")/../netns/lib.sh"
module_load || exit 1
rmmod bitsec_bench 2>/dev/null
mark="bitsec_bench run $$ $RANDOM"
echo "$mark" > /dev/kmsg
if ! insmod "$MODDIR/bitsec_bench.ko"; then
	echo "spd-lookup: bitsec_bench.ko failed; kernel log:" >&2
	dmesg | sed -n "/$mark/,\$p" >&2
	exit 1
fi
rmmod bitsec_bench
# Only this run's lines: everything after the mark.
dmesg | sed -n "/$mark/,\$p" | sed -n 's/.*bitsec_bench: \(spd,[0-9].*\)$/\1/p'
