// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: manage bitsec's security associations and policies with the
 * setkey grammar, over generic netlink.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "apply.h"
#include "bitskey.h"
#include "parse.h"
#include "sadump.h"
#include "spdump.h"

static struct bk_nl *open_nl(void)
{
	char err[BK_ERR_MAX];
	struct bk_nl *nl = bk_nl_open(err, sizeof(err));

	if (!nl)
		fprintf(stderr, "bitskey: %s\n", err);
	else if (bk_nl_family_version(nl) != BITSEC_GENL_VERSION)
		fprintf(stderr,
			"bitskey: warning: the module speaks ABI version %u, this bitskey version %u\n",
			bk_nl_family_version(nl), BITSEC_GENL_VERSION);
	return nl;
}

static int do_version(const struct bk_opts *opts)
{
	struct bk_info *info;
	char err[BK_ERR_MAX];
	struct bk_nl *nl;
	int rc = BK_EXIT_FAIL;

	info = calloc(1, sizeof(*info));
	if (!info) {
		fprintf(stderr, "bitskey: out of memory\n");
		return BK_EXIT_FAIL;
	}
	nl = bk_nl_open(err, sizeof(err));
	if (!nl) {
		/* Still say who we are: the tool's version needs no module. */
		printf("bitskey %s\n", BITSKEY_VERSION);
		fprintf(stderr, "bitskey: %s\n", err);
		goto out;
	}
	if (bk_nl_get_info(nl, info, err, sizeof(err))) {
		fprintf(stderr, "bitskey: GET_INFO failed: %s\n", err);
		goto out;
	}
	if (opts->json)
		bk_info_print_json(stdout, info);
	else
		bk_info_print(stdout, info);
	rc = BK_EXIT_OK;
out:
	bk_nl_close(nl);
	free(info);
	return rc;
}

/* The whole input: statements are parsed in full before any is applied. */
static char *slurp(const char *file, size_t *len)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	size_t cap = 65536, n = 0, r;
	char *buf, *nbuf;

	if (!f) {
		fprintf(stderr, "bitskey: cannot open %s: %s\n", file, strerror(errno));
		return NULL;
	}
	buf = malloc(cap);
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			nbuf = realloc(buf, cap *= 2);
			if (!nbuf)
				free(buf);
			buf = nbuf;
		}
	}
	if (!buf)
		fprintf(stderr, "bitskey: out of memory reading %s\n", file);
	else if (ferror(f)) {
		fprintf(stderr, "bitskey: cannot read %s: %s\n", file, strerror(errno));
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

static int do_statements(const struct bk_opts *opts, const char *file)
{
	const char *name = strcmp(file, "-") ? file : "-";
	struct bk_nl *nl = NULL;
	char err[BK_ERR_MAX];
	struct bk_apply ap;
	size_t len;
	char *buf;
	int rc;

	buf = slurp(file, &len);
	if (!buf)
		return BK_EXIT_FAIL;
	if (!opts->parse_only) {
		nl = open_nl();
		if (!nl) {
			free(buf);
			return BK_EXIT_FAIL;
		}
	}
	if (bk_apply_init(&ap, name, nl, opts)) {
		fprintf(stderr, "bitskey: out of memory\n");
		rc = BK_EXIT_FAIL;
		goto out;
	}
	rc = bk_parse(name, buf, len, bk_apply_stmt, &ap, err, sizeof(err));
	if (rc == -1 && err[0]) {
		fprintf(stderr, "bitskey: %s\n", err);
		fprintf(stderr, "bitskey: nothing applied: fix the statement and run again\n");
		rc = BK_EXIT_USAGE;
	} else if (!rc && bk_apply_finish(&ap)) {
		rc = -2;
	}
	if (rc && rc != BK_EXIT_USAGE) {
		fprintf(stderr, "bitskey: applied %u of %u statements; nothing after the refused one\n",
			ap.applied, ap.total);
		rc = BK_EXIT_FAIL;
	}
	bk_apply_done(&ap);
out:
	bk_nl_close(nl);
	free(buf);
	return rc;
}

/* -D, -DP, -F and -FP are one statement each. */
static int do_one(const struct bk_opts *opts, enum bk_stmt_kind kind)
{
	struct bk_stmt st = { .kind = kind, .line = 0 };
	struct bk_apply ap;
	struct bk_nl *nl;
	int rc;

	if (opts->policy)
		st.kind = kind == BK_ST_DUMP ? BK_ST_SPDDUMP : BK_ST_SPDFLUSH;
	nl = open_nl();
	if (!nl)
		return BK_EXIT_FAIL;
	if (bk_apply_init(&ap, "command line", nl, opts)) {
		bk_nl_close(nl);
		return BK_EXIT_FAIL;
	}
	rc = bk_apply_stmt(&st, &ap) ? BK_EXIT_FAIL : BK_EXIT_OK;
	bk_apply_done(&ap);
	bk_nl_close(nl);
	return rc;
}

/*
 * An acquire: the SA a key manager should negotiate ("acquire esp/transport
 * 10.0.0.1-10.0.0.2 reqid 0"), then the policy that wanted it.
 */
static void print_acquire(struct nlmsghdr *nlh, const struct bk_opts *opts)
{
	static const char *const modes[] = { "any", "transport", "tunnel" };
	struct nlattr *tb[BITSEC_A_MAX + 1], *sa[BITSEC_A_SA_MAX + 1];
	char err[BK_ERR_MAX], src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	const char *proto, *mode;
	struct bk_sp_info p;
	uint32_t reqid;
	int af, alen;

	if (bk_sp_parse(nlh, &p, err, sizeof(err))) {
		printf("acquire: unreadable event: %s\n", err);
		return;
	}
	if (genlmsg_parse(nlh, 0, tb, BITSEC_A_MAX, NULL) || !tb[BITSEC_A_SA] ||
	    nla_parse_nested(sa, BITSEC_A_SA_MAX, tb[BITSEC_A_SA], NULL) ||
	    !sa[BITSEC_A_SA_FAMILY] || !sa[BITSEC_A_SA_SRC] || !sa[BITSEC_A_SA_DST] ||
	    !sa[BITSEC_A_SA_PROTO] || !sa[BITSEC_A_SA_MODE] || !sa[BITSEC_A_SA_REQID]) {
		printf("acquire: unreadable event: no SA description\n");
		return;
	}
	af = nla_get_u16(sa[BITSEC_A_SA_FAMILY]);
	alen = af == AF_INET6 ? 16 : 4;
	if (nla_len(sa[BITSEC_A_SA_SRC]) != alen || nla_len(sa[BITSEC_A_SA_DST]) != alen ||
	    !inet_ntop(af, nla_data(sa[BITSEC_A_SA_SRC]), src, sizeof(src)) ||
	    !inet_ntop(af, nla_data(sa[BITSEC_A_SA_DST]), dst, sizeof(dst))) {
		printf("acquire: unreadable event: bad addresses\n");
		return;
	}
	proto = nla_get_u8(sa[BITSEC_A_SA_PROTO]) == IPPROTO_AH ? "ah" : "esp";
	mode = nla_get_u8(sa[BITSEC_A_SA_MODE]) < 3 ? modes[nla_get_u8(sa[BITSEC_A_SA_MODE])] : "?";
	reqid = nla_get_u32(sa[BITSEC_A_SA_REQID]);
	if (opts->json) {
		printf("{\"event\":\"acquire\",\"want\":{\"proto\":\"%s\",\"mode\":\"%s\","
		       "\"src\":\"%s\",\"dst\":\"%s\",\"reqid\":%" PRIu32 "},\"sp\":",
		       proto, mode, src, dst, reqid);
		bk_sp_print_json(stdout, &p);
		printf("}\n");
	} else {
		printf("acquire %s/%s %s-%s reqid %" PRIu32 ":\n", proto, mode, src, dst, reqid);
		bk_sp_print(stdout, &p);
	}
}

/* A NAT-T endpoint of a mapping event as "ADDR[PORT]"; false if unreadable. */
static bool endpoint_str(struct nlattr *a, char *buf, size_t len)
{
	struct nlattr *ep[BITSEC_A_EP_MAX + 1];
	char addr[INET_ADDRSTRLEN];

	if (!a || nla_parse_nested(ep, BITSEC_A_EP_MAX, a, NULL) || !ep[BITSEC_A_EP_ADDR] ||
	    nla_len(ep[BITSEC_A_EP_ADDR]) != 4 || !ep[BITSEC_A_EP_PORT] ||
	    nla_len(ep[BITSEC_A_EP_PORT]) != 2 ||
	    !inet_ntop(AF_INET, nla_data(ep[BITSEC_A_EP_ADDR]), addr, sizeof(addr)))
		return false;
	snprintf(buf, len, "%s[%u]", addr, nla_get_u16(ep[BITSEC_A_EP_PORT]));
	return true;
}

static int print_event(struct nlmsghdr *nlh, void *arg)
{
	const struct bk_opts *opts = arg;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	static const char *const names[] = {
		[BITSEC_CMD_SA_ADD] = "add", [BITSEC_CMD_SA_UPDATE] = "update",
		[BITSEC_CMD_SA_DEL] = "delete", [BITSEC_CMD_SA_DELALL] = "deleteall",
		[BITSEC_CMD_SA_FLUSH] = "flush", [BITSEC_CMD_SA_GETSPI] = "getspi",
		[BITSEC_CMD_SP_ADD] = "spdadd", [BITSEC_CMD_SP_UPDATE] = "spdupdate",
		[BITSEC_CMD_SP_DEL] = "spddelete", [BITSEC_CMD_SP_FLUSH] = "spdflush",
		[BITSEC_CMD_SA_EXPIRE] = "expire",
	};
	const char *what = g->cmd < sizeof(names) / sizeof(names[0]) && names[g->cmd] ?
			   names[g->cmd] : "event";
	struct nlattr *tb[BITSEC_A_MAX + 1];

	/* Expiries say which limit: "expire soft" or "expire hard". */
	if (g->cmd == BITSEC_CMD_SA_EXPIRE &&
	    !genlmsg_parse(nlh, 0, tb, BITSEC_A_MAX, NULL) && tb[BITSEC_A_EXPIRE_HARD] &&
	    nla_len(tb[BITSEC_A_EXPIRE_HARD]) == 1)
		what = nla_get_u8(tb[BITSEC_A_EXPIRE_HARD]) ? "expire hard" : "expire soft";
	char err[BK_ERR_MAX], from[40], to[40], mapping[96];
	struct bk_sp_info p;
	struct bk_sa_info s;

	/* Port floating: "mapping OLD -> NEW", then the SA that moved. */
	if (g->cmd == BITSEC_CMD_SA_MAPPING) {
		if (genlmsg_parse(nlh, 0, tb, BITSEC_A_MAX, NULL) ||
		    !endpoint_str(tb[BITSEC_A_MAPPING_OLD], from, sizeof(from)) ||
		    !endpoint_str(tb[BITSEC_A_MAPPING_NEW], to, sizeof(to))) {
			printf("mapping: unreadable event: no old and new endpoint\n");
			fflush(stdout);
			return 0;
		}
		snprintf(mapping, sizeof(mapping), opts->json ?
			 "mapping\",\"from\":\"%s\",\"to\":\"%s" : "mapping %s -> %s",
			 from, to);
		what = mapping;
	}
	if (g->cmd == BITSEC_CMD_ACQUIRE) {
		print_acquire(nlh, opts);
	} else if (g->cmd == BITSEC_CMD_SP_ADD || g->cmd == BITSEC_CMD_SP_UPDATE ||
		   g->cmd == BITSEC_CMD_SP_DEL) {
		if (bk_sp_parse(nlh, &p, err, sizeof(err))) {
			printf("%s: unreadable event: %s\n", what, err);
		} else if (opts->json) {
			printf("{\"event\":\"%s\",\"sp\":", what);
			bk_sp_print_json(stdout, &p);
			printf("}\n");
		} else {
			printf("%s:\n", what);
			bk_sp_print(stdout, &p);
		}
	} else if (g->cmd == BITSEC_CMD_SA_FLUSH || g->cmd == BITSEC_CMD_SA_DELALL ||
		   g->cmd == BITSEC_CMD_SP_FLUSH) {
		if (opts->json)
			printf("{\"event\":\"%s\"}\n", what);
		else
			printf("%s\n", what);
	} else if (!bk_sa_parse(nlh, &s, err, sizeof(err))) {
		if (opts->json) {
			printf("{\"event\":\"%s\",\"sa\":", what);
			bk_sa_print_json(stdout, &s, false);
			printf("}\n");
		} else {
			printf("%s:\n", what);
			bk_sa_print(stdout, &s, 0, false, time(NULL));
		}
	} else {
		printf("%s: unreadable event: %s\n", what, err);
	}
	fflush(stdout);
	return 0;
}

static int do_watch(const struct bk_opts *opts)
{
	char err[BK_ERR_MAX];
	struct bk_nl *nl = open_nl();
	int rc;

	if (!nl)
		return BK_EXIT_FAIL;
	rc = bk_nl_watch(nl, print_event, (void *)opts, err, sizeof(err));
	if (rc)
		fprintf(stderr, "bitskey: %s\n", err);
	bk_nl_close(nl);
	return rc ? BK_EXIT_FAIL : BK_EXIT_OK;
}

static int do_stats(const struct bk_opts *opts)
{
	char err[BK_ERR_MAX];
	struct bk_stats *st = calloc(1, sizeof(*st));
	struct bk_nl *nl;
	int rc = BK_EXIT_FAIL;

	if (!st) {
		fprintf(stderr, "bitskey: out of memory\n");
		return BK_EXIT_FAIL;
	}
	nl = open_nl();
	if (!nl)
		goto out;
	if (bk_nl_get_stats(nl, st, err, sizeof(err))) {
		fprintf(stderr, "bitskey: GET_STATS failed: %s\n", err);
		goto out;
	}
	if (opts->json)
		bk_stats_print_json(stdout, st);
	else
		bk_stats_print(stdout, st, opts->verbose);
	rc = BK_EXIT_OK;
out:
	bk_nl_close(nl);
	free(st);
	return rc;
}

int main(int argc, char **argv)
{
	struct bk_opts opts;
	char err[BK_ERR_MAX];
	int rc;

	rc = bk_parse_args(argc, argv, &opts, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "bitskey: %s\n", err);
		bk_usage(stderr);
		return rc;
	}
	switch (opts.cmd) {
	case BK_CMD_HELP:
		bk_usage(stdout);
		return BK_EXIT_OK;
	case BK_CMD_VERSION:
		return do_version(&opts);
	case BK_CMD_FILE:
		return do_statements(&opts, opts.file);
	case BK_CMD_STDIN:
		return do_statements(&opts, "-");
	case BK_CMD_DUMP:
		return do_one(&opts, BK_ST_DUMP);
	case BK_CMD_FLUSH:
		return do_one(&opts, BK_ST_FLUSH);
	case BK_CMD_WATCH:
		return do_watch(&opts);
	case BK_CMD_STATS:
		return do_stats(&opts);
	default:
		return BK_EXIT_USAGE;
	}
}
