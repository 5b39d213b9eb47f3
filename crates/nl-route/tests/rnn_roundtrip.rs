//! Property tests: any rule, neighbour / FDB entry and nexthop object the
//! library accepts, written as a request, parses back unchanged.
//!
//! Kept out of the inputs by design: the kernel's "unset" marker -1 for
//! `suppress_prefixlen` / `suppress_ifgroup` (read as `None`), a nexthop
//! scope or flags other than onlink (requests send 0 / onlink only, as the
//! kernel demands), and a nexthop family of 0 (requests fill it in).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;
use nl_route::neigh::{NeighCacheInfo, NeighFlagsExt};
use nl_route::nexthop::{GroupMember, GroupType, ResilientGroup};
use nl_route::route::{Encap, MplsLabel, RouteFlags, RouteProtocol};
use nl_route::{
    AF_BRIDGE, AF_INET, AF_INET6, Neigh, NeighFlags, NeighState, Nexthop, PortRange, Rule,
    RuleAction, RuleFlags, Scope, UidRange,
};
use nl_wire::{HwAddr, Msg};
use proptest::option::of;
use proptest::prelude::*;

fn parse_one<T>(buf: &[u8], parse: impl Fn(&Msg<'_>) -> nl_route::Result<T>) -> T {
    let (msg, rest) = Msg::parse(buf).unwrap();
    assert!(rest.is_empty());
    parse(&msg).unwrap()
}

fn addr(v6: bool) -> BoxedStrategy<IpAddr> {
    if v6 {
        any::<[u8; 16]>()
            .prop_map(|b| IpAddr::V6(Ipv6Addr::from(b)))
            .boxed()
    } else {
        any::<[u8; 4]>()
            .prop_map(|b| IpAddr::V4(Ipv4Addr::from(b)))
            .boxed()
    }
}

fn net(v6: bool) -> impl Strategy<Value = IpNet> {
    let max = if v6 { 128u8 } else { 32 };
    (addr(v6), 0..=max).prop_map(|(a, l)| IpNet::new(a, l).unwrap())
}

fn port_range() -> impl Strategy<Value = PortRange> {
    (any::<u16>(), any::<u16>()).prop_map(|(a, b)| PortRange {
        start: a.min(b),
        end: a.max(b),
    })
}

fn ifname() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,15}"
}

fn not_minus_one() -> impl Strategy<Value = u32> {
    0..u32::MAX
}

fn rule() -> impl Strategy<Value = Rule> {
    any::<bool>().prop_flat_map(|v6| {
        let a = (
            of(any::<u32>()),
            any::<u32>(),
            any::<u8>().prop_map(RuleAction::from),
            of(any::<u32>()),
            of(net(v6)),
            of(net(v6)),
            of(ifname()),
            of(ifname()),
            of(any::<u32>()),
            of(any::<u32>()),
            any::<u8>(),
            of(0u8..64),
        );
        let b = (
            of(any::<u32>()),
            of(not_minus_one()),
            of(not_minus_one()),
            any::<bool>(),
            of((any::<u32>(), any::<u32>()).prop_map(|(a, b)| UidRange {
                start: a.min(b),
                end: a.max(b),
            })),
            of(port_range()),
            of(port_range()),
            of(any::<u8>()),
            of(any::<u64>()),
            any::<u8>().prop_map(RouteProtocol),
            any::<u32>().prop_map(RuleFlags::from_bits_retain),
        );
        (a, b).prop_map(
            move |(
                (priority, table, action, goto, src, dst, iif, oif, fwmark, fwmask, tos, dscp),
                (
                    realms,
                    suppress_prefixlen,
                    suppress_ifgroup,
                    l3mdev,
                    uid_range,
                    sport,
                    dport,
                    ip_proto,
                    tun_id,
                    protocol,
                    flags,
                ),
            )| {
                let goto = if action == RuleAction::Goto {
                    Some(goto.unwrap_or(1))
                } else {
                    goto
                };
                Rule {
                    family: if v6 { AF_INET6 } else { AF_INET },
                    priority,
                    table,
                    action,
                    goto,
                    src,
                    dst,
                    iif,
                    oif,
                    fwmark,
                    fwmask,
                    tos,
                    dscp,
                    realms,
                    suppress_prefixlen,
                    suppress_ifgroup,
                    l3mdev,
                    uid_range,
                    sport,
                    dport,
                    ip_proto,
                    tun_id,
                    protocol,
                    flags,
                }
            },
        )
    })
}

fn hwaddr() -> impl Strategy<Value = HwAddr> {
    proptest::collection::vec(any::<u8>(), 0..=32).prop_map(|b| HwAddr::new(&b).unwrap())
}

fn neigh() -> impl Strategy<Value = Neigh> {
    (0u8..3).prop_flat_map(|fam| {
        let family = [AF_INET, AF_INET6, AF_BRIDGE][usize::from(fam)];
        let dst = match fam {
            0 => addr(false).prop_map(Some).boxed(),
            1 => addr(true).prop_map(Some).boxed(),
            _ => of(any::<bool>().prop_flat_map(addr)).boxed(),
        };
        let lladdr = if family == AF_BRIDGE {
            hwaddr().prop_map(Some).boxed()
        } else {
            of(hwaddr()).boxed()
        };
        let a = (
            1..=i32::MAX as u32,
            dst,
            lladdr,
            any::<u16>().prop_map(NeighState::from_bits_retain),
            any::<u8>().prop_map(NeighFlags::from_bits_retain),
            any::<u32>().prop_map(NeighFlagsExt::from_bits_retain),
            any::<u8>(),
            of(1u16..4095),
            of(0u32..1 << 24),
            of(0u32..1 << 24),
        );
        let b = (
            of(any::<u16>()),
            of(any::<u32>()),
            of(any::<u32>()),
            of(any::<i32>()),
            of(any::<[u32; 4]>().prop_map(|c| NeighCacheInfo {
                confirmed: c[0],
                used: c[1],
                updated: c[2],
                refcnt: c[3],
            })),
            of(any::<u32>()),
            of(any::<u8>().prop_map(RouteProtocol)),
            of(any::<u32>()),
        );
        (a, b).prop_map(
            move |(
                (ifindex, dst, lladdr, state, flags, flags_ext, neigh_type, vlan, vni, src_vni),
                (port, master, via_ifindex, link_netnsid, cache_info, probes, protocol, nh_id),
            )| Neigh {
                family,
                ifindex,
                dst,
                lladdr,
                state,
                flags,
                flags_ext,
                neigh_type,
                vlan,
                vni,
                src_vni,
                port,
                master,
                via_ifindex,
                link_netnsid,
                cache_info,
                probes,
                protocol,
                nh_id,
            },
        )
    })
}

fn nexthop() -> impl Strategy<Value = Nexthop> {
    let common = (
        any::<u32>(),
        any::<u8>().prop_map(RouteProtocol),
        any::<bool>(),
        any::<bool>(),
    );
    let encap = of(
        proptest::collection::vec(0u32..1 << 20, 1..4).prop_map(|l| {
            Box::new(Encap::Mpls {
                labels: l.into_iter().map(MplsLabel::new).collect(),
                ttl: None,
            })
        }),
    );
    let single = (
        common.clone(),
        any::<bool>(),
        any::<bool>().prop_flat_map(|v6| of(addr(v6)).prop_map(move |g| (v6, g))),
        of(1u32..100_000),
        encap,
    )
        .prop_filter(
            "a single path has a gateway or a device",
            |(_, _, (_, g), o, _)| g.is_some() || o.is_some(),
        )
        .prop_map(
            |((id, protocol, onlink, fdb), _, (v6, gateway), oif, encap)| Nexthop {
                id,
                family: if v6 { AF_INET6 } else { AF_INET },
                scope: Scope::Universe,
                protocol,
                flags: if onlink {
                    RouteFlags::ONLINK
                } else {
                    RouteFlags::empty()
                },
                gateway,
                oif,
                fdb,
                encap,
                ..Nexthop::default()
            },
        );
    let blackhole =
        (common.clone(), any::<bool>()).prop_map(|((id, protocol, _, _), v6)| Nexthop {
            id,
            family: if v6 { AF_INET6 } else { AF_INET },
            protocol,
            blackhole: true,
            ..Nexthop::default()
        });
    let member = (any::<u32>(), 1u32..=65536).prop_map(|(id, weight)| GroupMember { id, weight });
    let group = (
        common,
        proptest::collection::vec(member, 1..8),
        of(any::<u16>().prop_map(GroupType::from)),
        of((
            of(any::<u16>()),
            of(any::<u32>()),
            of(any::<u32>()),
            of(any::<u64>()),
        )
            .prop_map(|(buckets, idle_timer, unbalanced_timer, unbalanced_time)| {
                ResilientGroup {
                    buckets,
                    idle_timer,
                    unbalanced_timer,
                    unbalanced_time,
                }
            })),
    )
        .prop_map(
            |((id, protocol, _, fdb), group, group_type, resilient)| Nexthop {
                id,
                protocol,
                group,
                group_type,
                resilient,
                fdb,
                ..Nexthop::default()
            },
        );
    prop_oneof![single, blackhole, group]
}

proptest! {
    #[test]
    fn rule_round_trips(r in rule()) {
        // A parsed rule reads an absent priority, and an absent mark under
        // a mask, as the 0 the kernel leaves out.
        let mut back = r.clone();
        back.priority.get_or_insert(0);
        if back.fwmask.is_some() {
            back.fwmark.get_or_insert(0);
        }
        let mut buf = Vec::new();
        r.write_add(&mut buf).unwrap();
        prop_assert_eq!(parse_one(&buf, Rule::parse), back.clone());
        buf.clear();
        r.write_del(&mut buf).unwrap();
        prop_assert_eq!(parse_one(&buf, Rule::parse), back);
    }

    #[test]
    fn neigh_round_trips(n in neigh()) {
        let mut buf = Vec::new();
        n.write_replace(&mut buf).unwrap();
        prop_assert_eq!(parse_one(&buf, Neigh::parse), n);
    }

    #[test]
    fn nexthop_round_trips(n in nexthop()) {
        let mut buf = Vec::new();
        n.write_replace(&mut buf).unwrap();
        prop_assert_eq!(parse_one(&buf, Nexthop::parse), n);
    }

    #[test]
    fn damaged_requests_never_panic(r in rule(), n in neigh(), h in nexthop(), cut in 0usize..200, flip in any::<(usize, u8)>()) {
        let mut buf = Vec::new();
        r.write_add(&mut buf).unwrap();
        n.write_add(&mut buf).unwrap();
        h.write_add(&mut buf).unwrap();
        let len = buf.len();
        buf[flip.0 % len] ^= flip.1;
        buf.truncate(len.saturating_sub(cut));
        for m in nl_wire::Msgs::new(&buf).flatten() {
            let _ = Rule::parse(&m).map(|x| x.to_string());
            let _ = Neigh::parse(&m).map(|x| x.to_string());
            let _ = Nexthop::parse(&m).map(|x| x.to_string());
        }
    }
}
