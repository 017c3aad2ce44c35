// SPDX-License-Identifier: GPL-2.0
/* Unit tests of bitskey -s: the GET_STATS reply, parsed and printed (cmocka). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bitskey.h"

enum mangle { OK, NO_SA_COUNT, SHORT_SP_COUNT, NO_STATS, SHORT_COUNTER, TWICE,
	      TYPE_ZERO, NEWER };

static struct nl_msg *reply(enum mangle how)
{
	struct nl_msg *m = nlmsg_alloc_size(8192);
	struct nlattr *n;

	assert_non_null(m);
	assert_non_null(genlmsg_put(m, 0, 0, 0x20, 0, 0, BITSEC_CMD_GET_STATS, 1));
	if (how != NO_SA_COUNT)
		nla_put_u32(m, BITSEC_A_SA_COUNT, 12);
	if (how == SHORT_SP_COUNT)
		nla_put_u16(m, BITSEC_A_SP_COUNT, 3);
	else
		nla_put_u32(m, BITSEC_A_SP_COUNT, 3);
	if (how == NO_STATS)
		return m;
	n = nla_nest_start(m, BITSEC_A_STATS);
	nla_put_u64(m, BITSEC_STAT_IN_PACKETS, 40);
	nla_put_u64(m, BITSEC_STAT_IN_NO_SA, 0);
	nla_put_u64(m, BITSEC_STAT_IN_AUTH, 7);
	nla_put_u64(m, BITSEC_STAT_OUT_BYTES, 12345678901ULL);
	if (how == SHORT_COUNTER)
		nla_put_u32(m, BITSEC_STAT_IN_REPLAY, 1);
	if (how == TWICE)
		nla_put_u64(m, BITSEC_STAT_IN_AUTH, 8);
	if (how == TYPE_ZERO)
		nla_put_u64(m, BITSEC_STAT_UNSPEC, 1);
	if (how == NEWER)
		nla_put_u64(m, 200, 5);	/* a newer module's counter */
	nla_nest_end(m, n);
	return m;
}

static struct bk_stats st;
static char err[BK_ERR_MAX];

static int parse(enum mangle how)
{
	struct nl_msg *m = reply(how);
	int rc;

	err[0] = '\0';
	rc = bk_stats_parse(nlmsg_hdr(m), &st, err, sizeof(err));
	nlmsg_free(m);
	return rc;
}

static void expect_refused(enum mangle how, const char *needle)
{
	assert_int_equal(parse(how), -1);
	if (!strstr(err, needle))
		fail_msg("error '%s' lacks '%s'", err, needle);
}

static void test_parse_ok(void **state)
{
	(void)state;
	assert_int_equal(parse(OK), 0);
	assert_int_equal(st.sa_count, 12);
	assert_int_equal(st.sp_count, 3);
	assert_true(st.have[BITSEC_STAT_IN_NO_SA]);
	assert_false(st.have[BITSEC_STAT_IN_REPLAY]);
	assert_int_equal(st.v[BITSEC_STAT_IN_AUTH], 7);
	assert_true(st.v[BITSEC_STAT_OUT_BYTES] == 12345678901ULL);
}

static void test_parse_refused(void **state)
{
	(void)state;
	expect_refused(NO_SA_COUNT, "reply lacks the SA count");
	expect_refused(SHORT_SP_COUNT, "the policy count has 2 bytes, expected 4");
	expect_refused(NO_STATS, "reply lacks the counters");
	expect_refused(SHORT_COUNTER, "counter 7 has 4 bytes, expected 8");
	expect_refused(TWICE, "counter 9 appears twice");
	expect_refused(TYPE_ZERO, "counter type 0 is out of range");
}

static char *print(void (*fn)(FILE *, const struct bk_stats *, bool), bool all)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, &st, all);
	fclose(f);
	return buf;
}

static void json(FILE *f, const struct bk_stats *s, bool all)
{
	(void)all;
	bk_stats_print_json(f, s);
}

static void test_print(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(parse(NEWER), 0);
	s = print(bk_stats_print, false);
	assert_string_equal(s, "SAs: 12\npolicies: 3\n"
			    "in_packets               40\n"
			    "in_auth_failed           7\n"
			    "out_bytes                12345678901\n"
			    "stat_200                 5\n");
	free(s);
	/* -v shows the zeros the kernel sent, and nothing it did not. */
	s = print(bk_stats_print, true);
	assert_non_null(strstr(s, "in_no_sa                 0\n"));
	assert_null(strstr(s, "in_replay"));
	free(s);
	memset(&st, 0, sizeof(st));
	s = print(bk_stats_print, false);
	assert_non_null(strstr(s, "no packets counted yet"));
	free(s);
}

static void test_print_json(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(parse(NEWER), 0);
	s = print(json, false);
	assert_string_equal(s, "{\"sa_count\":12,\"sp_count\":3,\"stats\":{\"in_packets\":40,"
			    "\"in_no_sa\":0,\"in_auth_failed\":7,\"out_bytes\":12345678901,"
			    "\"stat_200\":5}}\n");
	free(s);
}

/* Every counter the ABI defines has a name, and no two share one. */
static void test_names(void **state)
{
	unsigned int i, j;

	(void)state;
	for (i = BITSEC_STAT_PAD + 1; i < __BITSEC_STAT_MAX; i++) {
		assert_non_null(bk_stat_name(i));
		for (j = BITSEC_STAT_PAD + 1; j < i; j++)
			assert_string_not_equal(bk_stat_name(i), bk_stat_name(j));
	}
	assert_null(bk_stat_name(__BITSEC_STAT_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_print_json),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("bitskey_stats", tests, NULL, NULL);
}
