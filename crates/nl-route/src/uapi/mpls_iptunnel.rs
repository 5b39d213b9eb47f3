//! Constants of `<linux/mpls_iptunnel.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const MPLS_IPTUNNEL_UNSPEC: u16 = 0;
pub const MPLS_IPTUNNEL_DST: u16 = 1;
pub const MPLS_IPTUNNEL_TTL: u16 = 2;
pub const MPLS_IPTUNNEL_MAX: u16 = 2;
