// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: a policy reply parsed back into the statement model, and printed
 * the way setkey -DP prints it, or as JSON.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bitskey.h"
#include "spdump.h"

static int get_addr(struct nlattr *a, uint8_t family, struct bk_addr *out)
{
	int len = family == AF_INET6 ? 16 : 4;

	if (!a || nla_len(a) != len)
		return -1;
	out->family = family;
	memcpy(out->addr, nla_data(a), len);
	return 0;
}

static int parse_tmpl(struct nlattr *nest, struct bk_tmpl *t)
{
	struct nlattr *tb[BITSEC_A_TMPL_MAX + 1];

	memset(t, 0, sizeof(*t));
	if (nla_parse_nested(tb, BITSEC_A_TMPL_MAX, nest, NULL) < 0 ||
	    !tb[BITSEC_A_TMPL_PROTO] || !tb[BITSEC_A_TMPL_MODE])
		return -1;
	t->proto = nla_get_u8(tb[BITSEC_A_TMPL_PROTO]);
	t->mode = nla_get_u8(tb[BITSEC_A_TMPL_MODE]);
	t->level = tb[BITSEC_A_TMPL_LEVEL] ? nla_get_u8(tb[BITSEC_A_TMPL_LEVEL]) : 0;
	t->reqid = tb[BITSEC_A_TMPL_REQID] ? nla_get_u32(tb[BITSEC_A_TMPL_REQID]) : 0;
	if (tb[BITSEC_A_TMPL_FAMILY]) {
		uint8_t f = nla_get_u16(tb[BITSEC_A_TMPL_FAMILY]);

		t->has_endpoints = true;
		if (get_addr(tb[BITSEC_A_TMPL_SRC], f, &t->src) ||
		    get_addr(tb[BITSEC_A_TMPL_DST], f, &t->dst))
			return -1;
	}
	return 0;
}

int bk_sp_parse(struct nlmsghdr *nlh, struct bk_sp_info *out, char *err, size_t errlen)
{
	struct nlattr *top[BITSEC_A_MAX + 1], *tb[BITSEC_A_SP_MAX + 1], *a;
	struct bk_sp *sp = &out->sp;
	uint8_t family;
	int rem;

	memset(out, 0, sizeof(*out));
	if (genlmsg_parse(nlh, 0, top, BITSEC_A_MAX, NULL) < 0 || !top[BITSEC_A_SP] ||
	    nla_parse_nested(tb, BITSEC_A_SP_MAX, top[BITSEC_A_SP], NULL) < 0)
		return bk_fail(err, errlen, "policy reply is not a valid BITSEC_A_SP message");
	if (!tb[BITSEC_A_SP_FAMILY] || !tb[BITSEC_A_SP_DIR] || !tb[BITSEC_A_SP_INDEX] ||
	    !tb[BITSEC_A_SP_ACTION])
		return bk_fail(err, errlen, "policy reply lacks its family, direction, index or action");
	family = nla_get_u16(tb[BITSEC_A_SP_FAMILY]);
	if (family != AF_INET && family != AF_INET6)
		return bk_fail(err, errlen, "policy reply has unknown family %u", family);
	if (get_addr(tb[BITSEC_A_SP_SRC], family, &sp->src) ||
	    get_addr(tb[BITSEC_A_SP_DST], family, &sp->dst))
		return bk_fail(err, errlen, "policy reply's addresses do not match its family");
	sp->src.plen = tb[BITSEC_A_SP_SRC_PLEN] ? nla_get_u8(tb[BITSEC_A_SP_SRC_PLEN]) : 0;
	sp->dst.plen = tb[BITSEC_A_SP_DST_PLEN] ? nla_get_u8(tb[BITSEC_A_SP_DST_PLEN]) : 0;
	if (tb[BITSEC_A_SP_SPORT]) {
		sp->src.has_port = true;
		sp->src.port = nla_get_u16(tb[BITSEC_A_SP_SPORT]);
	}
	if (tb[BITSEC_A_SP_DPORT]) {
		sp->dst.has_port = true;
		sp->dst.port = nla_get_u16(tb[BITSEC_A_SP_DPORT]);
	}
	sp->ulproto = tb[BITSEC_A_SP_ULPROTO] ? nla_get_u8(tb[BITSEC_A_SP_ULPROTO]) :
		      BK_ULPROTO_ANY;
	if (tb[BITSEC_A_SP_ICMP_TYPE]) {
		sp->has_icmp = true;
		sp->icmp_type = nla_get_u8(tb[BITSEC_A_SP_ICMP_TYPE]);
	}
	if (tb[BITSEC_A_SP_ICMP_CODE]) {
		sp->has_icmp_code = true;
		sp->icmp_code = nla_get_u8(tb[BITSEC_A_SP_ICMP_CODE]);
	}
	sp->dir = nla_get_u8(tb[BITSEC_A_SP_DIR]);
	sp->has_prio = true;
	sp->prio = tb[BITSEC_A_SP_PRIORITY] ? nla_get_u32(tb[BITSEC_A_SP_PRIORITY]) : 0;
	sp->action = nla_get_u8(tb[BITSEC_A_SP_ACTION]);
	out->index = nla_get_u32(tb[BITSEC_A_SP_INDEX]);
	out->add_time = tb[BITSEC_A_SP_ADD_TIME] ? nla_get_u64(tb[BITSEC_A_SP_ADD_TIME]) : 0;
	out->use_time = tb[BITSEC_A_SP_USE_TIME] ? nla_get_u64(tb[BITSEC_A_SP_USE_TIME]) : 0;
	if (tb[BITSEC_A_SP_TMPLS]) {
		nla_for_each_nested(a, tb[BITSEC_A_SP_TMPLS], rem) {
			if (sp->n_tmpls == BK_TMPL_MAX || parse_tmpl(a, &sp->tmpls[sp->n_tmpls]))
				return bk_fail(err, errlen, "policy reply has a malformed template");
			sp->n_tmpls++;
		}
	}
	return 0;
}

void bk_prio_format(uint32_t prio, char *buf, size_t len)
{
	static const struct { uint32_t v; const char *name; } bases[] = {
		{ BITSEC_PRIO_HIGH, "high" }, { BITSEC_PRIO_DEFAULT, "def" },
		{ BITSEC_PRIO_LOW, "low" },
	};
	unsigned int b = prio < 0x60000000U ? 0 : prio < 0xa0000000U ? 1 : 2;

	/* ipsec-tools: "BASE + N" is N ahead of BASE, i.e. BASE - N. */
	if (prio == bases[b].v)
		snprintf(buf, len, "%s", bases[b].name);
	else if (prio < bases[b].v)
		snprintf(buf, len, "%s + %" PRIu32, bases[b].name, bases[b].v - prio);
	else
		snprintf(buf, len, "%s - %" PRIu32, bases[b].name, prio - bases[b].v);
}

static const char *dir_name(uint8_t d)
{
	return d == BK_DIR_IN ? "in" : d == BK_DIR_OUT ? "out" : d == BK_DIR_FWD ? "fwd" : "?";
}

static const char *action_name(uint8_t a)
{
	return a == BK_ACT_DISCARD ? "discard" : a == BK_ACT_NONE ? "none" :
	       a == BK_ACT_IPSEC ? "ipsec" : "?";
}

static const char *level_name(uint8_t l)
{
	static const char *const n[] = { "default", "use", "require", "unique" };

	return l < 4 ? n[l] : "?";
}

/* "10.0.0.1[any]", "10.1.0.0/16[22]": setkey's range with its port. */
static void range(FILE *out, const struct bk_addr *a, bool has_port, unsigned int port)
{
	char s[INET6_ADDRSTRLEN];
	unsigned int full = a->family == AF_INET6 ? 128 : 32;

	inet_ntop(a->family == AF_INET6 ? AF_INET6 : AF_INET, a->addr, s, sizeof(s));
	fprintf(out, "%s", s);
	if (a->plen != full)
		fprintf(out, "/%u", a->plen);
	if (has_port)
		fprintf(out, "[%u]", port);
	else
		fputs("[any]", out);
}

static void tmpl_str(FILE *out, const struct bk_tmpl *t)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	fprintf(out, "%s/%s/", t->proto == IPPROTO_AH ? "ah" : "esp",
		t->mode == BK_MODE_TUNNEL ? "tunnel" : "transport");
	if (t->has_endpoints) {
		inet_ntop(t->src.family == AF_INET6 ? AF_INET6 : AF_INET, t->src.addr, s, sizeof(s));
		inet_ntop(t->dst.family == AF_INET6 ? AF_INET6 : AF_INET, t->dst.addr, d, sizeof(d));
		fprintf(out, "%s-%s", s, d);
	}
	fprintf(out, "/%s", level_name(t->level));
	if (t->level == BK_LEVEL_UNIQUE && t->reqid)
		fprintf(out, ":%" PRIu32, t->reqid);
}

void bk_sp_print(FILE *out, const struct bk_sp_info *s)
{
	const struct bk_sp *sp = &s->sp;
	char prio[40], created[32] = "", used[32] = "";
	time_t t;
	struct tm tm;
	unsigned int i;

	range(out, &sp->src, sp->has_icmp || sp->src.has_port,
	      sp->has_icmp ? sp->icmp_type : sp->src.port);
	fputc(' ', out);
	range(out, &sp->dst, sp->has_icmp_code || sp->dst.has_port,
	      sp->has_icmp_code ? sp->icmp_code : sp->dst.port);
	fprintf(out, " %u\n", sp->ulproto);
	bk_prio_format(sp->prio, prio, sizeof(prio));
	fprintf(out, "\t%s prio %s %s\n", dir_name(sp->dir), prio, action_name(sp->action));
	for (i = 0; i < sp->n_tmpls; i++) {
		fputc('\t', out);
		tmpl_str(out, &sp->tmpls[i]);
		fputc('\n', out);
	}
	t = (time_t)s->add_time;
	if (s->add_time && localtime_r(&t, &tm))
		strftime(created, sizeof(created), "%b %d %H:%M:%S %Y", &tm);
	t = (time_t)s->use_time;
	if (s->use_time && localtime_r(&t, &tm))
		strftime(used, sizeof(used), "%b %d %H:%M:%S %Y", &tm);
	fprintf(out, "\tcreated: %s  lastused: %s\n", created, used);
	fprintf(out, "\tlifetime: 0(s) validtime: 0(s)\n");
	fprintf(out, "\tspid=%" PRIu32 " seq=0 pid=%d\n", s->index, (int)getpid());
	fprintf(out, "\trefcnt=1\n");
}

void bk_sp_print_json(FILE *out, const struct bk_sp_info *s)
{
	const struct bk_sp *sp = &s->sp;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	unsigned int i;

	inet_ntop(sp->src.family == AF_INET6 ? AF_INET6 : AF_INET, sp->src.addr, src, sizeof(src));
	inet_ntop(sp->dst.family == AF_INET6 ? AF_INET6 : AF_INET, sp->dst.addr, dst, sizeof(dst));
	fprintf(out, "{\"index\":%" PRIu32 ",\"dir\":\"%s\",\"src\":\"%s/%u\",\"dst\":\"%s/%u\","
		"\"ulproto\":%u,\"priority\":%" PRIu32 ",\"action\":\"%s\"",
		s->index, dir_name(sp->dir), src, sp->src.plen, dst, sp->dst.plen, sp->ulproto,
		sp->prio, action_name(sp->action));
	if (sp->src.has_port)
		fprintf(out, ",\"sport\":%u", sp->src.port);
	if (sp->dst.has_port)
		fprintf(out, ",\"dport\":%u", sp->dst.port);
	fputs(",\"templates\":[", out);
	for (i = 0; i < sp->n_tmpls; i++) {
		fprintf(out, "%s\"", i ? "," : "");
		tmpl_str(out, &sp->tmpls[i]);
		fputc('"', out);
	}
	fprintf(out, "],\"add_time\":%" PRIu64 ",\"use_time\":%" PRIu64 "}", s->add_time,
		s->use_time);
}

void bk_sp_print_stmt(FILE *out, const struct bk_sp_info *s)
{
	const struct bk_sp *sp = &s->sp;
	bool icmp = sp->ulproto == IPPROTO_ICMP || sp->ulproto == IPPROTO_ICMPV6;
	char prio[40];
	unsigned int i;

	fputs("spdadd ", out);
	range(out, &sp->src, sp->src.has_port, sp->src.port);
	fputc(' ', out);
	range(out, &sp->dst, sp->dst.has_port, sp->dst.port);
	if (sp->ulproto == BK_ULPROTO_ANY)
		fputs(" any", out);
	else if (icmp)
		fputs(sp->ulproto == IPPROTO_ICMP ? " icmp" : " icmp6", out);
	else
		fprintf(out, " %u", sp->ulproto);
	if (icmp && sp->has_icmp) {
		fprintf(out, " %u", sp->icmp_type);
		if (sp->has_icmp_code)
			fprintf(out, ",%u", sp->icmp_code);
	}
	bk_prio_format(sp->prio, prio, sizeof(prio));
	fprintf(out, " -P %s prio %s %s", dir_name(sp->dir), prio, action_name(sp->action));
	for (i = 0; i < sp->n_tmpls; i++) {
		fputc(' ', out);
		tmpl_str(out, &sp->tmpls[i]);
	}
	fputs(";\n", out);
}
