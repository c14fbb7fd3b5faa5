// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: the option parsing every command shares: the global options
 * (-j, -p, -b, -n, -o, -V, -h) before or after the command, a command's
 * own options (parse_cmd_opts), and option values that exit 1 with a
 * usage error (opt_size, opt_dev, ...).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "vswapctl.h"

struct opts opts;

/* ------------------------------------------------------------------ */
/* Option values. */

uint64_t opt_size(const char *opt, const char *s)
{
	uint64_t v;
	int ret = parse_size(s, &v);

	if (ret == -ERANGE)
		usage_error("%s '%s': too large", opt, s);
	if (ret)
		usage_error("%s '%s': not a size (bytes, or a number with K, M, G or T)",
			    opt, s);
	return v;
}

uint32_t opt_u32(const char *opt, const char *s, uint32_t max)
{
	uint32_t v;
	int ret = parse_u32(s, max, &v);

	if (ret == -ERANGE)
		usage_error("%s '%s': out of range (0..%u)", opt, s, max);
	if (ret)
		usage_error("%s '%s': not a number", opt, s);
	return v;
}

uint32_t opt_dev(const char *s)
{
	uint32_t id;

	if (parse_dev(s, &id))
		usage_error("'%s' is not a vswap device (vswapN, N or /dev/vswapN)", s);
	return id;
}

void opt_tier(const char *s, struct tier_ref *t)
{
	int ret = parse_tier(s, t);

	if (ret == -ERANGE && !t->by_id)
		usage_error("tier name '%s' is too long (at most %d characters)",
			    s, VSWAP_NAME_MAX - 1);
	if (ret)
		usage_error("'%s' is not a tier (a name or a numeric id)", s);
}

uint32_t opt_algo(const char *s)
{
	int a = algo_parse(s);

	if (a < 0)
		usage_error("unknown algorithm '%s' (lz4, lz4hc or zstd)", s);
	return (uint32_t)a;
}

/* ------------------------------------------------------------------ */
/* Options. */

static const struct option global_longopts[] = {
	{ "json",		no_argument,		NULL, 'j' },
	{ "pretty",		no_argument,		NULL, 'p' },
	{ "bytes",		no_argument,		NULL, 'b' },
	{ "no-headings",	no_argument,		NULL, 'n' },
	{ "output",		required_argument,	NULL, 'o' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
#define GLOBAL_SHORTOPTS "jpbno:Vh"
#define N_GLOBAL (sizeof(global_longopts) / sizeof(global_longopts[0]) - 1)

static void print_version(void)
{
	printf(PROG " %s (generic netlink family " VSWAP_GENL_NAME " version %d)\n",
	       VSWAPCTL_VERSION, VSWAP_GENL_VERSION);
	exit(EXIT_OK);
}

/* A global option; false when opt is not one. */
static bool global_opt(int opt, const char *arg, const char *usage)
{
	switch (opt) {
	case 'j':
		opts.json = true;
		return true;
	case 'p':
		opts.json = opts.pretty = true;
		return true;
	case 'b':
		opts.bytes = true;
		return true;
	case 'n':
		opts.no_headings = true;
		return true;
	case 'o':
		opts.columns = arg;
		return true;
	case 'V':
		print_version();
		return true;
	case 'h':
		fputs(usage, stdout);
		exit(EXIT_OK);
	}
	return false;
}

static void __attribute__((noreturn)) bad_option(char **argv, int opt)
{
	const char *arg = argv[optind - 1];

	if (opt == ':')
		usage_error("option '%s' needs a value", arg);
	if (optopt && !(arg[0] == '-' && arg[1] == '-'))
		usage_error("unknown option '-%c'", optopt);
	usage_error("unknown option '%s'", arg);
}

void parse_cmd_opts(int argc, char **argv, const char *usage,
		    const struct option *longopts, const char *shortopts,
		    void (*handle)(int opt, const char *arg, void *ctx), void *ctx,
		    char ***args, int *nargs)
{
	struct option all[64];
	char shorts[64];
	size_t n = 0;
	int opt;

	for (size_t i = 0; i < N_GLOBAL; i++)
		all[n++] = global_longopts[i];
	for (size_t i = 0; longopts && longopts[i].name; i++) {
		if (n + 1 >= sizeof(all) / sizeof(all[0]))
			abort();
		all[n++] = longopts[i];
	}
	memset(&all[n], 0, sizeof(all[n]));
	snprintf(shorts, sizeof(shorts), ":" GLOBAL_SHORTOPTS "%s",
		 shortopts ? shortopts : "");

	optind = 0;	/* glibc: full reinitialisation */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shorts, all, NULL)) != -1) {
		if (opt == '?' || opt == ':')
			bad_option(argv, opt);
		if (global_opt(opt, optarg, usage))
			continue;
		handle(opt, optarg, ctx);
	}
	*args = argv + optind;
	*nargs = argc - optind;
}

int parse_global_opts(int argc, char **argv, const char *usage)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:" GLOBAL_SHORTOPTS,
				  global_longopts, NULL)) != -1) {
		if (opt == '?' || opt == ':')
			bad_option(argv, opt);
		global_opt(opt, optarg, usage);
	}
	return optind;
}
