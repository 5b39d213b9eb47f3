//! Property tests: any settings of any kind, written as an RTM_NEWLINK,
//! parse back unchanged.
//!
//! Two things do not survive by design and are kept out of the inputs:
//! a flag attribute set to `Some(false)` is simply not written (it reads
//! back as `None`), and read-only fields (`Netkit::primary`,
//! `Vlan::flags_mask`, `Bond::ad_info`) are never written.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nl_route::kind::*;
use nl_route::{Link, LinkKind, SlaveInfo};
use nl_wire::{HwAddr, Msg};
use proptest::option::of;
use proptest::prelude::*;

fn round_trip(link: &Link) -> Link {
    let mut buf = Vec::new();
    link.write_add(&mut buf).unwrap();
    let (msg, rest) = Msg::parse(&buf).unwrap();
    assert!(rest.is_empty());
    Link::parse(&msg).unwrap()
}

fn flag() -> impl Strategy<Value = Option<bool>> {
    of(Just(true))
}

fn hwaddr() -> impl Strategy<Value = HwAddr> {
    any::<[u8; 6]>().prop_map(|b| HwAddr::new(&b).unwrap())
}

fn v4() -> impl Strategy<Value = Ipv4Addr> {
    any::<[u8; 4]>().prop_map(Ipv4Addr::from)
}

fn v6() -> impl Strategy<Value = Ipv6Addr> {
    any::<[u8; 16]>().prop_map(Ipv6Addr::from)
}

fn vlan() -> impl Strategy<Value = Vlan> {
    let map = || {
        proptest::collection::vec(
            (any::<u32>(), any::<u32>()).prop_map(|(from, to)| QosMapping { from, to }),
            0..8,
        )
    };
    (
        of(any::<u16>()),
        of(any::<u16>().prop_map(VlanProtocol::from)),
        of((0u32..32).prop_map(VlanFlags::from_bits_retain)),
        map(),
        map(),
    )
        .prop_map(|(id, protocol, flags, ingress_qos, egress_qos)| Vlan {
            id,
            protocol,
            flags,
            flags_mask: None,
            ingress_qos,
            egress_qos,
        })
}

fn bond() -> impl Strategy<Value = Bond> {
    let a = (
        of(any::<u8>().prop_map(BondMode::from)),
        of(any::<u32>()),
        of(any::<u32>()),
        of(any::<u32>()),
        of(any::<u32>()),
        of(any::<u32>()),
        of(any::<bool>()),
        of(any::<u32>()),
        of(any::<u32>().prop_map(ArpValidate::from)),
        of(any::<u32>().prop_map(ArpAllTargets::from)),
    );
    let b = (
        of(any::<u32>()),
        of(any::<u8>().prop_map(PrimaryReselect::from)),
        of(any::<u8>().prop_map(FailOverMac::from)),
        of(any::<u8>().prop_map(XmitHashPolicy::from)),
        of(any::<u32>()),
        of(any::<u8>()),
        of(any::<bool>()),
        of(any::<u32>()),
        of(any::<u32>()),
        of(any::<u32>()),
    );
    let c = (
        of(any::<bool>()),
        of(any::<u8>().prop_map(LacpRate::from)),
        of(any::<u8>().prop_map(AdSelect::from)),
        of(any::<u16>()),
        of(any::<u16>()),
        of(hwaddr()),
        of(any::<bool>()),
        of(any::<u8>()),
        of(any::<bool>()),
        of(proptest::collection::vec(v4(), 0..16)),
        of(proptest::collection::vec(v6(), 0..16)),
    );
    (a, b, c).prop_map(|(a, b, c)| Bond {
        mode: a.0,
        active_slave: a.1,
        miimon: a.2,
        updelay: a.3,
        downdelay: a.4,
        peer_notif_delay: a.5,
        use_carrier: a.6,
        arp_interval: a.7,
        arp_validate: a.8,
        arp_all_targets: a.9,
        primary: b.0,
        primary_reselect: b.1,
        fail_over_mac: b.2,
        xmit_hash_policy: b.3,
        resend_igmp: b.4,
        num_peer_notif: b.5,
        all_slaves_active: b.6,
        min_links: b.7,
        lp_interval: b.8,
        packets_per_slave: b.9,
        ad_lacp_active: c.0,
        ad_lacp_rate: c.1,
        ad_select: c.2,
        ad_actor_sys_prio: c.3,
        ad_user_port_key: c.4,
        ad_actor_system: c.5,
        tlb_dynamic_lb: c.6,
        missed_max: c.7,
        coupled_control: c.8,
        arp_ip_target: c.9,
        ns_ip6_target: c.10,
        ad_info: None,
    })
}

fn bond_slave() -> impl Strategy<Value = BondSlave> {
    (
        (
            of(any::<u8>().prop_map(BondSlaveState::from)),
            of(any::<u8>().prop_map(MiiStatus::from)),
            of(any::<u32>()),
            of(hwaddr()),
            of(any::<u16>()),
            of(any::<u16>()),
        ),
        (
            of(any::<u8>()),
            of(any::<u16>()),
            of(any::<i32>()),
            of(any::<u16>()),
            of(any::<u8>()),
            of(any::<u8>()),
        ),
    )
        .prop_map(|(a, b)| BondSlave {
            state: a.0,
            mii_status: a.1,
            link_failure_count: a.2,
            perm_hwaddr: a.3,
            queue_id: a.4,
            ad_aggregator_id: a.5,
            ad_actor_oper_port_state: b.0,
            ad_partner_oper_port_state: b.1,
            prio: b.2,
            actor_port_prio: b.3,
            ad_churn_actor_state: b.4,
            ad_churn_partner_state: b.5,
        })
}

/// GRE settings whose addresses are IPv6 or IPv4 as `ipv6` says.
fn gre(ipv6: bool) -> impl Strategy<Value = Gre> {
    let addr = move || {
        if ipv6 {
            v6().prop_map(IpAddr::V6).boxed()
        } else {
            v4().prop_map(IpAddr::V4).boxed()
        }
    };
    let a = (
        of(any::<u32>()),
        of(any::<u16>().prop_map(GreFlags::from_bits_retain)),
        of(any::<u16>().prop_map(GreFlags::from_bits_retain)),
        of(any::<u32>()),
        of(any::<u32>()),
        of(addr()),
        of(addr()),
        of(any::<u8>()),
        of(any::<u8>()),
        of(any::<bool>()),
        of(any::<u8>()),
        of(any::<u32>()),
    );
    let b = (
        of(any::<u32>().prop_map(Ip6TunnelFlags::from_bits_retain)),
        of(any::<u16>().prop_map(EncapType::from)),
        of(any::<u16>().prop_map(TunnelEncapFlags::from_bits_retain)),
        of(any::<u16>()),
        of(any::<u16>()),
        flag(),
        of(any::<bool>()),
        of(any::<u32>()),
        of(any::<u32>()),
        of(any::<u8>()),
        of(any::<u8>().prop_map(ErspanDir::from)),
        of(any::<u16>()),
    );
    (a, b).prop_map(|(a, b)| Gre {
        link: a.0,
        iflags: a.1,
        oflags: a.2,
        ikey: a.3,
        okey: a.4,
        local: a.5,
        remote: a.6,
        ttl: a.7,
        tos: a.8,
        pmtudisc: a.9,
        encap_limit: a.10,
        flowinfo: a.11,
        flags: b.0,
        encap_type: b.1,
        encap_flags: b.2,
        encap_sport: b.3,
        encap_dport: b.4,
        collect_metadata: b.5,
        ignore_df: b.6,
        fwmark: b.7,
        erspan_index: b.8,
        erspan_ver: b.9,
        erspan_dir: b.10,
        erspan_hwid: b.11,
    })
}

fn ip_tunnel() -> impl Strategy<Value = IpTunnel> {
    let a = (
        of(any::<u32>()),
        of(v4()),
        of(v4()),
        of(any::<u8>()),
        of(any::<u8>()),
        of(any::<bool>()),
        of(any::<u8>()),
        of(any::<u16>()),
        of(any::<u32>()),
    );
    let b = (
        of(any::<u16>().prop_map(EncapType::from)),
        of(any::<u16>().prop_map(TunnelEncapFlags::from_bits_retain)),
        of(any::<u16>()),
        of(any::<u16>()),
        flag(),
        of(v6()),
        of(v4()),
        of(any::<u16>()),
        of(any::<u16>()),
    );
    (a, b).prop_map(|(a, b)| IpTunnel {
        link: a.0,
        local: a.1,
        remote: a.2,
        ttl: a.3,
        tos: a.4,
        pmtudisc: a.5,
        proto: a.6,
        flags: a.7,
        fwmark: a.8,
        encap_type: b.0,
        encap_flags: b.1,
        encap_sport: b.2,
        encap_dport: b.3,
        collect_metadata: b.4,
        ip6rd_prefix: b.5,
        ip6rd_relay_prefix: b.6,
        ip6rd_prefixlen: b.7,
        ip6rd_relay_prefixlen: b.8,
    })
}

fn ip6_tunnel() -> impl Strategy<Value = Ip6Tunnel> {
    let a = (
        of(any::<u32>()),
        of(v6()),
        of(v6()),
        of(any::<u8>()),
        of(any::<u8>()),
        of(any::<u32>()),
        of(any::<u32>().prop_map(Ip6TunnelFlags::from_bits_retain)),
    );
    let b = (
        of(any::<u8>()),
        of(any::<u32>()),
        of(any::<u16>().prop_map(EncapType::from)),
        of(any::<u16>().prop_map(TunnelEncapFlags::from_bits_retain)),
        of(any::<u16>()),
        of(any::<u16>()),
        flag(),
    );
    (a, b).prop_map(|(a, b)| Ip6Tunnel {
        link: a.0,
        local: a.1,
        remote: a.2,
        ttl: a.3,
        encap_limit: a.4,
        flowinfo: a.5,
        flags: a.6,
        proto: b.0,
        fwmark: b.1,
        encap_type: b.2,
        encap_flags: b.3,
        encap_sport: b.4,
        encap_dport: b.5,
        collect_metadata: b.6,
    })
}

fn geneve() -> impl Strategy<Value = Geneve> {
    (
        (
            of(any::<u32>()),
            of(any::<u8>()),
            of(any::<u8>()),
            of(any::<u16>()),
            flag(),
            of(any::<bool>()),
            of(any::<bool>()),
        ),
        (
            of(any::<bool>()),
            of(any::<u32>()),
            of(any::<bool>()),
            of(any::<u8>().prop_map(GeneveDf::from)),
            flag(),
            of(prop_oneof![
                v4().prop_map(IpAddr::V4),
                v6().prop_map(IpAddr::V6)
            ]),
        ),
    )
        .prop_map(|(a, b)| Geneve {
            id: a.0,
            ttl: a.1,
            tos: a.2,
            port: a.3,
            collect_metadata: a.4,
            udp_csum: a.5,
            udp_zero_csum6_tx: a.6,
            udp_zero_csum6_rx: b.0,
            label: b.1,
            ttl_inherit: b.2,
            df: b.3,
            inner_proto_inherit: b.4,
            remote: b.5,
        })
}

fn tun() -> impl Strategy<Value = Tun> {
    (
        of(any::<u8>().prop_map(TunType::from)),
        of(any::<bool>()),
        of(any::<bool>()),
        of(any::<bool>()),
        of(any::<bool>()),
        of(any::<u32>()),
        of(any::<u32>()),
        of(any::<u32>()),
        of(any::<u32>()),
    )
        .prop_map(|t| Tun {
            tun_type: t.0,
            pi: t.1,
            vnet_hdr: t.2,
            persist: t.3,
            multi_queue: t.4,
            num_queues: t.5,
            num_disabled_queues: t.6,
            owner: t.7,
            group: t.8,
        })
}

fn netkit() -> impl Strategy<Value = Netkit> {
    (
        of(any::<u32>().prop_map(NetkitMode::from)),
        of(any::<u32>().prop_map(NetkitPolicy::from)),
        of(any::<u32>().prop_map(NetkitPolicy::from)),
        of(any::<u32>().prop_map(NetkitScrub::from)),
        of(any::<u32>().prop_map(NetkitScrub::from)),
        of(any::<u16>()),
        of(any::<u16>()),
        of("[a-z]{1,15}"),
    )
        .prop_map(|n| Netkit {
            mode: n.0,
            policy: n.1,
            peer_policy: n.2,
            scrub: n.3,
            peer_scrub: n.4,
            headroom: n.5,
            tailroom: n.6,
            peer: n.7.map(|name| Box::new(Link::new(name))),
            primary: None,
        })
}

fn kind() -> impl Strategy<Value = LinkKind> {
    prop_oneof![
        vlan().prop_map(LinkKind::Vlan),
        bond().prop_map(LinkKind::Bond),
        of(any::<u32>()).prop_map(|table| LinkKind::Vrf(Vrf { table })),
        (
            of(any::<u16>().prop_map(IpvlanMode::from)),
            of(any::<u16>().prop_map(IpvlanFlags::from))
        )
            .prop_map(|(mode, flags)| LinkKind::Ipvlan(Ipvlan { mode, flags })),
        gre(false).prop_map(LinkKind::Gre),
        gre(false).prop_map(LinkKind::GreTap),
        gre(false).prop_map(LinkKind::Erspan),
        gre(true).prop_map(LinkKind::Ip6Gre),
        gre(true).prop_map(LinkKind::Ip6GreTap),
        gre(true).prop_map(LinkKind::Ip6Erspan),
        ip_tunnel().prop_map(LinkKind::Ipip),
        ip_tunnel().prop_map(LinkKind::Sit),
        ip6_tunnel().prop_map(LinkKind::Ip6Tnl),
        geneve().prop_map(LinkKind::Geneve),
        Just(LinkKind::Wireguard),
        (of(any::<u32>()), of(any::<u32>()), flag()).prop_map(|(link, if_id, md)| {
            LinkKind::Xfrm(Xfrm {
                link,
                if_id,
                collect_metadata: md,
            })
        }),
        tun().prop_map(LinkKind::Tun),
        netkit().prop_map(LinkKind::Netkit),
    ]
}

/// Common settings of either end of a veth pair.
fn veth_end() -> impl Strategy<Value = Link> {
    (
        of("[a-z]{1,15}"),
        of(68u32..65536),
        of(any::<u32>()),
        of(1u32..64),
        of(1u32..64),
        of(hwaddr()),
    )
        .prop_map(|(name, mtu, txqlen, tx, rx, address)| Link {
            name: name.unwrap_or_default(),
            mtu,
            txqlen,
            num_tx_queues: tx,
            num_rx_queues: rx,
            address,
            ..Link::default()
        })
}

proptest! {
    /// The peer goes out as `peer_for` says (the primary's MTU, txqlen and
    /// queue counts filling its gaps unless told not to), and the primary
    /// itself as it is.
    #[test]
    fn a_veth_peer_is_sent_as_peer_for_says(
        primary in veth_end(),
        peer in of(veth_end()),
        kernel in any::<bool>(),
    ) {
        let veth = Veth {
            peer: peer.map(Box::new),
            peer_defaults: if kernel { PeerDefaults::Kernel } else { PeerDefaults::Primary },
        };
        let link = Link {
            name: "va".into(),
            ..primary
        }
        .kind(LinkKind::Veth(veth.clone()));
        let back = round_trip(&link);
        let Some(LinkKind::Veth(got)) = &back.kind else {
            panic!("not a veth: {:?}", back.kind)
        };
        prop_assert_eq!(got.peer.as_deref().cloned(), veth.peer_for(&link));
        prop_assert_eq!(
            Link { kind: None, ..back.clone() },
            Link { kind: None, ..link.clone() }
        );
    }

    #[test]
    fn any_kind_round_trips(kind in kind()) {
        let link = Link::new("kind0").kind(kind);
        prop_assert_eq!(round_trip(&link), link);
    }

    #[test]
    fn any_slave_info_round_trips(
        bond in bond_slave(),
        table in of(any::<u32>()),
        which in any::<bool>(),
    ) {
        let slave = if which {
            SlaveInfo::Bond(bond)
        } else {
            SlaveInfo::Vrf(VrfSlave { table })
        };
        let link = Link {
            master: Some(9),
            slave: Some(slave),
            ..Link::new("port0")
        };
        prop_assert_eq!(round_trip(&link), link);
    }
}
