/*
 * The kernel's limit for dumping a routing table: a raw NETLINK_ROUTE dump
 * loop that only walks message headers. Same socket setup as the library
 * (strict checking, main table, 32 KiB receive buffer).
 *
 * usage: dump_routes ITERATIONS
 * prints: TOTAL_NS MESSAGES_PER_DUMP
 */
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int iterations = argc > 1 ? atoi(argv[1]) : 1;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	int one = 1;
	static char buf[32768];
	long long total = 0, messages = 0;

	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	for (int i = 0; i < iterations; i++) {
		struct {
			struct nlmsghdr n;
			struct rtmsg r;
		} req;
		long long start, count = 0;
		int done = 0;

		memset(&req, 0, sizeof(req));
		req.n.nlmsg_len = sizeof(req);
		req.n.nlmsg_type = RTM_GETROUTE;
		req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		req.n.nlmsg_seq = i + 1;
		req.r.rtm_family = AF_INET;
		req.r.rtm_table = RT_TABLE_MAIN;
		start = now_ns();
		if (send(fd, &req, sizeof(req), 0) < 0) {
			perror("send");
			return 1;
		}
		while (!done) {
			int n = recv(fd, buf, sizeof(buf), 0);
			struct nlmsghdr *h;

			if (n < 0) {
				perror("recv");
				return 1;
			}
			for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
				if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
					done = 1;
					break;
				}
				count++;
			}
		}
		total += now_ns() - start;
		messages = count;
	}
	printf("%lld %lld\n", total, messages);
	return 0;
}
