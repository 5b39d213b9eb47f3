//! Constants of `<linux/netlink.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const NL_ATTR_TYPE_INVALID: u32 = 0;
pub const NL_ATTR_TYPE_FLAG: u32 = 1;
pub const NL_ATTR_TYPE_U8: u32 = 2;
pub const NL_ATTR_TYPE_U16: u32 = 3;
pub const NL_ATTR_TYPE_U32: u32 = 4;
pub const NL_ATTR_TYPE_U64: u32 = 5;
pub const NL_ATTR_TYPE_S8: u32 = 6;
pub const NL_ATTR_TYPE_S16: u32 = 7;
pub const NL_ATTR_TYPE_S32: u32 = 8;
pub const NL_ATTR_TYPE_S64: u32 = 9;
pub const NL_ATTR_TYPE_BINARY: u32 = 10;
pub const NL_ATTR_TYPE_STRING: u32 = 11;
pub const NL_ATTR_TYPE_NUL_STRING: u32 = 12;
pub const NL_ATTR_TYPE_NESTED: u32 = 13;
pub const NL_ATTR_TYPE_NESTED_ARRAY: u32 = 14;
pub const NL_ATTR_TYPE_BITFIELD32: u32 = 15;
pub const NL_POLICY_TYPE_ATTR_UNSPEC: u16 = 0;
pub const NL_POLICY_TYPE_ATTR_TYPE: u16 = 1;
pub const NL_POLICY_TYPE_ATTR_MIN_VALUE_S: u16 = 2;
pub const NL_POLICY_TYPE_ATTR_MAX_VALUE_S: u16 = 3;
pub const NL_POLICY_TYPE_ATTR_MIN_VALUE_U: u16 = 4;
pub const NL_POLICY_TYPE_ATTR_MAX_VALUE_U: u16 = 5;
pub const NL_POLICY_TYPE_ATTR_MIN_LENGTH: u16 = 6;
pub const NL_POLICY_TYPE_ATTR_MAX_LENGTH: u16 = 7;
pub const NL_POLICY_TYPE_ATTR_POLICY_IDX: u16 = 8;
pub const NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE: u16 = 9;
pub const NL_POLICY_TYPE_ATTR_BITFIELD32_MASK: u16 = 10;
pub const NL_POLICY_TYPE_ATTR_PAD: u16 = 11;
pub const NL_POLICY_TYPE_ATTR_MASK: u16 = 12;
pub const NL_POLICY_TYPE_ATTR_MAX: u16 = 12;
