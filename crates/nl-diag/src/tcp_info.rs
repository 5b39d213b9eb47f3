//! `struct tcp_info` as an owned value, read tolerantly: an older kernel
//! sends fewer fields (the rest are zero here), a newer one more (cut).

use nl_wire::read_tolerant;

use crate::uapi::tcp::TcpInfoRaw;

/// `struct tcp_info` (`INET_DIAG_INFO` of a TCP socket, `getsockopt(TCP_INFO)`),
/// with the kernel's field names less `tcpi_`; times are microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TcpInfo {
    /// `tcpi_state`.
    pub state: u8,
    /// `tcpi_ca_state`.
    pub ca_state: u8,
    /// `tcpi_retransmits`.
    pub retransmits: u8,
    /// `tcpi_probes`.
    pub probes: u8,
    /// `tcpi_backoff`.
    pub backoff: u8,
    /// `tcpi_options`.
    pub options: u8,
    /// Send window scale (`tcpi_snd_wscale`).
    pub snd_wscale: u8,
    /// Receive window scale (`tcpi_rcv_wscale`).
    pub rcv_wscale: u8,
    /// `tcpi_delivery_rate_app_limited`.
    pub delivery_rate_app_limited: bool,
    /// `tcpi_fastopen_client_fail`.
    pub fastopen_client_fail: u8,
    /// Retransmission timeout, microseconds.
    pub rto: u32,
    /// Delayed-ack timeout, microseconds.
    pub ato: u32,
    /// Send MSS (`ss`: `mss:`).
    pub snd_mss: u32,
    /// Receive MSS estimate.
    pub rcv_mss: u32,
    /// `tcpi_unacked`.
    pub unacked: u32,
    /// `tcpi_sacked`.
    pub sacked: u32,
    /// `tcpi_lost`.
    pub lost: u32,
    /// `tcpi_retrans`.
    pub retrans: u32,
    /// `tcpi_fackets`.
    pub fackets: u32,
    /// `tcpi_last_data_sent`.
    pub last_data_sent: u32,
    /// `tcpi_last_ack_sent`.
    pub last_ack_sent: u32,
    /// `tcpi_last_data_recv`.
    pub last_data_recv: u32,
    /// `tcpi_last_ack_recv`.
    pub last_ack_recv: u32,
    /// `tcpi_pmtu`.
    pub pmtu: u32,
    /// `tcpi_rcv_ssthresh`.
    pub rcv_ssthresh: u32,
    /// Smoothed round-trip time, microseconds (`ss`: `rtt:` in ms).
    pub rtt: u32,
    /// Its variance, microseconds.
    pub rttvar: u32,
    /// Slow-start threshold.
    pub snd_ssthresh: u32,
    /// Congestion window, segments (`ss`: `cwnd:`).
    pub snd_cwnd: u32,
    /// `tcpi_advmss`.
    pub advmss: u32,
    /// `tcpi_reordering`.
    pub reordering: u32,
    /// `tcpi_rcv_rtt`.
    pub rcv_rtt: u32,
    /// `tcpi_rcv_space`.
    pub rcv_space: u32,
    /// `tcpi_total_retrans`.
    pub total_retrans: u32,
    /// Pacing rate, bytes per second.
    pub pacing_rate: u64,
    /// `tcpi_max_pacing_rate`.
    pub max_pacing_rate: u64,
    /// Bytes acknowledged by the peer.
    pub bytes_acked: u64,
    /// Bytes received.
    pub bytes_received: u64,
    /// `tcpi_segs_out`.
    pub segs_out: u32,
    /// `tcpi_segs_in`.
    pub segs_in: u32,
    /// `tcpi_notsent_bytes`.
    pub notsent_bytes: u32,
    /// Lowest RTT seen, microseconds.
    pub min_rtt: u32,
    /// `tcpi_data_segs_in`.
    pub data_segs_in: u32,
    /// `tcpi_data_segs_out`.
    pub data_segs_out: u32,
    /// Delivery rate, bytes per second.
    pub delivery_rate: u64,
    /// `tcpi_busy_time`.
    pub busy_time: u64,
    /// `tcpi_rwnd_limited`.
    pub rwnd_limited: u64,
    /// `tcpi_sndbuf_limited`.
    pub sndbuf_limited: u64,
    /// `tcpi_delivered`.
    pub delivered: u32,
    /// `tcpi_delivered_ce`.
    pub delivered_ce: u32,
    /// `tcpi_bytes_sent`.
    pub bytes_sent: u64,
    /// `tcpi_bytes_retrans`.
    pub bytes_retrans: u64,
    /// `tcpi_dsack_dups`.
    pub dsack_dups: u32,
    /// `tcpi_reord_seen`.
    pub reord_seen: u32,
    /// `tcpi_rcv_ooopack`.
    pub rcv_ooopack: u32,
    /// `tcpi_snd_wnd`.
    pub snd_wnd: u32,
    /// How many bytes of the struct the kernel sent (fields past it are zero).
    pub len: usize,
}

impl TcpInfo {
    /// Reads the payload of `INET_DIAG_INFO` (any length).
    pub fn from_bytes(bytes: &[u8]) -> TcpInfo {
        let r: TcpInfoRaw = read_tolerant(bytes);
        TcpInfo {
            state: r.tcpi_state,
            ca_state: r.tcpi_ca_state,
            retransmits: r.tcpi_retransmits,
            probes: r.tcpi_probes,
            backoff: r.tcpi_backoff,
            options: r.tcpi_options,
            snd_wscale: r.tcpi_wscale & 0x0f,
            rcv_wscale: r.tcpi_wscale >> 4,
            delivery_rate_app_limited: r.tcpi_flags & 1 != 0,
            fastopen_client_fail: (r.tcpi_flags >> 1) & 3,
            rto: r.tcpi_rto.get(),
            ato: r.tcpi_ato.get(),
            snd_mss: r.tcpi_snd_mss.get(),
            rcv_mss: r.tcpi_rcv_mss.get(),
            unacked: r.tcpi_unacked.get(),
            sacked: r.tcpi_sacked.get(),
            lost: r.tcpi_lost.get(),
            retrans: r.tcpi_retrans.get(),
            fackets: r.tcpi_fackets.get(),
            last_data_sent: r.tcpi_last_data_sent.get(),
            last_ack_sent: r.tcpi_last_ack_sent.get(),
            last_data_recv: r.tcpi_last_data_recv.get(),
            last_ack_recv: r.tcpi_last_ack_recv.get(),
            pmtu: r.tcpi_pmtu.get(),
            rcv_ssthresh: r.tcpi_rcv_ssthresh.get(),
            rtt: r.tcpi_rtt.get(),
            rttvar: r.tcpi_rttvar.get(),
            snd_ssthresh: r.tcpi_snd_ssthresh.get(),
            snd_cwnd: r.tcpi_snd_cwnd.get(),
            advmss: r.tcpi_advmss.get(),
            reordering: r.tcpi_reordering.get(),
            rcv_rtt: r.tcpi_rcv_rtt.get(),
            rcv_space: r.tcpi_rcv_space.get(),
            total_retrans: r.tcpi_total_retrans.get(),
            pacing_rate: r.tcpi_pacing_rate.get(),
            max_pacing_rate: r.tcpi_max_pacing_rate.get(),
            bytes_acked: r.tcpi_bytes_acked.get(),
            bytes_received: r.tcpi_bytes_received.get(),
            segs_out: r.tcpi_segs_out.get(),
            segs_in: r.tcpi_segs_in.get(),
            notsent_bytes: r.tcpi_notsent_bytes.get(),
            min_rtt: r.tcpi_min_rtt.get(),
            data_segs_in: r.tcpi_data_segs_in.get(),
            data_segs_out: r.tcpi_data_segs_out.get(),
            delivery_rate: r.tcpi_delivery_rate.get(),
            busy_time: r.tcpi_busy_time.get(),
            rwnd_limited: r.tcpi_rwnd_limited.get(),
            sndbuf_limited: r.tcpi_sndbuf_limited.get(),
            delivered: r.tcpi_delivered.get(),
            delivered_ce: r.tcpi_delivered_ce.get(),
            bytes_sent: r.tcpi_bytes_sent.get(),
            bytes_retrans: r.tcpi_bytes_retrans.get(),
            dsack_dups: r.tcpi_dsack_dups.get(),
            reord_seen: r.tcpi_reord_seen.get(),
            rcv_ooopack: r.tcpi_rcv_ooopack.get(),
            snd_wnd: r.tcpi_snd_wnd.get(),
            len: bytes.len(),
        }
    }
}
