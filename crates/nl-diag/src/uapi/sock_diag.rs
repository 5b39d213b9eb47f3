//! `<linux/sock_diag.h>`: the message types and the memory counters
//! every socket family shares.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

use zerocopy::byteorder::native_endian::U32;

pub const SOCK_DIAG_BY_FAMILY: u16 = 20;
pub const SOCK_DESTROY: u16 = 21;

pub const SK_MEMINFO_RMEM_ALLOC: usize = 0;
pub const SK_MEMINFO_RCVBUF: usize = 1;
pub const SK_MEMINFO_WMEM_ALLOC: usize = 2;
pub const SK_MEMINFO_SNDBUF: usize = 3;
pub const SK_MEMINFO_FWD_ALLOC: usize = 4;
pub const SK_MEMINFO_WMEM_QUEUED: usize = 5;
pub const SK_MEMINFO_OPTMEM: usize = 6;
pub const SK_MEMINFO_BACKLOG: usize = 7;
pub const SK_MEMINFO_DROPS: usize = 8;
pub const SK_MEMINFO_VARS: usize = 9;

pub const SKNLGRP_NONE: u32 = 0;
pub const SKNLGRP_INET_TCP_DESTROY: u32 = 1;
pub const SKNLGRP_INET_UDP_DESTROY: u32 = 2;
pub const SKNLGRP_INET6_TCP_DESTROY: u32 = 3;
pub const SKNLGRP_INET6_UDP_DESTROY: u32 = 4;

nl_wire::wire_struct! {
    /// `struct sock_diag_req`: the two bytes every request starts with.
    pub struct SockDiagReq(2) {
        pub sdiag_family: u8,
        pub sdiag_protocol: u8,
    }

    /// `__u32[SK_MEMINFO_VARS]`: the payload of `INET_DIAG_SKMEMINFO` and
    /// `UNIX_DIAG_MEMINFO` (newer kernels may send more counters).
    pub struct SkMemInfoRaw(36) {
        pub vars: [U32; SK_MEMINFO_VARS],
    }
}
