// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: ESP (RFC 4303) for IPv4, transport and tunnel mode.
 *
 * Every suite runs through the AEAD interface (sa.c): the associated data
 * is SPI, sequence number (high half too with ESN) and, last, the IV.
 * authenc authenticates all of it, which is what RFC 4303 asks of a cipher
 * with a separate ICV; authencesn moves the high half to the end as RFC
 * 4303's ESN needs; rfc4106, rfc7539esp treat the trailing IV as the
 * explicit nonce and leave it out of the AAD, as RFC 4106 and 7634 say.
 * The associated data is a small buffer of our own, followed in the
 * scatterlist by the packet's payload, so the packet is never moved for it.
 *
 * IVs: counter modes (CTR, GCM, ChaCha20) take the 64-bit sequence number,
 * unique per SA as those RFCs require; CBC takes fresh random bytes.
 *
 * Crypto may complete asynchronously: -EINPROGRESS and -EBUSY (backlogged)
 * mean the callback will resume the packet; it runs in softirq or process
 * context, and the continuations disable BHs themselves.
 */
#include <crypto/aead.h>
#include <linux/ip.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/esp.h>
#include <net/ip.h>

#include "bitsec.h"

#define BITSEC_AD_MAX	(12 + 16)	/* SPI, seq hi, seq lo, longest IV */

/* One ESP operation in flight: its request, scatterlist and continuation. */
struct bitsec_esp_req {
	struct sk_buff *skb;
	struct bitsec_sa *sa;
	union {
		struct bitsec_out out;
		struct bitsec_in in;
	};
	u64 seq;
	unsigned int size;		/* as allocated (reqcache.c) */
	unsigned int ihl, hlen, elen;
	u8 ad[BITSEC_AD_MAX];
	u8 iv[16];
	/* Out-of-place output: the pages the plaintext was read from. */
	unsigned int n_old;
	struct page *old[MAX_SKB_FRAGS];
	/* Parallel crypto (par.c) */
	struct aead_request *req;
	bool encrypt;
	struct bitsec_par_item par;
};

/*
 * Per-CPU pages that trailers and out-of-place ciphertext are cut from, so
 * a packet with page fragments is never pulled into one linear buffer.
 */
static DEFINE_PER_CPU(struct page_frag, bitsec_esp_frags);

/* The most one cut can hold: a page frag is at most an order-3 page. */
#define BITSEC_ESP_FRAG_MAX	32768U

/* @len bytes of a page of our own, with a reference; NULL if none. */
static struct page *bitsec_esp_frag(unsigned int len, unsigned int *off)
{
	struct page *page = NULL;
	struct page_frag *pf;

	local_bh_disable();
	pf = this_cpu_ptr(&bitsec_esp_frags);
	if (skb_page_frag_refill(len, pf, GFP_ATOMIC)) {
		page = pf->page;
		get_page(page);
		*off = pf->offset;
		pf->offset += ALIGN(len, L1_CACHE_BYTES);
	}
	local_bh_enable();
	return page;
}

/* Module exit: the per-CPU pages go back (in-flight cuts hold their own). */
void bitsec_esp_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct page_frag *pf = per_cpu_ptr(&bitsec_esp_frags, cpu);

		if (pf->page)
			put_page(pf->page);
		pf->page = NULL;
	}
}

/* The request block's parts: ours, the AEAD's, the scatterlist. */
static size_t bitsec_esp_req_base(void)
{
	return ALIGN(sizeof(struct bitsec_esp_req), crypto_tfm_ctx_alignment());
}

static size_t bitsec_esp_req_rlen(struct crypto_aead *aead)
{
	return ALIGN(sizeof(struct aead_request) + crypto_aead_reqsize(aead),
		     __alignof__(struct scatterlist));
}

/* Bytes of request memory for @aead with @nsg scatterlist entries. */
size_t bitsec_esp_req_size(struct crypto_aead *aead, unsigned int nsg)
{
	return bitsec_esp_req_base() + bitsec_esp_req_rlen(aead) +
	       nsg * sizeof(struct scatterlist);
}
BITSEC_EXPORT_INTERNAL(bitsec_esp_req_size);

static struct bitsec_esp_req *bitsec_esp_req_alloc(struct bitsec_net *bn,
						   struct crypto_aead *aead, int nsg,
						   struct aead_request **req,
						   struct scatterlist **sg)
{
	size_t base = bitsec_esp_req_base(), rlen = bitsec_esp_req_rlen(aead);
	size_t size = base + rlen + nsg * sizeof(struct scatterlist);
	struct bitsec_esp_req *r;

	r = bitsec_req_alloc(bn, size);
	if (!r)
		return NULL;
	r->size = size;
	r->n_old = 0;
	*req = (void *)r + base;
	r->req = *req;
	*sg = (void *)r + base + rlen;
	aead_request_set_tfm(*req, aead);
	return r;
}

static void bitsec_esp_req_free(struct bitsec_esp_req *r)
{
	unsigned int i;

	for (i = 0; i < r->n_old; i++)
		put_page(r->old[i]);
	bitsec_req_free(r, r->size);
}

/* SPI, [seq hi], seq lo, IV: returns the associated data's length. */
static unsigned int bitsec_esp_ad(u8 *ad, __be32 spi, u64 seq, bool esn,
				  const u8 *iv, unsigned int ivlen)
{
	__be32 *w = (__be32 *)ad;
	unsigned int n = 0;

	w[n++] = spi;
	if (esn)
		w[n++] = htonl(upper_32_bits(seq));
	w[n++] = htonl(lower_32_bits(seq));
	memcpy(&w[n], iv, ivlen);
	return n * 4 + ivlen;
}

/* Output */

/* Send the protected packet on (both paths; the parallel one in ticket order). */
static void bitsec_esp_out_finish(struct bitsec_par_item *it, int err)
{
	struct bitsec_esp_req *r = container_of(it, struct bitsec_esp_req, par);
	struct sk_buff *skb = r->skb;
	struct bitsec_out o = r->out;

	bitsec_esp_req_free(r);
	bitsec_output_done(skb, &o, err);
	bitsec_async_put(o.bn);
}

static void bitsec_esp_output_done(struct crypto_async_request *base, int err)
{
	struct bitsec_esp_req *r = base->data;
	struct bitsec_sa *sa = r->sa;

	if (err == -EINPROGRESS)	/* left the backlog; completion follows */
		return;
	/*
	 * Only once the packet has been sent on may the SA's next one take
	 * the other path, or it could leave first.  The SA outlives its last
	 * reference, which the request held, by a grace period.
	 */
	rcu_read_lock();
	bitsec_esp_out_finish(&r->par, err);
	bitsec_par_done(sa);
	rcu_read_unlock();
}

/* Start @req; -EINPROGRESS if its callback will finish it. */
static int bitsec_esp_submit(struct bitsec_net *bn, struct aead_request *req, bool encrypt)
{
	int err;

	bitsec_async_get(bn);
	err = encrypt ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	if (err == -EINPROGRESS || err == -EBUSY)
		return -EINPROGRESS;
	bitsec_async_put(bn);
	return err;
}

/* Parallel path (par.c): the crypto, run on the CPU the ticket chose. */
static int bitsec_esp_par_start(struct bitsec_par_item *it)
{
	struct bitsec_esp_req *r = container_of(it, struct bitsec_esp_req, par);
	int err = r->encrypt ? crypto_aead_encrypt(r->req) : crypto_aead_decrypt(r->req);

	return err == -EBUSY ? -EINPROGRESS : err;
}

static void bitsec_esp_par_done(struct crypto_async_request *base, int err)
{
	struct bitsec_esp_req *r = base->data;

	if (err != -EINPROGRESS)
		bitsec_par_complete(&r->par, err);
}

/* Send @r to a CPU with ticket @ticket; its callbacks finish it in order. */
static void bitsec_esp_par_submit(struct bitsec_net *bn, struct bitsec_esp_req *r,
				  u32 ticket, bool encrypt,
				  void (*finish)(struct bitsec_par_item *it, int err))
{
	r->encrypt = encrypt;
	r->par.sa = r->sa;
	r->par.ticket = ticket;
	r->par.start = bitsec_esp_par_start;
	r->par.finish = finish;
	aead_request_set_callback(r->req, CRYPTO_TFM_REQ_MAY_BACKLOG, bitsec_esp_par_done, r);
	bitsec_stat_inc(bn, encrypt ? BITSEC_STAT_OUT_PARALLEL : BITSEC_STAT_IN_PARALLEL);
	bitsec_async_get(bn);
	bitsec_par_submit(&r->par);
}

/*
 * The largest IPv4 packet @sa can protect within an outer packet of @mtu
 * bytes: the outer (tunnel) or kept (transport, assumed without options)
 * IP header, the UDP header of NAT-T, ESP header and IV, the payload padded
 * with its two trailer bytes to the cipher's block, and the ICV.  With
 * AES-CBC and HMAC-SHA-1-96 in a NAT-T tunnel, 1500 gives 1422.
 */
unsigned int bitsec_esp_max_payload(const struct bitsec_sa *sa, unsigned int mtu)
{
	struct crypto_aead *aead = sa->esp_tfm;
	unsigned int blksize = ALIGN(crypto_aead_blocksize(aead), BITSEC_ESP_ALIGN);
	unsigned int over = sizeof(struct iphdr) + sizeof(struct ip_esp_hdr) +
			    crypto_aead_ivsize(aead) + crypto_aead_authsize(aead);
	unsigned int room;

	if (sa->encap)
		over += sizeof(struct udphdr);
	if (mtu < over + blksize)
		return 0;
	room = rounddown(mtu - over, blksize) - 2;
	/* Transport mode keeps the packet's own header outside the ESP. */
	return sa->mode == BITSEC_MODE_TUNNEL ? room : room + sizeof(struct iphdr);
}
BITSEC_EXPORT_INTERNAL(bitsec_esp_max_payload);

/*
 * RFC 4303 2.7: traffic flow confidentiality padding takes the inner packet
 * of a tunnel-mode SA up to the SA's tfcpad bytes, but never past what
 * still fits the route's MTU; the receiver drops it by the inner header's
 * length.  (Transport mode has no inner length to strip it by.)
 */
static unsigned int bitsec_esp_tfclen(struct sk_buff *skb, const struct bitsec_sa *sa,
				      unsigned int plen)
{
	unsigned int padto = sa->tfcpad;

	if (!padto || sa->mode != BITSEC_MODE_TUNNEL)
		return 0;
	if (skb_dst(skb))
		padto = min(padto, bitsec_esp_max_payload(sa, dst_mtu(skb_dst(skb))));
	return padto > plen ? padto - plen : 0;
}

/* Where an out-of-place encryption writes its ciphertext. */
struct bitsec_esp_dst {
	struct page *page;		/* NULL: in place */
	unsigned int off;
};

/* The @tailen-byte trailer as one more page fragment of @skb; or NULL. */
static u8 *bitsec_esp_tail_frag(struct sk_buff *skb, unsigned int tailen, int *nsg)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int off;
	struct page *page;

	page = bitsec_esp_frag(tailen, &off);
	if (!page)
		return NULL;
	__skb_fill_page_desc(skb, sh->nr_frags++, page, off, tailen);
	skb->len += tailen;
	skb->data_len += tailen;
	skb->truesize += tailen;
	/* The socket is charged truesize back when the skb dies. */
	if (skb->sk && sk_fullsock(skb->sk))
		refcount_add(tailen, &skb->sk->sk_wmem_alloc);
	*nsg = sh->nr_frags + 1;
	return page_address(page) + off;
}

/*
 * Room for the @tailen-byte trailer.  A packet made of page fragments (not
 * cloned: its linear part is ours) gets it as one more fragment and will
 * be encrypted out of place into a fresh page (@dst), since its pages may
 * still be TCP's for retransmission.  A linear packet of our own without
 * the tailroom gets it as a fragment too, but is encrypted in place; any
 * other packet is made writable (copied) and encrypted in place.  Returns
 * where the trailer goes with *@nsg the scatterlist entries the payload
 * needs, or NULL.
 */
static u8 *bitsec_esp_tail(struct sk_buff *skb, unsigned int tailen, int *nsg,
			   struct bitsec_esp_dst *dst)
{
	struct skb_shared_info *sh;
	struct sk_buff *trailer;
	u8 *tail;

	dst->page = NULL;
	/*
	 * A clone (TCP keeps the original for retransmission) shares its list
	 * of fragments: it gets a list and headers of its own, the payload
	 * stays shared, since out-of-place encryption never writes it.
	 */
	if (skb_is_nonlinear(skb) && skb_cloned(skb) && !skb_has_frag_list(skb) &&
	    pskb_expand_head(skb, 0, 0, GFP_ATOMIC))
		return NULL;
	sh = skb_shinfo(skb);
	if (skb_is_nonlinear(skb) && !skb_cloned(skb) && !skb_has_frag_list(skb) &&
	    sh->nr_frags < MAX_SKB_FRAGS && skb->data_len + tailen <= BITSEC_ESP_FRAG_MAX) {
		/* Both pieces, or neither: then the copy below. */
		dst->page = bitsec_esp_frag(skb->data_len + tailen, &dst->off);
		tail = dst->page ? bitsec_esp_tail_frag(skb, tailen, nsg) : NULL;
		if (tail)
			return tail;
		if (dst->page)
			put_page(dst->page);
		dst->page = NULL;
	} else if (!skb_is_nonlinear(skb) && !skb_cloned(skb) && skb_tailroom(skb) < tailen) {
		/* A linear packet of our own: in place, the trailer beside it. */
		tail = bitsec_esp_tail_frag(skb, tailen, nsg);
		if (tail)
			return tail;
	}
	*nsg = skb_cow_data(skb, tailen, &trailer);
	if (*nsg < 0)
		return NULL;
	return pskb_put(skb, trailer, tailen);
}

/*
 * The scatterlists of an out-of-place encryption: @sg (built) reads the
 * payload where it is, @dsg writes it to @dst's page, which replaces the
 * skb's fragments; @r keeps their pages until the cipher is done.
 */
static int bitsec_esp_oop_sg(struct sk_buff *skb, struct bitsec_esp_req *r,
			     const struct bitsec_esp_dst *dst, struct scatterlist *dsg,
			     unsigned int ad_len, unsigned int off, unsigned int len)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int i;
	int err;

	for (i = 0; i < sh->nr_frags; i++)
		r->old[i] = skb_frag_page(&sh->frags[i]);
	r->n_old = sh->nr_frags;
	__skb_fill_page_desc(skb, 0, dst->page, dst->off, skb->data_len);
	sh->nr_frags = 1;
	sg_init_table(dsg, 3);
	sg_set_buf(dsg, r->ad, ad_len);
	err = skb_to_sgvec(skb, dsg + 1, off, len);
	return err < 0 ? err : 0;
}

/* bitsec_esp4_output() on its SA, with the sequence number and path @c. */
static int __bitsec_esp4_output(struct sk_buff *skb, struct bitsec_out *o,
				struct bitsec_sa *sa, const struct bitsec_claim *c)
{
	struct crypto_aead *aead = sa->esp_tfm;
	unsigned int ivlen = crypto_aead_ivsize(aead);
	unsigned int icvlen = crypto_aead_authsize(aead);
	unsigned int blksize = ALIGN(crypto_aead_blocksize(aead), BITSEC_ESP_ALIGN);
	bool esn = sa->flags & BITSEC_SA_F_ESN;
	bool tunnel = sa->mode == BITSEC_MODE_TUNNEL;
	unsigned int ulen = sa->encap ? sizeof(struct udphdr) : 0;
	unsigned int ihl, plen, clen, padlen, tfclen, hlen, assoclen, i;
	struct scatterlist *sg, *dsg;
	struct bitsec_esp_dst dst;
	struct bitsec_esp_req *r;
	struct aead_request *req;
	struct ip_esp_hdr *esph;
	u8 *tail, *head, nexthdr;
	u64 seq = c->seq;
	int nsg, err;
	bool linear;

	ihl = ip_hdrlen(skb);
	/* Tunnel mode wraps the whole packet; transport mode its payload. */
	plen = tunnel ? skb->len : skb->len - ihl;
	nexthdr = tunnel ? IPPROTO_IPIP : ip_hdr(skb)->protocol;
	tfclen = bitsec_esp_tfclen(skb, sa, plen);
	clen = ALIGN(plen + tfclen + 2, blksize);
	padlen = clen - plen - tfclen - 2;
	hlen = sizeof(*esph) + ivlen;

	bitsec_ip4_reserve(skb, blksize + 1 + icvlen);
	head = skb->head;
	linear = !skb_is_nonlinear(skb);
	err = skb_cow_head(skb, ulen + hlen + (tunnel ? sizeof(struct iphdr) : 0) +
			   (skb_dst(skb) ? LL_RESERVED_SPACE(skb_dst(skb)->dev) : 0));
	if (err)
		goto nomem;
	tail = bitsec_esp_tail(skb, tfclen + padlen + 2 + icvlen, &nsg, &dst);
	if (!tail)
		goto nomem;
	if (bitsec_payload_copied(skb, head, linear))
		bitsec_stat_inc(o->bn, BITSEC_STAT_OUT_COPIED);
	memset(tail, 0, tfclen);
	tail += tfclen;
	for (i = 0; i < padlen; i++)
		tail[i] = sa->pad_type == BITSEC_PAD_ZERO ? 0 : i + 1;
	if (sa->pad_type == BITSEC_PAD_RANDOM)
		get_random_bytes(tail, padlen);
	tail[padlen] = padlen;
	tail[padlen + 1] = nexthdr;

	ihl = bitsec_ip4_push(skb, o, sa, ulen + hlen);
	if (ulen) {
		/* RFC 3948 2.1: the SA's ports, checksum 0 (ESP has integrity). */
		struct udphdr *uh = (struct udphdr *)(skb->data + ihl);

		uh->source = htons(sa->encap_sport);
		uh->dest = htons(READ_ONCE(sa->encap_dport));
		uh->len = htons(skb->len - ihl);
		uh->check = 0;
		ip_hdr(skb)->protocol = IPPROTO_UDP;
		/* A peer that floated gets its tunnel's packets where it is now. */
		if (tunnel)
			ip_hdr(skb)->daddr = bitsec_sa_out_peer(sa);
		ihl += ulen;
		/* Once a jiffy at most: the SA's cache line stays shared. */
		if (READ_ONCE(sa->natt_tx) != (jiffies | 1))
			WRITE_ONCE(sa->natt_tx, jiffies | 1);
	}
	ip_send_check(ip_hdr(skb));

	esph = (struct ip_esp_hdr *)(skb->data + ihl);
	esph->spi = sa->spi_key.spi;
	esph->seq_no = htonl(lower_32_bits(seq));

	/* Out of place, three more entries: AD, linear part, the new page. */
	r = bitsec_esp_req_alloc(o->bn, aead, nsg + 1 + (dst.page ? 3 : 0), &req, &sg);
	if (!r) {
		if (dst.page)
			put_page(dst.page);
		goto nomem;
	}
	if (ivlen) {
		if (unlikely(o->fixed_iv)) {
			memcpy(r->iv, o->fixed_iv, ivlen);
		} else if (sa->enc && sa->enc->block_bytes > 1) {
			get_random_bytes(r->iv, ivlen);
		} else {
			__be64 s = cpu_to_be64(seq);

			memcpy(r->iv, &s, sizeof(s));
		}
		memcpy(esph->enc_data, r->iv, ivlen);
	}
	r->skb = skb;
	r->sa = sa;
	r->out = *o;
	assoclen = bitsec_esp_ad(r->ad, esph->spi, seq, esn, r->iv, ivlen);
	sg_init_table(sg, nsg + 1);
	sg_set_buf(sg, r->ad, assoclen);
	err = skb_to_sgvec(skb, sg + 1, ihl + hlen, clen + icvlen);
	dsg = sg;
	if (dst.page) {
		dsg = sg + nsg + 1;
		if (err >= 0)
			err = bitsec_esp_oop_sg(skb, r, &dst, dsg, assoclen, ihl + hlen,
						clen + icvlen);
		else
			put_page(dst.page);
	}
	if (unlikely(err < 0)) {
		bitsec_esp_req_free(r);
		bitsec_sa_drop(o->bn, sa, BITSEC_STAT_OUT_MALFORMED);
		return err;
	}
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				  bitsec_esp_output_done, r);
	aead_request_set_crypt(req, sg, dsg, clen, r->iv);
	aead_request_set_ad(req, assoclen);
	bitsec_sa_count_packet(sa, o->orig_len);
	if (c->path) {
		bitsec_esp_par_submit(o->bn, r, c->ticket, true, bitsec_esp_out_finish);
		return -EINPROGRESS;
	}

	err = bitsec_esp_submit(o->bn, req, true);
	if (err == -EINPROGRESS)
		return err;
	bitsec_esp_req_free(r);
	if (err) {
		bitsec_sa_drop(o->bn, sa, BITSEC_STAT_OUT_CRYPTO);
		return err;
	}
	return 0;

nomem:
	bitsec_sa_drop(o->bn, sa, BITSEC_STAT_OUT_NOMEM);
	return -ENOMEM;
}

/*
 * Protect @skb (skb->data at its IPv4 header, not GSO, checksum resolved)
 * with o->sas[o->idx].  Returns 0 when done, -EINPROGRESS when the crypto
 * callback will go on with bitsec_output_resume(), or another error with
 * the reason counted; on error the caller still owns @skb.
 */
int bitsec_esp4_output(struct sk_buff *skb, struct bitsec_out *o)
{
	struct bitsec_sa *sa = o->sas[o->idx];
	struct bitsec_claim c;
	int err;

	err = bitsec_out_claim(o, sa, skb->len, true, &c);
	if (err)
		return err;
	err = __bitsec_esp4_output(skb, o, sa, &c);
	if (err != -EINPROGRESS) {
		/* Dropped before its crypto: the tickets after it go on. */
		if (err && c.path)
			bitsec_par_abandon(sa, c.ticket);
		bitsec_par_done(sa);
	}
	return err;
}
BITSEC_EXPORT_INTERNAL(bitsec_esp4_output);

/* Input */

/* After decryption: check, record and strip; 0 or a drop reason. */
static int bitsec_esp4_input_finish(struct bitsec_esp_req *r, int err)
{
	struct sk_buff *skb = r->skb;
	struct bitsec_sa *sa = r->sa;
	unsigned int icvlen = crypto_aead_authsize(sa->esp_tfm);
	unsigned int ihl = r->ihl, i, trim;
	u8 nh[2], pad[256];
	bool newest;
	int reason;

	if (err == -EBADMSG)
		return BITSEC_STAT_IN_AUTH;
	if (err)
		return BITSEC_STAT_IN_CRYPTO;

	/* Only a verified packet may move the window (RFC 4303 3.4.3). */
	spin_lock_bh(&sa->lock);
	reason = bitsec_replay_check(&sa->replay_in, r->seq);
	newest = r->seq > sa->replay_in.top;
	if (!reason)
		bitsec_replay_advance(&sa->replay_in, r->seq);
	spin_unlock_bh(&sa->lock);
	if (reason)
		return reason;
	if (r->in.natt_sport)
		bitsec_natt_seen(sa, &r->in, newest);

	if (skb_copy_bits(skb, skb->len - icvlen - 2, nh, 2))
		return BITSEC_STAT_IN_MALFORMED;
	if (nh[0] + 2 > r->elen)
		return BITSEC_STAT_IN_PADDING;
	/* RFC 4303 2.4: with the default padding, the bytes are 1, 2, 3 ... */
	if (sa->pad_type == BITSEC_PAD_DEFAULT && nh[0]) {
		if (skb_copy_bits(skb, skb->len - icvlen - 2 - nh[0], pad, nh[0]))
			return BITSEC_STAT_IN_MALFORMED;
		for (i = 0; i < nh[0]; i++)
			if (pad[i] != i + 1)
				return BITSEC_STAT_IN_PADDING;
	}
	if (nh[1] == IPPROTO_NONE)	/* RFC 4303 2.6: a dummy packet */
		return BITSEC_STAT_IN_DUMMY;

	bitsec_sa_count_packet(sa, skb->len);
	bitsec_stat_inc(r->in.bn, BITSEC_STAT_IN_PACKETS);
	bitsec_stat_add(r->in.bn, BITSEC_STAT_IN_BYTES, skb->len);

	trim = icvlen + 2 + nh[0];
	if (pskb_trim(skb, skb->len - trim))
		return BITSEC_STAT_IN_NOMEM;
	/*
	 * Transport mode through a NAT: the sender summed its TCP or UDP
	 * header with addresses the NAT has since changed; ESP's ICV has
	 * vouched for the payload instead (RFC 3948 3.1.2).
	 */
	skb->ip_summed = sa->encap && sa->mode != BITSEC_MODE_TUNNEL ?
			 CHECKSUM_UNNECESSARY : CHECKSUM_NONE;

	return bitsec_ip4_pull(skb, sa, ihl, r->hlen, nh[1]);
}

/* Deliver the inner packet (both paths; the parallel one in ticket order). */
static void bitsec_esp_in_finish(struct bitsec_par_item *it, int err)
{
	struct bitsec_esp_req *r = container_of(it, struct bitsec_esp_req, par);
	struct sk_buff *skb = r->skb;
	struct bitsec_in in;
	int reason;

	reason = bitsec_esp4_input_finish(r, err);
	in = r->in;
	bitsec_esp_req_free(r);
	bitsec_input_done(skb, &in, reason);
}

static void bitsec_esp_input_done(struct crypto_async_request *base, int err)
{
	struct bitsec_esp_req *r = base->data;
	struct bitsec_sa *sa = r->sa;

	if (err == -EINPROGRESS)
		return;
	/* Delivered before the SA may switch paths, as on output. */
	rcu_read_lock();
	bitsec_esp_in_finish(&r->par, err);
	bitsec_par_done(sa);
	rcu_read_unlock();
}

/*
 * Verify and decrypt @skb (skb->data at its IPv4 header) with @sa, which
 * @in already lists last (with its reference).  Returns 0 with @skb the
 * inner packet, -EINPROGRESS if the crypto callback will go on with
 * bitsec_input_resume(), or a positive drop reason (enum bitsec_stat); on a
 * drop the caller still owns @skb and @in.
 */
int bitsec_esp4_input(struct sk_buff *skb, struct bitsec_sa *sa, struct bitsec_in *in)
{
	struct crypto_aead *aead = sa->esp_tfm;
	unsigned int ivlen = crypto_aead_ivsize(aead);
	unsigned int icvlen = crypto_aead_authsize(aead);
	unsigned int blksize = ALIGN(crypto_aead_blocksize(aead), 4);
	bool esn = sa->flags & BITSEC_SA_F_ESN;
	unsigned int ihl = ip_hdrlen(skb), hlen = sizeof(struct ip_esp_hdr) + ivlen;
	struct bitsec_esp_req *r;
	struct aead_request *req;
	struct ip_esp_hdr *esph;
	struct sk_buff *trailer;
	struct scatterlist *sg;
	unsigned int assoclen;
	int elen, nfrags, reason, err, path;
	u32 ticket;
	u64 seq;

	if (!pskb_may_pull(skb, ihl + hlen))
		return BITSEC_STAT_IN_MALFORMED;
	elen = skb->len - ihl - hlen - icvlen;
	/* The ciphertext holds at least pad length and next header. */
	if (elen < 2 || elen % blksize)
		return BITSEC_STAT_IN_MALFORMED;

	esph = (struct ip_esp_hdr *)(skb->data + ihl);
	spin_lock_bh(&sa->lock);
	seq = bitsec_replay_infer(&sa->replay_in, esn, ntohl(esph->seq_no));
	reason = bitsec_replay_check(&sa->replay_in, seq);
	path = reason ? 0 : bitsec_par_pick(sa, skb->len, true, &ticket);
	spin_unlock_bh(&sa->lock);
	if (reason)
		return reason;
	if (unlikely(path < 0))
		goto nomem;
	if (path == BITSEC_PAR_OVERTAKE) {
		bitsec_stat_inc(in->bn, BITSEC_STAT_PAR_OVERTAKE);
		path = BITSEC_PAR_INLINE;
	}

	/* Decrypt in place where the packet's memory is its own alone. */
	if (!skb_cloned(skb) && !skb_has_frag_list(skb) && !skb_has_shared_frag(skb)) {
		nfrags = skb_shinfo(skb)->nr_frags + 1;
	} else {
		nfrags = skb_cow_data(skb, 0, &trailer);
		bitsec_stat_inc(in->bn, BITSEC_STAT_IN_COPIED);
	}
	if (nfrags < 0)
		goto nomem;
	r = bitsec_esp_req_alloc(in->bn, aead, nfrags + 1, &req, &sg);
	if (!r)
		goto nomem;
	esph = (struct ip_esp_hdr *)(skb->data + ihl);
	memcpy(r->iv, esph->enc_data, ivlen);
	r->skb = skb;
	r->sa = sa;
	r->in = *in;
	r->seq = seq;
	r->ihl = ihl;
	r->hlen = hlen;
	r->elen = elen;
	assoclen = bitsec_esp_ad(r->ad, esph->spi, seq, esn, r->iv, ivlen);
	sg_init_table(sg, nfrags + 1);
	sg_set_buf(sg, r->ad, assoclen);
	err = skb_to_sgvec(skb, sg + 1, ihl + hlen, elen + icvlen);
	if (unlikely(err < 0)) {
		bitsec_esp_req_free(r);
		reason = BITSEC_STAT_IN_MALFORMED;
		goto drop;
	}
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, bitsec_esp_input_done, r);
	aead_request_set_crypt(req, sg, sg, elen + icvlen, r->iv);
	aead_request_set_ad(req, assoclen);
	if (path) {
		bitsec_esp_par_submit(in->bn, r, ticket, false, bitsec_esp_in_finish);
		return -EINPROGRESS;
	}

	err = bitsec_esp_submit(in->bn, req, false);
	if (err == -EINPROGRESS)
		return err;
	reason = bitsec_esp4_input_finish(r, err);
	bitsec_esp_req_free(r);
	bitsec_par_done(sa);
	return reason;

nomem:
	reason = BITSEC_STAT_IN_NOMEM;
drop:
	/* Dropped before its crypto: the tickets after it go on. */
	if (path > 0)
		bitsec_par_abandon(sa, ticket);
	bitsec_par_done(sa);
	return reason;
}
BITSEC_EXPORT_INTERNAL(bitsec_esp4_input);
