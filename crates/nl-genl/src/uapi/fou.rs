//! Constants of `<linux/fou.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const FOU_GENL_VERSION: u8 = 1;
pub const FOU_ATTR_UNSPEC: u16 = 0;
pub const FOU_ATTR_PORT: u16 = 1;
pub const FOU_ATTR_AF: u16 = 2;
pub const FOU_ATTR_IPPROTO: u16 = 3;
pub const FOU_ATTR_TYPE: u16 = 4;
pub const FOU_ATTR_REMCSUM_NOPARTIAL: u16 = 5;
pub const FOU_ATTR_LOCAL_V4: u16 = 6;
pub const FOU_ATTR_LOCAL_V6: u16 = 7;
pub const FOU_ATTR_PEER_V4: u16 = 8;
pub const FOU_ATTR_PEER_V6: u16 = 9;
pub const FOU_ATTR_PEER_PORT: u16 = 10;
pub const FOU_ATTR_IFINDEX: u16 = 11;
pub const FOU_ATTR_MAX: u16 = 11;
pub const FOU_CMD_UNSPEC: u8 = 0;
pub const FOU_CMD_ADD: u8 = 1;
pub const FOU_CMD_DEL: u8 = 2;
pub const FOU_CMD_GET: u8 = 3;
pub const FOU_ENCAP_UNSPEC: u8 = 0;
pub const FOU_ENCAP_DIRECT: u8 = 1;
pub const FOU_ENCAP_GUE: u8 = 2;
pub const FOU_CMD_MAX: u8 = 3;
