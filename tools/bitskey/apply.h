/* SPDX-License-Identifier: GPL-2.0 */
/* bitskey: applying statements to the module (apply.c). */
#ifndef BITSKEY_APPLY_H
#define BITSKEY_APPLY_H

#include "bitskey.h"
#include "stmt.h"

struct bk_apply {
	const char *name;		/* file name for messages */
	struct bk_nl *nl;		/* NULL with -n */
	const struct bk_opts *opts;
	unsigned int total;		/* statements seen */
	unsigned int applied;		/* statements the kernel accepted */
	struct bk_stmt **batch;
	unsigned int n_batch;
};

int bk_apply_init(struct bk_apply *ap, const char *name, struct bk_nl *nl,
		  const struct bk_opts *opts);
int bk_apply_stmt(const struct bk_stmt *st, void *arg);
int bk_apply_finish(struct bk_apply *ap);
void bk_apply_done(struct bk_apply *ap);

#endif
