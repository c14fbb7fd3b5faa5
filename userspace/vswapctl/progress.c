// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: progress display for migrations and drains.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "json_print.h"
#include "progress.h"
#include "vswapctl.h"

static int term_width(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static int percent(const struct progress *p)
{
	uint64_t d = p->done > p->total ? p->total : p->done;

	return p->total ? (int)(100 * (double)d / (double)p->total) : 0;
}

static void draw(struct progress *p)
{
	char done[32], total[32], tail[96];
	int width, bar, fill;

	text_size(p->done, done, sizeof(done));
	text_size(p->total, total, sizeof(total));
	if (!p->tty) {
		printf("%s: %s of %s (%d%%)\n", p->label, done, total, percent(p));
		fflush(stdout);
		return;
	}
	snprintf(tail, sizeof(tail), " %3d%%  %s / %s", percent(p), done, total);
	width = term_width();
	bar = width - (int)strlen(p->label) - (int)strlen(tail) - 4;
	if (bar < 10)
		bar = 10;
	fill = p->total ? (int)((double)bar * percent(p) / 100.0) : 0;
	printf("\r%s [", p->label);
	for (int i = 0; i < bar; i++)
		putchar(i < fill ? '#' : '.');
	printf("]%s\033[K", tail);
	fflush(stdout);
	p->drawn = true;
	p->last_done = p->done;
}

void progress_begin(struct progress *p, const char *label, uint64_t total,
		    bool show)
{
	memset(p, 0, sizeof(*p));
	p->label = label;
	p->total = total;
	p->quiet = !show || is_json();
	p->tty = !p->quiet && isatty(STDOUT_FILENO);
	/* Lines: the first progress at once, then at most one a second. */
	if (p->tty)
		clock_gettime(CLOCK_MONOTONIC, &p->last);
	if (!p->quiet && p->tty)
		draw(p);
}

void progress_update(struct progress *p, uint64_t done, uint64_t total)
{
	p->done = done;
	if (total)
		p->total = total;
	if (p->quiet)
		return;
	if (p->tty) {
		if (since(&p->last) >= 0.1 || done >= p->total) {
			draw(p);
			clock_gettime(CLOCK_MONOTONIC, &p->last);
		}
		return;
	}
	if (done != p->last_done && since(&p->last) >= 1.0) {
		draw(p);
		p->last_done = done;
		clock_gettime(CLOCK_MONOTONIC, &p->last);
	}
}

void progress_end(struct progress *p, bool ok)
{
	if (p->quiet)
		return;
	if (p->tty) {
		if (!p->drawn || p->done != p->last_done)
			draw(p);
		putchar('\n');
	} else if (ok && p->done != p->last_done) {
		draw(p);
	}
	fflush(stdout);
}
