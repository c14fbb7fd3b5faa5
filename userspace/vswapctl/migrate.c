// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl migrate: move slots between two tiers of a device, and the
 * migration printer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objprint.h"
#include "progress.h"

/*
 * A migration (the command's answer, or a migrate event).
 * JSON keys: dev dev_id from to state moved_bytes total_bytes errno.
 */
void print_migrate(const struct vs_obj *m)
{
	char dev[32];

	if (obj_dev_name(m, dev, sizeof(dev)))
		print_string(PRINT_ANY, "dev", "%s:", dev);
	else if (!obj_sparse)
		print_null(PRINT_ANY, "dev", NULL);
	pr_attr_u64(m, VSWAP_A_DEV_ID, "dev_id", NULL);
	pr_attr_u64(m, VSWAP_A_MIGRATE_FROM, "from", " from tier %s");
	pr_attr_u64(m, VSWAP_A_MIGRATE_TO, "to", " to tier %s");
	pr_attr_enum(m, VSWAP_A_MIGRATE_STATE, "state", ", %s", mstate_name);
	pr_attr_size(m, VSWAP_A_MIGRATE_MOVED_BYTES, "moved_bytes", ", moved %s");
	pr_attr_size(m, VSWAP_A_MIGRATE_TOTAL_BYTES, "total_bytes", " (estimate %s)");
	if (obj_has(m, VSWAP_A_ERRNO) && obj_get(m, VSWAP_A_ERRNO)) {
		const char *e = strerrorname_np((int)obj_get(m, VSWAP_A_ERRNO));

		print_u64(PRINT_JSON, "errno", NULL, obj_get(m, VSWAP_A_ERRNO));
		print_string(PRINT_TEXT, "errno", ", error %s",
			     e ? e : strerror((int)obj_get(m, VSWAP_A_ERRNO)));
	} else {
		pr_attr_u64(m, VSWAP_A_ERRNO, "errno", NULL);
	}
	print_text("\n");
}

struct mig_wait {
	uint32_t dev, from, to;
	struct vs_obj last;		/* the latest event */
	bool have_last;
	bool end;
	bool dev_gone;
	struct progress pg;
};

static int mig_event(const struct vs_obj *ev, void *arg)
{
	struct mig_wait *w = arg;
	uint32_t state;

	if (obj_get(ev, VSWAP_A_DEV_ID) != w->dev)
		return 0;
	if (ev->cmd == VSWAP_CMD_DEV_DEL_NTF) {
		w->dev_gone = true;
		return 1;
	}
	if (ev->cmd != VSWAP_CMD_MIGRATE_NTF)
		return 0;
	if ((obj_has(ev, VSWAP_A_MIGRATE_FROM) &&
	     obj_get(ev, VSWAP_A_MIGRATE_FROM) != w->from) ||
	    (obj_has(ev, VSWAP_A_MIGRATE_TO) &&
	     obj_get(ev, VSWAP_A_MIGRATE_TO) != w->to))
		return 0;
	w->last = *ev;
	w->have_last = true;
	progress_update(&w->pg, obj_get(ev, VSWAP_A_MIGRATE_MOVED_BYTES),
			obj_get(ev, VSWAP_A_MIGRATE_TOTAL_BYTES));
	state = (uint32_t)obj_get(ev, VSWAP_A_MIGRATE_STATE);
	if (obj_has(ev, VSWAP_A_MIGRATE_STATE) && state != VSWAP_MIGRATE_STATE_RUNNING) {
		w->end = true;
		return 1;
	}
	return 0;
}

enum { OPT_FROM = 256, OPT_TO, OPT_IDLE, OPT_MAX, OPT_WAIT };

struct mig_args {
	const char *from, *to;
	bool has_idle, has_max, wait;
	uint32_t idle;
	uint64_t max;
};

static void mig_opt(int opt, const char *arg, void *ctx)
{
	struct mig_args *a = ctx;

	switch (opt) {
	case OPT_FROM:
		a->from = arg;
		break;
	case OPT_TO:
		a->to = arg;
		break;
	case OPT_IDLE:
		a->has_idle = true;
		a->idle = opt_u32("--idle", arg, UINT32_MAX);
		break;
	case OPT_MAX:
		a->has_max = true;
		a->max = opt_size("--max", arg);
		break;
	case OPT_WAIT:
		a->wait = true;
		break;
	}
}

static uint32_t tier_id(uint32_t dev, const char *s)
{
	struct tier_ref ref;
	struct vs_obj t;

	opt_tier(s, &ref);
	if (ref.by_id)
		return ref.id;
	return (uint32_t)tier_resolve(dev, &ref, &t);
}

static const char migrate_usage[] =
"Usage: " PROG " migrate DEV --from TIER --to TIER [--idle SECONDS] [--max SIZE] [--wait]\n"
"Move slots from one tier of a device to another: only slots idle for at\n"
"least --idle seconds, at most --max bytes.  --wait follows the migration to\n"
"its end (a progress bar on a terminal, progress lines otherwise).\n";

int cmd_migrate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to",   required_argument, NULL, OPT_TO },
		{ "idle", required_argument, NULL, OPT_IDLE },
		{ "max",  required_argument, NULL, OPT_MAX },
		{ "wait", no_argument,       NULL, OPT_WAIT },
		{ NULL, 0, NULL, 0 },
	};
	struct mig_args a = { 0 };
	struct mig_wait w;
	struct nl_sock *esk = NULL;
	struct vs_obj reply, *result;
	struct nl_msg *m;
	char **args;
	int nargs, ret;
	uint32_t dev, state;

	parse_cmd_opts(argc, argv, migrate_usage, longopts, NULL, mig_opt, &a,
		       &args, &nargs);
	if (nargs < 1)
		usage_error("which device?");
	if (nargs > 1)
		usage_error("too many arguments: '%s'", args[1]);
	if (!a.from || !a.to)
		usage_error("--from and --to are required");
	dev = opt_dev(args[0]);
	{
		/* Check both before asking the kernel about either. */
		struct tier_ref r;

		opt_tier(a.from, &r);
		opt_tier(a.to, &r);
	}

	memset(&w, 0, sizeof(w));
	w.dev = dev;
	w.from = tier_id(dev, a.from);
	w.to = tier_id(dev, a.to);
	if (a.wait)
		esk = vnl_events_open();	/* before the request: no event missed */

	m = vnl_req(VSWAP_CMD_MIGRATE, false);
	vnl_put_u32(m, VSWAP_A_DEV_ID, dev);
	vnl_put_u32(m, VSWAP_A_MIGRATE_FROM, w.from);
	vnl_put_u32(m, VSWAP_A_MIGRATE_TO, w.to);
	if (a.has_idle)
		vnl_put_u32(m, VSWAP_A_MIGRATE_IDLE, a.idle);
	if (a.has_max)
		vnl_put_u64(m, VSWAP_A_MIGRATE_MAX_BYTES, a.max);
	ret = vnl_do(m, &reply);
	if (ret)
		vnl_die("cannot start the migration", -ret);
	/* The answer names neither tier: fill them in for printing. */
	if (!obj_has(&reply, VSWAP_A_DEV_ID)) {
		reply.has[VSWAP_A_DEV_ID] = true;
		reply.v[VSWAP_A_DEV_ID] = dev;
	}
	reply.has[VSWAP_A_MIGRATE_FROM] = reply.has[VSWAP_A_MIGRATE_TO] = true;
	reply.v[VSWAP_A_MIGRATE_FROM] = w.from;
	reply.v[VSWAP_A_MIGRATE_TO] = w.to;
	result = &reply;
	state = (uint32_t)obj_get(&reply, VSWAP_A_MIGRATE_STATE);

	if (a.wait && (!obj_has(&reply, VSWAP_A_MIGRATE_STATE) ||
		       state == VSWAP_MIGRATE_STATE_RUNNING)) {
		progress_begin(&w.pg, "migrating",
			       obj_get(&reply, VSWAP_A_MIGRATE_TOTAL_BYTES), true);
		while (!w.end && !w.dev_gone) {
			ret = vnl_events_wait(esk, -1, mig_event, &w);
			if (ret == -ENOBUFS)
				warnx_("events lost (receive buffer overran); still waiting");
			else if (ret < 0)
				break;
		}
		progress_end(&w.pg, w.end);
		if (!w.end && !w.dev_gone) {
			warnx_("lost track of the migration: %s", strerror(-ret));
			return EXIT_KERNEL;
		}
		if (w.dev_gone) {
			warnx_("the device went away during the migration");
			return EXIT_KERNEL;
		}
		result = &w.last;
		state = (uint32_t)obj_get(result, VSWAP_A_MIGRATE_STATE);
	}
	if (esk)
		vnl_events_close(esk);

	open_json_object(NULL);
	print_migrate(result);
	close_json_object();
	print_json_end();

	if (a.wait && state == VSWAP_MIGRATE_STATE_FAILED) {
		int e = (int)obj_get(result, VSWAP_A_ERRNO);

		warnx_("the migration failed: %s", e ? strerror(e) : "unknown error");
		return EXIT_KERNEL;
	}
	if (a.wait && state == VSWAP_MIGRATE_STATE_CANCELLED) {
		warnx_("the migration was cancelled (a tier or the device went away)");
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}
