/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bitskey: the setkey grammar (Documentation: setkey.md), turned into
 * struct bk_stmt.  No I/O, no name resolution, no netlink: the parser only
 * checks text, so that -n can validate a file without the module loaded.
 */
#ifndef BITSKEY_PARSE_H
#define BITSKEY_PARSE_H

#include <stddef.h>

#include "stmt.h"

/*
 * setkey's policy priorities (ipsec-tools libpfkey.h): no "prio" at all
 * means BK_PRIO_DEF; lower values are checked first.
 */
#define BK_PRIO_HIGH	0x40000000U
#define BK_PRIO_DEF	0x80000000U
#define BK_PRIO_LOW	0xc0000000U

/* Largest reqid of "unique:N": above it the kernel picks reqids itself. */
#define BK_REQID_MANUAL_MAX	0x3fff

/*
 * Parse a whole buffer (a file, or stdin for -c).  Calls @cb for each
 * statement in order, after the whole buffer parsed cleanly: a syntax
 * error anywhere means @cb is never called, so nothing of a file with a
 * bad statement is applied.  @cb may be NULL to only check the text.
 *
 * @buf need not be NUL-terminated and may hold any bytes; a NUL byte is an
 * error like any other stray character.
 *
 * Returns 0; or -1 with @err set to "NAME:LINE:COL: message" (@name as
 * given, e.g. "-" or "sa.conf"; LINE and COL 1-based, COL in bytes, at
 * the offending token); or the first non-zero value @cb returned, which
 * stops the parse and leaves @err alone (the caller reports it).
 */
int bk_parse(const char *name, const char *buf, size_t len,
	     int (*cb)(const struct bk_stmt *st, void *arg), void *arg,
	     char *err, size_t errlen);

#endif
