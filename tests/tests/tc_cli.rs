//! The example `tc` CLI against iproute2's `tc` on the same namespace:
//! the README's htb + class + u32 commands parsed and sent by the
//! example's own code, then `-j qdisc show` and `-j filter show` compared
//! with `tc -j` (the keys both print, with the same values).

#[path = "../../crates/netlink/examples/tc/action.rs"]
#[allow(dead_code)]
mod action;
#[path = "../../crates/netlink/examples/ip/args.rs"]
#[allow(dead_code)]
mod args;
#[path = "../../crates/netlink/examples/tc/class.rs"]
#[allow(dead_code)]
mod class;
#[path = "../../crates/netlink/examples/tc/common.rs"]
#[allow(dead_code)]
mod common;
#[path = "../../crates/netlink/examples/tc/filter.rs"]
#[allow(dead_code)]
mod filter;
#[path = "../../crates/netlink/examples/tc/qdisc.rs"]
#[allow(dead_code)]
mod qdisc;

/// The example CLI's global options (the modules read them).
#[allow(dead_code)]
pub struct Opts {
    pub json: bool,
    pub details: bool,
    pub stats: bool,
}

use anyhow::{Context, Result, ensure};
use netlink::Handle;
use netlink::nl_route::tc::TcHandle;
use netlink_tests::{Netns, in_netns};
use serde_json::Value;

fn words(s: &str) -> args::Args {
    args::Args::new(s.split_whitespace().map(String::from).collect())
}

/// Every key of `theirs` that `ours` also has must hold the same value.
fn compare(path: &str, theirs: &Value, ours: &Value, diffs: &mut Vec<String>) {
    match (theirs, ours) {
        (Value::Object(t), Value::Object(o)) => {
            for (k, tv) in t {
                if let Some(ov) = o.get(k) {
                    compare(&format!("{path}.{k}"), tv, ov, diffs);
                }
            }
        }
        (Value::Array(t), Value::Array(o)) if t.len() == o.len() => {
            for (i, (tv, ov)) in t.iter().zip(o).enumerate() {
                compare(&format!("{path}[{i}]"), tv, ov, diffs);
            }
        }
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => {}
        _ if theirs == ours => {}
        _ => diffs.push(format!("{path}: tc has {theirs}, we have {ours}")),
    }
}

fn tc_json(ns: &Netns, args: &[&str]) -> Result<Vec<Value>> {
    let mut all = vec!["-j"];
    all.extend_from_slice(args);
    let out = ns.cmd("tc", &all)?;
    let v: Value = serde_json::from_str(&out).with_context(|| format!("tc -j output: {out}"))?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

#[test]
fn readme_htb_u32_like_tc() {
    in_netns("tc_cli_readme_htb_u32_like_tc", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "t0", "type", "veth", "peer", "name", "t1"])?;
        ns.ip(["link", "set", "t0", "up"])?;
        ns.ip(["link", "set", "t1", "up"])?;

        // --- the README's commands, through the example's parsers ---
        h.qdisc_add(&qdisc::parse(
            &h,
            words("dev t0 root handle 1: htb default 10"),
        )?)?;
        h.class_add(&class::parse(
            &h,
            words("dev t0 parent 1: classid 1:10 htb rate 10mbit"),
        )?)?;
        let (f, _) = filter::parse(
            &h,
            words("dev t0 parent 1: protocol ip u32 match ip dst 192.0.2.0/24 flowid 1:10"),
        )?;
        h.filter_add(&f)?;
        let (f, _) = filter::parse(
            &h,
            words(
                "dev t0 parent 1: protocol ip pref 7 u32 match ip src 10.0.0.0/8 \
                 action mirred egress redirect dev t1",
            ),
        )?;
        h.filter_add(&f)?;

        let names = common::names(&h)?;
        let mut diffs = Vec::new();

        // Qdiscs: tc's list, object by object.
        let theirs = tc_json(ns, &["qdisc", "show", "dev", "t0"])?;
        let ours: Vec<Value> = h
            .qdisc_list("t0")?
            .iter()
            .map(|q| qdisc::json(q, &names, false, false))
            .collect();
        ensure!(
            theirs.len() == ours.len(),
            "qdiscs: tc {theirs:?}, ours {ours:?}"
        );
        for (i, (t, o)) in theirs.iter().zip(&ours).enumerate() {
            compare(&format!("qdisc[{i}]"), t, o, &mut diffs);
        }
        ensure!(
            ours[0]["options"]["default"] == "0x10",
            "htb default: {}",
            ours[0]
        );

        // Filters: tc also lists a head per priority, which the library
        // leaves out; match them by pref and fh.
        let theirs = tc_json(ns, &["filter", "show", "dev", "t0", "parent", "1:"])?;
        let ours: Vec<Value> = h
            .filter_list("t0", TcHandle::new(1, 0))?
            .iter()
            .map(|f| filter::json(f, &names, false, false))
            .collect();
        let key = |v: &Value| (v["pref"].clone(), v["options"]["fh"].clone());
        let mut matched = 0;
        for t in theirs.iter().filter(|t| t.get("options").is_some()) {
            let o = ours
                .iter()
                .find(|o| key(o) == key(t))
                .with_context(|| format!("no filter of ours for tc's {t}"))?;
            compare(&format!("filter {:?}", key(t)), t, o, &mut diffs);
            matched += 1;
        }
        ensure!(matched == ours.len(), "ours {ours:?}, tc {theirs:?}");
        ensure!(
            ours.iter().any(|o| o["options"]["flowid"] == "1:10"
                && o["options"]["match"]["value"] == "c0000200"),
            "the README filter: {ours:?}"
        );
        ensure!(
            ours.iter()
                .any(|o| o["options"]["actions"][0]["to_dev"] == "t1"),
            "the mirred filter: {ours:?}"
        );
        ensure!(
            diffs.is_empty(),
            "differences from tc -j:\n{}",
            diffs.join("\n")
        );
        Ok(())
    });
}
