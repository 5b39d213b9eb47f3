//! Constants of `<linux/netconf.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const NETCONFA_UNSPEC: u16 = 0;
pub const NETCONFA_IFINDEX: u16 = 1;
pub const NETCONFA_FORWARDING: u16 = 2;
pub const NETCONFA_RP_FILTER: u16 = 3;
pub const NETCONFA_MC_FORWARDING: u16 = 4;
pub const NETCONFA_PROXY_NEIGH: u16 = 5;
pub const NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: u16 = 6;
pub const NETCONFA_INPUT: u16 = 7;
pub const NETCONFA_BC_FORWARDING: u16 = 8;
pub const NETCONFA_MAX: u16 = 8;
pub const NETCONFA_ALL: i32 = -1;
pub const NETCONFA_IFINDEX_ALL: i32 = -1;
pub const NETCONFA_IFINDEX_DEFAULT: i32 = -2;
