//! Constants of `<linux/seg6_iptunnel.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const SEG6_IPTUNNEL_UNSPEC: u16 = 0;
pub const SEG6_IPTUNNEL_SRH: u16 = 1;
pub const SEG6_IPTUNNEL_MAX: u16 = 1;
pub const SEG6_IPTUN_MODE_INLINE: u32 = 0;
pub const SEG6_IPTUN_MODE_ENCAP: u32 = 1;
pub const SEG6_IPTUN_MODE_L2ENCAP: u32 = 2;
pub const SEG6_IPTUN_MODE_ENCAP_RED: u32 = 3;
pub const SEG6_IPTUN_MODE_L2ENCAP_RED: u32 = 4;
