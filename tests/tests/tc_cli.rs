//! nl-tools' `tc` against iproute2's `tc` on the same namespace:
//! the README's htb + class + u32 commands parsed and sent by the
//! tool's own code, then `-j qdisc show` and `-j filter show` compared
//! with `tc -j` (the keys both print, with the same values); `filter show`
//! text and JSON with u32 hash tables, several priorities and ingress, and
//! htb/tbf bursts, compared whole with tc's; flower filters written in
//! tc's grammar by both tools and read back by both, and the same for
//! basic's ematch expressions and the fq, codel, red, gred and hfsc
//! qdiscs.

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

/// A listing without its actions' index lines: the index of an action
/// is the namespace's, so the same filter on two devices differs there.
fn without_action_index(listing: &str) -> String {
    listing
        .lines()
        .filter(|l| !l.starts_with("\t index "))
        .map(|l| format!("{l}\n"))
        .collect()
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

/// flower's grammar, one line per family of keys: tc adds each on t0,
/// nl-tools on t1, at the same priority. Each tool's listing of each
/// device is the same (text and JSON), so both read the other's filters
/// as their own, and both devices list the same, so both wrote the same.
const FLOWER_LINES: &[&str] = &[
    "protocol ip flower ip_proto tcp dst_ip 192.0.2.0/24 src_ip 198.51.100.1 \
     dst_port 80 src_port 1024-65535 tcp_flags 0x2/0x12 ip_tos 0x10/f0 ip_ttl 64 \
     skip_hw action drop",
    "protocol ip flower ip_proto udp dst_port 53 src_port 0x100/0xff00 \
     ip_flags frag/nofirstfrag classid 1:5",
    "protocol ip flower ip_proto icmp type 8 code 0/15 dst_ip 192.0.0.0/16 hw_tc 3",
    "protocol ipv6 flower ip_proto icmpv6 type 128 dst_ip 2001:db8::/32 \
     src_ip 2001:db8:1::1 action pass",
    "protocol ipv6 flower ip_proto sctp dst_port 5000 src_port 6000-6010",
    "protocol arp flower arp_op request arp_tip 192.0.2.1 arp_sip 198.51.100.0/24 \
     arp_sha 02:00:00:00:00:01 arp_tha 02:00:00:00:00:00/24",
    "protocol arp flower arp_op 2/3",
    "protocol 802.1Q flower vlan_id 100 vlan_prio 3 vlan_ethtype 802.1Q cvlan_id 200 \
     cvlan_prio 1 cvlan_ethtype ip dst_ip 192.0.2.7 dst_mac 02:00:00:00:00:02 \
     src_mac 02:00:00:00:00:00/ff:ff:00:00:00:ff",
    "protocol 802.1ad flower num_of_vlans 2 vlan_id 10 vlan_ethtype 802.1Q cvlan_id 20",
    "protocol mpls_uc flower mpls_label 100 mpls_tc 3 mpls_bos 1 mpls_ttl 64",
    "protocol mpls_uc flower mpls lse depth 1 label 100 tc 3 bos 0 ttl 64 \
     lse depth 2 label 200 bos 1",
    "protocol ip flower enc_key_id 42 enc_dst_ip 192.0.2.9 enc_src_ip 198.51.100.0/24 \
     enc_dst_port 4789 enc_tos 0/3 enc_ttl 64 indev t0",
    "protocol ipv6 flower enc_dst_ip 2001:db8::9 enc_key_id 7",
    "protocol ip flower ct_state +trk+est ct_zone 5 ct_mark 0x10/0xf0 \
     ct_label 0a000000000000000000000000000000/ff000000000000000000000000000000",
    "protocol ip flower ct_state +trk-new ct_label 01",
    "protocol ppp_ses flower pppoe_sid 1234 ppp_proto ip dst_ip 192.0.2.1",
    "protocol all flower dst_mac 02:00:00:00:00:03 action pass",
];

#[test]
fn flower_grammar_both_ways_like_tc() {
    in_netns("tc_cli_flower", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "t0", "type", "veth", "peer", "name", "t1"])?;
        for dev in ["t0", "t1"] {
            ns.cmd("tc", ["qdisc", "add", "dev", dev, "clsact"])?;
        }
        for (i, line) in FLOWER_LINES.iter().enumerate() {
            let line: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
            let prio = i + 1;
            let tc = format!("filter add dev t0 ingress prio {prio} {line}");
            // A kernel without flower or gact skips here (tc's error).
            ns.cmd("tc", tc.split(' ')).with_context(|| tc.clone())?;
            let ours = format!("add dev t1 ingress prio {prio} {line}");
            our_filter(&h, &ours).with_context(|| ours.clone())?;
        }
        let ingress = Some(("ingress", TcHandle::INGRESS_FILTERS));
        same_filter_show(ns, &h, "t0", ingress)?;
        same_filter_show(ns, &h, "t1", ingress)?;
        let show = |dev: &str| ns.cmd("tc", ["filter", "show", "dev", dev, "ingress"]);
        let (t0, t1) = (show("t0")?, show("t1")?);
        ensure!(
            without_action_index(&t0) == without_action_index(&t1),
            "tc's listing of tc's filters:\n{t0}\nof ours:\n{t1}"
        );
        // Every line made a filter, and the keys are there.
        for want in [
            "src_port 1024-65535",
            "ip_flags frag/nofirstfrag",
            "hw_tc 3",
            "dst_ip 192.0.0.0/16",
            "cvlan_ethtype ip",
            "mpls_label 100",
            "enc_key_id 42",
            "ct_state +trk+est",
            "ppp_proto ip",
            "lse depth 2 label 200 bos 1",
        ] {
            ensure!(t0.contains(want), "{want}: {t0}");
        }
        ensure!(
            t0.matches("filter protocol").count() >= FLOWER_LINES.len(),
            "{t0}"
        );

        // Bad words are refused before anything is sent.
        for bad in [
            "protocol ip flower dst_port 80",
            "protocol ip flower dst_ip 2001:db8::1",
            "protocol ip flower vlan_id 5",
            "protocol ip flower ip_proto tcp dst_port 90-80",
            "protocol ip flower ct_state trk",
            "protocol ip flower hw_tc 16",
            "protocol ip flower bogus 1",
            "protocol ip flower mpls lse depth 1 label 5",
            "protocol mpls_uc flower mpls lse label 5",
            "protocol mpls_uc flower mpls_label 5 mpls lse depth 1",
        ] {
            let cmd = format!("add dev t1 ingress prio 99 {bad}");
            ensure!(our_filter(&h, &cmd).is_err(), "{bad} was taken");
        }
        Ok(())
    });
}

/// Each tool lists the root qdiscs of t0 and t1 as tc does (text and
/// JSON), and tc lists both alike.
fn same_root_qdiscs(ns: &Netns, h: &Handle, spec: &str) -> Result<()> {
    let names = common::names(h)?;
    let mut listed = Vec::new();
    for dev in ["t0", "t1"] {
        let q: Vec<_> = h
            .qdisc_list(dev)?
            .into_iter()
            .filter(|q| q.parent == TcHandle::ROOT)
            .collect();
        let text: String = q
            .iter()
            .map(|q| qdisc::text(q, &names, false, false) + "\n")
            .collect();
        let theirs = ns.cmd("tc", ["qdisc", "show", "dev", dev, "root"])?;
        ensure!(
            text == theirs,
            "{spec} on {dev}: tc:\n{theirs}\nours:\n{text}"
        );
        let json: Vec<Value> = q
            .iter()
            .map(|q| qdisc::json(q, &names, false, false))
            .collect();
        let theirs = tc_json(ns, &["qdisc", "show", "dev", dev, "root"])?;
        ensure!(
            json == theirs,
            "{spec} on {dev}: tc {theirs:?}\nours {json:?}"
        );
        listed.push(text);
    }
    ensure!(
        listed[0] == listed[1],
        "{spec}: tc's {} and ours {}",
        listed[0],
        listed[1]
    );
    Ok(())
}

/// `qdisc add dev DEV root handle 1: SPEC` by tc on t0 and by nl-tools
/// on t1, then [`same_root_qdiscs`].
fn qdisc_both_ways(ns: &Netns, h: &Handle, spec: &str) -> Result<()> {
    // A root of another kind cannot be replaced in place: start afresh.
    for dev in ["t0", "t1"] {
        let _ = ns.cmd("tc", ["qdisc", "del", "dev", dev, "root"]);
    }
    let tc = format!("qdisc add dev t0 root handle 1: {spec}");
    // A kernel without the kind skips here (tc's error).
    ns.cmd("tc", tc.split(' ')).with_context(|| tc.clone())?;
    let ours = format!("add dev t1 root handle 1: {spec}");
    qdisc::run(h, &Opts::default(), words(&ours), &mut Vec::new()).with_context(|| ours.clone())?;
    same_root_qdiscs(ns, h, spec)
}

#[test]
fn red_qdisc_both_ways_like_tc() {
    in_netns("tc_cli_red", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "t0", "type", "veth", "peer", "name", "t1"])?;
        for spec in [
            "red limit 400000 min 30000 max 90000 avpkt 1000 burst 55 bandwidth 10mbit",
            "red limit 1mb avpkt 1500 ecn adaptive",
            "red limit 200kb min 20kb avpkt 1000 probability 0.1 harddrop",
            "red limit 400000 min 30000 max 90000 avpkt 1000 ecn nodrop",
        ] {
            qdisc_both_ways(ns, &h, spec)?;
        }
        let text = ns.cmd("tc", ["qdisc", "show", "dev", "t1"])?;
        ensure!(text.contains("ecn nodrop"), "{text}");
        Ok(())
    });
}

#[test]
fn fq_codel_hfsc_qdiscs_both_ways_like_tc() {
    in_netns("tc_cli_fq", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "t0", "type", "veth", "peer", "name", "t1"])?;
        for spec in [
            "fq",
            "fq limit 1000 flow_limit 50 buckets 256 quantum 3028 initial_quantum 15140 \
             maxrate 100mbit refill_delay 50ms orphan_mask 511 nopacing",
            "fq ce_threshold 5ms low_rate_threshold 1mbit timer_slack 20us horizon 2s horizon_cap",
            "codel",
            "codel limit 500 target 10ms interval 200ms ecn",
            "codel ce_threshold 2ms noecn",
            "hfsc default 10",
            "hfsc",
        ] {
            let spec: String = spec.split_whitespace().collect::<Vec<_>>().join(" ");
            // tc -j prints hfsc's default as text: JSON is compared only
            // where tc's is JSON.
            if spec == "hfsc default 10" {
                for dev in ["t0", "t1"] {
                    let _ = ns.cmd("tc", ["qdisc", "del", "dev", dev, "root"]);
                }
                let tc = format!("qdisc add dev t0 root handle 1: {spec}");
                ns.cmd("tc", tc.split(' '))?;
                let ours = format!("add dev t1 root handle 1: {spec}");
                qdisc::run(&h, &Opts::default(), words(&ours), &mut Vec::new())?;
                let names = common::names(&h)?;
                for dev in ["t0", "t1"] {
                    let text: String = h
                        .qdisc_list(dev)?
                        .iter()
                        .filter(|q| q.parent == TcHandle::ROOT)
                        .map(|q| qdisc::text(q, &names, false, false) + "\n")
                        .collect();
                    let theirs = ns.cmd("tc", ["qdisc", "show", "dev", dev, "root"])?;
                    ensure!(
                        text == theirs,
                        "{spec} on {dev}: tc:\n{theirs}\nours:\n{text}"
                    );
                    ensure!(text.contains("default 10"), "{text}");
                }
                // hfsc's classes, in both of tc's curve forms (the second
                // computed: a convex and a concave curve).
                for (i, curves) in [
                    "sc rate 1mbit ul rate 2mbit",
                    "rt m1 2mbit d 10ms m2 1mbit ls rate 500kbit",
                    "ls umax 1500 dmax 20ms rate 1mbit",
                    "rt umax 1500 dmax 5ms rate 1mbit ls m2 3mbit ul m1 4mbit d 1s m2 5mbit",
                ]
                .iter()
                .enumerate()
                {
                    let id = format!("1:{}", i + 10);
                    let tc = format!("class add dev t0 parent 1: classid {id} hfsc {curves}");
                    ns.cmd("tc", tc.split(' ')).with_context(|| tc.clone())?;
                    let ours = format!("add dev t1 parent 1: classid {id} hfsc {curves}");
                    class::run(&h, &Opts::default(), words(&ours), &mut Vec::new())
                        .with_context(|| ours.clone())?;
                }
                let mut listed = Vec::new();
                for dev in ["t0", "t1"] {
                    let ours: String = h
                        .class_list(dev)?
                        .iter()
                        .map(|c| class::text(c, false) + "\n")
                        .collect();
                    let theirs = ns.cmd("tc", ["class", "show", "dev", dev])?;
                    ensure!(
                        ours == theirs,
                        "hfsc classes on {dev}: tc:\n{theirs}\nours:\n{ours}"
                    );
                    listed.push(theirs);
                }
                ensure!(
                    listed[0] == listed[1],
                    "tc's:\n{}\nours:\n{}",
                    listed[0],
                    listed[1]
                );
                ensure!(
                    listed[0].contains("ul m1 0bit d 0us m2 2Mbit"),
                    "{}",
                    listed[0]
                );
                continue;
            }
            qdisc_both_ways(ns, &h, &spec)?;
        }
        Ok(())
    });
}

#[test]
fn basic_ematch_both_ways_like_tc() {
    in_netns("tc_cli_basic", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "t0", "type", "veth", "peer", "name", "t1"])?;
        for dev in ["t0", "t1"] {
            ns.cmd(
                "tc",
                ["qdisc", "add", "dev", dev, "root", "handle", "1:", "htb"],
            )?;
        }
        // tc takes each expression as one (quoted) word; ours reads the
        // same expression as separate words.
        let lines = [
            ("cmp(u8 at 9 layer network eq 6)", "classid 1:1"),
            (
                "cmp(u16 at 2 layer transport mask 0xff00 trans gt 1024) and not u32(u16 0x1f90 0xffff at nexthdr+2)",
                "classid 1:2",
            ),
            (
                "u32(u8 0x45 0xff at 0) or cmp(u32 at 12 layer 1 lt 3232235520)",
                "action pass",
            ),
            ("", "classid 1:3"),
        ];
        for (i, (expr, tail)) in lines.iter().enumerate() {
            let prio = (i + 1).to_string();
            let mut tc = vec![
                "filter", "add", "dev", "t0", "parent", "1:", "protocol", "ip", "prio", &prio,
                "basic",
            ];
            if !expr.is_empty() {
                tc.extend(["match", expr]);
            }
            tc.extend(tail.split(' '));
            // A kernel without cls_basic, em_cmp or em_u32 skips here.
            ns.cmd("tc", &tc).with_context(|| format!("{tc:?}"))?;
            let m = if expr.is_empty() {
                String::new()
            } else {
                format!("match {expr} ")
            };
            let ours = format!("add dev t1 parent 1: protocol ip prio {prio} basic {m}{tail}");
            our_filter(&h, &ours).with_context(|| ours.clone())?;
        }
        let names = common::names(&h)?;
        let one = TcHandle::new(1, 0);
        let mut listed = Vec::new();
        for dev in ["t0", "t1"] {
            let entries = h.filter_entries(dev, one)?;
            let ours: String = entries
                .iter()
                .map(|e| filter::text(e, &names, Some(one), false) + "\n")
                .collect();
            let theirs = ns.cmd("tc", ["filter", "show", "dev", dev, "parent", "1:"])?;
            ensure!(ours == theirs, "{dev}: tc:\n{theirs}\nours:\n{ours}");
            listed.push(theirs);
        }
        ensure!(
            without_action_index(&listed[0]) == without_action_index(&listed[1]),
            "tc's:\n{}\nours:\n{}",
            listed[0],
            listed[1]
        );
        for want in [
            "cmp(u8 at 9 layer 1 eq 6)",
            "AND NOT u32(00001f90/0000ffff at nexthdr+0)",
            "OR cmp(",
        ] {
            ensure!(listed[0].contains(want), "{want}: {}", listed[0]);
        }
        Ok(())
    });
}

#[test]
fn gred_both_ways_like_tc() {
    in_netns("tc_cli_gred", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "t0", "type", "veth", "peer", "name", "t1"])?;
        // The table's own flags, alone (the kernel takes a queue's flags
        // only where the table has none).
        qdisc_both_ways(ns, &h, "gred setup vqs 2 default 0 ecn harddrop")?;
        let setup = "gred setup vqs 4 default 1 grio limit 100kb";
        qdisc_both_ways(ns, &h, setup)?;
        // Each virtual queue changed on its own, by each tool on its device.
        for vq in [
            "DP 0 limit 60kb min 15kb max 45kb avpkt 1000 burst 20 bandwidth 10mbit probability 0.02 prio 2 ecn",
            "vq 1 limit 120kb min 20kb max 60kb avpkt 1500 prio 3 harddrop",
            "DP 3 limit 30kb min 5kb max 15kb avpkt 500 bandwidth 100mbit probability 0.1",
        ] {
            let tc = format!("qdisc change dev t0 root handle 1: gred {vq}");
            ns.cmd("tc", tc.split(' ')).with_context(|| tc.clone())?;
            let ours = format!("change dev t1 root handle 1: gred {vq}");
            qdisc::run(&h, &Opts::default(), words(&ours), &mut Vec::new())
                .with_context(|| ours.clone())?;
            same_root_qdiscs(ns, &h, vq)?;
        }
        // The table's limit caps a queue's (vq 1 asked for 120kb).
        let text = ns.cmd("tc", ["qdisc", "show", "dev", "t1"])?;
        ensure!(
            text.contains("vqs 4 default 1 grio limit 100Kb ")
                && text.contains("vq 1 prio 3 limit 100Kb min 20Kb max 60Kb harddrop"),
            "{text}"
        );
        Ok(())
    });
}
