//! Actions: parsed after a filter's `action` word or by `tc actions`,
//! printed under filters and by `tc actions list|get`.

use std::io::Write;
use std::net::IpAddr;

use anyhow::{Result, bail};
use netlink::Handle;
use netlink::nl_route::tc::action::Skbedit;
use netlink::nl_route::tc::units::{Rate, format_size, parse_size};
use netlink::nl_route::tc::{
    Action, ActionFlags, ActionKind, Connmark, Ct, Ctinfo, Gact, Gate, GateEntry, HwStats, Ife,
    IfeMeta, Mirred, MirredAction, MplsAction, MplsOp, Nat, Pedit, PeditKey, Police, Sample,
    Simple, Skbmod, Verdict,
};
use netlink::nl_route::uapi::tc_ct::{
    TCA_CT_ACT_CLEAR, TCA_CT_ACT_COMMIT, TCA_CT_ACT_FORCE, TCA_CT_ACT_NAT, TCA_CT_ACT_NAT_DST,
    TCA_CT_ACT_NAT_SRC,
};
use serde_json::{Map, Value, json};

use super::Opts;
use super::common::{self, Names, hex_bytes, number};
use crate::args::Args;

/// The bare verdict words tc takes as a `gact` action.
const VERDICTS: [&str; 8] = [
    "pass",
    "ok",
    "drop",
    "shot",
    "continue",
    "pipe",
    "reclassify",
    "trap",
];

/// `tc actions COMMAND ...`.
pub fn run(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("list");
    match cmd {
        "add" => h.action_add(&parse_list(h, &mut args)?).map_err(Into::into),
        "replace" | "change" => h
            .action_replace(&parse_list(h, &mut args)?)
            .map_err(Into::into),
        "del" | "delete" | "get" => {
            let (kind, index) = kind_index(&mut args)?;
            if cmd == "get" {
                let a = h.action_get(&kind, index)?;
                let names = common::names(h)?;
                print(out, opts, &names, &[a])
            } else {
                h.action_del(&kind, index).map_err(Into::into)
            }
        }
        "list" | "ls" | "show" => {
            let kind = match args.next() {
                Some("action") => args.value("action")?,
                Some(k) => k,
                None => bail!("\"list\" needs \"action KIND\""),
            };
            args.done()?;
            let list = h.action_list(kind)?;
            let names = common::names(h)?;
            print(out, opts, &names, &list)
        }
        other => bail!("Command \"{other}\" is unknown, try \"tc actions help\"."),
    }
}

/// `action KIND index N`.
fn kind_index(args: &mut Args<'_>) -> Result<(String, u32)> {
    if args.peek() == Some("action") {
        args.next();
    }
    let kind = args.value("action")?;
    let mut index = None;
    while let Some(w) = args.next() {
        match w {
            "index" => index = Some(number(args.value("index")?)?),
            other => bail!("What is \"{other}\"?"),
        }
    }
    let Some(index) = index else {
        bail!("\"{kind}\" needs \"index N\"")
    };
    Ok((kind.to_string(), index))
}

fn print(out: &mut dyn Write, opts: &Opts, names: &Names, list: &[Action]) -> Result<()> {
    if opts.json {
        let acts: Vec<Value> = list
            .iter()
            .enumerate()
            .map(|(i, a)| json(a, i, names, opts.stats, false))
            .collect();
        let v = json!([{"total acts": list.len()}, {"actions": acts}]);
        crate::json::print(out, &v, opts.pretty)?;
    } else {
        writeln!(out, "total acts {}\n", list.len())?;
        for (i, a) in list.iter().enumerate() {
            writeln!(out, "{}\n", text(a, i, names, opts.stats, false))?;
        }
    }
    Ok(())
}

/// `action KIND ...` words, as many as follow.
pub fn parse_list(h: &Handle, args: &mut Args<'_>) -> Result<Vec<Action>> {
    let mut out = Vec::new();
    while matches!(args.peek(), Some("action" | "actions")) {
        args.next();
        out.push(parse_one(h, args)?);
    }
    if let Some(w) = args.peek() {
        bail!("What is \"{w}\"?");
    }
    Ok(out)
}

fn verdict_word(args: &mut Args<'_>) -> Option<Verdict> {
    let w = args.peek()?;
    if !VERDICTS.contains(&w) {
        return None;
    }
    let v = w.parse().ok();
    args.next();
    v
}

fn parse_one(h: &Handle, args: &mut Args<'_>) -> Result<Action> {
    let kind = args.value("action")?;
    let mut a = match kind {
        "mirred" => {
            let direction = args.value("mirred")?;
            let what = args.value("mirred")?;
            let how = MirredAction::from_words(direction, what)?;
            if args.next() != Some("dev") {
                bail!("mirred: \"dev X\" is required");
            }
            let ifindex = h.link_index(args.value("dev")?)?;
            Action::mirred(how, ifindex)
        }
        "gact" => {
            let Some(v) = verdict_word(args) else {
                bail!("gact: a verdict (pass, drop, ...) is required");
            };
            Action::gact(v)
        }
        w if VERDICTS.contains(&w) => Action::gact(w.parse()?),
        "police" => parse_police(args)?,
        "skbedit" => {
            let mut s = Skbedit::default();
            while let Some(w) = args.peek() {
                match w {
                    "mark" => {
                        args.next();
                        let v = args.value("mark")?;
                        match v.split_once('/') {
                            Some((m, mask)) => {
                                s.mark = Some(number(m)?);
                                s.mask = Some(number(mask)?);
                            }
                            None => s.mark = Some(number(v)?),
                        }
                    }
                    "priority" => {
                        args.next();
                        let p: netlink::nl_route::tc::TcHandle = args.parse("priority")?;
                        s.priority = Some(p.0);
                    }
                    "queue_mapping" => {
                        args.next();
                        s.queue_mapping = Some(args.parse("queue_mapping")?);
                    }
                    _ => break,
                }
            }
            Action::new(ActionKind::Skbedit(s), Verdict::Pipe)
        }
        "connmark" => {
            let mut c = Connmark::default();
            if args.peek() == Some("zone") {
                args.next();
                c.zone = args.parse("zone")?;
            }
            Action::new(ActionKind::Connmark(c), Verdict::Pipe)
        }
        "nat" => Action::new(ActionKind::Nat(parse_nat(args)?), Verdict::Ok),
        "sample" => {
            let mut o = Sample::default();
            while let Some(w) = args.peek() {
                match w {
                    "rate" => o.rate = Some(num_after(args)?),
                    "group" => o.group = Some(num_after(args)?),
                    "trunc" => o.trunc_size = Some(num_after(args)?),
                    _ => break,
                }
            }
            if o.rate.is_none() || o.group.is_none() {
                bail!("sample: \"rate\" and \"group\" are required");
            }
            Action::new(ActionKind::Sample(o), Verdict::Pipe)
        }
        "simple" => {
            if args.next() != Some("sdata") {
                bail!("simple: \"sdata STRING\" is required");
            }
            let sdata = args.value("sdata")?.to_string();
            Action::new(ActionKind::Simple(Simple { sdata }), Verdict::Pipe)
        }
        "skbmod" => {
            let mut o = Skbmod::default();
            while let Some(w) = args.peek() {
                match w {
                    "set" => {
                        args.next();
                        match args.value("set")? {
                            "dmac" => o.dmac = Some(args.parse("dmac")?),
                            "smac" => o.smac = Some(args.parse("smac")?),
                            "etype" => {
                                o.etype = Some(u16::try_from(number(args.value("etype")?)?)?)
                            }
                            other => bail!("skbmod: cannot set \"{other}\""),
                        }
                    }
                    "swap" => {
                        args.next();
                        if args.value("swap")? != "mac" {
                            bail!("skbmod: only \"swap mac\"");
                        }
                        o.flags |= SKBMOD_F_SWAPMAC;
                    }
                    "ecn" => {
                        args.next();
                        o.flags |= SKBMOD_F_ECN;
                    }
                    _ => break,
                }
            }
            Action::new(ActionKind::Skbmod(o), Verdict::Pipe)
        }
        "mpls" => Action::new(ActionKind::Mpls(parse_mpls(args)?), Verdict::Pipe),
        "pedit" => Action::new(ActionKind::Pedit(parse_pedit(args)?), Verdict::Ok),
        "ife" => Action::new(ActionKind::Ife(parse_ife(args)?), Verdict::Pipe),
        "gate" => Action::new(ActionKind::Gate(parse_gate(args)?), Verdict::Pipe),
        "ctinfo" => {
            let mut o = Ctinfo::default();
            while let Some(w) = args.peek() {
                match w {
                    "dscp" => {
                        args.next();
                        o.dscp_mask = Some(number(args.value("dscp")?)?);
                        if let Some(m) = args.peek().and_then(|w| number(w).ok()) {
                            args.next();
                            o.dscp_statemask = Some(m);
                        }
                    }
                    "cpmark" => {
                        args.next();
                        let mask = args.peek().and_then(|w| number(w).ok());
                        if mask.is_some() {
                            args.next();
                        }
                        o.cpmark_mask = Some(mask.unwrap_or(u32::MAX));
                    }
                    "zone" => o.zone = Some(u16::try_from(num_after(args)?)?),
                    _ => break,
                }
            }
            Action::new(ActionKind::Ctinfo(o), Verdict::Pipe)
        }
        "ct" => Action::new(ActionKind::Ct(parse_ct(args)?), Verdict::Pipe),
        other => bail!("action \"{other}\" is not supported here"),
    };
    // A trailing verdict, then `index N`, as tc takes them.
    if kind != "police"
        && let Some(v) = verdict_word(args)
    {
        a.verdict = v;
    }
    if args.peek() == Some("index") {
        args.next();
        a.index = number(args.value("index")?)?;
    }
    // Then what every kind takes, in tc's order.
    if args.peek() == Some("cookie") {
        args.next();
        let hex = args.value("cookie")?;
        let bytes = hex_bytes(hex)
            .filter(|b| !b.is_empty() && b.len() <= 16)
            .ok_or_else(|| anyhow::anyhow!("cookie: \"{hex}\" is not 1 to 16 bytes of hex"))?;
        a.cookie = Some(bytes);
    }
    if args.peek() == Some("hw_stats") {
        args.next();
        a.hw_stats = Some(match args.value("hw_stats")? {
            "immediate" => HwStats::IMMEDIATE,
            "delayed" => HwStats::DELAYED,
            "disabled" => HwStats::empty(),
            "any" => HwStats::IMMEDIATE | HwStats::DELAYED,
            other => bail!("hw_stats: \"{other}\" is not immediate, delayed, disabled or any"),
        });
    }
    if args.peek() == Some("no_percpu") {
        args.next();
        a.flags |= ActionFlags::NO_PERCPU_STATS;
    }
    for _ in 0..2 {
        match args.peek() {
            Some("skip_sw") => a.flags |= ActionFlags::SKIP_SW,
            Some("skip_hw") => a.flags |= ActionFlags::SKIP_HW,
            _ => break,
        }
        args.next();
    }
    Ok(a)
}

/// `ct` words: `commit [force] | clear`, `zone Z`, `mark M[/MASK]`,
/// `label HEX[/HEX]`, `nat [src|dst] [addr A[-B]] [port P[-Q]]`.
fn parse_ct(args: &mut Args<'_>) -> Result<Ct> {
    let mut o = Ct::default();
    let mut act = 0u16;
    while let Some(w) = args.peek() {
        match w {
            "commit" => act |= TCA_CT_ACT_COMMIT,
            "force" => act |= TCA_CT_ACT_FORCE,
            "clear" => act |= TCA_CT_ACT_CLEAR,
            "zone" => {
                args.next();
                o.zone = Some(u16::try_from(number(args.value("zone")?)?)?);
                continue;
            }
            "mark" => {
                args.next();
                let (v, m) = masked(args.value("mark")?)?;
                (o.mark, o.mark_mask) = (Some(v), Some(m));
                continue;
            }
            "label" => {
                args.next();
                let text = args.value("label")?;
                let (v, m) = text
                    .split_once('/')
                    .map_or((text, None), |(v, m)| (v, Some(m)));
                let bytes = |hex: &str| {
                    hex_bytes(hex)
                        .filter(|b| b.len() <= 16)
                        .map(|mut b| {
                            b.resize(16, 0);
                            b
                        })
                        .ok_or_else(|| {
                            anyhow::anyhow!("ct: label \"{hex}\" is not up to 16 bytes of hex")
                        })
                };
                o.labels = Some(bytes(v)?);
                o.labels_mask = Some(match m {
                    Some(m) => bytes(m)?,
                    None => vec![0xff; 16],
                });
                continue;
            }
            "nat" => {
                act |= TCA_CT_ACT_NAT;
                args.next();
                match args.peek() {
                    Some("src") => act |= TCA_CT_ACT_NAT_SRC,
                    Some("dst") => act |= TCA_CT_ACT_NAT_DST,
                    _ => continue,
                }
                args.next();
                if args.peek() == Some("addr") {
                    args.next();
                    let range = args.value("addr")?;
                    let (lo, hi) = range.split_once('-').unwrap_or((range, range));
                    match (lo.parse::<IpAddr>()?, hi.parse::<IpAddr>()?) {
                        (IpAddr::V4(a), IpAddr::V4(b)) => {
                            (o.nat_ipv4_min, o.nat_ipv4_max) = (Some(a), Some(b))
                        }
                        (IpAddr::V6(a), IpAddr::V6(b)) => {
                            (o.nat_ipv6_min, o.nat_ipv6_max) = (Some(a), Some(b))
                        }
                        _ => bail!("ct: nat addr \"{range}\" mixes address families"),
                    }
                }
                if args.peek() == Some("port") {
                    args.next();
                    let range = args.value("port")?;
                    let (lo, hi) = range.split_once('-').unwrap_or((range, range));
                    (o.nat_port_min, o.nat_port_max) = (Some(lo.parse()?), Some(hi.parse()?));
                }
                continue;
            }
            _ => break,
        }
        args.next();
    }
    o.action = Some(act);
    Ok(o)
}

/// `V[/MASK]` (mask: all ones when absent).
fn masked(text: &str) -> Result<(u32, u32)> {
    Ok(match text.split_once('/') {
        Some((v, m)) => (number(v)?, number(m)?),
        None => (number(text)?, u32::MAX),
    })
}

/// `ct`'s words after the kind, as tc prints them (without the verdict).
fn ct_words(o: &Ct) -> String {
    let mut s = String::new();
    if let Some(w) = ct_action_word(o) {
        s += " ";
        s += w;
    }
    if let Some(v) = o.mark {
        s += &format!(" mark {v}");
        if let Some(m) = o.mark_mask.filter(|m| *m != u32::MAX) {
            s += &format!("/{m:#x}");
        }
    }
    if let Some(z) = o.zone {
        s += &format!(" zone {z}");
    }
    if let Some(l) = ct_label(o) {
        s += &format!(" label {l}");
    }
    if let Some(n) = ct_nat(o) {
        s += " nat";
        if !n.is_empty() {
            s += " ";
            s += &n;
        }
    }
    s
}

/// `commit`, `commit force` or `clear`, as tc names what `ct` does.
fn ct_action_word(o: &Ct) -> Option<&'static str> {
    let act = o.action.unwrap_or(0);
    if act & TCA_CT_ACT_COMMIT != 0 {
        Some(if act & TCA_CT_ACT_FORCE != 0 {
            "commit force"
        } else {
            "commit"
        })
    } else if act & TCA_CT_ACT_CLEAR != 0 {
        Some("clear")
    } else {
        None
    }
}

/// The label (and its mask unless all ones over 16 bytes), in hex.
fn ct_label(o: &Ct) -> Option<String> {
    let l = o.labels.as_ref()?;
    let mut s = common::hex_string(l);
    let mask = o.labels_mask.as_deref().unwrap_or_default();
    if l.len() != 16 || mask.iter().any(|b| *b != 0xff) {
        s += "/";
        s += &common::hex_string(mask);
    }
    Some(s)
}

/// The NAT words (`src addr A-B port P-Q`), or `None` without NAT.
fn ct_nat(o: &Ct) -> Option<String> {
    let act = o.action.unwrap_or(0);
    if act & TCA_CT_ACT_NAT == 0 {
        return None;
    }
    let mut s = String::new();
    if act & (TCA_CT_ACT_NAT_SRC | TCA_CT_ACT_NAT_DST) == 0 {
        return Some(s);
    }
    s += if act & TCA_CT_ACT_NAT_SRC != 0 {
        "src"
    } else {
        "dst"
    };
    let range = |lo: Option<String>, hi: Option<String>| match (lo, hi) {
        (Some(lo), Some(hi)) if lo != hi => Some(format!("{lo}-{hi}")),
        (lo, _) => lo,
    };
    let v4 = range(
        o.nat_ipv4_min.map(|a| a.to_string()),
        o.nat_ipv4_max.map(|a| a.to_string()),
    );
    let v6 = range(
        o.nat_ipv6_min.map(|a| a.to_string()),
        o.nat_ipv6_max.map(|a| a.to_string()),
    );
    for a in [v4, v6].into_iter().flatten() {
        s += &format!(" addr {a}");
    }
    if let Some(p) = range(
        o.nat_port_min.map(|p| p.to_string()),
        o.nat_port_max.map(|p| p.to_string()),
    ) {
        s += &format!(" port {p}");
    }
    Some(s)
}

/// `SKBMOD_F_*` flags the tools set by word.
const SKBMOD_F_SWAPMAC: u64 = 0x8;
const SKBMOD_F_ECN: u64 = 0x10;

/// The number after a keyword (`rate 100`).
fn num_after(args: &mut Args<'_>) -> Result<u32> {
    let key = args.next().unwrap_or_default();
    number(args.value(key)?)
}

/// `nat ingress|egress OLD[/LEN] NEW`.
fn parse_nat(args: &mut Args<'_>) -> Result<Nat> {
    let egress = match args.value("nat")? {
        "ingress" => false,
        "egress" => true,
        other => bail!("nat: \"{other}\" is neither ingress nor egress"),
    };
    let old = args.value("nat")?;
    let (addr, len) = match old.split_once('/') {
        Some((a, l)) => (a, l.parse::<u8>()?),
        None => (old, 32),
    };
    let net = ipnet::Ipv4Net::new(addr.parse()?, len)?;
    Ok(Nat {
        egress,
        old: net.addr(),
        mask: net.netmask(),
        new: args.parse("nat")?,
    })
}

/// `mpls pop protocol P | push|mac_push [protocol mpls_uc|mpls_mc] label L
/// [tc T] [ttl T] [bos B] | modify ... | dec_ttl`.
fn parse_mpls(args: &mut Args<'_>) -> Result<MplsAction> {
    let mut o = MplsAction {
        op: Some(args.parse::<MplsOp>("mpls")?),
        ..MplsAction::default()
    };
    while let Some(w) = args.peek() {
        match w {
            "protocol" => {
                args.next();
                o.proto = Some(match args.value("protocol")? {
                    "mpls_uc" => 0x8847,
                    "mpls_mc" => 0x8848,
                    p => p.parse::<netlink::nl_route::tc::Protocol>()?.0,
                });
            }
            "label" => o.label = Some(num_after(args)?),
            "tc" => o.tc = Some(u8::try_from(num_after(args)?)?),
            "ttl" => o.ttl = Some(u8::try_from(num_after(args)?)?),
            "bos" => o.bos = Some(u8::try_from(num_after(args)?)?),
            _ => break,
        }
    }
    Ok(o)
}

/// The keys that set `bytes` at `offset` of header `htype`, one per
/// 32-bit word they touch.
fn pedit_bytes(htype: u16, offset: u32, bytes: &[u8]) -> Vec<PeditKey> {
    let mut keys = Vec::new();
    let (mut off, mut rest) = (offset, bytes);
    while !rest.is_empty() {
        let room = (4 - off % 4) as usize;
        let (now, later) = rest.split_at(room.min(rest.len()));
        keys.push(PeditKey::set(htype, off, now));
        off += now.len() as u32;
        rest = later;
    }
    keys
}

/// `pedit [ex] munge (offset N u8|u16|u32 | ip FIELD | eth FIELD | tcp|udp
/// sport|dport) set VALUE ...` (`set` only; `ex` for eth, tcp and udp).
fn parse_pedit(args: &mut Args<'_>) -> Result<Pedit> {
    const NETWORK: u16 = 0;
    const ETH: u16 = 1;
    const IP4: u16 = 2;
    const TCP: u16 = 4;
    const UDP: u16 = 5;
    let mut p = Pedit::default();
    if args.peek() == Some("ex") {
        args.next();
        p.extended = true;
    }
    while args.peek() == Some("munge") {
        args.next();
        let (htype, offset, width) = match args.value("munge")? {
            "offset" => {
                let off = number(args.value("offset")?)?;
                let width = match args.value("offset")? {
                    "u8" => 1,
                    "u16" => 2,
                    "u32" => 4,
                    other => bail!("pedit: \"{other}\" is not u8, u16 or u32"),
                };
                (NETWORK, off, width)
            }
            "ip" => {
                let (off, width) = match args.value("ip")? {
                    "tos" | "dsfield" => (1, 1),
                    "ttl" => (8, 1),
                    "protocol" => (9, 1),
                    "src" => (12, 4),
                    "dst" => (16, 4),
                    other => bail!("pedit: unknown ip field \"{other}\""),
                };
                (if p.extended { IP4 } else { NETWORK }, off, width)
            }
            "eth" if p.extended => match args.value("eth")? {
                "dst" => (ETH, 0, 6),
                "src" => (ETH, 6, 6),
                "type" => (ETH, 12, 2),
                other => bail!("pedit: unknown eth field \"{other}\""),
            },
            h @ ("tcp" | "udp") if p.extended => {
                let htype = if h == "tcp" { TCP } else { UDP };
                match args.value(h)? {
                    "sport" => (htype, 0, 2),
                    "dport" => (htype, 2, 2),
                    other => bail!("pedit: unknown {h} field \"{other}\""),
                }
            }
            other => bail!("pedit: cannot munge \"{other}\" here (eth, tcp, udp need \"ex\")"),
        };
        if args.next() != Some("set") {
            bail!("pedit: only \"set\" is supported here");
        }
        let v = args.value("set")?;
        let bytes: Vec<u8> = if width == 6 {
            v.parse::<netlink::nl_wire::HwAddr>()?.as_bytes().to_vec()
        } else if width == 4 && v.contains('.') {
            v.parse::<std::net::Ipv4Addr>()?.octets().to_vec()
        } else {
            let n = number(v)?;
            n.to_be_bytes()
                .get(4 - width..)
                .unwrap_or_default()
                .to_vec()
        };
        let mut keys = pedit_bytes(htype, offset, &bytes);
        if !p.extended {
            for k in &mut keys {
                (k.htype, k.cmd) = (0, 0);
            }
        }
        p.keys.extend(keys);
    }
    if p.keys.is_empty() {
        bail!("pedit: \"munge ...\" is required");
    }
    Ok(p)
}

/// A time in nanoseconds: a bare number, or with tc's units.
fn nanos(s: &str) -> Result<u64> {
    match s.parse::<u64>() {
        Ok(n) => Ok(n),
        Err(_) => Ok(u64::try_from(
            netlink::nl_route::tc::units::parse_time(s)?.as_nanos(),
        )?),
    }
}

/// `gate [priority P] [base-time T] [cycle-time T] [cycle-time-ext T]
/// [clockid C] [flags F] sched-entry open|close INTERVAL [IPV OCTETS] ...`.
fn parse_gate(args: &mut Args<'_>) -> Result<Gate> {
    let mut g = Gate::default();
    while let Some(w) = args.peek() {
        match w {
            "priority" => {
                args.next();
                g.priority = Some(args.parse::<i32>("priority")?).filter(|p| *p != -1);
            }
            "base-time" => {
                args.next();
                g.base_time = Some(nanos(args.value("base-time")?)?);
            }
            "cycle-time" => {
                args.next();
                g.cycle_time = Some(nanos(args.value("cycle-time")?)?);
            }
            "cycle-time-ext" => {
                args.next();
                g.cycle_time_ext = Some(nanos(args.value("cycle-time-ext")?)?);
            }
            "clockid" => {
                args.next();
                g.clockid = Some(args.parse("clockid")?);
            }
            "flags" => {
                args.next();
                g.flags = Some(number(args.value("flags")?)?);
            }
            "sched-entry" => {
                args.next();
                let open = match args.value("sched-entry")? {
                    "open" => true,
                    "close" => false,
                    other => bail!("gate: \"{other}\" is neither open nor close"),
                };
                let interval = u32::try_from(nanos(args.value("sched-entry")?)?)?;
                let mut e = GateEntry {
                    index: None,
                    open,
                    interval,
                    ipv: -1,
                    max_octets: -1,
                };
                // The optional pair: internal priority and byte limit.
                if let Some(ipv) = args.peek().and_then(|v| v.parse::<i32>().ok()) {
                    args.next();
                    e.ipv = ipv;
                    e.max_octets = args.parse("sched-entry")?;
                }
                g.entries.push(e);
            }
            _ => break,
        }
    }
    if g.entries.is_empty() {
        bail!("gate: \"sched-entry\" is required");
    }
    Ok(g)
}

/// ife's metadata names and the width of a fixed value.
const IFE_METAS: [(&str, u16, usize); 3] = [("mark", 1, 4), ("prio", 3, 4), ("tcindex", 5, 2)];

/// `ife encode|decode [allow mark|prio|tcindex] [use mark|prio|tcindex N]
/// [dst MAC] [src MAC] [type T]`.
fn parse_ife(args: &mut Args<'_>) -> Result<Ife> {
    let mut o = Ife {
        encode: match args.value("ife")? {
            "encode" => true,
            "decode" => false,
            other => bail!("ife: \"{other}\" is neither encode nor decode"),
        },
        ..Ife::default()
    };
    while let Some(w) = args.peek() {
        match w {
            "allow" | "use" => {
                args.next();
                let name = args.value(w)?;
                let Some((_, id, width)) = IFE_METAS.iter().find(|(n, _, _)| *n == name) else {
                    bail!("ife: unknown metadata \"{name}\"");
                };
                let value = if w == "use" {
                    let v = number(args.value("use")?)?;
                    Some(if *width == 2 {
                        u16::try_from(v)?.to_ne_bytes().to_vec()
                    } else {
                        v.to_ne_bytes().to_vec()
                    })
                } else {
                    None
                };
                o.meta.push(IfeMeta { id: *id, value });
            }
            "dst" => {
                args.next();
                o.dmac = Some(args.parse("dst")?);
            }
            "src" => {
                args.next();
                o.smac = Some(args.parse("src")?);
            }
            "type" => {
                args.next();
                o.ethertype = Some(u16::try_from(number(args.value("type")?)?)?);
            }
            _ => break,
        }
    }
    Ok(o)
}

/// An ethertype as tc's `ll_proto_n2a` names the ones mpls uses.
fn proto_name(p: u16) -> String {
    match p {
        0x8847 => "mpls_uc".into(),
        0x8848 => "mpls_mc".into(),
        p => netlink::nl_route::tc::Protocol(p).to_string(),
    }
}

/// The line tc ends most actions with.
fn index_line(a: &Action) -> String {
    format!("\n\t index {} ref {} bind {}", a.index, a.refcnt, a.bindcnt)
}

/// The actions whose whole text is their kind's own (after `action order
/// N: `), index line included.
fn kind_text(a: &Action) -> Option<String> {
    let v = a.verdict;
    Some(match &a.kind {
        ActionKind::Connmark(c) => format!("connmark zone {} {v}{}", c.zone, index_line(a)),
        ActionKind::Ct(o) => format!("ct{} {v}{}", ct_words(o), index_line(a)),
        ActionKind::Nat(n) => {
            // tc takes ffs() of the mask as stored (network order) in a
            // host int: on little-endian hosts /24 prints as /32.
            let raw = u32::from_ne_bytes(n.mask.octets());
            let len = if raw == 0 {
                0
            } else {
                32 - raw.trailing_zeros()
            };
            format!(
                " nat {} {}/{len} {} {v}{}",
                if n.egress { "egress" } else { "ingress" },
                n.old,
                n.new,
                index_line(a)
            )
        }
        ActionKind::Sample(o) => {
            let mut s = format!(
                "sample rate 1/{} group {}",
                o.rate.unwrap_or(0),
                o.group.unwrap_or(0)
            );
            if let Some(t) = o.trunc_size {
                s += &format!(" trunc_size {t}");
            }
            s + &format!(" {v}{}", index_line(a))
        }
        ActionKind::Simple(o) => format!("Simple <{}>{}", o.sdata, index_line(a)),
        ActionKind::Skbmod(o) => {
            let mut s = format!("skbmod {v} ");
            if let Some(e) = o.etype {
                s += &format!("set etype 0x{e:X} \n\t ");
            }
            if let Some(m) = o.dmac {
                s += &format!("set dmac {m} ");
            }
            if let Some(m) = o.smac {
                s += &format!("set smac {m} ");
            }
            if o.flags & SKBMOD_F_SWAPMAC != 0 {
                s += "swap mac ";
            }
            if o.flags & SKBMOD_F_ECN != 0 {
                s += "ecn ";
            }
            s + &index_line(a)
        }
        ActionKind::Mpls(o) => {
            let op = o.op.unwrap_or(MplsOp::Other(0));
            // tc prints "%s " for the kind, then " %s" for the operation.
            let mut s = format!("mpls  {op}");
            let pushes = matches!(op, MplsOp::Push | MplsOp::MacPush);
            if matches!(op, MplsOp::Pop) || pushes {
                if let Some(p) = o.proto {
                    s += &format!(" protocol {}", proto_name(p));
                }
            }
            if pushes || matches!(op, MplsOp::Modify) {
                for (k, val) in [
                    ("label", o.label),
                    ("tc", o.tc.map(u32::from)),
                    ("bos", o.bos.map(u32::from)),
                    ("ttl", o.ttl.map(u32::from)),
                ] {
                    if let Some(val) = val {
                        s += &format!(" {k} {val}");
                    }
                }
            }
            s + &format!(" {v}{}", index_line(a))
        }
        ActionKind::Ctinfo(o) => {
            let mut s = format!("ctinfo zone {} {v}{}", o.zone.unwrap_or(0), index_line(a));
            if let Some(m) = o.dscp_mask {
                s += &format!(" dscp {m:#010x} {:#010x}", o.dscp_statemask.unwrap_or(0));
            }
            if let Some(m) = o.cpmark_mask {
                s += &format!(" cpmark {m:#010x}");
            }
            s
        }
        ActionKind::Gate(g) => {
            let time = |ns: u64| {
                netlink::nl_route::tc::units::format_time(std::time::Duration::from_nanos(ns))
            };
            let mut s = String::from("\n");
            match g.priority {
                Some(p) if p != -1 => s += &format!("\tpriority {p:<8}"),
                _ => s += "\tpriority wildcard",
            }
            let clock = match g.clockid {
                Some(netlink::nl_route::tc::ClockId::Other(_)) | None => "invalid".to_string(),
                Some(c) => c.to_string(),
            };
            s += &format!("\tclockid {clock}");
            if let Some(f) = g.flags {
                s += &format!("\tflags {}", common::c_hex(f));
            }
            s += &format!(
                "\n\tbase-time {}\tcycle-time {}\tcycle-time-ext {}",
                time(g.base_time.unwrap_or(0)),
                time(g.cycle_time.unwrap_or(0)),
                time(g.cycle_time_ext.unwrap_or(0))
            );
            s += "\n\tschedule:\n";
            for e in &g.entries {
                s += &format!(
                    "\t number {:4}\tgate-state {} \tinterval {}",
                    e.index.unwrap_or(0),
                    if e.open { "open" } else { "close" },
                    time(u64::from(e.interval))
                );
                if e.ipv != -1 {
                    s += &format!("\t ipv {:<10}", e.ipv as u32);
                } else {
                    s += "\t ipv wildcard";
                }
                if e.max_octets != -1 {
                    s += &format!("\t max-octets {}", format_size(e.max_octets as u32));
                } else {
                    s += "\t max-octets wildcard";
                }
                s += "\n";
            }
            s + &format!(
                "\t{v}\n\t index {} ref {} bind {}",
                a.index, a.refcnt, a.bindcnt
            )
        }
        ActionKind::Ife(o) => {
            let mode = if o.encode { "encode" } else { "decode" };
            let mut s = format!("ife {mode} action {v} ");
            if let Some(t) = o.ethertype {
                // C's "%#llX": the prefix in capitals too.
                s += &format!("type 0X{t:X} \n\t");
            }
            // tc prints mark, tcindex, prio, in that order.
            for id in [1, 5, 3] {
                let Some(m) = o.meta.iter().find(|m| m.id == id) else {
                    continue;
                };
                let name = IFE_METAS.iter().find(|x| x.1 == id).map_or("", |x| x.0);
                match &m.value {
                    Some(v) => {
                        let n = match v.as_slice() {
                            [a, b] => u32::from(u16::from_ne_bytes([*a, *b])),
                            [a, b, c, d, ..] => u32::from_ne_bytes([*a, *b, *c, *d]),
                            _ => 0,
                        };
                        s += &format!("use {name} {n} ");
                    }
                    None => s += &format!("allow {name} "),
                }
            }
            if let Some(d) = o.dmac {
                s += &format!("dst {d} ");
            }
            if let Some(m) = o.smac {
                s += &format!("src {m} ");
            }
            s + &index_line(a)
        }
        ActionKind::Pedit(p) => {
            let mut s = format!(
                " pedit action {v} keys {}\n \t index {} ref {} bind {}",
                p.keys.len(),
                a.index,
                a.refcnt,
                a.bindcnt
            );
            const HEADERS: [&str; 6] = ["", "eth", "ipv4", "ipv6", "tcp", "udp"];
            for (i, k) in p.keys.iter().enumerate() {
                let at = match k.htype {
                    0 => format!("{}", k.off as i32),
                    h => {
                        let name = HEADERS
                            .get(usize::from(h))
                            .map_or(format!("unknown({h})"), |n| n.to_string());
                        format!("{name}{:+}", k.off as i32)
                    }
                };
                let hex = |x: u32| u32::from_be_bytes(x.to_ne_bytes());
                s += &format!(
                    "\n\t key #{i}  at {at}: {} {:08x} mask {:08x}",
                    if k.cmd != 0 { "add" } else { "val" },
                    hex(k.val),
                    hex(k.mask)
                );
            }
            if p.keys.is_empty() {
                s += &format!("\npedit {:x} keys 0 is not LEGIT", a.index);
            }
            s
        }
        _ => return None,
    })
}

/// The JSON of the actions [`kind_text`] prints (their keys besides
/// `order`).
fn kind_json(a: &Action) -> Option<Map<String, Value>> {
    let mut m = Map::new();
    let verdict = json!({"type": a.verdict.to_string()});
    match &a.kind {
        ActionKind::Connmark(c) => {
            m.insert("kind".into(), json!("connmark"));
            m.insert("zone".into(), json!(c.zone));
        }
        ActionKind::Ct(o) => {
            m.insert("kind".into(), json!("ct"));
            if let Some(w) = ct_action_word(o) {
                m.insert("action".into(), json!(w));
            }
            if let Some(v) = o.mark {
                m.insert("mark".into(), json!(v));
                if let Some(mask) = o.mark_mask.filter(|x| *x != u32::MAX) {
                    // tc prints the mask as hex digits in a string.
                    m.insert("mark_mask".into(), json!(format!("{mask:x}")));
                }
            }
            if let Some(z) = o.zone {
                m.insert("zone".into(), json!(z));
            }
            if let Some(l) = ct_label(o) {
                m.insert("label".into(), json!(l));
            }
            if let Some(n) = ct_nat(o) {
                m.insert("nat".into(), json!(n));
            }
        }
        ActionKind::Nat(n) => {
            let raw = u32::from_ne_bytes(n.mask.octets());
            let len = if raw == 0 {
                0
            } else {
                32 - raw.trailing_zeros()
            };
            m.insert("type".into(), json!("nat"));
            m.insert(
                "direction".into(),
                json!(if n.egress { "egress" } else { "ingress" }),
            );
            m.insert("old_addr".into(), json!(format!("{}/{len}", n.old)));
            m.insert("new_addr".into(), json!(n.new.to_string()));
        }
        ActionKind::Sample(o) => {
            m.insert("kind".into(), json!("sample"));
            m.insert("rate".into(), json!(o.rate.unwrap_or(0)));
            m.insert("group".into(), json!(o.group.unwrap_or(0)));
            if let Some(t) = o.trunc_size {
                m.insert("trunc_size".into(), json!(t));
            }
        }
        ActionKind::Mpls(o) => {
            let op = o.op.unwrap_or(MplsOp::Other(0));
            m.insert("kind".into(), json!("mpls"));
            m.insert("mpls_action".into(), json!(op.to_string()));
            let pushes = matches!(op, MplsOp::Push | MplsOp::MacPush);
            if (matches!(op, MplsOp::Pop) || pushes)
                && let Some(p) = o.proto
            {
                m.insert("protocol".into(), json!(proto_name(p)));
            }
            if pushes || matches!(op, MplsOp::Modify) {
                for (k, val) in [
                    ("label", o.label),
                    ("tc", o.tc.map(u32::from)),
                    ("bos", o.bos.map(u32::from)),
                    ("ttl", o.ttl.map(u32::from)),
                ] {
                    if let Some(val) = val {
                        m.insert(k.into(), json!(val));
                    }
                }
            }
        }
        ActionKind::Ctinfo(o) => {
            m.insert("kind".into(), json!("ctinfo"));
            m.insert("zone".into(), json!(o.zone.unwrap_or(0)));
            if let Some(d) = o.dscp_mask {
                m.insert("dscpmask".into(), json!(format!("{d:#x}")));
                let st = o.dscp_statemask.unwrap_or(0);
                m.insert("dscpstatemask".into(), json!(common::c_hex(st)));
            }
            if let Some(c) = o.cpmark_mask {
                m.insert("cpmark".into(), json!(common::c_hex(c)));
            }
        }
        _ => return None,
    }
    m.insert("control_action".into(), verdict);
    m.insert("index".into(), json!(a.index));
    m.insert("ref".into(), json!(a.refcnt));
    m.insert("bind".into(), json!(a.bindcnt));
    Some(m)
}

/// `police rate R burst B [mtu B] [peakrate R] [conform-exceed EXCEED[/CONFORM]]`.
fn parse_police(args: &mut Args<'_>) -> Result<Action> {
    let mut p = Police::default();
    let mut exceed = Verdict::Reclassify;
    while let Some(w) = args.peek() {
        match w {
            "rate" => {
                args.next();
                p.rate = args.parse::<Rate>("rate")?;
            }
            "burst" | "buffer" | "maxburst" => {
                args.next();
                p.burst = parse_size(args.value("burst")?)?;
            }
            "mtu" | "minburst" => {
                args.next();
                p.mtu = parse_size(args.value("mtu")?)?;
            }
            "peakrate" => {
                args.next();
                p.peakrate = Some(args.parse::<Rate>("peakrate")?);
            }
            "conform-exceed" => {
                args.next();
                let v = args.value("conform-exceed")?;
                let (e, c) = match v.split_once('/') {
                    Some((e, c)) => (e, Some(c)),
                    None => (v, None),
                };
                exceed = e.parse()?;
                if let Some(c) = c {
                    p.conform = Some(c.parse()?);
                }
            }
            w if VERDICTS.contains(&w) => {
                exceed = w.parse()?;
                args.next();
            }
            _ => break,
        }
    }
    if p.rate.bytes() == 0 || p.burst == 0 {
        bail!("police: \"rate\" and \"burst\" are required");
    }
    Ok(Action::police(p, exceed))
}

/// One action as tc prints it (`\taction order N: ...`); `bind` when it
/// belongs to a filter (tc then leaves out whether it is in hardware).
pub fn text(a: &Action, order: usize, names: &Names, stats: bool, bind: bool) -> String {
    let mut s = format!("\taction order {order}: ");
    if let Some(k) = kind_text(a) {
        return s + &k + &stats_text(a, stats) + &hw_text(a, bind);
    }
    match &a.kind {
        ActionKind::Mirred(Mirred { action, ifindex }) => {
            let (dir, what) = action.words();
            let cap = |w: &str| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            };
            s += &format!(
                "mirred ({} {} to device {}) {}",
                cap(dir),
                cap(what),
                common::name(names, *ifindex),
                a.verdict
            );
        }
        ActionKind::Gact(g) => {
            let (kind, verdict, val) = gact_random(g);
            s += &format!(
                "gact action {}\n\t random type {kind} {verdict} val {val}",
                a.verdict
            )
        }
        ActionKind::Police(p) => {
            s += &format!(
                " police {:#x} rate {} burst {} mtu {} action {}",
                a.index,
                p.rate,
                format_size(p.burst),
                format_size(p.mtu),
                a.verdict
            );
            if let Some(c) = p.conform {
                s += &format!("/{c}");
            }
        }
        ActionKind::Skbedit(k) => {
            s += "skbedit ";
            if let Some(m) = k.mark {
                s += &format!(" mark {m}");
            }
            if let Some(p) = k.priority {
                s += &format!(" priority {}", netlink::nl_route::tc::TcHandle(p));
            }
            if let Some(q) = k.queue_mapping {
                s += &format!(" queue_mapping {q}");
            }
            s += &format!(" {}", a.verdict);
        }
        other => s += &format!("{} {}", other.name(), a.verdict),
    }
    // mirred prints "\tindex", gact (like most kinds) "\t index".
    let gap = if matches!(a.kind, ActionKind::Gact(_)) {
        " "
    } else {
        ""
    };
    s += &format!(
        "\n\t{gap}index {} ref {} bind {}",
        a.index, a.refcnt, a.bindcnt
    );
    s + &stats_text(a, stats) + &hw_text(a, bind)
}

/// gact's random part as tc prints it, `none pass 0` when there is none:
/// the kind (`netrand`, `determ`), the other verdict and the value.
fn gact_random(g: &Gact) -> (&'static str, String, u16) {
    match g.random {
        None => ("none", Verdict::Ok.to_string(), 0),
        Some((kind, val, other)) => {
            let word = match kind {
                1 => "netrand",
                2 => "determ",
                _ => "none",
            };
            (word, other.to_string(), val)
        }
    }
}

/// The lines after an action's counters: its cookie, its flags, whether
/// it is in hardware (not for a filter's own actions), and its hardware
/// counters.
fn hw_text(a: &Action, bind: bool) -> String {
    let mut s = String::new();
    if let Some(c) = &a.cookie {
        s = format!("\n\tcookie {}", common::hex_string(c));
    }
    let mut line = String::new();
    if a.flags.contains(ActionFlags::NO_PERCPU_STATS) {
        line += "\tno_percpu";
    }
    let skip_hw = !bind && a.flags.contains(ActionFlags::SKIP_HW);
    if !bind {
        if skip_hw {
            line += "\tskip_hw";
        }
        if a.flags.contains(ActionFlags::SKIP_SW) {
            line += "\tskip_sw";
        }
    }
    if let Some(n) = a.in_hw_count.filter(|_| !bind && !skip_hw) {
        if n > 0 {
            line += &format!("\tin_hw in_hw_count {n}");
        } else {
            line += "\tnot_in_hw";
        }
    }
    if !line.is_empty() {
        s += "\n";
        s += &line;
    }
    for (name, set) in [("hw_stats", a.hw_stats), ("used_hw_stats", a.used_hw_stats)] {
        if let Some(set) = set {
            s += "\n\t";
            s += name;
            for w in set.words() {
                s += " ";
                s += w;
            }
        }
    }
    s
}

/// [`hw_text`]'s keys, as `tc -j` prints them.
fn hw_json(m: &mut Map<String, Value>, a: &Action, bind: bool) {
    if let Some(c) = &a.cookie {
        m.insert("cookie".into(), json!(common::hex_string(c)));
    }
    if a.flags.contains(ActionFlags::NO_PERCPU_STATS) {
        m.insert("no_percpu".into(), json!(true));
    }
    let skip_hw = !bind && a.flags.contains(ActionFlags::SKIP_HW);
    if !bind {
        if skip_hw {
            m.insert("skip_hw".into(), json!(true));
        }
        if a.flags.contains(ActionFlags::SKIP_SW) {
            m.insert("skip_sw".into(), json!(true));
        }
    }
    if let Some(n) = a.in_hw_count.filter(|_| !bind && !skip_hw) {
        if n > 0 {
            m.insert("in_hw".into(), json!(true));
            m.insert("in_hw_count".into(), json!(n));
        } else {
            m.insert("not_in_hw".into(), json!(true));
        }
    }
    for (name, set) in [("hw_stats", a.hw_stats), ("used_hw_stats", a.used_hw_stats)] {
        if let Some(set) = set {
            m.insert(name.into(), json!(set.words().collect::<Vec<_>>()));
        }
    }
}

/// The counters under an action (`-s`).
fn stats_text(a: &Action, stats: bool) -> String {
    match &a.stats {
        Some(st) if stats => format!(
            "\n\tAction statistics:\n\t{}",
            common::stats_text(st).replace('\n', "\n\t")
        ),
        _ => String::new(),
    }
}

/// One action as `tc -j` prints it (`bind`: see [`text`]).
pub fn json(a: &Action, order: usize, names: &Names, stats: bool, bind: bool) -> Value {
    let mut m = Map::new();
    m.insert("order".into(), json!(order));
    if let Some(k) = kind_json(a) {
        m.extend(k);
        if stats && let Some(s) = &a.stats {
            let mut st = Map::new();
            common::stats_json(&mut st, s);
            m.insert("stats".into(), Value::Object(st));
        }
        hw_json(&mut m, a, bind);
        return Value::Object(m);
    }
    m.insert("kind".into(), json!(a.kind.name()));
    let verdict = json!({"type": a.verdict.to_string()});
    match &a.kind {
        ActionKind::Mirred(Mirred { action, ifindex }) => {
            let (dir, what) = action.words();
            m.insert("mirred_action".into(), json!(what));
            m.insert("direction".into(), json!(dir));
            m.insert("to_dev".into(), json!(common::name(names, *ifindex)));
            m.insert("control_action".into(), verdict);
        }
        ActionKind::Police(p) => {
            m.insert("index".into(), json!(a.index));
            m.insert("rate".into(), json!(p.rate.bytes()));
            m.insert("burst".into(), json!(p.burst));
            m.insert("mtu".into(), json!(p.mtu));
            m.insert("control_action".into(), verdict);
            if let Some(c) = p.conform {
                m.insert("conform".into(), json!({"type": c.to_string()}));
            }
        }
        ActionKind::Gact(g) => {
            m.insert("control_action".into(), verdict);
            let (kind, other, val) = gact_random(g);
            m.insert(
                "prob".into(),
                json!({"random_type": kind, "control_action": {"type": other}, "val": val}),
            );
        }
        ActionKind::Skbedit(k) => {
            if let Some(v) = k.mark {
                m.insert("mark".into(), json!(v));
            }
            if let Some(v) = k.priority {
                m.insert(
                    "priority".into(),
                    json!(netlink::nl_route::tc::TcHandle(v).to_string()),
                );
            }
            m.insert("control_action".into(), verdict);
        }
        _ => {
            m.insert("control_action".into(), verdict);
        }
    }
    m.insert("index".into(), json!(a.index));
    m.insert("ref".into(), json!(a.refcnt));
    m.insert("bind".into(), json!(a.bindcnt));
    if stats && let Some(s) = &a.stats {
        let mut st = Map::new();
        common::stats_json(&mut st, s);
        m.insert("stats".into(), Value::Object(st));
    }
    hw_json(&mut m, a, bind);
    Value::Object(m)
}
