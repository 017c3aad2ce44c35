// SPDX-License-Identifier: GPL-2.0
/* KUnit: security associations and the SAD. */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"
#include "tests.h"

static void larval_cfg(struct bitsec_sa_cfg *cfg, u32 dst, u32 spi, u8 proto)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->family = AF_INET;
	cfg->proto = proto;
	cfg->saddr.s6_addr32[0] = htonl(0x0a000001);
	cfg->daddr.s6_addr32[0] = htonl(dst);
	cfg->spi = spi;
	cfg->larval = true;
}

static struct bitsec_sa *larval(struct kunit *test, u32 dst, u32 spi, u8 proto)
{
	struct bitsec_sa_cfg cfg;
	struct bitsec_sa *sa;

	larval_cfg(&cfg, dst, spi, proto);
	sa = bitsec_sa_create(&cfg, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sa));
	return sa;
}

static struct bitsec_sa *lookup(struct bitsec_sad *sad, u32 dst, u32 spi, u8 proto)
{
	struct bitsec_spi_key key;
	struct in6_addr d = {};
	struct bitsec_sa *sa;

	d.s6_addr32[0] = htonl(dst);
	bitsec_spi_key_init(&key, AF_INET, &d, htonl(spi), proto);
	rcu_read_lock();
	sa = bitsec_sad_lookup_spi(sad, &key);
	rcu_read_unlock();
	return sa;
}

static int sad_init(struct kunit *test)
{
	struct bitsec_sad *sad = kunit_kzalloc(test, sizeof(*sad), GFP_KERNEL);

	if (!sad || bitsec_sad_init(sad))
		return -ENOMEM;
	test->priv = sad;
	return 0;
}

static void sad_exit(struct kunit *test)
{
	bitsec_sad_destroy(test->priv);
	/* SAs are freed after a grace period on bitsec_wq: let them go now. */
	rcu_barrier();
	flush_workqueue(bitsec_wq);
}

static void bitsec_sad_insert_lookup_remove(struct kunit *test)
{
	struct bitsec_sad *sad = test->priv;
	struct bitsec_sa *sa = larval(test, 0x0a000002, 1000, IPPROTO_ESP);

	KUNIT_ASSERT_EQ(test, bitsec_sad_insert(sad, sa, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, sad->count, 1U);
	KUNIT_EXPECT_GT(test, sa->id, 0U);
	KUNIT_EXPECT_PTR_EQ(test, lookup(sad, 0x0a000002, 1000, IPPROTO_ESP), sa);
	/* Each part of the key matters. */
	KUNIT_EXPECT_NULL(test, lookup(sad, 0x0a000002, 1000, IPPROTO_AH));
	KUNIT_EXPECT_NULL(test, lookup(sad, 0x0a000002, 1001, IPPROTO_ESP));
	KUNIT_EXPECT_NULL(test, lookup(sad, 0x0a000003, 1000, IPPROTO_ESP));

	bitsec_sad_remove(sad, sa);
	KUNIT_EXPECT_EQ(test, sad->count, 0U);
	KUNIT_EXPECT_NULL(test, lookup(sad, 0x0a000002, 1000, IPPROTO_ESP));
}

static void bitsec_sad_duplicate_and_replace(struct kunit *test)
{
	struct bitsec_sad *sad = test->priv;
	struct bitsec_sa *a = larval(test, 0x0a000002, 2000, IPPROTO_AH);
	struct bitsec_sa *b = larval(test, 0x0a000002, 2000, IPPROTO_AH);
	struct bitsec_sa *c = larval(test, 0x0a000002, 2001, IPPROTO_AH);
	struct netlink_ext_ack extack = {};

	KUNIT_ASSERT_EQ(test, bitsec_sad_insert(sad, a, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, bitsec_sad_insert(sad, b, false, &extack), -EEXIST);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_PTR_EQ(test, lookup(sad, 0x0a000002, 2000, IPPROTO_AH), a);

	/* Hold a across the replace: it must end up dead, not freed. */
	KUNIT_ASSERT_TRUE(test, bitsec_sa_hold(a));
	KUNIT_ASSERT_EQ(test, bitsec_sad_insert(sad, b, true, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, lookup(sad, 0x0a000002, 2000, IPPROTO_AH), b);
	KUNIT_EXPECT_EQ(test, sad->count, 1U);
	KUNIT_EXPECT_EQ(test, READ_ONCE(a->state), (u8)BITSEC_SA_DEAD);
	bitsec_sa_put(a);

	KUNIT_EXPECT_EQ(test, bitsec_sad_insert(sad, c, true, NULL), -ESRCH);
	bitsec_sa_put(c);
}

static void bitsec_sad_flush_and_pairs(struct kunit *test)
{
	struct bitsec_sad *sad = test->priv;
	struct bitsec_pair_key pk = {};
	int i;

	for (i = 0; i < 10; i++)
		KUNIT_ASSERT_EQ(test, bitsec_sad_insert(sad, larval(test, 0x0a000002, 300 + i,
					i % 2 ? IPPROTO_AH : IPPROTO_ESP), false, NULL), 0);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, bitsec_sad_insert(sad, larval(test, 0x0a000009, 400 + i,
					IPPROTO_ESP), false, NULL), 0);

	/* deleteall 10.0.0.1 10.0.0.9 esp: only those four. */
	pk.family = AF_INET;
	pk.proto = IPPROTO_ESP;
	pk.saddr.s6_addr32[0] = htonl(0x0a000001);
	pk.daddr.s6_addr32[0] = htonl(0x0a000009);
	KUNIT_EXPECT_EQ(test, bitsec_sad_delete_pair(sad, &pk), 4U);
	KUNIT_EXPECT_EQ(test, bitsec_sad_delete_pair(sad, &pk), 0U);
	KUNIT_EXPECT_EQ(test, sad->count, 10U);

	KUNIT_EXPECT_EQ(test, bitsec_sad_flush(sad, IPPROTO_AH), 5U);
	KUNIT_EXPECT_NOT_NULL(test, lookup(sad, 0x0a000002, 300, IPPROTO_ESP));
	KUNIT_EXPECT_NULL(test, lookup(sad, 0x0a000002, 301, IPPROTO_AH));
	KUNIT_EXPECT_EQ(test, bitsec_sad_flush(sad, 0), 5U);
	KUNIT_EXPECT_EQ(test, sad->count, 0U);
}

static void bitsec_sad_getspi_range(struct kunit *test)
{
	struct bitsec_sad *sad = test->priv;
	struct bitsec_sa *a = larval(test, 0x0a000002, 0, IPPROTO_ESP);
	struct bitsec_sa *b = larval(test, 0x0a000002, 0, IPPROTO_ESP);
	struct bitsec_sa *c = larval(test, 0x0a000002, 0, IPPROTO_ESP);
	u32 sa_spi, sb_spi;

	KUNIT_ASSERT_EQ(test, bitsec_sad_alloc_spi(sad, a, 5000, 5001), 0);
	KUNIT_ASSERT_EQ(test, bitsec_sad_insert(sad, a, false, NULL), 0);
	KUNIT_ASSERT_EQ(test, bitsec_sad_alloc_spi(sad, b, 5000, 5001), 0);
	KUNIT_ASSERT_EQ(test, bitsec_sad_insert(sad, b, false, NULL), 0);
	sa_spi = ntohl(a->spi_key.spi);
	sb_spi = ntohl(b->spi_key.spi);
	KUNIT_EXPECT_NE(test, sa_spi, sb_spi);
	KUNIT_EXPECT_TRUE(test, sa_spi >= 5000 && sa_spi <= 5001);
	KUNIT_EXPECT_TRUE(test, sb_spi >= 5000 && sb_spi <= 5001);
	/* The range is full now. */
	KUNIT_EXPECT_EQ(test, bitsec_sad_alloc_spi(sad, c, 5000, 5001), -ENOSPC);
	bitsec_sa_put(c);
	/* The whole 32-bit space must not overflow the arithmetic. */
	c = larval(test, 0x0a000002, 0, IPPROTO_ESP);
	KUNIT_EXPECT_EQ(test, bitsec_sad_alloc_spi(sad, c, 256, 0xffffffff), 0);
	bitsec_sa_put(c);
}

#define CHURN 100000

/* 100,000 SAs in, all found, all out: the tables grow and shrink. */
static void bitsec_sad_churn_100k(struct kunit *test)
{
	struct bitsec_sad *sad = test->priv;
	struct bitsec_sa *sa;
	unsigned int i, missing = 0;

	for (i = 0; i < CHURN; i++) {
		sa = larval(test, 0x0b000000 + (i >> 8), 256 + i, IPPROTO_ESP);
		KUNIT_ASSERT_EQ(test, bitsec_sad_insert(sad, sa, false, NULL), 0);
		if (!(i % 1024))
			cond_resched();
	}
	KUNIT_EXPECT_EQ(test, sad->count, CHURN);
	for (i = 0; i < CHURN; i++)
		missing += !lookup(sad, 0x0b000000 + (i >> 8), 256 + i, IPPROTO_ESP);
	KUNIT_EXPECT_EQ(test, missing, 0U);
	KUNIT_EXPECT_EQ(test, bitsec_sad_flush(sad, 0), CHURN);
	KUNIT_EXPECT_EQ(test, sad->count, 0U);
	KUNIT_EXPECT_NULL(test, lookup(sad, 0x0b000000, 256, IPPROTO_ESP));
}

struct reader_ctx {
	struct bitsec_sad *sad;
	atomic_t misses;
	atomic_t rounds;
	bool stop;
};

static int sad_reader(void *arg)
{
	struct reader_ctx *ctx = arg;
	unsigned int i;

	while (!READ_ONCE(ctx->stop)) {
		for (i = 0; i < 64; i++)
			if (!lookup(ctx->sad, 0x0c000001, 256 + i, IPPROTO_ESP))
				atomic_inc(&ctx->misses);
		atomic_inc(&ctx->rounds);
		cond_resched();
	}
	return 0;
}

/*
 * Readers keep finding 64 stable SAs while a writer adds and removes
 * thousands of others, forcing the table to resize under them.
 */
static void bitsec_sad_resize_under_readers(struct kunit *test)
{
	struct bitsec_sad *sad = test->priv;
	struct task_struct *t[2];
	struct reader_ctx ctx = { .sad = sad };
	struct bitsec_sa **churn;
	unsigned int i, round;

	churn = kunit_kcalloc(test, 8192, sizeof(*churn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, churn);
	for (i = 0; i < 64; i++)
		KUNIT_ASSERT_EQ(test, bitsec_sad_insert(sad, larval(test, 0x0c000001, 256 + i,
						IPPROTO_ESP), false, NULL), 0);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		t[i] = kthread_run(sad_reader, &ctx, "bitsec-kunit-rd%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t[i]));
		get_task_struct(t[i]);
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 8192; i++) {
			churn[i] = larval(test, 0x0d000000 + round, 256 + i, IPPROTO_ESP);
			KUNIT_ASSERT_EQ(test, bitsec_sad_insert(sad, churn[i], false, NULL), 0);
		}
		for (i = 0; i < 8192; i++)
			bitsec_sad_remove(sad, churn[i]);
		cond_resched();
	}
	WRITE_ONCE(ctx.stop, true);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		kthread_stop(t[i]);
		put_task_struct(t[i]);
	}
	KUNIT_EXPECT_GT(test, atomic_read(&ctx.rounds), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx.misses), 0);
	KUNIT_EXPECT_EQ(test, sad->count, 64U);
}

/* Real transforms: one SA per algorithm, and the refusals. */
static void key_of(struct bitsec_keyspec *k, u8 kind, const char *name, unsigned int bits)
{
	static const u8 bytes[BITSEC_KEY_MAX] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

	k->alg = bitsec_alg_find(kind, name);
	k->len = bits / 8;
	k->key = bytes;
}

static struct bitsec_sa *make(struct bitsec_sa_cfg *cfg, struct netlink_ext_ack *extack)
{
	cfg->family = AF_INET;
	cfg->spi = 0x1234;
	return bitsec_sa_create(cfg, extack);
}

static void bitsec_sa_every_algorithm(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < bitsec_algs_count; i++) {
		const struct bitsec_alg *a = &bitsec_algs[i];
		struct netlink_ext_ack extack = {};
		struct bitsec_sa_cfg cfg = {};
		struct bitsec_sa *sa;

		if (a->kind == BITSEC_ALG_KIND_AUTH) {
			if (!a->icv_bits)
				continue;	/* null MAC: see the refusals */
			cfg.proto = IPPROTO_AH;
			key_of(&cfg.auth, a->kind, a->name, a->key_max);
		} else if (a->kind == BITSEC_ALG_KIND_AEAD) {
			cfg.proto = IPPROTO_ESP;
			key_of(&cfg.aead, a->kind, a->name, a->key_max);
		} else {
			cfg.proto = IPPROTO_ESP;
			key_of(&cfg.enc, a->kind, a->name, a->key_min);
			key_of(&cfg.auth, BITSEC_ALG_KIND_AUTH, "hmac-sha2-256", 256);
		}
		sa = make(&cfg, &extack);
		KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(sa), "%s: %ld %s", a->name,
				       PTR_ERR_OR_ZERO(sa), extack._msg ?: "");
		if (!IS_ERR(sa))
			bitsec_sa_put(sa);
	}
}

static void bitsec_sa_refusals(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct bitsec_sa_cfg cfg = {};
	struct bitsec_sa *sa;

	/* aes-cbc with a 160-bit key. */
	cfg.proto = IPPROTO_ESP;
	key_of(&cfg.enc, BITSEC_ALG_KIND_ENC, "aes-cbc", 160);
	sa = make(&cfg, &extack);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sa), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "encryption key has a length"));

	/* An AEAD with a separate integrity algorithm. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.proto = IPPROTO_ESP;
	key_of(&cfg.aead, BITSEC_ALG_KIND_AEAD, "aes-gcm-16", 160);
	key_of(&cfg.auth, BITSEC_ALG_KIND_AUTH, "hmac-sha1", 160);
	sa = make(&cfg, &extack);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sa), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "AEAD carries its own integrity"));

	/* AH with a cipher. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.proto = IPPROTO_AH;
	key_of(&cfg.enc, BITSEC_ALG_KIND_ENC, "aes-cbc", 128);
	key_of(&cfg.auth, BITSEC_ALG_KIND_AUTH, "hmac-sha1", 160);
	sa = make(&cfg, &extack);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sa), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "AH only authenticates"));

	/* ESP with neither confidentiality nor integrity. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.proto = IPPROTO_ESP;
	key_of(&cfg.enc, BITSEC_ALG_KIND_ENC, "null", 0);
	sa = make(&cfg, &extack);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sa), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "null encryption needs"));

	/* Reserved SPI. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.proto = IPPROTO_AH;
	key_of(&cfg.auth, BITSEC_ALG_KIND_AUTH, "hmac-sha1", 160);
	cfg.family = AF_INET;
	cfg.spi = 255;
	sa = bitsec_sa_create(&cfg, &extack);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sa), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "reserved"));

	/* Soft lifetime above the hard one. */
	cfg.spi = 256;
	cfg.soft.bytes = 10;
	cfg.hard.bytes = 5;
	sa = bitsec_sa_create(&cfg, &extack);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sa), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "soft lifetime"));
}

/* An SA pair of ESP in UDP 4500 between 192.0.2.1 (us) and 192.0.2.2. */
static struct bitsec_sa *natt_sa(struct kunit *test, struct bitsec_net *bn, u32 src, u32 dst,
				 u32 spi)
{
	struct bitsec_sa_cfg cfg = {};
	struct bitsec_sa *sa;

	cfg.family = AF_INET;
	cfg.proto = IPPROTO_ESP;
	cfg.saddr.s6_addr32[0] = htonl(src);
	cfg.daddr.s6_addr32[0] = htonl(dst);
	cfg.spi = spi;
	cfg.mode = BITSEC_MODE_TUNNEL;
	cfg.encap = true;
	cfg.encap_sport = 4500;
	cfg.encap_dport = 4500;
	key_of(&cfg.aead, BITSEC_ALG_KIND_AEAD, "aes-gcm-16", 160);
	sa = bitsec_sa_create(&cfg, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sa));
	sa->bn = bn;
	mutex_lock(&bn->cfg_lock);
	KUNIT_EXPECT_EQ(test, bitsec_sad_insert(&bn->sad, sa, false, NULL), 0);
	mutex_unlock(&bn->cfg_lock);
	return sa;
}

static u64 natt_moves(struct bitsec_net *bn)
{
	u64 sum[__BITSEC_STAT_MAX] = {};

	bitsec_stats_fold(bn, sum);
	return sum[BITSEC_STAT_IN_NATT_MAPPING];
}

/*
 * Port floating: only the newest authenticated packet moves the peer, and
 * the outbound SA to the old endpoint follows; a late packet from the old
 * endpoint moves nothing back.
 */
static void bitsec_natt_port_floating(struct kunit *test)
{
	struct bitsec_net *bn = kunit_kzalloc(test, sizeof(*bn), GFP_KERNEL);
	struct bitsec_sa *in_sa, *out_sa;
	struct bitsec_in in = {};

	KUNIT_ASSERT_NOT_NULL(test, bn);
	KUNIT_ASSERT_EQ(test, bitsec_net_state_init(bn, &init_net), 0);
	in_sa = natt_sa(test, bn, 0xc0000202, 0xc0000201, 0x1001);
	out_sa = natt_sa(test, bn, 0xc0000201, 0xc0000202, 0x1002);
	in.net = &init_net;
	in.bn = bn;

	in.natt_saddr = htonl(0xc0000202);
	in.natt_sport = 4500;
	bitsec_natt_seen(in_sa, &in, true);
	KUNIT_EXPECT_EQ(test, in_sa->encap_sport, 4500);
	KUNIT_EXPECT_EQ(test, natt_moves(bn), 0);

	/* A new port, but not the newest packet: nothing moves. */
	in.natt_sport = 5000;
	bitsec_natt_seen(in_sa, &in, false);
	KUNIT_EXPECT_EQ(test, in_sa->encap_sport, 4500);
	KUNIT_EXPECT_EQ(test, out_sa->encap_dport, 4500);

	bitsec_natt_seen(in_sa, &in, true);
	KUNIT_EXPECT_EQ(test, in_sa->encap_sport, 5000);
	KUNIT_EXPECT_EQ(test, in_sa->encap_dport, 4500);
	KUNIT_EXPECT_EQ(test, out_sa->encap_dport, 5000);
	KUNIT_EXPECT_EQ(test, out_sa->encap_sport, 4500);
	KUNIT_EXPECT_EQ(test, in_sa->natt_peer, 0);
	KUNIT_EXPECT_EQ(test, natt_moves(bn), 1);

	/* A new address: a tunnel's packets go there now. */
	in.natt_saddr = htonl(0xc6336407);
	in.natt_sport = 6000;
	bitsec_natt_seen(in_sa, &in, true);
	KUNIT_EXPECT_EQ(test, in_sa->natt_peer, htonl(0xc6336407));
	KUNIT_EXPECT_EQ(test, bitsec_sa_out_peer(out_sa), htonl(0xc6336407));
	KUNIT_EXPECT_EQ(test, out_sa->encap_dport, 6000);

	/* A late packet from the old endpoint. */
	in.natt_saddr = htonl(0xc0000202);
	in.natt_sport = 5000;
	bitsec_natt_seen(in_sa, &in, false);
	KUNIT_EXPECT_EQ(test, bitsec_sa_out_peer(out_sa), htonl(0xc6336407));

	/* Back home: the SA's own address again, no floated one kept. */
	in.natt_sport = 4500;
	bitsec_natt_seen(in_sa, &in, true);
	KUNIT_EXPECT_EQ(test, in_sa->natt_peer, 0);
	KUNIT_EXPECT_EQ(test, out_sa->natt_peer, 0);
	KUNIT_EXPECT_EQ(test, out_sa->encap_dport, 4500);
	KUNIT_EXPECT_EQ(test, natt_moves(bn), 3);

	bitsec_net_state_exit(bn);
	rcu_barrier();
	flush_workqueue(bitsec_wq);
}

static struct kunit_case bitsec_sad_cases[] = {
	KUNIT_CASE(bitsec_sad_insert_lookup_remove),
	KUNIT_CASE(bitsec_sad_duplicate_and_replace),
	KUNIT_CASE(bitsec_sad_flush_and_pairs),
	KUNIT_CASE(bitsec_sad_getspi_range),
	KUNIT_CASE(bitsec_sad_churn_100k),
	KUNIT_CASE(bitsec_sad_resize_under_readers),
	KUNIT_CASE(bitsec_sa_every_algorithm),
	KUNIT_CASE(bitsec_sa_refusals),
	KUNIT_CASE(bitsec_natt_port_floating),
	{}
};

struct kunit_suite bitsec_sad_suite = {
	.name = "bitsec_sad",
	.init = sad_init,
	.exit = sad_exit,
	.test_cases = bitsec_sad_cases,
};
