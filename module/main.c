// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: IPsec ESP and AH as a bump in the stack, for kernels without
 * native IPsec (CONFIG_XFRM=n).  Module entry and exit.
 */
#include <linux/module.h>

#include <uapi/linux/bitsec.h>

#include "bitsec.h"

static int __init bitsec_init(void)
{
	int err;

	/* Namespaces first: the netlink family resolves state through them. */
	err = bitsec_netns_register();
	if (err)
		return err;

	err = bitsec_genl_register();
	if (err) {
		bitsec_netns_unregister();
		return err;
	}

	pr_info("bitsec %s loaded\n", BITSEC_VERSION);
	return 0;
}

static void __exit bitsec_exit(void)
{
	bitsec_genl_unregister();
	bitsec_netns_unregister();
	pr_info("bitsec %s unloaded\n", BITSEC_VERSION);
}

module_init(bitsec_init);
module_exit(bitsec_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The bitsec developers");
MODULE_DESCRIPTION("IPsec ESP and AH as a bump in the stack");
MODULE_VERSION(BITSEC_VERSION);
MODULE_ALIAS_GENL_FAMILY(BITSEC_GENL_NAME);
