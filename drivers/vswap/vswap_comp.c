// SPDX-License-Identifier: GPL-2.0
/*
 * vswap compression: backend registry and per-CPU streams.
 */
#include "vswap_comp.h"

static const struct vswap_backend *const vswap_backends[] = {
	&vswap_backend_lz4,
	&vswap_backend_lz4hc,
	&vswap_backend_zstd,
};

const struct vswap_backend *vswap_backend_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vswap_backends); i++)
		if (sysfs_streq(name, vswap_backends[i]->name))
			return vswap_backends[i];
	return NULL;
}

/* Level 0 means the backend's default. */
int vswap_backend_check_level(const struct vswap_backend *be, int level)
{
	if (level == 0)
		return be->default_level;
	if (level < be->min_level || level > be->max_level)
		return -ERANGE;
	return level;
}

static void vswap_stream_destroy(struct vswap_comp *comp,
				 struct vswap_stream *strm)
{
	const struct vswap_backend *be = comp->backend;

	if (!IS_ERR_OR_NULL(strm->dctx))
		be->destroy_dctx(strm->dctx);
	if (!IS_ERR_OR_NULL(strm->cctx))
		be->destroy_cctx(strm->cctx);
	kfree(strm->buffer);
	strm->buffer = NULL;
	strm->cctx = NULL;
	strm->dctx = NULL;
}

static int vswap_stream_init(struct vswap_comp *comp,
			     struct vswap_stream *strm)
{
	const struct vswap_backend *be = comp->backend;

	mutex_init(&strm->lock);
	strm->buffer = kmalloc(PAGE_SIZE, GFP_KERNEL);
	strm->cctx = be->create_cctx(comp->level);
	strm->dctx = be->create_dctx ? be->create_dctx() : NULL;
	if (!strm->buffer || IS_ERR(strm->cctx) || IS_ERR(strm->dctx)) {
		vswap_stream_destroy(comp, strm);
		return -ENOMEM;
	}
	return 0;
}

int vswap_comp_init(struct vswap_comp *comp, const char *name, int level)
{
	unsigned int cpu;
	int ret;

	comp->backend = vswap_backend_find(name);
	if (!comp->backend)
		return -ENOENT;
	ret = vswap_backend_check_level(comp->backend, level);
	if (ret < 0)
		return ret;
	comp->level = ret;
	comp->streams = alloc_percpu(struct vswap_stream);
	if (!comp->streams)
		return -ENOMEM;
	/* Every possible CPU: no hotplug callbacks on the I/O path. */
	for_each_possible_cpu(cpu) {
		ret = vswap_stream_init(comp, per_cpu_ptr(comp->streams, cpu));
		if (ret)
			goto out_destroy;
	}
	return 0;

out_destroy:
	vswap_comp_destroy(comp);
	return ret;
}

void vswap_comp_destroy(struct vswap_comp *comp)
{
	unsigned int cpu;

	if (!comp->streams)
		return;
	for_each_possible_cpu(cpu)
		vswap_stream_destroy(comp, per_cpu_ptr(comp->streams, cpu));
	free_percpu(comp->streams);
	comp->streams = NULL;
}

struct vswap_stream *vswap_stream_get(struct vswap_comp *comp)
{
	struct vswap_stream *strm = raw_cpu_ptr(comp->streams);

	mutex_lock(&strm->lock);
	return strm;
}

/* Atomic callers: this CPU's stream if it is free, else NULL. */
struct vswap_stream *vswap_stream_tryget(struct vswap_comp *comp)
{
	struct vswap_stream *strm = raw_cpu_ptr(comp->streams);

	return mutex_trylock(&strm->lock) ? strm : NULL;
}

void vswap_stream_put(struct vswap_stream *strm)
{
	mutex_unlock(&strm->lock);
}

/* Caller has preemption disabled (it holds a slot bit lock). */
int vswap_decompress(struct vswap_comp *comp, const void *src,
		     unsigned int src_len, void *dst)
{
	struct vswap_stream *strm = this_cpu_ptr(comp->streams);

	return comp->backend->decompress(strm->dctx, src, src_len, dst);
}
