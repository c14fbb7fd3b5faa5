// SPDX-License-Identifier: GPL-2.0
/*
 * vswap netlink: migrate.  Checks the request and starts the job on the
 * device's engine (vswap_migrate.c); its progress and end are events
 * (vswap_nl_events.c).
 */
#include "vswap_netlink.h"

int vswap_nl_migrate_doit(struct sk_buff *skb, struct genl_info *info)
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
	dev = vswap_nl_begin(info, &msg);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
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
		mutex_unlock(&vswap_config_lock);
		nlmsg_free(msg);
		return 0;
	}
	genlmsg_end(msg, hdr);
out_free:
	return vswap_nl_end(info, msg, ret);
}
