//! Constants of `<linux/tc_act/tc_skbmod.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const SKBMOD_F_DMAC: u64 = 1;
pub const SKBMOD_F_SMAC: u64 = 2;
pub const SKBMOD_F_ETYPE: u64 = 4;
pub const SKBMOD_F_SWAPMAC: u64 = 8;
pub const SKBMOD_F_ECN: u64 = 16;
pub const TCA_SKBMOD_UNSPEC: u16 = 0;
pub const TCA_SKBMOD_TM: u16 = 1;
pub const TCA_SKBMOD_PARMS: u16 = 2;
pub const TCA_SKBMOD_DMAC: u16 = 3;
pub const TCA_SKBMOD_SMAC: u16 = 4;
pub const TCA_SKBMOD_ETYPE: u16 = 5;
pub const TCA_SKBMOD_PAD: u16 = 6;
pub const TCA_SKBMOD_MAX: u16 = 6;
