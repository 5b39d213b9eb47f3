//! The fixed-size kernel structs NETLINK_ROUTE uses, as zerocopy types.
//!
//! Host byte order unless a field says `network_endian`; every struct is
//! `Unaligned` (views point into unaligned receive buffers) and pinned to
//! its UAPI size.
#![allow(missing_docs)]

use zerocopy::byteorder::native_endian::{I16, I32, I64, U16, U32, U64};
use zerocopy::byteorder::network_endian;

nl_wire::wire_struct! {
    /// `struct ifinfomsg`: family header of RTM_*LINK.
    pub struct IfInfoMsg(16) {
        pub ifi_family: u8,
        pub __ifi_pad: u8,
        /// `ARPHRD_*`.
        pub ifi_type: U16,
        pub ifi_index: I32,
        /// `IFF_*` flags.
        pub ifi_flags: U32,
        /// Which flags a request changes.
        pub ifi_change: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct ifaddrmsg`: family header of RTM_*ADDR.
    pub struct IfAddrMsg(8) {
        pub ifa_family: u8,
        pub ifa_prefixlen: u8,
        /// Low 8 bits of the flags (the rest in `IFA_FLAGS`).
        pub ifa_flags: u8,
        pub ifa_scope: u8,
        pub ifa_index: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct ifa_cacheinfo` (`IFA_CACHEINFO`).
    pub struct IfaCacheinfo(16) {
        pub ifa_prefered: U32,
        pub ifa_valid: U32,
        /// Created, hundredths of seconds since boot.
        pub cstamp: U32,
        /// Updated, hundredths of seconds since boot.
        pub tstamp: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct rtnl_link_stats64` (`IFLA_STATS64`), as of Linux 6.1;
    /// read tolerantly, so newer kernels' longer struct is fine.
    pub struct RtnlLinkStats64(200) {
        pub rx_packets: U64,
        pub tx_packets: U64,
        pub rx_bytes: U64,
        pub tx_bytes: U64,
        pub rx_errors: U64,
        pub tx_errors: U64,
        pub rx_dropped: U64,
        pub tx_dropped: U64,
        pub multicast: U64,
        pub collisions: U64,
        pub rx_length_errors: U64,
        pub rx_over_errors: U64,
        pub rx_crc_errors: U64,
        pub rx_frame_errors: U64,
        pub rx_fifo_errors: U64,
        pub rx_missed_errors: U64,
        pub tx_aborted_errors: U64,
        pub tx_carrier_errors: U64,
        pub tx_fifo_errors: U64,
        pub tx_heartbeat_errors: U64,
        pub tx_window_errors: U64,
        pub rx_compressed: U64,
        pub tx_compressed: U64,
        pub rx_nohandler: U64,
        pub rx_otherhost_dropped: U64,
    }
}

nl_wire::wire_struct! {
    /// `struct ifla_vlan_flags` (`IFLA_VLAN_FLAGS`).
    pub struct IflaVlanFlags(8) {
        pub flags: U32,
        pub mask: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct ifla_vlan_qos_mapping` (`IFLA_VLAN_QOS_MAPPING`).
    pub struct IflaVlanQosMapping(8) {
        pub from: U32,
        pub to: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct ifla_vxlan_port_range` (`IFLA_VXLAN_PORT_RANGE`), network order.
    pub struct IflaVxlanPortRange(4) {
        pub low: network_endian::U16,
        pub high: network_endian::U16,
    }
}

nl_wire::wire_struct! {
    /// `struct ifla_bridge_id`: priority (network order) and address.
    pub struct IflaBridgeId(8) {
        pub prio: network_endian::U16,
        pub addr: [u8; 6],
    }
}

nl_wire::wire_struct! {
    /// `struct bridge_vlan_info` (`IFLA_BRIDGE_VLAN_INFO`).
    pub struct BridgeVlanInfo(4) {
        pub flags: U16,
        pub vid: U16,
    }
}

nl_wire::wire_struct! {
    /// `struct ifla_cacheinfo` (IPv6 `IFLA_INET6_CACHEINFO`).
    pub struct IflaCacheinfo(16) {
        pub max_reasm_len: U32,
        pub tstamp: U32,
        pub reachable_time: U32,
        pub retrans_time: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct rtmsg`: family header of RTM_*ROUTE.
    pub struct RtMsg(12) {
        pub rtm_family: u8,
        pub rtm_dst_len: u8,
        pub rtm_src_len: u8,
        pub rtm_tos: u8,
        /// `RT_TABLE_*` (`RTA_TABLE` carries tables above 255).
        pub rtm_table: u8,
        /// `RTPROT_*`.
        pub rtm_protocol: u8,
        /// `RT_SCOPE_*`.
        pub rtm_scope: u8,
        /// `RTN_*`.
        pub rtm_type: u8,
        /// `RTM_F_*` and `RTNH_F_*`.
        pub rtm_flags: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct rtnexthop`: one path of `RTA_MULTIPATH`, attributes follow.
    pub struct RtNexthop(8) {
        /// Length including the attributes.
        pub rtnh_len: U16,
        /// `RTNH_F_*`.
        pub rtnh_flags: u8,
        /// Weight minus one (TTL threshold for multicast routes).
        pub rtnh_hops: u8,
        pub rtnh_ifindex: I32,
    }
}

nl_wire::wire_struct! {
    /// `struct rta_cacheinfo` (`RTA_CACHEINFO`).
    pub struct RtaCacheinfo(32) {
        pub rta_clntref: U32,
        pub rta_lastuse: U32,
        /// Expiry in jiffies-derived clock ticks (signed).
        pub rta_expires: I32,
        pub rta_error: U32,
        pub rta_used: U32,
        pub rta_id: U32,
        pub rta_ts: U32,
        pub rta_tsage: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct rta_mfc_stats` (`RTA_MFC_STATS`, multicast routes).
    pub struct RtaMfcStats(24) {
        pub mfcs_packets: U64,
        pub mfcs_bytes: U64,
        pub mfcs_wrong_if: U64,
    }
}

/// Copies a struct from the start of `bytes`, zero-filling what is missing.
pub(crate) fn read_struct<T: zerocopy::FromBytes + zerocopy::IntoBytes>(bytes: &[u8]) -> T {
    let mut v = T::new_zeroed();
    let dst = v.as_mut_bytes();
    let n = dst.len().min(bytes.len());
    if let (Some(d), Some(s)) = (dst.get_mut(..n), bytes.get(..n)) {
        d.copy_from_slice(s);
    }
    v
}

nl_wire::wire_struct! {
    /// `struct fib_rule_hdr`: family header of RTM_*RULE.
    pub struct FibRuleHdr(12) {
        pub family: u8,
        pub dst_len: u8,
        pub src_len: u8,
        pub tos: u8,
        /// `RT_TABLE_*` (`FRA_TABLE` carries tables above 255).
        pub table: u8,
        pub res1: u8,
        pub res2: u8,
        /// `FR_ACT_*`.
        pub action: u8,
        /// `FIB_RULE_*`.
        pub flags: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct fib_rule_uid_range` (`FRA_UID_RANGE`).
    pub struct FibRuleUidRange(8) {
        pub start: U32,
        pub end: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct fib_rule_port_range` (`FRA_SPORT_RANGE`, `FRA_DPORT_RANGE`),
    /// host order.
    pub struct FibRulePortRange(4) {
        pub start: U16,
        pub end: U16,
    }
}

nl_wire::wire_struct! {
    /// `struct ndmsg`: family header of RTM_*NEIGH.
    pub struct NdMsg(12) {
        pub ndm_family: u8,
        pub ndm_pad1: u8,
        pub ndm_pad2: U16,
        pub ndm_ifindex: I32,
        /// `NUD_*`.
        pub ndm_state: U16,
        /// `NTF_*`.
        pub ndm_flags: u8,
        /// `RTN_*`.
        pub ndm_type: u8,
    }
}

nl_wire::wire_struct! {
    /// `struct nda_cacheinfo` (`NDA_CACHEINFO`), clock ticks (USER_HZ).
    pub struct NdaCacheinfo(16) {
        pub ndm_confirmed: U32,
        pub ndm_used: U32,
        pub ndm_updated: U32,
        pub ndm_refcnt: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct nhmsg`: family header of RTM_*NEXTHOP.
    pub struct NhMsg(8) {
        pub nh_family: u8,
        pub nh_scope: u8,
        /// `RTPROT_*`.
        pub nh_protocol: u8,
        pub resvd: u8,
        /// `RTNH_F_*`.
        pub nh_flags: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct nexthop_grp`: one member of `NHA_GROUP`. The weight on the
    /// wire is weight minus one, low byte first; `weight_high` (6.12) was
    /// `resvd1` before and must then be zero.
    pub struct NexthopGrp(8) {
        pub id: U32,
        pub weight: u8,
        pub weight_high: u8,
        pub resvd2: U16,
    }
}

// ---- traffic control ----------------------------------------------------

nl_wire::wire_struct! {
    /// `struct tcmsg`: family header of RTM_*QDISC, *TCLASS, *TFILTER.
    pub struct TcMsg(20) {
        pub tcm_family: u8,
        pub tcm_pad1: u8,
        pub tcm_pad2: U16,
        pub tcm_ifindex: I32,
        pub tcm_handle: U32,
        pub tcm_parent: U32,
        /// Filters: `(priority << 16) | protocol` (protocol in network order).
        pub tcm_info: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tcamsg`: family header of RTM_*ACTION.
    pub struct TcaMsg(4) {
        pub tca_family: u8,
        pub tca_pad1: u8,
        pub tca_pad2: U16,
    }
}

nl_wire::wire_struct! {
    /// `struct gnet_stats_basic` (`TCA_STATS_BASIC`), padded to 16 bytes.
    pub struct GnetStatsBasic(16) {
        pub bytes: U64,
        pub packets: U32,
        pub __pad: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct gnet_stats_rate_est` (`TCA_STATS_RATE_EST`).
    pub struct GnetStatsRateEst(8) {
        pub bps: U32,
        pub pps: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct gnet_stats_rate_est64` (`TCA_STATS_RATE_EST64`).
    pub struct GnetStatsRateEst64(16) {
        pub bps: U64,
        pub pps: U64,
    }
}

nl_wire::wire_struct! {
    /// `struct gnet_stats_queue` (`TCA_STATS_QUEUE`).
    pub struct GnetStatsQueue(20) {
        pub qlen: U32,
        pub backlog: U32,
        pub drops: U32,
        pub requeues: U32,
        pub overlimits: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_stats` (`TCA_STATS`, the old form), padded to 40 bytes.
    pub struct TcStats(40) {
        pub bytes: U64,
        pub packets: U32,
        pub drops: U32,
        pub overlimits: U32,
        pub bps: U32,
        pub pps: U32,
        pub qlen: U32,
        pub backlog: U32,
        pub __pad: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_estimator` (`TCA_RATE`).
    pub struct TcEstimator(2) {
        pub interval: i8,
        pub ewma_log: u8,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_ratespec`.
    pub struct TcRateSpec(12) {
        pub cell_log: u8,
        /// `TC_LINKLAYER_*` in the low 4 bits.
        pub linklayer: u8,
        pub overhead: U16,
        pub cell_align: I16,
        pub mpu: U16,
        /// Bytes per second, saturated at `u32::MAX` (the full value in a
        /// `*_RATE64` attribute).
        pub rate: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_fifo_qopt`.
    pub struct TcFifoQopt(4) {
        pub limit: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_prio_qopt` (padded to 20 bytes).
    pub struct TcPrioQopt(20) {
        pub bands: I32,
        pub priomap: [u8; 16],
    }
}

nl_wire::wire_struct! {
    /// `struct tc_tbf_qopt`.
    pub struct TcTbfQopt(36) {
        pub rate: TcRateSpec,
        pub peakrate: TcRateSpec,
        pub limit: U32,
        /// Burst as transmission time, in scheduler ticks.
        pub buffer: U32,
        pub mtu: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_sfq_qopt`.
    pub struct TcSfqQopt(20) {
        pub quantum: U32,
        pub perturb_period: I32,
        pub limit: U32,
        pub divisor: U32,
        pub flows: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_sfq_qopt_v1` (what the kernel dumps).
    pub struct TcSfqQoptV1(72) {
        pub v0: TcSfqQopt,
        pub depth: U32,
        pub headdrop: U32,
        pub limit: U32,
        pub qth_min: U32,
        pub qth_max: U32,
        pub wlog: u8,
        pub plog: u8,
        pub scell_log: u8,
        pub flags: u8,
        pub max_p: U32,
        pub stats: [U32; 6],
    }
}

nl_wire::wire_struct! {
    /// `struct tc_red_qopt` (padded to 16 bytes).
    pub struct TcRedQopt(16) {
        pub limit: U32,
        pub qth_min: U32,
        pub qth_max: U32,
        pub wlog: u8,
        pub plog: u8,
        pub scell_log: u8,
        pub flags: u8,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_htb_opt`.
    pub struct TcHtbOpt(44) {
        pub rate: TcRateSpec,
        pub ceil: TcRateSpec,
        pub buffer: U32,
        pub cbuffer: U32,
        pub quantum: U32,
        pub level: U32,
        pub prio: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_htb_glob`.
    pub struct TcHtbGlob(20) {
        pub version: U32,
        pub rate2quantum: U32,
        pub defcls: U32,
        pub debug: U32,
        pub direct_pkts: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_htb_xstats`.
    pub struct TcHtbXstats(20) {
        pub lends: U32,
        pub borrows: U32,
        pub giants: U32,
        pub tokens: I32,
        pub ctokens: I32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_hfsc_qopt` (`TCA_OPTIONS` of hfsc qdiscs).
    pub struct TcHfscQopt(2) {
        pub defcls: U16,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_service_curve`.
    pub struct TcServiceCurve(12) {
        /// Slope of the first segment, bytes per second.
        pub m1: U32,
        /// Length of the first segment, microseconds.
        pub d: U32,
        /// Slope of the second segment, bytes per second.
        pub m2: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_netem_qopt` (`TCA_OPTIONS` of netem; attributes follow it).
    pub struct TcNetemQopt(24) {
        pub latency: U32,
        pub limit: U32,
        pub loss: U32,
        pub gap: U32,
        pub duplicate: U32,
        pub jitter: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_netem_corr`.
    pub struct TcNetemCorr(12) {
        pub delay_corr: U32,
        pub loss_corr: U32,
        pub dup_corr: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_netem_reorder` and `struct tc_netem_corrupt`.
    pub struct TcNetemProb(8) {
        pub probability: U32,
        pub correlation: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_netem_rate`.
    pub struct TcNetemRate(16) {
        pub rate: U32,
        pub packet_overhead: I32,
        pub cell_size: U32,
        pub cell_overhead: I32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_netem_slot`.
    pub struct TcNetemSlot(40) {
        pub min_delay: I64,
        pub max_delay: I64,
        pub max_packets: I32,
        pub max_bytes: I32,
        pub dist_delay: I64,
        pub dist_jitter: I64,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_codel_xstats`.
    pub struct TcCodelXstats(36) {
        pub maxpacket: U32,
        pub count: U32,
        pub lastcount: U32,
        pub ldelay: U32,
        pub drop_next: I32,
        pub drop_overlimit: U32,
        pub ecn_mark: U32,
        pub dropping: U32,
        pub ce_mark: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_u32_key`.
    pub struct TcU32Key(16) {
        pub mask: network_endian::U32,
        pub val: network_endian::U32,
        pub off: I32,
        pub offmask: I32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_u32_sel` without its keys (padded to 16 bytes); the
    /// `nkeys` keys follow it.
    pub struct TcU32Sel(16) {
        pub flags: u8,
        pub offshift: u8,
        pub nkeys: u8,
        pub __pad: u8,
        pub offmask: network_endian::U16,
        pub off: U16,
        pub offoff: I16,
        pub hoff: I16,
        pub hmask: network_endian::U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_u32_mark`.
    pub struct TcU32Mark(12) {
        pub val: U32,
        pub mask: U32,
        pub success: U32,
    }
}

nl_wire::wire_struct! {
    /// The `tc_gen` fields every action's parameter struct starts with.
    pub struct TcGen(20) {
        pub index: U32,
        pub capab: U32,
        /// `TC_ACT_*` verdict after the action.
        pub action: I32,
        pub refcnt: I32,
        pub bindcnt: I32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_mirred`.
    pub struct TcMirred(28) {
        pub head: TcGen,
        /// `TCA_EGRESS_REDIR` ...
        pub eaction: I32,
        pub ifindex: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_gact_p`.
    pub struct TcGactP(8) {
        pub ptype: U16,
        pub pval: U16,
        pub paction: I32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_vlan`, `struct tc_tunnel_key`, `struct tc_csum`: `tc_gen`
    /// and one more 32-bit field.
    pub struct TcGenPlus(24) {
        pub head: TcGen,
        pub extra: I32,
    }
}

nl_wire::wire_struct! {
    /// `struct tc_police`.
    pub struct TcPolice(56) {
        pub index: U32,
        pub action: I32,
        pub limit: U32,
        pub burst: U32,
        pub mtu: U32,
        pub rate: TcRateSpec,
        pub peakrate: TcRateSpec,
        pub refcnt: I32,
        pub bindcnt: I32,
        pub capab: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct tcf_t`: action timestamps, in jiffies-based ticks.
    pub struct TcfT(32) {
        pub install: U64,
        pub lastuse: U64,
        pub expires: U64,
        pub firstuse: U64,
    }
}

nl_wire::wire_struct! {
    /// `struct nla_bitfield32`.
    pub struct NlaBitfield32(8) {
        pub value: U32,
        pub selector: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct if_stats_msg`: family header of RTM_*STATS.
    pub struct IfStatsMsg(12) {
        pub family: u8,
        pub pad1: u8,
        pub pad2: U16,
        /// Interface index (0 in a dump).
        pub ifindex: U32,
        /// `IFLA_STATS_FILTER_BIT` of every group wanted.
        pub filter_mask: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct rtnl_hw_stats64` (`IFLA_OFFLOAD_XSTATS_L3_STATS`).
    pub struct RtnlHwStats64(72) {
        pub rx_packets: U64,
        pub tx_packets: U64,
        pub rx_bytes: U64,
        pub tx_bytes: U64,
        pub rx_errors: U64,
        pub tx_errors: U64,
        pub rx_dropped: U64,
        pub tx_dropped: U64,
        pub multicast: U64,
    }
}

nl_wire::wire_struct! {
    /// `struct mpls_link_stats` (`MPLS_STATS_LINK`).
    pub struct MplsLinkStats(72) {
        pub rx_packets: U64,
        pub tx_packets: U64,
        pub rx_bytes: U64,
        pub tx_bytes: U64,
        pub rx_errors: U64,
        pub tx_errors: U64,
        pub rx_dropped: U64,
        pub tx_dropped: U64,
        pub rx_noroute: U64,
    }
}

nl_wire::wire_struct! {
    /// `struct ndt_config` (`NDTA_CONFIG`).
    pub struct NdtConfig(32) {
        pub ndtc_key_len: U16,
        pub ndtc_entry_size: U16,
        pub ndtc_entries: U32,
        pub ndtc_last_flush: U32,
        pub ndtc_last_rand: U32,
        pub ndtc_hash_rnd: U32,
        pub ndtc_hash_mask: U32,
        pub ndtc_hash_chain_gc: U32,
        pub ndtc_proxy_qlen: U32,
    }
}

nl_wire::wire_struct! {
    /// `struct ndt_stats` (`NDTA_STATS`).
    pub struct NdtStats(88) {
        pub ndts_allocs: U64,
        pub ndts_destroys: U64,
        pub ndts_hash_grows: U64,
        pub ndts_res_failed: U64,
        pub ndts_lookups: U64,
        pub ndts_hits: U64,
        pub ndts_rcv_probes_mcast: U64,
        pub ndts_rcv_probes_ucast: U64,
        pub ndts_periodic_gc_runs: U64,
        pub ndts_forced_gc_runs: U64,
        pub ndts_table_fulls: U64,
    }
}

nl_wire::wire_struct! {
    /// `struct tunnel_msg`: family header of RTM_*TUNNEL.
    pub struct TunnelMsg(8) {
        pub family: u8,
        pub flags: u8,
        pub reserved2: U16,
        pub ifindex: U32,
    }
}
