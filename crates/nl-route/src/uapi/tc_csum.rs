//! Constants of `<linux/tc_act/tc_csum.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_CSUM_UNSPEC: u16 = 0;
pub const TCA_CSUM_PARMS: u16 = 1;
pub const TCA_CSUM_TM: u16 = 2;
pub const TCA_CSUM_PAD: u16 = 3;
pub const TCA_CSUM_MAX: u16 = 3;
pub const TCA_CSUM_UPDATE_FLAG_IPV4HDR: u32 = 1;
pub const TCA_CSUM_UPDATE_FLAG_ICMP: u32 = 2;
pub const TCA_CSUM_UPDATE_FLAG_IGMP: u32 = 4;
pub const TCA_CSUM_UPDATE_FLAG_TCP: u32 = 8;
pub const TCA_CSUM_UPDATE_FLAG_UDP: u32 = 16;
pub const TCA_CSUM_UPDATE_FLAG_UDPLITE: u32 = 32;
pub const TCA_CSUM_UPDATE_FLAG_SCTP: u32 = 64;
