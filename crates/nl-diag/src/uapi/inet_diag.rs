//! `<linux/inet_diag.h>`: TCP, UDP, raw and SCTP socket requests, replies,
//! extensions and the bytecode filter.
#![allow(missing_docs, non_upper_case_globals, dead_code)]

use zerocopy::byteorder::native_endian::{U16, U32};
use zerocopy::byteorder::network_endian;

pub const TCPDIAG_GETSOCK: u16 = 18;
pub const DCCPDIAG_GETSOCK: u16 = 19;
pub const INET_DIAG_NOCOOKIE: u32 = !0;

pub const INET_DIAG_REQ_NONE: u16 = 0;
pub const INET_DIAG_REQ_BYTECODE: u16 = 1;
pub const INET_DIAG_REQ_SK_BPF_STORAGES: u16 = 2;
pub const INET_DIAG_REQ_PROTOCOL: u16 = 3;

pub const INET_DIAG_BC_NOP: u8 = 0;
pub const INET_DIAG_BC_JMP: u8 = 1;
pub const INET_DIAG_BC_S_GE: u8 = 2;
pub const INET_DIAG_BC_S_LE: u8 = 3;
pub const INET_DIAG_BC_D_GE: u8 = 4;
pub const INET_DIAG_BC_D_LE: u8 = 5;
pub const INET_DIAG_BC_AUTO: u8 = 6;
pub const INET_DIAG_BC_S_COND: u8 = 7;
pub const INET_DIAG_BC_D_COND: u8 = 8;
pub const INET_DIAG_BC_DEV_COND: u8 = 9;
pub const INET_DIAG_BC_MARK_COND: u8 = 10;
pub const INET_DIAG_BC_S_EQ: u8 = 11;
pub const INET_DIAG_BC_D_EQ: u8 = 12;
pub const INET_DIAG_BC_CGROUP_COND: u8 = 13;

pub const INET_DIAG_NONE: u16 = 0;
pub const INET_DIAG_MEMINFO: u16 = 1;
pub const INET_DIAG_INFO: u16 = 2;
pub const INET_DIAG_VEGASINFO: u16 = 3;
pub const INET_DIAG_CONG: u16 = 4;
pub const INET_DIAG_TOS: u16 = 5;
pub const INET_DIAG_TCLASS: u16 = 6;
pub const INET_DIAG_SKMEMINFO: u16 = 7;
pub const INET_DIAG_SHUTDOWN: u16 = 8;
pub const INET_DIAG_DCTCPINFO: u16 = 9;
pub const INET_DIAG_PROTOCOL: u16 = 10;
pub const INET_DIAG_SKV6ONLY: u16 = 11;
pub const INET_DIAG_LOCALS: u16 = 12;
pub const INET_DIAG_PEERS: u16 = 13;
pub const INET_DIAG_PAD: u16 = 14;
pub const INET_DIAG_MARK: u16 = 15;
pub const INET_DIAG_BBRINFO: u16 = 16;
pub const INET_DIAG_CLASS_ID: u16 = 17;
pub const INET_DIAG_MD5SIG: u16 = 18;
pub const INET_DIAG_ULP_INFO: u16 = 19;
pub const INET_DIAG_SK_BPF_STORAGES: u16 = 20;
pub const INET_DIAG_CGROUP_ID: u16 = 21;
pub const INET_DIAG_SOCKOPT: u16 = 22;

pub const INET_ULP_INFO_UNSPEC: u16 = 0;
pub const INET_ULP_INFO_NAME: u16 = 1;
pub const INET_ULP_INFO_TLS: u16 = 2;
pub const INET_ULP_INFO_MPTCP: u16 = 3;

nl_wire::wire_struct! {
    /// `struct inet_diag_sockid`: ports and addresses in network order.
    pub struct InetDiagSockId(48) {
        pub idiag_sport: network_endian::U16,
        pub idiag_dport: network_endian::U16,
        pub idiag_src: [u8; 16],
        pub idiag_dst: [u8; 16],
        pub idiag_if: U32,
        pub idiag_cookie: [U32; 2],
    }

    /// `struct inet_diag_req_v2` (also `struct inet_diag_req_raw`, whose
    /// `pad` is `sdiag_raw_protocol`).
    pub struct InetDiagReqV2(56) {
        pub sdiag_family: u8,
        pub sdiag_protocol: u8,
        pub idiag_ext: u8,
        pub pad: u8,
        pub idiag_states: U32,
        pub id: InetDiagSockId,
    }

    /// `struct inet_diag_msg`: the fixed part of every reply.
    pub struct InetDiagMsg(72) {
        pub idiag_family: u8,
        pub idiag_state: u8,
        pub idiag_timer: u8,
        pub idiag_retrans: u8,
        pub id: InetDiagSockId,
        pub idiag_expires: U32,
        pub idiag_rqueue: U32,
        pub idiag_wqueue: U32,
        pub idiag_uid: U32,
        pub idiag_inode: U32,
    }

    /// `struct inet_diag_bc_op`: one bytecode instruction.
    pub struct InetDiagBcOp(4) {
        pub code: u8,
        pub yes: u8,
        pub no: U16,
    }

    /// `struct inet_diag_hostcond` without its address (which follows).
    pub struct InetDiagHostcond(8) {
        pub family: u8,
        pub prefix_len: u8,
        pub _pad: [u8; 2],
        pub port: zerocopy::byteorder::native_endian::I32,
    }

    /// `struct inet_diag_markcond`.
    pub struct InetDiagMarkcond(8) {
        pub mark: U32,
        pub mask: U32,
    }

    /// `struct inet_diag_meminfo` (`INET_DIAG_MEMINFO`).
    pub struct InetDiagMeminfo(16) {
        pub idiag_rmem: U32,
        pub idiag_wmem: U32,
        pub idiag_fmem: U32,
        pub idiag_tmem: U32,
    }

    /// `struct tcpvegas_info` (`INET_DIAG_VEGASINFO`).
    pub struct TcpvegasInfo(16) {
        pub tcpv_enabled: U32,
        pub tcpv_rttcnt: U32,
        pub tcpv_rtt: U32,
        pub tcpv_minrtt: U32,
    }

    /// `struct tcp_dctcp_info` (`INET_DIAG_DCTCPINFO`).
    pub struct TcpDctcpInfo(16) {
        pub dctcp_enabled: U16,
        pub dctcp_ce_state: U16,
        pub dctcp_alpha: U32,
        pub dctcp_ab_ecn: U32,
        pub dctcp_ab_tot: U32,
    }

    /// `struct tcp_bbr_info` (`INET_DIAG_BBRINFO`).
    pub struct TcpBbrInfo(20) {
        pub bbr_bw_lo: U32,
        pub bbr_bw_hi: U32,
        pub bbr_min_rtt: U32,
        pub bbr_pacing_gain: U32,
        pub bbr_cwnd_gain: U32,
    }
}
