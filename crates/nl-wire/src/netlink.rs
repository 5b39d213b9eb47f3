//! Constants and fixed headers of `<linux/netlink.h>`, with the kernel's names.

use zerocopy::byteorder::native_endian::{I32, U16, U32};

// Protocol families (the third argument of `socket(AF_NETLINK, ...)`).
/// Routing and device hooks (rtnetlink).
pub const NETLINK_ROUTE: i32 = 0;
/// Reserved for user-mode socket protocols.
pub const NETLINK_USERSOCK: i32 = 2;
/// Socket monitoring (`ss`).
pub const NETLINK_SOCK_DIAG: i32 = 4;
/// Netfilter ULOG.
pub const NETLINK_NFLOG: i32 = 5;
/// IPsec (xfrm).
pub const NETLINK_XFRM: i32 = 6;
/// SELinux event notifications.
pub const NETLINK_SELINUX: i32 = 7;
/// Open-iSCSI.
pub const NETLINK_ISCSI: i32 = 8;
/// Auditing.
pub const NETLINK_AUDIT: i32 = 9;
/// FIB lookup.
pub const NETLINK_FIB_LOOKUP: i32 = 10;
/// Kernel connector.
pub const NETLINK_CONNECTOR: i32 = 11;
/// Netfilter subsystem (nftables, conntrack).
pub const NETLINK_NETFILTER: i32 = 12;
/// Kernel uevents.
pub const NETLINK_KOBJECT_UEVENT: i32 = 15;
/// Generic netlink.
pub const NETLINK_GENERIC: i32 = 16;
/// SCSI transports.
pub const NETLINK_SCSITRANSPORT: i32 = 18;
/// RDMA.
pub const NETLINK_RDMA: i32 = 20;
/// Crypto layer.
pub const NETLINK_CRYPTO: i32 = 21;
/// SMC monitoring.
pub const NETLINK_SMC: i32 = 22;

// nlmsg_flags.
/// It is a request message.
pub const NLM_F_REQUEST: u16 = 0x01;
/// Multipart message, terminated by `NLMSG_DONE`.
pub const NLM_F_MULTI: u16 = 0x02;
/// Reply with an ack, with zero or an error code.
pub const NLM_F_ACK: u16 = 0x04;
/// Receive the resulting notifications.
pub const NLM_F_ECHO: u16 = 0x08;
/// The dump was inconsistent because the data changed during it.
pub const NLM_F_DUMP_INTR: u16 = 0x10;
/// The dump was filtered as requested.
pub const NLM_F_DUMP_FILTERED: u16 = 0x20;
/// GET: specify tree root.
pub const NLM_F_ROOT: u16 = 0x100;
/// GET: return all matching.
pub const NLM_F_MATCH: u16 = 0x200;
/// GET: atomic.
pub const NLM_F_ATOMIC: u16 = 0x400;
/// GET: dump the whole table (`NLM_F_ROOT | NLM_F_MATCH`).
pub const NLM_F_DUMP: u16 = NLM_F_ROOT | NLM_F_MATCH;
/// NEW: override an existing object.
pub const NLM_F_REPLACE: u16 = 0x100;
/// NEW: do not touch an existing object.
pub const NLM_F_EXCL: u16 = 0x200;
/// NEW: create if it does not exist.
pub const NLM_F_CREATE: u16 = 0x400;
/// NEW: add to the end of the list.
pub const NLM_F_APPEND: u16 = 0x800;
/// DELETE: do not delete recursively.
pub const NLM_F_NONREC: u16 = 0x100;
/// DELETE: delete multiple objects.
pub const NLM_F_BULK: u16 = 0x200;
/// ACK: the echoed request was capped to its header.
pub const NLM_F_CAPPED: u16 = 0x100;
/// ACK: extended ack TLVs follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

// Control message types.
/// Nothing.
pub const NLMSG_NOOP: u16 = 0x1;
/// Error or ack.
pub const NLMSG_ERROR: u16 = 0x2;
/// End of a dump.
pub const NLMSG_DONE: u16 = 0x3;
/// Data lost.
pub const NLMSG_OVERRUN: u16 = 0x4;
/// Types below this are reserved control messages.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

// enum nlmsgerr_attrs: extended ack TLVs.
/// Unused.
pub const NLMSGERR_ATTR_UNUSED: u16 = 0;
/// Error or warning text (NUL-terminated string).
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// Offset of the invalid attribute in the request (u32).
pub const NLMSGERR_ATTR_OFFS: u16 = 2;
/// Arbitrary subsystem-specific cookie (binary).
pub const NLMSGERR_ATTR_COOKIE: u16 = 3;
/// Policy of the rejected attribute (nested).
pub const NLMSGERR_ATTR_POLICY: u16 = 4;
/// Type of a missing required attribute (u32).
pub const NLMSGERR_ATTR_MISS_TYPE: u16 = 5;
/// Offset of the nest where an attribute was missing (u32).
pub const NLMSGERR_ATTR_MISS_NEST: u16 = 6;

// SOL_NETLINK socket options.
/// `SOL_NETLINK` level for `setsockopt`.
pub const SOL_NETLINK: i32 = 270;
/// Join a multicast group.
pub const NETLINK_ADD_MEMBERSHIP: i32 = 1;
/// Leave a multicast group.
pub const NETLINK_DROP_MEMBERSHIP: i32 = 2;
/// Receive `struct nl_pktinfo` with the group of a message.
pub const NETLINK_PKTINFO: i32 = 3;
/// Report broadcast delivery errors to the sender.
pub const NETLINK_BROADCAST_ERROR: i32 = 4;
/// Do not report lost multicast messages with `ENOBUFS`.
pub const NETLINK_NO_ENOBUFS: i32 = 5;
/// Receive notifications from all network namespaces with a peer id.
pub const NETLINK_LISTEN_ALL_NSID: i32 = 8;
/// List joined groups.
pub const NETLINK_LIST_MEMBERSHIPS: i32 = 9;
/// Do not echo the request payload in error messages.
pub const NETLINK_CAP_ACK: i32 = 10;
/// Append extended ack TLVs to errors and acks.
pub const NETLINK_EXT_ACK: i32 = 11;
/// Strict checking of dump requests (header fields and attributes).
pub const NETLINK_GET_STRICT_CHK: i32 = 12;

// Attribute type flags.
/// The attribute carries nested attributes.
pub const NLA_F_NESTED: u16 = 1 << 15;
/// The payload is in network byte order.
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
/// Mask of the type bits.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

crate::wire_struct! {
    /// `struct nlmsghdr`: the 16-byte header in front of every message.
    ///
    /// Host byte order; the fields are unaligned wrappers so a view can point
    /// into any receive buffer.
    pub struct NlMsgHdr(16) {
        /// Length of the message including this header.
        pub nlmsg_len: U32,
        /// Message type: a control type or a family's command.
        pub nlmsg_type: U16,
        /// `NLM_F_*` flags.
        pub nlmsg_flags: U16,
        /// Sequence number, echoed in replies.
        pub nlmsg_seq: U32,
        /// Sending port id (0 for the kernel).
        pub nlmsg_pid: U32,
    }
}

crate::wire_struct! {
    /// `struct nlattr`: type-length header of an attribute.
    pub struct NlAttr(4) {
        /// Length including this header, excluding trailing padding.
        pub nla_len: U16,
        /// Type in the low 14 bits, `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER` above.
        pub nla_type: U16,
    }
}

crate::wire_struct! {
    /// `struct nlmsgerr`: payload of `NLMSG_ERROR`.
    pub struct NlMsgErr(20) {
        /// Zero for an ack, a negative errno for a failure.
        pub error: I32,
        /// Header of the request this answers.
        pub msg: NlMsgHdr,
    }
}

crate::wire_struct! {
    /// `struct genlmsghdr`: family header of generic netlink messages.
    pub struct GenlMsgHdr(4) {
        /// Command.
        pub cmd: u8,
        /// Interface version.
        pub version: u8,
        /// Reserved, zero.
        pub reserved: U16,
    }
}

/// `GENL_HDRLEN`.
pub const GENL_HDRLEN: usize = 4;
