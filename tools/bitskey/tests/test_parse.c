// SPDX-License-Identifier: GPL-2.0
/* Unit tests of bitskey's setkey parser (cmocka): every field, every exact message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "parse.h"

#define MAX_STMTS	64

static struct bk_stmt got[MAX_STMTS];
static size_t n_got;
static size_t n_calls;
static char err[256];

static int collect(const struct bk_stmt *st, void *arg)
{
	(void)arg;
	n_calls++;
	if (n_got < MAX_STMTS)
		got[n_got++] = *st;
	return 0;
}

static int parse_len(const char *text, size_t len)
{
	n_got = 0;
	n_calls = 0;
	memset(got, 0xa5, sizeof(got));
	memset(err, 'x', sizeof(err));
	return bk_parse("t.conf", text, len, collect, NULL, err, sizeof(err));
}

static int parse(const char *text)
{
	return parse_len(text, strlen(text));
}

/* Exactly one statement, returned. */
static const struct bk_stmt *one(const char *text)
{
	int rc = parse(text);

	if (rc)
		fail_msg("'%s' failed: %s", text, err);
	assert_int_equal(n_got, 1);
	assert_string_equal(err, "");
	return &got[0];
}

/* Refused with exactly @msg, and nothing delivered. */
static void refused_len(const char *text, size_t len, const char *msg)
{
	int rc = parse_len(text, len);

	if (rc != -1)
		fail_msg("'%s' was accepted, expected: %s", text, msg);
	assert_int_equal(n_calls, 0);
	assert_string_equal(err, msg);
}

static void assert_addr(const struct bk_addr *a, const char *ip, unsigned int plen,
			bool has_plen, unsigned int port)
{
	uint8_t want[16] = { 0 };
	int family = strchr(ip, ':') ? AF_INET6 : AF_INET;

	assert_int_equal(inet_pton(family, ip, want), 1);
	assert_int_equal(a->family, family);
	assert_memory_equal(a->addr, want, 16);
	assert_int_equal(a->plen, plen);
	assert_int_equal(a->has_plen, has_plen);
	assert_int_equal(a->has_port, port != 0);
	assert_int_equal(a->port, port);
}

static void assert_key(const struct bk_key *k, const char *alg, uint8_t kind,
		       const void *key, size_t len)
{
	assert_true(k->present);
	assert_string_equal(k->alg, alg);
	assert_int_equal(k->kind, kind);
	assert_int_equal(k->len, len);
	if (len)
		assert_memory_equal(k->key, key, len);
}

static void assert_no_key(const struct bk_key *k)
{
	static const struct bk_key none;

	assert_memory_equal(k, &none, sizeof(none));
}

static void assert_no_life(const struct bk_lifetime *l)
{
	assert_int_equal(l->bytes, 0);
	assert_int_equal(l->packets, 0);
	assert_int_equal(l->add_secs, 0);
	assert_int_equal(l->use_secs, 0);
}

/* The defaults of an SA statement beyond its addresses, proto and SPI. */
static void assert_sa_defaults(const struct bk_sa *sa)
{
	assert_false(sa->udp_encap);
	assert_int_equal(sa->encap_sport, 0);
	assert_int_equal(sa->encap_dport, 0);
	assert_int_equal(sa->mode, BK_MODE_ANY);
	assert_false(sa->has_reqid);
	assert_int_equal(sa->reqid, 0);
	assert_false(sa->has_replay);
	assert_int_equal(sa->replay, 0);
	assert_false(sa->esn);
	assert_int_equal(sa->pad, BK_PAD_DEFAULT);
	assert_no_life(&sa->soft);
	assert_no_life(&sa->hard);
}

static void assert_sp_empty(const struct bk_sp *sp)
{
	static const struct bk_sp none;

	assert_memory_equal(sp, &none, sizeof(none));
}

static void assert_sa_empty(const struct bk_sa *sa)
{
	static const struct bk_sa none;

	assert_memory_equal(sa, &none, sizeof(none));
}

/* --- the tutorial lines, exactly as written ------------------------------------------- */

static void test_tutorial_ah(void **state)
{
	const struct bk_stmt *st =
		one("add 10.0.0.1 10.0.0.2 ah 13800 -A hmac-md5 \"1234567890123456\";");

	(void)state;
	assert_int_equal(st->kind, BK_ST_ADD);
	assert_int_equal(st->line, 1);
	assert_int_equal(st->col, 1);
	assert_int_equal(st->proto, 0);
	assert_addr(&st->sa.src, "10.0.0.1", 32, false, 0);
	assert_addr(&st->sa.dst, "10.0.0.2", 32, false, 0);
	assert_int_equal(st->sa.proto, IPPROTO_AH);
	assert_int_equal(st->sa.spi, 13800);
	assert_int_equal(st->sa.spi_max, 0);
	assert_sa_defaults(&st->sa);
	assert_no_key(&st->sa.enc);
	assert_key(&st->sa.auth, "hmac-md5", BITSEC_ALG_KIND_AUTH, "1234567890123456", 16);
	assert_sp_empty(&st->sp);
}

static void test_tutorial_esp(void **state)
{
	const struct bk_stmt *st =
		one("add 10.0.0.1 10.0.0.2 esp 13801 -E aes-cbc \"123456789012123456789012\";");

	(void)state;
	assert_int_equal(st->kind, BK_ST_ADD);
	assert_addr(&st->sa.src, "10.0.0.1", 32, false, 0);
	assert_addr(&st->sa.dst, "10.0.0.2", 32, false, 0);
	assert_int_equal(st->sa.proto, IPPROTO_ESP);
	assert_int_equal(st->sa.spi, 13801);
	assert_sa_defaults(&st->sa);
	/* 24 characters: a 192-bit key; encryption without -A is allowed */
	assert_key(&st->sa.enc, "aes-cbc", BITSEC_ALG_KIND_ENC, "123456789012123456789012", 24);
	assert_no_key(&st->sa.auth);
	assert_sp_empty(&st->sp);
}

static void test_tutorial_spd(void **state)
{
	const struct bk_stmt *st = one("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec "
				       "esp/transport//require ah/transport//require;");
	const struct bk_tmpl *t;

	(void)state;
	assert_int_equal(st->kind, BK_ST_SPDADD);
	assert_int_equal(st->proto, 0);
	assert_sa_empty(&st->sa);
	assert_addr(&st->sp.src, "10.0.0.1", 32, false, 0);
	assert_addr(&st->sp.dst, "10.0.0.2", 32, false, 0);
	assert_int_equal(st->sp.ulproto, BK_ULPROTO_ANY);
	assert_false(st->sp.has_icmp);
	assert_false(st->sp.has_icmp_code);
	assert_int_equal(st->sp.dir, BK_DIR_OUT);
	assert_false(st->sp.has_prio);
	assert_int_equal(st->sp.prio, BK_PRIO_DEF);
	assert_int_equal(st->sp.action, BK_ACT_IPSEC);
	assert_int_equal(st->sp.n_tmpls, 2);
	/* innermost first: ESP, then AH around it */
	t = &st->sp.tmpls[0];
	assert_int_equal(t->proto, IPPROTO_ESP);
	assert_int_equal(t->mode, BK_MODE_TRANSPORT);
	assert_false(t->has_endpoints);
	assert_int_equal(t->src.family, 0);
	assert_int_equal(t->dst.family, 0);
	assert_int_equal(t->level, BK_LEVEL_REQUIRE);
	assert_int_equal(t->reqid, 0);
	t = &st->sp.tmpls[1];
	assert_int_equal(t->proto, IPPROTO_AH);
	assert_int_equal(t->mode, BK_MODE_TRANSPORT);
	assert_false(t->has_endpoints);
	assert_int_equal(t->level, BK_LEVEL_REQUIRE);
	assert_int_equal(t->reqid, 0);
}

/* --- layout: empty input, comments, blanks, several statements ------------------------ */

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_int_equal(n_calls, 0);
	assert_string_equal(err, "");
	assert_int_equal(parse_len(NULL, 0), 0);
	assert_int_equal(n_calls, 0);
	assert_int_equal(parse(" \t\r\n\v\f\n# only a comment\n#\n   # another"), 0);
	assert_int_equal(n_calls, 0);
	/* no callback: just a check */
	assert_int_equal(bk_parse("x", "flush;", 6, NULL, NULL, err, sizeof(err)), 0);
}

static void test_layout(void **state)
{
	const char *text =
		"# SAs and policies\n"
		"flush; spdflush;   dump esp;# trailing comment; not a statement\n"
		"\tadd\n"
		"  10.0.0.1   # the source\n"
		"  10.0.0.2\tesp\n"
		"  0x1000 -E aes-cbc\n"
		"  0x00112233445566778899aabbccddeeff\n"
		";spddump\n"
		";get 10.0.0.1 10.0.0.2 ah 4096;";

	(void)state;
	assert_int_equal(parse(text), 0);
	assert_int_equal(n_got, 6);
	assert_int_equal(got[0].kind, BK_ST_FLUSH);
	assert_int_equal(got[0].line, 2);
	assert_int_equal(got[0].col, 1);
	assert_int_equal(got[0].proto, 0);
	assert_sa_empty(&got[0].sa);
	assert_sp_empty(&got[0].sp);
	assert_int_equal(got[1].kind, BK_ST_SPDFLUSH);
	assert_int_equal(got[1].line, 2);
	assert_int_equal(got[1].col, 8);
	assert_int_equal(got[2].kind, BK_ST_DUMP);
	assert_int_equal(got[2].col, 20);
	assert_int_equal(got[2].proto, IPPROTO_ESP);
	assert_int_equal(got[3].kind, BK_ST_ADD);
	assert_int_equal(got[3].line, 3);
	assert_int_equal(got[3].col, 2);
	assert_int_equal(got[3].sa.spi, 0x1000);
	assert_key(&got[3].sa.enc, "aes-cbc", BITSEC_ALG_KIND_ENC,
		   "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16);
	assert_int_equal(got[4].kind, BK_ST_SPDDUMP);
	assert_int_equal(got[4].line, 8);
	assert_int_equal(got[4].col, 2);
	assert_int_equal(got[5].kind, BK_ST_GET);
	assert_int_equal(got[5].line, 9);
	assert_int_equal(got[5].col, 2);
	assert_int_equal(got[5].sa.proto, IPPROTO_AH);
	assert_int_equal(got[5].sa.spi, 4096);
	assert_no_key(&got[5].sa.auth);

	/* CRLF line ends count as line ends; the CR is a blank */
	assert_int_equal(parse("flush;\r\nspdflush;\r\n"), 0);
	assert_int_equal(got[1].line, 2);
	assert_int_equal(got[1].col, 1);
}

/* --- SA statements ------------------------------------------------------------------ */

static void test_extensions(void **state)
{
	const struct bk_stmt *st = one(
		"update 192.168.1.1 192.168.1.2 esp 0xffffffff -m tunnel -r 65536 -u 0xffffffff "
		"-f random-pad -lh 3600 -ls 3000 -bh 0x100000000 -bs 1000 -ph 1000000 -ps 1000000 "
		"-uh 600 -us 60 -esn -natt 4500 4501 "
		"-E aes-cbc 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
		"-A hmac-sha2-256 \"0123456789abcdef0123456789abcdef\";");
	const uint8_t aes[32] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };

	(void)state;
	assert_int_equal(st->kind, BK_ST_UPDATE);
	assert_addr(&st->sa.src, "192.168.1.1", 32, false, 0);
	assert_addr(&st->sa.dst, "192.168.1.2", 32, false, 0);
	assert_int_equal(st->sa.proto, IPPROTO_ESP);
	assert_int_equal(st->sa.spi, 0xffffffffU);
	assert_int_equal(st->sa.mode, BK_MODE_TUNNEL);
	assert_true(st->sa.has_replay);
	assert_int_equal(st->sa.replay, 65536);
	assert_true(st->sa.has_reqid);
	assert_int_equal(st->sa.reqid, 0xffffffffU);
	assert_int_equal(st->sa.pad, BK_PAD_RANDOM);
	assert_int_equal(st->sa.hard.add_secs, 3600);
	assert_int_equal(st->sa.soft.add_secs, 3000);
	assert_int_equal(st->sa.hard.bytes, 0x100000000ULL);
	assert_int_equal(st->sa.soft.bytes, 1000);
	assert_int_equal(st->sa.hard.packets, 1000000);
	assert_int_equal(st->sa.soft.packets, 1000000);
	assert_int_equal(st->sa.hard.use_secs, 600);
	assert_int_equal(st->sa.soft.use_secs, 60);
	assert_true(st->sa.esn);
	assert_true(st->sa.udp_encap);
	assert_int_equal(st->sa.encap_sport, 4500);
	assert_int_equal(st->sa.encap_dport, 4501);
	assert_int_equal(st->sa.spi_max, 0);
	assert_key(&st->sa.enc, "aes-cbc", BITSEC_ALG_KIND_ENC, aes, 32);
	assert_key(&st->sa.auth, "hmac-sha2-256", BITSEC_ALG_KIND_AUTH,
		   "0123456789abcdef0123456789abcdef", 32);

	/* the other values of -m and -f, zero replay, a soft limit with no hard one */
	st = one("add 1.1.1.1 2.2.2.2 ah 256 -m transport -f zero-pad -r 0 -ls 10 -bs 5 "
		 "-A aes-xcbc-mac 0x00112233445566778899aabbccddeeff;");
	assert_int_equal(st->sa.mode, BK_MODE_TRANSPORT);
	assert_int_equal(st->sa.pad, BK_PAD_ZERO);
	assert_true(st->sa.has_replay);
	assert_int_equal(st->sa.replay, 0);
	assert_int_equal(st->sa.soft.add_secs, 10);
	assert_int_equal(st->sa.soft.bytes, 5);
	assert_no_life(&st->sa.hard);
	st = one("add 1.1.1.1 2.2.2.2 ah 256 -m any -f seq-pad -A null;");
	assert_int_equal(st->sa.mode, BK_MODE_ANY);
	assert_int_equal(st->sa.pad, BK_PAD_SEQ);
	/* equal soft and hard limits are fine */
	st = one("add 1.1.1.1 2.2.2.2 ah 256 -lh 5 -ls 5 -A null;");
	assert_int_equal(st->sa.hard.add_secs, 5);
	assert_int_equal(st->sa.soft.add_secs, 5);
	/* the largest 64-bit limit */
	st = one("add 1.1.1.1 2.2.2.2 ah 256 -bh 18446744073709551615 -A null;");
	assert_int_equal(st->sa.hard.bytes, UINT64_MAX);
	st = one("add 1.1.1.1 2.2.2.2 ah 256 -bh 0xffffffffffffffff -A null;");
	assert_int_equal(st->sa.hard.bytes, UINT64_MAX);
}

static void test_sa_statements(void **state)
{
	const struct bk_stmt *st;

	(void)state;
	st = one("get 10.0.0.1 10.0.0.2 esp 0x100;");
	assert_int_equal(st->kind, BK_ST_GET);
	assert_addr(&st->sa.src, "10.0.0.1", 32, false, 0);
	assert_addr(&st->sa.dst, "10.0.0.2", 32, false, 0);
	assert_int_equal(st->sa.proto, IPPROTO_ESP);
	assert_int_equal(st->sa.spi, 256);
	assert_sa_defaults(&st->sa);
	assert_no_key(&st->sa.enc);
	assert_no_key(&st->sa.auth);

	st = one("delete -4 10.0.0.1 10.0.0.2 ah 4294967295;");
	assert_int_equal(st->kind, BK_ST_DELETE);
	assert_int_equal(st->sa.proto, IPPROTO_AH);
	assert_int_equal(st->sa.spi, 0xffffffffU);

	st = one("deleteall 10.0.0.1 10.0.0.2 esp;");
	assert_int_equal(st->kind, BK_ST_DELETEALL);
	assert_addr(&st->sa.src, "10.0.0.1", 32, false, 0);
	assert_addr(&st->sa.dst, "10.0.0.2", 32, false, 0);
	assert_int_equal(st->sa.proto, IPPROTO_ESP);
	assert_int_equal(st->proto, IPPROTO_ESP);
	assert_int_equal(st->sa.spi, 0);

	st = one("flush ah;");
	assert_int_equal(st->kind, BK_ST_FLUSH);
	assert_int_equal(st->proto, IPPROTO_AH);
	st = one("flush;");
	assert_int_equal(st->proto, 0);
	st = one("dump;");
	assert_int_equal(st->kind, BK_ST_DUMP);
	assert_int_equal(st->proto, 0);
	st = one("dump ah;");
	assert_int_equal(st->proto, IPPROTO_AH);

	st = one("getspi 10.0.0.1 10.0.0.2 esp 0x100-0x1ff;");
	assert_int_equal(st->kind, BK_ST_GETSPI);
	assert_int_equal(st->sa.proto, IPPROTO_ESP);
	assert_int_equal(st->sa.spi, 0x100);
	assert_int_equal(st->sa.spi_max, 0x1ff);
	assert_no_key(&st->sa.enc);
	st = one("getspi 10.0.0.1 10.0.0.2 ah 1000 - 2000;");
	assert_int_equal(st->sa.proto, IPPROTO_AH);
	assert_int_equal(st->sa.spi, 1000);
	assert_int_equal(st->sa.spi_max, 2000);
	/* one SPI, as setkey writes it: a range of one */
	st = one("getspi 10.0.0.1 10.0.0.2 esp 5000;");
	assert_int_equal(st->sa.spi, 5000);
	assert_int_equal(st->sa.spi_max, 5000);

	st = one("spdflush;");
	assert_int_equal(st->kind, BK_ST_SPDFLUSH);
	st = one("spddump;");
	assert_int_equal(st->kind, BK_ST_SPDDUMP);
}

static void test_ipv6(void **state)
{
	const struct bk_stmt *st;

	(void)state;
	st = one("add -6 2001:db8::1 2001:db8::2 esp 0x2000 "
		 "-E aes-gcm-16 0x00112233445566778899aabbccddeeff01020304;");
	assert_addr(&st->sa.src, "2001:db8::1", 128, false, 0);
	assert_addr(&st->sa.dst, "2001:db8::2", 128, false, 0);
	assert_key(&st->sa.enc, "aes-gcm-16", BITSEC_ALG_KIND_AEAD,
		   "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff"
		   "\x01\x02\x03\x04", 20);
	assert_no_key(&st->sa.auth);

	st = one("add ::ffff:10.0.0.1 fe80::1 ah 300 -A hmac-sha1 \"12345678901234567890\";");
	assert_addr(&st->sa.src, "::ffff:10.0.0.1", 128, false, 0);
	assert_addr(&st->sa.dst, "fe80::1", 128, false, 0);

	st = one("spdadd -6 2001:db8::/32 ::/0[any] tcp -P in ipsec "
		 "esp/tunnel/2001:db8::1-2001:db8::2/require;");
	assert_addr(&st->sp.src, "2001:db8::", 32, true, 0);
	assert_addr(&st->sp.dst, "::", 0, true, 0);
	assert_int_equal(st->sp.ulproto, IPPROTO_TCP);
	assert_int_equal(st->sp.dir, BK_DIR_IN);
	assert_int_equal(st->sp.n_tmpls, 1);
	assert_true(st->sp.tmpls[0].has_endpoints);
	assert_addr(&st->sp.tmpls[0].src, "2001:db8::1", 128, false, 0);
	assert_addr(&st->sp.tmpls[0].dst, "2001:db8::2", 128, false, 0);

	st = one("spdadd fe80::1[22] fe80::2/128[1022] udp -P fwd none;");
	assert_addr(&st->sp.src, "fe80::1", 128, false, 22);
	assert_addr(&st->sp.dst, "fe80::2", 128, true, 1022);
	assert_int_equal(st->sp.ulproto, IPPROTO_UDP);
	assert_int_equal(st->sp.dir, BK_DIR_FWD);
	assert_int_equal(st->sp.action, BK_ACT_NONE);
	assert_int_equal(st->sp.n_tmpls, 0);
}

static void test_esp_udp(void **state)
{
	const struct bk_stmt *st;

	(void)state;
	/* no ports: RFC 3948's 4500 both ways */
	st = one("add 10.0.0.1 10.0.0.2 esp-udp 0x1000 "
		 "-E aes-cbc 0x00112233445566778899aabbccddeeff "
		 "-A hmac-sha1 0x0011223344556677889900112233445566778899;");
	assert_int_equal(st->sa.proto, IPPROTO_ESP);
	assert_true(st->sa.udp_encap);
	assert_int_equal(st->sa.encap_sport, 4500);
	assert_int_equal(st->sa.encap_dport, 4500);
	assert_addr(&st->sa.src, "10.0.0.1", 32, false, 0);
	assert_addr(&st->sa.dst, "10.0.0.2", 32, false, 0);
	assert_key(&st->sa.auth, "hmac-sha1", BITSEC_ALG_KIND_AUTH,
		   "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\x00\x11\x22\x33\x44\x55\x66\x77"
		   "\x88\x99", 20);

	/* ports from the addresses; [any] and [0] leave the default */
	st = one("add 10.0.0.1[1234] 10.0.0.2 [ 4501 ] esp-udp 0x1000 -E aes-cbc "
		 "0x00112233445566778899aabbccddeeff;");
	assert_int_equal(st->sa.encap_sport, 1234);
	assert_int_equal(st->sa.encap_dport, 4501);
	assert_addr(&st->sa.src, "10.0.0.1", 32, false, 1234);
	assert_addr(&st->sa.dst, "10.0.0.2", 32, false, 4501);
	st = one("add 10.0.0.1[any] 10.0.0.2[0] esp-udp 0x1000 -E aes-cbc "
		 "0x00112233445566778899aabbccddeeff;");
	assert_int_equal(st->sa.encap_sport, 4500);
	assert_int_equal(st->sa.encap_dport, 4500);
	assert_false(st->sa.src.has_port);
	assert_false(st->sa.dst.has_port);

	/* get and delete name an esp-udp SA the same way */
	st = one("delete 10.0.0.1[4501] 10.0.0.2 esp-udp 0x1000;");
	assert_true(st->sa.udp_encap);
	assert_int_equal(st->sa.encap_sport, 4501);
	assert_int_equal(st->sa.encap_dport, 4500);
	st = one("getspi 10.0.0.1 10.0.0.2[4000] esp-udp 0x1000-0x2000;");
	assert_true(st->sa.udp_encap);
	assert_int_equal(st->sa.encap_dport, 4000);
}

static void test_natt(void **state)
{
	const struct bk_stmt *st;

	(void)state;
	st = one("add 10.0.0.1 10.0.0.2 esp 0x1000 -natt 4500 0x1194 -E chacha20-poly1305 "
		 "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f01020304;");
	assert_int_equal(st->sa.proto, IPPROTO_ESP);
	assert_true(st->sa.udp_encap);
	assert_int_equal(st->sa.encap_sport, 4500);
	assert_int_equal(st->sa.encap_dport, 4500);
	assert_false(st->sa.src.has_port);
	assert_int_equal(st->sa.enc.kind, BITSEC_ALG_KIND_AEAD);
	assert_int_equal(st->sa.enc.len, 36);
	st = one("add 10.0.0.1 10.0.0.2 esp 0x1000 -natt 1 65535 -E aes-cbc "
		 "0x00112233445566778899aabbccddeeff;");
	assert_int_equal(st->sa.encap_sport, 1);
	assert_int_equal(st->sa.encap_dport, 65535);
	assert_false(st->sa.has_keepalive);
	st = one("add 10.0.0.1 10.0.0.2 esp 0x1000 -natt-keepalive 0 -natt 4500 4500 -E null "
		 "-A hmac-sha1 0x00112233445566778899aabbccddeeff01020304;");
	assert_true(st->sa.has_keepalive);
	assert_int_equal(st->sa.keepalive, 0);
	st = one("add 10.0.0.1 10.0.0.2 esp-udp 0x1000 -natt-keepalive 3600 -E null "
		 "-A hmac-sha1 0x00112233445566778899aabbccddeeff01020304;");
	assert_true(st->sa.has_keepalive);
	assert_int_equal(st->sa.keepalive, 3600);
}

static void test_tfcpad(void **state)
{
	const struct bk_stmt *st;

	(void)state;
	st = one("add 10.0.0.1 10.0.0.2 esp 0x1000 -tfcpad 1000 -m tunnel -E aes-gcm-16 "
		 "0x00112233445566778899aabbccddeeff01020304;");
	assert_int_equal(st->sa.tfcpad, 1000);
	assert_int_equal(st->sa.mode, BK_MODE_TUNNEL);
	st = one("add 10.0.0.1 10.0.0.2 esp 0x1000 -m tunnel -tfcpad 65535 -E null "
		 "-A hmac-sha1 0x00112233445566778899aabbccddeeff01020304;");
	assert_int_equal(st->sa.tfcpad, 65535);
}

static void test_family_options(void **state)
{
	const struct bk_stmt *st;

	(void)state;
	st = one("get -4 -n 10.0.0.1 10.0.0.2 esp 300;");
	assert_int_equal(st->sa.src.family, AF_INET);
	st = one("get -n6 ::1 ::2 esp 300;");
	assert_int_equal(st->sa.src.family, AF_INET6);
	st = one("deleteall -4n4 10.0.0.1 10.0.0.2 ah;");
	assert_int_equal(st->sa.src.family, AF_INET);
	st = one("spddelete -6 ::/0 ::/0 any -P out;");
	assert_int_equal(st->sp.src.family, AF_INET6);
	st = one("getspi -4 10.0.0.1 10.0.0.2 esp 300;");
	assert_int_equal(st->sa.src.family, AF_INET);
}

static void test_keys(void **state)
{
	const struct bk_stmt *st;

	(void)state;
	/* "string": \" and \\ are escapes, anything else is itself */
	st = one("add 1.1.1.1 2.2.2.2 ah 256 -A hmac-md5 \"a\\\"b\\\\c\\nd#e;f'ghi\";");
	assert_key(&st->sa.auth, "hmac-md5", BITSEC_ALG_KIND_AUTH, "a\"b\\c\\nd#e;f'ghi", 16);
	/* hex digits in either case, 0X too */
	st = one("add 1.1.1.1 2.2.2.2 ah 256 -A hmac-md5 0XaBcDeF00112233445566778899AaBbCc;");
	assert_key(&st->sa.auth, "hmac-md5", BITSEC_ALG_KIND_AUTH,
		   "\xab\xcd\xef\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc", 16);

	/* null takes no key: nothing, "" or a lone 0x */
	st = one("add 1.1.1.1 2.2.2.2 esp 256 -E null -A hmac-md5 \"1234567890123456\";");
	assert_key(&st->sa.enc, "null", BITSEC_ALG_KIND_ENC, NULL, 0);
	st = one("add 1.1.1.1 2.2.2.2 esp 256 -E null \"\" -A hmac-md5 \"1234567890123456\";");
	assert_key(&st->sa.enc, "null", BITSEC_ALG_KIND_ENC, NULL, 0);
	st = one("add 1.1.1.1 2.2.2.2 esp 256 -E null 0x -A hmac-md5 \"1234567890123456\";");
	assert_key(&st->sa.enc, "null", BITSEC_ALG_KIND_ENC, NULL, 0);
	st = one("add 1.1.1.1 2.2.2.2 esp 256 -E aes-cbc \"1234567890123456\" -A null;");
	assert_key(&st->sa.auth, "null", BITSEC_ALG_KIND_AUTH, NULL, 0);
	st = one("add 1.1.1.1 2.2.2.2 ah 256 -A null 0x;");
	assert_key(&st->sa.auth, "null", BITSEC_ALG_KIND_AUTH, NULL, 0);

	/* -A before -E is the same SA */
	st = one("add 1.1.1.1 2.2.2.2 esp 256 -A hmac-sha2-384 "
		 "\"0123456789abcdef0123456789abcdef0123456789abcdef\" "
		 "-E 3des-cbc \"0123456789abcdef01234567\";");
	assert_key(&st->sa.enc, "3des-cbc", BITSEC_ALG_KIND_ENC, "0123456789abcdef01234567", 24);
	assert_int_equal(st->sa.auth.len, 48);

	/* every length of the table's other algorithms */
	st = one("add 1.1.1.1 2.2.2.2 esp 256 -E des-cbc \"12345678\" -A hmac-sha2-512 "
		 "\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\";");
	assert_int_equal(st->sa.enc.len, 8);
	assert_int_equal(st->sa.auth.len, 64);
	st = one("add 1.1.1.1 2.2.2.2 esp 256 -E aes-ctr \"12345678901234567890\";");
	assert_int_equal(st->sa.enc.len, 20);
	st = one("add 1.1.1.1 2.2.2.2 esp 256 -E aes-ctr "
		 "\"123456789012345678901234567890123456\";");
	assert_int_equal(st->sa.enc.len, 36);
	st = one("add 1.1.1.1 2.2.2.2 esp 256 -E aes-gcm-16 \"1234567890123456789012345678\";");
	assert_int_equal(st->sa.enc.len, 28);
}

/* --- SPD statements ----------------------------------------------------------------- */

static void test_selectors(void **state)
{
	const struct bk_stmt *st;

	(void)state;
	st = one("spdadd 10.0.0.0/8[any] 192.168.0.0 / 16 [443] tcp -P out discard;");
	assert_addr(&st->sp.src, "10.0.0.0", 8, true, 0);
	assert_addr(&st->sp.dst, "192.168.0.0", 16, true, 443);
	assert_int_equal(st->sp.ulproto, IPPROTO_TCP);
	assert_int_equal(st->sp.action, BK_ACT_DISCARD);
	assert_int_equal(st->sp.n_tmpls, 0);
	assert_sa_empty(&st->sa);

	st = one("spdadd 0.0.0.0/0 10.0.0.1/32[65535] sctp -P in none;");
	assert_addr(&st->sp.src, "0.0.0.0", 0, true, 0);
	assert_addr(&st->sp.dst, "10.0.0.1", 32, true, 65535);
	assert_int_equal(st->sp.ulproto, IPPROTO_SCTP);

	st = one("spdadd 10.0.0.1[53] 10.0.0.2 any -P in none;");
	assert_int_equal(st->sp.src.port, 53);
	assert_int_equal(st->sp.ulproto, BK_ULPROTO_ANY);

	st = one("spdadd 10.0.0.1 10.0.0.2 47 -P in none;");
	assert_int_equal(st->sp.ulproto, IPPROTO_GRE);
	st = one("spdadd 10.0.0.1 10.0.0.2 0x0 -P in none;");
	assert_int_equal(st->sp.ulproto, 0);
	st = one("spdadd 10.0.0.1 10.0.0.2 255 -P in none;");
	assert_int_equal(st->sp.ulproto, 255);
	st = one("spdadd 10.0.0.1 10.0.0.2 gre -P in none;");
	assert_int_equal(st->sp.ulproto, IPPROTO_GRE);
	st = one("spdadd 10.0.0.1 10.0.0.2 udp -P in none;");
	assert_int_equal(st->sp.ulproto, IPPROTO_UDP);
	st = one("spdadd 10.0.0.1 10.0.0.2 esp -P in none;");
	assert_int_equal(st->sp.ulproto, IPPROTO_ESP);
	st = one("spdadd 10.0.0.1 10.0.0.2 ah -P in none;");
	assert_int_equal(st->sp.ulproto, IPPROTO_AH);
	st = one("spdadd ::1 ::2 ipv6-icmp -P in none;");
	assert_int_equal(st->sp.ulproto, IPPROTO_ICMPV6);

	/* icmp and icmp6 take type[,code] */
	st = one("spdadd 10.0.0.1 10.0.0.2 icmp -P in none;");
	assert_int_equal(st->sp.ulproto, IPPROTO_ICMP);
	assert_false(st->sp.has_icmp);
	assert_false(st->sp.has_icmp_code);
	st = one("spdadd 10.0.0.1 10.0.0.2 icmp 8 -P in none;");
	assert_true(st->sp.has_icmp);
	assert_int_equal(st->sp.icmp_type, 8);
	assert_false(st->sp.has_icmp_code);
	st = one("spdadd 10.0.0.1 10.0.0.2 icmp 3,13 -P in none;");
	assert_true(st->sp.has_icmp);
	assert_int_equal(st->sp.icmp_type, 3);
	assert_true(st->sp.has_icmp_code);
	assert_int_equal(st->sp.icmp_code, 13);
	st = one("spdadd ::/0 ::/0 icmp6 135,0 -P in none;");
	assert_int_equal(st->sp.ulproto, IPPROTO_ICMPV6);
	assert_int_equal(st->sp.icmp_type, 135);
	assert_int_equal(st->sp.icmp_code, 0);
	assert_true(st->sp.has_icmp_code);
	st = one("spdadd ::/0 ::/0 58 255,255 -P in none;");
	assert_int_equal(st->sp.icmp_type, 255);
	assert_int_equal(st->sp.icmp_code, 255);

	st = one("spdupdate 10.0.0.1 10.0.0.2 any -P fwd ipsec esp/transport//use;");
	assert_int_equal(st->kind, BK_ST_SPDUPDATE);
	assert_int_equal(st->sp.dir, BK_DIR_FWD);
	assert_int_equal(st->sp.tmpls[0].level, BK_LEVEL_USE);
}

static uint32_t prio_of(const char *spec)
{
	char text[256];
	const struct bk_stmt *st;

	snprintf(text, sizeof(text), "spdadd 10.0.0.1 10.0.0.2 any -P out %s discard;", spec);
	st = one(text);
	assert_true(st->sp.has_prio);
	assert_int_equal(st->sp.action, BK_ACT_DISCARD);
	return st->sp.prio;
}

/* ipsec-tools' resolution; see prio() in parse.c. */
static void test_priorities(void **state)
{
	(void)state;
	assert_int_equal(BK_PRIO_HIGH, 0x40000000U);
	assert_int_equal(BK_PRIO_DEF, 0x80000000U);
	assert_int_equal(BK_PRIO_LOW, 0xc0000000U);

	/* prio N: N above the default, i.e. a lower value */
	assert_int_equal(prio_of("prio 0"), 0x80000000U);
	assert_int_equal(prio_of("prio 10"), 0x80000000U - 10);
	assert_int_equal(prio_of("priority 0x10"), 0x80000000U - 16);
	assert_int_equal(prio_of("prio 2147483648"), 0);
	/* prio -N: below the default */
	assert_int_equal(prio_of("prio -10"), 0x80000000U + 10);
	assert_int_equal(prio_of("prio - 10"), 0x80000000U + 10);
	assert_int_equal(prio_of("prio -2147483647"), 0xffffffffU);
	/* the named bases, alone and with offsets in every spacing */
	assert_int_equal(prio_of("prio low"), 0xc0000000U);
	assert_int_equal(prio_of("prio def"), 0x80000000U);
	assert_int_equal(prio_of("prio high"), 0x40000000U);
	assert_int_equal(prio_of("prio def + 10"), 0x80000000U - 10);
	assert_int_equal(prio_of("prio def+10"), 0x80000000U - 10);
	assert_int_equal(prio_of("prio def -10"), 0x80000000U + 10);
	assert_int_equal(prio_of("prio low- 5"), 0xc0000000U + 5);
	assert_int_equal(prio_of("prio high +1"), 0x40000000U - 1);
	assert_int_equal(prio_of("prio high + 1073741824"), 0);
	assert_int_equal(prio_of("prio low - 1073741823"), 0xffffffffU);
	assert_int_equal(prio_of("prio low + 1073741824"), 0x80000000U);

	/* ipsec-tools' own output form, and comments inside */
	assert_int_equal(prio_of("prio def # a comment\n + 1"), 0x80000000U - 1);

	/* spddelete with only the direction: the default, no prio given */
	assert_int_equal(one("spddelete 10.0.0.1 10.0.0.2 any -P out;")->sp.prio, BK_PRIO_DEF);
	assert_false(got[0].sp.has_prio);
	assert_int_equal(got[0].sp.dir, BK_DIR_OUT);
	assert_int_equal(got[0].sp.n_tmpls, 0);
}

static void test_templates(void **state)
{
	const struct bk_stmt *st;
	const struct bk_tmpl *t;

	(void)state;
	st = one("spdadd 10.0.1.0/24 10.0.2.0/24 any -P out prio high ipsec\n"
		 "\tesp/tunnel/192.0.2.1-192.0.2.2/unique:1\n"
		 "\tah/tunnel/2001:db8::1-2001:db8::2/unique:16383\n"
		 "\tesp/transport\n"
		 "\tah/transport/\n"
		 ";");
	assert_int_equal(st->sp.prio, BK_PRIO_HIGH);
	assert_int_equal(st->sp.n_tmpls, 4);
	t = &st->sp.tmpls[0];
	assert_int_equal(t->proto, IPPROTO_ESP);
	assert_int_equal(t->mode, BK_MODE_TUNNEL);
	assert_true(t->has_endpoints);
	assert_addr(&t->src, "192.0.2.1", 32, false, 0);
	assert_addr(&t->dst, "192.0.2.2", 32, false, 0);
	assert_int_equal(t->level, BK_LEVEL_UNIQUE);
	assert_int_equal(t->reqid, 1);
	t = &st->sp.tmpls[1];
	assert_int_equal(t->proto, IPPROTO_AH);
	assert_int_equal(t->mode, BK_MODE_TUNNEL);
	assert_addr(&t->src, "2001:db8::1", 128, false, 0);
	assert_addr(&t->dst, "2001:db8::2", 128, false, 0);
	assert_int_equal(t->level, BK_LEVEL_UNIQUE);
	assert_int_equal(t->reqid, 16383);
	/* proto/mode and proto/mode/: level "default", as ipsec-tools parses them */
	t = &st->sp.tmpls[2];
	assert_int_equal(t->proto, IPPROTO_ESP);
	assert_int_equal(t->mode, BK_MODE_TRANSPORT);
	assert_false(t->has_endpoints);
	assert_int_equal(t->level, BK_LEVEL_DEFAULT);
	assert_int_equal(t->reqid, 0);
	t = &st->sp.tmpls[3];
	assert_int_equal(t->proto, IPPROTO_AH);
	assert_int_equal(t->level, BK_LEVEL_DEFAULT);

	st = one("spdadd 10.0.1.0/24 10.0.2.0/24 any -P in ipsec "
		 "esp/tunnel/10.0.0.1-10.0.0.2 esp/tunnel/10.0.0.1-10.0.0.2/ "
		 "esp/transport//default esp/transport//unique;");
	assert_int_equal(st->sp.n_tmpls, 4);
	assert_true(st->sp.tmpls[0].has_endpoints);
	assert_int_equal(st->sp.tmpls[0].level, BK_LEVEL_DEFAULT);
	assert_true(st->sp.tmpls[1].has_endpoints);
	assert_int_equal(st->sp.tmpls[1].level, BK_LEVEL_DEFAULT);
	assert_int_equal(st->sp.tmpls[2].level, BK_LEVEL_DEFAULT);
	assert_int_equal(st->sp.tmpls[3].level, BK_LEVEL_UNIQUE);
	assert_int_equal(st->sp.tmpls[3].reqid, 0);

	st = one("spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//unique:0x3fff;");
	assert_int_equal(st->sp.tmpls[0].reqid, 0x3fff);

	/* a full policy after spddelete is accepted, as setkey accepts it */
	st = one("spddelete 10.0.0.1 10.0.0.2 any -P in prio low ipsec esp/transport//require;");
	assert_int_equal(st->kind, BK_ST_SPDDELETE);
	assert_int_equal(st->sp.dir, BK_DIR_IN);
	assert_int_equal(st->sp.prio, BK_PRIO_LOW);
	assert_int_equal(st->sp.n_tmpls, 1);
}

/* --- errors: exact messages, nothing delivered -------------------------------------- */

static const struct {
	const char *text;
	const char *msg;
} bad[] = {
	/* the statement and its end */
	{ "foo;", "t.conf:1:1: expected a statement (add, update, get, delete, deleteall, flush, "
		  "dump, getspi, spdadd, spdupdate, spddelete, spdflush or spddump), got 'foo'" },
	{ ";", "t.conf:1:1: expected a statement (add, update, get, delete, deleteall, flush, "
	       "dump, getspi, spdadd, spdupdate, spddelete, spdflush or spddump), got ';'" },
	{ "flush;;dump;", "t.conf:1:7: expected a statement (add, update, get, delete, deleteall, "
			  "flush, dump, getspi, spdadd, spdupdate, spddelete, spdflush or spddump), "
			  "got ';'" },
	{ "ADD 10.0.0.1 10.0.0.2 esp 300;",
	  "t.conf:1:1: expected a statement (add, update, get, delete, deleteall, flush, "
	  "dump, getspi, spdadd, spdupdate, spddelete, spdflush or spddump), got 'ADD'" },
	{ "flush", "t.conf:1:6: missing ';' at end of input" },
	{ "flush # comment\n", "t.conf:1:6: missing ';' at end of input" },
	{ "spdflush\nflush;", "t.conf:2:1: expected ';' after the statement, got 'flush'" },
	{ "flush esp ah;", "t.conf:1:11: expected ';' after the statement, got 'ah'" },
	{ "flush udp;", "t.conf:1:7: expected esp or ah, got 'udp'" },
	{ "get 10.0.0.1 10.0.0.2 esp 300",
	  "t.conf:1:30: missing ';' at end of input" },
	{ "get 10.0.0.1 10.0.0.2 esp 300 -m tunnel;",
	  "t.conf:1:31: expected ';' after the statement, got '-m'" },
	{ "add 10.0.0.1", "t.conf:1:13: expected destination address, got end of input" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc \"1234567890123456\" -A",
	  "t.conf:1:63: expected an authentication algorithm after -A, got end of input" },

	/* strings and hex keys */
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc \"1234567890123456;",
	  "t.conf:1:42: unterminated string" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc \"12345678\n90123456\";",
	  "t.conf:1:42: unterminated string" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc \"123456789012345\\\";",
	  "t.conf:1:42: unterminated string" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc 0x0011223344556677889g;",
	  "t.conf:1:63: bad hex digit 'g' in key" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc 0x00112233445566778899aabbccddeef;",
	  "t.conf:1:42: odd number of hex digits in key (31); a key is whole bytes" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc 0x;",
	  "t.conf:1:42: aes-cbc key is 0 bits; it takes 128, 192 or 256 bits" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc \"\";",
	  "t.conf:1:42: aes-cbc key is 0 bits; it takes 128, 192 or 256 bits" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc 001122;",
	  "t.conf:1:42: expected the key of aes-cbc: \"string\" or 0x hex, got '001122'" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc;",
	  "t.conf:1:41: expected the key of aes-cbc: \"string\" or 0x hex, got ';'" },

	/* key lengths */
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc \"123456789012\";",
	  "t.conf:1:42: aes-cbc key is 96 bits; it takes 128, 192 or 256 bits" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-gcm-16 \"1234567890123456\";",
	  "t.conf:1:45: aes-gcm-16 key is 128 bits; it takes 160, 224 or 288 bits "
	  "(key + 32-bit salt)" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-ctr \"1234567890123456\";",
	  "t.conf:1:42: aes-ctr key is 128 bits; it takes 160, 224 or 288 bits "
	  "(key + 32-bit salt)" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E chacha20-poly1305 "
	  "\"12345678901234567890123456789012\";",
	  "t.conf:1:52: chacha20-poly1305 key is 256 bits; it takes 288 bits (key + 32-bit salt)" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -A hmac-sha2-256 \"1234567890123456\";",
	  "t.conf:1:47: hmac-sha2-256 key is 128 bits; it takes 256 bits" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -A hmac-md5 0x"
	  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00;",
	  "t.conf:1:42: hmac-md5 key is 520 bits; it takes 128 bits" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E null \"x\" -A hmac-md5 \"1234567890123456\";",
	  "t.conf:1:39: null takes no key; give none, \"\" or 0x" },

	/* algorithms */
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E foo 0x00;",
	  "t.conf:1:34: unknown encryption algorithm 'foo'" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E hmac-md5 0x00;",
	  "t.conf:1:34: unknown encryption algorithm 'hmac-md5'" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -A aes-cbc \"1234567890123456\";",
	  "t.conf:1:33: unknown authentication algorithm 'aes-cbc'" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -A hmac-sha256 0x00;",
	  "t.conf:1:33: unknown authentication algorithm 'hmac-sha256'" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E aes-gcm-16 \"12345678901234567890\" "
	  "-A hmac-sha1 \"12345678901234567890\";",
	  "t.conf:1:68: aes-gcm-16 is an AEAD: an AEAD carries its own integrity; drop -A" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -A null -E chacha20-poly1305 "
	  "\"123456789012345678901234567890123456\";",
	  "t.conf:1:31: chacha20-poly1305 is an AEAD: an AEAD carries its own integrity; drop -A" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -E aes-cbc \"1234567890123456\";",
	  "t.conf:1:30: -E on an AH SA: AH only authenticates; use -A ALGO KEY" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -A hmac-md5 \"1234567890123456\";",
	  "t.conf:1:61: ESP needs an encryption algorithm: -E ALGO KEY [-A ALGO KEY]" },
	{ "add 10.0.0.1 10.0.0.2 esp 300;",
	  "t.conf:1:30: ESP needs an encryption algorithm: -E ALGO KEY [-A ALGO KEY]" },
	{ "add 10.0.0.1 10.0.0.2 ah 300;",
	  "t.conf:1:29: AH needs an authentication algorithm: -A ALGO KEY" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 aes-cbc \"1234567890123456\";",
	  "t.conf:1:31: expected -E ALGO KEY, got 'aes-cbc'" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 hmac-md5 \"1234567890123456\";",
	  "t.conf:1:30: expected -A ALGO KEY, got 'hmac-md5'" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E null;",
	  "t.conf:1:31: ESP with -E null needs integrity (-A): RFC 4303 forbids null encryption "
	  "without it" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E null -A null;",
	  "t.conf:1:31: ESP with -E null needs integrity (-A): RFC 4303 forbids null encryption "
	  "without it" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -E null -E null;",
	  "t.conf:1:39: duplicate -E" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -A null -A null;",
	  "t.conf:1:38: duplicate -A" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -A null -m tunnel;",
	  "t.conf:1:38: '-m' goes before the algorithms: extensions come before -E and -A" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -A null foo;",
	  "t.conf:1:38: expected ';' after the statement, got 'foo'" },

	/* numbers and SPIs */
	{ "get 10.0.0.1 10.0.0.2 esp 255;",
	  "t.conf:1:27: SPI 255 is reserved (0..255); use 256 or more" },
	{ "get 10.0.0.1 10.0.0.2 esp 0;",
	  "t.conf:1:27: SPI 0 is reserved (0..255); use 256 or more" },
	{ "get 10.0.0.1 10.0.0.2 esp 4294967296;",
	  "t.conf:1:27: SPI 4294967296 is too big; the limit is 4294967295" },
	{ "get 10.0.0.1 10.0.0.2 esp 0x100000000;",
	  "t.conf:1:27: SPI 0x100000000 is too big; the limit is 4294967295" },
	{ "get 10.0.0.1 10.0.0.2 esp 99999999999999999999999999999999999999999999999999999;",
	  "t.conf:1:27: SPI 9999999999999999999999999999999999999999... is too big; "
	  "the limit is 4294967295" },
	{ "get 10.0.0.1 10.0.0.2 esp 12a;",
	  "t.conf:1:27: bad SPI '12a': expected a decimal or 0x hex number" },
	{ "get 10.0.0.1 10.0.0.2 esp -1;",
	  "t.conf:1:27: bad SPI '-1': expected a decimal or 0x hex number" },
	{ "get 10.0.0.1 10.0.0.2 esp 0x;",
	  "t.conf:1:27: bad SPI '0x': expected a decimal or 0x hex number" },
	{ "get 10.0.0.1 10.0.0.2 esp;", "t.conf:1:26: expected an SPI, got ';'" },
	{ "getspi 10.0.0.1 10.0.0.2 esp 0x200-0x100;",
	  "t.conf:1:30: SPI range 512-256 is empty" },
	{ "getspi 10.0.0.1 10.0.0.2 esp 0x100-0x10;",
	  "t.conf:1:36: SPI 16 is reserved (0..255); use 256 or more" },
	{ "getspi 10.0.0.1 10.0.0.2 esp 0x100-;",
	  "t.conf:1:36: expected the largest SPI of the range, got ';'" },

	/* protocols */
	{ "get 10.0.0.1 10.0.0.2 ipcomp 300;",
	  "t.conf:1:23: expected esp, ah or esp-udp, got 'ipcomp'" },
	{ "deleteall 10.0.0.1 10.0.0.2 esp-udp;",
	  "t.conf:1:29: expected esp or ah, got 'esp-udp'" },
	{ "deleteall 10.0.0.1 10.0.0.2 esp 300;",
	  "t.conf:1:33: expected ';' after the statement, got '300'" },

	/* addresses */
	{ "get 10.0.0.1 fe80::1 esp 300;",
	  "t.conf:1:14: source and destination are of different families (IPv4 and IPv6)" },
	{ "spdadd ::/0 0.0.0.0/0 any -P out none;",
	  "t.conf:1:13: source and destination are of different families (IPv6 and IPv4)" },
	{ "get -6 10.0.0.1 10.0.0.2 esp 300;",
	  "t.conf:1:8: source address 10.0.0.1 is IPv4 but -6 was given" },
	{ "get -4 ::1 ::2 esp 300;",
	  "t.conf:1:8: source address ::1 is IPv6 but -4 was given" },
	{ "get -46 ::1 ::2 esp 300;", "t.conf:1:5: -4 and -6 contradict each other" },
	{ "get -4 -6 ::1 ::2 esp 300;", "t.conf:1:8: -4 and -6 contradict each other" },
	{ "get -x ::1 ::2 esp 300;",
	  "t.conf:1:5: bad source address '-x': expected a numeric IPv4 or IPv6 address" },
	{ "get gw.example.org 10.0.0.2 esp 300;",
	  "t.conf:1:5: source address 'gw.example.org' is a host name; bitskey does not resolve "
	  "names, use a numeric IPv4 or IPv6 address" },
	{ "get 10.0.0.1 localhost esp 300;",
	  "t.conf:1:14: destination address 'localhost' is a host name; bitskey does not resolve "
	  "names, use a numeric IPv4 or IPv6 address" },
	{ "get 10.0.0.256 10.0.0.2 esp 300;",
	  "t.conf:1:5: bad source address '10.0.0.256': expected a numeric IPv4 or IPv6 address" },
	{ "get 10.1 10.0.0.2 esp 300;",
	  "t.conf:1:5: bad source address '10.1': expected a numeric IPv4 or IPv6 address" },
	{ "get fe80::1%eth0 fe80::2 esp 300;",
	  "t.conf:1:5: bad source address 'fe80::1%eth0': expected a numeric IPv4 or IPv6 "
	  "address" },
	{ "get 1:2:3:4:5:6:7:8:9 ::2 esp 300;",
	  "t.conf:1:5: bad source address '1:2:3:4:5:6:7:8:9': expected a numeric IPv4 or IPv6 "
	  "address" },
	{ "get any 10.0.0.2 esp 300;",
	  "t.conf:1:5: source address 'any' is a host name; bitskey does not resolve names, use a "
	  "numeric IPv4 or IPv6 address" },
	{ "get 10.0.0.1/32 10.0.0.2 esp 300;",
	  "t.conf:1:13: SA addresses are hosts; remove the prefix length" },
	{ "add 10.0.0.1 10.0.0.2/24 ah 300 -A null;",
	  "t.conf:1:22: SA addresses are hosts; remove the prefix length" },
	{ "get 10.0.0.1[500] 10.0.0.2 esp 300;",
	  "t.conf:1:13: a port on an SA address needs esp-udp (ESP in UDP)" },
	{ "get 10.0.0.1 10.0.0.2[500] ah 300;",
	  "t.conf:1:22: a port on an SA address needs esp-udp (ESP in UDP)" },
	{ "deleteall 10.0.0.1 10.0.0.2[500] esp;",
	  "t.conf:1:28: deleteall takes addresses without ports" },
	{ "spdadd 10.0.0.0/33 10.0.0.2 any -P out none;",
	  "t.conf:1:17: IPv4 prefix length 33 is too big; the limit is 32" },
	{ "spdadd ::/129 ::2 any -P out none;",
	  "t.conf:1:11: IPv6 prefix length 129 is too big; the limit is 128" },
	{ "spdadd 10.0.0.0/ 10.0.0.2 any -P out none;",
	  "t.conf:1:18: bad IPv4 prefix length '10.0.0.2': expected a decimal or 0x hex number" },
	{ "spdadd 10.0.0.0/x 10.0.0.2 any -P out none;",
	  "t.conf:1:17: bad IPv4 prefix length 'x': expected a decimal or 0x hex number" },
	{ "spdadd 10.0.0.1[65536] 10.0.0.2 any -P out none;",
	  "t.conf:1:17: port 65536 is too big; the limit is 65535" },
	{ "spdadd 10.0.0.1[80 10.0.0.2 any -P out none;",
	  "t.conf:1:20: expected ']' after the port, got '10.0.0.2'" },
	{ "spdadd 10.0.0.1[] 10.0.0.2 any -P out none;",
	  "t.conf:1:17: expected a port or 'any', got ']'" },
	{ "spdadd 10.0.0.1[http] 10.0.0.2 any -P out none;",
	  "t.conf:1:17: bad port 'http': expected a decimal or 0x hex number" },
	{ "spdadd 10.0.0.1[80] 10.0.0.2 icmp -P out none;",
	  "t.conf:1:16: ports only make sense with tcp, udp, sctp or any, not 'icmp'" },
	{ "spdadd 10.0.0.1 10.0.0.2[80] 47 -P out none;",
	  "t.conf:1:25: ports only make sense with tcp, udp, sctp or any, not '47'" },

	/* extensions */
	{ "add 10.0.0.1 10.0.0.2 ah 300 -m tunnel -m tunnel -A null;",
	  "t.conf:1:40: duplicate extension '-m'" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -esn -esn -A null;",
	  "t.conf:1:35: duplicate extension '-esn'" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -lh 1 -ls 1 -lh 2 -A null;",
	  "t.conf:1:42: duplicate extension '-lh'" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -x 1 -A null;",
	  "t.conf:1:30: unknown extension '-x'; expected -m, -r, -u, -f, -lh, -ls, -bh, -bs, -ph, "
	  "-ps, -uh, -us, -esn, -natt, -natt-keepalive, -tfcpad, or -E/-A" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -m beet -A null;",
	  "t.conf:1:33: expected transport, tunnel or any after -m, got 'beet'" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -f nocyclic-seq -A null;",
	  "t.conf:1:33: expected zero-pad, random-pad or seq-pad after -f, got 'nocyclic-seq'" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -r 65537 -A null;",
	  "t.conf:1:33: replay window 65537 is too big; the limit is 65536" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -r -A null;",
	  "t.conf:1:33: bad replay window '-A': expected a decimal or 0x hex number" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -u 4294967296 -A null;",
	  "t.conf:1:33: reqid 4294967296 is too big; the limit is 4294967295" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -bh 18446744073709551616 -A null;",
	  "t.conf:1:34: hard byte limit 18446744073709551616 is too big; "
	  "the limit is 18446744073709551615" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -ph 0x10000000000000000 -A null;",
	  "t.conf:1:34: hard packet limit 0x10000000000000000 is too big; "
	  "the limit is 18446744073709551615" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -lh 10 -ls 11 -A null;",
	  "t.conf:1:41: -ls 11 is greater than -lh 10; the soft limit must come first" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -bs 2 -bh 1 -A null;",
	  "t.conf:1:34: -bs 2 is greater than -bh 1; the soft limit must come first" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -ps 2 -ph 1 -A null;",
	  "t.conf:1:34: -ps 2 is greater than -ph 1; the soft limit must come first" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -us 2 -uh 1 -A null;",
	  "t.conf:1:34: -us 2 is greater than -uh 1; the soft limit must come first" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -natt 4500 4500 -A null;",
	  "t.conf:1:30: -natt needs esp (NAT-T carries ESP in UDP)" },
	{ "add 10.0.0.1 10.0.0.2 ah 300 -m tunnel -tfcpad 100 -A null;",
	  "t.conf:1:40: -tfcpad needs esp (AH has no padding)" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -tfcpad 100 -E null -A null;",
	  "t.conf:1:31: -tfcpad needs -m tunnel: only an inner IP header tells the receiver "
	  "where the padding starts" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -m tunnel -tfcpad 65536 -E null -A null;",
	  "t.conf:1:49: TFC padding length 65536 is too big; the limit is 65535" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -natt-keepalive 5 -E null -A null;",
	  "t.conf:1:31: -natt-keepalive needs esp-udp or -natt: keepalives only keep a "
	  "NAT-T mapping" },
	{ "add 10.0.0.1 10.0.0.2 esp-udp 300 -natt-keepalive 3601 -E null -A null;",
	  "t.conf:1:51: NAT keepalive interval (seconds, 0 = off) 3601 is too big; "
	  "the limit is 3600" },
	{ "add 10.0.0.1 10.0.0.2 esp-udp 300 -natt 4500 4500 -E null -A null;",
	  "t.conf:1:35: -natt and esp-udp both set the NAT-T ports; use one" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -natt 0 4500 -E aes-cbc \"1234567890123456\";",
	  "t.conf:1:37: NAT-T port 0 is invalid; use 1..65535" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -natt 4500 0 -E aes-cbc \"1234567890123456\";",
	  "t.conf:1:42: NAT-T port 0 is invalid; use 1..65535" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -natt 4500 -E aes-cbc \"1234567890123456\";",
	  "t.conf:1:42: bad NAT-T destination port '-E': expected a decimal or 0x hex number" },
	{ "add 10.0.0.1 10.0.0.2 esp 300 -natt 4500 65536 -E null -A null;",
	  "t.conf:1:42: NAT-T destination port 65536 is too big; the limit is 65535" },

	/* upper-layer protocols */
	{ "spdadd 10.0.0.1 10.0.0.2 foo -P out none;",
	  "t.conf:1:26: unknown upper-layer protocol 'foo'; use a name like tcp, udp or icmp, "
	  "a number 0..255, or any" },
	{ "spdadd 10.0.0.1 10.0.0.2 256 -P out none;",
	  "t.conf:1:26: upper-layer protocol 256 is too big; the limit is 255" },
	{ "spdadd 10.0.0.1 10.0.0.2 -P out none;",
	  "t.conf:1:26: unknown upper-layer protocol '-P'; use a name like tcp, udp or icmp, "
	  "a number 0..255, or any" },
	{ "spdadd 10.0.0.1 10.0.0.2 icmp 256 -P out none;",
	  "t.conf:1:31: ICMP type 256 is too big; the limit is 255" },
	{ "spdadd 10.0.0.1 10.0.0.2 icmp 8,300 -P out none;",
	  "t.conf:1:33: ICMP code 300 is too big; the limit is 255" },
	{ "spdadd 10.0.0.1 10.0.0.2 icmp 8, -P out none;",
	  "t.conf:1:34: bad ICMP code '-P': expected a decimal or 0x hex number" },
	{ "spdadd 10.0.0.1 10.0.0.2 tcp 8 -P out none;",
	  "t.conf:1:30: expected -P and the policy, got '8'" },

	/* policies */
	{ "spdadd 10.0.0.1 10.0.0.2 any out none;",
	  "t.conf:1:30: expected -P and the policy, got 'out'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P inbound none;",
	  "t.conf:1:33: expected in, out or fwd after -P, got 'inbound'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out;",
	  "t.conf:1:36: expected discard, none or ipsec, got ';'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out bypass;",
	  "t.conf:1:37: expected discard, none or ipsec, got 'bypass'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec;",
	  "t.conf:1:42: ipsec needs at least one request, e.g. esp/transport//require" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec",
	  "t.conf:1:42: ipsec needs at least one request, e.g. esp/transport//require" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out discard esp/transport//require;",
	  "t.conf:1:45: 'discard' takes no requests; expected ';'" },
	{ "spddelete 10.0.0.1 10.0.0.2 any -P out none esp/transport//require;",
	  "t.conf:1:45: 'none' takes no requests; expected ';'" },
	{ "spddelete 10.0.0.1 10.0.0.2 any;",
	  "t.conf:1:32: expected -P and the policy, got ';'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require "
	  "esp/transport//require esp/transport//require esp/transport//require "
	  "esp/transport//require;",
	  "t.conf:1:135: too many requests; a policy takes at most 4" },

	/* priorities */
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out prio discard;",
	  "t.conf:1:42: expected a priority after 'prio': N, -N, or low, def or high optionally "
	  "followed by + N or - N, got 'discard'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out prio +10 discard;",
	  "t.conf:1:42: 'prio +N' is not setkey syntax; write 'prio N' (N above the default) "
	  "or 'prio def + N'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out prio 2147483649 discard;",
	  "t.conf:1:42: priority offset 2147483649 is too big; the limit is 2147483648" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out prio -2147483648 discard;",
	  "t.conf:1:43: priority offset 2147483648 is too big; the limit is 2147483647" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out prio high + 1073741825 discard;",
	  "t.conf:1:49: priority offset 1073741825 is too big; the limit is 1073741824" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out prio low - 1073741824 discard;",
	  "t.conf:1:48: priority offset 1073741824 is too big; the limit is 1073741823" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out prio def + discard;",
	  "t.conf:1:48: bad priority offset 'discard': expected a decimal or 0x hex number" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out prio 99999999999999999999999 discard;",
	  "t.conf:1:42: priority offset 99999999999999999999999 is too big; "
	  "the limit is 2147483648" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out prio medium discard;",
	  "t.conf:1:42: expected a priority after 'prio': N, -N, or low, def or high optionally "
	  "followed by + N or - N, got 'medium'" },

	/* requests */
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp;",
	  "t.conf:1:43: incomplete request 'esp'; expected proto/mode/src-dst/level, "
	  "e.g. esp/transport//require" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/;",
	  "t.conf:1:43: incomplete request 'esp/'; expected proto/mode/src-dst/level, "
	  "e.g. esp/transport//require" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec ipcomp/transport//require;",
	  "t.conf:1:43: expected esp or ah in request, got 'ipcomp'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/beet//require;",
	  "t.conf:1:47: expected transport or tunnel in request, got 'beet'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//;",
	  "t.conf:1:57: request 'esp/transport//' ends in '//'; give a level (default, use, "
	  "require, unique) or drop the slashes" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require/x;",
	  "t.conf:1:65: too many '/' in request 'esp/transport//require/x'; expected "
	  "proto/mode/src-dst/level, e.g. esp/transport//require" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//must;",
	  "t.conf:1:58: expected a level (default, use, require, unique or unique:N), got 'must'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//unique:0;",
	  "t.conf:1:65: unique:0 is no reqid; write 'unique' to let the kernel pick one, or "
	  "unique:1..16383" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//unique:16384;",
	  "t.conf:1:65: unique reqid 16384 is too big; the limit is 16383" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//unique:;",
	  "t.conf:1:58: expected a reqid after 'unique:'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//unique:x1;",
	  "t.conf:1:65: bad unique reqid 'x1': expected a decimal or 0x hex number" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel//require;",
	  "t.conf:1:43: tunnel mode needs its endpoints: esp/tunnel/SRC-DST/LEVEL" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec ah/tunnel;",
	  "t.conf:1:43: tunnel mode needs its endpoints: ah/tunnel/SRC-DST/LEVEL" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport/10.0.0.1-10.0.0.2/require;",
	  "t.conf:1:57: transport mode takes no endpoints; write esp/transport//LEVEL" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1/require;",
	  "t.conf:1:54: tunnel endpoints must be SRC-DST, got '10.0.0.1'" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1-::1/require;",
	  "t.conf:1:63: tunnel endpoints are of different families (IPv4 and IPv6)" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1-gw/require;",
	  "t.conf:1:63: tunnel destination 'gw' is a host name; bitskey does not resolve names, "
	  "use a numeric IPv4 or IPv6 address" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1-10.0.0.2-3/require;",
	  "t.conf:1:63: bad tunnel destination '10.0.0.2-3': expected a numeric IPv4 or IPv6 "
	  "address" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/-10.0.0.2/require;",
	  "t.conf:1:54: bad tunnel source '': expected a numeric IPv4 or IPv6 address" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/10.0.0.1[500]-10.0.0.2/require;",
	  "t.conf:1:62: tunnel endpoints take no ports" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/tunnel/me-any/require;",
	  "t.conf:1:54: 'me' and 'any' are not supported as tunnel endpoints; give numeric "
	  "addresses" },
	{ "spdadd 10.0.0.1 10.0.0.2 any -P out ipsec \"esp/transport//require\";",
	  "t.conf:1:43: expected a request (proto/mode/src-dst/level), got a string" },

	/* a bad statement after good ones: nothing is delivered */
	{ "flush;\nspdflush;\nadd 10.0.0.1 10.0.0.2 esp 300 -E aes-cbc \"short\";\nflush;",
	  "t.conf:3:42: aes-cbc key is 40 bits; it takes 128, 192 or 256 bits" },
	{ "flush;\nflush;\nflush;\n\n  bogus;", "t.conf:5:3: expected a statement (add, update, "
	  "get, delete, deleteall, flush, dump, getspi, spdadd, spdupdate, spddelete, spdflush "
	  "or spddump), got 'bogus'" },
};

/* Every case runs and each mismatch is printed, then the count must be 0. */
static void test_errors(void **state)
{
	size_t i, wrong = 0;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = parse(bad[i].text);
		if (rc == -1 && !n_calls && !strcmp(err, bad[i].msg))
			continue;
		wrong++;
		print_error("input: %s\n  rc %d, %zu statements\n  want: %s\n  got:  %s\n",
			    bad[i].text, rc, n_calls, bad[i].msg, rc == -1 ? err : "(accepted)");
	}
	assert_int_equal(wrong, 0);
}

/* Any byte anywhere: stray bytes are named, NUL included, and nothing is read past the end. */
static void test_binary(void **state)
{
	static const char nul[] = "flush;\0spdflush;";
	static const char nul_comment[] = "flush; # a \0 in a comment\n";
	static const char nul_string[] = "add 1.1.1.1 2.2.2.2 ah 300 -A hmac-md5 \"12345\0"
					 "7890123456\";";
	static const char nul_word[] = "flu\0sh;";
	static const char ff[] = "\xff\xfe\x00\x01";
	static const char utf8[] = "flush; spdflush \xc3\xa9;";
	static const char ctrl[] = "dump\x01;";
	static const char after_key[] = "add 1.1.1.1 2.2.2.2 ah 300 -A null 0x\x7f;";

	(void)state;
	refused_len(nul, sizeof(nul) - 1, "t.conf:1:7: unexpected character 0x00");
	refused_len(nul_comment, sizeof(nul_comment) - 1, "t.conf:1:12: unexpected character 0x00");
	refused_len(nul_string, sizeof(nul_string) - 1, "t.conf:1:46: unexpected character 0x00");
	refused_len(nul_word, sizeof(nul_word) - 1,
		    "t.conf:1:1: expected a statement (add, update, get, delete, deleteall, flush, "
		    "dump, getspi, spdadd, spdupdate, spddelete, spdflush or spddump), got 'flu'");
	refused_len(ff, sizeof(ff) - 1, "t.conf:1:1: unexpected character 0xff");
	refused_len(utf8, sizeof(utf8) - 1, "t.conf:1:17: unexpected character 0xc3");
	refused_len(ctrl, sizeof(ctrl) - 1, "t.conf:1:5: unexpected character 0x01");
	refused_len(after_key, sizeof(after_key) - 1, "t.conf:1:38: unexpected character 0x7f");
	/* UTF-8 in comments is fine */
	assert_int_equal(parse("# caf\xc3\xa9\nflush; # \xe2\x82\xac\n"), 0);
	assert_int_equal(n_got, 1);
	/* a buffer cut in the middle of a statement, without a NUL after it */
	refused_len("flush; spdflushXXXX", 15, "t.conf:1:16: missing ';' at end of input");
	refused_len("add 10.0.0.1 10.0.0.2 ah 300 -A null 0x00", 40,
		    "t.conf:1:38: odd number of hex digits in key (1); a key is whole bytes");
	refused_len("get -4", 6, "t.conf:1:7: expected source address, got end of input");
	refused_len("add 10.0.0.1 10.0.0.2 ah 300 -A hmac-md5 \"1234567890123456\"", 42,
		    "t.conf:1:42: unterminated string");
	refused_len("spdadd 10.0.0.1 10.0.0.2 any -P out prio def +", 46,
		    "t.conf:1:47: expected a number (priority offset), got end of input");
}

/* Every byte value alone and after a valid prefix: refused or accepted, never a crash. */
static void test_every_byte(void **state)
{
	char buf[32];
	int c, rc;

	(void)state;
	for (c = 0; c < 256; c++) {
		buf[0] = c;
		rc = parse_len(buf, 1);
		assert_true(rc == -1 || (rc == 0 && n_got == 0));
		memcpy(buf, "flush;", 6);
		buf[6] = c;
		rc = parse_len(buf, 7);
		assert_int_equal(n_calls, rc ? 0 : 1);
	}
}

static int stop_at_two(const struct bk_stmt *st, void *arg)
{
	size_t *n = arg;

	(void)st;
	return ++*n == 2 ? 42 : 0;
}

static void test_callback_stops(void **state)
{
	size_t n = 0;

	(void)state;
	memset(err, 'x', sizeof(err));
	assert_int_equal(bk_parse("t.conf", "flush; dump; spdflush;", 22, stop_at_two, &n,
				  err, sizeof(err)), 42);
	assert_int_equal(n, 2);
	/* the caller reports a callback's failure: the parser leaves no message */
	assert_string_equal(err, "");
	/* ... and a bad statement after it still means no callback at all */
	n = 0;
	assert_int_equal(bk_parse("t.conf", "flush; dump; bad;", 17, stop_at_two, &n,
				  err, sizeof(err)), -1);
	assert_int_equal(n, 0);
}

static void test_error_buffer(void **state)
{
	char small[12];

	(void)state;
	/* cut, still a string */
	memset(small, 'x', sizeof(small));
	assert_int_equal(bk_parse("sa.conf", "bogus;", 6, NULL, NULL, small, sizeof(small)), -1);
	assert_string_equal(small, "sa.conf:1:1");
	memset(small, 'x', sizeof(small));
	assert_int_equal(bk_parse("a-very-long-file-name.conf", "x;", 2, NULL, NULL,
				  small, sizeof(small)), -1);
	assert_string_equal(small, "a-very-long");
	/* no buffer at all */
	assert_int_equal(bk_parse("sa.conf", "bogus;", 6, NULL, NULL, NULL, 0), -1);
	assert_int_equal(bk_parse("sa.conf", "bogus;", 6, NULL, NULL, small, 0), -1);
	/* stdin is "-"; a NULL name too */
	assert_int_equal(bk_parse("-", "x;", 2, NULL, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "-:1:1: expected a statement (add, update, get, delete, "
			    "deleteall, flush, dump, getspi, spdadd, spdupdate, spddelete, "
			    "spdflush or spddump), got 'x'");
	assert_int_equal(bk_parse(NULL, "x;", 2, NULL, NULL, err, sizeof(err)), -1);
	assert_int_equal(strncmp(err, "-:1:1: ", 7), 0);
}

static int count(const struct bk_stmt *st, void *arg)
{
	(void)st;
	++*(size_t *)arg;
	return 0;
}

/* A large file is parsed in linear time and without memory proportional to it. */
static void test_large(void **state)
{
	static const char line[] = "add 10.0.0.1 10.0.0.2 esp 0x1000 -E aes-cbc "
				   "\"1234567890123456\" -A hmac-sha1 \"12345678901234567890\";\n";
	const size_t lines = 100000, len = (sizeof(line) - 1) * lines;
	char *buf = malloc(len + 16);
	size_t i, n = 0;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < lines; i++)
		memcpy(buf + i * (sizeof(line) - 1), line, sizeof(line) - 1);
	assert_int_equal(bk_parse("big", buf, len, count, &n, err, sizeof(err)), 0);
	assert_int_equal(n, lines);
	/* the last line broken: its line number is right, nothing is delivered */
	buf[len - sizeof(line) + 3] = 'X';
	n = 0;
	assert_int_equal(bk_parse("big", buf, len, count, &n, err, sizeof(err)), -1);
	assert_int_equal(n, 0);
	assert_int_equal(strncmp(err, "big:100000:1: expected a statement", 34), 0);
	assert_non_null(strstr(err, "got 'adX'"));
	/* one long word, and a long comment */
	memset(buf, 'a', len);
	assert_int_equal(bk_parse("big", buf, len, count, &n, err, sizeof(err)), -1);
	assert_int_equal(strncmp(err, "big:1:1: expected a statement", 29), 0);
	buf[0] = '#';
	assert_int_equal(bk_parse("big", buf, len, count, &n, err, sizeof(err)), 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tutorial_ah),
		cmocka_unit_test(test_tutorial_esp),
		cmocka_unit_test(test_tutorial_spd),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_sa_statements),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_esp_udp),
		cmocka_unit_test(test_natt),
		cmocka_unit_test(test_tfcpad),
		cmocka_unit_test(test_family_options),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_selectors),
		cmocka_unit_test(test_priorities),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
