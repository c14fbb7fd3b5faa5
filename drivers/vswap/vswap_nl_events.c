// SPDX-License-Identifier: GPL-2.0
/*
 * vswap netlink: notifications to the "events" multicast group.  The
 * core's events (vswap_events.h) arrive through vswap_nl_event_ops, which
 * the family subscribes at module init.  Every event is built with
 * GFP_KERNEL in process context; one that cannot be allocated is lost
 * (listeners can always re-read the state).
 */
#include "vswap_netlink.h"

static void vswap_nl_multicast(struct sk_buff *skb)
{
	/* -ESRCH: nobody listens, which is fine. */
	genlmsg_multicast(&vswap_nl_family, skb, 0, VSWAP_NL_MCGRP_EVENTS,
			  GFP_KERNEL);
}

static struct sk_buff *vswap_nl_event_new(u8 cmd, void **hdr)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &vswap_nl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void vswap_nl_event_send(struct sk_buff *skb, void *hdr, int err)
{
	if (err) {
		/* Cannot happen: NLMSG_GOODSIZE holds any event. */
		WARN_ON_ONCE(1);
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	vswap_nl_multicast(skb);
}

static void vswap_nl_notify_dev_add(struct vswap_dev *dev)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!skb)
		return;
	if (vswap_nl_fill_dev(skb, dev, 0, 0, 0, VSWAP_CMD_DEV_ADD_NTF)) {
		nlmsg_free(skb);
		return;
	}
	vswap_nl_multicast(skb);
}

static void vswap_nl_notify_dev_del(struct vswap_dev *dev)
{
	struct sk_buff *skb;
	void *hdr;

	lockdep_assert_held(&vswap_config_lock);
	skb = vswap_nl_event_new(VSWAP_CMD_DEV_DEL_NTF, &hdr);
	if (skb)
		vswap_nl_event_send(skb, hdr, vswap_nl_put_dev_ids(skb, dev));
}

/* A tier was added (under vswap_config_lock). */
static void vswap_nl_notify_tier_add(struct vswap_dev *dev,
				     struct vswap_tier *tier)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!skb)
		return;
	if (vswap_nl_fill_tier(skb, dev, tier, 0, 0, 0,
			       VSWAP_CMD_TIER_ADD_NTF)) {
		nlmsg_free(skb);
		return;
	}
	vswap_nl_multicast(skb);
}

/* A tier event that names the tier: removed, or drained and removed. */
static void vswap_nl_notify_tier_ids(struct vswap_dev *dev,
				     struct vswap_tier *tier, u8 cmd)
{
	struct sk_buff *skb;
	void *hdr;

	lockdep_assert_held(&vswap_config_lock);
	skb = vswap_nl_event_new(cmd, &hdr);
	if (skb)
		vswap_nl_event_send(skb, hdr,
				    vswap_nl_put_tier_ids(skb, dev, tier->id,
							  tier->name));
}

/* A tier was removed (under vswap_config_lock). */
static void vswap_nl_notify_tier_del(struct vswap_dev *dev,
				     struct vswap_tier *tier)
{
	vswap_nl_notify_tier_ids(dev, tier, VSWAP_CMD_TIER_DEL_NTF);
}

/* A drained tier was removed by the engine (under vswap_config_lock). */
static void vswap_nl_notify_tier_drained(struct vswap_dev *dev,
					 struct vswap_tier *tier)
{
	vswap_nl_notify_tier_ids(dev, tier, VSWAP_CMD_TIER_DRAINED_NTF);
	vswap_nl_notify_tier_del(dev, tier);
}

/* Progress or end of a migration or drain: from the engine. */
static void vswap_nl_notify_migrate(struct vswap_dev *dev,
				    const struct vswap_job *job, u32 state,
				    int err)
{
	struct sk_buff *skb;
	void *hdr;

	skb = vswap_nl_event_new(VSWAP_CMD_MIGRATE_NTF, &hdr);
	if (!skb)
		return;
	vswap_nl_event_send(skb, hdr,
			    nla_put_u32(skb, VSWAP_A_DEV_ID, dev->id) ||
			    nla_put_u32(skb, VSWAP_A_MIGRATE_FROM, job->from) ||
			    (!job->drain &&
			     nla_put_u32(skb, VSWAP_A_MIGRATE_TO, job->to)) ||
			    nla_put_u32(skb, VSWAP_A_MIGRATE_STATE, state) ||
			    nla_put_u64_64bit(skb, VSWAP_A_MIGRATE_MOVED_BYTES,
					      job->moved, VSWAP_A_PAD) ||
			    nla_put_u64_64bit(skb, VSWAP_A_MIGRATE_TOTAL_BYTES,
					      job->total, VSWAP_A_PAD) ||
			    (err && nla_put_u32(skb, VSWAP_A_ERRNO, err)));
}

/* From the event work: @name is a copy, the tier may be gone. */
static void vswap_nl_notify_wmark(struct vswap_dev *dev, unsigned int id,
				  const char *name, bool high)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = vswap_nl_event_new(VSWAP_CMD_WMARK_NTF, &hdr);
	if (!skb)
		return;
	err = vswap_nl_put_tier_ids(skb, dev, id, name) ||
	      nla_put_u32(skb, VSWAP_A_WMARK,
			  high ? VSWAP_WMARK_HIGH : VSWAP_WMARK_LOW);
	vswap_nl_event_send(skb, hdr, err);
}

static void vswap_nl_notify_io_error(struct vswap_dev *dev,
				     enum vswap_io_dir dir, int err, u64 count)
{
	struct sk_buff *skb;
	void *hdr;
	int ret;

	skb = vswap_nl_event_new(VSWAP_CMD_IO_ERROR_NTF, &hdr);
	if (!skb)
		return;
	ret = nla_put_u32(skb, VSWAP_A_DEV_ID, dev->id) ||
	      nla_put_u32(skb, VSWAP_A_IO_OP, dir == VSWAP_IO_WRITE ?
			  VSWAP_IO_OP_WRITE : VSWAP_IO_OP_READ) ||
	      nla_put_u32(skb, VSWAP_A_ERRNO, err) ||
	      nla_put_u64_64bit(skb, VSWAP_A_ERROR_COUNT, count, VSWAP_A_PAD);
	vswap_nl_event_send(skb, hdr, ret);
}

/* A tier's run state changed: degraded, active again, drain ended. */
static void vswap_nl_notify_tier_state(struct vswap_dev *dev, unsigned int id,
				       const char *name, int state, int err)
{
	static const u32 states[] = {
		[VSWAP_TIER_RUN_ACTIVE]		= VSWAP_TIER_STATE_ACTIVE,
		[VSWAP_TIER_RUN_DRAINING]	= VSWAP_TIER_STATE_DRAINING,
		[VSWAP_TIER_RUN_DEGRADED]	= VSWAP_TIER_STATE_DEGRADED,
	};
	struct sk_buff *skb;
	void *hdr;
	int ret;

	if (WARN_ON_ONCE((unsigned int)state >= ARRAY_SIZE(states)))
		return;
	skb = vswap_nl_event_new(VSWAP_CMD_TIER_STATE_NTF, &hdr);
	if (!skb)
		return;
	ret = vswap_nl_put_tier_ids(skb, dev, id, name) ||
	      nla_put_u32(skb, VSWAP_A_TIER_STATE, states[state]) ||
	      (err && nla_put_u32(skb, VSWAP_A_ERRNO, err));
	vswap_nl_event_send(skb, hdr, ret);
}

/* What the lower layers report, multicast to the "events" group. */
const struct vswap_event_ops vswap_nl_event_ops = {
	.dev_add	= vswap_nl_notify_dev_add,
	.dev_del	= vswap_nl_notify_dev_del,
	.tier_add	= vswap_nl_notify_tier_add,
	.tier_del	= vswap_nl_notify_tier_del,
	.tier_drained	= vswap_nl_notify_tier_drained,
	.migrate	= vswap_nl_notify_migrate,
	.wmark		= vswap_nl_notify_wmark,
	.io_error	= vswap_nl_notify_io_error,
	.tier_state	= vswap_nl_notify_tier_state,
};
