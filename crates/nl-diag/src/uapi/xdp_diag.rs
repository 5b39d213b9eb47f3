//! `<linux/xdp_diag.h>`: AF_XDP socket requests and replies.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

use zerocopy::byteorder::native_endian::{U16, U32, U64};

pub const XDP_SHOW_INFO: u32 = 1 << 0;
pub const XDP_SHOW_RING_CFG: u32 = 1 << 1;
pub const XDP_SHOW_UMEM: u32 = 1 << 2;
pub const XDP_SHOW_MEMINFO: u32 = 1 << 3;
pub const XDP_SHOW_STATS: u32 = 1 << 4;

pub const XDP_DIAG_NONE: u16 = 0;
pub const XDP_DIAG_INFO: u16 = 1;
pub const XDP_DIAG_UID: u16 = 2;
pub const XDP_DIAG_RX_RING: u16 = 3;
pub const XDP_DIAG_TX_RING: u16 = 4;
pub const XDP_DIAG_UMEM: u16 = 5;
pub const XDP_DIAG_UMEM_FILL_RING: u16 = 6;
pub const XDP_DIAG_UMEM_COMPLETION_RING: u16 = 7;
pub const XDP_DIAG_MEMINFO: u16 = 8;
pub const XDP_DIAG_STATS: u16 = 9;

pub const XDP_DU_F_ZEROCOPY: u32 = 1 << 0;

nl_wire::wire_struct! {
    /// `struct xdp_diag_req`.
    pub struct XdpDiagReq(20) {
        pub sdiag_family: u8,
        pub sdiag_protocol: u8,
        pub pad: U16,
        pub xdiag_ino: U32,
        pub xdiag_show: U32,
        pub xdiag_cookie: [U32; 2],
    }

    /// `struct xdp_diag_msg`.
    pub struct XdpDiagMsg(16) {
        pub xdiag_family: u8,
        pub xdiag_type: u8,
        pub pad: U16,
        pub xdiag_ino: U32,
        pub xdiag_cookie: [U32; 2],
    }

    /// `struct xdp_diag_info`.
    pub struct XdpDiagInfo(8) {
        pub ifindex: U32,
        pub queue_id: U32,
    }

    /// `struct xdp_diag_umem`.
    pub struct XdpDiagUmem(40) {
        pub size: U64,
        pub id: U32,
        pub num_pages: U32,
        pub chunk_size: U32,
        pub headroom: U32,
        pub ifindex: U32,
        pub queue_id: U32,
        pub flags: U32,
        pub refs: U32,
    }

    /// `struct xdp_diag_stats`.
    pub struct XdpDiagStats(48) {
        pub n_rx_dropped: U64,
        pub n_rx_invalid: U64,
        pub n_rx_full: U64,
        pub n_fill_ring_empty: U64,
        pub n_tx_invalid: U64,
        pub n_tx_ring_empty: U64,
    }
}
