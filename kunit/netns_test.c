// SPDX-License-Identifier: GPL-2.0
/* KUnit: per network namespace state. */
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/ktime.h>

#include "bitsec.h"
#include "tests.h"

/* The initial namespace exists before the module, so it must have state. */
static void bitsec_netns_init_net_has_state(struct kunit *test)
{
	struct bitsec_net *bn = bitsec_net(&init_net);

	KUNIT_ASSERT_NOT_NULL(test, bn);
	KUNIT_EXPECT_PTR_EQ(test, bn->net, &init_net);
	KUNIT_EXPECT_GT(test, bn->created_ns, 0ULL);
	KUNIT_EXPECT_LE(test, bn->created_ns, ktime_get_boottime_ns());
}

/* Whatever namespace loaded the test module resolves to its own state. */
static void bitsec_netns_current_net_has_state(struct kunit *test)
{
	struct net *net = current->nsproxy->net_ns;
	struct bitsec_net *bn = bitsec_net(net);

	KUNIT_ASSERT_NOT_NULL(test, bn);
	KUNIT_EXPECT_PTR_EQ(test, bn->net, net);
}

/* Lock usable after init (lockdep sees it), cleared on exit. */
static void bitsec_netns_state_lifecycle(struct kunit *test)
{
	struct bitsec_net *bn;

	bn = kunit_kzalloc(test, sizeof(*bn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bn);

	KUNIT_ASSERT_EQ(test, bitsec_net_state_init(bn, &init_net), 0);
	KUNIT_EXPECT_PTR_EQ(test, bn->net, &init_net);
	mutex_lock(&bn->cfg_lock);
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&bn->cfg_lock));
	mutex_unlock(&bn->cfg_lock);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&bn->cfg_lock));

	bitsec_net_state_exit(bn);
	KUNIT_EXPECT_NULL(test, bn->net);
}

/* Repeated init/exit must neither leak nor trip lockdep's key checks. */
static void bitsec_netns_state_reinit(struct kunit *test)
{
	struct bitsec_net *bn;
	int i;

	bn = kunit_kzalloc(test, sizeof(*bn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bn);
	for (i = 0; i < 100; i++) {
		KUNIT_ASSERT_EQ(test, bitsec_net_state_init(bn, &init_net), 0);
		bitsec_net_state_exit(bn);
	}
}

/* Counters: per-CPU adds from any CPU fold into one sum; names are complete. */
static void bitsec_netns_stats(struct kunit *test)
{
	u64 sum[__BITSEC_STAT_MAX];
	struct bitsec_net *bn;
	unsigned int i;

	bn = kunit_kzalloc(test, sizeof(*bn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bn);
	KUNIT_ASSERT_EQ(test, bitsec_net_state_init(bn, &init_net), 0);
	bitsec_stats_fold(bn, sum);
	for (i = 0; i < __BITSEC_STAT_MAX; i++)
		KUNIT_EXPECT_EQ(test, sum[i], 0ULL);
	local_bh_disable();
	bitsec_stat_inc(bn, BITSEC_STAT_IN_REPLAY);
	bitsec_stat_add(bn, BITSEC_STAT_OUT_BYTES, 1500);
	local_bh_enable();
	/* Another CPU's slot counts too. */
	per_cpu_ptr(bn->stats, cpumask_last(cpu_possible_mask))->v[BITSEC_STAT_IN_REPLAY] += 2;
	bitsec_stats_fold(bn, sum);
	KUNIT_EXPECT_EQ(test, sum[BITSEC_STAT_IN_REPLAY], 3ULL);
	KUNIT_EXPECT_EQ(test, sum[BITSEC_STAT_OUT_BYTES], 1500ULL);
	KUNIT_EXPECT_EQ(test, sum[BITSEC_STAT_IN_AUTH], 0ULL);
	for (i = BITSEC_STAT_PAD + 1; i < __BITSEC_STAT_MAX; i++)
		KUNIT_EXPECT_NOT_NULL(test, bitsec_stat_name(i));
	KUNIT_EXPECT_NULL(test, bitsec_stat_name(BITSEC_STAT_PAD));
	KUNIT_EXPECT_STREQ(test, bitsec_stat_name(BITSEC_STAT_IN_AUTH), "in_auth_failed");
	bitsec_net_state_exit(bn);
	KUNIT_EXPECT_NULL(test, bn->stats);
}

static struct kunit_case bitsec_netns_cases[] = {
	KUNIT_CASE(bitsec_netns_init_net_has_state),
	KUNIT_CASE(bitsec_netns_current_net_has_state),
	KUNIT_CASE(bitsec_netns_state_lifecycle),
	KUNIT_CASE(bitsec_netns_state_reinit),
	KUNIT_CASE(bitsec_netns_stats),
	{}
};

struct kunit_suite bitsec_netns_suite = {
	.name = "bitsec_netns",
	.test_cases = bitsec_netns_cases,
};
