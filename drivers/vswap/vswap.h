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
#include "vswap_counters.h"

#define VSWAP_MAX_TIERS		16
#define VSWAP_TIER_NAME_LEN	16	/* with the NUL */

/*
 * Tier ids are stable for the tier's lifetime and index vswap_space.tiers.
 * The descriptor encodes same-filled and RAM slots by type, so those two
 * tiers have fixed ids; backing tiers take the ids the descriptor's tier
 * field can name (VSWAP_DESC_BACKED_TIER).
 */
enum vswap_tier_id {
	VSWAP_TIER_SAME = 0,
	VSWAP_TIER_RAM = 1,
	VSWAP_TIER_BACKED_FIRST = 2,
};

/* Watermark state of a tier: the last crossing reported. */
enum vswap_wmark_state {
	VSWAP_WMARK_BELOW = 0,
	VSWAP_WMARK_ABOVE = 1,
};

#define VSWAP_HIGH_WMARK_DEFAULT	90
#define VSWAP_LOW_WMARK_DEFAULT		70

/* The counters are listed in vswap_counters.h (also sysfs and netlink). */
struct vswap_tier_stats {
	VSWAP_TIER_COUNTERS(VSWAP_COUNTER_FIELD, tier)
};

/* Whether a tier takes new slots (vswap_tier.state). */
enum vswap_tier_run_state {
	VSWAP_TIER_RUN_ACTIVE = 0,
	VSWAP_TIER_RUN_DRAINING,	/* its slots are moving elsewhere */
	VSWAP_TIER_RUN_DEGRADED,	/* repeated I/O errors */
};

/*
 * Settings of a tier.  Changed by the control plane under its lock
 * (vswap_config_lock, see vswap_dev.h), read locklessly by the I/O path;
 * each field is read on its own with READ_ONCE().
 */
struct vswap_tier_conf {
	u64 limit;			/* bytes the tier may use, 0 = no limit */
	unsigned int high_wmark;	/* percent of limit */
	unsigned int low_wmark;		/* percent of limit, below high */
	unsigned int idle_age;		/* seconds, 0 = off */
	unsigned int priority;		/* lower first */
};

struct vswap_tier;

/* store() flags */
#define VSWAP_STORE_NO_SPILL	BIT(0)	/* keep it here even at the auto cap */
#define VSWAP_STORE_ATOMIC	BIT(1)	/* must not sleep: -EBUSY if it would */

/*
 * One ops table per tier kind.  store() may sleep, unless called with
 * VSWAP_STORE_ATOMIC: then it returns -EBUSY where it would have slept
 * (or failed an allocation that may sleep), for a caller that can retry
 * where sleeping is allowed.  It returns -EAGAIN
 * when the page is not for this tier (placement tries the next one),
 * e.g. when the tier is at its limit, or at its automatic cap while a
 * backing tier can take the page (unless VSWAP_STORE_NO_SPILL).
 * load() runs under the slot bit lock and must not sleep; a backing tier
 * cannot load synchronously and returns -EREMOTE: the block device reads
 * it with a bio.  release() may run in atomic context (slot free
 * notification) and must not sleep either.  used_bytes() is the memory
 * or space the tier really uses, what its limit is checked against.
 */
struct vswap_tier_ops {
	const char *kind;
	int (*store)(struct vswap_tier *tier, const void *src,
		     unsigned long *desc, unsigned int flags);
	int (*load)(struct vswap_tier *tier, unsigned long desc, void *dst);
	void (*release)(struct vswap_tier *tier, unsigned long desc);
	u64 (*used_bytes)(struct vswap_tier *tier);
	void (*destroy)(struct vswap_tier *tier);
};

struct vswap_tier {
	const struct vswap_tier_ops *ops;
	struct vswap_space *space;
	char name[VSWAP_TIER_NAME_LEN];	/* control plane lock */
	unsigned int id;
	struct vswap_tier_conf conf;
	/*
	 * The cap while conf.limit is 0 (0 = none): the RAM tier's default
	 * share of memory while backing tiers exist.  Watermarks apply to
	 * the limit in effect (vswap_tier_limit()).
	 */
	u64 auto_limit;
	atomic_t wmark;			/* enum vswap_wmark_state */
	atomic_t state;			/* enum vswap_tier_run_state */
	struct vswap_tier_stats stats;
};

struct vswap_ram_stats {
	VSWAP_RAM_COUNTERS(VSWAP_COUNTER_FIELD, ram)
};

struct vswap_space_stats {
	VSWAP_SPACE_COUNTERS(VSWAP_COUNTER_FIELD, space)
};

/*
 * tiers[] is indexed by tier id and may have holes (a removed tier);
 * nr_tiers is one past the highest id in use.  Both change only while
 * the device's I/O is quiesced (queue frozen), and a removed tier is
 * freed only after an RCU grace period, because slot free notifications
 * (which bypass the queue) look tiers up locklessly.
 *
 * wmark_notify, when set, is called (possibly in atomic context) when a
 * tier's usage may have crossed its high (@high) or low watermark; the
 * callee decides and reports.  The kernel device sets it after
 * vswap_space_init() and clears it before vswap_space_destroy().
 */
struct vswap_space {
	struct vswap_table table;
	struct vswap_tier *tiers[VSWAP_MAX_TIERS];	/* by id */
	unsigned int nr_tiers;
	struct vswap_space_stats stats;
	void (*wmark_notify)(struct vswap_tier *tier, bool high);
	/* Backing tiers taking new slots: the RAM tier may spill to them. */
	atomic_t nr_spill;
	bool spill_incompressible;	/* raw pages go to a backing tier */
	bool exclusive_loads;		/* see vswap_space_drop_ram() */
};

int vswap_space_init(struct vswap_space *s, unsigned long nr_slots,
		     const char *algo, int level);
void vswap_space_destroy(struct vswap_space *s);
int vswap_space_write(struct vswap_space *s, unsigned long slot,
		      const void *src, unsigned int flags);
bool vswap_space_spills(struct vswap_space *s);
void vswap_space_release(struct vswap_space *s, unsigned long desc);
struct vswap_tier *vswap_space_desc_tier(struct vswap_space *s,
					 unsigned long desc);
int vswap_space_read(struct vswap_space *s, unsigned long slot, void *dst,
		     unsigned long *remote);
int vswap_space_read_swapin(struct vswap_space *s, unsigned long slot,
			    void *dst, unsigned long *remote);
bool vswap_space_drop_ram(struct vswap_space *s, unsigned long slot);
void vswap_space_discard(struct vswap_space *s, unsigned long slot,
			 unsigned long nr);
void vswap_space_free_notify(struct vswap_space *s, unsigned long slot);
u64 vswap_space_stored_pages(struct vswap_space *s);
void vswap_space_publish_tier(struct vswap_space *s, struct vswap_tier *tier);
void vswap_space_unpublish_tier(struct vswap_space *s, unsigned int id);

/* Tiers: what every kind shares (vswap_tier.c) */
void vswap_tier_init(struct vswap_tier *tier, struct vswap_space *s,
		     const struct vswap_tier_ops *ops, unsigned int id,
		     const char *name);
void vswap_tier_set_name(struct vswap_tier *tier, const char *name);
void vswap_tier_set_conf(struct vswap_tier *tier,
			 const struct vswap_tier_conf *conf);
void vswap_tier_check_wmark(struct vswap_tier *tier);
void vswap_tier_set_auto_limit(struct vswap_tier *tier, u64 bytes);
u64 vswap_tier_limit(struct vswap_tier *tier);
u64 vswap_tier_high_bytes(struct vswap_tier *tier);
u64 vswap_tier_low_bytes(struct vswap_tier *tier);
bool vswap_tier_full(struct vswap_tier *tier);
bool vswap_tier_above_high(struct vswap_tier *tier);
bool vswap_tier_at_limit(struct vswap_tier *tier);

/* The zero and RAM tiers (vswap_tier_same.c, vswap_tier_ram.c) */
struct vswap_tier *vswap_tier_same_create(struct vswap_space *s);
struct vswap_tier *vswap_tier_ram_create(struct vswap_space *s,
					 const char *algo, int level);
bool vswap_page_same_filled(const void *page, u32 *pattern);
const struct vswap_backend *vswap_tier_ram_backend(struct vswap_tier *tier,
						   int *level);
void vswap_tier_ram_swap_comp(struct vswap_tier *tier,
			      struct vswap_comp *comp);
u64 vswap_tier_ram_pool_bytes(struct vswap_tier *tier);
struct vswap_ram_stats *vswap_tier_ram_stats(struct vswap_tier *tier);

static inline u64 vswap_tier_ram_huge_pages(struct vswap_tier *tier)
{
	return atomic64_read(&vswap_tier_ram_stats(tier)->huge_pages);
}

static inline u64 vswap_tier_ram_alloc_spills(struct vswap_tier *tier)
{
	return atomic64_read(&vswap_tier_ram_stats(tier)->alloc_spills);
}

static inline void vswap_tier_account(struct vswap_tier *tier, int sign,
				      u64 payload)
{
	atomic64_add(sign, &tier->stats.pages);
	atomic64_add(sign * (s64)PAGE_SIZE, &tier->stats.orig_bytes);
	atomic64_add(sign * (s64)payload, &tier->stats.payload_bytes);
}

#endif /* _VSWAP_H */
