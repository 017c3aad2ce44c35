// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: an SA reply parsed back into the statement model, and printed
 * the way setkey -D prints it (plus bitsec's counters) or as JSON.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bitskey.h"
#include "sadump.h"

static int want(struct nlattr *a, int len, const char *what, char *err, size_t errlen)
{
	if (!a)
		return bk_fail(err, errlen, "SA reply lacks %s", what);
	if (len && nla_len(a) != len)
		return bk_fail(err, errlen, "SA reply's %s has %d bytes, expected %d", what,
			    nla_len(a), len);
	return 0;
}

static int parse_addr(struct nlattr *a, uint8_t family, struct bk_addr *out, const char *what,
		      char *err, size_t errlen)
{
	int len = family == AF_INET6 ? 16 : 4;

	if (want(a, len, what, err, errlen))
		return -1;
	memset(out, 0, sizeof(*out));
	out->family = family;
	out->plen = len * 8;
	memcpy(out->addr, nla_data(a), len);
	return 0;
}

static void parse_life(struct nlattr *nest, struct bk_lifetime *l)
{
	struct nlattr *tb[BITSEC_A_LIFE_MAX + 1];

	memset(l, 0, sizeof(*l));
	if (!nest || nla_parse_nested(tb, BITSEC_A_LIFE_MAX, nest, NULL) < 0)
		return;
#define GET64(t) (tb[t] && nla_len(tb[t]) == 8 ? nla_get_u64(tb[t]) : 0)
	l->bytes = GET64(BITSEC_A_LIFE_BYTES);
	l->packets = GET64(BITSEC_A_LIFE_PACKETS);
	l->add_secs = GET64(BITSEC_A_LIFE_ADD_SECS);
	l->use_secs = GET64(BITSEC_A_LIFE_USE_SECS);
#undef GET64
}

static int parse_key(struct nlattr *nest, struct bk_key *k, uint8_t kind, char *err, size_t errlen)
{
	struct nlattr *tb[BITSEC_A_KEY_MAX + 1];
	const char *name;

	memset(k, 0, sizeof(*k));
	if (!nest)
		return 0;
	if (nla_parse_nested(tb, BITSEC_A_KEY_MAX, nest, NULL) < 0 || !tb[BITSEC_A_KEY_ALG])
		return bk_fail(err, errlen, "SA reply has an algorithm nest without a name");
	name = nla_data(tb[BITSEC_A_KEY_ALG]);
	if (nla_len(tb[BITSEC_A_KEY_ALG]) > BITSEC_NAME_MAX ||
	    strnlen(name, nla_len(tb[BITSEC_A_KEY_ALG])) == (size_t)nla_len(tb[BITSEC_A_KEY_ALG]))
		return bk_fail(err, errlen, "SA reply's algorithm name is malformed");
	k->present = true;
	k->kind = kind;
	strcpy(k->alg, name);
	if (tb[BITSEC_A_KEY_DATA]) {
		if (nla_len(tb[BITSEC_A_KEY_DATA]) > BK_KEY_MAX)
			return bk_fail(err, errlen, "SA reply's key is longer than %d bytes", BK_KEY_MAX);
		k->len = nla_len(tb[BITSEC_A_KEY_DATA]);
		memcpy(k->key, nla_data(tb[BITSEC_A_KEY_DATA]), k->len);
	}
	return 0;
}

int bk_sa_parse(struct nlmsghdr *nlh, struct bk_sa_info *out, char *err, size_t errlen)
{
	struct nlattr *top[BITSEC_A_MAX + 1], *tb[BITSEC_A_SA_MAX + 1];
	struct bk_sa *sa = &out->sa;
	uint8_t family;

	memset(out, 0, sizeof(*out));
	if (genlmsg_parse(nlh, 0, top, BITSEC_A_MAX, NULL) < 0 || !top[BITSEC_A_SA] ||
	    nla_parse_nested(tb, BITSEC_A_SA_MAX, top[BITSEC_A_SA], NULL) < 0)
		return bk_fail(err, errlen, "SA reply is not a valid BITSEC_A_SA message");
	if (want(tb[BITSEC_A_SA_FAMILY], 2, "family", err, errlen))
		return -1;
	family = nla_get_u16(tb[BITSEC_A_SA_FAMILY]);
	if (family != AF_INET && family != AF_INET6)
		return bk_fail(err, errlen, "SA reply has unknown family %u", family);
	if (parse_addr(tb[BITSEC_A_SA_SRC], family, &sa->src, "source", err, errlen) ||
	    parse_addr(tb[BITSEC_A_SA_DST], family, &sa->dst, "destination", err, errlen) ||
	    want(tb[BITSEC_A_SA_PROTO], 1, "protocol", err, errlen) ||
	    want(tb[BITSEC_A_SA_SPI], 4, "SPI", err, errlen) ||
	    want(tb[BITSEC_A_SA_STATE], 1, "state", err, errlen) ||
	    want(tb[BITSEC_A_SA_ID], 4, "id", err, errlen))
		return -1;
	sa->proto = nla_get_u8(tb[BITSEC_A_SA_PROTO]);
	sa->spi = nla_get_u32(tb[BITSEC_A_SA_SPI]);
	out->state = nla_get_u8(tb[BITSEC_A_SA_STATE]);
	out->id = nla_get_u32(tb[BITSEC_A_SA_ID]);
#define OPT(t, len, get) (tb[t] && nla_len(tb[t]) == (len) ? get(tb[t]) : 0)
	sa->mode = OPT(BITSEC_A_SA_MODE, 1, nla_get_u8);
	sa->reqid = OPT(BITSEC_A_SA_REQID, 4, nla_get_u32);
	sa->has_reqid = sa->reqid != 0;
	sa->replay = OPT(BITSEC_A_SA_REPLAY, 4, nla_get_u32);
	sa->has_replay = sa->replay != 0;
	sa->esn = OPT(BITSEC_A_SA_FLAGS, 4, nla_get_u32) & BITSEC_SA_F_ESN;
	sa->pad = OPT(BITSEC_A_SA_PAD_TYPE, 1, nla_get_u8);
	sa->tfcpad = OPT(BITSEC_A_SA_TFCPAD, 4, nla_get_u32);
	out->add_time = OPT(BITSEC_A_SA_ADD_TIME, 8, nla_get_u64);
	out->use_time = OPT(BITSEC_A_SA_USE_TIME, 8, nla_get_u64);
	out->seq = OPT(BITSEC_A_SA_SEQ, 8, nla_get_u64);
	out->pmtu = OPT(BITSEC_A_SA_PMTU, 4, nla_get_u32);
	out->overhead = OPT(BITSEC_A_SA_OVERHEAD, 4, nla_get_u32);
	out->inner_mtu = OPT(BITSEC_A_SA_INNER_MTU, 4, nla_get_u32);
#undef OPT
	parse_life(tb[BITSEC_A_SA_LIFE_SOFT], &sa->soft);
	parse_life(tb[BITSEC_A_SA_LIFE_HARD], &sa->hard);
	parse_life(tb[BITSEC_A_SA_CUR], &out->cur);
	if (tb[BITSEC_A_SA_DROPS]) {
		struct nlattr *a;
		int rem;

		nla_for_each_nested(a, tb[BITSEC_A_SA_DROPS], rem) {
			if (nla_type(a) == BITSEC_STAT_PAD)
				continue;
			if (nla_len(a) != 8)
				return bk_fail(err, errlen, "SA drop counter %d has %d bytes, expected 8",
					       nla_type(a), nla_len(a));
			if (out->n_drops == sizeof(out->drops) / sizeof(out->drops[0]))
				return bk_fail(err, errlen, "SA reply has too many drop counters");
			out->drops[out->n_drops].stat = nla_type(a);
			out->drops[out->n_drops++].n = nla_get_u64(a);
		}
	}
	if (tb[BITSEC_A_SA_AEAD]) {
		out->aead = true;
		if (parse_key(tb[BITSEC_A_SA_AEAD], &sa->enc, BITSEC_ALG_KIND_AEAD, err, errlen))
			return -1;
	} else if (parse_key(tb[BITSEC_A_SA_ENC], &sa->enc, BITSEC_ALG_KIND_ENC, err, errlen)) {
		return -1;
	}
	if (parse_key(tb[BITSEC_A_SA_AUTH], &sa->auth, BITSEC_ALG_KIND_AUTH, err, errlen))
		return -1;
	if (tb[BITSEC_A_SA_ENCAP]) {
		struct nlattr *e[BITSEC_A_ENCAP_MAX + 1];

		if (nla_parse_nested(e, BITSEC_A_ENCAP_MAX, tb[BITSEC_A_SA_ENCAP], NULL) < 0 ||
		    want(e[BITSEC_A_ENCAP_SPORT], 2, "encapsulation source port", err, errlen) ||
		    want(e[BITSEC_A_ENCAP_DPORT], 2, "encapsulation destination port", err, errlen))
			return -1;
		sa->udp_encap = true;
		sa->encap_sport = nla_get_u16(e[BITSEC_A_ENCAP_SPORT]);
		sa->encap_dport = nla_get_u16(e[BITSEC_A_ENCAP_DPORT]);
		if (e[BITSEC_A_ENCAP_KEEPALIVE] && nla_len(e[BITSEC_A_ENCAP_KEEPALIVE]) == 4) {
			sa->has_keepalive = true;
			sa->keepalive = nla_get_u32(e[BITSEC_A_ENCAP_KEEPALIVE]);
		}
		if (e[BITSEC_A_ENCAP_PEER] && nla_len(e[BITSEC_A_ENCAP_PEER]) == 4)
			inet_ntop(AF_INET, nla_data(e[BITSEC_A_ENCAP_PEER]), out->peer,
				  sizeof(out->peer));
	}
	return 0;
}

const char *bk_sa_state_name(uint8_t state)
{
	switch (state) {
	case BITSEC_SA_LARVAL: return "larval";
	case BITSEC_SA_MATURE: return "mature";
	case BITSEC_SA_DYING: return "dying";
	case BITSEC_SA_DEAD: return "dead";
	}
	return "unknown";
}

static const char *mode_name(uint8_t mode)
{
	return mode == BK_MODE_TRANSPORT ? "transport" : mode == BK_MODE_TUNNEL ? "tunnel" : "any";
}

static void addr_str(const struct bk_addr *a, char *buf, size_t len)
{
	inet_ntop(a->family == AF_INET6 ? AF_INET6 : AF_INET, a->addr, buf, len);
}

static void print_key(FILE *out, const char *tag, const struct bk_key *k, bool keys)
{
	unsigned int i;

	fprintf(out, "\t%s %s", tag, k->alg);
	if (keys && k->len) {
		fputs(" ", out);
		for (i = 0; i < k->len; i++)
			fprintf(out, "%s%02x", i && !(i % 4) ? " " : (i ? "" : " "), k->key[i]);
	}
	fputc('\n', out);
}

static void when(uint64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !localtime_r(&tt, &tm) || !strftime(buf, len, "%b %d %H:%M:%S %Y", &tm))
		snprintf(buf, len, "%s", "");
}

void bk_sa_print(FILE *out, const struct bk_sa_info *s, unsigned int index, bool keys,
		 time_t now)
{
	const struct bk_sa *sa = &s->sa;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], created[32], cur[32], last[32];

	addr_str(&sa->src, src, sizeof(src));
	addr_str(&sa->dst, dst, sizeof(dst));
	if (sa->udp_encap)
		fprintf(out, "%s[%u] %s[%u]\n", src, sa->encap_sport, dst, sa->encap_dport);
	else
		fprintf(out, "%s %s\n", src, dst);
	fprintf(out, "\t%s mode=%s spi=%" PRIu32 "(0x%08" PRIx32 ") reqid=%" PRIu32 "(0x%08" PRIx32 ")\n",
		sa->proto == IPPROTO_AH ? "ah" : sa->udp_encap ? "esp-udp" : "esp",
		mode_name(sa->mode), sa->spi, sa->spi, sa->reqid, sa->reqid);
	if (sa->enc.present)
		print_key(out, "E:", &sa->enc, keys);
	if (sa->auth.present)
		print_key(out, "A:", &sa->auth, keys);
	fprintf(out, "\tseq=0x%08" PRIx64 " replay=%" PRIu32 " flags=0x%08x state=%s\n",
		s->seq, sa->replay, sa->esn ? BITSEC_SA_F_ESN : 0, bk_sa_state_name(s->state));
	when(s->add_time, created, sizeof(created));
	when(now, cur, sizeof(cur));
	when(s->use_time, last, sizeof(last));
	fprintf(out, "\tcreated: %s\tcurrent: %s\n", created, cur);
	fprintf(out, "\tdiff: %" PRId64 "(s)\thard: %" PRIu64 "(s)\tsoft: %" PRIu64 "(s)\n",
		s->add_time ? (int64_t)now - (int64_t)s->add_time : 0, sa->hard.add_secs,
		sa->soft.add_secs);
	fprintf(out, "\tlast: %-20s\thard: %" PRIu64 "(s)\tsoft: %" PRIu64 "(s)\n", last,
		sa->hard.use_secs, sa->soft.use_secs);
	fprintf(out, "\tcurrent: %" PRIu64 "(bytes)\thard: %" PRIu64 "(bytes)\tsoft: %" PRIu64 "(bytes)\n",
		s->cur.bytes, sa->hard.bytes, sa->soft.bytes);
	fprintf(out, "\tallocated: %" PRIu64 "\thard: %" PRIu64 "\tsoft: %" PRIu64 "\n",
		s->cur.packets, sa->hard.packets, sa->soft.packets);
	fprintf(out, "\tsadb_seq=%u pid=%d refcnt=0\n", index, (int)getpid());
	fprintf(out, "\tbitsec: id=%" PRIu32 " packets=%" PRIu64 " bytes=%" PRIu64 " esn=%s",
		s->id, s->cur.packets, s->cur.bytes, sa->esn ? "yes" : "no");
	if (sa->tfcpad)
		fprintf(out, " tfcpad=%" PRIu32, sa->tfcpad);
	if (s->pmtu)
		fprintf(out, " pmtu=%" PRIu32, s->pmtu);
	if (s->overhead)
		fprintf(out, " overhead=%" PRIu32, s->overhead);
	if (s->inner_mtu)
		fprintf(out, " inner_mtu=%" PRIu32, s->inner_mtu);
	if (sa->udp_encap && sa->has_keepalive)
		fprintf(out, " keepalive=%" PRIu32, sa->keepalive);
	if (s->peer[0])
		fprintf(out, " peer=%s", s->peer);
	fputc('\n', out);
	if (s->n_drops) {
		unsigned int i;

		fprintf(out, "\tdropped:");
		for (i = 0; i < s->n_drops; i++) {
			const char *name = bk_stat_name(s->drops[i].stat);

			if (name)
				fprintf(out, " %s=%" PRIu64, name, s->drops[i].n);
			else
				fprintf(out, " stat_%u=%" PRIu64, s->drops[i].stat, s->drops[i].n);
		}
		fputc('\n', out);
	}
}

static void json_key(FILE *out, const char *name, const struct bk_key *k, bool keys)
{
	unsigned int i;

	fprintf(out, ",\"%s\":{\"alg\":\"%s\"", name, k->alg);
	if (keys) {
		fputs(",\"key\":\"0x", out);
		for (i = 0; i < k->len; i++)
			fprintf(out, "%02x", k->key[i]);
		fputc('"', out);
	}
	fputc('}', out);
}

void bk_sa_print_json(FILE *out, const struct bk_sa_info *s, bool keys)
{
	const struct bk_sa *sa = &s->sa;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	addr_str(&sa->src, src, sizeof(src));
	addr_str(&sa->dst, dst, sizeof(dst));
	fprintf(out, "{\"id\":%" PRIu32 ",\"src\":\"%s\",\"dst\":\"%s\",\"proto\":\"%s\","
		"\"spi\":%" PRIu32 ",\"mode\":\"%s\",\"reqid\":%" PRIu32 ",\"replay\":%" PRIu32
		",\"esn\":%s,\"state\":\"%s\",\"seq\":%" PRIu64 ",\"add_time\":%" PRIu64
		",\"use_time\":%" PRIu64 ",\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64,
		s->id, src, dst, sa->proto == IPPROTO_AH ? "ah" : "esp", sa->spi,
		mode_name(sa->mode), sa->reqid, sa->replay, sa->esn ? "true" : "false",
		bk_sa_state_name(s->state), s->seq, s->add_time, s->use_time, s->cur.packets,
		s->cur.bytes);
	if (sa->enc.present)
		json_key(out, s->aead ? "aead" : "enc", &sa->enc, keys);
	if (sa->auth.present)
		json_key(out, "auth", &sa->auth, keys);
	/* Every reason, zero or not, so scripts can read any of them. */
	fprintf(out, ",\"drops\":{");
	for (unsigned int i = BITSEC_STAT_PAD + 1, first = 1; i < __BITSEC_STAT_MAX; i++) {
		uint64_t n = 0;

		for (unsigned int j = 0; j < s->n_drops; j++)
			if (s->drops[j].stat == i)
				n = s->drops[j].n;
		fprintf(out, "%s\"%s\":%" PRIu64, first ? "" : ",", bk_stat_name(i), n);
		first = 0;
	}
	fputc('}', out);
	fprintf(out, ",\"soft\":{\"bytes\":%" PRIu64 ",\"packets\":%" PRIu64 ",\"add_secs\":%" PRIu64
		",\"use_secs\":%" PRIu64 "}", sa->soft.bytes, sa->soft.packets, sa->soft.add_secs,
		sa->soft.use_secs);
	fprintf(out, ",\"hard\":{\"bytes\":%" PRIu64 ",\"packets\":%" PRIu64 ",\"add_secs\":%" PRIu64
		",\"use_secs\":%" PRIu64 "}", sa->hard.bytes, sa->hard.packets, sa->hard.add_secs,
		sa->hard.use_secs);
	if (sa->udp_encap) {
		fprintf(out, ",\"encap\":{\"sport\":%u,\"dport\":%u", sa->encap_sport,
			sa->encap_dport);
		if (sa->has_keepalive)
			fprintf(out, ",\"keepalive\":%" PRIu32, sa->keepalive);
		if (s->peer[0])
			fprintf(out, ",\"peer\":\"%s\"", s->peer);
		fputc('}', out);
	}
	if (sa->tfcpad)
		fprintf(out, ",\"tfcpad\":%" PRIu32, sa->tfcpad);
	if (s->pmtu)
		fprintf(out, ",\"pmtu\":%" PRIu32, s->pmtu);
	if (s->overhead)
		fprintf(out, ",\"overhead\":%" PRIu32, s->overhead);
	if (s->inner_mtu)
		fprintf(out, ",\"inner_mtu\":%" PRIu32, s->inner_mtu);
	fputc('}', out);
}

static void stmt_key(FILE *out, const char *opt, const struct bk_key *k)
{
	unsigned int i;

	fprintf(out, " %s %s", opt, k->alg);
	if (!k->len)
		return;
	fputs(" 0x", out);
	for (i = 0; i < k->len; i++)
		fprintf(out, "%02x", k->key[i]);
}

static void stmt_life(FILE *out, const char *h, const char *x, uint64_t hard, uint64_t soft)
{
	if (hard)
		fprintf(out, " -%sh %" PRIu64, h, hard);
	if (soft)
		fprintf(out, " -%ss %" PRIu64, x, soft);
}

void bk_sa_print_stmt(FILE *out, const struct bk_sa_info *s)
{
	static const char *const pads[] = { NULL, "zero-pad", "random-pad", "seq-pad" };
	const struct bk_sa *sa = &s->sa;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	addr_str(&sa->src, src, sizeof(src));
	addr_str(&sa->dst, dst, sizeof(dst));
	if (s->state == BITSEC_SA_LARVAL) {
		/* Only getspi makes these; they hold no keys to restore. */
		fprintf(out, "# larval SA %s %s %s spi %" PRIu32 " (from getspi) is not restorable\n",
			src, dst, sa->proto == IPPROTO_AH ? "ah" : "esp", sa->spi);
		return;
	}
	fprintf(out, "add %s %s %s %" PRIu32 " -m %s", src, dst,
		sa->proto == IPPROTO_AH ? "ah" : "esp", sa->spi, mode_name(sa->mode));
	if (sa->replay)
		fprintf(out, " -r %" PRIu32, sa->replay);
	if (sa->reqid)
		fprintf(out, " -u %" PRIu32, sa->reqid);
	if (sa->pad && sa->pad < 4)
		fprintf(out, " -f %s", pads[sa->pad]);
	if (sa->esn)
		fputs(" -esn", out);
	stmt_life(out, "l", "l", sa->hard.add_secs, sa->soft.add_secs);
	stmt_life(out, "b", "b", sa->hard.bytes, sa->soft.bytes);
	stmt_life(out, "p", "p", sa->hard.packets, sa->soft.packets);
	stmt_life(out, "u", "u", sa->hard.use_secs, sa->soft.use_secs);
	if (sa->udp_encap)
		fprintf(out, " -natt %u %u", sa->encap_sport, sa->encap_dport);
	if (sa->udp_encap && sa->has_keepalive && sa->keepalive != BITSEC_NATT_KEEPALIVE_DEFAULT)
		fprintf(out, " -natt-keepalive %" PRIu32, sa->keepalive);
	if (sa->tfcpad)
		fprintf(out, " -tfcpad %" PRIu32, sa->tfcpad);
	if (sa->enc.present)
		stmt_key(out, "-E", &sa->enc);
	if (sa->auth.present)
		stmt_key(out, "-A", &sa->auth);
	fputs(";\n", out);
}
