// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl top: the full-screen view (ncursesw).  The text of every line
 * comes from the one print path (top.c's printers into a memory stream:
 * the device line, and the tier table with its occupancy bars); this file
 * only places it on the screen: a title, a block per device, and the
 * latest events in the footer.  q quits; a resize (KEY_RESIZE, from
 * SIGWINCH) redraws at once.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <time.h>
/* term.h's capability macros that clash with names here. */
#undef columns
#undef lines
#include <unistd.h>

#include "top.h"

#define EVENT_LINES 64

static SCREEN *scr;
static char *events[EVENT_LINES];	/* ring, newest at ev_next - 1 */
static size_t ev_next, ev_count;
static const struct top_sample *last;
static double last_delay;

static void screen_end(void)
{
	if (!scr)
		return;
	endwin();
	delscreen(scr);
	scr = NULL;
}

static bool screen_start(void)
{
	int err = 0;

	/* A terminal that cannot address the cursor gets the line mode. */
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK || err != 1 ||
	    !tigetstr("cup") || tigetstr("cup") == (char *)-1)
		return false;
	scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return false;
	atexit(screen_end);
	cbreak();
	noecho();
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	curs_set(0);
	return true;
}

static void screen_event(const char *line)
{
	free(events[ev_next]);
	events[ev_next] = strdup(line);
	ev_next = (ev_next + 1) % EVENT_LINES;
	if (ev_count < EVENT_LINES)
		ev_count++;
	if (last)
		/* Shown at once, with the figures of the last refresh. */
		top_screen.draw(last, last_delay);
}

static int screen_keys(void)
{
	int c, ret = 0;

	while ((c = getch()) != ERR) {
		if (c == 'q' || c == 'Q')
			return 1;
		if (c == KEY_RESIZE || c == ' ' || c == 12 /* ^L */)
			ret = 2;
	}
	return ret;
}

/* Lines of text printed by fn(arg) through the print path. */
struct text {
	char *buf;
	size_t len;
	size_t width;			/* the longest line */
};

static void capture(struct text *t, void (*fn)(const void *), const void *arg)
{
	FILE *f = open_memstream(&t->buf, &t->len), *old;
	char *p, *nl;

	if (!f)
		abort();
	old = print_set_file(f);
	fn(arg);
	print_set_file(old);
	fclose(f);
	t->width = 0;
	for (p = t->buf; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if ((size_t)(nl - p) > t->width)
			t->width = (size_t)(nl - p);
		if (!*nl)
			break;
	}
}

static void dev_line(const void *arg)
{
	print_top_dev(arg, false);
}

static void tier_table(const void *arg)
{
	const struct top_dev *d = arg;

	table_begin(top_columns, n_top_columns, TOP_DEFAULT_COLS, opts.columns,
		    NULL, 1, false);
	for (size_t i = 0; i < d->ntiers; i++) {
		table_row_begin();
		print_top_tier(&d->tiers[i]);
		table_row_end();
	}
	table_end();
}

/* Put text from row y on, at most max rows; returns the rows used. */
static int put_lines(int y, int max, const char *s, int attr_first)
{
	int n = 0;

	while (*s && n < max) {
		size_t l = strcspn(s, "\n");

		if (n == 0 && attr_first)
			attron(attr_first);
		mvaddnstr(y + n, 0, s, (int)l < COLS ? (int)l : COLS);
		if (n == 0 && attr_first)
			attroff(attr_first);
		n++;
		s += l;
		if (*s)
			s++;
	}
	return n;
}

static void screen_draw(const struct top_sample *s, double delay)
{
	char title[128], hms[16];
	time_t now = time(NULL);
	int y = 1, foot;

	last = s;
	last_delay = delay;
	erase();
	strftime(hms, sizeof(hms), "%H:%M:%S", localtime(&now));
	snprintf(title, sizeof(title), " vswapctl top - %s, every %gs, up %.0fs%s",
		 hms, delay, s->time, s->events_lost ? ", events lost" : "");
	attron(A_REVERSE);
	mvhline(0, 0, ' ', COLS);
	mvaddnstr(0, 0, title, COLS);
	if (COLS > (int)strlen(title) + 10)
		mvaddstr(0, COLS - 9, "q: quit ");
	attroff(A_REVERSE);

	/* The footer keeps a third of the screen, at least 3 lines. */
	foot = LINES / 3 < 3 ? 3 : LINES / 3;
	if (!s->ndevs)
		mvaddnstr(y++, 0, "no vswap devices", COLS);
	for (size_t i = 0; i < s->ndevs && y < LINES - foot; i++) {
		struct text t;

		/* The bars take what the terminal has to spare (5..50). */
		top_bar_width = 10;
		capture(&t, tier_table, &s->devs[i]);
		free(t.buf);
		top_bar_width = COLS - 1 - ((int)t.width - 10);
		top_bar_width = top_bar_width < 5 ? 5 : top_bar_width > 50 ? 50 : top_bar_width;
		capture(&t, tier_table, &s->devs[i]);
		{
			struct text h;

			capture(&h, dev_line, &s->devs[i]);
			y += put_lines(y, 1, h.buf, A_BOLD);
			free(h.buf);
		}
		y += put_lines(y, LINES - foot - y, t.buf, A_UNDERLINE);
		free(t.buf);
		y++;
	}
	top_bar_width = 0;

	/* Footer: a rule, then the newest events that fit, oldest first. */
	y = LINES - foot;
	mvhline(y, 0, '-', COLS);
	mvaddnstr(y, 2, " events ", COLS - 2);
	for (int row = y + 1, k = (int)(foot - 1 < (int)ev_count ? foot - 1 : (int)ev_count);
	     k > 0; k--, row++) {
		size_t idx = (ev_next + EVENT_LINES - (size_t)k) % EVENT_LINES;

		mvaddnstr(row, 0, events[idx], COLS);
	}
	refresh();
}

static void screen_end_all(void)
{
	screen_end();
	for (size_t i = 0; i < EVENT_LINES; i++) {
		free(events[i]);
		events[i] = NULL;
	}
	last = NULL;
}

const struct top_ui top_screen = {
	.start = screen_start,
	.draw = screen_draw,
	.event = screen_event,
	.keys = screen_keys,
	.end = screen_end_all,
};
