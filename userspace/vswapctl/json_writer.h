/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: compact (one line) or pretty (indented).
 * The caller emits keys only inside objects; values in arrays have none.
 */
#ifndef VSWAPCTL_JSON_WRITER_H
#define VSWAPCTL_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

void jw_init(FILE *f, bool pretty);
void jw_start_object(const char *key);	/* key NULL in an array or at top */
void jw_end_object(void);
void jw_start_array(const char *key);
void jw_end_array(void);
void jw_string(const char *key, const char *s);	/* s NULL: null */
void jw_uint(const char *key, uint64_t v);
void jw_double(const char *key, double v, int decimals);
void jw_bool(const char *key, bool v);
void jw_null(const char *key);
/* Finish a top-level value: newline and flush. */
void jw_end_line(void);
int jw_depth(void);

#endif
