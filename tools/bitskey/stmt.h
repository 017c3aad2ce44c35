/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bitskey: a parsed setkey statement.  The parser (parse.c) fills these
 * from text; the netlink side turns them into requests.  Plain data, no
 * pointers, so a statement can be copied and compared.
 */
#ifndef BITSKEY_STMT_H
#define BITSKEY_STMT_H

#include <stdbool.h>
#include <stdint.h>

#include "uapi/linux/bitsec.h"

#define BK_KEY_MAX	64	/* bytes: 512 bits, hmac-sha2-512 */
#define BK_TMPL_MAX	4	/* templates per policy */

enum bk_stmt_kind {
	BK_ST_ADD,
	BK_ST_UPDATE,
	BK_ST_GET,
	BK_ST_DELETE,
	BK_ST_DELETEALL,
	BK_ST_FLUSH,
	BK_ST_DUMP,
	BK_ST_GETSPI,
	BK_ST_SPDADD,
	BK_ST_SPDUPDATE,
	BK_ST_SPDDELETE,
	BK_ST_SPDFLUSH,
	BK_ST_SPDDUMP,
};

/* An address, or an address range in a policy selector. */
struct bk_addr {
	uint8_t family;		/* AF_INET, AF_INET6; 0 for the keyword "any" */
	uint8_t plen;		/* prefix length; full length if none given */
	bool has_plen;
	bool has_port;		/* "[port]" given; "[any]" leaves it false */
	uint16_t port;		/* host order */
	uint8_t addr[16];	/* network order; IPv4 in the first 4 bytes */
};

enum bk_mode { BK_MODE_ANY, BK_MODE_TRANSPORT, BK_MODE_TUNNEL };
enum bk_pad { BK_PAD_DEFAULT, BK_PAD_ZERO, BK_PAD_RANDOM, BK_PAD_SEQ };

struct bk_key {
	bool present;
	uint8_t kind;		/* enum bitsec_alg_kind, from the table */
	char alg[BITSEC_NAME_MAX];
	uint16_t len;		/* bytes */
	uint8_t key[BK_KEY_MAX];
};

struct bk_lifetime {
	uint64_t bytes;		/* 0: no limit */
	uint64_t packets;
	uint64_t add_secs;	/* seconds after the SA was added */
	uint64_t use_secs;	/* seconds after its first use */
};

struct bk_sa {
	struct bk_addr src, dst;	/* hosts: no plen; ports only for esp-udp */
	uint8_t proto;			/* IPPROTO_ESP or IPPROTO_AH */
	bool udp_encap;			/* esp-udp, or -natt */
	uint16_t encap_sport, encap_dport;	/* host order; default 4500 */
	bool has_keepalive;
	uint32_t keepalive;		/* -natt-keepalive: seconds, 0 = off */
	uint32_t spi;
	uint32_t spi_max;		/* getspi: spi..spi_max */
	uint8_t mode;			/* enum bk_mode; default any */
	bool has_reqid;
	uint32_t reqid;
	bool has_replay;
	uint32_t replay;		/* window in packets */
	bool esn;
	uint32_t tfcpad;		/* -tfcpad: ESP tunnel, 0 = off */
	uint8_t pad;			/* enum bk_pad */
	struct bk_lifetime soft, hard;
	struct bk_key enc;		/* -E: cipher, or an AEAD (kind AEAD) */
	struct bk_key auth;		/* -A */
};

enum bk_dir { BK_DIR_IN, BK_DIR_OUT, BK_DIR_FWD };
enum bk_action { BK_ACT_DISCARD, BK_ACT_NONE, BK_ACT_IPSEC };
enum bk_level { BK_LEVEL_DEFAULT, BK_LEVEL_USE, BK_LEVEL_REQUIRE, BK_LEVEL_UNIQUE };

struct bk_tmpl {
	uint8_t proto;		/* IPPROTO_ESP or IPPROTO_AH */
	uint8_t mode;		/* transport or tunnel */
	bool has_endpoints;	/* "src-dst" given (required for tunnel) */
	struct bk_addr src, dst;
	uint8_t level;		/* enum bk_level */
	uint32_t reqid;		/* unique:N; 0 if not given */
};

#define BK_ULPROTO_ANY	255

struct bk_sp {
	struct bk_addr src, dst;	/* ranges: plen and [port] allowed */
	uint8_t ulproto;		/* protocol number; BK_ULPROTO_ANY */
	bool has_icmp;			/* "icmp type[,code]" */
	uint8_t icmp_type;
	bool has_icmp_code;
	uint8_t icmp_code;
	uint8_t dir;			/* enum bk_dir */
	bool has_prio;
	uint32_t prio;			/* absolute: lower is checked first;
					 * setkey's def/low/high and offsets
					 * resolved as ipsec-tools does */
	uint8_t action;			/* enum bk_action */
	unsigned int n_tmpls;
	struct bk_tmpl tmpls[BK_TMPL_MAX];	/* innermost first */
};

struct bk_stmt {
	enum bk_stmt_kind kind;
	unsigned int line, col;		/* where the statement starts */
	uint8_t proto;			/* flush/dump/deleteall filter; 0 = all */
	struct bk_sa sa;		/* SA statements */
	struct bk_sp sp;		/* SPD statements */
};

#endif
