//! `nft`: `[-j] list ruleset | tables | table FAMILY NAME | chain FAMILY
//! TABLE NAME | set FAMILY TABLE NAME | flowtables [FAMILY]`, printing the JSON `nft -j`
//! prints (or nft's text), for the rules whose expressions [`mod@json`] can
//! translate back into nft's statements (any other expression is an
//! error naming it, never a wrong listing); and `-f FILE` for the subset
//! of nft's grammar [`mod@file`] reads, as one transaction. Global options:
//! `-j`, `-n NETNS`.

pub mod file;
pub mod json;
pub mod text;
mod udata;

use std::io::Write;

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use netlink::nl_netfilter::nft::Family;
use serde_json::{Value, json};

use crate::args::Args;

/// `nft`'s whole command line, printing to `out`.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let mut args = Args::new(words.iter().map(String::as_str));
    let mut as_json = false;
    let mut netns = None;
    while let Some(w) = args.peek().filter(|w| w.starts_with('-')) {
        args.next();
        match w {
            "-j" | "--json" => as_json = true,
            "-n" | "--netns" => netns = Some(args.value("-n")?),
            "-h" | "--help" => return usage(out),
            "-f" | "--file" => {
                let path = args.value("-f")?;
                args.done()?;
                return load(netns, path);
            }
            _ => bail!("The option \"{w}\" is not implemented (nl nft: -j, -n NETNS)"),
        }
    }
    match args.next().unwrap_or("help") {
        "list" => {}
        "-f" | "--file" => {
            let path = args.value("-f")?;
            args.done()?;
            return load(netns, path);
        }
        "help" => return usage(out),
        other => bail!("The command \"{other}\" is not implemented (nl nft: list, -f FILE)"),
    }
    let what = What::parse(&mut args)?;
    let h = crate::ip::handle(netns)?;
    let rs = h.nft_ruleset(what.family())?;
    let mut objects = json::objects(&rs, &what)?;
    if !as_json {
        let t = match what {
            What::Flowtables(_) => text::flowtables(&objects)?,
            _ => text::text(&objects, matches!(what, What::Tables(_)))?,
        };
        out.write_all(t.as_bytes())?;
        return Ok(());
    }
    // nft's JSON (1.0.6) says `type` even of a set declared by `typeof`,
    // and nothing of a flowtable's flags.
    for o in &mut objects {
        for (kind, key) in [("set", "typeof"), ("map", "typeof"), ("flowtable", "flags")] {
            if let Some(m) = o.get_mut(kind).and_then(Value::as_object_mut) {
                m.remove(key);
            }
        }
    }
    // `list flowtables` prints the flowtables alone.
    if matches!(what, What::Flowtables(_)) {
        objects.retain(|o| o.get("flowtable").is_some());
    }
    let mut all = vec![json!({"metainfo": {
        "version": env!("CARGO_PKG_VERSION"),
        "release_name": "nl",
        "json_schema_version": 1,
    }})];
    all.extend(objects);
    crate::json::print(out, &json!({ "nftables": Value::Array(all) }), false)?;
    Ok(())
}

/// `nft -f FILE`: the file as one transaction.
fn load(netns: Option<&str>, path: &str) -> Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    let h = crate::ip::handle(netns)?;
    // Anonymous sets get names above those the tables already hold.
    let mut anon: HashMap<(Family, String), u32> = HashMap::new();
    for s in h.nft_set_list(Family::Unspec, None)? {
        let (Some(t), Some(n)) = (s.table, s.name) else {
            continue;
        };
        if let Some(k) = n.strip_prefix("__set").and_then(|k| k.parse::<u32>().ok()) {
            let e = anon.entry((s.family, t)).or_insert(0);
            *e = (*e).max(k + 1);
        }
    }
    let tx = file::Parser::new(&text, anon)
        .and_then(file::Parser::parse)
        .with_context(|| path.to_string())?;
    h.nft_transaction(&tx)?.into_result()?;
    Ok(())
}

fn usage(out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "Usage: nft [-n NETNS] -f FILE
       nft [-n NETNS] [-j] list {{ ruleset | tables | table FAMILY NAME |\n       chain FAMILY TABLE NAME | set FAMILY TABLE NAME | flowtables }}"
    )?;
    Ok(())
}

/// What `list` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// `list ruleset [FAMILY]`.
    Ruleset(Family),
    /// `list tables [FAMILY]`.
    Tables(Family),
    /// `list table FAMILY NAME`.
    Table(Family, String),
    /// `list chain FAMILY TABLE NAME`.
    Chain(Family, String, String),
    /// `list set FAMILY TABLE NAME`.
    Set(Family, String, String),
    /// `list flowtables [FAMILY]`.
    Flowtables(Family),
}

impl What {
    /// Reads the words after `list`.
    pub fn parse(args: &mut Args<'_>) -> Result<What> {
        let what = match args.next() {
            Some("ruleset") => What::Ruleset(optional_family(args)?),
            Some("tables") => What::Tables(optional_family(args)?),
            Some("flowtables") => What::Flowtables(optional_family(args)?),
            Some("table") => {
                let (f, name) = family_and(args, "table")?;
                What::Table(f, name)
            }
            Some("chain") => {
                let (f, table) = family_and(args, "chain")?;
                What::Chain(f, table, args.value("chain")?.to_string())
            }
            Some("set") => {
                let (f, table) = family_and(args, "set")?;
                What::Set(f, table, args.value("set")?.to_string())
            }
            Some(other) => bail!(
                "\"list {other}\" is not implemented (nl nft: list ruleset, tables, table, chain, set, flowtables)"
            ),
            None => bail!("list what? (ruleset, tables, table, chain, set)"),
        };
        args.done()?;
        Ok(what)
    }

    /// The family to dump.
    pub fn family(&self) -> Family {
        match self {
            What::Ruleset(f) | What::Tables(f) | What::Flowtables(f) => *f,
            What::Table(f, _) | What::Chain(f, ..) | What::Set(f, ..) => *f,
        }
    }
}

/// nft's family word.
pub fn family(word: &str) -> Option<Family> {
    Some(match word {
        "ip" => Family::Ip,
        "ip6" => Family::Ip6,
        "inet" => Family::Inet,
        "arp" => Family::Arp,
        "bridge" => Family::Bridge,
        "netdev" => Family::Netdev,
        _ => return None,
    })
}

fn optional_family(args: &mut Args<'_>) -> Result<Family> {
    match args.next() {
        None => Ok(Family::Unspec),
        Some(w) => family(w).ok_or_else(|| anyhow::anyhow!("unknown family \"{w}\"")),
    }
}

/// `[FAMILY] NAME` as nft reads it (the family defaults to `ip`).
fn family_and(args: &mut Args<'_>, what: &str) -> Result<(Family, String)> {
    let first = args.value(what)?;
    match family(first) {
        Some(f) => Ok((f, args.value(what)?.to_string())),
        None => Ok((Family::Ip, first.to_string())),
    }
}
