// SPDX-License-Identifier: GPL-2.0
/*
 * Data-path interleavings, driven one step at a time through the shims
 * (no threads, no timing):
 *
 *  - the migration engine's commit against ABA: a slot freed and stored
 *    again with the same descriptor (a reused zsmalloc handle or backing
 *    slot) between the engine's collect and its switch;
 *  - a RAM-tier object that cannot be allocated without waiting: spilled
 *    to a backing tier, allocated again with the stream mutex released,
 *    or -EBUSY for an atomic store;
 *  - a descriptor page that cannot be allocated;
 *  - compressed objects that span zsmalloc pages: stored, loaded and
 *    released under both zsmalloc read APIs (this file is built in both
 *    flavours, see Makefile).
 *
 * The engine itself (vswap_migrate.c) is kernel-only: its steps are
 * written out here as it takes them (engine_collect(), engine_commit()).
 */
#include "unit.h"
#include "vswap_fault.h"

static u8 pg[PAGE_SIZE], pg2[PAGE_SIZE], got[PAGE_SIZE];

static void no_release(void *arg, unsigned long desc)
{
	(void)arg, (void)desc;
}

/* The whole word of @slot, lock bit aside: data, age and the mark. */
static unsigned long peek_word(struct vswap_table *t, unsigned long slot)
{
	unsigned long *d = vswap_slot_lock(t, slot);
	unsigned long v = d ? *d & ~VSWAP_DESC_LOCK : 0;

	vswap_slot_unlock(t, d);
	return v;
}

/* What the aging scan does: set the age under the slot lock. */
static void set_age(struct vswap_table *t, unsigned long slot,
		    unsigned int age)
{
	unsigned long *d = vswap_slot_lock(t, slot);

	if (d)
		WRITE_ONCE(*d, (*d & ~VSWAP_DESC_AGE) |
			       FIELD_PREP(VSWAP_DESC_AGE, age));
	vswap_slot_unlock(t, d);
}

/*
 * engine_collect(): under the slot lock, mark the descriptor and take its
 * data (the page is read from it there, or by a bio afterwards).
 */
static unsigned long collect(struct vswap_table *t, unsigned long slot)
{
	unsigned long *d = vswap_slot_lock(t, slot);
	unsigned long data = VSWAP_EMPTY;

	if (d && vswap_desc_type(*d) != VSWAP_EMPTY) {
		vswap_desc_mark(t, d);
		data = vswap_desc_data(*d);
	}
	vswap_slot_unlock(t, d);
	return data;
}

/* A RAM descriptor as vswap_desc_ram() builds it for a kernel-like handle. */
static unsigned long ram_desc(unsigned long handle, bool raw)
{
	unsigned long d = 0;

	CHECK(vswap_desc_ram(handle, raw, &d), "handle %#lx packs", handle);
	return d;
}

static bool page_reads(struct vswap_space *s, unsigned long slot,
		       const void *want)
{
	memset(got, 0xcc, PAGE_SIZE);
	return !vswap_space_read(s, slot, got, NULL) &&
	       !memcmp(got, want, PAGE_SIZE);
}

/* ================= migration commit ================= */

/* vswap_slot_switch() without interference, and its refusals. */
static void test_mig_switch(void)
{
	const unsigned long n = 5;
	unsigned long h = ram_desc(0xffff888012345670UL, false);
	unsigned long other = vswap_desc_backed(VSWAP_TIER_BACKED_FIRST, 77);
	unsigned long old, w, data;
	struct vswap_table t;

	test_begin();
	CHECK(!vswap_table_init(&t, 2 * VSWAP_CLUSTER_SLOTS), "table init");
	CHECK(!vswap_slot_store(&t, n, h, &old, GFP_KERNEL) &&
	      old == VSWAP_EMPTY, "store");
	set_age(&t, n, 2);
	data = collect(&t, n);
	w = peek_word(&t, n);
	CHECK(data == h, "collected %#lx, stored %#lx", data, h);
	CHECK(w & VSWAP_DESC_MIG, "collect marks the descriptor: %#lx", w);
	CHECK(vswap_desc_data(w) == h && vswap_desc_age(w) == 2,
	      "the mark changes neither data nor age: %#lx", w);
	CHECK(vswap_slot_switch(&t, n, h, other),
	      "nothing happened between collect and commit: must switch");
	w = peek_word(&t, n);
	CHECK(vswap_desc_data(w) == other, "switched to %#lx, want %#lx",
	      vswap_desc_data(w), other);
	CHECK(vswap_desc_age(w) == 2, "the age is kept: %u", vswap_desc_age(w));
	CHECK(!(w & VSWAP_DESC_MIG), "the new data is not marked: %#lx", w);
	/* The same commit again: the mark is gone with the old data. */
	CHECK(!vswap_slot_switch(&t, n, h, other), "switched twice");
	CHECK(!vswap_slot_switch(&t, n, other, h),
	      "switched a slot that was never collected");
	/* Collected, but the engine's idea of the data is wrong. */
	collect(&t, n);
	CHECK(!vswap_slot_switch(&t, n, h, h), "switched from other data");
	CHECK(peek_word(&t, n) == (other | VSWAP_DESC_MIG | FIELD_PREP(VSWAP_DESC_AGE, 2)),
	      "a refused switch leaves the word alone: %#lx", peek_word(&t, n));
	/* An empty slot never switches. */
	CHECK(!vswap_slot_switch(&t, n + 1, VSWAP_EMPTY, other), "empty slot");
	CHECK(peek_word(&t, n + 1) == 0, "empty slot written");
	CHECK(shim_locks_held() == 0 && shim_atomic_depth == 0, "lock leak");
	vswap_table_destroy(&t, no_release, NULL);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("migration commit: switch keeps the age, drops the mark; refused without a collect");
}

/*
 * Collect, then the swap layer frees the slot and stores the same
 * descriptor value again: a zsmalloc handle or backing slot freed and
 * handed out again.  The commit must see that the slot was replaced.
 */
static void aba_case(struct vswap_table *t, const char *what,
		     unsigned long x, unsigned long other, int how)
{
	static const char *const hows[] = {
		"clear + store", "trylock clear (free notify) + store",
		"clear of the cluster's last slot + store",
		"two overwrites (Y, then X again)",
	};
	unsigned long n = how == 2 ? VSWAP_CLUSTER_SLOTS + 3 : 9;
	unsigned long y = vswap_desc_same(0x5a5a5a5a), old, w;
	bool missed = true;

	CHECK(!vswap_slot_store(t, n, x, &old, GFP_KERNEL), "store");
	set_age(t, n, 1);
	CHECK(collect(t, n) == x, "collect");
	switch (how) {
	case 0:
	case 2:
		CHECK(vswap_slot_clear(t, n, false, NULL) == x, "clear");
		if (how == 2)
			CHECK(!(t->dir[n >> VSWAP_CLUSTER_SHIFT] & VSWAP_DIR_PAGE),
			      "the cluster's page went with its last slot");
		CHECK(!vswap_slot_store(t, n, x, &old, GFP_KERNEL) &&
		      old == VSWAP_EMPTY, "store again");
		break;
	case 1:
		CHECK(vswap_slot_clear(t, n, true, &missed) == x && !missed,
		      "free notify");
		CHECK(!vswap_slot_store(t, n, x, &old, GFP_KERNEL) &&
		      old == VSWAP_EMPTY, "store again");
		break;
	case 3:
		CHECK(!vswap_slot_store(t, n, y, &old, GFP_KERNEL) && old == x,
		      "overwrite with Y");
		CHECK(!vswap_slot_store(t, n, x, &old, GFP_KERNEL) && old == y,
		      "overwrite with X again");
		break;
	}
	w = peek_word(t, n);
	CHECK(vswap_desc_data(w) == x, "%s, %s: the ABA precondition, the same value",
	      what, hows[how]);
	CHECK(!vswap_slot_switch(t, n, x, other),
	      "%s, %s: the commit switched a slot replaced since its collect "
	      "(it now points at the engine's copy of the freed data)",
	      what, hows[how]);
	w = peek_word(t, n);
	CHECK(vswap_desc_data(w) == x && !(w & VSWAP_DESC_MIG) &&
	      vswap_desc_age(w) == 0,
	      "%s, %s: the slot keeps the new store's word: %#lx", what,
	      hows[how], w);
	vswap_slot_clear(t, n, false, NULL);
}

static void test_mig_aba_table(void)
{
	unsigned long h = ram_desc(0xffff888012345670UL, false);
	unsigned long hraw = ram_desc(0x00007f0000abcde8UL, true);
	unsigned long b = vswap_desc_backed(VSWAP_TIER_BACKED_FIRST + 1, 123456);
	unsigned long to_backed = vswap_desc_backed(VSWAP_TIER_BACKED_FIRST, 1);
	unsigned long to_ram = ram_desc(0xffff888000001000UL, false);
	struct vswap_table t;
	unsigned long old;
	int how;

	test_begin();
	CHECK(!vswap_table_init(&t, 2 * VSWAP_CLUSTER_SLOTS), "table init");
	/* A neighbour keeps the cluster's page, except in case 2. */
	CHECK(!vswap_slot_store(&t, 0, vswap_desc_same(1), &old, GFP_KERNEL),
	      "neighbour");
	for (how = 0; how < 4; how++) {
		aba_case(&t, "RAM handle", h, to_backed, how);
		aba_case(&t, "raw RAM handle", hraw, to_backed, how);
		aba_case(&t, "backing slot", b, to_ram, how);
	}
	CHECK(shim_locks_held() == 0 && shim_atomic_depth == 0, "lock leak");
	vswap_table_destroy(&t, no_release, NULL);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("migration commit: ABA (slot freed, same handle or backing slot stored again) is refused");
}

/* A backing tier that holds nothing: loads are the block device's. */
static long fake_released;

static int fb_store(struct vswap_tier *tier, const void *src,
		    unsigned long *desc, unsigned int flags)
{
	(void)tier, (void)src, (void)desc, (void)flags;
	return -EAGAIN;
}

static int fb_load(struct vswap_tier *tier, unsigned long desc, void *dst)
{
	(void)tier, (void)desc, (void)dst;
	return -EREMOTE;
}

static void fb_release(struct vswap_tier *tier, unsigned long desc)
{
	(void)tier, (void)desc;
	fake_released++;
}

static u64 fb_used_bytes(struct vswap_tier *tier)
{
	(void)tier;
	return 0;
}

static void fb_destroy(struct vswap_tier *tier)
{
	(void)tier;
}

static const struct vswap_tier_ops fb_ops = {
	.kind = "fake-backed",
	.store = fb_store,
	.load = fb_load,
	.release = fb_release,
	.used_bytes = fb_used_bytes,
	.destroy = fb_destroy,
};

/*
 * A read between collect and commit makes the slot young; the data is the
 * same, so the commit must still go through (the age it keeps is 0).
 */
static void test_mig_read_keeps_mark(void)
{
	struct vswap_space s;
	struct vswap_tier *ram, fb;
	unsigned long old, copy, w, remote = 0, b, b2, prev;
	bool switched;
	int ret;

	test_begin();
	CHECK(!vswap_space_init(&s, 2 * VSWAP_CLUSTER_SLOTS, "lz4", 0), "init");
	ram = tier_of(&s, VSWAP_TIER_RAM);
	/* RAM: read by vswap_space_read() itself. */
	gen_page(PK_COMP, 1, pg);
	CHECK(!vswap_space_write(&s, 3, pg, 0), "write");
	set_age(&s.table, 3, 3);
	old = collect(&s.table, 3);
	CHECK(page_reads(&s, 3, pg), "read between collect and commit");
	w = peek_word(&s.table, 3);
	CHECK(vswap_desc_age(w) == 0, "a read makes the slot young: age %u",
	      vswap_desc_age(w));
	CHECK(w & VSWAP_DESC_MIG, "a read keeps the collect mark: %#lx", w);
	/* The engine's copy: another object on the RAM tier stands in. */
	ret = ram->ops->store(ram, pg, &copy, VSWAP_STORE_NO_SPILL);
	CHECK(!ret, "the engine's copy: %d", ret);
	switched = vswap_slot_switch(&s.table, 3, old, copy);
	CHECK(switched, "RAM: a read between collect and commit made the commit fail");
	/* engine_commit(): the old copy goes if it switched, else the new. */
	ram->ops->release(ram, switched ? old : copy);
	CHECK(peek_desc(&s, 3, NULL) == (switched ? copy : old), "slot 3 data");
	CHECK(page_reads(&s, 3, pg), "slot 3 after the commit");
	CHECK(tier_pages(&s, VSWAP_TIER_RAM) == 1, "RAM pages %ld",
	      tier_pages(&s, VSWAP_TIER_RAM));

	/* Backing tier: the read is -EREMOTE, the bio is the caller's. */
	vswap_tier_init(&fb, &s, &fb_ops, VSWAP_TIER_BACKED_FIRST, "fake");
	vswap_space_publish_tier(&s, &fb);
	b = vswap_desc_backed(VSWAP_TIER_BACKED_FIRST, 42);
	b2 = vswap_desc_backed(VSWAP_TIER_BACKED_FIRST, 43);
	CHECK(!vswap_slot_store(&s.table, 7, b, &prev, GFP_KERNEL), "store");
	set_age(&s.table, 7, 2);
	old = collect(&s.table, 7);
	CHECK(vswap_space_read(&s, 7, got, &remote) == -EREMOTE && remote == b,
	      "backed read: remote %#lx", remote);
	w = peek_word(&s.table, 7);
	CHECK(vswap_desc_age(w) == 0 && (w & VSWAP_DESC_MIG),
	      "a backed read makes the slot young and keeps the mark: %#lx", w);
	CHECK(vswap_slot_switch(&s.table, 7, old, b2),
	      "backed: a read between collect and commit made the commit fail");
	fake_released = 0;
	vswap_space_discard(&s, 7, 1);
	CHECK(fake_released == 1, "released %ld", fake_released);
	vswap_space_unpublish_tier(&s, VSWAP_TIER_BACKED_FIRST);
	CHECK(shim_locks_held() == 0 && shim_atomic_depth == 0, "lock leak");
	vswap_space_destroy(&s);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("migration commit: a read between collect and commit keeps the mark (RAM and backed)");
}

/*
 * The ABA end to end on a space: zsmalloc hands the freed handle to the
 * next store (shim_zs_reuse), so the slot's new page has the collected
 * descriptor.  A commit that switched would point the slot at the copy
 * of the freed page, and free the new page's object as "the old copy".
 */
static void test_mig_aba_space(void)
{
	struct vswap_space s;
	struct vswap_tier *ram;
	unsigned long old, copy, now;
	bool switched;
	int ret;

	test_begin();
	shim_zs_reuse = 1;
	CHECK(!vswap_space_init(&s, 2 * VSWAP_CLUSTER_SLOTS, "lz4", 0), "init");
	ram = tier_of(&s, VSWAP_TIER_RAM);
	gen_page(PK_COMP, 1, pg);
	gen_page(PK_COMP, 2, pg2);
	CHECK(!vswap_space_write(&s, 9, pg, 0), "write P1");
	old = collect(&s.table, 9);
	ret = ram->ops->store(ram, pg, &copy, VSWAP_STORE_NO_SPILL);
	CHECK(!ret, "the engine's copy: %d", ret);
	/* The swap layer frees the slot, then swaps another page out to it. */
	vswap_space_free_notify(&s, 9);
	CHECK(!vswap_space_write(&s, 9, pg2, 0), "write P2");
	now = peek_desc(&s, 9, NULL);
	CHECK(now == old, "precondition: P2 got P1's handle back (%#lx, collected %#lx)",
	      now, old);
	switched = vswap_slot_switch(&s.table, 9, old, copy);
	CHECK(!switched, "ABA: the commit replaced P2 with the copy of the freed P1");
	ram->ops->release(ram, switched ? old : copy);
	CHECK(page_reads(&s, 9, pg2), "slot 9 must read P2, the page written last");
	CHECK(tier_pages(&s, VSWAP_TIER_RAM) == 1, "RAM pages %ld",
	      tier_pages(&s, VSWAP_TIER_RAM));
	CHECK(shim_locks_held() == 0 && shim_atomic_depth == 0, "lock leak");
	vswap_space_destroy(&s);
	rcu_barrier();
	shim_zs_reuse = 0;
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("migration commit: ABA through a space (zsmalloc reuses the freed handle)");
}

/* ================= RAM-tier allocation failure ================= */

struct counts {
	s64 pages, stored, failures, failed_writes, writes, huge, spills;
	s64 s_writes, s_failed_writes;
};

static void snap(struct vswap_space *s, struct counts *c)
{
	struct vswap_tier *ram = tier_of(s, VSWAP_TIER_RAM);

	c->pages = atomic64_read(&ram->stats.pages);
	c->stored = atomic64_read(&ram->stats.payload_bytes);
	/* sysfs "failures" */
	c->failures = atomic64_read(&ram->stats.failed_reads) +
		      atomic64_read(&ram->stats.failed_writes);
	c->failed_writes = atomic64_read(&ram->stats.failed_writes);
	c->writes = atomic64_read(&ram->stats.writes);
	c->huge = vswap_tier_ram_huge_pages(ram);
	c->spills = vswap_tier_ram_alloc_spills(ram);
	c->s_writes = atomic64_read(&s->stats.writes);
	c->s_failed_writes = atomic64_read(&s->stats.failed_writes);
}

/* How the first zs_malloc() of the next store is made to fail. */
enum alloc_fault { AF_HANDLE, AF_OBJECT, AF_FAULT_EVERY, AF_NR };
static const char *const af_names[AF_NR] = {
	"zs_malloc's handle", "zs_malloc's object", "fault_every"
};

static void arm(enum alloc_fault how)
{
	shim_fail_reset(0);
	switch (how) {
	case AF_HANDLE:
		shim_fail_what = "zs_handle";
		break;
	case AF_OBJECT:
		shim_fail_what = "zs_object";
		break;
	default:
		/* vswap_fault(): the next call fails, the one after not. */
		vswap_fault_every = 1000;
		shim_fault_calls = 999;
		break;
	}
}

/* Whether the armed failure was injected; disarm. */
static bool disarm(enum alloc_fault how, long injected0)
{
	bool hit = how == AF_FAULT_EVERY ?
		   shim_fault_injected[VSWAP_FAULT_ZS_MALLOC] > injected0 :
		   shim_failed == 1;

	shim_fail_reset(0);
	vswap_fault_every = 0;
	return hit;
}

/* A page that compresses to a few bytes (not same-filled). */
static void tiny_page(u64 seed, void *buf)
{
	memset(buf, 0, PAGE_SIZE);
	memcpy(buf, &seed, sizeof(seed));
}

/*
 * A backing tier can take the page (nr_spill, as vswap_tier_backed_update_spill()
 * counts them): the first zs_malloc() failing sends it there (-ENOSPC for
 * the block device), counted as a spill, not as a failure.
 */
static void test_ram_alloc_spill(const char *algo)
{
	static const int kinds[] = { PK_COMP, PK_RANDOM };
	struct vswap_space s;
	struct counts a, b;
	unsigned long d0;
	unsigned int k;
	char title[96];
	int how, ret;
	s64 spills = 0;

	test_begin();
	CHECK(!vswap_space_init(&s, 2 * VSWAP_CLUSTER_SLOTS, algo, 0), "init");
	atomic_set(&s.nr_spill, 1);
	gen_page(PK_COMP, 7, pg2);
	CHECK(!vswap_space_write(&s, 1, pg2, 0), "old data");
	d0 = peek_desc(&s, 1, NULL);
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (how = 0; how < AF_NR; how++) {
			long inj0 = shim_fault_injected[VSWAP_FAULT_ZS_MALLOC];

			gen_page(kinds[k], 100 + how, pg);
			snap(&s, &a);
			arm(how);
			ret = vswap_space_write(&s, 1, pg, 0);
			CHECK(disarm(how, inj0), "%s: nothing injected", af_names[how]);
			snap(&s, &b);
			CHECK(ret == -ENOSPC, "%s, %s page: write -> %d, want -ENOSPC "
			      "(to a backing tier)", af_names[how], pk_names[kinds[k]], ret);
			CHECK(b.spills == a.spills + 1, "%s: alloc_spills %lld -> %lld",
			      af_names[how], (long long)a.spills, (long long)b.spills);
			spills += b.spills - a.spills;
			CHECK(b.failures == a.failures && b.failed_writes == a.failed_writes &&
			      b.s_failed_writes == a.s_failed_writes,
			      "%s: a spill counted as a failure (tier %lld/%lld, space %lld)",
			      af_names[how], (long long)(b.failures - a.failures),
			      (long long)(b.failed_writes - a.failed_writes),
			      (long long)(b.s_failed_writes - a.s_failed_writes));
			CHECK(b.pages == a.pages && b.stored == a.stored &&
			      b.writes == a.writes && b.s_writes == a.s_writes &&
			      b.huge == a.huge, "%s: a spill stored something",
			      af_names[how]);
			CHECK(peek_desc(&s, 1, NULL) == d0 && page_reads(&s, 1, pg2),
			      "%s: the slot lost its old data", af_names[how]);
			CHECK(shim_locks_held() == 0 && shim_atomic_depth == 0,
			      "%s: lock leak", af_names[how]);
		}
	}
	/* Memory again: the page is stored here. */
	gen_page(PK_COMP, 200, pg);
	CHECK(!vswap_space_write(&s, 1, pg, 0) && page_reads(&s, 1, pg),
	      "write without a fault");
	CHECK((s64)vswap_tier_ram_alloc_spills(tier_of(&s, VSWAP_TIER_RAM)) == spills,
	      "alloc_spills");
	vswap_space_destroy(&s);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	snprintf(title, sizeof(title),
		 "RAM allocation failure with a backing tier: spills, -ENOSPC, not a failure (%s)",
		 algo);
	test_end(title);
}

/*
 * No backing tier (or VSWAP_STORE_NO_SPILL): the object is allocated
 * again with the stream released, with bounded reclaim, and the page
 * compressed again.  The data must read back and be accounted exactly as
 * a store that never failed.  Both tries failing is a failed write.
 */
static void test_ram_alloc_retry(const char *algo)
{
	static const int kinds[] = { PK_COMP, PK_RANDOM, PK_NR /* tiny */ };
	struct vswap_space s;
	struct counts a, b;
	s64 ref[ARRAY_SIZE(kinds)], old_len;
	unsigned int k, mode;
	unsigned long slot;
	char title[96];
	int how, ret;

	test_begin();
	CHECK(!vswap_space_init(&s, 2 * VSWAP_CLUSTER_SLOTS, algo, 0), "init");
	/* What each page costs when nothing fails. */
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		if (kinds[k] == PK_NR)
			tiny_page(300 + k, pg);
		else
			gen_page(kinds[k], 300 + k, pg);
		snap(&s, &a);
		CHECK(!vswap_space_write(&s, 500 + k, pg, 0), "reference write");
		snap(&s, &b);
		ref[k] = b.stored - a.stored;
	}
	CHECK(ref[0] < (s64)PAGE_SIZE && ref[1] == (s64)PAGE_SIZE &&
	      ref[2] < ref[0], "reference sizes %lld %lld %lld",
	      (long long)ref[0], (long long)ref[1], (long long)ref[2]);
	/* mode 0: no backing tier; 1: one, but VSWAP_STORE_NO_SPILL. */
	for (mode = 0; mode < 2; mode++) {
		unsigned int flags = mode ? VSWAP_STORE_NO_SPILL : 0;

		atomic_set(&s.nr_spill, mode);
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			for (how = 0; how < AF_NR; how++) {
				long inj0 = shim_fault_injected[VSWAP_FAULT_ZS_MALLOC];
				long m0;

				slot = 10 + mode * 100 + k * 10 + how;
				/* Old data to overwrite: a compressible page. */
				gen_page(PK_COMP, slot, pg2);
				snap(&s, &a);
				CHECK(!vswap_space_write(&s, slot, pg2, 0), "old data");
				snap(&s, &b);
				old_len = b.stored - a.stored;
				if (kinds[k] == PK_NR)
					tiny_page(300 + k, pg);
				else
					gen_page(kinds[k], 300 + k, pg);
				snap(&s, &a);
				m0 = shim_zs_mallocs;
				arm(how);
				ret = vswap_space_write(&s, slot, pg, flags);
				CHECK(disarm(how, inj0), "%s: nothing injected",
				      af_names[how]);
				snap(&s, &b);
				CHECK(!ret, "mode %u, %s, %s page: write -> %d, want 0 "
				      "(allocated again with the stream released)", mode,
				      af_names[how],
				      kinds[k] == PK_NR ? "tiny" : pk_names[kinds[k]], ret);
				if (ret)
					continue;
				CHECK(shim_zs_mallocs - m0 == (how == AF_FAULT_EVERY ? 1 : 2),
				      "%s: %ld zs_malloc() calls", af_names[how],
				      shim_zs_mallocs - m0);
				CHECK(gfpflags_allow_blocking(shim_zs_last_gfp) &&
				      (shim_zs_last_gfp & __GFP_NORETRY),
				      "the retry's gfp %#x: bounded reclaim", shim_zs_last_gfp);
				CHECK(page_reads(&s, slot, pg), "mode %u, %s: content",
				      mode, af_names[how]);
				CHECK(vswap_desc_type(peek_desc(&s, slot, NULL)) == VSWAP_RAM &&
				      vswap_desc_raw(peek_desc(&s, slot, NULL)) ==
				      (kinds[k] == PK_RANDOM), "raw flag");
				CHECK(b.stored - a.stored == ref[k] - old_len,
				      "payload_bytes %+lld, want %+lld", (long long)(b.stored - a.stored),
				      (long long)(ref[k] - old_len));
				CHECK(b.pages == a.pages && b.writes == a.writes + 1 &&
				      b.s_writes == a.s_writes + 1 &&
				      b.huge == a.huge + (kinds[k] == PK_RANDOM), "counters");
				CHECK(b.failures == a.failures && b.spills == a.spills &&
				      b.s_failed_writes == a.s_failed_writes,
				      "a retried store counted as a failure or spill");
				CHECK(shim_locks_held() == 0 && shim_atomic_depth == 0,
				      "lock leak");
			}
		}
		/* Both tries fail: -ENOMEM, a failed write, the slot intact. */
		for (how = 0; how < 2; how++) {
			slot = 10 + mode * 100;
			CHECK(vswap_space_read(&s, slot, pg2, NULL) == 0, "read");
			gen_page(PK_COMP, 999, pg);
			snap(&s, &a);
			if (how)
				shim_fail_ppm = 1000000;	/* every allocation */
			else
				vswap_fault_every = 1;		/* every vswap_fault() */
			ret = vswap_space_write(&s, slot, pg, flags);
			shim_fail_ppm = 0;
			vswap_fault_every = 0;
			snap(&s, &b);
			CHECK(ret == -ENOMEM, "mode %u: both tries fail -> %d", mode, ret);
			CHECK(b.failures == a.failures + 1 &&
			      b.failed_writes == a.failed_writes + 1 &&
			      b.s_failed_writes == a.s_failed_writes + 1 &&
			      b.spills == a.spills, "failure counters");
			CHECK(b.pages == a.pages && b.stored == a.stored, "stored");
			CHECK(page_reads(&s, slot, pg2), "the slot lost its old data");
		}
		shim_fail_reset(0);
	}
	vswap_space_destroy(&s);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	snprintf(title, sizeof(title),
		 "RAM allocation failure without a backing tier: retried, same data and accounting (%s)",
		 algo);
	test_end(title);
}

/* VSWAP_STORE_ATOMIC: -EBUSY, nothing counted, retried where it may sleep. */
static void test_ram_alloc_atomic(void)
{
	struct vswap_space s;
	struct counts a, b;
	unsigned int spill;
	int how, ret;

	test_begin();
	CHECK(!vswap_space_init(&s, 2 * VSWAP_CLUSTER_SLOTS, "lz4", 0), "init");
	gen_page(PK_COMP, 7, pg2);
	CHECK(!vswap_space_write(&s, 1, pg2, 0), "old data");
	for (spill = 0; spill < 2; spill++) {
		atomic_set(&s.nr_spill, spill);
		for (how = 0; how < AF_NR; how++) {
			long inj0 = shim_fault_injected[VSWAP_FAULT_ZS_MALLOC];

			gen_page(PK_COMP, 50 + how, pg);
			snap(&s, &a);
			arm(how);
			ret = vswap_space_write(&s, 1, pg, VSWAP_STORE_ATOMIC);
			CHECK(disarm(how, inj0), "%s: nothing injected", af_names[how]);
			snap(&s, &b);
			CHECK(ret == -EBUSY, "nr_spill %u, %s: atomic write -> %d, want -EBUSY",
			      spill, af_names[how], ret);
			CHECK(b.failures == a.failures && b.failed_writes == a.failed_writes &&
			      b.s_failed_writes == a.s_failed_writes && b.spills == a.spills &&
			      b.writes == a.writes && b.s_writes == a.s_writes &&
			      b.stored == a.stored, "an atomic retry counted");
			CHECK(page_reads(&s, 1, pg2), "the slot lost its old data");
			/* The caller's retry, where it may sleep. */
			CHECK(!vswap_space_write(&s, 1, pg, 0) && page_reads(&s, 1, pg),
			      "retry");
			memcpy(pg2, pg, PAGE_SIZE);
		}
	}
	vswap_space_destroy(&s);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("RAM allocation failure, atomic store: -EBUSY, nothing counted");
}

/*
 * The stream mutex is wanted by every reclaimer that flushes into vswap:
 * no zs_malloc() under it may wait for reclaim (the shim's zs_malloc()
 * WARNs on a blocking gfp with a lock held).  The first try is GFP_NOWAIT.
 */
static void test_ram_stream_gfp(void)
{
	static const int kinds[] = { PK_COMP, PK_RANDOM };
	struct vswap_space s;
	unsigned int k;

	test_begin();
	CHECK(!vswap_space_init(&s, VSWAP_CLUSTER_SLOTS, "lz4", 0), "init");
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		long m0 = shim_zs_mallocs;

		gen_page(kinds[k], k, pg);
		CHECK(!vswap_space_write(&s, k, pg, 0), "write");
		CHECK(shim_zs_mallocs == m0 + 1, "one zs_malloc()");
		CHECK(!gfpflags_allow_blocking(shim_zs_last_gfp),
		      "%s page: zs_malloc() under the stream mutex may wait for "
		      "reclaim (gfp %#x)", pk_names[kinds[k]], shim_zs_last_gfp);
	}
	vswap_space_destroy(&s);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("RAM store: no zs_malloc() that may wait under the stream mutex");
}

/* ================= descriptor-page allocation failure ================= */

/*
 * A store to a cluster without a descriptor page, whose allocation fails:
 * an error, the tier's object freed again, nothing else touched.  (A slot
 * with old data has a page already: no allocation there.)
 */
static void test_table_page_fail(void)
{
	static const int kinds[] = { PK_SAME, PK_COMP, PK_RANDOM };
	const unsigned long slot = VSWAP_CLUSTER_SLOTS + 88;
	struct vswap_space s;
	struct counts a, b;
	unsigned int k, mode;
	u64 same0;
	int ret;

	test_begin();
	CHECK(!vswap_space_init(&s, 3 * VSWAP_CLUSTER_SLOTS, "lz4", 0), "init");
	gen_page(PK_COMP, 7, pg2);
	CHECK(!vswap_space_write(&s, 0, pg2, 0), "cluster 0");
	/* mode 0: plain; 1: with a backing tier; 2: atomic. */
	for (mode = 0; mode < 3; mode++) {
		atomic_set(&s.nr_spill, mode == 1);
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			gen_page(kinds[k], 10 + k, pg);
			snap(&s, &a);
			same0 = tier_pages(&s, VSWAP_TIER_SAME);
			shim_fail_reset(0);
			shim_fail_what = "table_page";
			ret = vswap_space_write(&s, slot, pg,
						mode == 2 ? VSWAP_STORE_ATOMIC : 0);
			CHECK(shim_failed == 1 && !strcmp(shim_failed_site, "table_page"),
			      "nothing injected");
			shim_fail_reset(0);
			snap(&s, &b);
			CHECK(ret == (mode == 2 ? -EBUSY : -ENOMEM),
			      "mode %u, %s page: write -> %d", mode, pk_names[kinds[k]], ret);
			CHECK(b.pages == a.pages && b.stored == a.stored && b.huge == a.huge &&
			      tier_pages(&s, VSWAP_TIER_SAME) == (long)same0,
			      "the tier's copy was not given back");
			CHECK(b.s_writes == a.s_writes &&
			      b.s_failed_writes == a.s_failed_writes + (mode != 2),
			      "space counters: failed_writes %+lld",
			      (long long)(b.s_failed_writes - a.s_failed_writes));
			CHECK(b.failures == a.failures && b.spills == a.spills,
			      "counted against the RAM tier");
			CHECK(!(s.table.dir[1] & VSWAP_DIR_PAGE) &&
			      atomic_long_read(&s.table.nr_pages) == 1, "cluster 1 page");
			memset(pg, 0, PAGE_SIZE);
			CHECK(page_reads(&s, slot, pg), "the slot is not empty");
			CHECK(page_reads(&s, 0, pg2), "cluster 0 lost its data");
			CHECK(shim_locks_held() == 0 && shim_atomic_depth == 0, "lock leak");
		}
	}
	gen_page(PK_COMP, 1, pg);
	CHECK(!vswap_space_write(&s, slot, pg, 0) && page_reads(&s, slot, pg),
	      "write once the page comes");
	vswap_space_destroy(&s);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("descriptor page allocation failure: error, no leak, data intact");
}

/* ================= objects spanning pages ================= */

/*
 * Every object below a page spans two zsmalloc pages (shim_zs_span): each
 * load copies it to the per-CPU buffer, and each release reads its length
 * header through one (ram_obj_clen()).  Where zsmalloc's read takes no
 * length (zs-nolen flavour) that copy is the whole object.
 */
static void test_ram_span(const char *algo)
{
	enum { N = 96 };
	static s64 len[N];
	static u8 kind[N];
	struct vswap_space s;
	struct counts a, b;
	long reads0;
	s64 live = 0;
	unsigned long i;
	char title[96];

	test_begin();
	shim_zs_span = 1;
	reads0 = shim_zs_span_reads;
	CHECK(!vswap_space_init(&s, 2 * VSWAP_CLUSTER_SLOTS, algo, 0), "init");
	for (i = 0; i < N; i++) {
		kind[i] = i % 4 == 3 ? PK_RANDOM : i % 4 == 2 ? PK_NR : PK_COMP;
		if (kind[i] == PK_NR)
			tiny_page(i, pg);
		else
			gen_page(kind[i], i, pg);
		snap(&s, &a);
		CHECK(!vswap_space_write(&s, i, pg, 0), "write %lu", i);
		snap(&s, &b);
		len[i] = b.stored - a.stored;
		live += len[i];
	}
	for (i = 0; i < N; i++) {
		if (kind[i] == PK_NR)
			tiny_page(i, pg);
		else
			gen_page(kind[i], i, pg);
		CHECK(page_reads(&s, i, pg), "slot %lu (%s)", i,
		      kind[i] == PK_NR ? "tiny" : pk_names[kind[i]]);
	}
	CHECK(shim_zs_span_reads > reads0, "no object spanned pages");
	/* Overwrites release spanning objects. */
	for (i = 0; i < N; i += 2) {
		gen_page(PK_COMP, 1000 + i, pg);
		snap(&s, &a);
		CHECK(!vswap_space_write(&s, i, pg, 0), "overwrite %lu", i);
		snap(&s, &b);
		CHECK(b.stored - a.stored + len[i] > 0 && b.pages == a.pages,
		      "overwrite %lu: stored %+lld, old %lld", i,
		      (long long)(b.stored - a.stored), (long long)len[i]);
		live += b.stored - a.stored;
		len[i] += b.stored - a.stored;
		CHECK(page_reads(&s, i, pg), "overwritten slot %lu", i);
	}
	CHECK(atomic64_read(&tier_of(&s, VSWAP_TIER_RAM)->stats.payload_bytes) == live,
	      "payload_bytes %lld, want %lld",
	      (long long)atomic64_read(&tier_of(&s, VSWAP_TIER_RAM)->stats.payload_bytes),
	      (long long)live);
	/* Free notifications (atomic context) and a discard release the rest. */
	for (i = 1; i < N; i += 2)
		vswap_space_free_notify(&s, i);
	vswap_space_discard(&s, 0, N);
	snap(&s, &b);
	CHECK(b.pages == 0 && b.stored == 0 && b.huge == 0,
	      "after releasing everything: pages %lld stored %lld huge %lld",
	      (long long)b.pages, (long long)b.stored, (long long)b.huge);
	CHECK(vswap_tier_ram_pool_bytes(tier_of(&s, VSWAP_TIER_RAM)) == 0, "pool");
	CHECK(shim_locks_held() == 0 && shim_atomic_depth == 0, "lock leak");
	vswap_space_destroy(&s);
	rcu_barrier();
	shim_zs_span = 0;
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	snprintf(title, sizeof(title),
		 "RAM objects spanning zsmalloc pages: store, load, release (%s)", algo);
	test_end(title);
}

/* All of the above, in both build flavours. */
void test_datapath(void)
{
	static const char *const algos[] = { "lz4", "lz4hc", "zstd" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(algos); i++)
		test_ram_span(algos[i]);
	test_ram_stream_gfp();
	test_ram_alloc_spill("lz4");
	test_ram_alloc_spill("zstd");
	test_ram_alloc_retry("lz4");
	test_ram_alloc_retry("zstd");
	test_ram_alloc_atomic();
	test_table_page_fail();
	test_mig_switch();
	test_mig_aba_table();
	test_mig_read_keeps_mark();
	test_mig_aba_space();
}
