//! Traffic control chains and the further qdisc, filter and action kinds,
//! each in a private namespace, compared with iproute2's `tc` both ways:
//! written by the library and read by `tc -j`, written by `tc` and read
//! by the library; the tools' `tc chain|qdisc show` text and JSON against
//! tc's. Kinds this kernel lacks skip here with the kernel's reason and
//! run strictly in the VM tier (its init loads their modules).

use anyhow::{Context, Result, ensure};
use netlink::nl_route::tc::{
    Chain, Filter, FilterKind, Flower, Protocol, Qdisc, QdiscKind, TcHandle, U32, U32Key, U32Sel,
};
use netlink::{ErrorKind, Handle, Link, LinkKind};
use netlink_tests::{Netns, in_netns, skip};
use nl_tools::args::Args;
use nl_tools::tc::{Opts, chain, common, qdisc};
use serde_json::Value;

fn veth(h: &Handle, name: &str, peer: &str) -> Result<u32> {
    h.link_add(&Link::new(name).kind(LinkKind::veth(peer)))?;
    h.link_set_up(name)?;
    h.link_set_up(peer)?;
    Ok(h.link_index(name)?)
}

/// Runs a facade call; a kind the kernel lacks becomes a skip. Only the
/// kernel's "no such kind" answers count.
fn need_kind<T>(r: netlink::Result<T>, kind: &str) -> Result<T> {
    const MISSING: [&str; 4] = [
        "Specified qdisc kind is unknown",
        "TC classifier not found",
        "Failed to load TC action module",
        "Chain templates are not supported",
    ];
    match r {
        Err(e)
            if e.message()
                .is_some_and(|m| MISSING.iter().any(|x| m.contains(x))) =>
        {
            Err(skip(format!("kernel lacks tc {kind}: {e}")))
        }
        r => Ok(r?),
    }
}

fn tc_json(ns: &Netns, args: &[&str]) -> Result<Value> {
    let mut all = vec!["-j"];
    all.extend_from_slice(args);
    let out = ns.cmd("tc", &all)?;
    serde_json::from_str(&out).with_context(|| format!("tc -j {args:?}: {out}"))
}

/// `tc chain show dev DEV ingress` of tc and of the tools (text, then
/// JSON), which must be the same.
fn same_chain_show(ns: &Netns, h: &Handle, dev: &str, parent: TcHandle) -> Result<()> {
    let names = common::names(h)?;
    let list = h.chain_list(dev, parent)?;
    let text: String = list
        .iter()
        .map(|c| chain::text(c, &names, Some(parent), None) + "\n")
        .collect();
    let where_ = match parent {
        TcHandle::INGRESS_FILTERS => "ingress".to_string(),
        TcHandle::EGRESS_FILTERS => "egress".to_string(),
        p => format!("parent {p}"),
    };
    let mut args = vec!["chain", "show", "dev", dev];
    args.extend(where_.split(' '));
    let theirs = ns.cmd("tc", &args)?;
    ensure!(text == theirs, "{args:?}\ntc:\n{theirs}\nours:\n{text}");
    let ours: Vec<Value> = list
        .iter()
        .map(|c| chain::json(c, &names, Some(parent), None))
        .collect();
    let theirs = tc_json(ns, &args)?;
    ensure!(
        Value::Array(ours.clone()) == theirs,
        "tc {theirs}\nours {ours:?}"
    );
    Ok(())
}

fn chain_numbers(v: &Value) -> Vec<u64> {
    let mut n: Vec<u64> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["chain"].as_u64())
        .collect();
    n.sort_unstable();
    n
}

#[test]
fn chains_both_ways() {
    in_netns("tc_kinds_chains", |ns| {
        let h = Handle::new()?;
        let dev = veth(&h, "ch0", "ch1")?;
        h.qdisc_add(&Qdisc::clsact(dev))?;
        let ingress = TcHandle::INGRESS_FILTERS;

        // Ours, read by tc.
        h.chain_add(&Chain::new(dev, ingress, 5))?;
        let err = h.chain_add(&Chain::new(dev, ingress, 5)).unwrap_err();
        ensure!(err.kind() == ErrorKind::Exists, "{err:?}");
        let theirs = tc_json(ns, &["chain", "show", "dev", "ch0", "ingress"])?;
        // Chain 0 is listed only once it holds filters.
        ensure!(chain_numbers(&theirs) == [5], "{theirs}");

        // tc's, read by us: an explicit chain and one a filter made.
        ns.cmd(
            "tc",
            ["chain", "add", "dev", "ch0", "ingress", "chain", "7"],
        )?;
        ns.cmd(
            "tc",
            [
                "filter", "add", "dev", "ch0", "ingress", "chain", "3", "protocol", "ip", "pref",
                "1", "u32", "match", "u32", "0", "0",
            ],
        )?;
        let ours = h.chain_list("ch0", ingress)?;
        let mut numbers: Vec<u32> = ours.iter().map(|c| c.chain).collect();
        numbers.sort_unstable();
        ensure!(numbers == [3, 5, 7], "{ours:?}");
        for c in &ours {
            ensure!(c.index == dev && c.template.is_none(), "{c:?}");
            // The kernel names the qdisc, not its ingress hook.
            ensure!(c.parent == TcHandle::new(0xffff, 0), "{c:?}");
        }
        let egress = h.chain_list("ch0", TcHandle::EGRESS_FILTERS)?;
        ensure!(egress.is_empty(), "{egress:?}");
        same_chain_show(ns, &h, "ch0", ingress)?;

        // A filter's chain both ways: tc's chain 3 read by us, ours in
        // chain 4 read by tc.
        let filters = h.filter_list("ch0", ingress)?;
        ensure!(filters.iter().any(|f| f.chain == Some(3)), "{filters:?}");
        let u32 = U32 {
            sel: Some(U32Sel::matching(vec![U32Key::ip_dst(
                "192.0.2.0/24".parse()?,
            )])),
            ..U32::default()
        };
        let mut f = Filter::new(dev, ingress, Protocol::IP, FilterKind::U32(u32)).priority(2);
        f.chain = Some(4);
        h.filter_add(&f)?;
        let theirs = tc_json(
            ns,
            &["filter", "show", "dev", "ch0", "ingress", "chain", "4"],
        )?;
        ensure!(
            theirs
                .as_array()
                .is_some_and(|a| !a.is_empty() && a.iter().all(|f| f["pref"] == 2)),
            "{theirs}"
        );

        // Deleting a chain deletes its filters; tc's delete is seen by us.
        h.chain_del(&Chain::new(dev, ingress, 3))?;
        let theirs = tc_json(
            ns,
            &["filter", "show", "dev", "ch0", "ingress", "chain", "3"],
        )?;
        ensure!(theirs.as_array().is_some_and(Vec::is_empty), "{theirs}");
        ns.cmd(
            "tc",
            ["chain", "del", "dev", "ch0", "ingress", "chain", "7"],
        )?;
        let left: Vec<u32> = h
            .chain_list("ch0", ingress)?
            .iter()
            .map(|c| c.chain)
            .collect();
        ensure!(
            !left.contains(&7) && !left.contains(&3) && left.contains(&5),
            "{left:?}"
        );
        same_chain_show(ns, &h, "ch0", ingress)?;
        let err = h.chain_del(&Chain::new(dev, ingress, 99)).unwrap_err();
        ensure!(
            err.kind() == ErrorKind::Invalid || err.kind() == ErrorKind::NotFound,
            "{err:?}"
        );
        Ok(())
    });
}

#[test]
fn chains_through_the_tools() {
    in_netns("tc_kinds_chain_cli", |ns| {
        let h = Handle::new()?;
        veth(&h, "cc0", "cc1")?;
        ns.cmd("tc", ["qdisc", "add", "dev", "cc0", "clsact"])?;
        let run = |cmd: &str| chain::run(&h, &Opts::default(), Args::split(cmd), &mut Vec::new());
        run("add dev cc0 egress chain 9")?;
        run("add dev cc0 egress chain 10")?;
        let theirs = tc_json(ns, &["chain", "show", "dev", "cc0", "egress"])?;
        ensure!(chain_numbers(&theirs) == [9, 10], "{theirs}");
        run("del dev cc0 egress chain 9")?;
        same_chain_show(ns, &h, "cc0", TcHandle::EGRESS_FILTERS)?;
        // `show` through the tools' whole command line.
        let mut out = Vec::new();
        chain::run(
            &h,
            &Opts::default(),
            Args::split("show dev cc0 egress"),
            &mut out,
        )?;
        let theirs = ns.cmd("tc", ["chain", "show", "dev", "cc0", "egress"])?;
        ensure!(String::from_utf8(out)? == theirs, "{theirs}");
        Ok(())
    });
}

#[test]
fn chain_template_flower() {
    in_netns("tc_kinds_chain_template", |ns| {
        let h = Handle::new()?;
        let dev = veth(&h, "ct0", "ct1")?;
        h.qdisc_add(&Qdisc::clsact(dev))?;
        let ingress = TcHandle::INGRESS_FILTERS;
        // The template's keys: dst_ip with a /16 mask.
        let tmpl = Flower {
            ipv4_dst: Some("0.0.0.0".parse()?),
            ipv4_dst_mask: Some("255.255.0.0".parse()?),
            ..Flower::default()
        };
        let c =
            Chain::new(dev, ingress, 2).template(Protocol::IP, FilterKind::Flower(Box::new(tmpl)));
        need_kind(h.chain_add(&c), "flower (chain templates)")?;
        let theirs = tc_json(ns, &["chain", "show", "dev", "ct0", "ingress"])?;
        let two = theirs
            .as_array()
            .and_then(|a| a.iter().find(|c| c["chain"] == 2))
            .with_context(|| format!("{theirs}"))?;
        ensure!(two["kind"] == "flower", "{two}");
        ns.cmd(
            "tc",
            [
                "chain",
                "add",
                "dev",
                "ct0",
                "ingress",
                "chain",
                "6",
                "protocol",
                "ip",
                "flower",
                "src_ip",
                "192.0.2.0/24",
            ],
        )?;
        let ours = h.chain_list("ct0", ingress)?;
        let six = ours
            .iter()
            .find(|c| c.chain == 6)
            .with_context(|| format!("{ours:?}"))?;
        let Some(FilterKind::Flower(f)) = &six.template else {
            anyhow::bail!("{six:?}");
        };
        ensure!(
            f.ipv4_src == Some("192.0.2.0".parse()?)
                && f.ipv4_src_mask == Some("255.255.255.0".parse()?),
            "{f:?}"
        );
        let two = ours.iter().find(|c| c.chain == 2).context("chain 2")?;
        ensure!(
            matches!(&two.template, Some(FilterKind::Flower(f))
                if f.ipv4_dst_mask == Some([255, 255, 0, 0].into())),
            "{two:?}"
        );
        // The tools read tc's grammar for a template and print every
        // template's keys as tc does (text and JSON).
        let line = "add dev ct0 ingress chain 8 protocol ip flower \
                    dst_ip 198.51.100.0/24 ip_proto tcp";
        chain::run(&h, &Opts::default(), Args::split(line), &mut Vec::new())?;
        same_chain_show(ns, &h, "ct0", ingress)?;
        let theirs = tc_json(ns, &["chain", "show", "dev", "ct0", "ingress"])?;
        ensure!(chain_numbers(&theirs) == [2, 6, 8], "{theirs}");
        let text = ns.cmd("tc", ["chain", "show", "dev", "ct0", "ingress"])?;
        ensure!(
            text.contains("dst_ip 198.51.100.0/24") && text.contains("src_ip 192.0.2.0/24"),
            "{text}"
        );
        Ok(())
    });
}

/// Two veths with 4 transmit queues each (multiq needs several): `a` for
/// the library, `b` for tc.
fn two_devices(ns: &Netns, a: &str, b: &str) -> Result<()> {
    for dev in [a, b] {
        let peer = format!("{dev}p");
        ns.cmd(
            "ip",
            [
                "link",
                "add",
                dev,
                "numtxqueues",
                "4",
                "type",
                "veth",
                "peer",
                &peer,
                "numtxqueues",
                "4",
            ],
        )?;
    }
    // Left down: no IPv6 chatter through the qdiscs, whose counters (htb's
    // direct packets) would then differ between the two.
    Ok(())
}

/// The qdisc `handle` on `dev`, as the library reads it.
fn find_qdisc(h: &Handle, dev: &str, handle: TcHandle) -> Result<Qdisc> {
    let all = h.qdisc_list(dev)?;
    all.iter()
        .find(|q| q.handle == handle)
        .cloned()
        .with_context(|| format!("qdisc {handle} on {dev}: {all:?}"))
}

/// `tc qdisc show dev DEV`'s line (and JSON object) of handle 1:.
fn tc_root_qdisc(ns: &Netns, dev: &str, json: bool) -> Result<(String, Value)> {
    let text = ns.cmd("tc", ["qdisc", "show", "dev", dev])?;
    // The qdisc's line and the lines tc continues it with (mqprio's
    // queues, taprio's schedule), up to the next qdisc.
    let mut lines = text
        .lines()
        .skip_while(|l| l.split(' ').nth(2) != Some("1:"));
    let first = lines
        .next()
        .with_context(|| format!("no qdisc 1: on {dev}: {text}"))?;
    let mut block = format!("{first}\n");
    for l in lines.take_while(|l| !l.starts_with("qdisc ")) {
        block.push_str(l);
        block.push('\n');
    }
    if !json {
        // tc prints some kinds with a bare fprintf: its -j is not JSON.
        return Ok((block, Value::Null));
    }
    let all = tc_json(ns, &["qdisc", "show", "dev", dev])?;
    let obj = all
        .as_array()
        .and_then(|a| a.iter().find(|q| q["handle"] == "1:"))
        .cloned()
        .with_context(|| format!("no qdisc 1: on {dev}: {all}"))?;
    Ok((block, obj))
}

/// `tc qdisc add dev X root handle 1: WORDS` both ways: the tools' words
/// through the library on `ka0`, the same words through tc on `kb0`. The
/// library must read both the same (the kernel took ours as it took
/// tc's), and print both as tc does: text, and JSON unless `json` is
/// false (kinds tc prints with a bare fprintf, whose -j output is not
/// JSON). Returns the qdisc read back from tc's device.
fn qdisc_both_ways(ns: &Netns, h: &Handle, what: &str, words: &str, json: bool) -> Result<Qdisc> {
    let (a, b) = ("ka0", "kb0");
    if h.link_index(a).is_err() {
        two_devices(ns, a, b)?;
    }
    // A root of another kind with the same handle cannot be replaced (the
    // kernel would change it: "Invalid qdisc name"): start afresh.
    for dev in [a, b] {
        if find_qdisc(h, dev, TcHandle::new(1, 0)).is_ok() {
            ns.cmd("tc", ["qdisc", "del", "dev", dev, "root"])?;
        }
    }
    let line = format!("dev {a} root handle 1: {words}");
    let ours = qdisc::parse(h, Args::split(&line))?;
    need_kind(h.qdisc_add(&ours), what)?;
    let mut tc_args = vec!["qdisc", "add", "dev", b, "root", "handle", "1:"];
    tc_args.extend(words.split_whitespace());
    ns.cmd("tc", &tc_args)?;
    let (qa, qb) = (
        find_qdisc(h, a, TcHandle::new(1, 0))?,
        find_qdisc(h, b, TcHandle::new(1, 0))?,
    );
    ensure!(
        qa.kind == qb.kind,
        "{what}: ours {:?}\ntc's {:?}",
        qa.kind,
        qb.kind
    );
    let names = common::names(h)?;
    for (dev, q) in [(a, &qa), (b, &qb)] {
        let (text, obj) = tc_root_qdisc(ns, dev, json)?;
        let mine = qdisc::text(q, &names, false, false) + "\n";
        ensure!(mine == text, "{what} on {dev}\ntc:   {text}ours: {mine}");
        if json {
            let mine = qdisc::json(q, &names, false, false);
            ensure!(mine == obj, "{what} on {dev}\ntc:   {obj}\nours: {mine}");
        }
    }
    Ok(qb)
}

#[test]
fn pie_both_ways() {
    in_netns("tc_kinds_pie", |ns| {
        let h = Handle::new()?;
        let q = qdisc_both_ways(
            ns,
            &h,
            "pie",
            "pie limit 100 target 20ms tupdate 40ms alpha 2 beta 20 ecn dq_rate_estimator",
            true,
        )?;
        let QdiscKind::Pie(p) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        ensure!(
            (p.limit, p.target, p.tupdate, p.alpha, p.beta, p.ecn)
                == (
                    Some(100),
                    Some(20_000),
                    // Kept in jiffies: 40 ms reads back exactly at any HZ.
                    Some(40_000),
                    Some(2),
                    Some(20),
                    Some(true)
                ),
            "{p:?}"
        );
        qdisc_both_ways(ns, &h, "pie", "pie limit 5000 bytemode noecn", true)?;
        Ok(())
    });
}

#[test]
fn fq_pie_both_ways() {
    in_netns("tc_kinds_fq_pie", |ns| {
        let h = Handle::new()?;
        let q = qdisc_both_ways(
            ns,
            &h,
            "fq_pie",
            "fq_pie limit 1000 flows 512 target 15ms tupdate 30ms alpha 2 beta 20 quantum 1514 \
             memory_limit 32Mb ecn_prob 10 ecn",
            true,
        )?;
        let QdiscKind::FqPie(p) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        ensure!(
            (p.limit, p.flows, p.quantum, p.memory_limit, p.ecn_prob)
                == (Some(1000), Some(512), Some(1514), Some(32 << 20), Some(10)),
            "{p:?}"
        );
        Ok(())
    });
}

#[test]
fn hhf_both_ways() {
    in_netns("tc_kinds_hhf", |ns| {
        let h = Handle::new()?;
        let q = qdisc_both_ways(
            ns,
            &h,
            "hhf",
            "hhf limit 1000 quantum 1514 hh_limit 2048 reset_timeout 40ms admit_bytes 131072 \
             evict_timeout 1s non_hh_weight 2",
            true,
        )?;
        let QdiscKind::Hhf(o) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        ensure!(
            (o.backlog_limit, o.reset_timeout, o.evict_timeout)
                == (Some(1000), Some(40_000), Some(1_000_000)),
            "{o:?}"
        );
        Ok(())
    });
}

#[test]
fn small_qdiscs_both_ways() {
    in_netns("tc_kinds_small", |ns| {
        let h = Handle::new()?;
        let q = qdisc_both_ways(ns, &h, "skbprio", "skbprio limit 50", true)?;
        ensure!(
            q.kind == QdiscKind::Skbprio(netlink::nl_route::tc::Skbprio { limit: Some(50) }),
            "{q:?}"
        );
        // multiq makes a band per transmit queue (4 here).
        let q = qdisc_both_ways(ns, &h, "multiq", "multiq", false)?;
        ensure!(
            matches!(q.kind, QdiscKind::Multiq(m) if m.bands == 4),
            "{q:?}"
        );
        let q = qdisc_both_ways(ns, &h, "drr", "drr", true)?;
        ensure!(q.kind == QdiscKind::Drr, "{q:?}");
        let q = qdisc_both_ways(ns, &h, "qfq", "qfq", true)?;
        ensure!(q.kind == QdiscKind::Qfq, "{q:?}");
        // plug's options are not dumped: only that it is there.
        let q = qdisc_both_ways(ns, &h, "plug", "plug limit 10000", true)?;
        ensure!(matches!(q.kind, QdiscKind::Plug(_)), "{q:?}");
        Ok(())
    });
}

#[test]
fn cake_both_ways() {
    in_netns("tc_kinds_cake", |ns| {
        let h = Handle::new()?;
        let q = qdisc_both_ways(
            ns,
            &h,
            "cake",
            "cake bandwidth 100mbit diffserv4 triple-isolate nat wash ingress ack-filter \
             split-gso rtt 50ms overhead 18 mpu 64 memlimit 4Mb fwmark 0xff atm",
            true,
        )?;
        let QdiscKind::Cake(c) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        ensure!(
            (c.base_rate, c.rtt, c.overhead, c.mpu, c.fwmark, c.memory)
                == (
                    Some(12_500_000),
                    Some(50_000),
                    Some(18),
                    Some(64),
                    Some(0xff),
                    Some(4 << 20)
                ),
            "{c:?}"
        );
        qdisc_both_ways(
            ns,
            &h,
            "cake",
            "cake unlimited besteffort flows nonat nowash no-split-gso egress no-ack-filter \
             internet raw",
            true,
        )?;
        qdisc_both_ways(ns, &h, "cake", "cake", true)?;
        Ok(())
    });
}

#[test]
fn mqprio_both_ways() {
    in_netns("tc_kinds_mqprio", |ns| {
        let h = Handle::new()?;
        let q = qdisc_both_ways(
            ns,
            &h,
            "mqprio",
            "mqprio num_tc 2 map 0 0 0 0 1 1 1 1 queues 2@0 2@2 hw 0",
            true,
        )?;
        let QdiscKind::Mqprio(m) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        ensure!(
            m.num_tc == 2 && m.queues == [(2, 0), (2, 2)] && m.map[4] == 1,
            "{m:?}"
        );
        Ok(())
    });
}

#[test]
fn taprio_both_ways() {
    in_netns("tc_kinds_taprio", |ns| {
        let h = Handle::new()?;
        let q = qdisc_both_ways(
            ns,
            &h,
            "taprio",
            "taprio num_tc 2 map 0 0 0 0 1 1 1 1 queues 2@0 2@2 base-time 1000000000 \
             sched-entry S 01 300000 sched-entry S 02 200000 clockid CLOCK_TAI",
            true,
        )?;
        let QdiscKind::Taprio(t) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        let gates: Vec<(u32, u32)> = t
            .sched
            .entries
            .iter()
            .map(|e| (e.gate_mask, e.interval))
            .collect();
        ensure!(
            t.num_tc == 2
                && gates == [(1, 300_000), (2, 200_000)]
                && t.sched.cycle_time == Some(500_000),
            "{t:?}"
        );
        Ok(())
    });
}

#[test]
fn ets_both_ways() {
    in_netns("tc_kinds_ets", |ns| {
        let h = Handle::new()?;
        let q = qdisc_both_ways(
            ns,
            &h,
            "ets",
            "ets bands 4 strict 1 quanta 1500 2500 3500 priomap 0 1 2 3",
            true,
        )?;
        let QdiscKind::Ets(e) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        ensure!(
            (e.nbands, e.nstrict, e.quanta.as_slice()) == (4, Some(1), &[1500, 2500, 3500][..])
                && e.priomap.len() == 16
                && e.priomap.starts_with(&[0, 1, 2, 3]),
            "{e:?}"
        );
        qdisc_both_ways(ns, &h, "ets", "ets quanta 1000 2000", true)?;
        Ok(())
    });
}

#[test]
fn cbs_and_etf_both_ways() {
    in_netns("tc_kinds_cbs_etf", |ns| {
        let h = Handle::new()?;
        let q = qdisc_both_ways(
            ns,
            &h,
            "cbs",
            "cbs hicredit 30 locredit -1470 sendslope -980000 idleslope 20000",
            true,
        )?;
        let QdiscKind::Cbs(c) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        ensure!(
            (c.hicredit, c.locredit, c.sendslope, c.idleslope, c.offload)
                == (30, -1470, -980_000, 20_000, false),
            "{c:?}"
        );
        let q = qdisc_both_ways(
            ns,
            &h,
            "etf",
            "etf clockid CLOCK_TAI delta 300000 deadline_mode skip_sock_check",
            true,
        )?;
        let QdiscKind::Etf(e) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        ensure!(
            e.clockid == netlink::nl_route::tc::ClockId::Tai && e.delta == 300_000 && e.flags == 5,
            "{e:?}"
        );
        Ok(())
    });
}

#[test]
fn choke_and_sfb_both_ways() {
    in_netns("tc_kinds_choke_sfb", |ns| {
        let h = Handle::new()?;
        let q = qdisc_both_ways(
            ns,
            &h,
            "choke",
            "choke limit 1000 bandwidth 10mbit min 100 max 300 avpkt 1000 burst 200",
            true,
        )?;
        let QdiscKind::Choke(r) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        ensure!((r.limit, r.min, r.max) == (1000, 100, 300), "{r:?}");
        qdisc_both_ways(
            ns,
            &h,
            "choke",
            "choke limit 1000 bandwidth 10mbit ecn probability 0.05",
            true,
        )?;
        let q = qdisc_both_ways(
            ns,
            &h,
            "sfb",
            "sfb limit 100 max 30 target 24 penalty_rate 5 increment 0.001 rehash 1000 db 100",
            true,
        )?;
        let QdiscKind::Sfb(b) = q.kind else {
            anyhow::bail!("{q:?}")
        };
        ensure!(
            (
                b.limit,
                b.max,
                b.bin_size,
                b.penalty_rate,
                b.rehash_interval,
                b.warmup_time
            ) == (100, 30, 24, 5, 1000, 100),
            "{b:?}"
        );
        qdisc_both_ways(ns, &h, "sfb", "sfb", true)?;
        Ok(())
    });
}

/// What `tc monitor file` prints for a message the library wrote, as the
/// kernel would report it (flags cleared, so no "added" prefix): tc's
/// printer on any host, whatever kinds its kernel has.
fn tc_prints(ns: &Netns, name: &str, mut msg: Vec<u8>) -> Result<String> {
    if let Some(flags) = msg.get_mut(6..8) {
        flags.copy_from_slice(&[0, 0]);
    }
    let path = std::env::temp_dir().join(format!("nl-tc-kinds-{}-{name}", std::process::id()));
    std::fs::write(&path, &msg)?;
    let out = ns.cmd(
        "tc",
        ["monitor", "file", path.to_str().context("temp path")?],
    );
    std::fs::remove_file(&path)?;
    out
}

/// Each kind as the kernel dumps it (every option set), printed by the
/// tools and by tc's own printer from the same bytes.
#[test]
fn qdisc_text_like_tc_printer() {
    use netlink::nl_route::tc::units::Rate;
    use netlink::nl_route::tc::{
        Cake, CakeAckFilter, CakeAtm, CakeDiffserv, CakeFlowMode, Cbs, ClockId, Etf, FqPie, Hhf,
        Multiq, Pie, Sfb, Skbprio, choke,
    };
    in_netns("tc_kinds_printer", |ns| {
        let h = Handle::new()?;
        let dev = veth(&h, "pr0", "pr1")?;
        let pie = Pie {
            limit: Some(1000),
            tupdate: Some(15_000),
            target: Some(15_000),
            alpha: Some(2),
            beta: Some(20),
            ecn: Some(true),
            bytemode: Some(false),
            dq_rate_estimator: Some(true),
        };
        let fq_pie = FqPie {
            limit: Some(10240),
            flows: Some(1024),
            target: Some(15_000),
            tupdate: Some(15_000),
            alpha: Some(2),
            beta: Some(20),
            quantum: Some(1514),
            memory_limit: Some(32 << 20),
            ecn_prob: Some(10),
            ecn: Some(false),
            bytemode: Some(true),
            dq_rate_estimator: Some(false),
        };
        let hhf = Hhf {
            backlog_limit: Some(1000),
            quantum: Some(1514),
            hh_flows_limit: Some(2048),
            reset_timeout: Some(40_000),
            admit_bytes: Some(131_072),
            evict_timeout: Some(1_000_000),
            non_hh_weight: Some(2),
        };
        let mut red = choke(1000, Some(100), Some(300), None, 1000, Rate::mbit(10), 0.02)?;
        red.flags = 1;
        // As the kernel dumps cake: every option.
        let cake = Cake {
            base_rate: Some(12_500_000),
            diffserv_mode: Some(CakeDiffserv::Diffserv4),
            flow_mode: Some(CakeFlowMode::Triple),
            wash: Some(true),
            overhead: Some(18),
            atm: Some(CakeAtm::Ptm),
            mpu: Some(64),
            rtt: Some(50_000),
            nat: Some(true),
            autorate: Some(false),
            memory: Some(4 << 20),
            ingress: Some(true),
            ack_filter: Some(CakeAckFilter::Aggressive),
            split_gso: Some(true),
            fwmark: Some(0xff),
            ..Cake::default()
        };
        let raw = Cake {
            base_rate: Some(0),
            diffserv_mode: Some(CakeDiffserv::Besteffort),
            flow_mode: Some(CakeFlowMode::Flows),
            wash: Some(false),
            overhead: Some(0),
            atm: Some(CakeAtm::None),
            mpu: Some(0),
            rtt: Some(100_000),
            nat: Some(false),
            autorate: Some(true),
            memory: Some(0),
            ingress: Some(false),
            ack_filter: Some(CakeAckFilter::None),
            split_gso: Some(false),
            fwmark: Some(0),
            raw: true,
            ..Cake::default()
        };
        // As the kernel dumps ets: the quanta of the shared bands, all 16
        // priorities.
        let ets = netlink::nl_route::tc::Ets {
            nbands: 4,
            nstrict: Some(1),
            quanta: vec![1500, 2500, 3500],
            priomap: vec![0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
        };
        let mut map = [0; 16];
        map[4..8].copy_from_slice(&[1, 1, 1, 1]);
        let mqprio = netlink::nl_route::tc::Mqprio {
            num_tc: 2,
            map,
            hw: 0,
            queues: vec![(2, 0), (2, 2)],
            ..Default::default()
        };
        let channel = netlink::nl_route::tc::Mqprio {
            hw: 1,
            mode: Some(netlink::nl_route::tc::TC_MQPRIO_MODE_CHANNEL),
            shaper: Some(netlink::nl_route::tc::TC_MQPRIO_SHAPER_BW_RATE),
            min_rates: vec![125_000, 250_000],
            max_rates: vec![1_250_000, 2_500_000],
            ..mqprio.clone()
        };
        // As the kernel dumps taprio: indexes, the cycle time, the clock.
        use netlink::nl_route::tc::{ClockId as Clock, Taprio, TaprioEntry, TaprioSched};
        let entry = |index, gate_mask, interval| TaprioEntry {
            index: Some(index),
            cmd: 0,
            gate_mask,
            interval,
        };
        let taprio = Taprio {
            num_tc: 2,
            map,
            queues: vec![(2, 0), (2, 2)],
            clockid: Some(Clock::Tai),
            flags: Some(0),
            txtime_delay: None,
            sched: TaprioSched {
                base_time: Some(1_000_000_000),
                cycle_time: Some(500_000),
                cycle_time_extension: Some(0),
                entries: vec![entry(0, 1, 300_000), entry(1, 2, 200_000)],
            },
            admin: None,
        };
        let kinds = vec![
            QdiscKind::Taprio(taprio),
            QdiscKind::Mqprio(mqprio),
            QdiscKind::Mqprio(channel),
            QdiscKind::Ets(ets),
            QdiscKind::Cake(cake),
            QdiscKind::Cake(raw),
            QdiscKind::Pie(pie),
            QdiscKind::FqPie(fq_pie),
            QdiscKind::Hhf(hhf),
            QdiscKind::Skbprio(Skbprio { limit: Some(64) }),
            QdiscKind::Multiq(Multiq {
                bands: 4,
                max_bands: 4,
            }),
            QdiscKind::Drr,
            QdiscKind::Qfq,
            QdiscKind::Cbs(Cbs {
                hicredit: 30,
                locredit: -1470,
                idleslope: 20_000,
                sendslope: -980_000,
                offload: true,
            }),
            QdiscKind::Etf(Etf {
                clockid: ClockId::Tai,
                delta: 300_000,
                flags: 3,
            }),
            QdiscKind::Choke(red),
            QdiscKind::Sfb(Sfb {
                limit: 1000,
                ..Sfb::default()
            }),
        ];
        let names = common::names(&h)?;
        for kind in kinds {
            let q = Qdisc::new(dev, TcHandle::ROOT, kind).handle(TcHandle::new(1, 0));
            let mut buf = Vec::new();
            q.write_add(&mut buf)?;
            let theirs = tc_prints(ns, q.kind.name(), buf.clone())?;
            let back = Qdisc::parse(&netlink::nl_wire::Msg::parse(&buf)?.0)?;
            let ours = qdisc::text(&back, &names, true, false) + "\n";
            ensure!(
                ours == theirs,
                "{}\ntc:   {theirs}ours: {ours}",
                q.kind.name()
            );
        }
        Ok(())
    });
}

/// Each new action kind written by the library, printed by the tools and
/// by tc's own printer from the same bytes.
#[test]
fn action_text_like_tc_printer() {
    use nl_tools::tc::action;
    in_netns("tc_kinds_action_printer", |ns| {
        let h = Handle::new()?;
        let names = common::names(&h)?;
        for words in [
            "connmark zone 5 pipe index 3",
            "connmark index 4",
            "nat ingress 192.0.2.0/24 198.51.100.1 index 4",
            "nat egress 203.0.113.7 198.51.100.9 drop index 5",
            "sample rate 100 group 5 trunc 128 index 6",
            "sample rate 10 group 1 index 7",
            "simple sdata hello index 7",
            "skbmod set dmac 02:00:00:00:00:01 set smac 02:00:00:00:00:02 set etype 0x0800 index 8",
            "skbmod swap mac index 9",
            "mpls push protocol mpls_uc label 100 tc 3 ttl 64 bos 1 index 10",
            "mpls pop protocol ip index 11",
            "mpls modify label 200 index 12",
            "mpls dec_ttl pass index 13",
            "ctinfo dscp 0xfc000000 0x01000000 cpmark 0x00ff zone 2 index 14",
            "ctinfo cpmark index 15",
            // Extended pedit only in the kernel's form (tc cannot print its
            // own request's flagged nests): in actions_both_ways.
            "pedit munge offset 8 u8 set 64 index 6",
            "ife encode allow mark dst 02:00:00:00:00:01 type 0xED3E index 5",
            "ife encode use mark 7 use prio 3 allow tcindex src 02:00:00:00:00:02 index 6",
            "ife decode index 7",
            "gate clockid CLOCK_TAI base-time 1000000000 sched-entry open 200000000 -1 -1 sched-entry close 100000000 -1 -1 index 3",
            "gate priority 1 sched-entry open 200ms 2 8000 index 4",
            "pedit munge ip ttl set 10 munge ip dst set 198.51.100.1 pipe index 8",
        ] {
            let line = format!("action {words}");
            let list = action::parse_list(&h, &mut Args::split(&line))?;
            let mut buf = Vec::new();
            netlink::nl_route::tc::Action::write_add(&list, &mut buf)?;
            let theirs = tc_prints(ns, "action", buf.clone())?;
            let back =
                netlink::nl_route::tc::Action::parse_msg(&netlink::nl_wire::Msg::parse(&buf)?.0)?;
            let ours: String = back
                .iter()
                .enumerate()
                .map(|(i, a)| action::text(a, i + 1, &names, false, false) + "\n")
                .collect();
            let ours = format!("total acts 0\n\n{ours}");
            ensure!(ours == theirs, "{words}\ntc:\n{theirs}ours:\n{ours}");
        }
        Ok(())
    });
}

/// Every key tc prints that the tools print too must hold the same value.
fn same_keys(what: &str, theirs: &Value, ours: &Value) -> Result<()> {
    let (Some(t), Some(o)) = (theirs.as_object(), ours.as_object()) else {
        anyhow::bail!("{what}: not objects: tc {theirs}, ours {ours}");
    };
    for (k, v) in o {
        ensure!(
            t.get(k) == Some(v),
            "{what}: {k}: tc {:?}, ours {v}",
            t.get(k)
        );
    }
    Ok(())
}

/// `tc actions add action WORDS` both ways: through the tools' parser and
/// the library at index 1, through tc at index 2; the library must read
/// both the same, and the tools print them as tc does (its text holds
/// ours; every JSON key we print has tc's value).
fn action_both_ways(ns: &Netns, h: &Handle, kind: &str, words: &str, json: bool) -> Result<()> {
    use nl_tools::tc::action;
    let line = format!("action {kind} {words} index 1");
    let ours = action::parse_list(h, &mut Args::split(&line))?;
    need_kind(h.action_add(&ours), kind)?;
    let mut tc_args = vec!["actions", "add", "action", kind];
    tc_args.extend(words.split_whitespace());
    tc_args.extend(["index", "2"]);
    ns.cmd("tc", &tc_args)?;
    let (a, b) = (h.action_get(kind, 1)?, h.action_get(kind, 2)?);
    ensure!(
        (&a.kind, a.verdict) == (&b.kind, b.verdict),
        "{kind} {words}: ours {a:?}\ntc's {b:?}"
    );
    let names = common::names(h)?;
    for (index, act) in [("1", &a), ("2", &b)] {
        let theirs = ns.cmd("tc", ["actions", "get", "action", kind, "index", index])?;
        let mine = action::text(act, 1, &names, false, false);
        ensure!(
            theirs.contains(&mine),
            "{kind} {words}\ntc:\n{theirs}ours:\n{mine}"
        );
        if json {
            let all = tc_json(ns, &["actions", "get", "action", kind, "index", index])?;
            let theirs = all
                .pointer("/1/actions/0")
                .cloned()
                .with_context(|| format!("{all}"))?;
            same_keys(kind, &theirs, &action::json(act, 1, &names, false, false))?;
        }
    }
    ns.cmd("tc", ["actions", "flush", "action", kind])?;
    Ok(())
}

#[test]
fn actions_both_ways() {
    in_netns("tc_kinds_actions", |ns| {
        let h = Handle::new()?;
        action_both_ways(ns, &h, "connmark", "zone 5 pipe", true)?;
        action_both_ways(ns, &h, "nat", "ingress 192.0.2.0/24 198.51.100.1", true)?;
        action_both_ways(ns, &h, "ct", "zone 5", true)?;
        action_both_ways(
            ns,
            &h,
            "ct",
            "commit mark 7/0xff zone 2 nat src addr 192.0.2.1-192.0.2.9 port 1000-2000",
            true,
        )?;
        action_both_ways(ns, &h, "ct", "clear", true)?;
        action_both_ways(
            ns,
            &h,
            "ct",
            "commit force zone 3 nat dst addr 2001:db8::1",
            true,
        )?;
        action_both_ways(ns, &h, "sample", "rate 100 group 5 trunc 128", true)?;
        action_both_ways(ns, &h, "simple", "sdata hello", false)?;
        action_both_ways(
            ns,
            &h,
            "skbmod",
            "set dmac 02:00:00:00:00:01 set smac 02:00:00:00:00:02 set etype 0x0800",
            false,
        )?;
        action_both_ways(ns, &h, "skbmod", "swap mac", false)?;
        action_both_ways(
            ns,
            &h,
            "mpls",
            "push protocol mpls_uc label 100 tc 3 ttl 64 bos 1",
            true,
        )?;
        action_both_ways(ns, &h, "mpls", "pop protocol ip", true)?;
        action_both_ways(ns, &h, "mpls", "dec_ttl", true)?;
        action_both_ways(
            ns,
            &h,
            "pedit",
            "ex munge ip ttl set 10 munge eth dst set 02:00:00:00:00:01 pipe",
            false,
        )?;
        action_both_ways(ns, &h, "pedit", "munge offset 8 u8 set 64", false)?;
        action_both_ways(
            ns,
            &h,
            "gate",
            "clockid CLOCK_TAI base-time 1000000000 sched-entry open 200000000 -1 -1 \
             sched-entry close 100000000 -1 -1",
            false,
        )?;
        action_both_ways(
            ns,
            &h,
            "ife",
            "encode allow mark dst 02:00:00:00:00:01 type 0xED3E",
            false,
        )?;
        action_both_ways(
            ns,
            &h,
            "pedit",
            "ex munge tcp dport set 8080 munge ip src set 192.0.2.1 munge eth src set 02:00:00:00:00:02",
            false,
        )?;
        action_both_ways(
            ns,
            &h,
            "ctinfo",
            "dscp 0xfc000000 0x01000000 cpmark 0x00ff zone 2",
            true,
        )?;
        Ok(())
    });
}

/// `tc filter show dev DEV ingress` of tc and of the tools (text, then
/// JSON), which must be the same.
fn same_filter_show(ns: &Netns, h: &Handle, dev: &str) -> Result<()> {
    use nl_tools::tc::filter;
    let names = common::names(h)?;
    let parent = Some(TcHandle::INGRESS_FILTERS);
    let entries = h.filter_entries(dev, TcHandle::INGRESS_FILTERS)?;
    let text: String = entries
        .iter()
        .map(|e| filter::text(e, &names, parent, false) + "\n")
        .collect();
    let theirs = ns.cmd("tc", ["filter", "show", "dev", dev, "ingress"])?;
    ensure!(text == theirs, "tc:\n{theirs}ours:\n{text}");
    let json: Vec<Value> = entries
        .iter()
        .map(|e| filter::json(e, &names, parent, false))
        .collect();
    let theirs = tc_json(ns, &["filter", "show", "dev", dev, "ingress"])?;
    ensure!(
        Value::Array(json.clone()) == theirs,
        "tc {theirs}\nours {json:?}"
    );
    Ok(())
}

/// Classic BPF bytecode (`bpf bytecode '...'`): ours at pref 1, tc's at
/// pref 2, read back alike and shown alike.
#[test]
fn classic_bpf_both_ways() {
    use netlink::nl_route::tc::{Bpf, ClassicInsn};
    use nl_tools::tc::filter;
    in_netns("tc_kinds_classic_bpf", |ns| {
        let h = Handle::new()?;
        let dev = veth(&h, "cb0", "cb1")?;
        h.qdisc_add(&Qdisc::clsact(dev))?;
        // Accept IPv4 (ethertype at 12 is 0x0800) to class 1:1, drop the rest.
        let code = "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0";
        let words = [
            "dev", "cb0", "ingress", "protocol", "ip", "pref", "1", "bpf", "bytecode", code,
            "classid", "1:1",
        ];
        let (ours, _) = filter::parse(&h, Args::new(words))?;
        h.filter_add(&ours)?;
        let mut theirs = words.to_vec();
        theirs[6] = "2";
        let mut args = vec!["filter", "add"];
        args.extend(theirs);
        ns.cmd("tc", &args)?;
        let list = h.filter_list("cb0", TcHandle::INGRESS_FILTERS)?;
        ensure!(list.len() == 2, "{list:?}");
        let want = vec![
            ClassicInsn {
                code: 40,
                jt: 0,
                jf: 0,
                k: 12,
            },
            ClassicInsn {
                code: 21,
                jt: 0,
                jf: 1,
                k: 2048,
            },
            ClassicInsn {
                code: 6,
                jt: 0,
                jf: 0,
                k: 262_144,
            },
            ClassicInsn {
                code: 6,
                jt: 0,
                jf: 0,
                k: 0,
            },
        ];
        for f in &list {
            let FilterKind::Bpf(Bpf { ops, classid, .. }) = &f.kind else {
                anyhow::bail!("{f:?}");
            };
            ensure!(ops.as_ref() == Some(&want), "{f:?}");
            ensure!(*classid == Some(TcHandle::new(1, 1)), "{f:?}");
        }
        ensure!(list[0].kind == list[1].kind, "{list:?}");
        same_filter_show(ns, &h, "cb0")?;
        Ok(())
    });
}

/// route, cgroup and flow filters as the tools parse them, printed by the
/// tools and by tc's own printer from the same bytes.
#[test]
fn filter_text_like_tc_printer() {
    use nl_tools::tc::filter;
    in_netns("tc_kinds_filter_printer", |ns| {
        let h = Handle::new()?;
        veth(&h, "fp0", "fp1")?;
        let names = common::names(&h)?;
        for words in [
            "route to 10 from 20 classid 1:2",
            "route to 3 fromif fp0 order 2 classid 1:2 action pass",
            "handle 1 cgroup action drop",
            "handle 5 cgroup",
            "handle 7 flow hash keys src,dst,proto-dst divisor 1024 perturb 10 baseclass 1:10",
            "handle 8 flow map key mark and 0xff xor 0x1 rshift 2 addend 3 divisor 16",
            "handle 9 flow map key priority or 0x10 baseclass 1:1 action pass",
        ] {
            let line = format!("dev fp0 parent 1: protocol ip pref 1 {words}");
            let (f, _) = filter::parse(&h, Args::split(&line))?;
            let mut buf = Vec::new();
            f.write_add(&mut buf)?;
            let theirs = tc_prints(ns, "filter", buf.clone())?;
            let back =
                netlink::nl_route::tc::FilterEntry::parse(&netlink::nl_wire::Msg::parse(&buf)?.0)?;
            let ours = filter::text(&back, &names, None, false);
            // tc names the device when no `dev` was asked for.
            let ours = ours.replacen("filter ", "filter dev fp0 ", 1) + "\n";
            ensure!(ours == theirs, "{words}\ntc:\n{theirs}ours:\n{ours}");
        }
        Ok(())
    });
}

/// `tc filter add dev X parent 1: protocol ip pref P WORDS` both ways: the
/// tools and the library on `fa0`, tc on `fb0` (each under an htb root);
/// the library reads both alike and the tools show them as tc does (text:
/// tc prints these kinds with bare fprintf, so its -j output is not JSON).
fn filter_both_ways(ns: &Netns, h: &Handle, kind: &str, words: &str) -> Result<()> {
    use nl_tools::tc::filter;
    let (a, b) = ("fa0", "fb0");
    if h.link_index(a).is_err() {
        two_devices(ns, a, b)?;
        for dev in [a, b] {
            ns.cmd(
                "tc",
                ["qdisc", "add", "dev", dev, "root", "handle", "1:", "htb"],
            )?;
        }
    }
    let line = format!("dev {a} parent 1: protocol ip pref 1 {words}");
    let (ours, _) = filter::parse(h, Args::split(&line))?;
    need_kind(h.filter_add(&ours), kind)?;
    let mut tc_args = vec![
        "filter", "add", "dev", b, "parent", "1:", "protocol", "ip", "pref", "1",
    ];
    tc_args.extend(words.split_whitespace());
    ns.cmd("tc", &tc_args)?;
    let fa = h.filter_list(a, TcHandle::new(1, 0))?;
    let fb = h.filter_list(b, TcHandle::new(1, 0))?;
    // The input device differs by name only; actions differ in their
    // index (each add takes the next) and counters.
    let plain = |k: &FilterKind| {
        let mut k = k.clone();
        let acts = match &mut k {
            FilterKind::Cgroup(c) => Some(&mut c.actions),
            FilterKind::Flow(f) => Some(&mut f.actions),
            FilterKind::Route(r) => Some(&mut r.actions),
            _ => None,
        };
        for a in acts.into_iter().flatten() {
            a.index = 0;
            a.refcnt = 0;
            a.bindcnt = 0;
            a.stats = None;
        }
        k
    };
    let same = |x: &Filter, y: &Filter| match (&plain(&x.kind), &plain(&y.kind)) {
        (FilterKind::Route(r), FilterKind::Route(s)) => {
            (r.to, r.from, r.classid, r.iif.is_some()) == (s.to, s.from, s.classid, s.iif.is_some())
        }
        (k, l) => k == l,
    };
    ensure!(
        fa.len() == 1 && fb.len() == 1 && same(&fa[0], &fb[0]) && fa[0].handle == fb[0].handle,
        "{kind} {words}\nours {fa:?}\ntc's {fb:?}"
    );
    let names = common::names(h)?;
    for dev in [a, b] {
        let entries = h.filter_entries(dev, TcHandle::new(1, 0))?;
        let text: String = entries
            .iter()
            .map(|e| filter::text(e, &names, Some(TcHandle::new(1, 0)), false) + "\n")
            .collect();
        let theirs = ns.cmd("tc", ["filter", "show", "dev", dev, "parent", "1:"])?;
        ensure!(
            text == theirs,
            "{kind} {words} on {dev}\ntc:\n{theirs}ours:\n{text}"
        );
    }
    for dev in [a, b] {
        ns.cmd("tc", ["filter", "del", "dev", dev, "parent", "1:"])?;
    }
    Ok(())
}

#[test]
fn route_cgroup_flow_filters_both_ways() {
    in_netns("tc_kinds_filters", |ns| {
        let h = Handle::new()?;
        filter_both_ways(ns, &h, "route", "route to 10 from 20 classid 1:2")?;
        filter_both_ways(
            ns,
            &h,
            "route",
            "route to 3 order 2 classid 1:2 action pass",
        )?;
        filter_both_ways(ns, &h, "cgroup", "handle 1 cgroup action drop")?;
        filter_both_ways(
            ns,
            &h,
            "flow",
            "handle 7 flow hash keys src,dst,proto-dst divisor 1024 perturb 10 baseclass 1:10",
        )?;
        filter_both_ways(
            ns,
            &h,
            "flow",
            "handle 8 flow map key mark and 0xff xor 0x1 rshift 2 addend 3 divisor 16",
        )?;
        Ok(())
    });
}

/// drr and qfq classes: printed by the tools and by tc's own printer from
/// the same bytes.
#[test]
fn class_text_like_tc_printer() {
    use nl_tools::tc::class;
    in_netns("tc_kinds_class_printer", |ns| {
        let h = Handle::new()?;
        veth(&h, "cp0", "cp1")?;
        for words in ["drr quantum 1500", "drr", "qfq weight 10 maxpkt 2000"] {
            let line = format!("dev cp0 parent 1: classid 1:1 {words}");
            let c = class::parse(&h, Args::split(&line))?;
            let mut buf = Vec::new();
            c.write_add(&mut buf)?;
            let theirs = tc_prints(ns, "class", buf.clone())?;
            let back = netlink::nl_route::tc::Class::parse(&netlink::nl_wire::Msg::parse(&buf)?.0)?;
            let ours = class::text(&back, false);
            // tc names the device after the class id when no `dev` was asked for.
            let kind = back.kind.name();
            let ours =
                ours.replacen(&format!("{kind} 1:1 "), &format!("{kind} 1:1 dev cp0 "), 1) + "\n";
            ensure!(ours == theirs, "{words}\ntc:\n{theirs}ours:\n{ours}");
        }
        Ok(())
    });
}

#[test]
fn drr_and_qfq_classes_both_ways() {
    use netlink::nl_route::tc::{ClassKind, DrrClass, QfqClass};
    use nl_tools::tc::class;
    in_netns("tc_kinds_classes", |ns| {
        let h = Handle::new()?;
        for (qdisc, words) in [
            ("drr", "drr quantum 1500"),
            ("qfq", "qfq weight 10 maxpkt 2000"),
        ] {
            qdisc_both_ways(ns, &h, qdisc, qdisc, true)?;
            let line = format!("dev ka0 parent 1: classid 1:1 {words}");
            need_kind(h.class_add(&class::parse(&h, Args::split(&line))?), qdisc)?;
            let mut tc_args = vec![
                "class", "add", "dev", "kb0", "parent", "1:", "classid", "1:1",
            ];
            tc_args.extend(words.split_whitespace());
            ns.cmd("tc", &tc_args)?;
            for dev in ["ka0", "kb0"] {
                let list = h.class_list(dev)?;
                let c = list
                    .iter()
                    .find(|c| c.handle == TcHandle::new(1, 1))
                    .with_context(|| format!("{list:?}"))?;
                let want = match qdisc {
                    "drr" => ClassKind::Drr(DrrClass {
                        quantum: Some(1500),
                    }),
                    _ => ClassKind::Qfq(QfqClass {
                        weight: Some(10),
                        lmax: Some(2000),
                    }),
                };
                ensure!(c.kind == want, "{dev}: {c:?}");
                let theirs = ns.cmd("tc", ["class", "show", "dev", dev])?;
                let mine = class::text(c, false);
                ensure!(
                    theirs.lines().any(|l| l == mine),
                    "{dev}\ntc:\n{theirs}ours:\n{mine}"
                );
            }
        }
        Ok(())
    });
}

/// The both-ways machinery on kinds this host has (htb, tbf, sfq): roots
/// of different kinds one after another, read back alike, shown as tc
/// shows them.
#[test]
fn both_ways_machinery_on_host_kinds() {
    in_netns("tc_kinds_machinery", |ns| {
        let h = Handle::new()?;
        qdisc_both_ways(ns, &h, "htb", "htb default 10 r2q 5", true)?;
        qdisc_both_ways(
            ns,
            &h,
            "tbf",
            "tbf rate 1mbit burst 10kb latency 50ms",
            true,
        )?;
        qdisc_both_ways(ns, &h, "sfq", "sfq perturb 10 quantum 1514", true)?;
        filter_both_ways(ns, &h, "u32", "u32 match ip dst 192.0.2.0/24 flowid 1:1")?;
        Ok(())
    });
}

/// `pedit ex munge ...` parsed by the tools is what tc sends (strace
/// capture after the netlink header), inside the action's options.
#[test]
fn pedit_ex_request_is_tcs() {
    use nl_tools::tc::action;
    in_netns("tc_kinds_pedit_bytes", |_ns| {
        let h = Handle::new()?;
        let tc = "00000000e8000100e40001000a0001007065646974000000d40002807c000400070000000000000000000000000000000000000004000000ffff000000001f900000000000000000000000000000000000000000c00002010c000000000000000000000000000000ffff00000000020004000000000000000000000000000000000000000000000208000000000000000000000000000000540005801400068006000100040000000600020000000000140006800600010002000000060002000000000014000680060001000100000006000200000000001400068006000100010000000600020000000000";
        let line = "action pedit ex munge tcp dport set 8080 munge ip src set 192.0.2.1 \
                    munge eth src set 02:00:00:00:00:02 index 7";
        let list = action::parse_list(&h, &mut Args::split(line))?;
        let mut buf = Vec::new();
        netlink::nl_route::tc::Action::write_add(&list, &mut buf)?;
        let ours: String = buf[16..].iter().map(|b| format!("{b:02x}")).collect();
        // The same bytes past the options' nest header (tc flags it).
        let after = |s: &str| s.get(56..).map(str::to_string);
        ensure!(after(&ours) == after(tc), "tc:   {tc}\nours: {ours}");
        Ok(())
    });
}

/// The words every action kind takes after its index (`cookie`,
/// `hw_stats`, `no_percpu`, `skip_hw`), both ways: written through the
/// tools' parser and read by tc, written by tc and read by us, printed as
/// tc prints them (text and JSON).
#[test]
fn action_common_words_both_ways() {
    use netlink::nl_route::tc::{ActionFlags, HwStats};
    use nl_tools::tc::action;
    in_netns("action_common_words_both_ways", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "e0", "type", "veth", "peer", "name", "e1"])?;
        let names = common::names(&h)?;
        for (index, tail) in [
            (3, "cookie a1b2 hw_stats immediate no_percpu skip_hw"),
            (4, "hw_stats delayed"),
            (5, "hw_stats disabled no_percpu"),
        ] {
            let words = format!("mirred egress redirect dev e1 index {index} {tail}");
            // Ours at INDEX, tc's at INDEX + 10.
            let ours = action::parse_list(&h, &mut Args::split(&format!("action {words}")))?;
            need_kind(h.action_add(&ours), "mirred")?;
            let theirs_words = format!("mirred egress redirect dev e1 index {} {tail}", index + 10);
            let mut args = vec!["actions", "add", "action"];
            args.extend(theirs_words.split(' '));
            ns.cmd("tc", &args)?;
            let (a, b) = (
                h.action_get("mirred", index)?,
                h.action_get("mirred", index + 10)?,
            );
            ensure!(
                (&a.cookie, a.flags, a.hw_stats) == (&b.cookie, b.flags, b.hw_stats),
                "{tail}: ours {a:?}\ntc's {b:?}"
            );
            if tail.contains("cookie") {
                ensure!(a.cookie.as_deref() == Some(&[0xa1, 0xb2][..]), "{a:?}");
                ensure!(a.hw_stats == Some(HwStats::IMMEDIATE), "{a:?}");
                ensure!(
                    a.flags == ActionFlags::NO_PERCPU_STATS | ActionFlags::SKIP_HW,
                    "{a:?}"
                );
            }
            for act in [&a, &b] {
                let i = act.index.to_string();
                let theirs = ns.cmd("tc", ["actions", "get", "action", "mirred", "index", &i])?;
                let mine = action::text(act, 1, &names, false, false);
                ensure!(theirs.contains(&mine), "tc:\n{theirs}ours:\n{mine}");
                let all = tc_json(ns, &["actions", "get", "action", "mirred", "index", &i])?;
                let theirs = all
                    .pointer("/1/actions/0")
                    .cloned()
                    .with_context(|| format!("{all}"))?;
                let mine = action::json(act, 1, &names, false, false);
                ensure!(theirs == mine, "tc: {theirs}\nours: {mine}");
            }
        }
        Ok(())
    });
}

/// A flower test: priority, protocol, tc's key words, what the library
/// must read from them.
type FlowerCase = (u16, &'static str, &'static str, fn(&Flower) -> bool);

/// flower's port-range, TCP-flag, ICMP, ARP, MPLS, tunnel (`enc_*`) and
/// conntrack keys, both ways: tc writes each filter and the library reads
/// its keys; the library writes back what it read (at another priority)
/// and tc shows both filters the same.
#[test]
fn flower_keys_both_ways() {
    use std::net::Ipv4Addr;
    in_netns("flower_keys_both_ways", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "fk0", "type", "veth", "peer", "name", "fk1"])?;
        let index = h.link_by_name("fk0")?.index;
        ns.cmd("tc", ["qdisc", "add", "dev", "fk0", "clsact"])?;
        let cases: [FlowerCase; 6] = [
            (
                1,
                "ip",
                "ip_proto tcp src_port 1000-2000 dst_port 80 tcp_flags 0x2/0x3f",
                |f| {
                    (
                        f.port_src_min,
                        f.port_src_max,
                        f.tcp_dst,
                        f.tcp_flags,
                        f.tcp_flags_mask,
                    ) == (Some(1000), Some(2000), Some(80), Some(2), Some(0x3f))
                },
            ),
            (2, "ip", "ct_state +trk+est ct_zone 5 ct_mark 7/0xff", |f| {
                // TRACKED (8) and ESTABLISHED (2).
                (
                    f.ct_state,
                    f.ct_state_mask,
                    f.ct_zone,
                    f.ct_mark,
                    f.ct_mark_mask,
                ) == (Some(10), Some(10), Some(5), Some(7), Some(0xff))
            }),
            (
                3,
                "mpls_uc",
                "mpls_label 100 mpls_tc 3 mpls_bos 1 mpls_ttl 64",
                |f| {
                    (f.mpls_label, f.mpls_tc, f.mpls_bos, f.mpls_ttl)
                        == (Some(100), Some(3), Some(1), Some(64))
                },
            ),
            (
                4,
                "ip",
                "enc_key_id 42 enc_dst_ip 192.0.2.1 enc_src_ip 192.0.2.2 enc_dst_port 4789 \
                 enc_tos 0x10/0xff enc_ttl 64",
                |f| {
                    (
                        f.enc_key_id,
                        f.enc_ipv4_dst,
                        f.enc_ipv4_src,
                        f.enc_udp_dst_port,
                    ) == (
                        Some(42),
                        Some(Ipv4Addr::new(192, 0, 2, 1)),
                        Some(Ipv4Addr::new(192, 0, 2, 2)),
                        Some(4789),
                    ) && (f.enc_ip_tos, f.enc_ip_ttl) == (Some(0x10), Some(64))
                },
            ),
            (5, "ip", "ip_proto icmp type 8 code 0", |f| {
                (f.ip_proto, f.icmpv4_type, f.icmpv4_code) == (Some(1), Some(8), Some(0))
            }),
            (6, "arp", "arp_op request arp_sip 192.0.2.1", |f| {
                (f.arp_op, f.arp_sip) == (Some(1), Some(Ipv4Addr::new(192, 0, 2, 1)))
            }),
        ];
        let show = |prio: u16| -> Result<String> {
            let text = ns.cmd(
                "tc",
                [
                    "filter",
                    "show",
                    "dev",
                    "fk0",
                    "ingress",
                    "pref",
                    &prio.to_string(),
                ],
            )?;
            Ok(text.replace(&format!("pref {prio} "), "pref P "))
        };
        for (prio, proto, keys, check) in cases {
            let mut args = vec!["filter", "add", "dev", "fk0", "ingress", "protocol", proto];
            let p = prio.to_string();
            args.extend(["pref", &p, "flower"]);
            args.extend(keys.split_whitespace());
            let added = ns.cmd("tc", &args);
            if let Err(e) = &added
                && format!("{e:#}").contains("classifier not found")
            {
                return Err(skip(format!("kernel lacks tc flower: {e:#}")));
            }
            added?;
            let listed = h.filter_list(index, TcHandle::INGRESS_FILTERS)?;
            let theirs = listed
                .iter()
                .find(|f| f.priority == prio && matches!(f.kind, FilterKind::Flower(_)))
                .with_context(|| format!("{keys}: {listed:?}"))?;
            let FilterKind::Flower(keys_read) = &theirs.kind else {
                unreachable!()
            };
            ensure!(check(keys_read), "{keys}: read {keys_read:?}");
            let mine = Filter::new(
                index,
                TcHandle::INGRESS_FILTERS,
                theirs.protocol,
                FilterKind::Flower(keys_read.clone()),
            )
            .priority(prio + 10);
            h.filter_add(&mine)
                .with_context(|| format!("{keys}: adding {keys_read:?}"))?;
            let (a, b) = (show(prio)?, show(prio + 10)?);
            ensure!(
                a == b && a.lines().count() > 2,
                "{keys}\ntc's:\n{a}ours:\n{b}"
            );
        }
        Ok(())
    });
}
