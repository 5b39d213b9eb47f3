//! `ip link show | add | set | del`.

use anyhow::{Context, Result, bail};
use netlink::nl_route::kind::{Bridge, Macvlan, MacvlanMode, PortRange, Veth, Vxlan};
use netlink::{Handle, HwAddr, Link, LinkDump, LinkId, LinkKind, LinkSet, Netns};

use crate::args::{Args, matches};
use crate::json::{self, Names};
use crate::{Opts, text};

pub fn names(links: &[Link]) -> Names {
    links
        .iter()
        .map(|l| (l.index, (l.name.clone(), l.flags)))
        .collect()
}

pub fn run(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let cmd = args.next().unwrap_or_else(|| "show".into());
    match cmd.as_str() {
        c if matches(c, "show", 1) || matches(c, "list", 1) || c == "lst" => show(h, opts, args),
        c if matches(c, "add", 1) => add(h, args),
        c if matches(c, "set", 1) || c == "change" => set(h, args),
        c if matches(c, "delete", 1) => del(h, args),
        "help" => {
            println!(
                "Usage: ip link {{ show [dev X] [type T] [master M] | add NAME type veth|bridge|vxlan|macvlan|macvtap|ifb ... | set dev X ... | del dev X }}"
            );
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip link help\"."),
    }
}

fn show(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let mut dev = None;
    let mut filter = LinkDump::default();
    while let Some(w) = args.next() {
        match w.as_str() {
            "dev" => dev = Some(args.value("dev")?),
            "type" => filter.kind = Some(args.value("type")?),
            "master" => filter.master = Some(h.link_index(args.value("master")?.as_str())?),
            "up" => {}
            other => dev = Some(other.to_string()),
        }
    }
    let all = h.link_list()?;
    let names = names(&all);
    let shown: Vec<Link> = match &dev {
        Some(d) => vec![h.link_by_name(d)?],
        None => all.into_iter().filter(|l| filter.matches(l)).collect(),
    };
    if opts.json {
        let v: Vec<_> = shown
            .iter()
            .map(|l| json::link(l, &names, opts.details, opts.stats))
            .collect();
        println!("{}", serde_json::to_string(&v)?);
    } else {
        for l in &shown {
            println!("{}", text::link(l, &names, opts.details, false));
        }
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
        "alias" => l.alias = Some(args.value("alias")?),
        "group" => l.group = Some(args.parse("group")?),
        "netns" => l.netns = Some(netns_arg(&args.value("netns")?)?),
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

fn add(h: &Handle, mut args: Args) -> Result<()> {
    let mut link = Link::default();
    let mut kind = None;
    while let Some(w) = args.next() {
        if common(&mut link, &w, &mut args)? {
            continue;
        }
        match w.as_str() {
            "link" => link.parent = Some(h.link_index(args.value("link")?.as_str())?),
            "name" | "dev" => link.name = args.value("name")?,
            "type" => {
                kind = Some(args.value("type")?);
                break;
            }
            other => link.name = other.to_string(),
        }
    }
    let kind = kind.context("\"type\" is required")?;
    link.kind = Some(kind_args(h, &kind, &mut args)?);
    if !args.is_empty() {
        bail!("unexpected arguments: {}", args.rest().join(" "));
    }
    h.link_add(&link)?;
    Ok(())
}

fn kind_args(h: &Handle, kind: &str, args: &mut Args) -> Result<LinkKind> {
    Ok(match kind {
        "veth" => {
            let mut peer = Link::default();
            if args.peek() == Some("peer") {
                args.next();
                while let Some(w) = args.next() {
                    if common(&mut peer, &w, args)? {
                        continue;
                    }
                    match w.as_str() {
                        "name" => peer.name = args.value("name")?,
                        other => peer.name = other.to_string(),
                    }
                }
            }
            LinkKind::Veth(if peer == Link::default() {
                Veth::default()
            } else {
                Veth::with_peer(peer)
            })
        }
        "bridge" => {
            let mut b = Bridge::default();
            while let Some(w) = args.next() {
                match w.as_str() {
                    "forward_delay" => b.forward_delay = Some(args.parse(&w)?),
                    "hello_time" => b.hello_time = Some(args.parse(&w)?),
                    "max_age" => b.max_age = Some(args.parse(&w)?),
                    "ageing_time" => b.ageing_time = Some(args.parse(&w)?),
                    "stp_state" => b.stp_state = Some(args.parse(&w)?),
                    "priority" => b.priority = Some(args.parse(&w)?),
                    "vlan_filtering" => b.vlan_filtering = Some(args.parse::<u8>(&w)? != 0),
                    "vlan_protocol" => {
                        b.vlan_protocol = Some(match args.value(&w)?.as_str() {
                            "802.1Q" | "802.1q" => 0x8100,
                            "802.1ad" => 0x88a8,
                            other => bail!("invalid vlan_protocol \"{other}\""),
                        })
                    }
                    "vlan_default_pvid" => b.vlan_default_pvid = Some(args.parse(&w)?),
                    "group_fwd_mask" => b.group_fwd_mask = Some(parse_u16(&args.value(&w)?)?),
                    "group_address" => b.group_addr = Some(args.parse(&w)?),
                    "mcast_snooping" => b.mcast_snooping = Some(args.parse::<u8>(&w)? != 0),
                    "mcast_querier" => b.mcast_querier = Some(args.parse::<u8>(&w)? != 0),
                    "mcast_router" => b.mcast_router = Some(args.parse(&w)?),
                    "mcast_hash_max" => b.mcast_hash_max = Some(args.parse(&w)?),
                    "mcast_igmp_version" => b.mcast_igmp_version = Some(args.parse(&w)?),
                    "mcast_mld_version" => b.mcast_mld_version = Some(args.parse(&w)?),
                    "nf_call_iptables" => b.nf_call_iptables = Some(args.parse::<u8>(&w)? != 0),
                    other => bail!("unknown bridge option \"{other}\""),
                }
            }
            LinkKind::Bridge(b)
        }
        "vxlan" => {
            let mut v = Vxlan::default();
            while let Some(w) = args.next() {
                match w.as_str() {
                    "id" | "vni" => v.id = Some(args.parse(&w)?),
                    "remote" | "group" => v.group = Some(args.parse(&w)?),
                    "local" => v.local = Some(args.parse(&w)?),
                    "dev" => v.link = Some(h.link_index(args.value("dev")?.as_str())?),
                    "ttl" | "hoplimit" => match args.value(&w)?.as_str() {
                        "inherit" => v.ttl_inherit = Some(true),
                        "auto" => v.ttl = Some(0),
                        n => v.ttl = Some(n.parse()?),
                    },
                    "tos" | "dsfield" => match args.value(&w)?.as_str() {
                        "inherit" => v.tos = Some(1),
                        n => v.tos = Some(u8::from_str_radix(n.trim_start_matches("0x"), 16)?),
                    },
                    "dstport" => v.port = Some(args.parse(&w)?),
                    "srcport" => {
                        v.port_range = Some(PortRange {
                            low: args.parse(&w)?,
                            high: args.parse(&w)?,
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
                    "ageing" => v.ageing = Some(args.parse(&w)?),
                    "maxaddress" => v.limit = Some(args.parse(&w)?),
                    "df" => {
                        v.df = Some(match args.value(&w)?.as_str() {
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
                match w.as_str() {
                    "mode" => m.mode = Some(args.value("mode")?.parse::<MacvlanMode>()?),
                    "nopromisc" => m.flags = Some(m.flags.unwrap_or(0) | 1),
                    "bcqueuelen" => m.bc_queue_len = Some(args.parse(&w)?),
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
        other => bail!("link type \"{other}\" is not supported by this example"),
    })
}

fn parse_u16(s: &str) -> Result<u16> {
    Ok(match s.strip_prefix("0x") {
        Some(hex) => u16::from_str_radix(hex, 16)?,
        None => s.parse()?,
    })
}

fn set(h: &Handle, mut args: Args) -> Result<()> {
    let mut dev = None;
    let mut change = Vec::<Box<dyn FnOnce(LinkSet) -> LinkSet>>::new();
    let mut master = None;
    while let Some(w) = args.next() {
        match w.as_str() {
            "dev" => dev = Some(args.value("dev")?),
            "up" => change.push(Box::new(LinkSet::up)),
            "down" => change.push(Box::new(LinkSet::down)),
            "mtu" => {
                let v: u32 = args.parse("mtu")?;
                change.push(Box::new(move |s| s.mtu(v)));
            }
            "name" => {
                let v = args.value("name")?;
                change.push(Box::new(move |s| s.name(v)));
            }
            "address" => {
                let v: HwAddr = args.parse("address")?;
                change.push(Box::new(move |s| s.address(v)));
            }
            "master" => master = Some(args.value("master")?),
            "nomaster" => change.push(Box::new(LinkSet::nomaster)),
            "promisc" => {
                let on = args.on_off(&w)?;
                change.push(Box::new(move |s| s.promisc(on)));
            }
            "allmulticast" | "allmulti" => {
                let on = args.on_off(&w)?;
                change.push(Box::new(move |s| s.allmulti(on)));
            }
            "arp" => {
                let on = args.on_off(&w)?;
                change.push(Box::new(move |s| s.arp(on)));
            }
            "multicast" => {
                let on = args.on_off(&w)?;
                change.push(Box::new(move |s| s.multicast(on)));
            }
            "txqueuelen" | "txqlen" | "qlen" => {
                let v: u32 = args.parse(&w)?;
                change.push(Box::new(move |s| s.txqlen(v)));
            }
            "alias" => {
                let v = args.value("alias")?;
                change.push(Box::new(move |s| s.alias(v)));
            }
            "group" => {
                let v: u32 = args.parse("group")?;
                change.push(Box::new(move |s| s.group(v)));
            }
            "netns" => {
                let ns = netns_arg(&args.value("netns")?)?;
                change.push(Box::new(move |s| s.netns(ns)));
            }
            "addrgenmode" => {
                let m: netlink::nl_route::AddrGenMode = args.parse("addrgenmode")?;
                change.push(Box::new(move |s| s.addr_gen_mode(m)));
            }
            other if dev.is_none() => dev = Some(other.to_string()),
            other => bail!("unknown link setting \"{other}\""),
        }
    }
    let dev = dev.context("\"dev\" is required")?;
    // By index, so a rename and other changes go in one request.
    let index = h.link_index(dev.as_str())?;
    let mut s = LinkSet::new(LinkId::Index(index));
    if let Some(m) = master {
        s = s.master(h.link_index(m.as_str())?);
    }
    for f in change {
        s = f(s);
    }
    h.link_set(&s)?;
    Ok(())
}

fn del(h: &Handle, mut args: Args) -> Result<()> {
    let mut dev = None;
    while let Some(w) = args.next() {
        match w.as_str() {
            "dev" => dev = Some(args.value("dev")?),
            "type" => {
                args.next();
            }
            other => dev = Some(other.to_string()),
        }
    }
    h.link_del(dev.context("\"dev\" is required")?.as_str())?;
    Ok(())
}
