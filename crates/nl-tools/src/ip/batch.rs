//! `ip -batch FILE`: one command per line. Runs of `route add|del|replace|
//! append|change` and `neigh add|del|replace|change` lines go to the kernel as one batch (few syscalls, one
//! result per line); other lines run one by one through `other`. Every
//! failing line is reported on stderr as `Command failed FILE:LINE`;
//! without `force` the first failing non-route line stops the run.

use anyhow::{Result, bail};
use netlink::{Handle, RouteOp};

use crate::Opts;
use crate::args::{Args, matches};

/// What a batch did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Lines that succeeded.
    pub ok: usize,
    /// Line numbers that failed, in order.
    pub failed: Vec<usize>,
}

fn route_op(word: &str) -> Option<RouteOp> {
    Some(match word {
        "add" => RouteOp::Add,
        "replace" => RouteOp::Replace,
        "append" => RouteOp::Append,
        "change" => RouteOp::Change,
        "del" | "delete" => RouteOp::Del,
        _ => return None,
    })
}

pub fn run(
    h: &Handle,
    opts: &Opts,
    text: &str,
    name: &str,
    force: bool,
    mut other: impl FnMut(Vec<String>) -> Result<()>,
) -> Result<Outcome> {
    let mut out = Outcome::default();
    let mut pending: Vec<u8> = Vec::new();
    let mut lines: Vec<usize> = Vec::new();
    let flush = |pending: &mut Vec<u8>, lines: &mut Vec<usize>, out: &mut Outcome| -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let report = h.route_batch(pending)?;
        out.ok += report.succeeded();
        for (i, e) in report.failures() {
            let line = lines.get(*i).copied().unwrap_or(0);
            match e.message() {
                Some(m) => eprintln!("Error: {m}."),
                None => eprintln!(
                    "RTNETLINK answers: {}",
                    e.errno().map_or("failed", |x| x.desc())
                ),
            }
            eprintln!("Command failed {name}:{line}");
            out.failed.push(line);
        }
        pending.clear();
        lines.clear();
        Ok(())
    };
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        let object = match words.first() {
            Some(o) if matches(o, "route", 1) => Some(true),
            Some(o) if matches(o, "neighbour", 1) || matches(o, "neighbor", 1) => Some(false),
            _ => None,
        };
        let op = words.get(1).and_then(|c| route_op(c));
        if let (Some(is_route), Some(op)) = (object, op) {
            let mut a = Args::new(words.get(2..).unwrap_or_default().to_vec());
            let written = if is_route {
                crate::route::parse_route(h, opts, &mut a).and_then(|r| {
                    match op {
                        RouteOp::Add => r.write_add(&mut pending),
                        RouteOp::AddEcmp => r.write_add_ecmp(&mut pending),
                        RouteOp::Replace => r.write_replace(&mut pending),
                        RouteOp::Append => r.write_append(&mut pending),
                        RouteOp::Change => r.write_change(&mut pending),
                        RouteOp::Del => r.write_del(&mut pending),
                    }
                    .map_err(anyhow::Error::from)
                })
            } else {
                crate::neigh::parse_neigh(h, opts, &mut a).and_then(|n| {
                    match op {
                        // (a batch file never names AddEcmp)
                        RouteOp::Add | RouteOp::AddEcmp => n.write_add(&mut pending),
                        RouteOp::Replace => n.write_replace(&mut pending),
                        RouteOp::Append => n.write_append(&mut pending),
                        RouteOp::Change => n.write_change(&mut pending),
                        RouteOp::Del => n.write_del(&mut pending),
                    }
                    .map_err(anyhow::Error::from)
                })
            };
            match written {
                Ok(()) => lines.push(line_no),
                Err(e) => {
                    eprintln!("Error: {e:#}\nCommand failed {name}:{line_no}");
                    out.failed.push(line_no);
                }
            }
            continue;
        }
        flush(&mut pending, &mut lines, &mut out)?;
        match other(words) {
            Ok(()) => out.ok += 1,
            Err(e) => {
                eprintln!("Error: {e:#}\nCommand failed {name}:{line_no}");
                out.failed.push(line_no);
                if !force {
                    bail!("Command failed {name}:{line_no}");
                }
            }
        }
    }
    flush(&mut pending, &mut lines, &mut out)?;
    Ok(out)
}
