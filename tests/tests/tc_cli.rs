//! nl-tools' `tc` against iproute2's `tc` on the same namespace:
//! the README's htb + class + u32 commands parsed and sent by the
//! tool's own code, then `-j qdisc show` and `-j filter show` compared
//! with `tc -j` (the keys both print, with the same values); `filter show`
//! text and JSON with u32 hash tables, several priorities and ingress, and
//! htb/tbf bursts, compared whole with tc's.

use nl_tools::args::Args;
use nl_tools::tc::{Opts, class, common, filter, qdisc};

use anyhow::{Context, Result, ensure};
use netlink::Handle;
use netlink::nl_route::tc::TcHandle;
use netlink_tests::{Netns, in_netns};
use serde_json::Value;

fn words(s: &str) -> Args<'_> {
    Args::split(s)
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

        // --- the README's commands, through nl-tools' parsers ---
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
                "dev t0 parent 1: protocol ip pref 7 u32 match ip src 198.51.100.0/24 \
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

        // Filters: everything tc lists (a head per priority, the hash
        // table 800:, the filters), in the same order.
        let theirs = tc_json(ns, &["filter", "show", "dev", "t0", "parent", "1:"])?;
        let ours: Vec<Value> = h
            .filter_entries("t0", TcHandle::new(1, 0))?
            .iter()
            .map(|e| filter::json(e, &names, Some(TcHandle::new(1, 0)), false))
            .collect();
        ensure!(theirs == ours, "tc {theirs:?}\nours {ours:?}");
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

/// Runs nl-tools' `tc filter ...` command (add, del ...).
fn our_filter(h: &Handle, cmd: &str) -> Result<()> {
    filter::run(h, &Opts::default(), words(cmd), &mut Vec::new())
}

/// `tc filter show ARGS` of tc and of nl-tools (text, then JSON),
/// which must be the same.
fn same_filter_show(
    ns: &Netns,
    h: &Handle,
    dev: &str,
    shown: Option<(&str, TcHandle)>,
) -> Result<()> {
    let mut args = vec!["filter", "show", "dev", dev];
    if let Some((words, _)) = shown {
        args.extend(words.split(' '));
    }
    let names = common::names(h)?;
    let parent = shown.map(|(_, p)| p);
    let entries = h.filter_entries(dev, parent.unwrap_or(TcHandle::NONE))?;
    let text: String = entries
        .iter()
        .map(|e| filter::text(e, &names, parent, false) + "\n")
        .collect();
    let theirs = ns.cmd("tc", &args)?;
    ensure!(text == theirs, "{args:?}\ntc:\n{theirs}\nours:\n{text}");
    let json: Vec<Value> = entries
        .iter()
        .map(|e| filter::json(e, &names, parent, false))
        .collect();
    let theirs = tc_json(ns, &args)?;
    ensure!(json == theirs, "{args:?}\ntc {theirs:?}\nours {json:?}");
    Ok(())
}

#[test]
fn filter_show_with_u32_tables_and_priorities_like_tc() {
    in_netns("tc_cli_filter_show", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "t0", "type", "veth", "peer", "name", "t1"])?;
        ns.cmd(
            "tc",
            "qdisc add dev t0 root handle 1: htb default 10".split(' '),
        )?;
        ns.cmd("tc", "qdisc add dev t1 ingress".split(' '))?;
        // Ours and tc's, interleaved: a table 2: with a filter in bucket
        // 3, a filter in 800:, a mirred filter at prio 7, match-all
        // filters without a selector at prio 9 and on ingress.
        let tc = |cmd: &str| ns.cmd("tc", cmd.split(' ')).map(drop);
        our_filter(
            &h,
            "add dev t0 parent 1: protocol ip prio 5 handle 2: u32 divisor 16",
        )?;
        tc("filter add dev t0 parent 1: protocol ip prio 5 u32 ht 2:3 \
            match ip src 192.0.2.1/32 flowid 1:10")?;
        our_filter(
            &h,
            "add dev t0 parent 1: protocol ip prio 5 u32 ht 800:: \
             match ip dst 198.51.100.0/24 flowid 1:10",
        )?;
        tc(
            "filter add dev t0 parent 1: protocol ip prio 7 u32 match ip src 203.0.113.0/24 \
            action mirred egress redirect dev t1",
        )?;
        our_filter(
            &h,
            "add dev t0 parent 1: protocol ipv6 prio 9 u32 flowid 1:10",
        )?;
        tc("filter add dev t1 parent ffff: protocol ip prio 3 u32 \
            match ip dst 192.0.2.1/32 flowid 1:1")?;

        let one = TcHandle::new(1, 0);
        same_filter_show(ns, &h, "t0", Some(("parent 1:", one)))?;
        same_filter_show(ns, &h, "t0", None)?;
        // The kernel reports the ingress parent as the last add named it
        // (`parent ffff:` here, `ingress` below); tc prints it when it is
        // not the one asked for.
        let ingress = ("ingress", TcHandle::INGRESS_FILTERS);
        let ffff = ("parent ffff:", TcHandle::new(0xffff, 0));
        same_filter_show(ns, &h, "t1", Some(ingress))?;
        same_filter_show(ns, &h, "t1", Some(ffff))?;
        let text = ns.cmd("tc", "filter show dev t1 ingress".split(' '))?;
        ensure!(
            text.starts_with("filter parent ffff: protocol ip pref 3"),
            "{text}"
        );
        our_filter(&h, "add dev t1 ingress protocol all prio 4 u32 flowid 1:2")?;
        same_filter_show(ns, &h, "t1", Some(ingress))?;
        same_filter_show(ns, &h, "t1", Some(ffff))?;

        // `del ... handle 2: u32` deletes the table (and the filter in
        // it); the root table stays, as tc's own delete finds.
        our_filter(&h, "del dev t0 parent 1: protocol ip prio 5 handle 2: u32")?;
        let err = our_filter(
            &h,
            "del dev t0 parent 1: protocol ip prio 5 handle 800: u32",
        )
        .err()
        .context("deleted 800:")?;
        ensure!(format!("{err:#}").contains("root"), "{err:#}");
        same_filter_show(ns, &h, "t0", Some(("parent 1:", one)))?;
        let left = ns.cmd("tc", "filter show dev t0 parent 1:".split(' '))?;
        ensure!(
            !left.contains("fh 2:") && left.contains("fh 800: ht divisor 1"),
            "{left}"
        );
        Ok(())
    });
}

#[test]
fn htb_and_tbf_bursts_like_tc() {
    in_netns("tc_cli_bursts", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "t0", "type", "veth", "peer", "name", "t1"])?;
        ns.cmd("tc", "qdisc add dev t0 root handle 1: htb".split(' '))?;
        // tc's own classes at high rates, where tc shows whole
        // microseconds' worth (5gbit: 625b), and at low rates with its
        // default bursts; ours at odd low-rate bursts.
        let theirs = [
            "1mbit",
            "10mbit",
            "10mbit burst 15k cburst 3000",
            "100mbit burst 1234",
            "150mbit burst 1999",
            "1gbit burst 100k",
            "5gbit",
            "5gbit burst 10k",
            "10gbit",
            "34gbit",
            "40gbit burst 1m",
            "100gbit ceil 200gbit burst 2m cburst 3m",
        ];
        for (i, rate) in theirs.iter().enumerate() {
            let cmd = format!(
                "class add dev t0 parent 1: classid 1:{:x} htb rate {rate}",
                i + 1
            );
            ns.cmd("tc", cmd.split(' '))?;
        }
        for (i, rate) in ["123kbit burst 1601", "7mbit burst 2999 cburst 1601"]
            .iter()
            .enumerate()
        {
            let cmd = format!("dev t0 parent 1: classid 1:{:x} htb rate {rate}", i + 0x20);
            h.class_add(&class::parse(&h, words(&cmd))?)?;
        }
        let ours: String = h
            .class_list("t0")?
            .iter()
            .map(|c| class::text(c, false) + "\n")
            .collect();
        let tc = ns.cmd("tc", "class show dev t0".split(' '))?;
        ensure!(ours == tc, "tc:\n{tc}\nours:\n{ours}");
        ensure!(
            tc.contains("rate 5Gbit ceil 5Gbit burst 625b cburst 625b"),
            "{tc}"
        );

        let names = common::names(&h)?;
        for spec in [
            "rate 5gbit burst 10k latency 1ms",
            "rate 5gbit burst 100k latency 10ms peakrate 6gbit mtu 9000",
            "rate 40gbit burst 1m latency 1ms",
            "rate 1mbit burst 10k latency 50ms",
        ] {
            let cmd = format!("qdisc replace dev t1 root handle 2: tbf {spec}");
            ns.cmd("tc", cmd.split(' '))?;
            let q = h.qdisc_list("t1")?;
            let ours: String = q
                .iter()
                .map(|q| qdisc::text(q, &names, false, false) + "\n")
                .collect();
            let tc = ns.cmd("tc", "qdisc show dev t1".split(' '))?;
            ensure!(ours == tc, "{spec}: tc:\n{tc}\nours:\n{ours}");
            let ours: Vec<Value> = q
                .iter()
                .map(|q| qdisc::json(q, &names, false, false))
                .collect();
            let tc = tc_json(ns, &["qdisc", "show", "dev", "t1"])?;
            ensure!(ours == tc, "{spec}: tc {tc:?}\nours {ours:?}");
        }
        Ok(())
    });
}
