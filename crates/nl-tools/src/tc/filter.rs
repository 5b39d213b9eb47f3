//! `tc filter show|add|replace|change|del` (u32, matchall, fw, route,
//! cgroup, flow, bpf, flower, basic).

use std::io::Write;

use anyhow::{Context, Result, bail};
use netlink::Handle;
use netlink::nl_route::tc::filter::{ClassicInsn, FLOW_KEYS, FLOW_MODE_HASH, FLOW_MODE_MAP};
use netlink::nl_route::tc::{
    Basic, Bpf, Cgroup, Filter, FilterEntry, FilterKind, Flow, Fw, Matchall, Protocol, Route4,
    TcHandle, U32, U32Key, U32Sel,
};
use serde_json::{Map, Value, json};

use super::common::{self, Names, hex, number};
use super::{Opts, action, ematch, flower};
use crate::args::{Args, matches};

/// `TC_U32_TERMINAL`.
const TC_U32_TERMINAL: u8 = 1;
/// `TCA_CLS_FLAGS_*`.
const SKIP_HW: u32 = 1;
const SKIP_SW: u32 = 2;
const IN_HW: u32 = 4;
const NOT_IN_HW: u32 = 8;

/// `tc filter COMMAND ...`.
pub fn run(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    match cmd {
        c if matches(c, "show", 1) || c == "list" || c == "ls" => show(h, opts, args, out),
        "add" => h.filter_add(&parse(h, args)?.0).map_err(Into::into),
        "replace" => h.filter_replace(&parse(h, args)?.0).map_err(Into::into),
        "change" => h.filter_change(&parse(h, args)?.0).map_err(Into::into),
        "del" | "delete" => {
            let f = parse(h, args)?.0;
            // `handle 2: u32` names a hash table: the library keeps its
            // delete (which takes the filters inside along) apart.
            match FilterEntry::from(f.clone()) {
                FilterEntry::U32Table(t) => h.u32_table_del(&t)?,
                _ => h.filter_del(&f)?,
            }
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"tc filter help\"."),
    }
}

/// `ingress` / `egress` / `root` / `parent P`, when `w` is one.
fn parent_word(w: &str, args: &mut Args<'_>) -> Result<Option<TcHandle>> {
    Ok(match w {
        "ingress" => Some(TcHandle::INGRESS_FILTERS),
        "egress" => Some(TcHandle::EGRESS_FILTERS),
        "root" => Some(TcHandle::ROOT),
        "parent" => Some(args.parse("parent")?),
        _ => None,
    })
}

fn show(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let mut dev = None;
    let mut parent = None;
    while let Some(w) = args.next() {
        if let Some(p) = parent_word(w, &mut args)? {
            parent = Some(p);
            continue;
        }
        match w {
            "dev" => dev = Some(args.value("dev")?),
            other => bail!("What is \"{other}\"?"),
        }
    }
    let Some(dev) = dev else {
        bail!("Cannot find device \"\"")
    };
    let list = h.filter_entries(dev, parent.unwrap_or(TcHandle::NONE))?;
    let names = common::names(h)?;
    let items = list
        .iter()
        .map(|e| {
            (
                json(e, &names, parent, opts.stats),
                text(e, &names, parent, opts.stats),
            )
        })
        .collect();
    common::print_list(out, opts, items)?;
    Ok(())
}

/// A u32 handle as tc writes it (`800:`, `800::800`, `::800`), or a number.
fn filter_handle(s: &str) -> Result<u32> {
    if !s.contains(':') {
        return number(s);
    }
    let parts: Vec<&str> = s.split(':').collect();
    let field = |i: usize, max: u32| -> Result<u32> {
        match parts.get(i) {
            None | Some(&"") => Ok(0),
            Some(p) => {
                let v = hex(p)?;
                if v > max {
                    bail!("invalid handle \"{s}\"");
                }
                Ok(v)
            }
        }
    };
    if parts.len() > 3 {
        bail!("invalid handle \"{s}\"");
    }
    Ok((field(0, 0xfff)? << 20) | (field(1, 0xff)? << 12) | field(2, 0xfff)?)
}

/// A filter, and the bpf program it names (kept open until the kernel
/// has taken its fd).
pub fn parse(
    h: &Handle,
    mut args: Args<'_>,
) -> Result<(Filter, Option<netlink::nl_sock::bpf::Program>)> {
    let mut index = None;
    let mut parent = None;
    let mut protocol = None;
    let mut pref = 0u16;
    let mut handle = 0u32;
    let mut chain = None;
    let mut program = None;
    let mut kind = None;
    while let Some(w) = args.next() {
        if let Some(p) = parent_word(w, &mut args)? {
            parent = Some(p);
            continue;
        }
        match w {
            "dev" => index = Some(h.link_index(args.value("dev")?)?),
            "protocol" => protocol = Some(args.parse::<Protocol>("protocol")?),
            "pref" | "prio" | "priority" => pref = args.parse("pref")?,
            "handle" => handle = filter_handle(args.value("handle")?)?,
            "chain" => chain = Some(args.parse("chain")?),
            "u32" => kind = Some(FilterKind::U32(parse_u32(h, &mut args)?)),
            "matchall" => kind = Some(FilterKind::Matchall(parse_matchall(h, &mut args)?)),
            "fw" => kind = Some(FilterKind::Fw(parse_fw(h, &mut args)?)),
            "route" => {
                let (r, order) = parse_route(h, &mut args)?;
                // tc derives the handle from the keys: the kernel finds
                // route filters by it.
                if handle == 0 {
                    handle = r.tc_handle(order);
                }
                kind = Some(FilterKind::Route(r));
            }
            "cgroup" => {
                let mut c = Cgroup::default();
                if matches!(args.peek(), Some("action" | "actions")) {
                    c.actions = action::parse_list(h, &mut args)?;
                }
                kind = Some(FilterKind::Cgroup(c));
            }
            "flow" => kind = Some(FilterKind::Flow(parse_flow(h, &mut args)?)),
            "basic" => kind = Some(FilterKind::Basic(parse_basic(h, &mut args)?)),
            "flower" => {
                let Some(parent) = parent else {
                    bail!("flower: one of parent, ingress or egress comes first")
                };
                let proto = protocol.unwrap_or(Protocol::ALL);
                let f = flower::parse(h, &mut args, proto, parent)?;
                kind = Some(FilterKind::Flower(Box::new(f)));
            }
            "bpf" => {
                let (b, p) = parse_bpf(h, &mut args)?;
                program = p;
                kind = Some(FilterKind::Bpf(b));
            }
            other => bail!("Unknown filter \"{other}\", hence option is unparsable"),
        }
    }
    let Some(index) = index else {
        bail!("Cannot find device \"\"")
    };
    let Some(parent) = parent else {
        bail!("one of parent, ingress or egress is needed")
    };
    let kind = kind.unwrap_or(FilterKind::Other {
        kind: String::new(),
        options: None,
    });
    // tc's default protocol: all on add, any (0) to find a filter.
    let any = if matches!(kind, FilterKind::Other { .. }) {
        Protocol(0)
    } else {
        Protocol::ALL
    };
    let mut f = Filter::new(index, parent, protocol.unwrap_or(any), kind)
        .priority(pref)
        .handle(handle);
    f.chain = chain;
    Ok((f, program))
}

/// Value and mask words of a `match`, hex or decimal as tc's `get_u32`.
fn val_mask(args: &mut Args<'_>, what: &str) -> Result<(u32, u32)> {
    let v = number(args.value(what)?)?;
    let m = number(args.value(what)?)?;
    Ok((v, m))
}

fn parse_match(args: &mut Args<'_>) -> Result<U32Key> {
    let layer = args.value("match")?;
    match layer {
        "ip" => {
            let field = args.value("match ip")?;
            match field {
                "src" | "dst" => {
                    let v = args.value(field)?;
                    let net: ipnet::Ipv4Net = match v.parse() {
                        Ok(n) => n,
                        Err(_) => v
                            .parse::<std::net::Ipv4Addr>()
                            .map(ipnet::Ipv4Net::from)
                            .with_context(|| format!("Illegal \"match\" address \"{v}\""))?,
                    };
                    Ok(if field == "src" {
                        U32Key::ip_src(net)
                    } else {
                        U32Key::ip_dst(net)
                    })
                }
                "protocol" => {
                    let (v, m) = val_mask(args, "protocol")?;
                    Ok(U32Key::u8(v as u8, m as u8, 9))
                }
                "sport" | "dport" => {
                    let (v, m) = val_mask(args, field)?;
                    let off = if field == "sport" { 20 } else { 22 };
                    Ok(U32Key::u16(v as u16, m as u16, off))
                }
                "tos" | "dsfield" => {
                    let (v, m) = val_mask(args, field)?;
                    Ok(U32Key::u8(v as u8, m as u8, 1))
                }
                other => bail!("Illegal \"match ip\" field \"{other}\""),
            }
        }
        "u32" | "u16" | "u8" => {
            let (v, m) = val_mask(args, layer)?;
            let off: i32 = if args.peek() == Some("at") {
                args.next();
                args.parse("at")?
            } else {
                0
            };
            Ok(match layer {
                "u32" => U32Key::u32(v, m, off),
                "u16" => U32Key::u16(v as u16, m as u16, off),
                _ => U32Key::u8(v as u8, m as u8, off),
            })
        }
        other => bail!("Illegal \"match\" \"{other}\""),
    }
}

fn parse_u32(h: &Handle, args: &mut Args<'_>) -> Result<U32> {
    let mut u = U32::default();
    let mut keys = Vec::new();
    while let Some(w) = args.peek() {
        match w {
            "match" => {
                args.next();
                keys.push(parse_match(args)?);
            }
            "classid" | "flowid" => {
                args.next();
                u.classid = Some(args.parse("flowid")?);
            }
            "ht" => {
                args.next();
                u.hash_table = Some(filter_handle(args.value("ht")?)?);
            }
            "link" => {
                args.next();
                u.link = Some(filter_handle(args.value("link")?)?);
            }
            "divisor" => {
                args.next();
                u.divisor = Some(args.parse("divisor")?);
            }
            "skip_hw" | "skip_sw" => {
                let bit = if w == "skip_hw" { SKIP_HW } else { SKIP_SW };
                u.flags = Some(u.flags.unwrap_or(0) | bit);
                args.next();
            }
            "action" | "actions" => {
                u.actions = action::parse_list(h, args)?;
            }
            other => bail!("u32: what is \"{other}\"?"),
        }
    }
    // Without a match the library sends the match-all selector (tc
    // itself refuses that command: "Selector not specified").
    if !keys.is_empty() {
        let mut sel = U32Sel {
            keys,
            ..U32Sel::default()
        };
        // As tc: a flowid or an action ends classification on a match.
        if u.classid.is_some() || !u.actions.is_empty() {
            sel.flags |= TC_U32_TERMINAL;
        }
        u.sel = Some(sel);
    }
    Ok(u)
}

fn parse_matchall(h: &Handle, args: &mut Args<'_>) -> Result<Matchall> {
    let mut m = Matchall::default();
    while let Some(w) = args.peek() {
        match w {
            "classid" | "flowid" => {
                args.next();
                m.classid = Some(args.parse("classid")?);
            }
            "skip_hw" | "skip_sw" => {
                let bit = if w == "skip_hw" { SKIP_HW } else { SKIP_SW };
                m.flags = Some(m.flags.unwrap_or(0) | bit);
                args.next();
            }
            "action" | "actions" => m.actions = action::parse_list(h, args)?,
            other => bail!("matchall: what is \"{other}\"?"),
        }
    }
    Ok(m)
}

/// `basic [match EXPR] [classid C] [action ...]`.
fn parse_basic(h: &Handle, args: &mut Args<'_>) -> Result<Basic> {
    let mut b = Basic::default();
    while let Some(w) = args.peek() {
        match w {
            "match" => {
                args.next();
                b.ematches = Some(ematch::parse(args)?);
            }
            "classid" | "flowid" => {
                args.next();
                b.classid = Some(args.parse("classid")?);
            }
            "action" | "actions" => b.actions = action::parse_list(h, args)?,
            other => bail!("basic: what is \"{other}\"?"),
        }
    }
    Ok(b)
}

/// `route [to REALM] [from REALM | fromif DEV] [order N] [classid C]
/// [action ...]`, and the order for the handle.
fn parse_route(h: &Handle, args: &mut Args<'_>) -> Result<(Route4, u32)> {
    let mut r = Route4::default();
    let mut order = 0;
    let realm = |s: &str| -> Result<u32> { if s == "cosmos" { Ok(0) } else { number(s) } };
    while let Some(w) = args.peek() {
        match w {
            "to" => {
                args.next();
                r.to = Some(realm(args.value("to")?)?);
            }
            "from" => {
                args.next();
                r.from = Some(realm(args.value("from")?)?);
            }
            "fromif" => {
                args.next();
                r.iif = Some(h.link_index(args.value("fromif")?)?);
            }
            "order" => {
                args.next();
                order = number(args.value("order")?)?;
            }
            "classid" | "flowid" => {
                args.next();
                r.classid = Some(args.parse("classid")?);
            }
            "action" | "actions" => r.actions = action::parse_list(h, args)?,
            other => bail!("route: what is \"{other}\"?"),
        }
    }
    Ok((r, order))
}

/// `flow map key K [and M] [or M] [xor M] [rshift N] [addend N] | flow hash
/// keys K,K... [perturb S]`, then `[divisor N] [baseclass C] [action ...]`.
fn parse_flow(h: &Handle, args: &mut Args<'_>) -> Result<Flow> {
    let mut f = Flow::default();
    let (mut mode, mut mask, mut xor) = (FLOW_MODE_MAP, u32::MAX, 0u32);
    while let Some(w) = args.peek() {
        args.next();
        match w {
            "map" => mode = FLOW_MODE_MAP,
            "hash" => mode = FLOW_MODE_HASH,
            "key" | "keys" => {
                let mut keys = 0;
                for k in args.value("keys")?.split(',') {
                    let Some(bit) = FLOW_KEYS.iter().position(|n| *n == k) else {
                        bail!("flow: unknown key \"{k}\"");
                    };
                    keys |= 1 << bit;
                }
                f.keys = Some(keys);
            }
            // tc's transfer_bitop: xor = x ^ (xor & m); mask &= m.
            "and" => {
                let v = number(args.value("and")?)?;
                xor &= v;
                mask &= v;
            }
            "or" => {
                let v = number(args.value("or")?)?;
                xor = v ^ (xor & !v);
                mask &= !v;
            }
            "xor" => xor ^= number(args.value("xor")?)?,
            "rshift" => f.rshift = Some(number(args.value("rshift")?)?),
            "addend" => f.addend = Some(number(args.value("addend")?)?),
            "divisor" => f.divisor = Some(number(args.value("divisor")?)?),
            "perturb" => f.perturb = Some(number(args.value("perturb")?)?),
            "baseclass" => f.baseclass = Some(args.parse::<TcHandle>("baseclass")?.0),
            "action" | "actions" => {
                // parse_list wants to see the word.
                let mut rest = vec![w];
                while let Some(x) = args.next() {
                    rest.push(x);
                }
                f.actions = action::parse_list(h, &mut Args::new(rest))?;
            }
            other => bail!("flow: what is \"{other}\"?"),
        }
    }
    f.mode = Some(mode);
    if mask != u32::MAX || xor != 0 {
        f.mask = Some(mask);
        f.xor = Some(xor);
    }
    Ok(f)
}

fn parse_fw(h: &Handle, args: &mut Args<'_>) -> Result<Fw> {
    let mut f = Fw::default();
    while let Some(w) = args.peek() {
        match w {
            "classid" | "flowid" => {
                args.next();
                f.classid = Some(args.parse("classid")?);
            }
            "action" | "actions" => f.actions = action::parse_list(h, args)?,
            other => bail!("fw: what is \"{other}\"?"),
        }
    }
    Ok(f)
}

/// `bpf (object-pinned|pinned) PATH [da|direct-action] [name NAME] [classid C] [action ...]`.
fn parse_bpf(
    h: &Handle,
    args: &mut Args<'_>,
) -> Result<(Bpf, Option<netlink::nl_sock::bpf::Program>)> {
    use std::os::fd::AsRawFd;
    let mut b = Bpf::default();
    let mut program = None;
    while let Some(w) = args.peek() {
        match w {
            "object-pinned" | "pinned" => {
                args.next();
                let path = args.value("object-pinned")?;
                let p = netlink::nl_sock::bpf::Program::from_pinned(std::path::Path::new(&path))
                    .with_context(|| format!("cannot open pinned program {path}"))?;
                b.fd = Some(u32::try_from(p.as_raw_fd())?);
                if b.name.is_none() {
                    b.name = Some(path.rsplit('/').next().unwrap_or(path).to_string());
                }
                program = Some(p);
            }
            "fd" => bail!("bpf: \"fd\" cannot cross a command line; use \"object-pinned PATH\""),
            "da" | "direct-action" => {
                args.next();
                b.direct_action = true;
            }
            "bytecode" | "bytecode-file" => {
                args.next();
                let v = args.value(w)?;
                let text = if w == "bytecode" {
                    v.to_string()
                } else {
                    std::fs::read_to_string(v).with_context(|| format!("cannot read {v}"))?
                };
                b.ops = Some(parse_bytecode(&text)?);
            }
            "name" => {
                args.next();
                b.name = Some(args.value("name")?.to_string());
            }
            "classid" | "flowid" => {
                args.next();
                b.classid = Some(args.parse("classid")?);
            }
            "skip_hw" | "skip_sw" => {
                let bit = if w == "skip_hw" { SKIP_HW } else { SKIP_SW };
                b.flags_gen = Some(b.flags_gen.unwrap_or(0) | bit);
                args.next();
            }
            "action" | "actions" => b.actions = action::parse_list(h, args)?,
            other => bail!("bpf: what is \"{other}\"?"),
        }
    }
    if program.is_none() && b.ops.is_none() {
        bail!("bpf: \"object-pinned PATH\" or \"bytecode\" is required");
    }
    Ok((b, program))
}

/// Classic BPF as `tc ... bytecode` and `bpf_asm -c`-style files write it:
/// `N,code jt jf k,code jt jf k,...` (commas or newlines between).
fn parse_bytecode(text: &str) -> Result<Vec<ClassicInsn>> {
    let mut parts = text
        .split([',', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let n: usize = parts
        .next()
        .context("bpf: empty bytecode")?
        .parse()
        .context("bpf: bytecode starts with its length")?;
    let insns = parts
        .map(|p| {
            let f: Vec<&str> = p.split_whitespace().collect();
            let [code, jt, jf, k] = f.as_slice() else {
                bail!("bpf: \"{p}\" is not \"code jt jf k\"");
            };
            Ok(ClassicInsn {
                code: code.parse()?,
                jt: jt.parse()?,
                jf: jf.parse()?,
                k: k.parse()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if insns.len() != n {
        bail!("bpf: bytecode says {n} instructions, has {}", insns.len());
    }
    Ok(insns)
}

/// Classic bytecode as tc prints it (no space after the quote).
fn bytecode_text(ops: &[ClassicInsn]) -> String {
    let body: Vec<String> = ops
        .iter()
        .map(|i| format!("{} {} {} {}", i.code, i.jt, i.jf, i.k))
        .collect();
    format!("bytecode '{},{}'", ops.len(), body.join(","))
}

/// A u32 handle as tc prints it (`800:`, `800::800`).
fn u32_handle(h: u32) -> String {
    let (htid, hash, node) = (h >> 20, (h >> 12) & 0xff, h & 0xfff);
    let mut s = String::new();
    if htid != 0 {
        s += &format!("{htid:x}:");
    }
    if hash != 0 || node != 0 {
        if hash != 0 {
            s += &format!("{hash:x}");
        }
        if node != 0 {
            s += &format!(":{node:x}");
        }
    }
    s
}

fn hw_flags_text(flags: Option<u32>) -> String {
    let Some(f) = flags else {
        return String::new();
    };
    let mut s = String::new();
    if f & SKIP_HW != 0 {
        s += "skip_hw ";
    }
    if f & SKIP_SW != 0 {
        s += "skip_sw ";
    }
    if f & IN_HW != 0 {
        s += "in_hw ";
    } else if f & NOT_IN_HW != 0 {
        s += "not_in_hw ";
    }
    s
}

fn hw_flags_json(o: &mut Map<String, Value>, flags: Option<u32>) {
    let Some(f) = flags else { return };
    for (bit, key) in [(SKIP_HW, "skip_hw"), (SKIP_SW, "skip_sw")] {
        if f & bit != 0 {
            o.insert(key.into(), json!(true));
        }
    }
    if f & IN_HW != 0 {
        o.insert("in_hw".into(), json!(true));
    } else if f & NOT_IN_HW != 0 {
        o.insert("not_in_hw".into(), json!(true));
    }
}

fn actions_text(acts: &[netlink::nl_route::tc::Action], names: &Names, stats: bool) -> String {
    acts.iter()
        .enumerate()
        .map(|(i, a)| format!("\n{}\n", action::text(a, i + 1, names, stats, true)))
        .collect()
}

fn actions_json(
    o: &mut Map<String, Value>,
    acts: &[netlink::nl_route::tc::Action],
    names: &Names,
    stats: bool,
) {
    if !acts.is_empty() {
        let list: Vec<Value> = acts
            .iter()
            .enumerate()
            .map(|(i, a)| action::json(a, i + 1, names, stats, true))
            .collect();
        o.insert("actions".into(), Value::Array(list));
    }
}

fn match_json(k: &U32Key) -> Value {
    json!({
        "value": format!("{:x}", k.val),
        "mask": format!("{:x}", k.mask),
        "offmask": if k.offmask != 0 { "nexthdr+" } else { "" },
        "off": k.off,
    })
}

/// The parent as tc writes it when it differs from the one asked for
/// (`root`, `ingress`, `egress`, `parent P`): text, and JSON key/value.
fn parent_of(parent: TcHandle, shown: Option<TcHandle>) -> Option<(String, String, Value)> {
    if shown == Some(parent) {
        return None;
    }
    Some(match parent {
        TcHandle::ROOT => ("root ".into(), "root".into(), json!(true)),
        TcHandle::INGRESS_FILTERS => ("ingress ".into(), "ingress".into(), json!(true)),
        TcHandle::EGRESS_FILTERS => ("egress ".into(), "egress".into(), json!(true)),
        p => (
            format!("parent {p} "),
            "parent".into(),
            json!(p.to_string()),
        ),
    })
}

/// What every line of `tc filter show` starts with: `filter [PARENT]
/// [protocol P] [pref N] KIND [chain N] `, and the same keys for JSON.
struct Prefix<'a> {
    parent: TcHandle,
    protocol: Protocol,
    priority: u16,
    kind: &'a str,
    chain: Option<u32>,
}

impl Prefix<'_> {
    fn of(e: &FilterEntry) -> Prefix<'_> {
        match e {
            FilterEntry::Filter(f) => Prefix {
                parent: f.parent,
                protocol: f.protocol,
                priority: f.priority,
                kind: f.kind.name(),
                chain: f.chain,
            },
            FilterEntry::Head(h) => Prefix {
                parent: h.parent,
                protocol: h.protocol,
                priority: h.priority,
                kind: &h.kind,
                chain: h.chain,
            },
            FilterEntry::U32Table(t) => Prefix {
                parent: t.parent,
                protocol: t.protocol,
                priority: t.priority,
                kind: "u32",
                chain: t.chain,
            },
        }
    }

    fn text(&self, shown: Option<TcHandle>) -> String {
        let mut s = String::from("filter ");
        if let Some((t, _, _)) = parent_of(self.parent, shown) {
            s += &t;
        }
        // tc leaves out a protocol or priority of 0.
        if self.protocol.0 != 0 {
            s += &format!("protocol {} ", self.protocol);
        }
        if self.priority != 0 {
            s += &format!("pref {} ", self.priority);
        }
        s += &format!("{} ", self.kind);
        if let Some(c) = self.chain {
            s += &format!("chain {c} ");
        }
        s
    }

    fn json(&self, shown: Option<TcHandle>) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some((_, k, v)) = parent_of(self.parent, shown) {
            m.insert(k, v);
        }
        if self.protocol.0 != 0 {
            m.insert("protocol".into(), json!(self.protocol.to_string()));
        }
        if self.priority != 0 {
            m.insert("pref".into(), json!(self.priority));
        }
        m.insert("kind".into(), json!(self.kind));
        if let Some(c) = self.chain {
            m.insert("chain".into(), json!(c));
        }
        m
    }
}

/// One line of `tc filter show` (a filter, a priority's head or a u32
/// hash table); `shown`: the parent asked for, which tc leaves out.
pub fn text(e: &FilterEntry, names: &Names, shown: Option<TcHandle>, stats: bool) -> String {
    let mut s = Prefix::of(e).text(shown);
    let f = match e {
        FilterEntry::Filter(f) => f,
        FilterEntry::U32Table(t) => {
            return s + &format!("fh {} ht divisor {} ", u32_handle(t.handle), t.divisor);
        }
        _ => return s,
    };
    match &f.kind {
        FilterKind::U32(u) => {
            if f.handle != 0 {
                s += &format!("fh {} ", u32_handle(f.handle));
            }
            let node = f.handle & 0xfff;
            if node != 0 {
                s += &format!("order {node} ");
            }
            if let Some(ht) = u.hash_table {
                s += &format!("key ht {:x} bkt {:x} ", ht >> 20, (ht >> 12) & 0xff);
            }
            let terminal = u
                .sel
                .as_ref()
                .is_some_and(|sel| sel.flags & TC_U32_TERMINAL != 0);
            if let Some(c) = u.classid {
                // tc marks a terminal selector's class with a star.
                s += &format!("{}flowid {c} ", if terminal { "*" } else { "" });
            } else if terminal {
                s += "terminal flowid ";
            }
            if let Some(l) = u.link {
                s += &format!("link {} ", u32_handle(l));
            }
            s += &hw_flags_text(u.flags);
            if let Some(sel) = &u.sel {
                for k in &sel.keys {
                    let at = if k.offmask != 0 { "nexthdr+" } else { "" };
                    s += &format!("\n  match {:08x}/{:08x} at {at}{}", k.val, k.mask, k.off);
                }
            }
            s += &actions_text(&u.actions, names, stats);
        }
        FilterKind::Matchall(m) => {
            if f.handle != 0 {
                s += &format!("handle {:#x} ", f.handle);
            }
            if let Some(c) = m.classid {
                s += &format!("flowid {c} ");
            }
            s += &hw_flags_text(m.flags);
            s += &actions_text(&m.actions, names, stats);
        }
        FilterKind::Fw(w) => {
            if f.handle != 0 {
                s += &format!("handle {:#x} ", f.handle);
            }
            if let Some(c) = w.classid {
                s += &format!("classid {c} ");
            }
            s += &actions_text(&w.actions, names, stats);
        }
        FilterKind::Route(r) => {
            if f.handle != 0 {
                s += &format!("fh 0x{:08x} ", f.handle);
            }
            if f.handle & 0x7F00 != 0 {
                s += &format!("order {} ", (f.handle >> 8) & 0x7F);
            }
            if let Some(c) = r.classid {
                s += &format!("flowid {c} ");
            }
            let realm = |v: u32| {
                if v == 0 {
                    "cosmos".to_string()
                } else {
                    v.to_string()
                }
            };
            if let Some(v) = r.to {
                s += &format!("to {} ", realm(v));
            }
            if let Some(v) = r.from {
                s += &format!("from {} ", realm(v));
            }
            if let Some(v) = r.iif {
                s += &format!("fromif {}", common::name(names, v));
            }
            s += &actions_text(&r.actions, names, stats);
        }
        FilterKind::Cgroup(c) => {
            if f.handle != 0 {
                s += &format!("handle 0x{:x} ", f.handle);
            }
            s += &actions_text(&c.actions, names, stats);
        }
        FilterKind::Flow(o) => {
            s += &format!("handle 0x{:x} ", f.handle);
            match o.mode {
                Some(FLOW_MODE_MAP) => s += "map ",
                Some(FLOW_MODE_HASH) => s += "hash ",
                _ => {}
            }
            if o.keys.is_some() {
                s += &format!("keys {} ", o.key_names().join(","));
            }
            let (mask, val) = (o.mask.unwrap_or(u32::MAX), o.xor.unwrap_or(0));
            if mask != u32::MAX || val != 0 {
                let (or, xor) = ((mask & val) ^ val, mask & val);
                if mask != u32::MAX {
                    s += &format!("and 0x{mask:08x} ");
                }
                if xor != 0 {
                    s += &format!("xor 0x{xor:08x} ");
                }
                if or != 0 {
                    s += &format!("or 0x{or:08x} ");
                }
            }
            if let Some(v) = o.rshift {
                s += &format!("rshift {v} ");
            }
            if let Some(v) = o.addend {
                s += &format!("addend 0x{v:x} ");
            }
            if let Some(v) = o.divisor {
                s += &format!("divisor {v} ");
            }
            if let Some(v) = o.base() {
                s += &format!("baseclass {v} ");
            }
            if let Some(v) = o.perturb {
                s += &format!("perturb {v}sec ");
            }
            if !o.actions.is_empty() {
                s += "\n";
                s += &actions_text(&o.actions, names, stats);
            }
        }
        FilterKind::Basic(b) => {
            if f.handle != 0 {
                s += &format!("handle {:#x} ", f.handle);
            }
            if let Some(c) = b.classid {
                s += &format!("flowid {c} ");
            }
            if let Some(e) = &b.ematches {
                s += &ematch::text(e);
            }
            s += &actions_text(&b.actions, names, stats);
        }
        FilterKind::Flower(fl) => {
            s += &flower::text(fl, f.handle);
            s += &actions_text(&fl.actions, names, stats);
        }
        FilterKind::Bpf(b) => {
            if f.handle != 0 {
                s += &format!("handle {:#x} ", f.handle);
            }
            if let Some(c) = b.classid {
                s += &format!("flowid {c} ");
            }
            if let Some(n) = &b.name {
                s += &format!("{n} ");
            }
            if b.direct_action {
                s += "direct-action ";
            }
            s += &hw_flags_text(b.flags_gen);
            if let Some(ops) = b.ops.as_deref().filter(|o| !o.is_empty()) {
                s += &bytecode_text(ops);
            }
            if let Some(id) = b.id {
                s += &format!("id {id} ");
            }
            if let Some(tag) = b.tag {
                s += &format!("tag {} ", common::hex_string(&tag));
            }
            s += &actions_text(&b.actions, names, stats);
        }
        _ => {}
    }
    s
}

/// One entry as `tc -j filter show` prints it.
pub fn json(e: &FilterEntry, names: &Names, shown: Option<TcHandle>, stats: bool) -> Value {
    let mut m = Prefix::of(e).json(shown);
    let f = match e {
        FilterEntry::Filter(f) => f,
        FilterEntry::U32Table(t) => {
            let o = json!({"fh": u32_handle(t.handle), "ht_divisor": t.divisor});
            m.insert("options".into(), o);
            return Value::Object(m);
        }
        _ => return Value::Object(m),
    };
    let mut o = Map::new();
    match &f.kind {
        FilterKind::U32(u) => {
            if f.handle != 0 {
                o.insert("fh".into(), json!(u32_handle(f.handle)));
            }
            let node = f.handle & 0xfff;
            if node != 0 {
                o.insert("order".into(), json!(node));
            }
            if let Some(ht) = u.hash_table {
                o.insert("key_ht".into(), json!(format!("{:x}", ht >> 20)));
                o.insert("bkt".into(), json!(format!("{:x}", (ht >> 12) & 0xff)));
            }
            if let Some(c) = u.classid {
                o.insert("flowid".into(), json!(c.to_string()));
            }
            if let Some(l) = u.link {
                o.insert("link".into(), json!(u32_handle(l)));
            }
            hw_flags_json(&mut o, u.flags);
            if let Some(sel) = &u.sel {
                // tc repeats the "match" key per key; an array here when
                // there are several.
                match sel.keys.as_slice() {
                    [] => {}
                    [k] => {
                        o.insert("match".into(), match_json(k));
                    }
                    keys => {
                        o.insert("match".into(), keys.iter().map(match_json).collect());
                    }
                }
            }
            actions_json(&mut o, &u.actions, names, stats);
        }
        FilterKind::Matchall(a) => {
            if f.handle != 0 {
                o.insert("handle".into(), json!(format!("{:#x}", f.handle)));
            }
            if let Some(c) = a.classid {
                o.insert("flowid".into(), json!(c.to_string()));
            }
            hw_flags_json(&mut o, a.flags);
            actions_json(&mut o, &a.actions, names, stats);
        }
        FilterKind::Fw(w) => {
            if f.handle != 0 {
                o.insert("handle".into(), json!(format!("{:#x}", f.handle)));
            }
            if let Some(c) = w.classid {
                o.insert("classid".into(), json!(c.to_string()));
            }
            actions_json(&mut o, &w.actions, names, stats);
        }
        FilterKind::Basic(b) => {
            // tc prints the matches as text even under -j; the rest is
            // its JSON.
            if f.handle != 0 {
                o.insert("handle".into(), json!(format!("{:x}", f.handle)));
            }
            if let Some(c) = b.classid {
                o.insert("flowid".into(), json!(c.to_string()));
            }
            actions_json(&mut o, &b.actions, names, stats);
        }
        FilterKind::Flower(fl) => {
            o = flower::json(fl, f.handle);
            actions_json(&mut o, &fl.actions, names, stats);
        }
        FilterKind::Bpf(b) => {
            if f.handle != 0 {
                o.insert("handle".into(), json!(format!("{:#x}", f.handle)));
            }
            if let Some(c) = b.classid {
                o.insert("flowid".into(), json!(c.to_string()));
            }
            if let Some(n) = &b.name {
                o.insert("bpf_name".into(), json!(n));
            }
            if b.direct_action {
                o.insert("direct-action".into(), json!(true));
            }
            hw_flags_json(&mut o, b.flags_gen);
            if let Some(ops) = b.ops.as_deref().filter(|o| !o.is_empty()) {
                let insns: Vec<Value> = ops
                    .iter()
                    .map(|i| json!({"code": i.code, "jt": i.jt, "jf": i.jf, "k": i.k}))
                    .collect();
                o.insert(
                    "bytecode".into(),
                    json!({"length": ops.len(), "insns": insns}),
                );
            }
            if let Some(id) = b.id {
                o.insert("prog".into(), json!({"id": id}));
            }
            actions_json(&mut o, &b.actions, names, stats);
        }
        _ => {}
    }
    if !o.is_empty() {
        m.insert("options".into(), Value::Object(o));
    }
    Value::Object(m)
}

/// What `text` prints after the kind and chain: a filter's options (a
/// chain template's keys).
pub fn options_text(e: &FilterEntry, names: &Names) -> String {
    let prefix = Prefix::of(e);
    let shown = Some(prefix.parent);
    let skip = prefix.text(shown).len();
    text(e, names, shown, false)
        .get(skip..)
        .unwrap_or_default()
        .to_string()
}

/// The `options` object `json` prints, if any.
pub fn options_json(e: &FilterEntry, names: &Names) -> Option<Value> {
    match json(e, names, None, false) {
        Value::Object(mut m) => m.remove("options"),
        _ => None,
    }
}
