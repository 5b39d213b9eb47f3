//! Constants of `<linux/can/netlink.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const CAN_STATE_ERROR_ACTIVE: u32 = 0;
pub const CAN_STATE_ERROR_WARNING: u32 = 1;
pub const CAN_STATE_ERROR_PASSIVE: u32 = 2;
pub const CAN_STATE_BUS_OFF: u32 = 3;
pub const CAN_STATE_STOPPED: u32 = 4;
pub const CAN_STATE_SLEEPING: u32 = 5;
pub const CAN_STATE_MAX: u32 = 6;
pub const CAN_CTRLMODE_LOOPBACK: u32 = 1;
pub const CAN_CTRLMODE_LISTENONLY: u32 = 2;
pub const CAN_CTRLMODE_3_SAMPLES: u32 = 4;
pub const CAN_CTRLMODE_ONE_SHOT: u32 = 8;
pub const CAN_CTRLMODE_BERR_REPORTING: u32 = 16;
pub const CAN_CTRLMODE_FD: u32 = 32;
pub const CAN_CTRLMODE_PRESUME_ACK: u32 = 64;
pub const CAN_CTRLMODE_FD_NON_ISO: u32 = 128;
pub const CAN_CTRLMODE_CC_LEN8_DLC: u32 = 256;
pub const CAN_CTRLMODE_TDC_AUTO: u32 = 512;
pub const CAN_CTRLMODE_TDC_MANUAL: u32 = 1024;
pub const IFLA_CAN_UNSPEC: u16 = 0;
pub const IFLA_CAN_BITTIMING: u16 = 1;
pub const IFLA_CAN_BITTIMING_CONST: u16 = 2;
pub const IFLA_CAN_CLOCK: u16 = 3;
pub const IFLA_CAN_STATE: u16 = 4;
pub const IFLA_CAN_CTRLMODE: u16 = 5;
pub const IFLA_CAN_RESTART_MS: u16 = 6;
pub const IFLA_CAN_RESTART: u16 = 7;
pub const IFLA_CAN_BERR_COUNTER: u16 = 8;
pub const IFLA_CAN_DATA_BITTIMING: u16 = 9;
pub const IFLA_CAN_DATA_BITTIMING_CONST: u16 = 10;
pub const IFLA_CAN_TERMINATION: u16 = 11;
pub const IFLA_CAN_TERMINATION_CONST: u16 = 12;
pub const IFLA_CAN_BITRATE_CONST: u16 = 13;
pub const IFLA_CAN_DATA_BITRATE_CONST: u16 = 14;
pub const IFLA_CAN_BITRATE_MAX: u16 = 15;
pub const IFLA_CAN_TDC: u16 = 16;
pub const IFLA_CAN_CTRLMODE_EXT: u16 = 17;
pub const IFLA_CAN_MAX: u16 = 17;
pub const IFLA_CAN_TDC_UNSPEC: u16 = 0;
pub const IFLA_CAN_TDC_TDCV_MIN: u16 = 1;
pub const IFLA_CAN_TDC_TDCV_MAX: u16 = 2;
pub const IFLA_CAN_TDC_TDCO_MIN: u16 = 3;
pub const IFLA_CAN_TDC_TDCO_MAX: u16 = 4;
pub const IFLA_CAN_TDC_TDCF_MIN: u16 = 5;
pub const IFLA_CAN_TDC_TDCF_MAX: u16 = 6;
pub const IFLA_CAN_TDC_TDCV: u16 = 7;
pub const IFLA_CAN_TDC_TDCO: u16 = 8;
pub const IFLA_CAN_TDC_TDCF: u16 = 9;
pub const IFLA_CAN_TDC_MAX: u16 = 9;
pub const IFLA_CAN_CTRLMODE_UNSPEC: u16 = 0;
pub const IFLA_CAN_CTRLMODE_SUPPORTED: u16 = 1;
pub const IFLA_CAN_CTRLMODE_MAX: u16 = 1;
