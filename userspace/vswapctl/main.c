// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: configure vswap devices and tiers over generic netlink.
 *
 * main.c: command dispatch, help, usage errors; the option parsing that
 * every command shares is opts.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json_print.h"
#include "vswapctl.h"

static const char *cur_cmd;		/* "tier add", for the hint */

static const char usage_text[] =
"Usage: " PROG " [OPTIONS] COMMAND [ARGS]\n"
"\n"
"Commands:\n"
"  status [DEV]                 devices and tiers at a glance\n"
"  dev add [NAME] --size SIZE [--algo lz4|lz4hc|zstd] [--level N]\n"
"  dev del DEV\n"
"  dev show [DEV]               (alias: dev list)\n"
"  tier add DEV ram [--algo ALG] [--level N] [--limit SIZE] [--name NAME]\n"
"  tier add DEV /dev/PATH [--name NAME] [--class fast|slow] [--limit SIZE]\n"
"  tier set DEV TIER [--limit SIZE] [--high-wmark PCT] [--low-wmark PCT]\n"
"                    [--idle-age SECONDS] [--priority N] [--name NEW]\n"
"                    [--algo ALG] [--level N]\n"
"  tier del DEV TIER [--drain] [--wait]\n"
"  tier show [DEV [TIER]]       (alias: tier list)\n"
"  migrate DEV --from TIER --to TIER [--idle SECONDS] [--max SIZE] [--wait]\n"
"  monitor [DEV]                print events as they happen, until killed\n"
"  top [DEV] [-d SECS] [-c COUNT] [--batch]\n"
"                               live view of tiers, rates, swap use, engine, events\n"
"  apply [--dry-run] [--prune] [--missing-ok] [--config FILE] [DEV]\n"
"                               bring devices and tiers to vswap.conf(5)\n"
"\n"
"Options (before or after the command):\n"
"  -j, --json           JSON output\n"
"  -p, --pretty         indented JSON (implies -j)\n"
"  -o, --output COLS    table columns, comma-separated: -o name,size;\n"
"                       -o +path adds to the defaults; -o all\n"
"  -b, --bytes          sizes in bytes instead of K, M, G\n"
"  -n, --no-headings    no table headings\n"
"  -V, --version        print the version\n"
"  -h, --help           this help (COMMAND --help: that command's)\n"
"\n"
"DEV is vswapN, N or /dev/vswapN.  TIER is a tier name or numeric id.\n"
"SIZE is a number of bytes with an optional K, M, G or T suffix (x1024).\n"
"\n"
"Examples:\n"
"  " PROG " dev add --size 8G --algo zstd --level 3\n"
"  " PROG " tier set vswap0 ram --limit 2G --high-wmark 90 --low-wmark 70\n"
"  " PROG " tier add vswap0 /dev/nvme0n1 --name nvme --class fast\n"
"  " PROG " migrate vswap0 --from ram --to nvme --idle 300 --wait\n"
"  " PROG " tier del vswap0 nvme --drain --wait\n"
"  " PROG " status -o name,kind,pages,ratio,use_pct\n"
"  " PROG " -j status | python3 -m json.tool\n"
"  " PROG " monitor -j\n"
"  " PROG " top vswap0 -d 1\n"
"  " PROG " -j top -d 1 -c 60 >samples.json\n"
"\n"
"Exit status: 0 success, 1 usage error, 2 the kernel refused the request\n"
"(or the vswap module is not loaded).  See vswapctl(8).\n";

void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '" PROG " %s%s--help' for more information.\n",
		cur_cmd ? cur_cmd : "", cur_cmd ? " " : "");
	exit(EXIT_USAGE);
}

void warnx_(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------------ */
/* Dispatch. */

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs(usage_text, stdout);
	return EXIT_OK;
}

static const struct command commands[] = {
	{ "status",	cmd_status },
	{ "dev",	cmd_dev },
	{ "tier",	cmd_tier },
	{ "migrate",	cmd_migrate },
	{ "monitor",	cmd_monitor },
	{ "apply",	cmd_apply },
	{ "generator",	cmd_generator },
	{ "top",	cmd_top },
	{ "help",	cmd_help },
};

static int dispatch(int argc, char **argv)
{
	const struct command *match = NULL;
	size_t len = strlen(argv[0]);

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[0], commands[i].name)) {
			match = &commands[i];
			break;
		}
		/* A unique prefix will do: "st", "mig". */
		if (len && !strncmp(argv[0], commands[i].name, len)) {
			if (match)
				usage_error("ambiguous command '%s'", argv[0]);
			match = &commands[i];
		}
	}
	if (!match)
		usage_error("unknown command '%s'", argv[0]);
	cur_cmd = match->name;
	return match->fn(argc, argv);
}

int run_subcmd(const char *group, const struct subcmd *subs, size_t n,
	       const char *dflt, int argc, char **argv)
{
	static char name[64];
	const struct subcmd *match = NULL;
	const char *sub = argc > 1 ? argv[1] : dflt;
	size_t len;

	/* "dev -j" and "dev --help": options before the subcommand. */
	if (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		}
		sub = dflt;
		argv[0] = (char *)dflt;
	} else if (argc > 1) {
		argc--;
		argv++;
	} else {
		argv[0] = (char *)dflt;
	}
	len = strlen(sub);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(sub, subs[i].name)) {
			match = &subs[i];
			break;
		}
		if (len && !strncmp(sub, subs[i].name, len)) {
			if (match && match->fn != subs[i].fn)
				usage_error("ambiguous command '%s %s'", group, sub);
			match = &subs[i];
		}
	}
	if (!match)
		usage_error("unknown command '%s %s'", group, sub);
	snprintf(name, sizeof(name), "%s %s", group, match->name);
	cur_cmd = name;
	return match->fn(argc, argv);
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	int ret;

	/* Installed as a systemd generator: a link named vswap-generator. */
	if (!strcmp(base ? base + 1 : argv[0], "vswap-generator")) {
		cur_cmd = "generator";
		return cmd_generator(argc, argv);
	}
	optind = parse_global_opts(argc, argv, usage_text);
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (opts.columns && !opts.columns[0])
		usage_error("-o needs at least one column");
	ret = dispatch(argc - optind, argv + optind);
	if (fflush(stdout) || ferror(stdout)) {
		warnx_("write error: %s", strerror(errno));
		return ret ? ret : EXIT_USAGE;
	}
	return ret;
}
