//! Constants of `<linux/netfilter/nf_conntrack_common.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const IPS_EXPECTED_BIT: u32 = 0;
pub const IPS_EXPECTED: u32 = 1;
pub const IPS_SEEN_REPLY_BIT: u32 = 1;
pub const IPS_SEEN_REPLY: u32 = 2;
pub const IPS_ASSURED_BIT: u32 = 2;
pub const IPS_ASSURED: u32 = 4;
pub const IPS_CONFIRMED_BIT: u32 = 3;
pub const IPS_CONFIRMED: u32 = 8;
pub const IPS_SRC_NAT_BIT: u32 = 4;
pub const IPS_SRC_NAT: u32 = 16;
pub const IPS_DST_NAT_BIT: u32 = 5;
pub const IPS_DST_NAT: u32 = 32;
pub const IPS_NAT_MASK: u32 = 48;
pub const IPS_SEQ_ADJUST_BIT: u32 = 6;
pub const IPS_SEQ_ADJUST: u32 = 64;
pub const IPS_SRC_NAT_DONE_BIT: u32 = 7;
pub const IPS_SRC_NAT_DONE: u32 = 128;
pub const IPS_DST_NAT_DONE_BIT: u32 = 8;
pub const IPS_DST_NAT_DONE: u32 = 256;
pub const IPS_NAT_DONE_MASK: u32 = 384;
pub const IPS_DYING_BIT: u32 = 9;
pub const IPS_DYING: u32 = 512;
pub const IPS_FIXED_TIMEOUT_BIT: u32 = 10;
pub const IPS_FIXED_TIMEOUT: u32 = 1024;
pub const IPS_TEMPLATE_BIT: u32 = 11;
pub const IPS_TEMPLATE: u32 = 2048;
pub const IPS_UNTRACKED_BIT: u32 = 12;
pub const IPS_UNTRACKED: u32 = 4096;
pub const IPS_HELPER_BIT: u32 = 13;
pub const IPS_HELPER: u32 = 8192;
pub const IPS_OFFLOAD_BIT: u32 = 14;
pub const IPS_OFFLOAD: u32 = 16384;
pub const IPS_HW_OFFLOAD_BIT: u32 = 15;
pub const IPS_HW_OFFLOAD: u32 = 32768;
pub const IPS_UNCHANGEABLE_MASK: u32 = 56313;
pub const IPCT_NEW: u32 = 0;
pub const IPCT_RELATED: u32 = 1;
pub const IPCT_DESTROY: u32 = 2;
pub const IPCT_REPLY: u32 = 3;
pub const IPCT_ASSURED: u32 = 4;
pub const IPCT_PROTOINFO: u32 = 5;
pub const IPCT_HELPER: u32 = 6;
pub const IPCT_MARK: u32 = 7;
pub const IPCT_SEQADJ: u32 = 8;
pub const IPCT_NATSEQADJ: u32 = 8;
pub const IPCT_SECMARK: u32 = 9;
pub const IPCT_LABEL: u32 = 10;
pub const IPCT_SYNPROXY: u32 = 11;
pub const IPEXP_NEW: u32 = 0;
pub const IPEXP_DESTROY: u32 = 1;
pub const NF_CT_EXPECT_PERMANENT: u32 = 1;
pub const NF_CT_EXPECT_INACTIVE: u32 = 2;
pub const NF_CT_EXPECT_USERSPACE: u32 = 4;
