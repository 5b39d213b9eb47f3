//! `ip -batch FILE`: one command per line. Runs of `route add|del|replace|
//! append|change` and `neigh add|del|replace|change` lines go to the
//! kernel as one batch (few syscalls, one result per line); other lines
//! run one by one. Device names are looked up once for the whole file
//! (the [`Ip`] name cache; a `link` line empties it). Every failing line
//! is reported on stderr as `Command failed FILE:LINE`; without `force`
//! the first failing non-route line stops the run.

use std::io::Write;

use anyhow::Result;
use netlink::RouteOp;

use super::Ip;
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

/// Requests built from batchable lines, not sent yet.
#[derive(Default)]
struct Pending {
    requests: Vec<u8>,
    lines: Vec<usize>,
}

impl Pending {
    /// Sends what is pending, reporting each failed line.
    fn flush(&mut self, ip: &Ip<'_>, name: &str, out: &mut Outcome) -> Result<()> {
        if self.lines.is_empty() {
            return Ok(());
        }
        let report = ip.h.route_batch(&mut self.requests)?;
        out.ok += report.succeeded();
        for (i, e) in report.failures() {
            let line = self.lines.get(*i).copied().unwrap_or(0);
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
        self.requests.clear();
        self.lines.clear();
        Ok(())
    }

    /// Writes the request of a `route|neigh OP ...` line.
    fn write(&mut self, ip: &Ip<'_>, is_route: bool, op: RouteOp, args: &mut Args) -> Result<()> {
        let b = &mut self.requests;
        if is_route {
            let r = super::route::parse_route(ip, args)?;
            match op {
                RouteOp::Add => r.write_add(b),
                RouteOp::AddEcmp => r.write_add_ecmp(b),
                RouteOp::Replace => r.write_replace(b),
                RouteOp::Append => r.write_append(b),
                RouteOp::Change => r.write_change(b),
                RouteOp::Del => r.write_del(b),
            }?;
        } else {
            let n = super::neigh::parse_neigh(ip, args)?;
            match op {
                // (a batch file never names AddEcmp)
                RouteOp::Add | RouteOp::AddEcmp => n.write_add(b),
                RouteOp::Replace => n.write_replace(b),
                RouteOp::Append => n.write_append(b),
                RouteOp::Change => n.write_change(b),
                RouteOp::Del => n.write_del(b),
            }?;
        }
        Ok(())
    }
}

/// Runs the commands of `text` (a batch file called `name`), printing
/// what they print to `out`.
pub fn run(
    ip: &Ip<'_>,
    text: &str,
    name: &str,
    force: bool,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    let mut pending = Pending::default();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = line.split('#').next().unwrap_or("");
        let args = Args::split(line);
        let Some(object) = args.peek() else {
            continue;
        };
        let is_route = if matches(object, "route", 1) {
            Some(true)
        } else if matches(object, "neighbour", 1) || matches(object, "neighbor", 1) {
            Some(false)
        } else {
            None
        };
        let mut cmd = args.clone();
        cmd.next();
        if let (Some(is_route), Some(op)) = (is_route, cmd.next().and_then(route_op)) {
            match pending.write(ip, is_route, op, &mut cmd) {
                Ok(()) => pending.lines.push(line_no),
                Err(e) => {
                    eprintln!("Error: {e:#}\nCommand failed {name}:{line_no}");
                    outcome.failed.push(line_no);
                }
            }
            continue;
        }
        pending.flush(ip, name, &mut outcome)?;
        match ip.command(args, out) {
            Ok(()) => outcome.ok += 1,
            Err(e) => {
                crate::report(crate::Tool::Ip, &e);
                eprintln!("Command failed {name}:{line_no}");
                outcome.failed.push(line_no);
                if !force {
                    // (nothing is pending: it was sent before this line)
                    return Ok(outcome);
                }
            }
        }
    }
    pending.flush(ip, name, &mut outcome)?;
    Ok(outcome)
}
