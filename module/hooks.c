// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: the bump in the stack, on netfilter hooks (IPv4).
 *
 * Outbound, at POST_ROUTING after every other hook: the packet, locally
 * made or forwarded, is looked up in the SPD; "ipsec" picks an SA per
 * template and applies them innermost first, then sends the result as a
 * local packet (LOCAL_OUT, POST_ROUTING, ip_finish_output, which fragments
 * and transmits), marked so that this hook lets it pass.
 *
 * Inbound, at LOCAL_IN (after reassembly) and FORWARD: ESP and AH addressed to
 * this host is unwrapped and the inner packet delivered again from
 * PRE_ROUTING, as if it had arrived so on the same device; while that
 * delivery runs (synchronously, BHs off) a per-CPU pointer names the SAs
 * that unwrapped it, which is how the inbound policy check of the inner
 * packet knows it was protected.  Every other packet is checked against
 * the "in" (or "fwd") policy: one that requires IPsec it lacked is dropped.
 *
 * Hooks are registered per namespace only once it has SAs or policies.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/route.h>

#include "bitsec.h"

/* The inbound context of the packet being delivered on this CPU, if any. */
static DEFINE_PER_CPU(struct bitsec_in *, bitsec_in_cur);

/*
 * bitsec takes packets before conntrack's confirm hook (the last one at
 * POST_ROUTING and LOCAL_IN) and never hands them back to it.  Their
 * connection is confirmed here, or it would never enter the table and a
 * stateful ruleset would see every packet of the flow as new.  Through
 * symbol_get(): conntrack is a module of its own, loaded only when a
 * ruleset needs it, and it is loaded whenever a packet carries its entry.
 */
static int (*bitsec_ct_confirm_fn)(struct sk_buff *skb);

static unsigned int bitsec_ct_confirm(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	int (*fn)(struct sk_buff *skb);

	if (!ct || nf_ct_is_confirmed(ct))
		return NF_ACCEPT;
	fn = READ_ONCE(bitsec_ct_confirm_fn);
	if (!fn) {
		fn = symbol_get(__nf_conntrack_confirm);
		if (!fn)
			return NF_ACCEPT;
		/* Of CPUs racing here, one keeps its reference. */
		if (cmpxchg(&bitsec_ct_confirm_fn, NULL, fn))
			symbol_put(__nf_conntrack_confirm);
	}
	return fn(skb);
#else
	return NF_ACCEPT;
#endif
}

void bitsec_hooks_exit(void)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	if (bitsec_ct_confirm_fn)
		symbol_put(__nf_conntrack_confirm);
#endif
}

void bitsec_out_put(struct bitsec_out *o)
{
	unsigned int i;

	for (i = 0; i < o->n; i++)
		bitsec_sa_put(o->sas[i]);
	o->n = 0;
}

void bitsec_in_put(struct bitsec_in *in)
{
	unsigned int i;

	for (i = 0; i < in->n; i++)
		bitsec_sa_put(in->sas[i]);
	in->n = 0;
	if (in->dev) {
		dev_put(in->dev);
		in->dev = NULL;
	}
}

/* The selector fields of an IPv4 packet; false if its headers are cut. */
static bool bitsec_flow4(const struct sk_buff *skb, struct bitsec_flow *fl)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int off = iph->ihl * 4;

	memset(fl, 0, sizeof(*fl));
	fl->family = AF_INET;
	fl->proto = iph->protocol;
	fl->saddr.s6_addr32[0] = iph->saddr;
	fl->daddr.s6_addr32[0] = iph->daddr;
	/* Later fragments carry no ports: they match port-less selectors. */
	if (ip_is_fragment(iph) && (iph->frag_off & htons(IP_OFFSET)))
		return true;
	switch (iph->protocol) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP: {
		__be16 _p[2];
		const __be16 *p = skb_header_pointer(skb, off, sizeof(_p), _p);

		if (!p)
			return false;
		fl->sport = ntohs(p[0]);
		fl->dport = ntohs(p[1]);
		break;
	}
	case IPPROTO_ICMP: {
		u8 _t[2];
		const u8 *t = skb_header_pointer(skb, off, sizeof(_t), _t);

		if (!t)
			return false;
		fl->sport = t[0];
		fl->dport = t[1];
		break;
	}
	}
	return true;
}

/* Does @sa satisfy template @t (for a packet from @fl in transport mode)? */
static bool bitsec_tmpl_match(const struct bitsec_tmpl *t, const struct bitsec_sa *sa)
{
	if (sa->spi_key.proto != t->proto)
		return false;
	if (sa->mode != BITSEC_MODE_ANY && sa->mode != t->mode)
		return false;
	if (t->reqid && sa->reqid != t->reqid)
		return false;
	if (t->mode == BITSEC_MODE_TUNNEL &&
	    ((!ipv6_addr_any(&t->saddr) && !ipv6_addr_equal(&t->saddr, &sa->pair_key.saddr)) ||
	     (!ipv6_addr_any(&t->daddr) && !ipv6_addr_equal(&t->daddr, &sa->pair_key.daddr))))
		return false;
	return true;
}

/*
 * Inbound policy: may @skb, unwrapped by @in's SAs (NULL: it arrived in
 * the clear), be delivered (@dir in) or forwarded (fwd)?  Counts a refusal.
 */
static bool bitsec_policy_in(struct bitsec_net *bn, struct sk_buff *skb,
			     const struct bitsec_in *in, u8 dir)
{
	struct bitsec_flow fl;
	struct bitsec_sp *sp;
	int i, j;

	if (!bitsec_flow4(skb, &fl)) {
		bitsec_stat_inc(bn, BITSEC_STAT_IN_MALFORMED);
		return false;
	}
	sp = bitsec_spd_lookup(&bn->spd, dir, &fl);
	if (sp && unlikely(!READ_ONCE(sp->use_time)))
		WRITE_ONCE(sp->use_time, ktime_get_real_seconds());
	if (!sp || sp->action == BITSEC_ACT_NONE) {
		/*
		 * A packet out of a tunnel is only taken where a policy names
		 * the tunnel (as XFRM): else anyone holding the SA could send
		 * any inner traffic through it.  Transport mode SAs the policy
		 * does not ask for are fine.
		 */
		for (i = 0; in && i < in->n; i++) {
			if (in->sas[i]->mode == BITSEC_MODE_TUNNEL) {
				bitsec_stat_inc(bn, BITSEC_STAT_IN_NO_POLICY);
				return false;
			}
		}
		return true;
	}
	if (sp->action == BITSEC_ACT_DISCARD) {
		bitsec_stat_inc(bn, BITSEC_STAT_IN_POLICY_BLOCK);
		return false;
	}
	/* Templates innermost first; the SAs outermost first. */
	j = in ? in->n - 1 : -1;
	for (i = 0; i < sp->n_tmpls; i++) {
		const struct bitsec_tmpl *t = &sp->tmpls[i];

		if (j >= 0 && bitsec_tmpl_match(t, in->sas[j])) {
			j--;
			continue;
		}
		if (t->level == BITSEC_LEVEL_USE)
			continue;
		bitsec_stat_inc(bn, BITSEC_STAT_IN_UNPROTECTED);
		return false;
	}
	if (j >= 0) {
		/* Protected by more than the policy names. */
		bitsec_stat_inc(bn, BITSEC_STAT_IN_UNPROTECTED);
		return false;
	}
	return true;
}

/* Output */

/* Route the outer header of a tunnel-mode packet to its endpoint. */
static int bitsec_route_outer(struct net *net, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct flowi4 fl4 = {
		.daddr = iph->daddr,
		.saddr = iph->saddr,
		.flowi4_tos = RT_TOS(iph->tos),
		.flowi4_proto = iph->protocol,
		.flowi4_mark = skb->mark,
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	skb->dev = rt->dst.dev;
	return 0;
}

/* o->sas[o->idx] has transformed @skb: route a new outer header; move on. */
static bool bitsec_output_next(struct sk_buff *skb, struct bitsec_out *o)
{
	struct bitsec_sa *sa = o->sas[o->idx++];

	if (sa->mode == BITSEC_MODE_TUNNEL && bitsec_route_outer(o->net, skb)) {
		bitsec_stat_inc(o->bn, BITSEC_STAT_OUT_NO_ROUTE);
		return false;
	}
	return true;
}

/* Apply o->sas[o->idx ...], then send @skb on; consumes both. */
void bitsec_output_resume(struct sk_buff *skb, struct bitsec_out *o)
{
	struct iphdr *iph;
	unsigned int mtu;
	int err;

	while (o->idx < o->n) {
		struct bitsec_sa *sa = o->sas[o->idx];

		err = sa->spi_key.proto == IPPROTO_ESP ? bitsec_esp4_output(skb, o) :
							 bitsec_ah4_output(skb, o);
		if (err == -EINPROGRESS)
			return;
		if (err || !bitsec_output_next(skb, o))
			goto drop;
	}
	bitsec_stat_inc(o->bn, BITSEC_STAT_OUT_PACKETS);
	bitsec_stat_add(o->bn, BITSEC_STAT_OUT_BYTES, o->orig_len);

	/*
	 * The protected packet is measured against its link, not against the
	 * path MTU its route may hold for the inner packets (transport mode
	 * shares the route, and bitsec_out_too_big() lowered it by our
	 * overhead): ip_finish_output() does so for forwarded packets.  One
	 * still too big (a local TCP segment before TCP shrank) is fragmented
	 * rather than lost.
	 */
	IPCB(skb)->flags |= IPSKB_FORWARDED;
	iph = ip_hdr(skb);
	mtu = bitsec_link_mtu(skb_dst(skb));
	if (skb->len > mtu && (iph->frag_off & htons(IP_DF))) {
		iph->frag_off &= ~htons(IP_DF);
		ip_send_check(iph);
		skb->ignore_df = 1;
	}
	/* The inner packet's connection is not the outer packet's. */
	nf_reset_ct(skb);
	bitsec_local_out_own(o->net, skb);
	bitsec_out_put(o);
	return;
drop:
	kfree_skb(skb);
	bitsec_out_put(o);
}

/*
 * An async driver finished o->sas[o->idx] on @skb with @err: go on with
 * the rest of the bundle, or drop (the caller counted nothing); consumes
 * both.
 */
void bitsec_output_done(struct sk_buff *skb, struct bitsec_out *o, int err)
{
	if (err) {
		bitsec_sa_drop(o->bn, o->sas[o->idx], BITSEC_STAT_OUT_CRYPTO);
	} else if (bitsec_output_next(skb, o)) {
		bitsec_output_resume(skb, o);
		return;
	}
	kfree_skb(skb);
	bitsec_out_put(o);
}

/* No SA for @t of @sp: an acquire event, unless one went out lately. */
static void bitsec_acquire(struct bitsec_net *bn, struct bitsec_sp *sp,
			   const struct bitsec_tmpl *t, const struct in6_addr *s,
			   const struct in6_addr *d)
{
	unsigned long last = READ_ONCE(sp->acquire_at), now = jiffies | 1;

	if (last && time_before(now, last + BITSEC_ACQUIRE_SECS * HZ))
		return;
	/* Of CPUs racing here, one sends. */
	if (cmpxchg(&sp->acquire_at, last, now) != last)
		return;
	bitsec_sp_notify_acquire(bn->net, sp, t, s, d);
}

/*
 * Pick the SAs @sp's templates ask for; false to drop (reason counted,
 * unless @probe: then nothing is counted or announced).
 */
static bool bitsec_out_sas(struct bitsec_net *bn, struct bitsec_sp *sp,
			   const struct bitsec_flow *fl, struct bitsec_out *o, bool probe)
{
	unsigned int i;

	o->n = 0;
	for (i = 0; i < sp->n_tmpls; i++) {
		const struct bitsec_tmpl *t = &sp->tmpls[i];
		const struct in6_addr *s = &fl->saddr, *d = &fl->daddr;
		struct bitsec_sa *sa;

		if (t->mode == BITSEC_MODE_TUNNEL) {
			s = &t->saddr;
			d = &t->daddr;
		}
		sa = bitsec_sad_find_out(&bn->sad, AF_INET, s, d, t->proto, t->mode,
					 t->reqid);
		if (!sa || !bitsec_sa_hold(sa)) {
			if (!probe)
				bitsec_acquire(bn, sp, t, s, d);
			if (t->level == BITSEC_LEVEL_USE)
				continue;
			if (!probe)
				bitsec_stat_inc(bn, BITSEC_STAT_OUT_NO_SA);
			bitsec_out_put(o);
			return false;
		}
		o->sas[o->n++] = sa;
	}
	return true;
}

/*
 * A DF packet bigger than what still fits after its transforms (the route
 * to the tunnel's end, or a path MTU an SA learned from ICMP) is answered
 * with ICMP "fragmentation needed" carrying the inner MTU and dropped, as
 * ip_fragment() does: a forwarded packet's sender hears it across the
 * network, a local datagram socket through loopback (route PMTU, and its
 * error queue).  Local TCP only has its route learn the MTU, and this
 * segment goes out fragmented rather than waiting for a retransmission.
 * True if the packet was dropped.
 */
static bool bitsec_out_too_big(struct sk_buff *skb, struct bitsec_out *o)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct sock *sk = skb->sk;
	unsigned int max;

	if (!(iph->frag_off & htons(IP_DF)) || skb->len <= IPV4_MIN_MTU)
		return false;
	max = bitsec_out_max_inner(o, skb);
	if (skb->len <= max || max < IPV4_MIN_MTU)
		return false;
	if (sk && !(IPCB(skb)->flags & IPSKB_FORWARDED) && sk_fullsock(sk) &&
	    sk->sk_protocol == IPPROTO_TCP) {
		skb_dst_update_pmtu_no_confirm(skb, max);
		return false;
	}
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(max));
	return true;
}

/* Checksum resolved, size checked; false if @skb was dropped (counted). */
static bool bitsec_output_ready(struct sk_buff *skb, struct bitsec_out *o)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		bitsec_stat_inc(o->bn, BITSEC_STAT_OUT_MALFORMED);
		kfree_skb(skb);
		return false;
	}
	if (bitsec_out_too_big(skb, o)) {
		bitsec_stat_inc(o->bn, BITSEC_STAT_OUT_TOO_BIG);
		kfree_skb(skb);
		return false;
	}
	return true;
}

/*
 * Segments of one GSO super-packet, in their order, ready: the first SA
 * gives all of them their sequence numbers (and parallel tickets) under
 * one lock, then each is transformed and sent with references of its own.
 * An SA with byte or packet limits is asked packet by packet, so that its
 * hard limit stops at the exact packet.  BHs stay off while they are sent:
 * they reach the device (a veth's backlog) as one burst, which its
 * receiver takes as a batch (GRO), not one softirq each.
 */
static void bitsec_output_batch(struct sk_buff **skbs, unsigned int n, struct bitsec_out *o)
{
	struct bitsec_sa *sa = o->sas[0];
	bool par = sa->spi_key.proto == IPPROTO_ESP;
	bool batch = !bitsec_sa_has_volume_limits(sa);
	struct bitsec_claim c[BITSEC_GSO_BATCH];
	int reason[BITSEC_GSO_BATCH] = {};
	unsigned int i, j;

	if (batch) {
		spin_lock_bh(&sa->lock);
		for (i = 0; i < n; i++)
			reason[i] = bitsec_sa_claim_locked(sa, skbs[i]->len, par, false, &c[i]);
		spin_unlock_bh(&sa->lock);
	}
	local_bh_disable();
	for (i = 0; i < n; i++) {
		struct bitsec_out copy = *o;

		if (reason[i]) {
			bitsec_sa_claim_failed(o->bn, sa, reason[i]);
			kfree_skb(skbs[i]);
			continue;
		}
		if (batch)
			copy.pre = c[i];
		for (j = 0; j < copy.n; j++)
			refcount_inc(&copy.sas[j]->refcnt);
		copy.orig_len = skbs[i]->len;
		bitsec_output_resume(skbs[i], &copy);
	}
	local_bh_enable();
}

/*
 * Each segment of a GSO super-packet is its own ESP or AH packet.
 * Scatter-gather segments share the super-packet's pages (nothing copied;
 * ESP encrypts them out of place, AH only reads them); with no checksum
 * offload asked for, their checksums are computed here.  Consumes @skb,
 * not @o.
 */
static unsigned int bitsec_output_gso(struct sk_buff *skb, struct bitsec_out *o)
{
	struct sk_buff *segs, *next, *batch[BITSEC_GSO_BATCH];
	unsigned int n = 0, total = 0;

	segs = skb_gso_segment(skb, NETIF_F_SG);
	if (IS_ERR_OR_NULL(segs)) {
		bitsec_stat_inc(o->bn, BITSEC_STAT_OUT_MALFORMED);
		return NF_DROP;
	}
	consume_skb(skb);
	bitsec_stat_inc(o->bn, BITSEC_STAT_OUT_GSO);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		total++;
		if (!bitsec_output_ready(skb, o))
			continue;
		batch[n++] = skb;
		if (n == BITSEC_GSO_BATCH) {
			bitsec_output_batch(batch, n, o);
			n = 0;
		}
	}
	if (n)
		bitsec_output_batch(batch, n, o);
	bitsec_stat_add(o->bn, BITSEC_STAT_OUT_GSO_SEGS, total);
	return NF_STOLEN;
}

static void bitsec_output_one(struct sk_buff *skb, struct bitsec_out *o)
{
	if (!bitsec_output_ready(skb, o)) {
		bitsec_out_put(o);
		return;
	}
	o->orig_len = skb->len;
	bitsec_output_resume(skb, o);
}

/*
 * PRE_ROUTING, after DNAT: a large DF packet this host will forward into
 * an IPsec policy is measured against the tunnel now.  The forwarding path
 * compares it with the bare outgoing link before FORWARD or POST_ROUTING
 * could, and would first answer with that link's MTU: a number the sender
 * cannot use, and one Linux's own IPsec never sends.
 */
static unsigned int bitsec_pre_hook(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct bitsec_net *bn = bitsec_net(state->net);
	const struct iphdr *iph = ip_hdr(skb);
	struct bitsec_flow fl;
	struct bitsec_sp *sp;
	struct bitsec_out o;
	struct rtable *rt;
	unsigned int max;
	bool big;

	/* As ip_forward(): an expiring TTL is answered before the size. */
	if (!(iph->frag_off & htons(IP_DF)) || skb->len <= IPV4_MIN_MTU || iph->ttl <= 1 ||
	    skb_dst(skb) || !READ_ONCE(bn->spd.count))
		return NF_ACCEPT;
	/* Routed now, ip_rcv_finish() keeps this route. */
	if (ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, skb->dev))
		return NF_ACCEPT;
	/* What fits the bare link is measured precisely at POST_ROUTING. */
	rt = skb_rtable(skb);
	if (!rt || rt->rt_type != RTN_UNICAST || skb->len <= dst_mtu(&rt->dst) ||
	    !bitsec_flow4(skb, &fl))
		return NF_ACCEPT;
	sp = bitsec_spd_lookup(&bn->spd, BITSEC_DIR_OUT, &fl);
	if (!sp || sp->action != BITSEC_ACT_IPSEC)
		return NF_ACCEPT;
	o.net = state->net;
	o.bn = bn;
	if (!bitsec_out_sas(bn, sp, &fl, &o, true))
		return NF_ACCEPT;	/* POST_ROUTING counts the missing SA */
	if (!o.n)
		return NF_ACCEPT;
	max = bitsec_out_max_inner(&o, skb);
	big = skb->len > max && max >= IPV4_MIN_MTU;
	bitsec_out_put(&o);
	if (!big)
		return NF_ACCEPT;
	bitsec_stat_inc(bn, BITSEC_STAT_OUT_TOO_BIG);
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(max));
	return NF_DROP;
}

static unsigned int bitsec_out_hook(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct bitsec_net *bn = bitsec_net(state->net);
	struct bitsec_flow fl;
	struct bitsec_sp *sp;
	struct bitsec_out o;
	unsigned int verdict;

	/* Ours already (a protected packet, a keepalive), or XFRM's. */
	if (IPCB(skb)->flags & IPSKB_XFRM_TRANSFORMED)
		return NF_ACCEPT;
	if (!bitsec_flow4(skb, &fl))
		return NF_ACCEPT;
	sp = bitsec_spd_lookup(&bn->spd, BITSEC_DIR_OUT, &fl);
	if (!sp)
		return NF_ACCEPT;
	if (unlikely(!READ_ONCE(sp->use_time)))
		WRITE_ONCE(sp->use_time, ktime_get_real_seconds());
	if (sp->action == BITSEC_ACT_NONE)
		return NF_ACCEPT;
	if (sp->action == BITSEC_ACT_DISCARD) {
		bitsec_stat_inc(bn, BITSEC_STAT_OUT_POLICY_BLOCK);
		return NF_DROP_ERR(-EPERM);
	}
	o.fixed_iv = NULL;
	o.pre.valid = false;
	o.net = state->net;
	o.bn = bn;
	o.idx = 0;
	if (!bitsec_out_sas(bn, sp, &fl, &o, false))
		return NF_DROP_ERR(-EHOSTUNREACH);
	if (!o.n)
		return NF_ACCEPT;
	if (bitsec_ct_confirm(skb) != NF_ACCEPT) {
		bitsec_out_put(&o);
		return NF_DROP;
	}

	if (!skb_is_gso(skb)) {
		bitsec_output_one(skb, &o);
		return NF_STOLEN;
	}
	verdict = bitsec_output_gso(skb, &o);
	bitsec_out_put(&o);
	return verdict;
}

/* Input */

static int bitsec_reinject_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	/* (PRE_ROUTING may have routed it already: bitsec_pre_hook.) */
	if (!skb_dst(skb) &&
	    ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, skb->dev)) {
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	return dst_input(skb);
}

/*
 * Deliver the unwrapped @skb again from PRE_ROUTING, naming @in as what
 * unwrapped it; consumes the packet, not @in.
 */
void bitsec_input_deliver(struct sk_buff *skb, struct bitsec_in *in)
{
	struct bitsec_in *prev;

	in->skb = skb;
	local_bh_disable();
	rcu_read_lock();
	prev = this_cpu_read(bitsec_in_cur);
	this_cpu_write(bitsec_in_cur, in);
	NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, in->net, NULL, skb, skb->dev, NULL,
		bitsec_reinject_finish);
	this_cpu_write(bitsec_in_cur, prev);
	rcu_read_unlock();
	local_bh_enable();
}

/* Deliver the unwrapped @skb, through GRO if it can merge; consumes both. */
void bitsec_input_resume(struct sk_buff *skb, struct bitsec_in *in)
{
	bool queued;

	skb_dst_drop(skb);
	/* The outer packet passed: its connection is established. */
	if (bitsec_ct_confirm(skb) != NF_ACCEPT) {
		kfree_skb(skb);
		bitsec_in_put(in);
		return;
	}
	nf_reset_ct(skb);
	/*
	 * The outer packet's IP control block (options, and the largest
	 * fragment if it was reassembled, which would make forwarding
	 * refuse a DF packet as too big) is not the inner packet's.
	 */
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	skb->protocol = htons(ETH_P_IP);
	skb->pkt_type = PACKET_HOST;

	local_bh_disable();
	queued = bitsec_gro_queue(skb, in);
	local_bh_enable();
	if (!queued)
		bitsec_input_deliver(skb, in);
	bitsec_in_put(in);
}

/*
 * An async driver finished the last SA of @in on @skb: deliver the inner
 * packet, or drop it for @reason (enum bitsec_stat, 0 for none); consumes
 * both and ends the request (bitsec_async_put).
 */
void bitsec_input_done(struct sk_buff *skb, struct bitsec_in *in, int reason)
{
	struct bitsec_net *bn = in->bn;

	if (reason) {
		bitsec_sa_drop(bn, in->sas[in->n - 1], reason);
		kfree_skb(skb);
		bitsec_in_put(in);
	} else {
		bitsec_input_resume(skb, in);
	}
	bitsec_async_put(bn);
}

/* The context naming the SAs that unwrapped @skb, if it is being delivered. */
static struct bitsec_in *bitsec_in_ctx(const struct sk_buff *skb)
{
	struct bitsec_in *in = this_cpu_read(bitsec_in_cur);

	return in && in->skb == skb ? in : NULL;
}

/* ESP or AH addressed to this host: unwrap it with its SA, or drop it. */
static unsigned int bitsec_ipsec_rcv(struct bitsec_net *bn, struct net *net,
				     struct sk_buff *skb, const struct bitsec_in *outer, u8 proto,
				     const struct bitsec_encap_rx *encap)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct bitsec_spi_key key;
	__be32 _spi[3];
	const __be32 *spi;
	struct in6_addr daddr = {};
	struct bitsec_sa *sa;
	struct bitsec_in in;
	unsigned int i;
	int reason;

	/* ESP's SPI is its first word, AH's its second. */
	spi = skb_header_pointer(skb, iph->ihl * 4, sizeof(_spi), _spi);
	if (!spi) {
		bitsec_stat_inc(bn, BITSEC_STAT_IN_MALFORMED);
		return NF_DROP;
	}
	daddr.s6_addr32[0] = iph->daddr;
	bitsec_spi_key_init(&key, AF_INET, &daddr, proto == IPPROTO_ESP ? spi[0] : spi[1], proto);
	sa = bitsec_sad_lookup_spi(&bn->sad, &key);
	if (!sa) {
		bitsec_stat_inc(bn, BITSEC_STAT_IN_NO_SA);
		return NF_DROP;
	}
	if ((READ_ONCE(sa->state) != BITSEC_SA_MATURE && READ_ONCE(sa->state) != BITSEC_SA_DYING) ||
	    (!sa->esp_tfm && !sa->ah_tfm)) {
		bitsec_sa_drop(bn, sa, BITSEC_STAT_IN_SA_STATE);
		return NF_DROP;
	}
	/*
	 * The SA is for packets from its source, if it names one.  ESP in UDP
	 * is for exactly the SAs that say so, on their port; where it came
	 * from is judged once it is authenticated (port floating, natt.c).
	 */
	if (!encap && sa->pair_key.saddr.s6_addr32[0] &&
	    sa->pair_key.saddr.s6_addr32[0] != iph->saddr) {
		bitsec_sa_drop(bn, sa, BITSEC_STAT_IN_SELECTOR);
		return NF_DROP;
	}
	if (sa->encap != !!encap || (encap && encap->dport != sa->encap_dport)) {
		bitsec_sa_drop(bn, sa, BITSEC_STAT_IN_SELECTOR);
		return NF_DROP;
	}
	in.net = net;
	in.bn = bn;
	in.n = 0;
	in.natt_saddr = iph->saddr;
	in.natt_sport = encap ? encap->sport : 0;
	if (outer) {
		if (outer->n == BITSEC_TMPL_MAX) {
			bitsec_stat_inc(bn, BITSEC_STAT_IN_UNPROTECTED);
			return NF_DROP;
		}
		for (i = 0; i < outer->n; i++) {
			refcount_inc(&outer->sas[i]->refcnt);
			in.sas[in.n++] = outer->sas[i];
		}
	}
	/* Async crypto and GRO keep the packet past this hook. */
	in.dev = skb->dev;
	dev_hold(in.dev);
	if (!bitsec_sa_hold(sa)) {
		bitsec_in_put(&in);
		bitsec_stat_inc(bn, BITSEC_STAT_IN_NO_SA);
		return NF_DROP;
	}
	in.sas[in.n++] = sa;

	reason = proto == IPPROTO_ESP ? bitsec_esp4_input(skb, sa, &in) :
					bitsec_ah4_input(skb, sa, &in);
	if (reason == -EINPROGRESS)
		return NF_STOLEN;
	if (reason) {
		bitsec_sa_drop(bn, sa, reason);
		bitsec_in_put(&in);
		return NF_DROP;
	}
	bitsec_input_resume(skb, &in);
	return NF_STOLEN;
}

static unsigned int bitsec_in_hook(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct bitsec_net *bn = bitsec_net(state->net);
	struct bitsec_in *in = bitsec_in_ctx(skb);
	u8 proto = ip_hdr(skb)->protocol;
	struct bitsec_encap_rx rx;
	int r;

	if (proto == IPPROTO_ICMP)
		bitsec_pmtu_icmp_rcv(bn, skb);
	if (proto == IPPROTO_ESP || proto == IPPROTO_AH)
		return bitsec_ipsec_rcv(bn, state->net, skb, in, proto, NULL);
	if (proto == IPPROTO_UDP) {
		r = bitsec_natt_rcv(bn, skb, &rx);
		if (r == BITSEC_NATT_ESP)
			return bitsec_ipsec_rcv(bn, state->net, skb, in, IPPROTO_ESP, &rx);
		if (r == BITSEC_NATT_CONSUMED) {
			bitsec_stat_inc(bn, BITSEC_STAT_IN_NATT_KEEPALIVE);
			consume_skb(skb);
			return NF_STOLEN;
		}
		if (r < 0) {
			bitsec_stat_inc(bn, -r);
			return NF_DROP;
		}
	}
	return bitsec_policy_in(bn, skb, in, BITSEC_DIR_IN) ? NF_ACCEPT : NF_DROP;
}

static unsigned int bitsec_fwd_hook(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct bitsec_net *bn = bitsec_net(state->net);

	return bitsec_policy_in(bn, skb, bitsec_in_ctx(skb), BITSEC_DIR_FWD) ?
	       NF_ACCEPT : NF_DROP;
}

/*
 * Outbound runs after every other POST_ROUTING hook (NAT included), so
 * what is protected is what would have gone on the wire.  Inbound runs at
 * LOCAL_IN's filter priority: after defragmentation and conntrack, before
 * the packet is delivered.
 */
static const struct nf_hook_ops bitsec_nf_ops[] = {
	{
		.hook = bitsec_pre_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_NAT_DST + 1,
	},
	{
		.hook = bitsec_out_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP_PRI_LAST - 1,
	},
	{
		.hook = bitsec_in_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FILTER,
	},
	{
		.hook = bitsec_fwd_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_FILTER,
	},
};

/*
 * Send @skb, routed, as this host's own packet, past bitsec's policies (a
 * policy covering the SA's endpoints would otherwise wrap it again): the
 * other hooks of LOCAL_OUT and POST_ROUTING (conntrack, NAT, filters) see
 * it as any local packet, as they see XFRM's.
 */
int bitsec_local_out_own(struct net *net, struct sk_buff *skb)
{
	int err;

	IPCB(skb)->flags |= IPSKB_XFRM_TRANSFORMED;
	local_bh_disable();
	err = ip_local_out(net, skb->sk, skb);
	local_bh_enable();
	return err;
}

/* Register this namespace's hooks if they are not yet; cfg_lock held. */
int bitsec_hooks_enable(struct bitsec_net *bn)
{
	int err;

	if (bn->hooks_on)
		return 0;
	err = nf_register_net_hooks(bn->net, bitsec_nf_ops, ARRAY_SIZE(bitsec_nf_ops));
	if (!err)
		bn->hooks_on = true;
	return err;
}

void bitsec_hooks_disable(struct bitsec_net *bn)
{
	if (!bn->hooks_on)
		return;
	nf_unregister_net_hooks(bn->net, bitsec_nf_ops, ARRAY_SIZE(bitsec_nf_ops));
	bn->hooks_on = false;
}
