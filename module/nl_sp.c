// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: generic-netlink commands on security policies.  As for SAs, the
 * policies below validate types and ranges; the handlers check what they
 * cannot express and say what is wrong in extack.
 */
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"

static const struct nla_policy bitsec_tmpl_policy[BITSEC_A_TMPL_MAX + 1] = {
	[BITSEC_A_TMPL_PROTO] = { .type = NLA_U8 },
	[BITSEC_A_TMPL_MODE] = NLA_POLICY_RANGE(NLA_U8, BITSEC_MODE_TRANSPORT, BITSEC_MODE_TUNNEL),
	[BITSEC_A_TMPL_FAMILY] = { .type = NLA_U16 },
	[BITSEC_A_TMPL_SRC] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[BITSEC_A_TMPL_DST] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[BITSEC_A_TMPL_LEVEL] = NLA_POLICY_MAX(NLA_U8, BITSEC_LEVEL_UNIQUE),
	[BITSEC_A_TMPL_REQID] = { .type = NLA_U32 },
};

static const struct nla_policy bitsec_tmpls_policy[BITSEC_A_TMPLS_MAX + 1] = {
	[BITSEC_A_TMPL] = NLA_POLICY_NESTED(bitsec_tmpl_policy),
};

const struct nla_policy bitsec_sp_policy[BITSEC_A_SP_MAX + 1] = {
	[BITSEC_A_SP_FAMILY] = { .type = NLA_U16 },
	[BITSEC_A_SP_DIR] = NLA_POLICY_MAX(NLA_U8, BITSEC_DIR_FWD),
	[BITSEC_A_SP_SRC] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[BITSEC_A_SP_SRC_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[BITSEC_A_SP_DST] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[BITSEC_A_SP_DST_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[BITSEC_A_SP_ULPROTO] = { .type = NLA_U8 },
	[BITSEC_A_SP_SPORT] = { .type = NLA_U16 },
	[BITSEC_A_SP_DPORT] = { .type = NLA_U16 },
	[BITSEC_A_SP_ICMP_TYPE] = { .type = NLA_U8 },
	[BITSEC_A_SP_ICMP_CODE] = { .type = NLA_U8 },
	[BITSEC_A_SP_PRIORITY] = { .type = NLA_U32 },
	[BITSEC_A_SP_ACTION] = NLA_POLICY_MAX(NLA_U8, BITSEC_ACT_IPSEC),
	[BITSEC_A_SP_TMPLS] = NLA_POLICY_NESTED(bitsec_tmpls_policy),
	[BITSEC_A_SP_INDEX] = { .type = NLA_U32 },
	[BITSEC_A_SP_ADD_TIME] = BITSEC_REPLY_ONLY("BITSEC_A_SP_ADD_TIME"),
	[BITSEC_A_SP_USE_TIME] = BITSEC_REPLY_ONLY("BITSEC_A_SP_USE_TIME"),
};

static int bitsec_tmpl_parse(struct nlattr *nest, struct bitsec_tmpl *t,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[BITSEC_A_TMPL_MAX + 1];
	int err;

	err = nla_parse_nested(tb, BITSEC_A_TMPL_MAX, nest, bitsec_tmpl_policy, extack);
	if (err)
		return err;
	if (!tb[BITSEC_A_TMPL_PROTO] || !tb[BITSEC_A_TMPL_MODE]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a template needs its protocol and mode");
		return -EINVAL;
	}
	t->proto = nla_get_u8(tb[BITSEC_A_TMPL_PROTO]);
	if (t->proto != IPPROTO_ESP && t->proto != IPPROTO_AH) {
		NL_SET_ERR_MSG_ATTR(extack, tb[BITSEC_A_TMPL_PROTO], "template protocol must be ESP (50) or AH (51)");
		return -EPROTONOSUPPORT;
	}
	t->mode = nla_get_u8(tb[BITSEC_A_TMPL_MODE]);
	t->level = tb[BITSEC_A_TMPL_LEVEL] ? nla_get_u8(tb[BITSEC_A_TMPL_LEVEL]) : 0;
	t->reqid = tb[BITSEC_A_TMPL_REQID] ? nla_get_u32(tb[BITSEC_A_TMPL_REQID]) : 0;
	if (t->mode == BITSEC_MODE_TUNNEL) {
		if (!tb[BITSEC_A_TMPL_FAMILY] || !tb[BITSEC_A_TMPL_SRC] || !tb[BITSEC_A_TMPL_DST]) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "a tunnel-mode template needs both tunnel endpoints");
			return -EINVAL;
		}
		return bitsec_nl_family(tb[BITSEC_A_TMPL_FAMILY], &t->family, extack) ?:
		       bitsec_nl_addr(tb[BITSEC_A_TMPL_SRC], t->family, &t->saddr, extack) ?:
		       bitsec_nl_addr(tb[BITSEC_A_TMPL_DST], t->family, &t->daddr, extack);
	}
	if (tb[BITSEC_A_TMPL_SRC] || tb[BITSEC_A_TMPL_DST]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a transport-mode template takes no endpoints");
		return -EINVAL;
	}
	return 0;
}

/*
 * Parse the request's policy into @sp.  @full: the action and templates
 * too (add, update); otherwise just what identifies the policy.
 */
static int bitsec_sp_parse(struct genl_info *info, struct bitsec_sp *sp, bool full)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[BITSEC_A_SP_MAX + 1], *a;
	unsigned int maxlen;
	int err, rem;

	if (!info->attrs[BITSEC_A_SP]) {
		NL_SET_ERR_MSG_MOD(extack, "request lacks the BITSEC_A_SP nest");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, BITSEC_A_SP_MAX, info->attrs[BITSEC_A_SP], bitsec_sp_policy,
			       extack);
	if (err)
		return err;
	if (!tb[BITSEC_A_SP_FAMILY] || !tb[BITSEC_A_SP_DIR]) {
		NL_SET_ERR_MSG_MOD(extack, "a policy needs its family and direction");
		return -EINVAL;
	}
	err = bitsec_nl_family(tb[BITSEC_A_SP_FAMILY], &sp->family, extack);
	if (err)
		return err;
	maxlen = sp->family == AF_INET ? 32 : 128;
	sp->dir = nla_get_u8(tb[BITSEC_A_SP_DIR]);
	err = bitsec_nl_addr(tb[BITSEC_A_SP_SRC], sp->family, &sp->key.saddr, extack) ?:
	      bitsec_nl_addr(tb[BITSEC_A_SP_DST], sp->family, &sp->key.daddr, extack);
	if (err)
		return err;
	/* No address means any: prefix length 0. */
	sp->splen = tb[BITSEC_A_SP_SRC_PLEN] ? nla_get_u8(tb[BITSEC_A_SP_SRC_PLEN]) :
		    tb[BITSEC_A_SP_SRC] ? maxlen : 0;
	sp->dplen = tb[BITSEC_A_SP_DST_PLEN] ? nla_get_u8(tb[BITSEC_A_SP_DST_PLEN]) :
		    tb[BITSEC_A_SP_DST] ? maxlen : 0;
	if (sp->splen > maxlen || sp->dplen > maxlen) {
		NL_SET_ERR_MSG_MOD(extack, "prefix length is longer than the family's addresses");
		return -EINVAL;
	}
	sp->ulproto = tb[BITSEC_A_SP_ULPROTO] ? nla_get_u8(tb[BITSEC_A_SP_ULPROTO]) :
		      BITSEC_ULPROTO_ANY;
	sp->has_sport = tb[BITSEC_A_SP_SPORT];
	sp->sport = sp->has_sport ? nla_get_u16(tb[BITSEC_A_SP_SPORT]) : 0;
	sp->has_dport = tb[BITSEC_A_SP_DPORT];
	sp->dport = sp->has_dport ? nla_get_u16(tb[BITSEC_A_SP_DPORT]) : 0;
	sp->has_icmp_type = tb[BITSEC_A_SP_ICMP_TYPE];
	sp->icmp_type = sp->has_icmp_type ? nla_get_u8(tb[BITSEC_A_SP_ICMP_TYPE]) : 0;
	sp->has_icmp_code = tb[BITSEC_A_SP_ICMP_CODE];
	sp->icmp_code = sp->has_icmp_code ? nla_get_u8(tb[BITSEC_A_SP_ICMP_CODE]) : 0;
	if ((sp->has_sport || sp->has_dport) && sp->ulproto != IPPROTO_TCP &&
	    sp->ulproto != IPPROTO_UDP && sp->ulproto != IPPROTO_SCTP &&
	    sp->ulproto != IPPROTO_UDPLITE && sp->ulproto != IPPROTO_DCCP) {
		NL_SET_ERR_MSG_MOD(extack, "ports need a protocol that has them (tcp, udp, sctp, ...)");
		return -EINVAL;
	}
	if ((sp->has_icmp_type || sp->has_icmp_code) &&
	    sp->ulproto != (sp->family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6)) {
		NL_SET_ERR_MSG_MOD(extack, "an ICMP type or code needs the family's ICMP as protocol");
		return -EINVAL;
	}
	if (sp->has_icmp_code && !sp->has_icmp_type) {
		NL_SET_ERR_MSG_MOD(extack, "an ICMP code needs an ICMP type");
		return -EINVAL;
	}
	if (!full)
		return 0;

	sp->priority = tb[BITSEC_A_SP_PRIORITY] ? nla_get_u32(tb[BITSEC_A_SP_PRIORITY]) :
		       BITSEC_PRIO_DEFAULT;
	if (!tb[BITSEC_A_SP_ACTION]) {
		NL_SET_ERR_MSG_MOD(extack, "a policy needs its action");
		return -EINVAL;
	}
	sp->action = nla_get_u8(tb[BITSEC_A_SP_ACTION]);
	if (tb[BITSEC_A_SP_TMPLS]) {
		nla_for_each_nested(a, tb[BITSEC_A_SP_TMPLS], rem) {
			if (sp->n_tmpls == BITSEC_TMPL_MAX) {
				NL_SET_ERR_MSG_ATTR(extack, a, "at most 4 templates per policy");
				return -E2BIG;
			}
			err = bitsec_tmpl_parse(a, &sp->tmpls[sp->n_tmpls], extack);
			if (err)
				return err;
			sp->n_tmpls++;
		}
	}
	if ((sp->action == BITSEC_ACT_IPSEC) != (sp->n_tmpls > 0)) {
		if (sp->n_tmpls)
			NL_SET_ERR_MSG_MOD(extack, "only an ipsec policy takes templates");
		else
			NL_SET_ERR_MSG_MOD(extack, "an ipsec policy needs at least one template");
		return -EINVAL;
	}
	return 0;
}

static int bitsec_sp_fill(struct sk_buff *skb, const struct bitsec_sp *sp, u32 portid, u32 seq,
			  int flags, u8 cmd)
{
	unsigned int alen = sp->family == AF_INET ? 4 : 16, i;
	struct nlattr *nest, *tmpls, *t;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &bitsec_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, BITSEC_A_SP);
	if (!nest ||
	    nla_put_u16(skb, BITSEC_A_SP_FAMILY, sp->family) ||
	    nla_put_u8(skb, BITSEC_A_SP_DIR, sp->dir) ||
	    nla_put(skb, BITSEC_A_SP_SRC, alen, &sp->key.saddr) ||
	    nla_put_u8(skb, BITSEC_A_SP_SRC_PLEN, sp->splen) ||
	    nla_put(skb, BITSEC_A_SP_DST, alen, &sp->key.daddr) ||
	    nla_put_u8(skb, BITSEC_A_SP_DST_PLEN, sp->dplen) ||
	    nla_put_u8(skb, BITSEC_A_SP_ULPROTO, sp->ulproto) ||
	    (sp->has_sport && nla_put_u16(skb, BITSEC_A_SP_SPORT, sp->sport)) ||
	    (sp->has_dport && nla_put_u16(skb, BITSEC_A_SP_DPORT, sp->dport)) ||
	    (sp->has_icmp_type && nla_put_u8(skb, BITSEC_A_SP_ICMP_TYPE, sp->icmp_type)) ||
	    (sp->has_icmp_code && nla_put_u8(skb, BITSEC_A_SP_ICMP_CODE, sp->icmp_code)) ||
	    nla_put_u32(skb, BITSEC_A_SP_PRIORITY, sp->priority) ||
	    nla_put_u8(skb, BITSEC_A_SP_ACTION, sp->action) ||
	    nla_put_u32(skb, BITSEC_A_SP_INDEX, sp->index) ||
	    nla_put_u64_64bit(skb, BITSEC_A_SP_ADD_TIME, sp->add_time, BITSEC_A_SP_PAD) ||
	    nla_put_u64_64bit(skb, BITSEC_A_SP_USE_TIME, READ_ONCE(sp->use_time), BITSEC_A_SP_PAD))
		goto cancel;
	if (sp->n_tmpls) {
		tmpls = nla_nest_start(skb, BITSEC_A_SP_TMPLS);
		if (!tmpls)
			goto cancel;
		for (i = 0; i < sp->n_tmpls; i++) {
			const struct bitsec_tmpl *x = &sp->tmpls[i];
			unsigned int tlen = x->family == AF_INET6 ? 16 : 4;

			t = nla_nest_start(skb, BITSEC_A_TMPL);
			if (!t || nla_put_u8(skb, BITSEC_A_TMPL_PROTO, x->proto) ||
			    nla_put_u8(skb, BITSEC_A_TMPL_MODE, x->mode) ||
			    nla_put_u8(skb, BITSEC_A_TMPL_LEVEL, x->level) ||
			    nla_put_u32(skb, BITSEC_A_TMPL_REQID, x->reqid) ||
			    (x->mode == BITSEC_MODE_TUNNEL &&
			     (nla_put_u16(skb, BITSEC_A_TMPL_FAMILY, x->family) ||
			      nla_put(skb, BITSEC_A_TMPL_SRC, tlen, &x->saddr) ||
			      nla_put(skb, BITSEC_A_TMPL_DST, tlen, &x->daddr))))
				goto cancel;
			nla_nest_end(skb, t);
		}
		nla_nest_end(skb, tmpls);
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * No SA serves template @t of @sp: ask a key manager listening on the
 * events group for one from @saddr to @daddr.  Called from the datapath.
 */
void bitsec_sp_notify_acquire(struct net *net, const struct bitsec_sp *sp,
			      const struct bitsec_tmpl *t, const struct in6_addr *saddr,
			      const struct in6_addr *daddr)
{
	u8 family = t->mode == BITSEC_MODE_TUNNEL ? t->family : sp->family;
	unsigned int alen = family == AF_INET ? 4 : 16;
	struct nlattr *nest;
	struct sk_buff *skb;

	if (!genl_has_listeners(&bitsec_genl_family, net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return;
	if (bitsec_sp_fill(skb, sp, 0, 0, 0, BITSEC_CMD_ACQUIRE))
		goto drop;
	nest = nla_nest_start(skb, BITSEC_A_SA);
	if (!nest || nla_put_u16(skb, BITSEC_A_SA_FAMILY, family) ||
	    nla_put(skb, BITSEC_A_SA_SRC, alen, saddr) ||
	    nla_put(skb, BITSEC_A_SA_DST, alen, daddr) ||
	    nla_put_u8(skb, BITSEC_A_SA_PROTO, t->proto) ||
	    nla_put_u8(skb, BITSEC_A_SA_MODE, t->mode) ||
	    nla_put_u32(skb, BITSEC_A_SA_REQID, t->reqid))
		goto drop;
	nla_nest_end(skb, nest);
	nlmsg_end(skb, nlmsg_hdr(skb));
	genlmsg_multicast_netns(&bitsec_genl_family, net, skb, 0, 0, GFP_ATOMIC);
	return;
drop:
	nlmsg_free(skb);
}

static void bitsec_sp_notify(struct net *net, const struct bitsec_sp *sp, u8 cmd)
{
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&bitsec_genl_family, net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (sp) {
		if (bitsec_sp_fill(skb, sp, 0, 0, 0, cmd))
			goto drop;
	} else {
		hdr = genlmsg_put(skb, 0, 0, &bitsec_genl_family, 0, cmd);
		if (!hdr)
			goto drop;
		genlmsg_end(skb, hdr);
	}
	genlmsg_multicast_netns(&bitsec_genl_family, net, skb, 0, 0, GFP_KERNEL);
	return;
drop:
	nlmsg_free(skb);
}

static int bitsec_nl_sp_add_update(struct genl_info *info, bool update)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	struct bitsec_sp *sp;
	int err;

	sp = bitsec_sp_alloc(GFP_KERNEL_ACCOUNT);
	if (!sp)
		return -ENOMEM;
	err = bitsec_sp_parse(info, sp, true);
	if (err) {
		kfree(sp);
		return err;
	}
	mutex_lock(&bn->cfg_lock);
	err = bitsec_hooks_enable(bn);
	if (err)
		NL_SET_ERR_MSG_MOD(info->extack, "cannot register bitsec's netfilter hooks in this namespace");
	else
		err = bitsec_spd_insert(&bn->spd, sp, update, info->extack);
	if (!err)
		bitsec_sp_notify(bn->net, sp, info->genlhdr->cmd);
	mutex_unlock(&bn->cfg_lock);
	if (err)
		kfree(sp);
	return err;
}

int bitsec_nl_sp_add(struct sk_buff *skb, struct genl_info *info)
{
	return bitsec_nl_sp_add_update(info, false);
}

int bitsec_nl_sp_update(struct sk_buff *skb, struct genl_info *info)
{
	return bitsec_nl_sp_add_update(info, true);
}

/* By BITSEC_A_SP_INDEX alone, or by direction and selector; cfg_lock held. */
static struct bitsec_sp *bitsec_nl_sp_find(struct bitsec_net *bn, struct genl_info *info,
					   int *err)
{
	struct nlattr *tb[BITSEC_A_SP_MAX + 1];
	struct bitsec_sp like = {}, *sp;

	*err = -ESRCH;
	if (info->attrs[BITSEC_A_SP] &&
	    !nla_parse_nested(tb, BITSEC_A_SP_MAX, info->attrs[BITSEC_A_SP], bitsec_sp_policy,
			      info->extack) && tb[BITSEC_A_SP_INDEX]) {
		sp = xa_load(&bn->spd.by_index, nla_get_u32(tb[BITSEC_A_SP_INDEX]));
	} else {
		*err = bitsec_sp_parse(info, &like, false);
		if (*err)
			return NULL;
		*err = -ESRCH;
		sp = bitsec_spd_find(&bn->spd, &like);
	}
	if (!sp)
		NL_SET_ERR_MSG_MOD(info->extack, "no such policy");
	return sp;
}

int bitsec_nl_sp_get(struct sk_buff *skb, struct genl_info *info)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	struct bitsec_sp *sp;
	struct sk_buff *msg;
	int err;

	mutex_lock(&bn->cfg_lock);
	sp = bitsec_nl_sp_find(bn, info, &err);
	if (sp) {
		err = -ENOMEM;
		msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
		if (msg) {
			err = bitsec_sp_fill(msg, sp, info->snd_portid, info->snd_seq, 0,
					     BITSEC_CMD_SP_GET);
			if (err)
				nlmsg_free(msg);
			else
				err = genlmsg_reply(msg, info);
		}
	}
	mutex_unlock(&bn->cfg_lock);
	return err;
}

int bitsec_nl_sp_del(struct sk_buff *skb, struct genl_info *info)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	struct bitsec_sp *sp;
	int err;

	mutex_lock(&bn->cfg_lock);
	sp = bitsec_nl_sp_find(bn, info, &err);
	if (sp) {
		bitsec_sp_notify(bn->net, sp, BITSEC_CMD_SP_DEL);
		bitsec_spd_remove(&bn->spd, sp);
		err = 0;
	}
	mutex_unlock(&bn->cfg_lock);
	return err;
}

int bitsec_nl_sp_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct bitsec_net *bn = bitsec_net(genl_info_net(info));
	struct nlattr *tb[BITSEC_A_SP_MAX + 1];
	int dir = -1, err;

	if (info->attrs[BITSEC_A_SP]) {
		err = nla_parse_nested(tb, BITSEC_A_SP_MAX, info->attrs[BITSEC_A_SP],
				       bitsec_sp_policy, info->extack);
		if (err)
			return err;
		if (tb[BITSEC_A_SP_DIR])
			dir = nla_get_u8(tb[BITSEC_A_SP_DIR]);
	}
	mutex_lock(&bn->cfg_lock);
	bitsec_spd_flush(&bn->spd, dir);
	bitsec_sp_notify(bn->net, NULL, BITSEC_CMD_SP_FLUSH);
	mutex_unlock(&bn->cfg_lock);
	return 0;
}

/* cb->args[0]: the index to resume from. */
int bitsec_nl_sp_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct bitsec_net *bn = bitsec_net(sock_net(skb->sk));
	struct bitsec_sp *sp;
	unsigned long idx;
	int err = 0;

	rcu_read_lock();
	xa_for_each_start(&bn->spd.by_index, idx, sp, cb->args[0]) {
		err = bitsec_sp_fill(skb, sp, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				     NLM_F_MULTI, BITSEC_CMD_SP_GET);
		if (err)
			break;
		cb->args[0] = idx + 1;
	}
	rcu_read_unlock();
	if (err && !skb->len)
		return err;
	return skb->len;
}
