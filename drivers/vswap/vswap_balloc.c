// SPDX-License-Identifier: GPL-2.0
/*
 * Backing tier slot allocator: a bitmap searched next-fit.  See
 * vswap_balloc.h.
 */
#include "vswap_balloc.h"

int vswap_balloc_init(struct vswap_balloc *a, unsigned long nr_slots)
{
	if (!nr_slots)
		return -EINVAL;
	a->map = kvcalloc(BITS_TO_LONGS(nr_slots), sizeof(unsigned long),
			  GFP_KERNEL);
	if (!a->map)
		return -ENOMEM;
	spin_lock_init(&a->lock);
	a->nr_slots = nr_slots;
	a->used = 0;
	a->cursor = 0;
	return 0;
}

void vswap_balloc_destroy(struct vswap_balloc *a)
{
	WARN_ON_ONCE(a->used);
	kvfree(a->map);
	a->map = NULL;
}

/* The first free run at or after @from, up to @want long; 0 if none. */
static unsigned int balloc_run(struct vswap_balloc *a, unsigned long from,
			       unsigned int want, unsigned long *start)
{
	unsigned long first, end;

	first = find_next_zero_bit(a->map, a->nr_slots, from);
	if (first >= a->nr_slots)
		return 0;
	end = find_next_bit(a->map, min(a->nr_slots, first + want), first);
	*start = first;
	return end - first;
}

/**
 * vswap_balloc_get - allocate a contiguous run of slots
 * @a: the allocator
 * @want: how many slots the caller would like, at least 1
 * @start: returns the first slot of the run
 *
 * Returns the length of the run, 1..@want, or 0 when the tier is full.
 * The run is the next free one after the previous allocation, wrapping
 * around once.
 */
unsigned int vswap_balloc_get(struct vswap_balloc *a, unsigned int want,
			      unsigned long *start)
{
	unsigned int n;

	if (WARN_ON_ONCE(!want))
		return 0;
	spin_lock(&a->lock);
	n = balloc_run(a, a->cursor, want, start);
	if (!n && a->cursor)
		n = balloc_run(a, 0, want, start);
	if (n) {
		bitmap_set(a->map, *start, n);
		a->used += n;
		a->cursor = *start + n;
		if (a->cursor >= a->nr_slots)
			a->cursor = 0;
	}
	spin_unlock(&a->lock);
	return n;
}

void vswap_balloc_put(struct vswap_balloc *a, unsigned long start,
		      unsigned int nr)
{
	unsigned long i, freed = 0;

	if (WARN_ON_ONCE(start >= a->nr_slots || nr > a->nr_slots - start))
		return;
	spin_lock(&a->lock);
	/* A double free is a bug; it must not corrupt the count too. */
	for (i = start; i < start + nr; i++)
		freed += test_bit(i, a->map);
	WARN_ON_ONCE(freed != nr);
	bitmap_clear(a->map, start, nr);
	a->used -= freed;
	spin_unlock(&a->lock);
}

unsigned long vswap_balloc_used(struct vswap_balloc *a)
{
	return READ_ONCE(a->used);
}
