//! `ipset`: `list [-t | -n] [SET]`, `save [SET]`, and `add | del | test
//! SET MEMBER [OPTIONS]`, printing what the `ipset` tool prints. Global
//! options: `-exist` (adding a member that is there, or deleting one that
//! is not, is no error), `-q` (no word on a membership test), `-n NETNS`.

use std::io::Write;

use anyhow::{Context, Result, bail};
use netlink::nl_netfilter::ipset::{self, Entry, ListPosition};
use netlink::{Handle, IpSet};

use crate::args::Args;

/// The options of one command line.
#[derive(Debug, Default)]
struct Opts<'a> {
    exist: bool,
    quiet: bool,
    netns: Option<&'a str>,
}

/// `ipset`'s whole command line, printing to `out`.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let mut args = Args::new(words.iter().map(String::as_str));
    let mut o = Opts::default();
    while let Some(w) = args.peek().filter(|w| w.starts_with('-')) {
        args.next();
        match w.trim_start_matches('-') {
            "exist" | "!" => o.exist = true,
            "q" | "quiet" => o.quiet = true,
            "n" | "netns" => o.netns = Some(args.value("-n")?),
            "h" | "help" => return usage(out),
            _ => bail!("The option \"{w}\" is not implemented"),
        }
    }
    let h = crate::ip::handle(o.netns)?;
    match args.next().unwrap_or("help") {
        "list" | "-L" => list(&h, args, out),
        "save" | "-S" => save(&h, args, out),
        "add" | "-A" => adt(&h, &o, ipset::Adt::Add, args),
        "del" | "-D" => adt(&h, &o, ipset::Adt::Del, args),
        "test" | "-T" => adt(&h, &o, ipset::Adt::Test, args),
        "help" => usage(out),
        other => bail!(
            "The command \"{other}\" is not implemented (nl ipset: list, save, add, del, test)"
        ),
    }
}

fn usage(out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "Usage: ipset [-exist] [-q] [-n NETNS] {{ list [-t | -n] [SETNAME] | save [SETNAME] |\n       {{ add | del | test }} SETNAME ENTRY [timeout N] [packets N] [bytes N] [comment STR]\n       [nomatch] [skbmark MARK[/MASK]] [skbprio MAJ:MIN] [skbqueue N] [before|after SETNAME] }}"
    )?;
    Ok(())
}

/// `ipset list [-t | -n] [SETNAME]`.
fn list(h: &Handle, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let mut what = ipset::ListWhat::All;
    let mut name = None;
    while let Some(w) = args.next() {
        match w {
            "-t" | "-terse" => what = ipset::ListWhat::Headers,
            "-n" | "-name" => what = ipset::ListWhat::Names,
            w if w.starts_with('-') => bail!("The option \"{w}\" is not implemented"),
            w if name.is_none() => name = Some(w),
            w => bail!("Unknown argument: `{w}'"),
        }
    }
    let sets = h.ipset_list_what(name, what)?;
    if let Some(n) = name {
        if !sets.iter().any(|s| s.name == n) {
            bail!("The set with the given name does not exist");
        }
    }
    match what {
        ipset::ListWhat::Names => {
            for s in &sets {
                writeln!(out, "{}", s.name)?;
            }
        }
        ipset::ListWhat::Headers => out.write_all(ipset::list_text(&sets, true).as_bytes())?,
        ipset::ListWhat::All => out.write_all(ipset::list_text(&sets, false).as_bytes())?,
    }
    Ok(())
}

/// `ipset save [SETNAME]`.
fn save(h: &Handle, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let name = args.next();
    args.done()?;
    let sets: Vec<IpSet> = match name {
        Some(n) => vec![h.ipset_list(n)?],
        None => h.ipset_list_all()?,
    };
    for s in &sets {
        write!(out, "{}", s.save())?;
    }
    Ok(())
}

/// Reads a member and its options for a set of `type_name`.
fn member(type_name: &str, args: &mut Args<'_>) -> Result<Entry> {
    let key = args.next().context("Missing mandatory argument: ENTRY")?;
    let mut e = Entry::parse(type_name, key)?;
    while let Some(w) = args.next() {
        match w {
            "timeout" => e.timeout = Some(args.parse("timeout")?),
            "packets" => e.packets = Some(args.parse("packets")?),
            "bytes" => e.bytes = Some(args.parse("bytes")?),
            "comment" => e.comment = Some(args.value("comment")?.to_string()),
            "nomatch" => e.nomatch = true,
            "wildcard" => e.wildcard = true,
            "skbmark" => {
                let v = args.value("skbmark")?;
                let (mark, mask) = v.split_once('/').unwrap_or((v, "0xffffffff"));
                e.skbmark = Some((number(mark)?, number(mask)?));
            }
            "skbprio" => {
                let v = args.value("skbprio")?;
                let (maj, min) = v.split_once(':').context("skbprio is MAJOR:MINOR")?;
                e.skbprio =
                    Some((u32::from_str_radix(maj, 16)? << 16) | u32::from_str_radix(min, 16)?);
            }
            "skbqueue" => e.skbqueue = Some(args.parse("skbqueue")?),
            "before" => e.position = Some(ListPosition::Before(args.value("before")?.into())),
            "after" => e.position = Some(ListPosition::After(args.value("after")?.into())),
            other => bail!("Unknown argument: `{other}'"),
        }
    }
    Ok(e)
}

/// A number as ipset reads one: decimal, or hex with `0x`.
fn number(s: &str) -> Result<u32> {
    Ok(match s.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16)?,
        None => s.parse()?,
    })
}

/// `ipset add | del | test SETNAME ENTRY [OPTIONS]`.
fn adt(h: &Handle, o: &Opts<'_>, adt: ipset::Adt, mut args: Args<'_>) -> Result<()> {
    let set = args.next().context("Missing mandatory argument: SETNAME")?;
    // As the ipset tool: the set's type tells how to read the member.
    let header = h.ipset_header(set)?;
    let e = member(&header.type_name, &mut args)?;
    match adt {
        ipset::Adt::Add if o.exist => h.ipset_add_many(set, std::slice::from_ref(&e))?,
        ipset::Adt::Add => h.ipset_add(set, &e)?,
        ipset::Adt::Del if o.exist => h.ipset_del_many(set, std::slice::from_ref(&e))?,
        ipset::Adt::Del => h.ipset_del(set, &e)?,
        ipset::Adt::Test => {
            let key = e.key_text(&header.type_name);
            if !h.ipset_test(set, &e)? {
                bail!("{key} is NOT in set {set}.");
            }
            if !o.quiet {
                // On stderr, as the ipset tool says it.
                eprintln!("Warning: {key} is in set {set}.");
            }
        }
    }
    Ok(())
}
