// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: manage bitsec's security associations and policies with the
 * setkey grammar, over generic netlink.
 */
#include <stdlib.h>

#include "bitskey.h"

static int do_version(const struct bk_opts *opts)
{
	struct bk_info *info;
	char err[BK_ERR_MAX];
	struct bk_nl *nl;
	int rc = BK_EXIT_FAIL;

	info = calloc(1, sizeof(*info));
	if (!info) {
		fprintf(stderr, "bitskey: out of memory\n");
		return BK_EXIT_FAIL;
	}
	nl = bk_nl_open(err, sizeof(err));
	if (!nl) {
		/* Still say who we are: the tool's version needs no module. */
		printf("bitskey %s\n", BITSKEY_VERSION);
		fprintf(stderr, "bitskey: %s\n", err);
		goto out;
	}
	if (bk_nl_family_version(nl) != BITSEC_GENL_VERSION)
		fprintf(stderr,
			"bitskey: warning: the module speaks ABI version %u, this bitskey version %u\n",
			bk_nl_family_version(nl), BITSEC_GENL_VERSION);
	if (bk_nl_get_info(nl, info, err, sizeof(err))) {
		fprintf(stderr, "bitskey: GET_INFO failed: %s\n", err);
		goto out;
	}
	if (opts->json)
		bk_info_print_json(stdout, info);
	else
		bk_info_print(stdout, info);
	rc = BK_EXIT_OK;
out:
	bk_nl_close(nl);
	free(info);
	return rc;
}

int main(int argc, char **argv)
{
	struct bk_opts opts;
	char err[BK_ERR_MAX];
	int rc;

	rc = bk_parse_args(argc, argv, &opts, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "bitskey: %s\n", err);
		bk_usage(stderr);
		return rc;
	}
	switch (opts.mode) {
	case BK_MODE_HELP:
		bk_usage(stdout);
		return BK_EXIT_OK;
	case BK_MODE_VERSION:
		return do_version(&opts);
	default:
		return BK_EXIT_USAGE;
	}
}
