/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit-test files share: the TAP reporter and CHECK/KNOWN_BUG,
 * the random source, page contents and small helpers over a space.
 * Defined in vswap_unit.c.
 */
#ifndef _VSWAP_UNIT_H
#define _VSWAP_UNIT_H

#include "vswap.h"
#include "shim.h"

/* ---------------- reporter ---------------- */
extern long check_fails;	/* failed checks in the current test */
extern long known_bugs;		/* KNOWN_BUG checks that failed in it */
extern const char *known_bug_note;

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
 * one models the newest zsmalloc API, zs-nolen the one whose reads take
 * no length (shim/vswap_compat.h).
 */
#ifdef SHIM_ZS_NO_READ_LEN
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

/* ---------------- vswap_unit_datapath.c ---------------- */
void test_datapath(void);

#endif /* _VSWAP_UNIT_H */
