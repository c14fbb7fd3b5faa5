/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VSWAPCTL_OBJ_H
#define VSWAPCTL_OBJ_H

#include <stddef.h>

struct nl_msg;
struct vs_obj;

/*
 * A vswap generic netlink message into *o, its attributes checked
 * against their types; a negative libnl error when it is not one, with
 * err saying what is wrong (e.g. "attribute tier-limit: ...").
 */
int obj_parse(struct nl_msg *msg, struct vs_obj *o, char *err, size_t errlen);

#endif
