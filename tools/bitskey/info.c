// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: the GET_INFO reply, checked attribute by attribute so that a
 * malformed or foreign reply is refused with a message naming the field,
 * and printed as a table or as JSON.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "bitskey.h"

int bk_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int get_str(struct nlattr *a, char *dst, size_t len, const char *what,
		   char *err, size_t errlen)
{
	const char *s;
	int n;

	if (!a)
		return bk_fail(err, errlen, "reply lacks %s", what);
	s = nla_data(a);
	n = nla_len(a);
	if (n < 1 || s[n - 1] != '\0' || strlen(s) != (size_t)n - 1)
		return bk_fail(err, errlen, "%s is not a NUL-terminated string", what);
	if ((size_t)n > len)
		return bk_fail(err, errlen, "%s is %d bytes, longer than %zu", what, n - 1, len - 1);
	memcpy(dst, s, n);
	return 0;
}

static int get_int(struct nlattr *a, int size, uint64_t *v, const char *what,
		   char *err, size_t errlen)
{
	if (!a)
		return bk_fail(err, errlen, "reply lacks %s", what);
	if (nla_len(a) != size)
		return bk_fail(err, errlen, "%s has %d bytes, expected %d", what, nla_len(a), size);
	switch (size) {
	case 1: *v = nla_get_u8(a); break;
	case 2: *v = nla_get_u16(a); break;
	default: *v = nla_get_u64(a); break;
	}
	return 0;
}

static int parse_alg(struct nlattr *nest, struct bk_alg *alg, char *err, size_t errlen)
{
	struct nlattr *tb[BITSEC_A_ALG_MAX + 1];
	char sub[BK_ERR_MAX];
	uint64_t v;

	memset(alg, 0, sizeof(*alg));
	if (nla_parse_nested(tb, BITSEC_A_ALG_MAX, nest, NULL) < 0)
		return bk_fail(err, errlen, "algorithm entry is not a valid nest");
	if (get_str(tb[BITSEC_A_ALG_NAME], alg->name, sizeof(alg->name),
		    "algorithm name", err, errlen))
		return -1;
	/* From here on, say which algorithm was malformed. */
#define ALG_FAIL() bk_fail(err, errlen, "algorithm %s: %s", alg->name, sub)
	if (get_str(tb[BITSEC_A_ALG_CRYPTO], alg->crypto, sizeof(alg->crypto),
		    "crypto API name", sub, sizeof(sub)))
		return ALG_FAIL();
	if (tb[BITSEC_A_ALG_DRIVER] &&
	    get_str(tb[BITSEC_A_ALG_DRIVER], alg->driver, sizeof(alg->driver),
		    "driver name", sub, sizeof(sub)))
		return ALG_FAIL();
	if (get_int(tb[BITSEC_A_ALG_KIND], 1, &v, "kind", sub, sizeof(sub)))
		return ALG_FAIL();
	if (v < BITSEC_ALG_KIND_ENC || v > BITSEC_ALG_KIND_AEAD) {
		snprintf(sub, sizeof(sub), "unknown kind %" PRIu64, v);
		return ALG_FAIL();
	}
	alg->kind = v;
	if (get_int(tb[BITSEC_A_ALG_KEY_MIN], 2, &v, "minimum key size", sub, sizeof(sub)))
		return ALG_FAIL();
	alg->key_min = v;
	if (get_int(tb[BITSEC_A_ALG_KEY_MAX], 2, &v, "maximum key size", sub, sizeof(sub)))
		return ALG_FAIL();
	alg->key_max = v;
	if (get_int(tb[BITSEC_A_ALG_KEY_STEP], 2, &v, "key size step", sub, sizeof(sub)))
		return ALG_FAIL();
	alg->key_step = v;
	if (get_int(tb[BITSEC_A_ALG_ICV_BITS], 2, &v, "ICV size", sub, sizeof(sub)))
		return ALG_FAIL();
	alg->icv_bits = v;
	if (get_int(tb[BITSEC_A_ALG_AVAILABLE], 1, &v, "availability", sub, sizeof(sub)))
		return ALG_FAIL();
	alg->available = v != 0;
#undef ALG_FAIL
	if (alg->key_min > alg->key_max)
		return bk_fail(err, errlen, "algorithm %s: key sizes %u > %u", alg->name,
			    alg->key_min, alg->key_max);
	if (alg->available && !alg->driver[0])
		return bk_fail(err, errlen, "algorithm %s: available but no driver named",
			    alg->name);
	return 0;
}

int bk_info_parse(struct nlmsghdr *nlh, struct bk_info *info, char *err, size_t errlen)
{
	struct nlattr *tb[BITSEC_A_MAX + 1];
	struct nlattr *a;
	unsigned int gv = info->genl_version;
	uint64_t v;
	int rem;

	memset(info, 0, sizeof(*info));
	info->genl_version = gv;
	if (genlmsg_parse(nlh, 0, tb, BITSEC_A_MAX, NULL) < 0)
		return bk_fail(err, errlen, "GET_INFO reply is not a valid generic netlink message");
	if (get_str(tb[BITSEC_A_VERSION], info->version, sizeof(info->version),
		    "module version", err, errlen))
		return -1;
	if (get_int(tb[BITSEC_A_NETNS_COOKIE], 8, &v, "namespace cookie", err, errlen))
		return -1;
	info->netns_cookie = v;
	if (!tb[BITSEC_A_ALGS])
		return bk_fail(err, errlen, "reply lacks the algorithm list");
	nla_for_each_nested(a, tb[BITSEC_A_ALGS], rem) {
		if (nla_type(a) != BITSEC_A_ALG)
			return bk_fail(err, errlen, "algorithm list holds attribute type %d",
				    nla_type(a));
		if (info->n_algs == BK_ALGS_MAX)
			return bk_fail(err, errlen, "more than %d algorithms in the reply",
				    BK_ALGS_MAX);
		if (parse_alg(a, &info->algs[info->n_algs], err, errlen))
			return -1;
		info->n_algs++;
	}
	if (rem)
		return bk_fail(err, errlen, "algorithm list has %d trailing bytes", rem);
	return 0;
}

const char *bk_alg_kind_name(uint8_t kind)
{
	switch (kind) {
	case BITSEC_ALG_KIND_ENC: return "encryption";
	case BITSEC_ALG_KIND_AUTH: return "integrity";
	case BITSEC_ALG_KIND_AEAD: return "aead";
	}
	return "?";
}

/* "128", or every allowed size: "128/192/256". */
void bk_key_bits_format(const struct bk_alg *alg, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int b;

	buf[0] = '\0';
	for (b = alg->key_min; b <= alg->key_max && used < len; b += alg->key_step) {
		used += snprintf(buf + used, len - used, "%s%u", used ? "/" : "", b);
		if (!alg->key_step)
			break;
	}
}

void bk_info_print(FILE *out, const struct bk_info *info)
{
	unsigned int i, avail = 0;
	char keys[64], icv[8];

	fprintf(out, "bitskey %s\n", BITSKEY_VERSION);
	fprintf(out, "bitsec module %s (generic netlink family %s, ABI version %u)\n",
		info->version, BITSEC_GENL_NAME, info->genl_version);
	fprintf(out, "network namespace cookie %" PRIu64 "\n", info->netns_cookie);
	for (i = 0; i < info->n_algs; i++)
		avail += info->algs[i].available;
	fprintf(out, "algorithms: %u of %u available in this kernel\n", avail, info->n_algs);
	fprintf(out, "  %-18s %-10s %-12s %4s  %s\n", "name", "kind", "key bits", "icv",
		"kernel driver");
	for (i = 0; i < info->n_algs; i++) {
		const struct bk_alg *a = &info->algs[i];

		bk_key_bits_format(a, keys, sizeof(keys));
		/* A cipher alone has no ICV: "-" rather than a misleading 0. */
		if (a->kind == BITSEC_ALG_KIND_ENC)
			snprintf(icv, sizeof(icv), "-");
		else
			snprintf(icv, sizeof(icv), "%u", a->icv_bits);
		fprintf(out, "  %-18s %-10s %-12s %4s  ", a->name,
			bk_alg_kind_name(a->kind), keys, icv);
		if (a->available)
			fprintf(out, "%s\n", a->driver);
		else
			fprintf(out, "unavailable: this kernel cannot instantiate %s\n",
				a->crypto);
	}
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void bk_info_print_json(FILE *out, const struct bk_info *info)
{
	unsigned int i, b;

	fprintf(out, "{\"tool_version\":");
	json_str(out, BITSKEY_VERSION);
	fprintf(out, ",\"module_version\":");
	json_str(out, info->version);
	fprintf(out, ",\"genl_family\":");
	json_str(out, BITSEC_GENL_NAME);
	fprintf(out, ",\"genl_version\":%u,\"netns_cookie\":%" PRIu64 ",\"algorithms\":[",
		info->genl_version, info->netns_cookie);
	for (i = 0; i < info->n_algs; i++) {
		const struct bk_alg *a = &info->algs[i];

		fprintf(out, "%s{\"name\":", i ? "," : "");
		json_str(out, a->name);
		fprintf(out, ",\"kind\":");
		json_str(out, bk_alg_kind_name(a->kind));
		fprintf(out, ",\"crypto\":");
		json_str(out, a->crypto);
		fprintf(out, ",\"key_bits\":[");
		for (b = a->key_min; b <= a->key_max; b += a->key_step) {
			fprintf(out, "%s%u", b == a->key_min ? "" : ",", b);
			if (!a->key_step)
				break;
		}
		fprintf(out, "],\"icv_bits\":%u,\"available\":%s", a->icv_bits,
			a->available ? "true" : "false");
		if (a->available) {
			fprintf(out, ",\"driver\":");
			json_str(out, a->driver);
		}
		fputc('}', out);
	}
	fprintf(out, "]}\n");
}
