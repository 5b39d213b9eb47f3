//! Kernel constants, in modules named after their UAPI header (generated
//! by `scripts/gen-uapi.py`), and the few the generator cannot evaluate.

pub mod r#in;
pub mod in6;
pub mod ip_set;
pub mod ip_set_bitmap;
pub mod ip_set_hash;
pub mod ip_set_list;
pub mod netfilter;
pub mod newer;
pub mod nf_conntrack_common;
pub mod nf_conntrack_tcp;
pub mod nf_nat;
pub mod nf_synproxy;
pub mod nf_tables;
pub mod nfnetlink;
pub mod nfnetlink_conntrack;
pub mod nfnetlink_cttimeout;

/// `NFNL_MSG_BATCH_BEGIN`: opens a transaction (`NLMSG_MIN_TYPE`).
pub const NFNL_MSG_BATCH_BEGIN: u16 = nl_wire::netlink::NLMSG_MIN_TYPE;

/// `NFNL_MSG_BATCH_END`: commits it.
pub const NFNL_MSG_BATCH_END: u16 = nl_wire::netlink::NLMSG_MIN_TYPE + 1;
