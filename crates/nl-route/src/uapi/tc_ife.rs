//! Constants of `<linux/tc_act/tc_ife.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const IFE_ENCODE: u16 = 1;
pub const IFE_DECODE: u16 = 0;
pub const TCA_IFE_UNSPEC: u16 = 0;
pub const TCA_IFE_PARMS: u16 = 1;
pub const TCA_IFE_TM: u16 = 2;
pub const TCA_IFE_DMAC: u16 = 3;
pub const TCA_IFE_SMAC: u16 = 4;
pub const TCA_IFE_TYPE: u16 = 5;
pub const TCA_IFE_METALST: u16 = 6;
pub const TCA_IFE_PAD: u16 = 7;
pub const TCA_IFE_MAX: u16 = 7;
