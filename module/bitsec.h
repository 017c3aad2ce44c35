/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bitsec: internal interfaces shared by the files of bitsec.ko and by the
 * KUnit suites in kunit/.
 */
#ifndef _BITSEC_H
#define _BITSEC_H

#include <linux/in6.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <uapi/linux/bitsec.h>

#include "limits.h"

/*
 * Internals the KUnit suites and the benchmark module (make bench) need are
 * exported into a symbol namespace of their own, which nothing else should
 * import: they are not an interface.
 */
#define BITSEC_EXPORT_INTERNAL(sym) EXPORT_SYMBOL_NS_GPL(sym, BITSEC_INTERNAL)

/*
 * The security association database of one namespace.  Readers (the
 * datapath) look SAs up under RCU without a lock; writers hold the
 * namespace's cfg_lock.  rhashtable seeds its hash with a random key per
 * table, so a peer cannot choose SPIs that collide.
 */
struct bitsec_sad {
	struct rhashtable by_spi;	/* inbound: (dst, SPI, proto) */
	struct rhltable by_pair;	/* outbound: (src, dst, proto) */
	struct xarray by_id;		/* every SA by id, for dumps */
	u32 next_id;
	unsigned int count;
	/* NAT-T (natt.c): encapsulating SAs, and the UDP ports they use. */
	unsigned int n_encap;
	u16 natt_port[BITSEC_NATT_PORTS];
	u32 natt_users[BITSEC_NATT_PORTS];
};

/*
 * The security policy database of one namespace: per direction, policies
 * grouped by (family, source prefix length, destination prefix length), the
 * "tuple space" of packet classification.  Each group is a hash of the
 * masked address pair, so a lookup costs one hash probe per distinct
 * prefix-length pair, whatever the number of policies; exact host-to-host
 * policies are simply the /32-/32 (or /128) group.  Groups are published to
 * readers as an array sorted by the best priority they hold, so a lookup
 * stops as soon as no later group can beat what it found.
 */
struct bitsec_sp_group;

struct bitsec_sp_groups {
	struct rcu_head rcu;
	unsigned int n;
	struct bitsec_sp_group *g[];
};

struct bitsec_spd {
	struct bitsec_sp_groups __rcu *dir[3];	/* enum bitsec_dir */
	struct xarray by_index;
	u32 next_index;
	u64 next_seq;
	unsigned int count;
};

/* Per-CPU counters of one namespace, indexed by enum bitsec_stat. */
struct bitsec_stats {
	u64 v[__BITSEC_STAT_MAX];
	/* Crypto requests an async driver still holds; summed at exit. */
	long inflight;
};

/* Per network namespace state; the SAD, SPD and counters hang off it. */
struct bitsec_net {
	struct net *net;
	/* Serialises writers of this namespace's tables. */
	struct mutex cfg_lock;
	/* When this namespace's state was set up (boot-time clock, ns). */
	u64 created_ns;
	struct bitsec_sad sad;
	struct bitsec_spd spd;
	struct bitsec_stats __percpu *stats;
	/* Netfilter hooks, registered once the namespace has SAs or policies. */
	bool hooks_on;
};

/* Deferred frees (SAs after a grace period) run here; drained on unload. */
extern struct workqueue_struct *bitsec_wq;

extern unsigned int bitsec_net_id;

static inline struct bitsec_net *bitsec_net(const struct net *net)
{
	return net_generic(net, bitsec_net_id);
}

int bitsec_net_state_init(struct bitsec_net *bn, struct net *net);
void bitsec_net_state_exit(struct bitsec_net *bn);
int bitsec_netns_register(void);

/* Counters (stats.c).  Safe in any context: one per-CPU add. */
static inline void bitsec_stat_add(struct bitsec_net *bn, unsigned int stat, u64 n)
{
	this_cpu_add(bn->stats->v[stat], n);
}

static inline void bitsec_stat_inc(struct bitsec_net *bn, unsigned int stat)
{
	this_cpu_inc(bn->stats->v[stat]);
}

/*
 * A crypto request handed to a driver that may finish it later, after the
 * hooks are gone: the namespace's state must outlive it (stats.c drains).
 */
static inline void bitsec_async_get(struct bitsec_net *bn)
{
	this_cpu_inc(bn->stats->inflight);
}

static inline void bitsec_async_put(struct bitsec_net *bn)
{
	this_cpu_dec(bn->stats->inflight);
}

void bitsec_async_drain(struct bitsec_net *bn);
int bitsec_stats_init(struct bitsec_net *bn);
void bitsec_stats_exit(struct bitsec_net *bn);
int bitsec_stats_proc_init(struct net *net);
void bitsec_stats_proc_exit(struct net *net);
void bitsec_stats_fold(struct bitsec_net *bn, u64 *sum);
const char *bitsec_stat_name(unsigned int stat);
int bitsec_nl_get_stats(struct sk_buff *skb, struct genl_info *info);
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

/* Security associations (sa.c, sad.c). */

struct crypto_aead;
struct crypto_ahash;

/* Inbound key: compared with memcmp, so it has no holes. */
struct bitsec_spi_key {
	struct in6_addr daddr;		/* IPv4 in the first word, rest zero */
	__be32 spi;
	u8 proto;
	u8 family;
	u8 zero[2];
};

/* Outbound key: the SA's endpoints; mode and reqid are matched after. */
struct bitsec_pair_key {
	struct in6_addr saddr;
	struct in6_addr daddr;
	u8 proto;
	u8 family;
	u8 zero[2];
};

struct bitsec_lifetime {
	u64 bytes;
	u64 packets;
	u64 add_secs;
	u64 use_secs;
};

struct bitsec_keyspec {
	const struct bitsec_alg *alg;	/* NULL: not given */
	unsigned int len;		/* bytes */
	const u8 *key;			/* borrowed from the request */
};

/* What a request asks for; validated by bitsec_sa_create(). */
struct bitsec_sa_cfg {
	u8 family;
	u8 proto;
	struct in6_addr saddr, daddr;
	u32 spi;			/* host order */
	u32 spi_max;
	u8 mode;
	u8 pad_type;
	u32 reqid;
	u32 replay;
	u32 flags;
	struct bitsec_keyspec enc, auth, aead;
	struct bitsec_lifetime soft, hard;
	bool encap;
	u16 encap_sport, encap_dport;
	u32 natt_keepalive;
	u32 tfcpad;
	bool larval;			/* GETSPI: no algorithms */
};

struct bitsec_sa_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

/* Anti-replay state (replay.c); under the SA's lock. */
struct bitsec_replay {
	u32 window;			/* packets; 0: no replay check */
	u32 size;			/* bits in the ring, a power of two */
	u64 top;			/* highest sequence number accepted */
	unsigned long *bits;
};

int bitsec_replay_init(struct bitsec_replay *r, u32 window);
void bitsec_replay_free(struct bitsec_replay *r);
u64 bitsec_replay_infer(const struct bitsec_replay *r, bool esn, u32 lo);
int bitsec_replay_check(const struct bitsec_replay *r, u64 seq);
void bitsec_replay_advance(struct bitsec_replay *r, u64 seq);

/*
 * Parallel crypto of one busy ESP SA (par.c): its packets are dealt out to
 * every CPU and sent on in the order of their tickets.
 */
struct bitsec_par_ring;
struct bitsec_par {
	unsigned long stamp;		/* jiffy that count is of */
	unsigned int count;		/* packets seen in it */
	unsigned int bytes;		/* and their bytes */
	bool busy;			/* the last jiffy had enough of them */
	bool on;			/* what the in-flight requests use */
	u32 head;			/* next ticket (READ_ONCE outside lock) */
	atomic_t inflight;		/* picked, not yet sent on */
	struct bitsec_par_ring *ring;	/* reorder ring, once first busy */
};

/* One packet on the parallel path; the ESP request embeds it. */
struct bitsec_par_item {
	struct llist_node node;
	struct bitsec_sa *sa;
	u32 ticket;
	int err;
	/* Runs the crypto: -EINPROGRESS if a callback completes it later. */
	int (*start)(struct bitsec_par_item *it);
	/* Sends the packet on, in ticket order. */
	void (*finish)(struct bitsec_par_item *it, int err);
};

struct bitsec_sa {
	struct rhash_head spi_node;
	struct rhlist_head pair_node;
	struct bitsec_spi_key spi_key;
	struct bitsec_pair_key pair_key;
	u32 id;
	refcount_t refcnt;
	struct rcu_work free_work;

	u8 state;			/* enum bitsec_sa_state */
	u8 mode;
	u8 pad_type;
	u32 reqid;
	u32 replay;
	u32 flags;
	struct bitsec_lifetime soft, hard;
	/*
	 * NAT-T (natt.c).  The ports are the peer's as it is now: port
	 * floating moves an inbound SA's source port and an outbound SA's
	 * destination port (READ_ONCE), and sets natt_peer if the peer's
	 * address moved too.  natt_ports are the ports as added, which the
	 * namespace's port table counts.
	 */
	bool encap;
	u16 encap_sport, encap_dport;
	u16 natt_ports[2];
	__be32 natt_peer;
	u32 natt_keepalive;		/* seconds; 0: no keepalives */
	unsigned long natt_tx;		/* jiffies | 1 of the last packet sent */
	struct timer_list natt_timer;
	u32 tfcpad;			/* ESP tunnel: pad inner packets to this */
	/* Path MTU to the peer learned from ICMP (pmtu.c), until it expires. */
	u32 pmtu;
	unsigned long pmtu_expires;
	time64_t add_time;
	time64_t use_time;

	/* Lifetimes (life.c); the namespace, for their news. */
	struct bitsec_net *bn;
	unsigned long life_flags;	/* BITSEC_LIFE_* bits */
	struct timer_list life_timer;
	struct work_struct expire_work;

	/* The datapath's per-packet state. */
	spinlock_t lock;
	u64 seq_out;			/* last sequence number sent */
	struct bitsec_replay replay_in;
	struct bitsec_par par;		/* under lock but inflight */

	const struct bitsec_alg *enc, *auth, *aead;
	u8 *keys;			/* enc/aead key, then auth key */
	unsigned int enc_keylen, auth_keylen;
	struct crypto_aead *esp_tfm;	/* ESP, every suite as an AEAD */
	struct crypto_ahash *ah_tfm;	/* AH */

	struct bitsec_sa_stats __percpu *stats;
	/* Packets dropped after this SA was found, by enum bitsec_stat. */
	atomic64_t drops[__BITSEC_STAT_MAX];
};

/* A drop that concerns @sa: its own count and the namespace's. */
static inline void bitsec_sa_drop(struct bitsec_net *bn, struct bitsec_sa *sa, unsigned int stat)
{
	bitsec_stat_inc(bn, stat);
	atomic64_inc(&sa->drops[stat]);
}

enum {
	BITSEC_LIFE_SOFT_DONE,		/* soft limit reached */
	BITSEC_LIFE_HARD_DONE,
	BITSEC_LIFE_SOFT_NEWS,		/* its event not yet sent */
	BITSEC_LIFE_HARD_NEWS,
	BITSEC_LIFE_GONE,		/* left the tables: no more news */
};

void bitsec_sa_life_init(struct bitsec_sa *sa);
void bitsec_sa_life_arm(struct bitsec_sa *sa);
void bitsec_sa_life_count(struct bitsec_sa *sa, u64 bytes, u64 packets);
void bitsec_sa_life_stop(struct bitsec_sa *sa);
void bitsec_sa_expire(struct bitsec_sa *sa, bool hard);
void bitsec_sa_notify_expire(struct net *net, const struct bitsec_sa *sa, bool hard);
void bitsec_sa_notify_mapping(struct net *net, const struct bitsec_sa *sa, __be32 oaddr,
			      u16 oport, __be32 naddr, u16 nport);

struct bitsec_sa *bitsec_sa_create(const struct bitsec_sa_cfg *cfg,
				   struct netlink_ext_ack *extack);
void bitsec_sa_put(struct bitsec_sa *sa);
void bitsec_sa_count_packet(struct bitsec_sa *sa, unsigned int bytes);
/* Byte or packet limits: each packet must be counted before the next. */
static inline bool bitsec_sa_has_volume_limits(const struct bitsec_sa *sa)
{
	return sa->soft.bytes || sa->soft.packets || sa->hard.bytes || sa->hard.packets;
}
void bitsec_sa_counters(const struct bitsec_sa *sa, struct bitsec_lifetime *cur);
static inline bool bitsec_sa_hold(struct bitsec_sa *sa)
{
	return refcount_inc_not_zero(&sa->refcnt);
}

void bitsec_spi_key_init(struct bitsec_spi_key *k, u8 family,
			 const struct in6_addr *daddr, __be32 spi, u8 proto);
int bitsec_sad_init(struct bitsec_sad *sad);
void bitsec_sad_destroy(struct bitsec_sad *sad);
struct bitsec_sa *bitsec_sad_lookup_spi(struct bitsec_sad *sad,
					const struct bitsec_spi_key *key);
int bitsec_sad_insert(struct bitsec_sad *sad, struct bitsec_sa *sa,
		      bool replace, struct netlink_ext_ack *extack);
void bitsec_sad_remove(struct bitsec_sad *sad, struct bitsec_sa *sa);
unsigned int bitsec_sad_flush(struct bitsec_sad *sad, u8 proto);
unsigned int bitsec_sad_delete_pair(struct bitsec_sad *sad,
				    const struct bitsec_pair_key *key);
struct bitsec_sa *bitsec_sad_find_out(struct bitsec_sad *sad, u8 family,
				      const struct in6_addr *saddr,
				      const struct in6_addr *daddr, u8 proto, u8 mode, u32 reqid);
int bitsec_sad_alloc_spi(struct bitsec_sad *sad, struct bitsec_sa *sa,
			 u32 min, u32 max);

/* Security policies (spd.c). */

struct bitsec_sp_key {
	struct in6_addr saddr;		/* masked to the group's prefix lengths */
	struct in6_addr daddr;
};

struct bitsec_tmpl {
	u8 proto;
	u8 mode;
	u8 level;
	u8 family;			/* of the tunnel endpoints */
	u32 reqid;
	struct in6_addr saddr, daddr;	/* tunnel endpoints */
};

struct bitsec_sp {
	struct rhlist_head node;
	struct bitsec_sp_key key;
	struct bitsec_sp_group *group;
	u32 index;
	u64 seq;			/* insertion order: ties go to the older */
	struct rcu_head rcu;

	u8 dir;
	u8 family;
	u8 splen, dplen;
	u8 ulproto;
	bool has_sport, has_dport, has_icmp_type, has_icmp_code;
	u16 sport, dport;		/* host order */
	u8 icmp_type, icmp_code;
	u32 priority;
	u8 action;
	u8 n_tmpls;
	struct bitsec_tmpl tmpls[BITSEC_TMPL_MAX];
	time64_t add_time;
	time64_t use_time;
	unsigned long acquire_at;	/* jiffies of the last acquire event */
};

/* What a packet presents to the SPD. */
struct bitsec_flow {
	u8 family;
	u8 proto;
	u16 sport, dport;		/* host order; ICMP: type and code */
	struct in6_addr saddr, daddr;
};

int bitsec_spd_init(struct bitsec_spd *spd);
void bitsec_spd_destroy(struct bitsec_spd *spd);
struct bitsec_sp *bitsec_sp_alloc(gfp_t gfp);
void bitsec_sp_free(struct bitsec_sp *sp);
int bitsec_spd_insert(struct bitsec_spd *spd, struct bitsec_sp *sp, bool replace,
		      struct netlink_ext_ack *extack);
struct bitsec_sp *bitsec_spd_find(struct bitsec_spd *spd, const struct bitsec_sp *like);
void bitsec_spd_remove(struct bitsec_spd *spd, struct bitsec_sp *sp);
unsigned int bitsec_spd_flush(struct bitsec_spd *spd, int dir);
struct bitsec_sp *bitsec_spd_lookup(struct bitsec_spd *spd, u8 dir,
				    const struct bitsec_flow *fl);

/* The datapath (hooks.c, esp.c). */

/*
 * What an outbound packet took from its SA under the SA's lock: its
 * sequence number and, for ESP, its crypto path and ticket.
 */
struct bitsec_claim {
	u64 seq;
	u32 ticket;			/* when path is 1 */
	s8 path;			/* 0 inline, 1 parallel */
	bool overtook;			/* inline ahead of a busy SA's queue */
	bool valid;
};

int bitsec_sa_claim_locked(struct bitsec_sa *sa, unsigned int len, bool par, bool small_first,
			   struct bitsec_claim *c);
void bitsec_sa_claim_failed(struct bitsec_net *bn, struct bitsec_sa *sa, int reason);

/* An outbound packet's transforms, innermost first. */
struct bitsec_out {
	struct net *net;
	struct bitsec_net *bn;
	unsigned int orig_len;		/* before any transform */
	u8 n, idx;			/* transforms, the next to apply */
	struct bitsec_sa *sas[BITSEC_TMPL_MAX];	/* references held */
	const u8 *fixed_iv;		/* KUnit's known answers only; else NULL */
	/* Taken already for sas[0] (a GSO batch); used up by its transform. */
	struct bitsec_claim pre;
};

int bitsec_out_claim(struct bitsec_out *o, struct bitsec_sa *sa, unsigned int len, bool par,
		     struct bitsec_claim *c);

/*
 * The SAs an inbound packet was unwrapped by, outermost first, for the
 * inbound policy check; the decrypted packet carries this (through a
 * per-CPU pointer) while it is delivered again.
 */
struct bitsec_in {
	struct net *net;
	struct bitsec_net *bn;
	struct sk_buff *skb;		/* the packet this describes */
	/* The device it arrived on, held while crypto or GRO has the packet. */
	struct net_device *dev;
	/* ESP in UDP: where the datagram came from (port 0: not in UDP). */
	__be32 natt_saddr;
	u16 natt_sport;
	u8 n;
	struct bitsec_sa *sas[BITSEC_TMPL_MAX];	/* references held */
};

int bitsec_hooks_enable(struct bitsec_net *bn);
void bitsec_hooks_disable(struct bitsec_net *bn);
void bitsec_hooks_exit(void);
void bitsec_output_resume(struct sk_buff *skb, struct bitsec_out *o);
void bitsec_output_done(struct sk_buff *skb, struct bitsec_out *o, int err);
void bitsec_input_resume(struct sk_buff *skb, struct bitsec_in *in);
void bitsec_input_deliver(struct sk_buff *skb, struct bitsec_in *in);
int bitsec_gro_init(void);
void bitsec_gro_exit(void);
bool bitsec_gro_queue(struct sk_buff *skb, struct bitsec_in *in);
void bitsec_gro_batch_begin(void);
void bitsec_gro_batch_end(void);
void bitsec_input_done(struct sk_buff *skb, struct bitsec_in *in, int reason);
void bitsec_out_put(struct bitsec_out *o);
void bitsec_in_put(struct bitsec_in *in);
int bitsec_esp4_output(struct sk_buff *skb, struct bitsec_out *o);
unsigned int bitsec_esp_max_payload(const struct bitsec_sa *sa, unsigned int mtu);
void bitsec_esp_exit(void);
size_t bitsec_esp_req_size(struct crypto_aead *aead, unsigned int nsg);
int bitsec_sa_esp_setkey(const struct bitsec_sa *sa, struct crypto_aead *tfm,
			 struct netlink_ext_ack *extack);
void *bitsec_req_alloc(struct bitsec_net *bn, size_t size);
void bitsec_req_free(void *p, size_t size);
void bitsec_req_exit(void);
int bitsec_par_init(void);
void bitsec_par_exit(void);
void bitsec_par_free(struct bitsec_sa *sa);
enum { BITSEC_PAR_INLINE, BITSEC_PAR_QUEUED, BITSEC_PAR_OVERTAKE };
int bitsec_par_pick(struct bitsec_sa *sa, unsigned int len, bool small_first, u32 *ticket);
void bitsec_par_submit(struct bitsec_par_item *it);
void bitsec_par_complete(struct bitsec_par_item *it, int err);
void bitsec_par_abandon(struct bitsec_sa *sa, u32 ticket);
int bitsec_par_swap_mode(int mode);
static inline void bitsec_par_done(struct bitsec_sa *sa)
{
	atomic_dec(&sa->par.inflight);
}
int bitsec_esp4_input(struct sk_buff *skb, struct bitsec_sa *sa, struct bitsec_in *in);
void bitsec_ip4_reserve(struct sk_buff *skb, unsigned int tail);

/*
 * Whether making @skb room or writable copied its payload: its head moved
 * from @head while it was linear (@linear, before) or is linear now.  A
 * new head for a packet whose payload stays in fragments copied headers.
 */
static inline bool bitsec_payload_copied(const struct sk_buff *skb, const u8 *head, bool linear)
{
	return skb->head != head && (linear || !skb_is_nonlinear(skb));
}
unsigned int bitsec_ip4_push(struct sk_buff *skb, const struct bitsec_out *o,
			     const struct bitsec_sa *sa, unsigned int xlen);
int bitsec_ip4_pull(struct sk_buff *skb, const struct bitsec_sa *sa, unsigned int ihl,
		    unsigned int xlen, u8 nexthdr);
int bitsec_ah4_output(struct sk_buff *skb, struct bitsec_out *o);
unsigned int bitsec_ah_max_inner(const struct bitsec_sa *sa, unsigned int mtu);

/* Path MTU (pmtu.c). */
unsigned int bitsec_link_mtu(const struct dst_entry *dst);
unsigned int bitsec_sa_pmtu(const struct bitsec_sa *sa);
unsigned int bitsec_sa_max_inner(const struct bitsec_sa *sa, unsigned int mtu);
unsigned int bitsec_sa_overhead(const struct bitsec_sa *sa, unsigned int *inner_mtu);
unsigned int bitsec_out_max_inner(const struct bitsec_out *o, struct sk_buff *skb);
void bitsec_pmtu_icmp_rcv(struct bitsec_net *bn, struct sk_buff *skb);
struct bitsec_sa *bitsec_sad_find_encap(struct bitsec_sad *sad, const struct in6_addr *saddr,
					const struct in6_addr *daddr, u16 sport, u16 dport);

/* NAT-T (natt.c): what an ESP-in-UDP datagram came with. */
struct bitsec_encap_rx {
	u16 sport, dport;		/* host order */
};

enum { BITSEC_NATT_PASS, BITSEC_NATT_CONSUMED, BITSEC_NATT_ESP };
void bitsec_natt_sa_init(struct bitsec_sa *sa);
int bitsec_natt_sa_add(struct bitsec_sad *sad, struct bitsec_sa *sa,
		       struct netlink_ext_ack *extack);
void bitsec_natt_sa_del(struct bitsec_sad *sad, struct bitsec_sa *sa);
void bitsec_natt_seen(struct bitsec_sa *sa, const struct bitsec_in *in, bool newest);
struct rhlist_head *bitsec_sad_pair_list(struct bitsec_sad *sad, __be32 saddr, __be32 daddr,
					 u8 proto);
int bitsec_local_out_own(struct net *net, struct sk_buff *skb);

/* Where an outbound SA's packets go now (port floating may move a tunnel's). */
static inline __be32 bitsec_sa_out_peer(const struct bitsec_sa *sa)
{
	return READ_ONCE(sa->natt_peer) ?: sa->pair_key.daddr.s6_addr32[0];
}
int bitsec_natt_rcv(struct bitsec_net *bn, struct sk_buff *skb, struct bitsec_encap_rx *rx);
int bitsec_ah4_input(struct sk_buff *skb, struct bitsec_sa *sa, struct bitsec_in *in);

/* Generic netlink (netlink.c, nl_sa.c, nl_sp.c). */
extern struct genl_family bitsec_genl_family;

/* A policy entry for attributes that only the kernel sends. */
#define BITSEC_REPLY_ONLY(name) \
	{ .type = NLA_REJECT, .reject_message = name " is reply-only" }

int bitsec_nl_family(const struct nlattr *a, u8 *family, struct netlink_ext_ack *extack);
int bitsec_nl_addr(const struct nlattr *a, u8 family, struct in6_addr *out,
		   struct netlink_ext_ack *extack);
extern const struct nla_policy bitsec_sa_policy[];
int bitsec_nl_sa_add(struct sk_buff *skb, struct genl_info *info);
int bitsec_nl_sa_update(struct sk_buff *skb, struct genl_info *info);
int bitsec_nl_sa_get(struct sk_buff *skb, struct genl_info *info);
int bitsec_nl_sa_dump(struct sk_buff *skb, struct netlink_callback *cb);
int bitsec_nl_sa_del(struct sk_buff *skb, struct genl_info *info);
int bitsec_nl_sa_delall(struct sk_buff *skb, struct genl_info *info);
int bitsec_nl_sa_flush(struct sk_buff *skb, struct genl_info *info);
int bitsec_nl_sa_getspi(struct sk_buff *skb, struct genl_info *info);
extern const struct nla_policy bitsec_sp_policy[];
int bitsec_nl_sp_add(struct sk_buff *skb, struct genl_info *info);
void bitsec_sp_notify_acquire(struct net *net, const struct bitsec_sp *sp,
			      const struct bitsec_tmpl *t, const struct in6_addr *saddr,
			      const struct in6_addr *daddr);
int bitsec_nl_sp_update(struct sk_buff *skb, struct genl_info *info);
int bitsec_nl_sp_get(struct sk_buff *skb, struct genl_info *info);
int bitsec_nl_sp_dump(struct sk_buff *skb, struct netlink_callback *cb);
int bitsec_nl_sp_del(struct sk_buff *skb, struct genl_info *info);
int bitsec_nl_sp_flush(struct sk_buff *skb, struct genl_info *info);
int bitsec_genl_register(void);
void bitsec_genl_unregister(void);

#endif /* _BITSEC_H */
