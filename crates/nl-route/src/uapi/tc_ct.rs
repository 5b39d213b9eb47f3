//! Constants of `<linux/tc_act/tc_ct.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_CT_UNSPEC: u16 = 0;
pub const TCA_CT_PARMS: u16 = 1;
pub const TCA_CT_TM: u16 = 2;
pub const TCA_CT_ACTION: u16 = 3;
pub const TCA_CT_ZONE: u16 = 4;
pub const TCA_CT_MARK: u16 = 5;
pub const TCA_CT_MARK_MASK: u16 = 6;
pub const TCA_CT_LABELS: u16 = 7;
pub const TCA_CT_LABELS_MASK: u16 = 8;
pub const TCA_CT_NAT_IPV4_MIN: u16 = 9;
pub const TCA_CT_NAT_IPV4_MAX: u16 = 10;
pub const TCA_CT_NAT_IPV6_MIN: u16 = 11;
pub const TCA_CT_NAT_IPV6_MAX: u16 = 12;
pub const TCA_CT_NAT_PORT_MIN: u16 = 13;
pub const TCA_CT_NAT_PORT_MAX: u16 = 14;
pub const TCA_CT_PAD: u16 = 15;
pub const TCA_CT_MAX: u16 = 15;
pub const TCA_CT_ACT_COMMIT: u16 = 1;
pub const TCA_CT_ACT_FORCE: u16 = 2;
pub const TCA_CT_ACT_CLEAR: u16 = 4;
pub const TCA_CT_ACT_NAT: u16 = 8;
pub const TCA_CT_ACT_NAT_SRC: u16 = 16;
pub const TCA_CT_ACT_NAT_DST: u16 = 32;
