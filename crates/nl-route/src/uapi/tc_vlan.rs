//! Constants of `<linux/tc_act/tc_vlan.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_VLAN_ACT_POP: i32 = 1;
pub const TCA_VLAN_ACT_PUSH: i32 = 2;
pub const TCA_VLAN_ACT_MODIFY: i32 = 3;
pub const TCA_VLAN_ACT_POP_ETH: i32 = 4;
pub const TCA_VLAN_ACT_PUSH_ETH: i32 = 5;
pub const TCA_VLAN_UNSPEC: u16 = 0;
pub const TCA_VLAN_TM: u16 = 1;
pub const TCA_VLAN_PARMS: u16 = 2;
pub const TCA_VLAN_PUSH_VLAN_ID: u16 = 3;
pub const TCA_VLAN_PUSH_VLAN_PROTOCOL: u16 = 4;
pub const TCA_VLAN_PAD: u16 = 5;
pub const TCA_VLAN_PUSH_VLAN_PRIORITY: u16 = 6;
pub const TCA_VLAN_PUSH_ETH_DST: u16 = 7;
pub const TCA_VLAN_PUSH_ETH_SRC: u16 = 8;
pub const TCA_VLAN_MAX: u16 = 8;
