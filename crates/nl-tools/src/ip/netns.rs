//! `ip netns list | list-id | add | attach | set | delete | identify |
//! pids | exec`, with iproute2's `/run/netns` convention (the library's
//! [`NetnsDir`]), so names made by either tool serve both.

use std::io::Write;
use std::os::fd::AsFd;

use anyhow::{Context, Result, bail};
use netlink::NetnsDir;
use serde_json::{Map, Value};

use super::Ip;
use crate::args::{Args, garbage, matches};

/// `ip netns COMMAND ...`.
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let dir = NetnsDir::run();
    let Some(cmd) = args.next() else {
        return list(ip, &dir, out);
    };
    match cmd {
        "list-id" => list_id(ip, &dir, args, out),
        c if matches(c, "list", 1) || matches(c, "show", 1) || c == "lst" => {
            args.done()?;
            list(ip, &dir, out)
        }
        c if matches(c, "add", 1) => {
            let name = one_name(&mut args)?;
            dir.add(name)
                .map_err(|e| anyhow::anyhow!("Cannot create namespace \"{name}\": {e}"))?;
            Ok(())
        }
        c if matches(c, "attach", 2) => {
            let name = one_name_then(&mut args)?;
            let pid: u32 = match args.next() {
                Some(p) => p
                    .parse()
                    .ok()
                    .filter(|p| *p != 0)
                    .with_context(|| format!("Invalid PID: {p}"))?,
                None => bail!("No netns name and PID specified"),
            };
            args.done()?;
            dir.attach(name, pid)?;
            Ok(())
        }
        c if matches(c, "set", 1) => set(ip, &dir, args),
        c if matches(c, "delete", 1) => {
            let name = one_name(&mut args)?;
            dir.del(name).map_err(|e| {
                anyhow::anyhow!(
                    "Cannot remove namespace file \"{}\": {e}",
                    dir.dir().join(name).display()
                )
            })
        }
        c if matches(c, "identify", 1) => identify(&dir, args, out),
        c if matches(c, "pids", 1) => pids(&dir, args, out),
        c if matches(c, "exec", 1) => exec(&dir, args, out),
        "help" => {
            writeln!(
                out,
                "Usage: ip netns {{ list | list-id | add NAME | attach NAME PID | set NAME NETNSID | delete NAME | identify [PID] | pids NAME | exec NAME cmd ... }}\nNETNSID := auto | POSITIVE-INT"
            )?;
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip netns help\"."),
    }
}

/// The name argument, valid as iproute2 requires, and nothing after it.
fn one_name<'a>(args: &mut Args<'a>) -> Result<&'a str> {
    let name = one_name_then(args)?;
    args.done()?;
    Ok(name)
}

/// The name argument, valid as iproute2 requires.
fn one_name_then<'a>(args: &mut Args<'a>) -> Result<&'a str> {
    let name = args.next().context("No netns name specified")?;
    if NetnsDir::run().path(name).is_err() {
        bail!("Invalid netns name \"{name}\"");
    }
    Ok(name)
}

/// `ip netns list`: each name, with ` (id: N)` when this namespace has
/// given it an id.
fn list(ip: &Ip<'_>, dir: &NetnsDir, out: &mut dyn Write) -> Result<()> {
    let mut rows = Vec::new();
    for name in dir.list()? {
        // A file that is not (or no longer) a namespace has no id.
        let id = match dir.open(&name) {
            Ok(f) => ip.h.netns_id_get_by_fd(f.as_fd())?,
            Err(_) => None,
        };
        rows.push((name, id));
    }
    if ip.opts.json {
        let v = rows
            .into_iter()
            .map(|(name, id)| {
                let mut o = Map::new();
                o.insert("name".into(), name.into());
                if let Some(id) = id {
                    o.insert("id".into(), id.into());
                }
                Value::Object(o)
            })
            .collect();
        return ip.print_json(out, &Value::Array(v));
    }
    for (name, id) in rows {
        match id {
            Some(id) => writeln!(out, "{name} (id: {id})")?,
            None => writeln!(out, "{name}")?,
        }
    }
    Ok(())
}

/// `ip netns list-id`: every id this namespace has given, with the name
/// of the namespace where one exists.
fn list_id(ip: &Ip<'_>, dir: &NetnsDir, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    // target-nsid and nsid filters are not implemented: refused by name.
    args.done()?;
    let names = ip.h.netns_names(dir)?;
    let mut rows = Vec::new();
    for n in ip.h.nsid_list()? {
        let mut o = Map::new();
        o.insert("nsid".into(), n.nsid.into());
        if let Some(name) = names.get(&n.nsid) {
            o.insert("name".into(), name.clone().into());
        }
        rows.push(Value::Object(o));
    }
    if ip.opts.json {
        return ip.print_json(out, &Value::Array(rows));
    }
    for o in rows {
        match o.get("nsid") {
            Some(id) if id.as_i64().is_some_and(|i| i >= 0) => write!(out, "nsid {id} ")?,
            _ => write!(out, "nsid unassigned ")?,
        }
        if let Some(name) = o.get("name").and_then(Value::as_str) {
            write!(out, "(iproute2 netns name: {name})")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `ip netns set NAME NSID|auto`.
fn set(ip: &Ip<'_>, dir: &NetnsDir, mut args: Args<'_>) -> Result<()> {
    let name = one_name_then(&mut args)?;
    let nsid = match args.next() {
        None => bail!("No nsid specified"),
        Some("auto") => None,
        Some(v) => {
            let n = crate::args::number(v)
                .ok()
                .and_then(|n| i32::try_from(n).ok())
                .with_context(|| format!("Invalid \"netnsid\" value \"{v}\""))?;
            Some(n.unsigned_abs())
        }
    };
    args.done()?;
    let ns = dir
        .open(name)
        .map_err(|e| anyhow::anyhow!("Cannot open network namespace \"{name}\": {e}"))?;
    ip.h.netns_id_set_by_fd(ns.as_fd(), nsid)?;
    Ok(())
}

/// `ip netns identify [PID]`: the name of the namespace of process PID
/// (this one by default); an empty line when it has none.
fn identify(dir: &NetnsDir, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let pid = match args.next() {
        None => "self".to_string(),
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.to_string(),
        Some(p) => bail!("Specified string '{p}' is not a pid"),
    };
    if let Some(extra) = args.next() {
        return Err(garbage(extra));
    }
    let file = std::fs::File::open(format!("/proc/{pid}/ns/net"))
        .with_context(|| "Cannot open network namespace".to_string())?;
    // ip keeps the last match.
    let names = dir.names_of(file.as_fd())?;
    writeln!(out, "{}", names.last().map_or("", String::as_str))?;
    Ok(())
}

/// `ip netns pids NAME`: the processes whose namespace it is.
fn pids(dir: &NetnsDir, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let name = one_name(&mut args)?;
    let ns = dir
        .open(name)
        .map_err(|e| anyhow::anyhow!("Cannot open network namespace: {e}"))?;
    let want = std::fs::metadata(dir.path(name)?)?;
    drop(ns);
    use std::os::unix::fs::MetadataExt;
    for entry in std::fs::read_dir("/proc")?.flatten() {
        let pid = entry.file_name();
        let Some(pid) = pid
            .to_str()
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let Ok(st) = std::fs::metadata(format!("/proc/{pid}/ns/net")) else {
            continue;
        };
        if st.dev() == want.dev() && st.ino() == want.ino() {
            writeln!(out, "{pid}")?;
        }
    }
    Ok(())
}

/// `ip netns exec NAME CMD ...`: runs CMD in the namespace (with its own
/// mount namespace and /sys, as ip does), waits, and ends with its exit
/// status.
fn exec(dir: &NetnsDir, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let name = one_name_then(&mut args)?;
    let mut rest = args.rest();
    let program = rest.next().context("No command specified")?;
    let mut cmd = std::process::Command::new(program);
    while let Some(a) = rest.next() {
        cmd.arg(a);
    }
    // What was printed before goes out before the child's output.
    out.flush()?;
    let mut child = match dir.spawn(name, &mut cmd) {
        Ok(c) => c,
        Err(e) if e.note() == Some("starting the command") => {
            let why = e
                .errno()
                .map_or_else(|| e.to_string(), |n| n.desc().to_string());
            eprintln!("exec of \"{program}\" failed: {why}");
            return Err(crate::Exit(1).into());
        }
        Err(e) => return Err(e.into()),
    };
    let status = child.wait()?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(crate::Exit(u8::try_from(code).unwrap_or(1)).into()),
        // Killed by a signal: ip exits 1.
        None => Err(crate::Exit(1).into()),
    }
}
