// SPDX-License-Identifier: GPL-2.0
/* Unit tests of request encoding (req.c) and SA dumps (sadump.c), cmocka. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bitskey.h"
#include "req.h"
#include "parse.h"
#include "sadump.h"
#include "spdump.h"

static struct bk_stmt tutorial_esp(void)
{
	struct bk_stmt st = { .kind = BK_ST_ADD, .line = 3 };

	st.sa.src.family = st.sa.dst.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.1", st.sa.src.addr);
	inet_pton(AF_INET, "10.0.0.2", st.sa.dst.addr);
	st.sa.proto = IPPROTO_ESP;
	st.sa.spi = 13801;
	st.sa.mode = BK_MODE_TRANSPORT;
	st.sa.enc.present = true;
	st.sa.enc.kind = BITSEC_ALG_KIND_ENC;
	strcpy(st.sa.enc.alg, "aes-cbc");
	st.sa.enc.len = 24;
	memcpy(st.sa.enc.key, "123456789012123456789012", 24);
	st.sa.hard.bytes = 1000;
	return st;
}

static struct nlattr *sa_nest(struct nl_msg *m, struct nlattr **tb)
{
	struct nlattr *top[BITSEC_A_MAX + 1];

	assert_int_equal(genlmsg_parse(nlmsg_hdr(m), 0, top, BITSEC_A_MAX, NULL), 0);
	assert_non_null(top[BITSEC_A_SA]);
	assert_int_equal(nla_parse_nested(tb, BITSEC_A_SA_MAX, top[BITSEC_A_SA], NULL), 0);
	return top[BITSEC_A_SA];
}

static void test_add_encoding(void **state)
{
	struct nlattr *tb[BITSEC_A_SA_MAX + 1], *k[BITSEC_A_KEY_MAX + 1];
	struct bk_stmt st = tutorial_esp();
	struct nl_msg *m = nlmsg_alloc();
	struct genlmsghdr *g;

	(void)state;
	assert_int_equal(bk_req_build(m, 0x20, &st, false), 0);
	g = nlmsg_data(nlmsg_hdr(m));
	assert_int_equal(g->cmd, BITSEC_CMD_SA_ADD);
	assert_true(nlmsg_hdr(m)->nlmsg_flags & NLM_F_ACK);
	sa_nest(m, tb);
	assert_int_equal(nla_get_u16(tb[BITSEC_A_SA_FAMILY]), AF_INET);
	assert_int_equal(nla_len(tb[BITSEC_A_SA_DST]), 4);
	assert_memory_equal(nla_data(tb[BITSEC_A_SA_DST]), "\x0a\x00\x00\x02", 4);
	assert_int_equal(nla_get_u8(tb[BITSEC_A_SA_PROTO]), IPPROTO_ESP);
	assert_int_equal(nla_get_u32(tb[BITSEC_A_SA_SPI]), 13801);
	assert_int_equal(nla_get_u8(tb[BITSEC_A_SA_MODE]), BITSEC_MODE_TRANSPORT);
	assert_null(tb[BITSEC_A_SA_AEAD]);
	assert_null(tb[BITSEC_A_SA_AUTH]);
	assert_null(tb[BITSEC_A_SA_LIFE_SOFT]);
	assert_non_null(tb[BITSEC_A_SA_LIFE_HARD]);
	assert_int_equal(nla_parse_nested(k, BITSEC_A_KEY_MAX, tb[BITSEC_A_SA_ENC], NULL), 0);
	assert_string_equal(nla_data(k[BITSEC_A_KEY_ALG]), "aes-cbc");
	assert_int_equal(nla_len(k[BITSEC_A_KEY_DATA]), 24);
	nlmsg_free(m);
}

static void test_aead_goes_in_aead_nest(void **state)
{
	struct nlattr *tb[BITSEC_A_SA_MAX + 1];
	struct bk_stmt st = tutorial_esp();
	struct nl_msg *m = nlmsg_alloc();

	(void)state;
	st.sa.enc.kind = BITSEC_ALG_KIND_AEAD;
	strcpy(st.sa.enc.alg, "aes-gcm-16");
	st.sa.udp_encap = true;
	st.sa.encap_sport = 4500;
	st.sa.encap_dport = 4501;
	st.sa.esn = true;
	assert_int_equal(bk_req_build(m, 0x20, &st, false), 0);
	sa_nest(m, tb);
	assert_non_null(tb[BITSEC_A_SA_AEAD]);
	assert_null(tb[BITSEC_A_SA_ENC]);
	assert_non_null(tb[BITSEC_A_SA_ENCAP]);
	assert_int_equal(nla_get_u32(tb[BITSEC_A_SA_FLAGS]), BITSEC_SA_F_ESN);
	nlmsg_free(m);
}

static void test_other_statements(void **state)
{
	struct nlattr *tb[BITSEC_A_SA_MAX + 1], *top[BITSEC_A_MAX + 1];
	struct bk_stmt st = tutorial_esp();
	struct nl_msg *m;
	int flags;

	(void)state;
	st.kind = BK_ST_DELETE;
	m = nlmsg_alloc();
	assert_int_equal(bk_req_build(m, 0x20, &st, false), 0);
	sa_nest(m, tb);
	assert_non_null(tb[BITSEC_A_SA_SPI]);
	assert_null(tb[BITSEC_A_SA_ENC]);	/* delete carries no keys */
	nlmsg_free(m);

	st.kind = BK_ST_DELETEALL;
	m = nlmsg_alloc();
	assert_int_equal(bk_req_build(m, 0x20, &st, false), 0);
	sa_nest(m, tb);
	assert_null(tb[BITSEC_A_SA_SPI]);
	nlmsg_free(m);

	st.kind = BK_ST_DUMP;
	st.proto = IPPROTO_AH;
	assert_int_equal(bk_req_cmd(&st, &flags), BITSEC_CMD_SA_GET);
	assert_int_equal(flags, NLM_F_DUMP);
	m = nlmsg_alloc();
	assert_int_equal(bk_req_build(m, 0x20, &st, true), 0);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(m), 0, top, BITSEC_A_MAX, NULL), 0);
	assert_int_equal(nla_get_u8(top[BITSEC_A_PROTO]), IPPROTO_AH);
	assert_non_null(top[BITSEC_A_WITH_KEYS]);
	nlmsg_free(m);

	st.kind = BK_ST_GET + 100;
	m = nlmsg_alloc();
	assert_int_equal(bk_req_build(m, 0x20, &st, false), -1);
	nlmsg_free(m);
}

/* A reply as the module builds it, for the dump printer. */
static struct nl_msg *reply(bool keys)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *sa, *k, *l;

	genlmsg_put(m, 0, 0, 0x20, 0, 0, BITSEC_CMD_SA_GET, 1);
	sa = nla_nest_start(m, BITSEC_A_SA);
	nla_put_u16(m, BITSEC_A_SA_FAMILY, AF_INET);
	nla_put(m, BITSEC_A_SA_SRC, 4, "\x0a\x00\x00\x01");
	nla_put(m, BITSEC_A_SA_DST, 4, "\x0a\x00\x00\x02");
	nla_put_u8(m, BITSEC_A_SA_PROTO, IPPROTO_ESP);
	nla_put_u32(m, BITSEC_A_SA_SPI, 13801);
	nla_put_u8(m, BITSEC_A_SA_MODE, BITSEC_MODE_TRANSPORT);
	nla_put_u32(m, BITSEC_A_SA_REQID, 0);
	nla_put_u8(m, BITSEC_A_SA_STATE, BITSEC_SA_MATURE);
	nla_put_u32(m, BITSEC_A_SA_ID, 7);
	nla_put_u64(m, BITSEC_A_SA_ADD_TIME, 1796212800);	/* 2026-12-02 12:00:00 UTC */
	nla_put_u64(m, BITSEC_A_SA_SEQ, 5);
	l = nla_nest_start(m, BITSEC_A_SA_CUR);
	nla_put_u64(m, BITSEC_A_LIFE_BYTES, 840);
	nla_put_u64(m, BITSEC_A_LIFE_PACKETS, 10);
	nla_nest_end(m, l);
	k = nla_nest_start(m, BITSEC_A_SA_ENC);
	nla_put_string(m, BITSEC_A_KEY_ALG, "aes-cbc");
	if (keys)
		nla_put(m, BITSEC_A_KEY_DATA, 24, "123456789012123456789012");
	nla_nest_end(m, k);
	nla_nest_end(m, sa);
	return m;
}

static char *print(const struct bk_sa_info *s, bool keys)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	bk_sa_print(f, s, 0, keys, 1796213100);
	fclose(f);
	return buf;
}

static void test_dump_layout(void **state)
{
	struct nl_msg *m = reply(true);
	char err[BK_ERR_MAX];
	struct bk_sa_info s;
	char *out;

	(void)state;
	setenv("TZ", "UTC", 1);
	assert_int_equal(bk_sa_parse(nlmsg_hdr(m), &s, err, sizeof(err)), 0);
	out = print(&s, true);
	assert_non_null(strstr(out, "10.0.0.1 10.0.0.2\n"
				    "\tesp mode=transport spi=13801(0x000035e9) reqid=0(0x00000000)\n"
				    "\tE: aes-cbc  31323334 35363738 39303132 31323334 35363738 39303132\n"
				    "\tseq=0x00000005 replay=0 flags=0x00000000 state=mature\n"
				    "\tcreated: Dec 02 12:00:00 2026\tcurrent: Dec 02 12:05:00 2026\n"
				    "\tdiff: 300(s)\thard: 0(s)\tsoft: 0(s)\n"));
	assert_non_null(strstr(out, "\tcurrent: 840(bytes)\thard: 0(bytes)\tsoft: 0(bytes)\n"
				    "\tallocated: 10\thard: 0\tsoft: 0\n"));
	free(out);
	/* Without --keys, the algorithm alone. */
	out = print(&s, false);
	assert_non_null(strstr(out, "\tE: aes-cbc\n"));
	free(out);
	nlmsg_free(m);
}

static void test_dump_rejects_malformed(void **state)
{
	struct nl_msg *m = nlmsg_alloc();
	char err[BK_ERR_MAX];
	struct bk_sa_info s;
	struct nlattr *sa;

	(void)state;
	genlmsg_put(m, 0, 0, 0x20, 0, 0, BITSEC_CMD_SA_GET, 1);
	sa = nla_nest_start(m, BITSEC_A_SA);
	nla_put_u16(m, BITSEC_A_SA_FAMILY, AF_INET);
	nla_put(m, BITSEC_A_SA_SRC, 16, "0123456789abcdef");
	nla_nest_end(m, sa);
	assert_int_equal(bk_sa_parse(nlmsg_hdr(m), &s, err, sizeof(err)), -1);
	assert_string_equal(err, "SA reply's source has 16 bytes, expected 4");
	nlmsg_free(m);
}

/* Statements -> -D --script output -> parsed again: the same statements. */
static int collect(const struct bk_stmt *st, void *arg)
{
	struct bk_stmt *out = arg;
	unsigned int i;

	for (i = 0; out[i].line; i++)
		;
	out[i] = *st;
	return 0;
}

static void test_script_round_trip(void **state)
{
	static const char *const text =
		"add 10.0.0.1 10.0.0.2 ah 13800 -A hmac-md5 \"1234567890123456\";\n"
		"add 10.0.0.1 10.0.0.2 esp 13801 -m tunnel -r 64 -u 9 -esn -f random-pad -tfcpad 1200 -lh 100 -ls 50 "
		"-bh 1000 -bs 500 -ph 10 -ps 5 -uh 60 -us 30 -E aes-cbc 0x00112233445566778899aabbccddeeff "
		"-A hmac-sha2-256 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;\n"
		"add 2001:db8::1 2001:db8::2 esp 0x1000 -natt 4500 4501 -E aes-gcm-16 "
		"0x00112233445566778899aabbccddeeff01020304;\n"
		"add 10.0.0.1 10.0.0.2 esp 300 -E null -A hmac-sha1 0x00112233445566778899aabbccddeeff00112233;\n"
		"spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require ah/transport//require;\n"
		"spdadd 192.168.10.0/24[any] 10.1.1.0/24[22] tcp -P in prio high + 10 ipsec "
		"esp/tunnel/192.0.2.1-192.0.2.2/unique:7;\n"
		"spdadd 192.168.10.0/24 10.1.1.0/24 icmp 8,0 -P fwd prio low - 3 none;\n"
		"spdadd 2001:db8::/32 2001:db8:1::1 any -P out prio 5 discard;\n";
	struct bk_stmt first[16] = {}, second[16] = {};
	char err[BK_ERR_MAX], *buf = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *f;

	(void)state;
	assert_int_equal(bk_parse("t", text, strlen(text), collect, first, err, sizeof(err)), 0);
	f = open_memstream(&buf, &len);
	for (i = 0; first[i].line; i++) {
		if (first[i].kind == BK_ST_ADD) {
			struct bk_sa_info s = { .sa = first[i].sa, .state = BITSEC_SA_MATURE };

			bk_sa_print_stmt(f, &s);
		} else {
			struct bk_sp_info s = { .sp = first[i].sp };

			bk_sp_print_stmt(f, &s);
		}
	}
	fclose(f);
	if (bk_parse("script", buf, len, collect, second, err, sizeof(err)))
		fail_msg("%s\n%s", err, buf);
	for (i = 0; first[i].line; i++) {
		assert_int_equal(first[i].kind, second[i].kind);
		if (first[i].kind == BK_ST_ADD) {
			/* "-m any" is written out; the parser's default is the same. */
			if (memcmp(&first[i].sa, &second[i].sa, sizeof(first[i].sa)))
				fail_msg("SA %u differs after the round trip:\n%s", i, buf);
		} else {
			first[i].sp.has_prio = second[i].sp.has_prio;
			if (memcmp(&first[i].sp, &second[i].sp, sizeof(first[i].sp)))
				fail_msg("SP %u differs after the round trip:\n%s", i, buf);
		}
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_encoding),
		cmocka_unit_test(test_aead_goes_in_aead_nest),
		cmocka_unit_test(test_other_statements),
		cmocka_unit_test(test_dump_layout),
		cmocka_unit_test(test_dump_rejects_malformed),
		cmocka_unit_test(test_script_round_trip),
	};

	return cmocka_run_group_tests_name("bitskey_req", tests, NULL, NULL);
}
