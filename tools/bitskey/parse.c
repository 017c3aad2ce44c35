// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: the setkey grammar, parsed by hand.
 *
 * setkey uses flex and bison with global state and reports "syntax error"
 * with a line at best.  Here every rule asks the lexer for the next word
 * with the delimiters that make sense at that point (an address stops at
 * '/' and '[', a priority at '+' and '-'), so that each message can say
 * what was expected where, with the line and column of the culprit.
 * There is no recursion and no allocation: a file is parsed twice, once to
 * check every statement and once to hand them to the caller, which is how
 * "nothing of a bad file is applied" costs no memory whatever its size.
 *
 * Decisions where setkey is loose or silent (the man page says the rest):
 *  - keys: "string" (its bytes; \" and \\ are the only escapes, a string
 *    ends at its line) or 0x and an even number of hex digits.  A 0-bit
 *    algorithm (null) takes no key, "" or a lone 0x, as setkey writes it.
 *  - ESP must not have null encryption without integrity (RFC 4303 3.2);
 *    encryption without -A is allowed otherwise, as RFC 4303 allows it.
 *  - a port of 0 means any port, as in setkey; "[any]" is the same.
 *  - policy priorities resolve to ipsec-tools' absolute values, see prio().
 *  - requests follow ipsec-tools' policy_parse.y: "esp/transport",
 *    "esp/transport/" and "esp/transport//" + level; the level defaults
 *    to "default".  "unique:N" takes 1..0x3fff, the manual reqids Linux
 *    honours (above, af_key.c replaces them with one of its own).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "parse.h"

struct alg {
	const char *name;
	uint8_t kind;			/* enum bitsec_alg_kind */
	uint16_t kmin, kmax, kstep;	/* bits, salt included */
	uint16_t salt;			/* bits */
};

#define BITSEC_ALG(n, c, k, a, b, s, salt, ...) { n, BITSEC_ALG_KIND_##k, a, b, s, salt },
static const struct alg algs[] = {
#include "module/alg_table.h"
};
#undef BITSEC_ALG

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Upper-layer protocols by name: a fixed table, as /etc/protocols varies. */
static const struct {
	const char *name;
	uint8_t num;
} ulprotos[] = {
	{ "icmp", IPPROTO_ICMP }, { "igmp", IPPROTO_IGMP }, { "ipip", IPPROTO_IPIP },
	{ "ip4", IPPROTO_IPIP }, { "ipencap", IPPROTO_IPIP }, { "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP }, { "dccp", IPPROTO_DCCP }, { "ipv6", IPPROTO_IPV6 },
	{ "rsvp", IPPROTO_RSVP }, { "gre", IPPROTO_GRE }, { "esp", IPPROTO_ESP },
	{ "ah", IPPROTO_AH }, { "icmp6", IPPROTO_ICMPV6 }, { "ipv6-icmp", IPPROTO_ICMPV6 },
	{ "ospf", 89 }, { "pim", IPPROTO_PIM }, { "ipcomp", IPPROTO_COMP }, { "vrrp", 112 },
	{ "l2tp", 115 }, { "sctp", IPPROTO_SCTP }, { "mh", 135 }, { "ipv6-mh", 135 },
	{ "udplite", IPPROTO_UDPLITE },
};

#define NATT_PORT	4500	/* RFC 3948 */
#define TEXT_MAX	40	/* longest word quoted in a message */

struct ps {
	const char *name;
	const unsigned char *buf;
	size_t len;
	size_t pos;		/* next byte to read */
	size_t end;		/* just past the last word read */
	char *err;
	size_t errlen;
	/* line of a forward-moving offset, so that locating every statement costs O(n) */
	size_t lc_off, lc_bol;
	unsigned int lc_line;
};

struct tok {
	size_t off, len;	/* len 0: no word here */
};

static void locate(struct ps *ps, size_t off, unsigned int *line, size_t *col)
{
	const unsigned char *nl;

	if (off < ps->lc_off) {
		ps->lc_off = 0;
		ps->lc_bol = 0;
		ps->lc_line = 1;
	}
	while (ps->lc_off < off) {
		nl = memchr(ps->buf + ps->lc_off, '\n', off - ps->lc_off);
		if (!nl) {
			ps->lc_off = off;
			break;
		}
		ps->lc_line++;
		ps->lc_off = nl - ps->buf + 1;
		ps->lc_bol = ps->lc_off;
	}
	*line = ps->lc_line;
	*col = off - ps->lc_bol + 1;
}

__attribute__((format(printf, 3, 4)))
static int fail(struct ps *ps, size_t off, const char *fmt, ...)
{
	unsigned int line;
	size_t col;
	va_list ap;
	int n;

	if (!ps->err || !ps->errlen)
		return -1;
	locate(ps, off, &line, &col);
	n = snprintf(ps->err, ps->errlen, "%s:%u:%zu: ", ps->name, line, col);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Printable ASCII but blank: what words are made of. */
static bool is_graph(int c)
{
	return c > ' ' && c < 0x7f;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hex_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Bytes that end a word wherever it is: a statement's end, a comment, a string. */
static bool is_break(int c)
{
	return c == ';' || c == '#' || c == '"';
}

/* A byte no word is made of (NUL, controls, non-ASCII) outside comments and strings. */
static int bad_char(struct ps *ps, size_t off)
{
	return fail(ps, off, "unexpected character 0x%02x", ps->buf[off]);
}

/* Blanks and comments; a comment runs to the end of its line. */
static int skip(struct ps *ps)
{
	while (ps->pos < ps->len) {
		unsigned char c = ps->buf[ps->pos];

		if (is_space(c)) {
			ps->pos++;
			continue;
		}
		if (c != '#')
			return 0;
		while (ps->pos < ps->len && ps->buf[ps->pos] != '\n') {
			/* Text has no NULs; one here is corruption, not a comment. */
			if (!ps->buf[ps->pos])
				return bad_char(ps, ps->pos);
			ps->pos++;
		}
	}
	return 0;
}

/* The next byte after blanks and comments in *c, -1 at the end of input. */
static int peek(struct ps *ps, int *c)
{
	if (skip(ps))
		return -1;
	*c = ps->pos < ps->len ? ps->buf[ps->pos] : -1;
	return 0;
}

/*
 * The next word: printable bytes up to a blank, a break or one of @stops.
 * An empty word means something else comes next, for the caller to name;
 * a stray byte where a word would start is an error here.
 */
static int word(struct ps *ps, struct tok *t, const char *stops)
{
	if (skip(ps))
		return -1;
	t->off = ps->pos;
	while (ps->pos < ps->len) {
		unsigned char c = ps->buf[ps->pos];

		if (!is_graph(c)) {
			if (ps->pos == t->off)
				return bad_char(ps, ps->pos);
			break;
		}
		if (is_break(c) || (stops && strchr(stops, c)))
			break;
		ps->pos++;
	}
	t->len = ps->pos - t->off;
	if (t->len)
		ps->end = ps->pos;
	return 0;
}

/* A word for a message, cut if long; words hold printable bytes only. */
static const char *text(const struct ps *ps, const struct tok *t, char *buf, size_t size)
{
	size_t n = t->len;

	if (n < size) {
		memcpy(buf, ps->buf + t->off, n);
		buf[n] = '\0';
	} else {
		memcpy(buf, ps->buf + t->off, size - 4);
		memcpy(buf + size - 4, "...", 4);
	}
	return buf;
}

/* What the input holds at @off, a printable byte, for "expected X, got Y". */
static const char *what_at(const struct ps *ps, size_t off, char *buf, size_t size)
{
	struct tok t = { off, 1 };

	if (ps->buf[off] == '"')
		return "a string";
	while (!is_break(ps->buf[off]) && off + t.len < ps->len &&
	       is_graph(ps->buf[off + t.len]) && !is_break(ps->buf[off + t.len]))
		t.len++;
	buf[0] = '\'';
	text(ps, &t, buf + 1, size - 2);
	strcat(buf, "'");
	return buf;
}

/* "expected WHAT, got ..." at the next byte, or after the last word at the end. */
static int expected(struct ps *ps, size_t off, const char *what)
{
	char d[TEXT_MAX + 8];

	if (off >= ps->len)
		return fail(ps, ps->end, "expected %s, got end of input", what);
	if (!is_graph(ps->buf[off]))
		return bad_char(ps, off);
	return fail(ps, off, "expected %s, got %s", what, what_at(ps, off, d, sizeof(d)));
}

static int need_word(struct ps *ps, struct tok *t, const char *stops, const char *what)
{
	if (word(ps, t, stops))
		return -1;
	return t->len ? 0 : expected(ps, t->off, what);
}

static bool is(const struct ps *ps, const struct tok *t, const char *s)
{
	size_t n = strlen(s);

	return t->len == n && !memcmp(ps->buf + t->off, s, n);
}

/* Where the parse stands, to look at a word and put it back. */
struct mark {
	size_t pos, end;
};

static struct mark mark(const struct ps *ps)
{
	return (struct mark){ ps->pos, ps->end };
}

static void back(struct ps *ps, struct mark m)
{
	ps->pos = m.pos;
	ps->end = m.end;
}

/* A decimal or 0x hex number no greater than @max.  Never wraps. */
static int num(struct ps *ps, const struct tok *t, uint64_t max, const char *what, uint64_t *v)
{
	const unsigned char *s = ps->buf + t->off;
	char tb[TEXT_MAX + 4];
	unsigned int base = 10;
	bool big = false;
	size_t i = 0;
	int d;

	*v = 0;
	if (t->len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (!t->len)
		return fail(ps, t->off, "expected %s", what);
	for (; i < t->len; i++) {
		d = base == 16 ? hex_val(s[i]) : is_digit(s[i]) ? s[i] - '0' : -1;
		if (d < 0)
			return fail(ps, t->off, "bad %s '%s': expected a decimal or 0x hex number",
				    what, text(ps, t, tb, sizeof(tb)));
		if (*v > (UINT64_MAX - d) / base)
			big = true;
		else
			*v = *v * base + d;
	}
	if (big || *v > max)
		return fail(ps, t->off, "%s %s is too big; the limit is %" PRIu64,
			    what, text(ps, t, tb, sizeof(tb)), max);
	return 0;
}

static int need_num(struct ps *ps, struct tok *t, const char *stops, uint64_t max,
		    const char *what, uint64_t *v)
{
	char e[64];

	snprintf(e, sizeof(e), "a number (%s)", what);
	if (need_word(ps, t, stops, e))
		return -1;
	return num(ps, t, max, what, v);
}

static int semi(struct ps *ps)
{
	int c;

	if (peek(ps, &c))
		return -1;
	if (c == ';') {
		ps->pos++;
		return 0;
	}
	if (c < 0)
		return fail(ps, ps->end, "missing ';' at end of input");
	return expected(ps, ps->pos, "';' after the statement");
}

/* A numeric address, its family (0 if @s is none) and full-length prefix. */
static int ip_parse(const unsigned char *s, size_t n, struct bk_addr *a)
{
	char tmp[INET6_ADDRSTRLEN + 1];

	if (!n || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (memchr(tmp, ':', n)) {
		if (inet_pton(AF_INET6, tmp, a->addr) != 1)
			return 0;
		a->family = AF_INET6;
		a->plen = 128;
	} else {
		if (inet_pton(AF_INET, tmp, a->addr) != 1)
			return 0;
		a->family = AF_INET;
		a->plen = 32;
	}
	return a->family;
}

static const char *family_name(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

/* Letters, digits, dots and dashes, starting with a letter or digit: a host name. */
static bool is_hostname(const unsigned char *s, size_t n)
{
	bool letter = false;
	size_t i;

	for (i = 0; i < n; i++) {
		int c = s[i] | 0x20;

		if (c >= 'a' && c <= 'z')
			letter = true;
		else if (!is_digit(s[i]) && (!i || (s[i] != '.' && s[i] != '-')))
			return false;
	}
	return letter;
}

static int bad_ip(struct ps *ps, const struct tok *t, const char *what)
{
	char tb[TEXT_MAX + 4];

	text(ps, t, tb, sizeof(tb));
	if (is_hostname(ps->buf + t->off, t->len))
		return fail(ps, t->off, "%s '%s' is a host name; bitskey does not resolve names, "
			    "use a numeric IPv4 or IPv6 address", what, tb);
	return fail(ps, t->off, "bad %s '%s': expected a numeric IPv4 or IPv6 address", what, tb);
}

struct addr_at {
	size_t off;		/* the address */
	size_t port_off;	/* its "[port]", if a->has_port */
};

/*
 * addr[/plen][[port]|[any]], blanks allowed around the parts as setkey's
 * lexer allows them.  @host refuses a prefix length (SA statements);
 * @family is what -4 or -6 forced, or 0.
 */
static int parse_addr(struct ps *ps, struct bk_addr *a, const char *what, int family, bool host,
		      struct addr_at *at)
{
	char tb[TEXT_MAX + 4];
	struct tok t;
	uint64_t v;
	int c;

	memset(a, 0, sizeof(*a));
	if (need_word(ps, &t, "/[]", what))
		return -1;
	at->off = t.off;
	if (!ip_parse(ps->buf + t.off, t.len, a))
		return bad_ip(ps, &t, what);
	if (family && a->family != family)
		return fail(ps, t.off, "%s %s is %s but -%c was given", what,
			    text(ps, &t, tb, sizeof(tb)), family_name(a->family),
			    family == AF_INET ? '4' : '6');
	if (peek(ps, &c))
		return -1;
	if (c == '/') {
		if (host)
			return fail(ps, ps->pos,
				    "SA addresses are hosts; remove the prefix length");
		ps->pos++;
		if (need_num(ps, &t, "/[]", a->family == AF_INET ? 32 : 128, a->family == AF_INET ?
			     "IPv4 prefix length" : "IPv6 prefix length", &v))
			return -1;
		a->plen = v;
		a->has_plen = true;
		if (peek(ps, &c))
			return -1;
	}
	if (c == '[') {
		at->port_off = ps->pos;
		ps->pos++;
		if (need_word(ps, &t, "/[]", "a port or 'any'"))
			return -1;
		if (!is(ps, &t, "any")) {
			if (num(ps, &t, 65535, "port", &v))
				return -1;
			/* setkey's port 0 is any port. */
			a->port = v;
			a->has_port = v != 0;
		}
		if (peek(ps, &c))
			return -1;
		if (c != ']')
			return expected(ps, ps->pos, "']' after the port");
		ps->pos++;
		ps->end = ps->pos;
	}
	return 0;
}

/* setkey's [-46n]: -4 and -6 force the family; -n (no DNS) is what bitskey always does. */
static int family_opts(struct ps *ps, int *family)
{
	struct mark m;
	struct tok t;
	size_t i;
	int f;

	*family = 0;
	for (;;) {
		m = mark(ps);
		if (word(ps, &t, NULL))
			return -1;
		for (i = 1; i < t.len && strchr("46n", ps->buf[t.off + i]); i++)
			;
		if (t.len < 2 || ps->buf[t.off] != '-' || i < t.len) {
			back(ps, m);
			return 0;
		}
		for (i = 1; i < t.len; i++) {
			if (ps->buf[t.off + i] == 'n')
				continue;
			f = ps->buf[t.off + i] == '4' ? AF_INET : AF_INET6;
			if (*family && *family != f)
				return fail(ps, t.off, "-4 and -6 contradict each other");
			*family = f;
		}
	}
}

/* The two addresses of a statement, of one family. */
static int addr_pair(struct ps *ps, struct bk_addr *src, struct bk_addr *dst, const char *what,
		     bool host, struct addr_at *sat, struct addr_at *dat)
{
	char sw[32], dw[32];
	int family;

	if (family_opts(ps, &family))
		return -1;
	snprintf(sw, sizeof(sw), "source %s", what);
	snprintf(dw, sizeof(dw), "destination %s", what);
	if (parse_addr(ps, src, sw, family, host, sat) ||
	    parse_addr(ps, dst, dw, family, host, dat))
		return -1;
	if (src->family != dst->family)
		return fail(ps, dat->off,
			    "source and destination are of different families (%s and %s)",
			    family_name(src->family), family_name(dst->family));
	return 0;
}

/* esp, ah, and esp-udp if @udp is given. */
static int sa_proto(struct ps *ps, uint8_t *proto, bool *udp)
{
	struct tok t;

	if (need_word(ps, &t, NULL, udp ? "esp, ah or esp-udp" : "esp or ah"))
		return -1;
	if (is(ps, &t, "esp")) {
		*proto = IPPROTO_ESP;
	} else if (is(ps, &t, "ah")) {
		*proto = IPPROTO_AH;
	} else if (udp && is(ps, &t, "esp-udp")) {
		*proto = IPPROTO_ESP;
		*udp = true;
	} else {
		return expected(ps, t.off, udp ? "esp, ah or esp-udp" : "esp or ah");
	}
	return 0;
}

static int spi_num(struct ps *ps, const struct tok *t, uint32_t *spi)
{
	uint64_t v;

	if (num(ps, t, UINT32_MAX, "SPI", &v))
		return -1;
	if (v < 256)
		return fail(ps, t->off, "SPI %" PRIu64 " is reserved (0..255); use 256 or more", v);
	*spi = v;
	return 0;
}

/* [-46n] src dst proto, then the SPI unless @spi is NULL. */
static int sa_head(struct ps *ps, struct bk_sa *sa, struct tok *spi)
{
	struct addr_at sat, dat;

	if (addr_pair(ps, &sa->src, &sa->dst, "address", true, &sat, &dat) ||
	    sa_proto(ps, &sa->proto, &sa->udp_encap))
		return -1;
	if (!sa->udp_encap && (sa->src.has_port || sa->dst.has_port))
		return fail(ps, sa->src.has_port ? sat.port_off : dat.port_off,
			    "a port on an SA address needs esp-udp (ESP in UDP)");
	if (sa->udp_encap) {
		sa->encap_sport = sa->src.has_port ? sa->src.port : NATT_PORT;
		sa->encap_dport = sa->dst.has_port ? sa->dst.port : NATT_PORT;
	}
	if (!spi)
		return 0;
	if (need_word(ps, spi, NULL, "an SPI"))
		return -1;
	return spi_num(ps, spi, &sa->spi);
}

static const struct alg *alg_find(const struct ps *ps, const struct tok *t, bool enc)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		/* -E takes ciphers and AEADs, -A integrity algorithms; null is both. */
		if (enc == (algs[i].kind == BITSEC_ALG_KIND_AUTH))
			continue;
		if (is(ps, t, algs[i].name))
			return &algs[i];
	}
	return NULL;
}

static bool key_bits_ok(const struct alg *al, uint64_t bits)
{
	if (bits < al->kmin || bits > al->kmax)
		return false;
	if (al->kstep)
		return (bits - al->kmin) % al->kstep == 0;
	return bits == al->kmin || bits == al->kmax;
}

/* "128, 192 or 256" */
static void key_sizes(const struct alg *al, char *buf, size_t size)
{
	unsigned int i, count, bits;
	size_t n = 0;

	if (al->kstep)
		count = (al->kmax - al->kmin) / al->kstep + 1;
	else
		count = al->kmin == al->kmax ? 1 : 2;
	buf[0] = '\0';
	for (i = 0; i < count && n < size; i++) {
		bits = al->kstep ? al->kmin + i * al->kstep : i ? al->kmax : al->kmin;
		n += snprintf(buf + n, size - n, "%s%u",
			      !i ? "" : i == count - 1 ? " or " : ", ", bits);
	}
}

static int key_len(struct ps *ps, size_t off, const struct alg *al, uint64_t bytes,
		   struct bk_key *key)
{
	char sizes[64], salt[32] = "";

	if (key_bits_ok(al, bytes * 8) && bytes <= BK_KEY_MAX) {
		key->len = bytes;
		return 0;
	}
	if (!al->kmax)
		return fail(ps, off, "%s takes no key; give none, \"\" or 0x", al->name);
	key_sizes(al, sizes, sizeof(sizes));
	if (al->salt)
		snprintf(salt, sizeof(salt), " (key + %u-bit salt)", al->salt);
	return fail(ps, off, "%s key is %" PRIu64 " bits; it takes %s bits%s",
		    al->name, bytes * 8, sizes, salt);
}

/* "string": its bytes, with \" and \\ the only escapes; it may not span lines. */
static int str_key(struct ps *ps, const struct alg *al, struct bk_key *key)
{
	size_t q = ps->pos, i = q + 1;
	uint64_t n = 0;
	unsigned char c;

	for (;; i++, n++) {
		if (i >= ps->len || ps->buf[i] == '\n')
			return fail(ps, q, "unterminated string");
		c = ps->buf[i];
		if (c == '"')
			break;
		if (!c)
			return bad_char(ps, i);
		if (c == '\\' && i + 1 < ps->len &&
		    (ps->buf[i + 1] == '"' || ps->buf[i + 1] == '\\'))
			c = ps->buf[++i];
		if (n < BK_KEY_MAX)
			key->key[n] = c;
	}
	ps->pos = i + 1;
	ps->end = ps->pos;
	return key_len(ps, q, al, n, key);
}

/* 0x and whole bytes of hex digits. */
static int hex_key(struct ps *ps, const struct alg *al, struct bk_key *key)
{
	size_t start = ps->pos, i = start + 2, n;
	unsigned char c;

	while (i < ps->len && is_graph(ps->buf[i]) && !is_break(ps->buf[i]))
		i++;
	for (n = start + 2; n < i; n++) {
		c = ps->buf[n];
		if (hex_val(c) < 0)
			return fail(ps, n, "bad hex digit '%c' in key", c);
	}
	n = i - start - 2;
	ps->pos = i;
	ps->end = i;
	if (n % 2)
		return fail(ps, start,
			    "odd number of hex digits in key (%zu); a key is whole bytes", n);
	if (key_len(ps, start, al, n / 2, key))
		return -1;
	for (i = 0; i < key->len; i++)
		key->key[i] = hex_val(ps->buf[start + 2 + 2 * i]) << 4 |
			      hex_val(ps->buf[start + 3 + 2 * i]);
	return 0;
}

/* ALGO KEY after -E (@enc) or -A. */
static int alg_key(struct ps *ps, struct bk_key *key, bool enc)
{
	char tb[TEXT_MAX + 4], e[96];
	const struct alg *al;
	struct tok t;
	int c;

	if (need_word(ps, &t, NULL, enc ? "an encryption algorithm after -E" :
					  "an authentication algorithm after -A"))
		return -1;
	al = alg_find(ps, &t, enc);
	if (!al)
		return fail(ps, t.off, "unknown %s algorithm '%s'",
			    enc ? "encryption" : "authentication", text(ps, &t, tb, sizeof(tb)));
	key->present = true;
	key->kind = al->kind;
	snprintf(key->alg, sizeof(key->alg), "%s", al->name);
	if (peek(ps, &c))
		return -1;
	if (c == '"')
		return str_key(ps, al, key);
	if (c == '0' && ps->pos + 1 < ps->len && (ps->buf[ps->pos + 1] | 0x20) == 'x')
		return hex_key(ps, al, key);
	/* setkey's "-E null" and "-A null" have no key at all. */
	if (!al->kmax)
		return 0;
	snprintf(e, sizeof(e), "the key of %s: \"string\" or 0x hex", al->name);
	return expected(ps, ps->pos, e);
}

enum ext { X_MODE, X_REPLAY, X_REQID, X_PAD, X_LH, X_LS, X_BH, X_BS, X_PH, X_PS, X_UH, X_US,
	   X_ESN, X_NATT, X_TFC, X_KA, X_N };

static const char *const ext_names[X_N] = {
	"-m", "-r", "-u", "-f", "-lh", "-ls", "-bh", "-bs", "-ph", "-ps", "-uh", "-us",
	"-esn", "-natt", "-tfcpad", "-natt-keepalive",
};

/* What the number after each lifetime extension is, for messages. */
static const char *const ext_what[X_N] = {
	[X_LH] = "hard lifetime", [X_LS] = "soft lifetime",
	[X_BH] = "hard byte limit", [X_BS] = "soft byte limit",
	[X_PH] = "hard packet limit", [X_PS] = "soft packet limit",
	[X_UH] = "hard use lifetime", [X_US] = "soft use lifetime",
};

static int ext_find(const struct ps *ps, const struct tok *t)
{
	int i;

	for (i = 0; i < X_N; i++)
		if (is(ps, t, ext_names[i]))
			return i;
	return -1;
}

static int ext_arg(struct ps *ps, struct bk_sa *sa, int x, size_t opt, struct tok *val)
{
	static const char *const modes[] = { "any", "transport", "tunnel" };
	static const uint8_t mode_vals[] = { BK_MODE_ANY, BK_MODE_TRANSPORT, BK_MODE_TUNNEL };
	static const char *const pads[] = { "zero-pad", "random-pad", "seq-pad" };
	static const uint8_t pad_vals[] = { BK_PAD_ZERO, BK_PAD_RANDOM, BK_PAD_SEQ };
	uint64_t *life[X_N] = {
		[X_LH] = &sa->hard.add_secs, [X_LS] = &sa->soft.add_secs,
		[X_BH] = &sa->hard.bytes, [X_BS] = &sa->soft.bytes,
		[X_PH] = &sa->hard.packets, [X_PS] = &sa->soft.packets,
		[X_UH] = &sa->hard.use_secs, [X_US] = &sa->soft.use_secs,
	};
	struct tok dport;
	uint64_t v, v2;
	size_t i;

	val->off = opt;
	switch (x) {
	case X_MODE:
		if (need_word(ps, val, NULL, "transport, tunnel or any after -m"))
			return -1;
		for (i = 0; i < ARRAY_SIZE(modes) && !is(ps, val, modes[i]); i++)
			;
		if (i == ARRAY_SIZE(modes))
			return expected(ps, val->off, "transport, tunnel or any after -m");
		sa->mode = mode_vals[i];
		return 0;
	case X_REPLAY:
		if (need_num(ps, val, NULL, BITSEC_REPLAY_MAX, "replay window", &v))
			return -1;
		sa->has_replay = true;
		sa->replay = v;
		return 0;
	case X_REQID:
		if (need_num(ps, val, NULL, UINT32_MAX, "reqid", &v))
			return -1;
		sa->has_reqid = true;
		sa->reqid = v;
		return 0;
	case X_PAD:
		if (need_word(ps, val, NULL, "zero-pad, random-pad or seq-pad after -f"))
			return -1;
		for (i = 0; i < ARRAY_SIZE(pads) && !is(ps, val, pads[i]); i++)
			;
		if (i == ARRAY_SIZE(pads))
			return expected(ps, val->off, "zero-pad, random-pad or seq-pad after -f");
		sa->pad = pad_vals[i];
		return 0;
	case X_ESN:
		sa->esn = true;
		return 0;
	case X_NATT:
		if (sa->proto != IPPROTO_ESP)
			return fail(ps, opt, "-natt needs esp (NAT-T carries ESP in UDP)");
		if (sa->udp_encap)
			return fail(ps, opt, "-natt and esp-udp both set the NAT-T ports; use one");
		if (need_num(ps, val, NULL, 65535, "NAT-T source port", &v) ||
		    need_num(ps, &dport, NULL, 65535, "NAT-T destination port", &v2))
			return -1;
		if (!v || !v2)
			return fail(ps, v ? dport.off : val->off,
				    "NAT-T port 0 is invalid; use 1..65535");
		sa->udp_encap = true;
		sa->encap_sport = v;
		sa->encap_dport = v2;
		return 0;
	case X_TFC:
		if (sa->proto != IPPROTO_ESP)
			return fail(ps, opt, "-tfcpad needs esp (AH has no padding)");
		if (need_num(ps, val, NULL, BITSEC_TFCPAD_MAX, "TFC padding length", &v))
			return -1;
		sa->tfcpad = v;
		return 0;
	case X_KA:
		if (need_num(ps, val, NULL, BITSEC_NATT_KEEPALIVE_MAX,
			     "NAT keepalive interval (seconds, 0 = off)", &v))
			return -1;
		sa->has_keepalive = true;
		sa->keepalive = v;
		return 0;
	default:
		return need_num(ps, val, NULL, UINT64_MAX, ext_what[x], life[x]);
	}
}

/* Extensions: any order, each at most once. */
static int extensions(struct ps *ps, struct bk_sa *sa)
{
	const struct {
		int soft, hard;
		const uint64_t *vsoft, *vhard;
	} pairs[] = {
		{ X_LS, X_LH, &sa->soft.add_secs, &sa->hard.add_secs },
		{ X_BS, X_BH, &sa->soft.bytes, &sa->hard.bytes },
		{ X_PS, X_PH, &sa->soft.packets, &sa->hard.packets },
		{ X_US, X_UH, &sa->soft.use_secs, &sa->hard.use_secs },
	};
	struct tok t, vals[X_N] = { { 0, 0 } };
	bool seen[X_N] = { false };
	size_t tfc_off = 0, ka_off = 0;
	char tb[TEXT_MAX + 4];
	struct mark m;
	size_t i;
	int x;

	for (;;) {
		m = mark(ps);
		if (word(ps, &t, NULL))
			return -1;
		if (!t.len || ps->buf[t.off] != '-' || is(ps, &t, "-E") || is(ps, &t, "-A")) {
			back(ps, m);
			break;
		}
		x = ext_find(ps, &t);
		if (x < 0)
			return fail(ps, t.off, "unknown extension '%s'; expected -m, -r, -u, -f, "
				    "-lh, -ls, -bh, -bs, -ph, -ps, -uh, -us, -esn, -natt, -natt-keepalive, "
				    "-tfcpad, or "
				    "-E/-A", text(ps, &t, tb, sizeof(tb)));
		if (seen[x])
			return fail(ps, t.off, "duplicate extension '%s'", ext_names[x]);
		seen[x] = true;
		if (x == X_TFC)
			tfc_off = t.off;
		if (x == X_KA)
			ka_off = t.off;
		if (ext_arg(ps, sa, x, t.off, &vals[x]))
			return -1;
	}
	if (sa->has_keepalive && !sa->udp_encap)
		return fail(ps, ka_off, "-natt-keepalive needs esp-udp or -natt: "
			    "keepalives only keep a NAT-T mapping");
	if (sa->tfcpad && sa->mode != BK_MODE_TUNNEL)
		return fail(ps, tfc_off, "-tfcpad needs -m tunnel: only an inner IP "
			    "header tells the receiver where the padding starts");
	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		if (*pairs[i].vsoft && *pairs[i].vhard && *pairs[i].vsoft > *pairs[i].vhard)
			return fail(ps, vals[pairs[i].soft].off, "%s %" PRIu64 " is greater than "
				    "%s %" PRIu64 "; the soft limit must come first",
				    ext_names[pairs[i].soft], *pairs[i].vsoft,
				    ext_names[pairs[i].hard], *pairs[i].vhard);
	}
	return 0;
}

/* -E ALGO KEY and -A ALGO KEY, in either order. */
static int algorithms(struct ps *ps, struct bk_sa *sa)
{
	size_t e_off = 0, a_off = 0;
	char tb[TEXT_MAX + 4];
	struct mark m;
	struct tok t;
	int c;

	for (;;) {
		m = mark(ps);
		if (word(ps, &t, NULL))
			return -1;
		if (is(ps, &t, "-E")) {
			if (sa->proto == IPPROTO_AH)
				return fail(ps, t.off, "-E on an AH SA: AH only authenticates; "
					    "use -A ALGO KEY");
			if (sa->enc.present)
				return fail(ps, t.off, "duplicate -E");
			e_off = t.off;
			if (alg_key(ps, &sa->enc, true))
				return -1;
		} else if (is(ps, &t, "-A")) {
			if (sa->auth.present)
				return fail(ps, t.off, "duplicate -A");
			a_off = t.off;
			if (alg_key(ps, &sa->auth, false))
				return -1;
		} else if (t.len && ext_find(ps, &t) >= 0) {
			return fail(ps, t.off, "'%s' goes before the algorithms: extensions come "
				    "before -E and -A", text(ps, &t, tb, sizeof(tb)));
		} else {
			back(ps, m);
			break;
		}
	}
	if (peek(ps, &c))
		return -1;
	if (sa->proto == IPPROTO_ESP && !sa->enc.present) {
		if (c == ';' || c < 0)
			return fail(ps, c < 0 ? ps->end : ps->pos, "ESP needs an encryption "
				    "algorithm: -E ALGO KEY [-A ALGO KEY]");
		return expected(ps, ps->pos, "-E ALGO KEY");
	}
	if (sa->proto == IPPROTO_AH && !sa->auth.present) {
		if (c == ';' || c < 0)
			return fail(ps, c < 0 ? ps->end : ps->pos,
				    "AH needs an authentication algorithm: -A ALGO KEY");
		return expected(ps, ps->pos, "-A ALGO KEY");
	}
	if (sa->enc.kind == BITSEC_ALG_KIND_AEAD && sa->auth.present)
		return fail(ps, a_off, "%s is an AEAD: an AEAD carries its own integrity; drop -A",
			    sa->enc.alg);
	if (sa->proto == IPPROTO_ESP && !strcmp(sa->enc.alg, "null") &&
	    (!sa->auth.present || !strcmp(sa->auth.alg, "null")))
		return fail(ps, e_off, "ESP with -E null needs integrity (-A): RFC 4303 forbids "
			    "null encryption without it");
	return 0;
}

static int sa_add(struct ps *ps, struct bk_stmt *st)
{
	struct tok spi;

	if (sa_head(ps, &st->sa, &spi) || extensions(ps, &st->sa) || algorithms(ps, &st->sa))
		return -1;
	return semi(ps);
}

static int sa_get(struct ps *ps, struct bk_stmt *st)
{
	struct tok spi;

	if (sa_head(ps, &st->sa, &spi))
		return -1;
	return semi(ps);
}

static int sa_deleteall(struct ps *ps, struct bk_stmt *st)
{
	struct addr_at sat, dat;

	if (addr_pair(ps, &st->sa.src, &st->sa.dst, "address", true, &sat, &dat))
		return -1;
	if (st->sa.src.has_port || st->sa.dst.has_port)
		return fail(ps, st->sa.src.has_port ? sat.port_off : dat.port_off,
			    "deleteall takes addresses without ports");
	if (sa_proto(ps, &st->sa.proto, NULL))
		return -1;
	st->proto = st->sa.proto;
	return semi(ps);
}

/* spi, or the range MIN-MAX */
static int sa_getspi(struct ps *ps, struct bk_stmt *st)
{
	struct bk_sa *sa = &st->sa;
	struct tok t, t2;
	int c;

	if (sa_head(ps, sa, NULL) || need_word(ps, &t, "-", "an SPI or an SPI range MIN-MAX") ||
	    spi_num(ps, &t, &sa->spi))
		return -1;
	sa->spi_max = sa->spi;
	if (peek(ps, &c))
		return -1;
	if (c == '-') {
		ps->pos++;
		if (need_word(ps, &t2, NULL, "the largest SPI of the range") ||
		    spi_num(ps, &t2, &sa->spi_max))
			return -1;
		if (sa->spi_max < sa->spi)
			return fail(ps, t.off, "SPI range %" PRIu32 "-%" PRIu32 " is empty",
				    sa->spi, sa->spi_max);
	}
	return semi(ps);
}

/* flush and dump: [esp|ah] */
static int sa_filter(struct ps *ps, struct bk_stmt *st)
{
	int c;

	if (peek(ps, &c))
		return -1;
	if (c != ';' && c >= 0 && sa_proto(ps, &st->proto, NULL))
		return -1;
	return semi(ps);
}

/*
 * Priorities, as ipsec-tools' policy_parse.y and policy_token.l resolve
 * them on Linux (libpfkey.h: low 0xc0000000, def 0x80000000, high
 * 0x40000000; lower is checked first):
 *   (none)               def
 *   prio N               def - N      N <= 0x80000000 (higher priority)
 *   prio -N              def + N      N <= 0x7fffffff
 *   prio low|def|high    that base
 *   prio BASE + N        BASE - N     N <= 0x40000000
 *   prio BASE - N        BASE + N     N <= 0x3fffffff
 * so the result is always within 0..0xffffffff.  "priority" is a synonym.
 * "prio +N" is not setkey syntax and is refused rather than guessed at.
 */
static int prio(struct ps *ps, struct bk_sp *sp)
{
	static const char *const what = "a priority after 'prio': N, -N, or low, def or high "
					 "optionally followed by + N or - N";
	struct tok t;
	uint64_t v;
	uint32_t base;
	int c;

	sp->has_prio = true;
	if (peek(ps, &c))
		return -1;
	if (c == '+')
		return fail(ps, ps->pos, "'prio +N' is not setkey syntax; write 'prio N' "
			    "(N above the default) or 'prio def + N'");
	if (c == '-') {
		ps->pos++;
		ps->end = ps->pos;
		if (need_num(ps, &t, "+-", 0x7fffffff, "priority offset", &v))
			return -1;
		sp->prio = BK_PRIO_DEF + v;
		return 0;
	}
	if (need_word(ps, &t, "+-", what))
		return -1;
	if (is_digit(ps->buf[t.off])) {
		if (num(ps, &t, 0x80000000, "priority offset", &v))
			return -1;
		sp->prio = BK_PRIO_DEF - v;
		return 0;
	}
	if (is(ps, &t, "low"))
		base = BK_PRIO_LOW;
	else if (is(ps, &t, "def"))
		base = BK_PRIO_DEF;
	else if (is(ps, &t, "high"))
		base = BK_PRIO_HIGH;
	else
		return expected(ps, t.off, what);
	sp->prio = base;
	if (peek(ps, &c))
		return -1;
	if (c != '+' && c != '-')
		return 0;
	ps->pos++;
	ps->end = ps->pos;
	if (need_num(ps, &t, "+-", c == '+' ? 0x40000000 : 0x3fffffff, "priority offset", &v))
		return -1;
	sp->prio = c == '+' ? base - v : base + v;
	return 0;
}

/* One part of a request, for messages and numbers. */
static struct tok part(const struct tok *t, size_t from, size_t to)
{
	return (struct tok){ t->off + from, to - from };
}

static int tmpl_endpoints(struct ps *ps, const struct tok *e, struct bk_tmpl *tp)
{
	const unsigned char *s = ps->buf + e->off;
	const unsigned char *br = memchr(s, '[', e->len);
	const unsigned char *dash = memchr(s, '-', e->len);
	char tb[TEXT_MAX + 4];
	struct tok a, b;

	if (br)
		return fail(ps, e->off + (br - s), "tunnel endpoints take no ports");
	if (!dash)
		return fail(ps, e->off, "tunnel endpoints must be SRC-DST, got '%s'",
			    text(ps, e, tb, sizeof(tb)));
	a = part(e, 0, dash - s);
	b = part(e, dash - s + 1, e->len);
	if (is(ps, &a, "me") || is(ps, &a, "any") || is(ps, &b, "me") || is(ps, &b, "any"))
		return fail(ps, e->off, "'me' and 'any' are not supported as tunnel endpoints; "
			    "give numeric addresses");
	if (!ip_parse(ps->buf + a.off, a.len, &tp->src))
		return bad_ip(ps, &a, "tunnel source");
	if (!ip_parse(ps->buf + b.off, b.len, &tp->dst))
		return bad_ip(ps, &b, "tunnel destination");
	if (tp->src.family != tp->dst.family)
		return fail(ps, b.off, "tunnel endpoints are of different families (%s and %s)",
			    family_name(tp->src.family), family_name(tp->dst.family));
	tp->has_endpoints = true;
	return 0;
}

static int tmpl_level(struct ps *ps, const struct tok *l, struct bk_tmpl *tp)
{
	static const char *const what = "a level (default, use, require, unique or unique:N)";
	static const char *const names[] = { "default", "use", "require", "unique" };
	char tb[TEXT_MAX + 4];
	struct tok n;
	uint64_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (is(ps, l, names[i])) {
			tp->level = i;	/* enum bk_level is in this order */
			return 0;
		}
	}
	if (l->len < 7 || memcmp(ps->buf + l->off, "unique:", 7))
		return fail(ps, l->off, "expected %s, got '%s'", what, text(ps, l, tb, sizeof(tb)));
	n = part(l, 7, l->len);
	if (!n.len)
		return fail(ps, l->off, "expected a reqid after 'unique:'");
	if (num(ps, &n, BK_REQID_MANUAL_MAX, "unique reqid", &v))
		return -1;
	if (!v)
		return fail(ps, n.off, "unique:0 is no reqid; write 'unique' to let the kernel "
			    "pick one, or unique:1..16383");
	tp->level = BK_LEVEL_UNIQUE;
	tp->reqid = v;
	return 0;
}

/* proto/mode[/[src-dst][/[level]]], the forms ipsec-tools accepts. */
static int tmpl(struct ps *ps, const struct tok *t, struct bk_tmpl *tp)
{
	static const char *const form = "expected proto/mode/src-dst/level, "
					"e.g. esp/transport//require";
	const unsigned char *s = ps->buf + t->off;
	char tb[TEXT_MAX + 4];
	size_t cut[5], n = 0, i;
	struct tok f[4];

	memset(tp, 0, sizeof(*tp));
	for (i = 0; i < t->len; i++) {
		if (s[i] != '/')
			continue;
		if (n == 3)
			return fail(ps, t->off + i, "too many '/' in request '%s'; %s",
				    text(ps, t, tb, sizeof(tb)), form);
		cut[n++] = i;
	}
	cut[n] = t->len;
	for (i = 0; i <= n; i++)
		f[i] = part(t, i ? cut[i - 1] + 1 : 0, cut[i]);
	if (is(ps, &f[0], "esp"))
		tp->proto = IPPROTO_ESP;
	else if (is(ps, &f[0], "ah"))
		tp->proto = IPPROTO_AH;
	else
		return fail(ps, t->off, "expected esp or ah in request, got '%s'",
			    text(ps, &f[0], tb, sizeof(tb)));
	if (!n || !f[1].len)
		return fail(ps, t->off, "incomplete request '%s'; %s",
			    text(ps, t, tb, sizeof(tb)), form);
	if (is(ps, &f[1], "transport"))
		tp->mode = BK_MODE_TRANSPORT;
	else if (is(ps, &f[1], "tunnel"))
		tp->mode = BK_MODE_TUNNEL;
	else
		return fail(ps, f[1].off, "expected transport or tunnel in request, got '%s'",
			    text(ps, &f[1], tb, sizeof(tb)));
	if (n == 3 && !f[2].len && !f[3].len)
		return fail(ps, f[3].off - 1, "request '%s' ends in '//'; give a level (default, "
			    "use, require, unique) or drop the slashes",
			    text(ps, t, tb, sizeof(tb)));
	if (n >= 2 && f[2].len) {
		if (tp->mode == BK_MODE_TRANSPORT)
			return fail(ps, f[2].off, "transport mode takes no endpoints; write %s/"
				    "transport//LEVEL", tp->proto == IPPROTO_ESP ? "esp" : "ah");
		if (tmpl_endpoints(ps, &f[2], tp))
			return -1;
	} else if (tp->mode == BK_MODE_TUNNEL) {
		return fail(ps, t->off, "tunnel mode needs its endpoints: %s/tunnel/SRC-DST/LEVEL",
			    tp->proto == IPPROTO_ESP ? "esp" : "ah");
	}
	if (n == 3 && f[3].len)
		return tmpl_level(ps, &f[3], tp);
	tp->level = BK_LEVEL_DEFAULT;
	return 0;
}

/* ipsec REQ...: 1 to BK_TMPL_MAX requests, innermost first. */
static int requests(struct ps *ps, struct bk_sp *sp)
{
	struct tok t;
	int c;

	for (;;) {
		if (peek(ps, &c))
			return -1;
		if (c == ';' || c < 0)
			break;
		if (need_word(ps, &t, NULL, "a request (proto/mode/src-dst/level)"))
			return -1;
		if (sp->n_tmpls == BK_TMPL_MAX)
			return fail(ps, t.off, "too many requests; a policy takes at most %d",
				    BK_TMPL_MAX);
		if (tmpl(ps, &t, &sp->tmpls[sp->n_tmpls]))
			return -1;
		sp->n_tmpls++;
	}
	if (!sp->n_tmpls)
		return fail(ps, c < 0 ? ps->end : ps->pos,
			    "ipsec needs at least one request, e.g. esp/transport//require");
	return 0;
}

/* -P DIR [prio ...] ACTION [REQ...]; spddelete needs only the direction. */
static int policy(struct ps *ps, struct bk_stmt *st)
{
	static const char *const dirs[] = { "in", "out", "fwd" };
	static const char *const acts[] = { "discard", "none", "ipsec" };
	struct bk_sp *sp = &st->sp;
	char tb[TEXT_MAX + 4];
	struct mark m;
	struct tok t;
	size_t i;
	int c;

	if (need_word(ps, &t, NULL, "-P and the policy"))
		return -1;
	if (!is(ps, &t, "-P"))
		return expected(ps, t.off, "-P and the policy");
	if (need_word(ps, &t, NULL, "in, out or fwd after -P"))
		return -1;
	for (i = 0; i < ARRAY_SIZE(dirs) && !is(ps, &t, dirs[i]); i++)
		;
	if (i == ARRAY_SIZE(dirs))
		return expected(ps, t.off, "in, out or fwd after -P");
	sp->dir = i;		/* enum bk_dir is in this order */
	sp->prio = BK_PRIO_DEF;
	if (peek(ps, &c))
		return -1;
	if (st->kind == BK_ST_SPDDELETE && (c == ';' || c < 0))
		return 0;
	m = mark(ps);
	if (word(ps, &t, NULL))
		return -1;
	if (is(ps, &t, "prio") || is(ps, &t, "priority")) {
		if (prio(ps, sp))
			return -1;
	} else {
		back(ps, m);
	}
	if (need_word(ps, &t, NULL, "discard, none or ipsec"))
		return -1;
	for (i = 0; i < ARRAY_SIZE(acts) && !is(ps, &t, acts[i]); i++)
		;
	if (i == ARRAY_SIZE(acts))
		return expected(ps, t.off, "discard, none or ipsec");
	sp->action = i;		/* enum bk_action is in this order */
	if (sp->action == BK_ACT_IPSEC)
		return requests(ps, sp);
	if (peek(ps, &c))
		return -1;
	if (c != ';' && c >= 0 && is_graph(c))
		return fail(ps, ps->pos, "'%s' takes no requests; expected ';'",
			    text(ps, &t, tb, sizeof(tb)));
	return 0;
}

static bool ports_make_sense(uint8_t ulproto)
{
	return ulproto == IPPROTO_TCP || ulproto == IPPROTO_UDP || ulproto == IPPROTO_SCTP ||
	       ulproto == BK_ULPROTO_ANY;
}

/* any, a name, or 0..255; icmp and icmp6 may take type[,code]. */
static int upperspec(struct ps *ps, struct bk_sp *sp, struct tok *t)
{
	static const char *const what = "an upper-layer protocol (any, tcp, udp, icmp, ... "
					"or 0..255)";
	char tb[TEXT_MAX + 4];
	struct tok ty, co;
	uint64_t v;
	size_t i;
	int c;

	if (need_word(ps, t, ",", what))
		return -1;
	if (is(ps, t, "any")) {
		sp->ulproto = BK_ULPROTO_ANY;
	} else if (is_digit(ps->buf[t->off])) {
		if (num(ps, t, 255, "upper-layer protocol", &v))
			return -1;
		sp->ulproto = v;
	} else {
		for (i = 0; i < ARRAY_SIZE(ulprotos) && !is(ps, t, ulprotos[i].name); i++)
			;
		if (i == ARRAY_SIZE(ulprotos))
			return fail(ps, t->off, "unknown upper-layer protocol '%s'; use a name "
				    "like tcp, udp or icmp, a number 0..255, or any",
				    text(ps, t, tb, sizeof(tb)));
		sp->ulproto = ulprotos[i].num;
	}
	if (sp->ulproto != IPPROTO_ICMP && sp->ulproto != IPPROTO_ICMPV6)
		return 0;
	if (peek(ps, &c))
		return -1;
	if (c < 0 || !is_digit(c))
		return 0;
	if (need_num(ps, &ty, ",", 255, "ICMP type", &v))
		return -1;
	sp->has_icmp = true;
	sp->icmp_type = v;
	if (ps->pos >= ps->len || ps->buf[ps->pos] != ',')
		return 0;
	ps->pos++;
	if (need_num(ps, &co, ",", 255, "ICMP code", &v))
		return -1;
	sp->has_icmp_code = true;
	sp->icmp_code = v;
	return 0;
}

static int spd(struct ps *ps, struct bk_stmt *st)
{
	struct bk_sp *sp = &st->sp;
	struct addr_at sat, dat;
	char tb[TEXT_MAX + 4];
	struct tok t;

	if (addr_pair(ps, &sp->src, &sp->dst, "range", false, &sat, &dat) ||
	    upperspec(ps, sp, &t))
		return -1;
	if ((sp->src.has_port || sp->dst.has_port) && !ports_make_sense(sp->ulproto))
		return fail(ps, sp->src.has_port ? sat.port_off : dat.port_off,
			    "ports only make sense with tcp, udp, sctp or any, not '%s'",
			    text(ps, &t, tb, sizeof(tb)));
	if (policy(ps, st))
		return -1;
	return semi(ps);
}

static const struct {
	const char *name;
	enum bk_stmt_kind kind;
} stmts[] = {
	{ "add", BK_ST_ADD }, { "update", BK_ST_UPDATE }, { "get", BK_ST_GET },
	{ "delete", BK_ST_DELETE }, { "deleteall", BK_ST_DELETEALL }, { "flush", BK_ST_FLUSH },
	{ "dump", BK_ST_DUMP }, { "getspi", BK_ST_GETSPI }, { "spdadd", BK_ST_SPDADD },
	{ "spdupdate", BK_ST_SPDUPDATE }, { "spddelete", BK_ST_SPDDELETE },
	{ "spdflush", BK_ST_SPDFLUSH }, { "spddump", BK_ST_SPDDUMP },
};

static int statement(struct ps *ps, struct bk_stmt *st)
{
	static const char *const what = "a statement (add, update, get, delete, deleteall, "
					"flush, dump, getspi, spdadd, spdupdate, spddelete, "
					"spdflush or spddump)";
	unsigned int line;
	struct tok t;
	size_t i, col;

	memset(st, 0, sizeof(*st));
	if (need_word(ps, &t, NULL, what))
		return -1;
	for (i = 0; i < ARRAY_SIZE(stmts) && !is(ps, &t, stmts[i].name); i++)
		;
	if (i == ARRAY_SIZE(stmts))
		return expected(ps, t.off, what);
	st->kind = stmts[i].kind;
	locate(ps, t.off, &line, &col);
	st->line = line;
	st->col = col;
	switch (st->kind) {
	case BK_ST_ADD:
	case BK_ST_UPDATE:
		return sa_add(ps, st);
	case BK_ST_GET:
	case BK_ST_DELETE:
		return sa_get(ps, st);
	case BK_ST_DELETEALL:
		return sa_deleteall(ps, st);
	case BK_ST_FLUSH:
	case BK_ST_DUMP:
		return sa_filter(ps, st);
	case BK_ST_GETSPI:
		return sa_getspi(ps, st);
	case BK_ST_SPDADD:
	case BK_ST_SPDUPDATE:
	case BK_ST_SPDDELETE:
		return spd(ps, st);
	default:
		return semi(ps);
	}
}

static int pass(struct ps *ps, int (*cb)(const struct bk_stmt *st, void *arg), void *arg)
{
	struct bk_stmt st;
	int rc;

	ps->pos = 0;
	ps->end = 0;
	for (;;) {
		if (skip(ps))
			return -1;
		if (ps->pos >= ps->len)
			return 0;
		if (statement(ps, &st))
			return -1;
		if (cb) {
			rc = cb(&st, arg);
			if (rc)
				return rc;
		}
	}
}

int bk_parse(const char *name, const char *buf, size_t len,
	     int (*cb)(const struct bk_stmt *st, void *arg), void *arg,
	     char *err, size_t errlen)
{
	struct ps ps = {
		.name = name ? name : "-",
		.buf = (const unsigned char *)buf,
		.len = buf ? len : 0,
		.err = err,
		.errlen = errlen,
		.lc_line = 1,
	};

	if (err && errlen)
		err[0] = '\0';
	/* Check all, then deliver: the parse is deterministic, so both agree. */
	if (pass(&ps, NULL, NULL))
		return -1;
	return cb ? pass(&ps, cb, arg) : 0;
}
