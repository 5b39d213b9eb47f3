//! `linux/cn_proc.h`: process event connector operations, event types and
//! the `proc_event` header.

use nl_wire::wire_struct;
use zerocopy::byteorder::native_endian::{U32, U64};

/// `proc_cn_mcast_op`: start receiving events.
pub const PROC_CN_MCAST_LISTEN: u32 = 1;
/// `proc_cn_mcast_op`: stop receiving events.
pub const PROC_CN_MCAST_IGNORE: u32 = 2;

/// Acknowledgement of a `PROC_CN_MCAST_*` operation (`event_data.ack`).
pub const PROC_EVENT_NONE: u32 = 0x0000_0000;
/// A task forked.
pub const PROC_EVENT_FORK: u32 = 0x0000_0001;
/// A task called exec.
pub const PROC_EVENT_EXEC: u32 = 0x0000_0002;
/// A task changed its user ids.
pub const PROC_EVENT_UID: u32 = 0x0000_0004;
/// A task changed its group ids.
pub const PROC_EVENT_GID: u32 = 0x0000_0040;
/// A task started a session.
pub const PROC_EVENT_SID: u32 = 0x0000_0080;
/// A task was attached to or detached from a tracer.
pub const PROC_EVENT_PTRACE: u32 = 0x0000_0100;
/// A task changed its name (`comm`).
pub const PROC_EVENT_COMM: u32 = 0x0000_0200;
/// Filter bit only (Linux 6.6+): exits with a non-zero code.
pub const PROC_EVENT_NONZERO_EXIT: u32 = 0x2000_0000;
/// A task dumped core.
pub const PROC_EVENT_COREDUMP: u32 = 0x4000_0000;
/// A task exited.
pub const PROC_EVENT_EXIT: u32 = 0x8000_0000;
/// Filter value (Linux 6.6+): every event.
pub const PROC_EVENT_ALL: u32 = PROC_EVENT_FORK
    | PROC_EVENT_EXEC
    | PROC_EVENT_UID
    | PROC_EVENT_GID
    | PROC_EVENT_SID
    | PROC_EVENT_PTRACE
    | PROC_EVENT_COMM
    | PROC_EVENT_NONZERO_EXIT
    | PROC_EVENT_COREDUMP
    | PROC_EVENT_EXIT;

/// Length of `comm` in `comm_proc_event` (`TASK_COMM_LEN`).
pub const TASK_COMM_LEN: usize = 16;

wire_struct! {
    /// The fixed part of `struct proc_event`, before `event_data`.
    pub struct ProcEventHdr(16) {
        /// `PROC_EVENT_*`.
        pub what: U32,
        /// The CPU the event happened on.
        pub cpu: U32,
        /// Nanoseconds since boot.
        pub timestamp_ns: U64,
    }

    /// `struct proc_input` (Linux 6.6+): an operation with an event filter.
    pub struct ProcInput(8) {
        /// `PROC_CN_MCAST_*`.
        pub mcast_op: U32,
        /// `PROC_EVENT_*` bits to receive (`PROC_EVENT_ALL`, or `NONE` for all).
        pub event_type: U32,
    }
}
