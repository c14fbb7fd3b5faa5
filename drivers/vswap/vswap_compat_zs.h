/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zsmalloc's API differences between the kernels vswap builds against
 * (6.1, 6.12, newest), for the core (vswap_tier_ram.c): the part of the
 * compat layer (vswap_compat.h has the rest, and its style: vswap_*
 * wrappers) that the userspace unit tests build too.  It needs only
 * vswap_deps.h: the unit tests' stand-in for that (tests/unit/shim/)
 * provides zsmalloc's zs_obj_* API, and tests/unit/Makefile defines the
 * VSWAP_ZS_* probe results of the kernel each build flavour models.
 */
#ifndef _VSWAP_COMPAT_ZS_H
#define _VSWAP_COMPAT_ZS_H

#include "vswap_deps.h"

/*
 * After 6.12 zsmalloc replaced zs_map_object() with zs_obj_read_begin()/
 * _end() and zs_obj_write(); later still, reads take the number of bytes
 * to map, and zs_malloc() a NUMA node.  Debian ships no kernel in between
 * to pin these to releases, so Kbuild probes <linux/zsmalloc.h> for each:
 * VSWAP_ZS_OBJ_API, VSWAP_ZS_READ_LEN, VSWAP_ZS_MALLOC_NID.
 *
 * vswap_zs_read_begin() maps @len bytes of an object (where zsmalloc takes
 * no length: all of it), copying them to @copy (PAGE_SIZE, needed only if
 * VSWAP_ZS_NEEDS_COPY) when the object spans two pages.
 * VSWAP_ZS_READ_NEEDS_LEN says @len must be exact, not just an upper bound.
 */
#ifdef VSWAP_ZS_MALLOC_NID
#define vswap_zs_malloc(pool, size, gfp)	zs_malloc(pool, size, gfp, NUMA_NO_NODE)
#else
#define vswap_zs_malloc(pool, size, gfp)	zs_malloc(pool, size, gfp)
#endif

#ifdef VSWAP_ZS_OBJ_API
#define VSWAP_ZS_NEEDS_COPY	true
#ifdef VSWAP_ZS_READ_LEN
#define VSWAP_ZS_READ_NEEDS_LEN	true

static inline const void *vswap_zs_read_begin(struct zs_pool *pool,
					      unsigned long handle,
					      size_t len, void *copy)
{
	return zs_obj_read_begin(pool, handle, len, copy);
}

static inline void vswap_zs_read_end(struct zs_pool *pool,
				     unsigned long handle, size_t len,
				     const void *mem)
{
	zs_obj_read_end(pool, handle, len, (void *)mem);
}
#else
#define VSWAP_ZS_READ_NEEDS_LEN	false

static inline const void *vswap_zs_read_begin(struct zs_pool *pool,
					      unsigned long handle,
					      size_t len, void *copy)
{
	return zs_obj_read_begin(pool, handle, copy);
}

static inline void vswap_zs_read_end(struct zs_pool *pool,
				     unsigned long handle, size_t len,
				     const void *mem)
{
	zs_obj_read_end(pool, handle, (void *)mem);
}
#endif

static inline void vswap_zs_write(struct zs_pool *pool, unsigned long handle,
				  const void *buf, size_t len)
{
	zs_obj_write(pool, handle, (void *)buf, len);
}
#else
#define VSWAP_ZS_NEEDS_COPY	false
#define VSWAP_ZS_READ_NEEDS_LEN	false

static inline const void *vswap_zs_read_begin(struct zs_pool *pool,
					      unsigned long handle,
					      size_t len, void *copy)
{
	return zs_map_object(pool, handle, ZS_MM_RO);
}

static inline void vswap_zs_read_end(struct zs_pool *pool,
				     unsigned long handle, size_t len,
				     const void *mem)
{
	zs_unmap_object(pool, handle);
}

static inline void vswap_zs_write(struct zs_pool *pool, unsigned long handle,
				  const void *buf, size_t len)
{
	memcpy(zs_map_object(pool, handle, ZS_MM_WO), buf, len);
	zs_unmap_object(pool, handle);
}
#endif

#endif /* _VSWAP_COMPAT_ZS_H */
