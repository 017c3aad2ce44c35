// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: per-CPU caches of crypto request memory.
 *
 * Every ESP or AH packet needs one block for its request, scatterlist and
 * continuation.  Blocks of BITSEC_REQ_BLOCK bytes are kept on a small stack
 * per CPU, so a steady flow allocates nothing.  A block remembers the CPU
 * that allocated it and goes back to that CPU's cache when freed: on that
 * CPU straight onto its stack, from any other (parallel crypto frees on
 * the SA's home CPU, a driver may complete in hard IRQ context) onto a
 * lock-free list its owner takes back when its stack runs dry.  Requests
 * larger than a block are allocated and freed by themselves.  req_alloc
 * counts the calls that had to allocate.
 */
#include <linux/llist.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "bitsec.h"

/* In front of each block's request; a cache line keeps its alignment. */
struct bitsec_req_hdr {
	struct llist_node node;
	int cpu;
} ____cacheline_aligned;

static_assert(sizeof(struct bitsec_req_hdr) + BITSEC_REQ_MAX == BITSEC_REQ_BLOCK);

struct bitsec_req_cache {
	unsigned int n;
	struct bitsec_req_hdr *obj[BITSEC_REQ_CACHE];
	struct llist_head remote;	/* freed by other CPUs or contexts */
};

static DEFINE_PER_CPU(struct bitsec_req_cache, bitsec_req_caches);

/* With BHs off: the blocks other CPUs gave back, onto @c's stack. */
static void bitsec_req_reclaim(struct bitsec_req_cache *c)
{
	struct llist_node *list = llist_del_all(&c->remote);
	struct bitsec_req_hdr *h, *next;

	llist_for_each_entry_safe(h, next, list, node) {
		if (c->n < BITSEC_REQ_CACHE)
			c->obj[c->n++] = h;
		else
			kfree(h);
	}
}

/* @size bytes for a crypto request, from this CPU's cache if it fits. */
void *bitsec_req_alloc(struct bitsec_net *bn, size_t size)
{
	struct bitsec_req_hdr *h = NULL;
	struct bitsec_req_cache *c;

	if (unlikely(size > BITSEC_REQ_MAX)) {
		if (bn)
			bitsec_stat_inc(bn, BITSEC_STAT_REQ_ALLOC);
		return kmalloc(size, GFP_ATOMIC);
	}
	local_bh_disable();
	c = this_cpu_ptr(&bitsec_req_caches);
	if (!c->n && !llist_empty(&c->remote))
		bitsec_req_reclaim(c);
	if (c->n)
		h = c->obj[--c->n];
	local_bh_enable();
	if (!h) {
		h = kmalloc(BITSEC_REQ_BLOCK, GFP_ATOMIC);
		if (!h)
			return NULL;
		/* Whichever CPU this runs on now is as good an owner as any. */
		h->cpu = raw_smp_processor_id();
		if (bn)
			bitsec_stat_inc(bn, BITSEC_STAT_REQ_ALLOC);
	}
	return h + 1;
}
BITSEC_EXPORT_INTERNAL(bitsec_req_alloc);

/* Free @p, allocated by bitsec_req_alloc() for @size bytes. */
void bitsec_req_free(void *p, size_t size)
{
	struct bitsec_req_hdr *h = (struct bitsec_req_hdr *)p - 1;
	struct bitsec_req_cache *c;

	if (unlikely(!p || size > BITSEC_REQ_MAX)) {
		kfree(p);
		return;
	}
	if (in_hardirq() || irqs_disabled()) {
		llist_add(&h->node, &per_cpu_ptr(&bitsec_req_caches, h->cpu)->remote);
		return;
	}
	local_bh_disable();
	c = this_cpu_ptr(&bitsec_req_caches);
	if (h->cpu != smp_processor_id()) {
		llist_add(&h->node, &per_cpu_ptr(&bitsec_req_caches, h->cpu)->remote);
		h = NULL;
	} else if (c->n < BITSEC_REQ_CACHE) {
		c->obj[c->n++] = h;
		h = NULL;
	}
	local_bh_enable();
	kfree(h);
}
BITSEC_EXPORT_INTERNAL(bitsec_req_free);

/* Module exit, nothing in flight: every cached block goes back. */
void bitsec_req_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct bitsec_req_cache *c = per_cpu_ptr(&bitsec_req_caches, cpu);
		struct bitsec_req_hdr *h, *next;

		llist_for_each_entry_safe(h, next, llist_del_all(&c->remote), node)
			kfree(h);
		while (c->n)
			kfree(c->obj[--c->n]);
	}
}
