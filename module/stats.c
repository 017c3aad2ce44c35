// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: per-namespace counters (enum bitsec_stat).
 *
 * Per-CPU, so the datapath counts without sharing a cache line; readers
 * (GET_STATS and /proc/net/bitsec_stat) add the CPUs up.  Neither needs
 * privilege: the counters reveal no keys or addresses.
 */
#include <linux/delay.h>
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/genetlink.h>

#include "bitsec.h"

static const struct {
	unsigned int id;
	const char *name;
} bitsec_stat_list[] = {
#define BITSEC_STAT(id, name) { BITSEC_STAT_##id, name },
#include "stat_table.h"
#undef BITSEC_STAT
};

/* Every counter the ABI defines has a name: the table is complete. */
static_assert(ARRAY_SIZE(bitsec_stat_list) == __BITSEC_STAT_MAX - BITSEC_STAT_PAD - 1);

const char *bitsec_stat_name(unsigned int stat)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bitsec_stat_list); i++)
		if (bitsec_stat_list[i].id == stat)
			return bitsec_stat_list[i].name;
	return NULL;
}
BITSEC_EXPORT_INTERNAL(bitsec_stat_name);

void bitsec_stats_fold(struct bitsec_net *bn, u64 *sum)
{
	unsigned int cpu, i;

	memset(sum, 0, sizeof(u64) * __BITSEC_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct bitsec_stats *s = per_cpu_ptr(bn->stats, cpu);

		for (i = 0; i < __BITSEC_STAT_MAX; i++)
			sum[i] += READ_ONCE(s->v[i]);
	}
}
BITSEC_EXPORT_INTERNAL(bitsec_stats_fold);

#ifdef CONFIG_PROC_FS
static int bitsec_stat_show(struct seq_file *seq, void *v)
{
	struct bitsec_net *bn = bitsec_net(seq->private);
	u64 sum[__BITSEC_STAT_MAX];
	unsigned int i;

	bitsec_stats_fold(bn, sum);
	for (i = 0; i < ARRAY_SIZE(bitsec_stat_list); i++)
		seq_printf(seq, "%-24s %llu\n", bitsec_stat_list[i].name,
			   sum[bitsec_stat_list[i].id]);
	return 0;
}
#endif

int bitsec_stats_init(struct bitsec_net *bn)
{
	bn->stats = alloc_percpu_gfp(struct bitsec_stats, GFP_KERNEL_ACCOUNT);
	return bn->stats ? 0 : -ENOMEM;
}

/* Wait for every crypto request of @bn an async driver still holds. */
void bitsec_async_drain(struct bitsec_net *bn)
{
	unsigned int waited = 0;
	long n;
	int cpu;

	for (;;) {
		n = 0;
		for_each_possible_cpu(cpu)
			n += per_cpu_ptr(bn->stats, cpu)->inflight;
		if (!n)
			return;
		if (++waited == 10000)
			pr_warn("bitsec: %ld crypto requests still pending after 10 s; waiting\n", n);
		usleep_range(1000, 2000);
	}
}

void bitsec_stats_exit(struct bitsec_net *bn)
{
	free_percpu(bn->stats);
	bn->stats = NULL;
}

/* /proc/net/bitsec_stat of a real namespace (KUnit's scratch states have none). */
int bitsec_stats_proc_init(struct net *net)
{
#ifdef CONFIG_PROC_FS
	if (!proc_create_net_single("bitsec_stat", 0444, net->proc_net,
				    bitsec_stat_show, NULL))
		return -ENOMEM;
#endif
	return 0;
}

void bitsec_stats_proc_exit(struct net *net)
{
#ifdef CONFIG_PROC_FS
	remove_proc_entry("bitsec_stat", net->proc_net);
#endif
}

int bitsec_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	u64 sum[__BITSEC_STAT_MAX];
	unsigned int i, nsa, nsp;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(2 * nla_total_size(sizeof(u32)) + nla_total_size(0) +
			  __BITSEC_STAT_MAX * nla_total_size_64bit(sizeof(u64)),
			  GFP_KERNEL);
	if (!msg) {
		GENL_SET_ERR_MSG(info, "out of memory for the GET_STATS reply");
		return -ENOMEM;
	}
	bitsec_stats_fold(bn, sum);
	/* The counts are a snapshot; the lock only keeps them consistent. */
	mutex_lock(&bn->cfg_lock);
	nsa = bn->sad.count;
	nsp = bn->spd.count;
	mutex_unlock(&bn->cfg_lock);

	hdr = genlmsg_put_reply(msg, info, &bitsec_genl_family, 0, BITSEC_CMD_GET_STATS);
	if (!hdr || nla_put_u32(msg, BITSEC_A_SA_COUNT, nsa) ||
	    nla_put_u32(msg, BITSEC_A_SP_COUNT, nsp))
		goto too_big;
	nest = nla_nest_start(msg, BITSEC_A_STATS);
	if (!nest)
		goto too_big;
	for (i = 0; i < ARRAY_SIZE(bitsec_stat_list); i++)
		if (nla_put_u64_64bit(msg, bitsec_stat_list[i].id,
				      sum[bitsec_stat_list[i].id], BITSEC_STAT_PAD))
			goto too_big;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

too_big:
	nlmsg_free(msg);
	GENL_SET_ERR_MSG(info, "GET_STATS reply did not fit its buffer");
	return -EMSGSIZE;
}
