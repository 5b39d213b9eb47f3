//! An `ip`-compatible command line over the netlink facade.
//!
//! ```text
//! cargo run -p netlink --example ip -- [-j] [-d] [-s] [-4|-6] [-n NETNS] OBJECT COMMAND ...
//!   link show [dev X] | add NAME type veth|bridge|vxlan|macvlan|macvtap|ifb ... | set dev X ... | del dev X
//!   addr show [dev X] | add|del|replace PREFIX ... dev X | flush dev X
//!   route ... | rule show|add|del ... | neigh show|add|replace|change|del ... | nexthop show|get|add|replace|del ...
//!   xfrm state add|update|allocspi|delete|get|list|deleteall|flush|count ...
//!   xfrm policy add|update|delete|get|list|deleteall|flush|count ... | xfrm monitor [GROUPS]
//! ```
//!
//! Plain output reads like `ip`'s; `-j` prints the keys `ip -j` prints.

mod addr;
mod args;
mod batch;
mod json;
mod link;
mod neigh;
mod nexthop;
mod route;
mod rule;
mod text;
mod xfrm;
mod xfrm_text;

use std::process::ExitCode;

use anyhow::{Result, bail};
use netlink::Handle;

use crate::args::{Args, matches};

/// Global options.
pub struct Opts {
    pub json: bool,
    pub details: bool,
    pub stats: bool,
    pub family: u8,
}

fn run(words: Vec<String>) -> Result<()> {
    let mut opts = Opts {
        json: false,
        details: false,
        stats: false,
        family: 0,
    };
    let mut netns = None;
    let mut batch = None;
    let mut force = false;
    let mut args = Args::new(words);
    while let Some(w) = args.peek() {
        if !w.starts_with('-') {
            break;
        }
        let w = args.next().unwrap_or_default();
        match w.as_str() {
            "-j" | "-json" => opts.json = true,
            "-d" | "-details" => opts.details = true,
            "-s" | "-stats" => opts.stats = true,
            "-4" => opts.family = netlink::AF_INET,
            "-6" => opts.family = netlink::AF_INET6,
            "-n" | "-netns" => netns = Some(args.value("-n")?),
            "-b" | "-batch" => batch = Some(args.value("-batch")?),
            "-force" => force = true,
            "-p" | "-pretty" => {}
            other => bail!("Option \"{other}\" is unknown, try \"ip -help\"."),
        }
    }
    let h = match netns {
        Some(ns) if ns.contains('/') => Handle::in_netns(ns)?,
        Some(ns) => Handle::in_netns(format!("/var/run/netns/{ns}"))?,
        None => Handle::new()?,
    };
    match batch {
        Some(file) => run_batch(&h, &opts, &file, force),
        None => run_command(&h, &opts, args.rest()),
    }
}

fn run_command(h: &Handle, opts: &Opts, words: Vec<String>) -> Result<()> {
    let mut args = Args::new(words);
    let object = args.next().unwrap_or_else(|| "help".into());
    let rest = Args::new(args.rest());
    match object.as_str() {
        o if matches(o, "link", 1) => link::run(h, opts, rest),
        o if matches(o, "address", 1) || o == "addr" => addr::run(h, opts, rest),
        o if matches(o, "route", 1) => route::run(h, opts, rest),
        o if matches(o, "rule", 2) => rule::run(h, opts, rest),
        o if matches(o, "neighbour", 1) || matches(o, "neighbor", 1) => neigh::run(h, opts, rest),
        o if matches(o, "nexthop", 2) => nexthop::run(h, opts, rest),
        "fdb" => neigh::run_fdb(h, opts, rest),
        o if matches(o, "xfrm", 1) => xfrm::run(h, opts, rest),
        "help" | "-help" => {
            println!(
                "Usage: ip [-j] [-d] [-s] [-4|-6] [-n NETNS] [-batch FILE [-force]] {{ link | addr | route | rule | neigh | nexthop | xfrm }} {{ COMMAND | help }}"
            );
            Ok(())
        }
        other => bail!("Object \"{other}\" is unknown, try \"ip help\"."),
    }
}

fn run_batch(h: &Handle, opts: &Opts, file: &str, force: bool) -> Result<()> {
    let text = if file == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("cannot read {file}: {e}"))?
    };
    let outcome = batch::run(h, opts, &text, file, force, |words| {
        run_command(h, opts, words)
    })?;
    if !outcome.failed.is_empty() {
        bail!("{} command(s) failed", outcome.failed.len());
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Like ip: the kernel's own words when it gave some.
            match e.downcast_ref::<netlink::Error>() {
                Some(ne) if ne.message().is_some() => {
                    eprintln!("Error: {}.", ne.message().unwrap_or_default())
                }
                Some(ne) if ne.errno().is_some() && !ne.is_not_found() => {
                    eprintln!(
                        "RTNETLINK answers: {}",
                        ne.errno().map(|e| e.desc()).unwrap_or_default()
                    )
                }
                _ => eprintln!("Error: {e:#}"),
            }
            ExitCode::from(2)
        }
    }
}
