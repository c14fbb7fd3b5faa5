/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Migration policy: the decisions of the migration engine that depend on
 * nothing but numbers and the tier set, kept apart from the engine's I/O
 * so the unit tests run them in userspace.
 */
#ifndef _VSWAP_POLICY_H
#define _VSWAP_POLICY_H

#include "vswap.h"

/* An idle filter in seconds as the minimal slot age (0..VSWAP_AGE_MAX). */
unsigned int vswap_idle_to_age(u32 idle, unsigned int interval);

/*
 * Rate limit (bytes per second) and write budget (bytes per hour) of
 * demotion.  Times are in ticks of @hz per second (jiffies and HZ).
 */
struct vswap_throttle {
	unsigned long window_start;
	u64 window_bytes;
	unsigned long budget_start;
	u64 budget_bytes;
};

void vswap_throttle_init(struct vswap_throttle *t, unsigned long now);
unsigned long vswap_throttle_wait(struct vswap_throttle *t, unsigned long now,
				  u64 rate, u64 budget, unsigned long hz);
void vswap_throttle_charge(struct vswap_throttle *t, u64 bytes);

/* Whether a tier takes new slots: a backing tier's own test. */
typedef bool (*vswap_takes_fn)(struct vswap_tier *tier);

struct vswap_tier *vswap_policy_pick(struct vswap_space *s,
				     struct vswap_tier *skip,
				     unsigned int after_prio, bool any,
				     vswap_takes_fn takes);
struct vswap_tier *vswap_policy_drain_target(struct vswap_space *s,
					     struct vswap_tier *from,
					     vswap_takes_fn takes);
unsigned long vswap_policy_backoff(unsigned long prev, unsigned long lo,
				   unsigned long hi);
unsigned long vswap_policy_backed_slots(u64 bdev_slots,
					unsigned long dev_slots);

#endif /* _VSWAP_POLICY_H */
