//! Constants of `<linux/can/vxcan.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const VXCAN_INFO_UNSPEC: u16 = 0;
pub const VXCAN_INFO_PEER: u16 = 1;
