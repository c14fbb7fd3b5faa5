// SPDX-License-Identifier: GPL-2.0
/*
 * lz4 and lz4hc backends.  For lz4 the level is the acceleration factor
 * (1 = LZ4_compress_default); lz4hc levels are LZ4HC's.  Both decompress
 * with LZ4_decompress_safe(), which needs no context.
 */
#include "vswap_comp.h"

#define VSWAP_LZ4_MAX_ACCEL	64

struct vswap_lz4_ctx {
	int level;
	u8 wrkmem[] __aligned(sizeof(long));	/* LZ4 state holds pointers */
};

static void *lz4_create(int level, size_t wrkmem)
{
	struct vswap_lz4_ctx *ctx;

	ctx = kvmalloc(struct_size(ctx, wrkmem, wrkmem), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->level = level;
	return ctx;
}

static void *lz4_create_cctx(int level)
{
	return lz4_create(level, LZ4_MEM_COMPRESS);
}

static void *lz4hc_create_cctx(int level)
{
	return lz4_create(level, LZ4HC_MEM_COMPRESS);
}

static void lz4_destroy_cctx(void *cctx)
{
	kvfree(cctx);
}

static int lz4_compress(void *cctx, const void *src, void *dst,
			unsigned int *dst_len)
{
	struct vswap_lz4_ctx *ctx = cctx;
	int ret;

	ret = LZ4_compress_fast(src, dst, PAGE_SIZE, *dst_len, ctx->level,
				ctx->wrkmem);
	if (ret <= 0)
		return -E2BIG;
	*dst_len = ret;
	return 0;
}

static int lz4hc_compress(void *cctx, const void *src, void *dst,
			  unsigned int *dst_len)
{
	struct vswap_lz4_ctx *ctx = cctx;
	int ret;

	ret = LZ4_compress_HC(src, dst, PAGE_SIZE, *dst_len, ctx->level,
			      ctx->wrkmem);
	if (ret <= 0)
		return -E2BIG;
	*dst_len = ret;
	return 0;
}

static int lz4_decompress(void *dctx, const void *src, unsigned int src_len,
			  void *dst)
{
	int ret = LZ4_decompress_safe(src, dst, src_len, PAGE_SIZE);

	return ret == PAGE_SIZE ? 0 : -EINVAL;
}

const struct vswap_backend vswap_backend_lz4 = {
	.name		= "lz4",
	.min_level	= 1,
	.max_level	= VSWAP_LZ4_MAX_ACCEL,
	.default_level	= 1,
	.create_cctx	= lz4_create_cctx,
	.destroy_cctx	= lz4_destroy_cctx,
	.compress	= lz4_compress,
	.decompress	= lz4_decompress,
};

const struct vswap_backend vswap_backend_lz4hc = {
	.name		= "lz4hc",
	.min_level	= 1,
	.max_level	= LZ4HC_MAX_CLEVEL,
	.default_level	= LZ4HC_DEFAULT_CLEVEL,
	.create_cctx	= lz4hc_create_cctx,
	.destroy_cctx	= lz4_destroy_cctx,
	.compress	= lz4hc_compress,
	.decompress	= lz4_decompress,
};
