/* SPDX-License-Identifier: GPL-2.0 */
/* bitskey: policies as the module reports them, and their setkey-style dump. */
#ifndef BITSKEY_SPDUMP_H
#define BITSKEY_SPDUMP_H

#include <stdio.h>
#include <time.h>

#include <netlink/msg.h>

#include "stmt.h"

struct bk_sp_info {
	struct bk_sp sp;
	uint32_t index;
	uint64_t add_time, use_time;
};

int bk_sp_parse(struct nlmsghdr *nlh, struct bk_sp_info *out, char *err, size_t errlen);
void bk_sp_print(FILE *out, const struct bk_sp_info *s);
void bk_sp_print_json(FILE *out, const struct bk_sp_info *s);
/* "def", "high + 5", "low - 3": setkey's spelling of an absolute priority. */
void bk_prio_format(uint32_t prio, char *buf, size_t len);
/* The policy as an "spdadd" statement that -f loads again. */
void bk_sp_print_stmt(FILE *out, const struct bk_sp_info *s);

#endif
