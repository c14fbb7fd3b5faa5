// SPDX-License-Identifier: GPL-2.0
/*
 * swap_stress: a real-swapping workload that verifies every byte.
 *
 * Maps N MiB of anonymous memory, splits it between T threads and fills
 * every page with content derived from (page index, generation, seed).
 * The content mixes every kind a swap device sees:
 *
 *   kind      share  content
 *   zero       3/16  all zeroes
 *   same       2/16  one repeating non-zero 32-bit word
 *   text       5/16  header + words from a small dictionary (compressible)
 *   random     4/16  header + xorshift output (incompressible)
 *   half       2/16  header + random first half, zero second half
 *
 * Then, for each pass, every thread walks its pages in a freshly shuffled
 * order, verifies each page completely and rewrites about a quarter of
 * them with the next generation.  A final sequential pass verifies
 * everything once more.  Run it in a memory cgroup whose memory.max is
 * below N MiB and the pages go through swap (out and back in) many times.
 *
 * Pause mode (-r READY -w FIFO [-P PASS]...): after pass PASS (0 = the
 * initial write; -P may be repeated) every thread stops; the program
 * writes READY and blocks reading FIFO.  Whatever is written to FIFO
 * resumes it.  The tests use this to swapoff (or try to rmmod) while the
 * data sits in swap, or to look at the device between passes, and then
 * have every byte verified.
 *
 * -c keeps to the kinds that compress (zero, same, text: 3/10, 2/10, 5/10),
 * so that a working set several times RAM fits in compressed RAM.
 *
 * -C PAGE flips one byte of PAGE after the initial write: a self-test
 * proving the checker catches corruption (the run must fail).
 *
 * Output: '# ' diagnostic lines; exit 0 when every page verified, 1 on
 * any mismatch, 2 on usage or setup errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "page_content.h"

#define MAX_REPORTS	16

struct thread_ctx {
	pthread_t tid;
	unsigned int id;
	size_t first, nr;		/* page range */
	uint32_t *order;		/* shuffled page order */
	uint8_t *expect;		/* one page of expected content */
	uint64_t verified, mismatches, rewritten;
};

static uint8_t *region;
static uint32_t *gens;
static size_t nr_pages;
static uint64_t seed = 0x5eed5eedULL;
static unsigned int nr_threads = 2, nr_passes = 3;
/* Bit N: pause after pass N (-P N, repeatable). */
static uint32_t pause_mask;
static long corrupt_page = -1;	/* -C: checker self-test */
static const char *ready_path, *fifo_path;
static struct thread_ctx *ctx;
static pthread_barrier_t barrier;
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int reports;
static double t_start;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("# swap_stress: error: ", stdout);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	exit(2);
}

static uint64_t page_hash(uint64_t idx, uint32_t gen)
{
	return pc_hash(seed, idx, gen);
}

/* -c: only kinds that compress (zero, same, text), for a RAM-only swap. */
static bool compressible;

static enum kind page_kind(uint64_t h)
{
	return pc_kind(h, compressible);
}

static void fill_page(uint8_t *p, uint64_t idx, uint32_t gen)
{
	pc_fill(p, seed, compressible, idx, gen);
}

static void report(struct thread_ctx *t, size_t idx, const uint8_t *got,
		   int pass)
{
	uint32_t gen = gens[idx];
	enum kind k = page_kind(page_hash(idx, gen));
	const struct page_hdr *hdr = (const void *)got;
	size_t off, ndiff = 0, first = PAGE_SZ;

	fill_page(t->expect, idx, gen);
	for (off = 0; off < PAGE_SZ; off++) {
		if (got[off] != t->expect[off]) {
			if (first == PAGE_SZ)
				first = off;
			ndiff++;
		}
	}
	pthread_mutex_lock(&report_lock);
	if (reports++ < MAX_REPORTS) {
		printf("# MISMATCH pass %d thread %u: page %zu gen %u kind %s: %zu bytes differ, first at %zu (expected %02x got %02x)",
		       pass, t->id, idx, gen, kind_name[k], ndiff, first,
		       first < PAGE_SZ ? t->expect[first] : 0,
		       first < PAGE_SZ ? got[first] : 0);
		if (hdr->magic == HDR_MAGIC)
			printf("; page holds page %" PRIu64 " gen %u%s",
			       hdr->idx, hdr->gen,
			       hdr->idx == idx && hdr->gen < gen ? " (stale)" : "");
		else if (ndiff == PAGE_SZ - first && first == 0)
			printf("; no header");
		printf("\n");
		fflush(stdout);
	}
	pthread_mutex_unlock(&report_lock);
}

/* Verify page @idx in place; returns true when it matches. */
static bool verify_page(struct thread_ctx *t, size_t idx, int pass)
{
	const uint8_t *p = region + idx * PAGE_SZ;
	bool ok = pc_check(p, seed, compressible, idx, gens[idx], t->expect);

	t->verified++;
	if (!ok) {
		t->mismatches++;
		report(t, idx, p, pass);
	}
	return ok;
}

static void shuffle(struct thread_ctx *t, int pass)
{
	uint64_t s = mix64(seed ^ ((uint64_t)t->id << 32) ^ (uint64_t)pass) | 1;
	size_t i, j;
	uint32_t tmp;

	for (i = t->nr - 1; i > 0; i--) {
		j = xorshift(&s) % (i + 1);
		tmp = t->order[i];
		t->order[i] = t->order[j];
		t->order[j] = tmp;
	}
}

static void do_pause(int pass)
{
	char buf[64];
	FILE *f;
	int fd;

	f = fopen(ready_path, "w");
	if (!f)
		die("open %s: %s", ready_path, strerror(errno));
	fprintf(f, "paused after pass %d, %zu pages\n", pass, nr_pages);
	fclose(f);
	printf("# paused after pass %d (%.1f s): wrote %s, waiting on %s\n",
	       pass, now() - t_start, ready_path, fifo_path);
	fflush(stdout);
	fd = open(fifo_path, O_RDONLY);
	if (fd < 0)
		die("open %s: %s", fifo_path, strerror(errno));
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	printf("# resumed (%.1f s)\n", now() - t_start);
	fflush(stdout);
}

static void sync_point(int pass, double *t_pass)
{
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) {
		double n = now();
		uint64_t v = 0, m = 0, r = 0;
		unsigned int i;

		for (i = 0; i < nr_threads; i++) {
			v += ctx[i].verified;
			m += ctx[i].mismatches;
			r += ctx[i].rewritten;
		}
		if (pass == 0)
			printf("# pass 0: wrote %zu pages in %.1f s\n",
			       nr_pages, n - *t_pass);
		else
			printf("# pass %d: %.1f s; totals: verified %" PRIu64 ", rewritten %" PRIu64 ", mismatches %" PRIu64 "\n",
			       pass, n - *t_pass, v, r, m);
		fflush(stdout);
		if (pass < 32 && (pause_mask & (1u << pass)))
			do_pause(pass);
		*t_pass = now();
	}
	pthread_barrier_wait(&barrier);
}

static double t_pass;

static void *worker(void *arg)
{
	struct thread_ctx *t = arg;
	size_t i, idx;
	int pass;

	/* Pass 0: initial write, sequential. */
	for (i = 0; i < t->nr; i++) {
		idx = t->first + i;
		gens[idx] = 1;
		fill_page(region + idx * PAGE_SZ, idx, 1);
		t->order[i] = idx;
	}
	if (corrupt_page >= 0 && (size_t)corrupt_page >= t->first &&
	    (size_t)corrupt_page < t->first + t->nr)
		region[corrupt_page * PAGE_SZ + 100] ^= 0x40;
	sync_point(0, &t_pass);

	for (pass = 1; pass <= (int)nr_passes; pass++) {
		shuffle(t, pass);
		for (i = 0; i < t->nr; i++) {
			idx = t->order[i];
			verify_page(t, idx, pass);
			if ((mix64(seed ^ idx ^ ((uint64_t)pass << 40)) & 3) == 0) {
				gens[idx]++;
				fill_page(region + idx * PAGE_SZ, idx, gens[idx]);
				t->rewritten++;
			}
		}
		sync_point(pass, &t_pass);
	}

	/* Final pass: sequential, verify only. */
	for (i = 0; i < t->nr; i++)
		verify_page(t, t->first + i, pass);
	return NULL;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-m MiB] [-t threads] [-p passes] [-s seed] [-c]\n"
		"          [-r readyfile -w fifo [-P pause_after_pass]...]\n"
		"          [-C page: corrupt it after the write (checker self-test)]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long mib = 64;
	uint64_t verified = 0, mismatches = 0, rewritten = 0;
	size_t kinds[NR_KINDS] = { 0 }, i, per;
	double elapsed;
	int opt;

	while ((opt = getopt(argc, argv, "m:t:p:s:r:w:P:C:ch")) != -1) {
		switch (opt) {
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 't': nr_threads = strtoul(optarg, NULL, 0); break;
		case 'p': nr_passes = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'r': ready_path = optarg; break;
		case 'w': fifo_path = optarg; break;
		case 'P': {
			int p = atoi(optarg);

			if (p < 0 || p > 31)
				die("-P %d: a pass from 0 to 31", p);
			pause_mask |= 1u << p;
			break;
		}
		case 'C': corrupt_page = atol(optarg); break;
		case 'c': compressible = true; break;
		default: usage(argv[0]);
		}
	}
	if (optind != argc || !mib || !nr_threads || nr_threads > 256)
		usage(argv[0]);
	if (!ready_path != !fifo_path)
		usage(argv[0]);
	if (ready_path && !pause_mask)
		pause_mask = 1;
	if (pause_mask >> nr_passes > 1)
		die("-P %d is beyond the last pass (%u)",
		    31 - __builtin_clz(pause_mask), nr_passes);
	if (!ready_path)
		pause_mask = 0;

	nr_pages = mib * (1024 * 1024 / PAGE_SZ);
	if (nr_pages < nr_threads)
		die("%lu MiB is too small for %u threads", mib, nr_threads);
	region = mmap(NULL, nr_pages * PAGE_SZ, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (region == MAP_FAILED)
		die("mmap %lu MiB: %s", mib, strerror(errno));
	/* 4 KiB pages: swap them one by one, not as THPs. */
	madvise(region, nr_pages * PAGE_SZ, MADV_NOHUGEPAGE);
	gens = calloc(nr_pages, sizeof(*gens));
	ctx = calloc(nr_threads, sizeof(*ctx));
	if (!gens || !ctx)
		die("out of memory");
	for (i = 0; i < nr_pages; i++)
		kinds[page_kind(page_hash(i, 1))]++;

	printf("# swap_stress: %lu MiB = %zu pages, %u threads, %u passes, seed 0x%" PRIx64 "\n",
	       mib, nr_pages, nr_threads, nr_passes, seed);
	printf("# initial kinds: zero %zu, same %zu, text %zu, random %zu, half %zu\n",
	       kinds[K_ZERO], kinds[K_SAME], kinds[K_TEXT], kinds[K_RANDOM],
	       kinds[K_HALF]);
	fflush(stdout);

	if (pthread_barrier_init(&barrier, NULL, nr_threads))
		die("pthread_barrier_init failed");
	per = nr_pages / nr_threads;
	t_start = t_pass = now();
	for (i = 0; i < nr_threads; i++) {
		struct thread_ctx *t = &ctx[i];

		t->id = i;
		t->first = i * per;
		t->nr = i == nr_threads - 1 ? nr_pages - t->first : per;
		t->order = calloc(t->nr, sizeof(*t->order));
		t->expect = aligned_alloc(PAGE_SZ, PAGE_SZ);
		if (!t->order || !t->expect)
			die("out of memory");
	}
	for (i = 0; i < nr_threads; i++)
		if (pthread_create(&ctx[i].tid, NULL, worker, &ctx[i]))
			die("pthread_create failed");
	for (i = 0; i < nr_threads; i++) {
		pthread_join(ctx[i].tid, NULL);
		verified += ctx[i].verified;
		mismatches += ctx[i].mismatches;
		rewritten += ctx[i].rewritten;
	}
	elapsed = now() - t_start;

	printf("# swap_stress: pages verified %" PRIu64 ", rewritten %" PRIu64 ", mismatches %" PRIu64 ", elapsed %.1f s\n",
	       verified, rewritten, mismatches, elapsed);
	if (verified != (uint64_t)nr_pages * (nr_passes + 1)) {
		printf("# swap_stress: FAIL: expected %zu verifications\n",
		       nr_pages * (nr_passes + 1));
		return 1;
	}
	printf("# swap_stress: %s\n", mismatches ? "FAIL" : "PASS");
	return mismatches ? 1 : 0;
}
