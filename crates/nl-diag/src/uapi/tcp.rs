//! `<linux/tcp.h>`: `struct tcp_info`, and the TCP states of
//! `<net/tcp_states.h>` (kernel-internal, but part of the ABI through
//! `idiag_state` / `idiag_states`; glibc's `<netinet/tcp.h>` has them).
#![allow(missing_docs, non_upper_case_globals, dead_code)]

use zerocopy::byteorder::native_endian::{U32, U64};

pub const TCP_ESTABLISHED: u8 = 1;
pub const TCP_SYN_SENT: u8 = 2;
pub const TCP_SYN_RECV: u8 = 3;
pub const TCP_FIN_WAIT1: u8 = 4;
pub const TCP_FIN_WAIT2: u8 = 5;
pub const TCP_TIME_WAIT: u8 = 6;
pub const TCP_CLOSE: u8 = 7;
pub const TCP_CLOSE_WAIT: u8 = 8;
pub const TCP_LAST_ACK: u8 = 9;
pub const TCP_LISTEN: u8 = 10;
pub const TCP_CLOSING: u8 = 11;
pub const TCP_NEW_SYN_RECV: u8 = 12;
pub const TCP_BOUND_INACTIVE: u8 = 13;

pub const TCPI_OPT_TIMESTAMPS: u8 = 1;
pub const TCPI_OPT_SACK: u8 = 2;
pub const TCPI_OPT_WSCALE: u8 = 4;
pub const TCPI_OPT_ECN: u8 = 8;
pub const TCPI_OPT_ECN_SEEN: u8 = 16;
pub const TCPI_OPT_SYN_DATA: u8 = 32;

pub const TCP_CA_Open: u8 = 0;
pub const TCP_CA_Disorder: u8 = 1;
pub const TCP_CA_CWR: u8 = 2;
pub const TCP_CA_Recovery: u8 = 3;
pub const TCP_CA_Loss: u8 = 4;

nl_wire::wire_struct! {
    /// `struct tcp_info` as of these headers (232 bytes). Kernels send a
    /// shorter one (older) or a longer one (newer); read it with
    /// [`nl_wire::read_tolerant`]: missing fields are zero.
    pub struct TcpInfoRaw(232) {
        pub tcpi_state: u8,
        pub tcpi_ca_state: u8,
        pub tcpi_retransmits: u8,
        pub tcpi_probes: u8,
        pub tcpi_backoff: u8,
        pub tcpi_options: u8,
        /// `tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4` (low nibble first).
        pub tcpi_wscale: u8,
        /// `tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2`.
        pub tcpi_flags: u8,
        pub tcpi_rto: U32,
        pub tcpi_ato: U32,
        pub tcpi_snd_mss: U32,
        pub tcpi_rcv_mss: U32,
        pub tcpi_unacked: U32,
        pub tcpi_sacked: U32,
        pub tcpi_lost: U32,
        pub tcpi_retrans: U32,
        pub tcpi_fackets: U32,
        pub tcpi_last_data_sent: U32,
        pub tcpi_last_ack_sent: U32,
        pub tcpi_last_data_recv: U32,
        pub tcpi_last_ack_recv: U32,
        pub tcpi_pmtu: U32,
        pub tcpi_rcv_ssthresh: U32,
        pub tcpi_rtt: U32,
        pub tcpi_rttvar: U32,
        pub tcpi_snd_ssthresh: U32,
        pub tcpi_snd_cwnd: U32,
        pub tcpi_advmss: U32,
        pub tcpi_reordering: U32,
        pub tcpi_rcv_rtt: U32,
        pub tcpi_rcv_space: U32,
        pub tcpi_total_retrans: U32,
        pub tcpi_pacing_rate: U64,
        pub tcpi_max_pacing_rate: U64,
        pub tcpi_bytes_acked: U64,
        pub tcpi_bytes_received: U64,
        pub tcpi_segs_out: U32,
        pub tcpi_segs_in: U32,
        pub tcpi_notsent_bytes: U32,
        pub tcpi_min_rtt: U32,
        pub tcpi_data_segs_in: U32,
        pub tcpi_data_segs_out: U32,
        pub tcpi_delivery_rate: U64,
        pub tcpi_busy_time: U64,
        pub tcpi_rwnd_limited: U64,
        pub tcpi_sndbuf_limited: U64,
        pub tcpi_delivered: U32,
        pub tcpi_delivered_ce: U32,
        pub tcpi_bytes_sent: U64,
        pub tcpi_bytes_retrans: U64,
        pub tcpi_dsack_dups: U32,
        pub tcpi_reord_seen: U32,
        pub tcpi_rcv_ooopack: U32,
        pub tcpi_snd_wnd: U32,
    }
}
