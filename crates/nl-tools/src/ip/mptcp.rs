//! `ip mptcp`: the MPTCP path manager's endpoints, limits and events.
//!
//! ```text
//! ip mptcp endpoint add ADDRESS [ dev NAME ] [ id ID ] [ port NR ] [ FLAG-LIST ]
//! ip mptcp endpoint delete id ID [ ADDRESS ]
//! ip mptcp endpoint change [ id ID ] [ ADDRESS ] [ port NR ] CHANGE-OPT
//! ip mptcp endpoint show [ id ID ] | flush
//! ip mptcp limits set [ subflows NR ] [ add_addr_accepted NR ] | show
//! ip mptcp monitor
//! ```
//!
//! Text and `-j` as iproute2 6.1 prints them; like `ip`, `-j` does not
//! change `limits show` (ip prints its text there too).

use std::io::Write;
use std::net::IpAddr;

use anyhow::{Result, bail};
use netlink::mptcp::{EVENTS_GROUP, Endpoint, EndpointFlags, FAMILY, Limits, MptcpEvent};
use netlink::nl_genl::uapi::mptcp::*;
use netlink::nl_genl::uapi::mptcp_pm::{MPTCP_EVENT_LISTENER_CLOSED, MPTCP_EVENT_LISTENER_CREATED};
use netlink::nl_wire::MsgBuilder;
use netlink::nl_wire::netlink::NLA_F_NESTED;
use serde_json::{Map, Value};

use super::Ip;
use crate::args::{Args, matches, number};

/// `ip mptcp`'s flag words and their bits, in the order it prints them
/// (iproute2 6.1: `implicit` is `rawflags 10`); the `no` words clear (a
/// value of 0).
const FLAG_WORDS: [(&str, u32); 6] = [
    ("signal", MPTCP_PM_ADDR_FLAG_SIGNAL),
    ("subflow", MPTCP_PM_ADDR_FLAG_SUBFLOW),
    ("backup", MPTCP_PM_ADDR_FLAG_BACKUP),
    ("fullmesh", MPTCP_PM_ADDR_FLAG_FULLMESH),
    ("nobackup", 0),
    ("nofullmesh", 0),
];

/// `ip mptcp ...` (the words after `mptcp`).
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let Some(w) = args.next() else {
        return usage(out);
    };
    match w {
        w if matches(w, "help", 1) => usage(out),
        w if matches(w, "endpoint", 1) => endpoint(ip, args, out),
        w if matches(w, "limits", 1) => limits(ip, args, out),
        w if matches(w, "monitor", 1) => {
            args.done()?;
            monitor(ip, out)
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip mptcp help\"."),
    }
}

fn usage(out: &mut dyn Write) -> Result<()> {
    out.write_all(
        b"Usage:\tip mptcp endpoint add ADDRESS [ dev NAME ] [ id ID ]\n\
          \t\t\t\t      [ port NR ] [ FLAG-LIST ]\n\
          \tip mptcp endpoint delete id ID [ ADDRESS ]\n\
          \tip mptcp endpoint change [ id ID ] [ ADDRESS ] [ port NR ] CHANGE-OPT\n\
          \tip mptcp endpoint show [ id ID ]\n\
          \tip mptcp endpoint flush\n\
          \tip mptcp limits set [ subflows NR ] [ add_addr_accepted NR ]\n\
          \tip mptcp limits show\n\
          \tip mptcp monitor\n\
          FLAG-LIST := [ FLAG-LIST ] FLAG\n\
          FLAG  := [ signal | subflow | backup | fullmesh ]\n\
          CHANGE-OPT := [ backup | nobackup | fullmesh | nofullmesh ]\n",
    )?;
    Ok(())
}

/// What an endpoint command does, as `ip mptcp` tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmd {
    Add,
    Delete,
    Change,
    Show,
}

/// The words of an endpoint command (iproute2's `mptcp_parse_opt`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Opts<'a> {
    id: Option<u8>,
    addr: Option<IpAddr>,
    port: u16,
    flags: u32,
    dev: Option<&'a str>,
}

/// `ip`'s `invarg`: the word and what is wrong with it.
fn invarg(what: &str, arg: &str) -> anyhow::Error {
    anyhow::anyhow!("argument \"{arg}\" is wrong: {what}")
}

fn parse_opts<'a>(cmd: Cmd, mut args: Args<'a>) -> Result<Opts<'a>> {
    let mut o = Opts::default();
    while let Some(w) = args.next() {
        if let Some((_, bit)) = FLAG_WORDS.iter().find(|(name, _)| *name == w) {
            o.flags |= bit;
            let both = MPTCP_PM_ADDR_FLAG_SIGNAL | MPTCP_PM_ADDR_FLAG_FULLMESH;
            if cmd == Cmd::Add && o.flags & both == both {
                return Err(invarg("flags mustn't have both signal and fullmesh", w));
            }
            // The kernel changes backup and fullmesh only.
            let changeable = MPTCP_PM_ADDR_FLAG_BACKUP | MPTCP_PM_ADDR_FLAG_FULLMESH;
            if cmd == Cmd::Change && o.flags & !changeable != 0 {
                return Err(invarg("invalid flags, backup and fullmesh only", w));
            }
        } else if matches(w, "id", 1) {
            let v = args.value("id")?;
            let id = number(v).ok().and_then(|n| u8::try_from(n).ok());
            o.id = Some(id.ok_or_else(|| invarg("invalid ID", v))?);
        } else if matches(w, "dev", 1) {
            let v = args.value("dev")?;
            if v.is_empty() || v.len() >= 16 || v.contains(['/', ' ']) {
                return Err(invarg("invalid interface name", v));
            }
            o.dev = Some(v);
        } else if matches(w, "port", 1) {
            let v = args.value("port")?;
            let port = number(v).ok().and_then(|n| u16::try_from(n).ok());
            o.port = port.ok_or_else(|| invarg("expected port", v))?;
        } else if let Ok(a) = w.parse::<IpAddr>() {
            o.addr = Some(a);
        } else {
            return Err(invarg("unknown argument", w));
        }
    }
    if o.addr.is_none() && cmd == Cmd::Add {
        bail!("argument \"ADDRESS\" is required");
    }
    match (cmd, o.id) {
        (Cmd::Delete, None) => bail!("argument \"ID\" is required"),
        (Cmd::Delete, Some(id)) if id != 0 && o.addr.is_some() => {
            return Err(invarg("invalid for non-zero id address", "ADDRESS"));
        }
        (Cmd::Delete, Some(0)) if o.addr.is_none() => {
            return Err(invarg("address is needed for deleting id 0 address", "ID"));
        }
        _ => {}
    }
    if cmd == Cmd::Add && o.port != 0 && o.flags & MPTCP_PM_ADDR_FLAG_SIGNAL == 0 {
        return Err(invarg("flags must have signal when using port", "port"));
    }
    if cmd == Cmd::Change && o.id.is_some() && o.port != 0 {
        return Err(invarg("port can't be used with id", "port"));
    }
    Ok(o)
}

/// Writes the address nest of `o` in iproute2's order.
fn put_opts(m: &mut MsgBuilder<'_>, o: &Opts<'_>, ifindex: u32) {
    m.nest(MPTCP_PM_ATTR_ADDR | NLA_F_NESTED, |m| {
        if let Some(id) = o.id {
            m.put_u8(MPTCP_PM_ADDR_ATTR_ID, id);
        }
        if o.flags != 0 {
            m.put_u32(MPTCP_PM_ADDR_ATTR_FLAGS, o.flags);
        }
        if ifindex != 0 {
            m.put_u32(MPTCP_PM_ADDR_ATTR_IF_IDX, ifindex);
        }
        if o.port != 0 {
            m.put_u16(MPTCP_PM_ADDR_ATTR_PORT, o.port);
        }
        match o.addr {
            Some(IpAddr::V4(a)) => {
                m.put_u16(MPTCP_PM_ADDR_ATTR_FAMILY, u16::from(netlink::AF_INET))
                    .put_ipv4(MPTCP_PM_ADDR_ATTR_ADDR4, a);
            }
            Some(IpAddr::V6(a)) => {
                m.put_u16(MPTCP_PM_ADDR_ATTR_FAMILY, u16::from(netlink::AF_INET6))
                    .put_ipv6(MPTCP_PM_ADDR_ATTR_ADDR6, a);
            }
            None => {}
        }
    });
}

/// `ip mptcp endpoint ...`.
fn endpoint(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let Some(w) = args.next() else {
        return show_all(ip, out);
    };
    let cmd = match w {
        w if matches(w, "add", 1) => Cmd::Add,
        w if matches(w, "change", 1) => Cmd::Change,
        w if matches(w, "delete", 1) => Cmd::Delete,
        w if matches(w, "show", 1) => {
            if args.is_empty() {
                return show_all(ip, out);
            }
            Cmd::Show
        }
        w if matches(w, "flush", 1) => {
            args.done()?;
            return Ok(ip.h.mptcp_endpoint_flush()?);
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip mptcp help\"."),
    };
    let o = parse_opts(cmd, args)?;
    let ifindex = match o.dev {
        Some(d) => ip
            .link_index(d)
            .map_err(|_| invarg("device does not exist", d))?,
        None => 0,
    };
    match (cmd, o.id, o.addr) {
        (Cmd::Add, _, Some(addr)) => {
            let e = Endpoint {
                id: o.id.unwrap_or(0),
                addr: Some(addr),
                port: (o.port != 0).then_some(o.port),
                flags: EndpointFlags::from_bits_retain(o.flags),
                ifindex: i32::try_from(ifindex).ok().filter(|&i| i != 0),
            };
            ip.h.mptcp_endpoint_add(&e)?;
        }
        (Cmd::Delete, Some(id), None) if ifindex == 0 && o.port == 0 => {
            ip.h.mptcp_endpoint_del(id)?;
        }
        (Cmd::Change, Some(id), None) if ifindex == 0 => {
            ip.h.mptcp_endpoint_change(id, EndpointFlags::from_bits_retain(o.flags))?;
        }
        (Cmd::Show, Some(id), None) if ifindex == 0 && o.port == 0 && o.flags == 0 => {
            let e = ip.h.mptcp_endpoint_get(id)?;
            print_endpoints(ip, &[e], out)?;
        }
        // What the facade's calls do not name (an endpoint by address,
        // a device or port with it): the request as ip writes it.
        _ => {
            let mpcmd = match cmd {
                Cmd::Add => MPTCP_PM_CMD_ADD_ADDR,
                Cmd::Delete => MPTCP_PM_CMD_DEL_ADDR,
                Cmd::Change => MPTCP_PM_CMD_SET_FLAGS,
                Cmd::Show => MPTCP_PM_CMD_GET_ADDR,
            };
            let mut got = Vec::new();
            ip.h.genl_call(
                FAMILY,
                mpcmd,
                false,
                |m| {
                    put_opts(m, &o, ifindex);
                    Ok(())
                },
                |reply| {
                    got.push(Endpoint::parse(&reply)?);
                    Ok(())
                },
            )?;
            if cmd == Cmd::Show {
                print_endpoints(ip, &got, out)?;
            }
        }
    }
    Ok(())
}

/// `ip mptcp endpoint show`: every endpoint.
fn show_all(ip: &Ip<'_>, out: &mut dyn Write) -> Result<()> {
    let all = ip.h.mptcp_endpoint_list()?;
    print_endpoints(ip, &all, out)
}

/// Endpoints as `ip mptcp endpoint show` prints them (with `-j`, an
/// array of objects).
fn print_endpoints(ip: &Ip<'_>, eps: &[Endpoint], out: &mut dyn Write) -> Result<()> {
    // Device names are asked for only when an endpoint has a device.
    let names = if eps.iter().any(|e| e.ifindex.is_some()) {
        ip.names()?
    } else {
        Default::default()
    };
    let dev_name = |e: &Endpoint| {
        e.ifindex.map(|i| {
            let index = u32::try_from(i).unwrap_or(0);
            names
                .get(&index)
                .map_or_else(|| format!("if{i}"), |(n, _)| n.clone())
        })
    };
    if ip.opts.json {
        let list = eps.iter().map(|e| endpoint_json(e, dev_name(e))).collect();
        return ip.print_json(out, &Value::Array(list));
    }
    let mut line = String::new();
    for e in eps {
        line.clear();
        endpoint_text(&mut line, e, dev_name(e).as_deref());
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The flag words of `flags` in ip's order, and the bits it has no word
/// for.
fn flag_words(flags: u32) -> (Vec<&'static str>, u32) {
    let mut rest = flags;
    let mut words = Vec::new();
    for (name, bit) in FLAG_WORDS {
        if rest & bit != 0 {
            words.push(name);
        }
        rest &= !bit;
    }
    (words, rest)
}

/// One endpoint's line (without the newline), as ip prints it.
fn endpoint_text(s: &mut String, e: &Endpoint, dev: Option<&str>) {
    use std::fmt::Write as _;
    if let Some(a) = e.addr {
        let _ = write!(s, "{a} ");
    }
    if let Some(p) = e.port {
        let _ = write!(s, "port {p} ");
    }
    let _ = write!(s, "id {} ", e.id);
    let (words, raw) = flag_words(e.flags.bits());
    for w in words {
        let _ = write!(s, "{w} ");
    }
    if raw != 0 {
        let _ = write!(s, "rawflags {raw:02x} ");
    }
    if let Some(d) = dev {
        let _ = write!(s, "dev {d} ");
    }
}

/// One endpoint as `ip -j mptcp endpoint show` prints it.
fn endpoint_json(e: &Endpoint, dev: Option<String>) -> Value {
    let mut o = Map::new();
    if let Some(a) = e.addr {
        o.insert("address".into(), a.to_string().into());
    }
    if let Some(p) = e.port {
        o.insert("port".into(), p.into());
    }
    o.insert("id".into(), e.id.into());
    let (words, raw) = flag_words(e.flags.bits());
    for w in words {
        o.insert(w.into(), true.into());
    }
    if raw != 0 {
        o.insert("rawflags".into(), format!("{raw:02x}").into());
    }
    if let Some(d) = dev {
        o.insert("dev".into(), d.into());
    }
    Value::Object(o)
}

/// `ip mptcp limits [set ... | show]`.
fn limits(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    match args.next() {
        None => {}
        Some(w) if matches(w, "show", 1) => args.done()?,
        Some(w) if matches(w, "set", 1) => {
            let mut l = Limits::default();
            while let Some(w) = args.next() {
                let (key, slot) = if matches(w, "subflows", 1) {
                    ("subflows", &mut l.subflows)
                } else if matches(w, "add_addr_accepted", 1) {
                    ("add_addr_accepted", &mut l.rcv_add_addrs)
                } else {
                    return Err(invarg("unknown limit", w));
                };
                let v = args.value(key)?;
                *slot = Some(number(v).map_err(|_| invarg(&format!("invalid {key}"), v))?);
            }
            return Ok(ip.h.mptcp_set_limits(l)?);
        }
        Some(other) => bail!("Command \"{other}\" is unknown, try \"ip mptcp help\"."),
    }
    let l = ip.h.mptcp_limits()?;
    // As ip: "%d" of the unsigned values, and the text even under -j.
    let mut line = String::new();
    if let Some(v) = l.rcv_add_addrs {
        line.push_str(&format!("add_addr_accepted {} ", v as i32));
    }
    if let Some(v) = l.subflows {
        line.push_str(&format!("subflows {} ", v as i32));
    }
    writeln!(out, "{line}")?;
    Ok(())
}

/// `ip mptcp monitor`: the path manager's events, one line each, flushed.
fn monitor(ip: &Ip<'_>, out: &mut dyn Write) -> Result<()> {
    let mut sub = ip.h.genl_subscribe(FAMILY, &[EVENTS_GROUP])?;
    loop {
        let n = sub.next()?;
        let ev = MptcpEvent::parse(&n.msg()?)?;
        writeln!(out, "{}", event_line(&ev))?;
        out.flush()?;
    }
}

/// An event's line as iproute2 6.1 prints it: events it has no name for
/// (the listener events) are `[UNKNOWN N]` alone.
pub fn event_line(ev: &MptcpEvent) -> String {
    use netlink::mptcp::MptcpEventKind as K;
    match ev.kind {
        K::ListenerCreated => format!("[UNKNOWN {MPTCP_EVENT_LISTENER_CREATED}]"),
        K::ListenerClosed => format!("[UNKNOWN {MPTCP_EVENT_LISTENER_CLOSED}]"),
        K::Unknown(cmd) => format!("[UNKNOWN {cmd}]"),
        _ => ev.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(cmd: Cmd, s: &str) -> Result<Opts<'_>> {
        parse_opts(cmd, Args::split(s))
    }

    #[test]
    fn endpoint_words_as_ip_reads_them() {
        let o = parse(Cmd::Add, "192.0.2.1 id 3 signal backup port 1000 dev a0").unwrap();
        assert_eq!(o.id, Some(3));
        assert_eq!(o.port, 1000);
        assert_eq!(
            o.flags,
            MPTCP_PM_ADDR_FLAG_SIGNAL | MPTCP_PM_ADDR_FLAG_BACKUP
        );
        assert_eq!(o.dev, Some("a0"));
        assert_eq!(o.addr, Some("192.0.2.1".parse().unwrap()));
        for (cmd, bad, why) in [
            (Cmd::Add, "id 3", "\"ADDRESS\" is required"),
            (
                Cmd::Add,
                "192.0.2.1 signal fullmesh",
                "both signal and fullmesh",
            ),
            (Cmd::Add, "192.0.2.1 port 5", "signal when using port"),
            (Cmd::Add, "192.0.2.1 id 256", "invalid ID"),
            (
                Cmd::Add,
                "192.0.2.1 bogus",
                "\"bogus\" is wrong: unknown argument",
            ),
            (Cmd::Delete, "192.0.2.1", "\"ID\" is required"),
            (Cmd::Delete, "id 3 192.0.2.1", "non-zero id"),
            (Cmd::Delete, "id 0", "address is needed"),
            (Cmd::Change, "id 3 signal", "backup and fullmesh only"),
            (Cmd::Change, "id 3 port 5", "port can't be used with id"),
        ] {
            let e = parse(cmd, bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
        assert!(parse(Cmd::Delete, "id 0 2001:db8::1").is_ok());
        assert_eq!(parse(Cmd::Change, "id 3 nobackup").unwrap().flags, 0);
    }

    #[test]
    fn endpoints_print_as_ip_does() {
        let e = Endpoint {
            id: 4,
            addr: Some("2001:db8::1".parse().unwrap()),
            port: Some(1000),
            flags: EndpointFlags::from_bits_retain(
                MPTCP_PM_ADDR_FLAG_SIGNAL | MPTCP_PM_ADDR_FLAG_BACKUP | 0x40,
            ),
            ifindex: Some(2),
        };
        let mut s = String::new();
        endpoint_text(&mut s, &e, Some("a0"));
        assert_eq!(
            s,
            "2001:db8::1 port 1000 id 4 signal backup rawflags 40 dev a0 "
        );
        assert_eq!(
            endpoint_json(&e, Some("a0".into())).to_string(),
            r#"{"address":"2001:db8::1","port":1000,"id":4,"signal":true,"backup":true,"rawflags":"40","dev":"a0"}"#
        );
    }
}
