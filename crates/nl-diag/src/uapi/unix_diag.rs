//! `<linux/unix_diag.h>`: unix socket requests and replies.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

use zerocopy::byteorder::native_endian::{U16, U32};

pub const UDIAG_SHOW_NAME: u32 = 0x0000_0001;
pub const UDIAG_SHOW_VFS: u32 = 0x0000_0002;
pub const UDIAG_SHOW_PEER: u32 = 0x0000_0004;
pub const UDIAG_SHOW_ICONS: u32 = 0x0000_0008;
pub const UDIAG_SHOW_RQLEN: u32 = 0x0000_0010;
pub const UDIAG_SHOW_MEMINFO: u32 = 0x0000_0020;
pub const UDIAG_SHOW_UID: u32 = 0x0000_0040;

pub const UNIX_DIAG_NAME: u16 = 0;
pub const UNIX_DIAG_VFS: u16 = 1;
pub const UNIX_DIAG_PEER: u16 = 2;
pub const UNIX_DIAG_ICONS: u16 = 3;
pub const UNIX_DIAG_RQLEN: u16 = 4;
pub const UNIX_DIAG_MEMINFO: u16 = 5;
pub const UNIX_DIAG_SHUTDOWN: u16 = 6;
pub const UNIX_DIAG_UID: u16 = 7;

nl_wire::wire_struct! {
    /// `struct unix_diag_req`.
    pub struct UnixDiagReq(24) {
        pub sdiag_family: u8,
        pub sdiag_protocol: u8,
        pub pad: U16,
        pub udiag_states: U32,
        pub udiag_ino: U32,
        pub udiag_show: U32,
        pub udiag_cookie: [U32; 2],
    }

    /// `struct unix_diag_msg`.
    pub struct UnixDiagMsg(16) {
        pub udiag_family: u8,
        pub udiag_type: u8,
        pub udiag_state: u8,
        pub pad: u8,
        pub udiag_ino: U32,
        pub udiag_cookie: [U32; 2],
    }

    /// `struct unix_diag_vfs`.
    pub struct UnixDiagVfs(8) {
        pub udiag_vfs_ino: U32,
        pub udiag_vfs_dev: U32,
    }

    /// `struct unix_diag_rqlen`.
    pub struct UnixDiagRqlen(8) {
        pub udiag_rqueue: U32,
        pub udiag_wqueue: U32,
    }
}
