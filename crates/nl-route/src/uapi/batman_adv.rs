//! Constants of `<linux/batman_adv.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const IFLA_BATADV_UNSPEC: u16 = 0;
pub const IFLA_BATADV_ALGO_NAME: u16 = 1;
pub const IFLA_BATADV_MAX: u16 = 1;
