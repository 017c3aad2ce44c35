/* SPDX-License-Identifier: GPL-2.0 */
/* bitskey: shared declarations of the tool's parts. */
#ifndef BITSKEY_H
#define BITSKEY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <netlink/msg.h>

#include "uapi/linux/bitsec.h"

#define BK_ALGS_MAX	64
#define BK_ERR_MAX	256

/* Exit statuses: 0 ok, 1 the kernel or the system refused, 2 bad usage. */
enum { BK_EXIT_OK = 0, BK_EXIT_FAIL = 1, BK_EXIT_USAGE = 2 };

struct bk_alg {
	char name[BITSEC_NAME_MAX];
	char crypto[BITSEC_NAME_MAX];
	char driver[BITSEC_NAME_MAX];	/* empty when unavailable */
	uint8_t kind;			/* enum bitsec_alg_kind */
	uint16_t key_min, key_max, key_step;
	uint16_t icv_bits;
	bool available;
};

struct bk_info {
	char version[BITSEC_NAME_MAX];
	unsigned int genl_version;	/* filled by the caller, from the controller */
	uint64_t netns_cookie;
	unsigned int n_algs;
	struct bk_alg algs[BK_ALGS_MAX];
};

/* GET_STATS: counters by enum bitsec_stat, room for a newer module's. */
#define BK_STATS_MAX	256

struct bk_stats {
	uint32_t sa_count, sp_count;
	bool have[BK_STATS_MAX];
	uint64_t v[BK_STATS_MAX];
};

/* Format a message into @err and return -1: the parsers' way to refuse. */
int bk_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* info.c: the GET_INFO reply. */
int bk_info_parse(struct nlmsghdr *nlh, struct bk_info *info,
		  char *err, size_t errlen);
void bk_info_print(FILE *out, const struct bk_info *info);
void bk_info_print_json(FILE *out, const struct bk_info *info);
const char *bk_alg_kind_name(uint8_t kind);
void bk_key_bits_format(const struct bk_alg *alg, char *buf, size_t len);

/* stats.c: the GET_STATS reply. */
int bk_stats_parse(struct nlmsghdr *nlh, struct bk_stats *st, char *err, size_t errlen);
void bk_stats_print(FILE *out, const struct bk_stats *st, bool all);
void bk_stats_print_json(FILE *out, const struct bk_stats *st);
const char *bk_stat_name(unsigned int stat);

/* cli.c: the command line. */
enum bk_cmd {
	BK_CMD_NONE,
	BK_CMD_VERSION,		/* -V */
	BK_CMD_HELP,		/* -h */
	BK_CMD_FILE,		/* -f FILE */
	BK_CMD_STDIN,		/* -c */
	BK_CMD_DUMP,		/* -D, -DP */
	BK_CMD_FLUSH,		/* -F, -FP */
	BK_CMD_WATCH,		/* -x */
	BK_CMD_STATS,		/* -s */
};

struct bk_opts {
	enum bk_cmd cmd;
	const char *file;	/* -f */
	bool policy;		/* -P: the SPD rather than the SAD */
	bool all;		/* -a */
	bool parse_only;	/* -n */
	bool verbose;		/* -v */
	bool json;		/* -j */
	bool keys;		/* --keys */
	bool script;		/* --script: dump as statements -f can load */
};

int bk_parse_args(int argc, char **argv, struct bk_opts *opts,
		  char *err, size_t errlen);
void bk_usage(FILE *out);

/* nl.c: talking to the module. */
struct bk_nl;
struct bk_nl *bk_nl_open(char *err, size_t errlen);
void bk_nl_close(struct bk_nl *nl);
unsigned int bk_nl_family_version(const struct bk_nl *nl);
int bk_nl_get_info(struct bk_nl *nl, struct bk_info *info,
		   char *err, size_t errlen);
int bk_nl_get_stats(struct bk_nl *nl, struct bk_stats *st, char *err, size_t errlen);
int bk_nl_family_id(const struct bk_nl *nl);
int bk_nl_send(struct bk_nl *nl, struct nl_msg *msg,
	       int (*parse)(struct nlmsghdr *, void *, char *, size_t),
	       void *arg, char *err, size_t errlen);
int bk_nl_batch(struct bk_nl *nl, struct nl_msg **msgs, unsigned int n, int *results,
		char (*errs)[BK_ERR_MAX]);
int bk_nl_watch(struct bk_nl *nl, int (*cb)(struct nlmsghdr *, void *), void *arg,
		char *err, size_t errlen);

#endif
