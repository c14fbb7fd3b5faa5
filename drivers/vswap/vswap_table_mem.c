// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor pages come from a module-wide page mempool so that the swap
 * write path can make progress under memory pressure, and go back to it
 * after an RCU grace period because lookups are lockless.
 */
#include <linux/mempool.h>
#include "vswap_table.h"

#define VSWAP_TABLE_RESERVE	16

static mempool_t *vswap_table_pool;

unsigned long *vswap_table_page_alloc(gfp_t gfp)
{
	struct page *page = mempool_alloc(vswap_table_pool, gfp);

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
