// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: the security association database of one network namespace.
 *
 * Three indexes over the same SAs: by (dst, SPI, proto) for inbound
 * packets, by (src, dst, proto) for outbound template matching (several
 * SAs may share a pair while a key is being replaced), and an xarray by id
 * so that dumps of any size resume exactly where the last message ended.
 * Lookups are RCU readers; every change happens under the namespace's
 * cfg_lock, which callers hold.  Each index holds no reference of its own:
 * the SAD as a whole holds one per SA, dropped on removal.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"

static const struct rhashtable_params bitsec_spi_params = {
	.key_len = sizeof(struct bitsec_spi_key),
	.key_offset = offsetof(struct bitsec_sa, spi_key),
	.head_offset = offsetof(struct bitsec_sa, spi_node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params bitsec_pair_params = {
	.key_len = sizeof(struct bitsec_pair_key),
	.key_offset = offsetof(struct bitsec_sa, pair_key),
	.head_offset = offsetof(struct bitsec_sa, pair_node),
	.automatic_shrinking = true,
};

int bitsec_sad_init(struct bitsec_sad *sad)
{
	int err;

	err = rhashtable_init(&sad->by_spi, &bitsec_spi_params);
	if (err)
		return err;
	err = rhltable_init(&sad->by_pair, &bitsec_pair_params);
	if (err) {
		rhashtable_destroy(&sad->by_spi);
		return err;
	}
	xa_init_flags(&sad->by_id, XA_FLAGS_ALLOC1);
	sad->next_id = 0;
	sad->count = 0;
	return 0;
}
BITSEC_EXPORT_INTERNAL(bitsec_sad_init);

/* Namespace exit: no reader can reach the tables any more. */
void bitsec_sad_destroy(struct bitsec_sad *sad)
{
	bitsec_sad_flush(sad, 0);
	rhltable_destroy(&sad->by_pair);
	rhashtable_destroy(&sad->by_spi);
	xa_destroy(&sad->by_id);
}
BITSEC_EXPORT_INTERNAL(bitsec_sad_destroy);

/* Caller holds rcu_read_lock(); the SA is valid until it is released. */
struct bitsec_sa *bitsec_sad_lookup_spi(struct bitsec_sad *sad,
					const struct bitsec_spi_key *key)
{
	return rhashtable_lookup(&sad->by_spi, key, bitsec_spi_params);
}
BITSEC_EXPORT_INTERNAL(bitsec_sad_lookup_spi);

/*
 * The SA to protect a packet from @saddr to @daddr with @proto for a
 * template asking for @mode (an SA of mode "any" serves both) and @reqid
 * (0: any).  Among several, a mature SA beats a dying one and, then, the
 * newest wins: that is the one a rekey just installed.  Caller holds
 * rcu_read_lock(); no reference is taken.
 */
struct bitsec_sa *bitsec_sad_find_out(struct bitsec_sad *sad, u8 family,
				      const struct in6_addr *saddr,
				      const struct in6_addr *daddr, u8 proto, u8 mode, u32 reqid)
{
	struct bitsec_sa *sa, *best = NULL;
	struct bitsec_pair_key key = { .family = family, .proto = proto };
	struct rhlist_head *list, *pos;

	if (family == AF_INET) {
		key.saddr.s6_addr32[0] = saddr->s6_addr32[0];
		key.daddr.s6_addr32[0] = daddr->s6_addr32[0];
	} else {
		key.saddr = *saddr;
		key.daddr = *daddr;
	}
	list = rhltable_lookup(&sad->by_pair, &key, bitsec_pair_params);
	rhl_for_each_entry_rcu(sa, pos, list, pair_node) {
		u8 st = READ_ONCE(sa->state);

		if (st != BITSEC_SA_MATURE && st != BITSEC_SA_DYING)
			continue;
		if (sa->mode != BITSEC_MODE_ANY && sa->mode != mode)
			continue;
		if (reqid && sa->reqid != reqid)
			continue;
		if (!best) {
			best = sa;
			continue;
		}
		if (st != READ_ONCE(best->state)) {
			if (st == BITSEC_SA_MATURE)
				best = sa;
			continue;
		}
		if (sa->add_time > best->add_time ||
		    (sa->add_time == best->add_time && sa->id > best->id))
			best = sa;
	}
	return best;
}
BITSEC_EXPORT_INTERNAL(bitsec_sad_find_out);

/* The IPv4 SAs of @proto from @saddr to @daddr; caller holds rcu_read_lock(). */
struct rhlist_head *bitsec_sad_pair_list(struct bitsec_sad *sad, __be32 saddr, __be32 daddr,
					 u8 proto)
{
	struct bitsec_pair_key key = { .family = AF_INET, .proto = proto };

	key.saddr.s6_addr32[0] = saddr;
	key.daddr.s6_addr32[0] = daddr;
	return rhltable_lookup(&sad->by_pair, &key, bitsec_pair_params);
}

/*
 * The SA sending ESP in UDP from @saddr:@sport to @daddr:@dport, for an
 * ICMP error quoting such a packet.  Caller holds rcu_read_lock().
 */
struct bitsec_sa *bitsec_sad_find_encap(struct bitsec_sad *sad, const struct in6_addr *saddr,
					const struct in6_addr *daddr, u16 sport, u16 dport)
{
	struct bitsec_pair_key key = { .family = AF_INET, .proto = IPPROTO_ESP };
	struct rhlist_head *list, *pos;
	struct bitsec_sa *sa;

	key.saddr.s6_addr32[0] = saddr->s6_addr32[0];
	key.daddr.s6_addr32[0] = daddr->s6_addr32[0];
	list = rhltable_lookup(&sad->by_pair, &key, bitsec_pair_params);
	rhl_for_each_entry_rcu(sa, pos, list, pair_node)
		if (sa->encap && READ_ONCE(sa->encap_sport) == sport &&
		    READ_ONCE(sa->encap_dport) == dport)
			return sa;
	return NULL;
}

static void bitsec_sad_unlink(struct bitsec_sad *sad, struct bitsec_sa *sa)
{
	rhltable_remove(&sad->by_pair, &sa->pair_node, bitsec_pair_params);
	xa_erase(&sad->by_id, sa->id);
	bitsec_natt_sa_del(sad, sa);
	WRITE_ONCE(sa->state, BITSEC_SA_DEAD);
	/* No lifetime news for an SA out of the tables. */
	set_bit(BITSEC_LIFE_GONE, &sa->life_flags);
	del_timer_sync(&sa->life_timer);
	sad->count--;
	bitsec_sa_put(sa);
}

/*
 * Insert @sa, taking over the caller's reference.  With @replace, an SA
 * holding the same (dst, SPI, proto) is swapped out atomically: readers see
 * either the old or the new one, never neither.  Without it, that SA makes
 * the insert fail with -EEXIST.
 */
int bitsec_sad_insert(struct bitsec_sad *sad, struct bitsec_sa *sa,
		      bool replace, struct netlink_ext_ack *extack)
{
	struct bitsec_sa *old;
	int err;

	old = rhashtable_lookup_fast(&sad->by_spi, &sa->spi_key, bitsec_spi_params);
	if (old && !replace) {
		NL_SET_ERR_MSG_MOD(extack, "an SA with this destination, SPI and protocol exists; use update to replace it");
		return -EEXIST;
	}
	if (!old && replace) {
		NL_SET_ERR_MSG_MOD(extack, "no SA with this destination, SPI and protocol to update; use add");
		return -ESRCH;
	}

	err = bitsec_natt_sa_add(sad, sa, extack);
	if (err)
		return err;
	err = xa_alloc_cyclic(&sad->by_id, &sa->id, sa, xa_limit_32b, &sad->next_id,
			      GFP_KERNEL_ACCOUNT);
	if (err < 0) {
		bitsec_natt_sa_del(sad, sa);
		NL_SET_ERR_MSG_MOD(extack, "out of SA ids in this namespace");
		return err;
	}
	err = rhltable_insert(&sad->by_pair, &sa->pair_node, bitsec_pair_params);
	if (err)
		goto undo_id;
	if (old)
		err = rhashtable_replace_fast(&sad->by_spi, &old->spi_node, &sa->spi_node,
					      bitsec_spi_params);
	else
		err = rhashtable_insert_fast(&sad->by_spi, &sa->spi_node, bitsec_spi_params);
	if (err)
		goto undo_pair;

	sad->count++;
	if (old)
		bitsec_sad_unlink(sad, old);
	return 0;

undo_pair:
	rhltable_remove(&sad->by_pair, &sa->pair_node, bitsec_pair_params);
undo_id:
	xa_erase(&sad->by_id, sa->id);
	bitsec_natt_sa_del(sad, sa);
	NL_SET_ERR_MSG_MOD(extack, "out of memory for the SA tables");
	return err;
}
BITSEC_EXPORT_INTERNAL(bitsec_sad_insert);

void bitsec_sad_remove(struct bitsec_sad *sad, struct bitsec_sa *sa)
{
	rhashtable_remove_fast(&sad->by_spi, &sa->spi_node, bitsec_spi_params);
	bitsec_sad_unlink(sad, sa);
}
BITSEC_EXPORT_INTERNAL(bitsec_sad_remove);

/* Remove every SA, or every SA of @proto; returns how many went. */
unsigned int bitsec_sad_flush(struct bitsec_sad *sad, u8 proto)
{
	struct bitsec_sa *sa;
	unsigned long id;
	unsigned int n = 0;

	xa_for_each(&sad->by_id, id, sa) {
		if (proto && sa->spi_key.proto != proto)
			continue;
		bitsec_sad_remove(sad, sa);
		n++;
		cond_resched();
	}
	return n;
}
BITSEC_EXPORT_INTERNAL(bitsec_sad_flush);

/* setkey's deleteall: every SA between two hosts for one protocol. */
unsigned int bitsec_sad_delete_pair(struct bitsec_sad *sad,
				    const struct bitsec_pair_key *key)
{
	struct rhlist_head *pos, *next;
	struct bitsec_sa *sa;
	unsigned int n = 0;

	/* RCU keeps each entry readable while we unlink it under cfg_lock. */
	rcu_read_lock();
	pos = rhltable_lookup(&sad->by_pair, key, bitsec_pair_params);
	for (; pos; pos = next) {
		next = rcu_dereference(pos->next);
		sa = container_of(pos, struct bitsec_sa, pair_node);
		bitsec_sad_remove(sad, sa);
		n++;
	}
	rcu_read_unlock();
	return n;
}
BITSEC_EXPORT_INTERNAL(bitsec_sad_delete_pair);

/*
 * GETSPI: give @sa an SPI in [min, max] that no SA of its (dst, proto)
 * uses.  Start at a random point so SPIs are not predictable, then walk;
 * a nearly full range fails after a bounded number of probes.
 */
int bitsec_sad_alloc_spi(struct bitsec_sad *sad, struct bitsec_sa *sa, u32 min, u32 max)
{
	u64 span = (u64)max - min + 1;
	u32 tries = min_t(u64, span, 1U << 16);
	u32 off = get_random_u32() % span;
	u32 i;

	for (i = 0; i < tries; i++) {
		u32 spi = min + (u32)(((u64)off + i) % span);

		sa->spi_key.spi = htonl(spi);
		if (!rhashtable_lookup_fast(&sad->by_spi, &sa->spi_key, bitsec_spi_params))
			return 0;
	}
	return -ENOSPC;
}
BITSEC_EXPORT_INTERNAL(bitsec_sad_alloc_spi);
