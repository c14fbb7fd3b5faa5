// SPDX-License-Identifier: GPL-2.0
/*
 * Manual migration between the tiers of a device.  The netlink handler
 * validates the request (both tiers exist, differ, and neither is the
 * zero tier); this is where the migration engine starts the move.  With
 * only the zero and RAM tiers no valid pair exists yet, so every request
 * that gets here is refused until backing tiers and the engine land.
 */
#include "vswap_netlink.h"

/**
 * vswap_migrate_start - start moving slots from one tier to another
 * @dev: the device
 * @from: source tier
 * @to: target tier
 * @idle: move only slots idle for longer, seconds (0 = all)
 * @max_bytes: stop after moving this much (0 = no limit)
 * @total_bytes: returns the estimate of what will move
 * @extack: for the reason of a refusal
 *
 * Called under vswap_config_lock.  Progress and the end are reported by
 * VSWAP_CMD_MIGRATE_NTF events.
 */
int vswap_migrate_start(struct vswap_dev *dev, struct vswap_tier *from,
			struct vswap_tier *to, u32 idle, u64 max_bytes,
			u64 *total_bytes, struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&vswap_config_lock);
	*total_bytes = 0;
	NL_SET_ERR_MSG(extack, "migration needs a backing tier (not supported yet)");
	return -EOPNOTSUPP;
}
