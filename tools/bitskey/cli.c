// SPDX-License-Identifier: GPL-2.0
/* bitskey: the command line, kept apart from main() so it can be tested. */
#include <string.h>

#include "bitskey.h"

void bk_usage(FILE *out)
{
	fprintf(out,
		"usage: bitskey -V [-j]\n"
		"       bitskey -h\n"
		"\n"
		"  -V   print bitskey's and the bitsec module's versions and the\n"
		"       algorithms the running kernel can instantiate\n"
		"  -j   print as JSON\n"
		"  -h   this help\n");
}

/*
 * Returns BK_EXIT_OK with @opts filled, or BK_EXIT_USAGE with the reason in
 * @err.  Short options may be bundled ("-Vj") as setkey allows.
 */
int bk_parse_args(int argc, char **argv, struct bk_opts *opts, char *err, size_t errlen)
{
	int i;

	memset(opts, 0, sizeof(*opts));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1]) {
			snprintf(err, errlen, "unexpected argument '%s'", a);
			return BK_EXIT_USAGE;
		}
		if (!strcmp(a, "--help")) {
			opts->mode = BK_MODE_HELP;
			continue;
		}
		if (!strcmp(a, "--version")) {
			opts->mode = BK_MODE_VERSION;
			continue;
		}
		if (!strcmp(a, "--json")) {
			opts->json = true;
			continue;
		}
		if (a[1] == '-') {
			snprintf(err, errlen, "unknown option '%s'", a);
			return BK_EXIT_USAGE;
		}
		for (a++; *a; a++) {
			switch (*a) {
			case 'V':
				opts->mode = BK_MODE_VERSION;
				break;
			case 'h':
				opts->mode = BK_MODE_HELP;
				break;
			case 'j':
				opts->json = true;
				break;
			default:
				snprintf(err, errlen, "unknown option '-%c'", *a);
				return BK_EXIT_USAGE;
			}
		}
	}
	if (opts->mode == BK_MODE_NONE) {
		snprintf(err, errlen, "nothing to do: give -V, or -h for help");
		return BK_EXIT_USAGE;
	}
	return BK_EXIT_OK;
}
