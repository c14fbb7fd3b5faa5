/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VSWAPCTL_OBJ_H
#define VSWAPCTL_OBJ_H

struct nl_msg;
struct vs_obj;

/* A vswap generic netlink message into *o; -1 when it is not one. */
int obj_parse(struct nl_msg *msg, struct vs_obj *o);

#endif
