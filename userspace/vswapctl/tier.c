// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl tier add | set | del | show: tiers, and the one tier printer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "objprint.h"
#include "progress.h"

/*
 * A tier: a table row (tier show, status) or event line fields.
 * JSON keys: dev dev_id id name kind class state algo level limit path
 * capacity high_wmark low_wmark idle_age priority, the counters, ratio,
 * use_pct, limit_auto (the cap while limit is 0).
 */
void print_tier(const struct vs_obj *t)
{
	const struct vs_stats *st = &t->tier_stats;
	uint64_t limit = obj_get(t, VSWAP_A_TIER_LIMIT);
	uint64_t auto_limit = obj_get(t, VSWAP_A_TIER_LIMIT_AUTO);
	uint64_t cap = obj_get(t, VSWAP_A_TIER_CAPACITY);
	char dev[32];

	if (obj_dev_name(t, dev, sizeof(dev)))
		print_string(PRINT_ANY, "dev", NULL, dev);
	else if (!obj_sparse)
		print_null(PRINT_ANY, "dev", NULL);
	pr_attr_u64(t, VSWAP_A_DEV_ID, "dev_id", NULL);
	pr_attr_u64(t, VSWAP_A_TIER_ID, "id", NULL);
	if (obj_has(t, VSWAP_A_TIER_NAME))
		print_string(PRINT_ANY, "name", NULL, t->tier_name);
	else if (!obj_sparse)
		print_null(PRINT_ANY, "name", NULL);
	pr_attr_enum(t, VSWAP_A_TIER_KIND, "kind", NULL, kind_name);
	pr_attr_enum(t, VSWAP_A_TIER_CLASS, "class", NULL, class_name);
	pr_attr_enum(t, VSWAP_A_TIER_STATE, "state", NULL, state_name);
	pr_attr_enum(t, VSWAP_A_TIER_ALGO, "algo", NULL, algo_name);
	if (obj_has(t, VSWAP_A_TIER_LEVEL) && !obj_get(t, VSWAP_A_TIER_LEVEL)) {
		print_u64(PRINT_JSON, "level", NULL, 0);
		print_string(PRINT_TEXT, "level", NULL, "default");
	} else {
		pr_attr_u64(t, VSWAP_A_TIER_LEVEL, "level", NULL);
	}
	pr_attr_size(t, VSWAP_A_TIER_LIMIT, "limit", NULL);
	if (obj_has(t, VSWAP_A_TIER_LIMIT) && !limit) {
		char buf[32], sz[24];

		/* No limit set: the automatic cap, if one applies. */
		if (auto_limit)
			snprintf(buf, sizeof(buf), "auto:%s",
				 text_size(auto_limit, sz, sizeof(sz)));
		print_string(PRINT_TEXT, "limit", NULL, auto_limit ? buf : "-");
	}
	pr_attr_size(t, VSWAP_A_TIER_LIMIT_AUTO, "limit_auto", NULL);
	if (obj_has(t, VSWAP_A_TIER_PATH))
		print_string(PRINT_ANY, "path", NULL, t->tier_path);
	else if (!obj_sparse)
		print_null(PRINT_ANY, "path", NULL);
	pr_attr_size(t, VSWAP_A_TIER_CAPACITY, "capacity", NULL);
	pr_attr_u64(t, VSWAP_A_TIER_HIGH_WMARK, "high_wmark", NULL);
	pr_attr_u64(t, VSWAP_A_TIER_LOW_WMARK, "low_wmark", NULL);
	pr_attr_u64(t, VSWAP_A_TIER_IDLE_AGE, "idle_age", NULL);
	pr_attr_u64(t, VSWAP_A_TIER_PRIORITY, "priority", NULL);
	if (obj_sparse && !obj_has(t, VSWAP_A_TIER_STATS))
		return;
	pr_stats(st);
	pr_ratio("ratio", NULL, st);
	pr_pct("use_pct", NULL, stat_get(st, VSWAP_STATS_A_STORED_BYTES),
	       limit ? limit : auto_limit ? auto_limit : cap);
}

/* ------------------------------------------------------------------ */

void tier_ref_put(struct nl_msg *m, const struct tier_ref *t)
{
	if (t->by_id)
		vnl_put_u32(m, VSWAP_A_TIER_ID, t->id);
	else
		vnl_put_str(m, VSWAP_A_TIER_NAME, t->name);
}

/* The tier's attributes; 0 or a negative errno (vnl_last_error). */
int tier_get(uint32_t dev, const struct tier_ref *t, struct vs_obj *out)
{
	struct nl_msg *m = vnl_req(VSWAP_CMD_TIER_GET, false);

	vnl_put_u32(m, VSWAP_A_DEV_ID, dev);
	tier_ref_put(m, t);
	return vnl_do(m, out);
}

/* Like tier_get, but exits 2 when the kernel refuses. */
int tier_resolve(uint32_t dev, const struct tier_ref *t, struct vs_obj *out)
{
	int ret = tier_get(dev, t, out);

	if (ret)
		vnl_die("cannot find the tier", -ret);
	if (!obj_has(out, VSWAP_A_TIER_ID)) {
		warnx_("the kernel's answer has no tier id");
		exit(EXIT_KERNEL);
	}
	return (int)obj_get(out, VSWAP_A_TIER_ID);
}

/* The tiers of one device (all_devs false) or of all, sorted. */
void get_tiers(bool all_devs, uint32_t dev, struct vs_list *out)
{
	struct nl_msg *m = vnl_req(VSWAP_CMD_TIER_GET, true);
	int ret;

	if (!all_devs)
		vnl_put_u32(m, VSWAP_A_DEV_ID, dev);
	ret = vnl_dump(m, out);
	if (ret)
		vnl_die("cannot list the tiers", -ret);
	list_sort(out);
}

/* ------------------------------------------------------------------ */
/* Settings shared by add and set. */

enum {
	OPT_ALGO = 256, OPT_LEVEL, OPT_LIMIT, OPT_NAME, OPT_CLASS, OPT_HIGH,
	OPT_LOW, OPT_IDLE, OPT_PRIO, OPT_DRAIN, OPT_WAIT, OPT_CANCEL,
	OPT_STATE,
};

static void tier_opt(int opt, const char *arg, void *ctx)
{
	struct tier_args *a = ctx;

	a->nset++;
	switch (opt) {
	case OPT_ALGO:
		a->algo = (int)opt_algo(arg);
		break;
	case OPT_LEVEL:
		a->has_level = true;
		a->level = opt_u32("--level", arg, UINT32_MAX);
		break;
	case OPT_LIMIT:
		a->has_limit = true;
		if (!strcmp(arg, "none") || !strcmp(arg, "unlimited"))
			a->limit = 0;
		else
			a->limit = opt_size("--limit", arg);
		break;
	case OPT_NAME:
		if (!arg[0])
			usage_error("--name needs a name");
		if (strlen(arg) >= VSWAP_NAME_MAX)
			usage_error("--name '%s': at most %d characters", arg,
				    VSWAP_NAME_MAX - 1);
		if (all_digits(arg))
			usage_error("--name '%s': a tier name cannot be a number "
				    "(numbers are tier ids)", arg);
		a->name = arg;
		break;
	case OPT_CLASS:
		a->class = class_parse(arg);
		if (a->class < 0)
			usage_error("--class '%s': fast or slow", arg);
		break;
	case OPT_HIGH:
		a->has_high = true;
		a->high = opt_u32("--high-wmark", arg, 100);
		break;
	case OPT_LOW:
		a->has_low = true;
		a->low = opt_u32("--low-wmark", arg, 100);
		break;
	case OPT_IDLE:
		a->has_idle = true;
		a->idle = opt_u32("--idle-age", arg, UINT32_MAX);
		break;
	case OPT_PRIO:
		a->has_prio = true;
		a->prio = opt_u32("--priority", arg, UINT32_MAX);
		break;
	case OPT_DRAIN:
		a->drain = true;
		a->nset--;
		break;
	case OPT_WAIT:
		a->wait = true;
		a->nset--;
		break;
	case OPT_CANCEL:
		a->cancel = true;
		a->nset--;
		break;
	case OPT_STATE:
		/* Any state name goes to the kernel, which says what it takes. */
		for (uint32_t v = 1; state_name(v); v++)
			if (!strcmp(arg, state_name(v)))
				a->state = (int)v;
		if (a->state < 0)
			usage_error("--state '%s': the only state to set is active", arg);
		break;
	}
}

#define SETTING_OPTS						\
	{ "algo",	required_argument, NULL, OPT_ALGO },	\
	{ "level",	required_argument, NULL, OPT_LEVEL },	\
	{ "limit",	required_argument, NULL, OPT_LIMIT },	\
	{ "name",	required_argument, NULL, OPT_NAME },	\
	{ "high-wmark",	required_argument, NULL, OPT_HIGH },	\
	{ "low-wmark",	required_argument, NULL, OPT_LOW },	\
	{ "idle-age",	required_argument, NULL, OPT_IDLE },	\
	{ "priority",	required_argument, NULL, OPT_PRIO }

void tier_args_put(struct nl_msg *m, const struct tier_args *a)
{
	if (a->algo >= 0)
		vnl_put_u32(m, VSWAP_A_TIER_ALGO, (uint32_t)a->algo);
	if (a->has_level)
		vnl_put_u32(m, VSWAP_A_TIER_LEVEL, a->level);
	if (a->has_limit)
		vnl_put_u64(m, VSWAP_A_TIER_LIMIT, a->limit);
	if (a->has_high)
		vnl_put_u32(m, VSWAP_A_TIER_HIGH_WMARK, a->high);
	if (a->has_low)
		vnl_put_u32(m, VSWAP_A_TIER_LOW_WMARK, a->low);
	if (a->has_idle)
		vnl_put_u32(m, VSWAP_A_TIER_IDLE_AGE, a->idle);
	if (a->has_prio)
		vnl_put_u32(m, VSWAP_A_TIER_PRIORITY, a->prio);
	if (a->state >= 0)
		vnl_put_u32(m, VSWAP_A_TIER_STATE, (uint32_t)a->state);
}

/* JSON: one tier object. */
static const char tier_add_usage[] =
"Usage: " PROG " tier add DEV ram [--algo ALG] [--level N] [--limit SIZE] [--name NAME]\n"
"       " PROG " tier add DEV /dev/PATH [--name NAME] [--class fast|slow] [--limit SIZE]\n"
"Add the compressed RAM tier or a backing block device tier; print its name.\n"
"Also: --high-wmark PCT, --low-wmark PCT, --idle-age SECONDS, --priority N.\n";

static int tier_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		SETTING_OPTS,
		{ "class", required_argument, NULL, OPT_CLASS },
		{ NULL, 0, NULL, 0 },
	};
	struct tier_args a = TIER_ARGS_INIT;
	struct vs_obj reply;
	struct nl_msg *m;
	const char *what;
	char **args;
	int nargs, ret;
	uint32_t dev;
	bool ram;

	parse_cmd_opts(argc, argv, tier_add_usage, longopts, NULL, tier_opt, &a,
		       &args, &nargs);
	if (nargs < 2)
		usage_error(nargs ? "what kind of tier? ram or /dev/PATH" : "which device?");
	if (nargs > 2)
		usage_error("too many arguments: '%s'", args[2]);
	dev = opt_dev(args[0]);
	what = args[1];
	ram = !strcmp(what, "ram");
	if (!ram && what[0] != '/')
		usage_error("'%s': a tier is 'ram' or a block device path (/dev/...)%s",
			    what, strcmp(what, "zero") ? "" :
			    "; the zero tier always exists");
	if (!ram && strlen(what) >= VSWAP_PATH_MAX)
		usage_error("path too long (at most %d characters)", VSWAP_PATH_MAX - 1);
	if (ram && a.class >= 0)
		usage_error("--class is for block device tiers");
	if (!ram && (a.algo >= 0 || a.has_level))
		usage_error("--algo and --level are for the ram tier");
	if (a.has_level && a.algo < 0)
		usage_error("--level needs --algo");

	m = vnl_req(VSWAP_CMD_TIER_ADD, false);
	vnl_put_u32(m, VSWAP_A_DEV_ID, dev);
	vnl_put_u32(m, VSWAP_A_TIER_KIND, ram ? VSWAP_TIER_KIND_RAM : VSWAP_TIER_KIND_BLOCK);
	if (!ram)
		vnl_put_str(m, VSWAP_A_TIER_PATH, what);
	if (a.name)
		vnl_put_str(m, VSWAP_A_TIER_NAME, a.name);
	if (a.class >= 0)
		vnl_put_u32(m, VSWAP_A_TIER_CLASS, (uint32_t)a.class);
	tier_args_put(m, &a);
	ret = vnl_do(m, &reply);
	if (ret)
		vnl_die("cannot add the tier", -ret);
	pr_result(print_tier, &reply,
		  obj_has(&reply, VSWAP_A_TIER_NAME) ? reply.tier_name : NULL);
	return EXIT_OK;
}

static const char tier_set_usage[] =
"Usage: " PROG " tier set DEV TIER [--limit SIZE] [--high-wmark PCT] [--low-wmark PCT]\n"
"                  [--idle-age SECONDS] [--priority N] [--name NEW]\n"
"                  [--algo ALG] [--level N] [--state active]\n"
"Change a tier's settings (--limit 0 or none: no limit).  The algorithm and\n"
"level of the ram tier change only while it is empty.  --state active puts a\n"
"degraded tier back in use.\n";

static int tier_set(int argc, char **argv)
{
	static const struct option longopts[] = {
		SETTING_OPTS,
		{ "state", required_argument, NULL, OPT_STATE },
		{ NULL, 0, NULL, 0 },
	};
	struct tier_args a = TIER_ARGS_INIT;
	struct tier_ref ref;
	struct vs_obj reply;
	struct nl_msg *m;
	char **args;
	int nargs, ret;
	uint32_t dev;

	parse_cmd_opts(argc, argv, tier_set_usage, longopts, NULL, tier_opt, &a,
		       &args, &nargs);
	if (nargs < 2)
		usage_error(nargs ? "which tier?" : "which device?");
	if (nargs > 2)
		usage_error("too many arguments: '%s'", args[2]);
	dev = opt_dev(args[0]);
	opt_tier(args[1], &ref);
	if (!a.nset)
		usage_error("nothing to change: give at least one setting");

	/* A new name goes in TIER_NAME: address the tier by id. */
	if (a.name && !ref.by_id) {
		struct vs_obj cur;

		ref.id = (uint32_t)tier_resolve(dev, &ref, &cur);
		ref.by_id = true;
	}
	m = vnl_req(VSWAP_CMD_TIER_SET, false);
	vnl_put_u32(m, VSWAP_A_DEV_ID, dev);
	tier_ref_put(m, &ref);
	if (a.name)
		vnl_put_str(m, VSWAP_A_TIER_NAME, a.name);
	tier_args_put(m, &a);
	ret = vnl_do(m, &reply);
	if (ret)
		vnl_die("cannot change the tier", -ret);
	pr_result(print_tier, &reply, NULL);
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* tier del [--drain] [--wait] */

struct del_wait {
	uint32_t dev, tier;
	bool gone;
	bool dev_gone;
	bool failed;			/* the drain ended without removing it */
	int err;
};

static int del_event(const struct vs_obj *ev, void *arg)
{
	struct del_wait *w = arg;

	if (obj_get(ev, VSWAP_A_DEV_ID) != w->dev)
		return 0;
	if (ev->cmd == VSWAP_CMD_DEV_DEL_NTF) {
		w->dev_gone = true;
		return 1;
	}
	if (ev->cmd == VSWAP_CMD_TIER_DEL_NTF && obj_has(ev, VSWAP_A_TIER_ID) &&
	    obj_get(ev, VSWAP_A_TIER_ID) == w->tier) {
		w->gone = true;
		return 1;
	}
	/* The drain's own end: failed or cancelled leaves the tier there. */
	if (ev->cmd == VSWAP_CMD_MIGRATE_NTF && obj_has(ev, VSWAP_A_MIGRATE_FROM) &&
	    obj_get(ev, VSWAP_A_MIGRATE_FROM) == w->tier &&
	    !obj_has(ev, VSWAP_A_MIGRATE_TO) &&
	    (obj_get(ev, VSWAP_A_MIGRATE_STATE) == VSWAP_MIGRATE_STATE_FAILED ||
	     obj_get(ev, VSWAP_A_MIGRATE_STATE) == VSWAP_MIGRATE_STATE_CANCELLED)) {
		w->failed = true;
		w->err = (int)obj_get(ev, VSWAP_A_ERRNO);
		return 1;
	}
	return 0;
}

static const char tier_del_usage[] =
"Usage: " PROG " tier del DEV TIER [--drain] [--wait]\n"
"       " PROG " tier del DEV TIER --cancel\n"
"Remove a tier.  A tier holding pages is refused unless --drain, which moves\n"
"its pages to the other tiers first; --wait drains too, and waits until the\n"
"tier is gone, with a progress bar on a terminal.  --cancel stops the tier's\n"
"drain instead: the tier stays, with what is still on it.\n";

/* tier del --cancel: the tier's drain stops, the tier stays. */
static int tier_cancel(uint32_t dev, const struct tier_ref *ref)
{
	struct nl_msg *m;
	int ret;

	m = vnl_req(VSWAP_CMD_TIER_DEL, false);
	vnl_put_u32(m, VSWAP_A_DEV_ID, dev);
	tier_ref_put(m, ref);
	vnl_put_flag(m, VSWAP_A_TIER_CANCEL);
	ret = vnl_do(m, NULL);
	if (ret)
		vnl_die("cannot cancel the drain", -ret);
	return EXIT_OK;
}

int tier_remove(uint32_t dev, const struct tier_ref *ref, bool drain, bool wait)
{
	struct nl_sock *esk = NULL;
	struct vs_obj cur;
	struct del_wait w = { 0 };
	struct progress pg;
	struct nl_msg *m;
	uint64_t pages0 = 0;
	char name0[VSWAP_NAME_MAX] = "";
	int ret;

	/* Waiting for a tier to go means letting it drain. */
	if (wait)
		drain = true;

	if (wait) {
		/* Listen first, so the tier-del event cannot slip by. */
		esk = vnl_events_open();
		w.dev = dev;
		w.tier = (uint32_t)tier_resolve(dev, ref, &cur);
		pages0 = stat_get(&cur.tier_stats, VSWAP_STATS_A_PAGES);
		snprintf(name0, sizeof(name0), "%s", cur.tier_name);
	}
	m = vnl_req(VSWAP_CMD_TIER_DEL, false);
	vnl_put_u32(m, VSWAP_A_DEV_ID, dev);
	tier_ref_put(m, ref);
	if (drain)
		vnl_put_flag(m, VSWAP_A_TIER_DRAIN);
	ret = vnl_do(m, NULL);
	if (ret)
		vnl_die("cannot remove the tier", -ret);
	if (!wait)
		return EXIT_OK;

	/* A bar only when there is something to drain. */
	progress_begin(&pg, "draining", pages0 * (uint64_t)page_size(), pages0);
	while (!w.gone && !w.dev_gone && !w.failed) {
		struct tier_ref id_ref = { .by_id = true, .id = w.tier };

		ret = vnl_events_wait(esk, 1000, del_event, &w);
		if (ret < 0 && ret != -ENOBUFS)
			break;
		if (w.gone || w.dev_gone || w.failed)
			break;
		/* Poll too: the tier may already be gone, or events lost. */
		ret = tier_get(dev, &id_ref, &cur);
		if (ret == -ENOENT || ret == -ENODEV) {
			w.gone = true;
			break;
		}
		if (ret)
			vnl_die("cannot follow the tier", -ret);
		if (strcmp(cur.tier_name, name0)) {
			w.gone = true;	/* the id was reused */
			break;
		}
		/* Still there but no longer draining: the drain gave up. */
		if (obj_has(&cur, VSWAP_A_TIER_STATE) &&
		    obj_get(&cur, VSWAP_A_TIER_STATE) != VSWAP_TIER_STATE_DRAINING) {
			w.failed = true;
			break;
		}
		{
			uint64_t pages = stat_get(&cur.tier_stats, VSWAP_STATS_A_PAGES);

			progress_update(&pg, (pages0 > pages ? pages0 - pages : 0) *
					(uint64_t)page_size(), 0);
		}
	}
	if (w.gone)
		progress_update(&pg, pg.total, 0);
	progress_end(&pg, w.gone);
	vnl_events_close(esk);
	if (w.failed) {
		warnx_("the drain of tier %s ended without removing it%s%s",
		       name0, w.err ? ": " : "", w.err ? strerror(w.err) : "");
		return EXIT_KERNEL;
	}
	if (!w.gone && !w.dev_gone) {
		warnx_("lost track of the tier: %s", strerror(-ret));
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}

static int tier_del(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "drain", no_argument, NULL, OPT_DRAIN },
		{ "wait",  no_argument, NULL, OPT_WAIT },
		{ "cancel", no_argument, NULL, OPT_CANCEL },
		{ NULL, 0, NULL, 0 },
	};
	struct tier_args a = TIER_ARGS_INIT;
	struct tier_ref ref;
	char **args;
	int nargs;
	uint32_t dev;

	parse_cmd_opts(argc, argv, tier_del_usage, longopts, NULL, tier_opt, &a,
		       &args, &nargs);
	if (nargs < 2)
		usage_error(nargs ? "which tier?" : "which device?");
	if (nargs > 2)
		usage_error("too many arguments: '%s'", args[2]);
	if (a.cancel && (a.drain || a.wait))
		usage_error("--cancel stops a drain; it goes with neither --drain nor --wait");
	dev = opt_dev(args[0]);
	opt_tier(args[1], &ref);
	if (a.cancel)
		return tier_cancel(dev, &ref);
	return tier_remove(dev, &ref, a.drain, a.wait);
}

/* ------------------------------------------------------------------ */

static const char tier_show_usage[] =
"Usage: " PROG " [-j] [-o COLS] tier show [DEV [TIER]]\n"
"List tiers, one per line (alias: tier list).  Columns for -o: see\n"
"vswapctl(8), or give an unknown one to have them listed.\n";

static int tier_show(int argc, char **argv)
{
	struct vs_list tiers = { 0 };
	struct tier_ref ref;
	char **args;
	int nargs;
	uint32_t dev = 0;

	parse_cmd_opts(argc, argv, tier_show_usage, NULL, NULL, NULL, NULL,
		       &args, &nargs);
	if (nargs > 2)
		usage_error("too many arguments: '%s'", args[2]);
	if (nargs >= 1)
		dev = opt_dev(args[0]);
	if (nargs == 2)
		opt_tier(args[1], &ref);
	table_check(tier_columns, n_tier_columns, opts.columns);

	if (nargs == 2) {
		struct vs_obj t;

		tier_resolve(dev, &ref, &t);
		list_push(&tiers, &t);
	} else {
		get_tiers(nargs == 0, dev, &tiers);
	}
	table_begin(tier_columns, n_tier_columns, TIER_SHOW_DEFAULT_COLS,
		    opts.columns, NULL, 0, false);
	for (size_t i = 0; i < tiers.n; i++) {
		table_row_begin();
		print_tier(&tiers.o[i]);
		table_row_end();
	}
	table_end();
	print_json_end();
	list_free(&tiers);
	return EXIT_OK;
}

int cmd_tier(int argc, char **argv)
{
	static const struct subcmd subs[] = {
		{ "add", tier_add },
		{ "set", tier_set },
		{ "del", tier_del },
		{ "delete", tier_del },
		{ "show", tier_show },
		{ "list", tier_show },
	};

	return run_subcmd("tier", subs, sizeof(subs) / sizeof(subs[0]), "show",
			  argc, argv);
}
