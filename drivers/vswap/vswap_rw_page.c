// SPDX-License-Identifier: GPL-2.0
/*
 * ->rw_page (kernels before 6.3): the 6.1 swap layer hands single pages
 * here, synchronously, and the zero and RAM tiers serve them inline.
 * Anything else is declined and comes back as a bio (vswap_io.c).
 */
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include "vswap_compat.h"
#include "vswap_dev.h"

int vswap_rw_page(struct block_device *bdev, sector_t sector,
		  struct page *page, enum req_op op)
{
	struct vswap_dev *dev = bdev->bd_disk->private_data;
	unsigned long slot = sector >> (PAGE_SHIFT - SECTOR_SHIFT);
	unsigned long start, remote;
	void *addr;
	int ret;

	if (PageTransHuge(page) || (sector & (VSWAP_SECTORS_PER_PAGE - 1)) ||
	    sector + VSWAP_SECTORS_PER_PAGE > get_capacity(bdev->bd_disk))
		return -EOPNOTSUPP;	/* the bio path handles or rejects it */

	/* Bound for a backing tier: only the bio path writes there. */
	if (op_is_write(op) && vswap_space_spills(&dev->space))
		return -EOPNOTSUPP;

	start = bdev_start_io_acct(bdev, VSWAP_SECTORS_PER_PAGE, op, jiffies);
	addr = kmap_local_page(page);
	if (op_is_write(op))
		ret = vswap_space_write(&dev->space, slot, addr, 0);
	else
		ret = vswap_read_page(&dev->space, page, addr, slot, slot, 1,
				      &remote);
	kunmap_local(addr);
	bdev_end_io_acct(bdev, op, start);
	/*
	 * On error the caller resubmits as a bio, which reports it (and
	 * raises the I/O error event).  So does a slot on a backing tier
	 * (-EREMOTE), or a page for one (-ENOSPC): the bio path reads and
	 * writes those asynchronously, and swap_readpage() waits for the
	 * bio of a synchronous swap-in, so SWP_SYNCHRONOUS_IO holds.
	 */
	if (ret)
		return ret == -EREMOTE ? -EOPNOTSUPP : ret;
	if (!op_is_write(op)) {
		flush_dcache_page(page);
		vswap_read_exclusive(&dev->space, page, slot, slot, 1);
	}
	page_endio(page, op_is_write(op), 0);
	return 0;
}
