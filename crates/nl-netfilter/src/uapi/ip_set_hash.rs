//! Constants of `<linux/netfilter/ipset/ip_set_hash.h>` with the kernel's
//! names, written by hand: they count from `IPSET_ERR_TYPE_SPECIFIC` of
//! another header, which `scripts/gen-uapi.py` does not follow. With them,
//! the hash types' `bitmask` option of `<linux/netfilter/ipset/ip_set.h>`
//! since Linux 6.2, newer than the generator's headers.
#![allow(missing_docs)]

use super::ip_set::{IPSET_ERR_SKBINFO, IPSET_ERR_TYPE_SPECIFIC};

pub const IPSET_ERR_HASH_FULL: i32 = IPSET_ERR_TYPE_SPECIFIC;
pub const IPSET_ERR_HASH_ELEM: i32 = IPSET_ERR_TYPE_SPECIFIC + 1;
pub const IPSET_ERR_INVALID_PROTO: i32 = IPSET_ERR_TYPE_SPECIFIC + 2;
pub const IPSET_ERR_MISSING_PROTO: i32 = IPSET_ERR_TYPE_SPECIFIC + 3;
pub const IPSET_ERR_HASH_RANGE_UNSUPPORTED: i32 = IPSET_ERR_TYPE_SPECIFIC + 4;
pub const IPSET_ERR_HASH_RANGE: i32 = IPSET_ERR_TYPE_SPECIFIC + 5;

/// `IPSET_ATTR_BITMASK` (Linux 6.2): a create attribute after `IPSET_ATTR_MARKMASK`.
pub const IPSET_ATTR_BITMASK: u16 = 12;
/// `IPSET_ERR_BITMASK_NETMASK_EXCL` (Linux 6.2): after `IPSET_ERR_SKBINFO`.
pub const IPSET_ERR_BITMASK_NETMASK_EXCL: i32 = IPSET_ERR_SKBINFO + 1;
