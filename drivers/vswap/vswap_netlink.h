/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap generic netlink family (kernel only): interfaces between its
 * files.  The family and what every object shares are vswap_netlink.c;
 * the handlers of each object are vswap_nl_<object>.c.  Message fill
 * helpers and handlers that read or change the configuration run under
 * vswap_config_lock (they assert it).
 */
#ifndef _VSWAP_NETLINK_H
#define _VSWAP_NETLINK_H

#include <linux/vswap.h>
#include "vswap_compat.h"
#include "vswap_dev.h"
#include "vswap_extack.h"

enum vswap_nl_mcgrp {
	VSWAP_NL_MCGRP_EVENTS,
};

/* vswap_netlink.c: the family and the shared request helpers */
extern struct genl_family vswap_nl_family;
enum vswap_algo vswap_nl_algo(const struct vswap_backend *be);
struct vswap_dev *vswap_nl_dev(struct genl_info *info);
int vswap_nl_parse_algo(struct genl_info *info,
			const struct vswap_backend *def_be, int def_level,
			const struct vswap_backend **be, int *level);
struct sk_buff *vswap_nl_reply_new(struct genl_info *info);
struct vswap_dev *vswap_nl_begin(struct genl_info *info, struct sk_buff **msg);
int vswap_nl_end(struct genl_info *info, struct sk_buff *msg, int ret);
int vswap_nl_reply_too_big(struct genl_info *info);

static inline int vswap_nl_put_stat(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, VSWAP_STATS_A_PAD);
}

/* A counter's attribute (vswap_counters.h: VSWAP_COUNTER_NL). */
struct vswap_nl_counter {
	int type;		/* VSWAP_STATS_A_*, UNSPEC: none */
	size_t offset;		/* of its atomic64_t in the stats struct */
};

int vswap_nl_put_counters(struct sk_buff *skb, const void *stats,
			  const struct vswap_nl_counter *c, unsigned int n);

/* vswap_nl_dev.c */
int vswap_nl_put_dev_ids(struct sk_buff *skb, struct vswap_dev *dev);
int vswap_nl_fill_dev(struct sk_buff *skb, struct vswap_dev *dev,
		      u32 portid, u32 seq, int flags, u8 cmd);
int vswap_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int vswap_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vswap_nl_dev_add_doit(struct sk_buff *skb, struct genl_info *info);
int vswap_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info);

/* vswap_nl_tier.c */
int vswap_nl_put_tier_ids(struct sk_buff *skb, struct vswap_dev *dev,
			  unsigned int id, const char *name);
int vswap_nl_fill_tier(struct sk_buff *skb, struct vswap_dev *dev,
		       struct vswap_tier *tier, u32 portid, u32 seq,
		       int flags, u8 cmd);
struct vswap_tier *vswap_nl_tier(struct vswap_dev *dev,
				 struct genl_info *info, bool rename);
int vswap_nl_check_name(struct vswap_dev *dev, const char *name,
			struct vswap_tier *self, const struct nlattr *attr,
			struct netlink_ext_ack *extack);
int vswap_nl_tier_get_doit(struct sk_buff *skb, struct genl_info *info);
int vswap_nl_tier_dump_start(struct netlink_callback *cb);
int vswap_nl_tier_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vswap_nl_tier_del_doit(struct sk_buff *skb, struct genl_info *info);

/* vswap_nl_tier_conf.c */
int vswap_nl_tier_add_doit(struct sk_buff *skb, struct genl_info *info);
int vswap_nl_tier_set_doit(struct sk_buff *skb, struct genl_info *info);

/* vswap_nl_migrate.c */
int vswap_nl_migrate_doit(struct sk_buff *skb, struct genl_info *info);

/* vswap_nl_events.c: the subscriber of the core's events */
extern const struct vswap_event_ops vswap_nl_event_ops;

#endif /* _VSWAP_NETLINK_H */
