// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: SA lifetimes (RFC 4301 4.4.2.1): soft and hard limits on bytes,
 * packets, seconds since the SA was added and seconds since its first use.
 *
 * The datapath and a per-SA timer only notice: a soft limit turns the SA
 * "dying" (still used, but a mature SA for the same traffic is preferred),
 * a hard one "dead" at once (no packet uses it again).  The announcements
 * (BITSEC_CMD_SA_EXPIRE on the events group, the SA's state telling soft
 * from hard) and removing a dead SA need the namespace's lock, so they run
 * in a work item.  Larval SAs (GETSPI) die after BITSEC_LARVAL_SECS, as
 * Linux's acquire states do, unless completed by an update.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>

#include "bitsec.h"

static void bitsec_sa_expire_work(struct work_struct *work)
{
	struct bitsec_sa *sa = container_of(work, struct bitsec_sa, expire_work);
	struct bitsec_net *bn = sa->bn;
	struct bitsec_sa *cur;

	mutex_lock(&bn->cfg_lock);
	/* Only an SA still in the table is announced or removed. */
	rcu_read_lock();
	cur = bitsec_sad_lookup_spi(&bn->sad, &sa->spi_key);
	rcu_read_unlock();
	if (cur == sa) {
		if (test_and_clear_bit(BITSEC_LIFE_SOFT_NEWS, &sa->life_flags))
			bitsec_sa_notify_expire(bn->net, sa, false);
		if (test_and_clear_bit(BITSEC_LIFE_HARD_NEWS, &sa->life_flags)) {
			bitsec_sa_notify_expire(bn->net, sa, true);
			bitsec_sad_remove(&bn->sad, sa);
		}
	}
	mutex_unlock(&bn->cfg_lock);
	bitsec_sa_put(sa);
}

/*
 * Any context but under @sa's lock.  Marks @sa soft- or hard-expired once
 * and queues the news.
 */
void bitsec_sa_expire(struct bitsec_sa *sa, bool hard)
{
	if (hard) {
		if (test_and_set_bit(BITSEC_LIFE_HARD_DONE, &sa->life_flags))
			return;
		WRITE_ONCE(sa->state, BITSEC_SA_DEAD);
		set_bit(BITSEC_LIFE_HARD_NEWS, &sa->life_flags);
	} else {
		if (test_and_set_bit(BITSEC_LIFE_SOFT_DONE, &sa->life_flags))
			return;
		spin_lock_bh(&sa->lock);
		if (sa->state == BITSEC_SA_MATURE)
			WRITE_ONCE(sa->state, BITSEC_SA_DYING);
		spin_unlock_bh(&sa->lock);
		set_bit(BITSEC_LIFE_SOFT_NEWS, &sa->life_flags);
	}
	if (!sa->bn || test_bit(BITSEC_LIFE_GONE, &sa->life_flags))
		return;
	if (bitsec_sa_hold(sa) && !queue_work(bitsec_wq, &sa->expire_work))
		bitsec_sa_put(sa);	/* already queued: it will see both */
}
BITSEC_EXPORT_INTERNAL(bitsec_sa_expire);

static bool bitsec_limit(u64 limit, u64 cur)
{
	return limit && cur >= limit;
}

/* Seconds-based limits at @now; returns the next deadline, or 0 for none. */
static time64_t bitsec_sa_life_due(struct bitsec_sa *sa, time64_t now)
{
	time64_t use = READ_ONCE(sa->use_time), next = 0;
	const struct { u64 secs; time64_t from; bool hard; } lim[] = {
		{ sa->soft.add_secs, sa->add_time, false },
		{ sa->hard.add_secs, sa->add_time, true },
		{ sa->soft.use_secs, use, false },
		{ sa->hard.use_secs, use, true },
		{ sa->state == BITSEC_SA_LARVAL ? BITSEC_LARVAL_SECS : 0, sa->add_time, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lim); i++) {
		time64_t at;

		if (!lim[i].secs || !lim[i].from)
			continue;
		at = lim[i].from + lim[i].secs;
		if (now >= at)
			bitsec_sa_expire(sa, lim[i].hard);
		else if (!next || at < next)
			next = at;
	}
	return next;
}

static void bitsec_sa_life_timer(struct timer_list *t)
{
	struct bitsec_sa *sa = from_timer(sa, t, life_timer);
	time64_t now = ktime_get_real_seconds(), next;

	/* A freed SA's timer must not come back. */
	if (!bitsec_sa_hold(sa))
		return;
	if (!test_bit(BITSEC_LIFE_HARD_DONE, &sa->life_flags)) {
		next = bitsec_sa_life_due(sa, now);
		if (next)
			mod_timer(&sa->life_timer, jiffies + (next - now) * HZ);
	}
	bitsec_sa_put(sa);
}

void bitsec_sa_life_init(struct bitsec_sa *sa)
{
	timer_setup(&sa->life_timer, bitsec_sa_life_timer, 0);
	INIT_WORK(&sa->expire_work, bitsec_sa_expire_work);
}

/* (Re)arm the seconds-based limits: after insertion, and at first use. */
void bitsec_sa_life_arm(struct bitsec_sa *sa)
{
	time64_t now = ktime_get_real_seconds(), next;

	if (!sa->bn)
		return;
	next = bitsec_sa_life_due(sa, now);
	if (next)
		mod_timer(&sa->life_timer, jiffies + (next - now) * HZ);
}

/* Byte and packet limits, after @sa counted a packet; any context. */
void bitsec_sa_life_count(struct bitsec_sa *sa, u64 bytes, u64 packets)
{
	if (bitsec_limit(sa->hard.bytes, bytes) || bitsec_limit(sa->hard.packets, packets))
		bitsec_sa_expire(sa, true);
	else if (bitsec_limit(sa->soft.bytes, bytes) || bitsec_limit(sa->soft.packets, packets))
		bitsec_sa_expire(sa, false);
}

/* Stop the timer of an SA being freed (process context). */
void bitsec_sa_life_stop(struct bitsec_sa *sa)
{
	del_timer_sync(&sa->life_timer);
}
