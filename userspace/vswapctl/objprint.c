// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: helpers the object printers share.
 */
#include <stdio.h>
#include <unistd.h>

#include "objprint.h"

bool obj_sparse;

static bool skip_absent(const struct vs_obj *o, int attr, const char *key,
			const char *fmt)
{
	if (obj_has(o, attr))
		return false;
	if (!obj_sparse)
		print_null(PRINT_ANY, key, fmt);
	return true;
}

void pr_attr_u64(const struct vs_obj *o, int attr, const char *key, const char *fmt)
{
	if (!skip_absent(o, attr, key, fmt))
		print_u64(PRINT_ANY, key, fmt, obj_get(o, attr));
}

void pr_attr_size(const struct vs_obj *o, int attr, const char *key, const char *fmt)
{
	if (!skip_absent(o, attr, key, fmt))
		print_size(PRINT_ANY, key, fmt, obj_get(o, attr));
}

void pr_attr_enum(const struct vs_obj *o, int attr, const char *key, const char *fmt,
		  const char *(*name)(uint32_t))
{
	char buf[24];
	const char *s;

	if (skip_absent(o, attr, key, fmt))
		return;
	s = name((uint32_t)obj_get(o, attr));
	if (!s) {
		/* A value newer than this vswapctl: its number. */
		snprintf(buf, sizeof(buf), "%llu",
			 (unsigned long long)obj_get(o, attr));
		s = buf;
	}
	print_string(PRINT_ANY, key, fmt, s);
}

const char *obj_dev_name(const struct vs_obj *o, char *buf, size_t len)
{
	if (o->has[VSWAP_A_DEV_NAME] && o->dev_name[0])
		snprintf(buf, len, "%s", o->dev_name);
	else if (o->has[VSWAP_A_DEV_ID])
		snprintf(buf, len, "vswap%llu",
			 (unsigned long long)o->v[VSWAP_A_DEV_ID]);
	else
		return NULL;
	return buf;
}

void pr_result(void (*print_obj)(const struct vs_obj *o), const struct vs_obj *o,
	       const char *name)
{
	if (is_json()) {
		open_json_object(NULL);
		print_obj(o);
		close_json_object();
	} else if (name) {
		print_string(PRINT_TEXT, NULL, "%s\n", name);
	}
	print_json_end();
}

uint64_t stat_get(const struct vs_stats *st, int attr)
{
	return st->has[attr] ? st->v[attr] : 0;
}

void pr_ratio(const char *key, const char *fmt, const struct vs_stats *st)
{
	uint64_t orig = stat_get(st, VSWAP_STATS_A_ORIG_BYTES);
	uint64_t stored = stat_get(st, VSWAP_STATS_A_STORED_BYTES);

	if (!stored)
		print_null(PRINT_ANY, key, fmt);
	else
		print_float(PRINT_ANY, key, fmt, (double)orig / (double)stored, 2);
}

void pr_pct(const char *key, const char *fmt, uint64_t part, uint64_t whole)
{
	if (!whole)
		print_null(PRINT_ANY, key, fmt);
	else
		print_float(PRINT_ANY, key, fmt, 100.0 * (double)part / (double)whole, 1);
}

static const struct {
	int attr;
	const char *key;
	bool size;
} stat_keys[] = {
	{ VSWAP_STATS_A_PAGES,		"pages",	false },
	{ VSWAP_STATS_A_ORIG_BYTES,	"orig_bytes",	true },
	{ VSWAP_STATS_A_STORED_BYTES,	"stored_bytes",	true },
	{ VSWAP_STATS_A_READS,		"reads",	false },
	{ VSWAP_STATS_A_WRITES,		"writes",	false },
	{ VSWAP_STATS_A_DISCARDS,	"discards",	false },
	{ VSWAP_STATS_A_FREES,		"frees",	false },
	{ VSWAP_STATS_A_FAILED_READS,	"failed_reads",	false },
	{ VSWAP_STATS_A_FAILED_WRITES,	"failed_writes", false },
	{ VSWAP_STATS_A_HUGE_PAGES,	"huge_pages",	false },
	{ VSWAP_STATS_A_MIGRATED_IN,	"migrated_in",	false },
	{ VSWAP_STATS_A_MIGRATED_OUT,	"migrated_out",	false },
	{ VSWAP_STATS_A_PROMOTIONS,	"promotions",	false },
	{ VSWAP_STATS_A_DEMOTIONS,	"demotions",	false },
	{ VSWAP_STATS_A_IO_ERRORS,	"io_errors",	false },
	{ VSWAP_STATS_A_BUDGET_USED,	"budget_used",	true },
};

void pr_stats(const struct vs_stats *st)
{
	for (size_t i = 0; i < sizeof(stat_keys) / sizeof(stat_keys[0]); i++) {
		uint64_t v = stat_get(st, stat_keys[i].attr);

		/* Not counted for this object (e.g. discards of a tier). */
		if (!st->has[stat_keys[i].attr]) {
			if (!obj_sparse)
				print_null(PRINT_ANY, stat_keys[i].key, NULL);
			continue;
		}
		if (stat_keys[i].size)
			print_size(PRINT_ANY, stat_keys[i].key, NULL, v);
		else
			print_u64(PRINT_ANY, stat_keys[i].key, NULL, v);
	}
}

long page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? ps : 4096;
}
