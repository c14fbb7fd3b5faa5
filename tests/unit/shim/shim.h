/* SPDX-License-Identifier: GPL-2.0 */
/* Test-side controls of the shim (see shim.c). */
#ifndef _VSWAP_SHIM_H
#define _VSWAP_SHIM_H

extern int shim_quiet_warn;
extern long shim_live_allocs;
extern long shim_alloc_calls;
extern long shim_fail_nth;
extern long shim_failed;
extern long shim_fail_ppm;
extern const char *shim_failed_site;
extern long shim_rcu_callbacks_run;
extern int shim_force_compress_fail;
extern size_t shim_zs_huge_class;

void shim_fail_reset(long nth);
int shim_locks_held(void);
long shim_rcu_pending(void);
long shim_zs_objects(struct zs_pool *pool);

#endif
