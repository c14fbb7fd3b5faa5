// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl monitor: the events multicast group, as text or JSON lines;
 * and the event printer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "objprint.h"

/* Event text lines: "EVENT DEV key value ...", these keys when present. */
static const struct column event_columns[] = {
	{ "id",		 "ID",	     false, NULL },
	{ "name",	 "NAME",     true,  NULL },
	{ "size",	 "SIZE",     false, NULL },
	{ "kind",	 "KIND",     true,  NULL },
	{ "class",	 "CLASS",    true,  NULL },
	{ "path",	 "PATH",     true,  NULL },
	{ "algo",	 "ALGO",     true,  NULL },
	{ "level",	 "LEVEL",    false, NULL },
	{ "limit",	 "LIMIT",    false, NULL },
	{ "from",	 "FROM",     false, NULL },
	{ "to",		 "TO",	     false, NULL },
	{ "state",	 "STATE",    true,  NULL },
	{ "moved_bytes", "MOVED",    false, NULL },
	{ "total_bytes", "TOTAL",    false, NULL },
	{ "wmark",	 "WMARK",    true,  NULL },
	{ "io_op",	 "OP",	     true,  NULL },
	{ "errno",	 "ERRNO",    true,  NULL },
	{ "error_count", "ERRORS",   false, NULL },
};

/*
 * One event: JSON {"event": "tier-add", "dev": ..., "dev_id": ..., then
 * the keys of the object it is about}; text "tier-add vswap0 id 2 ...".
 * Attributes the event does not carry are left out.
 */
void print_event(const struct vs_obj *ev)
{
	const char *cols = "id,name,from,to,state,moved_bytes,total_bytes,"
			   "wmark,io_op,errno,error_count";
	char dev[32];
	const char *name = obj_dev_name(ev, dev, sizeof(dev));

	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s", event_name(ev->cmd));
	print_text(" %s", name ? name : "-");
	obj_sparse = true;
	switch (ev->cmd) {
	case VSWAP_CMD_DEV_ADD_NTF:
	case VSWAP_CMD_DEV_DEL_NTF:
		if (name)
			print_string(PRINT_JSON, "dev", NULL, name);
		pr_attr_u64(ev, VSWAP_A_DEV_ID, "dev_id", NULL);
		cols = "size";
		break;
	case VSWAP_CMD_TIER_ADD_NTF:
		cols = "id,name,kind,class,state,path,algo,level,limit";
		break;
	}
	table_begin(event_columns, sizeof(event_columns) / sizeof(event_columns[0]),
		    cols, NULL, NULL, 0, true);
	table_row_begin();
	switch (ev->cmd) {
	case VSWAP_CMD_DEV_ADD_NTF:
	case VSWAP_CMD_DEV_DEL_NTF:
		print_dev(ev);
		break;
	case VSWAP_CMD_MIGRATE_NTF:
		print_migrate(ev);
		break;
	default:
		print_tier(ev);
		break;
	}
	pr_attr_enum(ev, VSWAP_A_WMARK, "wmark", NULL, wmark_name);
	pr_attr_enum(ev, VSWAP_A_IO_OP, "io_op", NULL, io_op_name);
	if (ev->cmd != VSWAP_CMD_MIGRATE_NTF && obj_has(ev, VSWAP_A_ERRNO)) {
		const char *e = strerrorname_np((int)obj_get(ev, VSWAP_A_ERRNO));

		print_u64(PRINT_JSON, "errno", NULL, obj_get(ev, VSWAP_A_ERRNO));
		print_string(PRINT_TEXT, "errno", NULL,
			     e ? e : strerror((int)obj_get(ev, VSWAP_A_ERRNO)));
	}
	pr_attr_u64(ev, VSWAP_A_ERROR_COUNT, "error_count", NULL);
	table_row_end();
	table_end();
	obj_sparse = false;
	print_text("\n");
	close_json_object();
	print_json_end();
}

/* ------------------------------------------------------------------ */
/* The events group, for monitor and top. */

struct ev_filter {
	const struct ev_sub *sub;
	int (*cb)(const struct vs_obj *ev, void *arg);
	void *arg;
};

static int ev_filtered(const struct vs_obj *ev, void *arg)
{
	const struct ev_filter *f = arg;

	if (f->sub->filter && obj_get(ev, VSWAP_A_DEV_ID) != f->sub->dev)
		return 0;
	return f->cb(ev, f->arg);
}

void ev_sub_open(struct ev_sub *sub, bool filter, uint32_t dev)
{
	memset(sub, 0, sizeof(*sub));
	sub->filter = filter;
	sub->dev = dev;
	sub->sk = vnl_events_open();
}

int ev_sub_wait(struct ev_sub *sub, int timeout_ms,
		int (*cb)(const struct vs_obj *ev, void *arg), void *arg)
{
	struct ev_filter f = { .sub = sub, .cb = cb, .arg = arg };
	int ret = vnl_events_wait(sub->sk, timeout_ms, ev_filtered, &f);

	if (ret == -ENOBUFS) {
		sub->lost++;
		return 0;
	}
	return ret < 0 ? ret : 0;
}

void ev_sub_close(struct ev_sub *sub)
{
	vnl_events_close(sub->sk);
	sub->sk = NULL;
}

static int mon_event(const struct vs_obj *ev, void *arg)
{
	(void)arg;
	print_event(ev);
	return 0;
}

static const char monitor_usage[] =
"Usage: " PROG " [-j] monitor [DEV]\n"
"Print vswap events (devices and tiers added and removed, drains,\n"
"migration progress, watermarks, I/O errors) as they happen, one line each\n"
"(JSON: one object per line), until killed.  DEV: that device's only.\n";

int cmd_monitor(int argc, char **argv)
{
	struct ev_sub sub;
	char **args;
	int nargs, ret;

	parse_cmd_opts(argc, argv, monitor_usage, NULL, NULL, NULL, NULL,
		       &args, &nargs);
	if (nargs > 1)
		usage_error("too many arguments: '%s'", args[1]);
	/* Every line is flushed: monitor usually feeds a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	ev_sub_open(&sub, nargs == 1, nargs ? opt_dev(args[0]) : 0);
	for (;;) {
		unsigned long lost = sub.lost;

		ret = ev_sub_wait(&sub, -1, mon_event, NULL);
		if (sub.lost != lost)
			warnx_("events lost (receive buffer overran)");
		if (ret < 0) {
			warnx_("cannot read events: %s", strerror(-ret));
			return EXIT_KERNEL;
		}
	}
}
