/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for drivers/vswap/vswap_compat.h (same include
 * guard, force-included first): only what the core uses, zsmalloc's object
 * access, in the kernel header's branch for the newest API (reads by
 * exact length, a copy buffer for objects spanning pages).  Its other
 * branches are the older kernels', exercised by the VM tests.
 */
#ifndef _VSWAP_COMPAT_H
#define _VSWAP_COMPAT_H

#define VSWAP_ZS_NEEDS_COPY	true
#define VSWAP_ZS_READ_NEEDS_LEN	true
#define vswap_zs_malloc(pool, size, gfp)	zs_malloc(pool, size, gfp, NUMA_NO_NODE)

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

static inline void vswap_zs_write(struct zs_pool *pool, unsigned long handle,
				  const void *buf, size_t len)
{
	zs_obj_write(pool, handle, (void *)buf, len);
}

#endif /* _VSWAP_COMPAT_H */
