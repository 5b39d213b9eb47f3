//! Constants of `<linux/tc_act/tc_pedit.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_PEDIT_UNSPEC: u16 = 0;
pub const TCA_PEDIT_TM: u16 = 1;
pub const TCA_PEDIT_PARMS: u16 = 2;
pub const TCA_PEDIT_PAD: u16 = 3;
pub const TCA_PEDIT_PARMS_EX: u16 = 4;
pub const TCA_PEDIT_KEYS_EX: u16 = 5;
pub const TCA_PEDIT_KEY_EX: u16 = 6;
pub const TCA_PEDIT_MAX: u16 = 6;
pub const TCA_PEDIT_KEY_EX_HTYPE: u16 = 1;
pub const TCA_PEDIT_KEY_EX_CMD: u16 = 2;
pub const TCA_PEDIT_KEY_EX_MAX: u16 = 2;
pub const TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK: u16 = 0;
pub const TCA_PEDIT_KEY_EX_HDR_TYPE_ETH: u16 = 1;
pub const TCA_PEDIT_KEY_EX_HDR_TYPE_IP4: u16 = 2;
pub const TCA_PEDIT_KEY_EX_HDR_TYPE_IP6: u16 = 3;
pub const TCA_PEDIT_KEY_EX_HDR_TYPE_TCP: u16 = 4;
pub const TCA_PEDIT_KEY_EX_HDR_TYPE_UDP: u16 = 5;
pub const TCA_PEDIT_HDR_TYPE_MAX: u16 = 5;
pub const TCA_PEDIT_KEY_EX_CMD_SET: u16 = 0;
pub const TCA_PEDIT_KEY_EX_CMD_ADD: u16 = 1;
pub const TCA_PEDIT_CMD_MAX: u16 = 1;
