/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswapctl: helpers the object printers share (objprint.c).
 *
 * An attribute the kernel did not send prints as JSON null and text "-",
 * so every object has the same keys; in event lines (obj_sparse) it is
 * left out instead.
 */
#ifndef VSWAPCTL_OBJPRINT_H
#define VSWAPCTL_OBJPRINT_H

#include "json_print.h"
#include "vswapctl.h"

extern bool obj_sparse;

void pr_attr_u64(const struct vs_obj *o, int attr, const char *key, const char *fmt);
void pr_attr_size(const struct vs_obj *o, int attr, const char *key, const char *fmt);
void pr_attr_enum(const struct vs_obj *o, int attr, const char *key, const char *fmt,
		  const char *(*name)(uint32_t));
/* The device's name: DEV_NAME, or "vswapN" from DEV_ID. */
const char *obj_dev_name(const struct vs_obj *o, char *buf, size_t len);
/* orig / stored, null when nothing is stored. */
void pr_ratio(const char *key, const char *fmt, const struct vs_stats *st);
/* part / whole in percent, null when whole is 0. */
void pr_pct(const char *key, const char *fmt, uint64_t part, uint64_t whole);
/* Every counter of a stats nest, null when absent; no text (fmt NULL). */
void pr_stats(const struct vs_stats *st);
/*
 * What a command that makes or changes an object prints: in JSON the
 * object (print_obj), as one top-level value; in text the name given on a
 * line of its own, or nothing when it is NULL.
 */
void pr_result(void (*print_obj)(const struct vs_obj *o), const struct vs_obj *o,
	       const char *name);
uint64_t stat_get(const struct vs_stats *st, int attr);
long page_size(void);

#endif
