// SPDX-License-Identifier: GPL-2.0
/*
 * tierload: a verifying swap workload whose access pattern tells tiering
 * policies apart (tests/bench/guest-spill.sh runs it against vswap, zswap
 * and zram with writeback under global memory pressure).
 *
 * Maps N MiB of anonymous memory, split between T threads, and fills it
 * with the mixed contents of tests/selftests/vswap/page_content.h (zero,
 * same-filled, text, random, half-random pages).  Then each thread makes
 * A accesses to its own pages.  An access reads the whole page and checks
 * every byte; W% of them then rewrite the page with its next generation.
 * Which page an access picks:
 *
 *   uniform   any page of the thread's share, equally likely
 *   skewed    P% of the accesses go to a hot set (H% of the pages), the
 *             rest to any page
 *   phase     as skewed, but after half the accesses the hot set moves
 *             to pages that were cold until then (the old hot pages
 *             turn cold)
 *
 * Output: '# ' diagnostics, and one result line
 *   RESULT fill_s=F access_s=S aps=R aps1=R1 aps2=R2 accesses=N
 *          verified=V rewritten=W mismatches=M
 * where aps1/aps2 are the accesses per second of the first and second
 * half (the phase change is between them).  Exit 0 when every access
 * verified, 1 on any mismatch, 2 on usage or setup errors.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "../selftests/vswap/page_content.h"

#define MAX_THREADS	64
#define MAX_REPORTS	16
#define PROGRESS_STEPS	10

enum pattern { P_UNIFORM, P_SKEWED, P_PHASE };
static const char *const pattern_name[] = { "uniform", "skewed", "phase" };

struct worker {
	pthread_t tid;
	unsigned int id;
	size_t first, nr;		/* the thread's pages */
	size_t hot_nr;			/* pages in its hot set */
	uint8_t *scratch;
	double t_half;			/* when it finished the first half */
	uint64_t verified, rewritten, mismatches;
};

static uint8_t *region;
static uint32_t *gens;
static size_t nr_pages;
static uint64_t seed = 0x7e1e7e1eULL;
static unsigned int nr_threads = 2, hot_pct = 25, hot_access_pct = 90;
static unsigned int write_pct = 25;
static uint64_t accesses = 100000;	/* per thread */
static enum pattern pattern = P_SKEWED;
static struct worker workers[MAX_THREADS];
static pthread_barrier_t barrier;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int reports;
static double t_fill_start, t_fill_end, t_access_end;

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
	fputs("# tierload: error: ", stdout);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	exit(2);
}

/*
 * The page access @i of worker @w picks.  The hot set is the first
 * hot_nr pages of the share; in the second half of a phase run it is
 * the hot_nr pages that follow (cold until then).
 */
static size_t pick(struct worker *w, uint64_t *rng, uint64_t i)
{
	uint64_t r = xorshift(rng);
	size_t base = 0;

	if (pattern == P_UNIFORM || !w->hot_nr ||
	    (r >> 32) % 100 >= hot_access_pct)
		return w->first + (r & 0xffffffff) % w->nr;
	if (pattern == P_PHASE && i >= accesses / 2)
		base = w->hot_nr;
	return w->first + (base + (r & 0xffffffff) % w->hot_nr) % w->nr;
}

static void report_mismatch(struct worker *w, size_t idx, uint64_t i)
{
	const struct page_hdr *hdr = (const void *)(region + idx * PAGE_SZ);

	pthread_mutex_lock(&out_lock);
	if (reports++ < MAX_REPORTS) {
		printf("# MISMATCH thread %u access %" PRIu64 ": page %zu gen %u",
		       w->id, i, idx, gens[idx]);
		if (hdr->magic == HDR_MAGIC)
			printf("; page holds page %" PRIu64 " gen %u", hdr->idx,
			       hdr->gen);
		printf("\n");
		fflush(stdout);
	}
	pthread_mutex_unlock(&out_lock);
}

static void progress(uint64_t i)
{
	uint64_t v = 0;
	unsigned int k;

	for (k = 0; k < nr_threads; k++)
		v += __atomic_load_n(&workers[k].verified, __ATOMIC_RELAXED);
	pthread_mutex_lock(&out_lock);
	printf("# progress %" PRIu64 "%% at %.1f s: %" PRIu64 " accesses\n",
	       i * 100 / accesses, now() - t_fill_end, v);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint64_t rng = mix64(seed ^ ((uint64_t)w->id << 48)) | 1;
	uint64_t i, step = accesses / PROGRESS_STEPS;
	size_t k;

	for (k = 0; k < w->nr; k++) {
		gens[w->first + k] = 1;
		pc_fill(region + (w->first + k) * PAGE_SZ, seed, false,
			w->first + k, 1);
	}
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
		t_fill_end = now();
	pthread_barrier_wait(&barrier);

	for (i = 0; i < accesses; i++) {
		size_t idx = pick(w, &rng, i);
		uint8_t *p = region + idx * PAGE_SZ;

		if (i == accesses / 2)
			w->t_half = now();
		if (!pc_check(p, seed, false, idx, gens[idx], w->scratch)) {
			__atomic_add_fetch(&w->mismatches, 1, __ATOMIC_RELAXED);
			report_mismatch(w, idx, i);
		}
		__atomic_add_fetch(&w->verified, 1, __ATOMIC_RELAXED);
		if ((xorshift(&rng) >> 40) % 100 < write_pct) {
			gens[idx]++;
			pc_fill(p, seed, false, idx, gens[idx]);
			w->rewritten++;
		}
		if (!w->id && step && i && !(i % step))
			progress(i);
	}
	return NULL;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s -m MiB [-t threads] [-a accesses per thread]\n"
		"          [-k uniform|skewed|phase] [-H hot %% of pages]\n"
		"          [-P %% of accesses to the hot set] [-w %% rewritten]\n"
		"          [-s seed]\n", prog);
	exit(2);
}

static unsigned int parse_pct(const char *s, const char *what)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (*end || v > 100)
		die("%s: '%s' is not a percentage", what, s);
	return v;
}

int main(int argc, char **argv)
{
	uint64_t verified = 0, rewritten = 0, mismatches = 0;
	double t_half = 0, half1, half2, total;
	unsigned long mib = 0;
	size_t per, k;
	int opt;

	while ((opt = getopt(argc, argv, "m:t:a:k:H:P:w:s:h")) != -1) {
		switch (opt) {
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 't': nr_threads = strtoul(optarg, NULL, 0); break;
		case 'a': accesses = strtoull(optarg, NULL, 0); break;
		case 'k':
			for (k = 0; k <= P_PHASE; k++)
				if (!strcmp(optarg, pattern_name[k]))
					break;
			if (k > P_PHASE)
				die("-k %s: uniform, skewed or phase", optarg);
			pattern = k;
			break;
		case 'H': hot_pct = parse_pct(optarg, "-H"); break;
		case 'P': hot_access_pct = parse_pct(optarg, "-P"); break;
		case 'w': write_pct = parse_pct(optarg, "-w"); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		default: usage(argv[0]);
		}
	}
	if (optind != argc || !mib || !nr_threads || nr_threads > MAX_THREADS ||
	    accesses < 2)
		usage(argv[0]);
	if (pattern == P_PHASE && hot_pct > 50)
		die("-H %u: a phase run needs two disjoint hot sets (at most 50)",
		    hot_pct);

	nr_pages = mib * (1024 * 1024 / PAGE_SZ);
	if (nr_pages < nr_threads * 2)
		die("%lu MiB is too small for %u threads", mib, nr_threads);
	region = mmap(NULL, nr_pages * PAGE_SZ, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (region == MAP_FAILED)
		die("mmap %lu MiB: %s", mib, strerror(errno));
	/* 4 KiB pages: swap them one by one, not as THPs. */
	madvise(region, nr_pages * PAGE_SZ, MADV_NOHUGEPAGE);
	gens = calloc(nr_pages, sizeof(*gens));
	if (!gens)
		die("out of memory");
	if (pthread_barrier_init(&barrier, NULL, nr_threads))
		die("pthread_barrier_init failed");

	per = nr_pages / nr_threads;
	for (k = 0; k < nr_threads; k++) {
		struct worker *w = &workers[k];

		w->id = k;
		w->first = k * per;
		w->nr = k == nr_threads - 1 ? nr_pages - w->first : per;
		w->hot_nr = pattern == P_UNIFORM ? 0 : w->nr * hot_pct / 100;
		w->scratch = aligned_alloc(PAGE_SZ, PAGE_SZ);
		if (!w->scratch)
			die("out of memory");
	}
	printf("# tierload: %lu MiB = %zu pages, %u threads, %s, %" PRIu64 " accesses per thread, hot %u%% of pages gets %u%%, %u%% rewritten, seed 0x%" PRIx64 "\n",
	       mib, nr_pages, nr_threads, pattern_name[pattern], accesses,
	       pattern == P_UNIFORM ? 0 : hot_pct,
	       pattern == P_UNIFORM ? 0 : hot_access_pct, write_pct, seed);
	fflush(stdout);

	t_fill_start = now();
	for (k = 0; k < nr_threads; k++)
		if (pthread_create(&workers[k].tid, NULL, worker_main, &workers[k]))
			die("pthread_create failed");
	for (k = 0; k < nr_threads; k++) {
		struct worker *w = &workers[k];

		pthread_join(w->tid, NULL);
		verified += w->verified;
		rewritten += w->rewritten;
		mismatches += w->mismatches;
		if (w->t_half > t_half)
			t_half = w->t_half;
	}
	t_access_end = now();

	total = t_access_end - t_fill_end;
	half1 = t_half - t_fill_end;
	half2 = t_access_end - t_half;
	printf("# tierload: filled in %.1f s; %" PRIu64 " accesses in %.1f s (first half %.1f s, second %.1f s); verified %" PRIu64 ", rewritten %" PRIu64 ", mismatches %" PRIu64 "\n",
	       t_fill_end - t_fill_start, verified, total, half1, half2,
	       verified, rewritten, mismatches);
	if (verified != accesses * nr_threads)
		die("%" PRIu64 " accesses verified, %" PRIu64 " expected",
		    verified, accesses * nr_threads);
	printf("RESULT fill_s=%.2f access_s=%.2f aps=%.0f aps1=%.0f aps2=%.0f accesses=%" PRIu64 " verified=%" PRIu64 " rewritten=%" PRIu64 " mismatches=%" PRIu64 "\n",
	       t_fill_end - t_fill_start, total, verified / total,
	       verified / 2 / half1, verified / 2 / half2, verified, verified,
	       rewritten, mismatches);
	printf("# tierload: %s\n", mismatches ? "FAIL" : "PASS");
	return mismatches ? 1 : 0;
}
