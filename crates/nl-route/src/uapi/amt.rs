//! Constants of `<linux/amt.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const AMT_MODE_GATEWAY: u32 = 0;
pub const AMT_MODE_RELAY: u32 = 1;
pub const AMT_MODE_MAX: u32 = 1;
pub const IFLA_AMT_UNSPEC: u16 = 0;
pub const IFLA_AMT_MODE: u16 = 1;
pub const IFLA_AMT_RELAY_PORT: u16 = 2;
pub const IFLA_AMT_GATEWAY_PORT: u16 = 3;
pub const IFLA_AMT_LINK: u16 = 4;
pub const IFLA_AMT_LOCAL_IP: u16 = 5;
pub const IFLA_AMT_REMOTE_IP: u16 = 6;
pub const IFLA_AMT_DISCOVERY_IP: u16 = 7;
pub const IFLA_AMT_MAX_TUNNELS: u16 = 8;
pub const IFLA_AMT_MAX: u16 = 8;
