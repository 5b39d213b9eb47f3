/*
 * The kernel's limit for adding routes: RTM_NEWROUTE requests packed 64 KiB
 * per sendmsg, an ack asked only of the last request of each datagram (the
 * kernel reports every failure anyway), acks read until the last one.
 * This is the same protocol the library's batch uses, without any library.
 *
 * usage: add_routes COUNT IFINDEX FIRST_IPV4_AS_HEX
 * prints: TOTAL_NS FAILURES
 */
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

struct route_req {
	struct nlmsghdr n;
	struct rtmsg r;
	struct rtattr dst_hdr;
	unsigned int dst;
	struct rtattr oif_hdr;
	int oif;
};

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long count = argc > 1 ? atol(argv[1]) : 0;
	int ifindex = argc > 2 ? atoi(argv[2]) : 0;
	unsigned int first = argc > 3 ? strtoul(argv[3], NULL, 16) : 0xc6120000;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	int rcvbuf = 8 * 1024 * 1024;
	static char out[CHUNK], in[8192];
	long sent = 0, failures = 0;
	long long start;

	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		perror("socket");
		return 1;
	}
	/* Room for every error reply of a chunk, as the library asks for. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	start = now_ns();
	while (sent < count) {
		size_t used = 0;
		struct route_req *last = NULL;
		unsigned int last_seq;
		int done = 0;

		while (sent < count && used + sizeof(struct route_req) <= CHUNK) {
			struct route_req *q = (struct route_req *)(out + used);

			memset(q, 0, sizeof(*q));
			q->n.nlmsg_len = sizeof(*q);
			q->n.nlmsg_type = RTM_NEWROUTE;
			q->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
			q->n.nlmsg_seq = sent + 1;
			q->r.rtm_family = AF_INET;
			q->r.rtm_dst_len = 32;
			q->r.rtm_table = RT_TABLE_MAIN;
			q->r.rtm_protocol = RTPROT_STATIC;
			q->r.rtm_scope = RT_SCOPE_LINK;
			q->r.rtm_type = RTN_UNICAST;
			q->dst_hdr.rta_len = RTA_LENGTH(4);
			q->dst_hdr.rta_type = RTA_DST;
			q->dst = htonl(first + sent);
			q->oif_hdr.rta_len = RTA_LENGTH(4);
			q->oif_hdr.rta_type = RTA_OIF;
			q->oif = ifindex;
			last = q;
			used += sizeof(*q);
			sent++;
		}
		last->n.nlmsg_flags |= NLM_F_ACK;
		last_seq = last->n.nlmsg_seq;
		if (send(fd, out, used, 0) < 0) {
			perror("send");
			return 1;
		}
		while (!done) {
			int n = recv(fd, in, sizeof(in), 0);
			struct nlmsghdr *h;

			if (n < 0) {
				perror("recv");
				return 1;
			}
			for (h = (struct nlmsghdr *)in; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
				if (h->nlmsg_type == NLMSG_ERROR) {
					struct nlmsgerr *e = NLMSG_DATA(h);

					if (e->error)
						failures++;
					if (h->nlmsg_seq == last_seq)
						done = 1;
				}
			}
		}
	}
	printf("%lld %ld\n", now_ns() - start, failures);
	return 0;
}
