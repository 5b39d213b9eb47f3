//! Constants of `<linux/vdpa.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const VDPA_GENL_VERSION: u8 = 1;
pub const VDPA_CMD_UNSPEC: u8 = 0;
pub const VDPA_CMD_MGMTDEV_NEW: u8 = 1;
pub const VDPA_CMD_MGMTDEV_GET: u8 = 2;
pub const VDPA_CMD_DEV_NEW: u8 = 3;
pub const VDPA_CMD_DEV_DEL: u8 = 4;
pub const VDPA_CMD_DEV_GET: u8 = 5;
pub const VDPA_CMD_DEV_CONFIG_GET: u8 = 6;
pub const VDPA_CMD_DEV_VSTATS_GET: u8 = 7;
pub const VDPA_ATTR_UNSPEC: u16 = 0;
pub const VDPA_ATTR_PAD: u16 = 0;
pub const VDPA_ATTR_MGMTDEV_BUS_NAME: u16 = 1;
pub const VDPA_ATTR_MGMTDEV_DEV_NAME: u16 = 2;
pub const VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES: u16 = 3;
pub const VDPA_ATTR_DEV_NAME: u16 = 4;
pub const VDPA_ATTR_DEV_ID: u16 = 5;
pub const VDPA_ATTR_DEV_VENDOR_ID: u16 = 6;
pub const VDPA_ATTR_DEV_MAX_VQS: u16 = 7;
pub const VDPA_ATTR_DEV_MAX_VQ_SIZE: u16 = 8;
pub const VDPA_ATTR_DEV_MIN_VQ_SIZE: u16 = 9;
pub const VDPA_ATTR_DEV_NET_CFG_MACADDR: u16 = 10;
pub const VDPA_ATTR_DEV_NET_STATUS: u16 = 11;
pub const VDPA_ATTR_DEV_NET_CFG_MAX_VQP: u16 = 12;
pub const VDPA_ATTR_DEV_NET_CFG_MTU: u16 = 13;
pub const VDPA_ATTR_DEV_NEGOTIATED_FEATURES: u16 = 14;
pub const VDPA_ATTR_DEV_MGMTDEV_MAX_VQS: u16 = 15;
pub const VDPA_ATTR_DEV_SUPPORTED_FEATURES: u16 = 16;
pub const VDPA_ATTR_DEV_QUEUE_INDEX: u16 = 17;
pub const VDPA_ATTR_DEV_VENDOR_ATTR_NAME: u16 = 18;
pub const VDPA_ATTR_DEV_VENDOR_ATTR_VALUE: u16 = 19;
pub const VDPA_ATTR_DEV_FEATURES: u16 = 20;
pub const VDPA_ATTR_VDPA_DEV_SUPPORTED_FEATURES: u16 = 21;
pub const VDPA_ATTR_MAX: u16 = 22;
