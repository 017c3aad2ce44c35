/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bitsec: IPsec ESP/AH as a bump in the stack.
 *
 * The generic-netlink ABI shared by the bitsec module and bitskey.
 * Family "bitsec", version 1.  Attribute numbers are never reused or
 * renumbered; new attributes and commands are only ever appended.
 */
#ifndef _UAPI_LINUX_BITSEC_H
#define _UAPI_LINUX_BITSEC_H

#define BITSEC_GENL_NAME	"bitsec"
#define BITSEC_GENL_VERSION	1

/*
 * Multicast group announcing SA and SP changes (and, from the datapath,
 * expiries).  Joining it needs CAP_NET_ADMIN like the SA commands: the
 * events carry SPIs and addresses.
 */
#define BITSEC_MCGRP_EVENTS	"events"

/* Longest string attribute the module sends or accepts, NUL included. */
#define BITSEC_NAME_MAX		64

enum bitsec_cmd {
	BITSEC_CMD_UNSPEC,
	/*
	 * Module version, this namespace's identity and every algorithm
	 * the module knows with whether the running kernel's crypto API
	 * can instantiate it.  Needs no privilege: it reveals no keys.
	 */
	BITSEC_CMD_GET_INFO,
	/*
	 * Security associations.  All need CAP_NET_ADMIN in the user
	 * namespace owning the caller's network namespace.  Requests carry
	 * one BITSEC_A_SA nest.
	 *
	 * SA_ADD     a new SA; -EEXIST if (dst, SPI, proto) is taken
	 * SA_UPDATE  replace the SA with that (dst, SPI, proto): completes a
	 *            larval SA from SA_GETSPI, or replaces a mature one whole
	 *            (sequence numbers and counters start again)
	 * SA_GET     one SA by (dst, SPI, proto); with NLM_F_DUMP every SA,
	 *            or those of BITSEC_A_PROTO.  Keys are sent only if the
	 *            request carries BITSEC_A_WITH_KEYS.
	 * SA_DEL     one SA by (dst, SPI, proto)
	 * SA_DELALL  every SA with the nest's (src, dst, proto)
	 * SA_FLUSH   every SA, or those of BITSEC_A_PROTO
	 * SA_GETSPI  allocate an unused SPI in [SPI, SPI_MAX] for (src, dst,
	 *            proto) and create a larval SA holding it
	 */
	BITSEC_CMD_SA_ADD,
	BITSEC_CMD_SA_UPDATE,
	BITSEC_CMD_SA_GET,
	BITSEC_CMD_SA_DEL,
	BITSEC_CMD_SA_DELALL,
	BITSEC_CMD_SA_FLUSH,
	BITSEC_CMD_SA_GETSPI,
	/*
	 * Security policies, one BITSEC_A_SP nest per request; all need
	 * CAP_NET_ADMIN like the SA commands.  A policy is identified by its
	 * direction and selector (addresses with prefix lengths, upper-layer
	 * protocol, ports or ICMP type/code), or by BITSEC_A_SP_INDEX.
	 *
	 * SP_ADD     a new policy; -EEXIST if that direction and selector
	 *            already has one
	 * SP_UPDATE  replace the policy with that direction and selector
	 * SP_GET     one policy; with NLM_F_DUMP every policy
	 * SP_DEL     one policy
	 * SP_FLUSH   every policy, or those of BITSEC_A_SP_DIR if given
	 */
	BITSEC_CMD_SP_ADD,
	BITSEC_CMD_SP_UPDATE,
	BITSEC_CMD_SP_GET,
	BITSEC_CMD_SP_DEL,
	BITSEC_CMD_SP_FLUSH,
	/*
	 * This namespace's counters (enum bitsec_stat) and table sizes.
	 * Needs no privilege, like /proc/net/bitsec_stat which shows the
	 * same counters: they reveal no keys or addresses.
	 */
	BITSEC_CMD_GET_STATS,
	/*
	 * Event only, on the events group: an SA reached a soft (it is now
	 * dying: still used, a fresh SA is wanted) or hard (it is gone)
	 * lifetime, or ran out of sequence numbers.  Carries the SA nest and
	 * BITSEC_A_EXPIRE_HARD.
	 */
	BITSEC_CMD_SA_EXPIRE,
	/*
	 * Event only, on the events group: a packet matched an out policy
	 * but no SA serves one of its templates (level require: the packet
	 * was dropped; use: it went out clear).  Carries the policy
	 * (BITSEC_A_SP) and the SA a key manager should negotiate
	 * (BITSEC_A_SA: family, src, dst, proto, mode, reqid).  At most one
	 * per policy every BITSEC_ACQUIRE_SECS while SAs are missing.
	 */
	BITSEC_CMD_ACQUIRE,
	/*
	 * Event only, on the events group: port floating (RFC 3948 4).  An
	 * authenticated ESP-in-UDP packet, the newest the SA has seen, came
	 * from another address or port than the SA's peer: the SA (and the
	 * outbound SAs towards the old endpoint) now use the new one.
	 * Carries the inbound SA nest (with its new ports) and
	 * BITSEC_A_MAPPING_OLD, BITSEC_A_MAPPING_NEW.
	 */
	BITSEC_CMD_SA_MAPPING,

	__BITSEC_CMD_MAX,
};
#define BITSEC_CMD_MAX (__BITSEC_CMD_MAX - 1)

/* Top-level attributes. */
enum bitsec_attr {
	BITSEC_A_UNSPEC,
	BITSEC_A_PAD,
	BITSEC_A_VERSION,	/* string: module version, "x.y.z" */
	BITSEC_A_NETNS_COOKIE,	/* u64: cookie of the caller's netns */
	BITSEC_A_ALGS,		/* nest of BITSEC_A_ALG */
	BITSEC_A_SA,		/* nest of enum bitsec_sa_attr */
	BITSEC_A_PROTO,		/* u8: IPPROTO_ESP or IPPROTO_AH filter */
	BITSEC_A_WITH_KEYS,	/* flag: include key material in replies */
	BITSEC_A_SP,		/* nest of enum bitsec_sp_attr */
	BITSEC_A_STATS,		/* nest: one u64 per enum bitsec_stat */
	BITSEC_A_SA_COUNT,	/* u32: SAs in this namespace, larval included */
	BITSEC_A_SP_COUNT,	/* u32: policies in this namespace */
	BITSEC_A_EXPIRE_HARD,	/* u8: SA_EXPIRE: 1 hard, 0 soft */
	BITSEC_A_MAPPING_OLD,	/* nest of enum bitsec_endpoint_attr */
	BITSEC_A_MAPPING_NEW,	/* nest of enum bitsec_endpoint_attr */

	__BITSEC_A_MAX,
};
#define BITSEC_A_MAX (__BITSEC_A_MAX - 1)

/* Inside BITSEC_A_ALGS: one nest per algorithm. */
enum bitsec_algs_attr {
	BITSEC_A_ALGS_UNSPEC,
	BITSEC_A_ALG,		/* nest of enum bitsec_alg_attr */

	__BITSEC_A_ALGS_MAX,
};
#define BITSEC_A_ALGS_MAX (__BITSEC_A_ALGS_MAX - 1)

enum bitsec_alg_kind {
	BITSEC_ALG_KIND_NONE,
	BITSEC_ALG_KIND_ENC,	/* ESP encryption, paired with an integrity alg */
	BITSEC_ALG_KIND_AUTH,	/* integrity: AH, or ESP with an ENC alg */
	BITSEC_ALG_KIND_AEAD,	/* ESP combined mode */
};

enum bitsec_alg_attr {
	BITSEC_A_ALG_UNSPEC,
	BITSEC_A_ALG_NAME,	/* string: name in bitskey, "aes-cbc" */
	BITSEC_A_ALG_KIND,	/* u8: enum bitsec_alg_kind */
	BITSEC_A_ALG_CRYPTO,	/* string: crypto API name, "cbc(aes)" */
	BITSEC_A_ALG_DRIVER,	/* string: driver that instantiated it */
	BITSEC_A_ALG_KEY_MIN,	/* u16: shortest key in bits (salt included) */
	BITSEC_A_ALG_KEY_MAX,	/* u16: longest key in bits */
	BITSEC_A_ALG_KEY_STEP,	/* u16: key sizes go min, min+step ... max */
	BITSEC_A_ALG_ICV_BITS,	/* u16: ICV length on the wire, 0 if none */
	BITSEC_A_ALG_AVAILABLE,	/* u8: 1 if the kernel can instantiate it */

	__BITSEC_A_ALG_MAX,
};
#define BITSEC_A_ALG_MAX (__BITSEC_A_ALG_MAX - 1)

/* SA modes (BITSEC_A_SA_MODE). */
enum bitsec_mode {
	BITSEC_MODE_ANY,	/* the SA serves transport and tunnel templates */
	BITSEC_MODE_TRANSPORT,
	BITSEC_MODE_TUNNEL,
};

/* SA states (BITSEC_A_SA_STATE). */
enum bitsec_sa_state {
	BITSEC_SA_LARVAL,	/* SPI reserved by SA_GETSPI, no keys yet */
	BITSEC_SA_MATURE,
	BITSEC_SA_DYING,	/* past a soft lifetime */
	BITSEC_SA_DEAD,		/* past a hard lifetime or deleted */
};

/* SA flags (BITSEC_A_SA_FLAGS). */
#define BITSEC_SA_F_ESN		(1U << 0)	/* 64-bit extended sequence numbers */

/* Padding of ESP (BITSEC_A_SA_PAD), setkey's -f. */
enum bitsec_pad {
	BITSEC_PAD_DEFAULT,	/* RFC 4303: 1, 2, 3, ... */
	BITSEC_PAD_ZERO,
	BITSEC_PAD_RANDOM,
	BITSEC_PAD_SEQ,
};

/* Largest anti-replay window, in packets. */
#define BITSEC_REPLAY_MAX	65536
/* Seconds between two BITSEC_CMD_ACQUIRE events of one policy. */
#define BITSEC_ACQUIRE_SECS	1
/* Largest TFC padding target (BITSEC_A_SA_TFCPAD): an IPv4 length. */
#define BITSEC_TFCPAD_MAX	65535
/* NAT keepalive interval (BITSEC_A_ENCAP_KEEPALIVE), seconds. */
#define BITSEC_NATT_KEEPALIVE_DEFAULT	20
#define BITSEC_NATT_KEEPALIVE_MAX	3600
/* Longest key, in bytes (hmac-sha2-512). */
#define BITSEC_KEY_MAX		64

enum bitsec_sa_attr {
	BITSEC_A_SA_UNSPEC,
	BITSEC_A_SA_PAD,
	BITSEC_A_SA_FAMILY,	/* u16: AF_INET or AF_INET6 */
	BITSEC_A_SA_SRC,	/* binary: 4 or 16 bytes, network order */
	BITSEC_A_SA_DST,	/* binary: 4 or 16 bytes, network order */
	BITSEC_A_SA_PROTO,	/* u8: IPPROTO_ESP or IPPROTO_AH */
	BITSEC_A_SA_SPI,	/* u32, host order; 256 and up */
	BITSEC_A_SA_SPI_MAX,	/* u32: SA_GETSPI's upper bound */
	BITSEC_A_SA_MODE,	/* u8: enum bitsec_mode */
	BITSEC_A_SA_REQID,	/* u32 */
	BITSEC_A_SA_REPLAY,	/* u32: window in packets, 0 = off */
	BITSEC_A_SA_FLAGS,	/* u32: BITSEC_SA_F_* */
	BITSEC_A_SA_PAD_TYPE,	/* u8: enum bitsec_pad */
	BITSEC_A_SA_ENC,	/* nest of enum bitsec_key_attr: cipher */
	BITSEC_A_SA_AUTH,	/* nest of enum bitsec_key_attr: integrity */
	BITSEC_A_SA_AEAD,	/* nest of enum bitsec_key_attr: AEAD */
	BITSEC_A_SA_LIFE_SOFT,	/* nest of enum bitsec_life_attr */
	BITSEC_A_SA_LIFE_HARD,	/* nest of enum bitsec_life_attr */
	BITSEC_A_SA_ENCAP,	/* nest of enum bitsec_encap_attr: NAT-T */
	/* Replies only: */
	BITSEC_A_SA_STATE,	/* u8: enum bitsec_sa_state */
	BITSEC_A_SA_ID,		/* u32: the SA's index in this namespace */
	BITSEC_A_SA_CUR,	/* nest of enum bitsec_life_attr: used so far */
	BITSEC_A_SA_ADD_TIME,	/* u64: when added, seconds since the epoch */
	BITSEC_A_SA_USE_TIME,	/* u64: first use, seconds since the epoch, or 0 */
	BITSEC_A_SA_SEQ,	/* u64: last outbound sequence number */
	BITSEC_A_SA_DROPS,	/* nest: u64 per enum bitsec_stat, the SA's own
				 * drops (only reasons that are not zero)
				 */
	/* Requests and replies again: */
	BITSEC_A_SA_TFCPAD,	/* u32: ESP tunnel mode only: pad inner packets
				 * to this many bytes (RFC 4303 2.7), as far as
				 * the route's MTU allows; 0 = off
				 */
	BITSEC_A_SA_PMTU,	/* u32, replies only: the path MTU to the peer
				 * the SA learned from ICMP, 0 if none (or it
				 * expired)
				 */
	BITSEC_A_SA_OVERHEAD,	/* u32, replies only: bytes the SA adds to a
				 * packet at its current path MTU (learned,
				 * else the route's to the peer)
				 */
	BITSEC_A_SA_INNER_MTU,	/* u32, replies only: the largest inner
				 * packet that fits that path MTU
				 */

	__BITSEC_A_SA_MAX,
};
#define BITSEC_A_SA_MAX (__BITSEC_A_SA_MAX - 1)

enum bitsec_key_attr {
	BITSEC_A_KEY_UNSPEC,
	BITSEC_A_KEY_ALG,	/* string: algorithm name as in GET_INFO */
	BITSEC_A_KEY_DATA,	/* binary: the key, salt included */

	__BITSEC_A_KEY_MAX,
};
#define BITSEC_A_KEY_MAX (__BITSEC_A_KEY_MAX - 1)

enum bitsec_life_attr {
	BITSEC_A_LIFE_UNSPEC,
	BITSEC_A_LIFE_PAD,
	BITSEC_A_LIFE_BYTES,	/* u64; 0 = no limit */
	BITSEC_A_LIFE_PACKETS,	/* u64 */
	BITSEC_A_LIFE_ADD_SECS,	/* u64: seconds after the SA was added */
	BITSEC_A_LIFE_USE_SECS,	/* u64: seconds after its first use */

	__BITSEC_A_LIFE_MAX,
};
#define BITSEC_A_LIFE_MAX (__BITSEC_A_LIFE_MAX - 1)

enum bitsec_encap_attr {
	BITSEC_A_ENCAP_UNSPEC,
	BITSEC_A_ENCAP_SPORT,	/* u16, host order */
	BITSEC_A_ENCAP_DPORT,	/* u16, host order */
	BITSEC_A_ENCAP_KEEPALIVE, /* u32: seconds of silence after which an
				   * outbound SA sends a NAT keepalive; 0 =
				   * never; default BITSEC_NATT_KEEPALIVE_DEFAULT
				   */
	BITSEC_A_ENCAP_PEER,	/* binary, replies only: the address the
				 * peer floated to, if not the SA's own
				 */

	__BITSEC_A_ENCAP_MAX,
};
#define BITSEC_A_ENCAP_MAX (__BITSEC_A_ENCAP_MAX - 1)

/* A NAT-T endpoint, in BITSEC_A_MAPPING_OLD and _NEW. */
enum bitsec_endpoint_attr {
	BITSEC_A_EP_UNSPEC,
	BITSEC_A_EP_ADDR,	/* binary: 4 bytes, network order */
	BITSEC_A_EP_PORT,	/* u16, host order */

	__BITSEC_A_EP_MAX,
};
#define BITSEC_A_EP_MAX (__BITSEC_A_EP_MAX - 1)

/* Policy directions (BITSEC_A_SP_DIR). */
enum bitsec_dir {
	BITSEC_DIR_IN,
	BITSEC_DIR_OUT,
	BITSEC_DIR_FWD,
};

/* Policy actions (BITSEC_A_SP_ACTION). */
enum bitsec_action {
	BITSEC_ACT_DISCARD,
	BITSEC_ACT_NONE,	/* bypass: send and accept in the clear */
	BITSEC_ACT_IPSEC,
};

/* Template levels (BITSEC_A_TMPL_LEVEL), setkey's. */
enum bitsec_level {
	BITSEC_LEVEL_DEFAULT,
	BITSEC_LEVEL_USE,
	BITSEC_LEVEL_REQUIRE,
	BITSEC_LEVEL_UNIQUE,
};

/*
 * Policy priorities as setkey names them: "prio def" (also what a request
 * without BITSEC_A_SP_PRIORITY gets), "high" and "low".  Lower is first.
 */
#define BITSEC_PRIO_HIGH	0x40000000U
#define BITSEC_PRIO_DEFAULT	0x80000000U
#define BITSEC_PRIO_LOW		0xc0000000U

/* Templates per policy, and the upper-layer protocol meaning "any". */
#define BITSEC_TMPL_MAX		4
#define BITSEC_ULPROTO_ANY	255

enum bitsec_sp_attr {
	BITSEC_A_SP_UNSPEC,
	BITSEC_A_SP_PAD,
	BITSEC_A_SP_FAMILY,	/* u16: AF_INET or AF_INET6 */
	BITSEC_A_SP_DIR,	/* u8: enum bitsec_dir */
	BITSEC_A_SP_SRC,	/* binary: 4 or 16 bytes */
	BITSEC_A_SP_SRC_PLEN,	/* u8: prefix length; full if absent */
	BITSEC_A_SP_DST,	/* binary: 4 or 16 bytes */
	BITSEC_A_SP_DST_PLEN,	/* u8 */
	BITSEC_A_SP_ULPROTO,	/* u8: protocol number, 255 = any */
	BITSEC_A_SP_SPORT,	/* u16, host order; absent = any */
	BITSEC_A_SP_DPORT,	/* u16, host order; absent = any */
	BITSEC_A_SP_ICMP_TYPE,	/* u8; absent = any (ICMP/ICMPv6 only) */
	BITSEC_A_SP_ICMP_CODE,	/* u8; absent = any */
	BITSEC_A_SP_PRIORITY,	/* u32: lower is checked first; default
				 * BITSEC_PRIO_DEFAULT
				 */
	BITSEC_A_SP_ACTION,	/* u8: enum bitsec_action */
	BITSEC_A_SP_TMPLS,	/* nest of BITSEC_A_TMPL, innermost first */
	BITSEC_A_SP_INDEX,	/* u32: the policy's index (reply; GET/DEL key) */
	BITSEC_A_SP_ADD_TIME,	/* u64: reply only, seconds since the epoch */
	BITSEC_A_SP_USE_TIME,	/* u64: reply only, 0 if never used */

	__BITSEC_A_SP_MAX,
};
#define BITSEC_A_SP_MAX (__BITSEC_A_SP_MAX - 1)

enum bitsec_tmpls_attr {
	BITSEC_A_TMPLS_UNSPEC,
	BITSEC_A_TMPL,		/* nest of enum bitsec_tmpl_attr */

	__BITSEC_A_TMPLS_MAX,
};
#define BITSEC_A_TMPLS_MAX (__BITSEC_A_TMPLS_MAX - 1)

enum bitsec_tmpl_attr {
	BITSEC_A_TMPL_UNSPEC,
	BITSEC_A_TMPL_PROTO,	/* u8: IPPROTO_ESP or IPPROTO_AH */
	BITSEC_A_TMPL_MODE,	/* u8: BITSEC_MODE_TRANSPORT or _TUNNEL */
	BITSEC_A_TMPL_FAMILY,	/* u16: of the tunnel endpoints */
	BITSEC_A_TMPL_SRC,	/* binary: tunnel source (tunnel mode) */
	BITSEC_A_TMPL_DST,	/* binary: tunnel destination */
	BITSEC_A_TMPL_LEVEL,	/* u8: enum bitsec_level */
	BITSEC_A_TMPL_REQID,	/* u32: 0 = any SA (unique: the SA's reqid) */

	__BITSEC_A_TMPL_MAX,
};
#define BITSEC_A_TMPL_MAX (__BITSEC_A_TMPL_MAX - 1)

/*
 * Per-namespace counters, the attribute types inside BITSEC_A_STATS (each
 * a u64) and the lines of /proc/net/bitsec_stat.  Every dropped packet is
 * counted under exactly one reason.  Numbers are only ever appended; a
 * client shows types it does not know by number.
 */
enum bitsec_stat {
	BITSEC_STAT_UNSPEC,
	BITSEC_STAT_PAD,
	/* Inbound ESP/AH addressed to this host. */
	BITSEC_STAT_IN_PACKETS,		/* accepted and stripped */
	BITSEC_STAT_IN_BYTES,		/* of those, as they arrived */
	BITSEC_STAT_IN_MALFORMED,	/* truncated or inconsistent headers */
	BITSEC_STAT_IN_NO_SA,		/* no SA has that (dst, SPI, proto) */
	BITSEC_STAT_IN_SA_STATE,	/* the SA is larval or expired */
	BITSEC_STAT_IN_REPLAY,		/* sequence number already seen */
	BITSEC_STAT_IN_TOO_OLD,		/* left of the anti-replay window */
	BITSEC_STAT_IN_AUTH,		/* integrity check (ICV) failed */
	BITSEC_STAT_IN_PADDING,		/* ESP padding or pad length wrong */
	BITSEC_STAT_IN_DUMMY,		/* next header 59: TFC dummy packet */
	BITSEC_STAT_IN_INNER,		/* inner packet unfit for the SA's mode */
	BITSEC_STAT_IN_SELECTOR,	/* inner addresses outside the SA's policy */
	BITSEC_STAT_IN_CRYPTO,		/* the crypto API failed otherwise */
	BITSEC_STAT_IN_NOMEM,		/* out of memory */
	/* Inbound policy, for every packet delivered or forwarded. */
	BITSEC_STAT_IN_POLICY_BLOCK,	/* an in or fwd policy says discard */
	BITSEC_STAT_IN_UNPROTECTED,	/* policy wants IPsec the packet lacked */
	/* Outbound. */
	BITSEC_STAT_OUT_PACKETS,	/* protected and sent on */
	BITSEC_STAT_OUT_BYTES,		/* of those, before protection */
	BITSEC_STAT_OUT_POLICY_BLOCK,	/* an out policy says discard */
	BITSEC_STAT_OUT_NO_SA,		/* a required template has no SA */
	BITSEC_STAT_OUT_SA_STATE,	/* the SA expired */
	BITSEC_STAT_OUT_SEQ_OVERFLOW,	/* sequence numbers exhausted */
	BITSEC_STAT_OUT_NO_ROUTE,	/* no route to the tunnel endpoint */
	BITSEC_STAT_OUT_MALFORMED,	/* could not segment or checksum */
	BITSEC_STAT_OUT_CRYPTO,		/* the crypto API failed */
	BITSEC_STAT_OUT_NOMEM,		/* out of memory */
	BITSEC_STAT_IN_NATT_KEEPALIVE,	/* NAT-T keepalives consumed (not drops) */
	BITSEC_STAT_IN_PMTU,		/* ICMPs that lowered an SA's path MTU */
	BITSEC_STAT_OUT_TOO_BIG,	/* DF packets too big for their SAs:
					 * dropped, ICMP "fragmentation needed"
					 * with the inner MTU sent back
					 */
	BITSEC_STAT_OUT_NATT_KEEPALIVE,	/* NAT-T keepalives sent (not drops) */
	BITSEC_STAT_IN_NATT_MAPPING,	/* port floating: a peer's NAT-T
					 * endpoint moved (not drops)
					 */
	BITSEC_STAT_IN_NO_POLICY,	/* out of a tunnel, but no in/fwd
					 * policy names it
					 */
	BITSEC_STAT_OUT_PARALLEL,	/* ESP packets sent through parallel
					 * crypto (not drops)
					 */
	BITSEC_STAT_IN_PARALLEL,	/* ESP packets received through
					 * parallel crypto (not drops)
					 */
	BITSEC_STAT_OUT_COPIED,		/* packets whose payload had to be
					 * copied to make room or make it
					 * writable (not drops)
					 */
	BITSEC_STAT_IN_COPIED,		/* received packets whose payload was
					 * copied to make it writable (not
					 * drops)
					 */
	BITSEC_STAT_REQ_ALLOC,		/* crypto requests allocated because
					 * the per-CPU cache was empty or the
					 * request too large (not drops)
					 */
	BITSEC_STAT_OUT_GSO,		/* GSO super-packets segmented for
					 * protection (not drops)
					 */
	BITSEC_STAT_OUT_GSO_SEGS,	/* the segments they made (not
					 * drops)
					 */
	BITSEC_STAT_PAR_OVERTAKE,	/* small packets of a busy SA sent or
					 * received inline, ahead of its
					 * parallel queue (not drops)
					 */
	BITSEC_STAT_IN_GRO,		/* packets bitsec's GRO delivered
					 * (not drops)
					 */
	BITSEC_STAT_IN_GRO_SEGS,	/* unwrapped packets they held (not
					 * drops)
					 */
	BITSEC_STAT_IN_GRO_DROP,	/* unwrapped packets dropped: the
					 * CPU's GRO queue was full
					 */

	__BITSEC_STAT_MAX,
};
#define BITSEC_STAT_MAX (__BITSEC_STAT_MAX - 1)

#endif /* _UAPI_LINUX_BITSEC_H */
