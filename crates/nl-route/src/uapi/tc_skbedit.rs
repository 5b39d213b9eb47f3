//! Constants of `<linux/tc_act/tc_skbedit.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const SKBEDIT_F_PRIORITY: u64 = 1;
pub const SKBEDIT_F_QUEUE_MAPPING: u64 = 2;
pub const SKBEDIT_F_MARK: u64 = 4;
pub const SKBEDIT_F_PTYPE: u64 = 8;
pub const SKBEDIT_F_MASK: u64 = 16;
pub const SKBEDIT_F_INHERITDSFIELD: u64 = 32;
pub const SKBEDIT_F_TXQ_SKBHASH: u64 = 64;
pub const TCA_SKBEDIT_UNSPEC: u16 = 0;
pub const TCA_SKBEDIT_TM: u16 = 1;
pub const TCA_SKBEDIT_PARMS: u16 = 2;
pub const TCA_SKBEDIT_PRIORITY: u16 = 3;
pub const TCA_SKBEDIT_QUEUE_MAPPING: u16 = 4;
pub const TCA_SKBEDIT_MARK: u16 = 5;
pub const TCA_SKBEDIT_PAD: u16 = 6;
pub const TCA_SKBEDIT_PTYPE: u16 = 7;
pub const TCA_SKBEDIT_MASK: u16 = 8;
pub const TCA_SKBEDIT_FLAGS: u16 = 9;
pub const TCA_SKBEDIT_QUEUE_MAPPING_MAX: u16 = 10;
pub const TCA_SKBEDIT_MAX: u16 = 10;
