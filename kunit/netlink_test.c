// SPDX-License-Identifier: GPL-2.0
/* KUnit: the generic-netlink family's registration and permissions. */
#include <net/genetlink.h>
#include <uapi/linux/bitsec.h>

#include "bitsec.h"
#include "tests.h"

static void bitsec_netlink_family_registered(struct kunit *test)
{
	const struct genl_family *f = &bitsec_genl_family;

	KUNIT_EXPECT_STREQ(test, f->name, BITSEC_GENL_NAME);
	KUNIT_EXPECT_EQ(test, f->version, BITSEC_GENL_VERSION);
	KUNIT_EXPECT_GT(test, f->id, GENL_MIN_ID - 1);
	KUNIT_EXPECT_TRUE(test, f->netnsok);
	KUNIT_EXPECT_EQ(test, f->maxattr, BITSEC_A_MAX);
	KUNIT_EXPECT_NOT_NULL(test, f->policy);
	/* 0: strict validation and a policy for every command. */
	KUNIT_EXPECT_EQ(test, f->resv_start_op, 0);
}

/*
 * The commands that may run without CAP_NET_ADMIN: they reveal no key and
 * change nothing.  Every other command must carry GENL_UNS_ADMIN_PERM, so a
 * new command that forgets it fails here rather than in a security review.
 */
static const u8 bitsec_unprivileged_cmds[] = {
	BITSEC_CMD_GET_INFO,
	BITSEC_CMD_GET_STATS,
};

static bool bitsec_cmd_unprivileged(u8 cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bitsec_unprivileged_cmds); i++)
		if (bitsec_unprivileged_cmds[i] == cmd)
			return true;
	return false;
}

static void bitsec_netlink_admin_perm(struct kunit *test)
{
	const struct genl_family *f = &bitsec_genl_family;
	unsigned int i;

	KUNIT_ASSERT_GT(test, f->n_small_ops + f->n_ops, 0);
	KUNIT_EXPECT_EQ_MSG(test, f->n_ops, 0, "all commands are small_ops");
	for (i = 0; i < f->n_small_ops; i++) {
		const struct genl_small_ops *op = &f->small_ops[i];

		KUNIT_EXPECT_LE_MSG(test, op->cmd, BITSEC_CMD_MAX, "cmd %u", op->cmd);
		KUNIT_EXPECT_FALSE_MSG(test, op->flags & GENL_ADMIN_PERM,
				       "cmd %u: use GENL_UNS_ADMIN_PERM (per user namespace)",
				       op->cmd);
		if (bitsec_cmd_unprivileged(op->cmd))
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, op->flags & GENL_UNS_ADMIN_PERM,
				      "cmd %u lacks GENL_UNS_ADMIN_PERM", op->cmd);
	}
}

static struct kunit_case bitsec_netlink_cases[] = {
	KUNIT_CASE(bitsec_netlink_family_registered),
	KUNIT_CASE(bitsec_netlink_admin_perm),
	{}
};

struct kunit_suite bitsec_netlink_suite = {
	.name = "bitsec_netlink",
	.test_cases = bitsec_netlink_cases,
};
