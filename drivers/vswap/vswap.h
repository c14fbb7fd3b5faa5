/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap core: a virtual swap space whose 4 KiB slots each live in one
 * tier, described by one word in the descriptor table.
 */
#ifndef _VSWAP_H
#define _VSWAP_H

#include "vswap_deps.h"
#include "vswap_desc.h"
#include "vswap_table.h"
#include "vswap_comp.h"

#define VSWAP_MAX_TIERS		16

enum vswap_tier_id {
	VSWAP_TIER_SAME = 0,
	VSWAP_TIER_RAM = 1,
};

struct vswap_tier_stats {
	atomic64_t pages;		/* slots stored on the tier */
	atomic64_t orig_bytes;		/* their uncompressed size */
	atomic64_t stored_bytes;	/* bytes the tier holds for them */
	atomic64_t reads;
	atomic64_t writes;
	atomic64_t failures;
};

struct vswap_tier;

/*
 * One ops table per tier kind.  store() may sleep; it returns -EAGAIN
 * when the page is not for this tier (placement tries the next one).
 * load() and release() run under the slot bit lock and must not sleep.
 */
struct vswap_tier_ops {
	const char *kind;
	int (*store)(struct vswap_tier *tier, const void *src,
		     unsigned long *desc);
	int (*load)(struct vswap_tier *tier, unsigned long desc, void *dst);
	void (*release)(struct vswap_tier *tier, unsigned long desc);
	void (*destroy)(struct vswap_tier *tier);
};

struct vswap_tier {
	const struct vswap_tier_ops *ops;
	struct vswap_space *space;
	const char *name;
	unsigned int id;
	struct vswap_tier_stats stats;
};

struct vswap_ram_stats {
	atomic64_t huge_pages;		/* stored raw: did not compress */
};

struct vswap_space_stats {
	atomic64_t reads;
	atomic64_t writes;
	atomic64_t discards;
	atomic64_t frees;		/* swap slot free notifications */
	atomic64_t miss_frees;		/* ... that found the slot busy */
	atomic64_t failed_reads;
	atomic64_t failed_writes;
};

struct vswap_space {
	struct vswap_table table;
	struct vswap_tier *tiers[VSWAP_MAX_TIERS];	/* by id */
	unsigned int nr_tiers;
	struct vswap_space_stats stats;
};

int vswap_space_init(struct vswap_space *s, unsigned long nr_slots,
		     const char *algo, int level);
void vswap_space_destroy(struct vswap_space *s);
int vswap_space_write(struct vswap_space *s, unsigned long slot,
		      const void *src);
int vswap_space_read(struct vswap_space *s, unsigned long slot, void *dst);
void vswap_space_discard(struct vswap_space *s, unsigned long slot,
			 unsigned long nr);
void vswap_space_free_notify(struct vswap_space *s, unsigned long slot);
u64 vswap_space_stored_pages(struct vswap_space *s);

/* Tiers */
struct vswap_tier *vswap_tier_same_create(struct vswap_space *s);
struct vswap_tier *vswap_tier_ram_create(struct vswap_space *s,
					 const char *algo, int level);
bool vswap_page_same_filled(const void *page, u32 *pattern);
const struct vswap_backend *vswap_tier_ram_backend(struct vswap_tier *tier,
						   int *level);
u64 vswap_tier_ram_pool_bytes(struct vswap_tier *tier);
u64 vswap_tier_ram_huge_pages(struct vswap_tier *tier);

static inline void vswap_tier_account(struct vswap_tier *tier, int sign,
				      u64 stored)
{
	atomic64_add(sign, &tier->stats.pages);
	atomic64_add(sign * (s64)PAGE_SIZE, &tier->stats.orig_bytes);
	atomic64_add(sign * (s64)stored, &tier->stats.stored_bytes);
}

#endif /* _VSWAP_H */
