// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: parsed statements to generic-netlink requests.  Only encoding
 * lives here (no socket), so the unit tests can decode what it builds.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "req.h"

static int put_addr(struct nl_msg *m, int type, const struct bk_addr *a)
{
	return nla_put(m, type, a->family == AF_INET6 ? 16 : 4, a->addr);
}

static int put_key(struct nl_msg *m, int type, const struct bk_key *k)
{
	struct nlattr *nest = nla_nest_start(m, type);

	if (!nest || nla_put_string(m, BITSEC_A_KEY_ALG, k->alg) ||
	    (k->len && nla_put(m, BITSEC_A_KEY_DATA, k->len, k->key)))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

static bool life_set(const struct bk_lifetime *l)
{
	return l->bytes || l->packets || l->add_secs || l->use_secs;
}

static int put_life(struct nl_msg *m, int type, const struct bk_lifetime *l)
{
	struct nlattr *nest;

	if (!life_set(l))
		return 0;
	nest = nla_nest_start(m, type);
	if (!nest || nla_put_u64(m, BITSEC_A_LIFE_BYTES, l->bytes) ||
	    nla_put_u64(m, BITSEC_A_LIFE_PACKETS, l->packets) ||
	    nla_put_u64(m, BITSEC_A_LIFE_ADD_SECS, l->add_secs) ||
	    nla_put_u64(m, BITSEC_A_LIFE_USE_SECS, l->use_secs))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

/* The SA nest: what identifies the SA, plus everything else for add/update. */
static int put_sa(struct nl_msg *m, const struct bk_stmt *st, bool full)
{
	const struct bk_sa *sa = &st->sa;
	struct nlattr *nest = nla_nest_start(m, BITSEC_A_SA);
	uint16_t family = sa->dst.family == AF_INET6 ? AF_INET6 : AF_INET;

	if (!nest || nla_put_u16(m, BITSEC_A_SA_FAMILY, family) ||
	    put_addr(m, BITSEC_A_SA_SRC, &sa->src) || put_addr(m, BITSEC_A_SA_DST, &sa->dst) ||
	    nla_put_u8(m, BITSEC_A_SA_PROTO, sa->proto))
		return -1;
	if (st->kind != BK_ST_DELETEALL && nla_put_u32(m, BITSEC_A_SA_SPI, sa->spi))
		return -1;
	if (st->kind == BK_ST_GETSPI) {
		if (nla_put_u32(m, BITSEC_A_SA_SPI_MAX, sa->spi_max) ||
		    nla_put_u8(m, BITSEC_A_SA_MODE, sa->mode) ||
		    (sa->has_reqid && nla_put_u32(m, BITSEC_A_SA_REQID, sa->reqid)))
			return -1;
	}
	if (full) {
		if (nla_put_u8(m, BITSEC_A_SA_MODE, sa->mode) ||
		    (sa->has_reqid && nla_put_u32(m, BITSEC_A_SA_REQID, sa->reqid)) ||
		    (sa->has_replay && nla_put_u32(m, BITSEC_A_SA_REPLAY, sa->replay)) ||
		    (sa->esn && nla_put_u32(m, BITSEC_A_SA_FLAGS, BITSEC_SA_F_ESN)) ||
		    (sa->pad && nla_put_u8(m, BITSEC_A_SA_PAD_TYPE, sa->pad)) ||
		    (sa->tfcpad && nla_put_u32(m, BITSEC_A_SA_TFCPAD, sa->tfcpad)))
			return -1;
		if (sa->enc.present &&
		    put_key(m, sa->enc.kind == BITSEC_ALG_KIND_AEAD ? BITSEC_A_SA_AEAD :
				BITSEC_A_SA_ENC, &sa->enc))
			return -1;
		if (sa->auth.present && put_key(m, BITSEC_A_SA_AUTH, &sa->auth))
			return -1;
		if (put_life(m, BITSEC_A_SA_LIFE_SOFT, &sa->soft) ||
		    put_life(m, BITSEC_A_SA_LIFE_HARD, &sa->hard))
			return -1;
		if (sa->udp_encap) {
			struct nlattr *e = nla_nest_start(m, BITSEC_A_SA_ENCAP);

			if (!e || nla_put_u16(m, BITSEC_A_ENCAP_SPORT, sa->encap_sport) ||
			    nla_put_u16(m, BITSEC_A_ENCAP_DPORT, sa->encap_dport) ||
			    (sa->has_keepalive &&
			     nla_put_u32(m, BITSEC_A_ENCAP_KEEPALIVE, sa->keepalive)))
				return -1;
			nla_nest_end(m, e);
		}
	}
	nla_nest_end(m, nest);
	return 0;
}

/* The SP nest: the selector, plus the action and templates for add/update. */
static int put_sp(struct nl_msg *m, const struct bk_stmt *st, bool full)
{
	const struct bk_sp *sp = &st->sp;
	uint16_t family = sp->src.family == AF_INET6 || sp->dst.family == AF_INET6 ?
			  AF_INET6 : AF_INET;
	struct nlattr *nest = nla_nest_start(m, BITSEC_A_SP), *tmpls, *t;
	unsigned int i;

	if (!nest || nla_put_u16(m, BITSEC_A_SP_FAMILY, family) ||
	    nla_put_u8(m, BITSEC_A_SP_DIR, sp->dir) ||
	    nla_put(m, BITSEC_A_SP_SRC, family == AF_INET6 ? 16 : 4, sp->src.addr) ||
	    nla_put_u8(m, BITSEC_A_SP_SRC_PLEN, sp->src.plen) ||
	    nla_put(m, BITSEC_A_SP_DST, family == AF_INET6 ? 16 : 4, sp->dst.addr) ||
	    nla_put_u8(m, BITSEC_A_SP_DST_PLEN, sp->dst.plen) ||
	    nla_put_u8(m, BITSEC_A_SP_ULPROTO, sp->ulproto) ||
	    (sp->src.has_port && nla_put_u16(m, BITSEC_A_SP_SPORT, sp->src.port)) ||
	    (sp->dst.has_port && nla_put_u16(m, BITSEC_A_SP_DPORT, sp->dst.port)) ||
	    (sp->has_icmp && nla_put_u8(m, BITSEC_A_SP_ICMP_TYPE, sp->icmp_type)) ||
	    (sp->has_icmp_code && nla_put_u8(m, BITSEC_A_SP_ICMP_CODE, sp->icmp_code)))
		return -1;
	if (full) {
		if (nla_put_u32(m, BITSEC_A_SP_PRIORITY, sp->prio) ||
		    nla_put_u8(m, BITSEC_A_SP_ACTION, sp->action))
			return -1;
		if (sp->n_tmpls) {
			tmpls = nla_nest_start(m, BITSEC_A_SP_TMPLS);
			if (!tmpls)
				return -1;
			for (i = 0; i < sp->n_tmpls; i++) {
				const struct bk_tmpl *x = &sp->tmpls[i];
				int alen = x->src.family == AF_INET6 ? 16 : 4;

				t = nla_nest_start(m, BITSEC_A_TMPL);
				if (!t || nla_put_u8(m, BITSEC_A_TMPL_PROTO, x->proto) ||
				    nla_put_u8(m, BITSEC_A_TMPL_MODE, x->mode) ||
				    nla_put_u8(m, BITSEC_A_TMPL_LEVEL, x->level) ||
				    nla_put_u32(m, BITSEC_A_TMPL_REQID, x->reqid))
					return -1;
				if (x->has_endpoints &&
				    (nla_put_u16(m, BITSEC_A_TMPL_FAMILY, x->src.family) ||
				     nla_put(m, BITSEC_A_TMPL_SRC, alen, x->src.addr) ||
				     nla_put(m, BITSEC_A_TMPL_DST, alen, x->dst.addr)))
					return -1;
				nla_nest_end(m, t);
			}
			nla_nest_end(m, tmpls);
		}
	}
	nla_nest_end(m, nest);
	return 0;
}

int bk_req_cmd(const struct bk_stmt *st, int *flags)
{
	*flags = 0;
	switch (st->kind) {
	case BK_ST_ADD: return BITSEC_CMD_SA_ADD;
	case BK_ST_UPDATE: return BITSEC_CMD_SA_UPDATE;
	case BK_ST_GET: return BITSEC_CMD_SA_GET;
	case BK_ST_DELETE: return BITSEC_CMD_SA_DEL;
	case BK_ST_DELETEALL: return BITSEC_CMD_SA_DELALL;
	case BK_ST_FLUSH: return BITSEC_CMD_SA_FLUSH;
	case BK_ST_DUMP:
		*flags = NLM_F_DUMP;
		return BITSEC_CMD_SA_GET;
	case BK_ST_GETSPI: return BITSEC_CMD_SA_GETSPI;
	case BK_ST_SPDADD: return BITSEC_CMD_SP_ADD;
	case BK_ST_SPDUPDATE: return BITSEC_CMD_SP_UPDATE;
	case BK_ST_SPDDELETE: return BITSEC_CMD_SP_DEL;
	case BK_ST_SPDFLUSH: return BITSEC_CMD_SP_FLUSH;
	case BK_ST_SPDDUMP:
		*flags = NLM_F_DUMP;
		return BITSEC_CMD_SP_GET;
	default:
		return -1;
	}
}

/*
 * Fill @m (a fresh message with room) with the request for @st.
 * Returns 0, -1 if the statement has no request of its own in this
 * version, or -2 if the message ran out of room.
 */
int bk_req_build(struct nl_msg *m, int family, const struct bk_stmt *st, bool with_keys)
{
	int flags, cmd = bk_req_cmd(st, &flags);

	if (cmd < 0)
		return -1;
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags | NLM_F_ACK, cmd,
			 BITSEC_GENL_VERSION))
		return -2;
	switch (st->kind) {
	case BK_ST_FLUSH:
	case BK_ST_DUMP:
		if (st->proto && nla_put_u8(m, BITSEC_A_PROTO, st->proto))
			return -2;
		break;
	case BK_ST_SPDFLUSH:
	case BK_ST_SPDDUMP:
		break;
	case BK_ST_SPDADD:
	case BK_ST_SPDUPDATE:
	case BK_ST_SPDDELETE:
		if (put_sp(m, st, st->kind != BK_ST_SPDDELETE))
			return -2;
		break;
	default:
		if (put_sa(m, st, st->kind == BK_ST_ADD || st->kind == BK_ST_UPDATE))
			return -2;
		break;
	}
	if (with_keys && (st->kind == BK_ST_GET || st->kind == BK_ST_DUMP) &&
	    nla_put_flag(m, BITSEC_A_WITH_KEYS))
		return -2;
	return 0;
}
