// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzing the vswap.conf(5) parser and size expressions under ASan and
 * UBSan.  With -DVSWAP_LIBFUZZER this is a libFuzzer target; otherwise
 * main() mutates the seed files given on the command line (bytes
 * flipped, inserted, deleted, lines spliced in from other seeds) with a
 * fixed seed for -t seconds.  Any report of the sanitizers aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../config.h"

struct opts opts;

void usage_error(const char *fmt, ...)
{
	(void)fmt;
	abort();
}

static struct cfg cfg;

static void one(const uint8_t *data, size_t len)
{
	char expr[512], err[160];
	uint64_t v;
	size_t n = len < sizeof(expr) - 1 ? len : sizeof(expr) - 1;

	cfg_init(&cfg, 8ULL << 30);
	if (cfg_parse(&cfg, "fuzz.conf", (const char *)data, len) == 0)
		cfg_finish(&cfg);
	/* A message always ends inside its buffer. */
	if (memchr(cfg.err, '\0', sizeof(cfg.err)) == NULL)
		abort();
	/* The same bytes as one size expression. */
	memcpy(expr, data, n);
	expr[n] = '\0';
	if (size_expr(expr, 8ULL << 30, &v, err, sizeof(err)) == 0 && err[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	one(data, len);
	return 0;
}

#ifndef VSWAP_LIBFUZZER
#define MAX_LEN 4096

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static const char *const tokens[] = {
	"[vswap0]\n", "[vswap1/ram]\n", "[vswap0/nvme]\n", "[vswap0/zero]\n", "size = ",
	"ram", "min(", "max(", ")", "(", "/", "*", "+", "-", ",", "G", "K", "1.5",
	"=", "\n", "device = /dev/x\n", "limit = none\n", "high-wmark = 90\n",
	"low-wmark = 95\n", "algorithm = zstd\n", "level = 99\n", "#", "]", "\r\n",
	"swap-priority = -1\n", "device-timeout = 5s\n", "class = slow\n", "\0",
};

static size_t mutate(uint8_t *buf, size_t len)
{
	for (int k = 1 + (int)rnd(4); k; k--) {
		uint32_t pos = rnd((uint32_t)len + 1);

		switch (rnd(4)) {
		case 0:		/* flip a byte */
			if (len)
				buf[rnd((uint32_t)len)] ^= (uint8_t)(1 + rnd(255));
			break;
		case 1:		/* delete a run */
			if (len) {
				uint32_t n = 1 + rnd(16);

				if (pos + n > len)
					n = (uint32_t)len - pos;
				memmove(buf + pos, buf + pos + n, len - pos - n);
				len -= n;
			}
			break;
		default: {	/* insert a token */
			const char *t = tokens[rnd(sizeof(tokens) / sizeof(tokens[0]))];
			size_t n = *t ? strlen(t) : 1;

			if (len + n > MAX_LEN)
				break;
			memmove(buf + pos + n, buf + pos, len - pos);
			memcpy(buf + pos, t, n);
			len += n;
		}
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	static uint8_t seeds[64][MAX_LEN], buf[MAX_LEN];
	size_t seed_len[64], nseeds = 0, len;
	unsigned long runs = 0;
	double seconds = 5;
	time_t end;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-t")) {
		seconds = atof(argv[2]);
		i = 3;
	}
	for (; i < argc && nseeds < 64; i++) {
		FILE *f = fopen(argv[i], "rb");

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		seed_len[nseeds] = fread(seeds[nseeds], 1, MAX_LEN, f);
		fclose(f);
		one(seeds[nseeds], seed_len[nseeds]);
		nseeds++;
	}
	if (!nseeds) {
		fprintf(stderr, "usage: fuzz_config [-t SECONDS] SEED...\n");
		return 1;
	}
	end = time(NULL) + (time_t)seconds;
	while (time(NULL) < end) {
		for (int j = 0; j < 1000; j++, runs++) {
			size_t s = rnd((uint32_t)nseeds);

			len = seed_len[s];
			memcpy(buf, seeds[s], len);
			len = mutate(buf, len);
			one(buf, len);
		}
	}
	printf("fuzz_config: %lu inputs, no sanitizer reports\n", runs);
	return 0;
}
#endif
