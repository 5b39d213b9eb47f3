//! `ip link show | add | set | del`.

use std::io::Write;

use anyhow::{Context, Result, bail};
use netlink::nl_route::kind::{Bridge, Macvlan, MacvlanMode, PortRange, Veth, Vxlan};
use netlink::nl_route::uapi::if_ether::{ETH_P_8021AD, ETH_P_8021Q};
use netlink::{HwAddr, Link, LinkDump, LinkFlags, LinkId, LinkKind, LinkSet, Netns, VfSettings};

use super::Ip;
use crate::args::{Args, garbage, is_list, matches};
use crate::json::{self, Names};

/// Index → name and flags of `links`.
pub fn names(links: &[Link]) -> Names {
    links
        .iter()
        .map(|l| (l.index, (l.name.clone(), l.flags)))
        .collect()
}

/// `ip link COMMAND ...`.
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    let changed = match cmd {
        c if is_list(c) => {
            return show(ip, args, out);
        }
        c if matches(c, "add", 1) => add(ip, args),
        c if matches(c, "set", 1) || c == "change" => set(ip, args),
        c if matches(c, "delete", 1) => del(ip, args),
        "help" => {
            writeln!(
                out,
                "Usage: ip link {{ show [dev X] [up] [type T] [master M] | add NAME type veth|bridge|vxlan|macvlan|macvtap|ifb|dummy|vti|vti6|bareudp|ipoib|vcan|vxcan|team|hsr|amt|nlmon|virt_wifi|batadv|wwan|rmnet|dsa|vsockmon|lowpan ... | set dev X ... | del dev X [type T] }}"
            )?;
            return Ok(());
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip link help\"."),
    };
    // Names may now point elsewhere (or nowhere): look them up again.
    ip.forget_links();
    changed
}

fn show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let mut dev = None;
    let mut up = false;
    let mut filter = LinkDump::default();
    while let Some(w) = args.next() {
        match w {
            "dev" => dev = Some(args.value("dev")?),
            "type" => filter.kind = Some(args.value("type")?.to_string()),
            "master" => filter.master = Some(ip.link_index(args.value("master")?)?),
            "up" => up = true,
            other if dev.is_none() => dev = Some(other),
            other => return Err(garbage(other)),
        }
    }
    let all = ip.h.link_list()?;
    let names = names(&all);
    let shown: Vec<Link> = match dev {
        Some(d) => vec![ip.h.link_by_name(d)?],
        None => all.into_iter().filter(|l| filter.matches(l)).collect(),
    };
    let shown = shown
        .iter()
        .filter(|l| !up || l.flags.contains(LinkFlags::UP));
    let opts = &ip.opts;
    if opts.json {
        let v: Vec<_> = shown
            .map(|l| json::link(l, &names, opts.details, opts.stats))
            .collect();
        ip.print_json(out, &serde_json::Value::Array(v))?;
        return Ok(());
    }
    let shown: Vec<&Link> = shown.collect();
    let netns = super::netns_names_for(ip, shown.iter().copied());
    for l in shown {
        let text = l
            .text(&names)
            .details(opts.details)
            .stats(opts.stats_level)
            .brief(opts.brief)
            .netns_names(&netns)
            .hw_line(opts.family == 0);
        super::print_entry(out, &text, opts.oneline)?;
    }
    Ok(())
}

/// Settings common to `add` and to a veth peer: `mtu`, `address` ...
/// Returns false when `w` is not one of them.
fn common(l: &mut Link, w: &str, args: &mut Args) -> Result<bool> {
    match w {
        "mtu" => l.mtu = Some(args.parse("mtu")?),
        "address" => l.address = Some(args.parse::<HwAddr>("address")?),
        "broadcast" | "brd" => l.broadcast = Some(args.parse::<HwAddr>("broadcast")?),
        "txqueuelen" | "txqlen" | "qlen" => l.txqlen = Some(args.parse("txqueuelen")?),
        "numtxqueues" => l.num_tx_queues = Some(args.parse("numtxqueues")?),
        "numrxqueues" => l.num_rx_queues = Some(args.parse("numrxqueues")?),
        "alias" => l.alias = Some(args.value("alias")?.to_string()),
        "group" => l.group = Some(args.parse("group")?),
        "netns" => l.netns = Some(netns_arg(args.value("netns")?)?),
        _ => return Ok(false),
    }
    Ok(true)
}

fn netns_arg(v: &str) -> Result<Netns> {
    if let Ok(pid) = v.parse::<u32>() {
        return Ok(Netns::Pid(pid));
    }
    let file = std::fs::File::open(format!("/var/run/netns/{v}"))
        .with_context(|| format!("netns \"{v}\""))?;
    // The fd must stay open until the request is sent: leak it to the process.
    use std::os::fd::IntoRawFd;
    Ok(Netns::Fd(file.into_raw_fd()))
}

fn add(ip: &Ip<'_>, mut args: Args<'_>) -> Result<()> {
    let mut link = Link::default();
    let mut kind = None;
    while let Some(w) = args.next() {
        if common(&mut link, w, &mut args)? {
            continue;
        }
        match w {
            "link" => link.parent = Some(ip.link_index(args.value("link")?)?),
            "name" | "dev" => link.name = args.value("name")?.to_string(),
            "type" => {
                kind = Some(args.value("type")?);
                break;
            }
            other if link.name.is_empty() => link.name = other.to_string(),
            other => return Err(garbage(other)),
        }
    }
    let kind = kind.context("\"type\" is required")?;
    link.kind = Some(kind_args(ip, kind, &mut args)?);
    args.done()?;
    ip.h.link_add(&link)?;
    Ok(())
}

fn kind_args(ip: &Ip<'_>, kind: &str, args: &mut Args<'_>) -> Result<LinkKind> {
    Ok(match kind {
        "veth" | "vxcan" => {
            let mut peer = Link::default();
            if args.peek() == Some("peer") {
                args.next();
                while let Some(w) = args.next() {
                    if common(&mut peer, w, args)? {
                        continue;
                    }
                    match w {
                        "name" => peer.name = args.value("name")?.to_string(),
                        other if peer.name.is_empty() => peer.name = other.to_string(),
                        other => return Err(garbage(other)),
                    }
                }
            }
            let veth = if peer == Link::default() {
                Veth::default()
            } else {
                Veth::with_peer(peer)
            };
            if kind == "vxcan" {
                LinkKind::Vxcan(veth)
            } else {
                LinkKind::Veth(veth)
            }
        }
        "bridge" => {
            let mut b = Bridge::default();
            while let Some(w) = args.next() {
                match w {
                    "forward_delay" => b.forward_delay = Some(args.parse(w)?),
                    "hello_time" => b.hello_time = Some(args.parse(w)?),
                    "max_age" => b.max_age = Some(args.parse(w)?),
                    "ageing_time" => b.ageing_time = Some(args.parse(w)?),
                    "stp_state" => b.stp_state = Some(args.parse(w)?),
                    "priority" => b.priority = Some(args.parse(w)?),
                    "vlan_filtering" => b.vlan_filtering = Some(args.parse::<u8>(w)? != 0),
                    "vlan_protocol" => {
                        b.vlan_protocol = Some(match args.value(w)? {
                            "802.1Q" | "802.1q" => 0x8100,
                            "802.1ad" => 0x88a8,
                            other => bail!("invalid vlan_protocol \"{other}\""),
                        })
                    }
                    "vlan_default_pvid" => b.vlan_default_pvid = Some(args.parse(w)?),
                    "group_fwd_mask" => b.group_fwd_mask = Some(parse_u16(args.value(w)?)?),
                    "group_address" => b.group_addr = Some(args.parse(w)?),
                    "mcast_snooping" => b.mcast_snooping = Some(args.parse::<u8>(w)? != 0),
                    "mcast_querier" => b.mcast_querier = Some(args.parse::<u8>(w)? != 0),
                    "mcast_router" => b.mcast_router = Some(args.parse(w)?),
                    "mcast_hash_max" => b.mcast_hash_max = Some(args.parse(w)?),
                    "mcast_igmp_version" => b.mcast_igmp_version = Some(args.parse(w)?),
                    "mcast_mld_version" => b.mcast_mld_version = Some(args.parse(w)?),
                    "nf_call_iptables" => b.nf_call_iptables = Some(args.parse::<u8>(w)? != 0),
                    other => bail!("unknown bridge option \"{other}\""),
                }
            }
            LinkKind::Bridge(b)
        }
        "vxlan" => {
            let mut v = Vxlan::default();
            while let Some(w) = args.next() {
                match w {
                    "id" | "vni" => v.id = Some(args.parse(w)?),
                    "remote" | "group" => v.group = Some(args.parse(w)?),
                    "local" => v.local = Some(args.parse(w)?),
                    "dev" => v.link = Some(ip.link_index(args.value("dev")?)?),
                    "ttl" | "hoplimit" => match args.value(w)? {
                        "inherit" => v.ttl_inherit = Some(true),
                        "auto" => v.ttl = Some(0),
                        n => v.ttl = Some(n.parse()?),
                    },
                    "tos" | "dsfield" => match args.value(w)? {
                        "inherit" => v.tos = Some(1),
                        n => v.tos = Some(u8::from_str_radix(n.trim_start_matches("0x"), 16)?),
                    },
                    "dstport" => v.port = Some(args.parse(w)?),
                    "srcport" => {
                        v.port_range = Some(PortRange {
                            low: args.parse(w)?,
                            high: args.parse(w)?,
                        })
                    }
                    "learning" => v.learning = Some(true),
                    "nolearning" => v.learning = Some(false),
                    "proxy" => v.proxy = Some(true),
                    "rsc" => v.rsc = Some(true),
                    "l2miss" => v.l2miss = Some(true),
                    "l3miss" => v.l3miss = Some(true),
                    "udpcsum" => v.udp_csum = Some(true),
                    "noudpcsum" => v.udp_csum = Some(false),
                    "gbp" => v.gbp = Some(true),
                    "gpe" => v.gpe = Some(true),
                    "external" => v.collect_metadata = Some(true),
                    "ageing" => v.ageing = Some(args.parse(w)?),
                    "maxaddress" => v.limit = Some(args.parse(w)?),
                    "df" => {
                        v.df = Some(match args.value(w)? {
                            "unset" => 0,
                            "set" => 1,
                            "inherit" => 2,
                            other => bail!("invalid df \"{other}\""),
                        })
                    }
                    other => bail!("unknown vxlan option \"{other}\""),
                }
            }
            LinkKind::Vxlan(v)
        }
        "macvlan" | "macvtap" => {
            let mut m = Macvlan::default();
            while let Some(w) = args.next() {
                match w {
                    "mode" => m.mode = Some(args.value("mode")?.parse::<MacvlanMode>()?),
                    "nopromisc" => m.flags = Some(m.flags.unwrap_or(0) | 1),
                    "bcqueuelen" => m.bc_queue_len = Some(args.parse(w)?),
                    other => bail!("unknown {kind} option \"{other}\""),
                }
            }
            if kind == "macvtap" {
                LinkKind::Macvtap(m)
            } else {
                LinkKind::Macvlan(m)
            }
        }
        "ifb" => LinkKind::Ifb,
        "dummy" => LinkKind::Dummy,
        other => match super::link_kinds::kind_args(ip, other, args)? {
            Some(k) => k,
            None => bail!("link type \"{other}\" is not supported by this example"),
        },
    })
}

fn parse_u16(s: &str) -> Result<u16> {
    Ok(match s.strip_prefix("0x") {
        Some(hex) => u16::from_str_radix(hex, 16)?,
        None => s.parse()?,
    })
}

fn set(ip: &Ip<'_>, mut args: Args<'_>) -> Result<()> {
    let mut dev = None;
    let mut change = Vec::<Box<dyn FnOnce(LinkSet) -> LinkSet>>::new();
    let mut master = None;
    while let Some(w) = args.next() {
        match w {
            "dev" => dev = Some(args.value("dev")?),
            "up" => change.push(Box::new(LinkSet::up)),
            "down" => change.push(Box::new(LinkSet::down)),
            "mtu" => {
                let v: u32 = args.parse("mtu")?;
                change.push(Box::new(move |s| s.mtu(v)));
            }
            "name" => {
                let v = args.value("name")?.to_string();
                change.push(Box::new(move |s| s.name(v)));
            }
            "address" => {
                let v: HwAddr = args.parse("address")?;
                change.push(Box::new(move |s| s.address(v)));
            }
            "master" => master = Some(args.value("master")?),
            "nomaster" => change.push(Box::new(LinkSet::nomaster)),
            "promisc" => {
                let on = args.on_off(w)?;
                change.push(Box::new(move |s| s.promisc(on)));
            }
            "allmulticast" | "allmulti" => {
                let on = args.on_off(w)?;
                change.push(Box::new(move |s| s.allmulti(on)));
            }
            "arp" => {
                let on = args.on_off(w)?;
                change.push(Box::new(move |s| s.arp(on)));
            }
            "multicast" => {
                let on = args.on_off(w)?;
                change.push(Box::new(move |s| s.multicast(on)));
            }
            "txqueuelen" | "txqlen" | "qlen" => {
                let v: u32 = args.parse(w)?;
                change.push(Box::new(move |s| s.txqlen(v)));
            }
            "alias" => {
                let v = args.value("alias")?.to_string();
                change.push(Box::new(move |s| s.alias(v)));
            }
            "group" => {
                let v: u32 = args.parse("group")?;
                change.push(Box::new(move |s| s.group(v)));
            }
            "netns" => {
                let ns = netns_arg(args.value("netns")?)?;
                change.push(Box::new(move |s| s.netns(ns)));
            }
            "addrgenmode" => {
                let m: netlink::nl_route::AddrGenMode = args.parse("addrgenmode")?;
                change.push(Box::new(move |s| s.addr_gen_mode(m)));
            }
            "vf" => {
                let n: u32 = args.parse("vf")?;
                let settings = vf_settings(&mut args)?;
                change.push(Box::new(move |s| s.vf(n, settings)));
            }
            other if dev.is_none() => dev = Some(other),
            other => return Err(garbage(other)),
        }
    }
    let dev = dev.context("\"dev\" is required")?;
    // By index, so a rename and other changes go in one request.
    let index = ip.link_index(dev)?;
    let mut s = LinkSet::new(LinkId::Index(index));
    if let Some(m) = master {
        s = s.master(ip.link_index(m)?);
    }
    for f in change {
        s = f(s);
    }
    ip.h.link_set(&s)?;
    Ok(())
}

/// The words after `vf N` (ip's `iplink_parse_vf`), up to the first that
/// is not a VF setting.
fn vf_settings(args: &mut Args<'_>) -> Result<VfSettings> {
    let mut v = VfSettings::new();
    let guid = |s: &str| -> Result<u64> {
        let bytes: Vec<u8> = s
            .split(':')
            .map(|b| u8::from_str_radix(b, 16))
            .collect::<std::result::Result<_, _>>()
            .with_context(|| format!("invalid GUID \"{s}\""))?;
        let b: [u8; 8] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("invalid GUID \"{s}\": 8 bytes"))?;
        Ok(u64::from_be_bytes(b))
    };
    while let Some(w) = args.peek() {
        match w {
            "mac" | "vlan" | "rate" | "max_tx_rate" | "min_tx_rate" | "spoofchk" | "query_rss"
            | "state" | "trust" | "node_guid" | "port_guid" => {
                args.next();
            }
            _ => break,
        }
        match w {
            "mac" => v.mac = Some(args.parse("mac")?),
            "vlan" => {
                let vlan: u32 = args.parse("vlan")?;
                let mut qos = 0;
                let mut proto = None;
                loop {
                    if args.eat("qos") {
                        qos = args.parse("qos")?;
                    } else if args.eat("proto") {
                        proto = Some(match args.value("proto")? {
                            p if p.eq_ignore_ascii_case("802.1q") => ETH_P_8021Q,
                            p if p.eq_ignore_ascii_case("802.1ad") => ETH_P_8021AD,
                            p => bail!("invalid vlan protocol \"{p}\""),
                        });
                    } else {
                        break;
                    }
                }
                v.vlan = Some((vlan, qos, proto));
            }
            "rate" => v.tx_rate = Some(args.parse("rate")?),
            "max_tx_rate" => {
                let max = args.parse("max_tx_rate")?;
                v.rate = Some((v.rate.map_or(0, |r| r.0), max));
            }
            "min_tx_rate" => {
                let min = args.parse("min_tx_rate")?;
                v.rate = Some((min, v.rate.map_or(0, |r| r.1)));
            }
            "spoofchk" => v.spoofchk = Some(args.on_off(w)?),
            "query_rss" => v.rss_query = Some(args.on_off(w)?),
            "trust" => v.trust = Some(args.on_off(w)?),
            "state" => v.link_state = Some(args.parse("state")?),
            "node_guid" => v.node_guid = Some(guid(args.value(w)?)?),
            _ => v.port_guid = Some(guid(args.value(w)?)?),
        }
    }
    if v.is_empty() {
        bail!(
            "vf: nothing to change (mac, vlan, rate, max_tx_rate, min_tx_rate, spoofchk, query_rss, state, trust, node_guid, port_guid)"
        );
    }
    Ok(v)
}

fn del(ip: &Ip<'_>, mut args: Args<'_>) -> Result<()> {
    let mut dev = None;
    let mut kind = None;
    while let Some(w) = args.next() {
        match w {
            "dev" => dev = Some(args.value("dev")?),
            "type" => kind = Some(args.value("type")?),
            other if dev.is_none() => dev = Some(other),
            other => return Err(garbage(other)),
        }
    }
    let dev = dev.context("\"dev\" is required")?;
    if let Some(kind) = kind {
        // `del dev X type T` deletes X only if it is a T.
        let l = ip.h.link_by_name(dev)?;
        let actual = l.kind.as_ref().map(|k| k.name().to_string());
        if actual.as_deref() != Some(kind) {
            bail!("\"{dev}\" is not a {kind} link");
        }
    }
    ip.h.link_del(dev)?;
    Ok(())
}
