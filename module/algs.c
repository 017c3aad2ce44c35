// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: the algorithms ESP and AH can use, how bitskey names them, how
 * the kernel crypto API names them, and a probe that asks the running
 * kernel whether it can really instantiate each one.
 */
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/string.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"

const struct bitsec_alg bitsec_algs[] = {
#define BITSEC_ALG(name, crypto, kind, kmin, kmax, kstep, salt, icv, iv, block) \
	{ name, crypto, BITSEC_ALG_KIND_##kind, kmin, kmax, kstep, salt, icv, iv, block },
#include "alg_table.h"
#undef BITSEC_ALG
};
BITSEC_EXPORT_INTERNAL(bitsec_algs);

const unsigned int bitsec_algs_count = ARRAY_SIZE(bitsec_algs);
BITSEC_EXPORT_INTERNAL(bitsec_algs_count);

/* Names are unique per kind only: "null" is both a cipher and a MAC. */
const struct bitsec_alg *bitsec_alg_find(u8 kind, const char *name)
{
	unsigned int i;

	for (i = 0; i < bitsec_algs_count; i++)
		if (bitsec_algs[i].kind == kind &&
		    !strcmp(bitsec_algs[i].name, name))
			return &bitsec_algs[i];
	return NULL;
}
BITSEC_EXPORT_INTERNAL(bitsec_alg_find);

bool bitsec_alg_key_bits_ok(const struct bitsec_alg *alg, unsigned int bits)
{
	if (bits < alg->key_min || bits > alg->key_max)
		return false;
	if (!alg->key_step)
		return bits == alg->key_min;
	return (bits - alg->key_min) % alg->key_step == 0;
}
BITSEC_EXPORT_INTERNAL(bitsec_alg_key_bits_ok);

/*
 * Instantiate the transform once to learn whether this kernel has it and
 * which driver serves it.  May sleep and load modules: process context only.
 * Returns 0 and fills @driver, or the crypto API's error (-ENOENT if the
 * kernel lacks the algorithm).
 */
int bitsec_alg_probe(const struct bitsec_alg *alg, char *driver, size_t len)
{
	switch (alg->kind) {
	case BITSEC_ALG_KIND_ENC: {
		struct crypto_skcipher *c = crypto_alloc_skcipher(alg->crypto, 0, 0);

		if (IS_ERR(c))
			return PTR_ERR(c);
		strscpy(driver, crypto_skcipher_driver_name(c), len);
		crypto_free_skcipher(c);
		return 0;
	}
	case BITSEC_ALG_KIND_AUTH: {
		struct crypto_ahash *h = crypto_alloc_ahash(alg->crypto, 0, 0);

		if (IS_ERR(h))
			return PTR_ERR(h);
		strscpy(driver, crypto_ahash_driver_name(h), len);
		crypto_free_ahash(h);
		return 0;
	}
	case BITSEC_ALG_KIND_AEAD: {
		struct crypto_aead *a = crypto_alloc_aead(alg->crypto, 0, 0);

		if (IS_ERR(a))
			return PTR_ERR(a);
		strscpy(driver, crypto_aead_driver_name(a), len);
		crypto_free_aead(a);
		return 0;
	}
	}
	return -EINVAL;
}
BITSEC_EXPORT_INTERNAL(bitsec_alg_probe);
