//! The `nl` tools: subsets of iproute2's `ip`, `tc`, `bridge` and `genl`,
//! wireguard-tools' `wg`, `conntrack`, `ipset` and nftables' `nft` over the
//! netlink facade, printing what the reference tools print (their text,
//! and with `-j` their JSON keys and values), plus `decode`, which names
//! the messages of a netlink capture.
//!
//! One multi-call binary, `nl`, runs them: `nl ip addr show`, `nl tc qdisc
//! show dev lo`, `nl bridge fdb show`, `nl decode FILE`; called through a
//! link named `ip`, `tc` or `bridge` it is that tool. The library is what
//! the binary runs, and what the conformance tests call to compare the
//! tools with iproute2 on the same namespace.
//!
//! Whatever a tool does not implement (an option, a keyword, a word in the
//! wrong place) is an error naming it, never silently ignored.
//!
//! Errors are [`anyhow::Error`]: this crate is an application, its errors
//! are printed, not matched (the facade's typed error stays inside, and
//! [`report`] prints the kernel's words the way the reference tools do).
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod args;
pub mod bridge;
pub mod conntrack;
pub mod decode;
pub mod genl;
pub mod ip;
pub mod ipset;
pub mod json;
pub mod nft;
pub mod rdma;
pub mod ss;
pub mod tc;
pub mod text;
pub mod wg;

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// The tools `nl` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// `ip`: links, addresses, routes, rules, neighbours, nexthops, xfrm.
    Ip,
    /// `tc`: qdiscs, classes, filters, actions.
    Tc,
    /// `bridge`: the forwarding database.
    Bridge,
    /// `decode FILE`: a netlink capture, one line per message.
    Decode,
    /// `conntrack`: the connection tracking table (`-L`, `-D`, `-F`, `-E`).
    Conntrack,
    /// `ipset`: list, save, add, del, test.
    Ipset,
    /// `genl ctrl`: generic netlink families and their policies.
    Genl,
    /// `wg`: WireGuard devices (`show`, `showconf`, `set`, `setconf` ...).
    Wg,
    /// `nft`: `[-j] list` the nftables ruleset, `-f FILE` to load one.
    Nft,
    /// `rdma`: RDMA devices, links, system mode, resources, counters.
    Rdma,
    /// `ss`: TCP, UDP, raw and unix sockets (`-tuwx`, `-a`, `-l`, `-i`, `-e`, `-m` ...).
    Ss,
}

impl Tool {
    /// The tool called `name` (a program name, or `nl`'s first word).
    pub fn from_name(name: &str) -> Option<Tool> {
        Some(match name {
            "ip" => Tool::Ip,
            "tc" => Tool::Tc,
            "bridge" => Tool::Bridge,
            "decode" | "nldecode" => Tool::Decode,
            "conntrack" => Tool::Conntrack,
            "ipset" => Tool::Ipset,
            "genl" => Tool::Genl,
            "wg" => Tool::Wg,
            "nft" => Tool::Nft,
            "rdma" => Tool::Rdma,
            "ss" => Tool::Ss,
            _ => return None,
        })
    }

    /// Runs the tool on `words` (its arguments, without its own name),
    /// printing to `out`.
    pub fn run(self, words: &[String], out: &mut dyn Write) -> anyhow::Result<()> {
        match self {
            Tool::Ip => ip::run(words, out),
            Tool::Tc => tc::run(words, out),
            Tool::Bridge => bridge::run(words, out),
            Tool::Decode => decode::run(words, out),
            Tool::Conntrack => conntrack::run(words, out),
            Tool::Ipset => ipset::run(words, out),
            Tool::Genl => genl::run(words, out),
            Tool::Wg => wg::run(words, out),
            Tool::Nft => nft::run(words, out),
            Tool::Rdma => rdma::run(words, out),
            Tool::Ss => ss::run(words, out),
        }
    }
}

/// An error that ends the tool with this exit status and prints nothing
/// more (`ip netns exec` passes on its command's status; what went wrong
/// was said already).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit(pub u8);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit status {}", self.0)
    }
}

impl std::error::Error for Exit {}

/// Prints `e` on stderr as the reference tool prints a failure: the
/// kernel's own words when it gave some (`Error: ...` from the extended
/// ack, `RTNETLINK answers: ...` from the errno), else the error's text.
pub fn report(tool: Tool, e: &anyhow::Error) {
    let kernel = e.downcast_ref::<netlink::Error>();
    if tool == Tool::Ipset {
        // The ipset tool's words (the kernel's codes carry no text).
        match kernel.and_then(|ne| ne.message()) {
            Some(m) => eprintln!("ipset: {m}"),
            None => eprintln!("ipset: {e:#}"),
        }
        return;
    }
    let talked = match kernel {
        Some(ne) if ne.message().is_some() => {
            let msg = ne.message().unwrap_or_default();
            let dot = if msg.ends_with('.') { "" } else { "." };
            eprintln!("Error: {msg}{dot}");
            true
        }
        Some(ne) if ne.errno().is_some() && !ne.is_not_found() => {
            let desc = ne.errno().map(|e| e.desc()).unwrap_or_default();
            eprintln!("RTNETLINK answers: {desc}");
            true
        }
        _ => {
            eprintln!("Error: {e:#}");
            false
        }
    };
    if talked && tool == Tool::Tc {
        eprintln!("We have an error talking to the kernel");
    }
}

const USAGE: &str =
    "Usage: nl { ip | tc | bridge | conntrack | ipset | genl | wg | nft | rdma | ss | decode } ARGUMENTS
  (or through a link named ip, tc or bridge: ln -s \"$(command -v nl)\" ~/bin/ip)";

/// `nl`'s whole run: picks the tool from the program's own name when it
/// is `ip`, `tc` or `bridge` (a link), else from the first argument; runs
/// it with stdout buffered; reports a failure on stderr. Exit status 0,
/// or 2 on failure as iproute2's tools do, 1 for a bad `nl` command line.
pub fn main(argv: Vec<OsString>) -> ExitCode {
    let mut words: Vec<String> = Vec::with_capacity(argv.len());
    for a in argv {
        match a.into_string() {
            Ok(s) => words.push(s),
            Err(bad) => {
                eprintln!("nl: argument {bad:?} is not UTF-8");
                return ExitCode::FAILURE;
            }
        }
    }
    let Some((tool, rest)) = pick(&words) else {
        return match words.get(1).map(String::as_str) {
            Some("-h" | "-help" | "--help" | "help") => {
                println!("{USAGE}");
                ExitCode::SUCCESS
            }
            Some(other) => {
                eprintln!("nl: no tool \"{other}\"\n{USAGE}");
                ExitCode::FAILURE
            }
            None => {
                eprintln!("{USAGE}");
                ExitCode::FAILURE
            }
        };
    };
    let stdout = io::stdout();
    // Buffered: a 100,000-route listing is a few large writes, not a write
    // per line (std's stdout flushes every line).
    let mut out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let result = tool
        .run(rest, &mut out)
        .and_then(|()| out.flush().map_err(Into::into));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) ends the output quietly.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<Exit>().is_some() => {
            let _ = out.flush();
            ExitCode::from(e.downcast_ref::<Exit>().map_or(2, |x| x.0))
        }
        Err(e) => {
            // What was printed before the failure still goes out first.
            let _ = out.flush();
            report(tool, &e);
            ExitCode::from(2)
        }
    }
}

/// The tool a command line asks for and its arguments: the program's own
/// name when it is `ip`, `tc` or `bridge` (`argv[0]` of a link to `nl`),
/// else the first argument (`nl ip ...`).
pub fn pick(argv: &[String]) -> Option<(Tool, &[String])> {
    let program = argv
        .first()
        .and_then(|p| Path::new(p).file_name())
        .and_then(|n| n.to_str())?;
    match Tool::from_name(program) {
        // `decode` is only ever a word of `nl`, not a program of its own.
        Some(t) if t != Tool::Decode => Some((t, argv.get(1..).unwrap_or_default())),
        Some(_) => None,
        None => {
            let tool = Tool::from_name(argv.get(1)?)?;
            Some((tool, argv.get(2..).unwrap_or_default()))
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}
