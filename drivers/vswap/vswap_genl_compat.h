/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink differences between the kernels vswap builds against.
 * Written for 6.1 (Debian 12): per-op policies in struct genl_ops,
 * resv_start_op left at 0 so every op is strictly validated, and parsed
 * dump attributes in genl_dumpit_info(cb)->attrs.
 */
#ifndef _VSWAP_GENL_COMPAT_H
#define _VSWAP_GENL_COMPAT_H

#include <net/genetlink.h>

/*
 * 6.2 moved the parsed dump attributes into an embedded genl_info.  The
 * same release added NL_SET_ERR_MSG_FMT, which serves as the marker.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define vswap_dump_attrs(cb)	(genl_dumpit_info(cb)->info.attrs)
#else
#define vswap_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/* 6.0 added GENL_REQ_ATTR_CHECK (it also reports which one is missing). */
#ifndef GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr)	(!(info)->attrs[attr])
#endif

#endif /* _VSWAP_GENL_COMPAT_H */
