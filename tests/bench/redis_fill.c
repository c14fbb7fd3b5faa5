// SPDX-License-Identifier: GPL-2.0
/*
 * redis_fill: load and check a Redis data set, for tests/bench (the
 * Redis swap workload in guest-redis.sh).  Speaks RESP over TCP to
 * 127.0.0.1:PORT (default 6379).
 *
 *   redis_fill [-p PORT] [-s SEED] fill N
 *	SET key:%012u VALUE for every i in [0, N), pipelined (BATCH
 *	commands per write, then their replies, each of which must be
 *	+OK).  The key format is redis-benchmark's: `-r N -t get` asks for
 *	"key:__rand_int__" with __rand_int__ replaced by a zero-padded
 *	12-digit number below N, so that its GETs hit these keys.
 *
 *   redis_fill [-p PORT] [-s SEED] verify N SAMPLE
 *	GETs SAMPLE keys spread over [0, N) (one seeded random key in each
 *	of SAMPLE equal strides) and compares each with the value fill
 *	stored under the same SEED.
 *
 * VALUE is VAL_LEN bytes derived from (i, SEED) alone: a JSON-like
 * record, a header naming both, then "field":VALUE pairs whose values are
 * numbers, a few words from a small dictionary or, one time in RAW_EVERY,
 * raw xorshift bytes.  The server's pages then compress about 2.2x with
 * lz4, page by page (measured over a redis-server 7.0 heap holding
 * 400000 keys), unlike redis-benchmark's all-'x' values, which any
 * compressor flattens.
 *
 * Output: '# ' lines, "# filled N keys in S s" or "# verified K keys,
 * M mismatches".  Exit 0 on success, 1 on a mismatch or a missing key,
 * 2 on usage, connection or protocol errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define VAL_LEN		1024
#define KEY_LEN		16		/* "key:" + 12 digits */
#define BATCH		256		/* commands per pipelined write */
#define RAW_EVERY	8		/* one field in RAW_EVERY is raw bytes */
#define RAW_LEN		12		/* bytes in a raw field */

static const char *const fields[] = {
	"user", "session", "token", "cart", "item", "price", "order",
	"status", "email", "name", "address", "city", "country", "amount",
	"currency", "updated", "version", "profile", "language", "note",
};
#define NR_FIELDS	ARRAY_SIZE(fields)

static const char *const words[] = {
	"the", "of", "and", "to", "in", "is", "that", "for", "it", "as",
	"was", "with", "be", "by", "on", "not", "he", "this", "are", "or",
	"his", "from", "at", "which", "but", "have", "an", "had", "they",
	"you", "were", "their", "one", "all", "we", "can", "her", "has",
	"there", "been", "if", "more", "when", "will", "would", "who", "so",
	"active", "pending", "shipped", "created", "enabled", "false", "true",
	"null", "total", "settings", "default", "unknown", "verified",
};
#define NR_WORDS	ARRAY_SIZE(words)

static int sock = -1;
static char rbuf[1 << 16];
static size_t rpos, rlen;

static void die(int rc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static void die(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("# redis_fill: error: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
	exit(rc);
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* Append up to VAL_LEN - n bytes of src to v at n; returns the new n. */
static size_t put(char *v, size_t n, const char *src, size_t len)
{
	if (len > VAL_LEN - n)
		len = VAL_LEN - n;
	memcpy(v + n, src, len);
	return n + len;
}

/*
 * The value stored under key i: VAL_LEN bytes, a function of (i, seed).
 * A JSON-like record: "field":VALUE, pairs whose VALUE is a number, a
 * few words, or (one time in RAW_EVERY) a run of raw xorshift bytes.
 */
static void make_value(char *v, uint32_t i, uint32_t seed)
{
	uint64_t s = splitmix64(((uint64_t)seed << 32) | i) | 1;
	char tmp[64];
	size_t n, k;

	n = (size_t)snprintf(v, VAL_LEN, "{\"id\":%u,\"seed\":%u", i, seed);
	while (n < VAL_LEN) {
		uint64_t r = xorshift64(&s);
		const char *f = fields[r % NR_FIELDS];

		n = put(v, n, tmp, (size_t)sprintf(tmp, ",\"%s\":", f));
		switch ((r >> 8) % RAW_EVERY) {
		case 0:
			for (k = 0; k < RAW_LEN && n < VAL_LEN; k++)
				v[n++] = (char)(xorshift64(&s) >> 56);
			break;
		case 1:
		case 2:
			n = put(v, n, tmp, (size_t)sprintf(tmp, "%u",
					(unsigned int)(r >> 32) % 100000));
			break;
		default:
			n = put(v, n, "\"", 1);
			for (k = 0; k <= (r >> 16) % 3; k++) {
				const char *w = words[(r >> (20 + 6 * k)) % NR_WORDS];

				if (k)
					n = put(v, n, " ", 1);
				n = put(v, n, w, strlen(w));
			}
			n = put(v, n, "\"", 1);
			break;
		}
	}
}

static void connect_to(unsigned int port)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int one = 1;

	sock = socket(AF_INET, SOCK_STREAM, 0);
	if (sock < 0)
		die(2, "socket: %s", strerror(errno));
	if (connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die(2, "connect to 127.0.0.1:%u: %s", port, strerror(errno));
	setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void write_all(const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(sock, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die(2, "write: %s", n < 0 ? strerror(errno) : "short write");
		p += n;
		len -= (size_t)n;
	}
}

static void fill_rbuf(void)
{
	ssize_t n;

	do {
		n = read(sock, rbuf, sizeof(rbuf));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		die(2, "read: %s", strerror(errno));
	if (n == 0)
		die(2, "read: connection closed by the server");
	rpos = 0;
	rlen = (size_t)n;
}

static void read_exact(char *p, size_t len)
{
	while (len) {
		size_t n;

		if (rpos == rlen)
			fill_rbuf();
		n = rlen - rpos;
		if (n > len)
			n = len;
		memcpy(p, rbuf + rpos, n);
		rpos += n;
		p += n;
		len -= n;
	}
}

/* One reply line without its CRLF, truncated to size - 1 bytes. */
static void read_line(char *line, size_t size)
{
	size_t n = 0;
	char c = 0, prev;

	for (;;) {
		prev = c;
		read_exact(&c, 1);
		if (prev == '\r' && c == '\n')
			break;
		if (n + 1 < size)
			line[n++] = c;
	}
	if (n && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Append a SET key:%012u VALUE command to buf; returns its length. */
static size_t put_set(char *buf, uint32_t i, uint32_t seed)
{
	size_t n;

	n = (size_t)sprintf(buf, "*3\r\n$3\r\nSET\r\n$%d\r\nkey:%012u\r\n$%d\r\n",
			    KEY_LEN, i, VAL_LEN);
	make_value(buf + n, i, seed);
	n += VAL_LEN;
	memcpy(buf + n, "\r\n", 2);
	return n + 2;
}

static int do_fill(uint32_t nkeys, uint32_t seed)
{
	/* A SET is under 64 bytes of framing plus its value. */
	static char buf[BATCH * (VAL_LEN + 64)];
	char line[256];
	uint32_t i = 0, j, batch;
	double t0 = now();

	while (i < nkeys) {
		size_t len = 0;

		batch = nkeys - i < BATCH ? nkeys - i : BATCH;
		for (j = 0; j < batch; j++)
			len += put_set(buf + len, i + j, seed);
		write_all(buf, len);
		for (j = 0; j < batch; j++) {
			read_line(line, sizeof(line));
			if (strcmp(line, "+OK"))
				die(2, "SET key:%012u: reply '%s'", i + j, line);
		}
		i += batch;
	}
	printf("# filled %u keys in %.3f s\n", nkeys, now() - t0);
	return 0;
}

/* The k-th of sample keys: a seeded random one in the k-th stride. */
static uint32_t sample_key(uint32_t k, uint32_t sample, uint32_t nkeys,
			   uint32_t seed)
{
	uint64_t lo = (uint64_t)k * nkeys / sample;
	uint64_t hi = (uint64_t)(k + 1) * nkeys / sample;
	uint64_t r = splitmix64(((uint64_t)~seed << 32) | k);

	if (hi <= lo)
		return (uint32_t)lo;
	return (uint32_t)(lo + r % (hi - lo));
}

static int do_verify(uint32_t nkeys, uint32_t sample, uint32_t seed)
{
	static char cmds[BATCH * 64];
	char want[VAL_LEN], got[VAL_LEN + 2], line[256];
	uint32_t k = 0, j, batch, key, bad = 0, missing = 0;
	long len;

	if (sample > nkeys)
		sample = nkeys;
	while (k < sample) {
		size_t n = 0;

		batch = sample - k < BATCH ? sample - k : BATCH;
		for (j = 0; j < batch; j++)
			n += (size_t)sprintf(cmds + n,
					     "*2\r\n$3\r\nGET\r\n$%d\r\nkey:%012u\r\n",
					     KEY_LEN,
					     sample_key(k + j, sample, nkeys, seed));
		write_all(cmds, n);
		for (j = 0; j < batch; j++) {
			key = sample_key(k + j, sample, nkeys, seed);
			read_line(line, sizeof(line));
			if (line[0] != '$')
				die(2, "GET key:%012u: reply '%s'", key, line);
			len = strtol(line + 1, NULL, 10);
			if (len < 0) {
				if (!missing)
					printf("# key:%012u missing\n", key);
				missing++;
				bad++;
				continue;
			}
			if (len > VAL_LEN) {
				/* Read it all to stay in step, compare a prefix. */
				long left = len + 2;

				while (left > 0) {
					size_t c = left > (long)sizeof(got) ?
						   sizeof(got) : (size_t)left;

					read_exact(got, c);
					left -= (long)c;
				}
				if (bad++ < 5)
					printf("# key:%012u: %ld bytes\n", key, len);
				continue;
			}
			read_exact(got, (size_t)len + 2);
			make_value(want, key, seed);
			if (len != VAL_LEN || memcmp(got, want, VAL_LEN)) {
				if (bad++ < 5)
					printf("# key:%012u: value differs (%ld bytes)\n",
					       key, len);
			}
		}
		k += batch;
	}
	printf("# verified %u keys, %u mismatches", sample, bad);
	if (missing)
		printf(" (%u missing)", missing);
	putchar('\n');
	return bad ? 1 : 0;
}

static uint32_t parse_u32(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v > UINT32_MAX || s[0] == '-')
		die(2, "bad %s '%s'", what, s);
	return (uint32_t)v;
}

static void usage(void)
{
	fputs("usage: redis_fill [-p PORT] [-s SEED] fill N\n"
	      "       redis_fill [-p PORT] [-s SEED] verify N SAMPLE\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	uint32_t port = 6379, seed = 1, nkeys;
	int c, rc;

	while ((c = getopt(argc, argv, "p:s:h")) != -1) {
		switch (c) {
		case 'p':
			port = parse_u32(optarg, "port");
			if (!port || port > 65535)
				die(2, "bad port %u", port);
			break;
		case 's':
			seed = parse_u32(optarg, "seed");
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	nkeys = parse_u32(argv[1], "key count");
	if (!strcmp(argv[0], "fill") && argc == 2) {
		connect_to(port);
		rc = do_fill(nkeys, seed);
	} else if (!strcmp(argv[0], "verify") && argc == 3) {
		uint32_t sample = parse_u32(argv[2], "sample size");

		if (!nkeys || !sample)
			die(2, "nothing to verify (N %u, SAMPLE %u)", nkeys, sample);
		connect_to(port);
		rc = do_verify(nkeys, sample, seed);
	} else {
		usage();
	}
	fflush(stdout);
	close(sock);
	return rc;
}
