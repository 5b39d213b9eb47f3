//! Constants of `<linux/lwtunnel.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const LWTUNNEL_ENCAP_NONE: u16 = 0;
pub const LWTUNNEL_ENCAP_MPLS: u16 = 1;
pub const LWTUNNEL_ENCAP_IP: u16 = 2;
pub const LWTUNNEL_ENCAP_ILA: u16 = 3;
pub const LWTUNNEL_ENCAP_IP6: u16 = 4;
pub const LWTUNNEL_ENCAP_SEG6: u16 = 5;
pub const LWTUNNEL_ENCAP_BPF: u16 = 6;
pub const LWTUNNEL_ENCAP_SEG6_LOCAL: u16 = 7;
pub const LWTUNNEL_ENCAP_RPL: u16 = 8;
pub const LWTUNNEL_ENCAP_IOAM6: u16 = 9;
pub const LWTUNNEL_ENCAP_XFRM: u16 = 10;
pub const LWTUNNEL_ENCAP_MAX: u16 = 10;
pub const LWTUNNEL_IP_UNSPEC: u16 = 0;
pub const LWTUNNEL_IP_ID: u16 = 1;
pub const LWTUNNEL_IP_DST: u16 = 2;
pub const LWTUNNEL_IP_SRC: u16 = 3;
pub const LWTUNNEL_IP_TTL: u16 = 4;
pub const LWTUNNEL_IP_TOS: u16 = 5;
pub const LWTUNNEL_IP_FLAGS: u16 = 6;
pub const LWTUNNEL_IP_PAD: u16 = 7;
pub const LWTUNNEL_IP_OPTS: u16 = 8;
pub const LWTUNNEL_IP_MAX: u16 = 8;
pub const LWTUNNEL_IP6_UNSPEC: u16 = 0;
pub const LWTUNNEL_IP6_ID: u16 = 1;
pub const LWTUNNEL_IP6_DST: u16 = 2;
pub const LWTUNNEL_IP6_SRC: u16 = 3;
pub const LWTUNNEL_IP6_HOPLIMIT: u16 = 4;
pub const LWTUNNEL_IP6_TC: u16 = 5;
pub const LWTUNNEL_IP6_FLAGS: u16 = 6;
pub const LWTUNNEL_IP6_PAD: u16 = 7;
pub const LWTUNNEL_IP6_OPTS: u16 = 8;
pub const LWTUNNEL_IP6_MAX: u16 = 8;
pub const LWTUNNEL_IP_OPTS_UNSPEC: u16 = 0;
pub const LWTUNNEL_IP_OPTS_GENEVE: u16 = 1;
pub const LWTUNNEL_IP_OPTS_VXLAN: u16 = 2;
pub const LWTUNNEL_IP_OPTS_ERSPAN: u16 = 3;
pub const LWTUNNEL_IP_OPTS_MAX: u16 = 3;
pub const LWTUNNEL_IP_OPT_GENEVE_UNSPEC: u16 = 0;
pub const LWTUNNEL_IP_OPT_GENEVE_CLASS: u16 = 1;
pub const LWTUNNEL_IP_OPT_GENEVE_TYPE: u16 = 2;
pub const LWTUNNEL_IP_OPT_GENEVE_DATA: u16 = 3;
pub const LWTUNNEL_IP_OPT_GENEVE_MAX: u16 = 3;
pub const LWTUNNEL_IP_OPT_VXLAN_UNSPEC: u16 = 0;
pub const LWTUNNEL_IP_OPT_VXLAN_GBP: u16 = 1;
pub const LWTUNNEL_IP_OPT_VXLAN_MAX: u16 = 1;
pub const LWTUNNEL_IP_OPT_ERSPAN_UNSPEC: u16 = 0;
pub const LWTUNNEL_IP_OPT_ERSPAN_VER: u16 = 1;
pub const LWTUNNEL_IP_OPT_ERSPAN_INDEX: u16 = 2;
pub const LWTUNNEL_IP_OPT_ERSPAN_DIR: u16 = 3;
pub const LWTUNNEL_IP_OPT_ERSPAN_HWID: u16 = 4;
pub const LWTUNNEL_IP_OPT_ERSPAN_MAX: u16 = 4;
pub const LWT_BPF_PROG_UNSPEC: u16 = 0;
pub const LWT_BPF_PROG_FD: u16 = 1;
pub const LWT_BPF_PROG_NAME: u16 = 2;
pub const LWT_BPF_PROG_MAX: u16 = 2;
pub const LWT_BPF_UNSPEC: u16 = 0;
pub const LWT_BPF_IN: u16 = 1;
pub const LWT_BPF_OUT: u16 = 2;
pub const LWT_BPF_XMIT: u16 = 3;
pub const LWT_BPF_XMIT_HEADROOM: u16 = 4;
pub const LWT_BPF_MAX: u16 = 4;
pub const LWT_BPF_MAX_HEADROOM: u16 = 256;
