//! `ip xfrm state` / `ip xfrm policy` text, as iproute2 prints it (the
//! conformance tests include this file and compare it with `ip`'s output
//! for the same namespace).

use std::fmt::Write;
use std::net::IpAddr;

use netlink::nl_xfrm::{
    Action, Lifetime, LifetimeCurrent, PolicyFlags, Selector, Template, XfrmPolicy, XfrmState,
};

/// `inet_proto_n2a` for the protocols selectors name.
fn proto_name(p: u8) -> String {
    match p {
        1 => "icmp".into(),
        6 => "tcp".into(),
        17 => "udp".into(),
        33 => "dccp".into(),
        47 => "gre".into(),
        58 => "ipv6-icmp".into(),
        132 => "sctp".into(),
        135 => "mobility-header".into(),
        n => n.to_string(),
    }
}

/// The selector line (without the leading tab iproute2 uses for states).
pub fn selector(s: &Selector, stats: bool, ifname: &dyn Fn(i32) -> String) -> String {
    let mut out = format!(
        "src {}/{} dst {}/{} ",
        s.src.addr(),
        s.src.prefix_len(),
        s.dst.addr(),
        s.dst.prefix_len()
    );
    if s.proto != 0 {
        let _ = write!(out, "proto {} ", proto_name(s.proto));
        match s.proto {
            6 | 17 | 33 | 132 => {
                if s.sport_mask != 0 {
                    let _ = write!(out, "sport {} ", s.sport);
                }
                if s.dport_mask != 0 {
                    let _ = write!(out, "dport {} ", s.dport);
                }
            }
            1 | 58 | 135 => {
                if s.sport_mask != 0 {
                    let _ = write!(out, "type {} ", s.sport);
                }
                if s.dport_mask != 0 {
                    let _ = write!(out, "code {} ", s.dport);
                }
            }
            47 if s.sport_mask != 0 || s.dport_mask != 0 => {
                let key = (u32::from(s.sport) << 16) | u32::from(s.dport);
                let _ = write!(out, "key {key} ");
            }
            _ => {}
        }
    }
    if s.ifindex != 0 {
        let _ = write!(out, "dev {} ", ifname(s.ifindex));
    }
    if stats {
        let _ = write!(out, "uid {}", s.user);
    }
    out
}

/// `strxf_mask8`: the byte's bits, most significant first.
fn bits8(v: u8) -> String {
    format!("{v:08b}")
}

fn limit(v: u64) -> String {
    if v == u64::MAX {
        "(INF)".into()
    } else {
        v.to_string()
    }
}

/// Seconds since the epoch as `%Y-%m-%d %H:%M:%S` in UTC.
pub fn utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn lifetimes(out: &mut String, cfg: &Lifetime, cur: &LifetimeCurrent, prefix: &str) {
    let _ = writeln!(out, "{prefix}lifetime config:");
    let _ = writeln!(
        out,
        "{prefix}  limit: soft {}(bytes), hard {}(bytes)",
        limit(cfg.soft_bytes),
        limit(cfg.hard_bytes)
    );
    let _ = writeln!(
        out,
        "{prefix}  limit: soft {}(packets), hard {}(packets)",
        limit(cfg.soft_packets),
        limit(cfg.hard_packets)
    );
    let _ = writeln!(
        out,
        "{prefix}  expire add: soft {}(sec), hard {}(sec)",
        cfg.soft_add_expires, cfg.hard_add_expires
    );
    let _ = writeln!(
        out,
        "{prefix}  expire use: soft {}(sec), hard {}(sec)",
        cfg.soft_use_expires, cfg.hard_use_expires
    );
    let _ = writeln!(out, "{prefix}lifetime current:");
    let _ = writeln!(
        out,
        "{prefix}  {}(bytes), {}(packets)",
        cur.bytes, cur.packets
    );
    let used = if cur.use_time == 0 {
        "-".to_string()
    } else {
        utc(cur.use_time)
    };
    let _ = writeln!(out, "{prefix}  add {} use {used}", utc(cur.add_time));
}

/// `spi ... reqid ... `: with `-s`, each in both bases.
fn spi_reqid(out: &mut String, spi: u32, reqid: u32, stats: bool) {
    if stats {
        let _ = write!(out, "spi {spi:#010x}({spi}) reqid {reqid}({reqid:#010x}) ");
    } else {
        let _ = write!(out, "spi {spi:#010x} reqid {reqid} ");
    }
}

fn template(out: &mut String, t: &Template, stats: bool, v6: bool) {
    let zero = if v6 { "::" } else { "0.0.0.0" };
    let show = |a: Option<IpAddr>| a.map_or_else(|| zero.to_string(), |a| a.to_string());
    let _ = writeln!(out, "\ttmpl src {} dst {}", show(t.src), show(t.dst));
    let _ = write!(out, "\t\tproto {} ", t.proto);
    if stats || t.spi != 0 {
        spi_reqid(out, t.spi, t.reqid, stats);
    } else {
        let _ = write!(out, "reqid {} ", t.reqid);
    }
    let _ = writeln!(out, "mode {}", t.mode);
    if stats {
        let level = if t.optional { "use" } else { "required" };
        let _ = writeln!(out, "\t\tlevel {level} share any ");
        let _ = writeln!(
            out,
            "\t\tenc-mask {:x} auth-mask {:x} comp-mask {:x}",
            t.ealgos, t.aalgos, t.calgos
        );
    } else if t.optional {
        let _ = writeln!(out, "\t\tlevel use ");
    }
}

/// One policy as `ip [-s] xfrm policy` prints it.
pub fn policy(p: &XfrmPolicy, stats: bool, ifname: &dyn Fn(i32) -> String) -> String {
    let mut out = selector(&p.selector, stats, ifname);
    out.push('\n');
    let _ = write!(out, "\tdir {} ", p.dir);
    if stats || p.action != Action::Allow {
        let _ = write!(out, "action {} ", p.action);
    }
    if stats {
        let _ = write!(out, "index {} ", p.index);
    }
    let _ = write!(out, "priority {} ptype {} ", p.priority, p.ptype);
    if stats {
        out.push_str("share any ");
    }
    let mut words = Vec::new();
    if p.flags.contains(PolicyFlags::LOCALOK) {
        words.push("localok");
    }
    if p.flags.contains(PolicyFlags::ICMP) {
        words.push("icmp");
    }
    if stats {
        let _ = write!(
            out,
            "flag {} (0x{})",
            words.join(" "),
            bits8(p.flags.bits())
        );
    } else if !words.is_empty() {
        let _ = write!(out, "flag {}", words.join(" "));
    }
    out.push('\n');
    if stats {
        lifetimes(&mut out, &p.lifetime, &p.current, "\t");
    }
    if let Some(m) = p.mark {
        let _ = writeln!(out, "\tmark {:#x}/{:#x} ", m.value, m.mask);
    }
    let v6 = p.selector.family == 10;
    for t in &p.templates {
        template(&mut out, t, stats, v6);
    }
    if let Some(i) = p.if_id {
        let _ = writeln!(out, "\tif_id {i:#x}");
    }
    out
}

/// One state as `ip [-s] xfrm state` prints it (keys shown unless
/// `nokeys`).
pub fn state(s: &XfrmState, stats: bool, nokeys: bool, ifname: &dyn Fn(i32) -> String) -> String {
    let show = |a: Option<IpAddr>| a.map(|a| a.to_string()).unwrap_or_default();
    let mut out = format!("src {} dst {}\n", show(s.src), show(s.dst));
    let _ = write!(out, "\tproto {} ", s.proto);
    spi_reqid(&mut out, s.spi, s.reqid, stats);
    let _ = writeln!(out, "mode {}", s.mode);
    let _ = write!(out, "\treplay-window {} ", s.replay_window);
    if stats {
        let _ = write!(out, "seq {:#010x} ", s.seq);
    }
    let words = s.flags.words();
    let extra: Vec<&str> = [(1, "dont-encap-dscp"), (2, "oseq-may-wrap")]
        .into_iter()
        .filter(|(bit, _)| s.extra_flags.unwrap_or(0) & bit != 0)
        .map(|(_, w)| w)
        .collect();
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!("extra_flag {}", extra.join(" "))
    };
    if stats {
        let _ = write!(
            out,
            "flag {}{extra} (0x{})",
            words.join(" "),
            bits8(s.flags.bits())
        );
    } else if !words.is_empty() || !extra.is_empty() {
        let _ = write!(out, "flag {}{extra}", words.join(" "));
    }
    out.push('\n');
    match (s.mark, s.output_mark) {
        (Some(m), Some(o)) => {
            let _ = writeln!(
                out,
                "\tmark {:#x}/{:#x} output-mark {:#x}/{:#x}",
                m.value, m.mask, o.value, o.mask
            );
        }
        (Some(m), None) => {
            let _ = writeln!(out, "\tmark {:#x}/{:#x} ", m.value, m.mask);
        }
        (None, Some(o)) => {
            let _ = writeln!(out, "\toutput-mark {:#x}/{:#x}", o.value, o.mask);
        }
        (None, None) => {}
    }
    let key = |k: &netlink::nl_xfrm::Key| {
        if nokeys {
            String::new()
        } else if stats {
            format!(" {} ({} bits)", k.reveal_hex(), k.len() * 8)
        } else {
            format!(" {}", k.reveal_hex())
        }
    };
    if let Some(a) = &s.auth {
        match a.trunc_len {
            Some(t) => {
                let _ = writeln!(out, "\tauth-trunc {}{} {t}", a.name, key(&a.key));
            }
            None => {
                let _ = writeln!(out, "\tauth {}{}", a.name, key(&a.key));
            }
        }
    }
    if let Some(a) = &s.aead {
        let _ = writeln!(out, "\taead {}{} {}", a.name, key(&a.key), a.icv_len);
    }
    if let Some(c) = &s.crypt {
        let _ = writeln!(out, "\tenc {}{}", c.name, key(&c.key));
    }
    if let Some(c) = &s.comp {
        let _ = writeln!(out, "\tcomp {}", c.name);
    }
    if let Some(e) = s.encap {
        let zero = if s.family == 10 { "::" } else { "0.0.0.0" };
        let oa = e.oa.map_or_else(|| zero.to_string(), |a| a.to_string());
        let _ = writeln!(
            out,
            "\tencap type {} sport {} dport {} addr {oa}",
            e.type_name(),
            e.sport,
            e.dport
        );
    }
    if let Some(r) = s.replay {
        let _ = writeln!(
            out,
            "\tanti-replay context: seq {:#x}, oseq {:#x}, bitmap {:#010x}",
            r.seq, r.oseq, r.bitmap
        );
    }
    if let Some(r) = &s.replay_esn {
        let _ = writeln!(out, "\tanti-replay esn context:");
        let _ = writeln!(
            out,
            "\t seq-hi {:#x}, seq {:#x}, oseq-hi {:#x}, oseq {:#x}",
            r.seq_hi, r.seq, r.oseq_hi, r.oseq
        );
        let _ = writeln!(
            out,
            "\t replay_window {}, bitmap-length {}",
            r.replay_window,
            r.bitmap.len()
        );
        let words: Vec<String> = r.bitmap.iter().map(|w| format!("{w:08x}")).collect();
        let _ = writeln!(out, "\t {}", words.join(" "));
    }
    if let Some(i) = s.if_id {
        let _ = writeln!(out, "\tif_id {i:#x}");
    }
    if let Some(t) = s.tfcpad {
        let _ = writeln!(out, "\ttfcpad {t}");
    }
    let _ = writeln!(out, "\tsel {}", selector(&s.selector, stats, ifname));
    if stats {
        lifetimes(&mut out, &s.lifetime, &s.current, "\t");
        let _ = writeln!(out, "\tstats:");
        let _ = writeln!(
            out,
            "\t  replay-window {} replay {} failed {}",
            s.stats.replay_window, s.stats.replay, s.stats.integrity_failed
        );
    }
    out
}
