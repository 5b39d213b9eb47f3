//! nftables: rulesets written by `nft -f` read by the library and
//! compared with `nft -j list ruleset` field by field, the reverse,
//! all-or-nothing transactions with errors named by operation, the
//! generation id, and a drop rule that drops traffic between namespaces.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::os::fd::AsFd;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use netlink::nl_netfilter::nft::{
    Chain, Data, Expr, Family, Flowtable, Limit, Obj, ObjData, Quota, Rule, Ruleset, Set, SetElem,
    SetElems, Table, Transaction, Verdict,
};
use netlink::nl_netfilter::uapi::netfilter::{NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT};
use netlink::nl_netfilter::uapi::nf_tables::*;
use netlink::{AsyncHandle, Handle, Link, LinkKind};
use netlink_tests::{Netns, in_netns};
use serde_json::{Value, json};

const RULESET: &str = r#"
table inet filter {
  set allowed { type ipv4_addr; flags interval; elements = { 192.0.2.0/28, 198.51.100.7 }; }
  chain input { type filter hook input priority 0; policy drop;
    ct state established,related accept
    tcp dport 22 counter accept comment "ssh"
    ip saddr @allowed accept
    jump extra
  }
  chain extra {
    ip protocol icmp return
  }
  chain output { type filter hook output priority -10; policy accept; }
}
"#;

/// `nft -f` of `text`.
fn nft_load(ns: &Netns, text: &str) -> Result<()> {
    let path = std::env::temp_dir().join(format!(
        "nft-{}-{}.nft",
        std::process::id(),
        nix::unistd::gettid()
    ));
    std::fs::write(&path, text)?;
    let out = ns.cmd("nft", ["-f".as_ref(), path.as_os_str()]);
    let _ = std::fs::remove_file(&path);
    out.map(|_| ())
}

/// `nft -j list ruleset`, split by object kind.
fn nft_json(ns: &Netns) -> Result<BTreeMap<&'static str, Vec<Value>>> {
    let v: Value = serde_json::from_str(&ns.cmd("nft", ["-j", "list", "ruleset"])?)?;
    let mut out: BTreeMap<&'static str, Vec<Value>> = BTreeMap::new();
    for item in v["nftables"].as_array().context("no nftables array")? {
        for kind in ["table", "chain", "rule", "set"] {
            if let Some(o) = item.get(kind) {
                out.entry(kind).or_default().push(o.clone());
            }
        }
    }
    Ok(out)
}

fn hook_name(n: u32) -> &'static str {
    ["prerouting", "input", "forward", "output", "postrouting"]
        .get(n as usize)
        .copied()
        .unwrap_or("?")
}

/// The verdict statement nft prints for `v`.
fn verdict_json(v: &Verdict) -> Value {
    match v {
        Verdict::Jump(c) => json!({"jump": {"target": c}}),
        Verdict::Goto(c) => json!({"goto": {"target": c}}),
        v => json!({ v.name(): null }),
    }
}

/// The (base, offset, len) nft means by a payload field.
fn payload_field(protocol: &str, field: &str) -> Option<(u32, u32, u32)> {
    Some(match (protocol, field) {
        ("tcp", "dport") => (NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2),
        ("ip", "saddr") => (NFT_PAYLOAD_NETWORK_HEADER, 12, 4),
        ("ip", "protocol") => (NFT_PAYLOAD_NETWORK_HEADER, 9, 1),
        _ => return None,
    })
}

/// Checks one of nft's `match` statements against the library's
/// expressions from `i` on; returns where the next statement starts.
fn check_match(m: &Value, exprs: &[Expr], mut i: usize) -> Result<usize> {
    let left = &m["left"];
    if let Some(p) = left.get("payload") {
        let want = payload_field(
            p["protocol"].as_str().unwrap_or(""),
            p["field"].as_str().unwrap_or(""),
        )
        .with_context(|| format!("field not in this test's table: {p}"))?;
        // A meta l4proto / nfproto guard may come first in inet tables.
        while let Some(Expr::Meta(_)) | Some(Expr::Cmp(_)) = exprs.get(i) {
            if matches!(exprs.get(i), Some(Expr::Cmp(_)))
                && !matches!(exprs.get(i.wrapping_sub(1)), Some(Expr::Meta(_)))
            {
                break;
            }
            i += 1;
        }
        let Some(Expr::Payload(pl)) = exprs.get(i) else {
            bail!("expected payload at {i}: {exprs:?}")
        };
        ensure!(
            (pl.base, pl.offset, pl.len) == (Some(want.0), Some(want.1), Some(want.2)),
            "payload {pl:?} vs {p}"
        );
        i += 1;
        match &m["right"] {
            Value::String(s) if s.starts_with('@') => {
                let Some(Expr::Lookup(l)) = exprs.get(i) else {
                    bail!("expected lookup at {i}")
                };
                ensure!(l.set.as_deref() == Some(&s[1..]));
            }
            right => {
                let Some(Expr::Cmp(c)) = exprs.get(i) else {
                    bail!("expected cmp at {i}")
                };
                ensure!(c.op == Some(NFT_CMP_EQ));
                let value = c.data.as_ref().and_then(Data::value).context("cmp data")?;
                let want: Vec<u8> = match right {
                    Value::Number(n) => (n.as_u64().context("port")? as u16).to_be_bytes().to_vec(),
                    Value::String(s) if s == "icmp" => vec![1],
                    r => bail!("right side not in this test's table: {r}"),
                };
                ensure!(value == want.as_slice(), "cmp {value:?} vs {right}");
            }
        }
        return Ok(i + 1);
    }
    if left.get("ct").is_some() {
        ensure!(left["ct"]["key"] == "state");
        let Some(Expr::Ct(ct)) = exprs.get(i) else {
            bail!("expected ct at {i}")
        };
        ensure!(ct.key == Some(NFT_CT_STATE));
        let Some(Expr::Bitwise(b)) = exprs.get(i + 1) else {
            bail!("expected bitwise")
        };
        let mut bits = 0u32;
        for s in m["right"].as_array().context("states")? {
            bits |= match s.as_str() {
                Some("invalid") => 1,
                Some("established") => 2,
                Some("related") => 4,
                Some("new") => 8,
                _ => bail!("state {s}"),
            };
        }
        ensure!(
            b.mask.as_ref().and_then(Data::value) == Some(&bits.to_ne_bytes()[..]),
            "mask {b:?}"
        );
        let Some(Expr::Cmp(c)) = exprs.get(i + 2) else {
            bail!("expected cmp")
        };
        ensure!(c.op == Some(NFT_CMP_NEQ));
        return Ok(i + 3);
    }
    bail!("match not in this test's table: {m}")
}

/// Compares a rule of the library with nft's JSON of it, statement by
/// statement.
fn same_rule(r: &Rule, j: &Value) -> Result<()> {
    ensure!(j["family"] == r.family.name() && j["table"] == r.table.as_deref().unwrap_or(""));
    ensure!(j["chain"] == r.chain.as_deref().unwrap_or(""));
    ensure!(
        j.get("comment").and_then(Value::as_str) == r.comment(),
        "comment {j}"
    );
    let mut i = 0;
    for stmt in j["expr"].as_array().context("expr")? {
        if let Some(m) = stmt.get("match") {
            i = check_match(m, &r.exprs, i)?;
        } else if let Some(c) = stmt.get("counter") {
            let Some(Expr::Counter(k)) = r.exprs.get(i) else {
                bail!("expected counter at {i}")
            };
            ensure!(
                json!({"packets": k.packets, "bytes": k.bytes}) == *c,
                "counter {k:?} vs {c}"
            );
            i += 1;
        } else {
            let Some(Expr::Immediate(imm)) = r.exprs.get(i) else {
                bail!("expected verdict at {i}: {stmt}")
            };
            ensure!(imm.dreg == Some(NFT_REG_VERDICT));
            let v = imm
                .data
                .as_ref()
                .and_then(Data::verdict)
                .context("verdict")?;
            ensure!(verdict_json(v) == *stmt, "{v:?} vs {stmt}");
            i += 1;
        }
    }
    ensure!(
        i == r.exprs.len(),
        "expressions left over: {:?}",
        &r.exprs[i..]
    );
    Ok(())
}

/// The ranges of an IPv4 interval set as the kernel stores them (a start
/// element, then the first address past the end flagged as an end).
fn ranges(elems: &[SetElem]) -> Result<Vec<(Ipv4Addr, Ipv4Addr)>> {
    let mut sorted: Vec<(u32, bool)> = elems
        .iter()
        .map(|e| {
            let k: [u8; 4] = e.key_bytes().context("key")?.try_into()?;
            Ok((u32::from_be_bytes(k), e.is_interval_end()))
        })
        .collect::<Result<_>>()?;
    sorted.sort();
    let mut out = Vec::new();
    let mut start = None;
    for (k, end) in sorted {
        match (end, start.take()) {
            (false, None) => start = Some(k),
            (true, Some(s)) => out.push((Ipv4Addr::from(s), Ipv4Addr::from(k - 1))),
            // The kernel's leading zero end marker opens nothing.
            (true, None) => {}
            (false, Some(s)) => bail!("two starts: {s} {k}"),
        }
    }
    Ok(out)
}

/// nft's JSON element as a range.
fn json_range(e: &Value) -> Result<(Ipv4Addr, Ipv4Addr)> {
    if let Some(s) = e.as_str() {
        let a: Ipv4Addr = s.parse()?;
        return Ok((a, a));
    }
    if let Some(p) = e.get("prefix") {
        let a: Ipv4Addr = p["addr"].as_str().context("addr")?.parse()?;
        let len = p["len"].as_u64().context("len")? as u32;
        let last = u32::from(a) | (u32::MAX.checked_shr(len).unwrap_or(0));
        return Ok((a, Ipv4Addr::from(last)));
    }
    if let Some(r) = e.get("range") {
        return Ok((
            r[0].as_str().context("lo")?.parse()?,
            r[1].as_str().context("hi")?.parse()?,
        ));
    }
    bail!("element {e}")
}

/// The library's ruleset against `nft -j list ruleset`, every object.
fn compare(ns: &Netns, rs: &Ruleset) -> Result<usize> {
    let j = nft_json(ns)?;
    let mut checked = 0;
    let tables = j.get("table").cloned().unwrap_or_default();
    ensure!(
        tables.len() == rs.tables.len(),
        "tables {tables:?} vs {:?}",
        rs.tables
    );
    for jt in &tables {
        let t = rs
            .tables
            .iter()
            .find(|t| Some(t.handle.unwrap_or(0)) == jt["handle"].as_u64())
            .context("table handle")?;
        ensure!(jt["family"] == t.family.name() && jt["name"] == t.name.as_deref().unwrap_or(""));
        checked += 1;
    }
    let chains = j.get("chain").cloned().unwrap_or_default();
    ensure!(chains.len() == rs.chains.len());
    for jc in &chains {
        let c = rs
            .chain(
                Family::Inet,
                jc["table"].as_str().unwrap_or(""),
                jc["name"].as_str().unwrap_or(""),
            )
            .with_context(|| format!("chain {jc}"))?;
        ensure!(jc["handle"].as_u64() == c.handle);
        match &c.hook {
            Some(h) => {
                ensure!(
                    jc["hook"] == hook_name(h.hooknum.unwrap_or(99)),
                    "hook {jc} vs {h:?}"
                );
                ensure!(jc["prio"].as_i64() == h.priority.map(i64::from));
                ensure!(jc["type"] == c.chain_type.as_deref().unwrap_or(""));
                ensure!(jc["policy"] == c.policy_verdict().context("policy")?.name());
            }
            None => ensure!(jc.get("hook").is_none()),
        }
        checked += 1;
    }
    let rules = j.get("rule").cloned().unwrap_or_default();
    ensure!(rules.len() == rs.rules.len());
    for jr in &rules {
        let r = rs
            .rules
            .iter()
            .find(|r| r.handle == jr["handle"].as_u64())
            .context("rule handle")?;
        same_rule(r, jr).with_context(|| format!("rule {jr}"))?;
        checked += 1;
    }
    let sets = j.get("set").cloned().unwrap_or_default();
    let named: Vec<&Set> = rs
        .sets
        .iter()
        .filter(|s| s.flags.unwrap_or(0) & NFT_SET_ANONYMOUS == 0)
        .collect();
    ensure!(sets.len() == named.len());
    for js in &sets {
        let s = rs
            .set(
                Family::Inet,
                js["table"].as_str().unwrap_or(""),
                js["name"].as_str().unwrap_or(""),
            )
            .context("set")?;
        ensure!(js["handle"].as_u64() == s.handle);
        ensure!(js["type"] == "ipv4_addr" && s.key_type == Some(7) && s.key_len == Some(4));
        ensure!(js["flags"] == json!(["interval"]) && s.flags == Some(NFT_SET_INTERVAL));
        let mut want: Vec<_> = js["elem"]
            .as_array()
            .context("elem")?
            .iter()
            .map(json_range)
            .collect::<Result<_>>()?;
        want.sort();
        ensure!(
            ranges(&s.elements)? == want,
            "elements {:?} vs {want:?}",
            s.elements
        );
        checked += 1;
    }
    Ok(checked)
}

#[test]
fn ruleset_from_nft_reads_like_nft_json() {
    in_netns("ruleset_from_nft_reads_like_nft_json", |ns| {
        nft_load(ns, RULESET)?;
        let h = Handle::new()?;
        let rs = h.nft_ruleset(Family::Unspec)?;
        ensure!(rs.rules.len() == 5 && rs.chains.len() == 3);
        let n = compare(ns, &rs)?;
        ensure!(n == 1 + 3 + 5 + 1, "compared {n} objects");
        let ssh = rs
            .rules
            .iter()
            .find(|r| r.comment() == Some("ssh"))
            .context("ssh rule")?;
        ensure!(ssh.exprs.iter().any(|e| matches!(e, Expr::Counter(_))));
        Ok(())
    });
}

/// The ruleset of the reverse test, written by the library.
fn library_ruleset() -> Result<Transaction> {
    let f = Family::Inet;
    let mut set = Set::new(f, "lib", "blocked", 7, 4);
    set.flags = Some(NFT_SET_INTERVAL);
    let mut elems: Vec<SetElem> = Vec::new();
    elems.extend(SetElem::range(&[203, 0, 113, 0], &[203, 0, 113, 63]));
    elems.extend(SetElem::range(&[198, 51, 100, 9], &[198, 51, 100, 9]));
    let mut tx = Transaction::new();
    tx.add_table(Table::new(f, "lib"))
        .add_chain(Chain::base(
            f,
            "lib",
            "in",
            "filter",
            NF_INET_LOCAL_IN,
            10,
            Verdict::Accept,
        ))
        .add_chain(Chain::new(f, "lib", "web"))
        .add_set(set)
        .add_elements(SetElems::new(f, "lib", "blocked", elems))
        .add_rule(Rule::new(f, "lib", "in").with([
            Expr::ct(NFT_CT_STATE, NFT_REG_1),
            Expr::bitwise(NFT_REG_1, NFT_REG_1, &6u32.to_ne_bytes(), &[0; 4]),
            Expr::cmp(NFT_CMP_NEQ, NFT_REG_1, &[0; 4]),
            Expr::verdict(Verdict::Accept),
        ]))
        .add_rule(
            Rule::new(f, "lib", "in")
                .with([
                    Expr::meta(NFT_META_L4PROTO, NFT_REG_1),
                    Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[6]),
                    Expr::payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1),
                    Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &80u16.to_be_bytes()),
                    Expr::counter(),
                    Expr::verdict(Verdict::Jump("web".into())),
                ])
                .with_comment("web")?,
        )
        .add_rule(Rule::new(f, "lib", "in").with([
            Expr::meta(NFT_META_NFPROTO, NFT_REG_1),
            Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[2]),
            Expr::payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4, NFT_REG_1),
            Expr::lookup("blocked", NFT_REG_1),
            Expr::verdict(Verdict::Drop),
        ]))
        .add_rule(Rule::new(f, "lib", "web").with([Expr::verdict(Verdict::Return)]));
    Ok(tx)
}

#[test]
fn ruleset_from_library_reads_back_in_nft() {
    in_netns("ruleset_from_library_reads_back_in_nft", |ns| {
        let h = Handle::new()?;
        let report = h.nft_transaction(&library_ruleset()?)?;
        ensure!(report.is_ok() && report.ops == 9, "{:?}", report.failures);
        let text = ns.cmd("nft", ["list", "ruleset"])?;
        for line in [
            "type filter hook input priority filter + 10; policy accept;",
            "ct state established,related accept",
            "tcp dport 80 counter packets 0 bytes 0 jump web comment \"web\"",
            "ip saddr @blocked drop",
            "elements = { 198.51.100.9, 203.0.113.0/26 }",
            "chain web {",
            "return",
        ] {
            ensure!(text.contains(line), "nft does not show {line:?}:\n{text}");
        }
        // And nft's JSON of it matches what the library reads back.
        let rs = h.nft_ruleset(Family::Inet)?;
        let j = nft_json(ns)?;
        let rules = &j["rule"];
        ensure!(rules.len() == 4);
        for jr in rules {
            let r = rs
                .rules
                .iter()
                .find(|r| r.handle == jr["handle"].as_u64())
                .context("handle")?;
            ensure!(jr.get("comment").and_then(Value::as_str) == r.comment());
            let last = jr["expr"]
                .as_array()
                .and_then(|a| a.last())
                .context("expr")?;
            let Some(Expr::Immediate(imm)) = r.exprs.last() else {
                bail!("no verdict")
            };
            ensure!(verdict_json(imm.data.as_ref().and_then(Data::verdict).context("v")?) == *last);
        }
        let s = rs.set(Family::Inet, "lib", "blocked").context("set")?;
        let mut want: Vec<_> = j["set"][0]["elem"]
            .as_array()
            .context("elem")?
            .iter()
            .map(json_range)
            .collect::<Result<_>>()?;
        want.sort();
        ensure!(ranges(&s.elements)? == want);
        // Deleting through the library empties it again.
        h.nft_table_del(&Table::new(Family::Inet, "lib"))?;
        ensure!(h.nft_table_list(Family::Unspec)?.is_empty());
        ensure!(!nft_json(ns)?.contains_key("table"));
        Ok(())
    });
}

/// Expressions beyond the basic ones (fib, numgen, hash, range, lookup,
/// connlimit, dynset, limit, log, quota) in a table with a dynamic set,
/// an interval set and a verdict map.
const MORE: &str = r#"
table inet src {
  set dyn {
    type ipv4_addr
    size 1024
    flags dynamic,timeout
    timeout 1m
  }
  set ports {
    type inet_service
    flags interval
    elements = { 1000-2000, 8080 }
  }
  map vm {
    type inet_service : verdict
    elements = { 22 : accept, 23 : drop, 24 : jump side }
  }
  chain side {
    counter return
  }
  chain pre {
    type filter hook prerouting priority -5; policy accept;
    fib daddr type local counter
    meta mark set numgen inc mod 4 offset 10
    meta mark set jhash ip saddr mod 16 seed 0x1234
  }
  chain in {
    type filter hook input priority 5; policy accept;
    tcp dport != 1-1023 counter
    tcp dport @ports counter
    ct count over 10 drop
    update @dyn { ip saddr timeout 30s }
    limit rate over 100/second drop
    log prefix "in " level warn
    quota until 100 mbytes accept
    tcp dport vmap @vm
  }
}
"#;

#[test]
fn every_expression_copies_exactly() {
    in_netns("every_expression_copies_exactly", |ns| {
        nft_load(ns, MORE)?;
        let h = Handle::new()?;
        let rs = h.nft_ruleset(Family::Inet)?;
        let names: Vec<&str> = rs
            .rules
            .iter()
            .flat_map(|r| r.exprs.iter().map(Expr::name))
            .collect();
        for want in [
            "fib",
            "numgen",
            "hash",
            "range",
            "lookup",
            "connlimit",
            "dynset",
            "limit",
            "log",
            "quota",
        ] {
            ensure!(names.contains(&want), "{want} not in {names:?}");
        }
        ensure!(
            rs.rules
                .iter()
                .all(|r| r.exprs.iter().all(|e| !matches!(e, Expr::Raw { .. }))),
            "untyped: {names:?}"
        );
        // The same objects written by the library under another table name.
        let rename = |t: &mut Option<String>| *t = Some("copy".to_string());
        let mut tx = Transaction::new();
        tx.add_table(Table::new(Family::Inet, "copy"));
        // Chains before the elements of the verdict map that jump to them.
        for c in &rs.chains {
            let mut c = c.clone();
            rename(&mut c.table);
            tx.add_chain(c);
        }
        for s in &rs.sets {
            let mut s = s.clone();
            rename(&mut s.table);
            let elems = std::mem::take(&mut s.elements);
            let name = s.name.clone().unwrap_or_default();
            tx.add_set(s);
            if !elems.is_empty() {
                tx.add_elements(SetElems::new(Family::Inet, "copy", &name, elems));
            }
        }
        for r in &rs.rules {
            let mut r = r.clone();
            rename(&mut r.table);
            tx.add_rule(r);
        }
        h.nft_transaction(&tx)?.into_result()?;
        let src = ns.cmd("nft", ["list", "table", "inet", "src"])?;
        let copy = ns.cmd("nft", ["list", "table", "inet", "copy"])?;
        ensure!(
            copy.replace("table inet copy", "table inet src") == src,
            "nft shows\n{src}\nbut the copy is\n{copy}"
        );
        Ok(())
    });
}

#[test]
fn objects_both_ways() {
    in_netns("objects_both_ways", |ns| {
        nft_load(
            ns,
            "table inet o {\n  counter http {\n  }\n  quota q {\n    over 1 mbytes\n  }\n  chain c {\n    counter name http\n    quota name q drop\n  }\n}\n",
        )?;
        let h = Handle::new()?;
        let objs = h.nft_obj_list(Family::Inet, Some("o"))?;
        let j: Value = serde_json::from_str(&ns.cmd("nft", ["-j", "list", "ruleset"])?)?;
        let mut seen = 0;
        for item in j["nftables"].as_array().context("array")? {
            if let Some(c) = item.get("counter") {
                let o = objs
                    .iter()
                    .find(|o| o.name.as_deref() == c["name"].as_str())
                    .context("counter")?;
                ensure!(o.handle == c["handle"].as_u64() && o.obj_type == Some(NFT_OBJECT_COUNTER));
                let Some(ObjData::Counter(k)) = o.state() else {
                    bail!("state {o:?}")
                };
                ensure!(k.packets == c["packets"].as_u64() && k.bytes == c["bytes"].as_u64());
                seen += 1;
            }
            if let Some(q) = item.get("quota") {
                let o = objs
                    .iter()
                    .find(|o| o.name.as_deref() == q["name"].as_str())
                    .context("quota")?;
                ensure!(o.handle == q["handle"].as_u64());
                let Some(ObjData::Quota(k)) = o.state() else {
                    bail!("state {o:?}")
                };
                ensure!(k.bytes == q["bytes"].as_u64() && k.consumed == q["used"].as_u64());
                ensure!((k.flags.unwrap_or(0) & NFT_QUOTA_F_INV != 0) == (q["inv"] == true));
                seen += 1;
            }
        }
        ensure!(seen == 2 && objs.len() == 2, "{objs:?}");
        let rules = h.nft_rule_list(Family::Inet, Some("o"), None)?;
        let refs: Vec<_> = rules
            .iter()
            .flat_map(|r| &r.exprs)
            .filter_map(|e| match e {
                Expr::Objref(r) => r.imm_name.clone(),
                _ => None,
            })
            .collect();
        ensure!(refs == ["http", "q"], "{rules:?}");
        // The reverse: objects written by the library, as nft prints them.
        let limit = Limit {
            rate: Some(10),
            unit: Some(60),
            burst: Some(7),
            ..Default::default()
        };
        let mut tx = Transaction::new();
        tx.add_obj(Obj::new(Family::Inet, "o", "lim", &ObjData::Limit(limit))?)
            .add_obj(Obj::new(
                Family::Inet,
                "o",
                "big",
                &ObjData::Quota(Quota {
                    bytes: Some(5 << 20),
                    ..Default::default()
                }),
            )?);
        h.nft_transaction(&tx)?.into_result()?;
        let text = ns.cmd("nft", ["list", "table", "inet", "o"])?;
        for line in [
            "limit lim {",
            "rate 10/minute burst 7 packets",
            "quota big {",
            "5 mbytes",
        ] {
            ensure!(text.contains(line), "nft does not show {line:?}:\n{text}");
        }
        h.nft_obj_del(&Obj::new(
            Family::Inet,
            "o",
            "lim",
            &ObjData::Limit(Limit::default()),
        )?)?;
        ensure!(h.nft_obj_list(Family::Inet, Some("o"))?.len() == 3);
        Ok(())
    });
}

#[test]
fn flowtable_both_ways() {
    in_netns("flowtable_both_ways", |ns| {
        let h = Handle::new()?;
        h.link_add(&Link::new("ft0").kind(LinkKind::veth("ft1")))?;
        let mut tx = Transaction::new();
        tx.add_table(Table::new(Family::Inet, "f"))
            .add_flowtable(Flowtable::new(Family::Inet, "f", "ft", 0, &["ft0", "ft1"]));
        let report = h.nft_transaction(&tx)?;
        if let Some((_, e)) = report.first_failure() {
            // nf_flow_table registers the flowtable types; without it the
            // kernel finds none (ENOENT).
            if !std::path::Path::new("/sys/module/nf_flow_table").exists() {
                return Err(netlink_tests::skip(format!(
                    "no nf_flow_table in this kernel: {e}"
                )));
            }
            bail!("{e}");
        }
        let text = ns.cmd("nft", ["list", "flowtables"])?;
        ensure!(text.contains("flowtable ft {"), "{text}");
        let fts = h.nft_flowtable_list(Family::Inet, Some("f"))?;
        let hook = fts.first().and_then(|f| f.hook.clone()).context("hook")?;
        ensure!(
            hook.devices.map(|mut d| {
                d.sort();
                d
            }) == Some(vec!["ft0".into(), "ft1".into()])
        );
        h.nft_flowtable_del(&fts[0])?;
        ensure!(h.nft_flowtable_list(Family::Inet, None)?.is_empty());
        Ok(())
    });
}

#[test]
fn error_in_op_500_is_named_and_changes_nothing() {
    in_netns("error_in_op_500_is_named_and_changes_nothing", |ns| {
        let h = Handle::new()?;
        nft_load(ns, "table ip keep {\n  chain c {\n  }\n}\n")?;
        let before = ns.cmd("nft", ["list", "ruleset"])?;
        let gen_before = h.nft_gen_id()?;
        let mut tx = Transaction::new();
        tx.add_table(Table::new(Family::Ip, "t"));
        tx.add_chain(Chain::new(Family::Ip, "t", "c"));
        for i in 0..497u32 {
            tx.add_rule(Rule::new(Family::Ip, "t", "c").with([
                Expr::payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4, NFT_REG_1),
                Expr::cmp(
                    NFT_CMP_EQ,
                    NFT_REG_1,
                    &(0xc000_0200u32 + (i % 256)).to_be_bytes(),
                ),
                Expr::counter(),
            ]));
        }
        // Operation 500 (index 499): a rule for a chain whose name is
        // longer than the kernel's policy allows.
        let long = "x".repeat(300);
        tx.add_rule(Rule::new(Family::Ip, "t", &long).with([Expr::verdict(Verdict::Accept)]));
        tx.add_rule(Rule::new(Family::Ip, "t", "c").with([Expr::verdict(Verdict::Drop)]));
        ensure!(tx.len() == 501);
        let report = h.nft_transaction(&tx)?;
        ensure!(!report.is_ok());
        let (index, err) = report.first_failure().context("a failure")?;
        ensure!(*index == 499, "failed at {index}: {err}");
        ensure!(report.failures.len() == 1, "{:?}", report.failures);
        let ne = err.netlink().context("kernel error")?;
        ensure!(ne.errno() == Some(nl_sock::Errno::ERANGE), "{err}");
        // The kernel's words, and the attribute it pointed at
        // (NFTA_RULE_CHAIN). The VM tier's 6.1 and 6.12 validate batch
        // messages without an ext-ack (6.18 here sends one): there the
        // errno and the operation are all there is.
        let text = err.to_string();
        ensure!(
            text.contains("operation 500 of 501 (add rule ip t xxx"),
            "{text}"
        );
        match ne.message() {
            Some(m) => {
                ensure!(m == "Attribute failed policy validation", "{err}");
                ensure!(
                    ne.attr_path().map(|p| p.to_string()).as_deref() == Some("2"),
                    "{err}"
                );
                ensure!(text.contains(m), "{text}");
            }
            None => ensure!(
                kernel_before(6, 18)?,
                "no ext-ack text on a kernel that sends it: {err}"
            ),
        }
        ensure!(
            ns.cmd("nft", ["list", "ruleset"])? == before,
            "the ruleset changed"
        );
        ensure!(h.nft_gen_id()? == gen_before, "the generation moved");
        Ok(())
    });
}

#[test]
fn generation_id_guards_a_transaction() {
    in_netns("generation_id_guards_a_transaction", |ns| {
        let h = Handle::new()?;
        let g = h.nft_gen_id()?;
        h.nft_table_add(&Table::new(Family::Ip6, "a"))?;
        let g2 = h.nft_gen_id()?;
        ensure!(g2 == g.wrapping_add(1), "{g} -> {g2}");
        // Someone else changes the ruleset: a transaction made for g2 is refused.
        ns.cmd("nft", ["add", "table", "ip6", "other"])?;
        let mut tx = Transaction::new();
        tx.expect_genid(g2).add_table(Table::new(Family::Ip6, "b"));
        let report = h.nft_transaction(&tx)?;
        let (index, err) = report.first_failure().context("refused")?;
        ensure!(*index == 1, "index {index}");
        ensure!(
            err.netlink().and_then(|e| e.errno()) == Some(nl_sock::Errno::ERESTART),
            "{err}"
        );
        ensure!(
            err.to_string().contains(&format!("no longer {g2}")),
            "{err}"
        );
        ensure!(h.nft_table_list(Family::Ip6)?.len() == 2);
        // With the current generation it goes through.
        let mut tx = Transaction::new();
        tx.expect_genid(h.nft_gen_id()?)
            .add_table(Table::new(Family::Ip6, "b"));
        h.nft_transaction(&tx)?.into_result()?;
        let names: Vec<_> = h
            .nft_table_list(Family::Ip6)?
            .into_iter()
            .filter_map(|t| t.name)
            .collect();
        ensure!(names.len() == 3 && names.contains(&"b".to_string()));
        Ok(())
    });
}

/// A namespace of its own, alive until the returned sender is dropped.
fn peer_netns() -> Result<(String, mpsc::Sender<()>, std::thread::JoinHandle<()>)> {
    let (tx, rx) = mpsc::channel();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let t = std::thread::spawn(move || {
        if nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).is_err() {
            return;
        }
        let _ = tx.send(format!(
            "/proc/{}/task/{}/ns/net",
            std::process::id(),
            nix::unistd::gettid()
        ));
        let _ = stop_rx.recv();
    });
    Ok((rx.recv_timeout(Duration::from_secs(5))?, stop_tx, t))
}

/// One ICMP echo to `to` from a raw socket: whether its reply came
/// within a second (a send the local drop rule refuses is no reply).
fn ping_ok(to: Ipv4Addr, id: u16) -> Result<bool> {
    use nix::sys::socket::{
        AddressFamily, MsgFlags, SockFlag, SockProtocol, SockType, SockaddrIn, recv, sendto,
        setsockopt, socket, sockopt::ReceiveTimeout,
    };
    use std::os::fd::AsRawFd;
    let fd = socket(
        AddressFamily::Inet,
        SockType::Raw,
        SockFlag::SOCK_CLOEXEC,
        SockProtocol::Icmp,
    )?;
    setsockopt(
        &fd,
        ReceiveTimeout,
        &nix::sys::time::TimeVal::new(0, 200_000),
    )?;
    let mut pkt = [8u8, 0, 0, 0, (id >> 8) as u8, id as u8, 0, 1];
    let sum: u32 = pkt
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
        .sum();
    let sum = !((sum & 0xffff) + (sum >> 16)) as u16;
    pkt[2..4].copy_from_slice(&sum.to_be_bytes());
    let addr = SockaddrIn::from(std::net::SocketAddrV4::new(to, 0));
    if sendto(fd.as_raw_fd(), &pkt, &addr, MsgFlags::empty()).is_err() {
        return Ok(false);
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    let mut buf = [0u8; 1500];
    while std::time::Instant::now() < deadline {
        let Ok(n) = recv(fd.as_raw_fd(), &mut buf, MsgFlags::empty()) else {
            continue;
        };
        // IPv4 header, then ICMP: an echo reply (type 0) with our id.
        let ihl = usize::from(buf[0] & 0x0f) * 4;
        if n >= ihl + 8
            && buf[12..16] == to.octets()
            && buf[ihl] == 0
            && buf[ihl + 4..ihl + 6] == id.to_be_bytes()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

#[test]
fn drop_rule_from_library_drops_ping() {
    in_netns("drop_rule_from_library_drops_ping", |_| {
        let h = Handle::new()?;
        let (path, stop, thread) = peer_netns()?;
        h.link_add(&Link::new("nft0").kind(LinkKind::veth("nft1")))?;
        let fd = std::fs::File::open(&path)?;
        h.link_set_netns_fd("nft1", fd.as_fd())?;
        let p = Handle::in_netns(&path)?;
        h.addr_add("nft0", &"192.0.2.1/24".parse()?)?;
        p.addr_add("nft1", &"192.0.2.2/24".parse()?)?;
        h.link_set_up("nft0")?;
        p.link_set_up("nft1")?;
        let peer: Ipv4Addr = "192.0.2.2".parse()?;
        // The first echo also waits for ARP.
        ensure!(
            (0..5).any(|i| ping_ok(peer, 0x100 + i).unwrap_or(false)),
            "no ping before the rule"
        );
        let mut tx = Transaction::new();
        tx.add_table(Table::new(Family::Ip, "guard"))
            .add_chain(Chain::base(
                Family::Ip,
                "guard",
                "out",
                "filter",
                NF_INET_LOCAL_OUT,
                0,
                Verdict::Accept,
            ))
            .add_rule(Rule::new(Family::Ip, "guard", "out").with([
                Expr::payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, NFT_REG_1),
                Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[192, 0, 2, 2]),
                Expr::payload(NFT_PAYLOAD_NETWORK_HEADER, 9, 1, NFT_REG_1),
                Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[1]),
                Expr::counter(),
                Expr::verdict(Verdict::Drop),
            ]));
        h.nft_transaction(&tx)?.into_result()?;
        ensure!(!ping_ok(peer, 0x200)?, "ping passed the drop rule");
        let rules = h.nft_rule_list(Family::Ip, Some("guard"), Some("out"))?;
        let Some(Expr::Counter(c)) = rules.first().and_then(|r| r.exprs.get(4)) else {
            bail!("no counter")
        };
        ensure!(c.packets >= Some(1), "counter {c:?}");
        // Deleting the rule by its handle lets ping through again.
        h.nft_rule_del(&rules[0])?;
        ensure!(ping_ok(peer, 0x300)?, "no ping after the delete");
        drop(stop);
        let _ = thread.join();
        Ok(())
    });
}

#[test]
fn async_transaction_and_listing() {
    in_netns("async_transaction_and_listing", |ns| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let h = AsyncHandle::new()?;
            let report = h.nft_transaction(&library_ruleset()?).await?;
            ensure!(report.is_ok(), "{:?}", report.failures);
            let rs = h.nft_ruleset(Family::Unspec).await?;
            let n = rs.rules.len();
            ensure!(n == 4, "{n} rules");
            let j = nft_json(ns)?;
            ensure!(j["rule"].len() == n && j["chain"].len() == rs.chains.len());
            let g = h.nft_gen_id().await?;
            let mut tx = Transaction::new();
            tx.expect_genid(g.wrapping_sub(1))
                .del_table(Table::new(Family::Inet, "lib"));
            let refused = h.nft_transaction(&tx).await?;
            ensure!(refused.first_failure().map(|f| f.0) == Some(1));
            h.nft_table_del(&Table::new(Family::Inet, "lib")).await?;
            ensure!(h.nft_table_list(Family::Unspec).await?.is_empty());
            Ok(())
        })
    });
}

/// 10,000 rules and an interval set of 100,000 ranges in one
/// transaction (many element messages, one datagram), read back whole;
/// the time of `nft -f` for the same ruleset is printed beside ours.
#[test]
fn large_transaction_loads_whole() {
    in_netns("large_transaction_loads_whole", |ns| {
        const RULES: u16 = 10_000;
        const RANGES: u32 = 100_000;
        let f = Family::Inet;
        let net = |i: u32| -> [u8; 16] {
            let mut a = [0u8; 16];
            a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
            a[4..8].copy_from_slice(&(i * 2).to_be_bytes());
            a
        };
        let mut set = Set::new(f, "big", "nets", 8, 16);
        set.flags = Some(NFT_SET_INTERVAL);
        let mut elems = Vec::with_capacity(2 * RANGES as usize);
        for i in 0..RANGES {
            let mut last = net(i);
            last[8..].fill(0xff);
            elems.extend(SetElem::range(&net(i), &last));
        }
        let mut tx = Transaction::new();
        tx.add_table(Table::new(f, "big"))
            .add_chain(Chain::base(
                f,
                "big",
                "in",
                "filter",
                NF_INET_LOCAL_IN,
                0,
                Verdict::Accept,
            ))
            .add_set(set)
            .add_elements(SetElems::new(f, "big", "nets", elems));
        for port in 1..=RULES {
            tx.add_rule(Rule::new(f, "big", "in").with([
                Expr::meta(NFT_META_L4PROTO, NFT_REG_1),
                Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[6]),
                Expr::payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1),
                Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &port.to_be_bytes()),
                Expr::counter(),
                Expr::verdict(Verdict::Accept),
            ]));
        }
        let h = Handle::new()?;
        let t = std::time::Instant::now();
        let report = h.nft_transaction(&tx)?;
        let ours = t.elapsed();
        ensure!(report.is_ok(), "{:?}", report.first_failure());
        ensure!(report.ops == 4 + usize::from(RULES));
        let t = std::time::Instant::now();
        let rules = h.nft_rule_list(f, Some("big"), None)?;
        let elems = h.nft_set_elements(f, "big", "nets")?;
        let listed = t.elapsed();
        ensure!(rules.len() == usize::from(RULES), "{} rules", rules.len());
        let ends = elems.iter().filter(|e| e.is_interval_end()).count();
        ensure!(
            elems.len() - ends == RANGES as usize,
            "{} elements",
            elems.len()
        );
        // The same ruleset through nft, for comparison.
        h.nft_table_del(&Table::new(f, "big"))?;
        let mut text = String::from(
            "table inet big {\n set nets {\n  type ipv6_addr\n  flags interval\n  elements = { ",
        );
        for i in 0..RANGES {
            let a = std::net::Ipv6Addr::from(net(i));
            text.push_str(&format!("{a}/64, "));
        }
        text.push_str("}\n }\n chain in {\n  type filter hook input priority 0; policy accept;\n");
        for port in 1..=RULES {
            text.push_str(&format!("  tcp dport {port} counter accept\n"));
        }
        text.push_str(" }\n}\n");
        let t = std::time::Instant::now();
        nft_load(ns, &text)?;
        let nft = t.elapsed();
        let t = std::time::Instant::now();
        let json = ns.cmd("nft", ["-j", "list", "ruleset"])?;
        let nft_list = t.elapsed();
        ensure!(json.len() > 1000);
        eprintln!(
            "large transaction: library {ours:?} vs nft -f {nft:?}; listing: library {listed:?} vs nft -j {nft_list:?}"
        );
        Ok(())
    });
}

#[test]
fn monitor_sees_each_change_then_the_generation() {
    use netlink::nl_netfilter::nft::monitor::{Event, GROUP};
    in_netns("monitor_sees_each_change_then_the_generation", |_| {
        let mut sock = nl_sock::Socket::open(nl_wire::netlink::NETLINK_NETFILTER)?;
        sock.join(GROUP)?;
        sock.set_recv_timeout(Some(Duration::from_secs(2)))?;
        let h = Handle::new()?;
        let mut tx = Transaction::new();
        tx.add_table(Table::new(Family::Ip, "m"))
            .add_chain(Chain::new(Family::Ip, "m", "c"))
            .add_rule(Rule::new(Family::Ip, "m", "c").with([Expr::counter()]));
        h.nft_transaction(&tx)?.into_result()?;
        h.nft_table_del(&Table::new(Family::Ip, "m"))?;
        let gen_now = h.nft_gen_id()?;
        let mut seen = Vec::new();
        let mut messages = sock.messages();
        while seen.len() < 20 {
            let event = Event::parse(&messages.next()?)?;
            let last = matches!(&event, Event::NewGen(g) if g.id == gen_now);
            seen.push(event);
            if last {
                break;
            }
        }
        let kinds: Vec<&str> = seen
            .iter()
            .map(|e| match e {
                Event::NewTable(t) if t.name.as_deref() == Some("m") => "+table",
                Event::NewChain(c) if c.name.as_deref() == Some("c") => "+chain",
                Event::NewRule(r) if r.exprs.len() == 1 => "+rule",
                Event::DelTable(t) if t.name.as_deref() == Some("m") => "-table",
                Event::DelChain(c) if c.name.as_deref() == Some("c") => "-chain",
                Event::DelRule(r) if r.exprs.len() == 1 => "-rule",
                Event::NewGen(_) => "gen",
                _ => "?",
            })
            .collect();
        // Deleting a table reports what it held first, innermost first.
        let want = [
            "+table", "+chain", "+rule", "gen", "-rule", "-chain", "-table", "gen",
        ];
        ensure!(kinds == want, "{seen:?}");
        Ok(())
    });
}

/// The short name of a monitor event for the ordering checks below.
fn event_kind(e: &netlink::nl_netfilter::nft::monitor::Event) -> String {
    use netlink::nl_netfilter::nft::monitor::Event;
    match e {
        Event::NewTable(t) => format!("+table {}", t.name.as_deref().unwrap_or("?")),
        Event::DelTable(t) => format!("-table {}", t.name.as_deref().unwrap_or("?")),
        Event::NewChain(c) => format!("+chain {}", c.name.as_deref().unwrap_or("?")),
        Event::DelChain(c) => format!("-chain {}", c.name.as_deref().unwrap_or("?")),
        Event::NewRule(r) => format!("+rule {}", r.exprs.len()),
        Event::DelRule(r) => format!("-rule {}", r.exprs.len()),
        Event::NewGen(_) => "gen".into(),
        other => format!("{other:?}"),
    }
}

/// The facade's subscription: the listing first, then a table, chain and
/// rule added and deleted as their events in order, each transaction
/// closed by its generation, the last one the generation the kernel
/// reports now; the async stream sees the same.
#[test]
fn nft_subscription_delivers_changes_in_order() {
    use netlink::nl_netfilter::nft::monitor::Event;
    use netlink::{NftEvent, NftSubscribe};
    in_netns("nft_subscription_delivers_changes_in_order", |_| {
        let h = Handle::new()?;
        h.nft_table_add(&Table::new(Family::Inet, "before"))?;
        let mut sub = h.nft_subscribe(&NftSubscribe::new().list_existing().resync())?;
        sub.set_timeout(Some(Duration::from_secs(2)))?;
        match sub.next()? {
            NftEvent::Synced(rs) => ensure!(
                rs.tables.len() == 1 && rs.tables[0].name.as_deref() == Some("before"),
                "{rs:?}"
            ),
            other => bail!("first event {other:?}"),
        }
        let gen_before = h.nft_gen_id()?;
        let change = |h: &Handle| -> Result<u32> {
            let mut tx = Transaction::new();
            tx.add_table(Table::new(Family::Ip, "m"))
                .add_chain(Chain::new(Family::Ip, "m", "c"))
                .add_rule(
                    Rule::new(Family::Ip, "m", "c")
                        .with([Expr::counter(), Expr::verdict(Verdict::Accept)]),
                );
            h.nft_transaction(&tx)?.into_result()?;
            h.nft_table_del(&Table::new(Family::Ip, "m"))?;
            Ok(h.nft_gen_id()?)
        };
        let gen_now = change(&h)?;
        ensure!(
            gen_now == gen_before.wrapping_add(2),
            "{gen_before} -> {gen_now}"
        );
        let want = [
            "+table m", "+chain c", "+rule 2", "gen", "-rule 2", "-chain c", "-table m", "gen",
        ];
        let mut kinds = Vec::new();
        let mut gens = Vec::new();
        while kinds.len() < want.len() {
            match sub.next()? {
                NftEvent::Change(e) => {
                    if let Event::NewGen(g) = &*e {
                        gens.push(g.id);
                    }
                    kinds.push(event_kind(&e));
                }
                other => bail!("unexpected {other:?}"),
            }
        }
        ensure!(kinds == want, "{kinds:?}");
        ensure!(gens == [gen_before.wrapping_add(1), gen_now], "{gens:?}");

        // The async stream, on the same changes.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            let ah = AsyncHandle::new()?;
            let mut sub = ah.nft_subscribe(&NftSubscribe::new()).await?;
            sub.set_timeout(Some(Duration::from_secs(2)));
            let gen_now = change(&h)?;
            let mut kinds = Vec::new();
            let mut last_gen = None;
            while kinds.len() < want.len() {
                match sub.next().await.context("stream ended")?? {
                    NftEvent::Change(e) => {
                        if let Event::NewGen(g) = &*e {
                            last_gen = Some(g.id);
                        }
                        kinds.push(event_kind(&e));
                    }
                    other => bail!("unexpected {other:?}"),
                }
            }
            ensure!(kinds == want, "{kinds:?}");
            ensure!(last_gen == Some(gen_now));
            Ok(())
        })
    });
}

/// The streaming listings give what the collecting ones give, in order.
#[test]
fn nft_rules_and_elements_stream() {
    in_netns("nft_rules_and_elements_stream", |_| {
        let h = Handle::new()?;
        h.nft_transaction(&library_ruleset()?)?.into_result()?;
        let listed = h.nft_rule_list(Family::Unspec, None, None)?;
        let mut streamed = Vec::new();
        h.nft_rule_for_each(Family::Unspec, None, None, |r| {
            streamed.push(r);
            Ok(())
        })?;
        ensure!(!listed.is_empty() && streamed == listed, "{streamed:?}");
        let sets = h.nft_set_list(Family::Unspec, None)?;
        let mut checked = 0;
        for s in sets
            .iter()
            .filter(|s| s.name.as_deref().is_some_and(|n| !n.starts_with("__")))
        {
            let (t, n) = (
                s.table.as_deref().unwrap_or(""),
                s.name.as_deref().unwrap_or(""),
            );
            let all = h.nft_set_elements(s.family, t, n)?;
            let mut each = Vec::new();
            let mut named = true;
            h.nft_set_elements_for_each(s.family, t, n, |e| {
                named &= e.table == t && e.set == n;
                each.extend(e.elements);
                Ok(())
            })?;
            ensure!(named, "a message of another set");
            ensure!(each == all, "{n}: {each:?} vs {all:?}");
            checked += 1;
        }
        ensure!(checked > 0, "no named set in the library ruleset");
        // The streamed ruleset, put back together, is the collected one.
        let mut rebuilt = Ruleset::default();
        h.nft_ruleset_for_each(Family::Unspec, |item| {
            use netlink::nl_netfilter::nft::RulesetItem as I;
            match item {
                I::Table(t) => rebuilt.tables.push(t),
                I::Chain(c) => rebuilt.chains.push(c),
                I::Set(s) => rebuilt.sets.push(s),
                I::Elems(e) => {
                    if let Some(s) = rebuilt.sets.last_mut() {
                        s.elements.extend(e.elements);
                    }
                }
                I::Rule(r) => rebuilt.rules.push(r),
                I::Obj(o) => rebuilt.objs.push(o),
                I::Flowtable(f) => rebuilt.flowtables.push(f),
                _ => {}
            }
            Ok(())
        })?;
        let whole = h.nft_ruleset(Family::Unspec)?;
        ensure!(rebuilt == whole, "{rebuilt:?}\n{whole:?}");
        ensure!(whole.sets.iter().any(|s| !s.elements.is_empty()));

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            use netlink::Stream;
            let ah = AsyncHandle::new()?;
            let mut rules = std::pin::pin!(ah.nft_rule_stream(Family::Unspec, None, None)?);
            let mut got = Vec::new();
            while let Some(r) = std::future::poll_fn(|cx| rules.as_mut().poll_next(cx)).await {
                got.push(r?);
            }
            ensure!(got == listed, "{got:?}");
            Ok(())
        })
    });
}

/// Whether the running kernel is older than `major.minor` (uname).
fn kernel_before(major: u32, minor: u32) -> Result<bool> {
    let release = nix::sys::utsname::uname()?
        .release()
        .to_string_lossy()
        .into_owned();
    let mut parts = release.split(|c: char| !c.is_ascii_digit());
    let a: u32 = parts.next().context("release")?.parse()?;
    let b: u32 = parts.next().context("release")?.parse()?;
    Ok((a, b) < (major, minor))
}

#[test]
fn set_elements_and_rule_in_the_transaction_that_adds_the_set() {
    in_netns(
        "set_elements_and_rule_in_the_transaction_that_adds_the_set",
        |ns| {
            let h = Handle::new()?;
            let f = Family::Inet;
            // `tcp dport { 22, 80 } accept` (an anonymous set, whose name the
            // kernel picks at commit) and `tcp dport @ports drop` (a named
            // one), sets, elements and rules in one transaction.
            let mut anon = Set::new(f, "s", "__set%d", 13, 2);
            anon.flags = Some(NFT_SET_ANONYMOUS | NFT_SET_CONSTANT);
            let named = Set::new(f, "s", "ports", 13, 2);
            let port = |p: u16| SetElem::new(&p.to_be_bytes());
            let dport_in = |set: &str, v: Verdict| {
                Rule::new(f, "s", "c").with([
                    Expr::meta(NFT_META_L4PROTO, NFT_REG_1),
                    Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[6]),
                    Expr::payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1),
                    Expr::lookup(set, NFT_REG_1),
                    Expr::verdict(v),
                ])
            };
            let mut tx = Transaction::new();
            tx.add_table(Table::new(f, "s"))
                .add_chain(Chain::base(
                    f,
                    "s",
                    "c",
                    "filter",
                    NF_INET_LOCAL_IN,
                    0,
                    Verdict::Accept,
                ))
                .add_set(anon)
                .add_elements(SetElems::new(f, "s", "__set%d", vec![port(22), port(80)]))
                .add_rule(dport_in("__set%d", Verdict::Accept))
                .add_set(named)
                .add_elements(SetElems::new(f, "s", "ports", vec![port(443)]))
                .add_rule(dport_in("ports", Verdict::Drop));
            h.nft_transaction(&tx)?.into_result()?;
            // nft shows the anonymous set inline, the named one by name.
            let j = nft_json(ns)?;
            let rules = j.get("rule").context("no rules")?;
            ensure!(rules.len() == 2, "{rules:?}");
            let right = |r: &Value| -> Result<Value> {
                let exprs = r["expr"].as_array().context("expr")?;
                let m = exprs
                    .iter()
                    .find(|e| e["match"]["left"]["payload"]["field"] == "dport")
                    .context("no dport match")?;
                Ok(m["match"]["right"].clone())
            };
            ensure!(
                right(&rules[0])? == json!({"set": [22, 80]}),
                "{}",
                rules[0]
            );
            let verdict = |r: &Value| r["expr"].as_array().and_then(|e| e.last()).cloned();
            ensure!(
                verdict(&rules[0]) == Some(json!({"accept": null})),
                "{}",
                rules[0]
            );
            ensure!(right(&rules[1])? == json!("@ports"), "{}", rules[1]);
            ensure!(
                verdict(&rules[1]) == Some(json!({"drop": null})),
                "{}",
                rules[1]
            );
            let sets = j.get("set").context("no sets")?;
            ensure!(sets.len() == 1, "anonymous sets are not listed: {sets:?}");
            ensure!(
                sets[0]["name"] == "ports" && sets[0]["elem"] == json!([443]),
                "{}",
                sets[0]
            );
            // The library reads the anonymous set under the name the kernel
            // gave it, with its elements, and the rule refers to that name.
            let listed = h.nft_set_list(f, Some("s"))?;
            let anon = listed
                .iter()
                .find(|s| s.flags.unwrap_or(0) & NFT_SET_ANONYMOUS != 0)
                .context("anonymous set")?;
            let name = anon.name.clone().context("name")?;
            ensure!(name.starts_with("__set") && !name.contains('%'), "{name}");
            let elems = h.nft_set_elements(f, "s", &name)?;
            let mut keys: Vec<_> = elems.iter().filter_map(|e| e.key_bytes()).collect();
            keys.sort();
            ensure!(keys == [&[0, 22][..], &[0, 80][..]], "{elems:?}");
            let rule_sets: Vec<_> = h
                .nft_rule_list(f, Some("s"), None)?
                .iter()
                .flat_map(|r| r.exprs.clone())
                .filter_map(|e| match e {
                    Expr::Lookup(l) => l.set,
                    _ => None,
                })
                .collect();
            ensure!(rule_sets == [name, "ports".to_string()], "{rule_sets:?}");
            Ok(())
        },
    );
}

const CT_OBJECTS: &str = r#"
table inet o {
  ct helper ftp-standard {
    type "ftp" protocol tcp
    l3proto inet
  }
  ct timeout aggressive-tcp {
    protocol tcp;
    l3proto ip;
    policy = { established: 100, close_wait: 4, close: 4 }
  }
  ct expectation e1 {
    protocol tcp
    dport 5432
    timeout 1h
    size 12
    l3proto ip
  }
  synproxy sp {
    mss 1460
    wscale 7
    timestamp sack-perm
  }
}
"#;

/// The typed state of `o` as nft's JSON for the object says it.
fn same_ct_object(o: &Obj, kind: &str, j: &Value) -> Result<()> {
    use netlink::nl_netfilter::uapi::nf_synproxy::*;
    use netlink::nl_netfilter::uapi::nfnetlink_cttimeout::*;
    let l3 = |n: Option<u16>| match n {
        Some(1) => "inet",
        Some(2) => "ip",
        Some(10) => "ip6",
        _ => "?",
    };
    let l4 = |n: Option<u8>| match n {
        Some(6) => "tcp",
        Some(17) => "udp",
        _ => "?",
    };
    ensure!(o.handle == j["handle"].as_u64(), "{o:?} {j}");
    match (kind, o.state().context("state")?) {
        ("ct helper", ObjData::CtHelper(h)) => {
            ensure!(h.name.as_deref() == j["type"].as_str(), "{h:?} {j}");
            ensure!(
                l3(h.l3proto) == j["l3proto"] && l4(h.l4proto) == j["protocol"],
                "{h:?} {j}"
            );
        }
        ("ct timeout", ObjData::CtTimeout(t)) => {
            ensure!(
                l3(t.l3proto) == j["l3proto"] && l4(t.l4proto) == j["protocol"],
                "{t:?} {j}"
            );
            let p = t.policy.context("policy")?;
            // nft prints the states it was given; the kernel lists all.
            for (state, attr) in [
                ("established", CTA_TIMEOUT_TCP_ESTABLISHED),
                ("close_wait", CTA_TIMEOUT_TCP_CLOSE_WAIT),
                ("close", CTA_TIMEOUT_TCP_CLOSE),
            ] {
                ensure!(
                    p.get(attr).map(u64::from) == j["policy"][state].as_u64(),
                    "{state}: {p:?} {j}"
                );
            }
        }
        ("ct expectation", ObjData::CtExpect(e)) => {
            ensure!(
                l3(e.l3proto) == j["l3proto"] && l4(e.l4proto) == j["protocol"],
                "{e:?} {j}"
            );
            ensure!(e.dport.map(u64::from) == j["dport"].as_u64(), "{e:?} {j}");
            ensure!(
                e.timeout.map(u64::from) == j["timeout"].as_u64(),
                "{e:?} {j}"
            );
            ensure!(e.size.map(u64::from) == j["size"].as_u64(), "{e:?} {j}");
        }
        ("synproxy", ObjData::Synproxy(s)) => {
            ensure!(s.mss.map(u64::from) == j["mss"].as_u64(), "{s:?} {j}");
            ensure!(s.wscale.map(u64::from) == j["wscale"].as_u64(), "{s:?} {j}");
            let mut flags = Vec::new();
            let f = s.flags.unwrap_or(0);
            if f & NF_SYNPROXY_OPT_TIMESTAMP != 0 {
                flags.push("timestamp");
            }
            if f & NF_SYNPROXY_OPT_SACK_PERM != 0 {
                flags.push("sack-perm");
            }
            ensure!(json!(flags) == j["flags"], "{s:?} {j}");
        }
        (kind, state) => bail!("{kind} read as {state:?}"),
    }
    Ok(())
}

#[test]
fn ct_and_synproxy_objects_both_ways() {
    in_netns("ct_and_synproxy_objects_both_ways", |ns| {
        let h = Handle::new()?;
        let kinds = ["ct helper", "ct timeout", "ct expectation", "synproxy"];
        let check = |ns: &Netns| -> Result<usize> {
            let objs = h.nft_obj_list(Family::Inet, Some("o"))?;
            let j: Value = serde_json::from_str(&ns.cmd("nft", ["-j", "list", "ruleset"])?)?;
            let mut seen = 0;
            for item in j["nftables"].as_array().context("array")? {
                for kind in kinds {
                    if let Some(v) = item.get(kind) {
                        let o = objs
                            .iter()
                            .find(|o| o.name.as_deref() == v["name"].as_str())
                            .with_context(|| format!("{kind} {v}: not listed"))?;
                        same_ct_object(o, kind, v)?;
                        seen += 1;
                    }
                }
            }
            ensure!(seen == objs.len(), "nft shows {seen} of {objs:?}");
            Ok(seen)
        };
        // nft writes, the library reads.
        nft_load(ns, CT_OBJECTS)?;
        ensure!(check(ns)? == 4);
        // The library writes the same objects (as it read them) under
        // new names in a new table; nft reads them.
        let objs = h.nft_obj_list(Family::Inet, Some("o"))?;
        ns.cmd("nft", ["delete", "table", "inet", "o"])?;
        let mut tx = Transaction::new();
        tx.add_table(Table::new(Family::Inet, "o"));
        for o in &objs {
            let state = o.state().context("state")?;
            ensure!(!matches!(state, ObjData::Raw(..)), "untyped {o:?}");
            let name = format!("lib-{}", o.name.as_deref().unwrap_or("?"));
            tx.add_obj(Obj::new(Family::Inet, "o", &name, &state)?);
        }
        h.nft_transaction(&tx)?.into_result()?;
        ensure!(check(ns)? == 4);
        let text = ns.cmd("nft", ["list", "table", "inet", "o"])?;
        for line in [
            "ct helper lib-ftp-standard {",
            "type \"ftp\" protocol tcp",
            "ct timeout lib-aggressive-tcp {",
            "ct expectation lib-e1 {",
            "dport 5432",
            "synproxy lib-sp {",
            "timestamp sack-perm",
        ] {
            ensure!(text.contains(line), "nft does not show {line:?}:\n{text}");
        }
        Ok(())
    });
}

#[test]
fn netdev_chain_on_several_devices_both_ways() {
    in_netns("netdev_chain_on_several_devices_both_ways", |ns| {
        let h = Handle::new()?;
        h.link_add(&Link::new("nd0").kind(LinkKind::veth("nd1")))?;
        h.link_add(&Link::new("nd2").kind(LinkKind::veth("nd3")))?;
        // nft writes a chain on two devices, the library reads them.
        nft_load(
            ns,
            "table netdev n {\n  chain c {\n    type filter hook ingress devices = { nd0, nd1 } priority 0; policy accept;\n  }\n}\n",
        )?;
        let chains = h.nft_chain_list(Family::Netdev, Some("n"))?;
        let c = chains.first().context("no chain")?;
        let mut devs = c.hook_devices();
        devs.sort();
        ensure!(devs == ["nd0", "nd1"], "{c:?}");
        // The library writes one on two others; nft lists them.
        let mut tx = Transaction::new();
        tx.add_chain(
            Chain::base(
                Family::Netdev,
                "n",
                "lib",
                "filter",
                netlink::nl_netfilter::uapi::netfilter::NF_NETDEV_INGRESS,
                -5,
                Verdict::Accept,
            )
            .on_devices(&["nd2", "nd3"]),
        );
        h.nft_transaction(&tx)?.into_result()?;
        // nft 1.0.6 leaves the devices out of its JSON; its text has them.
        let text = ns.cmd("nft", ["list", "chain", "netdev", "n", "lib"])?;
        ensure!(
            text.contains("type filter hook ingress devices = { nd2, nd3 } priority filter - 5;"),
            "{text}"
        );
        // Read back by the library the same way.
        let back = h.nft_chain_list(Family::Netdev, Some("n"))?;
        let back = back
            .iter()
            .find(|c| c.name.as_deref() == Some("lib"))
            .context("lib")?;
        let mut devs = back.hook_devices();
        devs.sort();
        ensure!(devs == ["nd2", "nd3"], "{back:?}");
        Ok(())
    });
}

/// A namespace of its own with a UDP socket on port `port` of every
/// address: what it receives (source address, payload) comes through the
/// returned channel until the sender is dropped.
#[allow(clippy::type_complexity)]
fn udp_peer(
    port: u16,
) -> Result<(
    String,
    mpsc::Receiver<(std::net::SocketAddr, String)>,
    mpsc::Sender<()>,
    std::thread::JoinHandle<()>,
)> {
    let (path_tx, path_rx) = mpsc::channel();
    let (got_tx, got_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let t = std::thread::spawn(move || {
        if nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).is_err() {
            return;
        }
        let Ok(sock) = std::net::UdpSocket::bind(("0.0.0.0", port)) else {
            return;
        };
        let _ = sock.set_read_timeout(Some(Duration::from_millis(100)));
        let _ = path_tx.send(format!(
            "/proc/{}/task/{}/ns/net",
            std::process::id(),
            nix::unistd::gettid()
        ));
        let mut buf = [0u8; 64];
        while let Err(mpsc::TryRecvError::Empty) = stop_rx.try_recv() {
            if let Ok((n, from)) = sock.recv_from(&mut buf) {
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                let _ = got_tx.send((from, text));
            }
        }
    });
    let path = path_rx.recv_timeout(Duration::from_secs(5))?;
    Ok((path, got_rx, stop_tx, t))
}

#[test]
fn nat_rules_from_library_rewrite_traffic() {
    use netlink::nl_netfilter::uapi::netfilter::{NF_INET_POST_ROUTING, NFPROTO_IPV4};
    in_netns("nat_rules_from_library_rewrite_traffic", |ns| {
        let h = Handle::new()?;
        let (path, got, stop, thread) = udp_peer(4000)?;
        h.link_add(&Link::new("nat0").kind(LinkKind::veth("nat1")))?;
        let fd = std::fs::File::open(&path)?;
        h.link_set_netns_fd("nat1", fd.as_fd())?;
        let p = Handle::in_netns(&path)?;
        h.addr_add("nat0", &"192.0.2.1/24".parse()?)?;
        p.addr_add("nat1", &"192.0.2.2/24".parse()?)?;
        h.link_set_up("nat0")?;
        p.link_set_up("nat1")?;
        // Each datagram from a fresh socket: a new connection, which NAT
        // decides on its first packet.
        let send = |port: u16, text: &str| -> Result<(std::net::SocketAddr, String)> {
            let s = std::net::UdpSocket::bind("0.0.0.0:0")?;
            s.send_to(text.as_bytes(), ("192.0.2.2", port))?;
            let r = got.recv_timeout(Duration::from_secs(3));
            r.with_context(|| format!("{text:?} to port {port} did not arrive"))
        };
        let (from, text) = send(4000, "before")?;
        ensure!(
            from.ip().to_string() == "192.0.2.1" && text == "before",
            "{from} {text}"
        );
        // snat to 192.0.2.99 of what goes to 192.0.2.2 udp 4000 (counted),
        // and dnat of udp 4001 to 192.0.2.2:4000, written by the library.
        let f = Family::Ip;
        let udp_dport = |port: u16| {
            [
                Expr::meta(NFT_META_L4PROTO, NFT_REG_1),
                Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[17]),
                Expr::payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NFT_REG_1),
                Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &port.to_be_bytes()),
            ]
        };
        let mut snat = vec![
            Expr::payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, NFT_REG_1),
            Expr::cmp(NFT_CMP_EQ, NFT_REG_1, &[192, 0, 2, 2]),
        ];
        snat.extend(udp_dport(4000));
        snat.extend([
            Expr::counter(),
            Expr::immediate(NFT_REG_1, &[192, 0, 2, 99]),
            Expr::nat(NFT_NAT_SNAT, NFPROTO_IPV4, NFT_REG_1, None),
        ]);
        let mut dnat = udp_dport(4001).to_vec();
        dnat.extend([
            Expr::immediate(NFT_REG_1, &[192, 0, 2, 2]),
            Expr::immediate(NFT_REG_2, &4000u16.to_be_bytes()),
            Expr::nat(NFT_NAT_DNAT, NFPROTO_IPV4, NFT_REG_1, Some(NFT_REG_2)),
        ]);
        let mut tx = Transaction::new();
        tx.add_table(Table::new(f, "nat"))
            .add_chain(Chain::base(
                f,
                "nat",
                "post",
                "nat",
                NF_INET_POST_ROUTING,
                100,
                Verdict::Accept,
            ))
            .add_chain(Chain::base(
                f,
                "nat",
                "out",
                "nat",
                NF_INET_LOCAL_OUT,
                -100,
                Verdict::Accept,
            ))
            .add_rule(Rule::new(f, "nat", "post").with(snat))
            .add_rule(Rule::new(f, "nat", "out").with(dnat));
        h.nft_transaction(&tx)?.into_result()?;
        // nft reads them as snat and dnat statements.
        let j = nft_json(ns)?;
        let stmts: Vec<&Value> = j
            .get("rule")
            .context("no rules")?
            .iter()
            .filter_map(|r| r["expr"].as_array()?.last())
            .collect();
        ensure!(
            stmts.contains(&&json!({"snat": {"addr": "192.0.2.99"}})),
            "{stmts:?}"
        );
        ensure!(
            stmts.contains(&&json!({"dnat": {"addr": "192.0.2.2", "port": 4000}})),
            "{stmts:?}"
        );
        // The peer sees the new source; what went to 4001 arrives on 4000.
        let (from, text) = send(4000, "after")?;
        ensure!(
            from.ip().to_string() == "192.0.2.99" && text == "after",
            "{from} {text}"
        );
        let (from, text) = send(4001, "redirected")?;
        ensure!(
            from.ip().to_string() == "192.0.2.99" && text == "redirected",
            "{from} {text}"
        );
        let rules = h.nft_rule_list(f, Some("nat"), Some("post"))?;
        let counted = rules
            .first()
            .and_then(|r| {
                r.exprs.iter().find_map(|e| match e {
                    Expr::Counter(c) => c.packets,
                    _ => None,
                })
            })
            .context("no counter")?;
        // The NAT chains see a connection's first packet only: two.
        ensure!(counted == 2, "counter {counted}");
        drop(stop);
        let _ = thread.join();
        Ok(())
    });
}
