// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec: parallel crypto for one busy ESP SA.
 *
 * XFRM encrypts an SA's packets on the CPU its flow runs on, so a tunnel
 * never gets more than one CPU's worth of crypto.  A busy bitsec SA hands
 * its packets to pcrypt, the crypto API's parallel template, instead:
 * padata runs the requests on the online CPUs in turn and calls them back
 * in the order they were submitted, on one CPU per transform.  Sequence
 * numbers are taken before, under the SA's lock, and the replay window
 * moves only in the callback, so nothing leaves or is accepted out of
 * order.
 *
 * Queueing costs latency, so an SA takes that path only while busy: the
 * last jiffy saw at least parallel_pps packets a second.  The two paths
 * are never in flight at once: an SA changes path only when nothing it
 * submitted is outstanding, so a packet on one path can never overtake a
 * packet on the other.
 *
 * The pcrypt twin of the SA's transform is made by a work item the first
 * time the SA is busy, since allocating may sleep.  AH has no parallel
 * template (pcrypt wraps AEADs only) and stays inline.
 */
#include <crypto/aead.h>
#include <linux/module.h>

#include "bitsec.h"

enum {
	BITSEC_PAR_ASKED,		/* the work item was queued */
};

/* 0: never; 1: busy SAs; 2: every packet (tests) */
static int parallel = 1;
module_param(parallel, int, 0644);
MODULE_PARM_DESC(parallel, "spread an ESP SA's crypto over all CPUs: 0 never, 1 while busy (default), 2 always");

static unsigned int parallel_pps = 2000;
module_param(parallel_pps, uint, 0644);
MODULE_PARM_DESC(parallel_pps, "packets per second from which an SA counts as busy");

static void bitsec_par_work(struct work_struct *work)
{
	struct bitsec_sa *sa = container_of(work, struct bitsec_sa, par.work);
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *tfm;
	int err = -ENAMETOOLONG;

	/* The same driver, so both paths compute the same thing equally fast. */
	if (snprintf(name, sizeof(name), "pcrypt(%s)",
		     crypto_tfm_alg_driver_name(crypto_aead_tfm(sa->esp_tfm))) < sizeof(name)) {
		tfm = crypto_alloc_aead(name, 0, 0);
		err = PTR_ERR_OR_ZERO(tfm);
		if (!err) {
			err = bitsec_sa_esp_setkey(sa, tfm, NULL);
			if (err)
				crypto_free_aead(tfm);
		}
	}
	if (err)
		pr_warn_ratelimited("bitsec: SA %u stays on one CPU: cannot make %s (error %d); parallel crypto needs CONFIG_CRYPTO_PCRYPT\n",
				    sa->id, name, err);
	else
		smp_store_release(&sa->par.tfm, tfm);
	bitsec_sa_put(sa);
}

void bitsec_par_init(struct bitsec_sa *sa)
{
	INIT_WORK(&sa->par.work, bitsec_par_work);
}

/* The last reference is gone, so the work item has run or never will. */
void bitsec_par_free(struct bitsec_sa *sa)
{
	if (sa->par.tfm)
		crypto_free_aead(sa->par.tfm);
}

/*
 * The transform @sa's next packet goes through, with @sa->lock held; the
 * caller calls bitsec_par_done() once that request has completed (or was
 * never submitted).
 */
struct crypto_aead *bitsec_par_pick(struct bitsec_sa *sa)
{
	struct bitsec_par *p = &sa->par;
	unsigned long now = jiffies;
	int mode = READ_ONCE(parallel);
	struct crypto_aead *tfm = NULL;

	lockdep_assert_held(&sa->lock);
	if (p->stamp != now) {
		/* Half the rate keeps a busy SA busy: fewer switches. */
		p->busy = now - p->stamp == 1 &&
			  (u64)p->count * HZ >= READ_ONCE(parallel_pps) >> p->busy;
		p->stamp = now;
		p->count = 0;
	}
	p->count++;

	if (mode == 2 || (mode == 1 && p->busy)) {
		tfm = smp_load_acquire(&p->tfm);
		if (!tfm && !test_and_set_bit(BITSEC_PAR_ASKED, &p->flags)) {
			/* The caller's reference keeps the count above zero. */
			refcount_inc(&sa->refcnt);
			if (!queue_work(bitsec_wq, &p->work))
				bitsec_sa_put(sa);
		}
	}
	/* Requests outstanding on the other path: stay on it until they are done. */
	if (atomic_read(&p->inflight) && p->on != !!tfm)
		tfm = p->on ? p->tfm : NULL;
	p->on = !!tfm;
	atomic_inc(&p->inflight);
	return tfm ?: sa->esp_tfm;
}
