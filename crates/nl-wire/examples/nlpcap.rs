//! Prints every frame of a netlink capture (pcap or pcapng, link type
//! 253, as `tcpdump -i nlmon0 -w FILE` or nl-sock's recorder write it)
//! with nl-wire alone: no sockets, no family crates.
//!
//! ```text
//! cargo run -p nl-wire --example nlpcap -- FILE
//! ```
//!
//! Each frame: time, direction, protocol; each message: its header and
//! its attribute tree. Payload bytes are printed in hex wherever no
//! structure is known. A malformed frame prints one error line with its
//! offset and decoding goes on with the next frame; a damaged file ends
//! with an error line and exit status 1.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use nl_wire::netlink::{NETLINK_GENERIC, NETLINK_ROUTE, NLMSG_DONE, NLMSG_ERROR, NLMSG_MIN_TYPE};
use nl_wire::pcap::{Capture, Record, Timestamp};
use nl_wire::{Attr, Attrs, Control, Msg, Walk, looks_nested};

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: nlpcap FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("nlpcap: {}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let capture = match Capture::new(&bytes) {
        Ok(c) => c,
        Err(e) => {
            println!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = String::new();
    let mut stdout = std::io::stdout().lock();
    for (n, record) in capture.enumerate() {
        let status = match record {
            Ok(r) => {
                frame(&mut out, n + 1, &r);
                None
            }
            Err(e) => {
                let _ = writeln!(out, "error: {e}");
                Some(ExitCode::FAILURE)
            }
        };
        // A closed pipe (`| head`) ends the output quietly.
        if stdout.write_all(out.as_bytes()).is_err() {
            return ExitCode::SUCCESS;
        }
        out.clear();
        if let Some(status) = status {
            return status;
        }
    }
    ExitCode::SUCCESS
}

fn frame(out: &mut String, n: usize, r: &Record<'_>) {
    let f = match r.netlink() {
        Ok(f) => f,
        Err(e) => {
            let _ = writeln!(out, "#{n} {} error: {e}", time(r.time));
            return;
        }
    };
    let _ = writeln!(
        out,
        "#{n} {} {} {} ({}), {} bytes{}",
        time(r.time),
        f.direction(),
        protocol_name(f.protocol),
        f.protocol,
        f.payload.len(),
        if r.is_cut() {
            " (cut by the capture)"
        } else {
            ""
        }
    );
    for m in f.msgs() {
        match m {
            Ok(m) => message(out, i32::from(f.protocol), &m),
            Err(e) => {
                let _ = writeln!(out, "  error: {e}");
                break;
            }
        }
    }
}

fn message(out: &mut String, protocol: i32, m: &Msg<'_>) {
    let _ = writeln!(
        out,
        "  {} flags={:#x}{} seq={} pid={} len={}",
        type_name(protocol, m.ty()),
        m.flags(),
        flag_names(m.ty(), m.flags()),
        m.seq(),
        m.pid(),
        m.len()
    );
    match m.control() {
        Ok(Some(Control::Ack(a)) | Some(Control::Error(a))) => {
            if a.is_ack() {
                let _ = writeln!(out, "    ack of seq {}", a.request().nlmsg_seq.get());
            } else {
                let _ = writeln!(
                    out,
                    "    error {} ({}) for request type {} seq {}",
                    a.error(),
                    std::io::Error::from_raw_os_error(a.errno()),
                    a.request().nlmsg_type.get(),
                    a.request().nlmsg_seq.get()
                );
            }
            if let Some(text) = a.message() {
                let _ = writeln!(out, "    ext-ack: {text}");
            }
            return;
        }
        Ok(Some(Control::Done(d))) => {
            let _ = writeln!(out, "    done, error {}", d.error());
            return;
        }
        Ok(Some(_)) => return,
        Ok(None) => {}
        Err(e) => {
            let _ = writeln!(out, "    error: {e}");
            return;
        }
    }
    let payload = m.payload();
    let hdr = header_len(protocol, m.ty(), payload);
    if hdr > 0 {
        let _ = writeln!(
            out,
            "    header {hdr} bytes: {}",
            hex(payload.get(..hdr).unwrap_or(payload))
        );
    }
    tree(out, m.attrs_after(hdr));
}

fn tree(out: &mut String, attrs: Attrs<'_>) {
    let walk = Walk::with(attrs, |a: &Attr<'_>, _| a.is_nested() || looks_nested(a));
    for item in walk {
        match item {
            Ok((depth, a)) => {
                let pad = "  ".repeat(depth + 2);
                let nested = a.is_nested() || looks_nested(&a);
                let _ = write!(out, "{pad}attr {}", a.ty());
                if a.is_net_byteorder() {
                    out.push_str(" (net byte order)");
                }
                if nested {
                    let guessed = if a.is_nested() { "" } else { "?" };
                    let _ = writeln!(out, " nest{guessed} {} bytes", a.payload().len());
                } else {
                    let _ = writeln!(out, " = {}", value(&a));
                }
            }
            Err(e) => {
                let _ = writeln!(out, "    error: {e}");
                break;
            }
        }
    }
}

/// A leaf's value: a string if it is one, numbers for the integer sizes,
/// hex always.
fn value(a: &Attr<'_>) -> String {
    let p = a.payload();
    if let Ok(s) = a.cstr() {
        if !s.is_empty() && s.chars().all(|c| !c.is_control()) {
            return format!("{s:?}");
        }
    }
    let num = match p.len() {
        1 => a.u8().ok().map(u64::from),
        2 => a.u16().ok().map(u64::from),
        4 => a.u32().ok().map(u64::from),
        8 => a.u64().ok(),
        _ => None,
    };
    match num {
        Some(v) => format!("{v} [{}]", hex(p)),
        None if p.is_empty() => "(flag)".into(),
        None => format!("[{}]", hex(p)),
    }
}

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Family header size: known for rtnetlink and generic netlink, guessed
/// otherwise as the first 4-byte boundary after which the rest parses as
/// attributes to the end.
fn header_len(protocol: i32, ty: u16, payload: &[u8]) -> usize {
    let known = match (protocol, ty) {
        (NETLINK_ROUTE, 16..=19 | 44) => Some(16), // link, ifinfomsg; stats 16 too
        (NETLINK_ROUTE, 20..=23) => Some(8),       // ifaddrmsg
        (NETLINK_ROUTE, 24..=27 | 32..=35) => Some(12), // rtmsg, fib_rule_hdr
        (NETLINK_ROUTE, 28..=31) => Some(12),      // ndmsg
        (NETLINK_ROUTE, 36..=51) => Some(20),      // tcmsg (qdisc, class, filter)
        (NETLINK_ROUTE, 104..=106) => Some(8),     // nhmsg
        (NETLINK_GENERIC, t) if t >= NLMSG_MIN_TYPE => Some(4),
        _ => None,
    };
    if let Some(h) = known.filter(|&h| h <= payload.len()) {
        return h;
    }
    let mut h = 0;
    while h <= payload.len() {
        let rest = payload.get(h..).unwrap_or_default();
        if Attrs::new(rest).validate().is_ok() && (rest.is_empty() || rest.len() >= 4) {
            return h;
        }
        h += 4;
    }
    payload.len()
}

fn protocol_name(p: u16) -> &'static str {
    match i32::from(p) {
        0 => "NETLINK_ROUTE",
        4 => "NETLINK_SOCK_DIAG",
        6 => "NETLINK_XFRM",
        9 => "NETLINK_AUDIT",
        12 => "NETLINK_NETFILTER",
        15 => "NETLINK_KOBJECT_UEVENT",
        16 => "NETLINK_GENERIC",
        _ => "netlink",
    }
}

fn type_name(protocol: i32, ty: u16) -> String {
    match ty {
        1 => "NLMSG_NOOP".into(),
        NLMSG_ERROR => "NLMSG_ERROR".into(),
        NLMSG_DONE => "NLMSG_DONE".into(),
        4 => "NLMSG_OVERRUN".into(),
        _ if protocol == NETLINK_ROUTE => {
            const OPS: [&str; 4] = ["NEW", "DEL", "GET", "SET"];
            const OBJS: [(u16, &str); 9] = [
                (16, "LINK"),
                (20, "ADDR"),
                (24, "ROUTE"),
                (28, "NEIGH"),
                (32, "RULE"),
                (36, "QDISC"),
                (40, "TCLASS"),
                (44, "TFILTER"),
                (104, "NEXTHOP"),
            ];
            OBJS.iter()
                .find(|(base, _)| (*base..*base + 4).contains(&ty))
                .and_then(|(base, obj)| {
                    OPS.get(usize::from(ty - base))
                        .map(|op| format!("RTM_{op}{obj}"))
                })
                .unwrap_or_else(|| format!("type {ty}"))
        }
        _ => format!("type {ty}"),
    }
}

fn flag_names(ty: u16, flags: u16) -> String {
    let mut names = Vec::new();
    for (bit, name) in [
        (1, "REQUEST"),
        (2, "MULTI"),
        (4, "ACK"),
        (8, "ECHO"),
        (0x10, "DUMP_INTR"),
    ] {
        if flags & bit != 0 {
            names.push(name);
        }
    }
    // The upper bits mean different things for gets, news and errors.
    let upper: &[(u16, &str)] = if ty == NLMSG_ERROR {
        &[(0x100, "CAPPED"), (0x200, "ACK_TLVS")]
    } else if flags & 0x300 == 0x300 && flags & 1 != 0 {
        names.push("DUMP");
        &[(0x400, "ATOMIC")]
    } else if flags & 1 != 0 {
        &[
            (0x100, "REPLACE"),
            (0x200, "EXCL"),
            (0x400, "CREATE"),
            (0x800, "APPEND"),
        ]
    } else {
        &[]
    };
    for (bit, name) in upper {
        if flags & bit != 0 {
            names.push(name);
        }
    }
    if names.is_empty() {
        String::new()
    } else {
        format!(" [{}]", names.join(","))
    }
}

/// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` from Unix time (proleptic Gregorian).
fn time(t: Timestamp) -> String {
    let days = t.secs / 86_400;
    let rem = t.secs % 86_400;
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:09}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        t.nanos
    )
}

/// Days since 1970-01-01 to (year, month, day).
fn civil(days: u64) -> (u64, u64, u64) {
    // Shift to 0000-03-01 so leap days end a 400-year era's years.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}
