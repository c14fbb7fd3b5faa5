// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the migration policy (vswap_policy.c): idle filters to
 * ages, the demotion throttle, and the choice of a target tier (pick,
 * drain target, back-off) against references.
 */
#include "vswap_policy.h"
#include "unit.h"

/* ================= 9. migration policy (vswap_policy.c) ================= */
/* ---- idle filter -> minimal age ---- */

/* What an idle filter should select: age > idle / interval, at most 3. */
static unsigned int ref_idle_to_age(u32 idle, unsigned int interval)
{
	u64 iv = interval ? interval : 1;

	if (!idle)
		return 0;
	if (idle < iv)
		return 1;
	if (idle < 2 * iv)
		return 2;
	return VSWAP_AGE_MAX;
}

/*
 * vswap_idle_to_age() computes idle / interval + 1 in 32 bits: U32_MAX
 * with an interval of 1 (or 0, taken as 1) wraps to 0, "every slot".
 */
static long idle_checks;

static void check_idle(u32 idle, unsigned int interval, unsigned int want)
{
	unsigned int got = vswap_idle_to_age(idle, interval);

	idle_checks++;
	CHECK(got == want, "idle %u interval %u: age %u, want %u",
	      idle, interval, got, want);
}

void test_policy_idle_age(long nr_ops)
{
	static const struct {
		u32 idle;
		unsigned int interval, age;
	} table[] = {
		/* 0 is "no filter" whatever the interval. */
		{ 0, 0, 0 }, { 0, 1, 0 }, { 0, 2, 0 }, { 0, 10, 0 },
		{ 0, 3600, 0 }, { 0, UINT_MAX, 0 },
		/* interval 1 */
		{ 1, 1, 2 }, { 2, 1, 3 }, { 3, 1, 3 }, { 4, 1, 3 },
		{ 1000, 1, 3 }, { U32_MAX / 2, 1, 3 }, { U32_MAX - 1, 1, 3 },
		{ U32_MAX, 1, 3 },
		/* interval 0 is taken as 1 */
		{ 1, 0, 2 }, { 2, 0, 3 }, { 3, 0, 3 }, { U32_MAX - 1, 0, 3 },
		{ U32_MAX, 0, 3 },
		/* interval 2 */
		{ 1, 2, 1 }, { 2, 2, 2 }, { 3, 2, 2 }, { 4, 2, 3 }, { 5, 2, 3 },
		{ 6, 2, 3 }, { U32_MAX - 1, 2, 3 }, { U32_MAX, 2, 3 },
		/* interval 10 (the module's default) */
		{ 1, 10, 1 }, { 9, 10, 1 }, { 10, 10, 2 }, { 11, 10, 2 },
		{ 19, 10, 2 }, { 20, 10, 3 }, { 21, 10, 3 }, { 29, 10, 3 },
		{ 30, 10, 3 }, { 31, 10, 3 }, { 1000000, 10, 3 },
		{ U32_MAX, 10, 3 },
		/* interval 3600 (the module's maximum) */
		{ 1, 3600, 1 }, { 3599, 3600, 1 }, { 3600, 3600, 2 },
		{ 7199, 3600, 2 }, { 7200, 3600, 3 }, { U32_MAX, 3600, 3 },
		/* intervals beyond any idle value */
		{ U32_MAX - 1, U32_MAX, 1 }, { U32_MAX, U32_MAX, 2 },
		{ U32_MAX, UINT_MAX, 2 },
	};
	long sweep, rnd_n;
	unsigned int i, iv;
	u32 idle;

	test_begin();
	idle_checks = 0;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		CHECK(ref_idle_to_age(table[i].idle, table[i].interval) ==
		      table[i].age, "reference disagrees with table row %u", i);
		check_idle(table[i].idle, table[i].interval, table[i].age);
	}
	/* Every idle value around the boundaries of small intervals. */
	for (iv = 0; iv <= 64; iv++) {
		unsigned int v = iv ? iv : 1;

		for (idle = 0; idle <= 3 * v + 5; idle++)
			check_idle(idle, iv, ref_idle_to_age(idle, iv));
	}
	sweep = idle_checks;
	/* Random pairs, a third of them on or next to a boundary. */
	for (rnd_n = 0; rnd_n < nr_ops && check_fails < 10; rnd_n++) {
		switch (rnd_below(4)) {
		case 0:
			iv = rnd_below(3601);
			break;
		case 1:
			iv = rnd_below(8);
			break;
		default:
			iv = rnd();
			break;
		}
		switch (rnd_below(3)) {
		case 0: {
			u64 b = (u64)(iv ? iv : 1) * (1 + rnd_below(3));

			b += rnd_below(3);
			b -= 1;
			idle = b > U32_MAX ? U32_MAX - rnd_below(2) : (u32)b;
			break;
		}
		case 1:
			idle = U32_MAX - rnd_below(4);
			break;
		default:
			idle = rnd() >> rnd_below(33);
			break;
		}
		check_idle(idle, iv, ref_idle_to_age(idle, iv));
	}
	printf("# idle_to_age: %zu table rows, %ld boundary sweep checks, %ld random; %ld known-bug mismatches\n",
	       ARRAY_SIZE(table), sweep - (long)ARRAY_SIZE(table), rnd_n,
	       known_bugs);
	test_end("policy: vswap_idle_to_age table, boundaries, huge idle values");
}

/* ---- demotion throttle ---- */
#define THR_HZ	100

static void thr_wait_is(struct vswap_throttle *t, unsigned long base,
			unsigned long off, u64 rate, u64 budget,
			unsigned long want, const char *what)
{
	unsigned long got = vswap_throttle_wait(t, base + off, rate, budget,
						THR_HZ);

	CHECK(got == want, "base %#lx %s: wait(+%lu, rate %llu, budget %llu) = %lu, want %lu",
	      base, what, off, (unsigned long long)rate,
	      (unsigned long long)budget, got, want);
}

static void throttle_cases(unsigned long base)
{
	const unsigned long hour = 3600UL * THR_HZ;
	struct vswap_throttle t;
	unsigned long off;

	/* No limits: never a wait, whatever was charged. */
	vswap_throttle_init(&t, base);
	for (off = 0; off < 3 * hour; off += hour / 2 + 7) {
		thr_wait_is(&t, base, off, 0, 0, 0, "no limits");
		vswap_throttle_charge(&t, 1ULL << 50);
		thr_wait_is(&t, base, off, 0, 0, 0, "no limits");
	}

	/* Rate 1000 bytes/s: wait for the end of the 1 s window. */
	vswap_throttle_init(&t, base);
	thr_wait_is(&t, base, 0, 1000, 0, 0, "rate, fresh");
	vswap_throttle_charge(&t, 999);
	thr_wait_is(&t, base, 10, 1000, 0, 0, "rate, 999 of 1000");
	vswap_throttle_charge(&t, 1);
	thr_wait_is(&t, base, 10, 1000, 0, 90, "rate reached");
	thr_wait_is(&t, base, 10, 1000, 0, 90, "rate reached, again");
	thr_wait_is(&t, base, 99, 1000, 0, 1, "rate, last tick");
	thr_wait_is(&t, base, 99, 1001, 0, 0, "rate raised");
	thr_wait_is(&t, base, 99, 0, 0, 0, "rate lifted");
	thr_wait_is(&t, base, 100, 1000, 0, 0, "rate, next window");
	/* One batch may overshoot; the window then runs its full length. */
	vswap_throttle_charge(&t, 1500);
	thr_wait_is(&t, base, 100, 1000, 0, 100, "overshoot");
	thr_wait_is(&t, base, 150, 1000, 0, 50, "overshoot");
	thr_wait_is(&t, base, 199, 1000, 0, 1, "overshoot");
	thr_wait_is(&t, base, 200, 1000, 0, 0, "after overshoot");
	/* A window starts at the first wait after the old one ended. */
	vswap_throttle_charge(&t, 1000);
	thr_wait_is(&t, base, 257, 1000, 0, 43, "window from +200");
	thr_wait_is(&t, base, 317, 1000, 0, 0, "late");
	vswap_throttle_charge(&t, 1000);
	thr_wait_is(&t, base, 400, 1000, 0, 17, "late window");
	thr_wait_is(&t, base, 416, 1000, 0, 1, "late window");
	thr_wait_is(&t, base, 417, 1000, 0, 0, "late window over");
	/* Long idle, then the limit again. */
	vswap_throttle_charge(&t, 1000);
	thr_wait_is(&t, base, 100417, 1000, 0, 0, "after a long pause");
	vswap_throttle_charge(&t, 1000);
	thr_wait_is(&t, base, 100417 + THR_HZ - 1, 1000, 0, 1, "after a long pause");
	/* A rate below one page: one batch per window. */
	vswap_throttle_init(&t, base);
	thr_wait_is(&t, base, 0, 1, 0, 0, "rate 1");
	vswap_throttle_charge(&t, 4096);
	thr_wait_is(&t, base, 1, 1, 0, THR_HZ - 1, "rate 1");

	/* Budget 2500 bytes per hour, rate 1000/s; budget comes first. */
	vswap_throttle_init(&t, base);
	vswap_throttle_charge(&t, 1000);
	thr_wait_is(&t, base, 0, 1000, 2500, 100, "budget 1000/2500");
	thr_wait_is(&t, base, 100, 1000, 2500, 0, "budget 1000/2500");
	vswap_throttle_charge(&t, 1000);
	thr_wait_is(&t, base, 150, 1000, 2500, 50, "budget 2000/2500");
	thr_wait_is(&t, base, 200, 1000, 2500, 0, "budget 2000/2500");
	vswap_throttle_charge(&t, 1000);
	/* Both exhausted: the longer budget wait wins. */
	thr_wait_is(&t, base, 200, 1000, 2500, hour - 200, "budget + rate");
	thr_wait_is(&t, base, 300, 1000, 2500, hour - 300, "budget");
	thr_wait_is(&t, base, 300, 1000, 3000, hour - 300, "budget exactly");
	thr_wait_is(&t, base, 300, 1000, 3001, 0, "budget raised");
	thr_wait_is(&t, base, 300, 0, 2500, hour - 300, "budget, no rate");
	thr_wait_is(&t, base, hour - 1, 1000, 2500, 1, "budget, last tick");
	thr_wait_is(&t, base, hour, 1000, 2500, 0, "next hour");
	vswap_throttle_charge(&t, 999);
	thr_wait_is(&t, base, hour + 1, 1000, 2500, 0, "next hour");
	vswap_throttle_charge(&t, 1);
	/* The rate window began at hour - 1 (the first wait past +300's). */
	thr_wait_is(&t, base, hour + 1, 1000, 2500, THR_HZ - 2, "next hour, rate");
	/* Budget only, hit by one large batch. */
	vswap_throttle_init(&t, base);
	vswap_throttle_charge(&t, 5000);
	thr_wait_is(&t, base, 1, 0, 5000, hour - 1, "budget only");
	thr_wait_is(&t, base, 1, 0, 5001, 0, "budget only, raised");
	thr_wait_is(&t, base, hour + 5, 0, 5000, 0, "budget only, next hour");
	vswap_throttle_charge(&t, 5000);
	thr_wait_is(&t, base, hour + 6, 0, 5000, hour - 1, "budget only, again");
}

struct thr_ref {
	u64 ws, wb, bs, bb;	/* unwrapped time: ws, bs; bytes: wb, bb */
};

/* The throttle as specified, on a 64-bit clock that never wraps. */
static u64 thr_ref_wait(struct thr_ref *r, u64 now, u64 rate, u64 budget,
			u64 hz, int *why)
{
	*why = 0;
	if (now >= r->ws + hz) {
		r->ws = now;
		r->wb = 0;
	}
	if (now >= r->bs + 3600 * hz) {
		r->bs = now;
		r->bb = 0;
	}
	if (budget && r->bb >= budget) {
		*why = 2;
		return r->bs + 3600 * hz - now;
	}
	if (rate && r->wb >= rate) {
		*why = 1;
		return r->ws + hz - now;
	}
	return 0;
}

struct thr_charge {
	u64 when, bytes;
};

void test_throttle_model(long nr_steps, u64 seed)
{
	static const unsigned long hzs[] = { 1, 24, 100, 250, 300, 1000 };
	static const unsigned long bases[] = { 0, 1, 5000, ULONG_MAX,
					       ULONG_MAX - 50, ULONG_MAX - 250,
					       ULONG_MAX - 200000 };
	/* Charges in the last hz ticks, for the sliding-window bound. */
	struct thr_charge *ring = calloc(8192, sizeof(*ring));
	unsigned int ring_head = 0, ring_len = 0;
	struct vswap_throttle t;
	struct thr_ref r;
	unsigned long hz = 1, base = 0, jif, prev_jif;
	u64 now = 0, rate = 0, budget = 0, batch = 1, last_wait = 0;
	u64 ring_sum = 0, charged = 0, max_over = 0;
	long step, runs = 0, wraps = 0, waits[3] = { 0 }, rate_changes = 0;
	long seg_left = 0, win_checks = 0, hour_ends = 0;
	bool win_clean = false, hour_clean = false;
	long fails0;
	unsigned int i;

	test_begin();
	rng_state = seed;
	for (i = 0; i < ARRAY_SIZE(bases); i++)
		throttle_cases(bases[i]);
	/* Each hour window straddling 0 too. */
	throttle_cases(ULONG_MAX - 3600UL * THR_HZ + 17);

	/* The model reports too when the fixed cases failed. */
	fails0 = check_fails;
	jif = prev_jif = 0;
	for (step = 0; step < nr_steps && check_fails < fails0 + 10; step++) {
		unsigned long got;
		u64 want, adv;
		int why;

		if (!seg_left--) {
			/* A new run: clock, limits, batch size. */
			seg_left = 1 + rnd_below(nr_steps / 64 + 1);
			hz = rnd_below(4) ? hzs[rnd_below(ARRAY_SIZE(hzs))] :
					    1 + rnd_below(5000);
			batch = rnd_below(2) ? 4096 * (1 + rnd_below(64)) :
					       1 + rnd_below(1 << 20);
			switch (rnd_below(3)) {
			case 0:
				base = rnd();
				break;
			case 1:
				base = ULONG_MAX - rnd_below(4 * hz);
				break;
			default:
				base = ULONG_MAX - rnd_below(2 * 3600 * hz);
				break;
			}
			now = 0;
			jif = prev_jif = base;
			vswap_throttle_init(&t, jif);
			memset(&r, 0, sizeof(r));
			ring_len = 0;
			ring_sum = 0;
			win_clean = hour_clean = true;
			runs++;
			goto limits;
		}
		if (!rnd_below(5000)) {
limits:
			rate = rnd_below(4) ? 1 + rnd_below(batch * 8) : 0;
			budget = rnd_below(3) ? 1 + rnd_below(batch * 4000) : 0;
			rate_changes++;
			win_clean = hour_clean = false;
			ring_len = 0;
			ring_sum = 0;
		}
		/* Time moves on: 0..hz ticks, or just what the wait said. */
		switch (rnd_below(16)) {
		case 10: case 11: case 12:
			adv = last_wait;
			break;
		case 13:
			adv = last_wait ? last_wait - 1 : 0;
			break;
		case 14:
			adv = last_wait + rnd_below(3);
			break;
		case 15:
			adv = rnd_below(5000) ? 0 : rnd_below(2 * 3600 * hz);
			break;
		default:
			adv = rnd_below(hz + 1);
			break;
		}
		now += adv;
		jif = base + (unsigned long)now;
		if (jif < prev_jif)
			wraps++;
		prev_jif = jif;

		want = thr_ref_wait(&r, now, rate, budget, hz, &why);
		if (r.ws == now && !r.wb)
			win_clean = true;	/* a fresh window */
		if (r.bs == now && !r.bb) {
			if (now)
				hour_ends++;
			hour_clean = true;
		}
		got = vswap_throttle_wait(&t, jif, rate, budget, hz);
		CHECK(got == want, "step %ld: wait %lu, model %llu (hz %lu rate %llu budget %llu)",
		      step, got, (unsigned long long)want, hz,
		      (unsigned long long)rate, (unsigned long long)budget);
		CHECK(t.window_start == base + (unsigned long)r.ws &&
		      t.window_bytes == r.wb &&
		      t.budget_start == base + (unsigned long)r.bs &&
		      t.budget_bytes == r.bb,
		      "step %ld: state %lu/%llu %lu/%llu, model %llu/%llu %llu/%llu",
		      step, t.window_start - base,
		      (unsigned long long)t.window_bytes,
		      t.budget_start - base, (unsigned long long)t.budget_bytes,
		      (unsigned long long)r.ws, (unsigned long long)r.wb,
		      (unsigned long long)r.bs, (unsigned long long)r.bb);
		waits[why]++;
		last_wait = want;
		if (got)
			continue;
		/* The engine writes a batch, then charges it. */
		{
			u64 bytes = rnd_below(batch + 1);

			vswap_throttle_charge(&t, bytes);
			r.wb += bytes;
			r.bb += bytes;
			charged += bytes;
			while (ring_len &&
			       ring[ring_head].when + hz <= now) {
				ring_sum -= ring[ring_head].bytes;
				ring_head = (ring_head + 1) % 8192;
				ring_len--;
			}
			if (ring_len == 8192) {
				/* Only with 0-tick steps: drop the oldest. */
				ring_sum -= ring[ring_head].bytes;
				ring_head = (ring_head + 1) % 8192;
				ring_len--;
			}
			ring[(ring_head + ring_len) % 8192] =
				(struct thr_charge){ now, bytes };
			ring_len++;
			ring_sum += bytes;
		}
		/* Within a window: under the limit plus one batch. */
		if (rate && win_clean) {
			win_checks++;
			CHECK(r.wb < rate + batch, "step %ld: %llu bytes in a window, rate %llu batch %llu",
			      step, (unsigned long long)r.wb,
			      (unsigned long long)rate,
			      (unsigned long long)batch);
			if (r.wb > rate && r.wb - rate > max_over)
				max_over = r.wb - rate;
		}
		if (budget && hour_clean)
			CHECK(r.bb < budget + batch, "step %ld: %llu bytes in an hour, budget %llu batch %llu",
			      step, (unsigned long long)r.bb,
			      (unsigned long long)budget,
			      (unsigned long long)batch);
		/* Any hz ticks overlap at most two windows. */
		if (rate)
			CHECK(ring_sum < 2 * (rate + batch), "step %ld: %llu bytes in %lu ticks, rate %llu batch %llu",
			      step, (unsigned long long)ring_sum, hz,
			      (unsigned long long)rate,
			      (unsigned long long)batch);
	}
	free(ring);
	printf("# throttle model seed %llu: %ld steps in %ld runs, %ld limit changes, %ld jiffies wraps, %ld hour windows ended; waits: none=%ld rate=%ld budget=%ld; %llu bytes charged, %ld window checks, largest overshoot %llu bytes\n",
	       (unsigned long long)seed, step, runs, rate_changes, wraps,
	       hour_ends, waits[0], waits[1], waits[2],
	       (unsigned long long)charged, win_checks,
	       (unsigned long long)max_over);
	test_end("policy: demotion throttle (rate, hourly budget, jiffies wrap) and model");
}

/* ---- target tier choice ---- */
struct fake_tier {
	struct vswap_tier tier;
	u64 used;
};

static int fake_store(struct vswap_tier *tier, const void *src,
		      unsigned long *desc, unsigned int flags)
{
	(void)tier, (void)src, (void)desc, (void)flags;
	return -EAGAIN;
}

static int fake_load(struct vswap_tier *tier, unsigned long desc, void *dst)
{
	(void)tier, (void)desc, (void)dst;
	return -EREMOTE;
}

static void fake_release(struct vswap_tier *tier, unsigned long desc)
{
	(void)tier, (void)desc;
}

static u64 fake_used_bytes(struct vswap_tier *tier)
{
	return container_of(tier, struct fake_tier, tier)->used;
}

/* The test frees its fake tiers itself, after unpublishing them. */
static void fake_destroy(struct vswap_tier *tier)
{
	(void)tier;
}

static const struct vswap_tier_ops fake_ops = {
	.kind = "fake",
	.store = fake_store,
	.load = fake_load,
	.release = fake_release,
	.used_bytes = fake_used_bytes,
	.destroy = fake_destroy,
};

struct pol_env {
	struct vswap_space s;
	struct fake_tier *ft[VSWAP_MAX_TIERS];	/* by id, published or not */
};

static struct vswap_space *pol_space;
static unsigned long pol_full;		/* tier ids that take no slots */
static long pol_takes_calls, pol_takes_bad;

static bool pol_takes(struct vswap_tier *tier)
{
	pol_takes_calls++;
	if (!tier || tier->id >= VSWAP_MAX_TIERS ||
	    pol_space->tiers[tier->id] != tier) {
		pol_takes_bad++;
		return true;
	}
	return !(pol_full & BIT(tier->id));
}

/* Whether a tier is under its limit: the ops' used_bytes() decides. */
static bool pol_takes_limit(struct vswap_tier *tier)
{
	return !vswap_tier_full(tier);
}

static bool pol_init(struct pol_env *e)
{
	unsigned int id;
	int ret;

	memset(e, 0, sizeof(*e));
	ret = vswap_space_init(&e->s, 1000, "lz4", 0);
	CHECK(!ret, "space init: %d", ret);
	if (ret)
		return false;
	for (id = VSWAP_TIER_BACKED_FIRST; id < VSWAP_MAX_TIERS; id++) {
		char name[VSWAP_TIER_NAME_LEN];

		e->ft[id] = kzalloc(sizeof(*e->ft[id]), GFP_KERNEL);
		CHECK(e->ft[id], "alloc");
		if (!e->ft[id])
			return false;
		snprintf(name, sizeof(name), "fake%u", id);
		vswap_tier_init(&e->ft[id]->tier, &e->s, &fake_ops, id, name);
	}
	pol_space = &e->s;
	pol_full = 0;
	return true;
}

static struct vswap_tier *pol_tier(struct pol_env *e, unsigned int id)
{
	return &e->ft[id]->tier;
}

static struct vswap_tier *pol_add(struct pol_env *e, unsigned int id,
				  unsigned int prio)
{
	struct vswap_tier *tier = pol_tier(e, id);

	tier->conf.priority = prio;
	vswap_space_publish_tier(&e->s, tier);
	return tier;
}

static void pol_del_all(struct pol_env *e)
{
	unsigned int id;

	for (id = VSWAP_TIER_BACKED_FIRST; id < VSWAP_MAX_TIERS; id++)
		if (e->s.tiers[id] == pol_tier(e, id))
			vswap_space_unpublish_tier(&e->s, id);
	CHECK(e->s.nr_tiers == VSWAP_TIER_BACKED_FIRST, "nr_tiers %u",
	      e->s.nr_tiers);
	pol_full = 0;
}

static void pol_destroy(struct pol_env *e)
{
	unsigned int id;

	pol_del_all(e);
	for (id = VSWAP_TIER_BACKED_FIRST; id < VSWAP_MAX_TIERS; id++)
		kfree(e->ft[id]);
	vswap_space_destroy(&e->s);
	pol_space = NULL;
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
}

static const char *tier_nm(struct vswap_tier *t)
{
	return t ? t->name : "(none)";
}

#define PICK_IS(e, skip, after, any, want) do {				\
	struct vswap_tier *_got = vswap_policy_pick(&(e)->s, (skip),	\
						     (after), (any),	\
						     pol_takes);	\
	CHECK(_got == (want), "pick(skip %s, after %u, any %d) = %s, want %s", \
	      tier_nm(skip), (unsigned int)(after), (any), tier_nm(_got),	\
	      tier_nm(want));						\
	checks++;							\
} while (0)

#define DRAIN_IS(e, from, want) do {					\
	struct vswap_tier *_got = vswap_policy_drain_target(&(e)->s,	\
							    (from),	\
							    pol_takes);	\
	CHECK(_got == (want), "drain_target(%s) = %s, want %s (full %#lx)", \
	      tier_nm(from), tier_nm(_got), tier_nm(want), pol_full);	\
	checks++;							\
} while (0)

void test_policy_pick(void)
{
	struct vswap_tier *a, *b, *c, *d, *z, *m, *ram;
	struct pol_env e;
	long checks = 0;

	test_begin();
	pol_takes_calls = pol_takes_bad = 0;
	if (!pol_init(&e))
		goto out;
	ram = e.s.tiers[VSWAP_TIER_RAM];
	CHECK(ram && e.s.nr_tiers == VSWAP_TIER_BACKED_FIRST, "space tiers");
	/* No backing tier: nothing, whatever the RAM tier does. */
	PICK_IS(&e, NULL, 0, false, NULL);
	PICK_IS(&e, NULL, 0, true, NULL);
	PICK_IS(&e, ram, 0, true, NULL);

	/* Published out of order, default priorities (= id). */
	c = pol_add(&e, 4, 4);
	a = pol_add(&e, 2, 2);
	b = pol_add(&e, 3, 3);
	PICK_IS(&e, NULL, 0, false, a);
	PICK_IS(&e, NULL, 1, false, a);
	PICK_IS(&e, NULL, 2, false, b);
	PICK_IS(&e, NULL, 3, false, c);
	PICK_IS(&e, NULL, 4, false, NULL);
	PICK_IS(&e, NULL, 4, true, a);
	PICK_IS(&e, a, 0, false, b);
	PICK_IS(&e, a, 0, true, b);
	PICK_IS(&e, ram, 0, false, a);
	/* Lowest value first; ties to the lower id. */
	a->conf.priority = 30;
	b->conf.priority = 10;
	c->conf.priority = 10;
	PICK_IS(&e, NULL, 0, false, b);
	PICK_IS(&e, b, 0, false, c);
	PICK_IS(&e, NULL, 9, false, b);
	PICK_IS(&e, NULL, 10, false, a);
	PICK_IS(&e, NULL, 29, false, a);
	PICK_IS(&e, NULL, 30, false, NULL);
	PICK_IS(&e, NULL, 30, true, b);
	PICK_IS(&e, NULL, UINT_MAX, true, b);
	PICK_IS(&e, NULL, UINT_MAX, false, NULL);
	/* Full tiers are passed over. */
	pol_full = BIT(3);
	PICK_IS(&e, NULL, 0, false, c);
	PICK_IS(&e, c, 0, false, a);
	PICK_IS(&e, c, 10, true, a);
	pol_full = BIT(3) | BIT(4);
	PICK_IS(&e, NULL, 0, false, a);
	PICK_IS(&e, a, 0, true, NULL);
	pol_full = BIT(2) | BIT(3) | BIT(4);
	PICK_IS(&e, NULL, 0, true, NULL);
	/* The RAM tier is never picked, even when first in priority. */
	pol_full = 0;
	ram->conf.priority = 0;
	PICK_IS(&e, NULL, 0, true, b);
	ram->conf.priority = VSWAP_TIER_RAM;
	/* Priority extremes: 0 and UINT_MAX. */
	z = pol_add(&e, 7, 0);
	m = pol_add(&e, 9, UINT_MAX);
	PICK_IS(&e, NULL, 0, false, b);
	PICK_IS(&e, NULL, 0, true, z);
	PICK_IS(&e, NULL, UINT_MAX - 1, false, m);
	PICK_IS(&e, m, UINT_MAX - 1, false, NULL);
	PICK_IS(&e, z, 0, true, b);
	/* A hole below: the ids above it still count. */
	vswap_space_unpublish_tier(&e.s, 3);
	PICK_IS(&e, NULL, 0, false, c);
	CHECK(e.s.nr_tiers == 10, "nr_tiers %u", e.s.nr_tiers);
	vswap_space_unpublish_tier(&e.s, 9);
	CHECK(e.s.nr_tiers == 8, "nr_tiers %u", e.s.nr_tiers);
	PICK_IS(&e, NULL, 10, false, a);
	PICK_IS(&e, NULL, 30, false, NULL);
	/* The highest id possible. */
	d = pol_add(&e, VSWAP_MAX_TIERS - 1, 31);
	PICK_IS(&e, NULL, 30, false, d);
	pol_full = BIT(VSWAP_MAX_TIERS - 1);
	PICK_IS(&e, NULL, 30, false, NULL);
	pol_del_all(&e);

	/* "Takes slots" from the tier's own limit and used_bytes(). */
	a = pol_add(&e, 2, 5);
	b = pol_add(&e, 3, 6);
	a->conf.limit = 1 << 20;
	e.ft[2]->used = 1 << 20;
	CHECK(vswap_policy_pick(&e.s, NULL, 0, false, pol_takes_limit) == b,
	      "limit: full tier picked");
	e.ft[2]->used = (1 << 20) - 1;
	CHECK(vswap_policy_pick(&e.s, NULL, 0, false, pol_takes_limit) == a,
	      "limit: tier with room passed over");
	checks += 2;
	a->conf.limit = 0;
	pol_destroy(&e);
	CHECK(!pol_takes_bad, "takes() called on %ld unpublished tiers",
	      pol_takes_bad);
out:
	printf("# policy pick: %ld checks, %ld takes() calls\n", checks,
	       pol_takes_calls);
	test_end("policy: vswap_policy_pick (priority, ties, skip, after_prio, any, full)");
}

void test_policy_drain(void)
{
	struct vswap_tier *a, *b, *c, *d, *ram;
	struct pol_env e;
	long checks = 0;

	test_begin();
	pol_takes_calls = pol_takes_bad = 0;
	if (!pol_init(&e))
		goto out;
	ram = e.s.tiers[VSWAP_TIER_RAM];
	/* Nothing to drain RAM to. */
	DRAIN_IS(&e, ram, NULL);
	a = pol_add(&e, 2, 10);
	DRAIN_IS(&e, ram, a);
	DRAIN_IS(&e, a, ram);
	pol_full = BIT(VSWAP_TIER_RAM);
	DRAIN_IS(&e, a, NULL);
	pol_full = 0;
	b = pol_add(&e, 3, 20);
	c = pol_add(&e, 4, 30);
	/* Down to the next slower tier first. */
	DRAIN_IS(&e, a, b);
	DRAIN_IS(&e, b, c);
	DRAIN_IS(&e, ram, a);
	/* Then RAM. */
	DRAIN_IS(&e, c, ram);
	pol_full = BIT(4);
	DRAIN_IS(&e, b, ram);
	DRAIN_IS(&e, a, b);
	pol_full = BIT(3);
	DRAIN_IS(&e, a, c);
	/* Then up: the fastest backing tier with room. */
	pol_full = BIT(VSWAP_TIER_RAM);
	DRAIN_IS(&e, c, a);
	pol_full = BIT(VSWAP_TIER_RAM) | BIT(2);
	DRAIN_IS(&e, c, b);
	pol_full = BIT(VSWAP_TIER_RAM) | BIT(4);
	DRAIN_IS(&e, b, a);
	pol_full = BIT(VSWAP_TIER_RAM) | BIT(2) | BIT(4);
	DRAIN_IS(&e, b, NULL);
	DRAIN_IS(&e, a, b);
	/* RAM drains to backing tiers only, slower than it first. */
	pol_full = 0;
	DRAIN_IS(&e, ram, a);
	pol_full = BIT(2);
	DRAIN_IS(&e, ram, b);
	pol_full = BIT(2) | BIT(3) | BIT(4);
	DRAIN_IS(&e, ram, NULL);
	ram->conf.priority = 25;
	pol_full = 0;
	DRAIN_IS(&e, ram, c);
	pol_full = BIT(4);
	DRAIN_IS(&e, ram, a);
	pol_full = BIT(4) | BIT(2);
	DRAIN_IS(&e, ram, b);
	ram->conf.priority = VSWAP_TIER_RAM;
	/* Equal priority to the source: neither slower nor RAM's turn. */
	d = pol_add(&e, 5, 20);
	pol_full = 0;
	DRAIN_IS(&e, b, c);
	DRAIN_IS(&e, d, c);
	pol_full = BIT(4);
	DRAIN_IS(&e, b, ram);
	pol_full = BIT(4) | BIT(VSWAP_TIER_RAM);
	DRAIN_IS(&e, b, a);
	DRAIN_IS(&e, d, a);
	pol_full = BIT(4) | BIT(VSWAP_TIER_RAM) | BIT(2);
	DRAIN_IS(&e, b, d);
	DRAIN_IS(&e, d, b);
	/* Two slower tiers of one priority: the lower id. */
	pol_full = 0;
	c->conf.priority = 40;
	d->conf.priority = 40;
	DRAIN_IS(&e, b, c);
	pol_full = BIT(4);
	DRAIN_IS(&e, b, d);
	/* No RAM tier at all (NULL slot): straight to the others. */
	vswap_space_unpublish_tier(&e.s, VSWAP_TIER_RAM);
	pol_full = BIT(4) | BIT(5);
	DRAIN_IS(&e, b, a);
	DRAIN_IS(&e, c, a);
	vswap_space_publish_tier(&e.s, ram);
	CHECK(e.s.tiers[VSWAP_TIER_RAM] == ram, "RAM tier back");
	pol_destroy(&e);
	CHECK(!pol_takes_bad, "takes() called on %ld unpublished tiers",
	      pol_takes_bad);
out:
	printf("# policy drain_target: %ld checks, %ld takes() calls\n",
	       checks, pol_takes_calls);
	test_end("policy: vswap_policy_drain_target (down, RAM, up, none; RAM never to itself)");
}

/*
 * The back-off of a drain whose target refuses whole batches: HZ / 10
 * first, doubling up to 2 s, and the engine gives up after 12 refusals
 * in a row (vswap_migrate.c): a bounded wait, never a spin.
 */
void test_policy_backoff(void)
{
	const unsigned long hz = 1000, lo = hz / 10, hi = 2 * hz;
	unsigned long w = 0, prev = 0, sum = 0;
	unsigned int i;
	long checks = 0;

	test_begin();
	for (i = 0; i < 12; i++) {
		w = vswap_policy_backoff(w, lo, hi);
		CHECK(w >= lo && w <= hi, "try %u: wait %lu out of [%lu, %lu]",
		      i, w, lo, hi);
		CHECK(!prev || w == hi || w == 2 * prev,
		      "try %u: %lu after %lu: not doubled", i, w, prev);
		CHECK(w >= prev, "try %u: the wait shrank", i);
		prev = w;
		sum += w;
		checks += 3;
	}
	CHECK(w == hi, "the wait reaches its bound (%lu)", w);
	/* 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 7 * 2 s */
	CHECK(sum == 17100, "12 refusals wait %lu ms, not 17.1 s", sum);
	CHECK(vswap_policy_backoff(0, lo, hi) == lo, "first wait");
	CHECK(vswap_policy_backoff(ULONG_MAX, lo, hi) == hi, "no overflow");
	CHECK(vswap_policy_backoff(hi / 2 + 1, lo, hi) == hi, "capped");
	CHECK(vswap_policy_backoff(1, lo, hi) == lo, "at least lo");
	CHECK(vswap_policy_backoff(0, hi, lo) == lo, "lo above hi: hi wins");
	checks += 7;
	/*
	 * A backing tier's slots: the backing device's, at most the device's
	 * plus headroom (1/64 + 1024) for overwrites and missed frees.
	 */
	CHECK(vswap_policy_backed_slots(4ULL << 30, 4UL << 20) ==
	      (4UL << 20) + (4UL << 14) + 1024,
	      "16 TiB disk behind a 16 GiB device: 4 Mi slots + headroom");
	CHECK(vswap_policy_backed_slots(256, 4UL << 20) == 256,
	      "1 MiB disk: its own 256 slots");
	CHECK(vswap_policy_backed_slots(1000, 1000) == 1000, "equal");
	CHECK(vswap_policy_backed_slots(~0ULL, 1) == 1025, "huge disk");
	checks += 4;
	printf("# policy backoff and backed slots: %ld checks\n", checks);
	test_end("policy: vswap_policy_backoff (bounded, doubling), vswap_policy_backed_slots");
}

/* Straightforward references: every id from the top, (prio, id) order. */
static bool ref_better(struct vswap_tier *t, struct vswap_tier *best)
{
	return !best || t->conf.priority < best->conf.priority ||
	       (t->conf.priority == best->conf.priority && t->id < best->id);
}

static struct vswap_tier *ref_pick(struct pol_env *e, struct vswap_tier *skip,
				   unsigned int after, bool any)
{
	struct vswap_tier *best = NULL;
	int id;

	for (id = VSWAP_MAX_TIERS - 1; id >= VSWAP_TIER_BACKED_FIRST; id--) {
		struct vswap_tier *t = e->s.tiers[id];

		if (!t || t == skip || (pol_full & BIT(id)))
			continue;
		if (!any && t->conf.priority <= after)
			continue;
		if (ref_better(t, best))
			best = t;
	}
	return best;
}

enum { DR_DOWN, DR_RAM, DR_UP, DR_NONE, DR_NR };

static struct vswap_tier *ref_drain(struct pol_env *e, struct vswap_tier *from,
				    int *how)
{
	struct vswap_tier *ram = e->s.tiers[VSWAP_TIER_RAM];
	struct vswap_tier *down = NULL, *up = NULL;
	int id;

	for (id = VSWAP_TIER_BACKED_FIRST; id < VSWAP_MAX_TIERS; id++) {
		struct vswap_tier *t = e->s.tiers[id];

		if (!t || t == from || (pol_full & BIT(id)))
			continue;
		if (t->conf.priority > from->conf.priority) {
			if (ref_better(t, down))
				down = t;
		} else if (ref_better(t, up)) {
			up = t;
		}
	}
	if (down) {
		*how = DR_DOWN;
		return down;
	}
	if (ram && ram != from && !(pol_full & BIT(VSWAP_TIER_RAM))) {
		*how = DR_RAM;
		return ram;
	}
	*how = up ? DR_UP : DR_NONE;
	return up;
}

static unsigned int rnd_prio(const unsigned int *pool, unsigned int n)
{
	switch (rnd_below(8)) {
	case 0:
		return rnd();
	case 1:
		return rnd_below(2) ? 0 : UINT_MAX;
	default:
		return pool[rnd_below(n)];
	}
}

void test_policy_random(long nr_configs, u64 seed)
{
	struct vswap_tier *present[VSWAP_MAX_TIERS], *ram;
	long cfg, picks = 0, drains = 0, pick_null = 0, how_n[DR_NR] = { 0 };
	long tiers_sum = 0, ram_gone = 0;
	unsigned int pool[6];
	struct pol_env e;
	char title[96];

	test_begin();
	rng_state = seed;
	pol_takes_calls = pol_takes_bad = 0;
	if (!pol_init(&e))
		goto out;
	ram = e.s.tiers[VSWAP_TIER_RAM];
	for (cfg = 0; cfg < nr_configs && check_fails < 10; cfg++) {
		unsigned int n = 0, id, q, order[VSWAP_MAX_TIERS], nr;
		unsigned int density = rnd_below(5);

		pol_del_all(&e);
		/* Few distinct priorities, so ties are common. */
		for (q = 0; q < ARRAY_SIZE(pool); q++)
			pool[q] = rnd_below(4) ? rnd_below(20) : rnd();
		/* Which ids exist, published in random order. */
		nr = 0;
		for (id = VSWAP_TIER_BACKED_FIRST; id < VSWAP_MAX_TIERS; id++)
			if (rnd_below(4) < density)
				order[nr++] = id;
		for (q = nr; q > 1; q--) {
			unsigned int j = rnd_below(q), tmp = order[q - 1];

			order[q - 1] = order[j];
			order[j] = tmp;
		}
		for (q = 0; q < nr; q++)
			present[n++] = pol_add(&e, order[q], rnd_prio(pool, 6));
		tiers_sum += n;
		/* Fullness: none, all, or each at random. */
		switch (rnd_below(6)) {
		case 0:
			pol_full = 0;
			break;
		case 1:
			pol_full = ~0UL;
			break;
		default:
			pol_full = rnd() & rnd_below(2) ? rnd() : rnd() & rnd();
			break;
		}
		ram->conf.priority = rnd_below(3) ? VSWAP_TIER_RAM :
						    rnd_prio(pool, 6);
		if (!rnd_below(16)) {
			vswap_space_unpublish_tier(&e.s, VSWAP_TIER_RAM);
			ram_gone++;
		}
		for (q = 0; q < 8; q++) {
			struct vswap_tier *skip = NULL, *got, *want;
			unsigned int after;
			bool any = rnd_below(4) == 0;

			switch (rnd_below(4)) {
			case 0:
				break;
			case 1:
				skip = ram;
				break;
			default:
				skip = n ? present[rnd_below(n)] : NULL;
				break;
			}
			switch (rnd_below(4)) {
			case 0:
				after = rnd_prio(pool, 6);
				break;
			case 1:
				after = n ? present[rnd_below(n)]->conf.priority : 0;
				break;
			case 2:
				after = n ? present[rnd_below(n)]->conf.priority - 1 : 0;
				break;
			default:
				after = 0;
				break;
			}
			got = vswap_policy_pick(&e.s, skip, after, any, pol_takes);
			want = ref_pick(&e, skip, after, any);
			CHECK(got == want, "config %ld: pick(skip %s, after %u, any %d) = %s, want %s",
			      cfg, tier_nm(skip), after, any, tier_nm(got),
			      tier_nm(want));
			CHECK(!got || got != skip, "skip returned");
			picks++;
			pick_null += !got;
		}
		/* Drain every backing tier, and RAM. */
		for (q = 0; q <= n; q++) {
			struct vswap_tier *from = q < n ? present[q] : ram;
			struct vswap_tier *got, *want;
			int how;

			if (!from)
				continue;
			got = vswap_policy_drain_target(&e.s, from, pol_takes);
			want = ref_drain(&e, from, &how);
			CHECK(got == want, "config %ld: drain_target(%s) = %s, want %s (full %#lx)",
			      cfg, tier_nm(from), tier_nm(got), tier_nm(want),
			      pol_full);
			CHECK(got != from, "drain target is its source");
			drains++;
			how_n[how]++;
		}
		if (!e.s.tiers[VSWAP_TIER_RAM])
			vswap_space_publish_tier(&e.s, ram);
	}
	ram->conf.priority = VSWAP_TIER_RAM;
	pol_destroy(&e);
	CHECK(!pol_takes_bad, "takes() called on %ld unpublished tiers",
	      pol_takes_bad);
	printf("# policy random seed %llu: %ld configs (%.1f backing tiers on average, %ld without RAM), %ld picks (%ld none), %ld drains: down=%ld ram=%ld up=%ld none=%ld\n",
	       (unsigned long long)seed, cfg,
	       cfg ? (double)tiers_sum / cfg : 0.0, ram_gone, picks, pick_null,
	       drains, how_n[DR_DOWN], how_n[DR_RAM], how_n[DR_UP],
	       how_n[DR_NONE]);
out:
	snprintf(title, sizeof(title), "policy: pick and drain_target against a reference (%ld configs)",
		 nr_configs);
	test_end(title);
}
