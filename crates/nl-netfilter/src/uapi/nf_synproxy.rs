//! Constants of `<linux/netfilter/nf_synproxy.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const NF_SYNPROXY_OPT_MSS: u32 = 1;
pub const NF_SYNPROXY_OPT_WSCALE: u32 = 2;
pub const NF_SYNPROXY_OPT_SACK_PERM: u32 = 4;
pub const NF_SYNPROXY_OPT_TIMESTAMP: u32 = 8;
pub const NF_SYNPROXY_OPT_ECN: u32 = 16;
pub const NF_SYNPROXY_OPT_MASK: u32 = 15;
