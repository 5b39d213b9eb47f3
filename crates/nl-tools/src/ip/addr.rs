//! `ip addr show | add | del | replace | flush`.

use std::io::Write;

use anyhow::{Context, Result, bail};
use netlink::{Addr, AddrFlags, Scope};

use super::Ip;
use crate::args::{Args, dev_only, is_list, lifetime, matches};
use crate::{json, text};

/// `ip addr COMMAND ...`.
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    match cmd {
        c if is_list(c) => show(ip, args, out),
        c if matches(c, "add", 1) => change(ip, args, Op::Add),
        c if matches(c, "replace", 3) || c == "change" => change(ip, args, Op::Replace),
        c if matches(c, "delete", 1) => change(ip, args, Op::Del),
        c if matches(c, "flush", 1) => flush(ip, args),
        "help" => {
            writeln!(
                out,
                "Usage: ip addr {{ show [dev X] | add|del|replace PREFIX [peer P] [brd B|+] [label L] [scope S] [valid_lft N] [preferred_lft N] [noprefixroute] [nodad] dev X | flush dev X }}"
            )?;
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip addr help\"."),
    }
}

fn show(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let mut dev = None;
    let mut up = false;
    while let Some(w) = args.next() {
        match w {
            "up" => up = true,
            "dev" if dev.is_none() => dev = Some(args.value("dev")?),
            other if dev.is_none() => dev = Some(other),
            other => return Err(crate::args::garbage(other)),
        }
    }
    let (h, opts) = (ip.h, &ip.opts);
    let links = h.link_list()?;
    let names = super::link::names(&links);
    let addrs = h.addr_list(None, opts.family)?;
    let shown: Vec<_> = match dev {
        Some(d) => vec![h.link_by_name(d)?],
        None => links,
    };
    let shown: Vec<_> = shown
        .into_iter()
        .filter(|l| !up || l.flags.contains(netlink::LinkFlags::UP))
        .collect();
    let netns = super::netns_names_for(ip, shown.iter());
    let mut listing = Vec::new();
    for l in &shown {
        let mine: Vec<&Addr> = addrs.iter().filter(|a| a.index == l.index).collect();
        if opts.family != 0 && mine.is_empty() {
            continue;
        }
        if opts.json {
            listing.push(json::addr_show(l, &mine, &names));
            continue;
        }
        let text = l
            .text(&names)
            .details(opts.details)
            .in_addr(true)
            .netns_names(&netns);
        if opts.brief {
            write!(out, "{}", text.brief(true))?;
            for a in mine {
                text::addr_brief(out, a)?;
            }
            writeln!(out)?;
        } else if opts.oneline {
            // ip -o addr: one line per address, after the link's index and name.
            for a in mine {
                let mut lines = Vec::new();
                text::addr(&mut lines, a, &l.name)?;
                let lines = String::from_utf8_lossy(&lines);
                let lines = lines.trim_end_matches('\n').replace('\n', "\\");
                writeln!(out, "{}: {}{lines}", l.index, l.name)?;
            }
        } else {
            writeln!(out, "{}", text.hw_line(opts.family == 0))?;
            for a in mine {
                text::addr(out, a, &l.name)?;
            }
            if opts.stats {
                if let Some(s) = &l.stats {
                    let mut t = String::new();
                    netlink::nl_route::text::write_link_stats(
                        &mut t,
                        s,
                        l.carrier_changes,
                        opts.stats_level > 1,
                    )?;
                    writeln!(out, "{t}")?;
                }
            }
        }
    }
    if opts.json {
        ip.print_json(out, &serde_json::Value::Array(listing))?;
    }
    Ok(())
}

enum Op {
    Add,
    Replace,
    Del,
}

fn change(ip: &Ip<'_>, mut args: Args<'_>, op: Op) -> Result<()> {
    let mut addr: Option<Addr> = None;
    let mut dev = None;
    let mut peer = None;
    let mut brd = None;
    let mut label = None;
    let mut scope = None;
    let mut flags = AddrFlags::empty();
    let (mut valid, mut preferred, mut metric, mut proto) = (None, None, None, None);
    while let Some(w) = args.next() {
        match w {
            "dev" => dev = Some(args.value("dev")?),
            "peer" | "remote" => peer = Some(args.value(w)?),
            "broadcast" | "brd" => brd = Some(args.value(w)?),
            "label" => label = Some(args.value("label")?.to_string()),
            "scope" => scope = Some(args.parse::<Scope>("scope")?),
            "valid_lft" => valid = Some(lifetime(args.value(w)?)?),
            "preferred_lft" => preferred = Some(lifetime(args.value(w)?)?),
            "metric" | "priority" => metric = Some(args.parse::<u32>(w)?),
            "proto" => proto = Some(args.parse::<u8>(w)?),
            "noprefixroute" => flags |= AddrFlags::NOPREFIXROUTE,
            "nodad" => flags |= AddrFlags::NODAD,
            "home" => flags |= AddrFlags::HOMEADDRESS,
            "mngtmpaddr" => flags |= AddrFlags::MANAGETEMPADDR,
            "optimistic" => flags |= AddrFlags::OPTIMISTIC,
            "autojoin" => flags |= AddrFlags::MCAUTOJOIN,
            "local" if addr.is_none() => addr = Some(args.value("local")?.parse()?),
            other if addr.is_some() => return Err(crate::args::garbage(other)),
            other => {
                addr = Some(
                    other
                        .parse()
                        .with_context(|| format!("invalid address \"{other}\""))?,
                )
            }
        }
    }
    let mut addr = addr.context("an address is required")?;
    let dev = dev.context("\"dev\" is required")?;
    if let Some(p) = peer {
        let net: Addr = p.parse()?;
        addr.peer = Some(net.ip());
        if p.contains('/') {
            addr.prefix = ipnet::IpNet::new(addr.ip(), net.prefix.prefix_len())?;
        }
    }
    match brd {
        Some("+") => addr.broadcast = addr.computed_broadcast(),
        Some("-") | None => {}
        Some(b) => addr.broadcast = Some(b.parse()?),
    }
    addr.label = label;
    if let Some(s) = scope {
        addr.scope = s;
    } else if addr.ip().is_loopback() {
        addr.scope = Scope::Host;
    }
    addr.flags = flags;
    addr.valid_lft = valid;
    addr.preferred_lft = preferred;
    addr.metric = metric;
    addr.protocol = proto;
    let dev = ip.link_index(dev)?;
    match op {
        Op::Add => ip.h.addr_add(dev, &addr)?,
        Op::Replace => ip.h.addr_replace(dev, &addr)?,
        Op::Del => ip.h.addr_del(dev, &addr)?,
    }
    Ok(())
}

fn flush(ip: &Ip<'_>, mut args: Args<'_>) -> Result<()> {
    let dev = dev_only(&mut args)?;
    let dev = ip.link_index(dev.context("\"dev\" is required")?)?;
    for a in ip.h.addr_list(Some(dev.into()), ip.opts.family)? {
        ip.h.addr_del(dev, &a)?;
    }
    Ok(())
}
