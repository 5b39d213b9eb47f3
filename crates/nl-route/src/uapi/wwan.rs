//! Constants of `<linux/wwan.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const IFLA_WWAN_UNSPEC: u16 = 0;
pub const IFLA_WWAN_LINK_ID: u16 = 1;
pub const IFLA_WWAN_MAX: u16 = 1;
