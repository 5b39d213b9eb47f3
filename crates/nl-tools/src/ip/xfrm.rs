//! `ip xfrm state | policy | monitor` with iproute2's grammar. Plain
//! output is `ip xfrm`'s (see `xfrm_text.rs`); iproute2 has no JSON for
//! xfrm, so `-j` prints this library's field names.

use std::io::Write;
use std::net::IpAddr;

use anyhow::{Context, Result, bail};
use netlink::Handle;
use netlink::nl_xfrm::{
    Action, AeadAlgo, Algo, AuthAlgo, Dir, Encap, Group, Key, Lifetime, Mark, Mode, Offload,
    PolicyFlags, PolicyType, Proto, ReplayEsn, SaDir, SecCtx, Selector, StateDump, StateFlags,
    StateId, Template, XfrmEvent, XfrmPolicy, XfrmState,
};
use serde_json::{Value, json};

use super::{Ip, Opts, xfrm_text};
use crate::args::{Args, matches};

/// `ip xfrm { state | policy | monitor } ...`.
pub fn run(ip: &Ip<'_>, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let (h, opts) = (ip.h, &ip.opts);
    match args.next().unwrap_or("help") {
        o if matches(o, "state", 2) || o == "sa" => state(h, opts, args, out),
        o if matches(o, "policy", 2) => policy(h, opts, args, out),
        o if matches(o, "monitor", 1) => monitor(h, args, out),
        _ => bail!("Usage: ip xfrm {{ state | policy | monitor }} ..."),
    }
}

fn ifname(h: &Handle) -> impl Fn(i32) -> String + '_ {
    move |i| {
        u32::try_from(i)
            .ok()
            .and_then(|i| h.link_by_index(i).ok())
            .map_or_else(|| i.to_string(), |l| l.name)
    }
}

fn ifindex(h: &Handle, name: &str) -> Result<i32> {
    Ok(i32::try_from(h.link_by_name(name)?.index)?)
}

fn number(s: &str) -> Result<u64> {
    let v = match s.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => s.parse(),
    };
    v.with_context(|| format!("invalid number \"{s}\""))
}

fn u32_of(args: &mut Args<'_>, key: &str) -> Result<u32> {
    Ok(u32::try_from(number(args.value(key)?)?)?)
}

fn addr(s: &str) -> Result<IpAddr> {
    s.parse()
        .with_context(|| format!("invalid address \"{s}\""))
}

fn prefix(s: &str) -> Result<ipnet::IpNet> {
    if s.contains('/') {
        return s.parse().with_context(|| format!("invalid prefix \"{s}\""));
    }
    Ok(ipnet::IpNet::from(addr(s)?))
}

fn proto_number(s: &str) -> Result<u8> {
    Ok(match s {
        "icmp" => 1,
        "tcp" => 6,
        "udp" => 17,
        "dccp" => 33,
        "gre" => 47,
        "ipv6-icmp" | "icmpv6" => 58,
        "sctp" => 132,
        "mobility-header" | "mh" => 135,
        n => n
            .parse()
            .with_context(|| format!("invalid protocol \"{n}\""))?,
    })
}

/// `mark MARK [mask MASK]` (the word `mark` already read).
fn mark(args: &mut Args<'_>) -> Result<Mark> {
    let value = u32_of(args, "mark")?;
    let mask = if args.peek() == Some("mask") {
        args.next();
        u32_of(args, "mask")?
    } else {
        u32::MAX
    };
    Ok(Mark { value, mask })
}

/// `limit LIMIT` (the word `limit` already read).
fn limit(args: &mut Args<'_>, l: &mut Lifetime) -> Result<()> {
    let which = args.value("limit")?;
    let v = number(args.value(which)?)?;
    match which {
        "time-soft" => l.soft_add_expires = v,
        "time-hard" => l.hard_add_expires = v,
        "time-use-soft" => l.soft_use_expires = v,
        "time-use-hard" => l.hard_use_expires = v,
        "byte-soft" => l.soft_bytes = v,
        "byte-hard" => l.hard_bytes = v,
        "packet-soft" => l.soft_packets = v,
        "packet-hard" => l.hard_packets = v,
        other => bail!("unknown limit \"{other}\""),
    }
    Ok(())
}

/// One SELECTOR word and its value, if `word` is one.
fn selector_word(h: &Handle, args: &mut Args<'_>, word: &str, s: &mut Selector) -> Result<bool> {
    match word {
        "src" => s.src = prefix(args.value("src")?)?,
        "dst" => s.dst = prefix(args.value("dst")?)?,
        "dev" => s.ifindex = ifindex(h, args.value("dev")?)?,
        "proto" => s.proto = proto_number(args.value("proto")?)?,
        "sport" | "type" => {
            s.sport = u16::try_from(number(args.value(word)?)?)?;
            s.sport_mask = u16::MAX;
        }
        "dport" | "code" => {
            s.dport = u16::try_from(number(args.value(word)?)?)?;
            s.dport_mask = u16::MAX;
        }
        "key" => {
            let v = args.value("key")?;
            let k: u32 = match v.parse::<std::net::Ipv4Addr>() {
                Ok(a) => u32::from(a),
                Err(_) => u32::try_from(number(v)?)?,
            };
            s.sport = (k >> 16) as u16;
            s.dport = (k & 0xffff) as u16;
            s.sport_mask = u16::MAX;
            s.dport_mask = u16::MAX;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn finish_selector(s: &mut Selector) {
    let v6 = s.src.addr().is_ipv6() || s.dst.addr().is_ipv6();
    if v6 && s.src.addr().is_ipv4() && s.src.prefix_len() == 0 {
        s.src = "::/0".parse().unwrap_or(s.src);
    }
    if v6 && s.dst.addr().is_ipv4() && s.dst.prefix_len() == 0 {
        s.dst = "::/0".parse().unwrap_or(s.dst);
    }
    s.family = if v6 { 10 } else { 2 };
}

// ---------------------------------------------------------------------------
// ip xfrm state

fn state(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("list");
    match cmd {
        "add" | "update" => {
            let s = parse_state(h, &mut args)?;
            s.validate_strict()?;
            if cmd == "add" {
                h.xfrm_state_add(&s)?;
            } else {
                h.xfrm_state_update(&s)?;
            }
            Ok(())
        }
        "allocspi" => {
            let (mut min, mut max) = (0x100, 0x0fff_ffff);
            let mut s = XfrmState::default();
            while let Some(w) = args.next() {
                match w {
                    "min" => min = u32_of(&mut args, "min")?,
                    "max" => max = u32_of(&mut args, "max")?,
                    w => state_word(h, &mut args, w, &mut s)?,
                }
            }
            s.family = s.dst.map_or(2, |d| netlink::nl_xfrm::common::family_of(&d));
            let got = h.xfrm_state_allocspi(&s, min, max)?;
            print_states(h, opts, &[got], false, out)
        }
        o if matches(o, "delete", 1) || matches(o, "get", 1) => {
            let s = parse_state(h, &mut args)?;
            if o.starts_with('d') {
                h.xfrm_state_del(&s.id())?;
                Ok(())
            } else {
                let got = h.xfrm_state_get(&s.id())?;
                print_states(h, opts, &[got], false, out)
            }
        }
        o if matches(o, "list", 1) || matches(o, "show", 1) || o == "deleteall" => {
            let mut nokeys = false;
            let mut filter = StateDump::default();
            let mut want = XfrmState::default();
            let mut want_spi = None;
            let mut want_mode = None;
            let mut want_reqid = None;
            while let Some(w) = args.next() {
                match w {
                    "nokeys" => nokeys = true,
                    "src" => filter.src = Some(prefix(args.value("src")?)?),
                    "dst" => filter.dst = Some(prefix(args.value("dst")?)?),
                    "proto" => filter.proto = Some(args.parse("proto")?),
                    "spi" => want_spi = Some(u32_of(&mut args, "spi")?),
                    "mode" => want_mode = Some(args.parse::<Mode>("mode")?),
                    "reqid" => want_reqid = Some(u32_of(&mut args, "reqid")?),
                    "flag" => want.flags |= flags(&mut args)?,
                    other => bail!("unknown state filter \"{other}\""),
                }
            }
            let states: Vec<XfrmState> = h
                .xfrm_state_list_filtered(&filter)?
                .into_iter()
                .filter(|s| want_spi.is_none_or(|v| v == s.spi))
                .filter(|s| want_mode.is_none_or(|v| v == s.mode))
                .filter(|s| want_reqid.is_none_or(|v| v == s.reqid))
                .filter(|s| s.flags.contains(want.flags))
                .collect();
            if cmd == "deleteall" {
                for s in &states {
                    h.xfrm_state_del(&s.id())?;
                }
                return Ok(());
            }
            print_states(h, opts, &states, nokeys, out)
        }
        "flush" => {
            let proto = match (args.next(), args.next()) {
                (Some("proto"), Some(p)) => Some(p.parse::<Proto>()?),
                (None, _) => None,
                _ => bail!("Usage: ip xfrm state flush [ proto XFRM-PROTO ]"),
            };
            h.xfrm_state_flush(proto)?;
            Ok(())
        }
        "count" => {
            let info = h.xfrm_sad_info()?;
            if opts.json {
                writeln!(
                    out,
                    "{}",
                    json!({"count": info.count, "hash_buckets": info.hash_buckets, "hash_max": info.hash_max})
                )?;
            } else {
                writeln!(out, "\t SAD count {}", info.count)?;
                if opts.stats {
                    writeln!(
                        out,
                        "\t SAD buckets: count {} Max {}",
                        info.hash_buckets, info.hash_max
                    )?;
                }
            }
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip xfrm state help\"."),
    }
}

fn flags(args: &mut Args<'_>) -> Result<StateFlags> {
    let mut f = StateFlags::empty();
    let first = args.value("flag")?;
    f |= StateFlags::from_word(first)
        .or_else(|| {
            number(first)
                .ok()
                .and_then(|n| u8::try_from(n).ok())
                .map(StateFlags::from_bits_retain)
        })
        .with_context(|| format!("unknown flag \"{first}\""))?;
    // FLAG-LIST: more flag words may follow.
    while let Some(next) = args.peek().and_then(StateFlags::from_word) {
        args.next();
        f |= next;
    }
    Ok(f)
}

fn key(args: &mut Args<'_>, what: &str) -> Result<Key> {
    let v = args.value(what)?;
    if v.starts_with("0x") {
        Ok(Key::from_hex(v)?)
    } else {
        // iproute2 takes a plain string as the key's bytes.
        Ok(Key::new(v.as_bytes().to_vec()))
    }
}

/// One word of `ip xfrm state add`'s grammar.
fn state_word(h: &Handle, args: &mut Args<'_>, w: &str, s: &mut XfrmState) -> Result<()> {
    match w {
        "src" => s.src = Some(addr(args.value("src")?)?),
        "dst" => s.dst = Some(addr(args.value("dst")?)?),
        "proto" => s.proto = args.parse("proto")?,
        "spi" => s.spi = u32_of(args, "spi")?,
        "mode" => s.mode = args.parse("mode")?,
        "reqid" => s.reqid = u32_of(args, "reqid")?,
        "seq" => s.seq = u32_of(args, "seq")?,
        "mark" => s.mark = Some(mark(args)?),
        "output-mark" => s.output_mark = Some(mark(args)?),
        "if_id" => s.if_id = Some(u32_of(args, "if_id")?),
        "tfcpad" => s.tfcpad = Some(u32_of(args, "tfcpad")?),
        "replay-window" => s.replay_window_words(u32_of(args, "replay-window")?),
        "replay-seq" => s.replay.get_or_insert_default().seq = u32_of(args, "replay-seq")?,
        "replay-oseq" => s.replay.get_or_insert_default().oseq = u32_of(args, "replay-oseq")?,
        "replay-seq-hi" => s.replay_esn.get_or_insert_default().seq_hi = u32_of(args, w)?,
        "replay-oseq-hi" => s.replay_esn.get_or_insert_default().oseq_hi = u32_of(args, w)?,
        "flag" => s.flags |= flags(args)?,
        "extra-flag" => {
            let mut x = s.extra_flags.unwrap_or(0);
            loop {
                match args.peek() {
                    Some("dont-encap-dscp") => x |= 1,
                    Some("oseq-may-wrap") => x |= 2,
                    _ => break,
                }
                args.next();
            }
            s.extra_flags = Some(x);
        }
        "enc" => {
            let name = args.value("enc")?;
            s.crypt = Some(Algo::new(name, key(args, "enc")?));
        }
        "auth" => {
            let name = args.value("auth")?;
            s.auth = Some(AuthAlgo {
                name: name.to_string(),
                key: key(args, "auth")?,
                trunc_len: None,
            });
        }
        "auth-trunc" => {
            let name = args.value("auth-trunc")?;
            let k = key(args, "auth-trunc")?;
            s.auth = Some(AuthAlgo::new(name, k, u32_of(args, "auth-trunc")?));
        }
        "aead" => {
            let name = args.value("aead")?;
            let k = key(args, "aead")?;
            s.aead = Some(AeadAlgo::new(name, k, u32_of(args, "aead")?));
        }
        "comp" => s.comp = Some(Algo::new(args.value("comp")?, Key::default())),
        "sel" => {
            while let Some(w) = args.peek() {
                args.next();
                if !selector_word(h, args, w, &mut s.selector)? {
                    // Not a selector word: give it back by handling it here.
                    state_word(h, args, w, s)?;
                    break;
                }
            }
            finish_selector(&mut s.selector);
        }
        "limit" => limit(args, &mut s.lifetime)?,
        "encap" => {
            let encap_type = match args.value("encap")? {
                "espinudp" => 2,
                "espinudp-nonike" => 1,
                "espintcp" => 7,
                other => bail!("unknown encap type \"{other}\""),
            };
            let sport = args.parse("sport")?;
            let dport = args.parse("dport")?;
            let oa = addr(args.value("oaddr")?)?;
            s.encap = Some(Encap {
                encap_type,
                oa: (!oa.is_unspecified()).then_some(oa),
                ..Encap::espinudp(sport, dport)
            });
        }
        "coa" => s.coaddr = Some(prefix(args.value("coa")?)?.addr()),
        "ctx" => {
            s.sec_ctx = Some(SecCtx {
                alg: 1,
                doi: 1,
                ctx: args.value("ctx")?.as_bytes().to_vec(),
            })
        }
        "offload" => {
            let mut o = Offload::default();
            loop {
                match args.peek() {
                    Some("dev") => {
                        args.next();
                        o.ifindex = ifindex(h, args.value("dev")?)?;
                    }
                    Some("dir") => {
                        args.next();
                        if args.value("dir")? == "in" {
                            o.flags |= 2;
                        }
                    }
                    Some("packet") => {
                        args.next();
                        o.flags |= 4;
                    }
                    _ => break,
                }
            }
            s.offload = Some(o);
        }
        "dir" => {
            s.dir = Some(match args.value("dir")? {
                "in" => SaDir::In,
                "out" => SaDir::Out,
                other => bail!("invalid dir \"{other}\""),
            })
        }
        other => bail!("unknown state option \"{other}\""),
    }
    Ok(())
}

/// `replay-window N`: the header's byte, or ESN's window when it is
/// wider (or the state has `flag esn`).
trait ReplayWindow {
    fn replay_window_words(&mut self, n: u32);
}

impl ReplayWindow for XfrmState {
    fn replay_window_words(&mut self, n: u32) {
        match u8::try_from(n) {
            Ok(b) if self.replay_esn.is_none() => self.replay_window = b,
            _ => {
                self.replay_esn
                    .get_or_insert_with(ReplayEsn::default)
                    .replay_window = n;
            }
        }
    }
}

fn parse_state(h: &Handle, args: &mut Args<'_>) -> Result<XfrmState> {
    let mut s = XfrmState::default();
    while let Some(w) = args.next() {
        state_word(h, args, w, &mut s)?;
    }
    // As iproute2: `flag esn` carries the window in the ESN state.
    if s.flags.contains(StateFlags::ESN) && s.replay_esn.is_none() {
        s.replay_esn = Some(ReplayEsn {
            replay_window: u32::from(s.replay_window),
            ..ReplayEsn::default()
        });
        s.replay_window = 0;
    }
    if let Some(d) = s.dst.or(s.src) {
        s.family = netlink::nl_xfrm::common::family_of(&d);
    }
    Ok(s)
}

fn print_states(
    h: &Handle,
    opts: &Opts,
    states: &[XfrmState],
    nokeys: bool,
    out: &mut dyn Write,
) -> Result<()> {
    if opts.json {
        let all: Vec<Value> = states.iter().map(|s| state_json(s, nokeys)).collect();
        writeln!(out, "{}", Value::Array(all))?;
        return Ok(());
    }
    let names = ifname(h);
    for s in states {
        write!(out, "{}", xfrm_text::state(s, opts.stats, nokeys, &names))?;
    }
    Ok(())
}

fn selector_json(s: &Selector) -> Value {
    json!({
        "family": s.family, "src": s.src.to_string(), "dst": s.dst.to_string(),
        "proto": s.proto, "sport": s.sport, "sport_mask": s.sport_mask,
        "dport": s.dport, "dport_mask": s.dport_mask, "ifindex": s.ifindex, "user": s.user,
    })
}

fn lifetime_json(l: &Lifetime) -> Value {
    json!({
        "soft_bytes": l.soft_bytes, "hard_bytes": l.hard_bytes,
        "soft_packets": l.soft_packets, "hard_packets": l.hard_packets,
        "soft_add_expires": l.soft_add_expires, "hard_add_expires": l.hard_add_expires,
        "soft_use_expires": l.soft_use_expires, "hard_use_expires": l.hard_use_expires,
    })
}

fn state_json(s: &XfrmState, nokeys: bool) -> Value {
    let key = |k: &Key| {
        if nokeys {
            Value::Null
        } else {
            json!(k.reveal_hex())
        }
    };
    json!({
        "src": s.src.map(|a| a.to_string()), "dst": s.dst.map(|a| a.to_string()),
        "proto": s.proto.to_string(), "spi": s.spi, "reqid": s.reqid, "mode": s.mode.to_string(),
        "replay_window": s.replay_window, "flags": s.flags.words(), "extra_flags": s.extra_flags,
        "auth": s.auth.as_ref().map(|a| json!({"name": a.name, "key": key(&a.key), "trunc_len": a.trunc_len})),
        "enc": s.crypt.as_ref().map(|a| json!({"name": a.name, "key": key(&a.key)})),
        "aead": s.aead.as_ref().map(|a| json!({"name": a.name, "key": key(&a.key), "icv_len": a.icv_len})),
        "comp": s.comp.as_ref().map(|a| json!({"name": a.name})),
        "encap": s.encap.map(|e| json!({"type": e.type_name(), "sport": e.sport, "dport": e.dport, "oa": e.oa.map(|a| a.to_string())})),
        "mark": s.mark.map(|m| json!({"value": m.value, "mask": m.mask})),
        "output_mark": s.output_mark.map(|m| json!({"value": m.value, "mask": m.mask})),
        "if_id": s.if_id, "tfcpad": s.tfcpad,
        "sel": selector_json(&s.selector),
        "lifetime": lifetime_json(&s.lifetime),
        "current": {"bytes": s.current.bytes, "packets": s.current.packets, "add_time": s.current.add_time, "use_time": s.current.use_time},
        "stats": {"replay_window": s.stats.replay_window, "replay": s.stats.replay, "integrity_failed": s.stats.integrity_failed},
    })
}

// ---------------------------------------------------------------------------
// ip xfrm policy

fn policy(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("list");
    match cmd {
        "add" | "update" => {
            let p = parse_policy(h, &mut args)?;
            if cmd == "add" {
                h.xfrm_policy_add(&p)?;
            } else {
                h.xfrm_policy_update(&p)?;
            }
            Ok(())
        }
        o if matches(o, "delete", 1) || matches(o, "get", 1) => {
            let p = parse_policy(h, &mut args)?;
            let mut id = p.id();
            if p.index != 0 {
                id.selector = None;
                id.index = p.index;
            }
            if o.starts_with('d') {
                h.xfrm_policy_del(&id)?;
                Ok(())
            } else {
                let got = h.xfrm_policy_get(&id)?;
                print_policies(h, opts, &[got], out)
            }
        }
        o if matches(o, "list", 1) || matches(o, "show", 1) || o == "deleteall" => {
            let mut want_dir = None;
            let mut want_ptype = None;
            let mut want_action = None;
            let mut want_priority = None;
            let mut want_index = None;
            let mut nosock = false;
            while let Some(w) = args.next() {
                match w {
                    "nosock" => nosock = true,
                    "dir" => want_dir = Some(args.parse::<Dir>("dir")?),
                    "ptype" => want_ptype = Some(args.parse::<PolicyType>("ptype")?),
                    "action" => want_action = Some(args.parse::<Action>("action")?),
                    "priority" => want_priority = Some(u32_of(&mut args, "priority")?),
                    "index" => want_index = Some(u32_of(&mut args, "index")?),
                    other => bail!("unknown policy filter \"{other}\""),
                }
            }
            let list: Vec<XfrmPolicy> = h
                .xfrm_policy_list()?
                .into_iter()
                // Socket policies have directions past XFRM_POLICY_MAX (3).
                .filter(|p| !nosock || u8::from(p.dir) < 3)
                .filter(|p| want_dir.is_none_or(|d| d == p.dir))
                .filter(|p| want_ptype.is_none_or(|t| t == p.ptype))
                .filter(|p| want_action.is_none_or(|a| a == p.action))
                .filter(|p| want_priority.is_none_or(|v| v == p.priority))
                .filter(|p| want_index.is_none_or(|v| v == p.index))
                .collect();
            if cmd == "deleteall" {
                for p in &list {
                    h.xfrm_policy_del(&p.id())?;
                }
                return Ok(());
            }
            print_policies(h, opts, &list, out)
        }
        "flush" => {
            let ptype = match (args.next(), args.next()) {
                (Some("ptype"), Some(t)) => Some(t.parse::<PolicyType>()?),
                (None, _) => None,
                _ => bail!("Usage: ip xfrm policy flush [ ptype PTYPE ]"),
            };
            h.xfrm_policy_flush(ptype)?;
            Ok(())
        }
        "count" => {
            let i = h.xfrm_spd_info()?;
            if opts.json {
                writeln!(
                    out,
                    "{}",
                    json!({"in": i.in_count, "out": i.out_count, "fwd": i.fwd_count,
                        "in_sock": i.in_socket, "out_sock": i.out_socket, "fwd_sock": i.fwd_socket,
                        "hash_buckets": i.hash_buckets, "hash_max": i.hash_max})
                )?;
            } else {
                writeln!(
                    out,
                    "\t SPD IN  {} OUT {} FWD {} (Sock: IN {} OUT {} FWD {})",
                    i.in_count, i.out_count, i.fwd_count, i.in_socket, i.out_socket, i.fwd_socket
                )?;
                if opts.stats {
                    writeln!(
                        out,
                        "\t SPD buckets: count {} Max {}",
                        i.hash_buckets, i.hash_max
                    )?;
                    if let Some((l, r)) = i.ipv4_thresh {
                        writeln!(out, "\t SPD IPv4 thresholds: local {l} remote {r}")?;
                    }
                    if let Some((l, r)) = i.ipv6_thresh {
                        writeln!(out, "\t SPD IPv6 thresholds: local {l} remote {r}")?;
                    }
                }
            }
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"ip xfrm policy help\"."),
    }
}

fn parse_policy(h: &Handle, args: &mut Args<'_>) -> Result<XfrmPolicy> {
    let mut p = XfrmPolicy::default();
    while let Some(w) = args.next() {
        if selector_word(h, args, w, &mut p.selector)? {
            continue;
        }
        match w {
            "dir" => p.dir = args.parse("dir")?,
            "ctx" => {
                p.sec_ctx = Some(SecCtx {
                    alg: 1,
                    doi: 1,
                    ctx: args.value("ctx")?.as_bytes().to_vec(),
                })
            }
            "mark" => p.mark = Some(mark(args)?),
            "index" => p.index = u32_of(args, "index")?,
            "ptype" => p.ptype = args.parse("ptype")?,
            "action" => p.action = args.parse("action")?,
            "priority" => p.priority = u32_of(args, "priority")?,
            "if_id" => p.if_id = Some(u32_of(args, "if_id")?),
            "flag" => loop {
                match args.next() {
                    Some("localok") => p.flags |= PolicyFlags::LOCALOK,
                    Some("icmp") => p.flags |= PolicyFlags::ICMP,
                    Some(n) => p.flags |= PolicyFlags::from_bits_retain(u8::try_from(number(n)?)?),
                    None => bail!("\"flag\" needs a value"),
                }
                if !matches!(args.peek(), Some("localok" | "icmp")) {
                    break;
                }
            },
            "limit" => limit(args, &mut p.lifetime)?,
            "tmpl" => p.templates.push(template(args)?),
            other => bail!("unknown policy option \"{other}\""),
        }
    }
    finish_selector(&mut p.selector);
    Ok(p)
}

/// `tmpl ID [mode MODE] [reqid REQID] [level LEVEL]`.
fn template(args: &mut Args<'_>) -> Result<Template> {
    let mut t = Template::default();
    while let Some(w) = args.peek() {
        match w {
            "src" | "dst" | "proto" | "spi" | "mode" | "reqid" | "level" => {
                args.next();
            }
            _ => break,
        }
        match w {
            "src" => t.src = Some(addr(args.value("src")?)?),
            "dst" => t.dst = Some(addr(args.value("dst")?)?),
            "proto" => t.proto = args.parse("proto")?,
            "spi" => t.spi = u32_of(args, "spi")?,
            "mode" => t.mode = args.parse("mode")?,
            "reqid" => t.reqid = u32_of(args, "reqid")?,
            _ => {
                t.optional = match args.value("level")? {
                    "use" => true,
                    "required" => false,
                    other => bail!("invalid level \"{other}\""),
                }
            }
        }
    }
    Ok(t)
}

fn print_policies(h: &Handle, opts: &Opts, list: &[XfrmPolicy], out: &mut dyn Write) -> Result<()> {
    if opts.json {
        let all: Vec<Value> = list.iter().map(policy_json).collect();
        writeln!(out, "{}", Value::Array(all))?;
        return Ok(());
    }
    let names = ifname(h);
    for p in list {
        write!(out, "{}", xfrm_text::policy(p, opts.stats, &names))?;
    }
    Ok(())
}

fn policy_json(p: &XfrmPolicy) -> Value {
    let tmpls: Vec<Value> = p
        .templates
        .iter()
        .map(|t| {
            json!({"src": t.src.map(|a| a.to_string()), "dst": t.dst.map(|a| a.to_string()),
                "proto": t.proto.to_string(), "spi": t.spi, "reqid": t.reqid, "mode": t.mode.to_string(),
                "level": if t.optional { "use" } else { "required" }})
        })
        .collect();
    json!({
        "sel": selector_json(&p.selector), "dir": p.dir.to_string(), "action": p.action.to_string(),
        "index": p.index, "priority": p.priority, "ptype": p.ptype.to_string(),
        "flags": p.flags.bits(), "mark": p.mark.map(|m| json!({"value": m.value, "mask": m.mask})),
        "if_id": p.if_id, "lifetime": lifetime_json(&p.lifetime), "tmpl": tmpls,
    })
}

// ---------------------------------------------------------------------------
// ip xfrm monitor

fn monitor(h: &Handle, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let mut groups = Vec::new();
    while let Some(w) = args.next() {
        match w {
            "all" => groups.extend(Group::ALL),
            g => groups.push(g.parse::<Group>()?),
        }
    }
    if groups.is_empty() {
        groups.extend(Group::ALL);
    }
    let mut mon = h.xfrm_monitor(&groups)?;
    let names = ifname(h);
    loop {
        match mon.next()? {
            XfrmEvent::NewState(s) => {
                write!(out, "{}", xfrm_text::state(&s, false, false, &names))?
            }
            XfrmEvent::UpdState(s) => write!(
                out,
                "Updated {}",
                xfrm_text::state(&s, false, false, &names)
            )?,
            XfrmEvent::DelState { id, state } => match state {
                Some(s) => write!(
                    out,
                    "Deleted {}",
                    xfrm_text::state(&s, false, false, &names)
                )?,
                None => writeln!(out, "Deleted {}", state_id(&id))?,
            },
            XfrmEvent::Expire { state, hard } => {
                write!(
                    out,
                    "Expired {}",
                    xfrm_text::state(&state, false, false, &names)
                )?;
                writeln!(out, "\thard {}", u8::from(hard))?;
            }
            XfrmEvent::NewPolicy(p) => write!(out, "{}", xfrm_text::policy(&p, false, &names))?,
            XfrmEvent::UpdPolicy(p) => {
                write!(out, "Updated {}", xfrm_text::policy(&p, false, &names))?
            }
            XfrmEvent::DelPolicy { id, policy } => match policy {
                Some(p) => write!(out, "Deleted {}", xfrm_text::policy(&p, false, &names))?,
                None => writeln!(out, "Deleted policy index {} dir {}", id.index, id.dir)?,
            },
            XfrmEvent::PolicyExpire { policy, hard } => {
                write!(
                    out,
                    "Polexpire {}",
                    xfrm_text::policy(&policy, false, &names)
                )?;
                writeln!(out, "\thard {}", u8::from(hard))?;
            }
            XfrmEvent::Acquire(a) => {
                writeln!(out, "acquire proto {}", a.proto)?;
                writeln!(out, "  src {} dst {}", a.src, a.dst)?;
                write!(out, "{}", xfrm_text::policy(&a.policy, false, &names))?;
            }
            XfrmEvent::FlushStates { proto } => match proto {
                Some(p) => writeln!(out, "Flushed state proto {p}")?,
                None => writeln!(out, "Flushed state proto any")?,
            },
            XfrmEvent::FlushPolicies { ptype } => writeln!(out, "Flushed policy ptype {ptype}")?,
            XfrmEvent::Aevent(a) => writeln!(
                out,
                "Async event (0x{:x}) {}\n\treplay {:?} esn {:?} lifetime {:?}",
                a.flags,
                state_id(&a.id),
                a.replay,
                a.replay_esn,
                a.current
            )?,
            XfrmEvent::Mapping(m) => writeln!(
                out,
                "Mapping change {}:{} -> {}:{} ({})",
                m.old_src,
                m.old_sport,
                m.new_src,
                m.new_sport,
                state_id(&m.id)
            )?,
            XfrmEvent::Report {
                proto,
                selector,
                coaddr,
            } => writeln!(
                out,
                "report proto {proto} {} coa {}",
                xfrm_text::selector(&selector, false, &names),
                coaddr.map(|a| a.to_string()).unwrap_or_default()
            )?,
            other => writeln!(out, "{other:?}")?,
        }
        // Each event as it happens, whatever stdout is.
        out.flush()?;
    }
}

fn state_id(id: &StateId) -> String {
    format!(
        "src {} dst {} proto {} spi {:#010x}",
        id.src.map(|a| a.to_string()).unwrap_or_default(),
        id.dst.map(|a| a.to_string()).unwrap_or_default(),
        id.proto,
        id.spi
    )
}
