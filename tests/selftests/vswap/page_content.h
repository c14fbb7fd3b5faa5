/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page contents for the verifying swap workloads (swap_stress here,
 * tests/bench/tierload.c): every page's bytes follow from (seed, page
 * index, generation), so a reader can check a page without a copy.
 *
 *   kind      share  content
 *   zero       3/16  all zeroes
 *   same       2/16  one repeating non-zero 32-bit word
 *   text       5/16  header + words from a small dictionary (compressible)
 *   random     4/16  header + xorshift output (incompressible)
 *   half       2/16  header + random first half, zero second half
 *
 * With @compressible only the kinds that compress are used (zero, same,
 * text: 3/10, 2/10, 5/10).
 */
#ifndef _VSWAP_PAGE_CONTENT_H
#define _VSWAP_PAGE_CONTENT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define PAGE_SZ		4096UL
#define HDR_MAGIC	0x5354537061777376ULL	/* "vswapSTS" */

enum kind { K_ZERO, K_SAME, K_TEXT, K_RANDOM, K_HALF, NR_KINDS };
static const char *const kind_name[NR_KINDS] = {
	"zero", "same", "text", "random", "half",
};

struct page_hdr {
	uint64_t magic;
	uint64_t idx;
	uint32_t gen;
	uint32_t kind;
	uint64_t seed;
};

/* splitmix64 finaliser: a good 64-bit mixer. */
static inline uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static inline uint64_t pc_hash(uint64_t seed, uint64_t idx, uint32_t gen)
{
	return mix64(mix64(seed ^ idx) + gen);
}

static inline enum kind pc_kind(uint64_t h, bool compressible)
{
	if (compressible) {
		switch (h % 10) {
		case 0: case 1: case 2:
			return K_ZERO;
		case 3: case 4:
			return K_SAME;
		default:
			return K_TEXT;
		}
	}
	switch (h & 15) {
	case 0: case 1: case 2:
		return K_ZERO;
	case 3: case 4:
		return K_SAME;
	case 5: case 6: case 7: case 8: case 9:
		return K_TEXT;
	case 10: case 11: case 12: case 13:
		return K_RANDOM;
	default:
		return K_HALF;
	}
}

static inline uint64_t pc_same_word(uint64_t h)
{
	uint64_t w = (uint32_t)(h >> 32);

	if (!w)
		w = 0xa5a5a5a5;
	return w | w << 32;
}

static const char *const pc_words[] = {
	"swap ", "page ", "slot ", "the ", "compressed ", "cluster ",
	"descriptor ", "tier ", "memory ", "of ", "and ", "zsmalloc ",
	"reclaim ", "anonymous ", "kernel ", "vswap ",
};

/* Fill @p with the content of page @idx at generation @gen. */
static inline void pc_fill(uint8_t *p, uint64_t seed, bool compressible,
			   uint64_t idx, uint32_t gen)
{
	uint64_t h = pc_hash(seed, idx, gen), s = h | 1;
	enum kind k = pc_kind(h, compressible);
	struct page_hdr hdr = {
		.magic = HDR_MAGIC, .idx = idx, .gen = gen, .kind = k,
		.seed = seed,
	};
	uint64_t *q = (uint64_t *)p;
	size_t i, off;

	switch (k) {
	case K_ZERO:
		memset(p, 0, PAGE_SZ);
		return;
	case K_SAME:
		for (i = 0; i < PAGE_SZ / 8; i++)
			q[i] = pc_same_word(h);
		return;
	case K_TEXT:
		off = sizeof(hdr);
		while (off < PAGE_SZ) {
			const char *w = pc_words[xorshift(&s) & 15];
			size_t len = strlen(w);

			if (len > PAGE_SZ - off)
				len = PAGE_SZ - off;
			memcpy(p + off, w, len);
			off += len;
		}
		break;
	case K_RANDOM:
		for (i = sizeof(hdr) / 8; i < PAGE_SZ / 8; i++)
			q[i] = xorshift(&s);
		break;
	case K_HALF:
		for (i = sizeof(hdr) / 8; i < PAGE_SZ / 16; i++)
			q[i] = xorshift(&s);
		memset(p + PAGE_SZ / 2, 0, PAGE_SZ / 2);
		break;
	default:
		break;
	}
	memcpy(p, &hdr, sizeof(hdr));
}

/*
 * Whether @p holds page @idx at generation @gen.  @scratch: a page to
 * build the expected content in (the zero and same kinds need none).
 */
static inline bool pc_check(const uint8_t *p, uint64_t seed, bool compressible,
			    uint64_t idx, uint32_t gen, uint8_t *scratch)
{
	uint64_t h = pc_hash(seed, idx, gen);
	const uint64_t *q = (const uint64_t *)p;
	uint64_t w = 0;
	size_t i;

	switch (pc_kind(h, compressible)) {
	case K_SAME:
		w = pc_same_word(h);
		/* fall through */
	case K_ZERO:
		for (i = 0; i < PAGE_SZ / 8; i++)
			if (q[i] != w)
				return false;
		return true;
	default:
		pc_fill(scratch, seed, compressible, idx, gen);
		return !memcmp(p, scratch, PAGE_SZ);
	}
}

#endif /* _VSWAP_PAGE_CONTENT_H */
