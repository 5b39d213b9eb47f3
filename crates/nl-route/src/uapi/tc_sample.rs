//! Constants of `<linux/tc_act/tc_sample.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_SAMPLE_UNSPEC: u16 = 0;
pub const TCA_SAMPLE_TM: u16 = 1;
pub const TCA_SAMPLE_PARMS: u16 = 2;
pub const TCA_SAMPLE_RATE: u16 = 3;
pub const TCA_SAMPLE_TRUNC_SIZE: u16 = 4;
pub const TCA_SAMPLE_PSAMPLE_GROUP: u16 = 5;
pub const TCA_SAMPLE_PAD: u16 = 6;
pub const TCA_SAMPLE_MAX: u16 = 6;
