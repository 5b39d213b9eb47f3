//! A `tc`-compatible command line over the netlink facade's traffic
//! control calls.
//!
//! ```text
//! cargo run -p netlink --example tc -- [-j] [-s] [-d] [-n NETNS] OBJECT COMMAND ...
//!   qdisc show [dev X] | add|replace|change|del dev X (root|ingress|clsact|parent P) [handle H] KIND [OPTIONS]
//!   class show dev X | add|replace|change|del dev X parent P classid C htb rate R [ceil R] ...
//!   filter show dev X [parent P|ingress|egress] | add|replace|change|del dev X (parent P|ingress|egress)
//!       [protocol PROTO] [pref N] [handle H] u32|matchall|bpf|fw ... [action ...]
//!   actions add|replace|del|get|list action KIND ...
//! ```
//!
//! Plain output reads like `tc`'s; `-j` prints the keys `tc -j` prints.

mod action;
#[path = "../ip/args.rs"]
#[allow(dead_code)]
mod args;
mod class;
mod common;
mod filter;
mod qdisc;

use std::process::ExitCode;

use anyhow::{Result, bail};
use netlink::Handle;

use crate::args::{Args, matches};

/// Global options.
pub struct Opts {
    pub json: bool,
    pub details: bool,
    pub stats: bool,
}

fn run(words: Vec<String>) -> Result<()> {
    let mut opts = Opts {
        json: false,
        details: false,
        stats: false,
    };
    let mut netns = None;
    let mut args = Args::new(words);
    while let Some(w) = args.peek() {
        if !w.starts_with('-') {
            break;
        }
        let w = args.next().unwrap_or_default();
        match w.as_str() {
            "-j" | "-json" => opts.json = true,
            "-d" | "-details" => opts.details = true,
            "-s" | "-stats" | "-statistics" => opts.stats = true,
            "-n" | "-netns" => netns = Some(args.value("-n")?),
            "-p" | "-pretty" => {}
            other => bail!("Option \"{other}\" is unknown, try \"tc -help\"."),
        }
    }
    let h = match netns {
        Some(ns) if ns.contains('/') => Handle::in_netns(ns)?,
        Some(ns) => Handle::in_netns(format!("/var/run/netns/{ns}"))?,
        None => Handle::new()?,
    };
    run_command(&h, &opts, args.rest())
}

fn run_command(h: &Handle, opts: &Opts, words: Vec<String>) -> Result<()> {
    let mut args = Args::new(words);
    let object = args.next().unwrap_or_else(|| "help".into());
    let rest = Args::new(args.rest());
    match object.as_str() {
        o if matches(o, "qdisc", 1) => qdisc::run(h, opts, rest),
        o if matches(o, "class", 1) => class::run(h, opts, rest),
        o if matches(o, "filter", 1) => filter::run(h, opts, rest),
        o if matches(o, "actions", 1) => action::run(h, opts, rest),
        "help" | "-help" => {
            println!(
                "Usage: tc [-j] [-s] [-d] [-n NETNS] {{ qdisc | class | filter | actions }} {{ COMMAND | help }}"
            );
            Ok(())
        }
        other => bail!("Object \"{other}\" is unknown, try \"tc help\"."),
    }
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Like tc: the kernel's own words when it gave some.
            match e.downcast_ref::<netlink::Error>() {
                Some(ne) if ne.message().is_some() => {
                    let msg = ne.message().unwrap_or_default();
                    let dot = if msg.ends_with('.') { "" } else { "." };
                    eprintln!("Error: {msg}{dot}");
                    eprintln!("We have an error talking to the kernel");
                }
                Some(ne) if ne.errno().is_some() && !ne.is_not_found() => {
                    eprintln!(
                        "RTNETLINK answers: {}",
                        ne.errno().map(|e| e.desc()).unwrap_or_default()
                    );
                    eprintln!("We have an error talking to the kernel");
                }
                _ => eprintln!("Error: {e:#}"),
            }
            ExitCode::from(2)
        }
    }
}
