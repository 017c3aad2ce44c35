// SPDX-License-Identifier: GPL-2.0
/* KUnit: the algorithm table and the crypto API probe. */
#include <linux/string.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"
#include "tests.h"

/* Every entry is self-consistent: a wrong row would mis-size packets. */
static void bitsec_algs_table_well_formed(struct kunit *test)
{
	unsigned int i, j;

	KUNIT_ASSERT_GT(test, bitsec_algs_count, 0U);
	for (i = 0; i < bitsec_algs_count; i++) {
		const struct bitsec_alg *a = &bitsec_algs[i];

		KUNIT_EXPECT_LT_MSG(test, strlen(a->name), (size_t)BITSEC_NAME_MAX,
				    "%s", a->name);
		KUNIT_EXPECT_LT_MSG(test, strlen(a->crypto), (size_t)BITSEC_NAME_MAX,
				    "%s", a->name);
		KUNIT_EXPECT_LE_MSG(test, a->key_min, a->key_max, "%s", a->name);
		KUNIT_EXPECT_LE_MSG(test, a->key_max, BITSEC_KEY_BITS_MAX, "%s", a->name);
		KUNIT_EXPECT_EQ_MSG(test, a->key_min % 8, 0, "%s", a->name);
		KUNIT_EXPECT_EQ_MSG(test, a->icv_bits % 32, 0, "%s", a->name);
		if (a->key_step)
			KUNIT_EXPECT_EQ_MSG(test, (a->key_max - a->key_min) % a->key_step, 0,
					    "%s", a->name);
		else
			KUNIT_EXPECT_EQ_MSG(test, a->key_min, a->key_max, "%s", a->name);
		if (a->salt_bits)
			KUNIT_EXPECT_EQ_MSG(test, a->salt_bits, BITSEC_SALT_BITS, "%s", a->name);

		switch (a->kind) {
		case BITSEC_ALG_KIND_ENC:
			KUNIT_EXPECT_EQ_MSG(test, a->icv_bits, 0, "%s", a->name);
			KUNIT_EXPECT_GE_MSG(test, a->block_bytes, 1, "%s", a->name);
			break;
		case BITSEC_ALG_KIND_AUTH:
			KUNIT_EXPECT_EQ_MSG(test, a->iv_bytes, 0, "%s", a->name);
			break;
		case BITSEC_ALG_KIND_AEAD:
			KUNIT_EXPECT_EQ_MSG(test, a->icv_bits, 128, "%s", a->name);
			KUNIT_EXPECT_EQ_MSG(test, a->salt_bits, BITSEC_SALT_BITS, "%s", a->name);
			break;
		default:
			KUNIT_FAIL(test, "%s: unknown kind %u", a->name, a->kind);
		}

		for (j = i + 1; j < bitsec_algs_count; j++)
			KUNIT_EXPECT_FALSE_MSG(test, a->kind == bitsec_algs[j].kind &&
					       !strcmp(a->name, bitsec_algs[j].name),
					       "%s listed twice", a->name);
	}
}

/* Names resolve per kind; "null" is both a cipher and a MAC. */
static void bitsec_algs_find(struct kunit *test)
{
	const struct bitsec_alg *a;

	a = bitsec_alg_find(BITSEC_ALG_KIND_ENC, "aes-cbc");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_STREQ(test, a->crypto, "cbc(aes)");

	a = bitsec_alg_find(BITSEC_ALG_KIND_AUTH, "hmac-sha2-256");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, a->icv_bits, 128);	/* RFC 4868, not 96 */

	a = bitsec_alg_find(BITSEC_ALG_KIND_AUTH, "null");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_STREQ(test, a->crypto, "digest_null");
	a = bitsec_alg_find(BITSEC_ALG_KIND_ENC, "null");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_STREQ(test, a->crypto, "ecb(cipher_null)");

	KUNIT_EXPECT_NULL(test, bitsec_alg_find(BITSEC_ALG_KIND_AEAD, "aes-cbc"));
	KUNIT_EXPECT_NULL(test, bitsec_alg_find(BITSEC_ALG_KIND_ENC, "AES-CBC"));
	KUNIT_EXPECT_NULL(test, bitsec_alg_find(BITSEC_ALG_KIND_ENC, ""));
	KUNIT_EXPECT_NULL(test, bitsec_alg_find(BITSEC_ALG_KIND_ENC, "blowfish-cbc"));
}

static void bitsec_algs_key_bits(struct kunit *test)
{
	const struct bitsec_alg *cbc = bitsec_alg_find(BITSEC_ALG_KIND_ENC, "aes-cbc");
	const struct bitsec_alg *gcm = bitsec_alg_find(BITSEC_ALG_KIND_AEAD, "aes-gcm-16");
	const struct bitsec_alg *md5 = bitsec_alg_find(BITSEC_ALG_KIND_AUTH, "hmac-md5");
	const struct bitsec_alg *null = bitsec_alg_find(BITSEC_ALG_KIND_ENC, "null");

	KUNIT_ASSERT_NOT_NULL(test, cbc);
	KUNIT_ASSERT_NOT_NULL(test, gcm);
	KUNIT_ASSERT_NOT_NULL(test, md5);
	KUNIT_ASSERT_NOT_NULL(test, null);

	KUNIT_EXPECT_TRUE(test, bitsec_alg_key_bits_ok(cbc, 128));
	KUNIT_EXPECT_TRUE(test, bitsec_alg_key_bits_ok(cbc, 192));
	KUNIT_EXPECT_TRUE(test, bitsec_alg_key_bits_ok(cbc, 256));
	KUNIT_EXPECT_FALSE(test, bitsec_alg_key_bits_ok(cbc, 64));
	KUNIT_EXPECT_FALSE(test, bitsec_alg_key_bits_ok(cbc, 160));
	KUNIT_EXPECT_FALSE(test, bitsec_alg_key_bits_ok(cbc, 320));

	/* RFC 4106: the 4-byte salt rides at the end of the key. */
	KUNIT_EXPECT_TRUE(test, bitsec_alg_key_bits_ok(gcm, 160));
	KUNIT_EXPECT_TRUE(test, bitsec_alg_key_bits_ok(gcm, 288));
	KUNIT_EXPECT_FALSE(test, bitsec_alg_key_bits_ok(gcm, 128));

	KUNIT_EXPECT_TRUE(test, bitsec_alg_key_bits_ok(md5, 128));
	KUNIT_EXPECT_FALSE(test, bitsec_alg_key_bits_ok(md5, 160));

	KUNIT_EXPECT_TRUE(test, bitsec_alg_key_bits_ok(null, 0));
	KUNIT_EXPECT_FALSE(test, bitsec_alg_key_bits_ok(null, 8));
}

/*
 * The debug kernel is configured with every template the table names, so
 * here each probe must succeed and name a driver; and an algorithm the
 * kernel has never heard of must come back -ENOENT, not succeed.
 */
static void bitsec_algs_probe_all(struct kunit *test)
{
	char driver[BITSEC_NAME_MAX];
	unsigned int i;
	int err;

	for (i = 0; i < bitsec_algs_count; i++) {
		memset(driver, 0, sizeof(driver));
		err = bitsec_alg_probe(&bitsec_algs[i], driver, sizeof(driver));
		KUNIT_EXPECT_EQ_MSG(test, err, 0, "%s (%s)", bitsec_algs[i].name,
				    bitsec_algs[i].crypto);
		if (!err)
			KUNIT_EXPECT_GT_MSG(test, strlen(driver), (size_t)0, "%s",
					    bitsec_algs[i].name);
	}
}

static void bitsec_algs_probe_unknown(struct kunit *test)
{
	static const struct bitsec_alg bogus[] = {
		{ .name = "x", .crypto = "cbc(bitsec-no-such-cipher)",
		  .kind = BITSEC_ALG_KIND_ENC },
		{ .name = "x", .crypto = "hmac(bitsec-no-such-hash)",
		  .kind = BITSEC_ALG_KIND_AUTH },
		{ .name = "x", .crypto = "rfc4106(gcm(bitsec-no-such))",
		  .kind = BITSEC_ALG_KIND_AEAD },
		{ .name = "x", .crypto = "cbc(aes)", .kind = 0 },
	};
	char driver[BITSEC_NAME_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bogus); i++)
		KUNIT_EXPECT_LT_MSG(test, bitsec_alg_probe(&bogus[i], driver,
							   sizeof(driver)), 0,
				    "%s", bogus[i].crypto);
}

static struct kunit_case bitsec_algs_cases[] = {
	KUNIT_CASE(bitsec_algs_table_well_formed),
	KUNIT_CASE(bitsec_algs_find),
	KUNIT_CASE(bitsec_algs_key_bits),
	KUNIT_CASE(bitsec_algs_probe_all),
	KUNIT_CASE(bitsec_algs_probe_unknown),
	{}
};

struct kunit_suite bitsec_algs_suite = {
	.name = "bitsec_algs",
	.test_cases = bitsec_algs_cases,
};
