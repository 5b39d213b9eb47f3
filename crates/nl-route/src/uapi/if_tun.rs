//! Constants of `<linux/if_tun.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TUN_READQ_SIZE: u32 = 500;
pub const TUN_TYPE_MASK: u32 = 15;
pub const IFF_TUN: u16 = 1;
pub const IFF_TAP: u16 = 2;
pub const IFF_NAPI: u16 = 16;
pub const IFF_NAPI_FRAGS: u16 = 32;
pub const IFF_NO_CARRIER: u16 = 64;
pub const IFF_NO_PI: u16 = 4096;
pub const IFF_ONE_QUEUE: u16 = 8192;
pub const IFF_VNET_HDR: u16 = 16384;
pub const IFF_TUN_EXCL: u16 = 32768;
pub const IFF_MULTI_QUEUE: u16 = 256;
pub const IFF_ATTACH_QUEUE: u16 = 512;
pub const IFF_DETACH_QUEUE: u16 = 1024;
pub const IFF_PERSIST: u16 = 2048;
pub const IFF_NOFILTER: u16 = 4096;
pub const TUN_TX_TIMESTAMP: u32 = 1;
pub const TUN_F_CSUM: u32 = 1;
pub const TUN_F_TSO4: u32 = 2;
pub const TUN_F_TSO6: u32 = 4;
pub const TUN_F_TSO_ECN: u32 = 8;
pub const TUN_F_UFO: u32 = 16;
pub const TUN_PKT_STRIP: u32 = 1;
pub const TUN_FLT_ALLMULTI: u32 = 1;
