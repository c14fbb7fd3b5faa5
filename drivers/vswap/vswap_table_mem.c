// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor pages for the swap write path.  They are long-lived (a page
 * lives as long as its cluster has a used slot), so a mempool cannot be the
 * allocator: mempool_alloc() adds __GFP_NOMEMALLOC and, once the reserve is
 * drained by live clusters, sleeps for a free that never comes while reclaim
 * waits on us.  Instead the page allocator comes first, which in reclaim
 * context (PF_MEMALLOC) may dip into the emergency reserves: storing a page
 * frees one, so that is forward progress.  A small module-wide reserve, refilled
 * by frees, covers the rest; when both fail the write fails, it never waits.
 * Pages go back after an RCU grace period because lookups are lockless.
 */
#include <linux/mempool.h>
#include "vswap_fault.h"
#include "vswap_table.h"

#define VSWAP_TABLE_RESERVE	16

static mempool_t *vswap_table_pool;

unsigned long *vswap_table_page_alloc(gfp_t gfp)
{
	struct page *page = NULL;

	if (!vswap_fault(VSWAP_FAULT_TABLE_PAGE))
		page = alloc_page(gfp | __GFP_NOWARN);

	if (!page)
		page = mempool_alloc(vswap_table_pool,
				     gfp & ~__GFP_DIRECT_RECLAIM);
	if (!page)
		return NULL;
	clear_page(page_address(page));
	return page_address(page);
}

void vswap_table_page_free(unsigned long *table)
{
	mempool_free(virt_to_page(table), vswap_table_pool);
}

static void vswap_table_page_free_cb(struct rcu_head *head)
{
	mempool_free(container_of(head, struct page, rcu_head),
		     vswap_table_pool);
}

void vswap_table_page_free_rcu(unsigned long *table)
{
	call_rcu(&virt_to_page(table)->rcu_head, vswap_table_page_free_cb);
}

int vswap_table_mem_init(void)
{
	vswap_table_pool = mempool_create_page_pool(VSWAP_TABLE_RESERVE, 0);
	return vswap_table_pool ? 0 : -ENOMEM;
}

void vswap_table_mem_exit(void)
{
	/* Wait for vswap_table_page_free_cb() callbacks still in flight. */
	rcu_barrier();
	mempool_destroy(vswap_table_pool);
}
