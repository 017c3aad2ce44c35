// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: applying parsed statements to the module.
 *
 * Runs of consecutive "add" and "spdadd" statements travel in batches (many requests per
 * sendmsg, acks matched by sequence number), which is what makes loading
 * 100,000 SAs fast.  Everything else goes one request at a time.  On the
 * first refusal, bitskey stops: adds that the kernel accepted after the
 * refused one in the same batch are deleted again, so nothing after a bad
 * statement stays applied, and the report says how far it got.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netlink/genl/genl.h>

#include "apply.h"
#include "req.h"
#include "sadump.h"
#include "spdump.h"

/*
 * Requests per sendmsg.  Each ack costs about a kilobyte of the socket's
 * receive buffer (bk_nl_open makes it 1 MiB), so 64 leave ample room.
 */
#define BATCH_MAX 64

struct print_ctx {
	const struct bk_opts *opts;
	FILE *out;
	unsigned int n;
};

static int print_sa(struct nlmsghdr *nlh, void *arg, char *err, size_t errlen)
{
	struct print_ctx *p = arg;
	struct bk_sa_info s;

	if (bk_sa_parse(nlh, &s, err, errlen))
		return -1;
	if (p->opts->json)
		fprintf(p->out, "%s", p->n ? ",\n" : "");
	if (p->opts->json)
		bk_sa_print_json(p->out, &s, p->opts->keys);
	else if (p->opts->script)
		bk_sa_print_stmt(p->out, &s);
	else
		bk_sa_print(p->out, &s, p->n, p->opts->keys, time(NULL));
	p->n++;
	return 0;
}

static int print_sp(struct nlmsghdr *nlh, void *arg, char *err, size_t errlen)
{
	struct print_ctx *p = arg;
	struct bk_sp_info s;

	if (bk_sp_parse(nlh, &s, err, errlen))
		return -1;
	if (p->opts->json) {
		fprintf(p->out, "%s", p->n ? ",\n" : "");
		bk_sp_print_json(p->out, &s);
	} else if (p->opts->script) {
		bk_sp_print_stmt(p->out, &s);
	} else {
		bk_sp_print(p->out, &s);
	}
	p->n++;
	return 0;
}

static bool batched(enum bk_stmt_kind k)
{
	return k == BK_ST_ADD || k == BK_ST_SPDADD;
}

static bool prints(enum bk_stmt_kind k)
{
	return k == BK_ST_DUMP || k == BK_ST_GET || k == BK_ST_GETSPI || k == BK_ST_SPDDUMP;
}

static const char *kind_name(enum bk_stmt_kind k)
{
	static const char *const names[] = {
		[BK_ST_ADD] = "add", [BK_ST_UPDATE] = "update", [BK_ST_GET] = "get",
		[BK_ST_DELETE] = "delete", [BK_ST_DELETEALL] = "deleteall",
		[BK_ST_FLUSH] = "flush", [BK_ST_DUMP] = "dump", [BK_ST_GETSPI] = "getspi",
		[BK_ST_SPDADD] = "spdadd", [BK_ST_SPDUPDATE] = "spdupdate",
		[BK_ST_SPDDELETE] = "spddelete", [BK_ST_SPDFLUSH] = "spdflush",
		[BK_ST_SPDDUMP] = "spddump",
	};

	return (unsigned int)k < sizeof(names) / sizeof(names[0]) && names[k] ? names[k] : "?";
}

static void report(struct bk_apply *ap, const struct bk_stmt *st, const char *what)
{
	fprintf(stderr, "bitskey: %s:%u: %s refused: %s\n", ap->name, st->line,
		kind_name(st->kind), what);
}

static struct nl_msg *build(struct bk_apply *ap, const struct bk_stmt *st)
{
	struct nl_msg *m = nlmsg_alloc();
	int rc;

	if (!m)
		return NULL;
	rc = bk_req_build(m, bk_nl_family_id(ap->nl), st, ap->opts->keys);
	if (rc) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* Undo accepted adds (a batch's tail after a refusal). */
static void undo_adds(struct bk_apply *ap, const struct bk_stmt *const *sts, unsigned int n)
{
	char err[BK_ERR_MAX];
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct bk_stmt del = *sts[i];
		struct nl_msg *m;

		del.kind = del.kind == BK_ST_SPDADD ? BK_ST_SPDDELETE : BK_ST_DELETE;
		m = build(ap, &del);
		if (!m || bk_nl_send(ap->nl, m, NULL, NULL, err, sizeof(err)))
			fprintf(stderr, "bitskey: %s:%u: could not undo this add: %s\n",
				ap->name, sts[i]->line, m ? err : "out of memory");
		nlmsg_free(m);
	}
}

static int flush_batch(struct bk_apply *ap)
{
	const struct bk_stmt *undo[BATCH_MAX];
	struct nl_msg *msgs[BATCH_MAX];
	int results[BATCH_MAX];
	char (*errs)[BK_ERR_MAX];
	unsigned int i, n = ap->n_batch, n_undo = 0;
	int failed = -1, rc = 0;

	if (!n)
		return 0;
	errs = calloc(n, BK_ERR_MAX);
	if (!errs)
		return -1;
	for (i = 0; i < n; i++) {
		msgs[i] = build(ap, ap->batch[i]);
		if (!msgs[i]) {
			while (i--)
				nlmsg_free(msgs[i]);
			free(errs);
			fprintf(stderr, "bitskey: out of memory building requests\n");
			return -1;
		}
	}
	if (bk_nl_batch(ap->nl, msgs, n, results, errs)) {
		fprintf(stderr, "bitskey: talking to the module failed: %s\n", strerror(errno));
		rc = -1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (results[i] && failed < 0)
			failed = i;
		else if (!results[i] && failed >= 0)
			undo[n_undo++] = ap->batch[i];
		else if (!results[i])
			ap->applied++;
	}
	if (failed >= 0) {
		report(ap, ap->batch[failed], errs[failed]);
		undo_adds(ap, undo, n_undo);
		rc = -1;
	} else if (ap->opts->verbose) {
		for (i = 0; i < n; i++)
			fprintf(stderr, "bitskey: %s:%u: %s done\n", ap->name, ap->batch[i]->line,
				kind_name(ap->batch[i]->kind));
	}
out:
	for (i = 0; i < n; i++)
		nlmsg_free(msgs[i]);
	free(errs);
	ap->n_batch = 0;
	return rc;
}

static int apply_one(struct bk_apply *ap, const struct bk_stmt *st)
{
	struct print_ctx p = { ap->opts, stdout, 0 };
	char err[BK_ERR_MAX];
	struct nl_msg *m;
	int rc;

	m = build(ap, st);
	if (!m) {
		report(ap, st, "cannot build the request");
		return -1;
	}
	if (ap->opts->json && prints(st->kind))
		fputs("[", stdout);
	rc = bk_nl_send(ap->nl, m, st->kind == BK_ST_SPDDUMP ? print_sp : print_sa, &p, err,
			sizeof(err));
	nlmsg_free(m);
	if (ap->opts->json && prints(st->kind))
		fputs("]\n", stdout);
	else if (st->kind == BK_ST_DUMP && !p.n && !rc && !ap->opts->script)
		puts("No SAD entries.");
	else if (st->kind == BK_ST_SPDDUMP && !p.n && !rc && !ap->opts->script)
		puts("No SPD entries.");
	if (rc) {
		report(ap, st, err);
		return -1;
	}
	ap->applied++;
	if (ap->opts->verbose)
		fprintf(stderr, "bitskey: %s:%u: %s done\n", ap->name, st->line, kind_name(st->kind));
	return 0;
}

/* The parser's callback: called once per statement, in order. */
int bk_apply_stmt(const struct bk_stmt *st, void *arg)
{
	struct bk_apply *ap = arg;
	struct bk_stmt *copy;

	ap->total++;
	if (ap->opts->parse_only)
		return 0;
	if (batched(st->kind)) {
		copy = malloc(sizeof(*copy));
		if (!copy)
			return -1;
		*copy = *st;
		ap->batch[ap->n_batch++] = copy;
		if (ap->n_batch < BATCH_MAX)
			return 0;
		return bk_apply_finish(ap);
	}
	if (bk_apply_finish(ap))
		return -1;
	return apply_one(ap, st);
}

/* Send what is still batched; frees the copies. */
int bk_apply_finish(struct bk_apply *ap)
{
	unsigned int i, n = ap->n_batch;
	int rc = flush_batch(ap);

	for (i = 0; i < n; i++)
		free(ap->batch[i]);
	return rc;
}

int bk_apply_init(struct bk_apply *ap, const char *name, struct bk_nl *nl,
		  const struct bk_opts *opts)
{
	memset(ap, 0, sizeof(*ap));
	ap->name = name;
	ap->nl = nl;
	ap->opts = opts;
	ap->batch = calloc(BATCH_MAX, sizeof(*ap->batch));
	return ap->batch ? 0 : -1;
}

void bk_apply_done(struct bk_apply *ap)
{
	free(ap->batch);
}
