//! `linux/connector.h`: connector ids and the `cn_msg` header.

use nl_wire::wire_struct;
use zerocopy::byteorder::native_endian::{U16, U32};

/// Process events (`cn_proc`).
pub const CN_IDX_PROC: u32 = 0x1;
/// Process events (`cn_proc`).
pub const CN_VAL_PROC: u32 = 0x1;
/// CIFS upcalls.
pub const CN_IDX_CIFS: u32 = 0x2;
/// CIFS upcalls.
pub const CN_VAL_CIFS: u32 = 0x1;
/// w1 communication.
pub const CN_W1_IDX: u32 = 0x3;
/// w1 communication.
pub const CN_W1_VAL: u32 = 0x1;
/// uvesafb's v86d helper.
pub const CN_IDX_V86D: u32 = 0x4;
/// uvesafb's v86d helper.
pub const CN_VAL_V86D_UVESAFB: u32 = 0x1;
/// BlackBoard, from the TSP GPL sampling framework.
pub const CN_IDX_BB: u32 = 0x5;
/// Device mapper.
pub const CN_DST_IDX: u32 = 0x6;
/// Device mapper.
pub const CN_DST_VAL: u32 = 0x1;
/// Device mapper userspace log.
pub const CN_IDX_DM: u32 = 0x7;
/// Device mapper userspace log.
pub const CN_VAL_DM_USERSPACE_LOG: u32 = 0x1;
/// DRBD.
pub const CN_IDX_DRBD: u32 = 0x8;
/// DRBD.
pub const CN_VAL_DRBD: u32 = 0x1;
/// Hyper-V KVP.
pub const CN_KVP_IDX: u32 = 0x9;
/// Hyper-V KVP (queries from the kernel).
pub const CN_KVP_VAL: u32 = 0x1;
/// Hyper-V VSS.
pub const CN_VSS_IDX: u32 = 0xA;
/// Hyper-V VSS (queries from the kernel).
pub const CN_VSS_VAL: u32 = 0x1;
/// Highest index + 1: the number of multicast groups of the protocol.
pub const CN_NETLINK_USERS: u32 = 11;
/// Largest `cn_msg` (header and data) the kernel accepts.
pub const CONNECTOR_MAX_MSG_SIZE: usize = 16384;

wire_struct! {
    /// `struct cb_id`: which connector user a message is for.
    pub struct CbId(8) {
        /// Index (`CN_IDX_*`), also the multicast group of its events.
        pub idx: U32,
        /// Value (`CN_VAL_*`).
        pub val: U32,
    }

    /// `struct cn_msg`: the header in front of every connector payload.
    pub struct CnMsgHdr(20) {
        /// The connector user.
        pub id: CbId,
        /// Sequence number (the kernel's per-CPU event counter for cn_proc).
        pub seq: U32,
        /// Acknowledge number (cn_proc answers a request's `ack + 1`).
        pub ack: U32,
        /// Length of the data after this header.
        pub len: U16,
        /// Flags (unused by cn_proc).
        pub flags: U16,
    }
}
