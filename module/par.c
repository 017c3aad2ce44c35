// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: parallel crypto for one busy ESP SA.
 *
 * XFRM encrypts an SA's packets on the CPU its flow runs on, so a tunnel
 * never gets more than one CPU's worth of crypto.  A busy bitsec SA deals
 * its packets out to every online CPU instead, round robin, and puts them
 * back in order afterwards:
 *
 *  - Under the SA's lock, where the packet also takes its sequence number
 *    (or passes the replay check), it takes a ticket.  Tickets and
 *    sequence numbers are given out in the same order.
 *  - Ticket t goes on the work list of the t-th online CPU (modulo their
 *    number), whose worker runs the SA's own transform on it.
 *  - A completed request waits in the SA's reorder ring at its ticket.
 *    When the oldest undelivered ticket completes, the SA's home CPU (the
 *    one it last switched to this path from) sends on every packet from
 *    there while they are complete.  Inbound, that is where the replay
 *    window moves: in order.
 *
 * The crypto API's pcrypt template does the same with padata, but its
 * instance registers under the wrapped algorithm's own name at a higher
 * priority: every later user of, say, rfc4106(gcm(aes)) on the system
 * (XFRM included) would silently get the parallel one.  This engine uses
 * the SA's transform as it is and touches no one else's.
 *
 * Queueing costs latency, so an SA is dealt out only while busy: the last
 * jiffy saw at least parallel_pps packets a second (half that keeps it
 * busy), of parallel_min_size bytes or more on average (small packets
 * cost less crypto than the trip to another CPU).  The inline and the
 * parallel path are never in flight at once: an SA changes path only when
 * nothing it submitted is outstanding, and a packet counts as outstanding
 * until it has been sent or delivered.  Only a small packet of a busy SA
 * may overtake its queue (bitsec_par_may_overtake).  AH stays inline.
 */
#include <linux/llist.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "bitsec.h"

/* 0: never; 1: busy SAs; 2: every packet (tests) */
static int parallel = 1;

static int bitsec_par_set_mode(const char *val, const struct kernel_param *kp)
{
	int mode, err = kstrtoint(val, 0, &mode);

	if (err || mode < 0 || mode > 2) {
		pr_warn("bitsec: parallel takes 0 (never), 1 (busy SAs) or 2 (always), not '%s'\n", val);
		return -EINVAL;
	}
	WRITE_ONCE(parallel, mode);
	return 0;
}

/* KUnit: the mode for a while; returns the one before. */
int bitsec_par_swap_mode(int mode)
{
	return xchg(&parallel, mode);
}
BITSEC_EXPORT_INTERNAL(bitsec_par_swap_mode);

static const struct kernel_param_ops bitsec_par_mode_ops = {
	.set = bitsec_par_set_mode,
	.get = param_get_int,
};
module_param_cb(parallel, &bitsec_par_mode_ops, &parallel, 0644);
MODULE_PARM_DESC(parallel, "spread an ESP SA's crypto over all CPUs: 0 never, 1 while busy (default), 2 always");

static unsigned int parallel_pps = 2000;
module_param(parallel_pps, uint, 0644);
MODULE_PARM_DESC(parallel_pps, "packets per second from which an SA counts as busy");

/*
 * Packets of one SA queued for other CPUs at most; past that the sender
 * does the crypto itself (still in ticket order).  A deeper queue buys no
 * throughput, only latency for everything else on the SA (a ping behind
 * a bulk transfer), and the sender that waits for the CPU is the
 * backpressure TCP needs.
 */
static unsigned int parallel_depth = 8;
module_param(parallel_depth, uint, 0644);
MODULE_PARM_DESC(parallel_depth, "packets of one SA queued for other CPUs at most");

/*
 * Small packets cost little crypto: queueing them elsewhere does not pay,
 * nor waiting behind a busy SA's queue.
 */
static unsigned int parallel_min_size = 512;
module_param(parallel_min_size, uint, 0644);
MODULE_PARM_DESC(parallel_min_size, "average packet size (bytes) below which an SA stays inline; smaller packets of a busy SA skip its queue");

/* Completed packets waiting for their turn; made when the SA is first busy. */
struct bitsec_par_ring {
	spinlock_t lock;
	u32 tail;			/* oldest ticket not yet sent on */
	bool flushing;			/* sending them on right now */
	int home;			/* the CPU that sends them on: the
					 * one the SA last switched on from
					 */
	struct bitsec_sa *sa;
	struct work_struct flush;	/* on home, when completed elsewhere */
	struct bitsec_par_item *slot[BITSEC_PAR_RING];
};

/* In a slot: that ticket's packet was dropped before its crypto. */
#define BITSEC_PAR_VOID ((struct bitsec_par_item *)1)

struct bitsec_par_cpu {
	struct llist_head list;
	struct work_struct work;
};

static DEFINE_PER_CPU(struct bitsec_par_cpu, bitsec_par_cpus);
static struct workqueue_struct *bitsec_par_wq, *bitsec_par_flush_wq;

/* With BHs off: @it's crypto, and its completion unless a callback does it. */
static void bitsec_par_run(struct bitsec_par_item *it)
{
	int err = it->start(it);

	if (err != -EINPROGRESS)
		bitsec_par_complete(it, err);
}

static void bitsec_par_work(struct work_struct *work)
{
	struct bitsec_par_cpu *pc = container_of(work, struct bitsec_par_cpu, work);
	struct llist_node *list = llist_reverse_order(llist_del_all(&pc->list));
	struct bitsec_par_item *it, *next;

	llist_for_each_entry_safe(it, next, list, node) {
		local_bh_disable();
		bitsec_par_run(it);
		local_bh_enable();
		cond_resched();
	}
}

/* The @n-th online CPU, counting round. */
static int bitsec_par_cpu(u32 n)
{
	unsigned int i = n % num_online_cpus();
	int cpu;

	for_each_online_cpu(cpu)
		if (!i--)
			return cpu;
	return raw_smp_processor_id();
}

/*
 * Hand @it, whose ticket bitsec_par_pick() gave, to a CPU; its start()
 * runs there, and its finish() once every older ticket of its SA is done.
 * This CPU's share, and everything while the SA's queue is deep, runs
 * here and now.
 */
void bitsec_par_submit(struct bitsec_par_item *it)
{
	struct bitsec_par *p = &it->sa->par;
	struct bitsec_par_cpu *pc;
	int cpu;

	local_bh_disable();
	cpu = bitsec_par_cpu(it->ticket);
	/*
	 * Counted from this ticket, not from the SA's newest: a GSO batch
	 * takes its tickets at once, and its first packets still go out.
	 */
	if (cpu == smp_processor_id() ||
	    it->ticket - READ_ONCE(p->ring->tail) >= READ_ONCE(parallel_depth)) {
		bitsec_par_run(it);
	} else {
		pc = per_cpu_ptr(&bitsec_par_cpus, cpu);
		if (llist_add(&it->node, &pc->list))
			queue_work_on(cpu, bitsec_par_wq, &pc->work);
	}
	local_bh_enable();
}

/*
 * On the ring's home CPU: send on every packet that is next in order.
 * One CPU does it, so packets enter the stack (a veth pair's backlog, a
 * NIC's transmit queue) in one order; from several they could race.
 */
static void bitsec_par_flush(struct bitsec_par_ring *ring)
{
	struct bitsec_sa *sa = ring->sa;
	struct bitsec_par_item *next;
	unsigned int i, n = 0;

	/*
	 * The last packet sent on may drop the SA's last reference.  BHs stay
	 * off across a run of packets, so that what they wake (GRO, a veth's
	 * backlog) takes them as a batch, not one at a time.
	 */
	rcu_read_lock();
	local_bh_disable();
	bitsec_gro_batch_begin();
	spin_lock(&ring->lock);
	if (ring->flushing)
		goto out;
	ring->flushing = true;
	for (;;) {
		i = ring->tail % BITSEC_PAR_RING;
		next = ring->slot[i];
		if (!next)
			break;
		ring->slot[i] = NULL;
		WRITE_ONCE(ring->tail, ring->tail + 1);
		if (next == BITSEC_PAR_VOID)
			continue;	/* abandoned: its sender dropped it */
		spin_unlock(&ring->lock);
		next->finish(next, next->err);
		bitsec_par_done(sa);
		if (!(++n % BITSEC_PAR_FLUSH_RUN)) {
			bitsec_gro_batch_end();
			local_bh_enable();
			local_bh_disable();
			bitsec_gro_batch_begin();
		}
		spin_lock(&ring->lock);
	}
	ring->flushing = false;
out:
	spin_unlock(&ring->lock);
	bitsec_gro_batch_end();
	local_bh_enable();
	rcu_read_unlock();
}

static void bitsec_par_flush_work(struct work_struct *work)
{
	bitsec_par_flush(container_of(work, struct bitsec_par_ring, flush));
}

/* Put @it (or BITSEC_PAR_VOID) at @ticket of @ring: its turn may have come. */
static void bitsec_par_place(struct bitsec_par_ring *ring, u32 ticket,
			     struct bitsec_par_item *it)
{
	bool ready;
	int home;

	spin_lock_bh(&ring->lock);
	ring->slot[ticket % BITSEC_PAR_RING] = it;
	ready = ticket == ring->tail && !ring->flushing;
	spin_unlock_bh(&ring->lock);
	if (!ready)
		return;		/* a flush under way, or an older one, sends it */
	home = READ_ONCE(ring->home);
	if (raw_smp_processor_id() == home)
		bitsec_par_flush(ring);
	else
		queue_work_on(home, bitsec_par_flush_wq, &ring->flush);
}

/* @it's crypto is done (@err): its turn may have come. */
void bitsec_par_complete(struct bitsec_par_item *it, int err)
{
	it->err = err;
	bitsec_par_place(it->sa->par.ring, it->ticket, it);
}
BITSEC_EXPORT_INTERNAL(bitsec_par_complete);

/*
 * A packet of @sa took @ticket but was dropped before it was submitted
 * (no memory, say): the tickets after it must not wait for it forever.
 * The caller still ends the packet with bitsec_par_done().
 */
void bitsec_par_abandon(struct bitsec_sa *sa, u32 ticket)
{
	bitsec_par_place(sa->par.ring, ticket, BITSEC_PAR_VOID);
}
BITSEC_EXPORT_INTERNAL(bitsec_par_abandon);

/* The last reference is gone, so no packet of the SA is in flight. */
void bitsec_par_free(struct bitsec_sa *sa)
{
	if (sa->par.ring)
		cancel_work_sync(&sa->par.ring->flush);
	kfree(sa->par.ring);
}
BITSEC_EXPORT_INTERNAL(bitsec_par_free);

/*
 * A small packet (a ping, an ACK, a DNS query) of a busy SA need not wait
 * behind its bulk: its crypto costs less than the queue.  It leaves ahead
 * of the packets queued before it, which must then still be inside the
 * receiver's replay window (the SA's own window stands for the peer's).
 */
static bool bitsec_par_may_overtake(const struct bitsec_sa *sa, unsigned int len)
{
	const struct bitsec_par *p = &sa->par;
	u32 window = sa->replay_in.window;

	return p->on && len < READ_ONCE(parallel_min_size) &&
	       (!window || p->head - READ_ONCE(p->ring->tail) < window / 2);
}

/*
 * With @sa->lock held: the path of @sa's next packet of @len bytes.
 * BITSEC_PAR_INLINE; BITSEC_PAR_QUEUED, with *@ticket; BITSEC_PAR_OVERTAKE,
 * inline ahead of the queue, if @small_first allows (never for the
 * segments of a GSO batch: they are one flow's bulk); -ENOBUFS: the
 * reorder ring is full, drop it.  Either way bitsec_par_done() must follow
 * once the packet was sent on, delivered or dropped.
 */
int bitsec_par_pick(struct bitsec_sa *sa, unsigned int len, bool small_first, u32 *ticket)
{
	struct bitsec_par *p = &sa->par;
	unsigned long now = jiffies;
	int mode = READ_ONCE(parallel);
	bool par;

	lockdep_assert_held(&sa->lock);
	if (p->stamp != now) {
		p->busy = now - p->stamp == 1 &&
			  (u64)p->count * HZ >= READ_ONCE(parallel_pps) >> p->busy &&
			  p->bytes >= (u64)p->count * READ_ONCE(parallel_min_size);
		p->stamp = now;
		p->count = 0;
		p->bytes = 0;
	}
	p->count++;
	p->bytes += len;

	par = mode == 2 || (mode == 1 && p->busy);
	if (mode == 1 && par && small_first && bitsec_par_may_overtake(sa, len)) {
		atomic_inc(&p->inflight);
		return BITSEC_PAR_OVERTAKE;
	}
	if (par && !p->ring) {
		p->ring = kzalloc(sizeof(*p->ring), GFP_ATOMIC | __GFP_NOWARN);
		if (p->ring) {
			spin_lock_init(&p->ring->lock);
			p->ring->sa = sa;
			p->ring->home = raw_smp_processor_id();
			INIT_WORK(&p->ring->flush, bitsec_par_flush_work);
		}
		par = p->ring;
	}
	/* Requests outstanding on the other path: stay on it until they are done. */
	if (atomic_read(&p->inflight) && p->on != par)
		par = p->on;
	atomic_inc(&p->inflight);
	/*
	 * Switching on, with nothing in flight: the packets sent on so far
	 * left from this CPU, so the ring sends from here too.
	 */
	if (par && !p->on)
		WRITE_ONCE(p->ring->home, raw_smp_processor_id());
	if (par) {
		if (p->head - READ_ONCE(p->ring->tail) >= BITSEC_PAR_RING)
			return -ENOBUFS;
		*ticket = p->head;
		WRITE_ONCE(p->head, p->head + 1);
	}
	p->on = par;
	return par ? BITSEC_PAR_QUEUED : BITSEC_PAR_INLINE;
}
BITSEC_EXPORT_INTERNAL(bitsec_par_pick);

int bitsec_par_init(void)
{
	int cpu;

	/*
	 * Bound to each CPU: the point is to run where we send it.  The crypto
	 * runs at normal priority, sharing a CPU fairly with the processes
	 * that consume the packets (at high priority a UDP flood's crypto
	 * starved its own receiver); sending on in order is short and every
	 * packet of the SA waits for it, so that work is high priority.
	 */
	bitsec_par_wq = alloc_workqueue("bitsec_par", WQ_MEM_RECLAIM, 0);
	if (!bitsec_par_wq)
		return -ENOMEM;
	bitsec_par_flush_wq = alloc_workqueue("bitsec_par_flush", WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!bitsec_par_flush_wq) {
		destroy_workqueue(bitsec_par_wq);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct bitsec_par_cpu *pc = per_cpu_ptr(&bitsec_par_cpus, cpu);

		init_llist_head(&pc->list);
		INIT_WORK(&pc->work, bitsec_par_work);
	}
	return 0;
}

/* After the namespaces are gone: nothing is in flight any more. */
void bitsec_par_exit(void)
{
	destroy_workqueue(bitsec_par_flush_wq);
	destroy_workqueue(bitsec_par_wq);
}
