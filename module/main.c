// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: IPsec ESP and AH as a bump in the stack, for kernels without
 * native IPsec (CONFIG_XFRM=n).  Module entry and exit.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include <uapi/linux/bitsec.h>

#include "bitsec.h"

struct workqueue_struct *bitsec_wq;
BITSEC_EXPORT_INTERNAL(bitsec_wq);

static int __init bitsec_init(void)
{
	int err;

	bitsec_wq = alloc_workqueue("bitsec", WQ_MEM_RECLAIM, 0);
	if (!bitsec_wq)
		return -ENOMEM;
	err = bitsec_par_init();
	if (err)
		goto fail_wq;
	err = bitsec_gro_init();
	if (err)
		goto fail_par;

	/* Namespaces first: the netlink family resolves state through them. */
	err = bitsec_netns_register();
	if (err)
		goto fail_gro;

	err = bitsec_genl_register();
	if (err)
		goto fail_netns;

	pr_info("bitsec %s loaded\n", BITSEC_VERSION);
	return 0;

fail_netns:
	bitsec_netns_unregister();
fail_gro:
	bitsec_gro_exit();
fail_par:
	bitsec_par_exit();
fail_wq:
	rcu_barrier();
	destroy_workqueue(bitsec_wq);
	return err;
}

static void __exit bitsec_exit(void)
{
	bitsec_genl_unregister();
	bitsec_netns_unregister();
	/* Every namespace drained its packets: GRO holds none. */
	bitsec_gro_exit();
	/* SAs freed above wait for a grace period, then run on bitsec_wq. */
	rcu_barrier();
	destroy_workqueue(bitsec_wq);
	bitsec_par_exit();
	bitsec_req_exit();
	bitsec_esp_exit();
	bitsec_hooks_exit();
	pr_info("bitsec %s unloaded\n", BITSEC_VERSION);
}

module_init(bitsec_init);
module_exit(bitsec_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The bitsec developers");
MODULE_DESCRIPTION("IPsec ESP and AH as a bump in the stack");
MODULE_VERSION(BITSEC_VERSION);
MODULE_ALIAS_GENL_FAMILY(BITSEC_GENL_NAME);
