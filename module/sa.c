// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: the security association object.  A request's parameters are
 * checked here, the crypto transform is instantiated once (ESP runs every
 * suite through the AEAD interface: authenc/authencesn wrap a cipher and an
 * HMAC, the RFC 4106/7539 templates are AEADs already), and freeing waits
 * for RCU readers and zeroises the keys.
 */
#include <crypto/aead.h>
#include <crypto/authenc.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/moduleparam.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"

/*
 * extack messages are static strings in this kernel, so they name the
 * problem and where to look; bitskey checks key lengths against the same
 * table first and prints the exact sizes.
 */
#define BITSEC_KEY_OK(k, what, extack) ({					\
	bool __ok = bitsec_alg_key_bits_ok((k)->alg, (k)->len * 8);		\
	if (!__ok)								\
		NL_SET_ERR_MSG_MOD(extack, what " key has a length the algorithm does not take (bitskey -V lists the sizes)"); \
	__ok;									\
})

/* Which algorithms a protocol may combine, and their key lengths. */
static int bitsec_sa_check_algs(const struct bitsec_sa_cfg *cfg,
				struct netlink_ext_ack *extack)
{
	if (cfg->larval)
		return 0;
	if (cfg->proto == IPPROTO_AH) {
		if (cfg->enc.alg || cfg->aead.alg) {
			NL_SET_ERR_MSG_MOD(extack, "AH only authenticates: it takes no encryption algorithm");
			return -EINVAL;
		}
		if (!cfg->auth.alg || !cfg->auth.alg->icv_bits) {
			NL_SET_ERR_MSG_MOD(extack, "AH needs an integrity algorithm other than null");
			return -EINVAL;
		}
		return BITSEC_KEY_OK(&cfg->auth, "integrity", extack) ? 0 : -EINVAL;
	}

	if (cfg->aead.alg) {
		if (cfg->enc.alg || cfg->auth.alg) {
			NL_SET_ERR_MSG_MOD(extack, "an AEAD carries its own integrity: give no separate encryption or integrity algorithm");
			return -EINVAL;
		}
		return BITSEC_KEY_OK(&cfg->aead, "AEAD", extack) ? 0 : -EINVAL;
	}
	if (!cfg->enc.alg) {
		NL_SET_ERR_MSG_MOD(extack, "ESP needs an encryption algorithm or an AEAD (null for integrity only)");
		return -EINVAL;
	}
	/* RFC 4303 3.2: confidentiality, integrity or both, never neither. */
	if (!cfg->enc.alg->key_max && (!cfg->auth.alg || !cfg->auth.alg->icv_bits)) {
		NL_SET_ERR_MSG_MOD(extack, "ESP with null encryption needs an integrity algorithm other than null");
		return -EINVAL;
	}
	if (!BITSEC_KEY_OK(&cfg->enc, "encryption", extack))
		return -EINVAL;
	if (cfg->auth.alg && !BITSEC_KEY_OK(&cfg->auth, "integrity", extack))
		return -EINVAL;
	return 0;
}

static int bitsec_sa_check(const struct bitsec_sa_cfg *cfg, struct netlink_ext_ack *extack)
{
	const struct bitsec_lifetime *s = &cfg->soft, *h = &cfg->hard;

	if (cfg->proto != IPPROTO_ESP && cfg->proto != IPPROTO_AH) {
		NL_SET_ERR_MSG_MOD(extack, "protocol must be ESP (50) or AH (51)");
		return -EINVAL;
	}
	if (!cfg->larval && cfg->spi < 256) {
		NL_SET_ERR_MSG_MOD(extack, "SPIs 0 to 255 are reserved (RFC 4303 2.1)");
		return -EINVAL;
	}
	if (cfg->encap && cfg->proto != IPPROTO_ESP) {
		NL_SET_ERR_MSG_MOD(extack, "only ESP can be UDP-encapsulated (RFC 3948)");
		return -EINVAL;
	}
	if (cfg->encap && (!cfg->encap_sport || !cfg->encap_dport)) {
		NL_SET_ERR_MSG_MOD(extack, "UDP encapsulation needs both ports");
		return -EINVAL;
	}
	if ((s->bytes && h->bytes && s->bytes > h->bytes) ||
	    (s->packets && h->packets && s->packets > h->packets) ||
	    (s->add_secs && h->add_secs && s->add_secs > h->add_secs) ||
	    (s->use_secs && h->use_secs && s->use_secs > h->use_secs)) {
		NL_SET_ERR_MSG_MOD(extack, "a soft lifetime exceeds its hard lifetime");
		return -EINVAL;
	}
	return bitsec_sa_check_algs(cfg, extack);
}

/*
 * authenc's key is an rtattr carrying the cipher key's length, then the
 * integrity key, then the cipher key (crypto/authenc.h).
 */
static u8 *bitsec_authenc_key(const struct bitsec_sa *sa, unsigned int *len)
{
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *blob, *p;

	*len = RTA_SPACE(sizeof(*param)) + sa->auth_keylen + sa->enc_keylen;
	blob = kmalloc(*len, GFP_KERNEL);
	if (!blob)
		return NULL;
	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(sa->enc_keylen);
	p = blob + RTA_SPACE(sizeof(*param));
	memcpy(p, sa->keys + sa->enc_keylen, sa->auth_keylen);
	memcpy(p + sa->auth_keylen, sa->keys, sa->enc_keylen);
	return blob;
}

/*
 * Tests of the asynchronous path: with this set, SAs created from then on
 * run their hashing through cryptd, which finishes every request later
 * from a worker as an offload driver would, and so makes the AEAD around
 * it (authenc, GCM, ChaCha20-Poly1305) or AH's HMAC asynchronous.  Only
 * hashes: 6.1's cryptd AEAD wrapper rewrites the caller's request, which
 * the crypto self-tests catch.
 */
static bool force_async;
module_param(force_async, bool, 0644);
MODULE_PARM_DESC(force_async, "run new SAs' hashes through cryptd (async), to test that path");

/* The AEADs with the hash inside them named, so cryptd can wrap it. */
static const struct {
	const char *name, *async;
} bitsec_async_aeads[] = {
	{ "rfc4106(gcm(aes))", "rfc4106(gcm_base(ctr(aes-generic),cryptd(ghash-generic)))" },
	{ "rfc7539esp(chacha20,poly1305)", "rfc7539esp(chacha20-generic,cryptd(poly1305-generic))" },
};

/*
 * @name's hash, through cryptd when force_async is set; cryptd names its
 * instance after the (synchronous) driver it wraps, "cryptd(<driver>)".
 */
static struct crypto_ahash *bitsec_sa_alloc_ahash(const char *name)
{
	bool async = READ_ONCE(force_async);
	char cname[CRYPTO_MAX_ALG_NAME];
	struct crypto_ahash *tfm = crypto_alloc_ahash(name, 0, async ? CRYPTO_ALG_ASYNC : 0);

	if (IS_ERR(tfm) || !async)
		return tfm;
	if (snprintf(cname, sizeof(cname), "cryptd(%s)",
		     crypto_tfm_alg_driver_name(crypto_ahash_tfm(tfm))) >= sizeof(cname)) {
		crypto_free_ahash(tfm);
		return ERR_PTR(-ENAMETOOLONG);
	}
	crypto_free_ahash(tfm);
	return crypto_alloc_ahash(cname, 0, 0);
}

/* The crypto API name of @sa's ESP transform. */
static int bitsec_sa_esp_name(const struct bitsec_sa *sa, char *name)
{
	const char *auth = sa->auth ? sa->auth->crypto : "digest_null";
	const char *enc;
	char aname[CRYPTO_MAX_ALG_NAME], ename[CRYPTO_MAX_ALG_NAME];
	struct crypto_skcipher *c;
	struct crypto_ahash *h;
	unsigned int i;

	if (sa->aead) {
		for (i = 0; READ_ONCE(force_async) && i < ARRAY_SIZE(bitsec_async_aeads); i++)
			if (!strcmp(sa->aead->crypto, bitsec_async_aeads[i].name))
				return strscpy(name, bitsec_async_aeads[i].async,
					       CRYPTO_MAX_ALG_NAME) < 0 ? -ENAMETOOLONG : 0;
		return strscpy(name, sa->aead->crypto, CRYPTO_MAX_ALG_NAME) < 0 ?
		       -ENAMETOOLONG : 0;
	}
	enc = sa->enc->crypto;
	/* (cryptd cannot wrap digest_null: ESP without integrity stays sync.) */
	if (READ_ONCE(force_async) && sa->auth) {
		/* Both halves by driver, so the instance is named as asked. */
		h = bitsec_sa_alloc_ahash(auth);
		if (IS_ERR(h))
			return PTR_ERR(h);
		strscpy(aname, crypto_tfm_alg_driver_name(crypto_ahash_tfm(h)), sizeof(aname));
		crypto_free_ahash(h);
		auth = aname;
		c = crypto_alloc_skcipher(enc, 0, CRYPTO_ALG_ASYNC);
		if (IS_ERR(c))
			return PTR_ERR(c);
		strscpy(ename, crypto_tfm_alg_driver_name(crypto_skcipher_tfm(c)), sizeof(ename));
		crypto_free_skcipher(c);
		enc = ename;
	}
	if (snprintf(name, CRYPTO_MAX_ALG_NAME, "%s(%s,%s)",
		     sa->flags & BITSEC_SA_F_ESN ? "authencesn" : "authenc",
		     auth, enc) >= CRYPTO_MAX_ALG_NAME)
		return -ENAMETOOLONG;
	return 0;
}

/* Give @tfm (the SA's ESP transform or its parallel twin) the SA's keys. */
int bitsec_sa_esp_setkey(const struct bitsec_sa *sa, struct crypto_aead *tfm,
			 struct netlink_ext_ack *extack)
{
	unsigned int icv, len;
	u8 *key;
	int err;

	if (sa->aead)
		icv = sa->aead->icv_bits / 8;
	else
		icv = sa->auth ? sa->auth->icv_bits / 8 : 0;
	if (sa->aead) {
		err = crypto_aead_setkey(tfm, sa->keys, sa->enc_keylen);
	} else {
		key = bitsec_authenc_key(sa, &len);
		if (!key)
			return -ENOMEM;
		err = crypto_aead_setkey(tfm, key, len);
		kfree_sensitive(key);
	}
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "the crypto API refused the ESP key");
		return err;
	}
	err = crypto_aead_setauthsize(tfm, icv);
	if (err)
		NL_SET_ERR_MSG_MOD(extack, "the crypto API refused the ICV length");
	return err;
}

static int bitsec_sa_init_esp(struct bitsec_sa *sa, struct netlink_ext_ack *extack)
{
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *tfm;
	int err;

	err = bitsec_sa_esp_name(sa, name);
	if (err)
		return err;

	tfm = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(tfm)) {
		NL_SET_ERR_MSG_MOD(extack, "this kernel cannot instantiate the ESP transform (bitskey -V shows which algorithms it has)");
		return PTR_ERR(tfm);
	}
	sa->esp_tfm = tfm;
	return bitsec_sa_esp_setkey(sa, tfm, extack);
}

static int bitsec_sa_init_ah(struct bitsec_sa *sa, struct netlink_ext_ack *extack)
{
	struct crypto_ahash *tfm;
	int err;

	tfm = bitsec_sa_alloc_ahash(sa->auth->crypto);
	if (IS_ERR(tfm)) {
		NL_SET_ERR_MSG_MOD(extack, "this kernel cannot instantiate the AH transform (bitskey -V shows which algorithms it has)");
		return PTR_ERR(tfm);
	}
	sa->ah_tfm = tfm;
	err = crypto_ahash_setkey(tfm, sa->keys, sa->auth_keylen);
	if (err)
		NL_SET_ERR_MSG_MOD(extack, "the crypto API refused the AH key");
	return err;
}

static void bitsec_sa_free(struct bitsec_sa *sa)
{
	bitsec_sa_life_stop(sa);
	bitsec_par_free(sa);
	if (sa->esp_tfm)
		crypto_free_aead(sa->esp_tfm);
	if (sa->ah_tfm)
		crypto_free_ahash(sa->ah_tfm);
	kfree_sensitive(sa->keys);
	bitsec_replay_free(&sa->replay_in);
	free_percpu(sa->stats);
	kfree(sa);
}

static void bitsec_sa_free_work(struct work_struct *work)
{
	bitsec_sa_free(container_of(to_rcu_work(work), struct bitsec_sa, free_work));
}

/*
 * The last reference may drop in softirq context; freeing transforms may
 * sleep, so it waits for a grace period and then runs on bitsec_wq.
 */
void bitsec_sa_put(struct bitsec_sa *sa)
{
	if (refcount_dec_and_test(&sa->refcnt))
		queue_rcu_work(bitsec_wq, &sa->free_work);
}
BITSEC_EXPORT_INTERNAL(bitsec_sa_put);

/* The SA's packets and bytes so far, over all CPUs. */
void bitsec_sa_counters(const struct bitsec_sa *sa, struct bitsec_lifetime *cur)
{
	int cpu;

	memset(cur, 0, sizeof(*cur));
	for_each_possible_cpu(cpu) {
		const struct bitsec_sa_stats *s = per_cpu_ptr(sa->stats, cpu);
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		cur->packets += p;
		cur->bytes += b;
	}
}

/* One packet through @sa: its counters, and its first use. */
void bitsec_sa_count_packet(struct bitsec_sa *sa, unsigned int bytes)
{
	struct bitsec_sa_stats *s = this_cpu_ptr(sa->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, bytes);
	u64_stats_update_end(&s->syncp);
	if (unlikely(!READ_ONCE(sa->use_time))) {
		WRITE_ONCE(sa->use_time, ktime_get_real_seconds());
		if (sa->soft.use_secs || sa->hard.use_secs)
			bitsec_sa_life_arm(sa);
	}
	if (unlikely(bitsec_sa_has_volume_limits(sa))) {
		struct bitsec_lifetime cur;

		bitsec_sa_counters(sa, &cur);
		bitsec_sa_life_count(sa, cur.bytes, cur.packets);
	}
}

/*
 * Under sa->lock: the next outbound sequence number of @sa for a packet of
 * @len bytes and, for ESP (@par), its crypto path (a small one may overtake
 * a busy SA's queue if @small_first: bitsec_par_pick).  Returns 0, or the drop
 * reason (enum bitsec_stat) for bitsec_sa_claim_failed(); a failed claim
 * holds nothing.
 */
int bitsec_sa_claim_locked(struct bitsec_sa *sa, unsigned int len, bool par, bool small_first,
			   struct bitsec_claim *c)
{
	bool esn = sa->flags & BITSEC_SA_F_ESN;

	lockdep_assert_held(&sa->lock);
	if (READ_ONCE(sa->state) == BITSEC_SA_DEAD)
		return BITSEC_STAT_OUT_SA_STATE;
	/* RFC 4303 3.3.3: never wrap; the SA must be replaced. */
	if (sa->seq_out >= (esn ? U64_MAX : U32_MAX))
		return BITSEC_STAT_OUT_SEQ_OVERFLOW;
	c->path = BITSEC_PAR_INLINE;
	c->overtook = false;
	if (par) {
		c->path = bitsec_par_pick(sa, len, small_first, &c->ticket);
		if (unlikely(c->path < 0)) {
			bitsec_par_done(sa);
			return BITSEC_STAT_OUT_NOMEM;
		}
		if (c->path == BITSEC_PAR_OVERTAKE) {
			c->path = BITSEC_PAR_INLINE;
			c->overtook = true;
		}
	}
	c->seq = ++sa->seq_out;
	c->valid = true;
	return 0;
}

/* Count a failed claim's drop (outside the lock). */
void bitsec_sa_claim_failed(struct bitsec_net *bn, struct bitsec_sa *sa, int reason)
{
	bitsec_sa_drop(bn, sa, reason);
	if (reason == BITSEC_STAT_OUT_SEQ_OVERFLOW)
		bitsec_sa_expire(sa, true);
}

/*
 * The claim of an outbound packet on @sa, o->sas[o->idx]: the one a GSO
 * batch took for it, or a new one.  0 or a negative errno, the drop counted.
 */
int bitsec_out_claim(struct bitsec_out *o, struct bitsec_sa *sa, unsigned int len, bool par,
		     struct bitsec_claim *c)
{
	int reason;

	if (o->pre.valid) {
		*c = o->pre;
		o->pre.valid = false;
		return 0;
	}
	spin_lock_bh(&sa->lock);
	reason = bitsec_sa_claim_locked(sa, len, par, true, c);
	spin_unlock_bh(&sa->lock);
	if (!reason) {
		if (c->overtook)
			bitsec_stat_inc(o->bn, BITSEC_STAT_PAR_OVERTAKE);
		return 0;
	}
	bitsec_sa_claim_failed(o->bn, sa, reason);
	return reason == BITSEC_STAT_OUT_NOMEM ? -ENOMEM :
	       reason == BITSEC_STAT_OUT_SEQ_OVERFLOW ? -EOVERFLOW : -ESRCH;
}

void bitsec_spi_key_init(struct bitsec_spi_key *k, u8 family,
			 const struct in6_addr *daddr, __be32 spi, u8 proto)
{
	memset(k, 0, sizeof(*k));
	k->family = family;
	if (family == AF_INET)
		k->daddr.s6_addr32[0] = daddr->s6_addr32[0];
	else
		k->daddr = *daddr;
	k->spi = spi;
	k->proto = proto;
}
BITSEC_EXPORT_INTERNAL(bitsec_spi_key_init);

/* Returns a new SA holding one reference, or an ERR_PTR with extack set. */
struct bitsec_sa *bitsec_sa_create(const struct bitsec_sa_cfg *cfg,
				   struct netlink_ext_ack *extack)
{
	const struct bitsec_keyspec *first;
	struct bitsec_sa *sa;
	int err;

	err = bitsec_sa_check(cfg, extack);
	if (err)
		return ERR_PTR(err);

	sa = kzalloc(sizeof(*sa), GFP_KERNEL_ACCOUNT);
	if (!sa)
		return ERR_PTR(-ENOMEM);
	refcount_set(&sa->refcnt, 1);
	spin_lock_init(&sa->lock);
	bitsec_sa_life_init(sa);
	bitsec_natt_sa_init(sa);
	INIT_RCU_WORK(&sa->free_work, bitsec_sa_free_work);
	sa->stats = alloc_percpu_gfp(struct bitsec_sa_stats, GFP_KERNEL_ACCOUNT);
	if (!sa->stats) {
		err = -ENOMEM;
		goto fail;
	}

	bitsec_spi_key_init(&sa->spi_key, cfg->family, &cfg->daddr, htonl(cfg->spi), cfg->proto);
	sa->pair_key.family = cfg->family;
	sa->pair_key.proto = cfg->proto;
	sa->pair_key.saddr = cfg->saddr;
	sa->pair_key.daddr = cfg->daddr;
	if (cfg->family == AF_INET) {
		memset(&sa->pair_key.saddr.s6_addr32[1], 0, 12);
		memset(&sa->pair_key.daddr.s6_addr32[1], 0, 12);
	}

	sa->state = cfg->larval ? BITSEC_SA_LARVAL : BITSEC_SA_MATURE;
	sa->mode = cfg->mode;
	sa->pad_type = cfg->pad_type;
	sa->tfcpad = cfg->tfcpad;
	sa->reqid = cfg->reqid;
	sa->replay = cfg->replay;
	sa->flags = cfg->flags;
	sa->soft = cfg->soft;
	sa->hard = cfg->hard;
	sa->encap = cfg->encap;
	sa->encap_sport = cfg->encap_sport;
	sa->encap_dport = cfg->encap_dport;
	sa->natt_ports[0] = cfg->encap_sport;
	sa->natt_ports[1] = cfg->encap_dport;
	sa->natt_keepalive = cfg->natt_keepalive;
	sa->add_time = ktime_get_real_seconds();
	if (cfg->larval)
		return sa;
	err = bitsec_replay_init(&sa->replay_in, cfg->replay);
	if (err)
		goto fail;

	sa->enc = cfg->enc.alg;
	sa->auth = cfg->auth.alg;
	sa->aead = cfg->aead.alg;
	first = sa->aead ? &cfg->aead : &cfg->enc;
	if (cfg->proto == IPPROTO_AH)
		first = NULL;
	sa->enc_keylen = first ? first->len : 0;
	sa->auth_keylen = sa->auth ? cfg->auth.len : 0;
	sa->keys = kmalloc(sa->enc_keylen + sa->auth_keylen + 1, GFP_KERNEL_ACCOUNT);
	if (!sa->keys) {
		err = -ENOMEM;
		goto fail;
	}
	if (first)
		memcpy(sa->keys, first->key, sa->enc_keylen);
	if (sa->auth)
		memcpy(sa->keys + sa->enc_keylen, cfg->auth.key, sa->auth_keylen);

	err = cfg->proto == IPPROTO_ESP ? bitsec_sa_init_esp(sa, extack) :
					  bitsec_sa_init_ah(sa, extack);
	if (err)
		goto fail;
	return sa;

fail:
	bitsec_sa_free(sa);
	return ERR_PTR(err);
}
BITSEC_EXPORT_INTERNAL(bitsec_sa_create);
