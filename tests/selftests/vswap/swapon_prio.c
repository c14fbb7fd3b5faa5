// SPDX-License-Identifier: GPL-2.0
/*
 * swapon_prio: swapon(2) with a priority, for the busybox initramfs whose
 * swapon has no -p.  Usage: swapon_prio DEVICE PRIORITY
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/swap.h>

int main(int argc, char **argv)
{
	int prio;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DEVICE PRIORITY\n", argv[0]);
		return 2;
	}
	prio = atoi(argv[2]);
	if (prio < 0 || prio > SWAP_FLAG_PRIO_MASK) {
		fprintf(stderr, "%s: priority must be 0..%d\n", argv[0],
			SWAP_FLAG_PRIO_MASK);
		return 2;
	}
	if (swapon(argv[1], SWAP_FLAG_PREFER |
		   ((prio << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK))) {
		fprintf(stderr, "swapon %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
