//! Constants of `<linux/if_bonding.h>` with the kernel's names.
//!
//! Generated from linux-libc-dev 6.1.187-1 by `scripts/gen-uapi.py`; do not edit.
//! Values newer than those headers live in `uapi::newer`.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

pub const BOND_MODE_ROUNDROBIN: u8 = 0;
pub const BOND_MODE_ACTIVEBACKUP: u8 = 1;
pub const BOND_MODE_XOR: u8 = 2;
pub const BOND_MODE_BROADCAST: u8 = 3;
pub const BOND_MODE_8023AD: u8 = 4;
pub const BOND_MODE_TLB: u8 = 5;
pub const BOND_MODE_ALB: u8 = 6;
pub const BOND_LINK_UP: u8 = 0;
pub const BOND_LINK_FAIL: u8 = 1;
pub const BOND_LINK_DOWN: u8 = 2;
pub const BOND_LINK_BACK: u8 = 3;
pub const BOND_STATE_ACTIVE: u8 = 0;
pub const BOND_STATE_BACKUP: u8 = 1;
pub const BOND_XMIT_POLICY_LAYER2: u8 = 0;
pub const BOND_XMIT_POLICY_LAYER34: u8 = 1;
pub const BOND_XMIT_POLICY_LAYER23: u8 = 2;
pub const BOND_XMIT_POLICY_ENCAP23: u8 = 3;
pub const BOND_XMIT_POLICY_ENCAP34: u8 = 4;
pub const BOND_XMIT_POLICY_VLAN_SRCMAC: u8 = 5;
pub const LACP_STATE_LACP_ACTIVITY: u8 = 1;
pub const LACP_STATE_LACP_TIMEOUT: u8 = 2;
pub const LACP_STATE_AGGREGATION: u8 = 4;
pub const LACP_STATE_SYNCHRONIZATION: u8 = 8;
pub const LACP_STATE_COLLECTING: u8 = 16;
pub const LACP_STATE_DISTRIBUTING: u8 = 32;
pub const LACP_STATE_DEFAULTED: u8 = 64;
pub const LACP_STATE_EXPIRED: u8 = 128;
