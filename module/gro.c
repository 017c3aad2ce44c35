// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: GRO for unwrapped TCP.
 *
 * A TCP transfer through an SA arrives as a train of full-sized ESP
 * packets.  Delivered one by one once unwrapped, each pays the IP and TCP
 * receive paths on its own and every second one an ACK, which is itself
 * encrypted and sent.  GRO would merge the train, but the kernel's entry
 * to it belongs to a NAPI context, and ESP's own GRO (esp4_offload) is a
 * part of XFRM.
 *
 * So every CPU has a NAPI context of bitsec's, on a private net_device
 * that is never registered: no namespace lists it and nothing else sends
 * through it.  An unwrapped TCP packet is queued there instead of being
 * delivered at once; the context's poll feeds the queue to GRO, and GRO
 * hands what it made to the device's rx_handler, which delivers it as
 * bitsec delivers any unwrapped packet (hooks.c): on the device it came
 * in on, from PRE_ROUTING, naming the SA that unwrapped it.
 *
 * That name cannot ride in the skb (the secpath extension is XFRM's), so a
 * context stands for one SA and one device at a time: every packet GRO
 * holds was unwrapped by that SA on that device.  A packet of another
 * waits until GRO has let go of all of them (napi_complete_done), then
 * the context changes.  Taps are skipped (tc_skip_classify): they saw the
 * ESP packet, and see no unwrapped one on the direct path either.
 *
 * A packet unwrapped by several SAs (a bundle), a fragment, anything but
 * TCP, or one that came in on a device with GRO off (as veth has it by
 * default; module parameter gro) is delivered at once, as before.
 */
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/ip.h>

#include "bitsec.h"

/* 0: never; 1: where the device it came in on has GRO on; 2: always */
static int gro = 1;

static int bitsec_gro_set_mode(const char *val, const struct kernel_param *kp)
{
	int mode, err = kstrtoint(val, 0, &mode);

	if (err || mode < 0 || mode > 2) {
		pr_warn("bitsec: gro takes 0 (never), 1 (where the device has GRO on) or 2 (always), not '%s'\n",
			val);
		return -EINVAL;
	}
	WRITE_ONCE(gro, mode);
	return 0;
}

static const struct kernel_param_ops bitsec_gro_mode_ops = {
	.set = bitsec_gro_set_mode,
	.get = param_get_int,
};
module_param_cb(gro, &bitsec_gro_mode_ops, &gro, 0644);
MODULE_PARM_DESC(gro, "merge unwrapped TCP with GRO: 0 never, 1 where the device it came in on has GRO on (ethtool -k; default), 2 always");

/* What a queued packet carries until its poll; GRO then owns skb->cb. */
struct bitsec_gro_cb {
	struct net *net;
	struct bitsec_net *bn;
	struct bitsec_sa *sa;		/* reference held */
	struct net_device *dev;		/* reference held */
};

static inline struct bitsec_gro_cb *bitsec_gro_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct bitsec_gro_cb) > sizeof(skb->cb));
	return (struct bitsec_gro_cb *)skb->cb;
}

struct bitsec_gro_cell {
	struct napi_struct napi;
	struct sk_buff_head queue;
	/*
	 * The SA and device of every packet GRO holds (n == 0: none); it
	 * holds their references and one of the namespace's async count.
	 */
	struct bitsec_in ctx;
	struct net_device *dev;		/* ours, with napi on it */
	/* A parallel flush queues a run here and polls it itself. */
	unsigned int batch;
};

static struct bitsec_gro_cell __percpu *bitsec_gro_cells;

static bool bitsec_gro_same(const struct bitsec_gro_cell *c, const struct bitsec_gro_cb *cb)
{
	return c->ctx.n && c->ctx.sas[0] == cb->sa && c->ctx.dev == cb->dev;
}

static void bitsec_gro_cb_put(struct bitsec_gro_cb *cb)
{
	bitsec_sa_put(cb->sa);
	dev_put(cb->dev);
	bitsec_async_put(cb->bn);
}

/* GRO holds nothing of the context any more: let it go. */
static void bitsec_gro_release(struct bitsec_gro_cell *c)
{
	struct bitsec_net *bn = c->ctx.bn;

	if (!c->ctx.n)
		return;
	bitsec_in_put(&c->ctx);
	bitsec_async_put(bn);
}

/*
 * Queue @skb, unwrapped by @in's one SA, for GRO: true if it took both
 * (it may have dropped the packet, counted, when the queue is full); false
 * leaves them to be delivered at once.  BHs off.
 */
bool bitsec_gro_queue(struct sk_buff *skb, struct bitsec_in *in)
{
	const struct iphdr *iph = ip_hdr(skb);
	int mode = READ_ONCE(gro);
	struct bitsec_gro_cell *c;
	struct bitsec_gro_cb *cb;

	if (!mode || in->n != 1 || !in->dev || iph->protocol != IPPROTO_TCP ||
	    ip_is_fragment(iph) || (mode == 1 && !(skb->dev->features & NETIF_F_GRO)))
		return false;
	c = this_cpu_ptr(bitsec_gro_cells);
	/*
	 * As deep as a backlog, and a parallel SA's whole reorder ring more:
	 * a flush can deliver that much while the softirq waits for a CPU.
	 */
	if (skb_queue_len_lockless(&c->queue) >= READ_ONCE(netdev_max_backlog) + BITSEC_PAR_RING) {
		bitsec_stat_inc(in->bn, BITSEC_STAT_IN_GRO_DROP);
		kfree_skb(skb);
		bitsec_in_put(in);
		return true;
	}
	cb = bitsec_gro_cb(skb);
	cb->net = in->net;
	cb->bn = in->bn;
	cb->sa = in->sas[0];
	cb->dev = in->dev;
	in->n = 0;
	in->dev = NULL;
	/* The namespace's state outlives the packet, as for async crypto. */
	bitsec_async_get(cb->bn);
	/* The outer flow's hash is not the inner flow's. */
	skb_clear_hash(skb);
	/* The lock only matters if a CPU went away with its cell scheduled. */
	spin_lock(&c->queue.lock);
	__skb_queue_tail(&c->queue, skb);
	spin_unlock(&c->queue.lock);
	if (!c->batch)
		napi_schedule(&c->napi);
	return true;
}

/* The next queued packet, unless it must wait for GRO to let go of the context. */
static struct sk_buff *bitsec_gro_next(struct bitsec_gro_cell *c, bool *wait)
{
	struct sk_buff *skb;

	spin_lock(&c->queue.lock);
	skb = skb_peek(&c->queue);
	if (skb && c->ctx.n && !bitsec_gro_same(c, bitsec_gro_cb(skb)) &&
	    (c->napi.gro_bitmask || c->napi.rx_count)) {
		*wait = true;
		skb = NULL;
	}
	if (skb)
		__skb_unlink(skb, &c->queue);
	spin_unlock(&c->queue.lock);
	return skb;
}

static int bitsec_gro_poll(struct napi_struct *napi, int budget)
{
	struct bitsec_gro_cell *c = container_of(napi, struct bitsec_gro_cell, napi);
	struct bitsec_gro_cb *cb;
	struct sk_buff *skb;
	bool wait = false;
	int work = 0;

	while (work < budget && (skb = bitsec_gro_next(c, &wait))) {
		cb = bitsec_gro_cb(skb);
		if (bitsec_gro_same(c, cb)) {
			bitsec_gro_cb_put(cb);
		} else {
			/* GRO holds nothing: the context is this packet's now. */
			bitsec_gro_release(c);
			c->ctx.net = cb->net;
			c->ctx.bn = cb->bn;
			c->ctx.sas[0] = cb->sa;
			c->ctx.dev = cb->dev;
			c->ctx.n = 1;
		}
		skb->dev = c->dev;
#ifdef CONFIG_NET_CLS_ACT
		skb->tc_skip_classify = 1;
#endif
		napi_gro_receive(napi, skb);
		work++;
	}
	/* Held packets may stay for the next poll, under the same context. */
	if (work == budget)
		return budget;
	napi_complete_done(napi, work);
	if (!napi->gro_bitmask && !napi->rx_count)
		bitsec_gro_release(c);
	if (wait || !skb_queue_empty_lockless(&c->queue))
		napi_schedule(napi);
	return work;
}

/*
 * A parallel flush delivers runs of packets from a worker that outranks
 * ksoftirqd, and under load the softirq it would raise waits there while
 * the worker fills the queue: it polls its own runs instead.
 */
void bitsec_gro_batch_begin(void)
{
	this_cpu_inc(bitsec_gro_cells->batch);
}

void bitsec_gro_batch_end(void)
{
	struct bitsec_gro_cell *c = this_cpu_ptr(bitsec_gro_cells);
	unsigned int i;

	if (--c->batch || skb_queue_empty_lockless(&c->queue))
		return;
	/* Scheduled already (or going away): its poll comes anyway. */
	if (!napi_schedule_prep(&c->napi))
		return;
	for (i = 0; i < 4; i++)
		if (bitsec_gro_poll(&c->napi, NAPI_POLL_WEIGHT) < NAPI_POLL_WEIGHT)
			return;
	__napi_schedule(&c->napi);
}

/* What GRO made of the packets of the context: deliver it. */
static rx_handler_result_t bitsec_gro_rx(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct bitsec_gro_cell *c = rcu_dereference(skb->dev->rx_handler_data);
	struct bitsec_in *in = &c->ctx;

	if (WARN_ON_ONCE(!in->n)) {
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	skb->dev = in->dev;
	skb->skb_iif = in->dev->ifindex;
	/* GRO wrote over the control block, which the stack reads as IP's. */
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	bitsec_stat_inc(in->bn, BITSEC_STAT_IN_GRO);
	bitsec_stat_add(in->bn, BITSEC_STAT_IN_GRO_SEGS,
			skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1);
	bitsec_input_deliver(skb, in);
	return RX_HANDLER_CONSUMED;
}

static void bitsec_gro_setup(struct net_device *dev)
{
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_NOARP;
	dev->features = NETIF_F_GRO;
	dev->hard_header_len = 0;	/* GRO compares no link header */
}

static void bitsec_gro_cell_exit(struct bitsec_gro_cell *c)
{
	if (!c->dev)
		return;
	napi_disable(&c->napi);
	netif_napi_del(&c->napi);
	/* The namespaces have drained: nothing is queued or held. */
	WARN_ON_ONCE(!skb_queue_empty(&c->queue) || c->ctx.n);
	free_netdev(c->dev);
	c->dev = NULL;
}

void bitsec_gro_exit(void)
{
	int cpu;

	if (!bitsec_gro_cells)
		return;
	for_each_possible_cpu(cpu)
		bitsec_gro_cell_exit(per_cpu_ptr(bitsec_gro_cells, cpu));
	free_percpu(bitsec_gro_cells);
	bitsec_gro_cells = NULL;
}

int bitsec_gro_init(void)
{
	struct bitsec_gro_cell *c;
	struct net_device *dev;
	int cpu, err;

	bitsec_gro_cells = alloc_percpu(struct bitsec_gro_cell);
	if (!bitsec_gro_cells)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(bitsec_gro_cells, cpu);
		skb_queue_head_init(&c->queue);
		dev = alloc_netdev(0, "bitsec_gro", NET_NAME_ENUM, bitsec_gro_setup);
		if (!dev) {
			err = -ENOMEM;
			goto fail;
		}
		rtnl_lock();
		err = netdev_rx_handler_register(dev, bitsec_gro_rx, c);
		rtnl_unlock();
		if (err) {
			free_netdev(dev);
			goto fail;
		}
		c->dev = dev;
		/* Busy polling would run the poll on another CPU's cell. */
		set_bit(NAPI_STATE_NO_BUSY_POLL, &c->napi.state);
		netif_napi_add(dev, &c->napi, bitsec_gro_poll);
		napi_enable(&c->napi);
	}
	return 0;

fail:
	bitsec_gro_exit();
	return err;
}
