/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters of a device (its space), of a tier and of the RAM tier,
 * listed once.  Each entry X(k, name, attr, doc) of a list makes
 *
 *  - an atomic64_t @name in struct vswap_@k_stats (vswap.h:
 *    VSWAP_COUNTER_FIELD),
 *  - a read-only sysfs file @name showing it (vswap_sysfs.c:
 *    VSWAP_COUNTER_SYSFS),
 *  - the u64 attribute VSWAP_STATS_A_@attr in the device's or tier's
 *    stats nest (vswap_nl_dev.c, vswap_nl_tier.c: VSWAP_COUNTER_NL); with
 *    @attr UNSPEC the counter is in sysfs only.
 *
 * @k is the list's token, passed through by the list: space, tier or ram.
 * A counter's sysfs name is its netlink name (docs/netlink/vswap.yaml,
 * with '-' for '_').  Values that are computed, not counted, are not
 * here: a tier's stored_bytes (tier->ops->used_bytes(): what the tier
 * uses, the zsmalloc pool for RAM; what limits and watermarks measure),
 * the RAM tier's pool_bytes (the same), a tier's failures (failed_reads +
 * failed_writes, sysfs only), and the device's pages, orig_bytes and
 * stored_bytes (sums over its tiers, netlink only).
 */
#ifndef _VSWAP_COUNTERS_H
#define _VSWAP_COUNTERS_H

/* Requests (pages) of the block device, struct vswap_space_stats. */
#define VSWAP_SPACE_COUNTERS(X, k)					\
	X(k, reads, READS, "pages read")				\
	X(k, writes, WRITES, "pages written")				\
	X(k, discards, DISCARDS, "pages discarded")			\
	X(k, frees, FREES, "swap slot free notifications")		\
	X(k, miss_frees, UNSPEC, "... that found the slot busy")	\
	X(k, exclusive_loads, UNSPEC,					\
	  "RAM copies freed on a swap-in (exclusive_loads)")		\
	X(k, migrate_races, UNSPEC,					\
	  "moves dropped: the slot was replaced meanwhile")		\
	X(k, failed_reads, FAILED_READS, "pages that failed to read")	\
	X(k, failed_writes, FAILED_WRITES, "pages that failed to write")

/* Per tier, struct vswap_tier_stats. */
#define VSWAP_TIER_COUNTERS(X, k)					\
	X(k, pages, PAGES, "slots stored on the tier")			\
	X(k, orig_bytes, ORIG_BYTES, "their uncompressed size")		\
	X(k, payload_bytes, UNSPEC,					\
	  "the objects' bytes: compressed, or PAGE_SIZE on a backing tier") \
	X(k, reads, READS, "pages read")				\
	X(k, writes, WRITES, "pages written")				\
	X(k, failed_reads, FAILED_READS, "pages that failed to read")	\
	X(k, failed_writes, FAILED_WRITES, "pages that failed to write") \
	X(k, migrated_in, MIGRATED_IN, "pages moved onto the tier")	\
	X(k, migrated_out, MIGRATED_OUT, "pages moved off the tier")	\
	X(k, promotions, PROMOTIONS, "moved in from a slower tier")	\
	X(k, demotions, DEMOTIONS, "moved in from a faster tier")	\
	X(k, io_errors, IO_ERRORS, "backing device I/O errors")		\
	X(k, budget_used, BUDGET_USED, "bytes written by demotion")

/* The RAM tier's own, struct vswap_ram_stats. */
#define VSWAP_RAM_COUNTERS(X, k)					\
	X(k, huge_pages, HUGE_PAGES, "stored raw: did not compress")	\
	X(k, alloc_spills, UNSPEC, "sent to a backing tier: no memory")

/* struct vswap_@k_stats { VSWAP_..._COUNTERS(VSWAP_COUNTER_FIELD, k) }; */
#define VSWAP_COUNTER_FIELD(k, name, attr, doc)	atomic64_t name;

/* A struct vswap_stat_attr (vswap_sysfs.c) shown by vswap_@k_stat_show(). */
#define VSWAP_COUNTER_SYSFS(k, name, attr, doc)				\
	{ __ATTR(name, 0444, vswap_##k##_stat_show, NULL),		\
	  offsetof(struct vswap_##k##_stats, name) },

/* A struct vswap_nl_counter (vswap_netlink.h). */
#define VSWAP_COUNTER_NL(k, name, attr, doc)				\
	{ VSWAP_STATS_A_##attr, offsetof(struct vswap_##k##_stats, name) },

#endif /* _VSWAP_COUNTERS_H */
