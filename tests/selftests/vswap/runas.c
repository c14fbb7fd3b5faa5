// SPDX-License-Identifier: GPL-2.0
/*
 * runas: run a command as an unprivileged user, for the busybox initramfs
 * that has no setpriv or su without PAM.
 *
 *   runas [-D CAP]... USER|UID[:GID] COMMAND [ARG...]
 *
 * USER is looked up in /etc/passwd by hand (getpwnam() in a static binary
 * needs the NSS libraries at run time); a bare UID runs with GID = UID
 * unless /etc/passwd names it.  "nobody" is 65534:65534 when /etc/passwd
 * lacks it.  Drops every supplementary group, then the gid, then the uid,
 * checks that none can be regained, and execs COMMAND (searched in PATH).
 * -D CAP (a capability number, e.g. 21 for CAP_SYS_ADMIN) drops CAP from
 * the bounding set first, so that even as root (runas -D 21 root ...)
 * COMMAND runs without it.
 * Exit status: COMMAND's, 126/127 when it cannot be run, 2 on usage or
 * setup errors.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/types.h>

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out > 0xfffffffeUL)
		return -1;
	return 0;
}

/* lookup: NAME or UID in /etc/passwd (name:pw:uid:gid:...). */
static int lookup(const char *who, uid_t *uid, gid_t *gid)
{
	char line[512];
	unsigned long want = 0;
	int by_id = parse_id(who, &want) == 0;
	FILE *f = fopen("/etc/passwd", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *name = strtok(line, ":");
		char *pw = strtok(NULL, ":");
		char *u = strtok(NULL, ":");
		char *g = strtok(NULL, ":\n");
		unsigned long uu, gg;

		if (!name || !pw || !u || !g || parse_id(u, &uu) || parse_id(g, &gg))
			continue;
		if (by_id ? uu == want : strcmp(name, who) == 0) {
			*uid = uu;
			*gid = gg;
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	return -1;
}

int main(int argc, char **argv)
{
	unsigned long v;
	uid_t uid;
	gid_t gid;
	char *who, *colon;
	int c;

	while ((c = getopt(argc, argv, "+D:")) != -1) {
		if (c != 'D' || parse_id(optarg, &v) || v > 63) {
			fprintf(stderr, "runas: bad option\n");
			return 2;
		}
		if (prctl(PR_CAPBSET_DROP, v, 0, 0, 0)) {
			fprintf(stderr, "runas: dropping capability %lu: %s\n", v, strerror(errno));
			return 2;
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 3) {
		fprintf(stderr, "usage: runas [-D CAP]... USER|UID[:GID] COMMAND [ARG...]\n");
		return 2;
	}
	who = argv[1];
	colon = strchr(who, ':');
	if (colon)
		*colon = '\0';
	if (lookup(who, &uid, &gid) == 0) {
		/* found */
	} else if (parse_id(who, &v) == 0) {
		uid = v;
		gid = v;
	} else if (strcmp(who, "nobody") == 0) {
		uid = 65534;
		gid = 65534;
	} else {
		fprintf(stderr, "runas: unknown user '%s'\n", who);
		return 2;
	}
	if (colon) {
		if (parse_id(colon + 1, &v)) {
			fprintf(stderr, "runas: bad gid '%s'\n", colon + 1);
			return 2;
		}
		gid = v;
	}
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
		fprintf(stderr, "runas: cannot become %u:%u: %s\n",
			(unsigned int)uid, (unsigned int)gid, strerror(errno));
		return 2;
	}
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		fprintf(stderr, "runas: uid 0 could be regained\n");
		return 2;
	}
	if (getuid() != uid || geteuid() != uid || getgid() != gid ||
	    getegid() != gid || getgroups(0, NULL) != 0) {
		fprintf(stderr, "runas: credentials did not change as asked\n");
		return 2;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "runas: %s: %s\n", argv[2], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
