/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit-test files share: the TAP reporter and CHECK/KNOWN_BUG,
 * the random source, page contents and small helpers over a space
 * (defined in vswap_unit.c, with main()), and each subject's tests, which
 * main() runs in order: vswap_unit_space.c, vswap_unit_datapath.c,
 * vswap_unit_balloc.c, vswap_unit_policy.c.
 */
#ifndef _VSWAP_UNIT_H
#define _VSWAP_UNIT_H

#include "vswap.h"
#include "shim.h"

/* ---------------- reporter ---------------- */
extern long check_fails;	/* failed checks in the current test */
extern long known_bugs;		/* KNOWN_BUG checks that failed in it */
extern const char *known_bug_note;
/* shim_warnings at test_begin(); a test that WARNs on purpose resets to it. */
extern long warn_base;

#define CHECK(c, ...) do {						\
	if (unlikely(!(c))) {						\
		if (check_fails++ < 10) {				\
			fprintf(stderr, "  FAIL %s:%d: %s: ", __FILE__,	\
				__LINE__, #c);				\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
		}							\
	}								\
} while (0)

/*
 * A check that fails because of a known, reported bug in the code under
 * test: printed like a failed CHECK (the first few), but the test is then
 * reported as a TAP TODO ("not ok N - ... # TODO known bug: NOTE") and
 * counted apart, as long as no ordinary check failed.  Once the bug is
 * fixed the check passes; turn it into a CHECK with the fix.
 */
#define KNOWN_BUG(c, note, ...) do {					\
	if (unlikely(!(c))) {						\
		known_bug_note = (note);				\
		if (known_bugs++ < 3) {					\
			fprintf(stderr, "  KNOWN BUG %s:%d: %s: ",	\
				__FILE__, __LINE__, #c);		\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
		}							\
	}								\
} while (0)

void test_begin(void);
void test_end(const char *name);

/*
 * The build flavour, in test titles and the summary line: the default
 * one models the newest zsmalloc API (VSWAP_ZS_READ_LEN), zs-nolen the
 * one whose reads take no length (Makefile).
 */
#ifndef VSWAP_ZS_READ_LEN
#define UNIT_ZS_NOLEN	1
#define UNIT_FLAVOUR	" [zs read without length]"
#else
#define UNIT_ZS_NOLEN	0
#define UNIT_FLAVOUR	""
#endif

/* ---------------- randomness ---------------- */
extern u64 rng_state;
u64 splitmix(u64 *s);
u64 rnd(void);
u64 rnd_below(u64 n);

/* ---------------- page contents ---------------- */
enum page_kind { PK_ZERO, PK_SAME, PK_COMP, PK_RANDOM, PK_NR };
extern const char *const pk_names[PK_NR];
/* Deterministic content from (kind, seed). */
void gen_page(enum page_kind kind, u64 seed, void *buf);

/* ---------------- helpers over the space ---------------- */
struct vswap_tier *tier_of(struct vswap_space *s, int id);
long tier_pages(struct vswap_space *s, int id);
/* Descriptor of @slot (lock, age and mark stripped), or EMPTY. */
unsigned long peek_desc(struct vswap_space *s, unsigned long slot,
			unsigned int *age);

/* ---------------- vswap_unit_space.c ---------------- */
/* The store: descriptors, backends, a space with its same and RAM tiers. */
void test_desc(void);
void test_registry(void);
void test_backend(const char *name);
void test_edges(void);
void test_compress_fail(const char *algo);
void test_fault_injection(const char *algo);
extern long fi_points;		/* injected failure points, all algorithms */
void test_model(const char *algo, long nr_ops, u64 seed, long fail_ppm);
void test_mt(const char *algo, long ops);

/* ---------------- vswap_unit_datapath.c ---------------- */
void test_datapath(void);

/* ---------------- vswap_unit_balloc.c ---------------- */
/* The backing tiers' slot allocator. */
void test_shim_bitops(void);
void test_balloc_init(void);
void test_balloc_edges(void);
void test_balloc_locality(void);
void test_balloc_model(unsigned long nr_slots, long nr_ops, u64 seed);
extern long ba_model_ops;	/* get/put operations, all sizes */
void test_balloc_mt(long ops);

/* ---------------- vswap_unit_policy.c ---------------- */
/* The migration policy. */
void test_policy_idle_age(long nr_ops);
void test_throttle_model(long nr_steps, u64 seed);
void test_policy_pick(void);
void test_policy_drain(void);
void test_policy_backoff(void);
void test_policy_random(long nr_configs, u64 seed);

#endif /* _VSWAP_UNIT_H */
