// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: per network namespace state.
 *
 * Every namespace gets a struct bitsec_net through pernet_operations; the
 * kernel allocates it (.size) so a namespace's state lives exactly as long
 * as the namespace or the module, whichever ends first.  Later tables (SAD,
 * SPD, hooks) are set up and torn down from here.
 */
#include <linux/ktime.h>

#include "bitsec.h"

unsigned int bitsec_net_id __read_mostly;
BITSEC_EXPORT_INTERNAL(bitsec_net_id);

int bitsec_net_state_init(struct bitsec_net *bn, struct net *net)
{
	int err;

	err = bitsec_stats_init(bn);
	if (err)
		return err;
	err = bitsec_sad_init(&bn->sad);
	if (err) {
		bitsec_stats_exit(bn);
		return err;
	}
	bitsec_spd_init(&bn->spd);
	bn->net = net;
	mutex_init(&bn->cfg_lock);
	bn->created_ns = ktime_get_boottime_ns();
	return 0;
}
BITSEC_EXPORT_INTERNAL(bitsec_net_state_init);

void bitsec_net_state_exit(struct bitsec_net *bn)
{
	mutex_lock(&bn->cfg_lock);
	/* No packet enters the tables once this returns. */
	bitsec_hooks_disable(bn);
	bitsec_spd_destroy(&bn->spd);
	bitsec_sad_destroy(&bn->sad);
	mutex_unlock(&bn->cfg_lock);
	/* Packets still with an async cipher come back to this state. */
	bitsec_async_drain(bn);
	/* Lifetime work queued before the tables went takes cfg_lock. */
	flush_workqueue(bitsec_wq);
	mutex_destroy(&bn->cfg_lock);
	bitsec_stats_exit(bn);
	bn->net = NULL;
}
BITSEC_EXPORT_INTERNAL(bitsec_net_state_exit);

static int __net_init bitsec_net_init(struct net *net)
{
	int err = bitsec_net_state_init(bitsec_net(net), net);

	if (err)
		return err;
	err = bitsec_stats_proc_init(net);
	if (err)
		bitsec_net_state_exit(bitsec_net(net));
	return err;
}

static void __net_exit bitsec_net_exit(struct net *net)
{
	bitsec_stats_proc_exit(net);
	bitsec_net_state_exit(bitsec_net(net));
}

static struct pernet_operations bitsec_net_ops = {
	.init = bitsec_net_init,
	.exit = bitsec_net_exit,
	.id = &bitsec_net_id,
	.size = sizeof(struct bitsec_net),
};

int bitsec_netns_register(void)
{
	return register_pernet_subsys(&bitsec_net_ops);
}

void bitsec_netns_unregister(void)
{
	unregister_pernet_subsys(&bitsec_net_ops);
}
