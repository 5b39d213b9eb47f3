//! IPsec through the facade against the real kernel, each test in a
//! private namespace: policies (every field, templates, marks, if_id,
//! get/update/delete by selector and by index, flush, count) on any
//! kernel; states (algorithms, ESN, NAT-T, marks, if_id, limits, get,
//! update, allocspi, flush, count) where the kernel has ESP and AH, which
//! is the VM tier (this machine's kernel lacks them, so they skip here);
//! the monitor's events; and conformance with `ip -s xfrm` both ways:
//! objects iproute2 adds read the same through this library as `ip` shows
//! them, and objects this library adds show in `ip` as they were sent.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use netlink::nl_xfrm::*;
use netlink::{ErrorKind, Handle};
use netlink_tests::{Netns, in_netns, need_feature, skip};

use nl_tools::ip::xfrm_text;

fn ifname(i: i32) -> String {
    if i == 1 { "lo".into() } else { i.to_string() }
}

/// Text without the lines that hold the time of day.
fn timeless(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("add 20"))
        .map(|l| format!("{l}\n"))
        .collect()
}

const AUTH_KEY: &str = "0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const ENC_KEY: &str = "0x00112233445566778899aabbccddeeff";

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn sel(src: &str, dst: &str) -> Selector {
    Selector::new(src.parse().unwrap(), dst.parse().unwrap())
}

// ---------------------------------------------------------------------
// `ip -s xfrm policy` / `ip -s xfrm state` text, parsed into key/value
// lists: iproute2 has no JSON for xfrm.

/// One object of `ip -s xfrm ...` output: its lines, trimmed.
fn blocks(text: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with('\t') && !line.starts_with(' ') {
            out.push(Vec::new());
        }
        if let Some(b) = out.last_mut() {
            b.push(line.trim().to_string());
        }
    }
    out
}

/// The word after `key` on `line`.
fn after<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let mut words = line.split_whitespace();
    while let Some(w) = words.next() {
        if w == key {
            return words.next();
        }
    }
    None
}

fn num(s: &str) -> u64 {
    let s = s.split('(').next().unwrap_or(s);
    if s == "(INF)" || s.is_empty() || s.starts_with("(INF") {
        return u64::MAX;
    }
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).unwrap(),
        None => s.parse().unwrap(),
    }
}

/// "limit: soft 1000(bytes), hard (INF)(bytes)" -> (1000, MAX).
fn soft_hard(line: &str) -> (u64, u64) {
    let soft = line.split("soft ").nth(1).unwrap_or("");
    let hard = line.split("hard ").nth(1).unwrap_or("");
    let value = |s: &str| {
        if s.starts_with("(INF)") {
            u64::MAX
        } else {
            num(s.split('(').next().unwrap_or(""))
        }
    };
    (value(soft), value(hard))
}

/// The fields of one policy as `ip -s xfrm policy` prints them,
/// normalised so that the same policy read through this library gives
/// the same map.
fn ip_policy_fields(block: &[String]) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    let head = &block[0];
    for key in [
        "src", "dst", "proto", "sport", "dport", "type", "code", "dev",
    ] {
        if let Some(v) = after(head, key) {
            f.insert(format!("sel.{key}"), v.to_string());
        }
    }
    let mut tmpl = 0;
    for line in &block[1..] {
        if line.starts_with("dir ") {
            for key in ["dir", "action", "index", "priority", "ptype"] {
                if let Some(v) = after(line, key) {
                    f.insert(key.into(), v.to_string());
                }
            }
            let flags: Vec<&str> = line
                .split("flag ")
                .nth(1)
                .unwrap_or("")
                .split_whitespace()
                .take_while(|w| !w.starts_with('('))
                .collect();
            f.insert("flags".into(), flags.join(" "));
        } else if line.starts_with("limit: ") && line.contains("bytes") {
            let (s, h) = soft_hard(line);
            f.insert("limit.bytes".into(), format!("{s}/{h}"));
        } else if line.starts_with("limit: ") && line.contains("packets") {
            let (s, h) = soft_hard(line);
            f.insert("limit.packets".into(), format!("{s}/{h}"));
        } else if line.starts_with("expire add:") {
            let (s, h) = soft_hard(line);
            f.insert("expire.add".into(), format!("{s}/{h}"));
        } else if line.starts_with("expire use:") {
            let (s, h) = soft_hard(line);
            f.insert("expire.use".into(), format!("{s}/{h}"));
        } else if let Some(m) = line.strip_prefix("mark ") {
            f.insert("mark".into(), m.trim().to_string());
        } else if let Some(i) = line.strip_prefix("if_id ") {
            f.insert("if_id".into(), format!("{}", num(i.trim())));
        } else if line.starts_with("tmpl ") {
            tmpl += 1;
            for key in ["src", "dst"] {
                f.insert(
                    format!("tmpl{tmpl}.{key}"),
                    after(line, key).unwrap_or("").into(),
                );
            }
        } else if line.starts_with("proto ") && tmpl > 0 {
            f.insert(
                format!("tmpl{tmpl}.proto"),
                after(line, "proto").unwrap_or("").into(),
            );
            f.insert(
                format!("tmpl{tmpl}.spi"),
                format!("{}", num(after(line, "spi").unwrap_or("0"))),
            );
            f.insert(
                format!("tmpl{tmpl}.reqid"),
                format!("{}", num(after(line, "reqid").unwrap_or("0"))),
            );
            f.insert(
                format!("tmpl{tmpl}.mode"),
                after(line, "mode").unwrap_or("").into(),
            );
        } else if line.starts_with("level ") && tmpl > 0 {
            f.insert(
                format!("tmpl{tmpl}.level"),
                after(line, "level").unwrap_or("").into(),
            );
        }
    }
    f
}

fn proto_name(p: u8) -> String {
    match p {
        1 => "icmp".into(),
        6 => "tcp".into(),
        17 => "udp".into(),
        58 => "ipv6-icmp".into(),
        132 => "sctp".into(),
        n => n.to_string(),
    }
}

fn inf(v: u64) -> String {
    v.to_string()
}

/// The same map for a policy read through this library.
fn our_policy_fields(p: &XfrmPolicy, dev: Option<&str>) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    let s = &p.selector;
    f.insert("sel.src".into(), s.src.to_string());
    f.insert("sel.dst".into(), s.dst.to_string());
    if s.proto != 0 {
        f.insert("sel.proto".into(), proto_name(s.proto));
        if matches!(s.proto, 1 | 58) {
            if s.sport_mask != 0 {
                f.insert("sel.type".into(), s.sport.to_string());
            }
            if s.dport_mask != 0 {
                f.insert("sel.code".into(), s.dport.to_string());
            }
        } else {
            if s.sport_mask != 0 {
                f.insert("sel.sport".into(), s.sport.to_string());
            }
            if s.dport_mask != 0 {
                f.insert("sel.dport".into(), s.dport.to_string());
            }
        }
    }
    if let Some(d) = dev {
        f.insert("sel.dev".into(), d.into());
    }
    f.insert("dir".into(), p.dir.to_string());
    f.insert("action".into(), p.action.to_string());
    f.insert("index".into(), p.index.to_string());
    f.insert("priority".into(), p.priority.to_string());
    f.insert("ptype".into(), p.ptype.to_string());
    let mut flags = Vec::new();
    if p.flags.contains(PolicyFlags::LOCALOK) {
        flags.push("localok");
    }
    if p.flags.contains(PolicyFlags::ICMP) {
        flags.push("icmp");
    }
    f.insert("flags".into(), flags.join(" "));
    let l = &p.lifetime;
    f.insert(
        "limit.bytes".into(),
        format!("{}/{}", inf(l.soft_bytes), inf(l.hard_bytes)),
    );
    f.insert(
        "limit.packets".into(),
        format!("{}/{}", inf(l.soft_packets), inf(l.hard_packets)),
    );
    f.insert(
        "expire.add".into(),
        format!("{}/{}", l.soft_add_expires, l.hard_add_expires),
    );
    f.insert(
        "expire.use".into(),
        format!("{}/{}", l.soft_use_expires, l.hard_use_expires),
    );
    if let Some(m) = p.mark {
        f.insert("mark".into(), format!("{:#x}/{:#x}", m.value, m.mask));
    }
    if let Some(i) = p.if_id {
        f.insert("if_id".into(), i.to_string());
    }
    for (n, t) in p.templates.iter().enumerate() {
        let n = n + 1;
        let zero = if p.selector.family == 10 {
            "::"
        } else {
            "0.0.0.0"
        };
        let show = |a: Option<IpAddr>| a.map_or_else(|| zero.to_string(), |a| a.to_string());
        f.insert(format!("tmpl{n}.src"), show(t.src));
        f.insert(format!("tmpl{n}.dst"), show(t.dst));
        f.insert(format!("tmpl{n}.proto"), t.proto.to_string());
        f.insert(format!("tmpl{n}.spi"), t.spi.to_string());
        f.insert(format!("tmpl{n}.reqid"), t.reqid.to_string());
        f.insert(format!("tmpl{n}.mode"), t.mode.to_string());
        f.insert(
            format!("tmpl{n}.level"),
            if t.optional { "use" } else { "required" }.into(),
        );
    }
    f
}

/// `ip -s xfrm policy`, one map per policy, keyed by (dir, index).
fn ip_policies(ns: &Netns) -> Result<BTreeMap<(String, String), BTreeMap<String, String>>> {
    let text = ns.ip(["-s", "xfrm", "policy"])?;
    let mut out = BTreeMap::new();
    for b in blocks(&text) {
        let f = ip_policy_fields(&b);
        let key = (f["dir"].clone(), f["index"].clone());
        out.insert(key, f);
    }
    Ok(out)
}

fn compare_policies(ns: &Netns, h: &Handle) -> Result<usize> {
    let ours = h.xfrm_policy_list()?;
    let theirs = ip_policies(ns)?;
    ensure!(
        ours.len() == theirs.len(),
        "we list {} policies, ip {}",
        ours.len(),
        theirs.len()
    );
    for p in &ours {
        let dev = (p.selector.ifindex == 1).then_some("lo");
        let mine = our_policy_fields(p, dev);
        let key = (p.dir.to_string(), p.index.to_string());
        let other = theirs
            .get(&key)
            .with_context(|| format!("ip lacks policy {key:?}"))?;
        ensure!(
            &mine == other,
            "policy {key:?}\n ours {mine:?}\n   ip {other:?}"
        );
    }
    Ok(ours.len())
}

// ---------------------------------------------------------------------
// Policies.

/// A policy with every field the kernel keeps set (an inbound one: the
/// kernel refuses optional tunnel templates on outbound policies).
fn every_field_policy() -> XfrmPolicy {
    let mut s = sel("192.0.2.0/24", "198.51.100.0/24").ports(6, 80, 443);
    s.ifindex = 1;
    XfrmPolicy {
        priority: 100,
        flags: PolicyFlags::LOCALOK | PolicyFlags::ICMP,
        mark: Some(Mark {
            value: 1,
            mask: 0xf,
        }),
        if_id: Some(3),
        lifetime: Lifetime {
            hard_add_expires: 600,
            soft_add_expires: 500,
            soft_use_expires: 30,
            hard_use_expires: 40,
            soft_packets: 1000,
            hard_bytes: 5000,
            ..Lifetime::default()
        },
        templates: vec![
            Template {
                optional: true,
                ..Template::tunnel(ip("192.0.2.1"), ip("198.51.100.1"), 7)
            },
            Template {
                proto: Proto::Ah,
                spi: 0x20,
                reqid: 8,
                ealgos: 0,
                ..Template::default()
            },
        ],
        ..XfrmPolicy::new(s, Dir::In)
    }
}

/// What the kernel reports for a policy we added: the same, plus the
/// index it assigned and the current lifetime it keeps.
fn expect_policy(sent: &XfrmPolicy, got: &XfrmPolicy) -> Result<()> {
    let mut want = sent.clone();
    if want.index == 0 {
        want.index = got.index;
    }
    want.current = got.current;
    // The kernel fills a template's family from the selector.
    for t in &mut want.templates {
        if t.family == 0 {
            t.family = sent.selector.family;
        }
    }
    ensure!(&want == got, "sent {want:#?}\n got {got:#?}");
    ensure!(
        got.index % 8 == u32::from(u8::from(got.dir)),
        "index {} dir {}",
        got.index,
        got.dir
    );
    ensure!(got.current.add_time > 0, "add time not set");
    Ok(())
}

#[test]
fn policy_every_field_read_back_got_updated_deleted() {
    in_netns("policy_every_field", |ns| {
        let h = Handle::new()?;
        let sent = every_field_policy();
        h.xfrm_policy_add(&sent)?;
        let list = h.xfrm_policy_list()?;
        ensure!(list.len() == 1, "{list:?}");
        expect_policy(&sent, &list[0])?;

        // Get by selector+dir (with its mark and if_id) and by index.
        let by_sel = h.xfrm_policy_get(&sent.id())?;
        ensure!(by_sel == list[0], "get by selector: {by_sel:?}");
        let by_index = h.xfrm_policy_get(&PolicyId {
            mark: sent.mark,
            if_id: sent.if_id,
            ..PolicyId::by_index(list[0].index, Dir::In)
        })?;
        ensure!(by_index == list[0], "get by index: {by_index:?}");

        // Adding it again fails; update changes it in place.
        let again = h.xfrm_policy_add(&sent).unwrap_err();
        ensure!(again.kind() == ErrorKind::Exists, "{again:?}");
        let changed = XfrmPolicy {
            priority: 7,
            action: Action::Block,
            templates: Vec::new(),
            ..list[0].clone()
        };
        h.xfrm_policy_update(&changed)?;
        let got = h.xfrm_policy_get(&sent.id())?;
        ensure!(
            got.priority == 7 && got.action == Action::Block && got.templates.is_empty(),
            "{got:?}"
        );
        ensure!(got.index == list[0].index, "update kept the index");

        // ip sees what we set.
        compare_policies(ns, &h)?;

        h.xfrm_policy_del(&sent.id())?;
        ensure!(h.xfrm_policy_list()?.is_empty());
        let gone = h.xfrm_policy_get(&sent.id()).unwrap_err();
        ensure!(gone.is_not_found(), "{gone:?}");
        let gone = h.xfrm_policy_del(&sent.id()).unwrap_err();
        ensure!(gone.is_not_found(), "{gone:?}");
        Ok(())
    });
}

#[test]
fn policy_ipv6_block_fwd_index_sub_type_and_flush() {
    in_netns("policy_v6_index_sub", |_ns| {
        let h = Handle::new()?;
        let block = XfrmPolicy {
            action: Action::Block,
            priority: 5,
            ..XfrmPolicy::new(sel("2001:db8:1::/48", "2001:db8:2::/48"), Dir::Out)
        };
        let fwd = XfrmPolicy {
            index: 0x42, // 0x42 % 8 == 2: forward
            ..XfrmPolicy::new(sel("192.0.2.0/24", "203.0.113.0/24"), Dir::Fwd)
        };
        let sub = XfrmPolicy {
            ptype: PolicyType::Sub,
            ..XfrmPolicy::new(sel("192.0.2.0/25", "203.0.113.0/25"), Dir::Out)
        };
        let icmp = XfrmPolicy {
            selector: sel("2001:db8::/32", "::/0").ports(58, 128, 0),
            templates: vec![Template {
                src: Some(ip("2001:db8::1")),
                dst: Some(ip("2001:db8::2")),
                family: 10,
                mode: Mode::Tunnel,
                reqid: 3,
                ..Template::default()
            }],
            ..XfrmPolicy::new(Selector::default(), Dir::Out)
        };
        for p in [&block, &fwd, &sub, &icmp] {
            h.xfrm_policy_add(p).with_context(|| format!("{p}"))?;
        }
        let list = h.xfrm_policy_list()?;
        ensure!(list.len() == 4, "{list:?}");
        for p in [&block, &fwd, &sub, &icmp] {
            let got = list
                .iter()
                .find(|g| g.selector == p.selector && g.ptype == p.ptype)
                .with_context(|| format!("{p} not listed"))?;
            expect_policy(p, got)?;
        }
        ensure!(list.iter().any(|p| p.index == 0x42));

        let spd = h.xfrm_spd_info()?;
        ensure!(
            spd.out_count == 3 && spd.fwd_count == 1 && spd.in_count == 0,
            "{spd:?}"
        );
        ensure!(spd.hash_max > 0 && spd.ipv4_thresh.is_some(), "{spd:?}");

        // By index, with the sub type.
        let sub_index = list
            .iter()
            .find(|p| p.ptype == PolicyType::Sub)
            .unwrap()
            .index;
        let sub_id = PolicyId {
            ptype: PolicyType::Sub,
            ..PolicyId::by_index(sub_index, Dir::Out)
        };
        ensure!(h.xfrm_policy_get(&sub_id)?.selector == sub.selector);

        // Flushing the sub type spares the main ones; a flush empties all.
        h.xfrm_policy_flush(Some(PolicyType::Sub))?;
        ensure!(h.xfrm_policy_list()?.len() == 3);
        h.xfrm_policy_del(&PolicyId::by_index(0x42, Dir::Fwd))?;
        ensure!(h.xfrm_policy_list()?.len() == 2);
        h.xfrm_policy_flush(None)?;
        ensure!(h.xfrm_policy_list()?.is_empty());
        ensure!(h.xfrm_spd_info()?.out_count == 0);
        Ok(())
    });
}

#[test]
fn policies_added_by_ip_read_as_ip_shows_them() {
    in_netns("policy_conformance_ip", |ns| {
        let h = Handle::new()?;
        for args in [
            "src 192.0.2.0/24 dst 198.51.100.0/24 dev lo proto tcp sport 80 dport 443 dir in \
             priority 100 mark 0x1 mask 0xf if_id 3 flag localok flag icmp limit time-hard 60 \
             limit packet-soft 1000 limit byte-hard 5000 limit time-use-soft 7 \
             tmpl src 192.0.2.1 dst 198.51.100.1 proto esp reqid 7 mode tunnel level use \
             tmpl proto ah spi 0x20 reqid 8 mode transport",
            "src 2001:db8::/32 dst ::/0 proto ipv6-icmp type 128 code 0 dir out",
            "src 2001:db8:1::/48 dst 2001:db8:2::/48 dir fwd action block priority 5",
            "src 203.0.113.0/24 dst 198.51.100.0/24 proto udp dport 53 dir out index 0x41 ptype sub",
            "src 192.0.2.0/24 dst 198.51.100.0/24 dir out tmpl src 192.0.2.1 dst 198.51.100.1 \
             proto esp reqid 9 mode tunnel",
        ] {
            let mut argv = vec!["xfrm", "policy", "add"];
            argv.extend(args.split_whitespace());
            ns.ip(argv)?;
        }
        let n = compare_policies(ns, &h)?;
        ensure!(n == 5, "{n}");
        // nl-tools prints what ip prints, byte for byte.
        let ours = h.xfrm_policy_list()?;
        for stats in [false, true] {
            let mine: String = ours
                .iter()
                .map(|p| xfrm_text::policy(p, stats, &ifname))
                .collect();
            let theirs = if stats {
                ns.ip(["-s", "xfrm", "policy"])?
            } else {
                ns.ip(["xfrm", "policy"])?
            };
            ensure!(
                timeless(&mine) == timeless(&theirs),
                "stats {stats}:\n--- ours\n{mine}--- ip\n{theirs}"
            );
        }
        Ok(())
    });
}

#[test]
fn bad_policies_are_refused_with_the_kernels_words() {
    in_netns("policy_bad_input", |_ns| {
        let h = Handle::new()?;
        // Checked before sending.
        let mut p = XfrmPolicy::new(sel("192.0.2.0/24", "198.51.100.0/24"), Dir::Out);
        p.index = 8; // 8 % 8 == 0: direction in
        let e = h.xfrm_policy_add(&p).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && e.errno().is_none(),
            "{e:?}"
        );
        let mixed = Selector {
            dst: "2001:db8::/32".parse()?,
            ..sel("192.0.2.0/24", "198.51.100.0/24")
        };
        let e = h
            .xfrm_policy_add(&XfrmPolicy::new(mixed, Dir::Out))
            .unwrap_err();
        ensure!(e.kind() == ErrorKind::Invalid, "{e:?}");
        // Refused by the kernel, with its ext-ack text.
        let p = XfrmPolicy {
            templates: vec![Template {
                optional: true,
                ..Template::tunnel(ip("192.0.2.1"), ip("198.51.100.1"), 7)
            }],
            ..XfrmPolicy::new(sel("192.0.2.0/24", "198.51.100.0/24"), Dir::Out)
        };
        let e = h.xfrm_policy_add(&p).unwrap_err();
        ensure!(e.kind() == ErrorKind::Invalid, "{e:?}");
        ensure!(
            e.message().is_some_and(|m| m.contains("optional template")),
            "no ext-ack text: {e:?}"
        );
        let p = XfrmPolicy::new(sel("192.0.2.0/24", "198.51.100.0/24"), Dir::Other(7));
        let e = h.xfrm_policy_add(&p).unwrap_err();
        ensure!(e.kind() == ErrorKind::Invalid, "{e:?}");
        Ok(())
    });
}

// ---------------------------------------------------------------------
// States: ESP and AH are modules this machine's kernel lacks, so these
// skip here and run in the VM tier.

/// Adds `state`, turning a kernel without the protocol or algorithm into
/// a skip.
fn add_state(h: &Handle, state: &XfrmState) -> Result<()> {
    match h.xfrm_state_add(state) {
        Err(e) if e.kind() == ErrorKind::NotSupported => {
            need_feature(Err::<(), _>(e), &format!("xfrm {} states", state.proto))
        }
        r => r.with_context(|| format!("adding {state}")),
    }
}

fn key(s: &str) -> Key {
    Key::from_hex(s).unwrap()
}

fn tunnel_state() -> XfrmState {
    XfrmState {
        mode: Mode::Tunnel,
        reqid: 7,
        replay_window: 32,
        auth: Some(AuthAlgo::new("hmac(sha256)", key(AUTH_KEY), 128)),
        crypt: Some(Algo::new("cbc(aes)", key(ENC_KEY))),
        ..XfrmState::new(ip("192.0.2.1"), ip("198.51.100.1"), Proto::Esp, 0x100)
    }
}

fn every_field_state() -> XfrmState {
    XfrmState {
        // TFC padding needs tunnel mode.
        mode: Mode::Tunnel,
        reqid: 9,
        replay_window: 32,
        flags: StateFlags::NOECN | StateFlags::DECAP_DSCP | StateFlags::NOPMTUDISC,
        extra_flags: Some(1),
        aead: Some(AeadAlgo::new(
            "rfc4106(gcm(aes))",
            key("0x00112233445566778899aabbccddeeff01020304"),
            128,
        )),
        selector: sel("192.0.2.0/24", "198.51.100.0/24").ports(17, 4000, 53),
        lifetime: Lifetime {
            soft_bytes: 1_000_000,
            hard_bytes: 2_000_000,
            soft_packets: 1000,
            hard_packets: 2000,
            soft_add_expires: 600,
            hard_add_expires: 1200,
            soft_use_expires: 300,
            hard_use_expires: 900,
        },
        encap: Some(Encap::espinudp(4500, 4501)),
        mark: Some(Mark {
            value: 0x10,
            mask: 0xff,
        }),
        output_mark: Some(Mark {
            value: 0x20,
            mask: 0xf0,
        }),
        if_id: Some(5),
        tfcpad: Some(16),
        ..XfrmState::new(ip("192.0.2.1"), ip("198.51.100.1"), Proto::Esp, 0x200)
    }
}

/// What the kernel reports for a state we added: the same, plus what it
/// keeps (current lifetime, statistics, replay state it creates).
fn expect_state(sent: &XfrmState, got: &XfrmState) -> Result<()> {
    let mut want = sent.clone();
    want.current = got.current;
    want.stats = got.stats;
    want.lastused = got.lastused;
    // An untruncated auth algorithm comes back truncated to the
    // algorithm's default length, which the kernel picked.
    if let (Some(w), Some(g)) = (want.auth.as_mut(), got.auth.as_ref()) {
        if w.trunc_len.is_none() {
            w.trunc_len = g.trunc_len;
        }
    }
    // An empty selector comes back in the state's family.
    if want.selector == Selector::default() && got.selector.src.prefix_len() == 0 {
        want.selector = got.selector;
    }
    if want.replay.is_none() && want.replay_esn.is_none() {
        want.replay = got.replay;
    }
    if let (Some(w), Some(g)) = (want.replay_esn.as_mut(), got.replay_esn.as_ref()) {
        if w.bitmap.is_empty() {
            w.bitmap = g.bitmap.clone();
        }
    }
    // The kernel reports the selector's family even when it was left 0.
    if want.selector.family == 0 {
        want.selector.family = got.selector.family;
    }
    ensure!(&want == got, "sent {want:#?}\n got {got:#?}");
    ensure!(got.current.add_time > 0, "add time not set");
    Ok(())
}

#[test]
fn state_tunnel_read_back_get_update_delete() {
    in_netns("state_tunnel", |_ns| {
        let h = Handle::new()?;
        let sent = tunnel_state();
        add_state(&h, &sent)?;
        let list = h.xfrm_state_list()?;
        ensure!(list.len() == 1, "{list:?}");
        expect_state(&sent, &list[0])?;
        // Keys come back from the kernel, and never show in Debug.
        ensure!(list[0].auth.as_ref().unwrap().key.reveal_hex() == AUTH_KEY);
        ensure!(!format!("{:?}", list[0]).contains("0123456789abcdef"));

        let got = h.xfrm_state_get(&sent.id())?;
        ensure!(got == list[0], "{got:?}");
        let again = h.xfrm_state_add(&sent).unwrap_err();
        ensure!(again.kind() == ErrorKind::Exists, "{again:?}");

        // Update: new limits (the kernel updates lifetime and a few
        // attributes of an existing state in place).
        let mut changed = sent.clone();
        changed.lifetime.hard_add_expires = 3600;
        h.xfrm_state_update(&changed)?;
        let got = h.xfrm_state_get(&sent.id())?;
        ensure!(got.lifetime.hard_add_expires == 3600, "{got:?}");

        let count = h.xfrm_sad_info()?;
        ensure!(count.count == 1 && count.hash_max > 0, "{count:?}");

        h.xfrm_state_del(&sent.id())?;
        let gone = h.xfrm_state_get(&sent.id()).unwrap_err();
        ensure!(gone.is_not_found(), "{gone:?}");
        ensure!(h.xfrm_state_list()?.is_empty());
        Ok(())
    });
}

#[test]
fn state_every_field_read_back() {
    in_netns("state_every_field", |_ns| {
        let h = Handle::new()?;
        let sent = every_field_state();
        add_state(&h, &sent)?;
        let got = h.xfrm_state_get(&sent.id())?;
        expect_state(&sent, &got)?;
        // Filtered lists: by protocol and by address prefix.
        ensure!(
            h.xfrm_state_list_filtered(&StateDump {
                proto: Some(Proto::Ah),
                ..StateDump::default()
            })?
            .is_empty()
        );
        let by_dst = h.xfrm_state_list_filtered(&StateDump {
            dst: Some("198.51.100.0/24".parse()?),
            ..StateDump::default()
        })?;
        ensure!(by_dst.len() == 1);
        Ok(())
    });
}

#[test]
fn state_ipv6_ah_esn_comp_and_flush_by_protocol() {
    in_netns("state_v6_esn_comp", |_ns| {
        let h = Handle::new()?;
        let ah = XfrmState {
            auth: Some(AuthAlgo {
                name: "hmac(sha1)".into(),
                key: key("0x0123456789abcdef0123456789abcdef01234567"),
                trunc_len: None,
            }),
            ..XfrmState::new(ip("2001:db8::1"), ip("2001:db8::2"), Proto::Ah, 0x300)
        };
        let esn = XfrmState {
            mode: Mode::Tunnel,
            flags: StateFlags::ESN,
            replay_esn: Some(ReplayEsn {
                replay_window: 128,
                oseq: 5,
                oseq_hi: 1,
                ..ReplayEsn::default()
            }),
            auth: Some(AuthAlgo::new("hmac(sha256)", key(AUTH_KEY), 128)),
            crypt: Some(Algo::new(
                "cbc(aes)",
                key("0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
            )),
            ..XfrmState::new(ip("2001:db8::1"), ip("2001:db8::2"), Proto::Esp, 0x301)
        };
        let comp = XfrmState {
            mode: Mode::Tunnel,
            comp: Some(Algo::new("deflate", Key::default())),
            ..XfrmState::new(ip("192.0.2.1"), ip("198.51.100.1"), Proto::Comp, 0x1000)
        };
        for s in [&ah, &esn, &comp] {
            add_state(&h, s)?;
        }
        let list = h.xfrm_state_list()?;
        for s in [&ah, &esn] {
            let got = list
                .iter()
                .find(|g| g.spi == s.spi && g.proto == s.proto)
                .with_context(|| format!("{s} not listed: {list:?}"))?;
            expect_state(s, got)?;
        }
        // ipcomp states come with the ipip state the kernel adds for them.
        ensure!(list.iter().any(
            |g| g.proto == Proto::Comp && g.comp.as_ref().is_some_and(|c| c.name == "deflate")
        ));

        h.xfrm_state_flush(Some(Proto::Ah))?;
        let left = h.xfrm_state_list()?;
        ensure!(!left.iter().any(|s| s.proto == Proto::Ah), "{left:?}");
        ensure!(left.iter().any(|s| s.proto == Proto::Esp));
        h.xfrm_state_flush(None)?;
        ensure!(h.xfrm_state_list()?.is_empty());
        Ok(())
    });
}

#[test]
fn state_allocspi_then_update_with_keys() {
    in_netns("state_allocspi", |_ns| {
        let h = Handle::new()?;
        let larval = XfrmState {
            mode: Mode::Tunnel,
            reqid: 5,
            ..XfrmState::new(ip("192.0.2.1"), ip("198.51.100.1"), Proto::Esp, 0)
        };
        let got = match h.xfrm_state_allocspi(&larval, 0x100, 0x1ff) {
            Err(e) if e.kind() == ErrorKind::NotSupported => {
                return need_feature(Err::<(), _>(e), "xfrm esp states");
            }
            r => r?,
        };
        ensure!((0x100..=0x1ff).contains(&got.spi), "spi {:#x}", got.spi);
        let full = XfrmState {
            spi: got.spi,
            ..tunnel_state()
        };
        let full = XfrmState { reqid: 5, ..full };
        add_state_or_update(&h, &full)?;
        let back = h.xfrm_state_get(&full.id())?;
        ensure!(back.crypt.is_some() && back.reqid == 5, "{back:?}");
        Ok(())
    });
}

fn add_state_or_update(h: &Handle, s: &XfrmState) -> Result<()> {
    match h.xfrm_state_update(s) {
        Err(e) if e.kind() == ErrorKind::NotSupported => {
            need_feature(Err::<(), _>(e), "xfrm esp states")
        }
        r => Ok(r?),
    }
}

#[test]
fn bad_states_are_refused() {
    in_netns("state_bad_input", |_ns| {
        let h = Handle::new()?;
        let mut s = tunnel_state();
        s.crypt = Some(Algo::new("cbc(aes)", Key::new(vec![1; 15])));
        let e = h.xfrm_state_add(&s).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && e.to_string().contains("not 120"),
            "{e}"
        );
        // spi 0 for ESP: refused before sending.
        let mut s = tunnel_state();
        s.spi = 0;
        let e = h.xfrm_state_add(&s).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && e.to_string().contains("spi"),
            "{e}"
        );
        // An algorithm the kernel does not know: ENOSYS from the kernel,
        // with its ext-ack text (the library lets unknown names through,
        // as crypto templates it does not list may exist).
        let mut s = tunnel_state();
        s.crypt = Some(Algo::new("cbc(nosuchcipher)", Key::new(vec![1; 16])));
        match h.xfrm_state_add(&s) {
            Ok(()) => bail!("an unknown cipher was accepted"),
            Err(e) if e.errno() == Some(nix::errno::Errno::EPROTONOSUPPORT) => {
                return need_feature(
                    Err::<(), _>(e.netlink().cloned().unwrap()),
                    "xfrm esp states",
                );
            }
            Err(e) => {
                ensure!(e.errno() == Some(nix::errno::Errno::ENOSYS), "{e:?}");
                if let Some(m) = e.message() {
                    ensure!(m.contains("algorithm not found"), "{m}");
                }
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------
// Monitor.

#[test]
fn monitor_reports_policy_changes() {
    in_netns("monitor_policies", |_ns| {
        let h = Handle::new()?;
        let mut mon = h.xfrm_monitor(&Group::ALL)?;
        mon.set_timeout(Some(Duration::from_secs(5)))?;
        let p = every_field_policy();
        h.xfrm_policy_add(&p)?;
        match mon.next()? {
            XfrmEvent::NewPolicy(got) => expect_policy(&p, &got)?,
            e => bail!("{e:?}"),
        }
        h.xfrm_policy_update(&XfrmPolicy {
            priority: 9,
            ..p.clone()
        })?;
        match mon.next()? {
            XfrmEvent::UpdPolicy(got) => ensure!(got.priority == 9),
            e => bail!("{e:?}"),
        }
        h.xfrm_policy_del(&p.id())?;
        match mon.next()? {
            XfrmEvent::DelPolicy { id, policy } => {
                ensure!(id.dir == Dir::In && id.mark == p.mark, "{id:?}");
                ensure!(policy.is_some_and(|q| q.selector == p.selector));
            }
            e => bail!("{e:?}"),
        }
        // A flush is announced when it removed something.
        h.xfrm_policy_add(&p)?;
        ensure!(matches!(mon.next()?, XfrmEvent::NewPolicy(_)));
        h.xfrm_policy_flush(None)?;
        match mon.next()? {
            XfrmEvent::FlushPolicies { ptype } => ensure!(ptype == PolicyType::Main),
            e => bail!("{e:?}"),
        }
        Ok(())
    });
}

#[test]
fn monitor_reports_state_changes_and_expiry() {
    in_netns("monitor_states", |_ns| {
        let h = Handle::new()?;
        let mut mon = h.xfrm_monitor(&[Group::Sa, Group::Expire])?;
        mon.set_timeout(Some(Duration::from_secs(10)))?;
        // Soft and hard expiry on two states, each after 1 s. One state with
        // both limits would race on a slow machine: a timer that first runs
        // after the hard limit skips the soft warning.
        let mut s = tunnel_state();
        s.lifetime.soft_add_expires = 1;
        add_state(&h, &s)?;
        match mon.next()? {
            XfrmEvent::NewState(got) => expect_state(&s, &got)?,
            e => bail!("{e:?}"),
        }
        match mon.next()? {
            XfrmEvent::Expire { state, hard } => ensure!(state.spi == s.spi && !hard),
            e => bail!("{e:?}"),
        }
        // The soft warning leaves the state in place.
        ensure!(h.xfrm_state_get(&s.id()).is_ok());
        let mut hard_state = XfrmState {
            spi: 0x102,
            ..tunnel_state()
        };
        hard_state.lifetime.hard_add_expires = 1;
        add_state(&h, &hard_state)?;
        ensure!(matches!(mon.next()?, XfrmEvent::NewState(_)));
        match mon.next()? {
            XfrmEvent::Expire { state, hard } => {
                ensure!(state.spi == hard_state.spi && hard);
            }
            e => bail!("{e:?}"),
        }
        // The hard expiry deletes the state.
        ensure!(h.xfrm_state_get(&hard_state.id()).is_err());
        let s2 = XfrmState {
            spi: 0x101,
            ..tunnel_state()
        };
        add_state(&h, &s2)?;
        ensure!(matches!(mon.next()?, XfrmEvent::NewState(_)));
        h.xfrm_state_del(&s2.id())?;
        loop {
            match mon.next()? {
                XfrmEvent::DelState { id, state } if id.spi == 0x101 => {
                    ensure!(id.proto == Proto::Esp, "{id:?}");
                    ensure!(state.is_some_and(|st| st.reqid == 7));
                    break;
                }
                XfrmEvent::DelState { .. } | XfrmEvent::Expire { .. } => {}
                e => bail!("{e:?}"),
            }
        }
        // A flush is announced when it removed something.
        add_state(&h, &s2)?;
        ensure!(matches!(mon.next()?, XfrmEvent::NewState(_)));
        h.xfrm_state_flush(Some(Proto::Esp))?;
        match mon.next()? {
            XfrmEvent::FlushStates { proto } => ensure!(proto == Some(Proto::Esp)),
            e => bail!("{e:?}"),
        }
        Ok(())
    });
}

#[test]
fn monitor_reports_acquire_for_traffic_without_a_state() {
    in_netns("monitor_acquire", |ns| {
        let h = Handle::new()?;
        // A veth with an address and a route out of it: a datagram to
        // 198.51.100.9 goes through the output policy lookup.
        ns.ip(["link", "add", "xa0", "type", "veth", "peer", "name", "xa1"])?;
        ns.ip(["link", "set", "xa0", "up"])?;
        ns.ip(["link", "set", "xa1", "up"])?;
        ns.ip(["addr", "add", "192.0.2.1/24", "dev", "xa0"])?;
        ns.ip([
            "route",
            "add",
            "198.51.100.0/24",
            "via",
            "192.0.2.2",
            "dev",
            "xa0",
        ])?;
        ns.ip([
            "neigh",
            "add",
            "192.0.2.2",
            "lladdr",
            "02:00:00:00:00:02",
            "dev",
            "xa0",
        ])?;
        let pol = XfrmPolicy {
            templates: vec![Template::tunnel(ip("192.0.2.1"), ip("198.51.100.1"), 7)],
            ..XfrmPolicy::new(sel("192.0.2.1/32", "198.51.100.0/24"), Dir::Out)
        };
        h.xfrm_policy_add(&pol)?;
        let mut mon = h.xfrm_monitor(&[Group::Acquire])?;
        mon.set_timeout(Some(Duration::from_secs(5)))?;
        // A datagram the policy covers makes the kernel ask for a state.
        let sock = std::net::UdpSocket::bind("192.0.2.1:0")?;
        let _ = sock.send_to(b"x", "198.51.100.9:9");
        match mon.next() {
            Ok(XfrmEvent::Acquire(a)) => {
                ensure!(
                    a.dst == ip("198.51.100.1") && a.proto == Proto::Esp,
                    "{a:?}"
                );
                ensure!(a.selector.dst.addr() == ip("198.51.100.9"), "{a:?}");
                ensure!(a.policy.templates.len() == 1 && a.policy.templates[0].reqid == 7);
                ensure!(a.seq != 0);
            }
            Ok(e) => bail!("{e:?}"),
            Err(e) if e.kind() == ErrorKind::Timeout => {
                let diag = format!(
                    "{}\n{}\n{}",
                    ns.ip(["-s", "xfrm", "state"]).unwrap_or_default(),
                    ns.ip(["-s", "xfrm", "policy"]).unwrap_or_default(),
                    std::fs::read_to_string("/proc/net/xfrm_stat").unwrap_or_default()
                );
                return Err(skip(format!("no acquire (the kernel lacks ESP?): {diag}")));
            }
            Err(e) => return Err(e.into()),
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------
// States and `ip -s xfrm state`.

/// The words of one object of `ip -s xfrm state`, with iproute2's
/// decorations dropped (`0x100(256)` -> `0x100`, `(256 bits)`).
fn state_words(block: &[String]) -> Vec<String> {
    block
        .iter()
        .flat_map(|l| l.split_whitespace())
        .filter(|w| !w.ends_with("bits)") && !w.starts_with('('))
        .map(|w| match w.find('(') {
            Some(i) if i > 0 && w.starts_with(|c: char| c.is_ascii_digit()) => w[..i].to_string(),
            _ => w.trim_end_matches(',').to_string(),
        })
        .collect()
}

fn word_after(words: &[String], key: &str, skip: usize) -> Option<String> {
    let i = words.iter().position(|w| w == key)?;
    words.get(i + 1 + skip).cloned()
}

/// The fields of one state as `ip -s xfrm state` prints them.
fn ip_state_fields(block: &[String]) -> BTreeMap<String, String> {
    let w = state_words(block);
    let mut f = BTreeMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            f.insert(k.to_string(), v);
        }
    };
    put("src", word_after(&w, "src", 0));
    put("dst", word_after(&w, "dst", 0));
    put("proto", word_after(&w, "proto", 0));
    put("spi", word_after(&w, "spi", 0).map(|s| num(&s).to_string()));
    put(
        "reqid",
        word_after(&w, "reqid", 0).map(|s| num(&s).to_string()),
    );
    put("mode", word_after(&w, "mode", 0));
    put("replay-window", word_after(&w, "replay-window", 0));
    for alg in ["auth", "auth-trunc", "enc", "aead", "comp"] {
        put(&format!("{alg}.name"), word_after(&w, alg, 0));
        if alg != "comp" {
            put(&format!("{alg}.key"), word_after(&w, alg, 1));
        }
        if alg == "auth-trunc" || alg == "aead" {
            put(&format!("{alg}.len"), word_after(&w, alg, 2));
        }
    }
    for k in ["mark", "output-mark"] {
        put(k, word_after(&w, k, 0));
    }
    put(
        "if_id",
        word_after(&w, "if_id", 0).map(|s| num(&s).to_string()),
    );
    put("tfcpad", word_after(&w, "tfcpad", 0));
    if let Some(i) = w.iter().position(|x| x == "encap") {
        put("encap", w.get(i + 2..i + 9).map(|s| s.join(" ")));
    }
    f
}

fn our_state_fields(s: &XfrmState) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    let show = |a: Option<IpAddr>| a.map(|a| a.to_string()).unwrap_or_default();
    f.insert("src".into(), show(s.src));
    f.insert("dst".into(), show(s.dst));
    f.insert("proto".into(), s.proto.to_string());
    f.insert("spi".into(), s.spi.to_string());
    f.insert("reqid".into(), s.reqid.to_string());
    f.insert("mode".into(), s.mode.to_string());
    f.insert("replay-window".into(), s.replay_window.to_string());
    if let Some(a) = &s.auth {
        let alg = if a.trunc_len.is_some() {
            "auth-trunc"
        } else {
            "auth"
        };
        f.insert(format!("{alg}.name"), a.name.clone());
        f.insert(format!("{alg}.key"), a.key.reveal_hex());
        if let Some(t) = a.trunc_len {
            f.insert(format!("{alg}.len"), t.to_string());
        }
    }
    if let Some(c) = &s.crypt {
        f.insert("enc.name".into(), c.name.clone());
        f.insert("enc.key".into(), c.key.reveal_hex());
    }
    if let Some(a) = &s.aead {
        f.insert("aead.name".into(), a.name.clone());
        f.insert("aead.key".into(), a.key.reveal_hex());
        f.insert("aead.len".into(), a.icv_len.to_string());
    }
    if let Some(c) = &s.comp {
        f.insert("comp.name".into(), c.name.clone());
    }
    if let Some(m) = s.mark {
        f.insert("mark".into(), format!("{:#x}/{:#x}", m.value, m.mask));
    }
    if let Some(m) = s.output_mark {
        f.insert(
            "output-mark".into(),
            format!("{:#x}/{:#x}", m.value, m.mask),
        );
    }
    if let Some(i) = s.if_id {
        f.insert("if_id".into(), i.to_string());
    }
    if let Some(t) = s.tfcpad {
        f.insert("tfcpad".into(), t.to_string());
    }
    if let Some(e) = s.encap {
        let oa = e.oa.map_or_else(
            || {
                if s.family == 10 {
                    "::".to_string()
                } else {
                    "0.0.0.0".to_string()
                }
            },
            |a| a.to_string(),
        );
        f.insert(
            "encap".into(),
            format!(
                "{} sport {} dport {} addr {oa}",
                e.type_name(),
                e.sport,
                e.dport
            ),
        );
    }
    f
}

#[test]
fn states_read_as_ip_shows_them() {
    in_netns("state_conformance_ip", |ns| {
        let h = Handle::new()?;
        add_state(&h, &tunnel_state())?;
        add_state(&h, &every_field_state())?;
        ns.ip([
            "xfrm",
            "state",
            "add",
            "src",
            "2001:db8::1",
            "dst",
            "2001:db8::2",
            "proto",
            "esp",
            "spi",
            "0x301",
            "reqid",
            "4",
            "mode",
            "tunnel",
            "aead",
            "rfc4106(gcm(aes))",
            "0x00112233445566778899aabbccddeeff0102030405060708090a0b0c0d0e0f1011121314",
            "96",
            "if_id",
            "9",
            "mark",
            "3",
        ])?;
        ns.ip([
            "xfrm",
            "state",
            "add",
            "src",
            "192.0.2.1",
            "dst",
            "203.0.113.1",
            "proto",
            "ah",
            "spi",
            "0x400",
            "auth",
            "hmac(sha1)",
            "0x0123456789abcdef0123456789abcdef01234567",
        ])?;
        let text = ns.ip(["-s", "xfrm", "state"])?;
        let theirs: Vec<_> = blocks(&text).iter().map(|b| ip_state_fields(b)).collect();
        let ours = h.xfrm_state_list()?;
        ensure!(
            ours.len() == theirs.len() && ours.len() == 4,
            "{ours:?}\n{text}"
        );
        for s in &ours {
            let mine = our_state_fields(s);
            let other = theirs
                .iter()
                .find(|t| t.get("spi") == mine.get("spi"))
                .with_context(|| format!("ip lacks spi {}:\n{text}", s.spi))?;
            ensure!(
                &mine == other,
                "state {:#x}\n ours {mine:?}\n   ip {other:?}\n{text}",
                s.spi
            );
        }
        // nl-tools prints what `ip -s xfrm state` prints.
        let mine: String = ours
            .iter()
            .map(|s| xfrm_text::state(s, true, false, &ifname))
            .collect();
        ensure!(
            timeless(&mine) == timeless(&text),
            "--- ours\n{mine}--- ip\n{text}"
        );
        Ok(())
    });
}
