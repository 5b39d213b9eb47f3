//! Constants of `<linux/nexthop.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const NEXTHOP_GRP_TYPE_MPATH: u16 = 0;
pub const NEXTHOP_GRP_TYPE_RES: u16 = 1;
pub const NEXTHOP_GRP_TYPE_MAX: u16 = 1;
pub const NHA_UNSPEC: u16 = 0;
pub const NHA_ID: u16 = 1;
pub const NHA_GROUP: u16 = 2;
pub const NHA_GROUP_TYPE: u16 = 3;
pub const NHA_BLACKHOLE: u16 = 4;
pub const NHA_OIF: u16 = 5;
pub const NHA_GATEWAY: u16 = 6;
pub const NHA_ENCAP_TYPE: u16 = 7;
pub const NHA_ENCAP: u16 = 8;
pub const NHA_GROUPS: u16 = 9;
pub const NHA_MASTER: u16 = 10;
pub const NHA_FDB: u16 = 11;
pub const NHA_RES_GROUP: u16 = 12;
pub const NHA_RES_BUCKET: u16 = 13;
pub const NHA_MAX: u16 = 13;
pub const NHA_RES_GROUP_UNSPEC: u16 = 0;
pub const NHA_RES_GROUP_PAD: u16 = 0;
pub const NHA_RES_GROUP_BUCKETS: u16 = 1;
pub const NHA_RES_GROUP_IDLE_TIMER: u16 = 2;
pub const NHA_RES_GROUP_UNBALANCED_TIMER: u16 = 3;
pub const NHA_RES_GROUP_UNBALANCED_TIME: u16 = 4;
pub const NHA_RES_GROUP_MAX: u16 = 4;
pub const NHA_RES_BUCKET_UNSPEC: u16 = 0;
pub const NHA_RES_BUCKET_PAD: u16 = 0;
pub const NHA_RES_BUCKET_INDEX: u16 = 1;
pub const NHA_RES_BUCKET_IDLE_TIME: u16 = 2;
pub const NHA_RES_BUCKET_NH_ID: u16 = 3;
pub const NHA_RES_BUCKET_MAX: u16 = 3;
