// SPDX-License-Identifier: GPL-2.0
/* KUnit: the security policy database. */
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"
#include "tests.h"
#include "spd_gen.h"

#define sp4 bitsec_gen_sp4
#define flow4 bitsec_gen_flow4

static struct bitsec_sp *lookup(struct bitsec_spd *spd, u8 dir, struct bitsec_flow fl)
{
	struct bitsec_sp *sp;

	rcu_read_lock();
	sp = bitsec_spd_lookup(spd, dir, &fl);
	rcu_read_unlock();
	return sp;
}

static int spd_init(struct kunit *test)
{
	struct bitsec_spd *spd = kunit_kzalloc(test, sizeof(*spd), GFP_KERNEL);

	if (!spd)
		return -ENOMEM;
	bitsec_spd_init(spd);
	test->priv = spd;
	return 0;
}

static void spd_exit(struct kunit *test)
{
	bitsec_spd_destroy(test->priv);
	rcu_barrier();
	flush_workqueue(bitsec_wq);
}

#define INSERT(spd, sp) KUNIT_ASSERT_EQ(test, bitsec_spd_insert(spd, sp, false, NULL), 0)

static void bitsec_spd_prefix_and_priority(struct kunit *test)
{
	struct bitsec_spd *spd = test->priv;
	struct bitsec_sp *any, *net, *host, *low;

	any = sp4(BITSEC_DIR_OUT, 0, 0, 0, 0, 1000);
	net = sp4(BITSEC_DIR_OUT, IP4(10, 1, 0, 0), 16, IP4(10, 2, 0, 0), 16, 500);
	host = sp4(BITSEC_DIR_OUT, IP4(10, 1, 2, 3), 32, IP4(10, 2, 3, 4), 32, 700);
	INSERT(spd, any);
	INSERT(spd, net);
	INSERT(spd, host);

	/* Lowest priority value wins, whatever the prefix length. */
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_OUT,
					 flow4(IP4(10, 1, 2, 3), IP4(10, 2, 3, 4), 6, 1, 2)), net);
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_OUT,
					 flow4(IP4(10, 1, 9, 9), IP4(10, 2, 0, 1), 17, 1, 2)), net);
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_OUT,
					 flow4(IP4(10, 3, 0, 1), IP4(10, 2, 0, 1), 17, 1, 2)), any);
	/* Another direction has nothing. */
	KUNIT_EXPECT_NULL(test, lookup(spd, BITSEC_DIR_IN,
				       flow4(IP4(10, 1, 2, 3), IP4(10, 2, 3, 4), 6, 1, 2)));

	/* A better priority for the host policy's pair takes over. */
	low = sp4(BITSEC_DIR_OUT, IP4(10, 1, 2, 3), 32, IP4(10, 2, 3, 4), 32, 100);
	low->ulproto = IPPROTO_TCP;
	INSERT(spd, low);
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_OUT,
					 flow4(IP4(10, 1, 2, 3), IP4(10, 2, 3, 4), 6, 1, 2)), low);
	/* ...for TCP only. */
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_OUT,
					 flow4(IP4(10, 1, 2, 3), IP4(10, 2, 3, 4), 17, 1, 2)), net);
}

/* Equal priorities: the policy added first wins (setkey, Linux). */
static void bitsec_spd_ties_go_to_the_older(struct kunit *test)
{
	struct bitsec_spd *spd = test->priv;
	struct bitsec_sp *a = sp4(BITSEC_DIR_OUT, IP4(10, 0, 0, 0), 8, 0, 0, 50);
	struct bitsec_sp *b = sp4(BITSEC_DIR_OUT, 0, 0, IP4(10, 0, 0, 0), 8, 50);
	struct bitsec_sp *c;

	INSERT(spd, a);
	INSERT(spd, b);
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_OUT,
					 flow4(IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 1, 8, 0)), a);
	/* Replacing a keeps its place in the order. */
	c = sp4(BITSEC_DIR_OUT, IP4(10, 0, 0, 0), 8, 0, 0, 50);
	c->action = BITSEC_ACT_DISCARD;
	KUNIT_ASSERT_EQ(test, bitsec_spd_insert(spd, c, true, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_OUT,
					 flow4(IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 1, 8, 0)), c);
	KUNIT_EXPECT_EQ(test, spd->count, 2U);
}

static void bitsec_spd_ports_and_icmp(struct kunit *test)
{
	struct bitsec_spd *spd = test->priv;
	struct bitsec_sp *web = sp4(BITSEC_DIR_IN, 0, 0, IP4(192, 168, 1, 1), 32, 10);
	struct bitsec_sp *ping = sp4(BITSEC_DIR_IN, 0, 0, IP4(192, 168, 1, 1), 32, 20);
	struct bitsec_sp *rest = sp4(BITSEC_DIR_IN, 0, 0, IP4(192, 168, 1, 1), 32, 30);

	web->ulproto = IPPROTO_TCP;
	web->has_dport = true;
	web->dport = 443;
	ping->ulproto = IPPROTO_ICMP;
	ping->has_icmp_type = true;
	ping->icmp_type = 8;
	INSERT(spd, web);
	INSERT(spd, ping);
	INSERT(spd, rest);
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_IN,
					 flow4(IP4(1, 2, 3, 4), IP4(192, 168, 1, 1), 6, 5555, 443)), web);
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_IN,
					 flow4(IP4(1, 2, 3, 4), IP4(192, 168, 1, 1), 6, 5555, 80)), rest);
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_IN,
					 flow4(IP4(1, 2, 3, 4), IP4(192, 168, 1, 1), 1, 8, 0)), ping);
	KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_IN,
					 flow4(IP4(1, 2, 3, 4), IP4(192, 168, 1, 1), 1, 0, 0)), rest);
	KUNIT_EXPECT_NULL(test, lookup(spd, BITSEC_DIR_IN,
				       flow4(IP4(1, 2, 3, 4), IP4(192, 168, 1, 2), 1, 8, 0)));
}

static void bitsec_spd_duplicate_find_remove(struct kunit *test)
{
	struct bitsec_spd *spd = test->priv;
	struct bitsec_sp *a = sp4(BITSEC_DIR_FWD, IP4(10, 1, 2, 3), 24, 0, 0, 1);
	struct bitsec_sp *dup = sp4(BITSEC_DIR_FWD, IP4(10, 1, 2, 99), 24, 0, 0, 2);
	struct netlink_ext_ack extack = {};

	INSERT(spd, a);
	/* Same selector once masked: refused without replace. */
	KUNIT_EXPECT_EQ(test, bitsec_spd_insert(spd, dup, false, &extack), -EEXIST);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_PTR_EQ(test, bitsec_spd_find(spd, dup), a);
	kfree(dup);
	/* The stored address is the masked one. */
	KUNIT_EXPECT_EQ(test, ntohl(a->key.saddr.s6_addr32[0]), (u32)IP4(10, 1, 2, 0));
	KUNIT_EXPECT_GT(test, a->index, 0U);

	bitsec_spd_remove(spd, a);
	KUNIT_EXPECT_EQ(test, spd->count, 0U);
	KUNIT_EXPECT_NULL(test, lookup(spd, BITSEC_DIR_FWD,
				       flow4(IP4(10, 1, 2, 5), IP4(8, 8, 8, 8), 6, 1, 1)));
	/* The emptied group is gone from the published array. */
	KUNIT_EXPECT_EQ(test, rcu_dereference_protected(spd->dir[BITSEC_DIR_FWD], true)->n, 0U);
}

static void bitsec_spd_flush_dir(struct kunit *test)
{
	struct bitsec_spd *spd = test->priv;
	int i;

	for (i = 0; i < 30; i++)
		INSERT(spd, sp4(i % 3, IP4(10, 0, 0, i), 32, 0, 0, i));
	KUNIT_EXPECT_EQ(test, bitsec_spd_flush(spd, BITSEC_DIR_IN), 10U);
	KUNIT_EXPECT_EQ(test, spd->count, 20U);
	KUNIT_EXPECT_EQ(test, bitsec_spd_flush(spd, -1), 20U);
	KUNIT_EXPECT_EQ(test, spd->count, 0U);
}

/*
 * ns per lookup with 1, 1,000 and 100,000 other policies (half host pairs,
 * half /24-/16 prefixes), the flow matching one policy of its own.  Under
 * KASAN and TCG only the ratio between rows means anything; the figures go
 * to the log (make bench measures on the stock kernel).  The assertion is
 * correctness: the right policy is found at every size.
 */
static void bitsec_spd_scale(struct kunit *test)
{
	static const unsigned int sizes[] = { 1, 1000, 100000 };
	struct bitsec_spd *spd = test->priv;
	struct bitsec_flow fl = flow4(IP4(172, 16, 0, 1), IP4(172, 17, 0, 1), 6, 1000, 22);
	struct bitsec_sp *mine = sp4(BITSEC_DIR_OUT, IP4(172, 16, 0, 1), 32,
				     IP4(172, 17, 0, 1), 32, 10);
	unsigned int s, i, have = 0, iters = 20000;
	u64 base_ns = 0;

	INSERT(spd, mine);
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		u64 t0, ns;

		KUNIT_ASSERT_EQ(test, bitsec_gen_fill(spd, &have, sizes[s]), 0);
		KUNIT_EXPECT_PTR_EQ(test, lookup(spd, BITSEC_DIR_OUT, fl), mine);
		t0 = ktime_get_ns();
		rcu_read_lock();
		for (i = 0; i < iters; i++)
			bitsec_spd_lookup(spd, BITSEC_DIR_OUT, &fl);
		rcu_read_unlock();
		ns = (ktime_get_ns() - t0) / iters;
		if (!s)
			base_ns = ns ?: 1;
		kunit_info(test, "SPD lookup with %u other policies: %llu ns (%llu%% of 1)",
			   sizes[s], ns, ns * 100 / base_ns);
	}
}

static struct kunit_case bitsec_spd_cases[] = {
	KUNIT_CASE(bitsec_spd_prefix_and_priority),
	KUNIT_CASE(bitsec_spd_ties_go_to_the_older),
	KUNIT_CASE(bitsec_spd_ports_and_icmp),
	KUNIT_CASE(bitsec_spd_duplicate_find_remove),
	KUNIT_CASE(bitsec_spd_flush_dir),
	KUNIT_CASE(bitsec_spd_scale),
	{}
};

struct kunit_suite bitsec_spd_suite = {
	.name = "bitsec_spd",
	.init = spd_init,
	.exit = spd_exit,
	.test_cases = bitsec_spd_cases,
};
