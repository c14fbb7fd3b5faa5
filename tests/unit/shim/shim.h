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
extern const char *shim_fail_what;
extern int shim_zs_span;
extern int shim_zs_reuse;
extern long shim_zs_span_reads;
extern long shim_zs_mallocs;
extern gfp_t shim_zs_last_gfp;
extern unsigned int shim_fault_calls;
extern long shim_fault_injected[];

void shim_fail_reset(long nth);
int shim_locks_held(void);
long shim_rcu_pending(void);
long shim_zs_objects(struct zs_pool *pool);

#endif
