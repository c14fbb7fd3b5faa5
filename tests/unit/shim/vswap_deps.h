/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for drivers/vswap/vswap_deps.h.  Same include guard:
 * the unit-test build force-includes this file (-include), so when the
 * core later includes "vswap_deps.h" the guard is already defined and the
 * kernel headers are never seen.  Everything the core uses from the kernel
 * is mapped here onto libc, pthreads, liblz4 and libzstd; the stateful
 * parts (allocator, RCU, lockdep, zsmalloc) live in shim.c.
 */
#ifndef _VSWAP_DEPS_H
#define _VSWAP_DEPS_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lz4.h>
#include <lz4hc.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>

/* ---- types ---- */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef unsigned int gfp_t;

#define BITS_PER_LONG		64
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define U32_MAX			((u32)~0U)

/* ---- compiler ---- */
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define __acquires(x)
#define __releases(x)
#define __acquire(x)		((void)0)
#define __release(x)		((void)0)
#define __percpu
#define __aligned(x)		__attribute__((aligned(x)))
#define _RET_IP_		((unsigned long)__builtin_return_address(0))
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define BUILD_BUG_ON(c)		_Static_assert(!(c), "BUILD_BUG_ON(" #c ")")
#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
/* Like the kernel's: both sides of the same type, or -Werror stops the build. */
#define min(a, b) ({							\
	__typeof__(a) __min_a = (a);					\
	__typeof__(b) __min_b = (b);					\
									\
	(void)(&__min_a == &__min_b);					\
	__min_a < __min_b ? __min_a : __min_b;				\
})
#define struct_size(p, member, n) \
	(sizeof(*(p)) + sizeof(*(p)->member) * (size_t)(n))

/* ---- bits ---- */
#define BIT(n)			(1UL << (n))
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define __bf_shf(x)		(__builtin_ffsll(x) - 1)
#define FIELD_MAX(m)		((__typeof__(m))((m) >> __bf_shf(m)))
#define FIELD_PREP(m, v)	(((__typeof__(m))(v) << __bf_shf(m)) & (m))
#define FIELD_GET(m, r)		((__typeof__(m))(((r) & (m)) >> __bf_shf(m)))
#define hweight64(x)		__builtin_popcountll(x)
#define BITS_TO_LONGS(n)	DIV_ROUND_UP((n), BITS_PER_LONG)

/*
 * Bitmaps (non-atomic, like the kernel's bitmap_* and find_* helpers).
 * find_next_{,zero_}bit() return @size when there is no such bit at or
 * after @offset, including when @offset >= @size.
 */
static inline bool test_bit(unsigned long nr, const unsigned long *map)
{
	return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

/* Multi-threaded tests: yield in every Nth search to widen race windows. */
extern int shim_bitmap_yield;
void shim_yield_nth(int nth);

static inline unsigned long shim_find_next(const unsigned long *map,
					   unsigned long size,
					   unsigned long offset,
					   unsigned long invert)
{
	unsigned long found = size;

	while (offset < size) {
		unsigned long w = (map[offset / BITS_PER_LONG] ^ invert) >>
				  (offset % BITS_PER_LONG);

		if (w) {
			offset += __builtin_ctzl(w);
			found = offset < size ? offset : size;
			break;
		}
		offset = (offset / BITS_PER_LONG + 1) * BITS_PER_LONG;
	}
	/* Holding a result that another thread may be about to change. */
	if (unlikely(shim_bitmap_yield))
		shim_yield_nth(shim_bitmap_yield);
	return found;
}

#define find_next_bit(m, size, off)	 shim_find_next((m), (size), (off), 0)
#define find_next_zero_bit(m, size, off) shim_find_next((m), (size), (off), ~0UL)

static inline void bitmap_set(unsigned long *map, unsigned long start,
			      unsigned long nr)
{
	for (; nr; nr--, start++)
		map[start / BITS_PER_LONG] |= 1UL << (start % BITS_PER_LONG);
}

static inline void bitmap_clear(unsigned long *map, unsigned long start,
				unsigned long nr)
{
	for (; nr; nr--, start++)
		map[start / BITS_PER_LONG] &= ~(1UL << (start % BITS_PER_LONG));
}

/* ---- errors ---- */
#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		unlikely((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long e) { return (void *)e; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p) { return IS_ERR_VALUE(p); }
static inline bool IS_ERR_OR_NULL(const void *p) { return !p || IS_ERR(p); }

/* ---- WARN: counted, any WARN fails the running test ---- */
extern long shim_warnings;
void shim_warn(const char *file, int line, const char *cond);
#define WARN_ON(c) ({							\
	bool __c = !!(c);						\
									\
	if (unlikely(__c))						\
		shim_warn(__FILE__, __LINE__, #c);			\
	unlikely(__c);							\
})
#define WARN_ON_ONCE(c)		WARN_ON(c)
#define pr_err(...)		fprintf(stderr, __VA_ARGS__)
#define pr_warn(...)		fprintf(stderr, __VA_ARGS__)
#define pr_info(...)		((void)0)
#define pr_debug(...)		((void)0)

/* ---- might_sleep / atomic-context tracking ---- */
extern __thread int shim_atomic_depth;
void shim_preempt_disable(void);
void shim_preempt_enable(void);
unsigned int shim_this_cpu(void);
#define preempt_disable()	shim_preempt_disable()
/* A spinning waiter lets the holder (another thread) run. */
#define cpu_relax()		sched_yield()
#define preempt_enable()	shim_preempt_enable()
#define might_sleep()		WARN_ON(shim_atomic_depth > 0)

/* ---- gfp ---- */
#define __GFP_DIRECT_RECLAIM	0x01u
#define __GFP_IO		0x02u
#define __GFP_FS		0x04u
#define __GFP_NOWARN		0x08u
#define __GFP_HIGHMEM		0x10u
#define __GFP_MOVABLE		0x20u
#define __GFP_ZERO		0x40u
#define __GFP_HIGH		0x80u
#define __GFP_NORETRY		0x100u
#define __GFP_NOMEMALLOC	0x200u
#define GFP_ATOMIC		(__GFP_HIGH)
#define GFP_NOWAIT		0u
#define GFP_NOIO		(__GFP_DIRECT_RECLAIM)
#define GFP_NOFS		(__GFP_DIRECT_RECLAIM | __GFP_IO)
#define GFP_KERNEL		(__GFP_DIRECT_RECLAIM | __GFP_IO | __GFP_FS)
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

/* ---- allocator: counted and failing on purpose (shim.c) ---- */
void *shim_alloc(size_t size, size_t align, gfp_t gfp, const char *what);
void shim_free(const void *p);
#define kmalloc(s, g)		shim_alloc((s), 0, (g), "kmalloc")
#define kzalloc(s, g)		shim_alloc((s), 0, (g) | __GFP_ZERO, "kzalloc")
#define kcalloc(n, s, g)	shim_alloc((size_t)(n) * (s), 0, (g) | __GFP_ZERO, "kcalloc")
#define kvmalloc(s, g)		shim_alloc((s), 0, (g), "kvmalloc")
#define kvzalloc(s, g)		shim_alloc((s), 0, (g) | __GFP_ZERO, "kvzalloc")
#define kvcalloc(n, s, g)	shim_alloc((size_t)(n) * (s), 0, (g) | __GFP_ZERO, "kvcalloc")
#define vmalloc(s)		shim_alloc((s), 0, GFP_KERNEL, "vmalloc")
#define vzalloc(s)		shim_alloc((s), 0, GFP_KERNEL | __GFP_ZERO, "vzalloc")
#define kfree(p)		shim_free(p)
#define kvfree(p)		shim_free(p)
#define vfree(p)		shim_free(p)

/* ---- strings ---- */
static inline void *memset32(u32 *s, u32 v, size_t n)
{
	u32 *p = s;

	while (n--)
		*p++ = v;
	return s;
}

static inline bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}

/* ---- atomics ---- */
typedef struct { long counter; } atomic_long_t;
typedef struct { s64 counter; } atomic64_t;
typedef struct { int counter; } atomic_t;
#define __shim_atomic_ops(pfx, type, vt)					\
static inline vt pfx##_read(const type *v)					\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }			\
static inline void pfx##_set(type *v, vt i)					\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline void pfx##_add(vt i, type *v)					\
{ __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline void pfx##_sub(vt i, type *v)					\
{ __atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline void pfx##_inc(type *v) { pfx##_add(1, v); }			\
static inline void pfx##_dec(type *v) { pfx##_sub(1, v); }			\
static inline vt pfx##_add_return(vt i, type *v)				\
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }		\
static inline vt pfx##_inc_return(type *v) { return pfx##_add_return(1, v); } \
static inline vt pfx##_dec_return(type *v) { return pfx##_add_return(-1, v); }
__shim_atomic_ops(atomic, atomic_t, int)
__shim_atomic_ops(atomic_long, atomic_long_t, long)
__shim_atomic_ops(atomic64, atomic64_t, s64)

/* ---- lockdep-lite (shim.c): per-thread held maps, order checks ---- */
struct lock_class_key { char dummy; };
struct lockdep_map {
	const char *name;
	const struct lock_class_key *key;
};
void lockdep_init_map(struct lockdep_map *m, const char *name,
		      struct lock_class_key *key, int subclass);
void shim_lock_acquire(struct lockdep_map *m, int trylock);
void shim_lock_release(struct lockdep_map *m);
bool lock_is_held(const struct lockdep_map *m);
#define lock_acquire_exclusive(m, sub, try, nest, ip) shim_lock_acquire((m), (try))
#define lock_map_acquire(m)	shim_lock_acquire((m), 0)
#define lock_map_release(m)	shim_lock_release(m)
#define lockdep_assert(c)	WARN_ON(!(c))
#define lockdep_assert_held(l)	lockdep_assert(lock_is_held(&(l)->dep_map))

/* ---- bit spinlocks (atomic context) ---- */
void shim_bit_spin_lock(int nr, unsigned long *addr);
bool shim_bit_spin_trylock(int nr, unsigned long *addr);
void shim_bit_spin_unlock(int nr, unsigned long *addr);
#define bit_spin_lock(nr, a)	shim_bit_spin_lock((nr), (a))
#define bit_spin_trylock(nr, a)	shim_bit_spin_trylock((nr), (a))
#define bit_spin_unlock(nr, a)	shim_bit_spin_unlock((nr), (a))

/* ---- mutexes (may sleep) ---- */
struct mutex {
	pthread_mutex_t m;
	struct lockdep_map dep_map;
};
void shim_mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
int mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
#define mutex_init(m)		shim_mutex_init((m), #m)
#define mutex_destroy(m)	((void)0)

/* ---- spinlocks ---- */
typedef struct {
	pthread_mutex_t m;
} spinlock_t;
#define spin_lock_init(l)	pthread_mutex_init(&(l)->m, NULL)
#define spin_lock(l)		(shim_preempt_disable(), pthread_mutex_lock(&(l)->m))
#define spin_unlock(l)		(pthread_mutex_unlock(&(l)->m), shim_preempt_enable())

/* ---- RCU (shim.c): read sections counted, callbacks deferred ---- */
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};
void rcu_read_lock(void);
void rcu_read_unlock(void);
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));
void synchronize_rcu(void);
void rcu_barrier(void);

/*
 * ---- per-CPU: SHIM_NR_CPUS emulated CPUs ----
 * shim_cpu is the thread's CPU while preemptible (raw_cpu_ptr); in atomic
 * context the thread owns that CPU exclusively (see shim.c) and
 * this_cpu_ptr() WARNs if used preemptible, like CONFIG_DEBUG_PREEMPT.
 */
#define SHIM_NR_CPUS		4
extern __thread unsigned int shim_cpu;
void *shim_alloc_percpu(size_t size, size_t align);
#define alloc_percpu(type) \
	((type *)shim_alloc_percpu(sizeof(type), __alignof__(type)))
#define free_percpu(p)		shim_free(p)
#define per_cpu_ptr(p, cpu)	(&(p)[(cpu)])
#define raw_cpu_ptr(p)		per_cpu_ptr(p, shim_cpu)
#define this_cpu_ptr(p)		per_cpu_ptr(p, shim_this_cpu())
#define for_each_possible_cpu(c) for ((c) = 0; (c) < SHIM_NR_CPUS; (c)++)
#define smp_processor_id()	shim_this_cpu()

/*
 * ---- zsmalloc (shim.c, malloc-backed) ----
 * The zs_obj_* API (VSWAP_ZS_OBJ_API, VSWAP_ZS_MALLOC_NID), as the
 * kernel's VSWAP_ZS_* probes describe it, under the real
 * drivers/vswap/vswap_compat_zs.h: with VSWAP_ZS_READ_LEN the newest
 * kernel's, without it (the zs-nolen flavour) the one between 6.12 and
 * it: reads take no length and copy the whole object when it spans pages.
 */
#define NUMA_NO_NODE		(-1)
struct zs_pool;
struct zs_pool *zs_create_pool(const char *name);
void zs_destroy_pool(struct zs_pool *pool);
unsigned long zs_malloc(struct zs_pool *pool, size_t size, gfp_t gfp,
			const int nid);
void zs_free(struct zs_pool *pool, unsigned long handle);
#ifndef VSWAP_ZS_READ_LEN
void *zs_obj_read_begin(struct zs_pool *pool, unsigned long handle,
			void *local_copy);
void zs_obj_read_end(struct zs_pool *pool, unsigned long handle,
		     void *handle_mem);
#else
void *zs_obj_read_begin(struct zs_pool *pool, unsigned long handle,
			size_t mem_len, void *local_copy);
void zs_obj_read_end(struct zs_pool *pool, unsigned long handle,
		     size_t mem_len, void *handle_mem);
#endif
void zs_obj_write(struct zs_pool *pool, unsigned long handle,
		  void *handle_mem, size_t mem_len);
unsigned long zs_get_total_pages(struct zs_pool *pool);
size_t zs_huge_class_size(struct zs_pool *pool);

/* ---- lz4: kernel API (explicit wrkmem) on liblz4's extState calls ---- */
#define LZ4_MEM_COMPRESS	((size_t)LZ4_sizeofState())
#define LZ4HC_MEM_COMPRESS	((size_t)LZ4_sizeofStateHC())
#define LZ4HC_MIN_CLEVEL	3
#define LZ4HC_DEFAULT_CLEVEL	9
#define LZ4HC_MAX_CLEVEL	16	/* kernel value; liblz4 clamps to 12 */
int shim_lz4_compress_fast(const char *src, char *dst, int src_len,
			   int dst_cap, int accel, void *wrkmem);
int shim_lz4_compress_hc(const char *src, char *dst, int src_len,
			 int dst_cap, int level, void *wrkmem);
int shim_lz4_decompress_safe(const char *src, char *dst, int src_len,
			     int dst_cap);
#define LZ4_compress_fast(s, d, n, c, a, w) \
	shim_lz4_compress_fast((const char *)(s), (char *)(d), n, c, a, w)
#define LZ4_compress_HC(s, d, n, c, l, w) \
	shim_lz4_compress_hc((const char *)(s), (char *)(d), n, c, l, w)
#define LZ4_decompress_safe(s, d, n, c) \
	shim_lz4_decompress_safe((const char *)(s), (char *)(d), n, c)

/* ---- zstd: kernel API (include/linux/zstd.h, 6.1) on libzstd ---- */
typedef ZSTD_CCtx zstd_cctx;
typedef ZSTD_DCtx zstd_dctx;
typedef ZSTD_parameters zstd_parameters;
typedef ZSTD_compressionParameters zstd_compression_parameters;
zstd_parameters zstd_get_params(int level, unsigned long long src_size);
size_t zstd_cctx_workspace_bound(const zstd_compression_parameters *cparams);
zstd_cctx *zstd_init_cctx(void *workspace, size_t size);
size_t zstd_compress_cctx(zstd_cctx *cctx, void *dst, size_t dst_cap,
			  const void *src, size_t src_size,
			  const zstd_parameters *params);
size_t zstd_dctx_workspace_bound(void);
zstd_dctx *zstd_init_dctx(void *workspace, size_t size);
size_t zstd_decompress_dctx(zstd_dctx *dctx, void *dst, size_t dst_cap,
			    const void *src, size_t src_size);
unsigned int zstd_is_error(size_t code);

#endif /* _VSWAP_DEPS_H */
