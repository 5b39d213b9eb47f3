//! `ip`, over the netlink facade.
//!
//! ```text
//! nl ip [-j [-p]] [-d] [-s [-s]] [-br] [-o] [-4|-6] [-n NETNS] [-batch FILE [-force]] OBJECT COMMAND ...
//!   link show [dev X] [up] [type T] [master M] | add NAME type veth|bridge|vxlan|macvlan|macvtap|ifb ... | set dev X ... | del dev X
//!   addr show [dev X] | add|del|replace PREFIX ... dev X | flush dev X
//!   route ... | rule show|add|del ... | neigh show|add|replace|change|del ... | nexthop show|get|add|replace|del ...
//!   xfrm state add|update|allocspi|delete|get|list|deleteall|flush|count ...
//!   xfrm policy add|update|delete|get|list|deleteall|flush|count ... | xfrm monitor [GROUPS]
//!   netns list|list-id|add|attach|set|delete|identify|pids|exec ... | monitor [all|OBJECTS] [label]
//!   mptcp endpoint add|delete|change|show|flush ... | mptcp limits set|show ... | mptcp monitor
//! ```
//!
//! Plain output reads like `ip`'s; `-j` prints the keys `ip -j` prints.

pub mod addr;
pub mod batch;
pub mod link;
pub mod link_kinds;
pub mod monitor;
pub mod mptcp;
pub mod neigh;
pub mod netns;
pub mod nexthop;
pub mod ntable;
pub mod route;
pub mod rule;
pub mod stats;
pub mod xfrm;
pub mod xfrm_text;

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;

use anyhow::{Result, bail};
use netlink::Handle;

use crate::args::{Args, Globals, matches};
use crate::json::Names;

pub use crate::args::Opts;

/// What `ip` commands run with: the handle, the global options, and the
/// link names resolved so far (iproute2's `ll_map` cache: a batch of
/// 100,000 routes on one device looks the device up once).
pub struct Ip<'h> {
    /// The handle every request goes through.
    pub h: &'h Handle,
    /// The global options.
    pub opts: Opts,
    links: RefCell<HashMap<String, u32>>,
}

impl<'h> Ip<'h> {
    /// Commands on `h` with options `opts`.
    pub fn new(h: &'h Handle, opts: Opts) -> Self {
        Ip {
            h,
            opts,
            links: RefCell::new(HashMap::new()),
        }
    }

    /// The index of link `name`, asked of the kernel the first time only.
    pub fn link_index(&self, name: &str) -> Result<u32> {
        if let Some(i) = self.links.borrow().get(name) {
            return Ok(*i);
        }
        let index = self.h.link_index(name)?;
        self.links.borrow_mut().insert(name.to_string(), index);
        Ok(index)
    }

    /// Forgets the names resolved so far: a command added, renamed, moved
    /// or deleted a link.
    pub fn forget_links(&self) {
        self.links.borrow_mut().clear();
    }

    /// Index → name and flags of every link (for printing), which also
    /// fills the name cache.
    pub fn names(&self) -> Result<Names> {
        let names = crate::json::names(self.h)?;
        let mut links = self.links.borrow_mut();
        for (index, (name, _)) in &names {
            links.insert(name.clone(), *index);
        }
        Ok(names)
    }

    /// Writes `v` as `ip -j [-p]` does.
    pub fn print_json(&self, out: &mut dyn Write, v: &serde_json::Value) -> Result<()> {
        Ok(crate::json::print(out, v, self.opts.pretty)?)
    }

    /// Runs one command (`OBJECT COMMAND ...`, without global options).
    pub fn command(&self, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
        let object = args.next().unwrap_or("help");
        match object {
            o if matches(o, "link", 1) => link::run(self, args, out),
            o if matches(o, "address", 1) || o == "addr" => addr::run(self, args, out),
            o if matches(o, "route", 1) => route::run(self, args, out),
            o if matches(o, "rule", 2) => rule::run(self, args, out),
            o if matches(o, "neighbour", 1) || matches(o, "neighbor", 1) => {
                neigh::run(self, args, out)
            }
            o if matches(o, "nexthop", 2) => nexthop::run(self, args, out),
            o if matches(o, "netns", 2) => netns::run(self, args, out),
            o if matches(o, "monitor", 3) => monitor::run(self, args, out),
            o if matches(o, "mptcp", 2) => mptcp::run(self, args, out),
            o if matches(o, "stats", 2) => stats::run(self, args, out),
            o if matches(o, "ntable", 2) => ntable::run(self, args, out),
            o if matches(o, "xfrm", 1) => xfrm::run(self, args, out),
            "help" | "-help" => usage(out),
            other => bail!("Object \"{other}\" is unknown, try \"ip help\"."),
        }
    }
}

fn usage(out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "Usage: ip [-j [-p]] [-d] [-s [-s]] [-br] [-o] [-4|-6] [-n NETNS] [-batch FILE [-force]] {{ link | addr | route | rule | neigh | nexthop | xfrm | netns | monitor | mptcp }} {{ COMMAND | help }}"
    )?;
    Ok(())
}

/// The names of the namespaces under /run/netns by the nsid this
/// namespace gives them, when one of `links` has its peer in another
/// namespace (`link-netns NAME`); else nothing is asked.
pub(crate) fn netns_names_for<'a>(
    ip: &Ip<'_>,
    mut links: impl Iterator<Item = &'a netlink::Link>,
) -> HashMap<i32, String> {
    if !links.any(|l| l.link_netnsid.is_some_and(|n| n >= 0)) {
        return HashMap::new();
    }
    // Names are a nicety: without them ip prints the nsid.
    ip.h.netns_names(&netlink::NetnsDir::run())
        .unwrap_or_default()
}

/// Writes one object's text and a newline; with `-o` its line breaks
/// become `\`, as ip writes them.
pub(crate) fn print_entry(
    out: &mut dyn Write,
    text: &dyn std::fmt::Display,
    oneline: bool,
) -> Result<()> {
    if oneline {
        let s = text.to_string().replace('\n', "\\");
        writeln!(out, "{s}")?;
    } else {
        writeln!(out, "{text}")?;
    }
    Ok(())
}

/// A handle in namespace `ns` (a name under /var/run/netns or a path), or
/// in this one.
pub(crate) fn handle(netns: Option<&str>) -> Result<Handle> {
    Ok(match netns {
        Some(ns) if ns.contains('/') => Handle::in_netns(ns)?,
        Some(ns) => Handle::in_netns(netlink::NetnsDir::run().path(ns)?)?,
        None => Handle::new()?,
    })
}

/// `ip`'s whole command line (global options, then a command or
/// `-batch FILE`), printing to `out`.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let mut args = Args::new(words.iter().map(String::as_str));
    let g = Globals::read(&mut args, "ip")?;
    if g.help {
        return usage(out);
    }
    let h = handle(g.netns)?;
    let ip = Ip::new(&h, g.opts());
    let Some(file) = g.batch else {
        return ip.command(args, out);
    };
    args.done()?;
    let text = if file == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("cannot read {file}: {e}"))?
    };
    let outcome = batch::run(&ip, &text, file, g.force, out)?;
    if !outcome.failed.is_empty() {
        bail!("{} command(s) failed", outcome.failed.len());
    }
    Ok(())
}
