// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: the anti-replay window of RFC 4303 3.4.3 and its appendix A
 * (extended sequence numbers).
 *
 * The window is a ring of bits: bit (seq % size) says whether seq was seen,
 * for seq in (top - size, top].  A packet is checked before its ICV is
 * verified (cheap rejection of duplicates) and recorded only after, so a
 * forged packet can never move the window.  Both run under the SA's lock.
 */
#include <linux/bitmap.h>
#include <linux/slab.h>

#include "bitsec.h"

int bitsec_replay_init(struct bitsec_replay *r, u32 window)
{
	r->size = window ? roundup_pow_of_two(max_t(u32, window, BITS_PER_LONG)) : 0;
	r->window = window;
	r->top = 0;
	r->bits = NULL;
	if (!window)
		return 0;
	r->bits = bitmap_zalloc(r->size, GFP_KERNEL_ACCOUNT);
	return r->bits ? 0 : -ENOMEM;
}

void bitsec_replay_free(struct bitsec_replay *r)
{
	bitmap_free(r->bits);
	r->bits = NULL;
}

/*
 * The full 64-bit number of a received packet whose low 32 bits are @lo:
 * RFC 4303 appendix A2.2, relative to the highest number seen.  Without ESN
 * it is @lo.
 */
u64 bitsec_replay_infer(const struct bitsec_replay *r, bool esn, u32 lo)
{
	u32 win = max_t(u32, r->window, 1);
	u32 tl = lower_32_bits(r->top), th = upper_32_bits(r->top);

	if (!esn)
		return lo;
	if (tl >= win - 1) {
		/* Window within one 2^32 block. */
		if (lo >= tl - win + 1)
			return (u64)th << 32 | lo;
		return (u64)(th + 1) << 32 | lo;
	}
	/* Window spans two blocks. */
	if (lo >= tl - win + 1)	/* wraps: lo is in the previous block */
		return th ? (u64)(th - 1) << 32 | lo : lo;
	return (u64)th << 32 | lo;
}

/* 0, or the enum bitsec_stat reason to drop @seq. */
int bitsec_replay_check(const struct bitsec_replay *r, u64 seq)
{
	if (!r->window)
		return 0;
	/* RFC 4303 3.3.3: sequence number zero is never sent. */
	if (!seq)
		return BITSEC_STAT_IN_TOO_OLD;
	if (seq > r->top)
		return 0;
	if (r->top - seq >= r->window)
		return BITSEC_STAT_IN_TOO_OLD;
	return test_bit(seq & (r->size - 1), r->bits) ? BITSEC_STAT_IN_REPLAY : 0;
}

/* Record @seq, which passed bitsec_replay_check() and the ICV. */
void bitsec_replay_advance(struct bitsec_replay *r, u64 seq)
{
	u64 i;

	if (!r->window) {
		r->top = max(r->top, seq);
		return;
	}
	if (seq > r->top) {
		u64 gap = seq - r->top;

		if (gap >= r->size) {
			bitmap_zero(r->bits, r->size);
		} else {
			for (i = r->top + 1; i < seq; i++)
				__clear_bit(i & (r->size - 1), r->bits);
		}
		r->top = seq;
	}
	__set_bit(seq & (r->size - 1), r->bits);
}
