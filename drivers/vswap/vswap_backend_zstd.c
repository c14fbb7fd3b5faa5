// SPDX-License-Identifier: GPL-2.0
/*
 * zstd backend.  Parameters are tuned for one-page inputs, which keeps
 * the per-CPU workspaces small.
 */
#include "vswap_comp.h"

#define VSWAP_ZSTD_DEFAULT_LEVEL	3

struct vswap_zstd_cctx {
	zstd_cctx *cctx;
	zstd_parameters params;
	void *workspace;
};

struct vswap_zstd_dctx {
	zstd_dctx *dctx;
	void *workspace;
};

static void zstd_destroy_cctx(void *p)
{
	struct vswap_zstd_cctx *ctx = p;

	kvfree(ctx->workspace);
	kfree(ctx);
}

static void *zstd_create_cctx(int level)
{
	struct vswap_zstd_cctx *ctx;
	size_t size;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->params = zstd_get_params(level, PAGE_SIZE);
	size = zstd_cctx_workspace_bound(&ctx->params.cParams);
	ctx->workspace = kvzalloc(size, GFP_KERNEL);
	if (!ctx->workspace)
		goto out_free;
	ctx->cctx = zstd_init_cctx(ctx->workspace, size);
	if (!ctx->cctx)
		goto out_free;
	return ctx;

out_free:
	zstd_destroy_cctx(ctx);
	return ERR_PTR(-ENOMEM);
}

static void zstd_destroy_dctx(void *p)
{
	struct vswap_zstd_dctx *ctx = p;

	kvfree(ctx->workspace);
	kfree(ctx);
}

static void *zstd_create_dctx(void)
{
	struct vswap_zstd_dctx *ctx;
	size_t size = zstd_dctx_workspace_bound();

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->workspace = kvzalloc(size, GFP_KERNEL);
	if (!ctx->workspace)
		goto out_free;
	ctx->dctx = zstd_init_dctx(ctx->workspace, size);
	if (!ctx->dctx)
		goto out_free;
	return ctx;

out_free:
	zstd_destroy_dctx(ctx);
	return ERR_PTR(-ENOMEM);
}

static int zstd_compress(void *cctx, const void *src, void *dst,
			 unsigned int *dst_len)
{
	struct vswap_zstd_cctx *ctx = cctx;
	size_t ret;

	ret = zstd_compress_cctx(ctx->cctx, dst, *dst_len, src, PAGE_SIZE,
				 &ctx->params);
	if (zstd_is_error(ret))
		return -E2BIG;
	*dst_len = ret;
	return 0;
}

static int zstd_decompress(void *dctx, const void *src, unsigned int src_len,
			   void *dst)
{
	struct vswap_zstd_dctx *ctx = dctx;
	size_t ret;

	ret = zstd_decompress_dctx(ctx->dctx, dst, PAGE_SIZE, src, src_len);
	return !zstd_is_error(ret) && ret == PAGE_SIZE ? 0 : -EINVAL;
}

const struct vswap_backend vswap_backend_zstd = {
	.name		= "zstd",
	.min_level	= 1,
	.max_level	= 22,
	.default_level	= VSWAP_ZSTD_DEFAULT_LEVEL,
	.create_cctx	= zstd_create_cctx,
	.destroy_cctx	= zstd_destroy_cctx,
	.create_dctx	= zstd_create_dctx,
	.destroy_dctx	= zstd_destroy_dctx,
	.compress	= zstd_compress,
	.decompress	= zstd_decompress,
};
