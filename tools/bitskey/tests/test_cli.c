// SPDX-License-Identifier: GPL-2.0
/* Unit tests of bitskey's command line (cmocka). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bitskey.h"

static struct bk_opts opts;
static char err[BK_ERR_MAX];

#define PARSE(...) ({						\
	char *argv[] = { "bitskey", __VA_ARGS__ };		\
	err[0] = '\0';						\
	bk_parse_args(sizeof(argv) / sizeof(argv[0]), argv,	\
		      &opts, err, sizeof(err));			\
})

static void test_version(void **state)
{
	(void)state;
	assert_int_equal(PARSE("-V"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_VERSION);
	assert_false(opts.json);
	assert_int_equal(PARSE("--version"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_VERSION);
}

static void test_json_bundled(void **state)
{
	(void)state;
	assert_int_equal(PARSE("-Vj"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_VERSION);
	assert_true(opts.json);
	assert_int_equal(PARSE("-j", "-V"), BK_EXIT_OK);
	assert_true(opts.json);
	assert_int_equal(PARSE("--json", "-V"), BK_EXIT_OK);
	assert_true(opts.json);
}

static void test_help(void **state)
{
	(void)state;
	assert_int_equal(PARSE("-h"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_HELP);
	assert_int_equal(PARSE("--help"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_HELP);
}

static void test_setkey_flags(void **state)
{
	(void)state;
	assert_int_equal(PARSE("-D"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_DUMP);
	assert_false(opts.policy);
	assert_int_equal(PARSE("-DP"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_DUMP);
	assert_true(opts.policy);
	assert_int_equal(PARSE("-F", "-P"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_FLUSH);
	assert_true(opts.policy);
	assert_int_equal(PARSE("-Da", "--keys", "-j"), BK_EXIT_OK);
	assert_true(opts.all);
	assert_true(opts.keys);
	assert_true(opts.json);
	assert_int_equal(PARSE("-x"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_WATCH);
	assert_int_equal(PARSE("-svj"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_STATS);
	assert_true(opts.verbose);
	assert_true(opts.json);
	assert_int_equal(PARSE("-c", "-n", "-v"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_STDIN);
	assert_true(opts.parse_only);
	assert_true(opts.verbose);
}

static void test_file(void **state)
{
	(void)state;
	assert_int_equal(PARSE("-f", "sa.conf"), BK_EXIT_OK);
	assert_int_equal(opts.cmd, BK_CMD_FILE);
	assert_string_equal(opts.file, "sa.conf");
	assert_int_equal(PARSE("-nfsa.conf"), BK_EXIT_OK);
	assert_string_equal(opts.file, "sa.conf");
	assert_true(opts.parse_only);
	assert_int_equal(PARSE("-vf", "-"), BK_EXIT_OK);
	assert_string_equal(opts.file, "-");
	assert_int_equal(PARSE("-f"), BK_EXIT_USAGE);
	assert_string_equal(err, "-f needs a file name ('-' for stdin)");
}

static void test_refused(void **state)
{
	(void)state;
	assert_int_equal(PARSE("-Q"), BK_EXIT_USAGE);
	assert_string_equal(err, "unknown option '-Q'");
	assert_int_equal(PARSE("-VQ"), BK_EXIT_USAGE);
	assert_string_equal(err, "unknown option '-Q'");
	assert_int_equal(PARSE("--frobnicate"), BK_EXIT_USAGE);
	assert_string_equal(err, "unknown option '--frobnicate'");
	assert_int_equal(PARSE("-V", "extra"), BK_EXIT_USAGE);
	assert_string_equal(err, "unexpected argument 'extra'");
	assert_int_equal(PARSE("-"), BK_EXIT_USAGE);
	assert_int_equal(PARSE("-j"), BK_EXIT_USAGE);
	assert_non_null(strstr(err, "nothing to do"));
	assert_int_equal(PARSE("-D", "-F"), BK_EXIT_USAGE);
	assert_string_equal(err, "give only one of -f, -c, -D, -F, -x, -s, -V, -h");
	assert_int_equal(PARSE("-VP"), BK_EXIT_USAGE);
	assert_string_equal(err, "-P goes with -D or -F");
	assert_int_equal(PARSE("-Dn"), BK_EXIT_USAGE);
	assert_string_equal(err, "-n goes with -f or -c");
	assert_int_equal(PARSE("-F", "--keys"), BK_EXIT_USAGE);
	assert_string_equal(err, "--keys goes with -D");
}

static void test_no_args(void **state)
{
	char *argv[] = { "bitskey" };

	(void)state;
	assert_int_equal(bk_parse_args(1, argv, &opts, err, sizeof(err)), BK_EXIT_USAGE);
	assert_non_null(strstr(err, "nothing to do"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_json_bundled),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_setkey_flags),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_no_args),
	};

	return cmocka_run_group_tests_name("bitskey_cli", tests, NULL, NULL);
}
