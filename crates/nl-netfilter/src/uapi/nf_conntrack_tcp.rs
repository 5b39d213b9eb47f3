//! Constants of `<linux/netfilter/nf_conntrack_tcp.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCP_CONNTRACK_NONE: u8 = 0;
pub const TCP_CONNTRACK_SYN_SENT: u8 = 1;
pub const TCP_CONNTRACK_SYN_RECV: u8 = 2;
pub const TCP_CONNTRACK_ESTABLISHED: u8 = 3;
pub const TCP_CONNTRACK_FIN_WAIT: u8 = 4;
pub const TCP_CONNTRACK_CLOSE_WAIT: u8 = 5;
pub const TCP_CONNTRACK_LAST_ACK: u8 = 6;
pub const TCP_CONNTRACK_TIME_WAIT: u8 = 7;
pub const TCP_CONNTRACK_CLOSE: u8 = 8;
pub const TCP_CONNTRACK_LISTEN: u8 = 9;
pub const TCP_CONNTRACK_MAX: u8 = 10;
pub const TCP_CONNTRACK_IGNORE: u8 = 11;
pub const TCP_CONNTRACK_RETRANS: u8 = 12;
pub const TCP_CONNTRACK_UNACK: u8 = 13;
pub const TCP_CONNTRACK_TIMEOUT_MAX: u8 = 14;
pub const IP_CT_TCP_FLAG_WINDOW_SCALE: u8 = 1;
pub const IP_CT_TCP_FLAG_SACK_PERM: u8 = 2;
pub const IP_CT_TCP_FLAG_CLOSE_INIT: u8 = 4;
pub const IP_CT_TCP_FLAG_BE_LIBERAL: u8 = 8;
pub const IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED: u8 = 16;
pub const IP_CT_TCP_FLAG_MAXACK_SET: u8 = 32;
pub const IP_CT_EXP_CHALLENGE_ACK: u8 = 64;
pub const IP_CT_TCP_SIMULTANEOUS_OPEN: u8 = 128;
