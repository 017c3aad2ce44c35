// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: the generic-netlink family "bitsec".
 *
 * Commands that change state or reveal keys carry GENL_UNS_ADMIN_PERM, so
 * the check is CAP_NET_ADMIN in the user namespace that owns the caller's
 * network namespace: a container's root administers its own namespace and
 * nothing else.  GET_INFO and GET_STATS reveal nothing secret and are open
 * to everyone.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"

/*
 * The family policy.  Attributes only the kernel sends are refused by
 * name in a request, so a confused client hears why.
 */
static const struct nla_policy bitsec_policy[BITSEC_A_MAX + 1] = {
	[BITSEC_A_VERSION] = BITSEC_REPLY_ONLY("BITSEC_A_VERSION"),
	[BITSEC_A_NETNS_COOKIE] = BITSEC_REPLY_ONLY("BITSEC_A_NETNS_COOKIE"),
	[BITSEC_A_ALGS] = BITSEC_REPLY_ONLY("BITSEC_A_ALGS"),
	[BITSEC_A_SA] = _NLA_POLICY_NESTED(BITSEC_A_SA_MAX, bitsec_sa_policy),
	[BITSEC_A_PROTO] = { .type = NLA_U8 },
	[BITSEC_A_WITH_KEYS] = { .type = NLA_FLAG },
	[BITSEC_A_SP] = _NLA_POLICY_NESTED(BITSEC_A_SP_MAX, bitsec_sp_policy),
	[BITSEC_A_STATS] = BITSEC_REPLY_ONLY("BITSEC_A_STATS"),
	[BITSEC_A_SA_COUNT] = BITSEC_REPLY_ONLY("BITSEC_A_SA_COUNT"),
	[BITSEC_A_SP_COUNT] = BITSEC_REPLY_ONLY("BITSEC_A_SP_COUNT"),
	[BITSEC_A_EXPIRE_HARD] = BITSEC_REPLY_ONLY("BITSEC_A_EXPIRE_HARD"),
	[BITSEC_A_MAPPING_OLD] = BITSEC_REPLY_ONLY("BITSEC_A_MAPPING_OLD"),
	[BITSEC_A_MAPPING_NEW] = BITSEC_REPLY_ONLY("BITSEC_A_MAPPING_NEW"),
};

/* An address family attribute: AF_INET or AF_INET6, nothing else. */
int bitsec_nl_family(const struct nlattr *a, u8 *family, struct netlink_ext_ack *extack)
{
	u16 f = nla_get_u16(a);

	if (f != AF_INET && f != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, a, "family must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	*family = f;
	return 0;
}

/* An address of @family; none at all leaves @out zero (any). */
int bitsec_nl_addr(const struct nlattr *a, u8 family, struct in6_addr *out,
		   struct netlink_ext_ack *extack)
{
	unsigned int len = family == AF_INET ? 4 : 16;

	memset(out, 0, sizeof(*out));
	if (!a)
		return 0;
	if (nla_len(a) != len) {
		NL_SET_ERR_MSG_ATTR(extack, a, "address length does not match the family");
		return -EINVAL;
	}
	memcpy(out, nla_data(a), len);
	return 0;
}

/* Upper bound of one algorithm's nest in a GET_INFO reply. */
static size_t bitsec_alg_info_size(void)
{
	return nla_total_size(0) +			/* BITSEC_A_ALG */
	       3 * nla_total_size(BITSEC_NAME_MAX) +	/* NAME, CRYPTO, DRIVER */
	       4 * nla_total_size(sizeof(u16)) +	/* KEY_*, ICV_BITS */
	       2 * nla_total_size(sizeof(u8));		/* KIND, AVAILABLE */
}

static int bitsec_put_alg(struct sk_buff *msg, const struct bitsec_alg *alg)
{
	char driver[BITSEC_NAME_MAX];
	struct nlattr *nest;
	bool ok;

	ok = bitsec_alg_probe(alg, driver, sizeof(driver)) == 0;

	nest = nla_nest_start(msg, BITSEC_A_ALG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, BITSEC_A_ALG_NAME, alg->name) ||
	    nla_put_u8(msg, BITSEC_A_ALG_KIND, alg->kind) ||
	    nla_put_string(msg, BITSEC_A_ALG_CRYPTO, alg->crypto) ||
	    (ok && nla_put_string(msg, BITSEC_A_ALG_DRIVER, driver)) ||
	    nla_put_u16(msg, BITSEC_A_ALG_KEY_MIN, alg->key_min) ||
	    nla_put_u16(msg, BITSEC_A_ALG_KEY_MAX, alg->key_max) ||
	    nla_put_u16(msg, BITSEC_A_ALG_KEY_STEP, alg->key_step) ||
	    nla_put_u16(msg, BITSEC_A_ALG_ICV_BITS, alg->icv_bits) ||
	    nla_put_u8(msg, BITSEC_A_ALG_AVAILABLE, ok)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int bitsec_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr *algs;
	struct sk_buff *msg;
	unsigned int i;
	size_t size;
	void *hdr;

	size = nla_total_size(sizeof(BITSEC_VERSION)) +
	       nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size(0) + bitsec_algs_count * bitsec_alg_info_size();
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg) {
		GENL_SET_ERR_MSG(info, "out of memory for the GET_INFO reply");
		return -ENOMEM;
	}

	hdr = genlmsg_put_reply(msg, info, &bitsec_genl_family, 0,
				BITSEC_CMD_GET_INFO);
	if (!hdr)
		goto too_big;
	if (nla_put_string(msg, BITSEC_A_VERSION, BITSEC_VERSION) ||
	    nla_put_u64_64bit(msg, BITSEC_A_NETNS_COOKIE, net->net_cookie,
			      BITSEC_A_PAD))
		goto too_big;

	algs = nla_nest_start(msg, BITSEC_A_ALGS);
	if (!algs)
		goto too_big;
	for (i = 0; i < bitsec_algs_count; i++)
		if (bitsec_put_alg(msg, &bitsec_algs[i]))
			goto too_big;
	nla_nest_end(msg, algs);

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

too_big:
	/* The size above is an upper bound; reaching this is a bug. */
	nlmsg_free(msg);
	GENL_SET_ERR_MSG(info, "GET_INFO reply did not fit its buffer");
	return -EMSGSIZE;
}

#define BITSEC_ADMIN_OP(c, fn) \
	{ .cmd = (c), .doit = (fn), .flags = GENL_UNS_ADMIN_PERM }

static const struct genl_small_ops bitsec_genl_ops[] = {
	{
		.cmd = BITSEC_CMD_GET_INFO,
		.doit = bitsec_nl_get_info,
	},
	BITSEC_ADMIN_OP(BITSEC_CMD_SA_ADD, bitsec_nl_sa_add),
	BITSEC_ADMIN_OP(BITSEC_CMD_SA_UPDATE, bitsec_nl_sa_update),
	{
		.cmd = BITSEC_CMD_SA_GET,
		.doit = bitsec_nl_sa_get,
		.dumpit = bitsec_nl_sa_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	BITSEC_ADMIN_OP(BITSEC_CMD_SA_DEL, bitsec_nl_sa_del),
	BITSEC_ADMIN_OP(BITSEC_CMD_SA_DELALL, bitsec_nl_sa_delall),
	BITSEC_ADMIN_OP(BITSEC_CMD_SA_FLUSH, bitsec_nl_sa_flush),
	BITSEC_ADMIN_OP(BITSEC_CMD_SA_GETSPI, bitsec_nl_sa_getspi),
	BITSEC_ADMIN_OP(BITSEC_CMD_SP_ADD, bitsec_nl_sp_add),
	BITSEC_ADMIN_OP(BITSEC_CMD_SP_UPDATE, bitsec_nl_sp_update),
	{
		.cmd = BITSEC_CMD_SP_GET,
		.doit = bitsec_nl_sp_get,
		.dumpit = bitsec_nl_sp_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	BITSEC_ADMIN_OP(BITSEC_CMD_SP_DEL, bitsec_nl_sp_del),
	BITSEC_ADMIN_OP(BITSEC_CMD_SP_FLUSH, bitsec_nl_sp_flush),
	{
		.cmd = BITSEC_CMD_GET_STATS,
		.doit = bitsec_nl_get_stats,
	},
};

/* Events carry SPIs and addresses: joining needs CAP_NET_ADMIN too. */
static const struct genl_multicast_group bitsec_mcgrps[] = {
	{ .name = BITSEC_MCGRP_EVENTS, .flags = GENL_UNS_ADMIN_PERM },
};

struct genl_family bitsec_genl_family __ro_after_init = {
	.name = BITSEC_GENL_NAME,
	.version = BITSEC_GENL_VERSION,
	.maxattr = BITSEC_A_MAX,
	.policy = bitsec_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = bitsec_genl_ops,
	.n_small_ops = ARRAY_SIZE(bitsec_genl_ops),
	.mcgrps = bitsec_mcgrps,
	.n_mcgrps = ARRAY_SIZE(bitsec_mcgrps),
};
BITSEC_EXPORT_INTERNAL(bitsec_genl_family);

int bitsec_genl_register(void)
{
	return genl_register_family(&bitsec_genl_family);
}

void bitsec_genl_unregister(void)
{
	genl_unregister_family(&bitsec_genl_family);
}
