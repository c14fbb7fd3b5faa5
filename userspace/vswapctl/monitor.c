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

struct mon {
	bool filter;
	uint32_t dev;
};

static int mon_event(const struct vs_obj *ev, void *arg)
{
	struct mon *m = arg;

	if (m->filter && obj_get(ev, VSWAP_A_DEV_ID) != m->dev)
		return 0;
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
	struct mon mon = { 0 };
	struct nl_sock *esk;
	char **args;
	int nargs, ret;

	parse_cmd_opts(argc, argv, monitor_usage, NULL, NULL, NULL, NULL,
		       &args, &nargs);
	if (nargs > 1)
		usage_error("too many arguments: '%s'", args[1]);
	if (nargs) {
		mon.filter = true;
		mon.dev = opt_dev(args[0]);
	}
	/* Every line is flushed: monitor usually feeds a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	esk = vnl_events_open();
	for (;;) {
		ret = vnl_events_wait(esk, -1, mon_event, &mon);
		if (ret == -ENOBUFS) {
			warnx_("events lost (receive buffer overran)");
			continue;
		}
		if (ret < 0) {
			warnx_("cannot read events: %s", strerror(-ret));
			return EXIT_KERNEL;
		}
	}
}
