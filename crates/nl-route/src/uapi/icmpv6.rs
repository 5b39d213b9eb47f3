//! Constants of `<linux/icmpv6.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const ICMPV6_ROUTER_PREF_LOW: u8 = 3;
pub const ICMPV6_ROUTER_PREF_MEDIUM: u8 = 0;
pub const ICMPV6_ROUTER_PREF_HIGH: u8 = 1;
pub const ICMPV6_ROUTER_PREF_INVALID: u8 = 2;
