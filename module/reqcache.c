// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: per-CPU caches of crypto request memory.
 *
 * Every ESP or AH packet needs one block for its request, scatterlist and
 * continuation.  Blocks of BITSEC_REQ_SIZE bytes are kept on a small stack
 * per CPU, so a steady flow allocates nothing: a block freed goes back to
 * the freeing CPU's stack (or to the slab allocator when that is full),
 * and a request that is larger than a block is allocated and freed as it
 * is.  req_alloc counts the calls that had to allocate.
 */
#include <linux/percpu.h>
#include <linux/slab.h>

#include "bitsec.h"

struct bitsec_req_cache {
	unsigned int n;
	void *obj[BITSEC_REQ_CACHE];
};

static DEFINE_PER_CPU(struct bitsec_req_cache, bitsec_req_caches);

/* @size bytes for a crypto request, from this CPU's cache if it fits. */
void *bitsec_req_alloc(struct bitsec_net *bn, size_t size)
{
	struct bitsec_req_cache *c;
	void *p = NULL;

	if (likely(size <= BITSEC_REQ_SIZE)) {
		local_bh_disable();
		c = this_cpu_ptr(&bitsec_req_caches);
		if (c->n)
			p = c->obj[--c->n];
		local_bh_enable();
		if (p)
			return p;
		/* A full block, so that it can join a cache when freed. */
		size = BITSEC_REQ_SIZE;
	}
	if (bn)
		bitsec_stat_inc(bn, BITSEC_STAT_REQ_ALLOC);
	return kmalloc(size, GFP_ATOMIC);
}
BITSEC_EXPORT_INTERNAL(bitsec_req_alloc);

/* Free @p, allocated by bitsec_req_alloc() for @size bytes. */
void bitsec_req_free(void *p, size_t size)
{
	struct bitsec_req_cache *c;

	/* A crypto driver may complete in hard IRQ context: no cache there. */
	if (p && size <= BITSEC_REQ_SIZE && !in_hardirq() && !irqs_disabled()) {
		local_bh_disable();
		c = this_cpu_ptr(&bitsec_req_caches);
		if (c->n < BITSEC_REQ_CACHE) {
			c->obj[c->n++] = p;
			p = NULL;
		}
		local_bh_enable();
	}
	kfree(p);
}
BITSEC_EXPORT_INTERNAL(bitsec_req_free);

/* Module exit, nothing in flight: every cached block goes back. */
void bitsec_req_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct bitsec_req_cache *c = per_cpu_ptr(&bitsec_req_caches, cpu);

		while (c->n)
			kfree(c->obj[--c->n]);
	}
}
