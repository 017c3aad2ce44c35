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
 */
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>

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
int bitsec_natt_sa_add(struct bitsec_sad *sad, const struct bitsec_sa *sa,
		       struct netlink_ext_ack *extack)
{
	if (!sa->encap)
		return 0;
	if (bitsec_natt_port_get(sad, sa->encap_sport))
		goto full;
	if (bitsec_natt_port_get(sad, sa->encap_dport)) {
		bitsec_natt_port_put(sad, sa->encap_sport);
		goto full;
	}
	WRITE_ONCE(sad->n_encap, sad->n_encap + 1);
	return 0;
full:
	NL_SET_ERR_MSG_MOD(extack, "too many distinct NAT-T ports in this namespace (at most "
			   __stringify(BITSEC_NATT_PORTS) "); use the usual 4500");
	return -ENOSPC;
}

void bitsec_natt_sa_del(struct bitsec_sad *sad, const struct bitsec_sa *sa)
{
	if (!sa->encap)
		return;
	bitsec_natt_port_put(sad, sa->encap_sport);
	bitsec_natt_port_put(sad, sa->encap_dport);
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
