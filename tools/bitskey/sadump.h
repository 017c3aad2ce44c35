/* SPDX-License-Identifier: GPL-2.0 */
/* bitskey: SAs as the module reports them, and their setkey-style dump. */
#ifndef BITSKEY_SADUMP_H
#define BITSKEY_SADUMP_H

#include <stdio.h>
#include <time.h>

#include <netlink/msg.h>

#include "stmt.h"

struct bk_sa_info {
	struct bk_sa sa;
	uint8_t state;			/* enum bitsec_sa_state */
	uint32_t id;
	struct bk_lifetime cur;		/* bytes and packets so far */
	uint64_t add_time, use_time;	/* seconds since the epoch; 0 = never */
	uint64_t seq;
	uint32_t pmtu;			/* path MTU learned from ICMP; 0 = none */
	uint32_t overhead;		/* bytes the SA adds at its path MTU */
	uint32_t inner_mtu;		/* largest inner packet; 0 = unknown */
	char peer[INET6_ADDRSTRLEN];	/* NAT-T: where the peer floated; "" */
	bool aead;			/* sa.enc holds an AEAD */
	unsigned int n_drops;		/* the SA's drop counters that are not zero */
	struct { uint16_t stat; uint64_t n; } drops[64];
};

int bk_sa_parse(struct nlmsghdr *nlh, struct bk_sa_info *out, char *err, size_t errlen);
/* setkey -D layout; @now is the time printed as "current". */
void bk_sa_print(FILE *out, const struct bk_sa_info *s, unsigned int index, bool keys,
		 time_t now);
void bk_sa_print_json(FILE *out, const struct bk_sa_info *s, bool keys);
const char *bk_sa_state_name(uint8_t state);
/* The SA as an "add" statement that -f loads again (needs its keys). */
void bk_sa_print_stmt(FILE *out, const struct bk_sa_info *s);

#endif
