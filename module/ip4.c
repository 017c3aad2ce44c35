// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: the IPv4 header work ESP and AH share: making room for their
 * header (transport mode) or wrapping the packet in a new outer header
 * (tunnel mode), and undoing either once a packet has been checked.
 */
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/route.h>

#include "bitsec.h"

/*
 * Make the route @skb came by build its next packets with @tail bytes of
 * tailroom, so that the ESP trailer fits without a copy: UDP, ICMP and raw
 * sockets (ip_append_data()) reserve a route's trailer_len.  Only ever
 * raised; a route that is replaced is raised again by its first packet.
 * Not header_len, which Linux's own IPsec sets on its bundles too: a TCP
 * socket whose route has one loses GSO (sk_setup_caps()), which is what
 * makes XFRM's TCP slow, and every socket to that destination would.
 */
void bitsec_ip4_reserve(struct sk_buff *skb, unsigned int tail)
{
	struct dst_entry *dst = skb_dst(skb);

	if (dst && unlikely(READ_ONCE(dst->trailer_len) < tail))
		WRITE_ONCE(dst->trailer_len, tail);
}

/*
 * Make room for @xlen bytes of ESP or AH header after the IPv4 header at
 * skb->data: transport mode moves that header forward; tunnel mode puts a
 * new one in front (the SA's endpoints, the inner TOS and DF bit).  The
 * caller made the headroom; the header checksum is left to it (AH computes
 * it only after the digest).  Returns the outer header's length.
 */
unsigned int bitsec_ip4_push(struct sk_buff *skb, const struct bitsec_out *o,
			     const struct bitsec_sa *sa, unsigned int xlen)
{
	bool tunnel = sa->mode == BITSEC_MODE_TUNNEL;
	unsigned int ihl = ip_hdrlen(skb);
	struct iphdr *iph;

	if (tunnel) {
		const struct iphdr *inner = ip_hdr(skb);

		__skb_push(skb, sizeof(*iph) + xlen);
		skb_reset_network_header(skb);
		iph = ip_hdr(skb);
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = inner->tos;
		iph->frag_off = inner->frag_off & htons(IP_DF);
		iph->ttl = skb_dst(skb) ? ip4_dst_hoplimit(skb_dst(skb)) : IPDEFTTL;
		iph->saddr = sa->pair_key.saddr.s6_addr32[0];
		iph->daddr = sa->pair_key.daddr.s6_addr32[0];
		ihl = sizeof(*iph);
	} else {
		__skb_push(skb, xlen);
		memmove(skb->data, skb->data + xlen, ihl);
		skb_reset_network_header(skb);
		iph = ip_hdr(skb);
	}
	skb_set_transport_header(skb, ihl);
	iph->protocol = sa->spi_key.proto;
	iph->tot_len = htons(skb->len);
	if (tunnel && o->net)
		__ip_select_ident(o->net, iph, 1);
	return ihl;
}

/*
 * After ESP or AH accepted a packet (its trailer already trimmed): tunnel
 * mode strips the outer header and the @xlen bytes of ESP/AH header, and
 * the inner packet must be a whole IPv4 packet, whose length drops any TFC
 * padding after it; transport mode closes the
 * gap they leave after the @ihl-byte header, which takes @nexthdr as its
 * protocol.  Returns 0 or a drop reason (enum bitsec_stat).
 */
int bitsec_ip4_pull(struct sk_buff *skb, const struct bitsec_sa *sa, unsigned int ihl,
		    unsigned int xlen, u8 nexthdr)
{
	struct iphdr *iph;

	if (sa->mode == BITSEC_MODE_TUNNEL ||
	    (sa->mode == BITSEC_MODE_ANY && nexthdr == IPPROTO_IPIP)) {
		if (nexthdr != IPPROTO_IPIP)
			return BITSEC_STAT_IN_INNER;
		__skb_pull(skb, ihl + xlen);
		skb_reset_network_header(skb);
		if (!pskb_may_pull(skb, sizeof(struct iphdr)))
			return BITSEC_STAT_IN_INNER;
		iph = ip_hdr(skb);
		if (iph->version != 4 || iph->ihl < 5 || ntohs(iph->tot_len) > skb->len ||
		    ntohs(iph->tot_len) < iph->ihl * 4 || !pskb_may_pull(skb, iph->ihl * 4))
			return BITSEC_STAT_IN_INNER;
		/* Past the inner packet's own length: TFC padding (RFC 4303 2.7). */
		if (pskb_trim(skb, ntohs(iph->tot_len)))
			return BITSEC_STAT_IN_NOMEM;
		/* The inner header is as its sender made it, ECN bits and all. */
		skb_set_transport_header(skb, iph->ihl * 4);
		return 0;
	}
	memmove(skb->data + xlen, skb->data, ihl);
	__skb_pull(skb, xlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, ihl);
	iph = ip_hdr(skb);
	iph->protocol = nexthdr;
	iph->tot_len = htons(skb->len);
	ip_send_check(iph);
	return 0;
}
