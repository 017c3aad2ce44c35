/* SPDX-License-Identifier: GPL-2.0 */
/* bitskey: statements to netlink requests (req.c). */
#ifndef BITSKEY_REQ_H
#define BITSKEY_REQ_H

#include <netlink/msg.h>

#include "stmt.h"

int bk_req_cmd(const struct bk_stmt *st, int *flags);
int bk_req_build(struct nl_msg *m, int family, const struct bk_stmt *st, bool with_keys);

#endif
