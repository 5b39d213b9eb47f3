//! Constants of `<linux/tc_act/tc_tunnel_key.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const TCA_TUNNEL_KEY_ACT_SET: i32 = 1;
pub const TCA_TUNNEL_KEY_ACT_RELEASE: i32 = 2;
pub const TCA_TUNNEL_KEY_UNSPEC: u16 = 0;
pub const TCA_TUNNEL_KEY_TM: u16 = 1;
pub const TCA_TUNNEL_KEY_PARMS: u16 = 2;
pub const TCA_TUNNEL_KEY_ENC_IPV4_SRC: u16 = 3;
pub const TCA_TUNNEL_KEY_ENC_IPV4_DST: u16 = 4;
pub const TCA_TUNNEL_KEY_ENC_IPV6_SRC: u16 = 5;
pub const TCA_TUNNEL_KEY_ENC_IPV6_DST: u16 = 6;
pub const TCA_TUNNEL_KEY_ENC_KEY_ID: u16 = 7;
pub const TCA_TUNNEL_KEY_PAD: u16 = 8;
pub const TCA_TUNNEL_KEY_ENC_DST_PORT: u16 = 9;
pub const TCA_TUNNEL_KEY_NO_CSUM: u16 = 10;
pub const TCA_TUNNEL_KEY_ENC_OPTS: u16 = 11;
pub const TCA_TUNNEL_KEY_ENC_TOS: u16 = 12;
pub const TCA_TUNNEL_KEY_ENC_TTL: u16 = 13;
pub const TCA_TUNNEL_KEY_MAX: u16 = 13;
pub const TCA_TUNNEL_KEY_ENC_OPTS_UNSPEC: u16 = 0;
pub const TCA_TUNNEL_KEY_ENC_OPTS_GENEVE: u16 = 1;
pub const TCA_TUNNEL_KEY_ENC_OPTS_VXLAN: u16 = 2;
pub const TCA_TUNNEL_KEY_ENC_OPTS_ERSPAN: u16 = 3;
pub const TCA_TUNNEL_KEY_ENC_OPTS_MAX: u16 = 3;
pub const TCA_TUNNEL_KEY_ENC_OPT_GENEVE_UNSPEC: u16 = 0;
pub const TCA_TUNNEL_KEY_ENC_OPT_GENEVE_CLASS: u16 = 1;
pub const TCA_TUNNEL_KEY_ENC_OPT_GENEVE_TYPE: u16 = 2;
pub const TCA_TUNNEL_KEY_ENC_OPT_GENEVE_DATA: u16 = 3;
pub const TCA_TUNNEL_KEY_ENC_OPT_GENEVE_MAX: u16 = 3;
pub const TCA_TUNNEL_KEY_ENC_OPT_VXLAN_UNSPEC: u16 = 0;
pub const TCA_TUNNEL_KEY_ENC_OPT_VXLAN_GBP: u16 = 1;
pub const TCA_TUNNEL_KEY_ENC_OPT_VXLAN_MAX: u16 = 1;
pub const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_UNSPEC: u16 = 0;
pub const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_VER: u16 = 1;
pub const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_INDEX: u16 = 2;
pub const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_DIR: u16 = 3;
pub const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_HWID: u16 = 4;
pub const TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_MAX: u16 = 4;
