// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: NAT traversal, ESP in UDP (RFC 3948), without the UDP_ENCAP
 * socket option a stack lacking XFRM does not have.
 *
 * Outbound, esp.c puts an 8-byte UDP header (the SA's ports, checksum 0)
 * between the IP and ESP headers.  Inbound, LOCAL_IN sees every UDP
 * datagram before its socket does; one sent to a port an encapsulating SA
 * uses is taken apart here: a first 32-bit word that is not zero is an SPI
 * and the datagram is ESP (its UDP header goes and it is handled as ESP); a
 * zero word is the non-ESP marker of IKE and the datagram goes on to its
 * socket unchanged; a single 0xff byte is a NAT keepalive and is consumed.
 *
 * Which local ports are NAT-T ports: both ports of every encapsulating SA
 * (one of them is this host's), in a small table per namespace.
 *
 * Port floating (RFC 3948 4, RFC 7296 2.23): a NAT may give the peer a new
 * address or port at any time, when its mapping timed out.  Only an
 * authenticated packet, the newest its SA has seen (so neither a forgery
 * nor a late packet from the old mapping), moves the peer: the inbound SA's
 * source and the outbound SAs that sent to the old endpoint.  A tunnel's
 * outer header then goes to the new address; a transport-mode packet
 * cannot (its header is the socket's), which the key manager, told by the
 * mapping event, must solve.
 *
 * Keepalives (RFC 3948 2.3): an SA that has sent and then stays silent
 * for its interval sends a one-byte 0xff datagram, so that a NAT in front
 * of this host keeps its mapping.  Inbound SAs never send one.
 */
#include <linux/ip.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/route.h>

#include "bitsec.h"

/* Count one more SA on @port; cfg_lock held.  -ENOSPC if the table is full. */
static int bitsec_natt_port_get(struct bitsec_sad *sad, u16 port)
{
	int i, free = -1;

	for (i = 0; i < BITSEC_NATT_PORTS; i++) {
		if (sad->natt_users[i] && sad->natt_port[i] == port) {
			sad->natt_users[i]++;
			return 0;
		}
		if (!sad->natt_users[i] && free < 0)
			free = i;
	}
	if (free < 0)
		return -ENOSPC;
	WRITE_ONCE(sad->natt_port[free], port);
	sad->natt_users[free] = 1;
	return 0;
}

static void bitsec_natt_port_put(struct bitsec_sad *sad, u16 port)
{
	int i;

	for (i = 0; i < BITSEC_NATT_PORTS; i++) {
		if (sad->natt_users[i] && sad->natt_port[i] == port) {
			if (!--sad->natt_users[i])
				WRITE_ONCE(sad->natt_port[i], 0);
			return;
		}
	}
}

/* An encapsulating SA joins the tables; cfg_lock held. */
int bitsec_natt_sa_add(struct bitsec_sad *sad, struct bitsec_sa *sa,
		       struct netlink_ext_ack *extack)
{
	if (!sa->encap)
		return 0;
	if (bitsec_natt_port_get(sad, sa->natt_ports[0]))
		goto full;
	if (bitsec_natt_port_get(sad, sa->natt_ports[1])) {
		bitsec_natt_port_put(sad, sa->natt_ports[0]);
		goto full;
	}
	WRITE_ONCE(sad->n_encap, sad->n_encap + 1);
	if (sa->natt_keepalive && sa->bn)
		mod_timer(&sa->natt_timer, jiffies + sa->natt_keepalive * HZ);
	return 0;
full:
	NL_SET_ERR_MSG_MOD(extack, "too many distinct NAT-T ports in this namespace (at most "
			   __stringify(BITSEC_NATT_PORTS) "); use the usual 4500");
	return -ENOSPC;
}

/* It leaves them; cfg_lock held, process context. */
void bitsec_natt_sa_del(struct bitsec_sad *sad, struct bitsec_sa *sa)
{
	if (!sa->encap)
		return;
	del_timer_sync(&sa->natt_timer);
	bitsec_natt_port_put(sad, sa->natt_ports[0]);
	bitsec_natt_port_put(sad, sa->natt_ports[1]);
	WRITE_ONCE(sad->n_encap, sad->n_encap - 1);
}

static bool bitsec_natt_port_known(const struct bitsec_sad *sad, u16 port)
{
	int i;

	for (i = 0; i < BITSEC_NATT_PORTS; i++)
		if (port && READ_ONCE(sad->natt_port[i]) == port)
			return true;
	return false;
}

/*
 * A UDP datagram at LOCAL_IN (skb->data at its IPv4 header).  Returns
 * BITSEC_NATT_PASS to let it go on to its socket, BITSEC_NATT_CONSUMED for
 * a keepalive (the caller frees it), or BITSEC_NATT_ESP with @skb turned
 * into the plain ESP packet it carried and @rx holding the UDP ports it
 * came with; a negative drop reason if it cannot be.
 */
int bitsec_natt_rcv(struct bitsec_net *bn, struct sk_buff *skb, struct bitsec_encap_rx *rx)
{
	unsigned int ihl = ip_hdrlen(skb), plen;
	struct udphdr _uh;
	const struct udphdr *uh;
	__be32 _w;
	const __be32 *w;
	const u8 *b;
	struct iphdr *iph;

	if (!READ_ONCE(bn->sad.n_encap))
		return BITSEC_NATT_PASS;
	uh = skb_header_pointer(skb, ihl, sizeof(_uh), &_uh);
	if (!uh || !bitsec_natt_port_known(&bn->sad, ntohs(uh->dest)))
		return BITSEC_NATT_PASS;
	plen = skb->len - ihl - sizeof(*uh);
	if (ntohs(uh->len) != skb->len - ihl)
		return BITSEC_NATT_PASS;	/* UDP itself will judge it */
	if (plen == 1) {
		b = skb_header_pointer(skb, ihl + sizeof(*uh), 1, &_w);
		return b && *b == 0xff ? BITSEC_NATT_CONSUMED : BITSEC_NATT_PASS;
	}
	if (plen < sizeof(_w))
		return BITSEC_NATT_PASS;
	w = skb_header_pointer(skb, ihl + sizeof(*uh), sizeof(_w), &_w);
	if (!w || !*w)
		return BITSEC_NATT_PASS;	/* the non-ESP marker: IKE */

	rx->sport = ntohs(uh->source);
	rx->dport = ntohs(uh->dest);
	/* Close the UDP header's gap: what is left is the ESP packet. */
	if (skb_ensure_writable(skb, ihl + sizeof(*uh)))
		return -BITSEC_STAT_IN_NOMEM;
	memmove(skb->data + sizeof(*uh), skb->data, ihl);
	__skb_pull(skb, sizeof(*uh));
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, ihl);
	iph = ip_hdr(skb);
	iph->protocol = IPPROTO_ESP;
	iph->tot_len = htons(skb->len);
	ip_send_check(iph);
	return BITSEC_NATT_ESP;
}

/* Port floating */

/* Where an inbound SA's packets come from now; 0 if it names no source. */
static __be32 bitsec_natt_in_peer(const struct bitsec_sa *sa)
{
	return READ_ONCE(sa->natt_peer) ?: sa->pair_key.saddr.s6_addr32[0];
}

/*
 * The inbound SA @in_sa moved its peer from @oaddr:@oport to @naddr:@nport:
 * so do the outbound SAs that sent from its port to the old endpoint.
 */
static void bitsec_natt_float_out(struct bitsec_net *bn, const struct bitsec_sa *in_sa,
				  __be32 oaddr, u16 oport, __be32 naddr, u16 nport)
{
	struct rhlist_head *list, *pos;
	struct bitsec_sa *sa;

	rcu_read_lock();
	list = bitsec_sad_pair_list(&bn->sad, in_sa->pair_key.daddr.s6_addr32[0],
				    in_sa->pair_key.saddr.s6_addr32[0], IPPROTO_ESP);
	rhl_for_each_entry_rcu(sa, pos, list, pair_node) {
		if (!sa->encap || sa->natt_ports[0] != in_sa->encap_dport ||
		    READ_ONCE(sa->encap_dport) != oport || bitsec_sa_out_peer(sa) != oaddr)
			continue;
		spin_lock_bh(&sa->lock);
		WRITE_ONCE(sa->encap_dport, nport);
		WRITE_ONCE(sa->natt_peer, naddr == sa->pair_key.daddr.s6_addr32[0] ? 0 : naddr);
		spin_unlock_bh(&sa->lock);
	}
	rcu_read_unlock();
}

/*
 * @sa authenticated a packet that came in UDP from in->natt_saddr:
 * in->natt_sport.  If that is not where its peer was, and the packet is
 * the @newest the SA has accepted, the peer has moved: follow it and say
 * so.  Any other authenticated packet is accepted where it came from.
 */
void bitsec_natt_seen(struct bitsec_sa *sa, const struct bitsec_in *in, bool newest)
{
	__be32 oaddr = bitsec_natt_in_peer(sa), naddr = in->natt_saddr;
	u16 oport = READ_ONCE(sa->encap_sport), nport = in->natt_sport;

	/* An SA that names no source takes any address; only ports move. */
	if (!oaddr)
		naddr = 0;
	if ((oaddr == naddr && oport == nport) || !newest)
		return;
	spin_lock_bh(&sa->lock);
	/* Another CPU may have followed the same move. */
	if (bitsec_natt_in_peer(sa) != oaddr || sa->encap_sport != oport) {
		spin_unlock_bh(&sa->lock);
		return;
	}
	WRITE_ONCE(sa->encap_sport, nport);
	if (oaddr)
		WRITE_ONCE(sa->natt_peer, naddr == sa->pair_key.saddr.s6_addr32[0] ? 0 : naddr);
	spin_unlock_bh(&sa->lock);

	if (oaddr)
		bitsec_natt_float_out(in->bn, sa, oaddr, oport, naddr, nport);
	bitsec_stat_inc(in->bn, BITSEC_STAT_IN_NATT_MAPPING);
	bitsec_sa_notify_mapping(in->net, sa, oaddr, oport, in->natt_saddr, nport);
}
BITSEC_EXPORT_INTERNAL(bitsec_natt_seen);

/* Keepalives */

/* One 0xff datagram from @sa's port to its peer's, past our own policies. */
static void bitsec_natt_keepalive_send(struct bitsec_sa *sa)
{
	struct bitsec_net *bn = sa->bn;
	struct flowi4 fl4;
	struct sk_buff *skb;
	struct udphdr *uh;
	struct iphdr *iph;
	struct rtable *rt;
	u16 sport = sa->encap_sport, dport = READ_ONCE(sa->encap_dport);

	rt = ip_route_output_ports(bn->net, &fl4, NULL, bitsec_sa_out_peer(sa),
				   sa->pair_key.saddr.s6_addr32[0], htons(dport), htons(sport),
				   IPPROTO_UDP, 0, 0);
	if (IS_ERR(rt)) {
		bitsec_stat_inc(bn, BITSEC_STAT_OUT_NO_ROUTE);
		return;
	}
	skb = alloc_skb(LL_RESERVED_SPACE(rt->dst.dev) + sizeof(*iph) + sizeof(*uh) + 1,
			GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		bitsec_stat_inc(bn, BITSEC_STAT_OUT_NOMEM);
		return;
	}
	skb_reserve(skb, LL_RESERVED_SPACE(rt->dst.dev));
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_UDP;
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	__ip_select_ident(bn->net, iph, 1);
	skb_set_transport_header(skb, sizeof(*iph));
	uh = skb_put(skb, sizeof(*uh));
	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(sizeof(*uh) + 1);
	uh->check = 0;		/* RFC 3948 2.3 asks for no more than IPv4 allows */
	skb_put_u8(skb, 0xff);
	skb->protocol = htons(ETH_P_IP);
	skb_dst_set(skb, &rt->dst);
	/* ip_local_out() sets tot_len and the header checksum. */
	if (!bitsec_local_out_own(bn->net, skb))
		bitsec_stat_inc(bn, BITSEC_STAT_OUT_NATT_KEEPALIVE);
}

static void bitsec_natt_timer(struct timer_list *t)
{
	struct bitsec_sa *sa = from_timer(sa, t, natt_timer);
	unsigned long ival = sa->natt_keepalive * HZ, now = jiffies;
	unsigned long last = READ_ONCE(sa->natt_tx);

	if (READ_ONCE(sa->state) == BITSEC_SA_DEAD)
		return;
	if (last && !time_before(now, last + ival)) {
		bitsec_natt_keepalive_send(sa);
		last = now | 1;
		WRITE_ONCE(sa->natt_tx, last);
	}
	mod_timer(&sa->natt_timer, (last ?: now) + ival);
}

void bitsec_natt_sa_init(struct bitsec_sa *sa)
{
	timer_setup(&sa->natt_timer, bitsec_natt_timer, 0);
}
