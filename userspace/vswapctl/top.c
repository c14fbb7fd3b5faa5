// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl top: a live view of the devices and their tiers (see top.h).
 * On a terminal a full-screen view (top_screen.c); otherwise, or with
 * --batch, a line per device and interval; -j: a JSON object per
 * interval.  Events of the multicast group are shown as they come (a
 * footer on the screen, their monitor lines otherwise).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "objprint.h"
#include "top.h"

const struct column top_columns[] = {
	{ "id",		  "ID",	      false, "tier id" },
	{ "name",	  "TIER",     true,  "tier name" },
	{ "kind",	  "KIND",     true,  "zero, ram or block" },
	{ "class",	  "CLASS",    true,  "fast or slow (block tiers)" },
	{ "state",	  "STATE",    true,  "active, draining, degraded or full" },
	{ "bar",	  "OCCUPANCY", true, "stored bytes against the limit (or the capacity)" },
	{ "use_pct",	  "USE%",     false, "the same in percent" },
	{ "pages",	  "PAGES",    false, "pages stored" },
	{ "orig_bytes",	  "DATA",     false, "their uncompressed size" },
	{ "stored_bytes", "STORED",   false, "memory or disk used to hold them" },
	{ "ratio",	  "RATIO",    false, "orig_bytes / stored_bytes" },
	{ "room",	  "LIMIT",    false, "the limit, or the backing device's capacity" },
	{ "reads_per_s",  "READ/s",   false, "pages read per second" },
	{ "writes_per_s", "WRITE/s",  false, "pages written per second" },
	{ "mig_in_per_s", "MIGIN/s",  false, "pages migrated in per second" },
	{ "mig_out_per_s", "MIGOUT/s", false, "pages migrated out per second" },
};
const size_t n_top_columns = sizeof(top_columns) / sizeof(top_columns[0]);
int top_bar_width;

static const char *const rate_keys[NR_RATES] = {
	"reads_per_s", "writes_per_s", "mig_in_per_s", "mig_out_per_s",
	"demotions_per_s", "promotions_per_s",
};
/* Line mode: the rates worth a word when they are not zero. */
static const char *const rate_fmts[NR_RATES] = {
	" r%s/s", " w%s/s", " in%s/s", " out%s/s", NULL, NULL,
};
static const int rate_stats[NR_RATES] = {
	VSWAP_STATS_A_READS, VSWAP_STATS_A_WRITES, VSWAP_STATS_A_MIGRATED_IN,
	VSWAP_STATS_A_MIGRATED_OUT, VSWAP_STATS_A_DEMOTIONS, VSWAP_STATS_A_PROMOTIONS,
};

static uint64_t tier_room(const struct vs_obj *t)
{
	uint64_t limit = obj_get(t, VSWAP_A_TIER_LIMIT);

	if (!limit)
		limit = obj_get(t, VSWAP_A_TIER_LIMIT_AUTO);
	return limit ? limit : obj_get(t, VSWAP_A_TIER_CAPACITY);
}

/* "[#####.....]" for part of whole, in buf (width cells inside). */
static const char *bar(char *buf, size_t len, uint64_t part, uint64_t whole,
		       int width)
{
	int fill, i = 0;

	if ((size_t)width + 3 > len)
		width = (int)len - 3;
	fill = (int)lround((double)width * (double)(part > whole ? whole : part) /
			   (double)whole);
	buf[i++] = '[';
	for (int j = 0; j < width; j++)
		buf[i++] = j < fill ? '#' : '.';
	buf[i++] = ']';
	buf[i] = '\0';
	return buf;
}

/*
 * A tier.  Line mode: " ram 2041pg 3.5M/8.0M 44% x2.31 w340/s out210/s"
 * (rates only when not zero, the state unless active).  Table: the
 * columns of top_columns.  JSON: id name kind class state pages
 * orig_bytes stored_bytes ratio limit capacity room use_pct, and the
 * rates (null on the first sample).
 */
void print_top_tier(const struct top_tier *t)
{
	const struct vs_obj *o = &t->o;
	const struct vs_stats *st = &o->tier_stats;
	uint64_t stored = stat_get(st, VSWAP_STATS_A_STORED_BYTES);
	uint64_t room = tier_room(o);
	uint32_t state = (uint32_t)obj_get(o, VSWAP_A_TIER_STATE);
	char buf[64];

	pr_attr_u64(o, VSWAP_A_TIER_ID, "id", NULL);
	print_string(PRINT_ANY, "name", " %s", o->tier_name);
	pr_attr_enum(o, VSWAP_A_TIER_KIND, "kind", NULL, kind_name);
	pr_attr_enum(o, VSWAP_A_TIER_CLASS, "class", NULL, class_name);
	pr_attr_enum(o, VSWAP_A_TIER_STATE, "state",
		     state == VSWAP_TIER_STATE_ACTIVE ? NULL : " (%s)", state_name);
	print_u64(PRINT_ANY, "pages", " %spg", stat_get(st, VSWAP_STATS_A_PAGES));
	print_size(PRINT_ANY, "orig_bytes", NULL, stat_get(st, VSWAP_STATS_A_ORIG_BYTES));
	print_size(PRINT_ANY, "stored_bytes",
		   obj_get(o, VSWAP_A_TIER_KIND) == VSWAP_TIER_KIND_ZERO ? NULL : " %s", stored);
	pr_attr_size(o, VSWAP_A_TIER_LIMIT, "limit", NULL);
	pr_attr_size(o, VSWAP_A_TIER_CAPACITY, "capacity", NULL);
	if (room) {
		print_size(PRINT_ANY, "room", "/%s", room);
		pr_pct("use_pct", " %s%%", stored, room);
		if (top_bar_width > 0)
			print_string(PRINT_TEXT, "bar", NULL,
				     bar(buf, sizeof(buf), stored, room, top_bar_width));
	} else {
		print_null(PRINT_ANY, "room", NULL);
		print_null(PRINT_ANY, "use_pct", NULL);
	}
	if (stored && stored != stat_get(st, VSWAP_STATS_A_ORIG_BYTES))
		pr_ratio("ratio", " x%s", st);
	else
		pr_ratio("ratio", NULL, st);
	for (int i = 0; i < NR_RATES; i++) {
		if (!t->has_rates)
			print_null(PRINT_ANY, rate_keys[i], NULL);
		else
			print_float(PRINT_ANY, rate_keys[i],
				    lround(t->rate[i]) ? rate_fmts[i] : NULL,
				    t->rate[i], 0);
	}
}

/*
 * A device.  Line mode: "vswap0 swap 47M/768M, demoting ram -> fast
 * 210/s" and, with_tiers, " | " and each tier.  JSON: name id size pages
 * orig_bytes stored_bytes ratio swap_size swap_used swap_prio (null when
 * not swapped on) action action_pct, and "tiers".
 */
void print_top_dev(const struct top_dev *d, bool with_tiers)
{
	const struct vs_obj *o = &d->o;
	const struct vs_stats *st = &o->dev_stats;
	char name[32];

	print_string(PRINT_ANY, "name", "%s", obj_dev_name(o, name, sizeof(name)));
	pr_attr_u64(o, VSWAP_A_DEV_ID, "id", NULL);
	pr_attr_size(o, VSWAP_A_DEV_SIZE, "size", " %s");
	print_u64(PRINT_ANY, "pages", " %spg", stat_get(st, VSWAP_STATS_A_PAGES));
	print_size(PRINT_JSON, "orig_bytes", NULL, stat_get(st, VSWAP_STATS_A_ORIG_BYTES));
	print_size(PRINT_JSON, "stored_bytes", NULL, stat_get(st, VSWAP_STATS_A_STORED_BYTES));
	pr_ratio("ratio", NULL, st);
	if (d->swapped) {
		print_size(PRINT_ANY, "swap_used", ", swap %s", d->swap_used);
		print_size(PRINT_ANY, "swap_size", "/%s", d->swap_size);
		print_float(PRINT_JSON, "swap_prio", NULL, (double)d->swap_prio, 0);
	} else {
		print_null(PRINT_JSON, "swap_used", NULL);
		print_null(PRINT_JSON, "swap_size", NULL);
		print_null(PRINT_JSON, "swap_prio", NULL);
		print_text(", not swapped on");
	}
	print_string(PRINT_ANY, "action", ", %s", d->action);
	if (d->has_pct)
		print_float(PRINT_JSON, "action_pct", NULL, d->pct, 1);
	else
		print_null(PRINT_JSON, "action_pct", NULL);
	if (!with_tiers)
		return;
	open_json_array("tiers");
	for (size_t i = 0; i < d->ntiers; i++) {
		open_json_object(NULL);
		print_text(" |");
		print_top_tier(&d->tiers[i]);
		close_json_object();
	}
	close_json_array();
}

/* ------------------------------------------------------------------ */
/* What the engine does, per device: a job seen in the migrate events. */

struct top_job {
	uint32_t dev;
	bool active, drain;
	uint32_t from, to;
	uint64_t moved, total;
	double when;			/* of the last event */
	/* A draining tier seen in a dump: its pages then. */
	bool drain_seen;
	uint32_t drain_tier;
	uint64_t drain_pages0;
};

static struct top_job *jobs;
static size_t njobs;
static struct timespec t_start;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t_start.tv_sec) +
	       (double)(t.tv_nsec - t_start.tv_nsec) / 1e9;
}

static struct top_job *job_of(uint32_t dev)
{
	for (size_t i = 0; i < njobs; i++)
		if (jobs[i].dev == dev)
			return &jobs[i];
	jobs = realloc(jobs, (njobs + 1) * sizeof(*jobs));
	if (!jobs)
		abort();
	memset(&jobs[njobs], 0, sizeof(*jobs));
	jobs[njobs].dev = dev;
	return &jobs[njobs++];
}

/* A running job sends progress every second; a silent one has ended. */
#define JOB_STALE_S 5.0

static void job_event(const struct vs_obj *ev, double t)
{
	struct top_job *j = job_of((uint32_t)obj_get(ev, VSWAP_A_DEV_ID));

	switch (ev->cmd) {
	case VSWAP_CMD_MIGRATE_NTF:
		j->active = obj_get(ev, VSWAP_A_MIGRATE_STATE) == VSWAP_MIGRATE_STATE_RUNNING;
		j->drain = !obj_has(ev, VSWAP_A_MIGRATE_TO);
		j->from = (uint32_t)obj_get(ev, VSWAP_A_MIGRATE_FROM);
		j->to = (uint32_t)obj_get(ev, VSWAP_A_MIGRATE_TO);
		j->moved = obj_get(ev, VSWAP_A_MIGRATE_MOVED_BYTES);
		j->total = obj_get(ev, VSWAP_A_MIGRATE_TOTAL_BYTES);
		j->when = t;
		break;
	case VSWAP_CMD_TIER_DEL_NTF:
	case VSWAP_CMD_TIER_DRAINED_NTF:
		if (j->drain && j->from == obj_get(ev, VSWAP_A_TIER_ID))
			j->active = false;
		break;
	case VSWAP_CMD_DEV_DEL_NTF:
		j->active = j->drain_seen = false;
		break;
	}
}

static const char *tier_name_of(const struct top_dev *d, uint32_t id)
{
	for (size_t i = 0; i < d->ntiers; i++)
		if (obj_get(&d->tiers[i].o, VSWAP_A_TIER_ID) == id)
			return d->tiers[i].o.tier_name;
	return "?";
}

/* Order in the hierarchy: ram, fast, slow, then by priority. */
static uint64_t tier_rank(const struct vs_obj *t)
{
	uint64_t r = obj_get(t, VSWAP_A_TIER_KIND) == VSWAP_TIER_KIND_RAM ? 0 :
		     obj_get(t, VSWAP_A_TIER_CLASS) == VSWAP_TIER_CLASS_SLOW ? 2 : 1;

	return r << 32 | (obj_get(t, VSWAP_A_TIER_PRIORITY) & 0xffffffff);
}

/*
 * Moves seen in the counters: for each tier that received pages (rate
 * `in`), the nearest tier on the other side of it (above for demotions,
 * below for promotions) that lost pages meanwhile.
 */
static size_t moves(const struct top_dev *d, int in, bool down, char *buf,
		    size_t len)
{
	size_t off = 0;

	for (size_t i = 0; i < d->ntiers; i++) {
		const struct top_tier *to = &d->tiers[i], *from = NULL;

		if (!to->has_rates || lround(to->rate[in]) <= 0)
			continue;
		for (size_t k = 0; k < d->ntiers; k++) {
			const struct top_tier *c = &d->tiers[k];
			uint64_t rc = tier_rank(&c->o), rt = tier_rank(&to->o);

			if (c == to || !c->has_rates || c->rate[RATE_MIG_OUT] <= 0 ||
			    obj_get(&c->o, VSWAP_A_TIER_KIND) == VSWAP_TIER_KIND_ZERO ||
			    (down ? rc >= rt : rc <= rt))
				continue;
			if (!from || (down ? rc > tier_rank(&from->o) :
				      rc < tier_rank(&from->o)))
				from = c;
		}
		/* The source may be gone already (a drain's last moves). */
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0,
					"%s%s%s %s %.0f/s", off ? ", " : "",
					from ? from->o.tier_name : "", from ? " ->" : "to",
					to->o.tier_name, to->rate[in]);
	}
	return off;
}

static void dev_action(struct top_dev *d, double t)
{
	struct top_job *j = job_of((uint32_t)obj_get(&d->o, VSWAP_A_DEV_ID));
	const struct top_tier *draining = NULL;
	char buf[128];

	d->has_pct = false;
	for (size_t i = 0; i < d->ntiers; i++)
		if (obj_get(&d->tiers[i].o, VSWAP_A_TIER_STATE) == VSWAP_TIER_STATE_DRAINING)
			draining = &d->tiers[i];
	if (j->active && t - j->when > JOB_STALE_S)
		j->active = false;

	if (draining) {
		uint32_t id = (uint32_t)obj_get(&draining->o, VSWAP_A_TIER_ID);
		uint64_t pages = stat_get(&draining->o.tier_stats, VSWAP_STATS_A_PAGES);

		if (!j->drain_seen || j->drain_tier != id) {
			j->drain_seen = true;
			j->drain_tier = id;
			j->drain_pages0 = pages;
		}
		if (j->active && j->drain && j->from == id && j->total) {
			d->pct = 100.0 * (double)j->moved / (double)j->total;
		} else {
			/* No progress event yet: what left the tier since. */
			d->pct = j->drain_pages0 ? 100.0 * (double)(j->drain_pages0 > pages ?
					j->drain_pages0 - pages : 0) / (double)j->drain_pages0 : 0;
		}
		d->pct = d->pct > 100 ? 100 : d->pct;
		d->has_pct = true;
		snprintf(d->action, sizeof(d->action), "draining %s %.0f%%",
			 draining->o.tier_name, d->pct);
		return;
	}
	j->drain_seen = false;
	if (j->active && !j->drain) {
		d->has_pct = true;
		d->pct = j->total ? 100.0 * (double)j->moved / (double)j->total : 0;
		d->pct = d->pct > 100 ? 100 : d->pct;
		snprintf(d->action, sizeof(d->action), "migrating %s -> %s %.0f%%",
			 tier_name_of(d, j->from), tier_name_of(d, j->to), d->pct);
		return;
	}
	if (moves(d, RATE_DEMOTE, true, buf, sizeof(buf))) {
		snprintf(d->action, sizeof(d->action), "demoting %s", buf);
		return;
	}
	if (moves(d, RATE_PROMOTE, false, buf, sizeof(buf))) {
		snprintf(d->action, sizeof(d->action), "promoting %s", buf);
		return;
	}
	/* The engine's clock hand passes over every allocated cluster. */
	snprintf(d->action, sizeof(d->action), "%s",
		 stat_get(&d->o.dev_stats, VSWAP_STATS_A_PAGES) ? "aging" : "idle");
}

/* ------------------------------------------------------------------ */
/* Samples. */

static void swap_use(struct top_dev *d)
{
	char line[512], name[32];
	FILE *f = fopen("/proc/swaps", "r");

	d->swapped = false;
	if (!f || !obj_dev_name(&d->o, name, sizeof(name))) {
		if (f)
			fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char path[256];
		unsigned long long size, used;
		long prio;
		const char *base;

		if (sscanf(line, "%255s %*s %llu %llu %ld", path, &size, &used, &prio) != 4)
			continue;
		base = strrchr(path, '/');
		if (strcmp(base ? base + 1 : path, name))
			continue;
		d->swapped = true;
		d->swap_size = (uint64_t)size << 10;
		d->swap_used = (uint64_t)used << 10;
		d->swap_prio = prio;
	}
	fclose(f);
}

static const struct top_tier *prev_tier(const struct top_sample *prev,
					const struct vs_obj *t)
{
	for (size_t i = 0; prev && i < prev->ntiers; i++) {
		const struct vs_obj *p = &prev->tiers[i].o;

		if (obj_get(p, VSWAP_A_DEV_ID) == obj_get(t, VSWAP_A_DEV_ID) &&
		    obj_get(p, VSWAP_A_TIER_ID) == obj_get(t, VSWAP_A_TIER_ID) &&
		    !strcmp(p->tier_name, t->tier_name))
			return &prev->tiers[i];
	}
	return NULL;
}

static void (*fail_hook)(void);

static void __attribute__((noreturn)) top_die(const char *what, int err)
{
	if (fail_hook)
		fail_hook();
	vnl_die(what, err);
}

/* Dumps: every device and tier, then those of DEV only (filter). */
static void take_sample(struct top_sample *s, const struct top_sample *prev,
			bool filter, uint32_t dev)
{
	struct vs_list devs = { 0 }, tiers = { 0 };
	size_t nt = 0;
	int ret;

	ret = vnl_dump(vnl_req(VSWAP_CMD_DEV_GET, true), &devs);
	if (ret)
		top_die("cannot list the devices", -ret);
	ret = vnl_dump(vnl_req(VSWAP_CMD_TIER_GET, true), &tiers);
	if (ret)
		top_die("cannot list the tiers", -ret);
	list_sort(&devs);
	list_sort(&tiers);

	memset(s, 0, sizeof(*s));
	s->time = now_s();
	s->interval = prev ? s->time - prev->time : 0;
	s->devs = calloc(devs.n + 1, sizeof(*s->devs));
	s->tiers = calloc(tiers.n + 1, sizeof(*s->tiers));
	if (!s->devs || !s->tiers)
		abort();
	for (size_t i = 0; i < devs.n; i++) {
		struct top_dev *d = &s->devs[s->ndevs];
		uint64_t id = obj_get(&devs.o[i], VSWAP_A_DEV_ID);

		if (filter && id != dev)
			continue;
		s->ndevs++;
		d->o = devs.o[i];
		d->tiers = &s->tiers[nt];
		for (size_t k = 0; k < tiers.n; k++) {
			struct top_tier *t = &s->tiers[nt];
			const struct top_tier *p;

			if (obj_get(&tiers.o[k], VSWAP_A_DEV_ID) != id)
				continue;
			t->o = tiers.o[k];
			/* A tier added since counts from zero. */
			p = prev_tier(prev, &t->o);
			t->has_rates = s->interval > 0;
			for (int r = 0; t->has_rates && r < NR_RATES; r++) {
				uint64_t a = p ? stat_get(&p->o.tier_stats, rate_stats[r]) : 0;
				uint64_t b = stat_get(&t->o.tier_stats, rate_stats[r]);

				t->rate[r] = b >= a ? (double)(b - a) / s->interval : 0;
			}
			nt++;
			d->ntiers++;
		}
		swap_use(d);
		dev_action(d, s->time);
	}
	s->ntiers = nt;
	list_free(&devs);
	list_free(&tiers);
}

static void sample_free(struct top_sample *s)
{
	free(s->devs);
	free(s->tiers);
	memset(s, 0, sizeof(*s));
}

/* Line mode and JSON: one object per interval, a text line per device. */
static void print_sample(const struct top_sample *s)
{
	open_json_object(NULL);
	print_float(PRINT_JSON, "time", NULL, s->time, 1);
	if (s->interval > 0)
		print_float(PRINT_JSON, "interval", NULL, s->interval, 2);
	else
		print_null(PRINT_JSON, "interval", NULL);
	print_u64(PRINT_JSON, "events_lost", NULL, s->events_lost);
	open_json_array("devices");
	if (!s->ndevs)
		print_text("%6.1fs no vswap devices\n", s->time);
	for (size_t i = 0; i < s->ndevs; i++) {
		print_text("%6.1fs ", s->time);
		open_json_object(NULL);
		print_top_dev(&s->devs[i], true);
		close_json_object();
		print_text("\n");
	}
	close_json_array();
	close_json_object();
	print_json_end();
}

/* ------------------------------------------------------------------ */
/* The loop. */

struct top_args {
	double delay;
	uint32_t count;			/* 0: until q or killed */
	bool batch;
};

struct top_loop {
	const struct top_ui *ui;	/* NULL: line mode */
	unsigned long lost;
};

static int top_event(const struct vs_obj *ev, void *arg)
{
	struct top_loop *l = arg;
	double t = now_s();

	job_event(ev, t);
	if (!l->ui) {
		print_text("%6.1fs event ", t);
		print_event(ev);
		return 0;
	}
	{
		char *line = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&line, &len);
		FILE *old;
		time_t now = time(NULL);
		char hms[16];

		if (!f)
			return 0;
		strftime(hms, sizeof(hms), "%H:%M:%S", localtime(&now));
		old = print_set_file(f);
		fprintf(f, "%s ", hms);
		print_event(ev);
		print_set_file(old);
		fclose(f);
		if (len && line[len - 1] == '\n')
			line[len - 1] = '\0';
		l->ui->event(line);
		free(line);
	}
	return 0;
}

enum { OPT_DELAY = 'd', OPT_COUNT = 'c', OPT_BATCH = 256 };

static void top_opt(int opt, const char *arg, void *ctx)
{
	struct top_args *a = ctx;
	char *end;

	switch (opt) {
	case OPT_DELAY:
		errno = 0;
		a->delay = strtod(arg, &end);
		if (errno || end == arg || *end || !(a->delay >= 0.1 && a->delay <= 3600))
			usage_error("-d '%s': seconds between refreshes, 0.1 to 3600", arg);
		break;
	case OPT_COUNT:
		a->count = opt_u32("--count", arg, UINT32_MAX);
		if (!a->count)
			usage_error("--count '%s': at least 1", arg);
		break;
	case OPT_BATCH:
		a->batch = true;
		break;
	}
}

static const char top_usage[] =
"Usage: " PROG " [-j] [-o COLS] top [DEV] [-d SECS] [-c COUNT] [--batch]\n"
"A live view of the devices (or DEV) and their tiers: occupancy against\n"
"the limit or capacity, pages and bytes, compression ratio, read, write\n"
"and migration rates, state, the device's swap use and what the migration\n"
"engine is doing; events in the footer.  -d: seconds between refreshes\n"
"(default 2); -c: stop after COUNT refreshes; q quits.  When stdout is not\n"
"a terminal, or with --batch: a line per device and refresh, events as\n"
"monitor prints them; -j: a JSON object per refresh and per event.\n"
"-o picks the columns of the screen's tier table.\n";

/* Sleep until `until` (seconds since start), taking events and keys. */
static int wait_until(struct ev_sub *sub, struct top_loop *l, double until)
{
	for (;;) {
		double left = until - now_s();
		int ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
		int ret, key;

		if (l->ui && ms > 100)
			ms = 100;		/* keys and resizes are seen soon */
		if (sub->sk) {
			ret = ev_sub_wait(sub, ms, top_event, l);
			if (ret < 0) {
				/* The statistics go on without events. */
				if (l->ui)
					l->ui->event("events: cannot read the events group; no more events");
				else
					warnx_("cannot read events: %s; no more events", strerror(-ret));
				ev_sub_close(sub);
			}
		} else if (ms) {
			struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

			nanosleep(&ts, NULL);
		}
		if (l->ui) {
			key = l->ui->keys();
			if (key)
				return key;
		}
		if (now_s() >= until)
			return 0;
	}
}

int cmd_top(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "delay", required_argument, NULL, OPT_DELAY },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "batch", no_argument,	      NULL, OPT_BATCH },
		{ NULL, 0, NULL, 0 },
	};
	struct top_args a = { .delay = 2.0 };
	struct top_loop l = { 0 };
	struct top_sample cur = { 0 }, prev = { 0 };
	struct ev_sub sub;
	struct vs_list one = { 0 };
	bool filter;
	uint32_t dev = 0, n = 0;
	char **args;
	int nargs;

	parse_cmd_opts(argc, argv, top_usage, longopts, "d:c:", top_opt, &a,
		       &args, &nargs);
	if (nargs > 1)
		usage_error("too many arguments: '%s'", args[1]);
	filter = nargs == 1;
	if (filter)
		dev = opt_dev(args[0]);
	table_check(top_columns, n_top_columns, opts.columns);
	clock_gettime(CLOCK_MONOTONIC, &t_start);

	/* Listen first, so that nothing between the dumps is missed. */
	ev_sub_open(&sub, filter, dev);
	if (filter) {
		/* The kernel's word when DEV does not exist. */
		get_devs(true, dev, &one);
		list_free(&one);
	}
	if (!opts.json && !a.batch && isatty(STDOUT_FILENO) && top_screen.start()) {
		l.ui = &top_screen;
		fail_hook = top_screen.end;
	} else {
		setvbuf(stdout, NULL, _IOLBF, 0);
	}

	take_sample(&cur, NULL, filter, dev);
	for (;;) {
		double next = cur.time + a.delay;
		int key;

		cur.events_lost = sub.lost;
		if (l.ui)
			l.ui->draw(&cur, a.delay);
		else
			print_sample(&cur);
		if (a.count && ++n >= a.count)
			break;
		do {
			key = wait_until(&sub, &l, next);
			if (key == 2)
				l.ui->draw(&cur, a.delay);
		} while (key == 2);
		if (key == 1)
			break;
		sample_free(&prev);
		prev = cur;
		take_sample(&cur, &prev, filter, dev);
	}
	if (l.ui)
		l.ui->end();
	if (sub.sk)
		ev_sub_close(&sub);
	sample_free(&prev);
	sample_free(&cur);
	free(jobs);
	return EXIT_OK;
}
