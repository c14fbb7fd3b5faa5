// SPDX-License-Identifier: GPL-2.0
/*
 * Migration policy; see vswap_policy.h.
 */
#include "vswap_policy.h"

/*
 * An aging pass every @interval seconds raises a slot's age by one, so a
 * slot of age a has been idle for at least (a - 1) intervals: an idle
 * filter of S seconds needs age S / interval + 1.  Ages stop at
 * VSWAP_AGE_MAX: longer filters select every slot idle that long or more.
 */
unsigned int vswap_idle_to_age(u32 idle, unsigned int interval)
{
	if (!idle)
		return 0;
	if (!interval)
		interval = 1;
	/* Clamp before adding: idle / 1 + 1 would wrap for U32_MAX. */
	return min_t(u32, VSWAP_AGE_MAX - 1, idle / interval) + 1;
}

void vswap_throttle_init(struct vswap_throttle *t, unsigned long now)
{
	t->window_start = now;
	t->window_bytes = 0;
	t->budget_start = now;
	t->budget_bytes = 0;
}

/*
 * Ticks to wait before writing more (0: go on).  @rate in bytes per
 * second, @budget in bytes per hour; 0 means no limit.
 */
unsigned long vswap_throttle_wait(struct vswap_throttle *t, unsigned long now,
				  u64 rate, u64 budget, unsigned long hz)
{
	unsigned long hour = 3600 * hz;

	if (now - t->window_start >= hz) {
		t->window_start = now;
		t->window_bytes = 0;
	}
	if (now - t->budget_start >= hour) {
		t->budget_start = now;
		t->budget_bytes = 0;
	}
	if (budget && t->budget_bytes >= budget)
		return t->budget_start + hour - now;
	if (rate && t->window_bytes >= rate)
		return t->window_start + hz - now;
	return 0;
}

void vswap_throttle_charge(struct vswap_throttle *t, u64 bytes)
{
	t->window_bytes += bytes;
	t->budget_bytes += bytes;
}

/**
 * vswap_policy_pick - the backing tier new data should go to
 * @s: the space
 * @skip: a tier not to use (the source of a migration), or NULL
 * @after_prio: only tiers with a priority above this (slower ones)
 * @any: ignore @after_prio
 * @takes: whether a tier takes new slots
 *
 * Of the backing tiers that take slots, the one first in the hierarchy:
 * the lowest priority value, ties broken by the lower id.  Called while
 * the tier set cannot change.
 */
struct vswap_tier *vswap_policy_pick(struct vswap_space *s,
				     struct vswap_tier *skip,
				     unsigned int after_prio, bool any,
				     vswap_takes_fn takes)
{
	struct vswap_tier *best = NULL;
	unsigned int i;

	for (i = VSWAP_TIER_BACKED_FIRST; i < READ_ONCE(s->nr_tiers); i++) {
		struct vswap_tier *tier = READ_ONCE(s->tiers[i]);
		unsigned int prio;

		if (!tier || tier == skip || !takes(tier))
			continue;
		prio = READ_ONCE(tier->conf.priority);
		if (!any && prio <= after_prio)
			continue;
		if (!best || prio < READ_ONCE(best->conf.priority))
			best = tier;
	}
	return best;
}

/*
 * Where a drain of @from sends its next batch: down the hierarchy first
 * (the next slower backing tier), then the RAM tier, then up (any other
 * backing tier).  NULL when no tier has room.
 */
struct vswap_tier *vswap_policy_drain_target(struct vswap_space *s,
					     struct vswap_tier *from,
					     vswap_takes_fn takes)
{
	struct vswap_tier *ram = READ_ONCE(s->tiers[VSWAP_TIER_RAM]);
	struct vswap_tier *to;

	to = vswap_policy_pick(s, from, READ_ONCE(from->conf.priority), false,
			       takes);
	if (to)
		return to;
	if (ram && ram != from && takes(ram))
		return ram;
	return vswap_policy_pick(s, from, 0, true, takes);
}

/*
 * The wait after a target refused a whole batch: @lo the first time
 * (@prev 0), then twice the last wait, at most @hi.
 */
unsigned long vswap_policy_backoff(unsigned long prev, unsigned long lo,
				   unsigned long hi)
{
	if (lo > hi)
		lo = hi;
	if (!prev || prev < lo / 2)
		return lo;
	return prev >= hi / 2 ? hi : prev * 2;
}

/*
 * Slots of a backing tier's allocator: the backing device's, but no more
 * than the device's, since a slot lives on one tier at a time.  A 16 TiB
 * disk behind a 16 GiB device costs a 512 KiB bitmap, not 512 MiB.
 */
unsigned long vswap_policy_backed_slots(u64 bdev_slots,
					unsigned long dev_slots)
{
	/*
	 * Headroom: a slot being overwritten holds its old backing slot
	 * until the new data is on the device, and a missed free notification
	 * holds one until the slot is written again.
	 */
	u64 want = (u64)dev_slots + dev_slots / 64 + 1024;

	return min_t(u64, bdev_slots, want);
}
