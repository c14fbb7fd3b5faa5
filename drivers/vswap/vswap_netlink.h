/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap generic netlink family (kernel only): internal interfaces.
 */
#ifndef _VSWAP_NETLINK_H
#define _VSWAP_NETLINK_H

#include <linux/vswap.h>
#include "vswap_genl_compat.h"
#include "vswap_dev.h"
#include "vswap_extack.h"

#endif /* _VSWAP_NETLINK_H */
