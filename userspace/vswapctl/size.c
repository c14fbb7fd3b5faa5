// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: parsing sizes, numbers, device and tier names; formatting
 * sizes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vswapctl.h"

/* Decimal digits only, no sign, no spaces; 0 or -EINVAL / -ERANGE. */
static int parse_decimal(const char *s, const char **end, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*end = p;
	*out = v;
	return 0;
}

/*
 * SIZE: a decimal number of bytes with an optional binary suffix K, M, G,
 * T, P or E (any case, optionally followed by "B" or "iB"), or a plain
 * number with an optional "B".  "64M", "1G", "4096", "2GiB".
 */
int parse_size(const char *s, uint64_t *out)
{
	static const char suffixes[] = "KMGTPE";
	const char *p, *sfx;
	uint64_t v;
	unsigned int shift = 0;
	int ret;

	ret = parse_decimal(s, &p, &v);
	if (ret)
		return ret;
	if (*p) {
		sfx = strchr(suffixes, toupper((unsigned char)*p));
		if (sfx) {
			shift = 10 * (unsigned int)(sfx - suffixes + 1);
			p++;
			if (*p == 'i')
				p++;
			if (*p == 'B' || *p == 'b')
				p++;
			else if (p[-1] == 'i')
				return -EINVAL;
		} else if (*p == 'B' || *p == 'b') {
			p++;
		}
	}
	if (*p)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	const char *end;
	uint64_t v;
	int ret;

	ret = parse_decimal(s, &end, &v);
	if (ret)
		return ret;
	if (*end)
		return -EINVAL;
	if (v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

/* vswapN, N or /dev/vswapN. */
int parse_dev(const char *s, uint32_t *id)
{
	if (!strncmp(s, "/dev/", 5))
		s += 5;
	if (!strncmp(s, "vswap", 5))
		s += 5;
	return parse_u32(s, UINT32_MAX, id);
}

bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* A number is a tier id; anything else a tier name. */
int parse_tier(const char *s, struct tier_ref *t)
{
	memset(t, 0, sizeof(*t));
	if (all_digits(s)) {
		t->by_id = true;
		return parse_u32(s, UINT32_MAX, &t->id);
	}
	if (!*s)
		return -EINVAL;
	if (strlen(s) >= sizeof(t->name))
		return -ERANGE;
	strcpy(t->name, s);
	return 0;
}

/*
 * Human-readable, binary units: "0", "512B", "4K", "1.5M", "12G", "100T".
 * One decimal below 10 units, when not whole.
 */
const char *fmt_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, len, bytes ? "%lluB" : "0",
			 (unsigned long long)bytes);
		return buf;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (v < 10 && v != (double)(uint64_t)v && (int)(v * 10 + 0.5) % 10)
		snprintf(buf, len, "%.1f%c", v, units[u]);
	else
		snprintf(buf, len, "%.0f%c", v, units[u]);
	return buf;
}
