//! Constants of `<linux/in.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const IPPROTO_IP: u8 = 0;
pub const IPPROTO_ICMP: u8 = 1;
pub const IPPROTO_IGMP: u8 = 2;
pub const IPPROTO_IPIP: u8 = 4;
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_EGP: u8 = 8;
pub const IPPROTO_PUP: u8 = 12;
pub const IPPROTO_UDP: u8 = 17;
pub const IPPROTO_IDP: u8 = 22;
pub const IPPROTO_TP: u8 = 29;
pub const IPPROTO_DCCP: u8 = 33;
pub const IPPROTO_IPV6: u8 = 41;
pub const IPPROTO_RSVP: u8 = 46;
pub const IPPROTO_GRE: u8 = 47;
pub const IPPROTO_ESP: u8 = 50;
pub const IPPROTO_AH: u8 = 51;
pub const IPPROTO_MTP: u8 = 92;
pub const IPPROTO_BEETPH: u8 = 94;
pub const IPPROTO_ENCAP: u8 = 98;
pub const IPPROTO_PIM: u8 = 103;
pub const IPPROTO_COMP: u8 = 108;
pub const IPPROTO_L2TP: u8 = 115;
pub const IPPROTO_SCTP: u8 = 132;
pub const IPPROTO_UDPLITE: u8 = 136;
pub const IPPROTO_MPLS: u8 = 137;
pub const IPPROTO_ETHERNET: u8 = 143;
pub const IPPROTO_RAW: u8 = 255;
