//! Constants of `<linux/tc_act/tc_nat.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_NAT_UNSPEC: u16 = 0;
pub const TCA_NAT_PARMS: u16 = 1;
pub const TCA_NAT_TM: u16 = 2;
pub const TCA_NAT_PAD: u16 = 3;
pub const TCA_NAT_MAX: u16 = 3;
pub const TCA_NAT_FLAG_EGRESS: u32 = 1;
