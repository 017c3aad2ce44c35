// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: the security policy database of one network namespace.
 *
 * Per direction, policies live in groups that share (family, source prefix
 * length, destination prefix length); a group hashes its policies by the
 * masked address pair.  A lookup masks the packet's addresses once per
 * group and probes that group's hash, so its cost follows the number of
 * distinct prefix-length pairs, never the number of policies.  Among all
 * matches the lowest priority value wins, and between equal priorities the
 * policy added first, as setkey and Linux order them.
 *
 * Readers (the datapath) hold rcu_read_lock() only; writers hold the
 * namespace's cfg_lock.
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>
#include <linux/jhash.h>
#include <net/ipv6.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"

struct bitsec_sp_group {
	struct rhltable tbl;
	u8 family, splen, dplen;
	/* No member has a lower priority value: lets lookups stop early. */
	u32 best_prio;
	unsigned int count;
	struct rcu_work free_work;
};

/*
 * The hash of a masked address pair.  For IPv4 (every word but the first of
 * each address zero) this is one jhash_3words; IPv6 folds its upper words
 * in.  Lookups probe one table per prefix-length pair, so this is most of
 * what a lookup costs.
 */
static u32 bitsec_sp_hash(const void *data, u32 len, u32 seed)
{
	const struct bitsec_sp_key *k = data;
	const u32 *s = k->saddr.s6_addr32, *d = k->daddr.s6_addr32;

	return jhash_3words(s[0] ^ s[1], d[0] ^ s[2], s[3] ^ rol32(d[1] ^ d[2] ^ d[3], 16),
			    seed);
}

static const struct rhashtable_params bitsec_sp_params = {
	.key_len = sizeof(struct bitsec_sp_key),
	.hashfn = bitsec_sp_hash,
	.key_offset = offsetof(struct bitsec_sp, key),
	.head_offset = offsetof(struct bitsec_sp, node),
	.automatic_shrinking = true,
};

/* @out may be @in. */
static void bitsec_mask(struct in6_addr *out, const struct in6_addr *in, u8 plen, u8 family)
{
	unsigned int i, words = family == AF_INET ? 1 : 4;
	struct in6_addr a = {};

	for (i = 0; i < words && plen; i++) {
		u32 m = plen >= 32 ? ~0U : ~0U << (32 - plen);

		a.s6_addr32[i] = in->s6_addr32[i] & htonl(m);
		plen -= min_t(u8, plen, 32);
	}
	*out = a;
}

struct bitsec_sp *bitsec_sp_alloc(gfp_t gfp)
{
	return kzalloc(sizeof(struct bitsec_sp), gfp);
}
BITSEC_EXPORT_INTERNAL(bitsec_sp_alloc);

void bitsec_sp_free(struct bitsec_sp *sp)
{
	kfree_rcu(sp, rcu);
}
BITSEC_EXPORT_INTERNAL(bitsec_sp_free);

static bool bitsec_sp_port_ok(bool has, u16 want, u16 got)
{
	return !has || want == got;
}

/* The selector parts the group's hash did not already decide. */
static bool bitsec_sp_match(const struct bitsec_sp *sp, const struct bitsec_flow *fl)
{
	if (sp->ulproto == BITSEC_ULPROTO_ANY)
		return true;
	if (sp->ulproto != fl->proto)
		return false;
	if (fl->proto == IPPROTO_ICMP || fl->proto == IPPROTO_ICMPV6)
		return bitsec_sp_port_ok(sp->has_icmp_type, sp->icmp_type, fl->sport) &&
		       bitsec_sp_port_ok(sp->has_icmp_code, sp->icmp_code, fl->dport);
	return bitsec_sp_port_ok(sp->has_sport, sp->sport, fl->sport) &&
	       bitsec_sp_port_ok(sp->has_dport, sp->dport, fl->dport);
}

static bool bitsec_sp_better(const struct bitsec_sp *a, const struct bitsec_sp *b)
{
	return !b || a->priority < b->priority ||
	       (a->priority == b->priority && a->seq < b->seq);
}

/* Caller holds rcu_read_lock(). */
struct bitsec_sp *bitsec_spd_lookup(struct bitsec_spd *spd, u8 dir,
				    const struct bitsec_flow *fl)
{
	const struct bitsec_sp_groups *gs = rcu_dereference(spd->dir[dir]);
	struct bitsec_sp *best = NULL, *sp;
	struct rhlist_head *list, *pos;
	struct bitsec_sp_key key;
	unsigned int i;

	if (!gs)
		return NULL;
	for (i = 0; i < gs->n; i++) {
		struct bitsec_sp_group *g = gs->g[i];

		if (best && READ_ONCE(g->best_prio) > best->priority)
			break;
		if (g->family != fl->family)
			continue;
		bitsec_mask(&key.saddr, &fl->saddr, g->splen, g->family);
		bitsec_mask(&key.daddr, &fl->daddr, g->dplen, g->family);
		list = rhltable_lookup(&g->tbl, &key, bitsec_sp_params);
		rhl_for_each_entry_rcu(sp, pos, list, node)
			if (bitsec_sp_match(sp, fl) && bitsec_sp_better(sp, best))
				best = sp;
	}
	return best;
}
BITSEC_EXPORT_INTERNAL(bitsec_spd_lookup);

static int bitsec_group_cmp(const void *a, const void *b)
{
	const struct bitsec_sp_group *x = *(struct bitsec_sp_group * const *)a;
	const struct bitsec_sp_group *y = *(struct bitsec_sp_group * const *)b;

	return x->best_prio < y->best_prio ? -1 : x->best_prio > y->best_prio;
}

/* Publish @dir's groups, plus @add and minus @drop, sorted by best_prio. */
static int bitsec_groups_publish(struct bitsec_spd *spd, u8 dir,
				 struct bitsec_sp_group *add, struct bitsec_sp_group *drop)
{
	struct bitsec_sp_groups *old = rcu_dereference_protected(spd->dir[dir], true);
	unsigned int i, n = old ? old->n : 0;
	struct bitsec_sp_groups *gs;

	gs = kmalloc(struct_size(gs, g, n + 1), GFP_KERNEL_ACCOUNT);
	if (!gs)
		return -ENOMEM;
	gs->n = 0;
	for (i = 0; i < n; i++)
		if (old->g[i] != drop)
			gs->g[gs->n++] = old->g[i];
	if (add)
		gs->g[gs->n++] = add;
	sort(gs->g, gs->n, sizeof(gs->g[0]), bitsec_group_cmp, NULL);
	rcu_assign_pointer(spd->dir[dir], gs);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static struct bitsec_sp_group *bitsec_group_find(struct bitsec_spd *spd, const struct bitsec_sp *sp)
{
	struct bitsec_sp_groups *gs = rcu_dereference_protected(spd->dir[sp->dir], true);
	unsigned int i;

	for (i = 0; gs && i < gs->n; i++)
		if (gs->g[i]->family == sp->family && gs->g[i]->splen == sp->splen &&
		    gs->g[i]->dplen == sp->dplen)
			return gs->g[i];
	return NULL;
}

static void bitsec_group_free_work(struct work_struct *work)
{
	struct bitsec_sp_group *g = container_of(to_rcu_work(work), struct bitsec_sp_group,
						 free_work);

	rhltable_destroy(&g->tbl);
	kfree(g);
}

static struct bitsec_sp_group *bitsec_group_create(struct bitsec_spd *spd,
						   const struct bitsec_sp *sp)
{
	struct bitsec_sp_group *g = kzalloc(sizeof(*g), GFP_KERNEL_ACCOUNT);

	if (!g)
		return NULL;
	if (rhltable_init(&g->tbl, &bitsec_sp_params)) {
		kfree(g);
		return NULL;
	}
	g->family = sp->family;
	g->splen = sp->splen;
	g->dplen = sp->dplen;
	g->best_prio = U32_MAX;
	INIT_RCU_WORK(&g->free_work, bitsec_group_free_work);
	if (bitsec_groups_publish(spd, sp->dir, g, NULL)) {
		rhltable_destroy(&g->tbl);
		kfree(g);
		return NULL;
	}
	return g;
}

/* @a is in the table (masked key); @b's key may not be masked yet. */
static bool bitsec_sp_same_selector(const struct bitsec_sp *a, const struct bitsec_sp *b)
{
	struct in6_addr s, d;

	bitsec_mask(&s, &b->key.saddr, b->splen, b->family);
	bitsec_mask(&d, &b->key.daddr, b->dplen, b->family);
	return a->dir == b->dir && a->family == b->family && a->splen == b->splen &&
	       a->dplen == b->dplen && ipv6_addr_equal(&a->key.saddr, &s) &&
	       ipv6_addr_equal(&a->key.daddr, &d) &&
	       a->ulproto == b->ulproto && a->has_sport == b->has_sport &&
	       a->sport == b->sport && a->has_dport == b->has_dport && a->dport == b->dport &&
	       a->has_icmp_type == b->has_icmp_type && a->icmp_type == b->icmp_type &&
	       a->has_icmp_code == b->has_icmp_code && a->icmp_code == b->icmp_code;
}

static void bitsec_sp_normalise(struct bitsec_sp *sp)
{
	bitsec_mask(&sp->key.saddr, &sp->key.saddr, sp->splen, sp->family);
	bitsec_mask(&sp->key.daddr, &sp->key.daddr, sp->dplen, sp->family);
}

/*
 * The policy with @like's direction and selector (its addresses as given,
 * masked here); cfg_lock held.
 */
struct bitsec_sp *bitsec_spd_find(struct bitsec_spd *spd, const struct bitsec_sp *like)
{
	struct bitsec_sp_group *g = bitsec_group_find(spd, like);
	struct rhlist_head *list, *pos;
	struct bitsec_sp *sp, *found = NULL;
	struct bitsec_sp_key key;

	if (!g)
		return NULL;
	bitsec_mask(&key.saddr, &like->key.saddr, like->splen, like->family);
	bitsec_mask(&key.daddr, &like->key.daddr, like->dplen, like->family);
	rcu_read_lock();
	list = rhltable_lookup(&g->tbl, &key, bitsec_sp_params);
	rhl_for_each_entry_rcu(sp, pos, list, node)
		if (bitsec_sp_same_selector(sp, like))
			found = sp;
	rcu_read_unlock();
	return found;
}
BITSEC_EXPORT_INTERNAL(bitsec_spd_find);

static void bitsec_spd_unlink(struct bitsec_spd *spd, struct bitsec_sp *sp)
{
	struct bitsec_sp_group *g = sp->group;

	rhltable_remove(&g->tbl, &sp->node, bitsec_sp_params);
	xa_erase(&spd->by_index, sp->index);
	spd->count--;
	if (!--g->count) {
		/* Readers may still be inside it: free after a grace period. */
		if (!bitsec_groups_publish(spd, sp->dir, NULL, g))
			queue_rcu_work(bitsec_wq, &g->free_work);
		else
			g->best_prio = U32_MAX;	/* keep the empty group; harmless */
	}
}

/*
 * Insert @sp (its key holding the addresses as given: they are masked
 * here).  With @replace, a policy with the same direction and selector is
 * swapped out and @sp takes its place in the order; without it, such a
 * policy makes the insert fail with -EEXIST.  On success the SPD owns @sp.
 */
int bitsec_spd_insert(struct bitsec_spd *spd, struct bitsec_sp *sp, bool replace,
		      struct netlink_ext_ack *extack)
{
	struct bitsec_sp_group *g;
	struct bitsec_sp *old;
	int err;

	bitsec_sp_normalise(sp);
	old = bitsec_spd_find(spd, sp);
	if (old && !replace) {
		NL_SET_ERR_MSG_MOD(extack, "a policy with this direction and selector exists; use spdupdate to replace it");
		return -EEXIST;
	}
	g = bitsec_group_find(spd, sp) ?: bitsec_group_create(spd, sp);
	if (!g)
		goto nomem;
	sp->group = g;
	sp->seq = old ? old->seq : ++spd->next_seq;
	sp->add_time = ktime_get_real_seconds();
	err = xa_alloc_cyclic(&spd->by_index, &sp->index, sp, xa_limit_32b, &spd->next_index,
			      GFP_KERNEL_ACCOUNT);
	if (err < 0)
		goto drop_group;
	if (sp->priority < g->best_prio)
		WRITE_ONCE(g->best_prio, sp->priority);
	err = rhltable_insert(&g->tbl, &sp->node, bitsec_sp_params);
	if (err) {
		xa_erase(&spd->by_index, sp->index);
		goto drop_group;
	}
	g->count++;
	spd->count++;
	/* Keep the published order sorted; on failure lookups stop later. */
	bitsec_groups_publish(spd, sp->dir, NULL, NULL);
	if (old) {
		bitsec_spd_unlink(spd, old);
		bitsec_sp_free(old);
	}
	return 0;

drop_group:
	if (!g->count && !bitsec_groups_publish(spd, sp->dir, NULL, g))
		queue_rcu_work(bitsec_wq, &g->free_work);
nomem:
	NL_SET_ERR_MSG_MOD(extack, "out of memory for the policy tables");
	return -ENOMEM;
}
BITSEC_EXPORT_INTERNAL(bitsec_spd_insert);

void bitsec_spd_remove(struct bitsec_spd *spd, struct bitsec_sp *sp)
{
	bitsec_spd_unlink(spd, sp);
	bitsec_sp_free(sp);
}
BITSEC_EXPORT_INTERNAL(bitsec_spd_remove);

/* Remove every policy, or those of one direction (@dir < 0: all). */
unsigned int bitsec_spd_flush(struct bitsec_spd *spd, int dir)
{
	struct bitsec_sp *sp;
	unsigned long idx;
	unsigned int n = 0;

	xa_for_each(&spd->by_index, idx, sp) {
		if (dir >= 0 && sp->dir != dir)
			continue;
		bitsec_spd_remove(spd, sp);
		n++;
		cond_resched();
	}
	return n;
}
BITSEC_EXPORT_INTERNAL(bitsec_spd_flush);

int bitsec_spd_init(struct bitsec_spd *spd)
{
	memset(spd, 0, sizeof(*spd));
	xa_init_flags(&spd->by_index, XA_FLAGS_ALLOC1);
	return 0;
}
BITSEC_EXPORT_INTERNAL(bitsec_spd_init);

void bitsec_spd_destroy(struct bitsec_spd *spd)
{
	unsigned int d;

	bitsec_spd_flush(spd, -1);
	for (d = 0; d < ARRAY_SIZE(spd->dir); d++) {
		struct bitsec_sp_groups *gs = rcu_dereference_protected(spd->dir[d], true);

		RCU_INIT_POINTER(spd->dir[d], NULL);
		if (gs)
			kfree_rcu(gs, rcu);
	}
	xa_destroy(&spd->by_index);
}
BITSEC_EXPORT_INTERNAL(bitsec_spd_destroy);
