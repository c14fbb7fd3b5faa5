// SPDX-License-Identifier: GPL-2.0
/*
 * The request path: blk-mq requests against the zero, RAM and backing
 * tiers.
 *
 * Same-filled and RAM slots are read and written inline.  A slot on a
 * backing tier is read with a bio straight into the request's page; a
 * page the RAM tier does not take (at the limit in effect) is
 * written with a bio to a fresh slot of a backing tier.  Pages that are
 * contiguous on a tier share one bio.  A request with no backing page
 * completes inline; otherwise when its last bio does:
 *  - reads complete from the bio's end_io;
 *  - writes switch the slots' descriptors first, which takes slot locks
 *    and may allocate, so end_io hands the request to io_done_work (on a
 *    WQ_MEM_RECLAIM workqueue: swap-out must make progress).
 * No thread waits for a backing bio on the I/O path.
 *
 * Non-blocking queues (module parameter blocking=0, read when a device
 * is made): ->queue_rq then runs under RCU and must not sleep.  It serves
 * zero and RAM slots inline with atomic stores (VSWAP_STORE_ATOMIC) and
 * hands the rest to io_punt_work, which goes on from the page where it
 * stopped and may sleep: every request of a device with a backing tier
 * (bio allocation and submission sleep), and a write the RAM tier could
 * not store without sleeping (its stream busy, or an allocation that
 * would have reclaimed).
 *
 * A descriptor switches to the new backing slot only after its data is
 * on the device: until then the slot keeps its old data, so a failed
 * write loses nothing (it is retried in RAM, or fails the request and
 * the swap layer keeps the page dirty).
 *
 * Read epochs.  The migration engine moves slots off backing tiers while
 * reads of them may be in flight; it must not free (and let someone
 * reuse) the old backing slot before such a read completed.  Every read
 * request on a device with backing tiers enters the current epoch bucket
 * before it looks at a descriptor and leaves it when it completes; the
 * engine, after switching descriptors, flips the epoch and waits for the
 * old bucket to empty before it frees the old slots (vswap_epoch_wait).
 * A read that entered the new bucket saw the new descriptors.
 */
#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/highmem.h>
#include <linux/poison.h>
#include <linux/sched/mm.h>
#include <linux/wait.h>
#include "vswap_compat.h"
#include "vswap_dev.h"
#include "vswap_fault.h"

/* Front pad of vswap's bios. */
struct vswap_bio {
	struct request *rq;
	struct vswap_dev *dev;
	struct vswap_tier *tier;
	unsigned int first;		/* page index in the request */
	unsigned int nr;		/* pages (bvecs may merge) */
	struct bio bio;
};

static struct bio_set vswap_bio_set;

static struct vswap_bio *to_vbio(struct bio *bio)
{
	return container_of(bio, struct vswap_bio, bio);
}

/*
 * A rescuer: in blocking mode ->queue_rq may run inside submit_bio(), where
 * our bios only queue on current->bio_list until it returns; a mempool
 * wait there would wait for bios held on that very list.  The bio set then
 * punts them to its rescuer (as dm and md do).
 */
int vswap_io_init(void)
{
	return bioset_init(&vswap_bio_set, BIO_POOL_SIZE,
			   offsetof(struct vswap_bio, bio),
			   BIOSET_NEED_BVECS | BIOSET_NEED_RESCUER);
}

/*
 * A bio from the slab if one comes without waiting, else from the
 * mempool, which waits for one of ours to complete: forward progress.
 */
static struct bio *vswap_bio_alloc(struct block_device *bdev,
				   unsigned short nr_vecs, blk_opf_t opf)
{
	struct bio *bio = NULL;

	if (!vswap_fault(VSWAP_FAULT_BIO))
		bio = bio_alloc_bioset(bdev, nr_vecs, opf,
				       GFP_NOWAIT | __GFP_NOWARN, &vswap_bio_set);
	if (!bio)
		bio = bio_alloc_bioset(bdev, nr_vecs, opf, GFP_NOIO,
				       &vswap_bio_set);
	return bio;
}

/*
 * The bio set's slab is SLAB_TYPESAFE_BY_RCU (block/bio.c): a freed bio
 * stays mapped and unpoisoned until a grace period has passed, so KASAN
 * cannot see a use of the front pad after bio_put().  With KASAN on, the
 * pad is poisoned before the put: a late use then faults at once.
 */
static void vswap_bio_put(struct bio *bio)
{
	struct vswap_bio *vb = container_of(bio, struct vswap_bio, bio);

	if (IS_ENABLED(CONFIG_KASAN))
		memset(vb, POISON_FREE, offsetof(struct vswap_bio, bio));
	bio_put(bio);
}

void vswap_io_exit(void)
{
	bioset_exit(&vswap_bio_set);
}

/*
 * Enter the current bucket.  The bucket is re-checked after the count:
 * a reader delayed between reading seq and counting itself could
 * otherwise land in a bucket the engine already found empty and retired,
 * and the next flip would not wait for it (its backing slot freed and
 * reused under its read).  Store-buffering with the flip's smp_mb():
 * either the engine saw our count, or we see its new seq and move.
 */
int vswap_epoch_enter(struct vswap_dev *dev)
{
	for (;;) {
		int b = READ_ONCE(dev->epoch.seq) & 1;

		atomic_inc(&dev->epoch.readers[b]);
		/* Count us before we look at seq again or at a descriptor. */
		smp_mb__after_atomic();
		if ((READ_ONCE(dev->epoch.seq) & 1) == b)
			return b;
		vswap_epoch_exit(dev, b);
	}
}

/* Any context. */
void vswap_epoch_exit(struct vswap_dev *dev, int bucket)
{
	if (atomic_dec_and_test(&dev->epoch.readers[bucket]))
		wake_up(&dev->epoch.wq);
}

/*
 * Engine only (it serializes the flips): wait until no read that may have
 * seen a descriptor changed before this call is still in flight.
 */
void vswap_epoch_wait(struct vswap_dev *dev)
{
	unsigned int old;

	/* Descriptor switches before the flip (pairs with epoch_enter). */
	smp_mb();
	old = dev->epoch.seq & 1;
	WRITE_ONCE(dev->epoch.seq, dev->epoch.seq + 1);
	/* The flip before we look at the old bucket. */
	smp_mb();
	wait_event(dev->epoch.wq, !atomic_read(&dev->epoch.readers[old]));
}

static void vswap_cmd_error(struct vswap_req *cmd)
{
	WRITE_ONCE(cmd->status, BLK_STS_IOERR);
}

static void vswap_cmd_finish(struct vswap_dev *dev, struct request *rq)
{
	struct vswap_req *cmd = blk_mq_rq_to_pdu(rq);

	if (cmd->bucket >= 0)
		vswap_epoch_exit(dev, cmd->bucket);
	blk_mq_end_request(rq, READ_ONCE(cmd->status));
}

/* The request's last bio is done (or none was needed). */
static void vswap_cmd_put(struct vswap_dev *dev, struct request *rq)
{
	struct vswap_req *cmd = blk_mq_rq_to_pdu(rq);

	if (!atomic_dec_and_test(&cmd->pending))
		return;
	/* Descriptors to switch: not from end_io (see above). */
	if (cmd->backed) {
		if (llist_add(&cmd->node, &dev->io_done))
			queue_work(dev->io_wq, &dev->io_done_work);
		return;
	}
	vswap_cmd_finish(dev, rq);
}

/* Everything it needs is taken from the front pad before the put. */
static void vswap_rq_end_io(struct bio *bio)
{
	struct vswap_bio *vb = to_vbio(bio);
	struct vswap_dev *dev = vb->dev;
	struct request *rq = vb->rq;
	struct vswap_req *cmd = blk_mq_rq_to_pdu(rq);
	unsigned int nr = vb->nr;
	bool write = bio_op(bio) == REQ_OP_WRITE;
	int err = blk_status_to_errno(bio->bi_status);

	vswap_tier_backed_io_result(dev, vb->tier,
				    write ? VSWAP_IO_WRITE : VSWAP_IO_READ,
				    err, nr);
	/* The device's read counters; io_done_work counts writes. */
	if (!write)
		atomic64_add(nr, err ? &dev->space.stats.failed_reads :
				       &dev->space.stats.reads);
	if (err) {
		if (write) {
			unsigned int i;

			/* io_done_work frees the slots and retries in RAM. */
			for (i = 0; i < nr; i++)
				cmd->loc[vb->first + i] |= VSWAP_LOC_FAILED;
		} else {
			vswap_cmd_error(cmd);
		}
	}
	vswap_bio_put(bio);
	vswap_cmd_put(dev, rq);
}

/* Pages of one request contiguous on one tier, collected into a bio. */
struct vswap_run {
	struct bio *bio;
	struct vswap_tier *tier;
	unsigned long next;		/* backing slot that would extend it */
};

static void vswap_run_submit(struct vswap_run *run)
{
	if (run->bio)
		submit_bio(run->bio);
	run->bio = NULL;
}

/* Add @page, going to @bslot of @tier, to the run, or start a new one. */
static void vswap_run_add(struct vswap_dev *dev, struct request *rq,
			  struct vswap_run *run, struct vswap_tier *tier,
			  unsigned long bslot, struct page *page,
			  unsigned int index, unsigned int left, enum req_op op)
{
	struct vswap_req *cmd = blk_mq_rq_to_pdu(rq);
	struct vswap_bio *vb;
	struct bio *bio;

	if (run->bio && (run->tier != tier || run->next != bslot ||
			 !bio_add_page(run->bio, page, PAGE_SIZE, 0)))
		vswap_run_submit(run);
	if (run->bio) {
		run->next++;
		to_vbio(run->bio)->nr++;
		return;
	}
	bio = vswap_bio_alloc(vswap_tier_backed_bdev(tier),
			      min_t(unsigned int, left, BIO_MAX_VECS),
			      op | (op == REQ_OP_WRITE ? REQ_SWAP : 0));
	vb = to_vbio(bio);
	vb->rq = rq;
	vb->dev = dev;
	vb->tier = tier;
	vb->first = index;
	vb->nr = 1;
	bio->bi_iter.bi_sector = (sector_t)bslot << (PAGE_SHIFT - SECTOR_SHIFT);
	bio->bi_end_io = vswap_rq_end_io;
	__bio_add_page(bio, page, PAGE_SIZE, 0);
	atomic_inc(&cmd->pending);
	run->bio = bio;
	run->tier = tier;
	run->next = bslot + 1;
}

/*
 * A swap-in: @page is a swap-cache folio's, locked and not yet uptodate,
 * its swap entry is @slot, and the whole folio is in this read of @nr
 * slots from @first (the folio's other pages must not fail in another
 * request once it is dirty).  Nothing else is read into such a page (a
 * direct read's buffer is uptodate), so the slot's data is the folio's.
 */
static bool vswap_page_is_swapin(struct page *page, unsigned long slot,
				 unsigned long first, unsigned int nr)
{
	struct folio *folio = page_folio(page);
	unsigned long off;

	if (!folio_test_swapcache(folio) || !folio_test_locked(folio) ||
	    folio_test_uptodate(folio))
		return false;
	off = vswap_folio_swap_offset(folio);
	return off + folio_page_idx(folio, page) == slot && off >= first &&
	       off + folio_nr_pages(folio) <= first + nr;
}

/*
 * Read @slot into @page (mapped at @addr), part of a read of @nr slots
 * from @first; a swap-in may take a RAM copy over afterwards.
 */
int vswap_read_page(struct vswap_space *s, struct page *page, void *addr,
		    unsigned long slot, unsigned long first, unsigned int nr,
		    unsigned long *remote)
{
	if (READ_ONCE(s->exclusive_loads) &&
	    vswap_page_is_swapin(page, slot, first, nr))
		return vswap_space_read_swapin(s, slot, addr, remote);
	return vswap_space_read(s, slot, addr, remote);
}

/*
 * @page now holds @slot's data (vswap_read_page()).  With exclusive
 * loads, a swap-in from the RAM tier frees the compressed copy and leaves
 * the page dirty in the swap cache, for reclaim to write again
 * (vswap_space_drop_ram()).  Call only once the whole read has succeeded:
 * a failed request leaves every page of it not uptodate, and a dirty page
 * without its data would lose it.
 */
void vswap_read_exclusive(struct vswap_space *s, struct page *page,
			  unsigned long slot, unsigned long first,
			  unsigned int nr)
{
	if (READ_ONCE(s->exclusive_loads) &&
	    vswap_page_is_swapin(page, slot, first, nr) &&
	    vswap_space_drop_ram(s, slot))
		folio_mark_dirty(page_folio(page));
}

static void vswap_rq_read(struct vswap_dev *dev, struct request *rq)
{
	struct vswap_req *cmd = blk_mq_rq_to_pdu(rq);
	struct vswap_space *s = &dev->space;
	unsigned long slot = blk_rq_pos(rq) >> (PAGE_SHIFT - SECTOR_SHIFT);
	unsigned int i = 0, nr = blk_rq_bytes(rq) >> PAGE_SHIFT;
	struct vswap_run run = { };
	struct req_iterator iter;
	bool remote = false;
	struct bio_vec bv;

	if (s->nr_tiers > VSWAP_TIER_BACKED_FIRST)
		cmd->bucket = vswap_epoch_enter(dev);
	rq_for_each_segment(bv, rq, iter) {
		unsigned long bdesc = 0;
		void *addr;
		int ret;

		if (WARN_ON_ONCE(bv.bv_offset || bv.bv_len != PAGE_SIZE)) {
			vswap_cmd_error(cmd);
			break;
		}
		addr = kmap_local_page(bv.bv_page);
		ret = vswap_read_page(s, bv.bv_page, addr, slot + i, slot, nr,
				      &bdesc);
		kunmap_local(addr);
		if (ret == -EREMOTE) {
			struct vswap_tier *tier;

			remote = true;
			tier = s->tiers[vswap_desc_backed_tier(bdesc)];
			if (tier) {
				vswap_run_add(dev, rq, &run, tier,
					      vswap_desc_backed_slot(bdesc),
					      bv.bv_page, i, nr - i,
					      REQ_OP_READ);
				i++;
				continue;
			}
			ret = -EIO;
			atomic64_inc(&s->stats.failed_reads);
		}
		if (ret) {
			vswap_events_io_error(dev, VSWAP_IO_READ, ret);
			vswap_cmd_error(cmd);
			break;
		}
		flush_dcache_page(bv.bv_page);
		i++;
	}
	vswap_run_submit(&run);
	/* Read whole, and here: bios complete where this cannot sleep. */
	if (remote || READ_ONCE(cmd->status) != BLK_STS_OK ||
	    !READ_ONCE(s->exclusive_loads))
		return;
	i = 0;
	rq_for_each_segment(bv, rq, iter)
		vswap_read_exclusive(s, bv.bv_page, slot + i++, slot, nr);
}

/*
 * Store the request's pages from page @start on.  @atomic: nothing may
 * sleep (no backing tier then); returns -EBUSY with cmd->resume set at
 * the first page that would have slept, else 0.
 */
static int vswap_rq_write(struct vswap_dev *dev, struct request *rq,
			  unsigned int start, bool atomic)
{
	struct vswap_req *cmd = blk_mq_rq_to_pdu(rq);
	struct vswap_space *s = &dev->space;
	unsigned long slot = blk_rq_pos(rq) >> (PAGE_SHIFT - SECTOR_SHIFT);
	unsigned int i = 0, nr = blk_rq_bytes(rq) >> PAGE_SHIFT;
	struct vswap_run run = { };
	struct req_iterator iter;
	struct bio_vec bv;

	rq_for_each_segment(bv, rq, iter) {
		struct vswap_tier *tier;
		unsigned long bslot;
		void *addr;
		int ret;

		if (i < start) {
			i++;
			continue;
		}
		if (WARN_ON_ONCE(bv.bv_offset || bv.bv_len != PAGE_SIZE)) {
			vswap_cmd_error(cmd);
			break;
		}
		addr = kmap_local_page(bv.bv_page);
		ret = vswap_space_write(s, slot + i, addr,
					atomic ? VSWAP_STORE_ATOMIC : 0);
		kunmap_local(addr);
		if (ret == -EBUSY && atomic) {
			cmd->resume = i;
			return -EBUSY;
		}
		if (ret == -ENOSPC && atomic_read(&s->nr_spill)) {
			unsigned int tries;

			/*
			 * The RAM tier spills: to the first backing tier with
			 * room.  Another CPU may take the last slot between
			 * pick and get; a full tier is not picked again.
			 */
			for (tries = 0; tries < VSWAP_MAX_TIERS; tries++) {
				tier = vswap_tier_backed_pick(dev, NULL, 0, true);
				if (!tier || vswap_tier_backed_get(tier, 1, &bslot))
					break;
				tier = NULL;
			}
			if (tier) {
				cmd->loc[i] = vswap_desc_backed(tier->id, bslot);
				cmd->backed = true;
				vswap_run_add(dev, rq, &run, tier, bslot,
					      bv.bv_page, i, nr - i,
					      REQ_OP_WRITE);
				i++;
				continue;
			}
			/*
			 * No backing tier has room: RAM after all, past its
			 * automatic cap and with (bounded) reclaim.
			 */
			addr = kmap_local_page(bv.bv_page);
			ret = vswap_space_write(s, slot + i, addr,
						VSWAP_STORE_NO_SPILL |
						(atomic ? VSWAP_STORE_ATOMIC : 0));
			kunmap_local(addr);
			if (ret == -EBUSY && atomic) {
				cmd->resume = i;
				return -EBUSY;
			}
			/* Not counted there while a spill was possible. */
			if (ret == -ENOSPC)
				atomic64_inc(&s->stats.failed_writes);
		}
		if (ret) {
			vswap_events_io_error(dev, VSWAP_IO_WRITE, ret);
			vswap_cmd_error(cmd);
			break;
		}
		i++;
	}
	vswap_run_submit(&run);
	return 0;
}

/*
 * Switch the descriptors of a write request's backed pages, now that
 * their data is on the devices.  A page whose bio failed is stored in
 * RAM instead, past the automatic cap if need be; if that fails too, the
 * request fails and the slot keeps its old data.
 */
static void vswap_write_commit(struct vswap_dev *dev, struct request *rq)
{
	struct vswap_req *cmd = blk_mq_rq_to_pdu(rq);
	struct vswap_space *s = &dev->space;
	unsigned long slot = blk_rq_pos(rq) >> (PAGE_SHIFT - SECTOR_SHIFT);
	struct req_iterator iter;
	struct bio_vec bv;
	unsigned int i = 0;

	rq_for_each_segment(bv, rq, iter) {
		unsigned long loc = cmd->loc[i], desc, old;
		struct vswap_tier *tier;
		int ret;

		if (!loc) {
			i++;
			continue;
		}
		desc = loc & ~VSWAP_LOC_FAILED;
		tier = s->tiers[vswap_desc_backed_tier(desc)];
		if (loc & VSWAP_LOC_FAILED) {
			void *addr;

			vswap_tier_backed_put(tier, vswap_desc_backed_slot(desc), 1);
			addr = kmap_local_page(bv.bv_page);
			ret = vswap_space_write(s, slot + i, addr,
						VSWAP_STORE_NO_SPILL);
			kunmap_local(addr);
			if (ret) {
				atomic64_inc(&s->stats.failed_writes);
				vswap_cmd_error(cmd);
			}
			i++;
			continue;
		}
		ret = vswap_slot_store(&s->table, slot + i, desc, &old,
				       GFP_NOIO | __GFP_NORETRY | __GFP_NOWARN);
		if (ret) {
			vswap_tier_backed_put(tier, vswap_desc_backed_slot(desc), 1);
			atomic64_inc(&s->stats.failed_writes);
			vswap_cmd_error(cmd);
			i++;
			continue;
		}
		vswap_tier_backed_stored(tier, 1);
		if (vswap_desc_type(old) != VSWAP_EMPTY)
			vswap_space_release(s, old);
		atomic64_inc(&s->stats.writes);
		i++;
	}
}

/*
 * A swap-out is reclaim's own work: it frees the page it stores (a
 * compressed copy costs less than the page).  Done by a worker (kblockd,
 * our own), it gets what the reclaimer that issued it would have had:
 * PF_MEMALLOC, the emergency reserves (where no backing tier can take
 * the page, vswap_tier_ram.c) and no reclaim recursion, as swap over the
 * network does.  Without it, under global pressure a RAM object for a
 * swap-out fails where the reclaimer's own would not.
 */
static bool vswap_swapout_enter(struct request *rq, unsigned int *flags)
{
	if (req_op(rq) != REQ_OP_WRITE || !(rq->cmd_flags & REQ_SWAP))
		return false;
	*flags = memalloc_noreclaim_save();
	return true;
}

static void vswap_swapout_exit(bool entered, unsigned int flags)
{
	if (entered)
		memalloc_noreclaim_restore(flags);
}

static void vswap_io_done_work(struct work_struct *work)
{
	struct vswap_dev *dev = container_of(work, struct vswap_dev,
					     io_done_work);
	struct llist_node *list = llist_reverse_order(llist_del_all(&dev->io_done));
	struct vswap_req *cmd, *next;
	unsigned int noio = memalloc_noio_save();

	llist_for_each_entry_safe(cmd, next, list, node) {
		struct request *rq = blk_mq_rq_from_pdu(cmd);
		unsigned int memalloc = 0;
		bool swapout = vswap_swapout_enter(rq, &memalloc);

		vswap_write_commit(dev, rq);
		vswap_swapout_exit(swapout, memalloc);
		vswap_cmd_finish(dev, rq);
	}
	memalloc_noio_restore(noio);
}

/* A request's pages from @start on, where it may sleep; then its put. */
static void vswap_io_run(struct vswap_dev *dev, struct request *rq,
			 unsigned int start)
{
	unsigned int memalloc = 0;
	bool swapout = vswap_swapout_enter(rq, &memalloc);
	struct blk_plug *outer, plug;

	/*
	 * We may be called from a plug flush (blk_mq_flush_plug_list()
	 * issuing directly): bios to the backing devices must not go on
	 * the plug being flushed.  They get a plug of their own.  The outer
	 * plug's cached time goes first: with PF_BLOCK_TS still set, a
	 * preemption before blk_start_plug() would reset it through the
	 * NULL current->plug (7.x, full preemption).
	 */
	outer = current->plug;
	vswap_plug_invalidate_ts();
	current->plug = NULL;
	blk_start_plug(&plug);
	if (req_op(rq) == REQ_OP_WRITE)
		vswap_rq_write(dev, rq, start, false);
	else
		vswap_rq_read(dev, rq);
	blk_finish_plug(&plug);
	current->plug = outer;
	vswap_swapout_exit(swapout, memalloc);
	vswap_cmd_put(dev, rq);
}

/* What a non-blocking ->queue_rq could not do without sleeping. */
static void vswap_io_punt(struct vswap_dev *dev, struct request *rq)
{
	struct vswap_req *cmd = blk_mq_rq_to_pdu(rq);

	if (llist_add(&cmd->node, &dev->io_punt))
		queue_work(dev->io_wq, &dev->io_punt_work);
}

static void vswap_io_punt_work(struct work_struct *work)
{
	struct vswap_dev *dev = container_of(work, struct vswap_dev,
					     io_punt_work);
	struct llist_node *list = llist_reverse_order(llist_del_all(&dev->io_punt));
	struct vswap_req *cmd, *next;
	unsigned int noio = memalloc_noio_save();

	/* _safe: the put may queue cmd->node on io_done. */
	llist_for_each_entry_safe(cmd, next, list, node)
		vswap_io_run(dev, blk_mq_rq_from_pdu(cmd), cmd->resume);
	memalloc_noio_restore(noio);
}

/*
 * Reads and writes of a request; the caller did blk_mq_start_request().
 * Completes the request, now or when its bios are done.  On a
 * non-blocking queue (dev->blocking off) this must not sleep.
 */
blk_status_t vswap_io_queue_rq(struct vswap_dev *dev, struct request *rq)
{
	struct vswap_req *cmd = blk_mq_rq_to_pdu(rq);
	unsigned int nr = blk_rq_bytes(rq) >> PAGE_SHIFT;

	if (WARN_ON_ONCE(nr > VSWAP_RQ_MAX_PAGES))
		return BLK_STS_IOERR;
	atomic_set(&cmd->pending, 1);
	cmd->status = BLK_STS_OK;
	cmd->bucket = -1;
	cmd->backed = false;
	cmd->resume = 0;
	if (req_op(rq) == REQ_OP_WRITE)
		memset(cmd->loc, 0, nr * sizeof(cmd->loc[0]));
	if (dev->blocking) {
		vswap_io_run(dev, rq, 0);
		return BLK_STS_OK;
	}
	/* Tiers change only under a frozen queue: stable for this request. */
	if (READ_ONCE(dev->space.nr_tiers) > VSWAP_TIER_BACKED_FIRST) {
		vswap_io_punt(dev, rq);
		return BLK_STS_OK;
	}
	if (req_op(rq) == REQ_OP_WRITE) {
		unsigned int memalloc = 0;
		bool swapout = vswap_swapout_enter(rq, &memalloc);
		int ret = vswap_rq_write(dev, rq, 0, true);

		vswap_swapout_exit(swapout, memalloc);
		if (ret == -EBUSY) {
			vswap_io_punt(dev, rq);
			return BLK_STS_OK;
		}
	} else {
		vswap_rq_read(dev, rq);
	}
	vswap_cmd_put(dev, rq);
	return BLK_STS_OK;
}

/*
 * Quiesce the device's I/O (requests and ->rw_page) to change its tiers.
 * Returns the memalloc_noio state for vswap_dev_unfreeze(): while frozen,
 * reclaim must not swap to this device.
 */
unsigned int vswap_dev_freeze(struct vswap_dev *dev)
{
	lockdep_assert_held(&vswap_config_lock);
	return vswap_freeze_queue(dev->disk->queue);
}

void vswap_dev_unfreeze(struct vswap_dev *dev, unsigned int noio)
{
	vswap_unfreeze_queue(dev->disk->queue, noio);
}

/* Synchronous I/O for the engine: @nr pages at @bslot of @tier. */
int vswap_io_sync(struct vswap_tier *tier, unsigned long bslot,
		  struct page **pages, unsigned int nr, enum req_op op)
{
	struct bio *bio;
	unsigned int i;
	int ret;

	bio = vswap_bio_alloc(vswap_tier_backed_bdev(tier), nr, op);
	bio->bi_iter.bi_sector = (sector_t)bslot << (PAGE_SHIFT - SECTOR_SHIFT);
	for (i = 0; i < nr; i++)
		__bio_add_page(bio, pages[i], PAGE_SIZE, 0);
	ret = submit_bio_wait(bio);
	vswap_bio_put(bio);
	return ret;
}

int vswap_dev_io_init(struct vswap_dev *dev)
{
	atomic_set(&dev->epoch.readers[0], 0);
	atomic_set(&dev->epoch.readers[1], 0);
	init_waitqueue_head(&dev->epoch.wq);
	init_llist_head(&dev->io_done);
	INIT_WORK(&dev->io_done_work, vswap_io_done_work);
	init_llist_head(&dev->io_punt);
	INIT_WORK(&dev->io_punt_work, vswap_io_punt_work);
	dev->io_wq = alloc_workqueue("vswap%d_io", WQ_MEM_RECLAIM | WQ_HIGHPRI |
				     VSWAP_WQ_PERCPU, 0, dev->id);
	return dev->io_wq ? 0 : -ENOMEM;
}

/* After the queue is gone: no request is in flight. */
void vswap_dev_io_exit(struct vswap_dev *dev)
{
	if (dev->io_wq)
		destroy_workqueue(dev->io_wq);
	dev->io_wq = NULL;
}
