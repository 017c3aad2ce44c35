// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: the GET_STATS reply (-s), the namespace's counters by name, as
 * /proc/net/bitsec_stat shows them, or as JSON.
 */
#include <inttypes.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bitskey.h"

static const char *const stat_names[__BITSEC_STAT_MAX] = {
#define BITSEC_STAT(id, name) [BITSEC_STAT_##id] = name,
#include "module/stat_table.h"
#undef BITSEC_STAT
};

const char *bk_stat_name(unsigned int i)
{
	return i < __BITSEC_STAT_MAX ? stat_names[i] : NULL;
}

static int get_u32(struct nlattr *a, uint32_t *v, const char *what, char *err, size_t errlen)
{
	if (!a)
		return bk_fail(err, errlen, "reply lacks %s", what);
	if (nla_len(a) != 4)
		return bk_fail(err, errlen, "%s has %d bytes, expected 4", what, nla_len(a));
	*v = nla_get_u32(a);
	return 0;
}

int bk_stats_parse(struct nlmsghdr *nlh, struct bk_stats *st, char *err, size_t errlen)
{
	struct nlattr *tb[BITSEC_A_MAX + 1];
	struct nlattr *a;
	int rem;

	memset(st, 0, sizeof(*st));
	if (genlmsg_parse(nlh, 0, tb, BITSEC_A_MAX, NULL) < 0)
		return bk_fail(err, errlen, "GET_STATS reply is not a valid generic netlink message");
	if (get_u32(tb[BITSEC_A_SA_COUNT], &st->sa_count, "the SA count", err, errlen) ||
	    get_u32(tb[BITSEC_A_SP_COUNT], &st->sp_count, "the policy count", err, errlen))
		return -1;
	if (!tb[BITSEC_A_STATS])
		return bk_fail(err, errlen, "reply lacks the counters");
	nla_for_each_nested(a, tb[BITSEC_A_STATS], rem) {
		int t = nla_type(a);

		if (t == BITSEC_STAT_PAD)
			continue;
		if (t == BITSEC_STAT_UNSPEC || t >= BK_STATS_MAX)
			return bk_fail(err, errlen, "counter type %d is out of range", t);
		if (nla_len(a) != 8)
			return bk_fail(err, errlen, "counter %d has %d bytes, expected 8",
				       t, nla_len(a));
		if (st->have[t])
			return bk_fail(err, errlen, "counter %d appears twice", t);
		st->have[t] = true;
		st->v[t] = nla_get_u64(a);
	}
	if (rem)
		return bk_fail(err, errlen, "counters have %d trailing bytes", rem);
	return 0;
}

/* A counter this bitskey does not know (a newer module) keeps its number. */
static const char *name_of(unsigned int i, char *buf, size_t len)
{
	const char *n = bk_stat_name(i);

	if (n)
		return n;
	snprintf(buf, len, "stat_%u", i);
	return buf;
}

void bk_stats_print(FILE *out, const struct bk_stats *st, bool all)
{
	unsigned int i, shown = 0;
	char buf[16];

	fprintf(out, "SAs: %" PRIu32 "\npolicies: %" PRIu32 "\n", st->sa_count, st->sp_count);
	for (i = 0; i < BK_STATS_MAX; i++) {
		if (!st->have[i] || (!all && !st->v[i]))
			continue;
		fprintf(out, "%-24s %" PRIu64 "\n", name_of(i, buf, sizeof(buf)), st->v[i]);
		shown++;
	}
	if (!shown)
		fprintf(out, "no packets counted yet (-v shows every counter)\n");
}

void bk_stats_print_json(FILE *out, const struct bk_stats *st)
{
	unsigned int i;
	bool first = true;
	char buf[16];

	fprintf(out, "{\"sa_count\":%" PRIu32 ",\"sp_count\":%" PRIu32 ",\"stats\":{",
		st->sa_count, st->sp_count);
	for (i = 0; i < BK_STATS_MAX; i++) {
		if (!st->have[i])
			continue;
		fprintf(out, "%s\"%s\":%" PRIu64, first ? "" : ",", name_of(i, buf, sizeof(buf)),
			st->v[i]);
		first = false;
	}
	fprintf(out, "}}\n");
}
