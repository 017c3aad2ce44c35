// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: ESP against published known answers.  Each vector's ESP packet is
 * decrypted to exactly its inner packet, and the inner packet, with the
 * vector's IV and sequence number pinned, is encrypted to exactly its ESP
 * bytes (SPI to ICV; the outer header's ID and TTL are the sender's own).
 * The bytes are RFC 3602 section 4 cases 5 and 7 and RFC 7634 appendix A,
 * as tools/testing/vectors/ (a copy of the published files) gives them.
 */
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/ip.h>

#include "bitsec.h"
#include "tests.h"

/* RFC 3602 case 5 */
static const u8 rfc3602_5_key[] = {
	0x90, 0xd3, 0x82, 0xb4, 0x10, 0xee, 0xba, 0x7a, 0xd9, 0x38, 0xc4, 0x6c,
	0xec, 0x1a, 0x82, 0xbf,
};

static const u8 rfc3602_5_iv[] = {
	0xe9, 0x6e, 0x8c, 0x08, 0xab, 0x46, 0x57, 0x63, 0xfd, 0x09, 0x8d, 0x45,
	0xdd, 0x3f, 0xf8, 0x93,
};

static const u8 rfc3602_5_inner[] = {
	0x45, 0x00, 0x00, 0x54, 0x08, 0xf2, 0x00, 0x00, 0x40, 0x01, 0xf9, 0xfe,
	0xc0, 0xa8, 0x7b, 0x03, 0xc0, 0xa8, 0x7b, 0x64, 0x08, 0x00, 0x0e, 0xbd,
	0xa7, 0x0a, 0x00, 0x00, 0x8e, 0x9c, 0x08, 0x3d, 0xb9, 0x5b, 0x07, 0x00,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13,
	0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b,
	0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
};

static const u8 rfc3602_5_packet[] = {
	0x45, 0x00, 0x00, 0x7c, 0x08, 0xf2, 0x00, 0x00, 0x40, 0x32, 0xf9, 0xa5,
	0xc0, 0xa8, 0x7b, 0x03, 0xc0, 0xa8, 0x7b, 0x64, 0x00, 0x00, 0x43, 0x21,
	0x00, 0x00, 0x00, 0x01, 0xe9, 0x6e, 0x8c, 0x08, 0xab, 0x46, 0x57, 0x63,
	0xfd, 0x09, 0x8d, 0x45, 0xdd, 0x3f, 0xf8, 0x93, 0xf6, 0x63, 0xc2, 0x5d,
	0x32, 0x5c, 0x18, 0xc6, 0xa9, 0x45, 0x3e, 0x19, 0x4e, 0x12, 0x08, 0x49,
	0xa4, 0x87, 0x0b, 0x66, 0xcc, 0x6b, 0x99, 0x65, 0x33, 0x00, 0x13, 0xb4,
	0x89, 0x8d, 0xc8, 0x56, 0xa4, 0x69, 0x9e, 0x52, 0x3a, 0x55, 0xdb, 0x08,
	0x0b, 0x59, 0xec, 0x3a, 0x8e, 0x4b, 0x7e, 0x52, 0x77, 0x5b, 0x07, 0xd1,
	0xdb, 0x34, 0xed, 0x9c, 0x53, 0x8a, 0xb5, 0x0c, 0x55, 0x1b, 0x87, 0x4a,
	0xa2, 0x69, 0xad, 0xd0, 0x47, 0xad, 0x2d, 0x59, 0x13, 0xac, 0x19, 0xb7,
	0xcf, 0xba, 0xd4, 0xa6,
};

/* RFC 3602 case 7 */
static const u8 rfc3602_7_key[] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67,
	0x89, 0xab, 0xcd, 0xef,
};

static const u8 rfc3602_7_iv[] = {
	0xf4, 0xe7, 0x65, 0x24, 0x4f, 0x64, 0x07, 0xad, 0xf1, 0x3d, 0xc1, 0x38,
	0x0f, 0x67, 0x3f, 0x37,
};

static const u8 rfc3602_7_inner[] = {
	0x45, 0x00, 0x00, 0x54, 0x09, 0x04, 0x00, 0x00, 0x40, 0x01, 0xf9, 0x88,
	0xc0, 0xa8, 0x7b, 0x03, 0xc0, 0xa8, 0x7b, 0xc8, 0x08, 0x00, 0x9f, 0x76,
	0xa9, 0x0a, 0x01, 0x00, 0xb4, 0x9c, 0x08, 0x3d, 0x02, 0xa2, 0x04, 0x00,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13,
	0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b,
	0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
};

static const u8 rfc3602_7_packet[] = {
	0x45, 0x00, 0x00, 0x8c, 0x09, 0x05, 0x00, 0x00, 0x40, 0x32, 0xf9, 0x1e,
	0xc0, 0xa8, 0x7b, 0x03, 0xc0, 0xa8, 0x7b, 0xc8, 0x00, 0x00, 0x87, 0x65,
	0x00, 0x00, 0x00, 0x02, 0xf4, 0xe7, 0x65, 0x24, 0x4f, 0x64, 0x07, 0xad,
	0xf1, 0x3d, 0xc1, 0x38, 0x0f, 0x67, 0x3f, 0x37, 0x77, 0x3b, 0x52, 0x41,
	0xa4, 0xc4, 0x49, 0x22, 0x5e, 0x4f, 0x3c, 0xe5, 0xed, 0x61, 0x1b, 0x0c,
	0x23, 0x7c, 0xa9, 0x6c, 0xf7, 0x4a, 0x93, 0x01, 0x3c, 0x1b, 0x0e, 0xa1,
	0xa0, 0xcf, 0x70, 0xf8, 0xe4, 0xec, 0xae, 0xc7, 0x8a, 0xc5, 0x3a, 0xad,
	0x7a, 0x0f, 0x02, 0x2b, 0x85, 0x92, 0x43, 0xc6, 0x47, 0x75, 0x2e, 0x94,
	0xa8, 0x59, 0x35, 0x2b, 0x8a, 0x4d, 0x4d, 0x2d, 0xec, 0xd1, 0x36, 0xe5,
	0xc1, 0x77, 0xf1, 0x32, 0xad, 0x3f, 0xbf, 0xb2, 0x20, 0x1a, 0xc9, 0x90,
	0x4c, 0x74, 0xee, 0x0a, 0x10, 0x9e, 0x0c, 0xa1, 0xe4, 0xdf, 0xe9, 0xd5,
	0xa1, 0x00, 0xb8, 0x42, 0xf1, 0xc2, 0x2f, 0x0d,
};

/* RFC 7634 appendix A */
static const u8 rfc7634_key[] = {
	0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b,
	0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
	0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2, 0xa3,
};

static const u8 rfc7634_iv[] = {
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
};

static const u8 rfc7634_inner[] = {
	0x45, 0x00, 0x00, 0x54, 0xa6, 0xf2, 0x00, 0x00, 0x40, 0x01, 0xe7, 0x78,
	0xc6, 0x33, 0x64, 0x05, 0xc0, 0x00, 0x02, 0x05, 0x08, 0x00, 0x5b, 0x7a,
	0x3a, 0x08, 0x00, 0x00, 0x55, 0x3b, 0xec, 0x10, 0x00, 0x07, 0x36, 0x27,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13,
	0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b,
	0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
};

static const u8 rfc7634_packet[] = {
	0x45, 0x00, 0x00, 0x8c, 0x23, 0x45, 0x00, 0x00, 0x40, 0x32, 0xde, 0x5b,
	0xcb, 0x00, 0x71, 0x99, 0xcb, 0x00, 0x71, 0x05, 0x01, 0x02, 0x03, 0x04,
	0x00, 0x00, 0x00, 0x05, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x24, 0x03, 0x94, 0x28, 0xb9, 0x7f, 0x41, 0x7e, 0x3c, 0x13, 0x75, 0x3a,
	0x4f, 0x05, 0x08, 0x7b, 0x67, 0xc3, 0x52, 0xe6, 0xa7, 0xfa, 0xb1, 0xb9,
	0x82, 0xd4, 0x66, 0xef, 0x40, 0x7a, 0xe5, 0xc6, 0x14, 0xee, 0x80, 0x99,
	0xd5, 0x28, 0x44, 0xeb, 0x61, 0xaa, 0x95, 0xdf, 0xab, 0x4c, 0x02, 0xf7,
	0x2a, 0xa7, 0x1e, 0x7c, 0x4c, 0x4f, 0x64, 0xc9, 0xbe, 0xfe, 0x2f, 0xac,
	0xc6, 0x38, 0xe8, 0xf3, 0xcb, 0xec, 0x16, 0x3f, 0xac, 0x46, 0x9b, 0x50,
	0x27, 0x73, 0xf6, 0xfb, 0x94, 0xe6, 0x64, 0xda, 0x91, 0x65, 0xb8, 0x28,
	0x29, 0xf6, 0x41, 0xe0, 0x76, 0xaa, 0xa8, 0x26, 0x6b, 0x7f, 0xb0, 0xf7,
	0xb1, 0x1b, 0x36, 0x99, 0x07, 0xe1, 0xad, 0x43,
};

struct esp_vector {
	const char *name;
	const char *alg;
	u8 kind;
	const u8 *key, *iv, *inner, *packet;
	unsigned int keylen, ivlen, innerlen, packetlen;
	u32 spi, seq;
	u8 mode;
};

#define V(n, a, k, m, s, q, p) {						\
	.name = n, .alg = a, .kind = BITSEC_ALG_KIND_##k, .mode = BITSEC_MODE_##m,	\
	.spi = s, .seq = q,								\
	.key = p##_key, .keylen = sizeof(p##_key), .iv = p##_iv, .ivlen = sizeof(p##_iv),	\
	.inner = p##_inner, .innerlen = sizeof(p##_inner),				\
	.packet = p##_packet, .packetlen = sizeof(p##_packet) }

static const struct esp_vector esp_vectors[] = {
	V("RFC 3602 case 5 (transport)", "aes-cbc", ENC, TRANSPORT, 0x4321, 1, rfc3602_5),
	V("RFC 3602 case 7 (tunnel)", "aes-cbc", ENC, TUNNEL, 0x8765, 2, rfc3602_7),
	V("RFC 7634 appendix A (tunnel)", "chacha20-poly1305", AEAD, TUNNEL, 0x01020304, 5,
	  rfc7634),
};

/* 6.1's KUnit has no MEMEQ: say where the bytes first differ. */
static void expect_bytes(struct kunit *test, const u8 *got, const u8 *want, unsigned int len,
			 const char *name, const char *what)
{
	unsigned int i;

	for (i = 0; i < len && got[i] == want[i]; i++)
		;
	KUNIT_EXPECT_EQ_MSG(test, i, len, "%s: %s differ at byte %u: got %*ph, want %*ph",
			    name, what, i, (int)min(8U, len - i), got + i,
			    (int)min(8U, len - i), want + i);
}

struct esp_ctx {
	struct bitsec_net *bn;
	struct bitsec_sa *sa;
};

/* The SA of @v, with the outer header's addresses. */
static struct bitsec_sa *esp_vector_sa(struct kunit *test, const struct esp_vector *v)
{
	const struct iphdr *outer = (const struct iphdr *)v->packet;
	struct bitsec_sa_cfg cfg = {
		.family = AF_INET,
		.proto = IPPROTO_ESP,
		.spi = v->spi,
		.mode = v->mode,
	};
	struct bitsec_keyspec *ks = v->kind == BITSEC_ALG_KIND_AEAD ? &cfg.aead : &cfg.enc;
	struct bitsec_sa *sa;

	cfg.saddr.s6_addr32[0] = outer->saddr;
	cfg.daddr.s6_addr32[0] = outer->daddr;
	ks->alg = bitsec_alg_find(v->kind, v->alg);
	KUNIT_ASSERT_NOT_NULL(test, ks->alg);
	ks->key = v->key;
	ks->len = v->keylen;
	sa = bitsec_sa_create(&cfg, NULL);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sa), "%s: SA refused: %ld", v->name, PTR_ERR(sa));
	return sa;
}

static struct sk_buff *esp_skb(struct kunit *test, const u8 *data, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(128 + len + 128, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 128);
	skb_put_data(skb, data, len);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, ip_hdrlen(skb));
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

/*
 * @data as a packet whose first @head bytes are linear and the rest in two
 * page fragments, like a GSO segment or a NIC's receive; *@pages gets the
 * fragments' pages (with a reference of the caller's).
 */
static struct sk_buff *esp_skb_paged(struct kunit *test, const u8 *data, unsigned int len,
				     unsigned int head, struct page **pages)
{
	struct sk_buff *skb = alloc_skb(128 + head, GFP_KERNEL);
	unsigned int rest = len - head, half = rest / 2, i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 128);
	skb_put_data(skb, data, head);
	for (i = 0; i < 2; i++) {
		unsigned int n = i ? rest - half : half;

		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		memcpy(page_address(pages[i]) + 100, data + head + (i ? half : 0), n);
		get_page(pages[i]);
		skb_fill_page_desc(skb, i, pages[i], 100, n);
		skb->len += n;
		skb->data_len += n;
		skb->truesize += PAGE_SIZE;
	}
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, ip_hdrlen(skb));
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

/* The whole of a possibly non-linear @skb, compared with @want. */
static void expect_skb_bytes(struct kunit *test, struct sk_buff *skb, unsigned int off,
			     const u8 *want, unsigned int len, const char *name,
			     const char *what)
{
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, off, buf, len), 0);
	expect_bytes(test, buf, want, len, name, what);
}

static int esp_init(struct kunit *test)
{
	struct esp_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->bn = kunit_kzalloc(test, sizeof(*c->bn), GFP_KERNEL);
	if (!c->bn)
		return -ENOMEM;
	if (bitsec_net_state_init(c->bn, &init_net))
		return -ENOMEM;
	test->priv = c;
	return 0;
}

static void esp_exit(struct kunit *test)
{
	struct esp_ctx *c = test->priv;

	bitsec_net_state_exit(c->bn);
	rcu_barrier();
	flush_workqueue(bitsec_wq);
}

static void bitsec_esp_vectors_decrypt(struct kunit *test)
{
	struct esp_ctx *c = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(esp_vectors); i++) {
		const struct esp_vector *v = &esp_vectors[i];
		struct bitsec_sa *sa = esp_vector_sa(test, v);
		struct bitsec_in in = { .bn = c->bn, .n = 1, .sas = { sa } };
		struct sk_buff *skb = esp_skb(test, v->packet, v->packetlen);
		int reason;

		reason = bitsec_esp4_input(skb, sa, &in);
		KUNIT_EXPECT_EQ_MSG(test, reason, 0, "%s: dropped, reason %d", v->name, reason);
		if (!reason) {
			KUNIT_EXPECT_EQ_MSG(test, skb->len, v->innerlen, "%s", v->name);
			if (skb->len == v->innerlen)
				expect_bytes(test, skb->data, v->inner, v->innerlen, v->name,
					     "inner packets");
		}
		kfree_skb(skb);
		bitsec_sa_put(sa);
	}
}

static void bitsec_esp_vectors_encrypt(struct kunit *test)
{
	struct esp_ctx *c = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(esp_vectors); i++) {
		const struct esp_vector *v = &esp_vectors[i];
		struct bitsec_sa *sa = esp_vector_sa(test, v);
		struct sk_buff *skb = esp_skb(test, v->inner, v->innerlen);
		struct bitsec_out o = {
			.bn = c->bn, .n = 1, .sas = { sa }, .fixed_iv = v->iv,
			.orig_len = v->innerlen,
		};
		unsigned int ihl = sizeof(struct iphdr);
		int err;

		sa->seq_out = v->seq - 1;
		err = bitsec_esp4_output(skb, &o);
		KUNIT_EXPECT_EQ_MSG(test, err, 0, "%s: output failed", v->name);
		if (!err) {
			KUNIT_EXPECT_EQ_MSG(test, skb->len, v->packetlen, "%s", v->name);
			if (skb->len == v->packetlen)
				expect_bytes(test, skb->data + ihl, v->packet + ihl,
					     v->packetlen - ihl, v->name, "ESP bytes");
			KUNIT_EXPECT_EQ(test, ip_hdr(skb)->protocol, IPPROTO_ESP);
			KUNIT_EXPECT_EQ(test, ip_hdr(skb)->saddr, ((struct iphdr *)v->packet)->saddr);
			KUNIT_EXPECT_EQ(test, ip_hdr(skb)->daddr, ((struct iphdr *)v->packet)->daddr);
			KUNIT_EXPECT_EQ(test, ip_fast_csum(skb->data, ip_hdr(skb)->ihl), 0);
		}
		kfree_skb(skb);
		bitsec_sa_put(sa);
	}
}

/*
 * The known answers again from packets in page fragments: output must not
 * pull them into one buffer nor write the pages it was given (TCP may
 * still hold them for retransmission): the ciphertext goes to a fresh page.
 */
static void bitsec_esp_vectors_encrypt_paged(struct kunit *test)
{
	struct esp_ctx *c = test->priv;
	unsigned int i, j, ihl = sizeof(struct iphdr);

	for (i = 0; i < ARRAY_SIZE(esp_vectors); i++) {
		const struct esp_vector *v = &esp_vectors[i];
		struct bitsec_sa *sa = esp_vector_sa(test, v);
		struct page *pages[2];
		struct sk_buff *skb = esp_skb_paged(test, v->inner, v->innerlen, ihl + 8, pages);
		unsigned int half = (v->innerlen - ihl - 8) / 2;
		struct bitsec_out o = {
			.bn = c->bn, .n = 1, .sas = { sa }, .fixed_iv = v->iv,
			.orig_len = v->innerlen,
		};
		int err;

		sa->seq_out = v->seq - 1;
		err = bitsec_esp4_output(skb, &o);
		KUNIT_EXPECT_EQ_MSG(test, err, 0, "%s: output failed", v->name);
		if (!err) {
			KUNIT_EXPECT_TRUE_MSG(test, skb_is_nonlinear(skb), "%s: linearised", v->name);
			KUNIT_EXPECT_EQ_MSG(test, skb->len, v->packetlen, "%s", v->name);
			if (skb->len == v->packetlen)
				expect_skb_bytes(test, skb, ihl, v->packet + ihl, v->packetlen - ihl,
						 v->name, "ESP bytes (paged)");
		}
		for (j = 0; j < 2; j++) {
			unsigned int off = ihl + 8 + (j ? half : 0);

			expect_bytes(test, page_address(pages[j]) + 100, v->inner + off,
				     j ? v->innerlen - off : half, v->name, "the sender's pages");
		}
		kfree_skb(skb);
		put_page(pages[0]);
		put_page(pages[1]);
		bitsec_sa_put(sa);
	}
}

/* Received packets in page fragments are decrypted where they are. */
static void bitsec_esp_vectors_decrypt_paged(struct kunit *test)
{
	struct esp_ctx *c = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(esp_vectors); i++) {
		const struct esp_vector *v = &esp_vectors[i];
		struct bitsec_sa *sa = esp_vector_sa(test, v);
		struct bitsec_in in = { .bn = c->bn, .n = 1, .sas = { sa } };
		struct page *pages[2];
		struct sk_buff *skb = esp_skb_paged(test, v->packet, v->packetlen, 28, pages);
		int reason;

		reason = bitsec_esp4_input(skb, sa, &in);
		KUNIT_EXPECT_EQ_MSG(test, reason, 0, "%s: dropped, reason %d", v->name, reason);
		if (!reason) {
			KUNIT_EXPECT_EQ_MSG(test, skb->len, v->innerlen, "%s", v->name);
			if (skb->len == v->innerlen)
				expect_skb_bytes(test, skb, 0, v->inner, v->innerlen, v->name,
						 "inner packets (paged)");
		}
		kfree_skb(skb);
		put_page(pages[0]);
		put_page(pages[1]);
		bitsec_sa_put(sa);
	}
}

/*
 * RFC 4303's layout worked out independently, by search: the largest
 * inner packet whose ESP packet fits @mtu.  Outer (tunnel) or kept
 * (transport) IPv4 header 20, UDP 8 with NAT-T, SPI and sequence number 8,
 * the IV, the payload and its 2 trailer bytes padded to the block (at
 * least 4), the ICV.
 */
static unsigned int esp_expected_inner(unsigned int mtu, bool tunnel, bool udp,
				       const struct bitsec_alg *enc, const struct bitsec_alg *auth)
{
	unsigned int iv = enc->iv_bytes, blk = max_t(unsigned int, enc->block_bytes, 4);
	unsigned int icv = (auth ? auth->icv_bits : enc->icv_bits) / 8;
	unsigned int fixed = 20 + (udp ? 8 : 0) + 8 + iv + icv, p;

	for (p = mtu; p > 0; p--)
		if (fixed + ALIGN(p + 2, blk) <= mtu)
			break;
	return tunnel ? p : p + 20;
}

/*
 * Issue 5's table: every cipher with every integrity algorithm and every
 * AEAD, transport and tunnel, with and without NAT-T, at outer MTU 1500,
 * 1300 and 1000; bitsec's figure must be the layout's.  Two rows are the
 * tutorial's: 1422 for AES-CBC with HMAC-SHA-1-96 and 1438 for 3DES with
 * HMAC-MD5-96 in a NAT-T tunnel at 1500.
 */
static void bitsec_esp_inner_mtu_table(struct kunit *test)
{
	static const unsigned int mtus[] = { 1500, 1300, 1000 };
	static u8 key[BITSEC_KEY_BITS_MAX / 8];
	unsigned int e, a, m, mode, udp, rows = 0, i;
	size_t req, req_max = 0;

	for (i = 0; i < sizeof(key); i++)
		key[i] = i * 7 + 1;
	for (e = 0; e < bitsec_algs_count; e++) {
		const struct bitsec_alg *enc = &bitsec_algs[e];

		if (enc->kind != BITSEC_ALG_KIND_ENC && enc->kind != BITSEC_ALG_KIND_AEAD)
			continue;
		for (a = 0; a < bitsec_algs_count; a++) {
			const struct bitsec_alg *auth = &bitsec_algs[a];

			if (enc->kind == BITSEC_ALG_KIND_AEAD) {
				if (a)
					break;
				auth = NULL;
			} else if (auth->kind != BITSEC_ALG_KIND_AUTH || !auth->icv_bits) {
				continue;
			}
			for (mode = 0; mode < 2; mode++) {
				for (udp = 0; udp < 2; udp++) {
					struct bitsec_sa_cfg cfg = {
						.family = AF_INET, .proto = IPPROTO_ESP, .spi = 0x1000,
						.mode = mode ? BITSEC_MODE_TUNNEL : BITSEC_MODE_TRANSPORT,
						.encap = udp, .encap_sport = 4500, .encap_dport = 4500,
					};
					struct bitsec_sa *sa;

					if (enc->kind == BITSEC_ALG_KIND_AEAD) {
						cfg.aead = (struct bitsec_keyspec){
							.alg = enc, .len = enc->key_min / 8, .key = key };
					} else {
						cfg.enc = (struct bitsec_keyspec){
							.alg = enc, .len = enc->key_min / 8, .key = key };
						cfg.auth = (struct bitsec_keyspec){
							.alg = auth, .len = auth->key_min / 8, .key = key };
					}
					sa = bitsec_sa_create(&cfg, NULL);
					KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sa), "%s %s refused", enc->name,
							       auth ? auth->name : "");
					/* A full packet's request fits a cached block. */
					req = bitsec_esp_req_size(sa->esp_tfm, MAX_SKB_FRAGS + 5);
					KUNIT_EXPECT_LE_MSG(test, req, (size_t)BITSEC_REQ_MAX,
							    "%s %s: request of %zu bytes", enc->name,
							    auth ? auth->name : "", req);
					req_max = max(req_max, req);
					for (m = 0; m < ARRAY_SIZE(mtus); m++) {
						KUNIT_EXPECT_EQ_MSG(test, bitsec_sa_max_inner(sa, mtus[m]),
								    esp_expected_inner(mtus[m], mode, udp, enc, auth),
								    "%s %s %s%s at %u", enc->name,
								    auth ? auth->name : "",
								    mode ? "tunnel" : "transport",
								    udp ? " NAT-T" : "", mtus[m]);
						rows++;
					}
					bitsec_sa_put(sa);
				}
			}
		}
	}
	KUNIT_EXPECT_GE(test, rows, 100U);
	/* The tutorial's two figures, stated outright. */
	KUNIT_EXPECT_EQ(test, esp_expected_inner(1500, true, true,
				bitsec_alg_find(BITSEC_ALG_KIND_ENC, "aes-cbc"),
				bitsec_alg_find(BITSEC_ALG_KIND_AUTH, "hmac-sha1")), 1422U);
	KUNIT_EXPECT_EQ(test, esp_expected_inner(1500, true, true,
				bitsec_alg_find(BITSEC_ALG_KIND_ENC, "3des-cbc"),
				bitsec_alg_find(BITSEC_ALG_KIND_AUTH, "hmac-md5")), 1438U);
	kunit_info(test, "%u rows, requests up to %zu bytes\n", rows, req_max);
}

/* Request memory: a freed block is the next one this CPU hands out. */
static void bitsec_esp_req_cache(struct kunit *test)
{
	struct esp_ctx *c = test->priv;
	u64 before[__BITSEC_STAT_MAX], after[__BITSEC_STAT_MAX];
	void *a, *b, *big;

	/* One CPU throughout: each has its own cache. */
	preempt_disable();
	bitsec_stats_fold(c->bn, before);
	a = bitsec_req_alloc(c->bn, 100);
	if (a)
		bitsec_req_free(a, 100);
	b = bitsec_req_alloc(c->bn, BITSEC_REQ_MAX);
	big = bitsec_req_alloc(c->bn, BITSEC_REQ_MAX + 1);
	bitsec_req_free(big, BITSEC_REQ_MAX + 1);
	bitsec_req_free(b, BITSEC_REQ_MAX);
	bitsec_stats_fold(c->bn, after);
	preempt_enable();

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	KUNIT_EXPECT_NOT_NULL(test, big);
	/* The oversized request always allocates; a and b at most once. */
	KUNIT_EXPECT_GE(test, after[BITSEC_STAT_REQ_ALLOC] - before[BITSEC_STAT_REQ_ALLOC], 1ULL);
	KUNIT_EXPECT_LE(test, after[BITSEC_STAT_REQ_ALLOC] - before[BITSEC_STAT_REQ_ALLOC], 2ULL);
}

struct bitsec_par_probe {
	struct bitsec_par_item it;
	u32 *sent;
	unsigned int *n;
};

static void bitsec_par_probe_finish(struct bitsec_par_item *it, int err)
{
	struct bitsec_par_probe *p = container_of(it, struct bitsec_par_probe, it);

	p->sent[(*p->n)++] = it->ticket;
}

/*
 * Parallel path: a packet that took a ticket and was then dropped before
 * its crypto (no memory) is abandoned, and the packets behind it are still
 * sent on, in ticket order.
 */
static void bitsec_par_abandoned_ticket(struct kunit *test)
{
	struct bitsec_par_probe probe[4] = {};
	unsigned int i, n = 0;
	struct bitsec_sa *sa;
	u32 t[4], sent[4];
	int mode;

	sa = kunit_kzalloc(test, sizeof(*sa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	spin_lock_init(&sa->lock);
	mode = bitsec_par_swap_mode(2);
	/* Picked and completed on one CPU: the ring sends on right here. */
	migrate_disable();
	spin_lock_bh(&sa->lock);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, bitsec_par_pick(sa, 1400, true, &t[i]), 1);
	spin_unlock_bh(&sa->lock);
	for (i = 0; i < 4; i++) {
		probe[i].it.sa = sa;
		probe[i].it.ticket = t[i];
		probe[i].it.finish = bitsec_par_probe_finish;
		probe[i].sent = sent;
		probe[i].n = &n;
	}
	bitsec_par_complete(&probe[3].it, 0);
	bitsec_par_abandon(sa, t[1]);
	bitsec_par_done(sa);
	bitsec_par_complete(&probe[2].it, 0);
	KUNIT_EXPECT_EQ(test, n, 0U);	/* the first is still out */
	bitsec_par_complete(&probe[0].it, 0);
	migrate_enable();
	bitsec_par_swap_mode(mode);

	KUNIT_EXPECT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, sent[0], t[0]);
	KUNIT_EXPECT_EQ(test, sent[1], t[2]);
	KUNIT_EXPECT_EQ(test, sent[2], t[3]);
	KUNIT_EXPECT_EQ(test, atomic_read(&sa->par.inflight), 0);
	bitsec_par_free(sa);
}

/* One try of bitsec_par_small_overtakes(); false if a jiffy went by meanwhile. */
static bool bitsec_par_overtake_try(struct kunit *test, int *got)
{
	struct bitsec_sa *sa = kunit_kzalloc(test, sizeof(*sa), GFP_KERNEL);
	unsigned long start;
	unsigned int i;
	u32 t;

	if (!sa)
		return false;
	spin_lock_init(&sa->lock);
	sa->replay_in.window = 32;
	spin_lock_bh(&sa->lock);
	start = jiffies;
	/* The jiffy before saw plenty of large packets: the SA is busy. */
	sa->par.stamp = start - 1;
	sa->par.count = 100000;
	sa->par.bytes = 100000 * 1400;
	got[0] = bitsec_par_pick(sa, 1400, true, &t);
	got[1] = bitsec_par_pick(sa, 100, true, &t);
	got[2] = bitsec_par_pick(sa, 100, false, &t);
	/* 18 queued now: more than half the window. */
	for (i = 0; i < 16; i++)
		bitsec_par_pick(sa, 1400, true, &t);
	got[3] = bitsec_par_pick(sa, 100, true, &t);
	spin_unlock_bh(&sa->lock);
	bitsec_par_free(sa);
	return !time_after(jiffies, start);
}

/*
 * parallel=1: a small packet of a busy SA goes inline ahead of its queue,
 * unless it is a GSO segment or the queue is deeper than half the replay
 * window; a large one queues.
 */
static void bitsec_par_small_overtakes(struct kunit *test)
{
	int got[4], mode, i;

	mode = bitsec_par_swap_mode(1);
	for (i = 0; i < 20; i++)
		if (bitsec_par_overtake_try(test, got))
			break;
	bitsec_par_swap_mode(mode);
	KUNIT_ASSERT_LT_MSG(test, i, 20, "a jiffy passed during every try");
	KUNIT_EXPECT_EQ(test, got[0], BITSEC_PAR_QUEUED);
	KUNIT_EXPECT_EQ(test, got[1], BITSEC_PAR_OVERTAKE);
	KUNIT_EXPECT_EQ(test, got[2], BITSEC_PAR_QUEUED);
	KUNIT_EXPECT_EQ(test, got[3], BITSEC_PAR_QUEUED);
}

static struct kunit_case bitsec_esp_cases[] = {
	KUNIT_CASE(bitsec_esp_vectors_decrypt),
	KUNIT_CASE(bitsec_esp_vectors_encrypt),
	KUNIT_CASE(bitsec_esp_vectors_encrypt_paged),
	KUNIT_CASE(bitsec_esp_vectors_decrypt_paged),
	KUNIT_CASE(bitsec_esp_inner_mtu_table),
	KUNIT_CASE(bitsec_esp_req_cache),
	KUNIT_CASE(bitsec_par_abandoned_ticket),
	KUNIT_CASE(bitsec_par_small_overtakes),
	{}
};

struct kunit_suite bitsec_esp_suite = {
	.name = "bitsec_esp",
	.init = esp_init,
	.exit = esp_exit,
	.test_cases = bitsec_esp_cases,
};
