/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * vswap: generic netlink interface.
 *
 * Described by docs/netlink/vswap.yaml; a test checks that the two agree.
 *
 * Objects: devices (/dev/vswapN) and, per device, tiers.  A tier is
 * addressed by the device id plus the tier id, or by the device id plus
 * the tier name.  Every device has the "zero" tier (same-filled pages,
 * stored in the descriptor alone, id 0); "ram" (compressed RAM) and
 * backing block devices can be added and removed.
 *
 * Mutating commands need CAP_SYS_ADMIN; get and dump are open to all.
 * Every rejection carries an extack message.  Events go to the "events"
 * multicast group as *_NTF commands carrying the object's attributes.
 */
#ifndef _UAPI_LINUX_VSWAP_H
#define _UAPI_LINUX_VSWAP_H

#include <linux/types.h>

#define VSWAP_GENL_NAME		"vswap"
#define VSWAP_GENL_VERSION	1
#define VSWAP_MCGRP_EVENTS	"events"

/* Limits the kernel enforces (also in the policies). */
#define VSWAP_NAME_MAX		16	/* tier name, with the NUL */
#define VSWAP_PATH_MAX		256	/* backing device path, with the NUL */
#define VSWAP_DEV_SIZE_MIN	(1ULL << 20)
#define VSWAP_DEV_SIZE_MAX	(16ULL << 40)

enum vswap_tier_kind {
	VSWAP_TIER_KIND_UNSPEC,
	VSWAP_TIER_KIND_ZERO,	/* same-filled pages, in the descriptor */
	VSWAP_TIER_KIND_RAM,	/* compressed RAM (zsmalloc) */
	VSWAP_TIER_KIND_BLOCK,	/* a backing block device */

	/* add new constants above here */
	__VSWAP_TIER_KIND_MAX,
	VSWAP_TIER_KIND_MAX = (__VSWAP_TIER_KIND_MAX - 1)
};

/* Backing tiers only: where the tier sits in the hierarchy. */
enum vswap_tier_class {
	VSWAP_TIER_CLASS_UNSPEC,
	VSWAP_TIER_CLASS_FAST,	/* e.g. NVMe */
	VSWAP_TIER_CLASS_SLOW,	/* e.g. HDD, network block device */

	/* add new constants above here */
	__VSWAP_TIER_CLASS_MAX,
	VSWAP_TIER_CLASS_MAX = (__VSWAP_TIER_CLASS_MAX - 1)
};

enum vswap_tier_state {
	VSWAP_TIER_STATE_UNSPEC,
	VSWAP_TIER_STATE_ACTIVE,	/* takes new slots */
	VSWAP_TIER_STATE_DRAINING,	/* moving its slots elsewhere */
	VSWAP_TIER_STATE_DEGRADED,	/* repeated I/O errors: no new slots */
	VSWAP_TIER_STATE_FULL,		/* at its limit: no new slots */

	/* add new constants above here */
	__VSWAP_TIER_STATE_MAX,
	VSWAP_TIER_STATE_MAX = (__VSWAP_TIER_STATE_MAX - 1)
};

enum vswap_algo {
	VSWAP_ALGO_UNSPEC,
	VSWAP_ALGO_LZ4,		/* level: acceleration 1..64 */
	VSWAP_ALGO_LZ4HC,	/* level: 1..16 */
	VSWAP_ALGO_ZSTD,	/* level: 1..22 */

	/* add new constants above here */
	__VSWAP_ALGO_MAX,
	VSWAP_ALGO_MAX = (__VSWAP_ALGO_MAX - 1)
};

enum vswap_migrate_state {
	VSWAP_MIGRATE_STATE_UNSPEC,
	VSWAP_MIGRATE_STATE_RUNNING,
	VSWAP_MIGRATE_STATE_DONE,	/* moved all it could */
	VSWAP_MIGRATE_STATE_CANCELLED,	/* tier del CANCEL, or the tier went away */
	VSWAP_MIGRATE_STATE_FAILED,	/* stopped on an error (ERRNO) */

	/* add new constants above here */
	__VSWAP_MIGRATE_STATE_MAX,
	VSWAP_MIGRATE_STATE_MAX = (__VSWAP_MIGRATE_STATE_MAX - 1)
};

enum vswap_wmark {
	VSWAP_WMARK_UNSPEC,
	VSWAP_WMARK_HIGH,	/* usage rose above the high watermark */
	VSWAP_WMARK_LOW,	/* usage fell below the low watermark */

	/* add new constants above here */
	__VSWAP_WMARK_MAX,
	VSWAP_WMARK_MAX = (__VSWAP_WMARK_MAX - 1)
};

/* VSWAP_A_IO_OP */
enum vswap_io_op {
	VSWAP_IO_OP_UNSPEC,
	VSWAP_IO_OP_READ,
	VSWAP_IO_OP_WRITE,

	/* add new constants above here */
	__VSWAP_IO_OP_MAX,
	VSWAP_IO_OP_MAX = (__VSWAP_IO_OP_MAX - 1)
};

/* Attribute set "vswap": one flat set for every command and event. */
enum vswap_attr {
	VSWAP_A_UNSPEC,
	VSWAP_A_PAD,			/* pad for u64 attributes */

	/* device */
	VSWAP_A_DEV_ID,			/* u32: N of /dev/vswapN */
	VSWAP_A_DEV_NAME,		/* string: "vswapN" */
	VSWAP_A_DEV_SIZE,		/* u64: bytes, VSWAP_DEV_SIZE_MIN..MAX */
	VSWAP_A_DEV_IN_USE,		/* u8: 1 while opened (e.g. swapon) */
	VSWAP_A_DEV_META_BYTES,		/* u64: descriptor table memory */
	VSWAP_A_DEV_STATS,		/* nest: vswap_stats_attr */

	/* tier */
	VSWAP_A_TIER_ID,		/* u32: index within the device */
	VSWAP_A_TIER_NAME,		/* string: unique within the device */
	VSWAP_A_TIER_KIND,		/* u32: enum vswap_tier_kind */
	VSWAP_A_TIER_CLASS,		/* u32: enum vswap_tier_class */
	VSWAP_A_TIER_STATE,		/* u32: enum vswap_tier_state */
	VSWAP_A_TIER_ALGO,		/* u32: enum vswap_algo (ram) */
	VSWAP_A_TIER_LEVEL,		/* u32: 0 = algorithm default (ram) */
	VSWAP_A_TIER_LIMIT,		/* u64: bytes the tier may use, 0 = no limit */
	VSWAP_A_TIER_PATH,		/* string: backing device, e.g. /dev/nvme0n1 */
	VSWAP_A_TIER_CAPACITY,		/* u64: bytes, backing device size, at most the device's */
	VSWAP_A_TIER_HIGH_WMARK,	/* u32: percent of limit, demote above */
	VSWAP_A_TIER_LOW_WMARK,		/* u32: percent of limit, stop demoting */
	VSWAP_A_TIER_IDLE_AGE,		/* u32: seconds, demote slots idle longer; 0 = off */
	VSWAP_A_TIER_PRIORITY,		/* u32: order in the hierarchy, lower first */
	VSWAP_A_TIER_DRAIN,		/* flag: tier del: move slots out first */
	VSWAP_A_TIER_STATS,		/* nest: vswap_stats_attr */

	/* migration */
	VSWAP_A_MIGRATE_FROM,		/* u32: tier id */
	VSWAP_A_MIGRATE_TO,		/* u32: tier id */
	VSWAP_A_MIGRATE_IDLE,		/* u32: seconds; move only slots idle longer */
	VSWAP_A_MIGRATE_MAX_BYTES,	/* u64: stop after this much, 0 = no limit */
	VSWAP_A_MIGRATE_STATE,		/* u32: enum vswap_migrate_state */
	VSWAP_A_MIGRATE_MOVED_BYTES,	/* u64 */
	VSWAP_A_MIGRATE_TOTAL_BYTES,	/* u64: estimate at start */

	/* events */
	VSWAP_A_WMARK,			/* u32: enum vswap_wmark */
	VSWAP_A_IO_OP,			/* u32: enum vswap_io_op */
	VSWAP_A_ERRNO,			/* u32: positive errno */
	VSWAP_A_ERROR_COUNT,		/* u64: errors since the last event */
	VSWAP_A_TIER_CANCEL,		/* flag: tier del: cancel the tier's drain, keep it */

	/* tier, read-only */
	VSWAP_A_TIER_LIMIT_AUTO,	/* u64: cap while tier-limit is 0; 0 = none */

	/* add new attributes above here */
	__VSWAP_A_MAX,
	VSWAP_A_MAX = (__VSWAP_A_MAX - 1)
};

/* Attribute set "stats": counters, all u64, of a device or a tier. */
enum vswap_stats_attr {
	VSWAP_STATS_A_UNSPEC,
	VSWAP_STATS_A_PAD,
	VSWAP_STATS_A_PAGES,		/* slots stored */
	VSWAP_STATS_A_ORIG_BYTES,	/* their uncompressed size */
	VSWAP_STATS_A_STORED_BYTES,	/* memory used to hold them */
	VSWAP_STATS_A_READS,
	VSWAP_STATS_A_WRITES,
	VSWAP_STATS_A_DISCARDS,		/* device: pages discarded */
	VSWAP_STATS_A_FREES,		/* device: swap slot free notifications */
	VSWAP_STATS_A_FAILED_READS,
	VSWAP_STATS_A_FAILED_WRITES,
	VSWAP_STATS_A_HUGE_PAGES,	/* ram: stored raw, did not compress */
	VSWAP_STATS_A_MIGRATED_IN,	/* pages moved onto the tier */
	VSWAP_STATS_A_MIGRATED_OUT,	/* pages moved off the tier */
	VSWAP_STATS_A_PROMOTIONS,	/* pages moved up to a faster tier */
	VSWAP_STATS_A_DEMOTIONS,	/* pages moved down to a slower tier */
	VSWAP_STATS_A_IO_ERRORS,	/* backing I/O errors */
	VSWAP_STATS_A_BUDGET_USED,	/* bytes written by demotion */

	/* add new attributes above here */
	__VSWAP_STATS_A_MAX,
	VSWAP_STATS_A_MAX = (__VSWAP_STATS_A_MAX - 1)
};

enum vswap_cmd {
	VSWAP_CMD_UNSPEC,
	VSWAP_CMD_DEV_GET,	/* do (DEV_ID) or dump */
	VSWAP_CMD_DEV_ADD,	/* SIZE, [NAME "vswapN"], [ALGO, LEVEL]; admin */
	VSWAP_CMD_DEV_DEL,	/* DEV_ID; refused while in use; admin */
	VSWAP_CMD_TIER_GET,	/* do (DEV_ID + TIER_ID|NAME) or dump ([DEV_ID]) */
	VSWAP_CMD_TIER_ADD,	/* DEV_ID, KIND, ...; admin */
	VSWAP_CMD_TIER_SET,	/* DEV_ID + TIER_ID|NAME, settings, [STATE active]; admin */
	VSWAP_CMD_TIER_DEL,	/* DEV_ID + TIER_ID|NAME, [DRAIN | CANCEL]; admin */
	VSWAP_CMD_MIGRATE,	/* DEV_ID, FROM, TO, [IDLE], [MAX_BYTES]; admin */

	/* notifications, on the "events" group */
	VSWAP_CMD_DEV_ADD_NTF,		/* device attributes */
	VSWAP_CMD_DEV_DEL_NTF,		/* DEV_ID, DEV_NAME */
	VSWAP_CMD_TIER_ADD_NTF,		/* tier attributes */
	VSWAP_CMD_TIER_DEL_NTF,		/* DEV_ID, TIER_ID, TIER_NAME */
	VSWAP_CMD_TIER_DRAINED_NTF,	/* DEV_ID, TIER_ID, TIER_NAME */
	VSWAP_CMD_MIGRATE_NTF,		/* DEV_ID, MIGRATE_*; progress and end */
	VSWAP_CMD_WMARK_NTF,		/* DEV_ID, TIER_ID, TIER_NAME, WMARK */
	VSWAP_CMD_IO_ERROR_NTF,		/* DEV_ID, [TIER_*], IO_OP, ERRNO, ERROR_COUNT */
	VSWAP_CMD_TIER_STATE_NTF,	/* DEV_ID, TIER_ID, TIER_NAME, TIER_STATE, [ERRNO] */

	/* add new commands above here */
	__VSWAP_CMD_MAX,
	VSWAP_CMD_MAX = (__VSWAP_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_VSWAP_H */
