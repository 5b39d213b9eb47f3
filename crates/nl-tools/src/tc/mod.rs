//! A `tc`-compatible command line over the netlink facade's traffic
//! control calls.
//!
//! ```text
//! nl tc [-j [-p]] [-s] [-d] [-n NETNS] OBJECT COMMAND ...
//!   qdisc show [dev X] | add|replace|change|del dev X (root|ingress|clsact|parent P) [handle H] KIND [OPTIONS]
//!   class show dev X | add|replace|change|del dev X parent P classid C htb rate R [ceil R] ...
//!   filter show dev X [parent P|ingress|egress] | add|replace|change|del dev X (parent P|ingress|egress)
//!       [protocol PROTO] [pref N] [handle H] u32|matchall|fw|route|cgroup|flow|bpf|flower|basic ... [action ...]
//!   chain show dev X [parent P|ingress|egress] | add|del|get dev X (parent P|ingress|egress) chain N [KIND KEYS]
//!   actions add|replace|del|get|list action KIND ...
//! ```
//!
//! Plain output reads like `tc`'s; `-j` prints the keys `tc -j` prints.

pub mod action;
pub mod chain;
pub mod class;
pub mod common;
pub mod ematch;
pub mod filter;
pub mod flower;
pub mod monitor;
pub mod qdisc;

use std::io::Write;

use anyhow::{Result, bail};
use netlink::Handle;

use crate::args::{Args, Globals, matches};

pub use crate::args::Opts;

/// `tc`'s whole command line (global options, then a command), printing
/// to `out`.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let mut args = Args::new(words.iter().map(String::as_str));
    let g = Globals::read(&mut args, "tc")?;
    if g.help {
        return usage(out);
    }
    command(&crate::ip::handle(g.netns)?, &g.opts(), args, out)
}

fn usage(out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "Usage: tc [-j [-p]] [-s] [-d] [-n NETNS] {{ qdisc | class | filter | chain | actions }} {{ COMMAND | help }}"
    )?;
    Ok(())
}

/// Runs one command (`OBJECT COMMAND ...`, without global options).
pub fn command(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let object = args.next().unwrap_or("help");
    match object {
        o if matches(o, "qdisc", 1) => qdisc::run(h, opts, args, out),
        o if matches(o, "class", 1) => class::run(h, opts, args, out),
        o if matches(o, "filter", 1) => filter::run(h, opts, args, out),
        o if matches(o, "chain", 1) => chain::run(h, opts, args, out),
        o if matches(o, "actions", 1) => action::run(h, opts, args, out),
        o if matches(o, "monitor", 1) => monitor::run(h, opts, args, out),
        "help" | "-help" => usage(out),
        other => bail!("Object \"{other}\" is unknown, try \"tc help\"."),
    }
}
