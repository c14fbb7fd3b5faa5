// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of vswapctl's parsers and formatters: sizes, numbers, device
 * and tier names, human-readable sizes, the JSON writer, and netlink
 * messages into struct vs_obj (obj_parse, its policy checks).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "../json_print.h"
#include "../json_writer.h"
#include "../obj.h"
#include "../vswapctl.h"
#include "check.h"

struct opts opts;

void usage_error(const char *fmt, ...)
{
	(void)fmt;
	abort();
}


static void size_ok(const char *s, uint64_t want)
{
	uint64_t v = 0;
	int ret = parse_size(s, &v);

	CHECK(ret == 0 && v == want, "parse_size(\"%s\") = %d, %llu; want %llu",
	      s, ret, (unsigned long long)v, (unsigned long long)want);
}

static void size_bad(const char *s, int want)
{
	uint64_t v = 0;
	int ret = parse_size(s, &v);

	CHECK(ret == want, "parse_size(\"%s\") = %d; want %d", s, ret, want);
}

static void fmt_is(uint64_t bytes, const char *want)
{
	char buf[32];

	fmt_size(bytes, buf, sizeof(buf));
	CHECK(!strcmp(buf, want), "fmt_size(%llu) = \"%s\"; want \"%s\"",
	      (unsigned long long)bytes, buf, want);
}

static void dev_is(const char *s, int ret_want, uint32_t id_want)
{
	uint32_t id = 0;
	int ret = parse_dev(s, &id);

	CHECK(ret == ret_want && (ret || id == id_want),
	      "parse_dev(\"%s\") = %d, %u", s, ret, id);
}

static void json_is(void (*fn)(void), bool pretty, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	jw_init(f, pretty);
	fn();
	fclose(f);
	CHECK(!strcmp(buf, want), "JSON:\n%s\nwant:\n%s", buf, want);
	free(buf);
}

static void json_doc(void)
{
	jw_start_array(NULL);
	jw_start_object(NULL);
	jw_string("s", "a\"b\\c\n\t\x01\x7f/é");
	jw_uint("u", UINT64_MAX);
	jw_double("d", 1.0 / 3, 2);
	jw_bool("t", true);
	jw_null("n");
	jw_string("null", NULL);
	jw_start_array("empty");
	jw_end_array();
	jw_start_object("o");
	jw_uint("x", 0);
	jw_end_object();
	jw_end_object();
	jw_end_array();
	jw_end_line();
}

/* A message of cmd with a tier-id and what put() adds, parsed. */
static int parse(void (*put)(struct nl_msg *m), struct vs_obj *o, char *err, size_t len)
{
	struct nl_msg *m = nlmsg_alloc();
	int ret;

	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0, 0,
			       VSWAP_CMD_TIER_GET, VSWAP_GENL_VERSION))
		abort();
	nla_put_u32(m, VSWAP_A_TIER_ID, 7);
	put(m);
	err[0] = '\0';
	ret = obj_parse(m, o, err, len);
	nlmsg_free(m);
	return ret;
}

static void put_good(struct nl_msg *m)
{
	struct nlattr *nest;

	nla_put_string(m, VSWAP_A_TIER_NAME, "nvme");
	nla_put_u64(m, VSWAP_A_TIER_LIMIT, 1ULL << 40);
	nla_put_u8(m, VSWAP_A_DEV_IN_USE, 1);
	nla_put_flag(m, VSWAP_A_TIER_DRAIN);
	nla_put_u32(m, VSWAP_A_MAX + 1, 5);	/* a newer kernel's */
	nest = nla_nest_start(m, VSWAP_A_TIER_STATS);
	nla_put_u64(m, VSWAP_STATS_A_PAGES, 42);
	nla_nest_end(m, nest);
}

static void put_short_u64(struct nl_msg *m)
{
	nla_put_u32(m, VSWAP_A_TIER_LIMIT, 1);
}

static void put_bad_string(struct nl_msg *m)
{
	nla_put(m, VSWAP_A_TIER_NAME, 4, "nvme");	/* no NUL */
}

static void put_short_stat(struct nl_msg *m)
{
	struct nlattr *nest = nla_nest_start(m, VSWAP_A_DEV_STATS);

	nla_put_u32(m, VSWAP_STATS_A_READS, 1);
	nla_nest_end(m, nest);
}

static void obj_parse_checks(void)
{
	struct vs_obj o;
	char err[128];

	CHECK(parse(put_good, &o, err, sizeof(err)) == 0 &&
	      o.cmd == VSWAP_CMD_TIER_GET && obj_get(&o, VSWAP_A_TIER_ID) == 7 &&
	      obj_has(&o, VSWAP_A_TIER_NAME) && !strcmp(o.tier_name, "nvme") &&
	      obj_get(&o, VSWAP_A_TIER_LIMIT) == 1ULL << 40 &&
	      obj_get(&o, VSWAP_A_DEV_IN_USE) == 1 && obj_get(&o, VSWAP_A_TIER_DRAIN) == 1 &&
	      o.tier_stats.has[VSWAP_STATS_A_PAGES] &&
	      o.tier_stats.v[VSWAP_STATS_A_PAGES] == 42 &&
	      !o.tier_stats.has[VSWAP_STATS_A_READS] && !obj_has(&o, VSWAP_A_DEV_ID),
	      "obj_parse of a good message: %s", err);
	CHECK(parse(put_short_u64, &o, err, sizeof(err)) < 0 &&
	      !strncmp(err, "attribute tier-limit: ", 22), "short u64: \"%s\"", err);
	CHECK(parse(put_bad_string, &o, err, sizeof(err)) < 0 &&
	      !strncmp(err, "attribute tier-name: ", 21), "string without NUL: \"%s\"", err);
	CHECK(parse(put_short_stat, &o, err, sizeof(err)) < 0 &&
	      !strncmp(err, "attribute dev-stats: ", 21), "short counter: \"%s\"", err);
}

int main(void)
{
	struct tier_ref t;
	uint32_t u;

	size_ok("0", 0);
	size_ok("4096", 4096);
	size_ok("4096B", 4096);
	size_ok("1k", 1024);
	size_ok("1K", 1024);
	size_ok("64M", 64ULL << 20);
	size_ok("64MB", 64ULL << 20);
	size_ok("2GiB", 2ULL << 30);
	size_ok("16T", 16ULL << 40);
	size_ok("1P", 1ULL << 50);
	size_ok("15E", 15ULL << 60);
	size_ok("18446744073709551615", UINT64_MAX);
	size_bad("18446744073709551616", -ERANGE);
	size_bad("16E", -ERANGE);
	size_bad("17179869184G", -ERANGE);
	size_bad("", -EINVAL);
	size_bad("M", -EINVAL);
	size_bad("-1", -EINVAL);
	size_bad("+1", -EINVAL);
	size_bad(" 1", -EINVAL);
	size_bad("1 ", -EINVAL);
	size_bad("1.5G", -EINVAL);
	size_bad("0x10", -EINVAL);
	size_bad("12Q", -EINVAL);
	size_bad("1KiBB", -EINVAL);
	size_bad("1Ki", -EINVAL);
	size_bad("1iB", -EINVAL);

	fmt_is(0, "0");
	fmt_is(512, "512B");
	fmt_is(1024, "1K");
	fmt_is(1536, "1.5K");
	fmt_is(4352, "4.2K");
	fmt_is(10 * 1024, "10K");
	fmt_is(10 * 1024 - 1, "10K");
	fmt_is(64ULL << 20, "64M");
	fmt_is(8ULL << 30, "8G");
	fmt_is(UINT64_MAX, "16E");

	dev_is("vswap3", 0, 3);
	dev_is("3", 0, 3);
	dev_is("/dev/vswap31", 0, 31);
	dev_is("vswap", -EINVAL, 0);
	dev_is("vswapx", -EINVAL, 0);
	dev_is("/dev/sda", -EINVAL, 0);
	dev_is("", -EINVAL, 0);
	dev_is("vswap-1", -EINVAL, 0);
	dev_is("vswap99999999999", -ERANGE, 0);

	CHECK(parse_tier("2", &t) == 0 && t.by_id && t.id == 2, "tier 2");
	CHECK(parse_tier("ram", &t) == 0 && !t.by_id && !strcmp(t.name, "ram"), "tier ram");
	CHECK(parse_tier("2fast", &t) == 0 && !t.by_id, "tier 2fast is a name");
	CHECK(parse_tier("abcdefghijklmno", &t) == 0, "15 characters");
	CHECK(parse_tier("abcdefghijklmnop", &t) == -ERANGE, "16 characters");
	CHECK(parse_tier("", &t) == -EINVAL, "empty tier");

	CHECK(parse_u32("100", 100, &u) == 0 && u == 100, "u32 at max");
	CHECK(parse_u32("101", 100, &u) == -ERANGE, "u32 over max");
	CHECK(parse_u32("4294967296", UINT32_MAX, &u) == -ERANGE, "u32 overflow");
	CHECK(parse_u32("1x", 100, &u) == -EINVAL, "u32 garbage");

	CHECK(algo_parse("zstd") == VSWAP_ALGO_ZSTD && algo_parse("LZ4HC") == VSWAP_ALGO_LZ4HC &&
	      algo_parse("lzo") < 0, "algorithms");
	CHECK(class_parse("slow") == VSWAP_TIER_CLASS_SLOW && class_parse("x") < 0, "classes");

	obj_parse_checks();

	json_is(json_doc, false,
		"[{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\\u007f/é\",\"u\":18446744073709551615,"
		"\"d\":0.33,\"t\":true,\"n\":null,\"null\":null,\"empty\":[],\"o\":{\"x\":0}}]\n");
	json_is(json_doc, true,
		"[\n    {\n        \"s\": \"a\\\"b\\\\c\\n\\t\\u0001\\u007f/é\",\n"
		"        \"u\": 18446744073709551615,\n        \"d\": 0.33,\n"
		"        \"t\": true,\n        \"n\": null,\n        \"null\": null,\n"
		"        \"empty\": [],\n        \"o\": {\n            \"x\": 0\n        }\n"
		"    }\n]\n");

	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
