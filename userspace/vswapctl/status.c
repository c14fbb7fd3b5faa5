// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl status: every device (or one) with its tiers.
 */
#include <stdio.h>

#include "objprint.h"

static const char status_usage[] =
"Usage: " PROG " [-j] [-o COLS] status [DEV]\n"
"Devices at a glance: size, occupancy, compression ratio, metadata, I/O\n"
"and migration counters, and a table of the tiers (-o picks its columns).\n";

int cmd_status(int argc, char **argv)
{
	struct vs_list devs = { 0 }, tiers = { 0 };
	char **args;
	int nargs;
	uint32_t id = 0;

	parse_cmd_opts(argc, argv, status_usage, NULL, NULL, NULL, NULL,
		       &args, &nargs);
	if (nargs > 1)
		usage_error("too many arguments: '%s'", args[1]);
	if (nargs)
		id = opt_dev(args[0]);
	table_check(tier_columns, n_tier_columns, opts.columns);

	get_devs(nargs == 1, id, &devs);
	get_tiers(nargs == 0, id, &tiers);

	if (!devs.n)
		print_text("no vswap devices\n");
	open_json_array(NULL);
	for (size_t i = 0; i < devs.n; i++) {
		const struct vs_obj *d = &devs.o[i];
		uint64_t dev_id = obj_get(d, VSWAP_A_DEV_ID);

		if (i)
			print_text("\n");
		open_json_object(NULL);
		print_dev(d);
		table_begin(tier_columns, n_tier_columns, TIER_STATUS_DEFAULT_COLS,
			    opts.columns, "tiers", 2, false);
		for (size_t j = 0; j < tiers.n; j++) {
			if (obj_get(&tiers.o[j], VSWAP_A_DEV_ID) != dev_id)
				continue;
			table_row_begin();
			print_tier(&tiers.o[j]);
			table_row_end();
		}
		table_end();
		close_json_object();
	}
	close_json_array();
	print_json_end();
	list_free(&devs);
	list_free(&tiers);
	return EXIT_OK;
}
