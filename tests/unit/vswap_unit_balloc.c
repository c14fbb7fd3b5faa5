// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the backing tiers' slot allocator (vswap_balloc.c) and the
 * shim's bitmap helpers under it: init, caller bugs, locality, the
 * model-based random test and the multi-threaded smoke test.
 */
#include "vswap_balloc.h"
#include "unit.h"
#include <pthread.h>

/* ================= 6. backing-tier slot allocator ================= */
/* One bit, read without the shim's helpers. */
static bool naive_bit(const unsigned long *map, unsigned long nr)
{
	return map[nr / BITS_PER_LONG] & (1UL << (nr % BITS_PER_LONG));
}

/*
 * The shim's bitmap helpers are what the allocator runs on here: check
 * them bit by bit first, so that a bug in them cannot hide (or fake) one
 * in the allocator.
 */
void test_shim_bitops(void)
{
	unsigned long map[4], old[4], size, off, i, j;
	long checks = 0;
	int round;

	test_begin();
	for (round = 0; round < 3000; round++) {
		for (i = 0; i < ARRAY_SIZE(map); i++) {
			switch (round % 4) {
			case 0:		/* sparse */
				map[i] = rnd() & rnd() & rnd() & rnd();
				break;
			case 1:		/* dense */
				map[i] = rnd() | rnd() | rnd() | rnd();
				break;
			case 2:
				map[i] = rnd();
				break;
			default:	/* all clear or all set words */
				map[i] = rnd() & 1 ? ~0UL : 0;
				break;
			}
		}
		size = rnd_below(ARRAY_SIZE(map) * BITS_PER_LONG + 1);
		for (off = 0; off <= size + 2; off++) {
			unsigned long set = size, clear = size;

			for (j = off; j < size && !naive_bit(map, j); j++)
				;
			if (j < size)
				set = j;
			for (j = off; j < size && naive_bit(map, j); j++)
				;
			if (j < size)
				clear = j;
			CHECK(find_next_bit(map, size, off) == set,
			      "find_next_bit(%lu, %lu) = %lu, want %lu", size,
			      off, find_next_bit(map, size, off), set);
			CHECK(find_next_zero_bit(map, size, off) == clear,
			      "find_next_zero_bit(%lu, %lu) = %lu, want %lu",
			      size, off, find_next_zero_bit(map, size, off),
			      clear);
			checks += 2;
			if (off < size) {
				CHECK(test_bit(off, map) == naive_bit(map, off),
				      "test_bit(%lu)", off);
				checks++;
			}
		}
		/* bitmap_set/clear touch exactly [off, off + nr). */
		off = rnd_below(ARRAY_SIZE(map) * BITS_PER_LONG);
		size = rnd_below(ARRAY_SIZE(map) * BITS_PER_LONG - off + 1);
		memcpy(old, map, sizeof(map));
		if (round & 1)
			bitmap_set(map, off, size);
		else
			bitmap_clear(map, off, size);
		for (j = 0; j < ARRAY_SIZE(map) * BITS_PER_LONG; j++) {
			bool in = j >= off && j < off + size;

			CHECK(naive_bit(map, j) ==
			      (in ? (round & 1) : naive_bit(old, j)),
			      "bitmap_%s(%lu, %lu): bit %lu",
			      round & 1 ? "set" : "clear", off, size, j);
			checks++;
		}
	}
	CHECK(BITS_TO_LONGS(1) == 1 && BITS_TO_LONGS(64) == 1 &&
	      BITS_TO_LONGS(65) == 2 && BITS_TO_LONGS(0) == 0, "BITS_TO_LONGS");
	CHECK(min(3UL, 5UL) == 3 && min(7U, 2U) == 2, "min");
	printf("# shim bitops: %ld checks against bit-by-bit reads\n", checks);
	test_end("shim bitmap helpers (find_next_*bit, bitmap_set/clear)");
}

/* Init: 0 slots is -EINVAL without allocating; -ENOMEM leaks nothing. */
void test_balloc_init(void)
{
	static const unsigned long sizes[] = { 1, 63, 64, 65, 4099, 1 << 20 };
	struct vswap_balloc a;
	unsigned long start;
	long nth, points = 0;
	unsigned int i;
	int ret;

	test_begin();
	shim_fail_reset(0);
	CHECK(vswap_balloc_init(&a, 0) == -EINVAL, "0 slots");
	CHECK(shim_alloc_calls == 0, "0 slots: %ld allocations",
	      shim_alloc_calls);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (nth = 1; nth < 100; nth++) {
			shim_fail_reset(nth);
			ret = vswap_balloc_init(&a, sizes[i]);
			if (!shim_failed)
				break;
			points++;
			CHECK(ret == -ENOMEM, "%lu slots, allocation %ld fails: %d",
			      sizes[i], nth, ret);
			CHECK(shim_live_allocs == 0, "%lu slots: %ld leaked",
			      sizes[i], shim_live_allocs);
		}
		shim_fail_reset(0);
		CHECK(!ret, "%lu slots: init -> %d", sizes[i], ret);
		if (ret)
			continue;
		CHECK(a.nr_slots == sizes[i] && !vswap_balloc_used(&a) &&
		      !a.cursor, "%lu slots: fresh state", sizes[i]);
		/* The whole map is usable and starts clear. */
		CHECK(vswap_balloc_get(&a, 1, &start) == 1 && start == 0,
		      "first slot");
		vswap_balloc_put(&a, 0, 1);
		CHECK(vswap_balloc_used(&a) == 0, "used after put");
		vswap_balloc_destroy(&a);
		CHECK(!a.map, "map left behind");
		CHECK(shim_live_allocs == 0, "%lu slots: destroy leaked %ld",
		      sizes[i], shim_live_allocs);
	}
	printf("# balloc init: %ld allocation failures injected\n", points);
	test_end("balloc init: 0 slots -EINVAL, allocation failure -ENOMEM, no leaks");
}

/* Caller bugs WARN and leave the allocator as it was. */
void test_balloc_edges(void)
{
	struct vswap_balloc a;
	unsigned long start = 12345;
	long w;

	test_begin();
	CHECK(!vswap_balloc_init(&a, 100), "init");
	w = shim_warnings;
	shim_quiet_warn = 1;
	CHECK(vswap_balloc_get(&a, 0, &start) == 0 && start == 12345,
	      "get(0)");
	CHECK(shim_warnings == w + 1, "get(0) warns");
	CHECK(vswap_balloc_get(&a, 10, &start) == 10 && start == 0, "get(10)");
	vswap_balloc_put(&a, 100, 1);
	vswap_balloc_put(&a, 95, 6);
	vswap_balloc_put(&a, ULONG_MAX, 1);
	vswap_balloc_put(&a, 99, UINT_MAX);
	CHECK(shim_warnings == w + 5, "out-of-range puts warn (%ld)",
	      shim_warnings - w);
	CHECK(vswap_balloc_used(&a) == 10 && test_bit(0, a.map) &&
	      test_bit(9, a.map), "out-of-range puts changed the map");
	vswap_balloc_put(&a, 5, 0);
	CHECK(vswap_balloc_used(&a) == 10 && shim_warnings == w + 5,
	      "put of 0 slots");
	vswap_balloc_put(&a, 0, 10);
	CHECK(vswap_balloc_used(&a) == 0 && shim_warnings == w + 5, "put");
	/* A slot freed twice is a caller bug: WARN. */
	CHECK(vswap_balloc_get(&a, 1, &start) == 1 && start == 10, "get(1)");
	vswap_balloc_put(&a, 10, 1);
	vswap_balloc_put(&a, 10, 1);
	CHECK(shim_warnings > w + 5, "double put does not warn");
	vswap_balloc_destroy(&a);
	/* Destroying with slots still in use WARNs but frees the map. */
	w = shim_warnings;
	CHECK(!vswap_balloc_init(&a, 100), "init");
	CHECK(vswap_balloc_get(&a, 3, &start) == 3, "get(3)");
	vswap_balloc_destroy(&a);
	CHECK(shim_warnings == w + 1, "destroy with slots in use warns");
	shim_quiet_warn = 0;
	shim_warnings = warn_base;
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("balloc edge cases: get(0), out-of-range and double put, busy destroy");
}

static void ba_check_get(struct vswap_balloc *a, unsigned int want,
			 unsigned int want_n, unsigned long want_start,
			 const char *what)
{
	unsigned long start = ULONG_MAX;
	unsigned int n = vswap_balloc_get(a, want, &start);

	CHECK(n == want_n && (!n || start == want_start),
	      "%s: get(%u) = %lu+%u, expected %lu+%u", what, want, start, n,
	      want_start, want_n);
}

/* Next-fit: batches land back to back; holes behind the cursor wait. */
void test_balloc_locality(void)
{
	static const unsigned long holes[] = { 0, 5, 31, 32, 100, 511, 1000,
					       1500, 2046 };
	struct vswap_balloc a;
	unsigned long i;

	test_begin();
	/* Fresh: successive get(32) are adjacent, the last one cut short. */
	CHECK(!vswap_balloc_init(&a, 1000), "init");
	for (i = 0; i < 1000 / 32; i++)
		ba_check_get(&a, 32, 32, i * 32, "fresh");
	ba_check_get(&a, 32, 1000 % 32, 1000 / 32 * 32, "tail");
	CHECK(a.cursor == 0, "cursor %lu after the last slot", a.cursor);
	ba_check_get(&a, 1, 0, 0, "full");
	CHECK(vswap_balloc_used(&a) == 1000, "used %lu", vswap_balloc_used(&a));
	vswap_balloc_put(&a, 0, 1000);
	vswap_balloc_destroy(&a);

	/* Single slots freed behind the cursor: get(32) takes 32 ahead. */
	CHECK(!vswap_balloc_init(&a, 4096), "init");
	for (i = 0; i < 64; i++)
		ba_check_get(&a, 32, 32, i * 32, "fill half");
	for (i = 0; i < ARRAY_SIZE(holes); i++)
		vswap_balloc_put(&a, holes[i], 1);
	ba_check_get(&a, 32, 32, 2048, "holes behind the cursor");
	ba_check_get(&a, 32, 32, 2080, "holes behind the cursor");
	/* Run to the end: the cursor wraps, then the holes are used. */
	for (i = 2112; i < 4096; i += 32)
		ba_check_get(&a, 32, 32, i, "second half");
	CHECK(a.cursor == 0, "cursor %lu", a.cursor);
	ba_check_get(&a, 32, 1, 0, "first hole after wrapping");
	ba_check_get(&a, 32, 1, 5, "next hole");
	ba_check_get(&a, 32, 2, 31, "adjacent holes");
	for (i = 4; i < ARRAY_SIZE(holes); i++)
		ba_check_get(&a, 32, 1, holes[i], "remaining holes");
	ba_check_get(&a, 32, 0, 0, "full");
	CHECK(vswap_balloc_used(&a) == 4096, "used %lu", vswap_balloc_used(&a));
	vswap_balloc_put(&a, 0, 4096);
	vswap_balloc_destroy(&a);

	/* Tail full, head free, cursor in the tail: get wraps to the head. */
	CHECK(!vswap_balloc_init(&a, 256), "init");
	for (i = 0; i < 8; i++)
		ba_check_get(&a, 32, 32, i * 32, "fill");
	vswap_balloc_put(&a, 0, 64);
	vswap_balloc_put(&a, 100, 32);
	ba_check_get(&a, 64, 64, 0, "head");
	ba_check_get(&a, 64, 32, 100, "middle");
	CHECK(a.cursor == 132, "cursor %lu", a.cursor);
	vswap_balloc_put(&a, 10, 10);
	ba_check_get(&a, 32, 10, 10, "wrap to the head");
	vswap_balloc_put(&a, 19, 1);
	ba_check_get(&a, 32, 1, 19, "wrap to the slot just behind the cursor");
	CHECK(a.cursor == 20, "cursor %lu", a.cursor);
	ba_check_get(&a, 1, 0, 0, "full, cursor inside");
	CHECK(a.cursor == 20 && vswap_balloc_used(&a) == 256,
	      "full get changed state");
	vswap_balloc_put(&a, 255, 1);
	ba_check_get(&a, 5, 1, 255, "last slot");
	CHECK(a.cursor == 0, "cursor %lu after the last slot", a.cursor);
	vswap_balloc_put(&a, 0, 256);
	CHECK(vswap_balloc_used(&a) == 0, "used %lu", vswap_balloc_used(&a));
	vswap_balloc_destroy(&a);
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("balloc locality: adjacent batches, holes behind the cursor, wrap-around");
}

/* ---- model-based random test against a byte map ---- */
struct ba_run {
	unsigned long start;
	unsigned int len;
};

struct ba_model {
	unsigned long nr;
	u8 *used;		/* reference: 1 = allocated */
	unsigned long nr_used;
	unsigned long cursor;	/* next-fit: end of the last allocation */
	struct ba_run *runs;	/* allocated runs, as handed out or split */
	unsigned long nr_runs;
};

/* What vswap_balloc_get() must return, from the reference alone. */
static unsigned int ba_expect(struct ba_model *m, unsigned int want,
			      unsigned long *start)
{
	unsigned long from = m->cursor, i, n;

	if (m->nr_used == m->nr)
		return 0;
	for (;;) {
		for (i = from; i < m->nr && m->used[i]; i++)
			;
		if (i < m->nr)
			break;
		if (!from)
			return 0;
		from = 0;
	}
	for (n = 0; n < want && i + n < m->nr && !m->used[i + n]; n++)
		;
	*start = i;
	return n;
}

enum { BA_GET, BA_FULL, BA_SHORT, BA_WRAP, BA_PUT, BA_SPLIT, BA_NR };
static const char *const ba_names[BA_NR] = {
	"get", "full", "short", "wrapped", "put", "partial-put"
};

static void ba_model_get(struct vswap_balloc *a, struct ba_model *m,
			 unsigned int want, long *counts)
{
	unsigned long start = ULONG_MAX, exp_start = ULONG_MAX, i;
	unsigned int n, exp;

	exp = ba_expect(m, want, &exp_start);
	n = vswap_balloc_get(a, want, &start);
	counts[BA_GET]++;
	if (!n) {
		counts[BA_FULL]++;
		CHECK(m->nr_used == m->nr, "%lu slots: get(%u) = 0 with %lu free",
		      m->nr, want, m->nr - m->nr_used);
		return;
	}
	CHECK(n <= want, "get(%u) = %u", want, n);
	CHECK(start < m->nr && n <= m->nr - start,
	      "%lu slots: get(%u) = %lu+%u out of bounds", m->nr, want, start, n);
	if (start >= m->nr || n > m->nr - start)
		return;
	for (i = start; i < start + n; i++) {
		CHECK(!m->used[i], "slot %lu handed out while in use", i);
		CHECK(test_bit(i, a->map), "slot %lu handed out, not marked", i);
		m->used[i] = 1;
	}
	/* Cut short only by a used slot or the end. */
	CHECK(n == want || start + n == m->nr || m->used[start + n],
	      "get(%u) = %lu+%u but slot %lu is free", want, start, n, start + n);
	CHECK(start == exp_start && n == exp,
	      "next-fit: get(%u) = %lu+%u, expected %lu+%u (cursor %lu)", want,
	      start, n, exp_start, exp, m->cursor);
	if (n < want)
		counts[BA_SHORT]++;
	if (start < m->cursor)
		counts[BA_WRAP]++;
	m->nr_used += n;
	m->cursor = start + n < m->nr ? start + n : 0;
	m->runs[m->nr_runs].start = start;
	m->runs[m->nr_runs].len = n;
	m->nr_runs++;
}

/* Free a random allocated run, or a random piece of one. */
static void ba_model_put(struct vswap_balloc *a, struct ba_model *m,
			 long *counts)
{
	unsigned long idx = rnd_below(m->nr_runs), i;
	struct ba_run r = m->runs[idx];
	unsigned int off = 0, len = r.len;

	if (rnd() & 1) {
		off = rnd_below(r.len);
		len = 1 + rnd_below(r.len - off);
	}
	counts[len == r.len ? BA_PUT : BA_SPLIT]++;
	/* The pieces left over stay allocated. */
	m->runs[idx] = m->runs[--m->nr_runs];
	if (off) {
		m->runs[m->nr_runs].start = r.start;
		m->runs[m->nr_runs].len = off;
		m->nr_runs++;
	}
	if (off + len < r.len) {
		m->runs[m->nr_runs].start = r.start + off + len;
		m->runs[m->nr_runs].len = r.len - off - len;
		m->nr_runs++;
	}
	vswap_balloc_put(a, r.start + off, len);
	for (i = r.start + off; i < r.start + off + len; i++) {
		CHECK(m->used[i], "model: slot %lu freed twice", i);
		CHECK(!test_bit(i, a->map), "slot %lu still marked after put", i);
		m->used[i] = 0;
	}
	m->nr_used -= len;
}

/* The whole map against the reference, and no bit past the end. */
static void ba_check_map(struct vswap_balloc *a, struct ba_model *m)
{
	unsigned long i, last = BITS_TO_LONGS(m->nr) - 1;

	for (i = 0; i < m->nr; i++)
		CHECK(test_bit(i, a->map) == m->used[i], "%lu slots: bit %lu",
		      m->nr, i);
	if (m->nr % BITS_PER_LONG)
		CHECK(!(a->map[last] >> (m->nr % BITS_PER_LONG)),
		      "bits set past slot %lu: %#lx", m->nr, a->map[last]);
}

long ba_model_ops;

void test_balloc_model(unsigned long nr_slots, long nr_ops, u64 seed)
{
	/* Share of gets, per phase: fill up, hover, drain. */
	static const unsigned int get_pct[] = { 90, 30, 45, 10, 40, 97, 20, 3 };
	struct vswap_balloc a;
	struct ba_model m = { .nr = nr_slots };
	long counts[BA_NR] = { 0 }, occ[4] = { 0 }, i;
	unsigned long full_map = nr_slots <= 64 ? 1 : 128;
	char title[96];
	int ret;

	test_begin();
	rng_state = seed;
	m.used = calloc(nr_slots, 1);
	m.runs = calloc(nr_slots, sizeof(*m.runs));
	ret = vswap_balloc_init(&a, nr_slots);
	CHECK(!ret, "init %lu -> %d", nr_slots, ret);
	if (ret)
		goto out;
	for (i = 0; i < nr_ops && check_fails < 10; i++) {
		unsigned int pct = get_pct[(i / 4096) % ARRAY_SIZE(get_pct)];

		if (!m.nr_runs || rnd_below(100) < pct) {
			unsigned int want = 1 + rnd_below(64);

			/* Now and then far more than the allocator has. */
			if (!rnd_below(256))
				want = 1 + rnd_below(UINT_MAX);
			ba_model_get(&a, &m, want, counts);
		} else {
			ba_model_put(&a, &m, counts);
		}
		CHECK(vswap_balloc_used(&a) == m.nr_used, "used %lu, model %lu",
		      vswap_balloc_used(&a), m.nr_used);
		CHECK(a.cursor == m.cursor, "cursor %lu, model %lu", a.cursor,
		      m.cursor);
		CHECK(shim_locks_held() == 0 && shim_atomic_depth == 0,
		      "lock leak");
		occ[m.nr_used == m.nr ? 3 : m.nr_used * 2 >= m.nr ? 2 :
		    m.nr_used ? 1 : 0]++;
		if (i % full_map == 0)
			ba_check_map(&a, &m);
	}
	ba_check_map(&a, &m);
	/* Free what is left, in random order; nothing may stay marked. */
	while (m.nr_runs && check_fails < 10)
		ba_model_put(&a, &m, counts);
	CHECK(vswap_balloc_used(&a) == 0, "used %lu after freeing all",
	      vswap_balloc_used(&a));
	ba_check_map(&a, &m);
	vswap_balloc_destroy(&a);
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	ba_model_ops += i;
	printf("# balloc model %lu slots seed %llu: %ld ops:", nr_slots,
	       (unsigned long long)seed, i);
	for (i = 0; i < BA_NR; i++)
		printf(" %s=%ld", ba_names[i], counts[i]);
	printf("; used after op: empty=%ld below-half=%ld half-up=%ld full=%ld\n",
	       occ[0], occ[1], occ[2], occ[3]);
out:
	free(m.used);
	free(m.runs);
	snprintf(title, sizeof(title), "balloc model test %lu slots (%ld ops, seed %llu)",
		 nr_slots, nr_ops, (unsigned long long)seed);
	test_end(title);
}

/* ---- multi-threaded smoke ---- */
#define BA_MT_THREADS	4
#define BA_MT_SLOTS	1000
#define BA_MT_RUNS	64

struct ba_mt_arg {
	struct vswap_balloc *a;
	int *owner;		/* per slot: thread id, -1 when free */
	int id;
	long ops;
	u64 seed;
	long errors, gets, full, puts;
	struct ba_run runs[BA_MT_RUNS];
	unsigned int nr_runs;
};

/* Free @len slots at @start that this thread owns. */
static void ba_mt_put(struct ba_mt_arg *t, unsigned long start,
		      unsigned int len)
{
	unsigned long i;

	/* Disowned before the put: the next owner may take them at once. */
	for (i = start; i < start + len; i++)
		if (__atomic_exchange_n(&t->owner[i], -1,
					__ATOMIC_RELAXED) != t->id)
			t->errors++;
	vswap_balloc_put(t->a, start, len);
	t->puts++;
}

static void *ba_mt_worker(void *p)
{
	struct ba_mt_arg *t = p;
	unsigned long start, i;
	long op;

	/* One emulated CPU each: only the allocator's lock serialises. */
	shim_cpu = t->id % SHIM_NR_CPUS;
	for (op = 0; op < t->ops; op++) {
		bool get = !t->nr_runs ||
			   (t->nr_runs < BA_MT_RUNS && splitmix(&t->seed) % 100 < 55);

		if (get) {
			unsigned int want = 1 + splitmix(&t->seed) % 64;
			unsigned int n = vswap_balloc_get(t->a, want, &start);

			t->gets++;
			if (!n) {
				t->full++;
				continue;
			}
			if (n > want || start >= BA_MT_SLOTS ||
			    n > BA_MT_SLOTS - start) {
				t->errors++;
				continue;
			}
			for (i = start; i < start + n; i++)
				if (__atomic_exchange_n(&t->owner[i], t->id,
							__ATOMIC_RELAXED) != -1)
					t->errors++;
			t->runs[t->nr_runs].start = start;
			t->runs[t->nr_runs].len = n;
			t->nr_runs++;
		} else {
			unsigned int idx = splitmix(&t->seed) % t->nr_runs;
			struct ba_run *r = &t->runs[idx];

			if (r->len > 1 && splitmix(&t->seed) & 1) {
				/* Free the tail piece, keep the head. */
				unsigned int keep;

				keep = 1 + splitmix(&t->seed) % (r->len - 1);
				ba_mt_put(t, r->start + keep, r->len - keep);
				r->len = keep;
			} else {
				ba_mt_put(t, r->start, r->len);
				*r = t->runs[--t->nr_runs];
			}
		}
		if (vswap_balloc_used(t->a) > BA_MT_SLOTS)
			t->errors++;
	}
	while (t->nr_runs) {
		t->nr_runs--;
		ba_mt_put(t, t->runs[t->nr_runs].start, t->runs[t->nr_runs].len);
	}
	return NULL;
}

void test_balloc_mt(long ops)
{
	static struct ba_mt_arg args[BA_MT_THREADS];
	static int owner[BA_MT_SLOTS];
	long errors = 0, gets = 0, full = 0, puts = 0;
	pthread_t th[BA_MT_THREADS];
	struct vswap_balloc a;
	unsigned long i;
	char title[80];

	test_begin();
	CHECK(!vswap_balloc_init(&a, BA_MT_SLOTS), "init");
	for (i = 0; i < BA_MT_SLOTS; i++)
		owner[i] = -1;
	/* Widen the window between finding a free run and taking it. */
	shim_bitmap_yield = 16;
	for (i = 0; i < BA_MT_THREADS; i++) {
		memset(&args[i], 0, sizeof(args[i]));
		args[i].a = &a;
		args[i].owner = owner;
		args[i].id = i;
		args[i].ops = ops;
		args[i].seed = rnd();
		if (pthread_create(&th[i], NULL, ba_mt_worker, &args[i])) {
			perror("pthread_create");
			abort();
		}
	}
	for (i = 0; i < BA_MT_THREADS; i++) {
		pthread_join(th[i], NULL);
		errors += args[i].errors;
		gets += args[i].gets;
		full += args[i].full;
		puts += args[i].puts;
	}
	shim_bitmap_yield = 0;
	/* Runs handed out twice or out of bounds, foreign frees, used > slots. */
	CHECK(!errors, "%ld errors", errors);
	CHECK(vswap_balloc_used(&a) == 0, "used %lu at the end",
	      vswap_balloc_used(&a));
	for (i = 0; i < BA_MT_SLOTS; i++) {
		CHECK(owner[i] == -1, "slot %lu still owned by %d", i, owner[i]);
		CHECK(!test_bit(i, a.map), "slot %lu still marked", i);
	}
	vswap_balloc_destroy(&a);
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	printf("# balloc mt: %d threads x %ld ops on %d slots: gets=%ld (full=%ld) puts=%ld\n",
	       BA_MT_THREADS, ops, BA_MT_SLOTS, gets, full, puts);
	snprintf(title, sizeof(title), "balloc multi-threaded smoke (%d threads)",
		 BA_MT_THREADS);
	test_end(title);
}
