//! Constants of `<linux/netfilter/nf_nat.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const NF_NAT_RANGE_MAP_IPS: u32 = 1;
pub const NF_NAT_RANGE_PROTO_SPECIFIED: u32 = 2;
pub const NF_NAT_RANGE_PROTO_RANDOM: u32 = 4;
pub const NF_NAT_RANGE_PERSISTENT: u32 = 8;
pub const NF_NAT_RANGE_PROTO_RANDOM_FULLY: u32 = 16;
pub const NF_NAT_RANGE_PROTO_OFFSET: u32 = 32;
pub const NF_NAT_RANGE_NETMAP: u32 = 64;
pub const NF_NAT_RANGE_PROTO_RANDOM_ALL: u32 = 20;
pub const NF_NAT_RANGE_MASK: u32 = 127;
