/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bitsec: internal interfaces shared by the files of bitsec.ko and by the
 * KUnit suites in kunit/.
 */
#ifndef _BITSEC_H
#define _BITSEC_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "limits.h"

/*
 * Internals the KUnit module needs are exported into a symbol namespace
 * of their own, and only on kernels that can run KUnit at all.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define BITSEC_EXPORT_FOR_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, BITSEC_KUNIT)
#else
#define BITSEC_EXPORT_FOR_KUNIT(sym)
#endif

/* Per network namespace state; the SAD, SPD and counters hang off it. */
struct bitsec_net {
	struct net *net;
	/* Serialises writers of this namespace's tables. */
	struct mutex cfg_lock;
	/* When this namespace's state was set up (boot-time clock, ns). */
	u64 created_ns;
};

extern unsigned int bitsec_net_id;

static inline struct bitsec_net *bitsec_net(const struct net *net)
{
	return net_generic(net, bitsec_net_id);
}

int bitsec_net_state_init(struct bitsec_net *bn, struct net *net);
void bitsec_net_state_exit(struct bitsec_net *bn);
int bitsec_netns_register(void);
void bitsec_netns_unregister(void);

/* Algorithm table (algs.c). */
struct bitsec_alg {
	const char *name;	/* as bitskey and setkey spell it */
	const char *crypto;	/* crypto API algorithm name */
	u8 kind;		/* enum bitsec_alg_kind */
	u16 key_min;		/* bits, salt included */
	u16 key_max;
	u16 key_step;
	u16 salt_bits;		/* trailing key bits that are a nonce/salt */
	u16 icv_bits;		/* ICV length on the wire */
	u8 iv_bytes;		/* explicit IV carried in each packet */
	u8 block_bytes;		/* cipher block the payload is padded to */
};

extern const struct bitsec_alg bitsec_algs[];
extern const unsigned int bitsec_algs_count;

const struct bitsec_alg *bitsec_alg_find(u8 kind, const char *name);
bool bitsec_alg_key_bits_ok(const struct bitsec_alg *alg, unsigned int bits);
int bitsec_alg_probe(const struct bitsec_alg *alg, char *driver, size_t len);

/* Generic netlink (netlink.c). */
extern struct genl_family bitsec_genl_family;
int bitsec_genl_register(void);
void bitsec_genl_unregister(void);

#endif /* _BITSEC_H */
