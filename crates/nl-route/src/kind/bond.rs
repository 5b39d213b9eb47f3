//! bond: link aggregation masters (`IFLA_BOND_*`) and what their slaves
//! report (`IFLA_BOND_SLAVE_*`).
//!
//! Times are in milliseconds. The kernel keeps `updelay`, `downdelay` and
//! `peer_notif_delay` as multiples of `miimon` and reports them rounded
//! down to one (0 when `miimon` is 0). Many options apply to some modes
//! only (the 802.3ad `ad_*` ones to 802.3ad, `primary` to active-backup,
//! tlb and alb ...); the kernel refuses the others with an error naming
//! the option, and reports the `ad_*` settings only in 802.3ad mode.

use std::net::{Ipv4Addr, Ipv6Addr};

use nl_wire::{Attrs, HwAddr, MsgBuilder};

use crate::attrs::attr_struct;
use crate::error::Result;
use crate::kind::LinkData;
use crate::link::Link;
use crate::uapi::if_bonding::*;
use crate::uapi::if_link::*;

nl_wire::kernel_enum! {
    /// `BOND_MODE_*`.
    pub enum BondMode: u8, "mode", crate::Error {
        /// Round robin over the slaves (the default).
        BalanceRr = BOND_MODE_ROUNDROBIN => "balance-rr",
        /// One active slave, the others standing by.
        ActiveBackup = BOND_MODE_ACTIVEBACKUP => "active-backup",
        /// Slave chosen by a hash of each packet.
        BalanceXor = BOND_MODE_XOR => "balance-xor",
        /// Every packet on every slave.
        Broadcast = BOND_MODE_BROADCAST => "broadcast",
        /// IEEE 802.3ad (LACP) link aggregation.
        Lacp = BOND_MODE_8023AD => "802.3ad",
        /// Adaptive transmit load balancing.
        BalanceTlb = BOND_MODE_TLB => "balance-tlb",
        /// Adaptive load balancing, transmit and receive.
        BalanceAlb = BOND_MODE_ALB => "balance-alb",
    }
}

nl_wire::kernel_enum! {
    /// `BOND_XMIT_POLICY_*`: the hash that picks a slave.
    pub enum XmitHashPolicy: u8, "xmit_hash_policy", crate::Error {
        /// MAC addresses (the default).
        Layer2 = BOND_XMIT_POLICY_LAYER2 => "layer2",
        /// IP addresses and ports.
        Layer34 = BOND_XMIT_POLICY_LAYER34 => "layer3+4",
        /// MAC and IP addresses.
        Layer23 = BOND_XMIT_POLICY_LAYER23 => "layer2+3",
        /// Inner MAC and IP addresses of tunnelled packets.
        Encap23 = BOND_XMIT_POLICY_ENCAP23 => "encap2+3",
        /// Inner IP addresses and ports of tunnelled packets.
        Encap34 = BOND_XMIT_POLICY_ENCAP34 => "encap3+4",
        /// VLAN id and source MAC.
        VlanSrcMac = BOND_XMIT_POLICY_VLAN_SRCMAC => "vlan+srcmac",
    }
}

nl_wire::kernel_enum! {
    /// `BOND_ARP_VALIDATE_*`: which ARP replies prove a slave alive.
    pub enum ArpValidate: u32, "arp_validate", crate::Error {
        /// No validation (the default).
        None = 0 => "none",
        /// Validate on the active slave.
        Active = 1 => "active",
        /// Validate on backup slaves.
        Backup = 2 => "backup",
        /// Validate on all slaves.
        All = 3 => "all",
        /// Filter, no validation.
        Filter = 4 => "filter",
        /// Filter, validate on the active slave.
        FilterActive = 5 => "filter_active",
        /// Filter, validate on backup slaves.
        FilterBackup = 6 => "filter_backup",
    }
}

nl_wire::kernel_enum! {
    /// `BOND_ARP_TARGETS_*`: how many ARP targets must answer.
    pub enum ArpAllTargets: u32, "arp_all_targets", crate::Error {
        /// Any one of them (the default).
        Any = 0 => "any",
        /// All of them.
        All = 1 => "all",
    }
}

nl_wire::kernel_enum! {
    /// `BOND_PRI_RESELECT_*`: when the primary slave takes over again.
    pub enum PrimaryReselect: u8, "primary_reselect", crate::Error {
        /// Whenever it comes back (the default).
        Always = 0 => "always",
        /// When it is better (speed, duplex) than the active one.
        Better = 1 => "better",
        /// Only when the active slave fails.
        Failure = 2 => "failure",
    }
}

nl_wire::kernel_enum! {
    /// `BOND_FOM_*`: how MAC addresses move on failover.
    pub enum FailOverMac: u8, "fail_over_mac", crate::Error {
        /// Every slave takes the bond's address (the default).
        None = 0 => "none",
        /// The bond takes the active slave's address.
        Active = 1 => "active",
        /// The new active slave takes the bond's address.
        Follow = 2 => "follow",
    }
}

nl_wire::kernel_enum! {
    /// LACPDU rate asked of the partner (`ad_lacp_rate`).
    pub enum LacpRate: u8, "lacp_rate", crate::Error {
        /// Every 30 seconds (the default).
        Slow = 0 => "slow",
        /// Every second.
        Fast = 1 => "fast",
    }
}

nl_wire::kernel_enum! {
    /// `BOND_AD_*`: which aggregator becomes active.
    pub enum AdSelect: u8, "ad_select", crate::Error {
        /// Keep the active one while it has a link (the default).
        Stable = 0 => "stable",
        /// The one with the most bandwidth.
        Bandwidth = 1 => "bandwidth",
        /// The one with the most ports.
        Count = 2 => "count",
    }
}

nl_wire::kernel_enum! {
    /// `BOND_STATE_*`: a slave's role.
    pub enum BondSlaveState: u8, "state", crate::Error {
        /// Carries traffic.
        Active = BOND_STATE_ACTIVE => "ACTIVE",
        /// Stands by.
        Backup = BOND_STATE_BACKUP => "BACKUP",
    }
}

nl_wire::kernel_enum! {
    /// `BOND_LINK_*`: a slave's link as the MII monitor sees it.
    pub enum MiiStatus: u8, "mii_status", crate::Error {
        /// Up.
        Up = BOND_LINK_UP => "UP",
        /// Just went down, waiting `downdelay`.
        GoingDown = BOND_LINK_FAIL => "GOING_DOWN",
        /// Down.
        Down = BOND_LINK_DOWN => "DOWN",
        /// Coming back, waiting `updelay`.
        GoingBack = BOND_LINK_BACK => "GOING_BACK",
    }
}

attr_struct! {
    /// Bond settings.
    pub struct Bond {
        /// Mode (`u8`); changed only while down and without slaves.
        mode: BondMode = IFLA_BOND_MODE => Enum,
        /// Active slave's index, 0 to clear (`u32`).
        active_slave: u32 = IFLA_BOND_ACTIVE_SLAVE,
        /// MII link monitoring interval in ms, 0 off (`u32`).
        miimon: u32 = IFLA_BOND_MIIMON,
        /// Delay before enabling a slave whose link came up, ms (`u32`).
        updelay: u32 = IFLA_BOND_UPDELAY,
        /// Delay before disabling a slave whose link went down, ms (`u32`).
        downdelay: u32 = IFLA_BOND_DOWNDELAY,
        /// Delay before peer notifications after a failover, ms (`u32`).
        peer_notif_delay: u32 = IFLA_BOND_PEER_NOTIF_DELAY,
        /// MII monitor reads the carrier rather than ethtool/MII (`u8`).
        use_carrier: bool = IFLA_BOND_USE_CARRIER => Bool8,
        /// ARP monitoring interval in ms, 0 off; excludes `miimon` (`u32`).
        arp_interval: u32 = IFLA_BOND_ARP_INTERVAL,
        /// ARP reply validation (`u32`).
        arp_validate: ArpValidate = IFLA_BOND_ARP_VALIDATE => Enum,
        /// ARP targets that must answer (`u32`).
        arp_all_targets: ArpAllTargets = IFLA_BOND_ARP_ALL_TARGETS => Enum,
        /// Primary slave's index (`u32`; reported once it is enslaved).
        primary: u32 = IFLA_BOND_PRIMARY,
        /// When the primary takes over again (`u8`).
        primary_reselect: PrimaryReselect = IFLA_BOND_PRIMARY_RESELECT => Enum,
        /// MAC address handling on failover (`u8`); set without slaves.
        fail_over_mac: FailOverMac = IFLA_BOND_FAIL_OVER_MAC => Enum,
        /// Transmit hash (`u8`).
        xmit_hash_policy: XmitHashPolicy = IFLA_BOND_XMIT_HASH_POLICY => Enum,
        /// IGMP reports sent after a failover (`u32`).
        resend_igmp: u32 = IFLA_BOND_RESEND_IGMP,
        /// Peer notifications (gratuitous ARP, unsolicited NA) after a
        /// failover (`u8`; `ip`'s `num_grat_arp`).
        num_peer_notif: u8 = IFLA_BOND_NUM_PEER_NOTIF,
        /// Deliver duplicate frames received on inactive slaves (`u8`).
        all_slaves_active: bool = IFLA_BOND_ALL_SLAVES_ACTIVE => Bool8,
        /// Slaves that must be up for the bond to have carrier (`u32`).
        min_links: u32 = IFLA_BOND_MIN_LINKS,
        /// Learning packet interval, seconds (`u32`).
        lp_interval: u32 = IFLA_BOND_LP_INTERVAL,
        /// balance-rr: packets sent on a slave before the next (`u32`).
        packets_per_slave: u32 = IFLA_BOND_PACKETS_PER_SLAVE,
        /// 802.3ad: send LACPDUs actively (`u8`, 5.15+).
        ad_lacp_active: bool = IFLA_BOND_AD_LACP_ACTIVE => Bool8,
        /// 802.3ad: LACPDU rate (`u8`).
        ad_lacp_rate: LacpRate = IFLA_BOND_AD_LACP_RATE => Enum,
        /// 802.3ad: aggregator selection (`u8`).
        ad_select: AdSelect = IFLA_BOND_AD_SELECT => Enum,
        /// 802.3ad: actor system priority, 1-65535 (`u16`).
        ad_actor_sys_prio: u16 = IFLA_BOND_AD_ACTOR_SYS_PRIO,
        /// 802.3ad: user part of the port key, 0-1023 (`u16`).
        ad_user_port_key: u16 = IFLA_BOND_AD_USER_PORT_KEY,
        /// 802.3ad: actor system MAC address.
        ad_actor_system: HwAddr = IFLA_BOND_AD_ACTOR_SYSTEM,
        /// balance-tlb and balance-alb: dynamic load balancing (`u8`).
        tlb_dynamic_lb: bool = IFLA_BOND_TLB_DYNAMIC_LB => Bool8,
        /// ARP monitor: intervals missed before a slave is down (`u8`, 5.18+).
        missed_max: u8 = IFLA_BOND_MISSED_MAX,
        /// 802.3ad: coupled (not independent) collecting and distributing (`u8`).
        coupled_control: bool = IFLA_BOND_COUPLED_CONTROL => Bool8,
    }
    extra {
        /// ARP monitoring targets (`IFLA_BOND_ARP_IP_TARGET`, at most 16).
        /// `Some(vec![])` clears them; the kernel omits the attribute when
        /// there are none.
        pub arp_ip_target: Option<Vec<Ipv4Addr>>,
        /// IPv6 neighbour solicitation targets (`IFLA_BOND_NS_IP6_TARGET`,
        /// 6.0+, at most 16), as `arp_ip_target`.
        pub ns_ip6_target: Option<Vec<Ipv6Addr>>,
        /// Read only: the active 802.3ad aggregator (`IFLA_BOND_AD_INFO`).
        pub ad_info: Option<BondAdInfo>,
    }
}

attr_struct! {
    /// The active 802.3ad aggregator, as a bond in 802.3ad mode reports
    /// it while it has one (`IFLA_BOND_AD_INFO_*`).
    pub struct BondAdInfo {
        /// Aggregator id (`u16`).
        aggregator: u16 = IFLA_BOND_AD_INFO_AGGREGATOR,
        /// Ports in it (`u16`).
        num_ports: u16 = IFLA_BOND_AD_INFO_NUM_PORTS,
        /// Actor key (`u16`).
        actor_key: u16 = IFLA_BOND_AD_INFO_ACTOR_KEY,
        /// Partner key (`u16`).
        partner_key: u16 = IFLA_BOND_AD_INFO_PARTNER_KEY,
        /// Partner system MAC address.
        partner_mac: HwAddr = IFLA_BOND_AD_INFO_PARTNER_MAC,
    }
}

attr_struct! {
    /// A bond slave's state and settings (`IFLA_INFO_SLAVE_KIND` "bond").
    /// Only `queue_id`, `prio` and `actor_port_prio` can be set (with
    /// `LinkSet::slave`); the kernel ignores the rest in requests.
    pub struct BondSlave {
        /// Active or backup (`u8`).
        state: BondSlaveState = IFLA_BOND_SLAVE_STATE => Enum,
        /// MII link status (`u8`).
        mii_status: MiiStatus = IFLA_BOND_SLAVE_MII_STATUS => Enum,
        /// Link failures seen (`u32`).
        link_failure_count: u32 = IFLA_BOND_SLAVE_LINK_FAILURE_COUNT,
        /// The slave's own MAC address, from before it was enslaved.
        perm_hwaddr: HwAddr = IFLA_BOND_SLAVE_PERM_HWADDR,
        /// Transmit queue id, 0 for none (`u16`; settable).
        queue_id: u16 = IFLA_BOND_SLAVE_QUEUE_ID,
        /// 802.3ad aggregator id (`u16`).
        ad_aggregator_id: u16 = IFLA_BOND_SLAVE_AD_AGGREGATOR_ID,
        /// 802.3ad actor port state, `LACP_STATE_*` bits (`u8`).
        ad_actor_oper_port_state: u8 = IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE,
        /// 802.3ad partner port state (`u16`).
        ad_partner_oper_port_state: u16 = IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE,
        /// Priority for becoming the active slave (`s32`, 6.0+; settable).
        prio: i32 = IFLA_BOND_SLAVE_PRIO,
        /// 802.3ad actor port priority (`u16`; settable where supported).
        actor_port_prio: u16 = IFLA_BOND_SLAVE_ACTOR_PORT_PRIO,
        /// 802.3ad actor churn state (`u8`).
        ad_churn_actor_state: u8 = IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE,
        /// 802.3ad partner churn state (`u8`).
        ad_churn_partner_state: u8 = IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE,
    }
}

impl LinkData for Bond {
    fn parse(data: Attrs<'_>) -> nl_wire::Result<Self> {
        let mut b = Bond::default();
        for a in data {
            let a = a?;
            match a.ty() {
                // Nests of addresses whose types are their positions.
                IFLA_BOND_ARP_IP_TARGET => {
                    let list = b.arp_ip_target.get_or_insert_with(Vec::new);
                    for t in a.nested() {
                        list.push(t?.ipv4()?);
                    }
                }
                IFLA_BOND_NS_IP6_TARGET => {
                    let list = b.ns_ip6_target.get_or_insert_with(Vec::new);
                    for t in a.nested() {
                        list.push(t?.ipv6()?);
                    }
                }
                IFLA_BOND_AD_INFO => b.ad_info = Some(BondAdInfo::from_attrs(a.nested())?),
                _ => {
                    b.parse_attr(&a)?;
                }
            }
        }
        Ok(b)
    }

    fn write(&self, m: &mut MsgBuilder<'_>, _kind: &str, _link: &Link) -> Result<()> {
        self.write_attrs(m);
        if let Some(targets) = &self.arp_ip_target {
            m.nest(IFLA_BOND_ARP_IP_TARGET, |m| {
                for (i, t) in (0u16..).zip(targets) {
                    m.put_ipv4(i, *t);
                }
            });
        }
        if let Some(targets) = &self.ns_ip6_target {
            m.nest(IFLA_BOND_NS_IP6_TARGET, |m| {
                for (i, t) in (0u16..).zip(targets) {
                    m.put_ipv6(i, *t);
                }
            });
        }
        Ok(())
    }
}

crate::kind::plain_link_data!(BondSlave);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::round_trip;
    use crate::{Link, LinkKind, SlaveInfo};

    fn every_field() -> Bond {
        Bond {
            mode: Some(BondMode::Lacp),
            active_slave: Some(4),
            miimon: Some(100),
            updelay: Some(200),
            downdelay: Some(300),
            peer_notif_delay: Some(400),
            use_carrier: Some(true),
            arp_interval: Some(0),
            arp_validate: Some(ArpValidate::FilterBackup),
            arp_all_targets: Some(ArpAllTargets::All),
            primary: Some(5),
            primary_reselect: Some(PrimaryReselect::Better),
            fail_over_mac: Some(FailOverMac::Follow),
            xmit_hash_policy: Some(XmitHashPolicy::Layer34),
            resend_igmp: Some(3),
            num_peer_notif: Some(2),
            all_slaves_active: Some(false),
            min_links: Some(1),
            lp_interval: Some(5),
            packets_per_slave: Some(7),
            ad_lacp_active: Some(true),
            ad_lacp_rate: Some(LacpRate::Fast),
            ad_select: Some(AdSelect::Count),
            ad_actor_sys_prio: Some(100),
            ad_user_port_key: Some(5),
            ad_actor_system: Some("02:00:00:00:00:99".parse().unwrap()),
            tlb_dynamic_lb: Some(true),
            missed_max: Some(3),
            coupled_control: Some(false),
            arp_ip_target: Some(vec![
                "192.0.2.1".parse().unwrap(),
                "198.51.100.1".parse().unwrap(),
            ]),
            ns_ip6_target: Some(vec!["2001:db8::1".parse().unwrap()]),
            ad_info: None,
        }
    }

    #[test]
    fn every_field_round_trips() {
        let link = Link::new("bond0").kind(LinkKind::Bond(every_field()));
        assert_eq!(round_trip(&link), link);
        // Some(empty) clears the targets: an empty nest, read back as empty.
        let clear = Link::new("bond0").kind(LinkKind::Bond(Bond {
            arp_ip_target: Some(Vec::new()),
            ..Bond::default()
        }));
        assert_eq!(round_trip(&clear), clear);
        let odd = Link::new("bond0").kind(LinkKind::Bond(Bond {
            mode: Some(BondMode::Other(9)),
            xmit_hash_policy: Some(XmitHashPolicy::Other(17)),
            arp_validate: Some(ArpValidate::Other(99)),
            ..Bond::default()
        }));
        assert_eq!(round_trip(&odd), odd);
    }

    #[test]
    fn read_only_ad_info_is_parsed() {
        let mut data = Vec::new();
        let mut m = MsgBuilder::attrs_only(&mut data);
        m.put_u8(IFLA_BOND_MODE, BOND_MODE_8023AD);
        m.nest(IFLA_BOND_AD_INFO, |m| {
            m.put_u16(IFLA_BOND_AD_INFO_AGGREGATOR, 1);
            m.put_u16(IFLA_BOND_AD_INFO_NUM_PORTS, 2);
            m.put_u16(IFLA_BOND_AD_INFO_ACTOR_KEY, 9);
            m.put_u16(IFLA_BOND_AD_INFO_PARTNER_KEY, 10);
            m.put_hwaddr(
                IFLA_BOND_AD_INFO_PARTNER_MAC,
                &"02:00:00:00:00:01".parse().unwrap(),
            );
        });
        m.finish().unwrap();
        let b = <Bond as LinkData>::parse(Attrs::new(&data)).unwrap();
        assert_eq!(b.mode, Some(BondMode::Lacp));
        let ad = b.ad_info.unwrap();
        assert_eq!(
            (ad.aggregator, ad.num_ports, ad.actor_key, ad.partner_key),
            (Some(1), Some(2), Some(9), Some(10))
        );
        assert_eq!(ad.partner_mac.unwrap().to_string(), "02:00:00:00:00:01");
    }

    #[test]
    fn slave_info_round_trips() {
        let slave = BondSlave {
            state: Some(BondSlaveState::Backup),
            mii_status: Some(MiiStatus::GoingBack),
            link_failure_count: Some(3),
            perm_hwaddr: Some("02:00:00:00:00:0d".parse().unwrap()),
            queue_id: Some(2),
            ad_aggregator_id: Some(1),
            ad_actor_oper_port_state: Some(0x3d),
            ad_partner_oper_port_state: Some(0x3f),
            prio: Some(-5),
            actor_port_prio: Some(255),
            ad_churn_actor_state: Some(0),
            ad_churn_partner_state: Some(1),
        };
        let link = Link {
            master: Some(7),
            slave: Some(SlaveInfo::Bond(slave)),
            ..Link::new("dummy0")
        };
        assert_eq!(round_trip(&link), link);
    }

    #[test]
    fn words_are_ips() {
        for (mode, word) in [
            (BondMode::BalanceRr, "balance-rr"),
            (BondMode::ActiveBackup, "active-backup"),
            (BondMode::Lacp, "802.3ad"),
            (BondMode::BalanceAlb, "balance-alb"),
        ] {
            assert_eq!(mode.to_string(), word);
            assert_eq!(word.parse::<BondMode>().ok(), Some(mode));
        }
        assert_eq!("4".parse::<BondMode>().ok(), Some(BondMode::Lacp));
        assert_eq!(XmitHashPolicy::Layer34.to_string(), "layer3+4");
        assert_eq!(
            "vlan+srcmac".parse::<XmitHashPolicy>().ok(),
            Some(XmitHashPolicy::VlanSrcMac)
        );
        assert_eq!(ArpValidate::FilterActive.to_string(), "filter_active");
        assert_eq!(MiiStatus::GoingDown.to_string(), "GOING_DOWN");
        assert_eq!(BondSlaveState::Active.to_string(), "ACTIVE");
        let e = "nope".parse::<BondMode>().unwrap_err();
        assert!(e.to_string().contains("balance-rr"), "{e}");
    }
}
