// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl is linked statically.  libnl-3.a's address and protocol helpers
 * (nl_addr_info(), nl_ip_proto2str(), nl_str2ip_proto()) reference glibc's
 * NSS lookups, which a static binary cannot use (glibc warns at link time:
 * "requires at runtime the shared libraries ...").  vswapctl never calls
 * those helpers; these definitions take the place of glibc's so the link
 * is clean, and fail the way the lookups fail without NSS.
 */
#include <errno.h>
#include <netdb.h>
#include <stddef.h>

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res)
{
	(void)node;
	(void)service;
	(void)hints;
	*res = NULL;
	return EAI_FAIL;
}

void freeaddrinfo(struct addrinfo *res)
{
	(void)res;
}

struct protoent *getprotobynumber(int proto)
{
	(void)proto;
	return NULL;
}

struct protoent *getprotobyname(const char *name)
{
	(void)name;
	return NULL;
}
