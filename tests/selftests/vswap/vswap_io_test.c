// SPDX-License-Identifier: GPL-2.0
/*
 * vswap_io_test: raw block device semantics of /dev/vswapN.
 *
 * Runs against a loaded, unused device (test_io_01.sh loads the module
 * and runs this once per compression algorithm).  Every test starts from
 * an empty device: the fixture discards the whole device and checks that
 * nothing is stored and no cluster table is allocated.
 *
 * Environment: VSWAP_DEV (default vswap0).
 *
 * The statistics checked come from /sys/block/vswapN/vswap/ and
 * .../vswap/tiers/{same,ram}/.  Besides the per-feature tests there is a
 * model test: a reference map of what every slot holds must agree with
 * stored_pages, clusters, meta_bytes and the per-tier page counts after
 * a random mix of writes, overwrites, discards and write-zeroes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define PG		4096UL
#define CLUSTER		512UL		/* slots per cluster table */
#define BUF_PAGES	2560UL		/* 10 MiB I/O buffers */
#define PAGE_MAGIC	0x7473657470617773ULL	/* "swaptest" */

static const char *dev_name(void)
{
	const char *d = getenv("VSWAP_DEV");

	return d && *d ? d : "vswap0";
}

/* A u64 from /sys/block/<dev>/<rel>; -1 (as u64 max) if unreadable. */
static uint64_t sysfs_u64(const char *rel)
{
	char path[256], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/block/%s/%s", dev_name(), rel);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return UINT64_MAX;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return UINT64_MAX;
	buf[n] = 0;
	return strtoull(buf, NULL, 0);
}

static uint64_t vstat(const char *name)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "vswap/%s", name);
	return sysfs_u64(rel);
}

static uint64_t tstat(const char *tier, const char *name)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "vswap/tiers/%s/%s", tier, name);
	return sysfs_u64(rel);
}

/* ---- page contents ---------------------------------------------------- */

enum kind { K_ZERO, K_SAME, K_TEXT, K_RANDOM, K_HALF, NR_KINDS };

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static void fill_same(void *p, uint32_t w)
{
	uint32_t *q = p;
	size_t i;

	for (i = 0; i < PG / 4; i++)
		q[i] = w;
}

static uint32_t same_word(uint64_t idx, uint32_t gen)
{
	uint32_t w = (uint32_t)mix64(idx * 131 + gen);

	return w ? w : 0xdeadbeef;
}

/*
 * Content of page @idx at generation @gen of kind @k.  Every non
 * same-filled page starts with a header naming itself, so a page read
 * back from the wrong slot or an old generation is recognisable.
 */
static void fill_page(void *p, enum kind k, uint64_t idx, uint32_t gen)
{
	static const char *const words[] = {
		"swap ", "page ", "slot ", "the ", "compressed ", "cluster ",
		"descriptor ", "tier ", "memory ", "of ", "and ", "zsmalloc ",
		"reclaim ", "anonymous ", "kernel ", "vswap ",
	};
	uint64_t s = mix64(idx ^ ((uint64_t)gen << 40) ^ k) | 1;
	uint64_t *q = p;
	uint8_t *b = p;
	size_t i, off;

	switch (k) {
	case K_ZERO:
		memset(p, 0, PG);
		return;
	case K_SAME:
		fill_same(p, same_word(idx, gen));
		return;
	case K_TEXT:
		for (off = 32; off < PG;) {
			const char *w = words[xorshift(&s) & 15];
			size_t len = strlen(w);

			if (len > PG - off)
				len = PG - off;
			memcpy(b + off, w, len);
			off += len;
		}
		break;
	case K_RANDOM:
		for (i = 4; i < PG / 8; i++)
			q[i] = xorshift(&s);
		break;
	case K_HALF:
		for (i = 4; i < PG / 16; i++)
			q[i] = xorshift(&s);
		memset(b + PG / 2, 0, PG / 2);
		break;
	default:
		break;
	}
	q[0] = PAGE_MAGIC;
	q[1] = idx;
	q[2] = gen;
	q[3] = k;
}

/* ---- I/O helpers -------------------------------------------------------- */

static void *xalloc(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, PG, len))
		return NULL;
	memset(p, 0, len);
	return p;
}

static ssize_t pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done,
				   off + done);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

static ssize_t pread_all(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  off + done);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

static int range_ioctl(int fd, unsigned long req, uint64_t first_page,
		       uint64_t nr_pages)
{
	uint64_t r[2] = { first_page * PG, nr_pages * PG };

	return ioctl(fd, req, r);
}

/* ---- fixture ------------------------------------------------------------ */

FIXTURE(vswap) {
	int fd;
	uint64_t size, pages, nr_clusters;
	uint8_t *buf, *rbuf;
};

FIXTURE_SETUP(vswap)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/%s", dev_name());
	self->buf = xalloc(BUF_PAGES * PG);
	self->rbuf = xalloc(BUF_PAGES * PG);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->rbuf);
	self->fd = open(path, O_RDWR | O_DIRECT);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", path, strerror(errno));
	ASSERT_EQ(0, ioctl(self->fd, BLKGETSIZE64, &self->size));
	self->pages = self->size / PG;
	self->nr_clusters = (self->pages + CLUSTER - 1) / CLUSTER;
	ASSERT_LE(4 * CLUSTER, self->pages) TH_LOG("device too small, need 8 MiB");
	/* Start empty whatever a previous test left behind. */
	ASSERT_EQ(0, range_ioctl(self->fd, BLKDISCARD, 0, self->pages))
		TH_LOG("BLKDISCARD whole device: %s", strerror(errno));
	ASSERT_EQ(0, vstat("stored_pages"));
	ASSERT_EQ(0, vstat("clusters"));
	ASSERT_EQ(0, tstat("same", "pages"));
	ASSERT_EQ(0, tstat("ram", "pages"));
	ASSERT_EQ(0, tstat("ram", "payload_bytes"));
	ASSERT_EQ(self->nr_clusters * 8, vstat("meta_bytes"));
}

FIXTURE_TEARDOWN(vswap)
{
	if (self->fd >= 0) {
		range_ioctl(self->fd, BLKDISCARD, 0, self->pages);
		close(self->fd);
	}
	free(self->buf);
	free(self->rbuf);
}

/* Write @nr pages of kind @k (generation @gen) at @first, one pwrite. */
static int write_kind(int fd, uint8_t *buf, uint64_t first, uint64_t nr,
		      enum kind k, uint32_t gen)
{
	uint64_t i;

	for (i = 0; i < nr; i++)
		fill_page(buf + i * PG, k, first + i, gen);
	return pwrite_all(fd, buf, nr * PG, first * PG) == (ssize_t)(nr * PG)
		? 0 : -1;
}

/* Read @nr pages at @first and compare with kind @k generation @gen. */
static long check_kind(int fd, uint8_t *rbuf, uint8_t *tmp, uint64_t first,
		       uint64_t nr, enum kind k, uint32_t gen)
{
	uint64_t i;

	if (pread_all(fd, rbuf, nr * PG, first * PG) != (ssize_t)(nr * PG))
		return -1;
	for (i = 0; i < nr; i++) {
		fill_page(tmp, k, first + i, gen);
		if (memcmp(rbuf + i * PG, tmp, PG))
			return first + i;
	}
	return -2;	/* all good */
}

#define CHECK_KIND(first, nr, k, gen) do {				\
	uint8_t *_tmp = xalloc(PG);					\
	long _bad = check_kind(self->fd, self->rbuf, _tmp, first, nr,	\
			       k, gen);					\
	free(_tmp);							\
	ASSERT_EQ(-2, _bad) TH_LOG("pages %llu+%llu kind %d gen %u: %s %ld", \
		(unsigned long long)(first), (unsigned long long)(nr),	\
		k, gen, _bad == -1 ? "read failed:" : "mismatch at page", \
		_bad == -1 ? (long)errno : _bad);			\
} while (0)

#define CHECK_ZERO(first, nr) do {					\
	memset(self->rbuf, 0xa5, (nr) * PG);				\
	ASSERT_EQ((ssize_t)((nr) * PG),					\
		  pread_all(self->fd, self->rbuf, (nr) * PG, (first) * PG)); \
	ASSERT_TRUE(all_zero(self->rbuf, (nr) * PG))			\
		TH_LOG("pages %llu+%llu do not read as zeroes",		\
		       (unsigned long long)(first), (unsigned long long)(nr)); \
} while (0)

/* Invariants between the counters; called at the end of most tests. */
#define CHECK_STATS_CONSISTENT() do {					\
	uint64_t _sp = tstat("same", "pages"), _rp = tstat("ram", "pages"); \
	uint64_t _huge = tstat("ram", "huge_pages");			\
	uint64_t _stored = tstat("ram", "payload_bytes");		\
	ASSERT_EQ(vstat("stored_pages"), _sp + _rp);			\
	ASSERT_EQ(_sp * PG, tstat("same", "orig_bytes"));		\
	ASSERT_EQ(0, tstat("same", "payload_bytes"));			\
	ASSERT_EQ(_rp * PG, tstat("ram", "orig_bytes"));		\
	ASSERT_LE(_stored, _rp * PG);					\
	ASSERT_LE(_huge, _rp);						\
	ASSERT_GE(_stored, _huge * PG);					\
	ASSERT_EQ(self->nr_clusters * 8 + vstat("clusters") * PG,	\
		  vstat("meta_bytes"));					\
	ASSERT_EQ(0, vstat("failed_reads"));				\
	ASSERT_EQ(0, vstat("failed_writes"));				\
	ASSERT_EQ(0, tstat("same", "failures"));			\
	ASSERT_EQ(0, tstat("ram", "failures"));				\
} while (0)

/* ---- tests -------------------------------------------------------------- */

TEST_F(vswap, geometry)
{
	int lbs = 0, pbs = 0;
	unsigned int iomin = 0;
	char rel[64];

	ASSERT_EQ(0, ioctl(self->fd, BLKSSZGET, &lbs));
	ASSERT_EQ(4096, lbs);
	ASSERT_EQ(0, ioctl(self->fd, BLKPBSZGET, &pbs));
	ASSERT_EQ(4096, pbs);
	ASSERT_EQ(0, ioctl(self->fd, BLKIOMIN, &iomin));
	ASSERT_EQ(4096, iomin);
	ASSERT_EQ(0, self->size % PG);
	ASSERT_EQ(self->size / 512, sysfs_u64("size"));
	ASSERT_EQ(4096, sysfs_u64("queue/logical_block_size"));
	ASSERT_EQ(4096, sysfs_u64("queue/physical_block_size"));
	ASSERT_EQ(4096, sysfs_u64("queue/discard_granularity"));
	ASSERT_LT(0, sysfs_u64("queue/discard_max_bytes"));
	ASSERT_LT(0, sysfs_u64("queue/write_zeroes_max_bytes"));
	ASSERT_EQ(0, sysfs_u64("queue/rotational"));
	snprintf(rel, sizeof(rel), "queue/stable_writes");
	ASSERT_EQ(1, sysfs_u64(rel));
}

TEST_F(vswap, unwritten_reads_zero)
{
	uint64_t reads = vstat("reads");

	CHECK_ZERO(0, 1);
	CHECK_ZERO(self->pages / 2 - 8, 16);	/* across clusters */
	CHECK_ZERO(self->pages - 1, 1);
	CHECK_ZERO(CLUSTER, CLUSTER);
	/* Reads are served and counted, and allocate nothing. */
	ASSERT_EQ(reads + 1 + 16 + 1 + CLUSTER, vstat("reads"));
	ASSERT_EQ(0, vstat("stored_pages"));
	ASSERT_EQ(0, vstat("clusters"));
	ASSERT_EQ(0, tstat("ram", "reads") + tstat("same", "reads"));
	/* An empty slot next to a written one in the same cluster. */
	ASSERT_EQ(0, write_kind(self->fd, self->buf, 10, 1, K_RANDOM, 1));
	CHECK_ZERO(9, 1);
	CHECK_ZERO(11, 1);
	CHECK_KIND(10, 1, K_RANDOM, 1);
	ASSERT_EQ(1, vstat("stored_pages"));
	ASSERT_EQ(1, vstat("clusters"));
	CHECK_STATS_CONSISTENT();
}

TEST_F(vswap, roundtrip)
{
	/* 300 pages from page 400: crosses a cluster boundary, 1.2 MiB in
	 * one pwrite (several requests: max_hw_sectors is 512 KiB). */
	const uint64_t first = 400, nr = 300;
	uint64_t writes = vstat("writes"), i;
	uint8_t *tmp = xalloc(PG);

	for (i = 0; i < nr; i++)
		fill_page(self->buf + i * PG, (enum kind)(i % NR_KINDS),
			  first + i, 1);
	ASSERT_EQ((ssize_t)(nr * PG),
		  pwrite_all(self->fd, self->buf, nr * PG, first * PG));
	ASSERT_EQ(writes + nr, vstat("writes"));
	ASSERT_EQ(nr, vstat("stored_pages"));
	ASSERT_EQ(2, vstat("clusters"));
	memset(self->rbuf, 0xa5, nr * PG);
	ASSERT_EQ((ssize_t)(nr * PG),
		  pread_all(self->fd, self->rbuf, nr * PG, first * PG));
	for (i = 0; i < nr; i++) {
		fill_page(tmp, (enum kind)(i % NR_KINDS), first + i, 1);
		ASSERT_EQ(0, memcmp(tmp, self->rbuf + i * PG, PG))
			TH_LOG("page %llu differs", (unsigned long long)(first + i));
	}
	/* Page by page too (single-segment requests). */
	for (i = 0; i < nr; i += 37) {
		ASSERT_EQ((ssize_t)PG, pread(self->fd, self->rbuf, PG,
					     (first + i) * PG));
		fill_page(tmp, (enum kind)(i % NR_KINDS), first + i, 1);
		ASSERT_EQ(0, memcmp(tmp, self->rbuf, PG));
	}
	/* The last page of the device. */
	ASSERT_EQ(0, write_kind(self->fd, self->buf, self->pages - 1, 1,
				K_TEXT, 7));
	CHECK_KIND(self->pages - 1, 1, K_TEXT, 7);
	ASSERT_EQ(nr + 1, vstat("stored_pages"));
	ASSERT_EQ(3, vstat("clusters"));
	free(tmp);
	CHECK_STATS_CONSISTENT();
}

TEST_F(vswap, overwrite)
{
	static const enum kind seq[] = {
		K_RANDOM, K_TEXT, K_ZERO, K_SAME, K_HALF, K_RANDOM, K_ZERO,
	};
	const uint64_t first = 100, nr = 64;
	unsigned int g;

	for (g = 0; g < sizeof(seq) / sizeof(seq[0]); g++) {
		enum kind k = seq[g];
		uint64_t same = tstat("same", "pages");
		uint64_t ram = tstat("ram", "pages");

		ASSERT_EQ(0, write_kind(self->fd, self->buf, first, nr, k, g + 1));
		CHECK_KIND(first, nr, k, g + 1);
		/* Overwrites replace: the slot count stays, the tier follows
		 * the content. */
		ASSERT_EQ(nr, vstat("stored_pages"));
		ASSERT_EQ(1, vstat("clusters"));
		if (k == K_ZERO || k == K_SAME) {
			ASSERT_EQ(nr, tstat("same", "pages"));
			ASSERT_EQ(0, tstat("ram", "pages"));
			ASSERT_EQ(0, tstat("ram", "payload_bytes"));
			/* Everything left the RAM tier: zsmalloc is empty. */
			ASSERT_EQ(0, tstat("ram", "pool_bytes"));
		} else {
			ASSERT_EQ(0, tstat("same", "pages"));
			ASSERT_EQ(nr, tstat("ram", "pages"));
		}
		ASSERT_EQ(k == K_RANDOM ? nr : 0, tstat("ram", "huge_pages"));
		(void)same;
		(void)ram;
		CHECK_STATS_CONSISTENT();
	}
	/* Overwrite half the pages with the other half's old content... and
	 * one page in place many times. */
	for (g = 0; g < 50; g++)
		ASSERT_EQ(0, write_kind(self->fd, self->buf, first + 5, 1,
					(enum kind)(g % NR_KINDS), 100 + g));
	CHECK_KIND(first + 5, 1, (enum kind)(49 % NR_KINDS), 149);
	CHECK_KIND(first + 6, 1, K_ZERO, 7);
	ASSERT_EQ(nr, vstat("stored_pages"));
	CHECK_STATS_CONSISTENT();
}

/* Shared body of the discard and write-zeroes tests. */
static void release_test(struct __test_metadata *_metadata,
			 FIXTURE_DATA(vswap) *self, unsigned long req,
			 const char *what)
{
	uint64_t discards = vstat("discards");
	uint64_t c;

	/* Three full clusters of mixed content. */
	for (c = 0; c < 3; c++)
		ASSERT_EQ(0, write_kind(self->fd, self->buf, c * CLUSTER, CLUSTER,
					c == 1 ? K_TEXT : K_RANDOM, 1));
	ASSERT_EQ(3 * CLUSTER, vstat("stored_pages"));
	ASSERT_EQ(3, vstat("clusters"));
	ASSERT_EQ(self->nr_clusters * 8 + 3 * PG, vstat("meta_bytes"));

	/* The whole middle cluster: its table is freed. */
	ASSERT_EQ(0, range_ioctl(self->fd, req, CLUSTER, CLUSTER))
		TH_LOG("%s: %s", what, strerror(errno));
	ASSERT_EQ(2 * CLUSTER, vstat("stored_pages"));
	ASSERT_EQ(2, vstat("clusters"));
	ASSERT_EQ(self->nr_clusters * 8 + 2 * PG, vstat("meta_bytes"));
	ASSERT_EQ(0, tstat("ram", "pages") - 2 * CLUSTER);
	ASSERT_EQ(discards + CLUSTER, vstat("discards"));
	CHECK_ZERO(CLUSTER, CLUSTER);
	CHECK_KIND(0, CLUSTER, K_RANDOM, 1);
	CHECK_KIND(2 * CLUSTER, CLUSTER, K_RANDOM, 1);

	/* Part of cluster 0: slots freed, the table stays. */
	ASSERT_EQ(0, range_ioctl(self->fd, req, 10, 100));
	ASSERT_EQ(2 * CLUSTER - 100, vstat("stored_pages"));
	ASSERT_EQ(2, vstat("clusters"));
	CHECK_ZERO(10, 100);
	CHECK_KIND(0, 10, K_RANDOM, 1);
	CHECK_KIND(110, CLUSTER - 110, K_RANDOM, 1);

	/* A range over the empty cluster and into cluster 2. */
	ASSERT_EQ(0, range_ioctl(self->fd, req, CLUSTER + 5, CLUSTER + 1));
	ASSERT_EQ(2 * CLUSTER - 100 - 6, vstat("stored_pages"));
	CHECK_ZERO(2 * CLUSTER, 6);
	CHECK_KIND(2 * CLUSTER + 6, CLUSTER - 6, K_RANDOM, 1);
	CHECK_STATS_CONSISTENT();

	/* Everything that is left, slot by slot ranges: the last slot of
	 * each cluster frees its table. */
	ASSERT_EQ(0, range_ioctl(self->fd, req, 0, 10));
	ASSERT_EQ(0, range_ioctl(self->fd, req, 110, CLUSTER - 110));
	ASSERT_EQ(1, vstat("clusters"));
	ASSERT_EQ(0, range_ioctl(self->fd, req, 2 * CLUSTER, CLUSTER));
	ASSERT_EQ(0, vstat("stored_pages"));
	ASSERT_EQ(0, vstat("clusters"));
	ASSERT_EQ(self->nr_clusters * 8, vstat("meta_bytes"));
	ASSERT_EQ(0, tstat("ram", "pages"));
	ASSERT_EQ(0, tstat("ram", "payload_bytes"));
	ASSERT_EQ(0, tstat("ram", "huge_pages"));
	ASSERT_EQ(0, tstat("ram", "pool_bytes"));
	CHECK_ZERO(0, 3 * CLUSTER > BUF_PAGES ? BUF_PAGES : 3 * CLUSTER);
	/* Releasing nothing is fine and changes nothing. */
	ASSERT_EQ(0, range_ioctl(self->fd, req, 0, 3 * CLUSTER));
	ASSERT_EQ(0, vstat("stored_pages"));
	ASSERT_EQ(0, vstat("clusters"));
	CHECK_STATS_CONSISTENT();
}

TEST_F(vswap, discard)
{
	release_test(_metadata, self, BLKDISCARD, "BLKDISCARD");
}

TEST_F(vswap, write_zeroes)
{
	release_test(_metadata, self, BLKZEROOUT, "BLKZEROOUT");
}

TEST_F(vswap, fallocate)
{
	/* fallocate on a block device: zero range and punch hole both end
	 * up as write-zeroes (or discard) and must free the slots. */
	ASSERT_EQ(0, write_kind(self->fd, self->buf, 0, 64, K_TEXT, 1));
	ASSERT_EQ(0, fallocate(self->fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
			       0, 16 * PG)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(48, vstat("stored_pages"));
	CHECK_ZERO(0, 16);
	ASSERT_EQ(0, fallocate(self->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       16 * PG, 48 * PG)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, vstat("stored_pages"));
	ASSERT_EQ(0, vstat("clusters"));
	CHECK_ZERO(0, 64);
	CHECK_STATS_CONSISTENT();
}

TEST_F(vswap, release_unaligned)
{
	uint64_t r[2];

	ASSERT_EQ(0, write_kind(self->fd, self->buf, 0, 4, K_TEXT, 1));
	/* Not a multiple of the 4 KiB logical block: refused, nothing freed. */
	r[0] = 512; r[1] = PG;
	ASSERT_EQ(-1, ioctl(self->fd, BLKDISCARD, r));
	ASSERT_EQ(EINVAL, errno);
	r[0] = 0; r[1] = 512;
	ASSERT_EQ(-1, ioctl(self->fd, BLKDISCARD, r));
	ASSERT_EQ(EINVAL, errno);
	r[0] = 512; r[1] = PG;
	ASSERT_EQ(-1, ioctl(self->fd, BLKZEROOUT, r));
	ASSERT_EQ(EINVAL, errno);
	/* Past the end of the device. */
	r[0] = self->size - PG; r[1] = 2 * PG;
	ASSERT_EQ(-1, ioctl(self->fd, BLKDISCARD, r));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(4, vstat("stored_pages"));
	CHECK_KIND(0, 4, K_TEXT, 1);
}

TEST_F(vswap, same_filled)
{
	static const uint32_t pats[] = {
		0, 0xffffffff, 0xdeadbeef, 0x01020304, 0x80000000, 0xa5a5a5a5,
	};
	const unsigned int n = sizeof(pats) / sizeof(pats[0]);
	uint64_t same_w = tstat("same", "writes"), same_r = tstat("same", "reads");
	uint64_t *q;
	unsigned int i;

	for (i = 0; i < n; i++)
		fill_same(self->buf + i * PG, pats[i]);
	ASSERT_EQ((ssize_t)(n * PG), pwrite_all(self->fd, self->buf, n * PG, 0));
	ASSERT_EQ(n, tstat("same", "pages"));
	ASSERT_EQ(n * PG, tstat("same", "orig_bytes"));
	ASSERT_EQ(0, tstat("same", "payload_bytes"));
	ASSERT_EQ(same_w + n, tstat("same", "writes"));
	ASSERT_EQ(0, tstat("ram", "pages"));
	ASSERT_EQ(0, tstat("ram", "pool_bytes"));
	memset(self->rbuf, 0x5a, n * PG);
	ASSERT_EQ((ssize_t)(n * PG), pread_all(self->fd, self->rbuf, n * PG, 0));
	ASSERT_EQ(0, memcmp(self->buf, self->rbuf, n * PG));
	ASSERT_EQ(same_r + n, tstat("same", "reads"));

	/* Almost same-filled pages are not: they go to the RAM tier and
	 * come back exactly. */
	fill_same(self->buf, 0x11111111);
	self->buf[PG - 1] = 0x12;			/* last byte differs */
	fill_same(self->buf + PG, 0x22222222);
	self->buf[PG] = 0x23;				/* first byte differs */
	q = (uint64_t *)(self->buf + 2 * PG);		/* 64-bit period only */
	for (i = 0; i < PG / 8; i++)
		q[i] = 0x1111111122222222ULL;
	ASSERT_EQ((ssize_t)(3 * PG), pwrite_all(self->fd, self->buf, 3 * PG, 100 * PG));
	ASSERT_EQ(n, tstat("same", "pages"));
	ASSERT_EQ(3, tstat("ram", "pages"));
	ASSERT_EQ((ssize_t)(3 * PG), pread_all(self->fd, self->rbuf, 3 * PG, 100 * PG));
	ASSERT_EQ(0, memcmp(self->buf, self->rbuf, 3 * PG));
	CHECK_STATS_CONSISTENT();
}

TEST_F(vswap, incompressible)
{
	const uint64_t nr = 256;

	ASSERT_EQ(0, write_kind(self->fd, self->buf, 0, nr, K_RANDOM, 1));
	ASSERT_EQ(nr, tstat("ram", "pages"));
	ASSERT_EQ(nr, tstat("ram", "huge_pages"));
	ASSERT_EQ(nr * PG, tstat("ram", "orig_bytes"));
	/* Stored raw: exactly a page each, never more. */
	ASSERT_EQ(nr * PG, tstat("ram", "payload_bytes"));
	ASSERT_LE(tstat("ram", "payload_bytes"), tstat("ram", "orig_bytes"));
	ASSERT_GE(tstat("ram", "pool_bytes"), nr * PG);
	CHECK_KIND(0, nr, K_RANDOM, 1);

	/* Compressible pages next to them are compressed. */
	ASSERT_EQ(0, write_kind(self->fd, self->buf, nr, nr, K_TEXT, 1));
	ASSERT_EQ(2 * nr, tstat("ram", "pages"));
	ASSERT_EQ(nr, tstat("ram", "huge_pages"))
		TH_LOG("compressible text pages were stored raw: the compressor failed on them");
	ASSERT_LT(tstat("ram", "payload_bytes") - nr * PG, nr * PG * 3 / 4)
		TH_LOG("text pages stored in %llu bytes",
		       (unsigned long long)(tstat("ram", "payload_bytes") - nr * PG));
	/* Half-random pages compress to a bit more than half. */
	ASSERT_EQ(0, write_kind(self->fd, self->buf, 2 * nr, nr, K_HALF, 1));
	ASSERT_EQ(nr, tstat("ram", "huge_pages"));
	ASSERT_LT(tstat("ram", "payload_bytes"), 3 * nr * PG);
	CHECK_KIND(nr, nr, K_TEXT, 1);
	CHECK_KIND(2 * nr, nr, K_HALF, 1);

	/* Overwriting a raw page with a compressible one drops huge_pages. */
	ASSERT_EQ(0, write_kind(self->fd, self->buf, 0, nr / 2, K_TEXT, 2));
	ASSERT_EQ(nr / 2, tstat("ram", "huge_pages"));
	ASSERT_EQ(3 * nr, tstat("ram", "pages"));
	CHECK_STATS_CONSISTENT();
}

TEST_F(vswap, misaligned_direct)
{
	uint64_t writes = vstat("writes"), reads = vstat("reads");
	char path[64];
	int fd;

	ASSERT_EQ(0, write_kind(self->fd, self->buf, 0, 2, K_TEXT, 1));
	writes += 2;
	/* Length below the logical block size. */
	errno = 0;
	ASSERT_EQ(-1, pwrite(self->fd, self->buf, 512, 0));
	ASSERT_EQ(EINVAL, errno);
	errno = 0;
	ASSERT_EQ(-1, pread(self->fd, self->rbuf, 512, 0));
	ASSERT_EQ(EINVAL, errno);
	/* Offset not 4 KiB aligned. */
	errno = 0;
	ASSERT_EQ(-1, pwrite(self->fd, self->buf, PG, 512));
	ASSERT_EQ(EINVAL, errno);
	errno = 0;
	ASSERT_EQ(-1, pread(self->fd, self->rbuf, PG, 512));
	ASSERT_EQ(EINVAL, errno);
	errno = 0;
	ASSERT_EQ(-1, pwrite(self->fd, self->buf, PG + 512, 0));
	ASSERT_EQ(EINVAL, errno);
	/* Memory not aligned to the DMA alignment (a page). */
	errno = 0;
	ASSERT_EQ(-1, pwrite(self->fd, self->buf + 512, PG, 0));
	ASSERT_EQ(EINVAL, errno);
	errno = 0;
	ASSERT_EQ(-1, pread(self->fd, self->rbuf + 512, PG, 0));
	ASSERT_EQ(EINVAL, errno);
	/* None of it reached the device. */
	ASSERT_EQ(writes, vstat("writes"));
	ASSERT_EQ(reads, vstat("reads"));
	ASSERT_EQ(2, vstat("stored_pages"));
	CHECK_KIND(0, 2, K_TEXT, 1);

	/* Buffered 512-byte writes go through the page cache, which does
	 * the read-modify-write of the 4 KiB block. */
	snprintf(path, sizeof(path), "/dev/%s", dev_name());
	fd = open(path, O_RDWR);
	ASSERT_LE(0, fd);
	memset(self->buf, 0x77, 512);
	ASSERT_EQ(512, pwrite(fd, self->buf, 512, PG + 1024));
	ASSERT_EQ(0, fsync(fd));
	close(fd);
	fill_page(self->buf, K_TEXT, 1, 1);
	memset(self->buf + 1024, 0x77, 512);
	ASSERT_EQ((ssize_t)PG, pread(self->fd, self->rbuf, PG, PG));
	ASSERT_EQ(0, memcmp(self->buf, self->rbuf, PG));
	CHECK_KIND(0, 1, K_TEXT, 1);
	CHECK_STATS_CONSISTENT();
}

TEST_F(vswap, end_of_device)
{
	/* Writing at the end: ENOSPC; reading at the end: EOF. */
	errno = 0;
	ASSERT_EQ(-1, pwrite(self->fd, self->buf, PG, self->size));
	ASSERT_EQ(ENOSPC, errno);
	ASSERT_EQ(0, pread(self->fd, self->rbuf, PG, self->size));
	/* A write straddling the end is cut at the end. */
	fill_page(self->buf, K_TEXT, self->pages - 1, 3);
	ASSERT_EQ((ssize_t)PG, pwrite(self->fd, self->buf, 2 * PG, self->size - PG));
	CHECK_KIND(self->pages - 1, 1, K_TEXT, 3);
	ASSERT_EQ(1, vstat("stored_pages"));
	CHECK_STATS_CONSISTENT();
}

/*
 * A writer rewrites a few pages over and over with self-describing
 * content while a reader reads them: every page read must be one whole
 * generation of that page, never a mix or another slot's data.
 */
TEST_F_TIMEOUT(vswap, concurrent_rw, 300)
{
	const uint64_t nr = 16, first = CLUSTER - 8;	/* across a boundary */
	const unsigned int gens = 300;
	uint8_t *tmp = xalloc(PG);
	unsigned int g, torn = 0, checked = 0;
	int status;
	pid_t pid;
	uint64_t i;

	ASSERT_EQ(0, write_kind(self->fd, self->buf, first, nr, K_TEXT, 1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (g = 2; g < gens; g++)
			for (i = 0; i < nr; i++) {
				enum kind k = (enum kind)((g + i) % NR_KINDS);

				fill_page(self->buf, k, first + i, g);
				if (pwrite(self->fd, self->buf, PG,
					   (first + i) * PG) != (ssize_t)PG)
					_exit(1);
			}
		_exit(0);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		ASSERT_EQ((ssize_t)(nr * PG),
			  pread_all(self->fd, self->rbuf, nr * PG, first * PG));
		for (i = 0; i < nr; i++) {
			uint8_t *p = self->rbuf + i * PG;
			uint64_t *q = (uint64_t *)p;
			bool ok = false;

			if (q[0] == PAGE_MAGIC) {
				ok = q[1] == first + i && q[3] < NR_KINDS;
				if (ok) {
					fill_page(tmp, (enum kind)q[3], q[1], q[2]);
					ok = !memcmp(tmp, p, PG);
				}
			} else {
				/* zero or same-filled: one repeated word */
				uint32_t *w = (uint32_t *)p;
				unsigned int j;

				ok = true;
				for (j = 1; j < PG / 4; j++)
					if (w[j] != w[0])
						ok = false;
			}
			torn += !ok;
			checked++;
		}
	}
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	TH_LOG("checked %u page reads during %u rewrites", checked,
	       (gens - 2) * (unsigned int)nr);
	ASSERT_EQ(0, torn);
	for (i = 0; i < nr; i++)
		CHECK_KIND(first + i, 1, (enum kind)((gens - 1 + i) % NR_KINDS),
			   gens - 1);
	ASSERT_EQ(nr, vstat("stored_pages"));
	free(tmp);
	CHECK_STATS_CONSISTENT();
}

/*
 * Writers and a discarder race over the same two clusters, so cluster
 * tables are freed and re-allocated under concurrent stores.  Afterwards
 * every page must be either zero or one whole generation of itself, and
 * the counters must match what the device really holds: stored_pages =
 * number of non-zero pages (only non-zero kinds are written), clusters =
 * number of clusters holding any.
 */
TEST_F_TIMEOUT(vswap, discard_write_race, 300)
{
	static const enum kind kinds[] = { K_SAME, K_TEXT, K_RANDOM, K_HALF };
	const uint64_t first = 3 * CLUSTER, nr = 2 * CLUSTER;
	const unsigned int rounds = 3000;
	pid_t pids[3];
	unsigned int p;
	uint64_t i, used = 0, clusters = 0;
	uint8_t *tmp = xalloc(PG);
	int status;

	for (p = 0; p < 3; p++) {
		pids[p] = fork();
		ASSERT_LE(0, pids[p]);
		if (pids[p] == 0) {
			uint64_t s = 0x9876 + p, r, off, n;
			unsigned int j;

			/* The discarder runs longer: the end state is mixed. */
			for (j = 0; j < (p == 2 ? rounds : rounds / 2); j++) {
				r = xorshift(&s);
				off = first + r % nr;
				n = 1 + (r >> 32) % 16;
				if (off + n > first + nr)
					n = first + nr - off;
				if (p == 2) {
					/* the discarder: often whole clusters */
					if ((r >> 60) < 4) {
						off = first + ((r >> 40) & 1) * CLUSTER;
						n = CLUSTER;
					}
					if (range_ioctl(self->fd, (r >> 58) & 1 ?
							BLKZEROOUT : BLKDISCARD,
							off, n))
						_exit(1);
					continue;
				}
				for (i = 0; i < n; i++)
					fill_page(self->buf + i * PG,
						  kinds[(r >> 50) % 4], off + i,
						  j * 2 + p);
				if (pwrite_all(self->fd, self->buf, n * PG,
					       off * PG) != (ssize_t)(n * PG))
					_exit(1);
			}
			_exit(0);
		}
	}
	for (p = 0; p < 3; p++) {
		ASSERT_EQ(pids[p], waitpid(pids[p], &status, 0));
		ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("child %u failed", p);
	}
	ASSERT_EQ((ssize_t)(nr * PG),
		  pread_all(self->fd, self->rbuf, nr * PG, first * PG));
	for (i = 0; i < nr; i++) {
		uint8_t *pg = self->rbuf + i * PG;
		uint64_t *q = (uint64_t *)pg;
		uint32_t *w = (uint32_t *)pg;
		bool ok = true;
		unsigned int j;

		if (q[0] == PAGE_MAGIC) {
			ok = q[1] == first + i && q[3] < NR_KINDS;
			if (ok) {
				fill_page(tmp, (enum kind)q[3], q[1], q[2]);
				ok = !memcmp(tmp, pg, PG);
			}
		} else {
			for (j = 1; j < PG / 4; j++)
				if (w[j] != w[0])
					ok = false;
		}
		ASSERT_TRUE(ok) TH_LOG("page %llu is torn or misplaced",
				       (unsigned long long)(first + i));
		if (!all_zero(pg, PG))
			used++;
		if (i % CLUSTER == CLUSTER - 1) {
			bool any = false;
			uint64_t k;

			for (k = i + 1 - CLUSTER; k <= i; k++)
				if (!all_zero(self->rbuf + k * PG, PG))
					any = true;
			clusters += any;
		}
	}
	TH_LOG("after the race: %llu pages used in %llu clusters",
	       (unsigned long long)used, (unsigned long long)clusters);
	ASSERT_EQ(used, vstat("stored_pages"));
	ASSERT_EQ(clusters, vstat("clusters"));
	free(tmp);
	CHECK_STATS_CONSISTENT();
	/* And everything can still be released. */
	ASSERT_EQ(0, range_ioctl(self->fd, BLKDISCARD, first, nr));
	ASSERT_EQ(0, vstat("stored_pages"));
	ASSERT_EQ(0, vstat("clusters"));
}

/*
 * Model test: random writes (all kinds), discards and write-zeroes over
 * a 4-cluster window; a reference map of each slot's kind must agree with
 * the device's counters and its data at every checkpoint.
 */
TEST_F_TIMEOUT(vswap, model, 300)
{
	const uint64_t window = 4 * CLUSTER + 37;
	signed char *model = calloc(window, 1);		/* -1 empty, else kind */
	uint32_t *gen = calloc(window, sizeof(*gen));
	uint64_t s = 0x1234567, step, i;
	uint8_t *tmp = xalloc(PG);

	ASSERT_NE(NULL, model);
	memset(model, -1, window);
	for (step = 0; step < 400; step++) {
		uint64_t r = xorshift(&s);
		uint64_t first = r % window;
		uint64_t nr = 1 + (r >> 20) % 64;
		unsigned int op = (r >> 40) % 10;

		if (first + nr > window)
			nr = window - first;
		if (op < 7) {
			for (i = 0; i < nr; i++) {
				enum kind k = (enum kind)((r >> 50) + i) % NR_KINDS;

				gen[first + i]++;
				model[first + i] = k;
				fill_page(self->buf + i * PG, k, first + i,
					  gen[first + i]);
			}
			ASSERT_EQ((ssize_t)(nr * PG), pwrite_all(self->fd,
				  self->buf, nr * PG, first * PG));
		} else {
			ASSERT_EQ(0, range_ioctl(self->fd, op == 9 ?
				  BLKZEROOUT : BLKDISCARD, first, nr));
			memset(model + first, -1, nr);
		}
		if (step % 50 == 49 || step == 399) {
			uint64_t used = 0, same = 0, clusters = 0, c;

			for (c = 0; c * CLUSTER < window; c++) {
				bool any = false;

				for (i = c * CLUSTER; i < window &&
				     i < (c + 1) * CLUSTER; i++) {
					if (model[i] < 0)
						continue;
					any = true;
					used++;
					same += model[i] == K_ZERO ||
						model[i] == K_SAME;
				}
				clusters += any;
			}
			ASSERT_EQ(used, vstat("stored_pages"));
			ASSERT_EQ(same, tstat("same", "pages"));
			ASSERT_EQ(used - same, tstat("ram", "pages"));
			ASSERT_EQ(clusters, vstat("clusters"));
			CHECK_STATS_CONSISTENT();
			ASSERT_EQ((ssize_t)(window * PG),
				  pread_all(self->fd, self->rbuf, window * PG, 0));
			for (i = 0; i < window; i++) {
				if (model[i] < 0)
					memset(tmp, 0, PG);
				else
					fill_page(tmp, (enum kind)model[i], i, gen[i]);
				ASSERT_EQ(0, memcmp(tmp, self->rbuf + i * PG, PG))
					TH_LOG("step %llu: page %llu (kind %d gen %u) differs",
					       (unsigned long long)step,
					       (unsigned long long)i, model[i], gen[i]);
			}
		}
	}
	free(model);
	free(gen);
	free(tmp);
}

TEST_HARNESS_MAIN
