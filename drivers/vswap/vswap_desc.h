/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswap slot descriptor: one unsigned long per 4 KiB slot.
 *
 *  63                                    8  7  6  5  4 3 2  1 0
 * +---------------------------------------+--+--+--+----+----+-+
 * |               payload                 |RD|MG|RW| AGE|TYPE|L|
 * +---------------------------------------+--+--+--+----+----+-+
 *
 * L     bit spinlock protecting the whole word (see vswap_table.h)
 * TYPE  EMPTY: no data, reads as zeroes; payload 0
 *       SAME:  every 32-bit word of the page equals payload[31:0]
 *       RAM:   zsmalloc object; payload = handle bits [58:3] (handles
 *              are 8-byte aligned canonical addresses, sign-extended on
 *              decode; vswap_desc_ram() refuses any that do not round-trip)
 *       BACKED: payload = tier id [11:8] + slot on that tier [63:12]
 * AGE   0 (young) .. 3 (cold); reset on access, raised by the aging scan
 * RW    RAM only: object holds the raw page (did not compress)
 * MG    the migration engine collected this data (see vswap_migrate.c).
 *       Every store and clear writes a word without it, so a commit that
 *       still finds it knows the slot was not replaced meanwhile, even if
 *       the new data reused the old handle or backing slot (ABA).
 * RD    RAM only: a swap-in read this data into a swap-cache page, which
 *       will take it over (exclusive loads, vswap_space_drop_ram()).
 *       Dropped, like MG, by every store, clear and move.
 *
 * A backing tier's slot is 52 bits wide: 2^52 4 KiB slots, far beyond any
 * block device.  Tier ids 2..15 name backing tiers (0 and 1 are the zero
 * and RAM tiers, encoded by type).
 */
#ifndef _VSWAP_DESC_H
#define _VSWAP_DESC_H

#define VSWAP_DESC_LOCK_BIT	0
#define VSWAP_DESC_LOCK		BIT(VSWAP_DESC_LOCK_BIT)
#define VSWAP_DESC_TYPE		GENMASK(2, 1)
#define VSWAP_DESC_AGE		GENMASK(4, 3)
#define VSWAP_DESC_RAW		BIT(5)
#define VSWAP_DESC_MIG		BIT(6)
#define VSWAP_DESC_RD		BIT(7)
#define VSWAP_DESC_PAYLOAD	GENMASK(63, 8)
#define VSWAP_DESC_BACKED_TIER	GENMASK(11, 8)
#define VSWAP_DESC_BACKED_SLOT	GENMASK(63, 12)

#define VSWAP_AGE_MAX		3
#define VSWAP_HANDLE_SHIFT	3
#define VSWAP_HANDLE_SIGN_BIT	58

enum vswap_desc_type {
	VSWAP_EMPTY = 0,
	VSWAP_SAME = 1,
	VSWAP_RAM = 2,
	VSWAP_BACKED = 3,
};

static inline void vswap_desc_build_checks(void)
{
	BUILD_BUG_ON(BITS_PER_LONG != 64);
	BUILD_BUG_ON(VSWAP_DESC_LOCK & (VSWAP_DESC_TYPE | VSWAP_DESC_AGE |
					VSWAP_DESC_RAW | VSWAP_DESC_MIG |
					VSWAP_DESC_PAYLOAD));
	BUILD_BUG_ON(VSWAP_DESC_MIG & (VSWAP_DESC_TYPE | VSWAP_DESC_AGE |
				       VSWAP_DESC_RAW | VSWAP_DESC_PAYLOAD));
	BUILD_BUG_ON(VSWAP_DESC_RD & (VSWAP_DESC_LOCK | VSWAP_DESC_TYPE |
				      VSWAP_DESC_AGE | VSWAP_DESC_RAW |
				      VSWAP_DESC_MIG | VSWAP_DESC_PAYLOAD));
	BUILD_BUG_ON(FIELD_MAX(VSWAP_DESC_TYPE) < VSWAP_BACKED);
	BUILD_BUG_ON(FIELD_MAX(VSWAP_DESC_AGE) != VSWAP_AGE_MAX);
	/* A 32-bit fill pattern fits in the payload. */
	BUILD_BUG_ON(FIELD_MAX(VSWAP_DESC_PAYLOAD) < U32_MAX);
	/* Handle bits [58:3] are exactly the 56 payload bits. */
	BUILD_BUG_ON(VSWAP_HANDLE_SIGN_BIT - VSWAP_HANDLE_SHIFT + 1 !=
		     hweight64(VSWAP_DESC_PAYLOAD));
	BUILD_BUG_ON((VSWAP_DESC_BACKED_TIER | VSWAP_DESC_BACKED_SLOT) !=
		     VSWAP_DESC_PAYLOAD);
}

static inline enum vswap_desc_type vswap_desc_type(unsigned long desc)
{
	return FIELD_GET(VSWAP_DESC_TYPE, desc);
}

static inline unsigned int vswap_desc_age(unsigned long desc)
{
	return FIELD_GET(VSWAP_DESC_AGE, desc);
}

/* Strip the lock bit, age and marks: what identifies the stored data. */
static inline unsigned long vswap_desc_data(unsigned long desc)
{
	return desc & ~(VSWAP_DESC_LOCK | VSWAP_DESC_AGE | VSWAP_DESC_MIG |
			VSWAP_DESC_RD);
}

static inline unsigned long vswap_desc_same(u32 pattern)
{
	return FIELD_PREP(VSWAP_DESC_TYPE, VSWAP_SAME) |
	       FIELD_PREP(VSWAP_DESC_PAYLOAD, pattern);
}

static inline u32 vswap_desc_same_pattern(unsigned long desc)
{
	return FIELD_GET(VSWAP_DESC_PAYLOAD, desc);
}

static inline unsigned long vswap_handle_decode(unsigned long payload)
{
	unsigned long v = payload << VSWAP_HANDLE_SHIFT;
	int unused = BITS_PER_LONG - 1 - VSWAP_HANDLE_SIGN_BIT;

	return (unsigned long)((long)(v << unused) >> unused);
}

/*
 * Pack a zsmalloc handle.  Returns false if the handle does not survive
 * the round trip; the caller then frees the object and fails the store
 * instead of corrupting data.
 */
static inline bool vswap_desc_ram(unsigned long handle, bool raw,
				  unsigned long *desc)
{
	unsigned long payload = handle >> VSWAP_HANDLE_SHIFT;

	payload &= FIELD_MAX(VSWAP_DESC_PAYLOAD);
	if (vswap_handle_decode(payload) != handle)
		return false;
	*desc = FIELD_PREP(VSWAP_DESC_TYPE, VSWAP_RAM) |
		FIELD_PREP(VSWAP_DESC_PAYLOAD, payload) |
		(raw ? VSWAP_DESC_RAW : 0);
	return true;
}

static inline unsigned long vswap_desc_ram_handle(unsigned long desc)
{
	return vswap_handle_decode(FIELD_GET(VSWAP_DESC_PAYLOAD, desc));
}

static inline bool vswap_desc_raw(unsigned long desc)
{
	return desc & VSWAP_DESC_RAW;
}

static inline unsigned long vswap_desc_backed(unsigned int tier,
					      unsigned long bslot)
{
	return FIELD_PREP(VSWAP_DESC_TYPE, VSWAP_BACKED) |
	       FIELD_PREP(VSWAP_DESC_BACKED_TIER, tier) |
	       FIELD_PREP(VSWAP_DESC_BACKED_SLOT, bslot);
}

static inline unsigned int vswap_desc_backed_tier(unsigned long desc)
{
	return FIELD_GET(VSWAP_DESC_BACKED_TIER, desc);
}

static inline unsigned long vswap_desc_backed_slot(unsigned long desc)
{
	return FIELD_GET(VSWAP_DESC_BACKED_SLOT, desc);
}

#endif /* _VSWAP_DESC_H */
