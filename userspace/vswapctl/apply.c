// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl apply: bring the kernel's devices and tiers to vswap.conf(5).
 * The plan (plan.c) lists the changes; without --dry-run each one is
 * made and printed as it is done, so a second run prints "no changes".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "objprint.h"

int plan_exec_item(const struct plan_item *it)
{
	struct tier_args a = TIER_ARGS_INIT;
	struct vs_obj reply;
	struct tier_ref ref = { 0 };
	struct nl_msg *m;
	char name[32];
	int ret;

	switch (it->op) {
	case PLAN_DEV_ADD:
		snprintf(name, sizeof(name), "vswap%u", it->dev);
		ret = dev_create(it->cdev->size, name, it->cdev->algo, it->cdev->has_level,
				 it->cdev->level, &reply);
		if (ret)
			vnl_die("cannot create the device", -ret);
		return EXIT_OK;
	case PLAN_TIER_ADD:
		m = vnl_req(VSWAP_CMD_TIER_ADD, false);
		vnl_put_u32(m, VSWAP_A_DEV_ID, it->dev);
		vnl_put_u32(m, VSWAP_A_TIER_KIND, it->kind);
		if (it->kind == VSWAP_TIER_KIND_BLOCK)
			vnl_put_str(m, VSWAP_A_TIER_PATH, it->path);
		vnl_put_str(m, VSWAP_A_TIER_NAME, it->tier);
		if (it->want.class >= 0)
			vnl_put_u32(m, VSWAP_A_TIER_CLASS, (uint32_t)it->want.class);
		tier_args_put(m, &it->want);
		ret = vnl_do(m, &reply);
		if (ret)
			vnl_die("cannot add the tier", -ret);
		return EXIT_OK;
	case PLAN_TIER_SET:
		if (it->mask & PS_ALGO)
			a.algo = it->want.algo;
		a.has_level = (it->mask & PS_LEVEL) && it->want.has_level;
		a.level = it->want.level;
		a.has_limit = it->mask & PS_LIMIT;
		a.limit = it->want.limit;
		a.has_high = it->mask & PS_HIGH;
		a.high = it->want.high;
		a.has_low = it->mask & PS_LOW;
		a.low = it->want.low;
		a.has_idle = it->mask & PS_IDLE;
		a.idle = it->want.idle;
		a.has_prio = it->mask & PS_PRIO;
		a.prio = it->want.prio;
		m = vnl_req(VSWAP_CMD_TIER_SET, false);
		vnl_put_u32(m, VSWAP_A_DEV_ID, it->dev);
		if (it->by_id)
			vnl_put_u32(m, VSWAP_A_TIER_ID, it->tier_id);
		if (!it->by_id || (it->mask & PS_NAME))
			vnl_put_str(m, VSWAP_A_TIER_NAME, it->tier);
		tier_args_put(m, &a);
		ret = vnl_do(m, &reply);
		if (ret)
			vnl_die("cannot change the tier", -ret);
		return EXIT_OK;
	case PLAN_TIER_DEL:
		ref.by_id = true;
		ref.id = (uint32_t)obj_get(&it->cur, VSWAP_A_TIER_ID);
		return tier_remove(it->dev, &ref, true, true);
	}
	return EXIT_OK;
}

struct apply_args {
	bool dry_run, prune, missing_ok;
	const char *config, *root;
};

enum { OPT_DRY_RUN = 256, OPT_CONFIG, OPT_PRUNE, OPT_MISSING_OK, OPT_ROOT };

static void apply_opt(int opt, const char *arg, void *ctx)
{
	struct apply_args *a = ctx;

	switch (opt) {
	case OPT_DRY_RUN:
		a->dry_run = true;
		break;
	case OPT_CONFIG:
		a->config = arg;
		break;
	case OPT_PRUNE:
		a->prune = true;
		break;
	case OPT_MISSING_OK:
		a->missing_ok = true;
		break;
	case OPT_ROOT:
		a->root = arg;
		break;
	}
}

static const char apply_usage[] =
"Usage: " PROG " apply [--dry-run] [--config FILE] [--prune] [--missing-ok] [DEV]\n"
"Bring the kernel's vswap devices and tiers to the configuration\n"
"(/etc/vswap.conf, /etc/vswap.conf.d/*.conf and /usr/lib/vswap/..., see\n"
"vswap.conf(5)): create devices, add tiers, change settings.  DEV: only\n"
"that device.  --dry-run prints the plan, one line per change, and\n"
"changes nothing.  --prune drains and removes tiers the configuration\n"
"does not name (nothing is dropped).  --missing-ok skips, with a warning,\n"
"tiers whose block device does not exist.  --config FILE reads only FILE;\n"
"--root DIR reads every file (and /proc) under DIR.\n";

/* Parse the configuration, or exit 1 with its file:line message. */
static void load_config(struct cfg *c, const struct apply_args *a)
{
	struct cfg_source src = { .root = a->root, .config = a->config };

	if (cfg_load(c, &src)) {
		fprintf(stderr, PROG ": %s\n", c->err);
		exit(EXIT_USAGE);
	}
}

int cmd_apply(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run",	no_argument,	   NULL, OPT_DRY_RUN },
		{ "config",	required_argument, NULL, OPT_CONFIG },
		{ "prune",	no_argument,	   NULL, OPT_PRUNE },
		{ "missing-ok",	no_argument,	   NULL, OPT_MISSING_OK },
		{ "root",	required_argument, NULL, OPT_ROOT },
		{ NULL, 0, NULL, 0 },
	};
	struct apply_args a = { 0 };
	struct plan_opts po = { 0 };
	struct vs_list devs = { 0 }, tiers = { 0 };
	struct plan plan;
	struct cfg *c;
	struct stat st;
	char path[512];
	char **args;
	int nargs, ret = EXIT_OK;

	parse_cmd_opts(argc, argv, apply_usage, longopts, NULL, apply_opt, &a,
		       &args, &nargs);
	if (nargs > 1)
		usage_error("too many arguments: '%s'", args[1]);
	if (nargs) {
		po.one_dev = true;
		po.dev = opt_dev(args[0]);
	}
	po.prune = a.prune;
	po.missing_ok = a.missing_ok;

	c = malloc(sizeof(*c));
	if (!c)
		abort();
	load_config(c, &a);
	if (po.one_dev && !cfg_dev_find(c, po.dev)) {
		fprintf(stderr, PROG ": vswap%u is not in the configuration\n", po.dev);
		exit(EXIT_USAGE);
	}

	/* A plan needs no module: without one, nothing exists yet. */
	if (!a.dry_run || stat(cfg_path(a.root, "/sys/module/vswap", path, sizeof(path)), &st) == 0) {
		get_devs(false, 0, &devs);
		get_tiers(true, 0, &tiers);
	}
	if (plan_make(&plan, c, &devs, &tiers, &po)) {
		fprintf(stderr, PROG ": %s\n", plan.err);
		exit(EXIT_KERNEL);
	}
	for (size_t i = 0; i < plan.nnotes; i++)
		fprintf(stderr, PROG ": warning: %s\n", plan.notes[i]);

	if (a.dry_run) {
		plan_print(&plan);
	} else {
		open_json_array(NULL);
		for (size_t i = 0; i < plan.n && !ret; i++) {
			ret = plan_exec_item(&plan.items[i]);
			if (!ret)
				plan_print_item(&plan.items[i]);
			fflush(stdout);
		}
		close_json_array();
		if (!plan.n)
			print_text("no changes\n");
		print_json_end();
	}
	plan_free(&plan);
	list_free(&devs);
	list_free(&tiers);
	free(c);
	return ret;
}
