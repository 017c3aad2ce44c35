// SPDX-License-Identifier: GPL-2.0
/* bitskey: the command line, kept apart from main() so it can be tested. */
#include <string.h>

#include "bitskey.h"

void bk_usage(FILE *out)
{
	fprintf(out,
		"usage: bitskey [-nv] -f FILE        apply the statements in FILE\n"
		"       bitskey [-nv] -c             apply statements read from stdin\n"
		"       bitskey -D [-P] [-a] [-j] [--keys]\n"
		"                                    dump SAs (-P: policies)\n"
		"       bitskey -D [-P] --keys --script\n"
		"                                    dump as statements -f loads again\n"
		"       bitskey -F [-P]              flush SAs (-P: policies)\n"
		"       bitskey -x [-j]              watch the module's events\n"
		"       bitskey -s [-v] [-j]         this namespace's counters (-v: zeros too)\n"
		"       bitskey -V [-j]              versions and algorithms\n"
		"       bitskey -h                   this help\n"
		"\n"
		"  -n      parse only: check the statements, change nothing\n"
		"  -v      say what each statement did\n"
		"  -a      with -D: dead SAs too\n"
		"  -j      JSON output, for scripts\n"
		"  --keys  with -D: print key material (otherwise only algorithm names)\n"
		"  --script  with -D: print statements that -f loads again (SAs need --keys)\n"
		"\n"
		"Statements follow setkey(8); see bitskey(8).\n");
}

static int set_cmd(struct bk_opts *o, enum bk_cmd c, char *err, size_t errlen)
{
	if (o->cmd != BK_CMD_NONE && o->cmd != c) {
		snprintf(err, errlen, "give only one of -f, -c, -D, -F, -x, -s, -V, -h");
		return BK_EXIT_USAGE;
	}
	o->cmd = c;
	return BK_EXIT_OK;
}

/*
 * Returns BK_EXIT_OK with @opts filled, or BK_EXIT_USAGE with the reason in
 * @err.  Short options may be bundled ("-DP", "-Vj") as setkey allows; -f
 * takes the rest of its word or the next word as the file.
 */
int bk_parse_args(int argc, char **argv, struct bk_opts *opts, char *err, size_t errlen)
{
	bool word_used;
	int i, rc;

	memset(opts, 0, sizeof(*opts));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1]) {
			snprintf(err, errlen, "unexpected argument '%s'", a);
			return BK_EXIT_USAGE;
		}
		if (a[1] == '-') {
			if (!strcmp(a, "--help"))
				rc = set_cmd(opts, BK_CMD_HELP, err, errlen);
			else if (!strcmp(a, "--version"))
				rc = set_cmd(opts, BK_CMD_VERSION, err, errlen);
			else if (!strcmp(a, "--json"))
				rc = (opts->json = true, BK_EXIT_OK);
			else if (!strcmp(a, "--keys"))
				rc = (opts->keys = true, BK_EXIT_OK);
			else if (!strcmp(a, "--script"))
				rc = (opts->script = true, BK_EXIT_OK);
			else {
				snprintf(err, errlen, "unknown option '%s'", a);
				return BK_EXIT_USAGE;
			}
			if (rc)
				return rc;
			continue;
		}
		word_used = false;
		for (a++; *a && !word_used; a++) {
			rc = BK_EXIT_OK;
			switch (*a) {
			case 'V': rc = set_cmd(opts, BK_CMD_VERSION, err, errlen); break;
			case 'h': rc = set_cmd(opts, BK_CMD_HELP, err, errlen); break;
			case 'c': rc = set_cmd(opts, BK_CMD_STDIN, err, errlen); break;
			case 'D': rc = set_cmd(opts, BK_CMD_DUMP, err, errlen); break;
			case 'F': rc = set_cmd(opts, BK_CMD_FLUSH, err, errlen); break;
			case 'x': rc = set_cmd(opts, BK_CMD_WATCH, err, errlen); break;
			case 's': rc = set_cmd(opts, BK_CMD_STATS, err, errlen); break;
			case 'P': opts->policy = true; break;
			case 'a': opts->all = true; break;
			case 'n': opts->parse_only = true; break;
			case 'v': opts->verbose = true; break;
			case 'j': opts->json = true; break;
			case 'f':
				rc = set_cmd(opts, BK_CMD_FILE, err, errlen);
				if (rc)
					return rc;
				if (a[1]) {
					opts->file = a + 1;
				} else if (i + 1 < argc) {
					opts->file = argv[++i];
				} else {
					snprintf(err, errlen, "-f needs a file name ('-' for stdin)");
					return BK_EXIT_USAGE;
				}
				word_used = true;	/* the rest was the file name */
				break;
			default:
				snprintf(err, errlen, "unknown option '-%c'", *a);
				return BK_EXIT_USAGE;
			}
			if (rc)
				return rc;
		}
	}
	if (opts->cmd == BK_CMD_NONE) {
		snprintf(err, errlen, "nothing to do: give -f FILE, -c, -D, -F, -x, -s or -V (-h for help)");
		return BK_EXIT_USAGE;
	}
	if (opts->policy && opts->cmd != BK_CMD_DUMP && opts->cmd != BK_CMD_FLUSH) {
		snprintf(err, errlen, "-P goes with -D or -F");
		return BK_EXIT_USAGE;
	}
	if (opts->parse_only && opts->cmd != BK_CMD_FILE && opts->cmd != BK_CMD_STDIN) {
		snprintf(err, errlen, "-n goes with -f or -c");
		return BK_EXIT_USAGE;
	}
	if (opts->script && (opts->cmd != BK_CMD_DUMP || opts->json)) {
		snprintf(err, errlen, "--script goes with -D, without -j");
		return BK_EXIT_USAGE;
	}
	/* A dump without its keys could not be loaded back. */
	if (opts->script && !opts->policy && !opts->keys) {
		snprintf(err, errlen, "-D --script prints keys: say so with --keys");
		return BK_EXIT_USAGE;
	}
	if ((opts->keys || opts->all) && opts->cmd != BK_CMD_DUMP) {
		snprintf(err, errlen, "%s goes with -D", opts->keys ? "--keys" : "-a");
		return BK_EXIT_USAGE;
	}
	return BK_EXIT_OK;
}
