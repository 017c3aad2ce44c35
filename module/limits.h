/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bitsec: wire constants and limits, in one place so the datapath, the
 * control plane and the tests agree on them.
 */
#ifndef _BITSEC_LIMITS_H
#define _BITSEC_LIMITS_H

#include <linux/cache.h>

/* Seconds a larval SA (GETSPI) waits for its update, as Linux's acquires. */
#define BITSEC_LARVAL_SECS	30

#define BITSEC_VERSION		"0.1.0"

/* Longest key the algorithm table allows, in bits (hmac-sha2-512). */
#define BITSEC_KEY_BITS_MAX	512

/* Seconds a path MTU learned from ICMP lasts, as Linux's route PMTU. */
#define BITSEC_PMTU_SECS	600

/* Distinct UDP ports the NAT-T SAs of one namespace may use. */
#define BITSEC_NATT_PORTS	8

/* ESP pads the payload to at least 4-byte alignment (RFC 4303 2.4). */
#define BITSEC_ESP_ALIGN	4

/* Salt/nonce carried at the end of the key for counter modes (RFC 3686,
 * RFC 4106, RFC 7634).
 */
#define BITSEC_SALT_BITS	32

/*
 * Packets of one SA in parallel crypto at once (par.c); a power of two.
 * More are dropped as out of memory, like a full queue.
 */
#define BITSEC_PAR_RING		1024
/* Packets an in-order flush sends on before it lets softirqs run (a NAPI budget) */
#define BITSEC_PAR_FLUSH_RUN	64
/* GSO segments whose sequence numbers one lock of their SA hands out */
#define BITSEC_GSO_BATCH	16

/*
 * Crypto request memory (reqcache.c): blocks of this size, up to this many
 * kept per CPU.  A block holds, after a cache line of its own, the request
 * of any suite with a packet of MAX_SKB_FRAGS fragments (BITSEC_REQ_MAX
 * bytes); a larger request is allocated by itself.
 */
#define BITSEC_REQ_BLOCK	2048
#define BITSEC_REQ_MAX		(BITSEC_REQ_BLOCK - L1_CACHE_BYTES)
#define BITSEC_REQ_CACHE	128

#endif /* _BITSEC_LIMITS_H */
