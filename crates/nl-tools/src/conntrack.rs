//! `conntrack`: list (`-L`), delete (`-D`), flush (`-F`), follow events
//! (`-E`), count (`-C`) and statistics (`-S`) of the connection tracking
//! table, printing conntrack-tools' text (`-o extended` and `-o id` as
//! conntrack prints them).
//!
//! The filters are conntrack's: `-f` family, `-p` protocol, `-s`/`-d`
//! original source and destination, `-r`/`-q` reply source and
//! destination (an address or a network), `--sport`/`--dport`, `-m
//! MARK[/MASK]`, `-w` zone, `-u` status, `-n`/`-g` source/destination
//! NAT. A listing is streamed: the table is never held in memory.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use netlink::nl_netfilter::conntrack::{EventKind, Filter, Status, TextOptions, proto_by_name};
use netlink::{AF_INET, AF_INET6, ConntrackEvent, ConntrackSubscribe, Handle, IpNet};

/// What `conntrack` was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    List,
    Delete,
    Flush,
    Events,
    Count,
    Stats,
}

/// A parsed command line.
#[derive(Debug, Default)]
struct Line {
    command: Option<Command>,
    family: u8,
    filter: Filter,
    text: TextOptions,
    events: Option<ConntrackSubscribe>,
}

fn net(s: &str) -> Result<IpNet> {
    if s.contains('/') {
        return s
            .parse::<IpNet>()
            .with_context(|| format!("bad address or network \"{s}\""));
    }
    let ip: std::net::IpAddr = s.parse().with_context(|| format!("bad address \"{s}\""))?;
    Ok(IpNet::from(ip))
}

fn parse(words: &[String]) -> Result<Line> {
    let mut line = Line::default();
    let mut it = words.iter().map(String::as_str);
    let set = |line: &mut Line, c: Command| -> Result<()> {
        if line.command.replace(c).is_some() {
            bail!("Invalid parameters: only one command at a time");
        }
        Ok(())
    };
    while let Some(w) = it.next() {
        let mut value = |key: &str| {
            it.next()
                .with_context(|| format!("option `{key}' requires an argument"))
        };
        match w {
            "-L" | "--dump" => set(&mut line, Command::List)?,
            "-D" | "--delete" => set(&mut line, Command::Delete)?,
            "-F" | "--flush" => set(&mut line, Command::Flush)?,
            "-E" | "--event" => set(&mut line, Command::Events)?,
            "-C" | "--count" => set(&mut line, Command::Count)?,
            "-S" | "--stats" => set(&mut line, Command::Stats)?,
            "conntrack" => {}
            "-f" | "--family" => {
                line.family = match value(w)? {
                    "ipv4" => AF_INET,
                    "ipv6" => AF_INET6,
                    other => bail!("`{other}' unsupported protocol"),
                }
            }
            "-o" | "--output" => {
                for o in value(w)?.split(',') {
                    match o {
                        "extended" => line.text.layer3 = true,
                        "id" => line.text.id = true,
                        other => bail!("output type \"{other}\" is not implemented"),
                    }
                }
            }
            "-p" | "--protonum" => {
                let p = value(w)?;
                line.filter.proto =
                    Some(proto_by_name(p).with_context(|| format!("unknown protocol `{p}'"))?);
            }
            "-s" | "--src" | "--orig-src" => line.filter.orig_src = Some(net(value(w)?)?),
            "-d" | "--dst" | "--orig-dst" => line.filter.orig_dst = Some(net(value(w)?)?),
            "-r" | "--reply-src" => line.filter.reply_src = Some(net(value(w)?)?),
            "-q" | "--reply-dst" => line.filter.reply_dst = Some(net(value(w)?)?),
            "--sport" | "--orig-port-src" => line.filter.orig_src_port = Some(value(w)?.parse()?),
            "--dport" | "--orig-port-dst" => line.filter.orig_dst_port = Some(value(w)?.parse()?),
            "-w" | "--zone" => line.filter.zone = Some(value(w)?.parse()?),
            "-m" | "--mark" => {
                let v = value(w)?;
                let (m, mask) = match v.split_once('/') {
                    Some((m, mask)) => (crate::args::number(m)?, crate::args::number(mask)?),
                    None => (crate::args::number(v)?, u32::MAX),
                };
                line.filter = std::mem::take(&mut line.filter).mark(m & mask, mask);
            }
            "-u" | "--status" => {
                let v = value(w)?;
                line.filter.status |=
                    Status::parse_names(v).with_context(|| format!("unknown status \"{v}\""))?;
            }
            "-n" | "--src-nat" => line.filter.status |= Status::SRC_NAT,
            "-g" | "--dst-nat" => line.filter.status |= Status::DST_NAT,
            "-e" | "--event-mask" => {
                let mut sub = ConntrackSubscribe::new();
                for e in value(w)?.split(',') {
                    sub = match e {
                        "ALL" => sub.news().updates().destroys(),
                        "NEW" => sub.news(),
                        "UPDATES" => sub.updates(),
                        "DESTROY" => sub.destroys(),
                        other => bail!("unknown event \"{other}\""),
                    };
                }
                line.events = Some(sub);
            }
            other => bail!("option \"{other}\" is not implemented"),
        }
    }
    Ok(line)
}

/// `conntrack`'s whole command line, printing to `out`.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let line = parse(words)?;
    let h = Handle::new()?;
    let Some(command) = line.command else {
        bail!("no command specified (-L, -D, -F, -E, -C or -S)");
    };
    match command {
        Command::List => {
            let n = list(&h, &line, out)?;
            eprintln!("nl conntrack: {n} flow entries have been shown.");
        }
        Command::Delete => {
            let n = delete(&h, &line, out)?;
            eprintln!("nl conntrack: {n} flow entries have been deleted.");
        }
        Command::Flush => {
            h.conntrack_flush(line.family)?;
            eprintln!("nl conntrack: connection tracking table has been emptied.");
        }
        Command::Count => writeln!(out, "{}", h.conntrack_stats()?.entries)?,
        Command::Stats => {
            for cpu in h.conntrack_stats_cpu()? {
                writeln!(out, "{cpu}")?;
            }
        }
        Command::Events => events(&h, &line, out)?,
    }
    Ok(())
}

fn now_ns() -> Option<u64> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
}

/// Bytes of entry messages per hand-over between the reading and the
/// printing thread (about a hundred entries).
const BATCH_BYTES: usize = 32 * 1024;

/// The entries, one line each. A second thread reads the dump and only
/// copies each entry's message into a batch; this one parses, filters
/// and prints. The kernel's dump (inside the reader's `recvmsg`) is the
/// longest part, so the reader does nothing else and the wall time is
/// about the kernel's alone. Batches go back and forth, so nothing is
/// allocated per entry.
fn list(h: &Handle, line: &Line, out: &mut dyn Write) -> Result<usize> {
    use std::sync::mpsc::sync_channel;
    let opts = TextOptions {
        now_ns: now_ns(),
        ..line.text
    };
    let (full_tx, full_rx) = sync_channel::<Vec<u8>>(4);
    let (empty_tx, empty_rx) = sync_channel::<Vec<u8>>(8);
    for _ in 0..6 {
        let _ = empty_tx.send(Vec::with_capacity(BATCH_BYTES + 4096));
    }
    std::thread::scope(|s| {
        let reader = s.spawn(move || -> netlink::Result<()> {
            let mut batch = Vec::with_capacity(BATCH_BYTES + 4096);
            // The printer stopped (an output error): so does the dump.
            let stopped = || {
                netlink::Error::from(netlink::nl_sock::Error::new(
                    netlink::nl_sock::Op::Dump,
                    netlink::ErrorKind::Cancelled,
                ))
            };
            h.conntrack_dump_views(line.family, &line.filter, |m| {
                // Whole messages, each padded as in the datagram, so the
                // batch reads back as a run of messages.
                batch.extend_from_slice(m.bytes());
                batch.resize(netlink::nl_wire::align::align(batch.len()), 0);
                if batch.len() >= BATCH_BYTES {
                    let next = empty_rx
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(BATCH_BYTES + 4096));
                    full_tx
                        .send(std::mem::replace(&mut batch, next))
                        .map_err(|_| stopped())?;
                }
                Ok(())
            })?;
            if !batch.is_empty() {
                full_tx.send(batch).map_err(|_| stopped())?;
            }
            Ok(())
        });
        let mut text = String::with_capacity(BATCH_BYTES * 2);
        let mut entry = netlink::ConntrackEntry::default();
        let mut n = 0usize;
        let mut result = Ok(());
        'batches: for mut batch in full_rx {
            text.clear();
            for m in netlink::nl_wire::Msgs::new(&batch) {
                let parsed = m.map_err(anyhow::Error::from).and_then(|m| {
                    let nf = netlink::nl_netfilter::NfMsg::parse(
                        &m,
                        netlink::nl_netfilter::uapi::nfnetlink::NFNL_SUBSYS_CTNETLINK,
                    )?;
                    entry.parse_from(&nf)?;
                    Ok(())
                });
                if let Err(e) = parsed {
                    result = Err(e);
                    break 'batches;
                }
                if !line.filter.matches(&entry) {
                    continue;
                }
                entry.write_text(&mut text, &opts);
                text.push('\n');
                n += 1;
            }
            if let Err(e) = out.write_all(text.as_bytes()) {
                result = Err(e.into());
                break;
            }
            batch.clear();
            let _ = empty_tx.try_send(batch);
        }
        // Dropping the receiving end (on an error) stops the reader.
        let read = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the conntrack reader panicked"))?;
        result?;
        read?;
        Ok(n)
    })
}

/// Deletes what matches (everything, with no filter: conntrack's rule),
/// printing each entry deleted.
fn delete(h: &Handle, line: &Line, out: &mut dyn Write) -> Result<usize> {
    let opts = TextOptions {
        now_ns: now_ns(),
        ..line.text
    };
    let mut n = 0;
    for e in h.conntrack_list_filtered(line.family, &line.filter)? {
        match h.conntrack_delete(&e) {
            Ok(()) => {}
            // Gone meanwhile: what was asked is done.
            Err(err) if err.is_not_found() => continue,
            Err(err) => return Err(err.into()),
        }
        let mut text = String::new();
        e.write_text(&mut text, &opts);
        writeln!(out, "{text}")?;
        n += 1;
    }
    Ok(n)
}

/// Events as they come, each line flushed, until killed.
fn events(h: &Handle, line: &Line, out: &mut dyn Write) -> Result<()> {
    let sub = line.events.clone().unwrap_or_else(ConntrackSubscribe::all);
    let mut sub = h.conntrack_subscribe(&sub.family(line.family))?;
    let mut text = String::new();
    loop {
        let ev = sub.next()?;
        let (kind, e) = match &ev {
            ConntrackEvent::New(e) => (EventKind::New, e),
            ConntrackEvent::Update(e) => (EventKind::Update, e),
            ConntrackEvent::Destroy(e) => (EventKind::Destroy, e),
            ConntrackEvent::Overrun => {
                eprintln!("WARNING: We have hit ENOBUFS! We are losing events.");
                continue;
            }
            _ => continue,
        };
        if !line.filter.matches(e) {
            continue;
        }
        text.clear();
        e.write_text(
            &mut text,
            &TextOptions {
                event: Some(kind),
                now_ns: now_ns(),
                ..line.text
            },
        );
        writeln!(out, "{text}")?;
        out.flush()?;
    }
}
