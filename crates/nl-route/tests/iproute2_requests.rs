//! Requests iproute2 6.1 sends for the kinds of `nl_route::kind`, captured
//! from `ip link add ...` with `strace -e trace=sendmsg -e write=3` on
//! x86_64 (the kernel refused most of them, which does not matter: the
//! bytes are iproute2's). Each is parsed into the expected settings, and
//! written back by this library into the same attributes, byte for byte:
//! an independent check of every attribute's type, width and byte order
//! for kinds the test machine's kernel lacks.
#![cfg(target_endian = "little")]

use std::net::{IpAddr, Ipv4Addr};

use nl_route::kind::*;
use nl_route::uapi::if_link::{IFLA_INFO_DATA, IFLA_INFO_SLAVE_DATA, IFLA_LINKINFO};
use nl_route::uapi::types::IfInfoMsg;
use nl_route::{Link, LinkKind, LinkSet, SlaveInfo};
use nl_wire::Msg;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn parse(s: &str) -> Link {
    let bytes = hex(s);
    let (msg, rest) = Msg::parse(&bytes).unwrap();
    assert!(rest.is_empty());
    Link::parse(&msg).unwrap()
}

/// The children of `IFLA_LINKINFO`/`which` in a request, as sorted
/// (type, payload) pairs.
fn linkinfo_child(bytes: &[u8], which: u16) -> Vec<(u16, Vec<u8>)> {
    let (msg, _) = Msg::parse(bytes).unwrap();
    let mut out = Vec::new();
    for a in msg.attrs::<IfInfoMsg>() {
        let a = a.unwrap();
        if a.ty() != IFLA_LINKINFO {
            continue;
        }
        for i in a.nested() {
            let i = i.unwrap();
            if i.ty() == which {
                for d in i.nested() {
                    let d = d.unwrap();
                    out.push((d.ty(), d.payload().to_vec()));
                }
            }
        }
    }
    out.sort();
    out
}

/// Parses iproute2's request, writes the result with this library, and
/// checks the kind's attributes are the same.
fn same_data_as_iproute2(capture: &str) -> Link {
    let link = parse(capture);
    let mut ours = Vec::new();
    link.write_add(&mut ours).unwrap();
    let theirs = linkinfo_child(&hex(capture), IFLA_INFO_DATA);
    assert_eq!(linkinfo_child(&ours, IFLA_INFO_DATA), theirs);
    link
}

fn kind(capture: &str) -> LinkKind {
    same_data_as_iproute2(capture).kind.unwrap()
}

/// `ip link add v100 link vl0 type vlan id 100 protocol 802.1ad reorder_hdr on loose_binding on ingress-qos-map 1:2 4:5 egress-qos-map 3:5 6:1`
const VLAN_8021AD: &str = "9800000010000506588a036b000000000000000000000000000000000000000008000500030000000900030076313030\
        000000006400120008000100766c616e5800020006000100640000000600050088a800001c0004000c00010001000000\
        020000000c00010004000000050000001c0003000c00010003000000050000000c00010006000000010000000c000200\
        0500000005000000";

/// `ip link add v200 link vl0 type vlan id 200 gvrp on mvrp on bridge_binding on reorder_hdr off`
const VLAN_8021Q: &str = "5800000010000506588a036b000000000000000000000000000000000000000008000500030000000900030076323030\
        000000002400120008000100766c616e1800020006000100c80000000c0002001a0000001b000000";

/// `ip link add bond0 type bond mode active-backup miimon 100 updelay 200 downdelay 300 peer_notify_delay 400 min_links 1 xmit_hash_policy layer3+4 resend_igmp 3 num_grat_arp 2 all_slaves_active 1 lp_interval 5 arp_ip_target 192.0.2.1,198.51.100.1 ns_ip6_target 2001:db8::1 primary vl0 primary_reselect better fail_over_mac active arp_all_targets all use_carrier 1 tlb_dynamic_lb 1 packets_per_slave 7 arp_missed_max 3 arp_validate filter_backup`
const BOND_AB: &str = "0801000010000506588a036b00000000000000000000000000000000000000000a000300626f6e6430000000dc001200\
        08000100626f6e64d00002000500010001000000080003006400000008000400c8000000080005002c01000008001c00\
        90010000080012000100000005000e000100000008000f00030000000500100002000000050011000100000008001300\
        050000001400080008000000c000020108000100c633640118001f001400000020010db8000000000000000000000001\
        08000b000300000005000c000100000005000d000100000008000a0001000000050006000100000005001b0001000000\
        080014000700000005001e00030000000800090006000000";

/// `ip link add bond1 type bond mode 802.3ad lacp_rate fast ad_select bandwidth ad_actor_sys_prio 100 ad_user_port_key 5 ad_actor_system 02:00:00:00:00:99 lacp_active on`
const BOND_LACP: &str = "7800000010000506588a036b00000000000000000000000000000000000000000a000300626f6e64310000004c001200\
        08000100626f6e6440000200050001000400000005001500010000000500160001000000060018006400000006001900\
        050000000a001a00020000000099000005001d0001000000";

/// `ip link set vl0 type bond_slave queue_id 2 prio 5`
const BOND_SLAVE: &str = "4800000010000500588a036b0000000000000000030000000000000000000000280012000e000100626f6e645f736c61\
        766500001400050006000500020000000800090005000000";

/// `ip link add blue type vrf table 1001`
const VRF: &str = "4400000010000506588a036b000000000000000000000000000000000000000009000300626c75650000000018001200\
        07000100767266000c00020008000100e9030000";

/// `ip link add ipv0 link vl0 type ipvlan mode l3s vepa`
const IPVLAN: &str = "5800000010000506588a036b000000000000000000000000000000000000000008000500030000000900030069707630\
        00000000240012000a0001006970766c616e00001400020006000100020000000600020002000000";

/// `ip link add gre1 type gre local 192.0.2.1 remote 198.51.100.2 ttl 64 tos 0x10 pmtudisc ikey 42 okey 43 icsum oseq fwmark 7 encap fou encap-sport auto encap-dport 5555 encap-csum`
const GRE: &str = "ac00000010000506588a036b000000000000000000000000000000000000000009000300677265310000000080001200\
        070001006772650074000200080004000000002a080005000000002b06000200a0000000060003003000000008000600\
        c000020108000700c633640205000a000100000005000900100000000500080040000000080014000700000006000e00\
        0100000006000f000100000006001000000000000600110015b30000";

/// `ip link add gretapx type gretap external`
const GRETAP_EXTERNAL: &str = "4400000010000506588a036b00000000000000000000000000000000000000000c000300677265746170780018001200\
        0a00010067726574617000000800020004001200";

/// `ip link add ip6gre1 type ip6gre local 2001:db8::1 remote 2001:db8::2 hoplimit 64 encaplimit 4 flowlabel 0x12345 tclass inherit key 7 fwmark 9`
const IP6GRE: &str = "d800000010000506588a036b00000000000000000000000000000000000000000c0003006970366772653100ac001200\
        0a00010069703667726500009c0002000800040000000007080005000000000706000200200000000600030020000000\
        1400060020010db80000000000000000000000011400070020010db80000000000000000000000020500080040000000\
        05000b000400000008000c000001234508000d00020000000800140009000000050016000100000006000e0000000000\
        06000f000200000006001000000000000600110000000000";

/// `ip link add ers1 type erspan local 192.0.2.1 remote 198.51.100.2 seq key 10 erspan_ver 2 erspan_dir egress erspan_hwid 0x3f`
const ERSPAN: &str = "c800000010000506588a036b00000000000000000000000000000000000000000900030065727331000000009c001200\
        0a00010065727370616e00008c000200080004000000000a080005000000000a06000200300000000600030030000000\
        08000600c000020108000700c633640205000a0001000000050009000000000005000800000000000800140000000000\
        05001600020000000500170001000000060018003f00000006000e000000000006000f00000000000600100000000000\
        0600110000000000";

/// `ip link add ipip1 type ipip local 192.0.2.1 remote 198.51.100.4 ttl 32 tos 0x20 pmtudisc fwmark 3 mode ipip`
const IPIP: &str = "9c00000010000506588a036b00000000000000000000000000000000000000000a000300697069703100000070001200\
        080001006970697064000200050009000400000008000200c000020108000300c633640405000a000100000005000500\
        2000000005000400200000000800010000000000080014000300000006000f0000000000060010000000000006001100\
        000000000600120000000000";

/// `ip link add sit1 type sit local 192.0.2.1 remote 198.51.100.5 ttl 64 mode ip6ip 6rd-prefix 2001:db8::/32 6rd-relay_prefix 192.0.2.0/24 isatap`
const SIT: &str = "d000000010000506588a036b0000000000000000000000000000000000000000090003007369743100000000a4001200\
        070001007369740098000200050009002900000008000200c000020108000300c633640505000a000100000005000500\
        0000000005000400400000000800010000000000080014000000000006000f0000000000060010000000000006001100\
        000000000600120000000000060008000100000014000b0020010db800000000000000000000000006000d0020000000\
        08000c00c000020006000e0018000000";

/// `ip link add ip6tnl1 type ip6tnl local 2001:db8::1 remote 2001:db8::5 hoplimit 40 encaplimit 5 flowlabel 0x54321 tclass inherit mode ip6ip6 fwmark 11`
const IP6TNL: &str = "c000000010000506588a036b00000000000000000000000000000000000000000c000300697036746e6c310094001200\
        0a000100697036746e6c00008400020005000900290000001400020020010db800000000000000000000000114000300\
        20010db80000000000000000000000050500040028000000050006000500000008000700000543210800080002000000\
        0800010000000000080014000b00000006000f0000000000060010000200000006001100000000000600120000000000";

/// `ip link add gnv0 type geneve id 4242 remote 198.51.100.9 ttl 32 tos 0x10 dstport 6081 udpcsum df set`
const GENEVE4: &str = "8000000010000506588a036b000000000000000000000000000000000000000009000300676e76300000000054001200\
        0a00010067656e65766500004400020005000d0001000000080001009210000008000200c633640908000b0000000000\
        050003002000000005000400100000000600050017c100000500080001000000";

/// `ip link add gnv6 type geneve id 7 remote 2001:db8::9 flowlabel 0x12345 udp6zerocsumtx udp6zerocsumrx`
const GENEVE6: &str = "8400000010000506588a036b000000000000000000000000000000000000000009000300676e76360000000058001200\
        0a00010067656e65766500004800020008000100070000001400070020010db800000000000000000000000908000b00\
        0001234505000300000000000500040000000000050009000100000005000a0001000000";

/// `ip link add ipsec7 type xfrm dev vl0 if_id 7`
const XFRM: &str = "4c00000010000506588a036b00000000000000000000000000000000000000000b000300697073656337000020001200\
        080001007866726d1400020008000200070000000800010003000000";

/// `ip link add ipsec0 type xfrm external`
const XFRM_EXTERNAL: &str = "4000000010000506588a036b00000000000000000000000000000000000000000b000300697073656330000014001200\
        080001007866726d0800020004000300";

/// `ip link add wg0 type wireguard`
const WIREGUARD: &str = "3c00000010000506588a036b00000000000000000000000000000000000000000800030077673000140012000d000100\
        776972656775617264000000";

/// Writes `link` and compares its kind's attributes with `capture`'s.
fn same_data_written(link: &Link, capture: &str) {
    let mut ours = Vec::new();
    link.write_add(&mut ours).unwrap();
    assert_eq!(
        linkinfo_child(&ours, IFLA_INFO_DATA),
        linkinfo_child(&hex(capture), IFLA_INFO_DATA)
    );
}

#[test]
fn vlan() {
    let link = parse(VLAN_8021AD);
    assert_eq!(link.parent, Some(3));
    let expected = Vlan {
        id: Some(100),
        protocol: Some(VlanProtocol::Dot1Ad),
        flags: Some(VlanFlags::REORDER_HDR | VlanFlags::LOOSE_BINDING),
        flags_mask: None,
        ingress_qos: vec![QosMapping { from: 1, to: 2 }, QosMapping { from: 4, to: 5 }],
        egress_qos: vec![QosMapping { from: 3, to: 5 }, QosMapping { from: 6, to: 1 }],
    };
    assert_eq!(link.kind, Some(LinkKind::Vlan(expected.clone())));
    // iproute2 masks only the flags named on its command line.
    let named = Vlan {
        flags_mask: Some(VlanFlags::REORDER_HDR | VlanFlags::LOOSE_BINDING),
        ..expected
    };
    same_data_written(&link.clone().kind(LinkKind::Vlan(named)), VLAN_8021AD);

    // "reorder_hdr off" is in iproute2's mask, with a 0 flag.
    let link = parse(VLAN_8021Q);
    let Some(LinkKind::Vlan(v)) = link.kind.clone() else {
        panic!("not a vlan")
    };
    assert_eq!(v.id, Some(200));
    let on = VlanFlags::GVRP | VlanFlags::MVRP | VlanFlags::BRIDGE_BINDING;
    assert_eq!(v.flags, Some(on));
    let named = Vlan {
        flags_mask: Some(on | VlanFlags::REORDER_HDR),
        ..v
    };
    same_data_written(&link.clone().kind(LinkKind::Vlan(named)), VLAN_8021Q);
}

#[test]
fn bond() {
    assert_eq!(
        kind(BOND_AB),
        LinkKind::Bond(Bond {
            mode: Some(BondMode::ActiveBackup),
            miimon: Some(100),
            updelay: Some(200),
            downdelay: Some(300),
            peer_notif_delay: Some(400),
            use_carrier: Some(true),
            arp_validate: Some(ArpValidate::FilterBackup),
            arp_all_targets: Some(ArpAllTargets::All),
            primary: Some(3),
            primary_reselect: Some(PrimaryReselect::Better),
            fail_over_mac: Some(FailOverMac::Active),
            xmit_hash_policy: Some(XmitHashPolicy::Layer34),
            resend_igmp: Some(3),
            num_peer_notif: Some(2),
            all_slaves_active: Some(true),
            min_links: Some(1),
            lp_interval: Some(5),
            packets_per_slave: Some(7),
            tlb_dynamic_lb: Some(true),
            missed_max: Some(3),
            arp_ip_target: Some(vec![
                Ipv4Addr::new(192, 0, 2, 1),
                Ipv4Addr::new(198, 51, 100, 1)
            ]),
            ns_ip6_target: Some(vec!["2001:db8::1".parse().unwrap()]),
            ..Bond::default()
        })
    );
    assert_eq!(
        kind(BOND_LACP),
        LinkKind::Bond(Bond {
            mode: Some(BondMode::Lacp),
            ad_lacp_active: Some(true),
            ad_lacp_rate: Some(LacpRate::Fast),
            ad_select: Some(AdSelect::Bandwidth),
            ad_actor_sys_prio: Some(100),
            ad_user_port_key: Some(5),
            ad_actor_system: Some("02:00:00:00:00:99".parse().unwrap()),
            ..Bond::default()
        })
    );
}

#[test]
fn bond_slave() {
    // iproute2 names the kind "bond_slave"; the kernel goes by the master.
    let mut ours = Vec::new();
    LinkSet::new(3u32)
        .slave(SlaveInfo::Bond(BondSlave {
            queue_id: Some(2),
            prio: Some(5),
            ..BondSlave::default()
        }))
        .write(&mut ours)
        .unwrap();
    assert_eq!(
        linkinfo_child(&ours, IFLA_INFO_SLAVE_DATA),
        linkinfo_child(&hex(BOND_SLAVE), IFLA_INFO_SLAVE_DATA)
    );
}

#[test]
fn vrf_ipvlan_xfrm_wireguard() {
    assert_eq!(kind(VRF), LinkKind::vrf(1001));
    let link = same_data_as_iproute2(IPVLAN);
    assert_eq!(link.parent, Some(3));
    assert_eq!(
        link.kind,
        Some(LinkKind::Ipvlan(Ipvlan {
            mode: Some(IpvlanMode::L3s),
            flags: Some(IpvlanFlags::Vepa),
        }))
    );
    assert_eq!(
        kind(XFRM),
        LinkKind::Xfrm(Xfrm {
            link: Some(3),
            if_id: Some(7),
            collect_metadata: None,
        })
    );
    assert_eq!(
        kind(XFRM_EXTERNAL),
        LinkKind::Xfrm(Xfrm {
            collect_metadata: Some(true),
            ..Xfrm::default()
        })
    );
    assert_eq!(
        same_data_as_iproute2(WIREGUARD).kind,
        Some(LinkKind::Wireguard)
    );
}

#[test]
fn gre_family() {
    assert_eq!(
        kind(GRE),
        LinkKind::Gre(Gre {
            iflags: Some(GreFlags::KEY | GreFlags::CSUM),
            oflags: Some(GreFlags::KEY | GreFlags::SEQ),
            ikey: Some(42),
            okey: Some(43),
            local: Some("192.0.2.1".parse().unwrap()),
            remote: Some("198.51.100.2".parse().unwrap()),
            ttl: Some(64),
            tos: Some(0x10),
            pmtudisc: Some(true),
            encap_type: Some(EncapType::Fou),
            encap_flags: Some(TunnelEncapFlags::CSUM),
            encap_sport: Some(0),
            encap_dport: Some(5555),
            fwmark: Some(7),
            ..Gre::default()
        })
    );
    assert_eq!(
        kind(GRETAP_EXTERNAL),
        LinkKind::GreTap(Gre {
            collect_metadata: Some(true),
            ..Gre::default()
        })
    );
    assert_eq!(
        kind(IP6GRE),
        LinkKind::Ip6Gre(Gre {
            ttl: Some(64),
            encap_limit: Some(4),
            flowinfo: Some(0x0001_2345),
            flags: Some(Ip6TunnelFlags::USE_ORIG_TCLASS),
            encap_type: Some(EncapType::None),
            encap_flags: Some(TunnelEncapFlags::CSUM6),
            encap_sport: Some(0),
            encap_dport: Some(0),
            fwmark: Some(9),
            erspan_ver: Some(1),
            ..Gre::between(
                "2001:db8::1".parse().unwrap(),
                "2001:db8::2".parse().unwrap()
            )
            .key(7)
        })
    );
    let LinkKind::Erspan(e) = kind(ERSPAN) else {
        panic!("not erspan")
    };
    assert_eq!(
        (e.erspan_ver, e.erspan_dir, e.erspan_hwid),
        (Some(2), Some(ErspanDir::Egress), Some(0x3f))
    );
    assert_eq!((e.ikey, e.okey), (Some(10), Some(10)));
    assert_eq!(e.oflags, Some(GreFlags::KEY | GreFlags::SEQ));
}

#[test]
fn ip_tunnels() {
    let LinkKind::Ipip(t) = kind(IPIP) else {
        panic!("not ipip")
    };
    assert_eq!(
        (t.local, t.remote),
        (
            Some(Ipv4Addr::new(192, 0, 2, 1)),
            Some(Ipv4Addr::new(198, 51, 100, 4))
        )
    );
    assert_eq!(
        (t.ttl, t.tos, t.pmtudisc),
        (Some(32), Some(0x20), Some(true))
    );
    assert_eq!((t.proto, t.fwmark), (Some(4), Some(3)));
    let LinkKind::Sit(t) = kind(SIT) else {
        panic!("not sit")
    };
    assert_eq!((t.proto, t.flags), (Some(41), Some(1)), "ip6ip, isatap");
    assert_eq!(t.ip6rd_prefix, Some("2001:db8::".parse().unwrap()));
    assert_eq!(t.ip6rd_prefixlen, Some(32));
    assert_eq!(t.ip6rd_relay_prefix, Some(Ipv4Addr::new(192, 0, 2, 0)));
    assert_eq!(t.ip6rd_relay_prefixlen, Some(24));
    let LinkKind::Ip6Tnl(t) = kind(IP6TNL) else {
        panic!("not ip6tnl")
    };
    assert_eq!(
        (t.local, t.remote),
        (
            Some("2001:db8::1".parse().unwrap()),
            Some("2001:db8::5".parse().unwrap())
        )
    );
    assert_eq!((t.ttl, t.encap_limit), (Some(40), Some(5)));
    assert_eq!(t.flowinfo, Some(0x0005_4321));
    assert_eq!(t.flags, Some(Ip6TunnelFlags::USE_ORIG_TCLASS));
    assert_eq!((t.proto, t.fwmark), (Some(41), Some(11)));
}

#[test]
fn geneve() {
    assert_eq!(
        kind(GENEVE4),
        LinkKind::Geneve(Geneve {
            id: Some(4242),
            remote: Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 9))),
            ttl: Some(32),
            tos: Some(0x10),
            port: Some(6081),
            udp_csum: Some(true),
            label: Some(0),
            df: Some(GeneveDf::Set),
            ..Geneve::default()
        })
    );
    let LinkKind::Geneve(g) = kind(GENEVE6) else {
        panic!("not geneve")
    };
    assert_eq!(g.remote, Some("2001:db8::9".parse().unwrap()));
    assert_eq!(g.label, Some(0x12345));
    assert_eq!(
        (g.udp_zero_csum6_tx, g.udp_zero_csum6_rx),
        (Some(true), Some(true))
    );
}

const ALL: [&str; 19] = [
    VLAN_8021AD,
    VLAN_8021Q,
    BOND_AB,
    BOND_LACP,
    BOND_SLAVE,
    VRF,
    IPVLAN,
    GRE,
    GRETAP_EXTERNAL,
    IP6GRE,
    ERSPAN,
    IPIP,
    SIT,
    IP6TNL,
    GENEVE4,
    GENEVE6,
    XFRM,
    XFRM_EXTERNAL,
    WIREGUARD,
];

#[test]
fn damaged_requests_are_errors_or_values_never_panics() {
    for capture in ALL {
        let good = hex(capture);
        // every truncation, with nlmsg_len kept honest
        for len in 16..good.len() {
            let mut b = good[..len].to_vec();
            b[..4].copy_from_slice(&(len as u32).to_ne_bytes());
            if let Ok((msg, _)) = Msg::parse(&b) {
                let _ = Link::parse(&msg);
            }
        }
        // every byte after the header, changed three ways
        for i in 16..good.len() {
            for x in [0x01u8, 0x80, 0xff] {
                let mut b = good.clone();
                b[i] ^= x;
                if let Ok((msg, _)) = Msg::parse(&b) {
                    let _ = Link::parse(&msg);
                }
            }
        }
    }
}
