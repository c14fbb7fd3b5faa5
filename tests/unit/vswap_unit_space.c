// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the store: descriptor packing (vswap_table.c), the
 * compression backends and their registry (vswap_comp.c, lz4, zstd), and a
 * space with its zero/same and RAM tiers (vswap_space.c, vswap_tier*.c):
 * edge cases, compression failure, allocation-failure injection, the
 * model-based random test and the multi-threaded smoke test.
 */
#include "unit.h"
#include <pthread.h>

static unsigned int dir_count(struct vswap_space *s, unsigned long cluster)
{
	return FIELD_GET(VSWAP_DIR_COUNT, READ_ONCE(s->table.dir[cluster]));
}

static bool dir_has_page(struct vswap_space *s, unsigned long cluster)
{
	return READ_ONCE(s->table.dir[cluster]) & VSWAP_DIR_PAGE;
}

/* ================= 1. descriptor packing ================= */
void test_desc(void)
{
	unsigned long d, h, i;
	u32 pat;
	static const u32 pats[] = { 0, 1, 0x80000000u, 0xdeadbeefu, U32_MAX };
	u64 checks = 0;

	test_begin();
	for (i = 0; i < ARRAY_SIZE(pats) + 10000; i++) {
		pat = i < ARRAY_SIZE(pats) ? pats[i] : (u32)rnd();
		d = vswap_desc_same(pat);
		CHECK(vswap_desc_type(d) == VSWAP_SAME, "type");
		CHECK(vswap_desc_same_pattern(d) == pat, "pattern %#x", pat);
		CHECK(!(d & (VSWAP_DESC_LOCK | VSWAP_DESC_AGE | VSWAP_DESC_RAW)),
		      "stray bits %#lx", d);
		CHECK(vswap_desc_data(d | VSWAP_DESC_LOCK | VSWAP_DESC_AGE) == d,
		      "data() strips lock and age");
		checks++;
	}
	/* Handles: canonical, 8-byte aligned, both halves of the space. */
	for (i = 0; i < 200000; i++) {
		bool raw = i & 1;
		long v;

		switch (i % 4) {
		case 0:		/* kernel-like: high half */
			v = -(long)((rnd() & ((1UL << 58) - 1)) & ~7UL);
			break;
		case 1:		/* user-like: low half */
			v = (long)((rnd() & ((1UL << 58) - 1)) & ~7UL);
			break;
		case 2:		/* boundaries */
			v = (long)(((i / 4) & 1) ? -(1L << 58) : (1L << 58) - 8);
			break;
		default:	/* 0xffff8880... like real direct-map addresses */
			v = (long)(0xffff888000000000UL | ((rnd() & 0xffffffffffUL) & ~7UL));
			break;
		}
		h = (unsigned long)v;
		d = 0;
		CHECK(vswap_desc_ram(h, raw, &d), "handle %#lx must pack", h);
		CHECK(vswap_desc_type(d) == VSWAP_RAM, "type");
		CHECK(vswap_desc_ram_handle(d) == h, "handle %#lx -> %#lx", h,
		      vswap_desc_ram_handle(d));
		CHECK(vswap_desc_raw(d) == raw, "raw");
		CHECK(!(d & (VSWAP_DESC_LOCK | VSWAP_DESC_AGE)), "lock/age clear");
		/* Age bits never disturb the handle. */
		d |= FIELD_PREP(VSWAP_DESC_AGE, i & 3);
		CHECK(vswap_desc_age(d) == (i & 3), "age");
		CHECK(vswap_desc_ram_handle(vswap_desc_data(d)) == h, "age/handle");
		checks++;
	}
	/* Handles that cannot round-trip are refused. */
	{
		static const unsigned long bad[] = {
			0x0800000000000000UL,	/* bit 59 set, not sign-extended */
			0x7000000000000000UL,
			0x8000000000000000UL,
			0xf400000000000000UL,	/* bits 63..59 not all equal */
			0x1000, 0x1001, 0x1004,	/* 1004/1001: unaligned */
		};
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			bool ok = vswap_desc_ram(bad[i], false, &d);

			if (i < 4 || bad[i] & 7)
				CHECK(!ok, "handle %#lx must be refused", bad[i]);
			else
				CHECK(ok, "handle %#lx must pack", bad[i]);
		}
	}
	/* BACKED layout: tier [11:8], slot [63:12]. */
	for (i = 0; i < 10000; i++) {
		unsigned long tier = rnd_below(16), slot = rnd() >> 12;

		d = FIELD_PREP(VSWAP_DESC_TYPE, VSWAP_BACKED) |
		    FIELD_PREP(VSWAP_DESC_BACKED_TIER, tier) |
		    FIELD_PREP(VSWAP_DESC_BACKED_SLOT, slot);
		CHECK(vswap_desc_type(d) == VSWAP_BACKED, "type");
		CHECK(FIELD_GET(VSWAP_DESC_BACKED_TIER, d) == tier, "tier");
		CHECK(FIELD_GET(VSWAP_DESC_BACKED_SLOT, d) == slot, "slot");
		CHECK(!(d & ~VSWAP_DESC_PAYLOAD & ~VSWAP_DESC_TYPE), "fields");
		checks++;
	}
	/* Masks are disjoint and cover what the comment says. */
	CHECK((VSWAP_DESC_LOCK | VSWAP_DESC_TYPE | VSWAP_DESC_AGE |
	       VSWAP_DESC_RAW | VSWAP_DESC_PAYLOAD) == (~0UL & ~GENMASK(7, 6)),
	      "layout");
	CHECK(VSWAP_DESC_TYPE == 0x6 && VSWAP_DESC_AGE == 0x18, "type/age bits");
	/* Same-filled detection. */
	{
		static u32 page[PAGE_SIZE / 4];
		u32 p = 0;

		memset32(page, 0x12345678, PAGE_SIZE / 4);
		CHECK(vswap_page_same_filled(page, &p) && p == 0x12345678, "same");
		page[PAGE_SIZE / 4 - 1] ^= 1;
		CHECK(!vswap_page_same_filled(page, &p), "last word differs");
		memset32(page, 0x12345678, PAGE_SIZE / 4);
		page[1] = 0x9abcdef0;
		CHECK(!vswap_page_same_filled(page, &p), "odd word differs");
		memset(page, 0, sizeof(page));
		CHECK(vswap_page_same_filled(page, &p) && p == 0, "zero");
	}
	printf("# desc: %llu round-trips\n", (unsigned long long)checks);
	test_end("descriptor packing round-trips");
}

/* ================= 2. compression backends ================= */
void test_backend(const char *name)
{
	const struct vswap_backend *be = vswap_backend_find(name);
	static u8 src[PAGE_SIZE], out[PAGE_SIZE], dst[PAGE_SIZE];
	int levels[3], li, k;
	char title[64];

	test_begin();
	CHECK(be, "backend %s", name);
	if (!be)
		goto out;
	CHECK(vswap_backend_check_level(be, 0) == be->default_level, "default");
	if (be->min_level > 1)
		CHECK(vswap_backend_check_level(be, be->min_level - 1) == -ERANGE, "min-1");
	CHECK(vswap_backend_check_level(be, be->max_level + 1) == -ERANGE, "max+1");
	CHECK(vswap_backend_check_level(be, -5) == -ERANGE, "negative");
	CHECK(vswap_backend_check_level(be, be->max_level) == be->max_level, "max");
	levels[0] = be->min_level;
	levels[1] = be->default_level;
	levels[2] = be->max_level;
	for (li = 0; li < 3; li++) {
		void *cctx = be->create_cctx(levels[li]);
		void *dctx = be->create_dctx ? be->create_dctx() : NULL;

		CHECK(!IS_ERR_OR_NULL(cctx), "cctx level %d", levels[li]);
		CHECK(!IS_ERR(dctx), "dctx");
		if (IS_ERR_OR_NULL(cctx) || IS_ERR(dctx))
			continue;
		for (k = 0; k < PK_NR; k++) {
			unsigned int len = PAGE_SIZE;
			int ret;

			gen_page(k, rnd(), src);
			ret = be->compress(cctx, src, out, &len);
			if (k == PK_RANDOM) {
				/* Does not fit below a page: -E2BIG. */
				len = PAGE_SIZE - 1 - 2;
				ret = be->compress(cctx, src, out, &len);
				CHECK(ret == -E2BIG, "%s: incompressible -> %d", name, ret);
				continue;
			}
			CHECK(!ret && len > 0 && len < PAGE_SIZE / 2,
			      "%s level %d %s: ret %d len %u", name, levels[li],
			      pk_names[k], ret, len);
			if (ret)
				continue;
			memset(dst, 0x5a, PAGE_SIZE);
			ret = be->decompress(dctx, out, len, dst);
			CHECK(!ret && !memcmp(src, dst, PAGE_SIZE),
			      "%s: round trip %s", name, pk_names[k]);
			/* Truncated input fails cleanly. */
			ret = be->decompress(dctx, out, len - 1, dst);
			CHECK(ret == -EINVAL, "%s: truncated -> %d", name, ret);
			/* Output buffer one byte too small: -E2BIG. */
			{
				unsigned int small = len - 1;

				ret = be->compress(cctx, src, out, &small);
				CHECK(ret == -E2BIG, "%s: tight dst -> %d", name, ret);
			}
		}
		/* Garbage and bit flips never crash and never "succeed" wrongly. */
		for (k = 0; k < 300; k++) {
			unsigned int len = PAGE_SIZE, i;
			int ret;

			gen_page(PK_COMP, rnd(), src);
			ret = be->compress(cctx, src, out, &len);
			CHECK(!ret, "compress");
			for (i = 0; i < 1 + rnd_below(4); i++)
				out[rnd_below(len)] ^= 1 << rnd_below(8);
			ret = be->decompress(dctx, out, len, dst);
			CHECK(ret == 0 || ret == -EINVAL, "corrupt -> %d", ret);
			for (i = 0; i < 64; i++)
				out[i] = rnd();
			ret = be->decompress(dctx, out, 1 + rnd_below(64), dst);
			CHECK(ret == 0 || ret == -EINVAL, "garbage -> %d", ret);
		}
		be->destroy_cctx(cctx);
		if (dctx)
			be->destroy_dctx(dctx);
	}
	/* Valid stream of the wrong size: must be -EINVAL. */
	{
		static u8 half[PAGE_SIZE];
		int n = -1;

		gen_page(PK_COMP, 7, half);
		if (!strcmp(name, "zstd"))
			n = (int)ZSTD_compress(out, sizeof(out), half, PAGE_SIZE / 2, 1);
		else
			n = (LZ4_compress_default)((char *)half, (char *)out,
						   PAGE_SIZE / 2, PAGE_SIZE);
		if (n > 0) {
			void *dctx = be->create_dctx ? be->create_dctx() : NULL;

			CHECK(be->decompress(dctx, out, n, dst) == -EINVAL,
			      "half-page stream accepted");
			if (dctx)
				be->destroy_dctx(dctx);
		}
	}
	/* Through the per-CPU stream API. */
	{
		struct vswap_comp comp;
		unsigned int cpu;

		CHECK(vswap_comp_init(&comp, name, be->max_level + 1) == -ERANGE,
		      "bad level");
		CHECK(vswap_comp_init(&comp, name, 0) == 0, "init");
		CHECK(comp.level == be->default_level, "level");
		for_each_possible_cpu(cpu) {
			struct vswap_stream *strm;
			unsigned int len = PAGE_SIZE;
			int ret;

			shim_cpu = cpu;
			strm = vswap_stream_get(&comp);
			CHECK(strm == per_cpu_ptr(comp.streams, cpu), "stream cpu");
			gen_page(PK_COMP, cpu, src);
			CHECK(!be->compress(strm->cctx, src, strm->buffer, &len), "c");
			/* Readers decompress with preemption disabled. */
			preempt_disable();
			ret = vswap_decompress(&comp, strm->buffer, len, dst);
			preempt_enable();
			CHECK(!ret && !memcmp(src, dst, PAGE_SIZE), "stream round trip");
			vswap_stream_put(strm);
		}
		shim_cpu = 0;
		vswap_comp_destroy(&comp);
		vswap_comp_destroy(&comp);	/* idempotent */
	}
out:
	snprintf(title, sizeof(title), "backend %s", name);
	test_end(title);
}

void test_registry(void)
{
	struct vswap_comp comp;

	test_begin();
	CHECK(vswap_backend_find("lz4") == &vswap_backend_lz4, "lz4");
	CHECK(vswap_backend_find("lz4hc\n") == &vswap_backend_lz4hc, "newline");
	CHECK(vswap_backend_find("zstd") == &vswap_backend_zstd, "zstd");
	CHECK(!vswap_backend_find("lz"), "prefix");
	CHECK(!vswap_backend_find("lzo"), "unknown");
	CHECK(!vswap_backend_find(""), "empty");
	CHECK(vswap_comp_init(&comp, "deflate", 0) == -ENOENT, "ENOENT");
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("backend registry and level checks");
}

/* ================= 3. model-based random test ================= */
struct model_slot {
	u8 used;
	u8 kind;
	u64 seed;
};

struct model {
	unsigned long nr_slots;
	struct model_slot *slot;
	unsigned int *cluster_used;
	long used, kind_count[PK_NR];
	long clusters;		/* clusters with a used slot */
};

static void model_init(struct model *m, unsigned long nr_slots)
{
	memset(m, 0, sizeof(*m));
	m->nr_slots = nr_slots;
	m->slot = calloc(nr_slots, sizeof(*m->slot));
	m->cluster_used = calloc(DIV_ROUND_UP(nr_slots, VSWAP_CLUSTER_SLOTS),
				 sizeof(*m->cluster_used));
}

static void model_free(struct model *m)
{
	free(m->slot);
	free(m->cluster_used);
}

static void model_set(struct model *m, unsigned long slot, int kind, u64 seed)
{
	struct model_slot *ms = &m->slot[slot];

	if (ms->used) {
		m->kind_count[ms->kind]--;
	} else {
		m->used++;
		if (!m->cluster_used[slot >> VSWAP_CLUSTER_SHIFT]++)
			m->clusters++;
	}
	ms->used = 1;
	ms->kind = kind;
	ms->seed = seed;
	m->kind_count[kind]++;
}

static void model_clear(struct model *m, unsigned long slot)
{
	struct model_slot *ms = &m->slot[slot];

	if (!ms->used)
		return;
	ms->used = 0;
	m->used--;
	m->kind_count[ms->kind]--;
	if (!--m->cluster_used[slot >> VSWAP_CLUSTER_SHIFT])
		m->clusters--;
}

static long model_clusters(struct model *m)
{
	unsigned long c;
	long n = 0;

	for (c = 0; c < DIV_ROUND_UP(m->nr_slots, VSWAP_CLUSTER_SLOTS); c++)
		n += m->cluster_used[c] != 0;
	return n;
}

/* Compare one slot's contents and descriptor with the model. */
static void check_slot(struct vswap_space *s, struct model *m,
		       unsigned long slot)
{
	static u8 want[PAGE_SIZE], got[PAGE_SIZE];
	struct model_slot *ms = &m->slot[slot];
	unsigned long d = peek_desc(s, slot, NULL);
	int ret;

	if (ms->used)
		gen_page(ms->kind, ms->seed, want);
	else
		memset(want, 0, PAGE_SIZE);
	memset(got, 0xcc, PAGE_SIZE);
	ret = vswap_space_read(s, slot, got, NULL);
	CHECK(!ret, "read slot %lu -> %d", slot, ret);
	CHECK(!memcmp(want, got, PAGE_SIZE), "slot %lu content (%s)", slot,
	      ms->used ? pk_names[ms->kind] : "empty");
	if (!ms->used) {
		CHECK(vswap_desc_type(d) == VSWAP_EMPTY, "slot %lu not empty", slot);
	} else if (ms->kind == PK_ZERO || ms->kind == PK_SAME) {
		CHECK(vswap_desc_type(d) == VSWAP_SAME, "slot %lu type %d", slot,
		      vswap_desc_type(d));
	} else {
		CHECK(vswap_desc_type(d) == VSWAP_RAM, "slot %lu type %d", slot,
		      vswap_desc_type(d));
		CHECK(vswap_desc_raw(d) == (ms->kind == PK_RANDOM),
		      "slot %lu raw flag", slot);
	}
}

/* Counters and cluster bookkeeping, O(clusters). */
static void check_stats(struct vswap_space *s, struct model *m, bool clusters)
{
	long same = m->kind_count[PK_ZERO] + m->kind_count[PK_SAME];
	long ram = m->kind_count[PK_COMP] + m->kind_count[PK_RANDOM];
	struct vswap_tier *rt = tier_of(s, VSWAP_TIER_RAM);
	u64 stored = atomic64_read(&rt->stats.payload_bytes);

	CHECK((long)vswap_space_stored_pages(s) == m->used, "stored_pages %llu != %ld",
	      (unsigned long long)vswap_space_stored_pages(s), m->used);
	CHECK(tier_pages(s, VSWAP_TIER_SAME) == same, "same pages %ld != %ld",
	      tier_pages(s, VSWAP_TIER_SAME), same);
	CHECK(tier_pages(s, VSWAP_TIER_RAM) == ram, "ram pages %ld != %ld",
	      tier_pages(s, VSWAP_TIER_RAM), ram);
	CHECK((long)vswap_tier_ram_huge_pages(rt) == m->kind_count[PK_RANDOM],
	      "huge pages");
	CHECK(atomic64_read(&rt->stats.orig_bytes) == ram * (long)PAGE_SIZE,
	      "orig bytes");
	CHECK(vswap_tier_ram_pool_bytes(rt) ==
	      DIV_ROUND_UP(stored, PAGE_SIZE) * PAGE_SIZE, "pool bytes vs stored");
	CHECK(atomic64_read(&tier_of(s, VSWAP_TIER_SAME)->stats.payload_bytes) == 0,
	      "same stored bytes");
	CHECK(vswap_table_meta_bytes(&s->table) ==
	      s->table.nr_clusters * sizeof(unsigned long) +
	      m->clusters * PAGE_SIZE, "meta bytes %lu",
	      vswap_table_meta_bytes(&s->table));
	CHECK(atomic_long_read(&s->table.nr_pages) == m->clusters,
	      "clusters %ld != %ld", atomic_long_read(&s->table.nr_pages),
	      m->clusters);
	if (clusters) {
		unsigned long c;

		CHECK(m->clusters == model_clusters(m), "model cluster count");
		CHECK(atomic_long_read(&s->table.nr_pages) == model_clusters(m),
		      "clusters %ld != %ld", atomic_long_read(&s->table.nr_pages),
		      model_clusters(m));
		for (c = 0; c < s->table.nr_clusters; c++) {
			CHECK(dir_count(s, c) == m->cluster_used[c],
			      "cluster %lu count %u != %u", c, dir_count(s, c),
			      m->cluster_used[c]);
			CHECK(dir_has_page(s, c) == !!m->cluster_used[c],
			      "cluster %lu page", c);
		}
	}
}

enum op { OP_STORE, OP_OVERWRITE, OP_LOAD, OP_DISCARD, OP_DISCARD_RANGE,
	  OP_FREE, OP_DROP_RAM, OP_AGE, OP_NR };
static const char *const op_names[OP_NR] = {
	"store", "overwrite", "load", "discard", "discard-range", "free",
	"drop-ram", "age"
};

static int random_kind(void)
{
	u64 r = rnd_below(100);

	return r < 25 ? PK_ZERO : r < 40 ? PK_SAME : r < 80 ? PK_COMP : PK_RANDOM;
}

void test_model(const char *algo, long nr_ops, u64 seed, long fail_ppm)
{
	long write_fails = 0, discarded = 0, dropped = 0, restores = 0;
	const unsigned long nr_slots = 24 * VSWAP_CLUSTER_SLOTS + 77;
	static u8 page[PAGE_SIZE];
	struct vswap_space s;
	struct model m;
	long counts[OP_NR] = { 0 }, clusters_freed = 0, peak_clusters = 0;
	long i;
	char title[96];
	int ret;

	test_begin();
	rng_state = seed;
	model_init(&m, nr_slots);
	ret = vswap_space_init(&s, nr_slots, algo, 0);
	CHECK(!ret, "space init %s -> %d", algo, ret);
	if (ret)
		goto out;
	for (i = 0; i < nr_ops && check_fails < 10; i++) {
		/*
		 * Work in a window of a few clusters that drifts, so clusters
		 * fill up, drain and get freed over and over.
		 */
		unsigned long win = (i / 20000) % 24;
		unsigned long base = ((win + rnd_below(3)) % 24) * VSWAP_CLUSTER_SLOTS;
		unsigned long slot = (base + rnd_below(VSWAP_CLUSTER_SLOTS + 77)) % nr_slots;
		u64 r = rnd_below(1000);
		long before = atomic_long_read(&s.table.nr_pages);
		int op;

		shim_cpu = rnd_below(SHIM_NR_CPUS);
		if (r < 450)
			op = m.slot[slot].used ? OP_OVERWRITE : OP_STORE;
		else if (r < 700)
			op = OP_LOAD;
		else if (r < 820)
			op = OP_DISCARD;
		else if (r < 825)
			op = OP_DISCARD_RANGE;
		else if (r < 950)
			op = OP_FREE;
		else if (r < 975)
			op = OP_DROP_RAM;
		else
			op = OP_AGE;
		counts[op]++;
		switch (op) {
		case OP_STORE:
		case OP_OVERWRITE: {
			int kind = random_kind();
			u64 pseed = rnd();

			gen_page(kind, pseed, page);
			shim_fail_ppm = fail_ppm;
			ret = vswap_space_write(&s, slot, page, 0);
			shim_fail_ppm = 0;
			/* An injected failure leaves the slot as it was. */
			CHECK(!ret || (fail_ppm && ret == -ENOMEM),
			      "write %lu -> %d", slot, ret);
			if (!ret)
				model_set(&m, slot, kind, pseed);
			else
				write_fails++;
			check_slot(&s, &m, slot);
			break;
		}
		case OP_LOAD: {
			unsigned int age;

			check_slot(&s, &m, slot);
			peek_desc(&s, slot, &age);
			CHECK(age == 0, "read leaves age %u", age);
			break;
		}
		case OP_DISCARD:
			vswap_space_discard(&s, slot, 1);
			discarded++;
			model_clear(&m, slot);
			check_slot(&s, &m, slot);
			break;
		case OP_DISCARD_RANGE: {
			unsigned long nr = 1 + rnd_below(2 * VSWAP_CLUSTER_SLOTS);
			unsigned long j;

			if (slot + nr > nr_slots)
				nr = nr_slots - slot;
			vswap_space_discard(&s, slot, nr);
			discarded += nr;
			for (j = slot; j < slot + nr; j++)
				model_clear(&m, j);
			check_slot(&s, &m, slot);
			check_slot(&s, &m, slot + nr - 1);
			break;
		}
		case OP_FREE:
			vswap_space_free_notify(&s, slot);
			model_clear(&m, slot);
			check_slot(&s, &m, slot);
			break;
		case OP_DROP_RAM: {
			/*
			 * An exclusive load: a swap-in read, then the drop of
			 * a RAM copy.  A store between the two voids the drop.
			 */
			struct model_slot *ms = &m.slot[slot];
			bool ram, got, restore = rnd_below(4) == 0;

			ret = vswap_space_read_swapin(&s, slot, page, NULL);
			CHECK(!ret, "swap-in read %lu -> %d", slot, ret);
			if (restore) {
				int kind = random_kind();
				u64 pseed = rnd();

				gen_page(kind, pseed, page);
				ret = vswap_space_write(&s, slot, page, 0);
				CHECK(!ret, "write %lu -> %d", slot, ret);
				restores++;
				if (!ret)
					model_set(&m, slot, kind, pseed);
			}
			ram = !restore && ms->used &&
			      (ms->kind == PK_COMP || ms->kind == PK_RANDOM);
			got = vswap_space_drop_ram(&s, slot);
			CHECK(got == ram, "drop_ram %lu (%s%s) -> %d", slot,
			      ms->used ? pk_names[ms->kind] : "empty",
			      restore ? ", stored since the read" : "", got);
			if (got) {
				dropped++;
				model_clear(&m, slot);
			}
			check_slot(&s, &m, slot);
			break;
		}
		case OP_AGE: {
			/* What the aging scan does: raise the age under the lock. */
			unsigned long *d = vswap_slot_lock(&s.table, slot);

			if (d && vswap_desc_type(*d) != VSWAP_EMPTY)
				*d = (*d & ~VSWAP_DESC_AGE) |
				     FIELD_PREP(VSWAP_DESC_AGE, 1 + rnd_below(3));
			vswap_slot_unlock(&s.table, d);
			break;
		}
		}
		if (atomic_long_read(&s.table.nr_pages) < before)
			clusters_freed += before - atomic_long_read(&s.table.nr_pages);
		if (atomic_long_read(&s.table.nr_pages) > peak_clusters)
			peak_clusters = atomic_long_read(&s.table.nr_pages);
		/* Cheap checks every op, the per-cluster ones every 64. */
		check_stats(&s, &m, (i & 63) == 0 || op == OP_DISCARD_RANGE);
		{
			unsigned long c = slot >> VSWAP_CLUSTER_SHIFT;

			CHECK(dir_count(&s, c) == m.cluster_used[c] &&
			      dir_has_page(&s, c) == !!m.cluster_used[c],
			      "cluster %lu: count %u page %d, model %u", c,
			      dir_count(&s, c), dir_has_page(&s, c),
			      m.cluster_used[c]);
		}
		CHECK(shim_locks_held() == 0 && shim_atomic_depth == 0,
		      "lock leak after %s", op_names[op]);
		CHECK(shim_rcu_pending() == 0, "rcu callbacks stuck");
		if (i % 100000 == 99999) {
			unsigned long j;

			for (j = 0; j < nr_slots; j++)
				check_slot(&s, &m, j);
		}
	}
	{
		unsigned long j;

		for (j = 0; j < nr_slots; j++)
			check_slot(&s, &m, j);
		check_stats(&s, &m, true);
	}
	/* Space counters: every write, failure, free and discarded slot. */
	CHECK(atomic64_read(&s.stats.writes) ==
	      counts[OP_STORE] + counts[OP_OVERWRITE] + restores - write_fails,
	      "writes");
	CHECK(atomic64_read(&s.stats.failed_writes) == write_fails,
	      "failed writes");
	CHECK(atomic64_read(&s.stats.frees) == counts[OP_FREE], "frees");
	CHECK(atomic64_read(&s.stats.miss_frees) == 0, "miss frees");
	CHECK(atomic64_read(&s.stats.discards) == discarded, "discards");
	CHECK(atomic64_read(&s.stats.exclusive_loads) == dropped,
	      "exclusive loads");
	CHECK(atomic64_read(&s.stats.failed_reads) == 0, "failed reads");
	vswap_space_destroy(&s);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "%ld allocations leaked", shim_live_allocs);
	printf("# model %s seed %llu: %ld ops:", algo, (unsigned long long)seed, i);
	for (i = 0; i < OP_NR; i++)
		printf(" %s=%ld", op_names[i], counts[i]);
	printf("; clusters freed=%ld peak=%ld", clusters_freed, peak_clusters);
	if (fail_ppm)
		printf("; injected write failures=%ld", write_fails);
	printf("; end state:");
	for (i = 0; i < PK_NR; i++)
		printf(" %s=%ld", pk_names[i], m.kind_count[i]);
	printf("\n");
out:
	model_free(&m);
	snprintf(title, sizeof(title), "model test %s (%ld ops, seed %llu%s)",
		 algo, nr_ops, (unsigned long long)seed,
		 fail_ppm ? ", random allocation failures" : "");
	test_end(title);
}

/* ================= 4. allocation-failure injection ================= */
/*
 * One representative life of a space.  Every step that can fail must fail
 * cleanly: the documented error, and the slot left as it was.  Returns the
 * number of failed steps.
 */
static int fi_sequence(const char *algo, bool *init_failed)
{
	const unsigned long nr_slots = 3 * VSWAP_CLUSTER_SLOTS + 7;
	static u8 page[PAGE_SIZE];
	struct vswap_space s;
	struct model m;
	unsigned long slot;
	int ret, fails = 0, step;
	static const struct { unsigned long slot; int kind; } plan[] = {
		{ 0, PK_ZERO }, { 1, PK_SAME }, { 2, PK_COMP }, { 3, PK_RANDOM },
		{ 600, PK_COMP }, { 1030, PK_RANDOM }, { 1541, PK_SAME },
		/* overwrites: every kind over every other */
		{ 0, PK_COMP }, { 1, PK_RANDOM }, { 2, PK_ZERO }, { 3, PK_SAME },
		{ 600, PK_RANDOM }, { 1030, PK_COMP }, { 2, PK_COMP },
		{ 1541, PK_COMP }, { 1542, PK_ZERO },
	};

	*init_failed = false;
	ret = vswap_space_init(&s, nr_slots, algo, 0);
	if (ret) {
		*init_failed = true;
		CHECK(ret == -ENOMEM, "init -> %d", ret);
		CHECK(shim_live_allocs == 0, "init failure leaked %ld",
		      shim_live_allocs);
		return 1;
	}
	model_init(&m, nr_slots);
	for (step = 0; step < (int)ARRAY_SIZE(plan); step++) {
		u64 seed = step * 7919 + 1;

		slot = plan[step].slot;
		gen_page(plan[step].kind, seed, page);
		ret = vswap_space_write(&s, slot, page, 0);
		if (ret) {
			fails++;
			CHECK(ret == -ENOMEM, "write %s -> %d",
			      pk_names[plan[step].kind], ret);
		} else {
			model_set(&m, slot, plan[step].kind, seed);
		}
		check_slot(&s, &m, slot);
		check_stats(&s, &m, true);
	}
	/* Discard across a cluster boundary, free notifications, reads. */
	vswap_space_discard(&s, 500, 200);
	for (slot = 500; slot < 700; slot++)
		model_clear(&m, slot);
	vswap_space_free_notify(&s, 1030);
	model_clear(&m, 1030);
	vswap_space_free_notify(&s, 1);
	model_clear(&m, 1);
	check_stats(&s, &m, true);
	for (slot = 0; slot < nr_slots; slot += 1 + (slot % 97))
		check_slot(&s, &m, slot);
	/* A cluster that fills and empties again. */
	gen_page(PK_COMP, 99, page);
	ret = vswap_space_write(&s, 1100, page, 0);
	if (!ret)
		model_set(&m, 1100, PK_COMP, 99);
	else
		fails++;
	vswap_space_discard(&s, 1024, 512);
	for (slot = 1024; slot < 1536; slot++)
		model_clear(&m, slot);
	check_stats(&s, &m, true);
	check_slot(&s, &m, 1100);
	vswap_space_destroy(&s);
	rcu_barrier();
	model_free(&m);
	CHECK(shim_live_allocs == 0, "%ld allocations leaked", shim_live_allocs);
	return fails;
}

long fi_points;

void test_fault_injection(const char *algo)
{
	long nth;
	char title[64];
	int init_fails = 0, op_fails = 0;
	const char *sites[16] = { 0 };
	int nsites = 0, i;

	test_begin();
	shim_quiet_warn = 0;
	for (nth = 1; nth < 100000 && check_fails == 0; nth++) {
		bool init_failed;
		int fails;

		shim_fail_reset(nth);
		fails = fi_sequence(algo, &init_failed);
		if (!shim_failed) {
			CHECK(fails == 0 && !init_failed,
			      "%d steps failed with nothing injected", fails);
			break;
		}
		if (init_failed)
			init_fails++;
		else
			op_fails += fails;
		for (i = 0; i < nsites && strcmp(sites[i], shim_failed_site); i++)
			;
		if (i == nsites && nsites < 16)
			sites[nsites++] = shim_failed_site;
	}
	shim_fail_reset(0);
	fi_points += nth - 1;
	printf("# fault injection %s: %ld allocation points failed one by one "
	       "(%d in init, %d failed writes); sites:", algo, nth - 1,
	       init_fails, op_fails);
	for (i = 0; i < nsites; i++)
		printf(" %s", sites[i]);
	printf("\n");
	snprintf(title, sizeof(title), "allocation-failure injection %s", algo);
	test_end(title);
}

/* Compression failure (or no gain) falls back to a raw object. */
void test_compress_fail(const char *algo)
{
	static u8 page[PAGE_SIZE];
	struct vswap_space s;
	struct model m;
	unsigned long slot;
	char title[64];
	int ret;

	test_begin();
	ret = vswap_space_init(&s, 2 * VSWAP_CLUSTER_SLOTS, algo, 0);
	CHECK(!ret, "init");
	if (ret)
		goto out;
	model_init(&m, 2 * VSWAP_CLUSTER_SLOTS);
	shim_force_compress_fail = 1;
	for (slot = 0; slot < 64; slot++) {
		int kind = slot % PK_NR;

		gen_page(kind, slot, page);
		CHECK(!vswap_space_write(&s, slot, page, 0), "write");
		model_set(&m, slot, kind, slot);
	}
	shim_force_compress_fail = 0;
	/* Compressible pages stored while compression failed are raw. */
	for (slot = 0; slot < 64; slot++) {
		unsigned long d = peek_desc(&s, slot, NULL);
		u8 got[PAGE_SIZE];

		gen_page(m.slot[slot].kind, slot, page);
		CHECK(!vswap_space_read(&s, slot, got, NULL) &&
		      !memcmp(got, page, PAGE_SIZE), "content %lu", slot);
		if (m.slot[slot].kind == PK_COMP || m.slot[slot].kind == PK_RANDOM)
			CHECK(vswap_desc_type(d) == VSWAP_RAM && vswap_desc_raw(d),
			      "slot %lu should be raw", slot);
	}
	CHECK((long)vswap_tier_ram_huge_pages(tier_of(&s, VSWAP_TIER_RAM)) ==
	      m.kind_count[PK_COMP] + m.kind_count[PK_RANDOM], "huge pages");
	/* Once compression works again, overwrites compress. */
	for (slot = 0; slot < 64; slot++) {
		gen_page(PK_COMP, slot + 1000, page);
		CHECK(!vswap_space_write(&s, slot, page, 0), "rewrite");
		model_set(&m, slot, PK_COMP, slot + 1000);
		check_slot(&s, &m, slot);
	}
	check_stats(&s, &m, true);
	CHECK(vswap_tier_ram_huge_pages(tier_of(&s, VSWAP_TIER_RAM)) == 0, "huge");
	vswap_space_destroy(&s);
	rcu_barrier();
	model_free(&m);
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
out:
	snprintf(title, sizeof(title), "compress failure -> raw object (%s)", algo);
	test_end(title);
}

/* Out-of-range slot and double destroy are handled. */
void test_edges(void)
{
	static u8 page[PAGE_SIZE];
	struct vswap_space s;
	long w;

	test_begin();
	CHECK(!vswap_space_init(&s, 1000, "lz4", 0), "init");
	vswap_space_destroy(&s);
	vswap_space_destroy(&s);	/* idempotent */
	CHECK(shim_live_allocs == 0, "destroy leaks %ld", shim_live_allocs);
	CHECK(vswap_space_init(&s, 1000, "nope", 0) == -ENOENT, "bad algo");
	CHECK(shim_live_allocs == 0, "bad algo leaks %ld", shim_live_allocs);
	CHECK(vswap_space_init(&s, 1000, "zstd", 23) == -ERANGE, "bad level");
	CHECK(shim_live_allocs == 0, "bad level leaks");
	CHECK(!vswap_space_init(&s, 1000, "zstd", 22), "zstd 22");
	gen_page(PK_COMP, 1, page);
	CHECK(!vswap_space_write(&s, 999, page, 0), "last slot");
	/* Slot beyond the end: -EINVAL with a WARN (caller bug). */
	w = shim_warnings;
	shim_quiet_warn = 1;
	CHECK(vswap_space_write(&s, 1000, page, 0) == -EINVAL, "beyond end");
	CHECK(shim_warnings == w + 1, "warned");
	/* 1000 slots: 2 clusters; 1024 would index past the directory. */
	CHECK(vswap_space_read(&s, 1024, page, NULL) == -EINVAL, "read beyond end");
	CHECK(vswap_space_read(&s, 1000, page, NULL) == -EINVAL, "read beyond end");
	CHECK(shim_warnings == w + 3, "warned");
	shim_quiet_warn = 0;
	shim_warnings = w;
	CHECK(vswap_space_stored_pages(&s) == 1, "stored");
	vswap_space_destroy(&s);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	test_end("edge cases: bad algo/level, last slot, out of range");
}

/* ================= 5. multi-threaded smoke ================= */
#define MT_THREADS	4
#define MT_SLOTS	(8 * VSWAP_CLUSTER_SLOTS)

struct mt_arg {
	struct vswap_space *s;
	int id;
	long ops;
	u64 seed;
	long errors;
	long missed;		/* free notifications that found the slot busy */
	u64 seeds[MT_SLOTS / MT_THREADS];
	u8 kinds[MT_SLOTS / MT_THREADS];
	u8 used[MT_SLOTS / MT_THREADS];
};

static pthread_barrier_t mt_barrier;

static void *mt_worker(void *p)
{
	struct mt_arg *a = p;
	u8 page[PAGE_SIZE], want[PAGE_SIZE];
	long i;

	for (i = 0; i < a->ops; i++) {
		unsigned long idx = splitmix(&a->seed) % (MT_SLOTS / MT_THREADS);
		/* Interleaved: every cluster is shared by all threads. */
		unsigned long slot = idx * MT_THREADS + a->id;
		u64 r = splitmix(&a->seed) % 100;
		/*
		 * Phases: on entering phase p a thread empties its slots of
		 * cluster p and leaves it alone, so clusters drain, are freed
		 * under the reader's nose, and are populated again later.
		 */
		unsigned long phase = (i / 500) % (MT_SLOTS / VSWAP_CLUSTER_SLOTS);

		if (i % 500 == 0) {
			unsigned long j;

			/* Keep the workers in the same phase. */
			pthread_barrier_wait(&mt_barrier);
			for (j = 0; j < MT_SLOTS / MT_THREADS; j++) {
				if ((j * MT_THREADS + a->id) >> VSWAP_CLUSTER_SHIFT != phase)
					continue;
				vswap_space_discard(a->s, j * MT_THREADS + a->id, 1);
				a->used[j] = 0;
			}
		}
		if (slot >> VSWAP_CLUSTER_SHIFT == phase) {
			slot = (slot + VSWAP_CLUSTER_SLOTS) % MT_SLOTS;
			idx = slot / MT_THREADS;
		}

		shim_cpu = splitmix(&a->seed) % SHIM_NR_CPUS;
		if (r < 50) {
			int kind = splitmix(&a->seed) % PK_NR;
			u64 seed = splitmix(&a->seed);

			gen_page(kind, seed, page);
			if (vswap_space_write(a->s, slot, page, 0)) {
				a->errors++;
				continue;
			}
			a->used[idx] = 1;
			a->kinds[idx] = kind;
			a->seeds[idx] = seed;
		} else if (r < 75) {
			if (vswap_space_read(a->s, slot, page, NULL))
				a->errors++;
			if (a->used[idx])
				gen_page(a->kinds[idx], a->seeds[idx], want);
			else
				memset(want, 0, PAGE_SIZE);
			if (memcmp(page, want, PAGE_SIZE))
				a->errors++;
		} else if (r < 90) {
			vswap_space_free_notify(a->s, slot);
			/* A reader may hold the lock: then the free is skipped. */
			if (vswap_desc_type(peek_desc(a->s, slot, NULL)) != VSWAP_EMPTY) {
				a->missed++;
				if (WARN_ON(!a->used[idx]))
					a->errors++;
			} else {
				a->used[idx] = 0;
			}
		} else {
			vswap_space_discard(a->s, slot, 1);
			a->used[idx] = 0;
		}
	}
	return NULL;
}

static volatile int mt_stop;

/* Lockless readers over every slot, racing cluster allocation and free. */
static void *mt_reader(void *p)
{
	struct mt_arg *a = p;
	u8 page[PAGE_SIZE];

	while (!mt_stop) {
		unsigned long slot = splitmix(&a->seed) % MT_SLOTS;

		shim_cpu = splitmix(&a->seed) % SHIM_NR_CPUS;
		if (vswap_space_read(a->s, slot, page, NULL))
			a->errors++;
		a->ops++;
	}
	return NULL;
}

void test_mt(const char *algo, long ops)
{
	struct mt_arg reader = { 0 };
	char title[80];
	pthread_t rth;
	long missed = 0, rcu_cbs = shim_rcu_callbacks_run;
	static struct mt_arg args[MT_THREADS];
	pthread_t th[MT_THREADS];
	struct vswap_space s;
	long errors = 0, used = 0;
	int i;

	test_begin();
	CHECK(!vswap_space_init(&s, MT_SLOTS, algo, 0), "init");
	pthread_barrier_init(&mt_barrier, NULL, MT_THREADS);
	for (i = 0; i < MT_THREADS; i++) {
		memset(&args[i], 0, sizeof(args[i]));
		args[i].s = &s;
		args[i].id = i;
		args[i].ops = ops;
		args[i].seed = rnd();
		pthread_create(&th[i], NULL, mt_worker, &args[i]);
	}
	reader.s = &s;
	reader.seed = rnd();
	mt_stop = 0;
	pthread_create(&rth, NULL, mt_reader, &reader);
	for (i = 0; i < MT_THREADS; i++) {
		unsigned int j;

		pthread_join(th[i], NULL);
		errors += args[i].errors;
		missed += args[i].missed;
		for (j = 0; j < MT_SLOTS / MT_THREADS; j++)
			used += args[i].used[j];
	}
	mt_stop = 1;
	pthread_join(rth, NULL);
	pthread_barrier_destroy(&mt_barrier);
	errors += reader.errors;
	CHECK(!errors, "%ld data errors", errors);
	CHECK((long)vswap_space_stored_pages(&s) == used, "stored %llu != %ld",
	      (unsigned long long)vswap_space_stored_pages(&s), used);
	/* A trylock free of a busy slot is counted, never lost silently. */
	/* Misses on already-empty slots are invisible to the workers. */
	CHECK(atomic64_read(&s.stats.miss_frees) >= missed, "miss frees %lld < %ld",
	      (long long)atomic64_read(&s.stats.miss_frees), missed);
	vswap_space_destroy(&s);
	rcu_barrier();
	CHECK(shim_live_allocs == 0, "leak %ld", shim_live_allocs);
	snprintf(title, sizeof(title),
		 "multi-threaded smoke %s (shared clusters and streams)", algo);
	printf("# mt %s: %d threads x %ld ops + 1 reader (%ld reads), %ld slots "
	       "in use at the end, %ld busy frees skipped, %ld rcu callbacks run\n",
	       algo, MT_THREADS, ops, reader.ops, used, missed,
	       shim_rcu_callbacks_run - rcu_cbs);
	test_end(title);
}
