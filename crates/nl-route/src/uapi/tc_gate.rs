//! Constants of `<linux/tc_act/tc_gate.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_GATE_ENTRY_UNSPEC: u16 = 0;
pub const TCA_GATE_ENTRY_INDEX: u16 = 1;
pub const TCA_GATE_ENTRY_GATE: u16 = 2;
pub const TCA_GATE_ENTRY_INTERVAL: u16 = 3;
pub const TCA_GATE_ENTRY_IPV: u16 = 4;
pub const TCA_GATE_ENTRY_MAX_OCTETS: u16 = 5;
pub const TCA_GATE_ENTRY_MAX: u16 = 5;
pub const TCA_GATE_ONE_ENTRY_UNSPEC: u16 = 0;
pub const TCA_GATE_ONE_ENTRY: u16 = 1;
pub const TCA_GATE_ONE_ENTRY_MAX: u16 = 1;
pub const TCA_GATE_UNSPEC: u16 = 0;
pub const TCA_GATE_TM: u16 = 1;
pub const TCA_GATE_PARMS: u16 = 2;
pub const TCA_GATE_PAD: u16 = 3;
pub const TCA_GATE_PRIORITY: u16 = 4;
pub const TCA_GATE_ENTRY_LIST: u16 = 5;
pub const TCA_GATE_BASE_TIME: u16 = 6;
pub const TCA_GATE_CYCLE_TIME: u16 = 7;
pub const TCA_GATE_CYCLE_TIME_EXT: u16 = 8;
pub const TCA_GATE_FLAGS: u16 = 9;
pub const TCA_GATE_CLOCKID: u16 = 10;
pub const TCA_GATE_MAX: u16 = 10;
