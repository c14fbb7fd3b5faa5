// SPDX-License-Identifier: GPL-2.0
/*
 * vswap tiers: what every kind of tier shares.  Common fields and
 * settings, the limit in effect and the watermarks it gives, and their
 * crossings.  The kinds are vswap_tier_same.c, vswap_tier_ram.c and
 * vswap_tier_backed.c; the space (vswap_space.c) places pages on them.
 */
#include "vswap.h"

void vswap_tier_set_name(struct vswap_tier *tier, const char *name)
{
	size_t len = strnlen(name, VSWAP_TIER_NAME_LEN - 1);

	memcpy(tier->name, name, len);
	tier->name[len] = '\0';
}

static void tier_apply_conf(struct vswap_tier *tier,
			    const struct vswap_tier_conf *conf)
{
	WRITE_ONCE(tier->conf.limit, conf->limit);
	WRITE_ONCE(tier->conf.high_wmark, conf->high_wmark);
	WRITE_ONCE(tier->conf.low_wmark, conf->low_wmark);
	WRITE_ONCE(tier->conf.idle_age, conf->idle_age);
	WRITE_ONCE(tier->conf.priority, conf->priority);
}

/* The limit in effect: the configured one, else the automatic cap. */
u64 vswap_tier_limit(struct vswap_tier *tier)
{
	return READ_ONCE(tier->conf.limit) ?: READ_ONCE(tier->auto_limit);
}

/*
 * Watermarks in bytes, from the limit in effect; 0 = none.  Computed on
 * each use, so that a limit and a watermark changed apart are never seen
 * half applied.  limit / 100 first: no overflow for any u64 limit.
 */
static u64 tier_pct(struct vswap_tier *tier, unsigned int pct)
{
	u64 limit = vswap_tier_limit(tier);

	return limit / 100 * pct + limit % 100 * pct / 100;
}

u64 vswap_tier_high_bytes(struct vswap_tier *tier)
{
	return tier_pct(tier, READ_ONCE(tier->conf.high_wmark));
}

u64 vswap_tier_low_bytes(struct vswap_tier *tier)
{
	return tier_pct(tier, READ_ONCE(tier->conf.low_wmark));
}

/*
 * Set the cap that applies while no limit is configured (0 = none).  Any
 * context; watermarks are re-evaluated against it.
 */
void vswap_tier_set_auto_limit(struct vswap_tier *tier, u64 bytes)
{
	if (READ_ONCE(tier->auto_limit) == bytes)
		return;
	WRITE_ONCE(tier->auto_limit, bytes);
	vswap_tier_check_wmark(tier);
}

/* Common fields and default settings of a new, unpublished tier. */
void vswap_tier_init(struct vswap_tier *tier, struct vswap_space *s,
		     const struct vswap_tier_ops *ops, unsigned int id,
		     const char *name)
{
	struct vswap_tier_conf conf = {
		.high_wmark = VSWAP_HIGH_WMARK_DEFAULT,
		.low_wmark = VSWAP_LOW_WMARK_DEFAULT,
		.priority = id,
	};

	tier->ops = ops;
	tier->space = s;
	tier->id = id;
	vswap_tier_set_name(tier, name);
	atomic_set(&tier->wmark, VSWAP_WMARK_BELOW);
	tier_apply_conf(tier, &conf);
}

/*
 * Apply validated settings.  The I/O path reads each field on its own, so
 * a store racing this sees the old or the new value of each.  Watermarks
 * are re-evaluated against the new thresholds.
 */
void vswap_tier_set_conf(struct vswap_tier *tier,
			 const struct vswap_tier_conf *conf)
{
	tier_apply_conf(tier, conf);
	vswap_tier_check_wmark(tier);
}

/*
 * Report a watermark crossing, with hysteresis: above once usage rises
 * over the high mark, below again once it falls under the low mark.
 * Cheap when nothing changed; may run in atomic context.
 */
void vswap_tier_check_wmark(struct vswap_tier *tier)
{
	void (*notify)(struct vswap_tier *tier, bool high);
	u64 high = vswap_tier_high_bytes(tier);
	u64 used;

	notify = READ_ONCE(tier->space->wmark_notify);
	if (!notify)
		return;
	if (!high) {
		/* No limit: no events, and a new limit starts from below. */
		if (atomic_read(&tier->wmark) != VSWAP_WMARK_BELOW)
			atomic_set(&tier->wmark, VSWAP_WMARK_BELOW);
		return;
	}
	used = tier->ops->used_bytes(tier);
	if (atomic_read(&tier->wmark) == VSWAP_WMARK_BELOW) {
		if (used > high)
			notify(tier, true);
	} else if (used < vswap_tier_low_bytes(tier)) {
		notify(tier, false);
	}
}

/*
 * At its configured limit: the tier takes no new pages.  The automatic
 * cap is not a hard limit: new pages spill at it while a backing tier
 * takes them, but a page no backing tier can take still goes to RAM
 * rather than fail.
 */
bool vswap_tier_full(struct vswap_tier *tier)
{
	u64 limit = READ_ONCE(tier->conf.limit);

	return limit && tier->ops->used_bytes(tier) >= limit;
}

/*
 * At the limit in effect, configured or automatic: new pages spill to a
 * backing tier that takes them.
 */
bool vswap_tier_at_limit(struct vswap_tier *tier)
{
	u64 limit = vswap_tier_limit(tier);

	return limit && tier->ops->used_bytes(tier) >= limit;
}

/* Above the high watermark: demotion should make room. */
bool vswap_tier_above_high(struct vswap_tier *tier)
{
	u64 high = vswap_tier_high_bytes(tier);

	return high && tier->ops->used_bytes(tier) > high;
}
