/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Progress of a migration or a drain, in bytes: a bar on a terminal,
 * otherwise a line per change (at most one a second); nothing in JSON.
 */
#ifndef VSWAPCTL_PROGRESS_H
#define VSWAPCTL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct progress {
	const char *label;
	uint64_t done, total;
	bool tty, quiet, drawn;
	struct timespec last;
	uint64_t last_done;
};

/* show false: say nothing (e.g. nothing to move). */
void progress_begin(struct progress *p, const char *label, uint64_t total,
		    bool show);
/* total 0: keep the previous total. */
void progress_update(struct progress *p, uint64_t done, uint64_t total);
/* The last state: the bar's final form, or a last line if it changed. */
void progress_end(struct progress *p, bool ok);

#endif
