// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: path MTU through IPsec.
 *
 * Each SA knows what its transform adds (esp.c, ah.c: the largest packet
 * that still fits an outer MTU), and learns the path MTU towards its peer
 * from ICMP "fragmentation needed" about the ESP/AH (or ESP-in-UDP)
 * packets it sent, for BITSEC_PMTU_SECS as Linux's route PMTU lasts.  The
 * largest inner packet of a bundle follows from the outer MTU, SA by SA,
 * outermost first.  hooks.c uses that to answer a too-big DF packet with
 * an ICMP carrying the inner MTU, before the forwarding path compares the
 * packet with the bare link.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/route.h>

#include "bitsec.h"

/*
 * A route's own MTU: its configured metric or its device's, not a path MTU
 * learned for it, which for transport mode bitsec itself lowered by its
 * overhead for the inner packets.  What ip_finish_output() uses for
 * forwarded packets.
 */
unsigned int bitsec_link_mtu(const struct dst_entry *dst)
{
	return dst_metric_raw(dst, RTAX_MTU) ?: READ_ONCE(dst->dev->mtu);
}
BITSEC_EXPORT_INTERNAL(bitsec_link_mtu);

/* The path MTU @sa learned from ICMP, if it has not expired; else 0. */
unsigned int bitsec_sa_pmtu(const struct bitsec_sa *sa)
{
	unsigned int mtu = READ_ONCE(sa->pmtu);

	if (mtu && time_before(jiffies, READ_ONCE(sa->pmtu_expires)))
		return mtu;
	return 0;
}
BITSEC_EXPORT_INTERNAL(bitsec_sa_pmtu);

/* The largest packet @sa can protect within an outer MTU of @mtu. */
unsigned int bitsec_sa_max_inner(const struct bitsec_sa *sa, unsigned int mtu)
{
	unsigned int learned = bitsec_sa_pmtu(sa);

	if (learned && learned < mtu)
		mtu = learned;
	if (sa->spi_key.proto == IPPROTO_ESP)
		return bitsec_esp_max_payload(sa, mtu);
	return bitsec_ah_max_inner(sa, mtu);
}
BITSEC_EXPORT_INTERNAL(bitsec_sa_max_inner);

/*
 * What @sa adds to a packet at the path MTU it works with now: the one it
 * learned, else the route's to its peer.  *@inner_mtu gets the largest
 * inner packet for that MTU, or 0 if there is no such route (an inbound
 * SA: its source is not ours); the overhead is then for 1500 bytes.
 */
unsigned int bitsec_sa_overhead(const struct bitsec_sa *sa, unsigned int *inner_mtu)
{
	unsigned int mtu = bitsec_sa_pmtu(sa);
	struct flowi4 fl4 = {};
	struct rtable *rt;

	*inner_mtu = 0;
	if (!mtu && sa->bn) {
		fl4.daddr = bitsec_sa_out_peer(sa);
		fl4.saddr = sa->pair_key.saddr.s6_addr32[0];
		rt = ip_route_output_key(sa->bn->net, &fl4);
		if (!IS_ERR(rt)) {
			mtu = bitsec_link_mtu(&rt->dst);
			ip_rt_put(rt);
		}
	}
	if (mtu) {
		*inner_mtu = bitsec_sa_max_inner(sa, mtu);
		return mtu - *inner_mtu;
	}
	return ETH_DATA_LEN - bitsec_sa_max_inner(sa, ETH_DATA_LEN);
}

/*
 * The outer MTU for the transforms of @o: the route to the outermost
 * tunnel's endpoint, or the packet's own route if no SA is a tunnel.
 */
static unsigned int bitsec_out_route_mtu(const struct bitsec_out *o, struct sk_buff *skb)
{
	const struct bitsec_sa *sa;
	struct flowi4 fl4 = {};
	struct rtable *rt;
	unsigned int mtu;
	int i;

	for (i = o->n - 1; i >= 0; i--) {
		sa = o->sas[i];
		if (sa->mode != BITSEC_MODE_TUNNEL)
			continue;
		fl4.daddr = bitsec_sa_out_peer(sa);
		fl4.saddr = sa->pair_key.saddr.s6_addr32[0];
		fl4.flowi4_mark = skb->mark;
		rt = ip_route_output_key(o->net, &fl4);
		if (IS_ERR(rt))
			break;
		mtu = bitsec_link_mtu(&rt->dst);
		ip_rt_put(rt);
		return mtu;
	}
	return skb_dst(skb) ? bitsec_link_mtu(skb_dst(skb)) : IP_MAX_MTU;
}

/* The largest packet that fits after every transform of @o. */
unsigned int bitsec_out_max_inner(const struct bitsec_out *o, struct sk_buff *skb)
{
	unsigned int mtu = bitsec_out_route_mtu(o, skb);
	int i;

	for (i = o->n - 1; i >= 0; i--)
		mtu = bitsec_sa_max_inner(o->sas[i], mtu);
	return mtu;
}

/*
 * An ICMP "fragmentation needed" at LOCAL_IN (skb->data at its IPv4
 * header): if it quotes a packet one of our SAs sent (plain ESP or AH by
 * SPI; ESP in UDP by addresses and ports, since the quoted 8 bytes are the
 * UDP header), that SA learns the path MTU.  The ICMP itself goes on.
 */
void bitsec_pmtu_icmp_rcv(struct bitsec_net *bn, struct sk_buff *skb)
{
	unsigned int ihl = ip_hdrlen(skb), qhl, mtu;
	const struct icmphdr *ih;
	const struct iphdr *q;
	struct bitsec_spi_key key;
	struct in6_addr a = {}, b = {};
	struct bitsec_sa *sa = NULL;
	struct icmphdr _ih;
	struct iphdr _q;
	__be32 _w[2];
	const __be32 *w;

	ih = skb_header_pointer(skb, ihl, sizeof(_ih), &_ih);
	if (!ih || ih->type != ICMP_DEST_UNREACH || ih->code != ICMP_FRAG_NEEDED)
		return;
	q = skb_header_pointer(skb, ihl + sizeof(*ih), sizeof(_q), &_q);
	if (!q || q->version != 4 || q->ihl < 5)
		return;
	qhl = q->ihl * 4;
	w = skb_header_pointer(skb, ihl + sizeof(*ih) + qhl, sizeof(_w), _w);
	if (!w)
		return;
	mtu = ntohs(ih->un.frag.mtu);
	if (mtu < IPV4_MIN_MTU)
		return;
	a.s6_addr32[0] = q->saddr;
	b.s6_addr32[0] = q->daddr;

	rcu_read_lock();
	if (q->protocol == IPPROTO_ESP || q->protocol == IPPROTO_AH) {
		bitsec_spi_key_init(&key, AF_INET, &b,
				    q->protocol == IPPROTO_ESP ? w[0] : w[1], q->protocol);
		sa = bitsec_sad_lookup_spi(&bn->sad, &key);
		if (sa && sa->encap)
			sa = NULL;
	} else if (q->protocol == IPPROTO_UDP && READ_ONCE(bn->sad.n_encap)) {
		const struct udphdr *uh = (const struct udphdr *)w;

		sa = bitsec_sad_find_encap(&bn->sad, &a, &b, ntohs(uh->source), ntohs(uh->dest));
	}
	if (sa && (!bitsec_sa_pmtu(sa) || mtu < bitsec_sa_pmtu(sa))) {
		WRITE_ONCE(sa->pmtu_expires, jiffies + BITSEC_PMTU_SECS * HZ);
		WRITE_ONCE(sa->pmtu, mtu);
		bitsec_stat_inc(bn, BITSEC_STAT_IN_PMTU);
	}
	rcu_read_unlock();
}
