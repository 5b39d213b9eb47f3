//! Constants of `<linux/netfilter/nfnetlink.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const NFNLGRP_NONE: u32 = 0;
pub const NFNLGRP_CONNTRACK_NEW: u32 = 1;
pub const NFNLGRP_CONNTRACK_UPDATE: u32 = 2;
pub const NFNLGRP_CONNTRACK_DESTROY: u32 = 3;
pub const NFNLGRP_CONNTRACK_EXP_NEW: u32 = 4;
pub const NFNLGRP_CONNTRACK_EXP_UPDATE: u32 = 5;
pub const NFNLGRP_CONNTRACK_EXP_DESTROY: u32 = 6;
pub const NFNLGRP_NFTABLES: u32 = 7;
pub const NFNLGRP_ACCT_QUOTA: u32 = 8;
pub const NFNLGRP_NFTRACE: u32 = 9;
pub const NFNLGRP_MAX: u32 = 9;
pub const NFNETLINK_V0: u8 = 0;
pub const NFNL_SUBSYS_NONE: u8 = 0;
pub const NFNL_SUBSYS_CTNETLINK: u8 = 1;
pub const NFNL_SUBSYS_CTNETLINK_EXP: u8 = 2;
pub const NFNL_SUBSYS_QUEUE: u8 = 3;
pub const NFNL_SUBSYS_ULOG: u8 = 4;
pub const NFNL_SUBSYS_OSF: u8 = 5;
pub const NFNL_SUBSYS_IPSET: u8 = 6;
pub const NFNL_SUBSYS_ACCT: u8 = 7;
pub const NFNL_SUBSYS_CTNETLINK_TIMEOUT: u8 = 8;
pub const NFNL_SUBSYS_CTHELPER: u8 = 9;
pub const NFNL_SUBSYS_NFTABLES: u8 = 10;
pub const NFNL_SUBSYS_NFT_COMPAT: u8 = 11;
pub const NFNL_SUBSYS_HOOK: u8 = 12;
pub const NFNL_SUBSYS_COUNT: u8 = 13;
pub const NFNL_BATCH_UNSPEC: u16 = 0;
pub const NFNL_BATCH_GENID: u16 = 1;
pub const NFNL_BATCH_MAX: u16 = 1;
