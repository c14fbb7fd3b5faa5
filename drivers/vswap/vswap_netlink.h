/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap generic netlink family (kernel only): internal interfaces.
 */
#ifndef _VSWAP_NETLINK_H
#define _VSWAP_NETLINK_H

#include <linux/vswap.h>
#include "vswap_compat.h"
#include "vswap_dev.h"

/*
 * Formatted extack messages (6.1 has no NL_SET_ERR_MSG_FMT): sets the
 * message, and @attr (may be NULL) as the offending attribute.
 */
__printf(3, 4)
void vswap_nl_errf(struct netlink_ext_ack *extack, const struct nlattr *attr,
		   const char *fmt, ...);
void vswap_extack_exit(void);

/* Migration (vswap_migrate.c). */
int vswap_migrate_start(struct vswap_dev *dev, struct vswap_tier *from,
			struct vswap_tier *to, u32 idle, u64 max_bytes,
			u64 *total_bytes, struct netlink_ext_ack *extack);
int vswap_engine_drain(struct vswap_dev *dev, struct vswap_tier *tier,
		       struct netlink_ext_ack *extack);

#endif /* _VSWAP_NETLINK_H */
