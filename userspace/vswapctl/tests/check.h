/* SPDX-License-Identifier: GPL-2.0 */
/* CHECK(cond, fmt, ...): count a check, report a failure with its line. */
#ifndef VSWAPCTL_TESTS_CHECK_H
#define VSWAPCTL_TESTS_CHECK_H

#include <stdio.h>

static int failures, checks;

#define CHECK(cond, ...) do {						\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

#endif
