// SPDX-License-Identifier: GPL-2.0
/*
 * vswap_race: overwrite, discard and read slots of /dev/vswapN while the
 * migration engine moves them, on every CPU at once, and check that no
 * slot ever reads back anything but its latest content.
 *
 * Usage: vswap_race [-d DEV] [-s SECONDS] [-t THREADS] [-p PAGES]
 *
 * Each thread owns a disjoint, interleaved set of PAGES / THREADS slots
 * (slot % THREADS == thread), so the expected content of every slot is
 * known without locking: a header (magic, slot, generation) and a body
 * derived from it, half of it compressible, so pages land on every tier.
 * Operations, at random: write a new generation (most), discard
 * (BLKDISCARD, the slot then reads as zeroes), read and verify.  The
 * test script runs migrations between all tiers meanwhile.  At the end
 * every slot is verified once more.
 *
 * Exit: 0 all verified, 1 a mismatch (reported), 2 usage or I/O setup
 * error.  Prints '# ' lines with the operation counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define PG		4096UL
#define MAGIC		0x6563617270617773ULL	/* "swaprace" */

struct worker {
	pthread_t tid;
	unsigned int id;
	uint64_t seed;
	uint32_t *gen;			/* per owned slot; 0 = discarded/never */
	uint64_t writes, discards, reads, errors;
};

static int fd;
static unsigned int nr_threads = 2;
static unsigned long nr_pages = 8192;
static double seconds = 20;
static volatile int failed;

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill(uint8_t *p, uint64_t slot, uint32_t gen)
{
	uint64_t s = (slot << 32 | gen) * 0x9e3779b97f4a7c15ULL + 1;
	uint64_t *w = (uint64_t *)p;
	size_t i;

	w[0] = MAGIC;
	w[1] = slot;
	w[2] = gen;
	/* Even generations compress well, odd ones do not. */
	for (i = 3; i < PG / 8; i++)
		w[i] = (gen & 1) ? xorshift(&s) : (slot + i / 64);
}

static bool check(const uint8_t *got, uint64_t slot, uint32_t gen,
		  struct worker *w, const char *when)
{
	static uint8_t zero[PG];
	uint8_t want[PG];

	if (!gen) {
		if (!memcmp(got, zero, PG))
			return true;
	} else {
		fill(want, slot, gen);
		if (!memcmp(got, want, PG))
			return true;
	}
	printf("# MISMATCH %s: slot %" PRIu64 " want gen %u, got magic %#" PRIx64
	       " slot %" PRIu64 " gen %" PRIu64 "\n", when, slot, gen,
	       ((const uint64_t *)got)[0], ((const uint64_t *)got)[1],
	       ((const uint64_t *)got)[2]);
	w->errors++;
	failed = 1;
	return false;
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	unsigned long per = nr_pages / nr_threads;
	double end = now() + seconds;
	uint8_t *buf;

	if (posix_memalign((void **)&buf, PG, PG))
		return NULL;
	while (now() < end && !failed) {
		unsigned long k = xorshift(&w->seed) % per;
		uint64_t slot = k * nr_threads + w->id;
		unsigned int op = xorshift(&w->seed) % 16;
		uint64_t range[2] = { slot * PG, PG };

		if (op < 9) {
			fill(buf, slot, ++w->gen[k]);
			if (pwrite(fd, buf, PG, slot * PG) != (ssize_t)PG) {
				printf("# write slot %" PRIu64 ": %s\n", slot, strerror(errno));
				failed = 1;
				break;
			}
			w->writes++;
		} else if (op < 11) {
			if (ioctl(fd, BLKDISCARD, range)) {
				printf("# discard slot %" PRIu64 ": %s\n", slot, strerror(errno));
				failed = 1;
				break;
			}
			w->gen[k] = 0;
			w->discards++;
		} else {
			if (pread(fd, buf, PG, slot * PG) != (ssize_t)PG) {
				printf("# read slot %" PRIu64 ": %s\n", slot, strerror(errno));
				failed = 1;
				break;
			}
			check(buf, slot, w->gen[k], w, "during the run");
			w->reads++;
		}
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/vswap0";
	struct worker *ws;
	uint8_t *buf;
	unsigned int t;
	unsigned long k;
	uint64_t tot[4] = { 0 };
	int c;

	while ((c = getopt(argc, argv, "d:s:t:p:")) != -1) {
		switch (c) {
		case 'd': dev = optarg; break;
		case 's': seconds = atof(optarg); break;
		case 't': nr_threads = atoi(optarg); break;
		case 'p': nr_pages = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s [-d DEV] [-s SECONDS] [-t THREADS] [-p PAGES]\n", argv[0]);
			return 2;
		}
	}
	if (!nr_threads || nr_pages < nr_threads)
		return 2;
	fd = open(dev, O_RDWR | O_DIRECT);
	if (fd < 0) {
		perror(dev);
		return 2;
	}
	ws = calloc(nr_threads, sizeof(*ws));
	for (t = 0; t < nr_threads; t++) {
		ws[t].id = t;
		ws[t].seed = 0x5eed + t * 7919;
		ws[t].gen = calloc(nr_pages / nr_threads, sizeof(uint32_t));
		pthread_create(&ws[t].tid, NULL, worker, &ws[t]);
	}
	for (t = 0; t < nr_threads; t++)
		pthread_join(ws[t].tid, NULL);
	/* Final pass: every owned slot holds its last generation. */
	if (posix_memalign((void **)&buf, PG, PG))
		return 2;
	for (t = 0; t < nr_threads; t++) {
		for (k = 0; k < nr_pages / nr_threads; k++) {
			uint64_t slot = k * nr_threads + t;

			if (pread(fd, buf, PG, slot * PG) != (ssize_t)PG) {
				printf("# final read slot %" PRIu64 ": %s\n", slot, strerror(errno));
				return 1;
			}
			check(buf, slot, ws[t].gen[k], &ws[t], "at the end");
		}
		tot[0] += ws[t].writes;
		tot[1] += ws[t].discards;
		tot[2] += ws[t].reads;
		tot[3] += ws[t].errors;
	}
	printf("# %u threads, %lu pages, %.0f s: %" PRIu64 " writes, %" PRIu64
	       " discards, %" PRIu64 " verified reads, %" PRIu64 " mismatches\n",
	       nr_threads, nr_pages, seconds, tot[0], tot[1], tot[2], tot[3]);
	return failed ? 1 : 0;
}
