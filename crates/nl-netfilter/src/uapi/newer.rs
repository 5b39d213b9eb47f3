//! Values the running kernels know but the installed 6.1 headers do not,
//! and the few ctnetlink values the kernel keeps out of its UAPI headers.
#![allow(missing_docs)]

// <linux/netfilter/nfnetlink_conntrack.h>, appended after CTA_STATUS_MASK (26).
pub const CTA_TIMESTAMP_EVENT: u16 = 27; // 6.2

// Flags of CTA_FILTER_ORIG_FLAGS / CTA_FILTER_REPLY_FLAGS: which fields of
// the tuple a dump or flush filter compares. They are ABI (conntrack-tools
// sends them) but live in the kernel's net/netfilter/nf_internals.h (5.8).
pub const CTA_FILTER_F_CTA_IP_SRC: u32 = 1 << 0;
pub const CTA_FILTER_F_CTA_IP_DST: u32 = 1 << 1;
pub const CTA_FILTER_F_CTA_TUPLE_ZONE: u32 = 1 << 2;
pub const CTA_FILTER_F_CTA_PROTO_NUM: u32 = 1 << 3;
pub const CTA_FILTER_F_CTA_PROTO_SRC_PORT: u32 = 1 << 4;
pub const CTA_FILTER_F_CTA_PROTO_DST_PORT: u32 = 1 << 5;
pub const CTA_FILTER_F_CTA_PROTO_ICMP_TYPE: u32 = 1 << 6;
pub const CTA_FILTER_F_CTA_PROTO_ICMP_CODE: u32 = 1 << 7;
pub const CTA_FILTER_F_CTA_PROTO_ICMP_ID: u32 = 1 << 8;
pub const CTA_FILTER_F_CTA_PROTO_ICMPV6_TYPE: u32 = 1 << 9;
pub const CTA_FILTER_F_CTA_PROTO_ICMPV6_CODE: u32 = 1 << 10;
pub const CTA_FILTER_F_CTA_PROTO_ICMPV6_ID: u32 = 1 << 11;
pub const CTA_FILTER_F_MAX: u32 = 1 << 12;
pub const CTA_FILTER_F_ALL: u32 = CTA_FILTER_F_MAX - 1;
