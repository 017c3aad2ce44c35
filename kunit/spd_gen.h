/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policies and flows for the SPD's KUnit suite and its benchmark module
 * (make bench): one generator, so both measure the same population.
 */
#ifndef _BITSEC_SPD_GEN_H
#define _BITSEC_SPD_GEN_H

#include <linux/sched.h>
#include <linux/slab.h>

#include "bitsec.h"

#define IP4(a, b, c, d) ((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static inline struct bitsec_sp *bitsec_gen_sp4(u8 dir, u32 src, u8 splen, u32 dst,
					       u8 dplen, u32 prio)
{
	struct bitsec_sp *sp = bitsec_sp_alloc(GFP_KERNEL);

	if (!sp)
		return NULL;
	sp->dir = dir;
	sp->family = AF_INET;
	sp->key.saddr.s6_addr32[0] = htonl(src);
	sp->key.daddr.s6_addr32[0] = htonl(dst);
	sp->splen = splen;
	sp->dplen = dplen;
	sp->ulproto = BITSEC_ULPROTO_ANY;
	sp->priority = prio;
	sp->action = BITSEC_ACT_NONE;
	return sp;
}

static inline struct bitsec_flow bitsec_gen_flow4(u32 src, u32 dst, u8 proto,
						  u16 sport, u16 dport)
{
	struct bitsec_flow fl = { .family = AF_INET, .proto = proto,
				  .sport = sport, .dport = dport };

	fl.saddr.s6_addr32[0] = htonl(src);
	fl.daddr.s6_addr32[0] = htonl(dst);
	return fl;
}

/*
 * Grow @spd's outbound policies from *@have to @want, all at priority 100:
 * odd ones host pairs 11.x.y.z -> 12.x.y.z, even ones distinct prefix
 * pairs around 13.a.b.0 -> 14.a.b.0 in four prefix-length pairs (24-24,
 * 16-24, 24-16, 20-28), so a lookup has four prefix groups to probe besides
 * the host pairs' one, however many policies there are.  Up to 131,072.
 * Returns 0 or -ENOMEM.
 */
static inline int bitsec_gen_fill(struct bitsec_spd *spd, unsigned int *have,
				  unsigned int want)
{
	static const u8 plen[4][2] = { { 24, 24 }, { 16, 24 }, { 24, 16 }, { 20, 28 } };

	for (; *have < want; (*have)++) {
		unsigned int h = *have, k = h / 2;
		struct bitsec_sp *sp;

		if (h % 2)
			sp = bitsec_gen_sp4(BITSEC_DIR_OUT, IP4(11, h >> 16, h >> 8 & 255, h & 255),
					    32, IP4(12, h >> 16, h >> 8 & 255, h & 255), 32, 100);
		else
			sp = bitsec_gen_sp4(BITSEC_DIR_OUT,
					    IP4(13, k >> 8 & 255, k & 255, 0), plen[k % 4][0],
					    IP4(14, k >> 8 & 255, k & 255, 0), plen[k % 4][1], 100);
		if (!sp)
			return -ENOMEM;
		if (bitsec_spd_insert(spd, sp, false, NULL))
			bitsec_sp_free(sp);
		if (!(h % 1024))
			cond_resched();
	}
	return 0;
}

#endif /* _BITSEC_SPD_GEN_H */
