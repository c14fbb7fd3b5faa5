// SPDX-License-Identifier: GPL-2.0
/*
 * Compressed RAM tier: zsmalloc objects holding a 2-byte length and the
 * compressed page, or the raw page when compression would not save
 * anything (zsmalloc stores objects above its huge class size in a whole
 * page anyway).  Nothing is ever stored bigger than a page.  Where
 * zsmalloc maps an object by length, a load reads the length first.
 */
#include "vswap.h"
#include "vswap_compat_zs.h"
#include "vswap_fault.h"

#define VSWAP_RAM_HDR	sizeof(u16)

struct vswap_ram_tier {
	struct vswap_tier tier;
	struct zs_pool *pool;
	struct vswap_comp comp;
	unsigned int max_comp_len;	/* beyond this: store raw */
	/* Per CPU, for objects that span pages (VSWAP_ZS_NEEDS_COPY). */
	void * __percpu *copy;
	struct vswap_ram_stats stats;
};

static struct vswap_ram_tier *to_ram(struct vswap_tier *tier)
{
	return container_of(tier, struct vswap_ram_tier, tier);
}

/*
 * Allocation on the store path.  Every reclaimer that flushes its plug
 * into vswap may want the stream mutex, so nothing waits for memory while
 * holding it: the first try never enters direct reclaim (a swap-out runs
 * with PF_MEMALLOC, see vswap_io.c, and where no backing tier can take
 * the page it may dip into the reserves: storing a page frees one).
 * When that fails and a backing tier can take
 * the page, it goes there (-EAGAIN).  Otherwise the object is allocated
 * with the stream released: with bounded reclaim where reclaim is allowed
 * (the engine, other writes), and from the reserves again for a swap-out,
 * where it only differs by not holding the mutex.  An order-0 GFP_NOIO
 * allocation without __GFP_NORETRY retries for ever once only swapping
 * could free memory (the OOM killer does not run for it), and swapping
 * is us.  The page is then compressed again, which gives the same output.
 */
#define VSWAP_RAM_GFP_NOWAIT \
	(GFP_NOWAIT | __GFP_NOWARN | __GFP_HIGHMEM | __GFP_MOVABLE)
#define VSWAP_RAM_GFP_RECLAIM \
	(GFP_NOIO | __GFP_NORETRY | __GFP_NOWARN | __GFP_HIGHMEM | __GFP_MOVABLE)

static u64 ram_used_bytes(struct vswap_tier *tier)
{
	return (u64)zs_get_total_pages(to_ram(tier)->pool) * PAGE_SIZE;
}

/*
 * Compress @src into strm->buffer behind the length header.  Returns the
 * object's length: PAGE_SIZE when the page is stored raw (it did not
 * compress below max_comp_len).
 */
static unsigned int ram_compress(struct vswap_ram_tier *ram,
				 struct vswap_stream *strm, const void *src)
{
	unsigned int len = ram->max_comp_len;
	u16 clen;

	if (ram->comp.backend->compress(strm->cctx, src,
					strm->buffer + VSWAP_RAM_HDR, &len))
		return PAGE_SIZE;
	clen = len;
	memcpy(strm->buffer, &clen, VSWAP_RAM_HDR);
	return len + VSWAP_RAM_HDR;
}

/*
 * The sleeping retry: allocate with the stream released, then compress
 * again into the stream that is current now.
 */
static int ram_alloc_retry(struct vswap_ram_tier *ram, const void *src,
			   unsigned int len, unsigned long *handle,
			   struct vswap_stream **strm)
{
	if (vswap_fault(VSWAP_FAULT_ZS_MALLOC))
		return -ENOMEM;
	*handle = vswap_zs_malloc(ram->pool, len, VSWAP_RAM_GFP_RECLAIM);
	if (IS_ERR_VALUE(*handle))
		return -ENOMEM;
	*strm = vswap_stream_get(&ram->comp);
	if (WARN_ON_ONCE(ram_compress(ram, *strm, src) != len)) {
		vswap_stream_put(*strm);
		zs_free(ram->pool, *handle);
		return -EIO;
	}
	return 0;
}

static int ram_store(struct vswap_tier *tier, const void *src,
		     unsigned long *desc, unsigned int flags)
{
	struct vswap_ram_tier *ram = to_ram(tier);
	unsigned long handle = -ENOMEM;
	struct vswap_stream *strm;
	unsigned int len;
	bool raw, spill;
	gfp_t gfp;
	int ret;

	/* At the limit, or being drained: the next tier may take it. */
	if (vswap_tier_full(tier) ||
	    atomic_read(&tier->state) != VSWAP_TIER_RUN_ACTIVE)
		return -EAGAIN;
	/*
	 * At the limit in effect, new pages go to a backing tier.  Between
	 * the high watermark and the limit they still come here while the
	 * engine demotes the coldest: a page just swapped out is likelier
	 * to be wanted again than one that has sat here since.
	 */
	spill = !(flags & VSWAP_STORE_NO_SPILL) &&
		atomic_read(&tier->space->nr_spill);
	if (spill && vswap_tier_at_limit(tier))
		return -EAGAIN;

	if (flags & VSWAP_STORE_ATOMIC) {
		strm = vswap_stream_tryget(&ram->comp);
		if (!strm)
			return -EBUSY;
	} else {
		strm = vswap_stream_get(&ram->comp);
	}
	len = ram_compress(ram, strm, src);
	raw = len == PAGE_SIZE;
	if (raw && spill && READ_ONCE(tier->space->spill_incompressible)) {
		/* Policy: what does not compress costs less on flash. */
		vswap_stream_put(strm);
		return -EAGAIN;
	}
	/*
	 * The object is written whole, from strm->buffer (or @src if raw).
	 * While a backing tier can take the page, the reserves are left
	 * alone, the atomic one too: that backing device's driver allocates
	 * from it to write what spills (virtio-blk's descriptors, say).
	 */
	gfp = VSWAP_RAM_GFP_NOWAIT;
	if (spill)
		gfp |= __GFP_NOMEMALLOC;
	if (!vswap_fault(VSWAP_FAULT_ZS_MALLOC))
		handle = vswap_zs_malloc(ram->pool, len, gfp);
	if (IS_ERR_VALUE(handle)) {
		vswap_stream_put(strm);
		if (flags & VSWAP_STORE_ATOMIC)
			return -EBUSY;	/* retried where it may sleep */
		if (spill) {
			atomic64_inc(&ram->stats.alloc_spills);
			return -EAGAIN;
		}
		ret = ram_alloc_retry(ram, src, len, &handle, &strm);
		if (ret)
			goto out_fail;
	}
	if (WARN_ON_ONCE(!vswap_desc_ram(handle, raw, desc))) {
		vswap_stream_put(strm);
		zs_free(ram->pool, handle);
		ret = -EOVERFLOW;
		goto out_fail;
	}
	vswap_zs_write(ram->pool, handle, raw ? src : strm->buffer, len);
	vswap_stream_put(strm);

	vswap_tier_account(tier, 1, len);
	if (raw)
		atomic64_inc(&ram->stats.huge_pages);
	atomic64_inc(&tier->stats.writes);
	vswap_tier_check_wmark(tier);
	return 0;

out_fail:
	atomic64_inc(&tier->stats.failed_writes);
	return ret;
}

/*
 * A compressed object's payload length, from its header.  Where zsmalloc
 * maps by exact length only the header is copied for an object spanning
 * two pages; before that, the whole object is: the per-CPU page buffer
 * takes it (a stack variable would overflow).  Process context, not IRQ
 * (zsmalloc's mapping, and the buffer is shared with ram_load()).
 */
static unsigned int ram_obj_clen(struct vswap_ram_tier *ram,
				 unsigned long handle)
{
	void *copy = NULL;
	const void *hdr;
	u16 clen;

	preempt_disable();
	if (VSWAP_ZS_NEEDS_COPY)
		copy = *this_cpu_ptr(ram->copy);
	hdr = vswap_zs_read_begin(ram->pool, handle, VSWAP_RAM_HDR, copy);
	memcpy(&clen, hdr, VSWAP_RAM_HDR);
	vswap_zs_read_end(ram->pool, handle, VSWAP_RAM_HDR, hdr);
	preempt_enable();
	return clen;
}

/* Caller holds the slot's bit lock: preemption is off. */
static int ram_load(struct vswap_tier *tier, unsigned long desc, void *dst)
{
	struct vswap_ram_tier *ram = to_ram(tier);
	unsigned long handle = vswap_desc_ram_handle(desc);
	bool raw = vswap_desc_raw(desc);
	unsigned int len = PAGE_SIZE;
	void *copy = NULL;
	const void *src;
	int ret = 0;

	if (!raw && VSWAP_ZS_READ_NEEDS_LEN)
		len = VSWAP_RAM_HDR + ram_obj_clen(ram, handle);
	if (VSWAP_ZS_NEEDS_COPY)
		copy = *this_cpu_ptr(ram->copy);
	src = vswap_zs_read_begin(ram->pool, handle, len, copy);
	if (raw) {
		memcpy(dst, src, PAGE_SIZE);
	} else {
		u16 clen;

		memcpy(&clen, src, VSWAP_RAM_HDR);
		ret = vswap_decompress(&ram->comp, src + VSWAP_RAM_HDR, clen,
				       dst);
	}
	vswap_zs_read_end(ram->pool, handle, len, src);
	if (ret) {
		atomic64_inc(&tier->stats.failed_reads);
		return ret;
	}
	atomic64_inc(&tier->stats.reads);
	return 0;
}

static void ram_release(struct vswap_tier *tier, unsigned long desc)
{
	struct vswap_ram_tier *ram = to_ram(tier);
	unsigned long handle = vswap_desc_ram_handle(desc);
	unsigned int len;

	if (vswap_desc_raw(desc)) {
		len = PAGE_SIZE;
		atomic64_dec(&ram->stats.huge_pages);
	} else {
		len = VSWAP_RAM_HDR + ram_obj_clen(ram, handle);
	}
	zs_free(ram->pool, handle);
	vswap_tier_account(tier, -1, len);
	vswap_tier_check_wmark(tier);
}

static void ram_free_copy(struct vswap_ram_tier *ram)
{
	int cpu;

	if (!ram->copy)
		return;
	for_each_possible_cpu(cpu)
		kfree(*per_cpu_ptr(ram->copy, cpu));
	free_percpu(ram->copy);
	ram->copy = NULL;
}

static int ram_alloc_copy(struct vswap_ram_tier *ram)
{
	int cpu;

	ram->copy = alloc_percpu(void *);
	if (!ram->copy)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		void *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);

		if (!buf)
			return -ENOMEM;
		*per_cpu_ptr(ram->copy, cpu) = buf;
	}
	return 0;
}

static void ram_destroy(struct vswap_tier *tier)
{
	struct vswap_ram_tier *ram = to_ram(tier);

	if (ram->pool)
		zs_destroy_pool(ram->pool);
	ram_free_copy(ram);
	vswap_comp_destroy(&ram->comp);
	kfree(ram);
}

static const struct vswap_tier_ops vswap_ram_ops = {
	.kind		= "ram",
	.store		= ram_store,
	.load		= ram_load,
	.release	= ram_release,
	.used_bytes	= ram_used_bytes,
	.destroy	= ram_destroy,
};

struct vswap_tier *vswap_tier_ram_create(struct vswap_space *s,
					 const char *algo, int level)
{
	struct vswap_ram_tier *ram;
	int ret;

	ram = kzalloc(sizeof(*ram), GFP_KERNEL);
	if (!ram)
		return ERR_PTR(-ENOMEM);
	vswap_tier_init(&ram->tier, s, &vswap_ram_ops, VSWAP_TIER_RAM, "ram");

	ret = vswap_comp_init(&ram->comp, algo, level);
	if (ret)
		goto out_free;
	if (VSWAP_ZS_NEEDS_COPY) {
		ret = ram_alloc_copy(ram);
		if (ret)
			goto out_free;
	}
	ram->pool = zs_create_pool("vswap");
	if (!ram->pool) {
		ret = -ENOMEM;
		goto out_free;
	}
	/* Objects this big take a whole zspage page: store raw instead. */
	ram->max_comp_len = min_t(size_t, zs_huge_class_size(ram->pool),
				  PAGE_SIZE) - VSWAP_RAM_HDR - 1;
	return &ram->tier;

out_free:
	ram_destroy(&ram->tier);
	return ERR_PTR(ret);
}

/* Lockless (sysfs): the pair may be torn while the compressor changes. */
const struct vswap_backend *vswap_tier_ram_backend(struct vswap_tier *tier,
						   int *level)
{
	*level = READ_ONCE(to_ram(tier)->comp.level);
	return READ_ONCE(to_ram(tier)->comp.backend);
}

/*
 * Exchange the tier's compressor with @comp.  The caller quiesced all I/O
 * (frozen queue) and checked that the tier holds no pages, so nothing
 * compressed with the old one remains; it frees the old one afterwards.
 */
void vswap_tier_ram_swap_comp(struct vswap_tier *tier,
			      struct vswap_comp *comp)
{
	struct vswap_ram_tier *ram = to_ram(tier);
	struct vswap_comp old = ram->comp;

	WARN_ON_ONCE(atomic64_read(&tier->stats.pages));
	ram->comp.streams = comp->streams;
	WRITE_ONCE(ram->comp.level, comp->level);
	WRITE_ONCE(ram->comp.backend, comp->backend);
	*comp = old;
}

u64 vswap_tier_ram_pool_bytes(struct vswap_tier *tier)
{
	return ram_used_bytes(tier);
}

struct vswap_ram_stats *vswap_tier_ram_stats(struct vswap_tier *tier)
{
	return &to_ram(tier)->stats;
}
