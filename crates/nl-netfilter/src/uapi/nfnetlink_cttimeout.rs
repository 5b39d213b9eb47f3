//! Constants of `<linux/netfilter/nfnetlink_cttimeout.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const CTA_TIMEOUT_UNSPEC: u16 = 0;
pub const CTA_TIMEOUT_NAME: u16 = 1;
pub const CTA_TIMEOUT_L3PROTO: u16 = 2;
pub const CTA_TIMEOUT_L4PROTO: u16 = 3;
pub const CTA_TIMEOUT_DATA: u16 = 4;
pub const CTA_TIMEOUT_USE: u16 = 5;
pub const CTA_TIMEOUT_MAX: u16 = 5;
pub const CTA_TIMEOUT_GENERIC_UNSPEC: u16 = 0;
pub const CTA_TIMEOUT_GENERIC_TIMEOUT: u16 = 1;
pub const CTA_TIMEOUT_GENERIC_MAX: u16 = 1;
pub const CTA_TIMEOUT_TCP_UNSPEC: u16 = 0;
pub const CTA_TIMEOUT_TCP_SYN_SENT: u16 = 1;
pub const CTA_TIMEOUT_TCP_SYN_RECV: u16 = 2;
pub const CTA_TIMEOUT_TCP_ESTABLISHED: u16 = 3;
pub const CTA_TIMEOUT_TCP_FIN_WAIT: u16 = 4;
pub const CTA_TIMEOUT_TCP_CLOSE_WAIT: u16 = 5;
pub const CTA_TIMEOUT_TCP_LAST_ACK: u16 = 6;
pub const CTA_TIMEOUT_TCP_TIME_WAIT: u16 = 7;
pub const CTA_TIMEOUT_TCP_CLOSE: u16 = 8;
pub const CTA_TIMEOUT_TCP_SYN_SENT2: u16 = 9;
pub const CTA_TIMEOUT_TCP_RETRANS: u16 = 10;
pub const CTA_TIMEOUT_TCP_UNACK: u16 = 11;
pub const CTA_TIMEOUT_TCP_MAX: u16 = 11;
pub const CTA_TIMEOUT_UDP_UNSPEC: u16 = 0;
pub const CTA_TIMEOUT_UDP_UNREPLIED: u16 = 1;
pub const CTA_TIMEOUT_UDP_REPLIED: u16 = 2;
pub const CTA_TIMEOUT_UDP_MAX: u16 = 2;
pub const CTA_TIMEOUT_UDPLITE_UNSPEC: u16 = 0;
pub const CTA_TIMEOUT_UDPLITE_UNREPLIED: u16 = 1;
pub const CTA_TIMEOUT_UDPLITE_REPLIED: u16 = 2;
pub const CTA_TIMEOUT_UDPLITE_MAX: u16 = 2;
pub const CTA_TIMEOUT_ICMP_UNSPEC: u16 = 0;
pub const CTA_TIMEOUT_ICMP_TIMEOUT: u16 = 1;
pub const CTA_TIMEOUT_ICMP_MAX: u16 = 1;
pub const CTA_TIMEOUT_DCCP_UNSPEC: u16 = 0;
pub const CTA_TIMEOUT_DCCP_REQUEST: u16 = 1;
pub const CTA_TIMEOUT_DCCP_RESPOND: u16 = 2;
pub const CTA_TIMEOUT_DCCP_PARTOPEN: u16 = 3;
pub const CTA_TIMEOUT_DCCP_OPEN: u16 = 4;
pub const CTA_TIMEOUT_DCCP_CLOSEREQ: u16 = 5;
pub const CTA_TIMEOUT_DCCP_CLOSING: u16 = 6;
pub const CTA_TIMEOUT_DCCP_TIMEWAIT: u16 = 7;
pub const CTA_TIMEOUT_DCCP_MAX: u16 = 7;
pub const CTA_TIMEOUT_SCTP_UNSPEC: u16 = 0;
pub const CTA_TIMEOUT_SCTP_CLOSED: u16 = 1;
pub const CTA_TIMEOUT_SCTP_COOKIE_WAIT: u16 = 2;
pub const CTA_TIMEOUT_SCTP_COOKIE_ECHOED: u16 = 3;
pub const CTA_TIMEOUT_SCTP_ESTABLISHED: u16 = 4;
pub const CTA_TIMEOUT_SCTP_SHUTDOWN_SENT: u16 = 5;
pub const CTA_TIMEOUT_SCTP_SHUTDOWN_RECD: u16 = 6;
pub const CTA_TIMEOUT_SCTP_SHUTDOWN_ACK_SENT: u16 = 7;
pub const CTA_TIMEOUT_SCTP_HEARTBEAT_SENT: u16 = 8;
pub const CTA_TIMEOUT_SCTP_HEARTBEAT_ACKED: u16 = 9;
pub const CTA_TIMEOUT_SCTP_MAX: u16 = 9;
pub const CTA_TIMEOUT_ICMPV6_UNSPEC: u16 = 0;
pub const CTA_TIMEOUT_ICMPV6_TIMEOUT: u16 = 1;
pub const CTA_TIMEOUT_ICMPV6_MAX: u16 = 1;
pub const CTA_TIMEOUT_GRE_UNSPEC: u16 = 0;
pub const CTA_TIMEOUT_GRE_UNREPLIED: u16 = 1;
pub const CTA_TIMEOUT_GRE_REPLIED: u16 = 2;
pub const CTA_TIMEOUT_GRE_MAX: u16 = 2;
