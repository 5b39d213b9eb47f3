//! Constants of `<linux/netfilter/ipset/ip_set_bitmap.h>` with the kernel's
//! names, written by hand: they count from `IPSET_ERR_TYPE_SPECIFIC` of
//! another header, which `scripts/gen-uapi.py` does not follow.
#![allow(missing_docs)]

use super::ip_set::IPSET_ERR_TYPE_SPECIFIC;

pub const IPSET_ERR_BITMAP_RANGE: i32 = IPSET_ERR_TYPE_SPECIFIC;
pub const IPSET_ERR_BITMAP_RANGE_SIZE: i32 = IPSET_ERR_TYPE_SPECIFIC + 1;
