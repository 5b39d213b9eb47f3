//! Constants of `<linux/if.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const IFNAMSIZ: usize = 16;
pub const IFALIASZ: usize = 256;
pub const ALTIFNAMSIZ: usize = 128;
pub const IFF_UP: u32 = 1;
pub const IFF_BROADCAST: u32 = 2;
pub const IFF_DEBUG: u32 = 4;
pub const IFF_LOOPBACK: u32 = 8;
pub const IFF_POINTOPOINT: u32 = 16;
pub const IFF_NOTRAILERS: u32 = 32;
pub const IFF_RUNNING: u32 = 64;
pub const IFF_NOARP: u32 = 128;
pub const IFF_PROMISC: u32 = 256;
pub const IFF_ALLMULTI: u32 = 512;
pub const IFF_MASTER: u32 = 1024;
pub const IFF_SLAVE: u32 = 2048;
pub const IFF_MULTICAST: u32 = 4096;
pub const IFF_PORTSEL: u32 = 8192;
pub const IFF_AUTOMEDIA: u32 = 16384;
pub const IFF_DYNAMIC: u32 = 32768;
pub const IFF_LOWER_UP: u32 = 65536;
pub const IFF_DORMANT: u32 = 131072;
pub const IFF_ECHO: u32 = 262144;
pub const IFF_VOLATILE: u32 = 461914;
pub const IF_OPER_UNKNOWN: u8 = 0;
pub const IF_OPER_NOTPRESENT: u8 = 1;
pub const IF_OPER_DOWN: u8 = 2;
pub const IF_OPER_LOWERLAYERDOWN: u8 = 3;
pub const IF_OPER_TESTING: u8 = 4;
pub const IF_OPER_DORMANT: u8 = 5;
pub const IF_OPER_UP: u8 = 6;
pub const IF_LINK_MODE_DEFAULT: u8 = 0;
pub const IF_LINK_MODE_DORMANT: u8 = 1;
pub const IF_LINK_MODE_TESTING: u8 = 2;
