//! Constants of `<linux/netfilter/ipset/ip_set_list.h>` with the kernel's
//! names, written by hand: they count from `IPSET_ERR_TYPE_SPECIFIC` of
//! another header, which `scripts/gen-uapi.py` does not follow.
#![allow(missing_docs)]

use super::ip_set::IPSET_ERR_TYPE_SPECIFIC;

pub const IPSET_ERR_NAME: i32 = IPSET_ERR_TYPE_SPECIFIC;
pub const IPSET_ERR_LOOP: i32 = IPSET_ERR_TYPE_SPECIFIC + 1;
pub const IPSET_ERR_BEFORE: i32 = IPSET_ERR_TYPE_SPECIFIC + 2;
pub const IPSET_ERR_NAMEREF: i32 = IPSET_ERR_TYPE_SPECIFIC + 3;
pub const IPSET_ERR_LIST_FULL: i32 = IPSET_ERR_TYPE_SPECIFIC + 4;
pub const IPSET_ERR_REF_EXIST: i32 = IPSET_ERR_TYPE_SPECIFIC + 5;
