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
 *
 * This file holds the family: its policies, its ops table and its
 * registration, with the request helpers every object shares.  The
 * handlers are split by object (internal interfaces in vswap_netlink.h):
 *  - vswap_nl_dev.c: devices (dev-get, -add, -del);
 *  - vswap_nl_tier.c: tier messages and lookup, tier-get and tier-del;
 *  - vswap_nl_tier_conf.c: tier-add and tier-set;
 *  - vswap_nl_migrate.c: migrate;
 *  - vswap_nl_events.c: the notifications, the subscriber of the core's
 *    events (vswap_events.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include "vswap_netlink.h"

/* Largest level of any algorithm (lz4's acceleration); then per algorithm. */
#define VSWAP_NL_LEVEL_MAX	64

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

enum vswap_algo vswap_nl_algo(const struct vswap_backend *be)
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
#define VSWAP_POL_STATE		NLA_POLICY_RANGE(NLA_U32, VSWAP_TIER_STATE_ACTIVE, \
						 VSWAP_TIER_STATE_MAX)

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
	/* Only "active" is accepted; the handler says why for the others. */
	[VSWAP_A_TIER_STATE]		= VSWAP_POL_STATE,
};

static const struct nla_policy vswap_tier_del_policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= VSWAP_POL_DEV_ID,
	[VSWAP_A_TIER_ID]		= VSWAP_POL_TIER_ID,
	[VSWAP_A_TIER_NAME]		= VSWAP_POL_TIER_NAME,
	[VSWAP_A_TIER_DRAIN]		= { .type = NLA_FLAG },
	[VSWAP_A_TIER_CANCEL]		= { .type = NLA_FLAG },
};

static const struct nla_policy vswap_migrate_policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= VSWAP_POL_DEV_ID,
	[VSWAP_A_MIGRATE_FROM]		= VSWAP_POL_TIER_ID,
	[VSWAP_A_MIGRATE_TO]		= VSWAP_POL_TIER_ID,
	[VSWAP_A_MIGRATE_IDLE]		= { .type = NLA_U32 },
	[VSWAP_A_MIGRATE_MAX_BYTES]	= { .type = NLA_U64 },
};

/* ------------------------------------------------------------------ */
/* Shared request helpers: each refusal says why, in words. */

struct vswap_dev *vswap_nl_dev(struct genl_info *info)
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

/*
 * The compressor a request asks for.  Without VSWAP_A_TIER_ALGO it is
 * @def_be; a level without an algorithm keeps @def_be, an algorithm
 * without a level gets the algorithm's default (0).
 */
int vswap_nl_parse_algo(struct genl_info *info,
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

/* Allocated before anything changes, so a change is never left unsaid. */
struct sk_buff *vswap_nl_reply_new(struct genl_info *info)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!msg)
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
	return msg;
}

/*
 * The start of a request about one device that answers: a reply, then
 * vswap_config_lock and the device @info names.  On error nothing is held.
 */
struct vswap_dev *vswap_nl_begin(struct genl_info *info, struct sk_buff **msg)
{
	struct vswap_dev *dev;

	*msg = vswap_nl_reply_new(info);
	if (!*msg)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&vswap_config_lock);
	dev = vswap_nl_dev(info);
	if (IS_ERR(dev)) {
		mutex_unlock(&vswap_config_lock);
		nlmsg_free(*msg);
	}
	return dev;
}

/* Its end: drops the lock, then sends @msg if @ret is 0, else frees it. */
int vswap_nl_end(struct genl_info *info, struct sk_buff *msg, int ret)
{
	mutex_unlock(&vswap_config_lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* The reply did not fit: cannot happen, NLMSG_GOODSIZE holds any. */
int vswap_nl_reply_too_big(struct genl_info *info)
{
	WARN_ON_ONCE(1);
	NL_SET_ERR_MSG(info->extack, "the reply does not fit in a message (a vswap bug)");
	return -EMSGSIZE;
}

/* ------------------------------------------------------------------ */
/* The family */

/*
 * The @n counters @c of @stats (a struct vswap_*_stats; NULL: all 0)
 * that have an attribute, into the current stats nest.
 */
int vswap_nl_put_counters(struct sk_buff *skb, const void *stats,
			  const struct vswap_nl_counter *c, unsigned int n)
{
	for (; n; n--, c++) {
		if (c->type == VSWAP_STATS_A_UNSPEC)
			continue;
		if (vswap_nl_put_stat(skb, c->type, stats ?
				      atomic64_read(stats + c->offset) : 0))
			return -EMSGSIZE;
	}
	return 0;
}

/*
 * GENL_ADMIN_PERM makes the core check CAP_NET_ADMIN; vswap configures
 * block devices and memory, so it wants CAP_SYS_ADMIN as well.
 */
static int vswap_nl_pre_doit(const struct vswap_genl_split_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
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

struct genl_family vswap_nl_family __ro_after_init = {
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
