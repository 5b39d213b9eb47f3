//! Constants of `<linux/tc_act/tc_mirred.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_EGRESS_REDIR: i32 = 1;
pub const TCA_EGRESS_MIRROR: i32 = 2;
pub const TCA_INGRESS_REDIR: i32 = 3;
pub const TCA_INGRESS_MIRROR: i32 = 4;
pub const TCA_MIRRED_UNSPEC: u16 = 0;
pub const TCA_MIRRED_TM: u16 = 1;
pub const TCA_MIRRED_PARMS: u16 = 2;
pub const TCA_MIRRED_PAD: u16 = 3;
pub const TCA_MIRRED_MAX: u16 = 3;
