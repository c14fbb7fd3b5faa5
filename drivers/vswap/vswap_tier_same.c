// SPDX-License-Identifier: GPL-2.0
/*
 * Same-filled tier: pages whose every 32-bit word is equal are kept in
 * the descriptor alone.  Zero pages are the common case.
 */
#include "vswap.h"

bool vswap_page_same_filled(const void *page, u32 *pattern)
{
	const u64 *words = page;
	u64 first = words[0];
	unsigned int i;

	if ((u32)first != (u32)(first >> 32))
		return false;
	for (i = 1; i < PAGE_SIZE / sizeof(*words); i++)
		if (words[i] != first)
			return false;
	*pattern = (u32)first;
	return true;
}

static int same_store(struct vswap_tier *tier, const void *src,
		      unsigned long *desc, unsigned int flags)
{
	u32 pattern;

	if (!vswap_page_same_filled(src, &pattern))
		return -EAGAIN;
	*desc = vswap_desc_same(pattern);
	vswap_tier_account(tier, 1, 0);
	atomic64_inc(&tier->stats.writes);
	return 0;
}

static int same_load(struct vswap_tier *tier, unsigned long desc, void *dst)
{
	u32 pattern = vswap_desc_same_pattern(desc);

	memset32(dst, pattern, PAGE_SIZE / sizeof(u32));
	atomic64_inc(&tier->stats.reads);
	return 0;
}

static void same_release(struct vswap_tier *tier, unsigned long desc)
{
	vswap_tier_account(tier, -1, 0);
}

static u64 same_used_bytes(struct vswap_tier *tier)
{
	return 0;
}

static void same_destroy(struct vswap_tier *tier)
{
	kfree(tier);
}

static const struct vswap_tier_ops vswap_same_ops = {
	.kind		= "same",
	.store		= same_store,
	.load		= same_load,
	.release	= same_release,
	.used_bytes	= same_used_bytes,
	.destroy	= same_destroy,
};

struct vswap_tier *vswap_tier_same_create(struct vswap_space *s)
{
	struct vswap_tier *tier = kzalloc(sizeof(*tier), GFP_KERNEL);

	if (!tier)
		return ERR_PTR(-ENOMEM);
	/* "zero" over netlink; its sysfs directory keeps the name "same". */
	vswap_tier_init(tier, s, &vswap_same_ops, VSWAP_TIER_SAME, "zero");
	return tier;
}
