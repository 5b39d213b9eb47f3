//! Constants of `<linux/tc_act/tc_ctinfo.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_CTINFO_UNSPEC: u16 = 0;
pub const TCA_CTINFO_PAD: u16 = 1;
pub const TCA_CTINFO_TM: u16 = 2;
pub const TCA_CTINFO_ACT: u16 = 3;
pub const TCA_CTINFO_ZONE: u16 = 4;
pub const TCA_CTINFO_PARMS_DSCP_MASK: u16 = 5;
pub const TCA_CTINFO_PARMS_DSCP_STATEMASK: u16 = 6;
pub const TCA_CTINFO_PARMS_CPMARK_MASK: u16 = 7;
pub const TCA_CTINFO_STATS_DSCP_SET: u16 = 8;
pub const TCA_CTINFO_STATS_DSCP_ERROR: u16 = 9;
pub const TCA_CTINFO_STATS_CPMARK_SET: u16 = 10;
pub const TCA_CTINFO_MAX: u16 = 10;
