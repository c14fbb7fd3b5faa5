/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for drivers/vswap/vswap_compat.h (same include
 * guard, force-included first): only what the core uses, zsmalloc's object
 * access, in the kernel header's branches for the zs_obj_* API (a copy
 * buffer for objects spanning pages).  By default the newest kernel's
 * (VSWAP_ZS_READ_LEN: reads by exact length); with -DSHIM_ZS_NO_READ_LEN
 * (the zs-nolen flavour of the build) the one before it, where a read
 * takes no length and copies the whole object.  The zs_map_object()
 * branch is the older kernels', exercised by the VM tests.
 */
#ifndef _VSWAP_COMPAT_H
#define _VSWAP_COMPAT_H

#define VSWAP_ZS_NEEDS_COPY	true
#define vswap_zs_malloc(pool, size, gfp)	zs_malloc(pool, size, gfp, NUMA_NO_NODE)

#ifndef SHIM_ZS_NO_READ_LEN
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
	(void)len;	/* the whole object is mapped */
	return zs_obj_read_begin(pool, handle, copy);
}

static inline void vswap_zs_read_end(struct zs_pool *pool,
				     unsigned long handle, size_t len,
				     const void *mem)
{
	(void)len;
	zs_obj_read_end(pool, handle, (void *)mem);
}
#endif

static inline void vswap_zs_write(struct zs_pool *pool, unsigned long handle,
				  const void *buf, size_t len)
{
	zs_obj_write(pool, handle, (void *)buf, len);
}

#endif /* _VSWAP_COMPAT_H */
