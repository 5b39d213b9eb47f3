//! `tc class show|add|replace|change|del` (htb).

use std::io::Write;

use anyhow::{Result, bail};
use netlink::Handle;
use netlink::nl_route::tc::qdisc::Xstats;
use netlink::nl_route::tc::units::{Rate, format_size, parse_size};
use netlink::nl_route::tc::{Class, ClassKind, DrrClass, HtbClass, QfqClass, TcHandle};
use serde_json::{Map, Value, json};

use super::Opts;
use super::common;
use crate::args::{Args, matches};

/// `tc class COMMAND ...`.
pub fn run(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    match cmd {
        c if matches(c, "show", 1) || c == "list" || c == "ls" => show(h, opts, args, out),
        "add" => h.class_add(&parse(h, args)?).map_err(Into::into),
        "replace" => h.class_replace(&parse(h, args)?).map_err(Into::into),
        "change" => h.class_change(&parse(h, args)?).map_err(Into::into),
        "del" | "delete" => h.class_del(&parse(h, args)?).map_err(Into::into),
        other => bail!("Command \"{other}\" is unknown, try \"tc class help\"."),
    }
}

fn show(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    // `dev X`, or just `X`.
    let dev = crate::args::dev_only(&mut args)?;
    let Some(dev) = dev else {
        bail!("Cannot find device \"\"")
    };
    let items = h
        .class_list(dev)?
        .iter()
        .map(|c| (json(c, opts.stats), text(c, opts.stats)))
        .collect();
    common::print_list(out, opts, items)?;
    Ok(())
}

/// `dev X parent P classid C [htb rate R [ceil R] [burst B] [cburst B] [prio N] [quantum N]]`.
pub fn parse(h: &Handle, mut args: Args<'_>) -> Result<Class> {
    let mut index = None;
    let mut parent = TcHandle::ROOT;
    let mut classid = TcHandle::NONE;
    let mut kind = None;
    while let Some(w) = args.next() {
        match w {
            "dev" => index = Some(h.link_index(args.value("dev")?)?),
            "root" => parent = TcHandle::ROOT,
            "parent" => parent = args.parse("parent")?,
            "classid" => classid = args.parse("classid")?,
            "htb" => {
                kind = Some(ClassKind::Htb(parse_htb(&mut args)?));
            }
            "drr" => {
                let mut c = DrrClass::default();
                while let Some(w) = args.next() {
                    match w {
                        "quantum" => c.quantum = Some(parse_size(args.value("quantum")?)?),
                        other => bail!("drr: what is \"{other}\"?"),
                    }
                }
                kind = Some(ClassKind::Drr(c));
            }
            "qfq" => {
                let mut c = QfqClass::default();
                while let Some(w) = args.next() {
                    match w {
                        "weight" => c.weight = Some(args.parse("weight")?),
                        "maxpkt" => c.lmax = Some(args.parse("maxpkt")?),
                        other => bail!("qfq: what is \"{other}\"?"),
                    }
                }
                kind = Some(ClassKind::Qfq(c));
            }
            other => {
                kind = Some(ClassKind::Other {
                    kind: other.to_string(),
                    options: None,
                });
                if let Some(w) = args.peek() {
                    bail!("{other}: options are not supported here (\"{w}\")");
                }
            }
        }
    }
    let Some(index) = index else {
        bail!("Cannot find device \"\"")
    };
    let kind = kind.unwrap_or(ClassKind::Other {
        kind: String::new(),
        options: None,
    });
    Ok(Class::new(index, parent, kind).classid(classid))
}

fn parse_htb(args: &mut Args<'_>) -> Result<HtbClass> {
    let (mut rate, mut ceil) = (None, None);
    let mut c = HtbClass::default();
    while let Some(w) = args.next() {
        match w {
            "rate" => rate = Some(args.parse::<Rate>("rate")?),
            "ceil" => ceil = Some(args.parse::<Rate>("ceil")?),
            "burst" | "buffer" | "maxburst" => c.burst = Some(parse_size(args.value("burst")?)?),
            "cburst" | "cbuffer" | "cmaxburst" => {
                c.cburst = Some(parse_size(args.value("cburst")?)?)
            }
            "prio" => c.prio = args.parse("prio")?,
            "quantum" => c.quantum = args.parse("quantum")?,
            other => bail!("htb: what is \"{other}\"?"),
        }
    }
    let Some(rate) = rate else {
        bail!("\"rate\" is required.")
    };
    c.rate = rate;
    c.ceil = ceil.unwrap_or(rate);
    Ok(c)
}

fn where_text(c: &Class) -> String {
    if c.parent == TcHandle::ROOT {
        "root ".into()
    } else {
        format!("parent {} ", c.parent)
    }
}

/// One class as `tc class show` prints it.
pub fn text(c: &Class, stats: bool) -> String {
    let mut s = format!("class {} {} {}", c.kind.name(), c.handle, where_text(c));
    if let ClassKind::Htb(o) = &c.kind {
        if o.level == 0 {
            s += &format!("prio {} ", o.prio);
        }
        s += &format!("rate {} ceil {} ", o.rate, o.ceil);
        if let Some(b) = o.burst {
            s += &format!("burst {} ", format_size(common::tc_burst(o.rate, b)));
        }
        if let Some(b) = o.cburst {
            s += &format!("cburst {} ", format_size(common::tc_burst(o.ceil, b)));
        }
    }
    // tc prints these two with bare fprintf (text only).
    match &c.kind {
        ClassKind::Drr(DrrClass { quantum: Some(q) }) => {
            s += &format!("quantum {} ", format_size(*q));
        }
        ClassKind::Qfq(q) => {
            if let Some(w) = q.weight {
                s += &format!("weight {w} ");
            }
            if let Some(l) = q.lmax {
                s += &format!("maxpkt {l} ");
            }
        }
        _ => {}
    }
    if stats && let Some(st) = &c.stats {
        s += "\n";
        s += &common::stats_text(st);
        if let Some(Xstats::Htb {
            lends,
            borrows,
            giants,
            tokens,
            ctokens,
        }) = &c.xstats
        {
            s += &format!(
                "\n lended: {lends} borrowed: {borrows} giants: {giants}\n tokens: {tokens} ctokens: {ctokens}\n"
            );
        }
    }
    s
}

/// One class as JSON. tc 6.1 has no JSON for classes (`tc -j class
/// show` prints text); these keys follow its qdisc ones and its text.
pub fn json(c: &Class, stats: bool) -> Value {
    let mut m = Map::new();
    m.insert("class".into(), json!(c.kind.name()));
    m.insert("handle".into(), json!(c.handle.to_string()));
    if c.parent == TcHandle::ROOT {
        m.insert("root".into(), json!(true));
    } else {
        m.insert("parent".into(), json!(c.parent.to_string()));
    }
    if let ClassKind::Htb(o) = &c.kind {
        m.insert("prio".into(), json!(o.prio));
        m.insert("rate".into(), json!(o.rate.bytes()));
        m.insert("ceil".into(), json!(o.ceil.bytes()));
        if let Some(b) = o.burst {
            m.insert("burst".into(), json!(common::tc_burst(o.rate, b)));
        }
        if let Some(b) = o.cburst {
            m.insert("cburst".into(), json!(common::tc_burst(o.ceil, b)));
        }
    }
    if stats && let Some(s) = &c.stats {
        common::stats_json(&mut m, s);
    }
    Value::Object(m)
}
