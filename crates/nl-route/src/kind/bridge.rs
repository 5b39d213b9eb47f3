//! bridge: an Ethernet bridge (`IFLA_BR_*`).

use nl_wire::{Attr, Attrs, MsgBuilder};

use crate::attrs::{Codec, Native, attr_struct};
use crate::error::Result;
use crate::kind::LinkData;
use crate::link::Link;
use crate::port::BridgeId;
use crate::uapi::if_link::*;
use crate::uapi::newer::{IFLA_BR_FDB_MAX_LEARNED, IFLA_BR_FDB_N_LEARNED};

/// `struct br_boolopt_multi`: bit options and which of them to change
/// (bit 0: no link-local learning, bit 1: MST enabled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BoolOpts {
    /// Option values.
    pub value: u32,
    /// Options being set.
    pub mask: u32,
}

impl Codec<BoolOpts> for Native {
    fn read(a: &Attr<'_>) -> nl_wire::Result<BoolOpts> {
        let p = a.payload();
        let word = |i: usize| {
            p.get(i..i + 4)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map_or(0, u32::from_ne_bytes)
        };
        if p.len() < 8 {
            return Err(nl_wire::Error::PayloadLen {
                ty: a.ty(),
                need: 8,
                have: p.len(),
                offset: a.offset(),
            });
        }
        Ok(BoolOpts {
            value: word(0),
            mask: word(4),
        })
    }
    fn write(v: &BoolOpts, m: &mut MsgBuilder<'_>, ty: u16) {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&v.value.to_ne_bytes());
        b[4..].copy_from_slice(&v.mask.to_ne_bytes());
        m.put_bytes(ty, &b);
    }
}

attr_struct! {
    /// Bridge settings. Times are in centiseconds (USER_HZ), as on the
    /// wire and in `ip -d -j link`: a forward delay of 15 s is 1500.
    pub struct Bridge {
        /// Forward delay.
        forward_delay: u32 = IFLA_BR_FORWARD_DELAY,
        /// Hello time.
        hello_time: u32 = IFLA_BR_HELLO_TIME,
        /// Max message age.
        max_age: u32 = IFLA_BR_MAX_AGE,
        /// FDB entry ageing time.
        ageing_time: u32 = IFLA_BR_AGEING_TIME,
        /// STP: 0 off, 1 kernel STP, 2 user STP.
        stp_state: u32 = IFLA_BR_STP_STATE,
        /// Bridge priority.
        priority: u16 = IFLA_BR_PRIORITY,
        /// VLAN filtering.
        vlan_filtering: bool = IFLA_BR_VLAN_FILTERING => Bool8,
        /// VLAN protocol: 0x8100 (802.1Q) or 0x88a8 (802.1ad).
        vlan_protocol: u16 = IFLA_BR_VLAN_PROTOCOL => Be16,
        /// Group forward mask.
        group_fwd_mask: u16 = IFLA_BR_GROUP_FWD_MASK,
        /// STP group address.
        group_addr: nl_wire::HwAddr = IFLA_BR_GROUP_ADDR,
        /// Multicast router mode.
        mcast_router: u8 = IFLA_BR_MCAST_ROUTER,
        /// IGMP/MLD snooping.
        mcast_snooping: bool = IFLA_BR_MCAST_SNOOPING => Bool8,
        /// Use the bridge's address as querier source.
        mcast_query_use_ifaddr: bool = IFLA_BR_MCAST_QUERY_USE_IFADDR => Bool8,
        /// Act as multicast querier.
        mcast_querier: bool = IFLA_BR_MCAST_QUERIER => Bool8,
        /// Multicast hash elasticity.
        mcast_hash_elasticity: u32 = IFLA_BR_MCAST_HASH_ELASTICITY,
        /// Multicast hash table size.
        mcast_hash_max: u32 = IFLA_BR_MCAST_HASH_MAX,
        /// Last member count.
        mcast_last_member_cnt: u32 = IFLA_BR_MCAST_LAST_MEMBER_CNT,
        /// Startup query count.
        mcast_startup_query_cnt: u32 = IFLA_BR_MCAST_STARTUP_QUERY_CNT,
        /// Last member interval.
        mcast_last_member_intvl: u64 = IFLA_BR_MCAST_LAST_MEMBER_INTVL,
        /// Membership interval.
        mcast_membership_intvl: u64 = IFLA_BR_MCAST_MEMBERSHIP_INTVL,
        /// Querier interval.
        mcast_querier_intvl: u64 = IFLA_BR_MCAST_QUERIER_INTVL,
        /// Query interval.
        mcast_query_intvl: u64 = IFLA_BR_MCAST_QUERY_INTVL,
        /// Query response interval.
        mcast_query_response_intvl: u64 = IFLA_BR_MCAST_QUERY_RESPONSE_INTVL,
        /// Startup query interval.
        mcast_startup_query_intvl: u64 = IFLA_BR_MCAST_STARTUP_QUERY_INTVL,
        /// Pass bridged IPv4 traffic to iptables.
        nf_call_iptables: bool = IFLA_BR_NF_CALL_IPTABLES => Bool8,
        /// Pass bridged IPv6 traffic to ip6tables.
        nf_call_ip6tables: bool = IFLA_BR_NF_CALL_IP6TABLES => Bool8,
        /// Pass bridged ARP traffic to arptables.
        nf_call_arptables: bool = IFLA_BR_NF_CALL_ARPTABLES => Bool8,
        /// Default port VLAN id.
        vlan_default_pvid: u16 = IFLA_BR_VLAN_DEFAULT_PVID,
        /// Per-VLAN statistics.
        vlan_stats_enabled: bool = IFLA_BR_VLAN_STATS_ENABLED => Bool8,
        /// Multicast statistics.
        mcast_stats_enabled: bool = IFLA_BR_MCAST_STATS_ENABLED => Bool8,
        /// IGMP version.
        mcast_igmp_version: u8 = IFLA_BR_MCAST_IGMP_VERSION,
        /// MLD version.
        mcast_mld_version: u8 = IFLA_BR_MCAST_MLD_VERSION,
        /// Per-port VLAN statistics.
        vlan_stats_per_port: bool = IFLA_BR_VLAN_STATS_PER_PORT => Bool8,
        /// Boolean options.
        multi_boolopt: BoolOpts = IFLA_BR_MULTI_BOOLOPT,
        /// Maximum learned FDB entries (0: unlimited).
        fdb_max_learned: u32 = IFLA_BR_FDB_MAX_LEARNED,
    }
    extra {
        /// What the kernel reports but does not let you set.
        pub info: BridgeInfo,
        /// Request only: flush the FDB (`IFLA_BR_FDB_FLUSH`).
        pub fdb_flush: bool,
    }
}

attr_struct! {
    /// Read-only bridge state.
    pub struct BridgeInfo {
        /// Root bridge id.
        root_id: BridgeId = IFLA_BR_ROOT_ID,
        /// This bridge's id.
        bridge_id: BridgeId = IFLA_BR_BRIDGE_ID,
        /// Root port.
        root_port: u16 = IFLA_BR_ROOT_PORT,
        /// Root path cost.
        root_path_cost: u32 = IFLA_BR_ROOT_PATH_COST,
        /// Topology change.
        topology_change: u8 = IFLA_BR_TOPOLOGY_CHANGE,
        /// Topology change detected.
        topology_change_detected: u8 = IFLA_BR_TOPOLOGY_CHANGE_DETECTED,
        /// Hello timer (centiseconds).
        hello_timer: u64 = IFLA_BR_HELLO_TIMER,
        /// TCN timer.
        tcn_timer: u64 = IFLA_BR_TCN_TIMER,
        /// Topology change timer.
        topology_change_timer: u64 = IFLA_BR_TOPOLOGY_CHANGE_TIMER,
        /// Garbage collection timer.
        gc_timer: u64 = IFLA_BR_GC_TIMER,
        /// Learned FDB entries.
        fdb_n_learned: u32 = IFLA_BR_FDB_N_LEARNED,
    }
}

impl LinkData for Bridge {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut b = Bridge::default();
        for a in data {
            let a = a?;
            if !b.parse_attr(&a)? {
                b.info.parse_attr(&a)?;
            }
        }
        Ok(b)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _kind: &str, _link: &Link) -> Result<()> {
        self.write_attrs(m);
        if self.fdb_flush {
            m.put_flag(IFLA_BR_FDB_FLUSH);
        }
        Ok(())
    }
}
