//! `tc chain show|add|del|get`: filter chains and their templates.

use std::io::Write;

use anyhow::{Result, bail};
use netlink::Handle;
use netlink::nl_route::tc::{Chain, Filter, FilterEntry, FilterKind, TcHandle};
use serde_json::{Map, Value, json};

use super::common::{self, Names};
use super::{Opts, filter};
use crate::args::{Args, matches};

/// `tc chain COMMAND ...`.
pub fn run(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    match cmd {
        c if matches(c, "show", 1) || matches(c, "list", 1) || c == "lst" => {
            show(h, opts, args, out)
        }
        c if matches(c, "get", 1) => {
            let chain = parse(h, args)?;
            let found = h
                .chain_list(chain.index, chain.parent)?
                .into_iter()
                .find(|c| c.chain == chain.chain);
            let Some(found) = found else {
                bail!("Error: Cannot find specified filter chain.");
            };
            let names = common::names(h)?;
            let item = (
                json(&found, &names, None, None),
                text(&found, &names, None, None),
            );
            common::print_list(out, opts, vec![item])
        }
        "add" => h.chain_add(&parse(h, args)?).map_err(Into::into),
        c if matches(c, "delete", 1) => h.chain_del(&parse(h, args)?).map_err(Into::into),
        "help" => {
            writeln!(
                out,
                "Usage: tc chain [ add | del | get | show ] [ dev STRING ]"
            )?;
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"tc chain help\"."),
    }
}

/// `dev X (parent P|ingress|egress|root) chain N [protocol P] [KIND KEYS]`:
/// the filter grammar, whose kind and keys are the template.
pub fn parse(h: &Handle, args: Args<'_>) -> Result<Chain> {
    let (f, _) = filter::parse(h, args)?;
    let mut c = Chain::new(f.index, f.parent, f.chain.unwrap_or(0));
    c.protocol = f.protocol;
    if !matches!(&f.kind, FilterKind::Other { kind, .. } if kind.is_empty()) {
        c.template = Some(f.kind);
    }
    if f.handle != 0 || f.priority != 0 {
        bail!("a chain has no handle or priority");
    }
    Ok(c)
}

fn show(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let (mut dev, mut parent, mut only) = (None, None, None);
    while let Some(w) = args.next() {
        match w {
            "dev" => dev = Some(args.value("dev")?),
            "ingress" => parent = Some(TcHandle::INGRESS_FILTERS),
            "egress" => parent = Some(TcHandle::EGRESS_FILTERS),
            "root" => parent = Some(TcHandle::ROOT),
            "parent" => parent = Some(args.parse::<TcHandle>("parent")?),
            c if matches(c, "chain", 1) => only = Some(args.parse::<u32>("chain")?),
            other => bail!(" What is \"{other}\"? Try \"tc filter help\""),
        }
    }
    let Some(dev) = dev else {
        bail!("Cannot find device \"\"")
    };
    let list = h.chain_list(dev, parent.unwrap_or(TcHandle::NONE))?;
    let names = common::names(h)?;
    let items = list
        .iter()
        .map(|c| (json(c, &names, parent, only), text(c, &names, parent, only)))
        .collect();
    common::print_list(out, opts, items)
}

/// The parent as tc prints a chain's: left out when it is the one asked
/// for; the kernel reports the qdisc's handle (`ffff:` for ingress).
fn parent_of(c: &Chain, shown: Option<TcHandle>) -> Option<(String, &'static str, Value)> {
    if shown == Some(c.parent) {
        return None;
    }
    Some(match c.parent {
        TcHandle::ROOT => ("root ".into(), "root", json!(true)),
        TcHandle::INGRESS_FILTERS => ("ingress ".into(), "ingress", json!(true)),
        TcHandle::EGRESS_FILTERS => ("egress ".into(), "egress", json!(true)),
        p => (format!("parent {p} "), "parent", json!(p.to_string())),
    })
}

/// The template as a filter, for the filter printers.
fn template_filter(c: &Chain) -> Option<FilterEntry> {
    let kind = c.template.clone()?;
    Some(FilterEntry::Filter(Filter::new(
        c.index, c.parent, c.protocol, kind,
    )))
}

/// One chain as `tc chain show` prints it (`shown`: the parent and chain
/// asked for, which tc leaves out; the device is always asked for).
pub fn text(c: &Chain, names: &Names, shown: Option<TcHandle>, only: Option<u32>) -> String {
    let mut s = String::from("chain ");
    if let Some((t, _, _)) = parent_of(c, shown) {
        s += &t;
    }
    if let Some(t) = &c.template {
        s += &format!("{} ", t.name());
    }
    if only != Some(c.chain) {
        s += &format!("chain {} ", c.chain);
    }
    if let Some(e) = template_filter(c) {
        s += &filter::options_text(&e, names);
    }
    s
}

/// One chain as `tc -j chain show` prints it.
pub fn json(c: &Chain, names: &Names, shown: Option<TcHandle>, only: Option<u32>) -> Value {
    let mut m = Map::new();
    if let Some((_, k, v)) = parent_of(c, shown) {
        m.insert(k.into(), v);
    }
    if let Some(t) = &c.template {
        m.insert("kind".into(), json!(t.name()));
    }
    if only != Some(c.chain) {
        m.insert("chain".into(), json!(c.chain));
    }
    if let Some(e) = template_filter(c)
        && let Some(o) = filter::options_json(&e, names)
    {
        m.insert("options".into(), o);
    }
    Value::Object(m)
}
