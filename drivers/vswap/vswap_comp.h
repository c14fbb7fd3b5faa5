/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compression backends and per-CPU streams.
 *
 * Each algorithm is one const struct vswap_backend in its own file,
 * calling the kernel's lz4/zstd libraries directly.  A stream holds the
 * compression context and output buffer of one CPU under a mutex, so the
 * store path may sleep (zs_malloc with GFP_NOIO) while holding it; a task
 * that migrates simply shares the previous CPU's stream.  Decompression
 * contexts are separate and used with preemption disabled (under the slot
 * bit lock), so reads never take the mutex.
 */
#ifndef _VSWAP_COMP_H
#define _VSWAP_COMP_H

#include "vswap_deps.h"

struct vswap_backend {
	const char *name;
	int min_level;
	int max_level;
	int default_level;
	/* Contexts: ERR_PTR on failure; dctx hooks are optional. */
	void *(*create_cctx)(int level);
	void (*destroy_cctx)(void *cctx);
	void *(*create_dctx)(void);
	void (*destroy_dctx)(void *dctx);
	/*
	 * Compress one page into @dst of capacity *@dst_len; sets *@dst_len.
	 * Returns -E2BIG when the output does not fit.
	 */
	int (*compress)(void *cctx, const void *src, void *dst,
			unsigned int *dst_len);
	/* Decompress into one page; -EINVAL unless exactly PAGE_SIZE results. */
	int (*decompress)(void *dctx, const void *src, unsigned int src_len,
			  void *dst);
};

extern const struct vswap_backend vswap_backend_lz4;
extern const struct vswap_backend vswap_backend_lz4hc;
extern const struct vswap_backend vswap_backend_zstd;

struct vswap_stream {
	struct mutex lock;	/* serializes users of cctx and buffer */
	void *cctx;
	void *buffer;		/* compression output, PAGE_SIZE */
	void *dctx;		/* used with preemption disabled */
};

struct vswap_comp {
	const struct vswap_backend *backend;
	int level;
	struct vswap_stream __percpu *streams;
};

const struct vswap_backend *vswap_backend_find(const char *name);
int vswap_backend_check_level(const struct vswap_backend *be, int level);
int vswap_comp_init(struct vswap_comp *comp, const char *name, int level);
void vswap_comp_destroy(struct vswap_comp *comp);
struct vswap_stream *vswap_stream_get(struct vswap_comp *comp);
struct vswap_stream *vswap_stream_tryget(struct vswap_comp *comp);
void vswap_stream_put(struct vswap_stream *strm);
int vswap_decompress(struct vswap_comp *comp, const void *src,
		     unsigned int src_len, void *dst);

#endif /* _VSWAP_COMP_H */
