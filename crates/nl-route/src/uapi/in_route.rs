//! Constants of `<linux/in_route.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const RTCF_NOTIFY: u32 = 65536;
pub const RTCF_DIRECTDST: u32 = 131072;
pub const RTCF_REDIRECTED: u32 = 262144;
pub const RTCF_TPROXY: u32 = 524288;
pub const RTCF_FAST: u32 = 2097152;
pub const RTCF_MASQ: u32 = 4194304;
pub const RTCF_SNAT: u32 = 8388608;
pub const RTCF_DOREDIRECT: u32 = 16777216;
pub const RTCF_DIRECTSRC: u32 = 67108864;
pub const RTCF_DNAT: u32 = 134217728;
pub const RTCF_BROADCAST: u32 = 268435456;
pub const RTCF_MULTICAST: u32 = 536870912;
pub const RTCF_REJECT: u32 = 1073741824;
pub const RTCF_LOCAL: u32 = 2147483648;
pub const RTCF_NAT: u32 = 142606336;
