//! Constants of `<linux/tc_act/tc_bpf.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_ACT_BPF_UNSPEC: u16 = 0;
pub const TCA_ACT_BPF_TM: u16 = 1;
pub const TCA_ACT_BPF_PARMS: u16 = 2;
pub const TCA_ACT_BPF_OPS_LEN: u16 = 3;
pub const TCA_ACT_BPF_OPS: u16 = 4;
pub const TCA_ACT_BPF_FD: u16 = 5;
pub const TCA_ACT_BPF_NAME: u16 = 6;
pub const TCA_ACT_BPF_PAD: u16 = 7;
pub const TCA_ACT_BPF_TAG: u16 = 8;
pub const TCA_ACT_BPF_ID: u16 = 9;
pub const TCA_ACT_BPF_MAX: u16 = 9;
