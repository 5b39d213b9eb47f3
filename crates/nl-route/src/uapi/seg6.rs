//! Constants of `<linux/seg6.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const SR6_FLAG1_PROTECTED: u8 = 64;
pub const SR6_FLAG1_OAM: u8 = 32;
pub const SR6_FLAG1_ALERT: u8 = 16;
pub const SR6_FLAG1_HMAC: u8 = 8;
pub const SR6_TLV_INGRESS: u8 = 1;
pub const SR6_TLV_EGRESS: u8 = 2;
pub const SR6_TLV_OPAQUE: u8 = 3;
pub const SR6_TLV_PADDING: u8 = 4;
pub const SR6_TLV_HMAC: u8 = 5;
