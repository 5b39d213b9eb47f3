//! nl-route on replies captured from a real kernel.
//!
//! `fixtures/*.pcap` hold one object kind each, captured by
//! `tests/tests/capture.rs` from Linux 6.18 (`NETLINK_WRITE_FIXTURES=1 cargo
//! test -p netlink-tests --test capture`, which says how it built each
//! object), and the kinds that host lacks from Debian's 6.12 in the VM tier
//! (`tests/vm/run --kernel 6.12 --capture DIR --test capture`);
//! `link_dump_0.bin` is nl-wire's raw link dump. Every reply of every
//! capture parses, each kind's fields read what the capture set, and no
//! truncation of a reply panics.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nl_route::kind::{MacvlanMode, TunType};
use nl_route::tc::units::Rate;
use nl_route::tc::{
    Action, ActionKind, Class, ClassKind, FilterEntry, FilterKind, Mirred, MirredAction, Qdisc,
    QdiscKind, TcHandle, U32Key, Verdict,
};
use nl_route::uapi::rtnetlink::*;
use nl_route::{
    Addr, AddrFlags, GroupMember, Link, LinkKind, Neigh, NeighState, Netconf, NetconfDevice,
    Nexthop, Nsid, OperState, Route, RouteType, Rule, Scope,
};
use nl_wire::pcap::Capture;
use nl_wire::{Msg, Msgs};

static LINK_DUMP: &[u8] = include_bytes!("../../nl-wire/tests/fixtures/link_dump_0.bin");

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The reply messages of capture `name` (its frames to user space but
/// `NLMSG_DONE` and acks), each as its own bytes.
fn replies(name: &str) -> Vec<Vec<u8>> {
    let path = dir().join(format!("{name}.pcap"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let out: Vec<Vec<u8>> = Capture::new(&bytes)
        .unwrap()
        .flat_map(|record| record.unwrap().netlink().unwrap().replies())
        .map(|msg| msg.unwrap().bytes().to_vec())
        .collect();
    assert!(!out.is_empty(), "{name}: no replies");
    out
}

/// Every reply of `name`, parsed by `parse`.
fn parsed<T>(name: &str, parse: impl Fn(&Msg<'_>) -> nl_route::Result<T>) -> Vec<T> {
    replies(name)
        .iter()
        .map(|b| parse(&Msg::parse(b).unwrap().0).unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}

/// The parser of a message type; `None` for types no capture holds.
fn parse_any(msg: &Msg<'_>) -> Option<nl_route::Result<String>> {
    fn dbg<T: std::fmt::Debug>(r: nl_route::Result<T>) -> Option<nl_route::Result<String>> {
        Some(r.map(|v| format!("{v:?}")))
    }
    match msg.ty() {
        RTM_NEWLINK => dbg(Link::parse(msg)),
        RTM_NEWADDR => dbg(Addr::parse(msg)),
        RTM_NEWROUTE => dbg(Route::parse(msg)),
        RTM_NEWRULE => dbg(Rule::parse(msg)),
        RTM_NEWNEIGH => dbg(Neigh::parse(msg)),
        RTM_NEWNEXTHOP => dbg(Nexthop::parse(msg)),
        RTM_NEWQDISC => dbg(Qdisc::parse(msg)),
        RTM_NEWTCLASS => dbg(Class::parse(msg)),
        RTM_NEWTFILTER => dbg(FilterEntry::parse(msg)),
        // Action dumps answer with the request's type.
        RTM_NEWACTION | RTM_GETACTION => dbg(Action::parse_msg(msg)),
        RTM_NEWNETCONF => dbg(Netconf::parse(msg)),
        RTM_NEWNSID => dbg(Nsid::parse(msg)),
        _ => None,
    }
}

#[test]
fn every_capture_parses_and_no_truncation_panics() {
    let mut files = 0;
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pcap") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        for bytes in replies(&name) {
            let (msg, _) = Msg::parse(&bytes).unwrap();
            match parse_any(&msg) {
                Some(Ok(_)) => {}
                Some(Err(e)) => panic!("{name}: {e}"),
                None => panic!("{name}: no parser for message type {}", msg.ty()),
            }
            // A cut message is refused by the header check or parses to an
            // error or a partial object, never a panic.
            for cut in 0..bytes.len() {
                if let Ok((m, _)) = Msg::parse(&bytes[..cut]) {
                    let _ = parse_any(&m);
                }
            }
        }
        files += 1;
    }
    assert!(files >= 24, "only {files} captures");
}

/// The one link of a link capture.
fn link(name: &str) -> Link {
    let mut links = parsed(name, Link::parse);
    assert_eq!(links.len(), 1, "{name}");
    let link = links.remove(0);
    assert_eq!(link.name, "fx0");
    assert!(link.index > 0 && link.mtu == Some(1500), "{link:?}");
    link
}

#[test]
fn link_veth() {
    let l = link("link_veth");
    assert!(matches!(l.kind, Some(LinkKind::Veth(_))));
    assert!(
        l.parent.is_some_and(|p| p != l.index),
        "the peer: {:?}",
        l.parent
    );
    assert_eq!(l.operstate, Some(OperState::Down));
    assert_eq!(l.address.map(|a| a.len()), Some(6));
    assert_eq!((l.num_tx_queues, l.txqlen), (Some(2), Some(1000)));
}

#[test]
fn link_bridge() {
    let Some(LinkKind::Bridge(b)) = link("link_bridge").kind else {
        panic!("not a bridge")
    };
    // ip link add ... type bridge forward_delay 1000 stp_state 0
    assert_eq!((b.forward_delay, b.stp_state), (Some(1000), Some(0)));
    assert_eq!((b.hello_time, b.max_age), (Some(200), Some(2000)));
    assert_eq!(b.vlan_filtering, Some(false));
}

#[test]
fn link_vxlan() {
    let Some(LinkKind::Vxlan(v)) = link("link_vxlan").kind else {
        panic!("not a vxlan")
    };
    // id 42 dstport 4789 local 192.0.2.1 remote 198.51.100.1
    assert_eq!((v.id, v.port), (Some(42), Some(4789)));
    assert_eq!(v.local, Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))));
    assert_eq!(v.group, Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1))));
    assert_eq!((v.learning, v.ageing), (Some(true), Some(300)));
}

#[test]
fn link_macvlan_and_macvtap() {
    let l = link("link_macvlan");
    let Some(LinkKind::Macvlan(m)) = &l.kind else {
        panic!("not a macvlan")
    };
    assert_eq!(m.mode, Some(MacvlanMode::Bridge));
    assert!(l.parent.is_some(), "the lower device");
    let Some(LinkKind::Macvtap(m)) = link("link_macvtap").kind else {
        panic!("not a macvtap")
    };
    assert_eq!(m.mode, Some(MacvlanMode::Vepa));
}

#[test]
fn link_ifb_and_tun() {
    assert_eq!(link("link_ifb").kind, Some(LinkKind::Ifb));
    let Some(LinkKind::Tun(t)) = link("link_tun").kind else {
        panic!("not a tun")
    };
    // ip tuntap add fx0 mode tap: a persistent tap without packet info.
    assert_eq!(t.tun_type, Some(TunType::Tap));
    assert_eq!((t.pi, t.persist), (Some(false), Some(true)));
}

#[test]
fn addresses() {
    let addrs = parsed("addr", Addr::parse);
    let v4 = addrs.iter().find(|a| a.prefix.addr().is_ipv4()).unwrap();
    assert_eq!(v4.prefix, "192.0.2.1/24".parse().unwrap());
    assert_eq!(v4.label.as_deref(), Some("fx0:a"));
    assert_eq!(v4.broadcast, Some(Ipv4Addr::new(192, 0, 2, 255)));
    assert_eq!(v4.scope, Scope::Universe);
    let v6 = addrs.iter().find(|a| a.prefix.addr().is_ipv6()).unwrap();
    assert_eq!(v6.prefix, "2001:db8::1/64".parse().unwrap());
    assert!(v6.flags.contains(AddrFlags::NODAD | AddrFlags::PERMANENT));
    assert_eq!(v6.valid_lft, Some(u32::MAX), "forever");
    assert_eq!(v4.index, v6.index);
}

#[test]
fn routes() {
    let routes = parsed("route", Route::parse);
    let table = |t| routes.iter().filter(move |r: &&Route| r.table == t);
    let via = table(100)
        .find(|r| r.dst == Some("198.51.100.0/24".parse().unwrap()))
        .unwrap();
    assert_eq!(via.gateway, Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2))));
    assert_eq!(
        (via.priority, via.route_type),
        (Some(100), RouteType::Unicast)
    );
    let hole = table(100)
        .find(|r| r.dst == Some("203.0.113.0/24".parse().unwrap()))
        .unwrap();
    assert_eq!(hole.route_type, RouteType::Blackhole);
    assert_eq!(hole.priority, Some(0), "IPv4 leaves metric 0 out");
    let v6 = table(100).find(|r| r.family == nl_route::AF_INET6).unwrap();
    assert_eq!(v6.dst, Some("2001:db8:1::/48".parse().unwrap()));
    assert_eq!(v6.priority, Some(5));
    // The kernel's own: the local table's host route of the address.
    let local = table(255)
        .find(|r| r.route_type == RouteType::Local && r.family == nl_route::AF_INET)
        .unwrap();
    assert_eq!(local.scope, Scope::Host);
    assert_eq!(local.prefsrc, Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))));
}

#[test]
fn rules() {
    let rules = parsed("rule", Rule::parse);
    let by_pref = |p| rules.iter().find(|r| r.priority == Some(p)).unwrap();
    let from = by_pref(100);
    assert_eq!(
        (from.src, from.table),
        (Some("192.0.2.0/24".parse().unwrap()), 100)
    );
    let mark = by_pref(200);
    assert_eq!((mark.fwmark, mark.fwmask), (Some(0x10), Some(0xff)));
    assert_eq!((mark.ip_proto, mark.table), (Some(6), 200));
    assert_eq!(mark.dport.map(|p| (p.start, p.end)), Some((443, 443)));
    // The kernel's default rules come with every dump.
    assert_eq!(by_pref(32766).table, nl_route::route::TABLE_MAIN);
}

#[test]
fn neighbours() {
    let n = parsed("neigh", Neigh::parse);
    let v4 = n.iter().find(|n| n.family == nl_route::AF_INET).unwrap();
    assert_eq!(v4.dst, Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 9))));
    assert_eq!(v4.lladdr.unwrap().to_string(), "02:00:00:00:00:09");
    assert_eq!(v4.state, NeighState::PERMANENT);
    let v6 = n.iter().find(|n| n.family == nl_route::AF_INET6).unwrap();
    assert_eq!(
        v6.dst,
        Some(IpAddr::V6("2001:db8::9".parse::<Ipv6Addr>().unwrap()))
    );
    assert_eq!(v6.state, NeighState::REACHABLE);
    assert_eq!(v4.ifindex, v6.ifindex);
}

#[test]
fn nexthops() {
    let n = parsed("nexthop", Nexthop::parse);
    let id = |i| n.iter().find(|n| n.id == i).unwrap();
    assert_eq!(id(1).gateway, Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2))));
    assert_eq!(id(1).scope, Scope::Link);
    assert!(id(2).blackhole);
    // group 1/3,3: member 3 with weight 3.
    assert_eq!(
        id(10).group,
        [GroupMember::new(1), GroupMember { id: 3, weight: 3 }]
    );
    assert_eq!(id(10).group_type, Some(nl_route::GroupType::Mpath));
}

#[test]
fn netconf() {
    let all = parsed("netconf", Netconf::parse);
    assert!(all.iter().all(|n| n.family == nl_route::AF_INET));
    for dev in [NetconfDevice::All, NetconfDevice::Default] {
        let n = all.iter().find(|n| n.device == dev).unwrap();
        assert_eq!((n.forwarding, n.rp_filter), (Some(0), Some(0)));
    }
    let links = all
        .iter()
        .filter(|n| matches!(n.device, NetconfDevice::Link(_)))
        .count();
    assert_eq!(links, 3, "lo, fx0, fx1");
}

#[test]
fn nsid() {
    // The peer namespace of the veth got the first id.
    let ids = parsed("nsid", Nsid::parse);
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].nsid, 0);
}

/// The qdisc with handle `handle` in a qdisc capture.
fn qdisc(name: &str, handle: TcHandle) -> Qdisc {
    parsed(name, Qdisc::parse)
        .into_iter()
        .find(|q| q.handle == handle)
        .unwrap_or_else(|| panic!("{name}: no qdisc {handle}"))
}

#[test]
fn qdiscs_htb_tbf_fifos() {
    let h = qdisc("qdisc_htb", TcHandle::new(1, 0));
    let QdiscKind::Htb(htb) = h.kind else {
        panic!("{h:?}")
    };
    // htb default 10 r2q 20 direct_qlen 100
    assert_eq!(
        (htb.default_class, htb.r2q, htb.direct_qlen),
        (0x10, 20, Some(100))
    );
    assert_eq!(h.parent, TcHandle::ROOT);
    let t = qdisc("qdisc_tbf", TcHandle::new(2, 0));
    let QdiscKind::Tbf(tbf) = t.kind else {
        panic!("{t:?}")
    };
    // tbf rate 1mbit burst 10k latency 50ms
    assert_eq!(
        (tbf.rate, tbf.burst, tbf.peakrate),
        (Rate::mbit(1), 10240, None)
    );
    assert_eq!(tbf.latency().as_millis(), 50);
    assert_eq!(
        qdisc("qdisc_pfifo", TcHandle::new(3, 0)).kind,
        QdiscKind::Pfifo(nl_route::tc::Fifo::new(50))
    );
    assert_eq!(
        qdisc("qdisc_bfifo", TcHandle::new(4, 0)).kind,
        QdiscKind::Bfifo(nl_route::tc::Fifo::new(10_000))
    );
}

#[test]
fn qdiscs_ingress_and_clsact() {
    for (name, kind) in [
        ("qdisc_ingress", QdiscKind::Ingress),
        ("qdisc_clsact", QdiscKind::Clsact),
    ] {
        let q = qdisc(name, TcHandle::new(0xffff, 0));
        assert_eq!((q.kind, q.parent), (kind, TcHandle::INGRESS), "{name}");
    }
    // The other end of the pair keeps the default noqueue.
    assert!(
        parsed("qdisc_ingress", Qdisc::parse)
            .iter()
            .any(|q| q.kind == QdiscKind::Noqueue)
    );
}

#[test]
fn class_htb() {
    let classes = parsed("class_htb", Class::parse);
    let c = classes
        .iter()
        .find(|c| c.handle == TcHandle::new(1, 0x10))
        .unwrap();
    let ClassKind::Htb(h) = &c.kind else {
        panic!("{c:?}")
    };
    // rate 10mbit ceil 20mbit burst 15k prio 2
    assert_eq!(
        (h.rate, h.ceil, h.prio),
        (Rate::mbit(10), Rate::mbit(20), 2)
    );
    assert_eq!(h.burst, Some(15 * 1024));
    assert!(matches!(
        c.xstats,
        Some(nl_route::tc::qdisc::Xstats::Htb { .. })
    ));
}

#[test]
fn filter_u32_with_its_head_and_table() {
    let entries = parsed("filter_u32", FilterEntry::parse);
    assert!(matches!(&entries[0], FilterEntry::Head(h) if h.kind == "u32" && h.priority == 5));
    assert!(
        entries
            .iter()
            .any(|e| matches!(e, FilterEntry::U32Table(t) if t.handle == 0x8000_0000))
    );
    let f = entries.iter().find_map(FilterEntry::as_filter).unwrap();
    let FilterKind::U32(u) = &f.kind else {
        panic!("{f:?}")
    };
    assert_eq!(u.classid, Some(TcHandle::new(1, 0x10)));
    let keys = &u.sel.as_ref().unwrap().keys;
    assert_eq!(keys[0], U32Key::ip_dst("192.0.2.0/24".parse().unwrap()));
    assert_eq!(keys[1], U32Key::ip_dport(53));
    let a = &u.actions[0];
    assert!(matches!(
        a.kind,
        ActionKind::Mirred(Mirred {
            action: MirredAction::EgressRedirect,
            ..
        })
    ));
    assert_eq!((a.verdict, a.bindcnt), (Verdict::Stolen, 1));
}

#[test]
fn filter_bpf() {
    let entries = parsed("filter_bpf", FilterEntry::parse);
    let f = entries.iter().find_map(FilterEntry::as_filter).unwrap();
    let FilterKind::Bpf(b) = &f.kind else {
        panic!("{f:?}")
    };
    assert_eq!((b.classid, f.priority), (Some(TcHandle::new(1, 0x20)), 7));
    assert!(!b.direct_action);
}

#[test]
fn action_mirred() {
    let tables = parsed("action_mirred", Action::parse_msg);
    let a = &tables[0][0];
    // tc actions add action mirred egress mirror dev fx1 index 42
    assert!(matches!(
        a.kind,
        ActionKind::Mirred(Mirred {
            action: MirredAction::EgressMirror,
            ifindex
        }) if ifindex > 0
    ));
    assert_eq!((a.index, a.verdict, a.bindcnt), (42, Verdict::Pipe, 0));
    assert!(a.stats.is_some());
}

#[test]
fn real_link_dump_parses_field_by_field() {
    let links: Vec<Link> = Msgs::new(LINK_DUMP)
        .map(|m| Link::parse(&m.unwrap()).unwrap())
        .collect();
    assert_eq!(links.len(), 3);
    let lo = &links[0];
    assert_eq!(
        (lo.index, lo.name.as_str(), lo.link_type, lo.mtu),
        (1, "lo", 772, Some(65536))
    );
    assert_eq!(lo.operstate, Some(OperState::Down));
    assert!(lo.kind.is_none());
    let (fx1, fx0) = (&links[1], &links[2]);
    assert_eq!((fx1.name.as_str(), fx0.name.as_str()), ("fx1", "fx0"));
    assert_eq!(fx0.kind, Some(LinkKind::Veth(Default::default())));
    assert_eq!(fx0.parent, Some(fx1.index));
    assert_eq!(fx1.parent, Some(fx0.index));
    assert_eq!(fx0.address.map(|a| a.len()), Some(6));
    assert!(fx0.stats.is_some() && fx0.num_tx_queues.is_some() && fx0.txqlen == Some(1000));
    // Attributes newer than the 6.1 headers, from the 6.18 kernel that sent this.
    assert_eq!(
        fx0.gso_ipv4_max_size, fx0.gso_max_size,
        "IFLA_GSO_IPV4_MAX_SIZE (63) read as such"
    );
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    for cut in 0..LINK_DUMP.len() {
        for m in Msgs::new(&LINK_DUMP[..cut]).flatten() {
            let _ = Link::parse(&m);
            let _ = nl_route::Addr::parse(&m);
        }
    }
}

#[test]
fn a_damaged_reply_names_its_message_and_attribute() {
    // The vxlan capture with IFLA_VXLAN_PORT (a __be16) cut to one byte
    // inside IFLA_LINKINFO: the error is the link message's, in attribute
    // IFLA_LINKINFO, and nl-wire says which inner attribute and where.
    let mut bytes = replies("link_vxlan").remove(0);
    let (msg, _) = Msg::parse(&bytes).unwrap();
    fn find(attrs: nl_wire::Attrs<'_>, ty: u16) -> Option<nl_wire::Attr<'_>> {
        attrs.map(Result::unwrap).find(|a| a.ty() == ty)
    }
    let info = find(
        msg.attrs::<nl_route::uapi::types::IfInfoMsg>(),
        nl_route::uapi::if_link::IFLA_LINKINFO,
    )
    .unwrap();
    let data = find(info.nested(), nl_route::uapi::if_link::IFLA_INFO_DATA).unwrap();
    let port = find(data.nested(), nl_route::uapi::if_link::IFLA_VXLAN_PORT)
        .unwrap()
        .offset();
    assert_eq!(
        &bytes[port..port + 4],
        &[6, 0, 15, 0],
        "nla_len 6, IFLA_VXLAN_PORT"
    );
    // nla_len 6 becomes 5: a one-byte port (the padding keeps the next
    // attribute where it was).
    bytes[port] = 5;
    let err = Link::parse(&Msg::parse(&bytes).unwrap().0).unwrap_err();
    let nl_route::Error::Wire {
        msg_type,
        attr,
        source,
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(msg_type, RTM_NEWLINK);
    assert_eq!(attr, Some(nl_route::uapi::if_link::IFLA_LINKINFO));
    assert!(
        matches!(source, nl_wire::Error::PayloadLen { ty, need: 2, have: 1, offset } if ty == nl_route::uapi::if_link::IFLA_VXLAN_PORT && offset == port),
        "{source:?}"
    );
}

// ---- Kinds this host lacks, captured in the VM tier (Debian 6.12) --------

/// The one link of a capture taken in the VM tier (its MTU is the kind's).
fn vm_link(name: &str) -> Link {
    let mut links = parsed(name, Link::parse);
    assert_eq!(links.len(), 1, "{name}");
    let link = links.remove(0);
    assert_eq!(link.name, "fx0");
    assert!(link.index > 0 && link.mtu.is_some(), "{link:?}");
    link
}

#[test]
fn link_dummy_vrf_and_bond() {
    assert_eq!(vm_link("link_dummy").kind, Some(LinkKind::Dummy));
    // ip link add fx0 type vrf table 10
    let Some(LinkKind::Vrf(v)) = vm_link("link_vrf").kind else {
        panic!("not a vrf")
    };
    assert_eq!(v.table, Some(10));
    // ip link add fx0 type bond mode active-backup miimon 100
    let Some(LinkKind::Bond(b)) = vm_link("link_bond").kind else {
        panic!("not a bond")
    };
    assert_eq!(
        (b.mode, b.miimon),
        (Some(nl_route::kind::BondMode::ActiveBackup), Some(100))
    );
}

#[test]
fn link_vlan_on_a_veth() {
    // ip link add link fxl name fx0 type vlan id 5
    let l = vm_link("link_vlan");
    let Some(LinkKind::Vlan(v)) = &l.kind else {
        panic!("not a vlan")
    };
    assert_eq!(v.id, Some(5));
    assert_eq!(v.protocol, Some(nl_route::kind::VlanProtocol::Dot1Q));
    assert!(l.parent.is_some_and(|p| p != l.index), "the lower device");
    assert_eq!(l.mtu, Some(1500));
}

#[test]
fn link_gretap_and_geneve() {
    // ip link add fx0 type gretap local 192.0.2.1 remote 198.51.100.1 key 7
    let Some(LinkKind::GreTap(g)) = vm_link("link_gretap").kind else {
        panic!("not a gretap")
    };
    assert_eq!(g.local, Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))));
    assert_eq!(g.remote, Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1))));
    assert_eq!((g.ikey, g.okey), (Some(7), Some(7)));
    // ip link add fx0 type geneve id 9 remote 198.51.100.1
    let Some(LinkKind::Geneve(g)) = vm_link("link_geneve").kind else {
        panic!("not a geneve")
    };
    assert_eq!(g.id, Some(9));
    assert_eq!(g.remote, Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1))));
    assert_eq!(g.port, Some(6081), "the IANA port when none is given");
}

#[test]
fn link_macsec_and_gtp() {
    // ip link add link fxl name fx0 type macsec port 11 encrypt on
    let l = vm_link("link_macsec");
    let Some(LinkKind::Macsec(m)) = &l.kind else {
        panic!("not a macsec")
    };
    // The kernel reports the port only inside the SCI (MAC, then port).
    assert_eq!((m.port, m.encrypt, m.icv_len), (None, Some(true), Some(16)));
    assert_eq!(
        m.sci.map(|sci| sci & 0xffff),
        Some(11),
        "the port ends the SCI"
    );
    assert!(l.parent.is_some());
    // ip link add fx0 type gtp role sgsn
    let Some(LinkKind::Gtp(g)) = vm_link("link_gtp").kind else {
        panic!("not a gtp")
    };
    assert_eq!(g.role, Some(nl_route::kind::GtpRole::Sgsn));
}

#[test]
fn qdiscs_fq_codel_and_prio() {
    // tc qdisc add dev fx0 root handle 5: fq_codel limit 1000 target 5ms
    let q = qdisc("qdisc_fq_codel", TcHandle::new(5, 0));
    let QdiscKind::FqCodel(f) = q.kind else {
        panic!("{q:?}")
    };
    // The kernel keeps times in 1024 ns units: 5 ms reads back as 4999 µs.
    assert_eq!((f.limit, f.target), (Some(1000), Some(4999)));
    // tc qdisc add dev fx0 root handle 6: prio bands 4
    let q = qdisc("qdisc_prio", TcHandle::new(6, 0));
    let QdiscKind::Prio(p) = q.kind else {
        panic!("{q:?}")
    };
    assert_eq!(p.bands, 4);
    assert_eq!(q.parent, TcHandle::ROOT);
}

#[test]
fn filter_matchall_with_a_mirror() {
    // tc filter add dev fx0 ingress prio 1 matchall action mirred ingress
    //   mirror dev fx1
    let entries = parsed("filter_matchall", FilterEntry::parse);
    let f = entries.iter().find_map(FilterEntry::as_filter).unwrap();
    let FilterKind::Matchall(m) = &f.kind else {
        panic!("{f:?}")
    };
    assert_eq!(f.priority, 1);
    assert!(matches!(
        m.actions[0].kind,
        ActionKind::Mirred(Mirred {
            action: MirredAction::IngressMirror,
            ifindex
        }) if ifindex > 0
    ));
}

#[test]
fn actions_gact_and_police() {
    // tc actions add action gact drop random determ pass 10 index 43
    let tables = parsed("action_gact", Action::parse_msg);
    let a = &tables[0][0];
    let ActionKind::Gact(g) = &a.kind else {
        panic!("{a:?}")
    };
    assert_eq!((a.index, a.verdict), (43, Verdict::Drop));
    assert_eq!(
        g.random.map(|(_, val, v)| (val, v)),
        Some((10, Verdict::Ok))
    );
    // tc actions add action police rate 1mbit burst 10k
    //   conform-exceed drop/pipe index 44
    let tables = parsed("action_police", Action::parse_msg);
    let a = &tables[0][0];
    let ActionKind::Police(p) = &a.kind else {
        panic!("{a:?}")
    };
    assert_eq!((a.index, a.verdict), (44, Verdict::Drop));
    assert_eq!(p.rate, Rate::mbit(1));
    assert_eq!(p.conform, Some(Verdict::Pipe));
}
