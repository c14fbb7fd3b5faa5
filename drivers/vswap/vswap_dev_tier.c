// SPDX-License-Identifier: GPL-2.0
/*
 * A device's tiers: their lifecycle, as the control plane drives it.
 *
 * Adding a tier shows it in sysfs and publishes it in the space.
 * Removing one is two steps: unlink (with the queue frozen, and only
 * while it holds no slot: out of the space, and RAM stops spilling to
 * it), then release (sysfs, the event, an RCU grace period, destroy).
 * A tier that holds slots is drained first: the engine
 * (vswap_migrate.c) moves them off, then removes it with the same two
 * steps.  Also here: cancelling a drain, setting a tier active again,
 * renaming a tier, and giving the RAM tier another compressor.
 *
 * Everything runs under vswap_config_lock (see the locking rules in
 * vswap_dev.h).  The netlink handlers parse and validate a request, call
 * one of the entry points and answer; what listeners are told rises
 * through vswap_events.h.
 */
#include "vswap_dev.h"
#include "vswap_extack.h"

/* Rename a tier; the event work reads names under name_lock. */
void vswap_dev_set_tier_name(struct vswap_dev *dev, struct vswap_tier *tier,
			     const char *name)
{
	lockdep_assert_held(&vswap_config_lock);
	spin_lock(&dev->name_lock);
	vswap_tier_set_name(tier, name);
	spin_unlock(&dev->name_lock);
}

/* I/O quiesced: placement and lookups see @tier, RAM may spill to it. */
static void vswap_dev_tier_publish(struct vswap_dev *dev,
				   struct vswap_tier *tier)
{
	unsigned int noio;

	lockdep_assert_held(&vswap_config_lock);
	noio = vswap_dev_freeze(dev);
	vswap_space_publish_tier(&dev->space, tier);
	vswap_dev_unfreeze(dev, noio);
	vswap_tier_backed_update_spill(dev);
}

/**
 * vswap_dev_add_tier - name, configure, show and publish a new tier
 * @dev: the device
 * @tier: the tier, created and not published yet; owned from now on
 * @name: its name, validated
 * @conf: its settings, validated
 * @extack: for the reason of a failure
 *
 * Under vswap_config_lock.  Listeners are told (tier add event).  On
 * failure the tier is destroyed.
 */
int vswap_dev_add_tier(struct vswap_dev *dev, struct vswap_tier *tier,
		       const char *name, const struct vswap_tier_conf *conf,
		       struct netlink_ext_ack *extack)
{
	struct vswap_tier_kobj *tk;

	lockdep_assert_held(&vswap_config_lock);
	vswap_tier_set_name(tier, name);
	vswap_tier_set_conf(tier, conf);
	tk = vswap_sysfs_tier_create(dev, tier, NULL);
	if (IS_ERR(tk)) {
		tier->ops->destroy(tier);
		vswap_errmsgf(extack, NULL,
			      "creating the tier's sysfs directory failed (error %ld)",
			      PTR_ERR(tk));
		return PTR_ERR(tk);
	}
	vswap_dev_tier_publish(dev, tier);
	vswap_sysfs_tier_replace(dev, tk);
	/* Aging starts, and RAM above its watermark can demote now. */
	vswap_engine_kick(dev);
	vswap_event_tier_add(dev, tier);
	return 0;
}

/* -EBUSY, worded on @extack (may be NULL), while @tier holds slots. */
static int vswap_dev_tier_busy(struct vswap_tier *tier,
			       struct netlink_ext_ack *extack)
{
	u64 pages = atomic64_read(&tier->stats.pages);

	if (!pages)
		return 0;
	vswap_errmsgf(extack, NULL,
		      "tier %s holds %llu pages; drain it (--drain) or swapoff first",
		      tier->name, pages);
	return -EBUSY;
}

/**
 * vswap_dev_tier_unlink - take an empty tier out of the space
 * @dev: the device
 * @tier: the tier
 * @extack: for the reason of a refusal, or NULL
 *
 * Under vswap_config_lock, with no engine pass running: the control
 * plane pauses the engine, or the caller is the engine.  With the queue
 * frozen, -EBUSY (nothing changed) if slots landed on the tier since the
 * caller looked; else the space no longer has it and RAM stops spilling
 * to it.  The tier stays valid for vswap_dev_tier_release().
 */
int vswap_dev_tier_unlink(struct vswap_dev *dev, struct vswap_tier *tier,
			  struct netlink_ext_ack *extack)
{
	unsigned int noio;
	int ret;

	lockdep_assert_held(&vswap_config_lock);
	noio = vswap_dev_freeze(dev);
	ret = vswap_dev_tier_busy(tier, extack);
	if (!ret)
		vswap_space_unpublish_tier(&dev->space, tier->id);
	vswap_dev_unfreeze(dev, noio);
	if (!ret)
		vswap_tier_backed_update_spill(dev);
	return ret;
}

/**
 * vswap_dev_tier_release - tell of an unlinked tier's removal, free it
 * @dev: the device
 * @tier: the tier, unlinked by vswap_dev_tier_unlink()
 * @drained: a drain emptied it (tier drained event), else a tier del
 *	event
 *
 * Under vswap_config_lock.  The tier is freed after an RCU grace period.
 */
void vswap_dev_tier_release(struct vswap_dev *dev, struct vswap_tier *tier,
			    bool drained)
{
	lockdep_assert_held(&vswap_config_lock);
	vswap_sysfs_tier_del(dev, tier->id);
	if (drained)
		vswap_event_tier_drained(dev, tier);
	else
		vswap_event_tier_del(dev, tier);
	/* Slot free notifications and sysfs readers use tiers under RCU. */
	synchronize_rcu();
	vswap_events_tier_gone(dev, tier->id);
	tier->ops->destroy(tier);
}

/**
 * vswap_dev_del_tier - remove a tier, or start draining it
 * @dev: the device
 * @tier: the tier, not the zero tier
 * @drain: move its slots off first (a drain), if it holds any
 * @extack: for the reason of a refusal
 *
 * Under vswap_config_lock.  -EBUSY while a job moves slots from or to
 * it, or while it holds slots and @drain is not set.  A drain returns at
 * once: the engine removes the tier when it is empty.
 */
int vswap_dev_del_tier(struct vswap_dev *dev, struct vswap_tier *tier,
		       bool drain, struct netlink_ext_ack *extack)
{
	int ret;

	lockdep_assert_held(&vswap_config_lock);
	if (vswap_engine_uses(dev, tier->id)) {
		bool draining = atomic_read(&tier->state) == VSWAP_TIER_RUN_DRAINING;

		vswap_errmsgf(extack, NULL,
			      "tier %s is being %s; wait for it to end%s",
			      tier->name, draining ? "drained" : "migrated",
			      draining ? " or cancel it (cancel)" : "");
		return -EBUSY;
	}
	/* Slots on it: a drain moves them, and removes it when done. */
	if (atomic64_read(&tier->stats.pages) && drain)
		return vswap_engine_drain(dev, tier, extack);
	ret = vswap_dev_tier_busy(tier, extack);
	if (ret)
		return ret;

	vswap_engine_pause(dev);
	ret = vswap_dev_tier_unlink(dev, tier, extack);
	vswap_engine_resume(dev);
	if (ret)
		return ret;
	vswap_dev_tier_release(dev, tier, false);
	return 0;
}

/**
 * vswap_dev_cancel_drain - cancel the running drain of a tier
 * @dev: the device
 * @tier: the tier being drained
 * @extack: for the reason of a refusal
 *
 * Under vswap_config_lock.  The tier keeps the slots still on it and
 * goes back to the state it had before the drain; a migrate event
 * (cancelled) and a tier-state event say so.  -EINVAL when no drain of
 * @tier runs.
 */
int vswap_dev_cancel_drain(struct vswap_dev *dev, struct vswap_tier *tier,
			   struct netlink_ext_ack *extack)
{
	bool running;

	lockdep_assert_held(&vswap_config_lock);
	/* No batch in flight: the job cannot end under us. */
	vswap_engine_pause(dev);
	running = vswap_engine_drain_cancel(dev, tier);
	vswap_engine_resume(dev);
	if (!running) {
		vswap_errmsgf(extack, NULL,
			      "tier %s is not being drained; there is nothing to cancel",
			      tier->name);
		return -EINVAL;
	}
	return 0;
}

/**
 * vswap_dev_may_activate_tier - whether tier set may make a tier active
 * @dev: the device
 * @tier: the tier
 * @extack: for the reason of a refusal
 *
 * Under vswap_config_lock, which holds until vswap_dev_activate_tier().
 * A draining tier is refused (-EBUSY): its drain is cancelled with tier
 * del --cancel.
 */
int vswap_dev_may_activate_tier(struct vswap_dev *dev,
				struct vswap_tier *tier,
				struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&vswap_config_lock);
	if (atomic_read(&tier->state) == VSWAP_TIER_RUN_DRAINING &&
	    vswap_engine_uses(dev, tier->id)) {
		vswap_errmsgf(extack, NULL,
			      "tier %s is being drained; cancel the drain (tier del --cancel) to keep it",
			      tier->name);
		return -EBUSY;
	}
	return 0;
}

/*
 * Put @tier back in use: a degraded tier (or one left draining) takes
 * slots again, with its error count reset, and a tier-state event says
 * so.  Nothing happens to an active tier.  After
 * vswap_dev_may_activate_tier().
 */
void vswap_dev_activate_tier(struct vswap_dev *dev, struct vswap_tier *tier)
{
	int old = atomic_read(&tier->state);

	lockdep_assert_held(&vswap_config_lock);
	if (old == VSWAP_TIER_RUN_ACTIVE)
		return;
	if (vswap_tier_is_backed(tier))
		vswap_tier_backed_reset_errors(tier);
	if (atomic_cmpxchg(&tier->state, old, VSWAP_TIER_RUN_ACTIVE) != old)
		return;
	vswap_tier_backed_update_spill(dev);
	vswap_event_tier_state(dev, tier, 0);
	/* RAM above its watermark may demote to it again. */
	vswap_engine_kick(dev);
}

/**
 * vswap_dev_set_comp - give the RAM tier another compressor
 * @dev: the device
 * @tier: the RAM tier
 * @comp: the new compressor, set up; on success the old one, destroyed
 *
 * Under vswap_config_lock.  Only while the tier holds no page: -EBUSY
 * (nothing changed, @comp still the caller's) if pages came since the
 * caller looked.  The engine is paused: it stores into RAM too
 * (promotion, drain).
 */
int vswap_dev_set_comp(struct vswap_dev *dev, struct vswap_tier *tier,
		       struct vswap_comp *comp)
{
	unsigned int noio;

	lockdep_assert_held(&vswap_config_lock);
	vswap_engine_pause(dev);
	noio = vswap_dev_freeze(dev);
	/* Pages may have come since the check. */
	if (atomic64_read(&tier->stats.pages)) {
		vswap_dev_unfreeze(dev, noio);
		vswap_engine_resume(dev);
		return -EBUSY;
	}
	vswap_tier_ram_swap_comp(tier, comp);
	vswap_dev_unfreeze(dev, noio);
	vswap_engine_resume(dev);
	/* The old one now. */
	vswap_comp_destroy(comp);
	return 0;
}
