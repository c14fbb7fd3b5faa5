// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace implementations behind shim/vswap_deps.h: a counting,
 * failing-on-purpose allocator, WARN accounting, lockdep-lite, bit locks,
 * a small but correct RCU, per-CPU areas, zsmalloc on malloc, and the
 * kernel's lz4/zstd entry points on liblz4/libzstd.  Plus the userspace
 * version of drivers/vswap/vswap_table_mem.c.
 */
#include "vswap_deps.h"
#include "../../../drivers/vswap/vswap_table.h"
#include "shim.h"
#include "vswap_fault.h"
#include <sched.h>

/* ---------------- WARN ---------------- */
long shim_warnings;
int shim_quiet_warn;

void shim_warn(const char *file, int line, const char *cond)
{
	__atomic_add_fetch(&shim_warnings, 1, __ATOMIC_SEQ_CST);
	if (!shim_quiet_warn)
		fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, cond);
}

/*
 * Preemption: a thread in atomic context (bit lock, RCU reader, zsmalloc
 * mapping, spinlock) owns its emulated CPU exclusively, as a task with
 * preemption disabled does; between atomic sections it may "migrate"
 * (the tests change shim_cpu).  So per-CPU data used with preemption
 * disabled (the decompression contexts) is never shared, exactly as in
 * the kernel.  The CPU lock is taken only at depth 0 -> 1, while holding
 * no spinning lock, so it cannot deadlock.
 */
__thread int shim_atomic_depth;
__thread unsigned int shim_cpu;
static __thread unsigned int shim_owned_cpu;
static pthread_mutex_t shim_cpu_lock[SHIM_NR_CPUS] = {
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
};

void shim_preempt_disable(void)
{
	if (shim_atomic_depth++)
		return;
	shim_owned_cpu = shim_cpu % SHIM_NR_CPUS;
	pthread_mutex_lock(&shim_cpu_lock[shim_owned_cpu]);
}

void shim_preempt_enable(void)
{
	if (WARN_ON(shim_atomic_depth <= 0))
		return;
	if (!--shim_atomic_depth)
		pthread_mutex_unlock(&shim_cpu_lock[shim_owned_cpu]);
}

unsigned int shim_this_cpu(void)
{
	/* CONFIG_DEBUG_PREEMPT: this_cpu_ptr() in preemptible context. */
	WARN_ON(shim_atomic_depth <= 0);
	return shim_owned_cpu;
}

/* Race windows: the bitmap searches yield now and then when asked to. */
int shim_bitmap_yield;

void shim_yield_nth(int nth)
{
	static __thread unsigned int calls;

	if (++calls % nth == 0)
		sched_yield();
}

/* ---------------- allocator ---------------- */
long shim_live_allocs;		/* outstanding allocations */
long shim_alloc_calls;		/* calls since shim_fail_reset() */
long shim_fail_nth;		/* fail the Nth call (1-based); 0: never */
long shim_failed;		/* failures injected since reset */
long shim_fail_ppm;		/* random failures, per million calls */
static u64 shim_fail_rng = 0x2545f4914f6cdd1dULL;
const char *shim_failed_site;
const char *shim_fail_what;	/* fail the next call from this site, once */

void shim_fail_reset(long nth)
{
	shim_alloc_calls = 0;
	shim_fail_nth = nth;
	shim_failed = 0;
	shim_failed_site = NULL;
	shim_fail_what = NULL;
}

static bool shim_should_fail(const char *what)
{
	long n = __atomic_add_fetch(&shim_alloc_calls, 1, __ATOMIC_SEQ_CST);

	if (shim_fail_what && !strcmp(shim_fail_what, what)) {
		shim_fail_what = NULL;
		__atomic_add_fetch(&shim_failed, 1, __ATOMIC_SEQ_CST);
		shim_failed_site = what;
		return true;
	}
	if (shim_fail_nth && n == shim_fail_nth) {
		__atomic_add_fetch(&shim_failed, 1, __ATOMIC_SEQ_CST);
		shim_failed_site = what;
		return true;
	}
	if (shim_fail_ppm) {
		u64 x = shim_fail_rng;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		shim_fail_rng = x;
		if (x % 1000000 < (u64)shim_fail_ppm) {
			__atomic_add_fetch(&shim_failed, 1, __ATOMIC_SEQ_CST);
			shim_failed_site = what;
			return true;
		}
	}
	return false;
}

void *shim_alloc(size_t size, size_t align, gfp_t gfp, const char *what)
{
	void *p;

	if (gfpflags_allow_blocking(gfp))
		might_sleep();
	if (shim_should_fail(what))
		return NULL;
	if (align) {
		if (posix_memalign(&p, align, size))
			p = NULL;
	} else {
		p = malloc(size ? size : 1);
	}
	if (!p)
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(p, 0, size);
	else
		memset(p, 0xa5, size);	/* catch reads of uninitialised memory */
	__atomic_add_fetch(&shim_live_allocs, 1, __ATOMIC_SEQ_CST);
	return p;
}

void shim_free(const void *p)
{
	if (!p)
		return;
	WARN_ON(IS_ERR(p));
	__atomic_sub_fetch(&shim_live_allocs, 1, __ATOMIC_SEQ_CST);
	free((void *)p);
}

void *shim_alloc_percpu(size_t size, size_t align)
{
	size_t sz = (size + align - 1) / align * align;

	might_sleep();
	return shim_alloc(sz * SHIM_NR_CPUS, align < 16 ? 0 : align,
			  GFP_KERNEL | __GFP_ZERO, "alloc_percpu");
}

/* ---------------- lockdep-lite ---------------- */
#define SHIM_MAX_CLASSES	32
#define SHIM_MAX_HELD		16
static const struct lock_class_key *shim_classes[SHIM_MAX_CLASSES];
static const char *shim_class_names[SHIM_MAX_CLASSES];
static unsigned char shim_order[SHIM_MAX_CLASSES][SHIM_MAX_CLASSES];
static pthread_mutex_t shim_lockdep_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread struct lockdep_map *shim_held[SHIM_MAX_HELD];
static __thread int shim_nr_held;
static struct lock_class_key shim_mutex_key;

void lockdep_init_map(struct lockdep_map *m, const char *name,
		      struct lock_class_key *key, int subclass)
{
	(void)subclass;
	m->name = name;
	m->key = key;
}

static int shim_class(const struct lockdep_map *m)
{
	int i;

	for (i = 0; i < SHIM_MAX_CLASSES && shim_classes[i]; i++)
		if (shim_classes[i] == m->key)
			return i;
	if (WARN_ON(i == SHIM_MAX_CLASSES))
		return 0;
	shim_classes[i] = m->key;
	shim_class_names[i] = m->name;
	return i;
}

void shim_lock_acquire(struct lockdep_map *m, int trylock)
{
	int i, c;

	if (WARN_ON(!m->key))	/* map used before lockdep_init_map() */
		return;
	pthread_mutex_lock(&shim_lockdep_lock);
	c = shim_class(m);
	for (i = 0; i < shim_nr_held; i++) {
		int h = shim_class(shim_held[i]);

		if (h == c && !trylock) {
			fprintf(stderr, "lockdep: recursive %s\n", m->name);
			WARN_ON(1);
		} else if (h != c) {
			if (shim_order[c][h] && !trylock) {
				fprintf(stderr, "lockdep: %s -> %s inverts %s -> %s\n",
					shim_class_names[h], shim_class_names[c],
					shim_class_names[c], shim_class_names[h]);
				WARN_ON(1);
			}
			shim_order[h][c] = 1;
		}
	}
	pthread_mutex_unlock(&shim_lockdep_lock);
	if (!WARN_ON(shim_nr_held == SHIM_MAX_HELD))
		shim_held[shim_nr_held++] = m;
}

void shim_lock_release(struct lockdep_map *m)
{
	int i;

	for (i = shim_nr_held - 1; i >= 0; i--) {
		if (shim_held[i] == m) {
			memmove(&shim_held[i], &shim_held[i + 1],
				(shim_nr_held - i - 1) * sizeof(shim_held[0]));
			shim_nr_held--;
			return;
		}
	}
	WARN_ON(1);	/* releasing a lock that is not held */
}

bool lock_is_held(const struct lockdep_map *m)
{
	int i;

	for (i = 0; i < shim_nr_held; i++)
		if (shim_held[i] == m)
			return true;
	return false;
}

int shim_locks_held(void)
{
	return shim_nr_held;
}

/* ---------------- bit spinlocks ---------------- */
void shim_bit_spin_lock(int nr, unsigned long *addr)
{
	unsigned long mask = 1UL << nr;
	long spins = 0;

	shim_preempt_disable();
	while (__atomic_fetch_or(addr, mask, __ATOMIC_ACQUIRE) & mask) {
		while (__atomic_load_n(addr, __ATOMIC_RELAXED) & mask) {
			sched_yield();
			if (++spins == 20000000L) {
				fprintf(stderr, "bit_spin_lock: stuck on %p bit %d\n",
					(void *)addr, nr);
				abort();
			}
		}
	}
}

bool shim_bit_spin_trylock(int nr, unsigned long *addr)
{
	unsigned long mask = 1UL << nr;

	shim_preempt_disable();
	if (__atomic_fetch_or(addr, mask, __ATOMIC_ACQUIRE) & mask) {
		shim_preempt_enable();
		return false;
	}
	return true;
}

void shim_bit_spin_unlock(int nr, unsigned long *addr)
{
	unsigned long mask = 1UL << nr;

	WARN_ON(!(__atomic_load_n(addr, __ATOMIC_RELAXED) & mask));
	__atomic_fetch_and(addr, ~mask, __ATOMIC_RELEASE);
	shim_preempt_enable();
}

/* ---------------- mutexes ---------------- */
void shim_mutex_init(struct mutex *m, const char *name)
{
	pthread_mutex_init(&m->m, NULL);
	lockdep_init_map(&m->dep_map, name, &shim_mutex_key, 0);
}

void mutex_lock(struct mutex *m)
{
	might_sleep();
	pthread_mutex_lock(&m->m);
	shim_lock_acquire(&m->dep_map, 0);
}

/* Never sleeps: fine in atomic context, as in the kernel. */
int mutex_trylock(struct mutex *m)
{
	if (pthread_mutex_trylock(&m->m))
		return 0;
	shim_lock_acquire(&m->dep_map, 1);
	return 1;
}

void mutex_unlock(struct mutex *m)
{
	shim_lock_release(&m->dep_map);
	pthread_mutex_unlock(&m->m);
}

/*
 * ---------------- RCU ----------------
 * Readers are counted under one mutex.  A callback queued by call_rcu()
 * runs at the first moment no reader at all is inside a read section
 * (checked when the last reader leaves, or at once if there is none):
 * every reader that could have seen the object has then finished.
 * Readers are also atomic context: sleeping inside one WARNs.
 */
static pthread_mutex_t shim_rcu_lock = PTHREAD_MUTEX_INITIALIZER;
static long shim_rcu_readers;
static struct rcu_head *shim_rcu_cbs;
static __thread int shim_rcu_nesting;
long shim_rcu_callbacks_run;

static void shim_rcu_run(struct rcu_head *list)
{
	while (list) {
		struct rcu_head *next = list->next;

		list->func(list);
		__atomic_add_fetch(&shim_rcu_callbacks_run, 1, __ATOMIC_RELAXED);
		list = next;
	}
}

void rcu_read_lock(void)
{
	shim_preempt_disable();
	if (shim_rcu_nesting++)
		return;
	pthread_mutex_lock(&shim_rcu_lock);
	shim_rcu_readers++;
	pthread_mutex_unlock(&shim_rcu_lock);
}

void rcu_read_unlock(void)
{
	struct rcu_head *list = NULL;

	shim_preempt_enable();
	if (WARN_ON(shim_rcu_nesting <= 0) || --shim_rcu_nesting)
		return;
	pthread_mutex_lock(&shim_rcu_lock);
	if (!--shim_rcu_readers) {
		list = shim_rcu_cbs;
		shim_rcu_cbs = NULL;
	}
	pthread_mutex_unlock(&shim_rcu_lock);
	shim_rcu_run(list);
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	struct rcu_head *list = NULL;

	head->func = func;
	pthread_mutex_lock(&shim_rcu_lock);
	head->next = shim_rcu_cbs;
	shim_rcu_cbs = head;
	if (!shim_rcu_readers) {
		list = shim_rcu_cbs;
		shim_rcu_cbs = NULL;
	}
	pthread_mutex_unlock(&shim_rcu_lock);
	shim_rcu_run(list);
}

void synchronize_rcu(void)
{
	might_sleep();
	for (;;) {
		long readers;

		pthread_mutex_lock(&shim_rcu_lock);
		readers = shim_rcu_readers;
		pthread_mutex_unlock(&shim_rcu_lock);
		if (!readers)
			return;
		sched_yield();
	}
}

void rcu_barrier(void)
{
	struct rcu_head *list;

	synchronize_rcu();
	pthread_mutex_lock(&shim_rcu_lock);
	list = shim_rcu_readers ? NULL : shim_rcu_cbs;
	if (list)
		shim_rcu_cbs = NULL;
	pthread_mutex_unlock(&shim_rcu_lock);
	shim_rcu_run(list);
}

long shim_rcu_pending(void)
{
	long n = 0;
	struct rcu_head *h;

	pthread_mutex_lock(&shim_rcu_lock);
	for (h = shim_rcu_cbs; h; h = h->next)
		n++;
	pthread_mutex_unlock(&shim_rcu_lock);
	return n;
}

/*
 * ---------------- zsmalloc ----------------
 * Every object is its own exact-size allocation (so ASan sees overruns).
 * Handles are the negated address of a small handle record, which makes
 * them look like kernel addresses (bits 63..47 set) and so exercises the
 * descriptor's sign extension.  The API is the newest kernel's, the
 * strictest: reads say how many bytes they map (never past the object),
 * and objects that "span pages" (every other handle, unless a whole page;
 * see shim_zs_span) are copied to the caller's buffer.  Mappings do not
 * nest.  The zs-nolen flavour (no VSWAP_ZS_READ_LEN) has the API before
 * that: a read maps the whole object, and one that spans pages is copied
 * whole, rounded up to its size class, to the caller's buffer (which the
 * kernel sizes PAGE_SIZE).
 *
 * Handle records are freed at once (ASan sees a use after free), unless
 * shim_zs_reuse: then a pool keeps freed records and hands the last one
 * out again, as zsmalloc's handle cache does (a freed handle comes back
 * with the next allocation: the migration engine's ABA).
 *
 * A zs_malloc() that may wait for reclaim (a blocking gfp) while the
 * caller holds a lock (the RAM tier's stream mutex) WARNs: reclaim may
 * swap through vswap and need that very lock (the 6.12 reclaim deadlock).
 */
#define ZS_MAX_ALLOC_SIZE	PAGE_SIZE
#define SHIM_ZS_MAGIC		0x2a5f00d5u
#define SHIM_HUGE_CLASS_SIZE	3264	/* 6.1 with 4 KiB pages */
#define SHIM_ZS_CLASS_DELTA	(PAGE_SIZE >> 8)	/* ZS_SIZE_CLASS_DELTA */

struct shim_zs_obj;

struct zs_pool {
	const char *name;
	long objs;
	long bytes;
	struct shim_zs_obj *free_handles;	/* shim_zs_reuse, LIFO */
};

struct shim_zs_obj {
	u32 magic;
	u32 size;
	struct zs_pool *pool;
	void *data;
};

static __thread unsigned long shim_zs_mapped;
size_t shim_zs_huge_class = SHIM_HUGE_CLASS_SIZE;
int shim_zs_span;		/* 0: every other handle, 1: all, -1: none */
int shim_zs_reuse;		/* hand freed handles out again */
long shim_zs_span_reads;	/* reads copied to the caller's buffer */
long shim_zs_mallocs;		/* zs_malloc() calls */
gfp_t shim_zs_last_gfp;		/* the last zs_malloc()'s gfp */

static struct shim_zs_obj *zs_obj(struct zs_pool *pool, unsigned long handle)
{
	struct shim_zs_obj *o = (struct shim_zs_obj *)(-(long)handle);

	if (WARN_ON(!handle || IS_ERR_VALUE(handle) || (handle & 7)) ||
	    WARN_ON(o->magic != SHIM_ZS_MAGIC || o->pool != pool)) {
		fprintf(stderr, "zsmalloc: bad handle %#lx\n", handle);
		abort();
	}
	return o;
}

struct zs_pool *zs_create_pool(const char *name)
{
	struct zs_pool *pool = shim_alloc(sizeof(*pool), 0,
					  GFP_KERNEL | __GFP_ZERO, "zs_pool");

	if (pool)
		pool->name = name;
	return pool;
}

void zs_destroy_pool(struct zs_pool *pool)
{
	/* Every object must have been freed by the tier. */
	WARN_ON(pool->objs || pool->bytes);
	while (pool->free_handles) {
		struct shim_zs_obj *o = pool->free_handles;

		pool->free_handles = o->data;
		shim_free(o);
	}
	shim_free(pool);
}

unsigned long zs_malloc(struct zs_pool *pool, size_t size, gfp_t gfp,
			const int nid)
{
	struct shim_zs_obj *o;

	(void)nid;
	__atomic_add_fetch(&shim_zs_mallocs, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&shim_zs_last_gfp, gfp, __ATOMIC_RELAXED);
	if (gfpflags_allow_blocking(gfp) && shim_locks_held()) {
		static long reported;

		if (__atomic_add_fetch(&reported, 1, __ATOMIC_RELAXED) <= 3)
			fprintf(stderr, "zsmalloc: zs_malloc() may wait for "
				"reclaim with %d lock(s) held (gfp %#x)\n",
				shim_locks_held(), gfp);
		WARN_ON(1);
	}
	if (!size || size > ZS_MAX_ALLOC_SIZE)
		return (unsigned long)ERR_PTR(-EINVAL);
	if (shim_zs_reuse && pool->free_handles) {
		o = pool->free_handles;		/* the last one freed */
		pool->free_handles = o->data;
	} else {
		o = shim_alloc(sizeof(*o), 0, gfp, "zs_handle");
		if (!o)
			return (unsigned long)ERR_PTR(-ENOMEM);
	}
	o->data = shim_alloc(size, 0, gfp, "zs_object");
	if (!o->data) {
		o->magic = 0;
		if (shim_zs_reuse) {
			o->data = pool->free_handles;
			pool->free_handles = o;
		} else {
			shim_free(o);
		}
		return (unsigned long)ERR_PTR(-ENOMEM);
	}
	o->magic = SHIM_ZS_MAGIC;
	o->size = size;
	o->pool = pool;
	__atomic_add_fetch(&pool->objs, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&pool->bytes, size, __ATOMIC_RELAXED);
	return (unsigned long)(-(long)o);
}

void zs_free(struct zs_pool *pool, unsigned long handle)
{
	struct shim_zs_obj *o;

	if (!handle)
		return;
	o = zs_obj(pool, handle);
	WARN_ON(shim_zs_mapped == handle);
	__atomic_sub_fetch(&pool->objs, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&pool->bytes, o->size, __ATOMIC_RELAXED);
	o->magic = 0;
	shim_free(o->data);
	if (shim_zs_reuse) {
		o->data = pool->free_handles;
		pool->free_handles = o;
	} else {
		shim_free(o);
	}
}

static bool shim_zs_spans(struct shim_zs_obj *o, unsigned long handle)
{
	if (o->size >= PAGE_SIZE || shim_zs_span < 0)
		return false;
	return shim_zs_span > 0 || ((handle >> 4) & 1);
}

#ifndef VSWAP_ZS_READ_LEN
void *zs_obj_read_begin(struct zs_pool *pool, unsigned long handle,
			void *local_copy)
{
	struct shim_zs_obj *o = zs_obj(pool, handle);
	size_t class_size;

	WARN_ON(shim_zs_mapped);	/* mappings do not nest */
	shim_zs_mapped = handle;
	shim_preempt_disable();
	if (!shim_zs_spans(o, handle))
		return o->data;
	if (WARN_ON(!local_copy))
		abort();
	__atomic_add_fetch(&shim_zs_span_reads, 1, __ATOMIC_RELAXED);
	/*
	 * The whole object, and the rest of its size class: zsmalloc
	 * copies class->size bytes from the two pages (what follows the
	 * object there is the next object's or padding).
	 */
	class_size = DIV_ROUND_UP(o->size, SHIM_ZS_CLASS_DELTA) *
		     SHIM_ZS_CLASS_DELTA;
	if (class_size > PAGE_SIZE)
		class_size = PAGE_SIZE;
	memcpy(local_copy, o->data, o->size);
	memset((char *)local_copy + o->size, 0x5a, class_size - o->size);
	return local_copy;
}

void zs_obj_read_end(struct zs_pool *pool, unsigned long handle,
		     void *handle_mem)
{
	struct shim_zs_obj *o = zs_obj(pool, handle);

	WARN_ON(shim_zs_mapped != handle);
	WARN_ON(handle_mem != o->data && !shim_zs_spans(o, handle));
	shim_zs_mapped = 0;
	shim_preempt_enable();
}
#else
void *zs_obj_read_begin(struct zs_pool *pool, unsigned long handle,
			size_t mem_len, void *local_copy)
{
	struct shim_zs_obj *o = zs_obj(pool, handle);

	WARN_ON(shim_zs_mapped);	/* mappings do not nest */
	if (WARN_ON(!mem_len || mem_len > o->size)) {
		fprintf(stderr, "zsmalloc: read of %zu bytes, object has %u\n",
			mem_len, o->size);
		abort();
	}
	shim_zs_mapped = handle;
	shim_preempt_disable();
	if (!shim_zs_spans(o, handle))
		return o->data;
	if (WARN_ON(!local_copy))
		abort();
	__atomic_add_fetch(&shim_zs_span_reads, 1, __ATOMIC_RELAXED);
	memcpy(local_copy, o->data, mem_len);
	return local_copy;
}

void zs_obj_read_end(struct zs_pool *pool, unsigned long handle,
		     size_t mem_len, void *handle_mem)
{
	struct shim_zs_obj *o = zs_obj(pool, handle);

	WARN_ON(shim_zs_mapped != handle);
	WARN_ON(mem_len > o->size);
	WARN_ON(handle_mem != o->data && !shim_zs_spans(o, handle));
	shim_zs_mapped = 0;
	shim_preempt_enable();
}
#endif

void zs_obj_write(struct zs_pool *pool, unsigned long handle,
		  void *handle_mem, size_t mem_len)
{
	struct shim_zs_obj *o = zs_obj(pool, handle);

	if (WARN_ON(mem_len > o->size))
		abort();
	memcpy(o->data, handle_mem, mem_len);
}

unsigned long zs_get_total_pages(struct zs_pool *pool)
{
	return DIV_ROUND_UP((unsigned long)__atomic_load_n(&pool->bytes,
						__ATOMIC_RELAXED), PAGE_SIZE);
}

size_t zs_huge_class_size(struct zs_pool *pool)
{
	(void)pool;
	return shim_zs_huge_class;
}

long shim_zs_objects(struct zs_pool *pool)
{
	return pool->objs;
}

/* ---------------- lz4 ---------------- */
/* liblz4 refuses (NULL-derefs) a misaligned state, as the kernel's would misbehave. */
static bool shim_wrkmem_ok(const void *wrkmem)
{
	return !WARN_ON(!wrkmem || ((unsigned long)wrkmem & 7));
}

int shim_force_compress_fail;

int shim_lz4_compress_fast(const char *src, char *dst, int src_len,
			   int dst_cap, int accel, void *wrkmem)
{
	if (!shim_wrkmem_ok(wrkmem) || shim_force_compress_fail)
		return 0;
	return LZ4_compress_fast_extState(wrkmem, src, dst, src_len, dst_cap,
					  accel);
}

int shim_lz4_compress_hc(const char *src, char *dst, int src_len,
			 int dst_cap, int level, void *wrkmem)
{
	if (!shim_wrkmem_ok(wrkmem) || shim_force_compress_fail)
		return 0;
	return LZ4_compress_HC_extStateHC(wrkmem, src, dst, src_len, dst_cap,
					  level);
}

int shim_lz4_decompress_safe(const char *src, char *dst, int src_len,
			     int dst_cap)
{
	return (LZ4_decompress_safe)(src, dst, src_len, dst_cap);
}

/* ---------------- zstd ---------------- */
zstd_parameters zstd_get_params(int level, unsigned long long src_size)
{
	return ZSTD_getParams(level, src_size, 0);
}

size_t zstd_cctx_workspace_bound(const zstd_compression_parameters *cparams)
{
	return ZSTD_estimateCCtxSize_usingCParams(*cparams);
}

zstd_cctx *zstd_init_cctx(void *workspace, size_t size)
{
	if (!workspace)
		return NULL;
	return ZSTD_initStaticCCtx(workspace, size);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
size_t zstd_compress_cctx(zstd_cctx *cctx, void *dst, size_t dst_cap,
			  const void *src, size_t src_size,
			  const zstd_parameters *params)
{
	if (shim_force_compress_fail)
		return (size_t)-ZSTD_error_dstSize_tooSmall;
	return ZSTD_compress_advanced(cctx, dst, dst_cap, src, src_size,
				      NULL, 0, *params);
}
#pragma GCC diagnostic pop

size_t zstd_dctx_workspace_bound(void)
{
	return ZSTD_estimateDCtxSize();
}

zstd_dctx *zstd_init_dctx(void *workspace, size_t size)
{
	if (!workspace)
		return NULL;
	return ZSTD_initStaticDCtx(workspace, size);
}

size_t zstd_decompress_dctx(zstd_dctx *dctx, void *dst, size_t dst_cap,
			    const void *src, size_t src_size)
{
	return ZSTD_decompressDCtx(dctx, dst, dst_cap, src, src_size);
}

unsigned int zstd_is_error(size_t code)
{
	return ZSTD_isError(code);
}

/* -------- userspace drivers/vswap/vswap_table_mem.c (no reserve) -------- */
struct shim_page_rcu {
	struct rcu_head rcu;
	unsigned long *page;
};

unsigned long *vswap_table_page_alloc(gfp_t gfp)
{
	return shim_alloc(PAGE_SIZE, PAGE_SIZE, gfp | __GFP_ZERO, "table_page");
}

void vswap_table_page_free(unsigned long *page)
{
	shim_free(page);
}

static void shim_page_free_cb(struct rcu_head *head)
{
	struct shim_page_rcu *p = container_of(head, struct shim_page_rcu, rcu);

	shim_free(p->page);
	free(p);
}

void vswap_table_page_free_rcu(unsigned long *page)
{
	/* The kernel uses struct page's rcu_head: this cannot fail either. */
	struct shim_page_rcu *p = malloc(sizeof(*p));

	if (!p)
		abort();
	p->page = page;
	call_rcu(&p->rcu, shim_page_free_cb);
}

int vswap_table_mem_init(void)
{
	return 0;
}

void vswap_table_mem_exit(void)
{
	rcu_barrier();
}

/*
 * vswap_fault.h: the module parameter fault_every, here the tests' own.
 * As in vswap_fault.c, one count of calls for all sites: the call that
 * makes it a multiple of vswap_fault_every fails.  Tests may set
 * shim_fault_calls to place the next failure; shim_fault_injected[] is
 * the module's fault_injected.
 */
unsigned int vswap_fault_every;
unsigned int shim_fault_calls;
long shim_fault_injected[VSWAP_FAULT_NR];

bool vswap_fault_hit(enum vswap_fault_site site)
{
	unsigned int every = READ_ONCE(vswap_fault_every);

	if (!every ||
	    __atomic_add_fetch(&shim_fault_calls, 1, __ATOMIC_SEQ_CST) % every)
		return false;
	__atomic_add_fetch(&shim_fault_injected[site], 1, __ATOMIC_SEQ_CST);
	return true;
}
