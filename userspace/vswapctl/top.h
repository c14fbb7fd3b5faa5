/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswapctl top: the samples (top.c) and the full-screen view
 * (top_screen.c, ncursesw).
 *
 * A sample is every device and tier as the kernel dumps them, plus what
 * top derives: rates (counter deltas over the time between two samples),
 * the device's swap use (/proc/swaps) and what the migration engine is
 * doing.  The kernel has no attribute for the engine's current action:
 * it is derived from the tier states (draining), the migrate events of a
 * running job (their progress), and the demotion and promotion counters.
 */
#ifndef VSWAPCTL_TOP_H
#define VSWAPCTL_TOP_H

#include "vswapctl.h"

/* Per-second rates of a tier's counters; has false on the first sample. */
enum { RATE_READS, RATE_WRITES, RATE_MIG_IN, RATE_MIG_OUT, RATE_DEMOTE,
       RATE_PROMOTE, NR_RATES };

struct top_tier {
	struct vs_obj o;
	bool has_rates;
	double rate[NR_RATES];
};

struct top_dev {
	struct vs_obj o;
	struct top_tier *tiers;		/* into the sample's array */
	size_t ntiers;
	bool swapped;			/* in /proc/swaps */
	uint64_t swap_size, swap_used;	/* bytes */
	long swap_prio;
	char action[160];		/* "demoting ram -> fast 210/s", ... */
	bool has_pct;
	double pct;			/* of a drain or a migration */
};

struct top_sample {
	double time;			/* seconds since top started */
	double interval;		/* since the previous sample, 0 on the first */
	struct top_dev *devs;
	size_t ndevs;
	struct top_tier *tiers;
	size_t ntiers;
	unsigned long events_lost;
};

/* The screen's tier table: its columns, and the occupancy bar's width. */
extern const struct column top_columns[];
extern const size_t n_top_columns;
#define TOP_DEFAULT_COLS "name,kind,state,bar,use_pct,pages,orig_bytes,stored_bytes,ratio,room,reads_per_s,writes_per_s,mig_in_per_s,mig_out_per_s"
extern int top_bar_width;

/* Printers, one per object (json_print.h): text line fields, table cells, JSON. */
void print_top_tier(const struct top_tier *t);
void print_top_dev(const struct top_dev *d, bool with_tiers);

/* The loop's hooks for the screen (top_screen.c). */
struct top_ui {
	/* Start; false when this terminal cannot do it (line mode then). */
	bool (*start)(void);
	void (*draw)(const struct top_sample *s, double delay);
	/* An event line for the footer. */
	void (*event)(const char *line);
	/* Keys typed meanwhile: 1 quit, 2 redraw now, 0 nothing. */
	int (*keys)(void);
	void (*end)(void);
};
extern const struct top_ui top_screen;

#endif
