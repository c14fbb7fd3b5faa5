// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of vswap.conf(5) (config.c), size expressions (sizeexpr.c),
 * the apply plan against made-up kernel states (plan.c) and systemd unit
 * names (generator.c).  Files live under a temporary root directory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../config.h"
#include "check.h"


void usage_error(const char *fmt, ...)
{
	(void)fmt;
	abort();
}

void warnx_(const char *fmt, ...)
{
	(void)fmt;
}


#define G (1ULL << 30)
#define M (1ULL << 20)
#define RAM (8 * G)

static struct cfg cfg;

/* ------------------------------------------------------------------ */
/* Size expressions. */

static void expr_is(const char *s, uint64_t want)
{
	char err[160];
	uint64_t v = 0;
	int ret = size_expr(s, RAM, &v, err, sizeof(err));

	CHECK(ret == 0 && v == want, "size_expr(\"%s\") = %d (%s), %llu; want %llu",
	      s, ret, err, (unsigned long long)v, (unsigned long long)want);
}

static void expr_bad(const char *s, const char *msg)
{
	char err[160] = "";
	uint64_t v = 0;
	int ret = size_expr(s, RAM, &v, err, sizeof(err));

	CHECK(ret == -1 && !strcmp(err, msg), "size_expr(\"%s\") = %d, \"%s\"; want \"%s\"",
	      s, ret, err, msg);
}

static void test_expr(void)
{
	expr_is("0", 0);
	expr_is("4096", 4096);
	expr_is("1K", 1024);
	expr_is("1k", 1024);
	expr_is("2M", 2 * M);
	expr_is("3G", 3 * G);
	expr_is("1T", 1024 * G);
	expr_is("1GiB", G);
	expr_is("1GB", G);
	expr_is("1.5G", G + G / 2);
	expr_is("ram", RAM);
	expr_is("RAM", RAM);
	expr_is("ram / 2", 4 * G);
	expr_is("ram/2", 4 * G);
	expr_is("ram * 0.25", 2 * G);
	expr_is("min(ram, 4G)", 4 * G);
	expr_is("min(ram / 2, 8G)", 4 * G);
	expr_is("max(ram, 16G)", 16 * G);
	expr_is("max(1G, 2G, 3G, 2G)", 3 * G);
	expr_is("min(3G, 1G, 2G)", G);
	expr_is("min(4G)", 4 * G);
	expr_is("ram - 1G", 7 * G);
	expr_is("ram + 1G", 9 * G);
	expr_is("2 * (ram + 1G) / 3", 6 * G);
	expr_is("2 * ram + 1G", 17 * G);
	expr_is("1G + 2G * 3", 7 * G);
	expr_is("(1G + 2G) * 3", 9 * G);
	expr_is("10G - 2G - 3G", 5 * G);
	expr_is("16G / 2 / 2", 4 * G);
	expr_is("-1G + 2G", G);
	expr_is("--1G", G);
	expr_is("+1G", G);
	expr_is("  ram\t/ 4  ", 2 * G);
	expr_is("max(min(ram, 4G), 1G) * 2", 8 * G);
	expr_is("7 / 2", 3);
	expr_is("16T", 16 * 1024 * G);
	expr_is("16383T * 1024", 16383ULL << 50);
}

static void test_expr_errors(void)
{
	expr_bad("", "at column 1: the expression ends too early");
	expr_bad("ram /", "at column 6: the expression ends too early");
	expr_bad("ram / 0", "at column 7: division by zero");
	expr_bad("ram / (1G - 1G)", "at column 7: division by zero");
	expr_bad("1X", "at column 2: 'X' after a number: units are K, M, G and T");
	expr_bad("1GX", "at column 3: 'X' after a number: units are K, M, G and T");
	expr_bad("1.", "at column 3: a digit must follow the decimal point");
	expr_bad("mem / 2", "at column 1: unknown name 'mem' (ram, min, max)");
	expr_bad("min 1G", "at column 5: '(' expected after min");
	expr_bad("min(1G 2G)", "at column 8: ',' or ')' expected");
	expr_bad("(1G", "at column 4: ')' expected");
	expr_bad("1G)", "at column 3: unexpected ')'");
	expr_bad("1G 2G", "at column 4: unexpected '2'");
	expr_bad("*2", "at column 1: unexpected '*'");
	expr_bad("1G - 2G", "the size is negative");
	{
		char err[160];
		uint64_t v;

		CHECK(size_expr("ram / 2", 0, &v, err, sizeof(err)) == -1 &&
		      !strcmp(err, "at column 1: the size of RAM is unknown (no MemTotal in /proc/meminfo)"),
		      "ram unknown: %s", err);
		CHECK(size_expr("1G", 0, &v, err, sizeof(err)) == 0 && v == 1ULL << 30,
		      "no ram needed");
	}
	expr_bad("16384T * 1024", "the size is too large");
	expr_bad("((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
		 "at column 33: nested too deeply");
}

/* ------------------------------------------------------------------ */
/* Parsing one text. */

static int parse(const char *text)
{
	cfg_init(&cfg, RAM);
	if (cfg_parse(&cfg, "test.conf", text, strlen(text)))
		return -1;
	return cfg_finish(&cfg);
}

static void parse_bad(const char *text, const char *msg)
{
	int ret = parse(text);

	CHECK(ret == -1 && !strcmp(cfg.err, msg), "config:\n%s\n-> %d \"%s\"\nwant \"%s\"",
	      text, ret, cfg.err, msg);
}

static void test_keys(void)
{
	const struct cfg_dev *d;
	const struct cfg_tier *t;
	int ret;

	ret = parse("# every key\n"
		    "; another comment\n"
		    "\n"
		    "[vswap0]\n"
		    "size = min(ram * 2, 12G)\n"
		    "algorithm = zstd\n"
		    "level = 3\n"
		    "swap-priority = 100\n"
		    "[vswap0/zero]\n"
		    "priority = 5\n"
		    "[vswap0/ram]\n"
		    "limit = ram / 4\n"
		    "high-wmark = 80\n"
		    "low-wmark = 60\n"
		    "idle-age = 600\n"
		    "priority = 1\n"
		    "  [ vswap0/nvme ]  \n"
		    "device = /dev/disk/by-id/nvme-X_1\n"
		    "class = fast\n"
		    "limit = 32G\n"
		    "high-wmark = 95\n"
		    "low-wmark = 85\n"
		    "idle-age = 3600s\n"
		    "priority = 100\n"
		    "device-timeout = 30\n"
		    "[vswap0/hdd]\n"
		    "device=/dev/sdb\n"
		    "class=slow\n"
		    "limit=none\n"
		    "device-timeout=5s\n"
		    "[vswap7]\n"
		    "size = 1G\n"
		    "swap-priority = -1\n");
	CHECK(ret == 0, "every key: %s", cfg.err);
	if (ret)
		return;
	CHECK(cfg.ndevs == 2, "two devices, got %zu", cfg.ndevs);
	d = &cfg.devs[0];
	CHECK(d->id == 0 && d->size == 12 * G && d->algo == VSWAP_ALGO_ZSTD &&
	      d->has_level && d->level == 3 && d->has_swap_prio && d->swap_prio == 100,
	      "vswap0 device keys");
	CHECK(!strcmp(d->where, "test.conf:4"), "vswap0 where %s", d->where);
	CHECK(d->ntiers == 4, "vswap0 has 4 tiers, got %zu", d->ntiers);
	t = &d->tiers[0];
	CHECK(t->kind == VSWAP_TIER_KIND_ZERO && t->set.has_prio && t->set.prio == 5,
	      "zero tier");
	t = &d->tiers[1];
	CHECK(t->kind == VSWAP_TIER_KIND_RAM && t->set.has_limit && t->set.limit == 2 * G &&
	      t->set.high == 80 && t->set.low == 60 && t->set.idle == 600 &&
	      t->set.has_prio && t->set.prio == 1, "ram tier");
	t = &d->tiers[2];
	CHECK(t->kind == VSWAP_TIER_KIND_BLOCK && !strcmp(t->name, "nvme") &&
	      !strcmp(t->path, "/dev/disk/by-id/nvme-X_1") &&
	      t->set.class == VSWAP_TIER_CLASS_FAST && t->set.limit == 32 * G &&
	      t->set.high == 95 && t->set.low == 85 && t->set.idle == 3600 &&
	      t->set.prio == 100 && t->has_timeout && t->device_timeout == 30,
	      "nvme tier");
	CHECK(!strcmp(t->where, "test.conf:17"), "nvme where %s", t->where);
	t = &d->tiers[3];
	CHECK(t->set.class == VSWAP_TIER_CLASS_SLOW && t->set.has_limit && t->set.limit == 0 &&
	      t->device_timeout == 5 && !t->set.has_high, "hdd tier");
	d = &cfg.devs[1];
	CHECK(d->id == 7 && d->size == G && d->swap_prio == -1 && d->algo == -1 &&
	      !d->has_level, "vswap7");

	/* Sizes round down to pages; a later value replaces an earlier one. */
	ret = parse("[vswap1]\nsize = 1G + 100\nsize = 2G + 4097\n");
	CHECK(ret == 0 && cfg.devs[0].size == 2 * G + 4096, "size rounding/override");
	/* A section may come back; keys merge. */
	ret = parse("[vswap1]\nsize=1G\n[vswap1/a]\ndevice=/dev/a\n[vswap1]\nalgorithm=lz4\n"
		    "[vswap1/a]\nclass=slow\n");
	CHECK(ret == 0 && cfg.devs[0].ntiers == 1 && cfg.devs[0].algo == VSWAP_ALGO_LZ4 &&
	      cfg.devs[0].tiers[0].set.class == VSWAP_TIER_CLASS_SLOW, "sections merge");
	/* CRLF line ends, a file without a final newline. */
	ret = parse("[vswap2]\r\nsize = 64M\r\nlevel = 0\r\nalgorithm = lz4hc");
	CHECK(ret == 0 && cfg.devs[0].size == 64 * M && cfg.devs[0].algo == VSWAP_ALGO_LZ4HC,
	      "CRLF: %s", cfg.err);
	ret = parse("");
	CHECK(ret == 0 && cfg.ndevs == 0, "empty file");
}

static void test_errors(void)
{
	parse_bad("size = 1G\n", "test.conf:1: 'size' outside of any section: start with [vswap0]");
	parse_bad("[vswap0\n", "test.conf:1: a section header needs a closing ']'");
	parse_bad("[vswap0] x\n", "test.conf:1: text after the section header: 'x'");
	parse_bad("[zram0]\n", "test.conf:1: [zram0]: a section is [vswapN] or [vswapN/TIER]");
	parse_bad("[vswap]\n", "test.conf:1: [vswap]: a section is [vswapN] or [vswapN/TIER]");
	parse_bad("[vswap01]\n", "test.conf:1: [vswap01]: a section is [vswapN] or [vswapN/TIER]");
	parse_bad("[vswap0x/ram]\n",
		  "test.conf:1: [vswap0x/ram]: a section is [vswapN] or [vswapN/TIER]");
	parse_bad("[vswap0/]\n", "test.conf:1: [vswap0/]: a tier name must not be empty");
	parse_bad("[vswap0/12]\n",
		  "test.conf:1: [vswap0/12]: a tier name cannot be a number (numbers are tier ids)");
	parse_bad("[vswap0/abcdefghijklmnop]\n",
		  "test.conf:1: [vswap0/abcdefghijklmnop]: a tier name has at most 15 characters");
	parse_bad("[vswap0/a b]\n",
		  "test.conf:1: [vswap0/a b]: a tier name may hold only letters, digits, '-', '_' and '.'");
	parse_bad("[vswap0/.x]\n", "test.conf:1: [vswap0/.x]: a tier name must not start with '.'");
	parse_bad("[vswap0/same]\n", "test.conf:1: [vswap0/same]: the tier name \"same\" is reserved");
	parse_bad("[vswap0]\nsize 1G\n",
		  "test.conf:2: 'size 1G': not a 'key = value' line or a [section]");
	parse_bad("[vswap0]\n= 1G\n", "test.conf:2: a line with no key before '='");
	parse_bad("[vswap0]\nsize =\n", "test.conf:2: size: no value");
	parse_bad("[vswap0]\nsise = 1G\n",
		  "test.conf:2: unknown key 'sise' in [vswap0] (known: size, algorithm, level, swap-priority)");
	parse_bad("[vswap0]\nsize=1G\n[vswap0/ram]\nsize = 1G\n",
		  "test.conf:4: [vswap0/ram]: 'size' belongs in the device's section [vswap0]");
	parse_bad("[vswap0/ram]\nfoo = 1\n",
		  "test.conf:2: unknown key 'foo' in [vswap0/ram] (known: limit, high-wmark, low-wmark, idle-age, priority)");
	parse_bad("[vswap0/zero]\nfoo = 1\n",
		  "test.conf:2: unknown key 'foo' in [vswap0/zero] (known: priority)");
	parse_bad("[vswap0/nvme]\nfoo = 1\n",
		  "test.conf:2: unknown key 'foo' in [vswap0/nvme] (known: device, class, limit, high-wmark, low-wmark, idle-age, priority, device-timeout)");
	parse_bad("[vswap0/ram]\ndevice = /dev/sda\n",
		  "test.conf:2: [vswap0/ram]: 'device' is for block device tiers");
	parse_bad("[vswap0/ram]\nclass = fast\n",
		  "test.conf:2: [vswap0/ram]: 'class' is for block device tiers");
	parse_bad("[vswap0/zero]\nlimit = 1G\n",
		  "test.conf:2: [vswap0/zero]: the zero tier has no settings but its priority");
	parse_bad("[vswap0]\nlimit = 1G\n",
		  "test.conf:2: [vswap0]: 'limit' belongs in a tier's section [vswap0/TIER]");
	parse_bad("[vswap0/nvme]\nalgorithm = lz4\n",
		  "test.conf:2: [vswap0/nvme]: 'algorithm' belongs in the device's section [vswap0]");
	parse_bad("[vswap0]\nsize = ram / 0\n",
		  "test.conf:2: size = ram / 0: at column 7: division by zero");
	parse_bad("[vswap0]\nsize = lots\n",
		  "test.conf:2: size = lots: at column 1: unknown name 'lots' (ram, min, max)");
	parse_bad("[vswap0]\nalgorithm = lzo\n", "test.conf:2: algorithm = lzo: lz4, lz4hc or zstd");
	parse_bad("[vswap0]\nlevel = x\n", "test.conf:2: level = x: not a number");
	parse_bad("[vswap0]\nlevel = 99999999999\n",
		  "test.conf:2: level = 99999999999: out of range (0..4294967295)");
	parse_bad("[vswap0]\nswap-priority = 32768\n", "test.conf:2: swap-priority = 32768: -1..32767");
	parse_bad("[vswap0]\nswap-priority = -2\n", "test.conf:2: swap-priority = -2: -1..32767");
	parse_bad("[vswap0]\nswap-priority = high\n", "test.conf:2: swap-priority = high: -1..32767");
	parse_bad("[vswap0/n]\ndevice = sda\n",
		  "test.conf:2: device = sda: an absolute path, e.g. /dev/disk/by-id/...");
	parse_bad("[vswap0/n]\nclass = medium\n", "test.conf:2: class = medium: fast or slow");
	parse_bad("[vswap0/n]\nhigh-wmark = 101\n", "test.conf:2: high-wmark = 101: out of range (0..100)");
	parse_bad("[vswap0/n]\nlow-wmark = -1\n", "test.conf:2: low-wmark = -1: not a number");
	parse_bad("[vswap0/n]\nidle-age = 10m\n", "test.conf:2: idle-age = 10m: not a number");
	parse_bad("[vswap0/n]\npriority = 1.5\n", "test.conf:2: priority = 1.5: not a number");
	parse_bad("[vswap0/n]\ndevice-timeout = forever\n",
		  "test.conf:2: device-timeout = forever: not a number");
	parse_bad("[vswap0/n]\nlimit = 1G -\n",
		  "test.conf:2: limit = 1G -: at column 5: the expression ends too early");
	parse_bad("[vswap0]\nsize=1G\n\n[vswap0/n]\nclass = fast\n",
		  "test.conf:4: [vswap0/n] has no device (device = /dev/...)");
	parse_bad("\n[vswap3]\nalgorithm = zstd\n", "test.conf:2: [vswap3] has no size");
	parse_bad("[vswap3]\nsize = 1000K\n",
		  "test.conf:1: [vswap3]: size 1024000 bytes is out of range (1M..16T)");
	parse_bad("[vswap3]\nsize = 17T\n",
		  "test.conf:1: [vswap3]: size 18691697672192 bytes is out of range (1M..16T)");
	parse_bad("[vswap3]\nsize = 1G\nlevel = 3\n",
		  "test.conf:1: [vswap3]: level needs algorithm (levels differ between algorithms)");
	parse_bad("[vswap3]\nsize = 1G\nalgorithm = lz4hc\nlevel = 17\n",
		  "test.conf:1: [vswap3]: level 17 is out of range for lz4hc (lz4 1..64, lz4hc 1..16, zstd 1..22, 0 = default)");
	parse_bad("[vswap3]\nsize = 1G\n[vswap3/ram]\nhigh-wmark = 50\nlow-wmark = 50\n",
		  "test.conf:3: low-wmark (50) must be below high-wmark (50)");
	parse_bad("[vswap3]\nsize = 1G\n[vswap3/a]\ndevice=/dev/x\n[vswap3/b]\ndevice=/dev/x\n",
		  "test.conf:5: [vswap3/b]: /dev/x is the device of tier a too");
	{
		char big[2000];

		memset(big, 'x', sizeof(big));
		big[sizeof(big) - 1] = '\0';
		parse_bad(big, "test.conf:1: the line is too long (at most 1023 characters)");
	}
	{
		static const char nul[] = "[vswap0]\nsize\0= 1G\n";

		cfg_init(&cfg, RAM);
		CHECK(cfg_parse(&cfg, "test.conf", nul, sizeof(nul) - 1) == -1 &&
		      !strcmp(cfg.err, "test.conf:2: a NUL byte: not a text file"), "NUL: %s", cfg.err);
	}
	{
		/* Tier and device limits. */
		char text[8192];
		size_t n = 0;

		n += (size_t)snprintf(text + n, sizeof(text) - n, "[vswap0]\nsize=1G\n");
		for (int i = 0; i <= CFG_MAX_TIERS; i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "[vswap0/t%d]\n", i);
		parse_bad(text, "test.conf:19: vswap0: too many tiers (at most 16)");
		n = 0;
		for (int i = 0; i <= CFG_MAX_DEVS; i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "[vswap%d]\n", i);
		parse_bad(text, "test.conf:33: too many devices (at most 32)");
	}
}

/* ------------------------------------------------------------------ */
/* Files under a temporary root. */

static char root[64];

static void put(const char *path, const char *text)
{
	char full[512], dir[512], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	unlink(full);		/* not through a link to /dev/null */
	snprintf(dir, sizeof(dir), "%s", full);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	f = fopen(full, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(full);
		exit(1);
	}
}

static void link_null(const char *path)
{
	char full[512];

	snprintf(full, sizeof(full), "%s%s", root, path);
	unlink(full);
	if (symlink("/dev/null", full)) {
		perror(full);
		exit(1);
	}
}

static int load(void)
{
	struct cfg_source src = { .root = root };

	return cfg_load(&cfg, &src);
}

static void test_files(void)
{
	char buf[600];
	int ret;

	snprintf(root, sizeof(root), "/tmp/vswap-test-config.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(1);
	}

	ret = load();
	CHECK(ret == 0 && cfg.ndevs == 0 && cfg.ram == 0, "no files: no devices");
	put("/proc/meminfo", "MemTotal:        4096000 kB\nMemFree:  1 kB\n");
	CHECK(cfg_mem_total(root) == 4096000ULL * 1024, "MemTotal");

	/* The vendor's file alone. */
	put("/usr/lib/vswap/vswap.conf", "[vswap0]\nsize = ram / 2\nalgorithm = lz4\n");
	ret = load();
	CHECK(ret == 0 && cfg.ndevs == 1 && cfg.devs[0].size == 2048000ULL * 1024 &&
	      cfg.devs[0].algo == VSWAP_ALGO_LZ4, "vendor file: %s", cfg.err);

	/* /etc/vswap.conf replaces it. */
	put("/etc/vswap.conf", "[vswap1]\nsize = 1G\n");
	ret = load();
	CHECK(ret == 0 && cfg.ndevs == 1 && cfg.devs[0].id == 1, "/etc replaces /usr/lib");

	/* Drop-ins: both directories, lexical order, /etc masks /usr/lib. */
	put("/usr/lib/vswap/vswap.conf.d/10-algo.conf", "[vswap1]\nalgorithm = lz4hc\n");
	put("/usr/lib/vswap/vswap.conf.d/20-nvme.conf",
	    "[vswap1/nvme]\ndevice = /dev/vendor\n");
	put("/usr/lib/vswap/vswap.conf.d/README", "not a drop-in\n");
	put("/etc/vswap.conf.d/15-algo.conf", "[vswap1]\nalgorithm = zstd\nlevel = 5\n");
	put("/etc/vswap.conf.d/.hidden.conf", "garbage\n");
	ret = load();
	CHECK(ret == 0 && cfg.devs[0].algo == VSWAP_ALGO_ZSTD && cfg.devs[0].level == 5 &&
	      cfg.devs[0].ntiers == 1 && !strcmp(cfg.devs[0].tiers[0].path, "/dev/vendor"),
	      "lexical order over both dirs: %s", cfg.err);
	put("/etc/vswap.conf.d/20-nvme.conf", "[vswap1/nvme]\ndevice = /dev/local\n");
	ret = load();
	CHECK(ret == 0 && !strcmp(cfg.devs[0].tiers[0].path, "/dev/local"),
	      "/etc drop-in masks /usr/lib's: %s", cfg.err);
	put("/etc/vswap.conf.d/05-algo.conf", "[vswap1]\nalgorithm = lz4\n");
	ret = load();
	CHECK(ret == 0 && cfg.devs[0].algo == VSWAP_ALGO_ZSTD, "05 before 10 before 15");
	link_null("/etc/vswap.conf.d/15-algo.conf");
	ret = load();
	CHECK(ret == 0 && cfg.devs[0].algo == VSWAP_ALGO_LZ4HC && !cfg.devs[0].has_level,
	      "a link to /dev/null masks: %s", cfg.err);
	link_null("/etc/vswap.conf");
	ret = load();
	snprintf(buf, sizeof(buf), "%s/etc/vswap.conf.d/05-algo.conf:1: [vswap1] has no size", root);
	CHECK(ret == -1 && !strcmp(cfg.err, buf),
	      "masked main file: the drop-ins alone give no size: %s", cfg.err);
	put("/etc/vswap.conf", "[vswap1]\nsize = 1G\n");

	/* Errors name the file and line. */
	put("/etc/vswap.conf.d/30-bad.conf", "# comment\n\n[vswap1/nvme]\nspeed = fast\n");
	ret = load();
	snprintf(buf, sizeof(buf),
		 "%s/etc/vswap.conf.d/30-bad.conf:4: unknown key 'speed' in [vswap1/nvme] (known: device, class, limit, high-wmark, low-wmark, idle-age, priority, device-timeout)",
		 root);
	CHECK(ret == -1 && !strcmp(cfg.err, buf), "drop-in error: %s", cfg.err);
	{
		struct cfg_source src = { .root = root, .config = "/nonexistent/x.conf" };

		ret = cfg_load(&cfg, &src);
		CHECK(ret == -1 && !strcmp(cfg.err, "cannot read /nonexistent/x.conf: No such file or directory"),
		      "--config missing: %s", cfg.err);
		snprintf(buf, sizeof(buf), "%s/etc/vswap.conf", root);
		src.config = buf;
		ret = cfg_load(&cfg, &src);
		CHECK(ret == 0 && cfg.ndevs == 1 && cfg.devs[0].algo == -1,
		      "--config: only that file: %s", cfg.err);
	}

	/* The kernel command line. */
	CHECK(!gen_cmdline_off(root), "no cmdline");
	put("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda quiet\n");
	CHECK(!gen_cmdline_off(root), "cmdline without vswap=");
	put("/proc/cmdline", "root=/dev/vda vswap=off quiet\n");
	CHECK(gen_cmdline_off(root), "vswap=off");
	put("/proc/cmdline", "vswap=0\n");
	CHECK(gen_cmdline_off(root), "vswap=0");
	put("/proc/cmdline", "vswap=off vswap=on\n");
	CHECK(!gen_cmdline_off(root), "the last vswap= wins");
	put("/proc/cmdline", "myvswap=off vswap.size=1G\n");
	CHECK(!gen_cmdline_off(root), "other parameters");

	snprintf(buf, sizeof(buf), "rm -rf '%s'", root);
	if (system(buf))
		fprintf(stderr, "could not remove %s\n", root);
}

/* ------------------------------------------------------------------ */
/* Plans against made-up kernel states. */

static struct vs_list kdevs, ktiers;

static void kset(struct vs_obj *o, int attr, uint64_t v)
{
	o->has[attr] = true;
	o->v[attr] = v;
}

static void kdev(uint32_t id, uint64_t size)
{
	struct vs_obj o = { 0 };

	kset(&o, VSWAP_A_DEV_ID, id);
	kset(&o, VSWAP_A_DEV_SIZE, size);
	list_push(&kdevs, &o);
}

static struct vs_obj *ktier(uint32_t dev, uint32_t id, const char *name, uint32_t kind,
			    const char *path)
{
	struct vs_obj o = { 0 };

	kset(&o, VSWAP_A_DEV_ID, dev);
	kset(&o, VSWAP_A_TIER_ID, id);
	kset(&o, VSWAP_A_TIER_NAME, 0);
	snprintf(o.tier_name, sizeof(o.tier_name), "%s", name);
	kset(&o, VSWAP_A_TIER_KIND, kind);
	kset(&o, VSWAP_A_TIER_PRIORITY, kind == VSWAP_TIER_KIND_RAM ? 1 : 100);
	kset(&o, VSWAP_A_TIER_HIGH_WMARK, 90);
	kset(&o, VSWAP_A_TIER_LOW_WMARK, 70);
	kset(&o, VSWAP_A_TIER_IDLE_AGE, 0);
	kset(&o, VSWAP_A_TIER_LIMIT, 0);
	if (kind == VSWAP_TIER_KIND_RAM) {
		kset(&o, VSWAP_A_TIER_ALGO, VSWAP_ALGO_LZ4);
		kset(&o, VSWAP_A_TIER_LEVEL, 1);
	}
	if (path) {
		kset(&o, VSWAP_A_TIER_PATH, 0);
		snprintf(o.tier_path, sizeof(o.tier_path), "%s", path);
		kset(&o, VSWAP_A_TIER_CLASS, VSWAP_TIER_CLASS_FAST);
	}
	o.tier_stats.has[VSWAP_STATS_A_PAGES] = true;
	o.tier_stats.v[VSWAP_STATS_A_PAGES] = 10;
	list_push(&ktiers, &o);
	return &ktiers.o[ktiers.n - 1];
}

static void kreset(void)
{
	list_free(&kdevs);
	list_free(&ktiers);
}

/* "/dev/missing*" does not exist; "/dev/alias-X" is the same disk as "/dev/X". */
static bool fake_path_ok(const char *path)
{
	return strncmp(path, "/dev/missing", 12) != 0;
}

static bool fake_same_dev(const char *a, const char *b)
{
	if (!strncmp(a, "/dev/alias-", 11))
		return !strcmp(a + 11, b + 5);
	if (!strncmp(b, "/dev/alias-", 11))
		return !strcmp(b + 11, a + 5);
	return !strcmp(a, b);
}

static struct plan plan;

static int mkplan(bool prune, bool missing_ok)
{
	struct plan_opts o = {
		.prune = prune, .missing_ok = missing_ok,
		.path_ok = fake_path_ok, .same_dev = fake_same_dev,
	};

	plan_free(&plan);
	return plan_make(&plan, &cfg, &kdevs, &ktiers, &o);
}

/* The plan, one "op dev/tier mask" word per item: "add 0/nvme", "set 0/ram:5". */
static const char *plan_str(void)
{
	static char buf[1024];
	static const char *const ops[] = { "create", "add", "set", "del" };
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < plan.n; i++) {
		const struct plan_item *it = &plan.items[i];

		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s %u%s%s", i ? " " : "",
				      ops[it->op], it->dev, it->tier[0] ? "/" : "", it->tier);
		if (it->op == PLAN_TIER_SET)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, ":%x", it->mask);
	}
	return buf;
}

#define PLAN_IS(want, ...) do {						\
	const char *_got = plan_str();					\
	CHECK(!strcmp(_got, want), __VA_ARGS__);			\
	if (strcmp(_got, want))						\
		fprintf(stderr, "  plan \"%s\"\n  want \"%s\"\n", _got, want); \
} while (0)

static const char conf_full[] =
	"[vswap0]\nsize = 1G\nalgorithm = zstd\nlevel = 3\n"
	"[vswap0/ram]\nlimit = 256M\nhigh-wmark = 80\nlow-wmark = 60\n"
	"[vswap0/nvme]\ndevice = /dev/nvme0n1\nclass = fast\nidle-age = 3600\n"
	"[vswap0/hdd]\ndevice = /dev/sdb\nclass = slow\n";

/* The kernel state conf_full asks for. */
static void kfull(void)
{
	struct vs_obj *t;

	kreset();
	kdev(0, G);
	ktier(0, 0, "zero", VSWAP_TIER_KIND_ZERO, NULL);
	t = ktier(0, 1, "ram", VSWAP_TIER_KIND_RAM, NULL);
	t->v[VSWAP_A_TIER_ALGO] = VSWAP_ALGO_ZSTD;
	t->v[VSWAP_A_TIER_LEVEL] = 3;
	t->v[VSWAP_A_TIER_LIMIT] = 256 * M;
	t->v[VSWAP_A_TIER_HIGH_WMARK] = 80;
	t->v[VSWAP_A_TIER_LOW_WMARK] = 60;
	t = ktier(0, 2, "nvme", VSWAP_TIER_KIND_BLOCK, "/dev/nvme0n1");
	t->v[VSWAP_A_TIER_IDLE_AGE] = 3600;
	t = ktier(0, 3, "hdd", VSWAP_TIER_KIND_BLOCK, "/dev/sdb");
	t->v[VSWAP_A_TIER_CLASS] = VSWAP_TIER_CLASS_SLOW;
}

static void test_plan(void)
{
	struct vs_obj *t;
	int ret;

	/* Nothing in the kernel: create, ram settings, add both tiers. */
	CHECK(parse(conf_full) == 0, "conf_full: %s", cfg.err);
	kreset();
	CHECK(mkplan(false, false) == 0, "fresh: %s", plan.err);
	PLAN_IS("create 0 set 0/ram:1c add 0/nvme add 0/hdd", "fresh plan");
	CHECK(plan.items[2].want.class == VSWAP_TIER_CLASS_FAST &&
	      plan.items[2].want.idle == 3600 && !strcmp(plan.items[2].path, "/dev/nvme0n1") &&
	      plan.items[0].cdev->algo == VSWAP_ALGO_ZSTD, "fresh plan values");

	/* Already there: no changes (idempotent). */
	kfull();
	CHECK(mkplan(false, false) == 0 && plan.n == 0 && plan.nnotes == 0,
	      "applied state: no changes (%s)", plan_str());
	/* The same disk under another path (by-id link) is the same tier. */
	ktiers.o[2].tier_path[0] = '\0';
	strcpy(ktiers.o[2].tier_path, "/dev/alias-nvme0n1");
	CHECK(mkplan(false, false) == 0 && plan.n == 0, "by-id alias: no changes (%s)", plan_str());

	/* Changed settings. */
	kfull();
	ktiers.o[1].v[VSWAP_A_TIER_LIMIT] = 64 * M;
	ktiers.o[1].v[VSWAP_A_TIER_LOW_WMARK] = 70;
	ktiers.o[2].v[VSWAP_A_TIER_IDLE_AGE] = 60;
	CHECK(mkplan(false, false) == 0, "changed: %s", plan.err);
	PLAN_IS("set 0/ram:14 set 0/nvme:20", "changed settings");
	CHECK(plan.items[0].want.limit == 256 * M && plan.items[0].cur.v[VSWAP_A_TIER_LIMIT] == 64 * M,
	      "set carries old and new values");

	/* Algorithm and level of the ram tier. */
	kfull();
	ktiers.o[1].v[VSWAP_A_TIER_ALGO] = VSWAP_ALGO_LZ4;
	CHECK(mkplan(false, false) == 0, "algo: %s", plan.err);
	PLAN_IS("set 0/ram:3", "algorithm and level");
	kfull();
	ktiers.o[1].v[VSWAP_A_TIER_LEVEL] = 1;
	mkplan(false, false);
	PLAN_IS("set 0/ram:2", "level only");

	/* A tier missing from the kernel is added; one not in the config kept. */
	kfull();
	ktiers.n--;		/* hdd */
	ktier(0, 3, "old", VSWAP_TIER_KIND_BLOCK, "/dev/sdc");
	CHECK(mkplan(false, false) == 0, "missing tier: %s", plan.err);
	PLAN_IS("add 0/hdd", "add the missing tier");
	CHECK(plan.nnotes == 1 && strstr(plan.notes[0], "vswap0/old (/dev/sdc) is not in the config; kept"),
	      "note about the kept tier: %s", plan.nnotes ? plan.notes[0] : "none");
	/* --prune: drained and removed after the additions. */
	CHECK(mkplan(true, false) == 0, "prune: %s", plan.err);
	PLAN_IS("add 0/hdd del 0/old", "prune after add");
	CHECK(plan.items[1].pages == 10 && !strcmp(plan.items[1].path, "/dev/sdc"), "del carries pages");

	/* A renamed tier (same disk, new name) is renamed, not re-added. */
	kfull();
	strcpy(ktiers.o[3].tier_name, "slowdisk");
	CHECK(mkplan(false, false) == 0, "rename: %s", plan.err);
	PLAN_IS("set 0/hdd:80", "rename by id");
	CHECK(plan.items[0].by_id && plan.items[0].tier_id == 3, "rename addresses the id");

	/* Another disk or class under the same name: only with --prune. */
	kfull();
	strcpy(ktiers.o[3].tier_path, "/dev/sdz");
	ret = mkplan(false, false);
	CHECK(ret == -1 && !strcmp(plan.err, "test.conf:13: vswap0/hdd is /dev/sdz (slow) in the kernel, the config says /dev/sdb (slow): replacing a tier drains it, use --prune"),
	      "replace without --prune: %s", plan.err);
	CHECK(mkplan(true, false) == 0, "replace: %s", plan.err);
	PLAN_IS("del 0/hdd add 0/hdd", "replace: drain first, then add");
	kfull();
	ktiers.o[3].v[VSWAP_A_TIER_CLASS] = VSWAP_TIER_CLASS_FAST;
	CHECK(mkplan(false, false) == -1 && strstr(plan.err, "is /dev/sdb (fast) in the kernel"),
	      "class change: %s", plan.err);

	/* The device's size cannot change. */
	kfull();
	kdevs.o[0].v[VSWAP_A_DEV_SIZE] = 2 * G;
	CHECK(mkplan(false, false) == -1 &&
	      !strcmp(plan.err, "test.conf:1: vswap0 is 2G, the config says 1G: a device cannot be resized (swapoff, vswapctl dev del vswap0, then apply)"),
	      "resize: %s", plan.err);

	/* The ram tier deleted by hand comes back with its settings. */
	kfull();
	memmove(&ktiers.o[1], &ktiers.o[2], 2 * sizeof(ktiers.o[0]));
	ktiers.n--;
	CHECK(mkplan(false, false) == 0, "ram gone: %s", plan.err);
	PLAN_IS("add 0/ram", "re-add ram");
	CHECK(plan.items[0].kind == VSWAP_TIER_KIND_RAM && plan.items[0].want.algo == VSWAP_ALGO_ZSTD &&
	      plan.items[0].want.level == 3 && plan.items[0].want.limit == 256 * M, "ram add values");

	/* A kernel tier of another kind under a block tier's name. */
	CHECK(parse("[vswap0]\nsize=1G\n[vswap0/zram]\ndevice=/dev/x\n") == 0, "zram conf");
	kfull();
	strcpy(ktiers.o[1].tier_name, "zram");
	CHECK(mkplan(false, false) == -1 && strstr(plan.err, "vswap0/zram is a ram tier in the kernel"),
	      "kind clash: %s", plan.err);

	/* Missing disks: an error, or skipped with --missing-ok. */
	CHECK(parse("[vswap0]\nsize=1G\n[vswap0/nvme]\ndevice=/dev/missing-nvme\n"
		    "[vswap0/hdd]\ndevice=/dev/sdb\n") == 0, "missing conf");
	kreset();
	ret = mkplan(false, false);
	CHECK(ret == -1 && !strcmp(plan.err, "test.conf:3: vswap0/nvme: /dev/missing-nvme does not exist (--missing-ok skips it)"),
	      "missing disk: %s", plan.err);
	CHECK(mkplan(false, true) == 0, "missing-ok: %s", plan.err);
	PLAN_IS("create 0 add 0/hdd", "missing-ok skips the tier");
	CHECK(plan.nnotes == 1 && !strcmp(plan.notes[0], "vswap0/nvme: /dev/missing-nvme does not exist; the tier is skipped"),
	      "missing note");
	kreset();
	kdev(0, G);
	ktier(0, 0, "zero", VSWAP_TIER_KIND_ZERO, NULL);
	ktier(0, 1, "ram", VSWAP_TIER_KIND_RAM, NULL);
	CHECK(mkplan(false, true) == 0, "missing-ok existing dev: %s", plan.err);
	PLAN_IS("add 0/hdd", "missing-ok on an existing device");

	/* Zero tier priority; one device of several; other devices untouched. */
	CHECK(parse("[vswap0]\nsize=1G\n[vswap0/zero]\npriority=7\n[vswap2]\nsize=64M\n") == 0,
	      "zero conf");
	kreset();
	kdev(0, G);
	kdev(5, G);
	t = ktier(0, 0, "zero", VSWAP_TIER_KIND_ZERO, NULL);
	t->v[VSWAP_A_TIER_PRIORITY] = 0;
	ktier(0, 1, "ram", VSWAP_TIER_KIND_RAM, NULL);
	ktier(5, 1, "ram", VSWAP_TIER_KIND_RAM, NULL);
	CHECK(mkplan(true, false) == 0, "zero: %s", plan.err);
	PLAN_IS("create 2 set 0/zero:40", "zero priority, vswap5 untouched even with --prune");
	{
		struct plan_opts o = { .one_dev = true, .dev = 2, .path_ok = fake_path_ok };

		plan_free(&plan);
		CHECK(plan_make(&plan, &cfg, &kdevs, &ktiers, &o) == 0, "one dev");
		PLAN_IS("create 2", "only vswap2");
		o.dev = 9;
		plan_free(&plan);
		CHECK(plan_make(&plan, &cfg, &kdevs, &ktiers, &o) == -1 &&
		      !strcmp(plan.err, "vswap9 is not in the configuration"), "unknown dev");
	}
	plan_free(&plan);
	kreset();
}

/* ------------------------------------------------------------------ */

static void unit_is(const char *path, const char *want)
{
	char buf[256];
	int ret = unit_name_from_path(path, ".device", buf, sizeof(buf));

	CHECK(ret == 0 && !strcmp(buf, want), "unit name of %s: \"%s\", want \"%s\"",
	      path, buf, want);
}

static void test_unit_names(void)
{
	char small[8];

	unit_is("/dev/sdb", "dev-sdb.device");
	unit_is("/dev/nvme0n1", "dev-nvme0n1.device");
	unit_is("/dev/disk/by-id/nvme-QEMU_NVMe_Ctrl_vswapnvme",
		"dev-disk-by\\x2did-nvme\\x2dQEMU_NVMe_Ctrl_vswapnvme.device");
	unit_is("//dev//disk/by-label/x y/", "dev-disk-by\\x2dlabel-x\\x20y.device");
	unit_is("/.hidden/a.b", "\\x2ehidden-a.b.device");
	unit_is("/", "-.device");
	CHECK(unit_name_from_path("/dev/sdb", ".device", small, sizeof(small)) == -1,
	      "too long for the buffer");
}

int main(void)
{
	test_expr();
	test_expr_errors();
	test_keys();
	test_errors();
	test_files();
	test_plan();
	test_unit_names();
	printf("test_config: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
