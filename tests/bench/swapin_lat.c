// SPDX-License-Identifier: GPL-2.0
/*
 * swapin_lat: latency of single swap-in faults, for tests/bench.
 *
 * Maps M MiB of private anonymous memory (no THP), fills every page with
 * incompressible xorshift output derived from (seed, page index), and
 * pushes it all out to swap with madvise(MADV_PAGEOUT) (Linux 5.4+),
 * repeating until VmSwap covers the mapping.  Then, optionally, it writes
 * READY and blocks reading FIFO (-r READY -w FIFO), so that the caller
 * can move the swap slots to the tier it wants to measure; whatever is
 * written to FIFO resumes it.
 *
 * Measurement: every page is touched once, in a random order (a seeded
 * shuffle), and only its first access (a one-byte read) is timed with
 * clock_gettime(CLOCK_MONOTONIC): on a SWP_SYNCHRONOUS_IO device (zram,
 * vswap) each is one swap-in fault, read directly into a new page with
 * no readahead.  Each page is verified completely after its timed
 * access.  The major fault count over the loop is printed so that the
 * caller can check that every access was a swap-in.
 *
 * Output: '# ' diagnostic lines and one result line:
 *   swapin_lat pages N swapped N majflt N median_us X p99_us Y
 *     mean_us X min_us X max_us X
 * Exit 0 when every page verified, 1 on a mismatch, 2 on usage or
 * setup errors (including pages that would not go out to swap).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

#define PAGE_SZ		4096UL
#define WORDS		(PAGE_SZ / sizeof(uint64_t))

static void die(int rc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static void die(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("# swapin_lat: error: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
	exit(rc);
}

static uint64_t mix(uint64_t x)
{
	/* splitmix64 finalizer: a good seed from (seed, index) */
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint64_t page_seed(uint64_t seed, size_t idx)
{
	uint64_t s = mix(seed ^ mix(idx));

	return s ? s : 1;
}

static void fill_page(uint64_t *p, uint64_t seed, size_t idx)
{
	uint64_t s = page_seed(seed, idx);
	size_t i;

	for (i = 0; i < WORDS; i++)
		p[i] = xorshift(&s);
}

/* Index of the first differing word, or -1. */
static long check_page(const uint64_t *p, uint64_t seed, size_t idx)
{
	uint64_t s = page_seed(seed, idx);
	size_t i;

	for (i = 0; i < WORDS; i++)
		if (p[i] != xorshift(&s))
			return (long)i;
	return -1;
}

static long vm_swap_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSwap: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static long majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[n]. */
static double pct(const double *v, size_t n, double p)
{
	size_t k = (size_t)(p / 100.0 * n + 0.999999);

	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static void wait_go(const char *ready, const char *fifo, size_t swapped)
{
	char buf[64];
	FILE *f;
	int fd;

	f = fopen(ready, "w");
	if (!f)
		die(2, "%s: %s", ready, strerror(errno));
	fprintf(f, "swapped %zu\n", swapped);
	fclose(f);
	printf("# swapped out, wrote %s, waiting on %s\n", ready, fifo);
	fflush(stdout);
	fd = open(fifo, O_RDONLY);
	if (fd < 0)
		die(2, "open %s: %s", fifo, strerror(errno));
	if (read(fd, buf, sizeof(buf)) < 0)
		die(2, "read %s: %s", fifo, strerror(errno));
	close(fd);
}

int main(int argc, char **argv)
{
	const char *ready = NULL, *fifo = NULL;
	uint64_t seed = 1234, rs;
	size_t mib = 16, n, i, bad = 0;
	long swap_kb = 0, mf0, mf1;
	double *lat, t0, t1, sum = 0;
	unsigned char *map;
	size_t *order;
	int opt, tries;

	while ((opt = getopt(argc, argv, "m:s:r:w:")) != -1) {
		switch (opt) {
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'r': ready = optarg; break;
		case 'w': fifo = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-m MiB] [-s seed] [-r readyfile -w fifo]\n",
				argv[0]);
			return 2;
		}
	}
	if (!mib || !ready != !fifo)
		die(2, "bad arguments (-m > 0; -r and -w together)");
	n = mib * (1 << 20) / PAGE_SZ;
	lat = calloc(n, sizeof(*lat));
	order = calloc(n, sizeof(*order));
	if (!lat || !order)
		die(2, "out of memory");

	map = mmap(NULL, n * PAGE_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		die(2, "mmap %zu MiB: %s", mib, strerror(errno));
	/* 4 KiB pages only: a THP would go out and come back differently. */
	madvise(map, n * PAGE_SZ, MADV_NOHUGEPAGE);
	for (i = 0; i < n; i++)
		fill_page((uint64_t *)(map + i * PAGE_SZ), seed, i);

	/* Pages still in a per-CPU LRU batch are skipped: try again. */
	for (tries = 1; ; tries++) {
		if (madvise(map, n * PAGE_SZ, MADV_PAGEOUT))
			die(2, "madvise(MADV_PAGEOUT): %s (Linux 5.4+ needed)", strerror(errno));
		swap_kb = vm_swap_kb();
		if (swap_kb >= (long)(n * (PAGE_SZ / 1024)) || tries == 20)
			break;
		usleep(100000);
	}
	printf("# %zu pages, VmSwap %ld kB after %d madvise(MADV_PAGEOUT)\n",
	       n, swap_kb, tries);
	if (swap_kb < (long)(n * (PAGE_SZ / 1024)) * 99 / 100)
		die(2, "only %ld of %zu kB went out to swap", swap_kb, n * (PAGE_SZ / 1024));

	if (ready)
		wait_go(ready, fifo, (size_t)swap_kb / (PAGE_SZ / 1024));

	/* Fisher-Yates with the seed: the same order on every device. */
	for (i = 0; i < n; i++)
		order[i] = i;
	rs = mix(seed) | 1;
	for (i = n - 1; i > 0; i--) {
		size_t j = xorshift(&rs) % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}

	mf0 = majflt();
	for (i = 0; i < n; i++) {
		volatile unsigned char *p = map + order[i] * PAGE_SZ;
		long w;

		t0 = now_us();
		(void)*p;
		t1 = now_us();
		lat[i] = t1 - t0;
		w = check_page((const uint64_t *)p, seed, order[i]);
		if (w >= 0 && bad++ < 8)
			printf("# page %zu differs from word %ld on\n", order[i], w);
	}
	mf1 = majflt();
	if (bad)
		die(1, "%zu of %zu pages differ after swap-in", bad, n);

	for (i = 0; i < n; i++)
		sum += lat[i];
	qsort(lat, n, sizeof(*lat), cmp_double);
	printf("swapin_lat pages %zu swapped %ld majflt %ld median_us %.1f p99_us %.1f "
	       "mean_us %.1f min_us %.1f max_us %.1f\n",
	       n, swap_kb / (long)(PAGE_SZ / 1024), mf1 - mf0, pct(lat, n, 50),
	       pct(lat, n, 99), sum / n, lat[0], lat[n - 1]);
	printf("# swapin_lat: PASS\n");
	return 0;
}
