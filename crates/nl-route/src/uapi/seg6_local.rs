//! Constants of `<linux/seg6_local.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const SEG6_LOCAL_UNSPEC: u16 = 0;
pub const SEG6_LOCAL_ACTION: u16 = 1;
pub const SEG6_LOCAL_SRH: u16 = 2;
pub const SEG6_LOCAL_TABLE: u16 = 3;
pub const SEG6_LOCAL_NH4: u16 = 4;
pub const SEG6_LOCAL_NH6: u16 = 5;
pub const SEG6_LOCAL_IIF: u16 = 6;
pub const SEG6_LOCAL_OIF: u16 = 7;
pub const SEG6_LOCAL_BPF: u16 = 8;
pub const SEG6_LOCAL_VRFTABLE: u16 = 9;
pub const SEG6_LOCAL_COUNTERS: u16 = 10;
pub const SEG6_LOCAL_FLAVORS: u16 = 11;
pub const SEG6_LOCAL_MAX: u16 = 11;
pub const SEG6_LOCAL_ACTION_UNSPEC: u16 = 0;
pub const SEG6_LOCAL_ACTION_END: u16 = 1;
pub const SEG6_LOCAL_ACTION_END_X: u16 = 2;
pub const SEG6_LOCAL_ACTION_END_T: u16 = 3;
pub const SEG6_LOCAL_ACTION_END_DX2: u16 = 4;
pub const SEG6_LOCAL_ACTION_END_DX6: u16 = 5;
pub const SEG6_LOCAL_ACTION_END_DX4: u16 = 6;
pub const SEG6_LOCAL_ACTION_END_DT6: u16 = 7;
pub const SEG6_LOCAL_ACTION_END_DT4: u16 = 8;
pub const SEG6_LOCAL_ACTION_END_B6: u16 = 9;
pub const SEG6_LOCAL_ACTION_END_B6_ENCAP: u16 = 10;
pub const SEG6_LOCAL_ACTION_END_BM: u16 = 11;
pub const SEG6_LOCAL_ACTION_END_S: u16 = 12;
pub const SEG6_LOCAL_ACTION_END_AS: u16 = 13;
pub const SEG6_LOCAL_ACTION_END_AM: u16 = 14;
pub const SEG6_LOCAL_ACTION_END_BPF: u16 = 15;
pub const SEG6_LOCAL_ACTION_END_DT46: u16 = 16;
pub const SEG6_LOCAL_ACTION_MAX: u16 = 16;
pub const SEG6_LOCAL_BPF_PROG_UNSPEC: u16 = 0;
pub const SEG6_LOCAL_BPF_PROG: u16 = 1;
pub const SEG6_LOCAL_BPF_PROG_NAME: u16 = 2;
pub const SEG6_LOCAL_BPF_PROG_MAX: u16 = 2;
pub const SEG6_LOCAL_CNT_UNSPEC: u16 = 0;
pub const SEG6_LOCAL_CNT_PAD: u16 = 1;
pub const SEG6_LOCAL_CNT_PACKETS: u16 = 2;
pub const SEG6_LOCAL_CNT_BYTES: u16 = 3;
pub const SEG6_LOCAL_CNT_ERRORS: u16 = 4;
pub const SEG6_LOCAL_CNT_MAX: u16 = 4;
pub const SEG6_LOCAL_FLV_UNSPEC: u16 = 0;
pub const SEG6_LOCAL_FLV_OPERATION: u16 = 1;
pub const SEG6_LOCAL_FLV_LCBLOCK_BITS: u16 = 2;
pub const SEG6_LOCAL_FLV_LCNODE_FN_BITS: u16 = 3;
pub const SEG6_LOCAL_FLV_MAX: u16 = 3;
pub const SEG6_LOCAL_FLV_OP_UNSPEC: u16 = 0;
pub const SEG6_LOCAL_FLV_OP_PSP: u16 = 1;
pub const SEG6_LOCAL_FLV_OP_USP: u16 = 2;
pub const SEG6_LOCAL_FLV_OP_USD: u16 = 3;
pub const SEG6_LOCAL_FLV_OP_NEXT_CSID: u16 = 4;
pub const SEG6_LOCAL_FLV_OP_MAX: u16 = 4;
