/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Formatted extack messages (6.1 has no NL_SET_ERR_MSG_FMT), for every
 * layer that refuses a control-plane request: the netlink handlers, and
 * the device's tiers (vswap_dev_tier.c) and migration engine they call.
 * It knows the netlink core's extack and nothing of the vswap family, so
 * lower layers may use it; see the layering rule in vswap_events.h.
 */
#ifndef _VSWAP_EXTACK_H
#define _VSWAP_EXTACK_H

#include <linux/compiler.h>

struct netlink_ext_ack;
struct nlattr;

/*
 * Sets the message, and @attr (may be NULL) as the offending attribute.
 * Process context; @extack may be NULL.
 */
__printf(3, 4)
void vswap_errmsgf(struct netlink_ext_ack *extack, const struct nlattr *attr,
		   const char *fmt, ...);
/* Module unload, after the family is gone. */
void vswap_extack_exit(void);

#endif /* _VSWAP_EXTACK_H */
