//! Constants of `<linux/ip6_tunnel.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const IPV6_TLV_TNL_ENCAP_LIMIT: u8 = 4;
pub const IP6_TNL_F_IGN_ENCAP_LIMIT: u32 = 1;
pub const IP6_TNL_F_USE_ORIG_TCLASS: u32 = 2;
pub const IP6_TNL_F_USE_ORIG_FLOWLABEL: u32 = 4;
pub const IP6_TNL_F_MIP6_DEV: u32 = 8;
pub const IP6_TNL_F_RCV_DSCP_COPY: u32 = 16;
pub const IP6_TNL_F_USE_ORIG_FWMARK: u32 = 32;
pub const IP6_TNL_F_ALLOW_LOCAL_REMOTE: u32 = 64;
