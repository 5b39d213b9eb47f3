//! Constants of `<linux/netdevice.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const NET_NAME_UNKNOWN: u8 = 0;
pub const NET_NAME_ENUM: u8 = 1;
pub const NET_NAME_PREDICTABLE: u8 = 2;
pub const NET_NAME_USER: u8 = 3;
pub const NET_NAME_RENAMED: u8 = 4;
