// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec_bench.ko: in-kernel micro-benchmarks for make bench, on kernels
 * without KUnit (Debian's stock kernel).  Loading it runs them and prints
 * one CSV line per measurement to the kernel log, prefixed "bitsec_bench:";
 * tools/testing/bench/spd-lookup.sh collects them.  It holds no state after
 * init, so it can be unloaded at once.
 *
 * SPD lookup: ns per lookup with 1, 1,000 and 100,000 outbound policies
 * (half host pairs, half prefix pairs, kunit/spd_gen.h), for a flow that
 * hits a host-pair policy, one that hits a prefix policy, and one no
 * policy matches (what bypass traffic pays).  Each figure is the best of
 * several rounds: on a shared or emulated CPU the minimum is the cost and
 * the rest is noise.
 */
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "kunit/spd_gen.h"

static unsigned int rounds = 7;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "rounds per figure; the best is reported");

static unsigned int iters = 100000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "lookups per round");

/* ns per lookup of @fl, best of @rounds; -1 if the wrong policy answers. */
static s64 bitsec_bench_lookup(struct bitsec_spd *spd, const struct bitsec_flow *fl,
			       const struct bitsec_sp *want)
{
	u64 best = U64_MAX;
	unsigned int r, i;

	rcu_read_lock();
	if (bitsec_spd_lookup(spd, BITSEC_DIR_OUT, fl) != want) {
		rcu_read_unlock();
		return -1;
	}
	rcu_read_unlock();
	for (r = 0; r < rounds; r++) {
		u64 t0, t;

		rcu_read_lock();
		t0 = ktime_get_ns();
		for (i = 0; i < iters; i++)
			barrier_data(bitsec_spd_lookup(spd, BITSEC_DIR_OUT, fl));
		t = ktime_get_ns() - t0;
		rcu_read_unlock();
		best = min(best, t);
		cond_resched();
	}
	return div_u64(best, iters);
}

static int bitsec_bench_spd(void)
{
	static const unsigned int sizes[] = { 1, 1000, 100000 };
	struct bitsec_flow exact, prefix, miss;
	struct bitsec_sp *host, *net;
	struct bitsec_spd *spd;
	unsigned int s, have = 0;
	int err = 0;

	spd = kzalloc(sizeof(*spd), GFP_KERNEL);
	if (!spd)
		return -ENOMEM;
	bitsec_spd_init(spd);
	/* The policies the flows hit, beside the generated population. */
	host = bitsec_gen_sp4(BITSEC_DIR_OUT, IP4(172, 16, 0, 1), 32, IP4(172, 17, 0, 1), 32, 10);
	net = bitsec_gen_sp4(BITSEC_DIR_OUT, IP4(172, 18, 0, 0), 16, IP4(172, 19, 0, 0), 16, 10);
	if (!host || !net) {
		bitsec_sp_free(host);
		bitsec_sp_free(net);
		err = -ENOMEM;
		goto out;
	}
	err = bitsec_spd_insert(spd, host, false, NULL);
	if (err) {
		bitsec_sp_free(host);
		bitsec_sp_free(net);
		goto out;
	}
	err = bitsec_spd_insert(spd, net, false, NULL);
	if (err) {
		bitsec_sp_free(net);
		goto out;
	}
	exact = bitsec_gen_flow4(IP4(172, 16, 0, 1), IP4(172, 17, 0, 1), IPPROTO_TCP, 40000, 22);
	prefix = bitsec_gen_flow4(IP4(172, 18, 9, 9), IP4(172, 19, 7, 7), IPPROTO_UDP, 5000, 53);
	miss = bitsec_gen_flow4(IP4(192, 0, 2, 1), IP4(198, 51, 100, 1), IPPROTO_TCP, 40000, 80);

	pr_info("bitsec_bench: spd,policies,exact_ns,prefix_ns,miss_ns\n");
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		s64 e, p, m;

		err = bitsec_gen_fill(spd, &have, sizes[s]);
		if (err)
			goto out;
		e = bitsec_bench_lookup(spd, &exact, host);
		p = bitsec_bench_lookup(spd, &prefix, net);
		m = bitsec_bench_lookup(spd, &miss, NULL);
		if (e < 0 || p < 0 || m < 0) {
			pr_err("bitsec_bench: spd: a lookup found the wrong policy with %u policies\n",
			       spd->count);
			err = -EINVAL;
			goto out;
		}
		pr_info("bitsec_bench: spd,%u,%lld,%lld,%lld\n", spd->count, e, p, m);
	}
out:
	bitsec_spd_destroy(spd);
	/* Policies are freed after a grace period, before @spd goes. */
	rcu_barrier();
	kfree(spd);
	return err;
}

static int __init bitsec_bench_init(void)
{
	int err;

	if (!rounds || !iters)
		return -EINVAL;
	err = bitsec_bench_spd();
	pr_info("bitsec_bench: done,%d\n", err);
	return err;
}

static void __exit bitsec_bench_exit(void)
{
}

module_init(bitsec_bench_init);
module_exit(bitsec_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bitsec micro-benchmarks (make bench)");
MODULE_IMPORT_NS(BITSEC_INTERNAL);
