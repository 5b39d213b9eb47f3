//! Constants of `<linux/gtp.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const GTP_CMD_NEWPDP: u8 = 0;
pub const GTP_CMD_DELPDP: u8 = 1;
pub const GTP_CMD_GETPDP: u8 = 2;
pub const GTP_CMD_ECHOREQ: u8 = 3;
pub const GTP_CMD_MAX: u8 = 4;
pub const GTP_V0: u32 = 0;
pub const GTP_V1: u32 = 1;
pub const GTPA_UNSPEC: u16 = 0;
pub const GTPA_LINK: u16 = 1;
pub const GTPA_VERSION: u16 = 2;
pub const GTPA_TID: u16 = 3;
pub const GTPA_PEER_ADDRESS: u16 = 4;
pub const GTPA_MS_ADDRESS: u16 = 5;
pub const GTPA_FLOW: u16 = 6;
pub const GTPA_NET_NS_FD: u16 = 7;
pub const GTPA_I_TEI: u16 = 8;
pub const GTPA_O_TEI: u16 = 9;
pub const GTPA_PAD: u16 = 10;
pub const GTPA_MAX: u16 = 10;
