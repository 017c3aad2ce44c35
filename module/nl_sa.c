// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: generic-netlink commands on security associations.  Requests are
 * strictly validated against the policies here before a handler runs; the
 * handlers check what a policy cannot express (address lengths against the
 * family, algorithm names, combinations) and say what is wrong in extack.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"

static const struct nla_policy bitsec_key_policy[BITSEC_A_KEY_MAX + 1] = {
	[BITSEC_A_KEY_ALG] = { .type = NLA_NUL_STRING, .len = BITSEC_NAME_MAX - 1 },
	[BITSEC_A_KEY_DATA] = { .type = NLA_BINARY, .len = BITSEC_KEY_MAX },
};

static const struct nla_policy bitsec_life_policy[BITSEC_A_LIFE_MAX + 1] = {
	[BITSEC_A_LIFE_BYTES] = { .type = NLA_U64 },
	[BITSEC_A_LIFE_PACKETS] = { .type = NLA_U64 },
	[BITSEC_A_LIFE_ADD_SECS] = { .type = NLA_U64 },
	[BITSEC_A_LIFE_USE_SECS] = { .type = NLA_U64 },
};

static struct netlink_range_validation bitsec_keepalive_range = {
	.max = BITSEC_NATT_KEEPALIVE_MAX,
};

static const struct nla_policy bitsec_encap_policy[BITSEC_A_ENCAP_MAX + 1] = {
	[BITSEC_A_ENCAP_SPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[BITSEC_A_ENCAP_DPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[BITSEC_A_ENCAP_KEEPALIVE] = NLA_POLICY_FULL_RANGE(NLA_U32, &bitsec_keepalive_range),
	[BITSEC_A_ENCAP_PEER] = BITSEC_REPLY_ONLY("BITSEC_A_ENCAP_PEER"),
};

static struct netlink_range_validation bitsec_replay_range = {
	.max = BITSEC_REPLAY_MAX,
};

/* 6.1's NLA_POLICY_MAX holds an s16, too small for these limits. */
static struct netlink_range_validation bitsec_tfcpad_range = {
	.max = BITSEC_TFCPAD_MAX,
};

const struct nla_policy bitsec_sa_policy[BITSEC_A_SA_MAX + 1] = {
	[BITSEC_A_SA_FAMILY] = { .type = NLA_U16 },
	[BITSEC_A_SA_SRC] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[BITSEC_A_SA_DST] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[BITSEC_A_SA_PROTO] = { .type = NLA_U8 },
	[BITSEC_A_SA_SPI] = { .type = NLA_U32 },
	[BITSEC_A_SA_SPI_MAX] = { .type = NLA_U32 },
	[BITSEC_A_SA_MODE] = NLA_POLICY_MAX(NLA_U8, BITSEC_MODE_TUNNEL),
	[BITSEC_A_SA_REQID] = { .type = NLA_U32 },
	[BITSEC_A_SA_REPLAY] = NLA_POLICY_FULL_RANGE(NLA_U32, &bitsec_replay_range),
	[BITSEC_A_SA_FLAGS] = NLA_POLICY_MASK(NLA_U32, BITSEC_SA_F_ESN),
	[BITSEC_A_SA_PAD_TYPE] = NLA_POLICY_MAX(NLA_U8, BITSEC_PAD_SEQ),
	[BITSEC_A_SA_TFCPAD] = NLA_POLICY_FULL_RANGE(NLA_U32, &bitsec_tfcpad_range),
	[BITSEC_A_SA_ENC] = NLA_POLICY_NESTED(bitsec_key_policy),
	[BITSEC_A_SA_AUTH] = NLA_POLICY_NESTED(bitsec_key_policy),
	[BITSEC_A_SA_AEAD] = NLA_POLICY_NESTED(bitsec_key_policy),
	[BITSEC_A_SA_LIFE_SOFT] = NLA_POLICY_NESTED(bitsec_life_policy),
	[BITSEC_A_SA_LIFE_HARD] = NLA_POLICY_NESTED(bitsec_life_policy),
	[BITSEC_A_SA_ENCAP] = NLA_POLICY_NESTED(bitsec_encap_policy),
	[BITSEC_A_SA_STATE] = BITSEC_REPLY_ONLY("BITSEC_A_SA_STATE"),
	[BITSEC_A_SA_ID] = BITSEC_REPLY_ONLY("BITSEC_A_SA_ID"),
	[BITSEC_A_SA_CUR] = BITSEC_REPLY_ONLY("BITSEC_A_SA_CUR"),
	[BITSEC_A_SA_DROPS] = BITSEC_REPLY_ONLY("BITSEC_A_SA_DROPS"),
	[BITSEC_A_SA_PMTU] = BITSEC_REPLY_ONLY("BITSEC_A_SA_PMTU"),
	[BITSEC_A_SA_OVERHEAD] = BITSEC_REPLY_ONLY("BITSEC_A_SA_OVERHEAD"),
	[BITSEC_A_SA_INNER_MTU] = BITSEC_REPLY_ONLY("BITSEC_A_SA_INNER_MTU"),
	[BITSEC_A_SA_ADD_TIME] = BITSEC_REPLY_ONLY("BITSEC_A_SA_ADD_TIME"),
	[BITSEC_A_SA_USE_TIME] = BITSEC_REPLY_ONLY("BITSEC_A_SA_USE_TIME"),
	[BITSEC_A_SA_SEQ] = BITSEC_REPLY_ONLY("BITSEC_A_SA_SEQ"),
};

/* Which parts of the nest a command needs. */
#define NEED_SRC	BIT(0)
#define NEED_SPI	BIT(1)

/* Parse the request's SA nest into @cfg; @tb keeps the parsed nest. */
static int bitsec_sa_parse(struct genl_info *info, struct nlattr **tb,
			   struct bitsec_sa_cfg *cfg, unsigned int need)
{
	struct netlink_ext_ack *extack = info->extack;
	int err;

	memset(cfg, 0, sizeof(*cfg));
	if (!info->attrs[BITSEC_A_SA]) {
		NL_SET_ERR_MSG_MOD(extack, "request lacks the BITSEC_A_SA nest");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, BITSEC_A_SA_MAX, info->attrs[BITSEC_A_SA],
			       bitsec_sa_policy, extack);
	if (err)
		return err;

	if (!tb[BITSEC_A_SA_FAMILY] || !tb[BITSEC_A_SA_DST] || !tb[BITSEC_A_SA_PROTO]) {
		NL_SET_ERR_MSG_MOD(extack, "an SA needs its family, destination and protocol");
		return -EINVAL;
	}
	err = bitsec_nl_family(tb[BITSEC_A_SA_FAMILY], &cfg->family, extack) ?:
	      bitsec_nl_addr(tb[BITSEC_A_SA_DST], cfg->family, &cfg->daddr, extack) ?:
	      bitsec_nl_addr(tb[BITSEC_A_SA_SRC], cfg->family, &cfg->saddr, extack);
	if (err)
		return err;
	if (!tb[BITSEC_A_SA_SRC] && (need & NEED_SRC)) {
		NL_SET_ERR_MSG_MOD(extack, "this command needs the SA's source address");
		return -EINVAL;
	}
	cfg->proto = nla_get_u8(tb[BITSEC_A_SA_PROTO]);
	if (cfg->proto != IPPROTO_ESP && cfg->proto != IPPROTO_AH) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BITSEC_A_SA_PROTO], "protocol must be ESP (50) or AH (51)");
		return -EPROTONOSUPPORT;
	}
	if (tb[BITSEC_A_SA_SPI])
		cfg->spi = nla_get_u32(tb[BITSEC_A_SA_SPI]);
	else if (need & NEED_SPI) {
		NL_SET_ERR_MSG_MOD(extack, "this command needs the SA's SPI");
		return -EINVAL;
	}
	return 0;
}

static int bitsec_key_parse(struct nlattr *nest, u8 kind, struct bitsec_keyspec *k,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BITSEC_A_KEY_MAX + 1];
	int err;

	if (!nest)
		return 0;
	err = nla_parse_nested(tb, BITSEC_A_KEY_MAX, nest, bitsec_key_policy, extack);
	if (err)
		return err;
	if (!tb[BITSEC_A_KEY_ALG]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "algorithm nest lacks its name");
		return -EINVAL;
	}
	k->alg = bitsec_alg_find(kind, nla_data(tb[BITSEC_A_KEY_ALG]));
	if (!k->alg) {
		if (kind == BITSEC_ALG_KIND_ENC)
			NL_SET_ERR_MSG_ATTR(extack, tb[BITSEC_A_KEY_ALG], "unknown encryption algorithm");
		else if (kind == BITSEC_ALG_KIND_AUTH)
			NL_SET_ERR_MSG_ATTR(extack, tb[BITSEC_A_KEY_ALG], "unknown integrity algorithm");
		else
			NL_SET_ERR_MSG_ATTR(extack, tb[BITSEC_A_KEY_ALG], "unknown AEAD algorithm");
		return -ENOENT;
	}
	if (tb[BITSEC_A_KEY_DATA]) {
		k->len = nla_len(tb[BITSEC_A_KEY_DATA]);
		k->key = nla_data(tb[BITSEC_A_KEY_DATA]);
	}
	return 0;
}

static void bitsec_life_parse(struct nlattr *nest, struct bitsec_lifetime *l)
{
	struct nlattr *tb[BITSEC_A_LIFE_MAX + 1];

	/* Already validated with the family policy. */
	if (!nest || nla_parse_nested(tb, BITSEC_A_LIFE_MAX, nest, bitsec_life_policy, NULL))
		return;
	l->bytes = tb[BITSEC_A_LIFE_BYTES] ? nla_get_u64(tb[BITSEC_A_LIFE_BYTES]) : 0;
	l->packets = tb[BITSEC_A_LIFE_PACKETS] ? nla_get_u64(tb[BITSEC_A_LIFE_PACKETS]) : 0;
	l->add_secs = tb[BITSEC_A_LIFE_ADD_SECS] ? nla_get_u64(tb[BITSEC_A_LIFE_ADD_SECS]) : 0;
	l->use_secs = tb[BITSEC_A_LIFE_USE_SECS] ? nla_get_u64(tb[BITSEC_A_LIFE_USE_SECS]) : 0;
}

/* The whole SA description of ADD and UPDATE. */
static int bitsec_sa_parse_full(struct nlattr **tb, struct bitsec_sa_cfg *cfg,
				struct netlink_ext_ack *extack)
{
	int err;

	if (tb[BITSEC_A_SA_MODE])
		cfg->mode = nla_get_u8(tb[BITSEC_A_SA_MODE]);
	if (tb[BITSEC_A_SA_REQID])
		cfg->reqid = nla_get_u32(tb[BITSEC_A_SA_REQID]);
	if (tb[BITSEC_A_SA_REPLAY])
		cfg->replay = nla_get_u32(tb[BITSEC_A_SA_REPLAY]);
	if (tb[BITSEC_A_SA_FLAGS])
		cfg->flags = nla_get_u32(tb[BITSEC_A_SA_FLAGS]);
	if (tb[BITSEC_A_SA_PAD_TYPE])
		cfg->pad_type = nla_get_u8(tb[BITSEC_A_SA_PAD_TYPE]);
	if (tb[BITSEC_A_SA_TFCPAD]) {
		cfg->tfcpad = nla_get_u32(tb[BITSEC_A_SA_TFCPAD]);
		/* Only an inner IP header tells the receiver where padding starts. */
		if (cfg->tfcpad && (cfg->proto != IPPROTO_ESP || cfg->mode != BITSEC_MODE_TUNNEL)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[BITSEC_A_SA_TFCPAD],
					    "TFC padding needs an ESP SA in tunnel mode (-m tunnel)");
			return -EINVAL;
		}
	}
	err = bitsec_key_parse(tb[BITSEC_A_SA_ENC], BITSEC_ALG_KIND_ENC, &cfg->enc, extack) ?:
	      bitsec_key_parse(tb[BITSEC_A_SA_AUTH], BITSEC_ALG_KIND_AUTH, &cfg->auth, extack) ?:
	      bitsec_key_parse(tb[BITSEC_A_SA_AEAD], BITSEC_ALG_KIND_AEAD, &cfg->aead, extack);
	if (err)
		return err;
	bitsec_life_parse(tb[BITSEC_A_SA_LIFE_SOFT], &cfg->soft);
	bitsec_life_parse(tb[BITSEC_A_SA_LIFE_HARD], &cfg->hard);
	if (tb[BITSEC_A_SA_ENCAP]) {
		struct nlattr *e[BITSEC_A_ENCAP_MAX + 1];

		err = nla_parse_nested(e, BITSEC_A_ENCAP_MAX, tb[BITSEC_A_SA_ENCAP],
				       bitsec_encap_policy, extack);
		if (err)
			return err;
		cfg->encap = true;
		cfg->encap_sport = e[BITSEC_A_ENCAP_SPORT] ? nla_get_u16(e[BITSEC_A_ENCAP_SPORT]) : 0;
		cfg->encap_dport = e[BITSEC_A_ENCAP_DPORT] ? nla_get_u16(e[BITSEC_A_ENCAP_DPORT]) : 0;
		cfg->natt_keepalive = e[BITSEC_A_ENCAP_KEEPALIVE] ?
				      nla_get_u32(e[BITSEC_A_ENCAP_KEEPALIVE]) :
				      BITSEC_NATT_KEEPALIVE_DEFAULT;
	}
	return 0;
}

static int bitsec_put_addr(struct sk_buff *skb, int type, u8 family, const struct in6_addr *a)
{
	return nla_put(skb, type, family == AF_INET ? 4 : 16, a);
}

static int bitsec_put_life(struct sk_buff *skb, int type, const struct bitsec_lifetime *l)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u64_64bit(skb, BITSEC_A_LIFE_BYTES, l->bytes, BITSEC_A_LIFE_PAD) ||
	    nla_put_u64_64bit(skb, BITSEC_A_LIFE_PACKETS, l->packets, BITSEC_A_LIFE_PAD) ||
	    nla_put_u64_64bit(skb, BITSEC_A_LIFE_ADD_SECS, l->add_secs, BITSEC_A_LIFE_PAD) ||
	    nla_put_u64_64bit(skb, BITSEC_A_LIFE_USE_SECS, l->use_secs, BITSEC_A_LIFE_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int bitsec_put_key(struct sk_buff *skb, int type, const struct bitsec_alg *alg,
			  const u8 *key, unsigned int len, bool with_keys)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest || nla_put_string(skb, BITSEC_A_KEY_ALG, alg->name) ||
	    (with_keys && nla_put(skb, BITSEC_A_KEY_DATA, len, key)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The SA's drop counters that are not zero. */
static int bitsec_put_drops(struct sk_buff *skb, const struct bitsec_sa *sa)
{
	struct nlattr *nest = NULL;
	unsigned int i;

	for (i = BITSEC_STAT_PAD + 1; i < __BITSEC_STAT_MAX; i++) {
		u64 n = atomic64_read(&sa->drops[i]);

		if (!n)
			continue;
		if (!nest) {
			nest = nla_nest_start(skb, BITSEC_A_SA_DROPS);
			if (!nest)
				return -EMSGSIZE;
		}
		if (nla_put_u64_64bit(skb, i, n, BITSEC_STAT_PAD))
			return -EMSGSIZE;
	}
	if (nest)
		nla_nest_end(skb, nest);
	return 0;
}

/* One SA as a message; the caller holds RCU or cfg_lock. */
static int bitsec_sa_fill(struct sk_buff *skb, const struct bitsec_sa *sa, u32 portid,
			  u32 seq, int flags, u8 cmd, bool with_keys)
{
	u8 family = sa->spi_key.family;
	struct bitsec_lifetime cur;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &bitsec_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, BITSEC_A_SA);
	if (!nest)
		goto cancel;
	bitsec_sa_counters(sa, &cur);
	if (nla_put_u16(skb, BITSEC_A_SA_FAMILY, family) ||
	    bitsec_put_addr(skb, BITSEC_A_SA_SRC, family, &sa->pair_key.saddr) ||
	    bitsec_put_addr(skb, BITSEC_A_SA_DST, family, &sa->pair_key.daddr) ||
	    nla_put_u8(skb, BITSEC_A_SA_PROTO, sa->spi_key.proto) ||
	    nla_put_u32(skb, BITSEC_A_SA_SPI, ntohl(sa->spi_key.spi)) ||
	    nla_put_u8(skb, BITSEC_A_SA_MODE, sa->mode) ||
	    nla_put_u32(skb, BITSEC_A_SA_REQID, sa->reqid) ||
	    nla_put_u32(skb, BITSEC_A_SA_REPLAY, sa->replay) ||
	    nla_put_u32(skb, BITSEC_A_SA_FLAGS, sa->flags) ||
	    nla_put_u8(skb, BITSEC_A_SA_PAD_TYPE, sa->pad_type) ||
	    (sa->tfcpad && nla_put_u32(skb, BITSEC_A_SA_TFCPAD, sa->tfcpad)) ||
	    (bitsec_sa_pmtu(sa) && nla_put_u32(skb, BITSEC_A_SA_PMTU, bitsec_sa_pmtu(sa))) ||
	    nla_put_u8(skb, BITSEC_A_SA_STATE, READ_ONCE(sa->state)) ||
	    nla_put_u32(skb, BITSEC_A_SA_ID, sa->id) ||
	    nla_put_u64_64bit(skb, BITSEC_A_SA_ADD_TIME, sa->add_time, BITSEC_A_SA_PAD) ||
	    nla_put_u64_64bit(skb, BITSEC_A_SA_USE_TIME, READ_ONCE(sa->use_time),
			      BITSEC_A_SA_PAD) ||
	    nla_put_u64_64bit(skb, BITSEC_A_SA_SEQ, READ_ONCE(sa->seq_out), BITSEC_A_SA_PAD) ||
	    bitsec_put_life(skb, BITSEC_A_SA_LIFE_SOFT, &sa->soft) ||
	    bitsec_put_life(skb, BITSEC_A_SA_LIFE_HARD, &sa->hard) ||
	    bitsec_put_life(skb, BITSEC_A_SA_CUR, &cur))
		goto cancel;
	if (sa->aead && bitsec_put_key(skb, BITSEC_A_SA_AEAD, sa->aead, sa->keys,
				       sa->enc_keylen, with_keys))
		goto cancel;
	if (sa->enc && bitsec_put_key(skb, BITSEC_A_SA_ENC, sa->enc, sa->keys,
				      sa->enc_keylen, with_keys))
		goto cancel;
	if (sa->auth && bitsec_put_key(skb, BITSEC_A_SA_AUTH, sa->auth,
				       sa->keys + sa->enc_keylen, sa->auth_keylen, with_keys))
		goto cancel;
	if (bitsec_put_drops(skb, sa))
		goto cancel;
	if (sa->esp_tfm || sa->ah_tfm) {
		unsigned int inner, over = bitsec_sa_overhead(sa, &inner);

		if (nla_put_u32(skb, BITSEC_A_SA_OVERHEAD, over) ||
		    (inner && nla_put_u32(skb, BITSEC_A_SA_INNER_MTU, inner)))
			goto cancel;
	}
	if (sa->encap) {
		struct nlattr *e = nla_nest_start(skb, BITSEC_A_SA_ENCAP);
		__be32 peer = READ_ONCE(sa->natt_peer);

		if (!e || nla_put_u16(skb, BITSEC_A_ENCAP_SPORT, READ_ONCE(sa->encap_sport)) ||
		    nla_put_u16(skb, BITSEC_A_ENCAP_DPORT, READ_ONCE(sa->encap_dport)) ||
		    nla_put_u32(skb, BITSEC_A_ENCAP_KEEPALIVE, sa->natt_keepalive) ||
		    (peer && nla_put_in_addr(skb, BITSEC_A_ENCAP_PEER, peer)))
			goto cancel;
		nla_nest_end(skb, e);
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Tell the events group, if anyone listens; never fails the request. */
static void bitsec_sa_notify(struct net *net, const struct bitsec_sa *sa, u8 cmd, u8 proto)
{
	struct sk_buff *skb;
	int err;

	if (!genl_has_listeners(&bitsec_genl_family, net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (sa) {
		err = bitsec_sa_fill(skb, sa, 0, 0, 0, cmd, false);
	} else {
		void *hdr = genlmsg_put(skb, 0, 0, &bitsec_genl_family, 0, cmd);

		err = !hdr || (proto && nla_put_u8(skb, BITSEC_A_PROTO, proto)) ? -EMSGSIZE : 0;
		if (!err)
			genlmsg_end(skb, hdr);
	}
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&bitsec_genl_family, net, skb, 0, 0, GFP_KERNEL);
}

/* An SA reached a lifetime: the SA as it is, and which limit. */
void bitsec_sa_notify_expire(struct net *net, const struct bitsec_sa *sa, bool hard)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&bitsec_genl_family, net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (bitsec_sa_fill(skb, sa, 0, 0, 0, BITSEC_CMD_SA_EXPIRE, false) ||
	    nla_put_u8(skb, BITSEC_A_EXPIRE_HARD, hard)) {
		nlmsg_free(skb);
		return;
	}
	nlmsg_end(skb, nlmsg_hdr(skb));
	genlmsg_multicast_netns(&bitsec_genl_family, net, skb, 0, 0, GFP_KERNEL);
}

static int bitsec_put_endpoint(struct sk_buff *skb, int type, __be32 addr, u16 port)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest || nla_put_in_addr(skb, BITSEC_A_EP_ADDR, addr) ||
	    nla_put_u16(skb, BITSEC_A_EP_PORT, port))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Port floating moved @sa's peer (natt.c); any context. */
void bitsec_sa_notify_mapping(struct net *net, const struct bitsec_sa *sa, __be32 oaddr,
			      u16 oport, __be32 naddr, u16 nport)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&bitsec_genl_family, net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return;
	if (bitsec_sa_fill(skb, sa, 0, 0, 0, BITSEC_CMD_SA_MAPPING, false) ||
	    bitsec_put_endpoint(skb, BITSEC_A_MAPPING_OLD, oaddr, oport) ||
	    bitsec_put_endpoint(skb, BITSEC_A_MAPPING_NEW, naddr, nport)) {
		nlmsg_free(skb);
		return;
	}
	nlmsg_end(skb, nlmsg_hdr(skb));
	genlmsg_multicast_netns(&bitsec_genl_family, net, skb, 0, 0, GFP_ATOMIC);
}

static int bitsec_sa_reply(struct genl_info *info, const struct bitsec_sa *sa, bool with_keys)
{
	struct sk_buff *skb;
	int err;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	err = bitsec_sa_fill(skb, sa, info->snd_portid, info->snd_seq, 0,
			     info->genlhdr->cmd, with_keys);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	return genlmsg_reply(skb, info);
}

static int bitsec_nl_sa_add_update(struct sk_buff *skb, struct genl_info *info, bool update)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	struct nlattr *tb[BITSEC_A_SA_MAX + 1];
	struct bitsec_sa_cfg cfg;
	struct bitsec_sa *sa;
	int err;

	err = bitsec_sa_parse(info, tb, &cfg, NEED_SRC | NEED_SPI) ?:
	      bitsec_sa_parse_full(tb, &cfg, info->extack);
	if (err)
		return err;
	sa = bitsec_sa_create(&cfg, info->extack);
	if (IS_ERR(sa))
		return PTR_ERR(sa);

	sa->bn = bn;
	mutex_lock(&bn->cfg_lock);
	err = bitsec_hooks_enable(bn);
	if (err)
		NL_SET_ERR_MSG_MOD(info->extack, "cannot register bitsec's netfilter hooks in this namespace");
	else
		err = bitsec_sad_insert(&bn->sad, sa, update, info->extack);
	if (!err) {
		bitsec_sa_life_arm(sa);
		bitsec_sa_notify(bn->net, sa, info->genlhdr->cmd, 0);
	}
	mutex_unlock(&bn->cfg_lock);
	if (err)
		bitsec_sa_put(sa);
	return err;
}

int bitsec_nl_sa_add(struct sk_buff *skb, struct genl_info *info)
{
	return bitsec_nl_sa_add_update(skb, info, false);
}

int bitsec_nl_sa_update(struct sk_buff *skb, struct genl_info *info)
{
	return bitsec_nl_sa_add_update(skb, info, true);
}

/* Look the request's SA up by (dst, SPI, proto) under cfg_lock. */
static struct bitsec_sa *bitsec_nl_find(struct bitsec_net *bn, struct genl_info *info,
					struct nlattr **tb, int *err)
{
	struct bitsec_spi_key key;
	struct bitsec_sa_cfg cfg;
	struct bitsec_sa *sa;

	*err = bitsec_sa_parse(info, tb, &cfg, NEED_SPI);
	if (*err)
		return NULL;
	bitsec_spi_key_init(&key, cfg.family, &cfg.daddr, htonl(cfg.spi), cfg.proto);
	/* cfg_lock keeps the SA in the table once RCU lets go of it. */
	rcu_read_lock();
	sa = bitsec_sad_lookup_spi(&bn->sad, &key);
	rcu_read_unlock();
	if (!sa) {
		NL_SET_ERR_MSG_MOD(info->extack, "no SA with this destination, SPI and protocol");
		*err = -ESRCH;
	}
	return sa;
}

int bitsec_nl_sa_get(struct sk_buff *skb, struct genl_info *info)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	struct nlattr *tb[BITSEC_A_SA_MAX + 1];
	struct bitsec_sa *sa;
	int err;

	mutex_lock(&bn->cfg_lock);
	sa = bitsec_nl_find(bn, info, tb, &err);
	if (sa)
		err = bitsec_sa_reply(info, sa, info->attrs[BITSEC_A_WITH_KEYS]);
	mutex_unlock(&bn->cfg_lock);
	return err;
}

int bitsec_nl_sa_del(struct sk_buff *skb, struct genl_info *info)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	struct nlattr *tb[BITSEC_A_SA_MAX + 1];
	struct bitsec_sa *sa;
	int err;

	mutex_lock(&bn->cfg_lock);
	sa = bitsec_nl_find(bn, info, tb, &err);
	if (sa) {
		bitsec_sa_notify(bn->net, sa, BITSEC_CMD_SA_DEL, 0);
		bitsec_sad_remove(&bn->sad, sa);
	}
	mutex_unlock(&bn->cfg_lock);
	return err;
}

int bitsec_nl_sa_delall(struct sk_buff *skb, struct genl_info *info)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	struct nlattr *tb[BITSEC_A_SA_MAX + 1];
	struct bitsec_pair_key key = {};
	struct bitsec_sa_cfg cfg;
	unsigned int n;
	int err;

	err = bitsec_sa_parse(info, tb, &cfg, NEED_SRC);
	if (err)
		return err;
	key.family = cfg.family;
	key.proto = cfg.proto;
	memcpy(&key.saddr, &cfg.saddr, cfg.family == AF_INET ? 4 : 16);
	memcpy(&key.daddr, &cfg.daddr, cfg.family == AF_INET ? 4 : 16);

	mutex_lock(&bn->cfg_lock);
	n = bitsec_sad_delete_pair(&bn->sad, &key);
	if (n)
		bitsec_sa_notify(bn->net, NULL, BITSEC_CMD_SA_DELALL, cfg.proto);
	mutex_unlock(&bn->cfg_lock);
	if (!n) {
		NL_SET_ERR_MSG_MOD(info->extack, "no SA between these addresses for this protocol");
		return -ESRCH;
	}
	return 0;
}

int bitsec_nl_sa_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	u8 proto = 0;

	if (info->attrs[BITSEC_A_PROTO]) {
		proto = nla_get_u8(info->attrs[BITSEC_A_PROTO]);
		if (proto != IPPROTO_ESP && proto != IPPROTO_AH) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[BITSEC_A_PROTO],
					    "protocol must be ESP (50) or AH (51)");
			return -EPROTONOSUPPORT;
		}
	}
	mutex_lock(&bn->cfg_lock);
	bitsec_sad_flush(&bn->sad, proto);
	bitsec_sa_notify(bn->net, NULL, BITSEC_CMD_SA_FLUSH, proto);
	mutex_unlock(&bn->cfg_lock);
	return 0;
}

int bitsec_nl_sa_getspi(struct sk_buff *skb, struct genl_info *info)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	struct nlattr *tb[BITSEC_A_SA_MAX + 1];
	struct bitsec_sa_cfg cfg;
	bool inserted = false;
	struct bitsec_sa *sa;
	u32 max;
	int err;

	err = bitsec_sa_parse(info, tb, &cfg, NEED_SRC | NEED_SPI);
	if (err)
		return err;
	max = tb[BITSEC_A_SA_SPI_MAX] ? nla_get_u32(tb[BITSEC_A_SA_SPI_MAX]) : cfg.spi;
	if (cfg.spi < 256 || max < cfg.spi) {
		NL_SET_ERR_MSG_MOD(info->extack, "SPI range must lie within 256..0xffffffff, low end first");
		return -EINVAL;
	}
	if (tb[BITSEC_A_SA_MODE])
		cfg.mode = nla_get_u8(tb[BITSEC_A_SA_MODE]);
	if (tb[BITSEC_A_SA_REQID])
		cfg.reqid = nla_get_u32(tb[BITSEC_A_SA_REQID]);
	cfg.larval = true;
	sa = bitsec_sa_create(&cfg, info->extack);
	if (IS_ERR(sa))
		return PTR_ERR(sa);

	sa->bn = bn;
	mutex_lock(&bn->cfg_lock);
	err = bitsec_sad_alloc_spi(&bn->sad, sa, cfg.spi, max);
	if (err)
		NL_SET_ERR_MSG_MOD(info->extack, "no free SPI in that range");
	else
		err = bitsec_sad_insert(&bn->sad, sa, false, info->extack);
	if (!err) {
		inserted = true;
		bitsec_sa_life_arm(sa);
		bitsec_sa_notify(bn->net, sa, BITSEC_CMD_SA_GETSPI, 0);
		err = bitsec_sa_reply(info, sa, false);
	}
	mutex_unlock(&bn->cfg_lock);
	if (!inserted)
		bitsec_sa_put(sa);
	return err;
}

/* cb->args[0]: the id to resume from. */
int bitsec_nl_sa_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct bitsec_net *bn = bitsec_net(sock_net(skb->sk));
	bool with_keys = info->attrs[BITSEC_A_WITH_KEYS];
	struct bitsec_sa *sa;
	unsigned long id;
	u8 proto = 0;
	int err = 0;

	if (info->attrs[BITSEC_A_PROTO])
		proto = nla_get_u8(info->attrs[BITSEC_A_PROTO]);
	rcu_read_lock();
	xa_for_each_start(&bn->sad.by_id, id, sa, cb->args[0]) {
		if (proto && sa->spi_key.proto != proto)
			continue;
		err = bitsec_sa_fill(skb, sa, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				     NLM_F_MULTI, BITSEC_CMD_SA_GET, with_keys);
		if (err)
			break;
		/* The next message starts after the last SA that fit. */
		cb->args[0] = id + 1;
	}
	rcu_read_unlock();
	if (err && !skb->len)
		return err;
	return skb->len;
}
