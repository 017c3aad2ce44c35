// SPDX-License-Identifier: GPL-2.0
/* Unit tests of bitskey's GET_INFO parsing and printing (cmocka). */
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

/* Which attribute of the one algorithm entry to leave out or corrupt. */
enum mangle { OK, NO_VERSION, NO_COOKIE, NO_ALGS, NO_NAME, NO_KIND, BAD_KIND,
	      SHORT_KEY_MIN, LONG_NAME, UNTERMINATED, AVAIL_NO_DRIVER,
	      FOREIGN_IN_LIST, KEY_MIN_GT_MAX, TOO_MANY };

static void put_alg(struct nl_msg *m, const char *name, uint8_t kind, const char *crypto,
		    const char *driver, uint16_t kmin, uint16_t kmax, uint16_t kstep,
		    uint16_t icv, enum mangle how)
{
	struct nlattr *a = nla_nest_start(m, BITSEC_A_ALG);
	char longname[BITSEC_NAME_MAX + 8];

	assert_non_null(a);
	if (how == LONG_NAME) {
		memset(longname, 'x', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		nla_put_string(m, BITSEC_A_ALG_NAME, longname);
	} else if (how == UNTERMINATED) {
		nla_put(m, BITSEC_A_ALG_NAME, 3, "abc");
	} else if (how != NO_NAME) {
		nla_put_string(m, BITSEC_A_ALG_NAME, name);
	}
	if (how != NO_KIND)
		nla_put_u8(m, BITSEC_A_ALG_KIND, how == BAD_KIND ? 9 : kind);
	nla_put_string(m, BITSEC_A_ALG_CRYPTO, crypto);
	if (driver && how != AVAIL_NO_DRIVER)
		nla_put_string(m, BITSEC_A_ALG_DRIVER, driver);
	if (how == SHORT_KEY_MIN)
		nla_put_u8(m, BITSEC_A_ALG_KEY_MIN, 1);
	else
		nla_put_u16(m, BITSEC_A_ALG_KEY_MIN, how == KEY_MIN_GT_MAX ? kmax + 8 : kmin);
	nla_put_u16(m, BITSEC_A_ALG_KEY_MAX, kmax);
	nla_put_u16(m, BITSEC_A_ALG_KEY_STEP, kstep);
	nla_put_u16(m, BITSEC_A_ALG_ICV_BITS, icv);
	nla_put_u8(m, BITSEC_A_ALG_AVAILABLE, driver != NULL);
	nla_nest_end(m, a);
}

static struct nl_msg *reply(enum mangle how)
{
	struct nl_msg *m = nlmsg_alloc_size(65536);
	struct nlattr *algs;
	int i;

	assert_non_null(m);
	assert_non_null(genlmsg_put(m, 0, 0, 0x20, 0, 0, BITSEC_CMD_GET_INFO, 1));
	if (how != NO_VERSION)
		nla_put_string(m, BITSEC_A_VERSION, "9.8.7");
	if (how != NO_COOKIE)
		nla_put_u64(m, BITSEC_A_NETNS_COOKIE, 4097);
	if (how == NO_ALGS)
		return m;
	algs = nla_nest_start(m, BITSEC_A_ALGS);
	put_alg(m, "aes-cbc", BITSEC_ALG_KIND_ENC, "cbc(aes)", "cbc(aes-aesni)",
		128, 256, 64, 0, how);
	put_alg(m, "des-cbc", BITSEC_ALG_KIND_ENC, "cbc(des)", NULL, 64, 64, 0, 0, OK);
	put_alg(m, "hmac-sha2-256", BITSEC_ALG_KIND_AUTH, "hmac(sha256)",
		"hmac(sha256-generic)", 256, 256, 0, 128, OK);
	if (how == FOREIGN_IN_LIST)
		nla_put_u32(m, BITSEC_A_ALG + 5, 1);
	for (i = 0; how == TOO_MANY && i < BK_ALGS_MAX; i++)
		put_alg(m, "null", BITSEC_ALG_KIND_ENC, "ecb(cipher_null)",
			"ecb-cipher_null", 0, 0, 0, 0, OK);
	nla_nest_end(m, algs);
	return m;
}

static struct bk_info info;
static char err[BK_ERR_MAX];

static int parse(enum mangle how)
{
	struct nl_msg *m = reply(how);
	int rc;

	err[0] = '\0';
	rc = bk_info_parse(nlmsg_hdr(m), &info, err, sizeof(err));
	nlmsg_free(m);
	return rc;
}

static void test_parse_ok(void **state)
{
	(void)state;
	assert_int_equal(parse(OK), 0);
	assert_string_equal(info.version, "9.8.7");
	assert_int_equal(info.netns_cookie, 4097);
	assert_int_equal(info.n_algs, 3);
	assert_string_equal(info.algs[0].name, "aes-cbc");
	assert_string_equal(info.algs[0].crypto, "cbc(aes)");
	assert_string_equal(info.algs[0].driver, "cbc(aes-aesni)");
	assert_int_equal(info.algs[0].kind, BITSEC_ALG_KIND_ENC);
	assert_int_equal(info.algs[0].key_min, 128);
	assert_int_equal(info.algs[0].key_max, 256);
	assert_int_equal(info.algs[0].key_step, 64);
	assert_true(info.algs[0].available);
	assert_false(info.algs[1].available);
	assert_string_equal(info.algs[1].driver, "");
	assert_int_equal(info.algs[2].icv_bits, 128);
}

/* Each malformed reply is refused, and the message names the field. */
static void expect_refused(enum mangle how, const char *needle)
{
	assert_int_not_equal(parse(how), 0);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void test_parse_missing(void **state)
{
	(void)state;
	expect_refused(NO_VERSION, "module version");
	expect_refused(NO_COOKIE, "namespace cookie");
	expect_refused(NO_ALGS, "algorithm list");
	expect_refused(NO_NAME, "algorithm name");
	expect_refused(NO_KIND, "algorithm aes-cbc: reply lacks kind");
}

static void test_parse_malformed(void **state)
{
	(void)state;
	expect_refused(BAD_KIND, "unknown kind 9");
	expect_refused(SHORT_KEY_MIN, "minimum key size has 1 bytes");
	expect_refused(LONG_NAME, "longer than");
	expect_refused(UNTERMINATED, "NUL-terminated");
	expect_refused(AVAIL_NO_DRIVER, "no driver");
	expect_refused(FOREIGN_IN_LIST, "attribute type");
	expect_refused(KEY_MIN_GT_MAX, "key sizes");
	expect_refused(TOO_MANY, "more than");
}

static char *print(void (*fn)(FILE *, const struct bk_info *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, &info);
	fclose(f);
	return buf;
}

static void test_print_table(void **state)
{
	char *s;

	(void)state;
	info.genl_version = 1;
	assert_int_equal(parse(OK), 0);
	info.genl_version = 1;
	s = print(bk_info_print);
	assert_non_null(strstr(s, "bitskey " BITSKEY_VERSION "\n"));
	assert_non_null(strstr(s, "bitsec module 9.8.7 (generic netlink family bitsec, ABI version"));
	assert_non_null(strstr(s, "network namespace cookie 4097\n"));
	assert_non_null(strstr(s, "algorithms: 2 of 3 available in this kernel\n"));
	assert_non_null(strstr(s, "  aes-cbc            encryption 128/192/256     -  cbc(aes-aesni)\n"));
	assert_non_null(strstr(s, "  des-cbc            encryption 64              -  unavailable: this kernel cannot instantiate cbc(des)\n"));
	assert_non_null(strstr(s, "  hmac-sha2-256      integrity  256           128  hmac(sha256-generic)\n"));
	free(s);
}

static void test_print_json(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(parse(OK), 0);
	strcpy(info.algs[2].driver, "we\"ird\\dr\x01v");
	s = print(bk_info_print_json);
	assert_non_null(strstr(s, "\"module_version\":\"9.8.7\""));
	assert_non_null(strstr(s, "\"netns_cookie\":4097"));
	assert_non_null(strstr(s, "{\"name\":\"aes-cbc\",\"kind\":\"encryption\",\"crypto\":\"cbc(aes)\",\"key_bits\":[128,192,256],\"icv_bits\":0,\"available\":true,\"driver\":\"cbc(aes-aesni)\"}"));
	assert_non_null(strstr(s, "\"key_bits\":[64],\"icv_bits\":0,\"available\":false}"));
	assert_non_null(strstr(s, "\"driver\":\"we\\\"ird\\\\dr\\u0001v\""));
	assert_int_equal(s[strlen(s) - 1], '\n');
	free(s);
}

static void test_key_bits_format(void **state)
{
	struct bk_alg a = { .key_min = 160, .key_max = 288, .key_step = 64 };
	char buf[64];

	(void)state;
	bk_key_bits_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "160/224/288");
	a.key_min = a.key_max = 0;
	a.key_step = 0;
	bk_key_bits_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	/* A step that overshoots the maximum stops at the last size that fits. */
	a.key_min = 128;
	a.key_max = 200;
	a.key_step = 64;
	bk_key_bits_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "128/192");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_missing),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_print_table),
		cmocka_unit_test(test_print_json),
		cmocka_unit_test(test_key_bits_format),
	};

	return cmocka_run_group_tests_name("bitskey_info", tests, NULL, NULL);
}
