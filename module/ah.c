// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: AH (RFC 4302) for IPv4, transport and tunnel mode.
 *
 * The ICV covers the whole IP packet with the fields a router may change
 * counted as zero (RFC 4302 3.3.3.1): TOS, flags and fragment offset, TTL,
 * header checksum and the mutable options; the AH header with a zero ICV;
 * the payload; and, with ESN, the high half of the sequence number after
 * it all.  The digest runs over the packet in place: the mutable fields are
 * saved and zeroed, and put back when the digest is done (which may be in
 * the crypto callback).
 */
#include <crypto/hash.h>
#include <crypto/algapi.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/ah.h>
#include <net/ip.h>

#include "bitsec.h"

#define BITSEC_AH_HLEN	12	/* next header, length, reserved, SPI, seq */
#define BITSEC_IPOPT_MAX 40

struct bitsec_ah_req {
	struct sk_buff *skb;
	struct bitsec_sa *sa;
	union {
		struct bitsec_out out;
		struct bitsec_in in;
	};
	u64 seq;
	unsigned int size;		/* as allocated (reqcache.c) */
	unsigned int ihl, ahlen, icvlen;
	/* The mutable IPv4 fields, while they are zeroed for the digest. */
	u8 tos, ttl;
	__be16 frag_off;
	__be32 daddr;
	u8 opts[BITSEC_IPOPT_MAX];
	__be32 seqhi;
	u8 icv_rx[64];			/* received ICV (input) */
	u8 digest[64];
};

static struct bitsec_ah_req *bitsec_ah_req_alloc(struct bitsec_net *bn,
						 struct crypto_ahash *tfm, int nsg,
						 struct ahash_request **req,
						 struct scatterlist **sg)
{
	size_t base = ALIGN(sizeof(struct bitsec_ah_req), crypto_tfm_ctx_alignment());
	size_t rlen = ALIGN(sizeof(struct ahash_request) + crypto_ahash_reqsize(tfm),
			    __alignof__(struct scatterlist));
	size_t size = base + rlen + nsg * sizeof(struct scatterlist);
	struct bitsec_ah_req *r;

	r = bitsec_req_alloc(bn, size);
	if (!r)
		return NULL;
	r->size = size;
	*req = (void *)r + base;
	*sg = (void *)r + base + rlen;
	ahash_request_set_tfm(*req, tfm);
	return r;
}

static void bitsec_ah_req_free(struct bitsec_ah_req *r)
{
	bitsec_req_free(r, r->size);
}

/* Options RFC 4302 appendix A1 lists as immutable: hashed as sent. */
static bool bitsec_ah_opt_immutable(u8 type)
{
	switch (type) {
	case IPOPT_SEC:			/* 130, Security */
	case 133:			/* Extended Security */
	case IPOPT_CIPSO:		/* 134, Commercial Security */
	case IPOPT_RA:			/* 148, Router Alert */
	case 149:			/* Sender Directed Multi-Destination Delivery */
		return true;
	}
	return false;
}

/*
 * Zero what RFC 4302 appendix A1 calls mutable, keeping a copy in @r: TOS,
 * flags and fragment offset, TTL, checksum, and every option but the
 * immutable ones (unknown options count as mutable).  A sender hashes a
 * source-routed packet (@out) with its final destination, the route's last
 * address, in the destination field; at the receiver it is there already.
 */
static void bitsec_ah_mute(struct iphdr *iph, struct bitsec_ah_req *r, bool out)
{
	unsigned int olen = iph->ihl * 4 - sizeof(*iph), i = 0;
	u8 *opt = (u8 *)(iph + 1);

	r->tos = iph->tos;
	r->ttl = iph->ttl;
	r->frag_off = iph->frag_off;
	r->daddr = iph->daddr;
	memcpy(r->opts, opt, olen);
	iph->tos = 0;
	iph->ttl = 0;
	iph->frag_off = 0;
	iph->check = 0;
	while (i < olen) {
		u8 type = opt[i], len;

		if (type == IPOPT_END)
			break;
		if (type == IPOPT_NOOP) {
			i++;
			continue;
		}
		len = i + 1 < olen ? opt[i + 1] : 0;
		if (len < 2 || i + len > olen) {
			/* Malformed: zero the rest, the peer will disagree. */
			memset(opt + i, 0, olen - i);
			break;
		}
		if (out && (type == IPOPT_LSRR || type == IPOPT_SSRR) && len >= 7)
			memcpy(&iph->daddr, opt + i + len - 4, 4);
		if (!bitsec_ah_opt_immutable(type))
			memset(opt + i, 0, len);
		i += len;
	}
}

static void bitsec_ah_unmute(struct iphdr *iph, const struct bitsec_ah_req *r)
{
	iph->tos = r->tos;
	iph->ttl = r->ttl;
	iph->frag_off = r->frag_off;
	iph->daddr = r->daddr;
	memcpy(iph + 1, r->opts, iph->ihl * 4 - sizeof(*iph));
	ip_send_check(iph);
}

/*
 * The AH length for @icvlen bytes of ICV.  RFC 4302 asks for a multiple of
 * 4 bytes over IPv4; Linux pads to 8 unless an SA says "align4", and
 * refuses anything else, so bitsec sends 8-aligned headers (also a multiple
 * of 4, so conformant) and accepts both.
 */
static unsigned int bitsec_ah_len(unsigned int icvlen)
{
	return ALIGN(BITSEC_AH_HLEN + icvlen, 8);
}

/* The largest IPv4 packet @sa can protect within an outer MTU of @mtu. */
unsigned int bitsec_ah_max_inner(const struct bitsec_sa *sa, unsigned int mtu)
{
	unsigned int over = bitsec_ah_len(sa->auth->icv_bits / 8);

	if (sa->mode == BITSEC_MODE_TUNNEL)
		over += sizeof(struct iphdr);
	return mtu > over + sizeof(struct iphdr) ? mtu - over : 0;
}

static bool bitsec_ah_len_ok(unsigned int ahlen, unsigned int icvlen)
{
	return ahlen == ALIGN(BITSEC_AH_HLEN + icvlen, 4) ||
	       ahlen == ALIGN(BITSEC_AH_HLEN + icvlen, 8);
}

/* Output */

static void bitsec_ah_output_finish(struct bitsec_ah_req *r)
{
	struct sk_buff *skb = r->skb;
	struct ip_auth_hdr *ah = (struct ip_auth_hdr *)(skb->data + r->ihl);

	memcpy(ah->auth_data, r->digest, r->icvlen);
	bitsec_ah_unmute(ip_hdr(skb), r);
}

static void bitsec_ah_output_done(struct crypto_async_request *base, int err)
{
	struct bitsec_ah_req *r = base->data;
	struct sk_buff *skb = r->skb;
	struct bitsec_net *bn;
	struct bitsec_out o;

	if (err == -EINPROGRESS)
		return;
	if (!err)
		bitsec_ah_output_finish(r);
	o = r->out;
	bn = o.bn;
	bitsec_ah_req_free(r);
	bitsec_output_done(skb, &o, err);
	bitsec_async_put(bn);
}

/* Start @req; -EINPROGRESS if its callback will finish it. */
static int bitsec_ah_submit(struct bitsec_net *bn, struct ahash_request *req)
{
	int err;

	bitsec_async_get(bn);
	err = crypto_ahash_digest(req);
	if (err == -EINPROGRESS || err == -EBUSY)
		return -EINPROGRESS;
	bitsec_async_put(bn);
	return err;
}

/*
 * Scatterlist entries for digesting all of @skb.  AH writes only the IP
 * and AH headers (made private by skb_cow_head()), never the payload, so
 * page fragments are read where they are; only a fragment list (a
 * reassembled packet) is flattened first.
 */
static int bitsec_ah_nsg(struct sk_buff *skb)
{
	struct sk_buff *trailer;

	if (skb_has_frag_list(skb))
		return skb_cow_data(skb, 0, &trailer);
	return skb_shinfo(skb)->nr_frags + 1;
}

/* As bitsec_esp4_output(), for AH. */
int bitsec_ah4_output(struct sk_buff *skb, struct bitsec_out *o)
{
	struct bitsec_sa *sa = o->sas[o->idx];
	struct crypto_ahash *tfm = sa->ah_tfm;
	unsigned int icvlen = sa->auth->icv_bits / 8;
	unsigned int ahlen = bitsec_ah_len(icvlen);
	bool esn = sa->flags & BITSEC_SA_F_ESN;
	bool tunnel = sa->mode == BITSEC_MODE_TUNNEL;
	struct bitsec_ah_req *r;
	struct ahash_request *req;
	struct ip_auth_hdr *ah;
	struct scatterlist *sg;
	struct iphdr *iph;
	unsigned int ihl, hlen;
	int nfrags, err;
	u8 nexthdr, *head;
	struct bitsec_claim c;
	bool linear;
	u64 seq;

	err = bitsec_out_claim(o, sa, skb->len, false, &c);
	if (err)
		return err;
	seq = c.seq;

	ihl = ip_hdrlen(skb);
	nexthdr = tunnel ? IPPROTO_IPIP : ip_hdr(skb)->protocol;
	hlen = ahlen + (tunnel ? sizeof(struct iphdr) : 0);
	head = skb->head;
	linear = !skb_is_nonlinear(skb);
	if (skb_cow_head(skb, hlen + (skb_dst(skb) ? LL_RESERVED_SPACE(skb_dst(skb)->dev) : 0)))
		goto nomem;
	nfrags = bitsec_ah_nsg(skb);
	if (nfrags < 0)
		goto nomem;
	if (bitsec_payload_copied(skb, head, linear))
		bitsec_stat_inc(o->bn, BITSEC_STAT_OUT_COPIED);

	ihl = bitsec_ip4_push(skb, o, sa, ahlen);
	iph = ip_hdr(skb);

	ah = (struct ip_auth_hdr *)(skb->data + ihl);
	ah->nexthdr = nexthdr;
	ah->hdrlen = ahlen / 4 - 2;
	ah->reserved = 0;
	ah->spi = sa->spi_key.spi;
	ah->seq_no = htonl(lower_32_bits(seq));
	memset(ah->auth_data, 0, ahlen - BITSEC_AH_HLEN);

	r = bitsec_ah_req_alloc(o->bn, tfm, nfrags + 1, &req, &sg);
	if (!r)
		goto nomem;
	r->skb = skb;
	r->sa = sa;
	r->out = *o;
	r->ihl = ihl;
	r->icvlen = icvlen;
	r->seqhi = htonl(upper_32_bits(seq));
	bitsec_ah_mute(iph, r, true);

	sg_init_table(sg, nfrags + 1);
	err = skb_to_sgvec_nomark(skb, sg, 0, skb->len);
	if (unlikely(err < 0)) {
		bitsec_ah_unmute(iph, r);
		bitsec_ah_req_free(r);
		bitsec_sa_drop(o->bn, sa, BITSEC_STAT_OUT_MALFORMED);
		return err;
	}
	if (esn)
		sg_set_buf(&sg[err++], &r->seqhi, sizeof(r->seqhi));
	sg_mark_end(&sg[err - 1]);
	ahash_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, bitsec_ah_output_done, r);
	ahash_request_set_crypt(req, sg, r->digest, skb->len + (esn ? 4 : 0));
	bitsec_sa_count_packet(sa, o->orig_len);

	err = bitsec_ah_submit(o->bn, req);
	if (err == -EINPROGRESS)
		return err;
	if (!err)
		bitsec_ah_output_finish(r);
	else
		bitsec_ah_unmute(iph, r);
	bitsec_ah_req_free(r);
	if (err) {
		bitsec_sa_drop(o->bn, sa, BITSEC_STAT_OUT_CRYPTO);
		return err;
	}
	return 0;

nomem:
	bitsec_sa_drop(o->bn, sa, BITSEC_STAT_OUT_NOMEM);
	return -ENOMEM;
}

/* Input */

static int bitsec_ah4_input_finish(struct bitsec_ah_req *r, int err)
{
	struct sk_buff *skb = r->skb;
	struct bitsec_sa *sa = r->sa;
	struct ip_auth_hdr *ah;
	int reason;

	bitsec_ah_unmute(ip_hdr(skb), r);
	if (err)
		return BITSEC_STAT_IN_CRYPTO;
	if (crypto_memneq(r->digest, r->icv_rx, r->icvlen))
		return BITSEC_STAT_IN_AUTH;

	spin_lock_bh(&sa->lock);
	reason = bitsec_replay_check(&sa->replay_in, r->seq);
	if (!reason)
		bitsec_replay_advance(&sa->replay_in, r->seq);
	spin_unlock_bh(&sa->lock);
	if (reason)
		return reason;

	bitsec_sa_count_packet(sa, skb->len);
	bitsec_stat_inc(r->in.bn, BITSEC_STAT_IN_PACKETS);
	bitsec_stat_add(r->in.bn, BITSEC_STAT_IN_BYTES, skb->len);

	ah = (struct ip_auth_hdr *)(skb->data + r->ihl);
	return bitsec_ip4_pull(skb, sa, r->ihl, r->ahlen, ah->nexthdr);
}

static void bitsec_ah_input_done(struct crypto_async_request *base, int err)
{
	struct bitsec_ah_req *r = base->data;
	struct sk_buff *skb = r->skb;
	struct bitsec_in in;
	int reason;

	if (err == -EINPROGRESS)
		return;
	reason = bitsec_ah4_input_finish(r, err);
	in = r->in;
	bitsec_ah_req_free(r);
	bitsec_input_done(skb, &in, reason);
}

/* As bitsec_esp4_input(), for AH. */
int bitsec_ah4_input(struct sk_buff *skb, struct bitsec_sa *sa, struct bitsec_in *in)
{
	struct crypto_ahash *tfm = sa->ah_tfm;
	unsigned int icvlen = sa->auth->icv_bits / 8;
	bool esn = sa->flags & BITSEC_SA_F_ESN;
	unsigned int ihl = ip_hdrlen(skb), ahlen;
	struct bitsec_ah_req *r;
	struct ahash_request *req;
	struct ip_auth_hdr *ah;
	struct scatterlist *sg;
	int nfrags, reason, err;
	bool linear;
	u8 *head;
	u64 seq;

	if (!pskb_may_pull(skb, ihl + BITSEC_AH_HLEN))
		return BITSEC_STAT_IN_MALFORMED;
	ah = (struct ip_auth_hdr *)(skb->data + ihl);
	ahlen = (ah->hdrlen + 2) * 4;
	if (!bitsec_ah_len_ok(ahlen, icvlen) || !pskb_may_pull(skb, ihl + ahlen))
		return BITSEC_STAT_IN_MALFORMED;

	spin_lock_bh(&sa->lock);
	seq = bitsec_replay_infer(&sa->replay_in, esn, ntohl(ah->seq_no));
	reason = bitsec_replay_check(&sa->replay_in, seq);
	spin_unlock_bh(&sa->lock);
	if (reason)
		return reason;

	/* The header is rewritten for the digest and moved after it. */
	head = skb->head;
	linear = !skb_is_nonlinear(skb);
	if (skb_cow_head(skb, 0))
		return BITSEC_STAT_IN_NOMEM;
	nfrags = bitsec_ah_nsg(skb);
	if (nfrags < 0)
		return BITSEC_STAT_IN_NOMEM;
	if (bitsec_payload_copied(skb, head, linear))
		bitsec_stat_inc(in->bn, BITSEC_STAT_IN_COPIED);
	r = bitsec_ah_req_alloc(in->bn, tfm, nfrags + 1, &req, &sg);
	if (!r)
		return BITSEC_STAT_IN_NOMEM;
	r->skb = skb;
	r->sa = sa;
	r->in = *in;
	r->seq = seq;
	r->ihl = ihl;
	r->ahlen = ahlen;
	r->icvlen = icvlen;
	r->seqhi = htonl(upper_32_bits(seq));
	ah = (struct ip_auth_hdr *)(skb->data + ihl);
	memcpy(r->icv_rx, ah->auth_data, icvlen);
	/*
	 * Only the ICV counts as zero; padding after it is hashed as it
	 * came.  bitsec sends zero padding; Linux sends whatever its headroom
	 * held, and hashes it so.
	 */
	memset(ah->auth_data, 0, icvlen);
	bitsec_ah_mute(ip_hdr(skb), r, false);

	sg_init_table(sg, nfrags + 1);
	err = skb_to_sgvec_nomark(skb, sg, 0, skb->len);
	if (unlikely(err < 0)) {
		bitsec_ah_unmute(ip_hdr(skb), r);
		bitsec_ah_req_free(r);
		return BITSEC_STAT_IN_MALFORMED;
	}
	if (esn)
		sg_set_buf(&sg[err++], &r->seqhi, sizeof(r->seqhi));
	sg_mark_end(&sg[err - 1]);
	ahash_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, bitsec_ah_input_done, r);
	ahash_request_set_crypt(req, sg, r->digest, skb->len + (esn ? 4 : 0));

	err = bitsec_ah_submit(in->bn, req);
	if (err == -EINPROGRESS)
		return err;
	reason = bitsec_ah4_input_finish(r, err);
	bitsec_ah_req_free(r);
	return reason;
}
