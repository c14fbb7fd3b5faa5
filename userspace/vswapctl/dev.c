// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl dev add | del | show: devices, and the one device printer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objprint.h"

#define STAT_COLUMNS(what)							\
	{ "pages",	  "PAGES",   false, "pages stored" },			\
	{ "orig_bytes",	  "DATA",    false, "their uncompressed size" },	\
	{ "stored_bytes", "STORED",  false, "memory or disk used to hold them" }, \
	{ "ratio",	  "RATIO",   false, "orig_bytes / stored_bytes" },	\
	{ "use_pct",	  "USE%",    false, what },				\
	{ "reads",	  "READS",   false, "reads" },				\
	{ "writes",	  "WRITES",  false, "writes" },				\
	{ "discards",	  "DISCARDS", false, "pages discarded" },		\
	{ "frees",	  "FREES",   false, "swap slot free notifications" },	\
	{ "failed_reads", "RERR",    false, "failed reads" },			\
	{ "failed_writes", "WERR",   false, "failed writes" },			\
	{ "huge_pages",	  "HUGE",    false, "pages stored raw (did not compress)" }, \
	{ "migrated_in",  "MIG_IN",  false, "pages migrated in" },		\
	{ "migrated_out", "MIG_OUT", false, "pages migrated out" },		\
	{ "promotions",	  "PROMOTE", false, "pages promoted" },		\
	{ "demotions",	  "DEMOTE",  false, "pages demoted" },			\
	{ "io_errors",	  "IOERR",   false, "backing I/O errors" },		\
	{ "budget_used",  "BUDGET",  false, "bytes written by demotion" }

const struct column dev_columns[] = {
	{ "name",	"NAME",	  true,  "device name, vswapN" },
	{ "id",		"ID",	  false, "N of /dev/vswapN" },
	{ "size",	"SIZE",	  false, "device size" },
	{ "in_use",	"INUSE",  true,  "open, e.g. swapped on" },
	{ "meta_bytes",	"META",	  false, "descriptor table memory" },
	STAT_COLUMNS("pages stored, in % of the device size"),
};
const size_t n_dev_columns = sizeof(dev_columns) / sizeof(dev_columns[0]);

const struct column tier_columns[] = {
	{ "dev",	"DEV",	  true,  "device name" },
	{ "dev_id",	"DEVID",  false, "device id" },
	{ "id",		"ID",	  false, "tier id within the device" },
	{ "name",	"NAME",	  true,  "tier name" },
	{ "kind",	"KIND",	  true,  "zero, ram or block" },
	{ "class",	"CLASS",  true,  "fast or slow (block tiers)" },
	{ "state",	"STATE",  true,  "active, draining, degraded or full" },
	{ "algo",	"ALGO",	  true,  "compression algorithm (ram)" },
	{ "level",	"LEVEL",  false, "compression level, 0 = default (ram)" },
	{ "limit",	"LIMIT",  false, "bytes the tier may use, 0 = no limit" },
	{ "path",	"PATH",	  true,  "backing device (block)" },
	{ "capacity",	"CAPACITY", false, "bytes the tier can hold: backing device size, at most the device's (block)" },
	{ "high_wmark",	"HIGH",	  false, "high watermark, % of the limit" },
	{ "low_wmark",	"LOW",	  false, "low watermark, % of the limit" },
	{ "idle_age",	"IDLE",	  false, "demote slots idle this many seconds, 0 = off" },
	{ "priority",	"PRIO",	  false, "order in the hierarchy, lower first" },
	{ "limit_auto",	"AUTOLIMIT", false, "the cap while no limit is set (ram: 20% of memory with backing tiers)" },
	STAT_COLUMNS("stored bytes, in % of the limit (or of the capacity)"),
};
const size_t n_tier_columns = sizeof(tier_columns) / sizeof(tier_columns[0]);

/*
 * A device: table row (dev show), block (status) or event line fields.
 * JSON keys: name id size in_use meta_bytes, the counters, ratio, use_pct.
 */
void print_dev(const struct vs_obj *d)
{
	const struct vs_stats *st = &d->dev_stats;
	uint64_t pages = stat_get(st, VSWAP_STATS_A_PAGES);
	uint64_t used = pages * (uint64_t)page_size();
	char name[32], b1[32], b2[32];

	print_string(PRINT_ANY, "name", "%s:", obj_dev_name(d, name, sizeof(name)));
	pr_attr_u64(d, VSWAP_A_DEV_ID, "id", NULL);
	pr_attr_size(d, VSWAP_A_DEV_SIZE, "size", " size %s");
	if (obj_has(d, VSWAP_A_DEV_IN_USE))
		print_bool(PRINT_ANY, "in_use", ", in use: %s",
			   obj_get(d, VSWAP_A_DEV_IN_USE) != 0);
	else if (!obj_sparse)
		print_null(PRINT_ANY, "in_use", NULL);
	pr_attr_size(d, VSWAP_A_DEV_META_BYTES, "meta_bytes", ", metadata %s");
	print_text("\n");

	if (obj_sparse && !obj_has(d, VSWAP_A_DEV_STATS))
		return;
	pr_stats(st);
	pr_ratio("ratio", NULL, st);
	pr_pct("use_pct", NULL, used, obj_get(d, VSWAP_A_DEV_SIZE));

	/* The block (status). */
	if (!pages) {
		print_text("  stored nothing");
	} else {
		print_text("  stored %llu page%s, %s of data in %s",
			   (unsigned long long)pages, pages == 1 ? "" : "s",
			   text_size(stat_get(st, VSWAP_STATS_A_ORIG_BYTES), b1, sizeof(b1)),
			   text_size(stat_get(st, VSWAP_STATS_A_STORED_BYTES), b2, sizeof(b2)));
		if (stat_get(st, VSWAP_STATS_A_STORED_BYTES))
			print_text(" (ratio %.2f)",
				   (double)stat_get(st, VSWAP_STATS_A_ORIG_BYTES) /
				   (double)stat_get(st, VSWAP_STATS_A_STORED_BYTES));
	}
	if (obj_get(d, VSWAP_A_DEV_SIZE))
		print_text(", %.1f%% of the device",
			   100.0 * (double)used / (double)obj_get(d, VSWAP_A_DEV_SIZE));
	print_text("\n  io: reads %llu, writes %llu, discards %llu, frees %llu, "
		   "failed reads %llu, failed writes %llu\n",
		   (unsigned long long)stat_get(st, VSWAP_STATS_A_READS),
		   (unsigned long long)stat_get(st, VSWAP_STATS_A_WRITES),
		   (unsigned long long)stat_get(st, VSWAP_STATS_A_DISCARDS),
		   (unsigned long long)stat_get(st, VSWAP_STATS_A_FREES),
		   (unsigned long long)stat_get(st, VSWAP_STATS_A_FAILED_READS),
		   (unsigned long long)stat_get(st, VSWAP_STATS_A_FAILED_WRITES));
	/* Per tier in the table; here when the device counts them too. */
	if (st->has[VSWAP_STATS_A_MIGRATED_IN])
		print_text("  migration: in %llu, out %llu, promotions %llu, "
			   "demotions %llu, written %s; io errors %llu\n",
			   (unsigned long long)stat_get(st, VSWAP_STATS_A_MIGRATED_IN),
			   (unsigned long long)stat_get(st, VSWAP_STATS_A_MIGRATED_OUT),
			   (unsigned long long)stat_get(st, VSWAP_STATS_A_PROMOTIONS),
			   (unsigned long long)stat_get(st, VSWAP_STATS_A_DEMOTIONS),
			   text_size(stat_get(st, VSWAP_STATS_A_BUDGET_USED), b1, sizeof(b1)),
			   (unsigned long long)stat_get(st, VSWAP_STATS_A_IO_ERRORS));
}

/* ------------------------------------------------------------------ */

struct dev_add_args {
	bool has_size;
	uint64_t size;
	int algo;
	bool has_level;
	uint32_t level;
};

enum { OPT_SIZE = 256, OPT_ALGO, OPT_LEVEL };

static void dev_add_opt(int opt, const char *arg, void *ctx)
{
	struct dev_add_args *a = ctx;

	switch (opt) {
	case 's':
	case OPT_SIZE:
		a->has_size = true;
		a->size = opt_size("--size", arg);
		break;
	case OPT_ALGO:
		a->algo = (int)opt_algo(arg);
		break;
	case OPT_LEVEL:
		a->has_level = true;
		a->level = opt_u32("--level", arg, UINT32_MAX);
		break;
	}
}

int dev_create(uint64_t size, const char *name, int algo, bool has_level,
	       uint32_t level, struct vs_obj *reply)
{
	struct nl_msg *m = vnl_req(VSWAP_CMD_DEV_ADD, false);

	vnl_put_u64(m, VSWAP_A_DEV_SIZE, size);
	if (name)
		vnl_put_str(m, VSWAP_A_DEV_NAME, name);
	if (algo >= 0)
		vnl_put_u32(m, VSWAP_A_TIER_ALGO, (uint32_t)algo);
	if (has_level)
		vnl_put_u32(m, VSWAP_A_TIER_LEVEL, level);
	return vnl_do(m, reply);
}

static const char dev_add_usage[] =
"Usage: " PROG " dev add [NAME] --size SIZE [--algo lz4|lz4hc|zstd] [--level N]\n"
"Create a device (NAME vswapN; default: the lowest free N) with the zero and\n"
"ram tiers, and print its name.  --algo and --level set the ram tier's\n"
"compressor (level 0: the algorithm's default).\n";

static int dev_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size",  required_argument, NULL, OPT_SIZE },
		{ "algo",  required_argument, NULL, OPT_ALGO },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ NULL, 0, NULL, 0 },
	};
	struct dev_add_args a = { .algo = -1 };
	struct vs_obj reply;
	char **args, name[32];
	int nargs, ret;

	parse_cmd_opts(argc, argv, dev_add_usage, longopts, "s:", dev_add_opt, &a,
		       &args, &nargs);
	if (nargs > 1)
		usage_error("too many arguments: '%s'", args[1]);
	if (!a.has_size)
		usage_error("--size is required");
	if (a.has_level && a.algo < 0)
		usage_error("--level needs --algo");

	if (nargs == 1)
		snprintf(name, sizeof(name), "vswap%u", opt_dev(args[0]));
	ret = dev_create(a.size, nargs == 1 ? name : NULL, a.algo, a.has_level,
			 a.level, &reply);
	if (ret)
		vnl_die("cannot create the device", -ret);

	pr_result(print_dev, &reply, obj_dev_name(&reply, name, sizeof(name)));
	return EXIT_OK;
}

static const char dev_del_usage[] =
"Usage: " PROG " dev del DEV\n"
"Remove a device (refused while it is open, e.g. swapped on).\n";

static int dev_del(int argc, char **argv)
{
	struct nl_msg *m;
	char **args;
	int nargs, ret;
	uint32_t id;

	parse_cmd_opts(argc, argv, dev_del_usage, NULL, NULL, NULL, NULL,
		       &args, &nargs);
	if (nargs != 1)
		usage_error(nargs ? "too many arguments" : "which device?");
	id = opt_dev(args[0]);
	m = vnl_req(VSWAP_CMD_DEV_DEL, false);
	vnl_put_u32(m, VSWAP_A_DEV_ID, id);
	ret = vnl_do(m, NULL);
	if (ret)
		vnl_die("cannot remove the device", -ret);
	return EXIT_OK;
}

/* One device (do) or all (dump), sorted by id. */
void get_devs(bool one, uint32_t id, struct vs_list *out)
{
	struct nl_msg *m;
	int ret;

	if (one) {
		struct vs_obj d;

		m = vnl_req(VSWAP_CMD_DEV_GET, false);
		vnl_put_u32(m, VSWAP_A_DEV_ID, id);
		ret = vnl_do(m, &d);
		if (ret)
			vnl_die("cannot get the device", -ret);
		list_push(out, &d);
		return;
	}
	m = vnl_req(VSWAP_CMD_DEV_GET, true);
	ret = vnl_dump(m, out);
	if (ret)
		vnl_die("cannot list the devices", -ret);
	list_sort(out);
}

static const char dev_show_usage[] =
"Usage: " PROG " [-j] [-o COLS] dev show [DEV]\n"
"List devices, one per line (alias: dev list).  Columns for -o: see\n"
"vswapctl(8), or give an unknown one to have them listed.\n";

static int dev_show(int argc, char **argv)
{
	struct vs_list devs = { 0 };
	char **args;
	int nargs;
	uint32_t id = 0;

	parse_cmd_opts(argc, argv, dev_show_usage, NULL, NULL, NULL, NULL,
		       &args, &nargs);
	if (nargs > 1)
		usage_error("too many arguments: '%s'", args[1]);
	if (nargs)
		id = opt_dev(args[0]);
	table_check(dev_columns, n_dev_columns, opts.columns);

	get_devs(nargs == 1, id, &devs);
	table_begin(dev_columns, n_dev_columns, DEV_DEFAULT_COLS, opts.columns,
		    NULL, 0, false);
	for (size_t i = 0; i < devs.n; i++) {
		table_row_begin();
		print_dev(&devs.o[i]);
		table_row_end();
	}
	table_end();
	print_json_end();
	list_free(&devs);
	return EXIT_OK;
}

int cmd_dev(int argc, char **argv)
{
	static const struct subcmd subs[] = {
		{ "add", dev_add },
		{ "del", dev_del },
		{ "delete", dev_del },
		{ "show", dev_show },
		{ "list", dev_show },
	};

	return run_subcmd("dev", subs, sizeof(subs) / sizeof(subs[0]), "show",
			  argc, argv);
}
