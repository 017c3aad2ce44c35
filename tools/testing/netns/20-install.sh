#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What `make install` produced (staged by make check into build/stage) works
# as installed: modprobe finds bitsec in extra/, and the kernel autoloads it
# the first time bitskey resolves the generic-netlink family.  The guest's
# /lib/modules is the host's, read-only, so the staged module is laid over
# it with overlayfs for the length of this suite.
. "$(dirname "$0")/lib.sh"

STAGE=$TOP/build/stage
if [ ! -f "$STAGE/lib/modules/$KREL/extra/bitsec.ko" ]; then
	skip "make install output loads and autoloads" "nothing staged for $KREL"
	finish
	exit
fi

upper=$(mktemp -d)
mkdir -p "$upper/upper/extra" "$upper/work"
cp "$STAGE/lib/modules/$KREL/extra/bitsec.ko" "$upper/upper/extra/"
overlay() {
	modprobe overlay 2>/dev/null
	mount -t overlay overlay -o "lowerdir=/lib/modules/$KREL,upperdir=$upper/upper,workdir=$upper/work" \
		"/lib/modules/$KREL" && depmod -a "$KREL"
}
check "staged module laid over /lib/modules/$KREL, depmod" overlay
trap 'umount /lib/modules/$KREL 2>/dev/null' EXIT

module_unload >/dev/null 2>&1
check "modprobe bitsec finds it in extra/" modprobe bitsec
check "modprobe -r bitsec" modprobe -r bitsec
autoload() {
	local out
	out=$("$STAGE/usr/local/sbin/bitskey" -V) || return 1
	module_loaded || { echo "module not loaded after bitskey -V"; return 1; }
	grep -q '^bitsec module ' <<<"$out"
}
check "installed bitskey -V autoloads the module through the family alias" autoload

module_unload
umount "/lib/modules/$KREL"
trap - EXIT
check "the suites that follow get this build's module back" module_load
finish
