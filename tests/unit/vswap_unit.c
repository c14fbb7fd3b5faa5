// SPDX-License-Identifier: GPL-2.0
/*
 * vswap core unit tests (userspace).  Built with shim/vswap_deps.h forced
 * in; see Makefile.  Usage: vswap_unit [-s SEED] [-n OPS]
 */
#include "vswap.h"
#include "shim.h"
#include "unit.h"
#include <getopt.h>
#include <time.h>
#include <unistd.h>

/* ---------------- reporter (unit.h) ---------------- */
static int tests_passed, tests_failed, tests_todo, test_no;
long check_fails;
long known_bugs;
const char *known_bug_note;
long warn_base;

void test_begin(void)
{
	check_fails = 0;
	known_bugs = 0;
	known_bug_note = NULL;
	warn_base = shim_warnings;
}

void test_end(const char *name)
{
	long warns = shim_warnings - warn_base;

	test_no++;
	if (warns)
		fprintf(stderr, "  %ld WARN(s) during test\n", warns);
	if (check_fails || warns) {
		tests_failed++;
		printf("not ok %d - %s%s (%ld failed checks)\n", test_no, name,
		       UNIT_FLAVOUR, check_fails);
	} else if (known_bugs) {
		tests_todo++;
		printf("not ok %d - %s%s # TODO known bug (%ld checks): %s\n",
		       test_no, name, UNIT_FLAVOUR, known_bugs, known_bug_note);
	} else {
		tests_passed++;
		printf("ok %d - %s%s\n", test_no, name, UNIT_FLAVOUR);
	}
	fflush(stdout);
}

/* ---------------- randomness ---------------- */
u64 rng_state;

u64 splitmix(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u64 rnd(void)
{
	return splitmix(&rng_state);
}

u64 rnd_below(u64 n)
{
	return rnd() % n;
}

/* ---------------- page contents ---------------- */
const char *const pk_names[PK_NR] = {
	"zero", "same", "compressible", "incompressible"
};

/* Deterministic content from (kind, seed): the model keeps only those. */
void gen_page(enum page_kind kind, u64 seed, void *buf)
{
	u64 *w = buf;
	u64 s = seed;
	unsigned int i, n;

	switch (kind) {
	case PK_ZERO:
		memset(buf, 0, PAGE_SIZE);
		break;
	case PK_SAME: {
		u32 pat = (u32)splitmix(&s) | 1;	/* never zero */

		memset32(buf, pat, PAGE_SIZE / 4);
		break;
	}
	case PK_COMP:
		/* Some random words, then a short repeating motif. */
		n = 16 + splitmix(&s) % 96;
		for (i = 0; i < PAGE_SIZE / 8; i++)
			w[i] = i < n ? splitmix(&s) : w[i % 7] + (i & 3);
		break;
	default:
		for (i = 0; i < PAGE_SIZE / 8; i++)
			w[i] = splitmix(&s);
		break;
	}
}

/* ---------------- helpers over the space ---------------- */
struct vswap_tier *tier_of(struct vswap_space *s, int id)
{
	return s->tiers[id];
}

long tier_pages(struct vswap_space *s, int id)
{
	return s->nr_tiers > (unsigned int)id ?
	       atomic64_read(&tier_of(s, id)->stats.pages) : 0;
}

/* Descriptor of @slot (lock, age and mark stripped), or EMPTY. */
unsigned long peek_desc(struct vswap_space *s, unsigned long slot,
			unsigned int *age)
{
	unsigned long *d = vswap_slot_lock(&s->table, slot);
	unsigned long v = d ? *d : 0;

	vswap_slot_unlock(&s->table, d);
	if (age)
		*age = vswap_desc_age(v);
	return vswap_desc_data(v);
}

/*
 * The zs-nolen flavour: only the RAM tier differs from the default build,
 * so its tests run (and the model test, shorter); the rest is the default
 * build's.
 */
static void run_zs_nolen(long nr_ops, u64 seed)
{
	const char *const algos[] = { "lz4", "lz4hc", "zstd" };
	unsigned int i;

	printf("# flavour: zsmalloc reads without a length (whole objects copied)\n");
	test_datapath();	/* first: every object spans pages there */
	test_edges();
	for (i = 0; i < ARRAY_SIZE(algos); i++)
		test_compress_fail(algos[i]);
	for (i = 0; i < ARRAY_SIZE(algos); i++)
		test_fault_injection(algos[i]);
	test_model("lz4", nr_ops / 10, seed, 0);
	test_model("zstd", nr_ops / 10, seed + 2, 0);
}

int main(int argc, char **argv)
{
	u64 seed = 0;
	long nr_ops = 1000000;
	bool seeded = false;
	const char *const algos[] = { "lz4", "lz4hc", "zstd" };
	static const unsigned long balloc_sizes[] = { 1, 7, 64, 1000, 4096 + 3 };
	struct timespec t0, tb, t1;
	unsigned int i;
	int c;

	while ((c = getopt(argc, argv, "s:n:")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'n':
			nr_ops = strtol(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n OPS]\n", argv[0]);
			return 2;
		}
	}
	if (!seeded)
		seed = (u64)time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("TAP version 13\n# seed %llu (rerun with -s %llu)\n",
	       (unsigned long long)seed, (unsigned long long)seed);
	rng_state = seed;
	if (UNIT_ZS_NOLEN) {
		run_zs_nolen(nr_ops, seed);
		goto summary;
	}
	test_desc();
	test_registry();
	for (i = 0; i < ARRAY_SIZE(algos); i++)
		test_backend(algos[i]);
	test_edges();
	for (i = 0; i < ARRAY_SIZE(algos); i++)
		test_compress_fail(algos[i]);
	for (i = 0; i < ARRAY_SIZE(algos); i++)
		test_fault_injection(algos[i]);
	printf("# fault injection: %ld injected failure points in all\n", fi_points);
	/* Data-path interleavings (vswap_unit_datapath.c). */
	test_datapath();
	for (i = 0; i < ARRAY_SIZE(algos); i++)
		test_model(algos[i], nr_ops, seed + i, 0);
	/* Same, with 0.5% of all allocations failing at random. */
	test_model("lz4", nr_ops / 5, seed + 3, 5000);
	rng_state = seed;
	test_mt("lz4", nr_ops / 10);
	test_mt("zstd", nr_ops / 20);
	/* Backing-tier slot allocator. */
	clock_gettime(CLOCK_MONOTONIC, &tb);
	rng_state = seed;
	test_shim_bitops();
	test_balloc_init();
	test_balloc_edges();
	test_balloc_locality();
	for (i = 0; i < ARRAY_SIZE(balloc_sizes); i++)
		test_balloc_model(balloc_sizes[i], nr_ops, seed + 10 + i);
	printf("# balloc model: %ld get/put operations in all\n", ba_model_ops);
	rng_state = seed + 20;
	test_balloc_mt(nr_ops / 10);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# balloc: %.1f s\n", (t1.tv_sec - tb.tv_sec) +
	       (t1.tv_nsec - tb.tv_nsec) / 1e9);
	/* Migration policy. */
	clock_gettime(CLOCK_MONOTONIC, &tb);
	rng_state = seed + 30;
	test_policy_idle_age(nr_ops);
	test_throttle_model(nr_ops, seed + 31);
	test_policy_pick();
	test_policy_drain();
	test_policy_backoff();
	test_policy_random(nr_ops / 10, seed + 32);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# policy: %.1f s\n", (t1.tv_sec - tb.tv_sec) +
	       (t1.tv_nsec - tb.tv_nsec) / 1e9);
summary:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("1..%d\n# %.1f s\n", test_no,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	/* tests/run_all.sh counts the default build's "unit: " line. */
	printf("unit%s: %d passed, %d failed", UNIT_FLAVOUR, tests_passed,
	       tests_failed);
	if (tests_todo)
		printf(", %d known bugs (TODO)", tests_todo);
	printf("\n");
	return tests_failed ? 1 : 0;
}
