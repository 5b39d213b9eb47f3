//! `ip addr show | add | del | replace | flush`.

use anyhow::{Context, Result, bail};
use netlink::{Addr, AddrFlags, Handle, Scope};

use crate::args::{Args, lifetime, matches};
use crate::link::names;
use crate::{Opts, json, text};

pub fn run(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let cmd = args.next().unwrap_or_else(|| "show".into());
    match cmd.as_str() {
        c if matches(c, "show", 1) || matches(c, "list", 1) || c == "lst" => show(h, opts, args),
        c if matches(c, "add", 1) => change(h, args, Op::Add),
        c if matches(c, "replace", 3) || c == "change" => change(h, args, Op::Replace),
        c if matches(c, "delete", 1) => change(h, args, Op::Del),
        c if matches(c, "flush", 1) => flush(h, opts, args),
        "help" => {
            println!(
                "Usage: ip addr {{ show [dev X] | add|del|replace PREFIX [peer P] [brd B|+] [label L] [scope S] [valid_lft N] [preferred_lft N] [noprefixroute] [nodad] dev X | flush dev X }}"
            );
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip addr help\"."),
    }
}

fn show(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let mut dev = None;
    while let Some(w) = args.next() {
        match w.as_str() {
            "dev" => dev = Some(args.value("dev")?),
            other => dev = Some(other.to_string()),
        }
    }
    let links = h.link_list()?;
    let names = names(&links);
    let addrs = h.addr_list(None, opts.family)?;
    let shown: Vec<_> = match &dev {
        Some(d) => vec![h.link_by_name(d)?],
        None => links,
    };
    let mut out = Vec::new();
    for l in &shown {
        let mine: Vec<&Addr> = addrs.iter().filter(|a| a.index == l.index).collect();
        if opts.family != 0 && mine.is_empty() {
            continue;
        }
        if opts.json {
            out.push(json::addr_show(l, &mine, &names));
        } else {
            println!("{}", text::link(l, &names, opts.details, true));
            for a in mine {
                println!("{}", text::addr(a, &l.name));
            }
        }
    }
    if opts.json {
        println!("{}", serde_json::to_string(&out)?);
    }
    Ok(())
}

enum Op {
    Add,
    Replace,
    Del,
}

fn change(h: &Handle, mut args: Args, op: Op) -> Result<()> {
    let mut addr: Option<Addr> = None;
    let mut dev = None;
    let mut peer = None;
    let mut brd = None;
    let mut label = None;
    let mut scope = None;
    let mut flags = AddrFlags::empty();
    let (mut valid, mut preferred, mut metric, mut proto) = (None, None, None, None);
    while let Some(w) = args.next() {
        match w.as_str() {
            "dev" => dev = Some(args.value("dev")?),
            "peer" | "remote" => peer = Some(args.value(&w)?),
            "broadcast" | "brd" => brd = Some(args.value(&w)?),
            "label" => label = Some(args.value("label")?),
            "scope" => scope = Some(args.parse::<Scope>("scope")?),
            "valid_lft" => valid = Some(lifetime(&args.value(&w)?)?),
            "preferred_lft" => preferred = Some(lifetime(&args.value(&w)?)?),
            "metric" | "priority" => metric = Some(args.parse::<u32>(&w)?),
            "proto" => proto = Some(args.parse::<u8>(&w)?),
            "noprefixroute" => flags |= AddrFlags::NOPREFIXROUTE,
            "nodad" => flags |= AddrFlags::NODAD,
            "home" => flags |= AddrFlags::HOMEADDRESS,
            "mngtmpaddr" => flags |= AddrFlags::MANAGETEMPADDR,
            "optimistic" => flags |= AddrFlags::OPTIMISTIC,
            "autojoin" => flags |= AddrFlags::MCAUTOJOIN,
            "local" => addr = Some(args.value("local")?.parse()?),
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
    match brd.as_deref() {
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
    match op {
        Op::Add => h.addr_add(dev.as_str(), &addr)?,
        Op::Replace => h.addr_replace(dev.as_str(), &addr)?,
        Op::Del => h.addr_del(dev.as_str(), &addr)?,
    }
    Ok(())
}

fn flush(h: &Handle, opts: &Opts, mut args: Args) -> Result<()> {
    let mut dev = None;
    while let Some(w) = args.next() {
        match w.as_str() {
            "dev" => dev = Some(args.value("dev")?),
            other => dev = Some(other.to_string()),
        }
    }
    let dev = dev.context("\"dev\" is required")?;
    for a in h.addr_list(Some(dev.as_str().into()), opts.family)? {
        h.addr_del(dev.as_str(), &a)?;
    }
    Ok(())
}
