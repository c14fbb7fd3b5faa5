// SPDX-License-Identifier: GPL-2.0
/*
 * The "vswap" generic netlink family: devices and their tiers, per
 * include/uapi/linux/vswap.h (described by docs/netlink/vswap.yaml).
 *
 * Every op has its own strict policy (nothing else is accepted), every
 * mutating op needs CAP_NET_ADMIN (GENL_ADMIN_PERM, checked by the core)
 * and CAP_SYS_ADMIN (checked in pre_doit), and every refusal carries an
 * extack message.  Requests are validated completely before anything
 * changes.  Handlers run in parallel (parallel_ops) and serialize on
 * vswap_config_lock; see the locking rules in vswap_dev.h.  Events go to
 * the "events" multicast group.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "vswap_netlink.h"

/* Largest level of any algorithm (lz4's acceleration); then per algorithm. */
#define VSWAP_NL_LEVEL_MAX	64

static struct genl_family vswap_nl_family;

enum vswap_nl_mcgrp {
	VSWAP_NL_MCGRP_EVENTS,
};

static const struct genl_multicast_group vswap_nl_mcgrps[] = {
	[VSWAP_NL_MCGRP_EVENTS] = { .name = VSWAP_MCGRP_EVENTS },
};

static const struct {
	enum vswap_algo algo;
	const char *name;
} vswap_nl_algos[] = {
	{ VSWAP_ALGO_LZ4,	"lz4" },
	{ VSWAP_ALGO_LZ4HC,	"lz4hc" },
	{ VSWAP_ALGO_ZSTD,	"zstd" },
};

static const struct vswap_backend *vswap_nl_backend(u32 algo)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vswap_nl_algos); i++)
		if (vswap_nl_algos[i].algo == algo)
			return vswap_backend_find(vswap_nl_algos[i].name);
	return NULL;
}

static enum vswap_algo vswap_nl_algo(const struct vswap_backend *be)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vswap_nl_algos); i++)
		if (!strcmp(vswap_nl_algos[i].name, be->name))
			return vswap_nl_algos[i].algo;
	return VSWAP_ALGO_UNSPEC;
}

/* ------------------------------------------------------------------ */
/* Policies: one per op, listing exactly what the op accepts. */

/* Not const: 6.1's nla_policy.range is a plain pointer. */
static struct netlink_range_validation vswap_nl_size_range = {
	.min = VSWAP_DEV_SIZE_MIN,
	.max = VSWAP_DEV_SIZE_MAX,
};

#define VSWAP_POL_DEV_ID	NLA_POLICY_MAX(NLA_U32, VSWAP_MAX_DEVICES - 1)
#define VSWAP_POL_DEV_NAME	{ .type = NLA_NUL_STRING, .len = DISK_NAME_LEN - 1 }
#define VSWAP_POL_DEV_SIZE	NLA_POLICY_FULL_RANGE(NLA_U64, &vswap_nl_size_range)
#define VSWAP_POL_TIER_ID	NLA_POLICY_MAX(NLA_U32, VSWAP_MAX_TIERS - 1)
#define VSWAP_POL_TIER_NAME	{ .type = NLA_NUL_STRING, .len = VSWAP_NAME_MAX - 1 }
#define VSWAP_POL_TIER_PATH	{ .type = NLA_NUL_STRING, .len = VSWAP_PATH_MAX - 1 }
#define VSWAP_POL_KIND		NLA_POLICY_RANGE(NLA_U32, VSWAP_TIER_KIND_ZERO, VSWAP_TIER_KIND_MAX)
#define VSWAP_POL_CLASS		NLA_POLICY_RANGE(NLA_U32, VSWAP_TIER_CLASS_FAST, \
						 VSWAP_TIER_CLASS_MAX)
#define VSWAP_POL_ALGO		NLA_POLICY_RANGE(NLA_U32, VSWAP_ALGO_LZ4, VSWAP_ALGO_MAX)
#define VSWAP_POL_LEVEL		NLA_POLICY_MAX(NLA_U32, VSWAP_NL_LEVEL_MAX)
#define VSWAP_POL_HIGH_WMARK	NLA_POLICY_RANGE(NLA_U32, 1, 100)
#define VSWAP_POL_LOW_WMARK	NLA_POLICY_MAX(NLA_U32, 99)

static const struct nla_policy vswap_dev_get_policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= VSWAP_POL_DEV_ID,
};

static const struct nla_policy vswap_dev_add_policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_SIZE]		= VSWAP_POL_DEV_SIZE,
	[VSWAP_A_DEV_NAME]		= VSWAP_POL_DEV_NAME,
	[VSWAP_A_TIER_ALGO]		= VSWAP_POL_ALGO,
	[VSWAP_A_TIER_LEVEL]		= VSWAP_POL_LEVEL,
};

static const struct nla_policy vswap_dev_del_policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= VSWAP_POL_DEV_ID,
};

static const struct nla_policy vswap_tier_get_policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= VSWAP_POL_DEV_ID,
	[VSWAP_A_TIER_ID]		= VSWAP_POL_TIER_ID,
	[VSWAP_A_TIER_NAME]		= VSWAP_POL_TIER_NAME,
};

static const struct nla_policy vswap_tier_add_policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= VSWAP_POL_DEV_ID,
	[VSWAP_A_TIER_KIND]		= VSWAP_POL_KIND,
	[VSWAP_A_TIER_NAME]		= VSWAP_POL_TIER_NAME,
	[VSWAP_A_TIER_CLASS]		= VSWAP_POL_CLASS,
	[VSWAP_A_TIER_ALGO]		= VSWAP_POL_ALGO,
	[VSWAP_A_TIER_LEVEL]		= VSWAP_POL_LEVEL,
	[VSWAP_A_TIER_LIMIT]		= { .type = NLA_U64 },
	[VSWAP_A_TIER_PATH]		= VSWAP_POL_TIER_PATH,
	[VSWAP_A_TIER_HIGH_WMARK]	= VSWAP_POL_HIGH_WMARK,
	[VSWAP_A_TIER_LOW_WMARK]	= VSWAP_POL_LOW_WMARK,
	[VSWAP_A_TIER_IDLE_AGE]		= { .type = NLA_U32 },
	[VSWAP_A_TIER_PRIORITY]		= { .type = NLA_U32 },
};

static const struct nla_policy vswap_tier_set_policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= VSWAP_POL_DEV_ID,
	[VSWAP_A_TIER_ID]		= VSWAP_POL_TIER_ID,
	[VSWAP_A_TIER_NAME]		= VSWAP_POL_TIER_NAME,
	[VSWAP_A_TIER_ALGO]		= VSWAP_POL_ALGO,
	[VSWAP_A_TIER_LEVEL]		= VSWAP_POL_LEVEL,
	[VSWAP_A_TIER_LIMIT]		= { .type = NLA_U64 },
	[VSWAP_A_TIER_HIGH_WMARK]	= VSWAP_POL_HIGH_WMARK,
	[VSWAP_A_TIER_LOW_WMARK]	= VSWAP_POL_LOW_WMARK,
	[VSWAP_A_TIER_IDLE_AGE]		= { .type = NLA_U32 },
	[VSWAP_A_TIER_PRIORITY]		= { .type = NLA_U32 },
};

static const struct nla_policy vswap_tier_del_policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= VSWAP_POL_DEV_ID,
	[VSWAP_A_TIER_ID]		= VSWAP_POL_TIER_ID,
	[VSWAP_A_TIER_NAME]		= VSWAP_POL_TIER_NAME,
	[VSWAP_A_TIER_DRAIN]		= { .type = NLA_FLAG },
};

static const struct nla_policy vswap_migrate_policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= VSWAP_POL_DEV_ID,
	[VSWAP_A_MIGRATE_FROM]		= VSWAP_POL_TIER_ID,
	[VSWAP_A_MIGRATE_TO]		= VSWAP_POL_TIER_ID,
	[VSWAP_A_MIGRATE_IDLE]		= { .type = NLA_U32 },
	[VSWAP_A_MIGRATE_MAX_BYTES]	= { .type = NLA_U64 },
};

/* ------------------------------------------------------------------ */
/* Messages */

static enum vswap_tier_kind vswap_nl_tier_kind(struct vswap_tier *tier)
{
	switch (tier->id) {
	case VSWAP_TIER_SAME:
		return VSWAP_TIER_KIND_ZERO;
	case VSWAP_TIER_RAM:
		return VSWAP_TIER_KIND_RAM;
	default:
		return VSWAP_TIER_KIND_BLOCK;
	}
}

static int vswap_nl_put_stat(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, VSWAP_STATS_A_PAD);
}

static int vswap_nl_put_dev_stats(struct sk_buff *skb, struct vswap_dev *dev)
{
	struct vswap_space_stats *st = &dev->space.stats;
	u64 pages = 0, orig = 0, stored = 0;
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < dev->space.nr_tiers; i++) {
		struct vswap_tier *tier = dev->space.tiers[i];

		if (!tier)
			continue;
		pages += atomic64_read(&tier->stats.pages);
		orig += atomic64_read(&tier->stats.orig_bytes);
		stored += tier->ops->used_bytes(tier);
	}
	nest = nla_nest_start(skb, VSWAP_A_DEV_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (vswap_nl_put_stat(skb, VSWAP_STATS_A_PAGES, pages) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_ORIG_BYTES, orig) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_STORED_BYTES, stored) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_READS,
			      atomic64_read(&st->reads)) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_WRITES,
			      atomic64_read(&st->writes)) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_DISCARDS,
			      atomic64_read(&st->discards)) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_FREES,
			      atomic64_read(&st->frees)) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_FAILED_READS,
			      atomic64_read(&st->failed_reads)) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_FAILED_WRITES,
			      atomic64_read(&st->failed_writes))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vswap_nl_put_dev_ids(struct sk_buff *skb, struct vswap_dev *dev)
{
	if (nla_put_u32(skb, VSWAP_A_DEV_ID, dev->id) ||
	    nla_put_string(skb, VSWAP_A_DEV_NAME, dev->disk->disk_name))
		return -EMSGSIZE;
	return 0;
}

/* A device message: the reply to dev-get and dev-add, and dev-add-ntf. */
static int vswap_nl_fill_dev(struct sk_buff *skb, struct vswap_dev *dev,
			     u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

	lockdep_assert_held(&vswap_config_lock);
	hdr = genlmsg_put(skb, portid, seq, &vswap_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (vswap_nl_put_dev_ids(skb, dev) ||
	    nla_put_u64_64bit(skb, VSWAP_A_DEV_SIZE, dev->size, VSWAP_A_PAD) ||
	    nla_put_u8(skb, VSWAP_A_DEV_IN_USE, vswap_dev_in_use(dev)) ||
	    nla_put_u64_64bit(skb, VSWAP_A_DEV_META_BYTES,
			      vswap_table_meta_bytes(&dev->space.table),
			      VSWAP_A_PAD) ||
	    vswap_nl_put_dev_stats(skb, dev)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int vswap_nl_put_tier_stats(struct sk_buff *skb,
				   struct vswap_tier *tier)
{
	struct vswap_tier_stats *st = &tier->stats;
	const struct {
		int type;
		atomic64_t *v;
	} counters[] = {
		{ VSWAP_STATS_A_PAGES, &st->pages },
		{ VSWAP_STATS_A_ORIG_BYTES, &st->orig_bytes },
		{ VSWAP_STATS_A_READS, &st->reads },
		{ VSWAP_STATS_A_WRITES, &st->writes },
		{ VSWAP_STATS_A_FAILED_READS, &st->failed_reads },
		{ VSWAP_STATS_A_FAILED_WRITES, &st->failed_writes },
		{ VSWAP_STATS_A_MIGRATED_IN, &st->migrated_in },
		{ VSWAP_STATS_A_MIGRATED_OUT, &st->migrated_out },
		{ VSWAP_STATS_A_PROMOTIONS, &st->promotions },
		{ VSWAP_STATS_A_DEMOTIONS, &st->demotions },
		{ VSWAP_STATS_A_IO_ERRORS, &st->io_errors },
		{ VSWAP_STATS_A_BUDGET_USED, &st->budget_used },
	};
	struct nlattr *nest;
	unsigned int i;
	u64 huge = 0;

	if (tier->id == VSWAP_TIER_RAM)
		huge = vswap_tier_ram_huge_pages(tier);
	nest = nla_nest_start(skb, VSWAP_A_TIER_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (vswap_nl_put_stat(skb, counters[i].type,
				      atomic64_read(counters[i].v)))
			goto cancel;
	/* What the tier really uses: for RAM, the zsmalloc pool. */
	if (vswap_nl_put_stat(skb, VSWAP_STATS_A_STORED_BYTES,
			      tier->ops->used_bytes(tier)) ||
	    vswap_nl_put_stat(skb, VSWAP_STATS_A_HUGE_PAGES, huge))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int vswap_nl_put_tier_ids(struct sk_buff *skb, struct vswap_dev *dev,
				 unsigned int id, const char *name)
{
	if (nla_put_u32(skb, VSWAP_A_DEV_ID, dev->id) ||
	    nla_put_u32(skb, VSWAP_A_TIER_ID, id) ||
	    nla_put_string(skb, VSWAP_A_TIER_NAME, name))
		return -EMSGSIZE;
	return 0;
}

/* Settings of the RAM and backing tiers. */
static int vswap_nl_put_tier_conf(struct sk_buff *skb, struct vswap_tier *tier)
{
	if (nla_put_u64_64bit(skb, VSWAP_A_TIER_LIMIT, tier->conf.limit,
			      VSWAP_A_PAD) ||
	    nla_put_u32(skb, VSWAP_A_TIER_HIGH_WMARK, tier->conf.high_wmark) ||
	    nla_put_u32(skb, VSWAP_A_TIER_LOW_WMARK, tier->conf.low_wmark) ||
	    nla_put_u32(skb, VSWAP_A_TIER_IDLE_AGE, tier->conf.idle_age))
		return -EMSGSIZE;
	return 0;
}

static int vswap_nl_put_tier_ram(struct sk_buff *skb, struct vswap_tier *tier)
{
	const struct vswap_backend *be;
	int level;

	be = vswap_tier_ram_backend(tier, &level);
	if (nla_put_u32(skb, VSWAP_A_TIER_ALGO, vswap_nl_algo(be)) ||
	    nla_put_u32(skb, VSWAP_A_TIER_LEVEL, level))
		return -EMSGSIZE;
	return vswap_nl_put_tier_conf(skb, tier);
}

static int vswap_nl_put_tier_block(struct sk_buff *skb,
				   struct vswap_tier *tier)
{
	if (nla_put_u32(skb, VSWAP_A_TIER_CLASS,
			vswap_tier_backed_class(tier)) ||
	    nla_put_string(skb, VSWAP_A_TIER_PATH,
			   vswap_tier_backed_path(tier)) ||
	    nla_put_u64_64bit(skb, VSWAP_A_TIER_CAPACITY,
			      vswap_tier_backed_capacity(tier), VSWAP_A_PAD))
		return -EMSGSIZE;
	return vswap_nl_put_tier_conf(skb, tier);
}

static u32 vswap_nl_tier_state(struct vswap_tier *tier)
{
	switch (atomic_read(&tier->state)) {
	case VSWAP_TIER_RUN_DRAINING:
		return VSWAP_TIER_STATE_DRAINING;
	case VSWAP_TIER_RUN_DEGRADED:
		return VSWAP_TIER_STATE_DEGRADED;
	}
	if (vswap_tier_full(tier) ||
	    (vswap_tier_is_backed(tier) && !vswap_tier_takes_slots(tier)))
		return VSWAP_TIER_STATE_FULL;
	return VSWAP_TIER_STATE_ACTIVE;
}

/* A tier message: the reply to tier-get, -add and -set, and tier-add-ntf. */
static int vswap_nl_fill_tier(struct sk_buff *skb, struct vswap_dev *dev,
			      struct vswap_tier *tier, u32 portid, u32 seq,
			      int flags, u8 cmd)
{
	enum vswap_tier_kind kind = vswap_nl_tier_kind(tier);
	void *hdr;

	lockdep_assert_held(&vswap_config_lock);
	hdr = genlmsg_put(skb, portid, seq, &vswap_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (vswap_nl_put_tier_ids(skb, dev, tier->id, tier->name) ||
	    nla_put_u32(skb, VSWAP_A_TIER_KIND, kind) ||
	    nla_put_u32(skb, VSWAP_A_TIER_STATE, vswap_nl_tier_state(tier)) ||
	    (kind == VSWAP_TIER_KIND_RAM && vswap_nl_put_tier_ram(skb, tier)) ||
	    (kind == VSWAP_TIER_KIND_BLOCK &&
	     vswap_nl_put_tier_block(skb, tier)) ||
	    nla_put_u32(skb, VSWAP_A_TIER_PRIORITY, tier->conf.priority) ||
	    vswap_nl_put_tier_stats(skb, tier)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Events */

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

/* What the lower layers report, multicast to the "events" group. */
static const struct vswap_event_ops vswap_nl_event_ops = {
	.dev_add	= vswap_nl_notify_dev_add,
	.dev_del	= vswap_nl_notify_dev_del,
	.tier_drained	= vswap_nl_notify_tier_drained,
	.migrate	= vswap_nl_notify_migrate,
	.wmark		= vswap_nl_notify_wmark,
	.io_error	= vswap_nl_notify_io_error,
};

/* ------------------------------------------------------------------ */
/* Request helpers: each refusal says why, in words. */

static struct vswap_dev *vswap_nl_dev(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[VSWAP_A_DEV_ID];
	struct vswap_dev *dev;

	lockdep_assert_held(&vswap_config_lock);
	if (GENL_REQ_ATTR_CHECK(info, VSWAP_A_DEV_ID)) {
		NL_SET_ERR_MSG(info->extack, "the device id (VSWAP_A_DEV_ID) is missing");
		return ERR_PTR(-EINVAL);
	}
	dev = vswap_dev_get(nla_get_u32(attr));
	if (!dev) {
		vswap_errmsgf(info->extack, attr, "no device vswap%u",
			      nla_get_u32(attr));
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

static struct vswap_tier *vswap_nl_tier_by_name(struct vswap_dev *dev,
						const char *name)
{
	unsigned int i;

	lockdep_assert_held(&vswap_config_lock);
	for (i = 0; i < dev->space.nr_tiers; i++) {
		struct vswap_tier *tier = dev->space.tiers[i];

		if (tier && !strcmp(tier->name, name))
			return tier;
	}
	return NULL;
}

/*
 * The tier a request is about: by id, else by name.  With @rename (tier
 * set) a name next to an id is the new name; otherwise both must agree.
 */
static struct vswap_tier *vswap_nl_tier(struct vswap_dev *dev,
					struct genl_info *info, bool rename)
{
	struct nlattr *id_attr = info->attrs[VSWAP_A_TIER_ID];
	struct nlattr *name_attr = info->attrs[VSWAP_A_TIER_NAME];
	struct vswap_tier *tier;

	if (!id_attr && !name_attr) {
		GENL_REQ_ATTR_CHECK(info, VSWAP_A_TIER_ID);
		NL_SET_ERR_MSG(info->extack,
			       "give the tier by id (VSWAP_A_TIER_ID) or by name (VSWAP_A_TIER_NAME)");
		return ERR_PTR(-EINVAL);
	}
	if (id_attr) {
		u32 id = nla_get_u32(id_attr);

		tier = dev->space.tiers[id];
		if (!tier) {
			vswap_errmsgf(info->extack, id_attr,
				      "vswap%d has no tier %u", dev->id, id);
			return ERR_PTR(-ENOENT);
		}
		if (name_attr && !rename &&
		    strcmp(tier->name, nla_data(name_attr))) {
			vswap_errmsgf(info->extack, name_attr,
				      "tier %u of vswap%d is named %s, not %s",
				      id, dev->id, tier->name,
				      (char *)nla_data(name_attr));
			return ERR_PTR(-EINVAL);
		}
		return tier;
	}
	tier = vswap_nl_tier_by_name(dev, nla_data(name_attr));
	if (!tier) {
		vswap_errmsgf(info->extack, name_attr,
			      "vswap%d has no tier named %s", dev->id,
			      (char *)nla_data(name_attr));
		return ERR_PTR(-ENOENT);
	}
	return tier;
}

/* A new tier name: letters, digits, '-', '_', '.'; unique in the device. */
static int vswap_nl_check_name(struct vswap_dev *dev, const char *name,
			       struct vswap_tier *self,
			       const struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	struct vswap_tier *other;
	const char *c;

	if (!*name) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "a tier name must not be empty");
		return -EINVAL;
	}
	for (c = name; *c; c++) {
		if (!isalnum(*c) && *c != '-' && *c != '_' && *c != '.')
			break;
	}
	if (*c || *name == '.') {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a tier name may hold only letters, digits, '-', '_' and '.', and must not start with '.'");
		return -EINVAL;
	}
	/* The zero tier's sysfs directory. */
	if (!strcmp(name, "same")) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the tier name \"same\" is reserved (sysfs name of the zero tier)");
		return -EINVAL;
	}
	other = vswap_nl_tier_by_name(dev, name);
	if (other && other != self) {
		vswap_errmsgf(extack, attr, "vswap%d already has a tier named %s",
			      dev->id, name);
		return -EEXIST;
	}
	return 0;
}

/*
 * The compressor a request asks for.  Without VSWAP_A_TIER_ALGO it is
 * @def_be; a level without an algorithm keeps @def_be, an algorithm
 * without a level gets the algorithm's default (0).
 */
static int vswap_nl_parse_algo(struct genl_info *info,
			       const struct vswap_backend *def_be,
			       int def_level,
			       const struct vswap_backend **be, int *level)
{
	struct nlattr *algo = info->attrs[VSWAP_A_TIER_ALGO];
	struct nlattr *lvl = info->attrs[VSWAP_A_TIER_LEVEL];

	*be = def_be;
	*level = def_level;
	if (algo) {
		*be = vswap_nl_backend(nla_get_u32(algo));
		*level = 0;
		if (WARN_ON_ONCE(!*be)) {
			NL_SET_ERR_MSG_ATTR(info->extack, algo,
					    "this algorithm is not built in");
			return -EOPNOTSUPP;
		}
	}
	if (lvl) {
		*level = nla_get_u32(lvl);
		if (vswap_backend_check_level(*be, *level) < 0) {
			vswap_errmsgf(info->extack, lvl,
				      "level %d is out of range for %s (%d..%d, 0 = default)",
				      *level, (*be)->name, (*be)->min_level,
				      (*be)->max_level);
			return -EINVAL;
		}
	}
	/* The effective level, as the tier will report it. */
	*level = vswap_backend_check_level(*be, *level);
	return 0;
}

/* Watermarks, limit, idle age, priority: over @conf, then checked. */
static int vswap_nl_parse_conf(struct genl_info *info,
			       struct vswap_tier_conf *conf)
{
	struct nlattr **attrs = info->attrs;

	if (attrs[VSWAP_A_TIER_LIMIT])
		conf->limit = nla_get_u64(attrs[VSWAP_A_TIER_LIMIT]);
	if (attrs[VSWAP_A_TIER_HIGH_WMARK])
		conf->high_wmark = nla_get_u32(attrs[VSWAP_A_TIER_HIGH_WMARK]);
	if (attrs[VSWAP_A_TIER_LOW_WMARK])
		conf->low_wmark = nla_get_u32(attrs[VSWAP_A_TIER_LOW_WMARK]);
	if (attrs[VSWAP_A_TIER_IDLE_AGE])
		conf->idle_age = nla_get_u32(attrs[VSWAP_A_TIER_IDLE_AGE]);
	if (attrs[VSWAP_A_TIER_PRIORITY])
		conf->priority = nla_get_u32(attrs[VSWAP_A_TIER_PRIORITY]);
	if (conf->low_wmark >= conf->high_wmark) {
		vswap_errmsgf(info->extack,
			      attrs[VSWAP_A_TIER_LOW_WMARK] ? :
			      attrs[VSWAP_A_TIER_HIGH_WMARK],
			      "the low watermark (%u%%) must be below the high watermark (%u%%)",
			      conf->low_wmark, conf->high_wmark);
		return -EINVAL;
	}
	return 0;
}

/* Allocated before anything changes, so a change is never left unsaid. */
static struct sk_buff *vswap_nl_reply_new(struct genl_info *info)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!msg)
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
	return msg;
}

/* The reply did not fit: cannot happen, NLMSG_GOODSIZE holds any. */
static int vswap_nl_reply_too_big(struct genl_info *info)
{
	WARN_ON_ONCE(1);
	NL_SET_ERR_MSG(info->extack, "the reply does not fit in a message (a vswap bug)");
	return -EMSGSIZE;
}

/* ------------------------------------------------------------------ */
/* Devices */

static int vswap_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vswap_dev *dev;
	struct sk_buff *msg;
	int ret;

	msg = vswap_nl_reply_new(info);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&vswap_config_lock);
	dev = vswap_nl_dev(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_free;
	}
	ret = vswap_nl_fill_dev(msg, dev, info->snd_portid, info->snd_seq, 0,
				VSWAP_CMD_DEV_GET);
	if (ret) {
		ret = vswap_nl_reply_too_big(info);
		goto out_free;
	}
	mutex_unlock(&vswap_config_lock);
	return genlmsg_reply(msg, info);

out_free:
	mutex_unlock(&vswap_config_lock);
	nlmsg_free(msg);
	return ret;
}

/* cb->args[0]: the next device id. */
static int vswap_nl_dev_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	unsigned int id;

	mutex_lock(&vswap_config_lock);
	for (id = cb->args[0]; id < VSWAP_MAX_DEVICES; id++) {
		struct vswap_dev *dev = vswap_devices[id];

		if (!dev)
			continue;
		if (vswap_nl_fill_dev(skb, dev, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      VSWAP_CMD_DEV_GET))
			break;
	}
	mutex_unlock(&vswap_config_lock);
	cb->args[0] = id;
	return skb->len;
}

/* "vswapN", N a decimal 0..31 without leading zeros: N, else -EINVAL. */
static int vswap_nl_parse_dev_name(const char *name)
{
	const char *c;
	unsigned int id;

	if (strncmp(name, "vswap", 5) || !name[5] ||
	    (name[5] == '0' && name[6]))
		return -EINVAL;
	for (c = name + 5; *c; c++)
		if (!isdigit(*c))
			return -EINVAL;
	if (kstrtouint(name + 5, 10, &id) || id >= VSWAP_MAX_DEVICES)
		return -EINVAL;
	return id;
}

static int vswap_nl_dev_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[VSWAP_A_DEV_NAME];
	const struct vswap_backend *be;
	struct vswap_dev *dev;
	struct sk_buff *msg;
	const char *algo;
	int id = -1;
	int level;
	u64 size;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VSWAP_A_DEV_SIZE)) {
		NL_SET_ERR_MSG(info->extack, "the device size (VSWAP_A_DEV_SIZE) is missing");
		return -EINVAL;
	}
	/* The policy checked the range; a 4 KiB multiple of 1M is >= 1M. */
	size = round_down(nla_get_u64(info->attrs[VSWAP_A_DEV_SIZE]),
			  PAGE_SIZE);
	if (name) {
		id = vswap_nl_parse_dev_name(nla_data(name));
		if (id < 0) {
			NL_SET_ERR_MSG_ATTR(info->extack, name,
					    "a device name must be vswapN, N from 0 to 31");
			return -EINVAL;
		}
	}
	algo = vswap_default_algo(&level);
	ret = vswap_nl_parse_algo(info, vswap_backend_find(algo), level, &be,
				  &level);
	if (ret)
		return ret;

	msg = vswap_nl_reply_new(info);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&vswap_config_lock);
	dev = vswap_dev_add(id, size, be->name, level);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		if (ret == -EEXIST)
			vswap_errmsgf(info->extack, name, "vswap%d already exists",
				      id);
		else if (ret == -ENOSPC)
			vswap_errmsgf(info->extack, NULL,
				      "all %d devices are in use",
				      VSWAP_MAX_DEVICES);
		else if (ret == -ESHUTDOWN)
			NL_SET_ERR_MSG(info->extack, "vswap is being unloaded");
		else
			vswap_errmsgf(info->extack, NULL,
				      "creating the device failed (error %d)",
				      ret);
		goto out_free;
	}
	ret = vswap_nl_fill_dev(msg, dev, info->snd_portid, info->snd_seq, 0,
				VSWAP_CMD_DEV_ADD);
	mutex_unlock(&vswap_config_lock);
	/* Cannot fail: NLMSG_GOODSIZE holds a device. */
	if (WARN_ON_ONCE(ret)) {
		nlmsg_free(msg);
		return 0;
	}
	return genlmsg_reply(msg, info);

out_free:
	mutex_unlock(&vswap_config_lock);
	nlmsg_free(msg);
	return ret;
}

static int vswap_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vswap_dev *dev;
	int ret = 0;

	mutex_lock(&vswap_config_lock);
	dev = vswap_nl_dev(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_unlock;
	}
	ret = vswap_dev_claim(dev);
	if (ret) {
		vswap_errmsgf(info->extack, info->attrs[VSWAP_A_DEV_ID],
			      "vswap%d is in use (swapped on or open); swapoff first",
			      dev->id);
		goto out_unlock;
	}
	vswap_dev_remove(dev);
out_unlock:
	mutex_unlock(&vswap_config_lock);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Tiers */

static int vswap_nl_tier_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vswap_tier *tier;
	struct vswap_dev *dev;
	struct sk_buff *msg;
	int ret;

	msg = vswap_nl_reply_new(info);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&vswap_config_lock);
	dev = vswap_nl_dev(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_free;
	}
	tier = vswap_nl_tier(dev, info, false);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		goto out_free;
	}
	ret = vswap_nl_fill_tier(msg, dev, tier, info->snd_portid,
				 info->snd_seq, 0, VSWAP_CMD_TIER_GET);
	if (ret) {
		ret = vswap_nl_reply_too_big(info);
		goto out_free;
	}
	mutex_unlock(&vswap_config_lock);
	return genlmsg_reply(msg, info);

out_free:
	mutex_unlock(&vswap_config_lock);
	nlmsg_free(msg);
	return ret;
}

/*
 * Tier dump: every device's tiers, or one device's (VSWAP_A_DEV_ID).
 * cb->args[0]: the next device id, [1]: the next tier id, [2]: one past
 * the last device id, [3]: set after the first call.
 */
static int vswap_nl_tier_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = vswap_dump_attrs(cb);

	cb->args[0] = 0;
	cb->args[2] = VSWAP_MAX_DEVICES;
	if (attrs && attrs[VSWAP_A_DEV_ID]) {
		cb->args[0] = nla_get_u32(attrs[VSWAP_A_DEV_ID]);
		cb->args[2] = cb->args[0] + 1;
	}
	return 0;
}

static int vswap_nl_tier_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	unsigned int id = cb->args[0], t = cb->args[1];
	int ret;

	mutex_lock(&vswap_config_lock);
	/*
	 * An unknown device is refused here, not in ->start: 6.1 gives
	 * ->start no extack.  Later calls just end if it went away.
	 */
	if (!cb->args[3] && cb->args[2] == id + 1 && !vswap_devices[id]) {
		vswap_errmsgf(cb->extack, NULL, "no device vswap%u", id);
		ret = -ENODEV;
		goto out_unlock;
	}
	cb->args[3] = 1;
	for (; id < cb->args[2]; id++, t = 0) {
		struct vswap_dev *dev = vswap_devices[id];

		if (!dev)
			continue;
		for (; t < dev->space.nr_tiers; t++) {
			struct vswap_tier *tier = dev->space.tiers[t];

			if (!tier)
				continue;
			if (vswap_nl_fill_tier(skb, dev, tier,
					       NETLINK_CB(cb->skb).portid,
					       cb->nlh->nlmsg_seq, NLM_F_MULTI,
					       VSWAP_CMD_TIER_GET))
				goto out;
		}
	}
out:
	cb->args[0] = id;
	cb->args[1] = t;
	ret = skb->len;
out_unlock:
	mutex_unlock(&vswap_config_lock);
	return ret;
}

/*
 * Name, configure, show in sysfs and publish a new tier, then answer and
 * tell listeners.  On failure the tier is destroyed.
 */
static int vswap_nl_publish_tier(struct vswap_dev *dev, struct vswap_tier *tier,
				 const char *name,
				 const struct vswap_tier_conf *conf,
				 struct genl_info *info, struct sk_buff *msg)
{
	struct vswap_tier_kobj *tk;
	unsigned int noio;

	vswap_tier_set_name(tier, name);
	vswap_tier_set_conf(tier, conf);
	tk = vswap_sysfs_tier_create(dev, tier, NULL);
	if (IS_ERR(tk)) {
		tier->ops->destroy(tier);
		vswap_errmsgf(info->extack, NULL,
			      "creating the tier's sysfs directory failed (error %ld)",
			      PTR_ERR(tk));
		return PTR_ERR(tk);
	}
	noio = vswap_dev_freeze(dev);
	vswap_space_publish_tier(&dev->space, tier);
	vswap_dev_unfreeze(dev, noio);
	vswap_dev_update_spill(dev);
	vswap_sysfs_tier_replace(dev, tk);
	/* Aging starts, and RAM above its watermark can demote now. */
	vswap_engine_kick(dev);

	WARN_ON_ONCE(vswap_nl_fill_tier(msg, dev, tier, info->snd_portid,
					info->snd_seq, 0, VSWAP_CMD_TIER_ADD));
	vswap_nl_notify_tier_add(dev, tier);
	return 0;
}

/* Create, show and publish the RAM tier of @dev. */
static int vswap_nl_add_ram_tier(struct vswap_dev *dev, struct genl_info *info,
				 struct sk_buff *msg)
{
	struct nlattr *name_attr = info->attrs[VSWAP_A_TIER_NAME];
	const char *name = name_attr ? nla_data(name_attr) : "ram";
	struct vswap_tier_conf conf = {
		.high_wmark = VSWAP_HIGH_WMARK_DEFAULT,
		.low_wmark = VSWAP_LOW_WMARK_DEFAULT,
		.priority = VSWAP_TIER_RAM,
	};
	const struct vswap_backend *be;
	struct vswap_tier *tier;
	const char *algo;
	int level;
	int ret;

	if (info->attrs[VSWAP_A_TIER_PATH] || info->attrs[VSWAP_A_TIER_CLASS]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VSWAP_A_TIER_PATH] ? :
				    info->attrs[VSWAP_A_TIER_CLASS],
				    "a RAM tier has no path and no class (those are for block tiers)");
		return -EINVAL;
	}
	if (dev->space.tiers[VSWAP_TIER_RAM]) {
		vswap_errmsgf(info->extack, info->attrs[VSWAP_A_TIER_KIND],
			      "vswap%d already has a RAM tier", dev->id);
		return -EEXIST;
	}
	ret = vswap_nl_check_name(dev, name, NULL, name_attr, info->extack);
	if (ret)
		return ret;
	algo = vswap_default_algo(&level);
	ret = vswap_nl_parse_algo(info, vswap_backend_find(algo), level, &be,
				  &level);
	if (ret)
		return ret;
	ret = vswap_nl_parse_conf(info, &conf);
	if (ret)
		return ret;

	tier = vswap_tier_ram_create(&dev->space, be->name, level);
	if (IS_ERR(tier)) {
		vswap_errmsgf(info->extack, NULL,
			      "creating the RAM tier failed (error %ld)",
			      PTR_ERR(tier));
		return PTR_ERR(tier);
	}
	return vswap_nl_publish_tier(dev, tier, name, &conf, info, msg);
}

/* Open, show and publish a backing tier of @dev. */
static int vswap_nl_add_block_tier(struct vswap_dev *dev,
				   struct genl_info *info, struct sk_buff *msg)
{
	struct nlattr *path_attr = info->attrs[VSWAP_A_TIER_PATH];
	struct nlattr *name_attr = info->attrs[VSWAP_A_TIER_NAME];
	struct nlattr *class_attr = info->attrs[VSWAP_A_TIER_CLASS];
	struct vswap_tier_conf conf = {
		.high_wmark = VSWAP_HIGH_WMARK_DEFAULT,
		.low_wmark = VSWAP_LOW_WMARK_DEFAULT,
	};
	u32 class = VSWAP_TIER_CLASS_FAST;
	struct vswap_tier *tier;
	const char *path, *name;
	unsigned int id;
	int ret, stage;
	dev_t devt;

	if (GENL_REQ_ATTR_CHECK(info, VSWAP_A_TIER_PATH)) {
		NL_SET_ERR_MSG(info->extack,
			       "a block tier needs the path of its block device (VSWAP_A_TIER_PATH)");
		return -EINVAL;
	}
	if (info->attrs[VSWAP_A_TIER_ALGO] || info->attrs[VSWAP_A_TIER_LEVEL]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VSWAP_A_TIER_ALGO] ? :
				    info->attrs[VSWAP_A_TIER_LEVEL],
				    "a block tier has no algorithm and no level (those are for RAM tiers)");
		return -EINVAL;
	}
	path = nla_data(path_attr);
	if (class_attr)
		class = nla_get_u32(class_attr);
	if (name_attr) {
		name = nla_data(name_attr);
	} else {
		name = kbasename(path);
		if (strlen(name) >= VSWAP_NAME_MAX) {
			vswap_errmsgf(info->extack, path_attr,
				      "%s is too long for a tier name (at most %d characters); give a name",
				      name, VSWAP_NAME_MAX - 1);
			return -EINVAL;
		}
	}
	ret = vswap_nl_check_name(dev, name, NULL, name_attr ? : path_attr,
				  info->extack);
	if (ret)
		return ret;
	/* By default fast tiers come before slow ones (ties: by id). */
	conf.priority = class == VSWAP_TIER_CLASS_SLOW ? 200 : 100;
	ret = vswap_nl_parse_conf(info, &conf);
	if (ret)
		return ret;
	ret = lookup_bdev(path, &devt);
	if (ret) {
		vswap_errmsgf(info->extack, path_attr,
			      "%s: not a block device", path);
		return -ENODEV;
	}
	for (id = VSWAP_TIER_BACKED_FIRST; id < VSWAP_MAX_TIERS; id++)
		if (!dev->space.tiers[id])
			break;
	if (id == VSWAP_MAX_TIERS) {
		vswap_errmsgf(info->extack, NULL,
			      "vswap%d has the most tiers it can have (%d)",
			      dev->id, VSWAP_MAX_TIERS);
		return -ENOSPC;
	}

	tier = vswap_tier_backed_create(dev, id, path, class, &stage);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		if (stage == 0 && ret == -EBUSY)
			vswap_errmsgf(info->extack, path_attr,
				      "%s is in use (mounted, swapped on, or a tier already)",
				      path);
		else if (stage == 0)
			vswap_errmsgf(info->extack, path_attr,
				      "cannot open %s (error %d)", path, ret);
		else if (ret == -EROFS)
			vswap_errmsgf(info->extack, path_attr,
				      "%s is read-only", path);
		else if (ret == -ENOSPC)
			vswap_errmsgf(info->extack, path_attr,
				      "%s is too small for a tier (at least 1 MiB)",
				      path);
		else if (stage == 1)
			vswap_errmsgf(info->extack, path_attr,
				      "%s cannot be a tier (a vswap device, or blocks over 4 KiB)",
				      path);
		else
			vswap_errmsgf(info->extack, NULL,
				      "setting up the tier failed (error %d)", ret);
		return ret;
	}
	return vswap_nl_publish_tier(dev, tier, name, &conf, info, msg);
}

static int vswap_nl_tier_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *kind_attr = info->attrs[VSWAP_A_TIER_KIND];
	struct vswap_dev *dev;
	struct sk_buff *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VSWAP_A_TIER_KIND)) {
		NL_SET_ERR_MSG(info->extack, "the tier kind (VSWAP_A_TIER_KIND) is missing");
		return -EINVAL;
	}
	msg = vswap_nl_reply_new(info);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&vswap_config_lock);
	dev = vswap_nl_dev(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_free;
	}
	switch (nla_get_u32(kind_attr)) {
	case VSWAP_TIER_KIND_ZERO:
		NL_SET_ERR_MSG_ATTR(info->extack, kind_attr,
				    "the zero tier is built in");
		ret = -EEXIST;
		break;
	case VSWAP_TIER_KIND_RAM:
		ret = vswap_nl_add_ram_tier(dev, info, msg);
		break;
	default:
		ret = vswap_nl_add_block_tier(dev, info, msg);
		break;
	}
	if (ret)
		goto out_free;
	mutex_unlock(&vswap_config_lock);
	return genlmsg_reply(msg, info);

out_free:
	mutex_unlock(&vswap_config_lock);
	nlmsg_free(msg);
	return ret;
}

/* Settings of the zero tier: only the priority. */
static int vswap_nl_check_zero_set(struct genl_info *info)
{
	static const int fixed[] = {
		VSWAP_A_TIER_ALGO, VSWAP_A_TIER_LEVEL, VSWAP_A_TIER_LIMIT,
		VSWAP_A_TIER_HIGH_WMARK, VSWAP_A_TIER_LOW_WMARK,
		VSWAP_A_TIER_IDLE_AGE,
	};
	struct nlattr *bad = NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fixed) && !bad; i++)
		bad = info->attrs[fixed[i]];
	/* A name next to the id would rename it. */
	if (!bad && info->attrs[VSWAP_A_TIER_ID])
		bad = info->attrs[VSWAP_A_TIER_NAME];
	if (bad) {
		NL_SET_ERR_MSG_ATTR(info->extack, bad,
				    "the zero tier has no settings but its priority");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int vswap_nl_tier_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name_attr = info->attrs[VSWAP_A_TIER_NAME];
	struct vswap_comp comp = { };
	struct vswap_tier_kobj *tk = NULL;
	const struct vswap_backend *be, *cur_be;
	const char *name = NULL;
	struct vswap_tier_conf conf;
	struct vswap_tier *tier;
	struct vswap_dev *dev;
	struct sk_buff *msg;
	int level, cur_level;
	unsigned int noio;
	int ret;

	msg = vswap_nl_reply_new(info);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&vswap_config_lock);
	dev = vswap_nl_dev(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_free;
	}
	tier = vswap_nl_tier(dev, info, true);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		goto out_free;
	}

	/* Validate everything ... */
	if (tier->id == VSWAP_TIER_SAME) {
		ret = vswap_nl_check_zero_set(info);
		if (ret)
			goto out_free;
	}
	conf = tier->conf;
	ret = vswap_nl_parse_conf(info, &conf);
	if (ret)
		goto out_free;
	if (info->attrs[VSWAP_A_TIER_ID] && name_attr &&
	    strcmp(tier->name, nla_data(name_attr))) {
		name = nla_data(name_attr);
		ret = vswap_nl_check_name(dev, name, tier, name_attr,
					  info->extack);
		if (ret)
			goto out_free;
	}
	be = NULL;
	if (info->attrs[VSWAP_A_TIER_ALGO] || info->attrs[VSWAP_A_TIER_LEVEL]) {
		if (tier->id != VSWAP_TIER_RAM) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[VSWAP_A_TIER_ALGO] ? :
					    info->attrs[VSWAP_A_TIER_LEVEL],
					    "only a RAM tier has an algorithm and a level");
			ret = -EINVAL;
			goto out_free;
		}
		cur_be = vswap_tier_ram_backend(tier, &cur_level);
		ret = vswap_nl_parse_algo(info, cur_be, cur_level, &be, &level);
		if (ret)
			goto out_free;
		if (be == cur_be && level == cur_level)
			be = NULL;	/* nothing to change */
	}
	if (be && atomic64_read(&tier->stats.pages)) {
		ret = -EBUSY;
		goto out_busy;
	}

	/* ... then prepare what can fail ... */
	if (be) {
		ret = vswap_comp_init(&comp, be->name, level);
		if (ret) {
			vswap_errmsgf(info->extack, NULL,
				      "setting up %s failed (error %d)",
				      be->name, ret);
			goto out_free;
		}
	}
	if (name) {
		tk = vswap_sysfs_tier_create(dev, tier, name);
		if (IS_ERR(tk)) {
			ret = PTR_ERR(tk);
			vswap_errmsgf(info->extack, name_attr,
				      "renaming the tier's sysfs directory failed (error %d)",
				      ret);
			goto out_comp;
		}
	}
	if (be) {
		/* The engine stores into RAM too (promotion, drain). */
		vswap_engine_pause(dev);
		noio = vswap_dev_freeze(dev);
		/* Pages may have come since the check. */
		if (atomic64_read(&tier->stats.pages)) {
			vswap_dev_unfreeze(dev, noio);
			vswap_engine_resume(dev);
			vswap_sysfs_tier_put(tk);
			vswap_comp_destroy(&comp);
			ret = -EBUSY;
			goto out_busy;
		}
		vswap_tier_ram_swap_comp(tier, &comp);
		vswap_dev_unfreeze(dev, noio);
		vswap_engine_resume(dev);
		/* The old one now. */
		vswap_comp_destroy(&comp);
	}

	/* ... and apply, which cannot fail. */
	vswap_tier_set_conf(tier, &conf);
	if (name) {
		vswap_dev_set_tier_name(dev, tier, name);
		vswap_sysfs_tier_replace(dev, tk);
	}
	ret = vswap_nl_fill_tier(msg, dev, tier, info->snd_portid,
				 info->snd_seq, 0, VSWAP_CMD_TIER_SET);
	mutex_unlock(&vswap_config_lock);
	if (WARN_ON_ONCE(ret)) {
		nlmsg_free(msg);
		return 0;
	}
	return genlmsg_reply(msg, info);

out_busy:
	vswap_errmsgf(info->extack, info->attrs[VSWAP_A_TIER_ALGO] ? :
		      info->attrs[VSWAP_A_TIER_LEVEL],
		      "tier %s holds %lld pages; the algorithm can only change while it is empty",
		      tier->name, atomic64_read(&tier->stats.pages));
	goto out_free;
out_comp:
	vswap_comp_destroy(&comp);
out_free:
	mutex_unlock(&vswap_config_lock);
	nlmsg_free(msg);
	return ret;
}

static int vswap_nl_tier_busy(struct vswap_tier *tier, struct genl_info *info)
{
	u64 pages = atomic64_read(&tier->stats.pages);

	if (!pages)
		return 0;
	vswap_errmsgf(info->extack, NULL,
		      "tier %s holds %llu pages; drain it (--drain) or swapoff first",
		      tier->name, pages);
	return -EBUSY;
}

static int vswap_nl_tier_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vswap_tier *tier;
	struct vswap_dev *dev;
	unsigned int noio;
	int ret;

	mutex_lock(&vswap_config_lock);
	dev = vswap_nl_dev(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_unlock;
	}
	tier = vswap_nl_tier(dev, info, false);
	if (IS_ERR(tier)) {
		ret = PTR_ERR(tier);
		goto out_unlock;
	}
	if (tier->id == VSWAP_TIER_SAME) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VSWAP_A_TIER_ID] ? :
				    info->attrs[VSWAP_A_TIER_NAME],
				    "the zero tier is built in; it cannot be removed");
		ret = -EOPNOTSUPP;
		goto out_unlock;
	}
	if (vswap_engine_uses(dev, tier->id)) {
		vswap_errmsgf(info->extack, NULL,
			      "tier %s is being %s; wait for it to end",
			      tier->name,
			      atomic_read(&tier->state) == VSWAP_TIER_RUN_DRAINING ?
			      "drained" : "migrated");
		ret = -EBUSY;
		goto out_unlock;
	}
	/* Slots on it: a drain moves them, and removes it when done. */
	if (atomic64_read(&tier->stats.pages) && info->attrs[VSWAP_A_TIER_DRAIN]) {
		ret = vswap_engine_drain(dev, tier, info->extack);
		goto out_unlock;
	}
	ret = vswap_nl_tier_busy(tier, info);
	if (ret)
		goto out_unlock;

	vswap_engine_pause(dev);
	noio = vswap_dev_freeze(dev);
	ret = vswap_nl_tier_busy(tier, info);
	if (!ret)
		vswap_space_unpublish_tier(&dev->space, tier->id);
	vswap_dev_unfreeze(dev, noio);
	if (ret) {
		vswap_engine_resume(dev);
		goto out_unlock;
	}
	vswap_dev_update_spill(dev);
	vswap_engine_resume(dev);

	vswap_sysfs_tier_del(dev, tier->id);
	vswap_nl_notify_tier_del(dev, tier);
	/* Slot free notifications and sysfs readers use tiers under RCU. */
	synchronize_rcu();
	vswap_events_tier_gone(dev, tier->id);
	tier->ops->destroy(tier);
out_unlock:
	mutex_unlock(&vswap_config_lock);
	return ret;
}

static int vswap_nl_migrate_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct vswap_tier *from, *to;
	struct vswap_dev *dev;
	struct sk_buff *msg;
	u64 total = 0;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, VSWAP_A_MIGRATE_FROM)) {
		NL_SET_ERR_MSG(info->extack, "the source tier (VSWAP_A_MIGRATE_FROM) is missing");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, VSWAP_A_MIGRATE_TO)) {
		NL_SET_ERR_MSG(info->extack, "the target tier (VSWAP_A_MIGRATE_TO) is missing");
		return -EINVAL;
	}
	msg = vswap_nl_reply_new(info);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&vswap_config_lock);
	dev = vswap_nl_dev(info);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto out_free;
	}
	from = dev->space.tiers[nla_get_u32(attrs[VSWAP_A_MIGRATE_FROM])];
	to = dev->space.tiers[nla_get_u32(attrs[VSWAP_A_MIGRATE_TO])];
	ret = -ENOENT;
	if (!from) {
		vswap_errmsgf(info->extack, attrs[VSWAP_A_MIGRATE_FROM],
			      "vswap%d has no tier %u", dev->id,
			      nla_get_u32(attrs[VSWAP_A_MIGRATE_FROM]));
		goto out_free;
	}
	if (!to) {
		vswap_errmsgf(info->extack, attrs[VSWAP_A_MIGRATE_TO],
			      "vswap%d has no tier %u", dev->id,
			      nla_get_u32(attrs[VSWAP_A_MIGRATE_TO]));
		goto out_free;
	}
	ret = -EINVAL;
	if (from == to) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[VSWAP_A_MIGRATE_TO],
				    "the source and the target are the same tier");
		goto out_free;
	}
	if (from->id == VSWAP_TIER_SAME || to->id == VSWAP_TIER_SAME) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    from->id == VSWAP_TIER_SAME ?
				    attrs[VSWAP_A_MIGRATE_FROM] :
				    attrs[VSWAP_A_MIGRATE_TO],
				    "the zero tier holds only same-filled pages; it cannot take part in a migration");
		goto out_free;
	}
	ret = vswap_migrate_start(dev, from, to,
				  attrs[VSWAP_A_MIGRATE_IDLE] ?
				  nla_get_u32(attrs[VSWAP_A_MIGRATE_IDLE]) : 0,
				  attrs[VSWAP_A_MIGRATE_MAX_BYTES] ?
				  nla_get_u64(attrs[VSWAP_A_MIGRATE_MAX_BYTES]) : 0,
				  &total, info->extack);
	if (ret)
		goto out_free;
	/* Started: a reply that does not fit cannot undo it. */
	hdr = genlmsg_put_reply(msg, info, &vswap_nl_family, 0,
				VSWAP_CMD_MIGRATE);
	if (WARN_ON_ONCE(!hdr) ||
	    WARN_ON_ONCE(nla_put_u32(msg, VSWAP_A_DEV_ID, dev->id) ||
			 nla_put_u32(msg, VSWAP_A_MIGRATE_STATE,
				     VSWAP_MIGRATE_STATE_RUNNING) ||
			 nla_put_u64_64bit(msg, VSWAP_A_MIGRATE_TOTAL_BYTES,
					   total, VSWAP_A_PAD))) {
		ret = 0;
		goto out_free;
	}
	genlmsg_end(msg, hdr);
	mutex_unlock(&vswap_config_lock);
	return genlmsg_reply(msg, info);

out_free:
	mutex_unlock(&vswap_config_lock);
	nlmsg_free(msg);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The family */

/*
 * GENL_ADMIN_PERM makes the core check CAP_NET_ADMIN; vswap configures
 * block devices and memory, so it wants CAP_SYS_ADMIN as well.
 */
static int vswap_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			     struct genl_info *info)
{
	if ((ops->flags & GENL_ADMIN_PERM) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack, "changing vswap devices needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	return 0;
}

static const struct genl_ops vswap_nl_ops[] = {
	{
		.cmd		= VSWAP_CMD_DEV_GET,
		.doit		= vswap_nl_dev_get_doit,
		.dumpit		= vswap_nl_dev_get_dumpit,
		.policy		= vswap_dev_get_policy,
		.maxattr	= VSWAP_A_MAX,
	},
	{
		.cmd		= VSWAP_CMD_DEV_ADD,
		.doit		= vswap_nl_dev_add_doit,
		.policy		= vswap_dev_add_policy,
		.maxattr	= VSWAP_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= VSWAP_CMD_DEV_DEL,
		.doit		= vswap_nl_dev_del_doit,
		.policy		= vswap_dev_del_policy,
		.maxattr	= VSWAP_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= VSWAP_CMD_TIER_GET,
		.doit		= vswap_nl_tier_get_doit,
		.start		= vswap_nl_tier_dump_start,
		.dumpit		= vswap_nl_tier_get_dumpit,
		.policy		= vswap_tier_get_policy,
		.maxattr	= VSWAP_A_MAX,
	},
	{
		.cmd		= VSWAP_CMD_TIER_ADD,
		.doit		= vswap_nl_tier_add_doit,
		.policy		= vswap_tier_add_policy,
		.maxattr	= VSWAP_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= VSWAP_CMD_TIER_SET,
		.doit		= vswap_nl_tier_set_doit,
		.policy		= vswap_tier_set_policy,
		.maxattr	= VSWAP_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= VSWAP_CMD_TIER_DEL,
		.doit		= vswap_nl_tier_del_doit,
		.policy		= vswap_tier_del_policy,
		.maxattr	= VSWAP_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= VSWAP_CMD_MIGRATE,
		.doit		= vswap_nl_migrate_doit,
		.policy		= vswap_migrate_policy,
		.maxattr	= VSWAP_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
};

static struct genl_family vswap_nl_family __ro_after_init = {
	.name		= VSWAP_GENL_NAME,
	.version	= VSWAP_GENL_VERSION,
	.netnsok	= false,
	.parallel_ops	= true,
	.pre_doit	= vswap_nl_pre_doit,
	.module		= THIS_MODULE,
	.ops		= vswap_nl_ops,
	.n_ops		= ARRAY_SIZE(vswap_nl_ops),
	.mcgrps		= vswap_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vswap_nl_mcgrps),
};

int vswap_netlink_init(void)
{
	int ret;

	BUILD_BUG_ON(VSWAP_MIN_SIZE != VSWAP_DEV_SIZE_MIN);
	BUILD_BUG_ON(VSWAP_MAX_SIZE != VSWAP_DEV_SIZE_MAX);
	BUILD_BUG_ON(VSWAP_TIER_NAME_LEN != VSWAP_NAME_MAX);
	BUILD_BUG_ON(VSWAP_MAX_DEVICES > 100);	/* "vswapNN" */
	/* No device yet: nothing is emitted before the family is there. */
	ret = vswap_events_subscribe(&vswap_nl_event_ops);
	if (ret)
		return ret;
	ret = genl_register_family(&vswap_nl_family);
	if (ret)
		vswap_events_unsubscribe(&vswap_nl_event_ops);
	return ret;
}

/* After the last device: nothing sends events anymore. */
void vswap_netlink_exit(void)
{
	genl_unregister_family(&vswap_nl_family);
	vswap_events_unsubscribe(&vswap_nl_event_ops);
	vswap_extack_exit();
}
