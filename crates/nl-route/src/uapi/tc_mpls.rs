//! Constants of `<linux/tc_act/tc_mpls.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_MPLS_ACT_POP: i32 = 1;
pub const TCA_MPLS_ACT_PUSH: i32 = 2;
pub const TCA_MPLS_ACT_MODIFY: i32 = 3;
pub const TCA_MPLS_ACT_DEC_TTL: i32 = 4;
pub const TCA_MPLS_ACT_MAC_PUSH: i32 = 5;
pub const TCA_MPLS_UNSPEC: u16 = 0;
pub const TCA_MPLS_TM: u16 = 1;
pub const TCA_MPLS_PARMS: u16 = 2;
pub const TCA_MPLS_PAD: u16 = 3;
pub const TCA_MPLS_PROTO: u16 = 4;
pub const TCA_MPLS_LABEL: u16 = 5;
pub const TCA_MPLS_TC: u16 = 6;
pub const TCA_MPLS_TTL: u16 = 7;
pub const TCA_MPLS_BOS: u16 = 8;
pub const TCA_MPLS_MAX: u16 = 8;
