//! `ip -batch FILE`: one command per line. Runs of `route add|del|replace|
//! append|change` and `neigh add|del|replace|change` lines go to the
//! kernel as one batch (few syscalls, one result per line); other lines
//! run one by one. Device names are looked up once for the whole file
//! (the [`Ip`] name cache; a `link` line empties it), and a second thread
//! sends each chunk of requests while the next lines are parsed. Every failing line
//! is reported on stderr as `Command failed FILE:LINE`; without `force`
//! the first failing non-route line stops the run.

use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

use anyhow::Result;
use netlink::RouteOp;
use netlink::nl_sock::BatchReport;

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

/// Requests of batchable lines, sent as one batch.
#[derive(Default)]
struct Chunk {
    requests: Vec<u8>,
    /// The line of each request.
    lines: Vec<usize>,
    /// Lines that did not parse, with the error's words: reported with
    /// the chunk's results, so failures come out in line order.
    bad: Vec<(usize, String)>,
}

impl Chunk {
    fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.bad.is_empty()
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

/// Requests go to the kernel in chunks of about this many bytes.
const CHUNK_BYTES: usize = 128 * 1024;

/// The batchable lines' way to the kernel: a second thread sends each
/// full chunk while this one parses the next, so parsing costs no time
/// next to the kernel's own work (which is most of a large batch).
struct Pipe<'a> {
    ip: &'a Ip<'a>,
    name: &'a str,
    filling: Chunk,
    spare: Vec<Chunk>,
    in_flight: usize,
    to_kernel: SyncSender<Chunk>,
    sent: Receiver<(Chunk, netlink::Result<BatchReport>)>,
}

impl Pipe<'_> {
    /// Adds a line's request (or its parse error).
    fn line(
        &mut self,
        is_route: bool,
        op: RouteOp,
        args: &mut Args,
        line: usize,
        out: &mut Outcome,
    ) -> Result<()> {
        match self.filling.write(self.ip, is_route, op, args) {
            Ok(()) => self.filling.lines.push(line),
            Err(e) => self.filling.bad.push((line, format!("Error: {e:#}"))),
        }
        if self.filling.requests.len() >= CHUNK_BYTES {
            self.send()?;
            // Results of chunks already sent are reported as they come.
            while let Ok(done) = self.sent.try_recv() {
                self.report(done, out)?;
            }
        }
        Ok(())
    }

    fn send(&mut self) -> Result<()> {
        let next = self.spare.pop().unwrap_or_default();
        let full = std::mem::replace(&mut self.filling, next);
        self.to_kernel
            .send(full)
            .map_err(|_| anyhow::anyhow!("the batch sender stopped"))?;
        self.in_flight += 1;
        Ok(())
    }

    /// Sends what is pending and waits for every result.
    fn flush(&mut self, out: &mut Outcome) -> Result<()> {
        if !self.filling.is_empty() {
            self.send()?;
        }
        while self.in_flight > 0 {
            let done = self
                .sent
                .recv()
                .map_err(|_| anyhow::anyhow!("the batch sender stopped"))?;
            self.report(done, out)?;
        }
        Ok(())
    }

    /// Reports each failed line of a chunk the kernel has answered.
    fn report(
        &mut self,
        (mut chunk, result): (Chunk, netlink::Result<BatchReport>),
        out: &mut Outcome,
    ) -> Result<()> {
        self.in_flight -= 1;
        let report = result?;
        out.ok += report.succeeded();
        let mut failed = std::mem::take(&mut chunk.bad);
        for (i, e) in report.failures() {
            let line = chunk.lines.get(*i).copied().unwrap_or(0);
            let words = match e.message() {
                Some(m) => format!("Error: {m}."),
                None => format!(
                    "RTNETLINK answers: {}",
                    e.errno().map_or("failed", |x| x.desc())
                ),
            };
            failed.push((line, words));
        }
        failed.sort_by_key(|(line, _)| *line);
        for (line, words) in failed {
            eprintln!("{words}\nCommand failed {}:{line}", self.name);
            out.failed.push(line);
        }
        chunk.requests.clear();
        chunk.lines.clear();
        chunk.bad = Vec::new();
        self.spare.push(chunk);
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
    let h = ip.h;
    let (to_kernel, chunks) = sync_channel::<Chunk>(1);
    let (done, sent) = channel();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for mut chunk in chunks {
                let result = h.route_batch(&mut chunk.requests);
                if done.send((chunk, result)).is_err() {
                    break;
                }
            }
        });
        let mut pipe = Pipe {
            ip,
            name,
            filling: Chunk::default(),
            spare: Vec::new(),
            in_flight: 0,
            to_kernel,
            sent,
        };
        // (the pipe is dropped when this returns, which ends the sender)
        run_lines(&mut pipe, text, force, out)
    })
}

fn run_lines(pipe: &mut Pipe<'_>, text: &str, force: bool, out: &mut dyn Write) -> Result<Outcome> {
    let (ip, name) = (pipe.ip, pipe.name);
    let mut outcome = Outcome::default();
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
            pipe.line(is_route, op, &mut cmd, line_no, &mut outcome)?;
            continue;
        }
        // Other commands run in file order: after what comes before them.
        pipe.flush(&mut outcome)?;
        match ip.command(args, out) {
            Ok(()) => outcome.ok += 1,
            Err(e) => {
                crate::report(crate::Tool::Ip, &e);
                eprintln!("Command failed {name}:{line_no}");
                outcome.failed.push(line_no);
                if !force {
                    return Ok(outcome);
                }
            }
        }
    }
    pipe.flush(&mut outcome)?;
    Ok(outcome)
}
