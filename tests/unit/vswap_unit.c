// SPDX-License-Identifier: GPL-2.0
/*
 * vswap core unit tests (userspace).  Built with shim/vswap_deps.h forced
 * in; see Makefile.  Usage: vswap_unit [-s SEED] [-n OPS]
 */
#include "vswap.h"
#include "vswap_balloc.h"
#include "vswap_policy.h"
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
static long warn_base;

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

static unsigned int dir_count(struct vswap_space *s, unsigned long cluster)
{
	return FIELD_GET(VSWAP_DIR_COUNT, READ_ONCE(s->table.dir[cluster]));
}

static bool dir_has_page(struct vswap_space *s, unsigned long cluster)
{
	return READ_ONCE(s->table.dir[cluster]) & VSWAP_DIR_PAGE;
}

/* ================= 1. descriptor packing ================= */
static void test_desc(void)
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
static void test_backend(const char *name)
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

static void test_registry(void)
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
	u64 stored = atomic64_read(&rt->stats.stored_bytes);

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
	CHECK(atomic64_read(&tier_of(s, VSWAP_TIER_SAME)->stats.stored_bytes) == 0,
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
	  OP_FREE, OP_AGE, OP_NR };
static const char *const op_names[OP_NR] = {
	"store", "overwrite", "load", "discard", "discard-range", "free", "age"
};

static int random_kind(void)
{
	u64 r = rnd_below(100);

	return r < 25 ? PK_ZERO : r < 40 ? PK_SAME : r < 80 ? PK_COMP : PK_RANDOM;
}

static void test_model(const char *algo, long nr_ops, u64 seed, long fail_ppm)
{
	long write_fails = 0, discarded = 0;
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
	      counts[OP_STORE] + counts[OP_OVERWRITE] - write_fails, "writes");
	CHECK(atomic64_read(&s.stats.failed_writes) == write_fails,
	      "failed writes");
	CHECK(atomic64_read(&s.stats.frees) == counts[OP_FREE], "frees");
	CHECK(atomic64_read(&s.stats.miss_frees) == 0, "miss frees");
	CHECK(atomic64_read(&s.stats.discards) == discarded, "discards");
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

static long fi_points;

static void test_fault_injection(const char *algo)
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
static void test_compress_fail(const char *algo)
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
static void test_edges(void)
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

static void test_mt(const char *algo, long ops)
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
static void test_shim_bitops(void)
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
static void test_balloc_init(void)
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
static void test_balloc_edges(void)
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
static void test_balloc_locality(void)
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

static long ba_model_ops;

static void test_balloc_model(unsigned long nr_slots, long nr_ops, u64 seed)
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

static void test_balloc_mt(long ops)
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

static void test_policy_idle_age(long nr_ops)
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

static void test_throttle_model(long nr_steps, u64 seed)
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

static void test_policy_pick(void)
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

static void test_policy_drain(void)
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
static void test_policy_backoff(void)
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

static void test_policy_random(long nr_configs, u64 seed)
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
