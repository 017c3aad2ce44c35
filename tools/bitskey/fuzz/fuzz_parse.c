// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for bitskey's setkey parser (make -C tools/bitskey fuzz).
 *
 * Besides what ASan and UBSan catch, it checks the parser's promises:
 * statements reach the callback only when the whole input parsed, every
 * error reads "NAME:LINE:COL: message" within the input, the second pass
 * agrees with the first, a callback's non-zero return comes back as is,
 * and what a statement holds is within the data model's bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "parse.h"

#define CHECK(c)							\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "%s:%d: check failed: %s\n",	\
				__FILE__, __LINE__, #c);		\
			abort();					\
		}							\
	} while (0)

struct seen {
	const uint8_t *data;
	size_t size;
	size_t n;
	size_t stop_at;		/* return 7 from this statement (1-based), 0: never */
	unsigned int line;	/* statements come in order */
	unsigned int col;
};

/* The offset of LINE:COL, checking that the column is within its line. */
static size_t offset_of(const uint8_t *data, size_t size, unsigned long line, unsigned long col)
{
	size_t off = 0, eol;

	CHECK(line >= 1 && col >= 1);
	while (--line) {
		const uint8_t *nl = memchr(data + off, '\n', size - off);

		CHECK(nl);
		off = nl - data + 1;
	}
	eol = off;
	while (eol < size && data[eol] != '\n')
		eol++;
	CHECK(col - 1 <= eol - off);
	return off + col - 1;
}

static void check_addr(const struct bk_addr *a)
{
	CHECK(a->family == AF_INET || a->family == AF_INET6);
	CHECK(a->plen <= (a->family == AF_INET ? 32 : 128));
	CHECK(a->has_port || !a->port);
}

static void check_key(const struct bk_key *k)
{
	CHECK(k->len <= BK_KEY_MAX);
	CHECK(memchr(k->alg, '\0', sizeof(k->alg)));
	CHECK(!k->present || k->alg[0]);
}

static int cb(const struct bk_stmt *st, void *arg)
{
	struct seen *s = arg;
	unsigned int i;
	size_t off;

	s->n++;
	CHECK(st->line >= 1 && st->col >= 1);
	CHECK(st->line > s->line || (st->line == s->line && st->col > s->col));
	s->line = st->line;
	s->col = st->col;
	/* a statement starts with its keyword: add, spdflush, ... */
	off = offset_of(s->data, s->size, st->line, st->col);
	CHECK(off < s->size && s->data[off] >= 'a' && s->data[off] <= 'u');
	switch (st->kind) {
	case BK_ST_ADD:
	case BK_ST_UPDATE:
		check_key(&st->sa.enc);
		check_key(&st->sa.auth);
		CHECK(st->sa.proto != IPPROTO_ESP || st->sa.enc.present);
		CHECK(st->sa.proto != IPPROTO_AH || (st->sa.auth.present && !st->sa.enc.present));
		CHECK(st->sa.enc.kind != BITSEC_ALG_KIND_AEAD || !st->sa.auth.present);
		CHECK(st->sa.replay <= BITSEC_REPLAY_MAX);
		/* fall through */
	case BK_ST_GET:
	case BK_ST_DELETE:
	case BK_ST_GETSPI:
		check_addr(&st->sa.src);
		check_addr(&st->sa.dst);
		CHECK(st->sa.src.family == st->sa.dst.family);
		CHECK(!st->sa.src.has_plen && !st->sa.dst.has_plen);
		CHECK(st->sa.proto == IPPROTO_ESP || st->sa.proto == IPPROTO_AH);
		CHECK(st->sa.spi >= 256);
		CHECK(st->kind != BK_ST_GETSPI || st->sa.spi_max >= st->sa.spi);
		CHECK(!st->sa.udp_encap || (st->sa.encap_sport && st->sa.encap_dport));
		break;
	case BK_ST_SPDADD:
	case BK_ST_SPDUPDATE:
	case BK_ST_SPDDELETE:
		check_addr(&st->sp.src);
		check_addr(&st->sp.dst);
		CHECK(st->sp.n_tmpls <= BK_TMPL_MAX);
		CHECK(st->sp.dir <= BK_DIR_FWD && st->sp.action <= BK_ACT_IPSEC);
		CHECK(st->kind == BK_ST_SPDDELETE ||
		      (st->sp.action == BK_ACT_IPSEC) == (st->sp.n_tmpls > 0));
		CHECK(st->sp.has_prio || st->sp.prio == BK_PRIO_DEF);
		for (i = 0; i < st->sp.n_tmpls; i++) {
			const struct bk_tmpl *t = &st->sp.tmpls[i];

			CHECK(t->mode == BK_MODE_TRANSPORT || t->mode == BK_MODE_TUNNEL);
			CHECK(t->has_endpoints == (t->mode == BK_MODE_TUNNEL));
			CHECK(t->level <= BK_LEVEL_UNIQUE);
			CHECK(t->reqid <= BK_REQID_MANUAL_MAX);
			CHECK(!t->reqid || t->level == BK_LEVEL_UNIQUE);
			if (t->has_endpoints) {
				check_addr(&t->src);
				CHECK(t->src.family == t->dst.family);
			}
		}
		break;
	default:
		break;
	}
	return s->n == s->stop_at ? 7 : 0;
}

/* "NAME:LINE:COL: message", LINE and COL within the input. */
static void check_err(const char *err, const uint8_t *data, size_t size)
{
	unsigned long line, col, lines = 1;
	char *end;
	size_t i;

	CHECK(!strncmp(err, "fuzz:", 5));
	line = strtoul(err + 5, &end, 10);
	CHECK(*end == ':');
	col = strtoul(end + 1, &end, 10);
	CHECK(!strncmp(end, ": ", 2) && end[2]);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	CHECK(line >= 1 && line <= lines && col >= 1 && col <= size + 1);
	offset_of(data, size, line, col);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen all = { .data = data, .size = size }, some = all, twice = all;
	char err[256], err2[256], tiny[8];
	uint8_t *two;
	int rc;

	memset(err, 'x', sizeof(err));
	rc = bk_parse("fuzz", (const char *)data, size, cb, &all, err, sizeof(err));
	if (rc) {
		CHECK(rc == -1 && all.n == 0);
		check_err(err, data, size);
	} else {
		CHECK(err[0] == '\0');
	}

	/* No room for the message, or none at all: same verdict, no overrun. */
	CHECK(bk_parse("fuzz", (const char *)data, size, NULL, NULL, tiny, sizeof(tiny)) == rc);
	CHECK(strlen(tiny) < sizeof(tiny));
	CHECK(bk_parse("fuzz", (const char *)data, size, NULL, NULL, NULL, 0) == rc);

	/* A callback's verdict stops the parse and comes back unchanged. */
	if (!rc && all.n) {
		some.stop_at = (all.n + 1) / 2;
		CHECK(bk_parse("fuzz", (const char *)data, size, cb, &some, err, sizeof(err)) == 7);
		CHECK(some.n == some.stop_at);
	}

	/*
	 * The input twice, a newline between: twice the statements, or the same
	 * error.  Catches state carried from one statement to the next.
	 */
	two = malloc(2 * size + 1);
	CHECK(two);
	memcpy(two, data, size);
	two[size] = '\n';
	memcpy(two + size + 1, data, size);
	twice.data = two;
	twice.size = 2 * size + 1;
	if (!rc) {
		CHECK(bk_parse("fuzz", (const char *)two, twice.size, cb, &twice,
			       err2, sizeof(err2)) == 0);
		CHECK(twice.n == 2 * all.n);
	} else {
		CHECK(bk_parse("fuzz", (const char *)two, twice.size, cb, &twice,
			       err2, sizeof(err2)) == -1);
		CHECK(twice.n == 0);
	}
	free(two);
	return 0;
}
