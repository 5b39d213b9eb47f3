//! Constants of `<linux/if_vlan.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const VLAN_FLAG_REORDER_HDR: u32 = 1;
pub const VLAN_FLAG_GVRP: u32 = 2;
pub const VLAN_FLAG_LOOSE_BINDING: u32 = 4;
pub const VLAN_FLAG_MVRP: u32 = 8;
pub const VLAN_FLAG_BRIDGE_BINDING: u32 = 16;
