//! Traffic control through the facade against the real kernel, each test
//! in a private namespace: qdiscs, classes, filters and actions set and
//! read back field by field, compared with `tc` on the same namespace both
//! ways, and bad input. Kinds this kernel lacks (netem, fq_codel, flower,
//! matchall, gact, police) skip here and run in the VM tier.

use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use netlink::nl_route::tc::units::Rate;
use netlink::nl_route::tc::{
    Action, ActionKind, Bpf, Class, ClassKind, Fifo, Filter, FilterEntry, FilterKind, Flower,
    FqCodel, Htb, HtbClass, Matchall, Mirred, MirredAction, Netem, Police, Prio, Protocol, Qdisc,
    QdiscKind, Tbf, TcHandle, U32, U32Key, U32Sel, U32Table, Verdict,
};
use netlink::nl_sock::bpf::{Insn, ProgType, Program};
use netlink::{ErrorKind, Handle, Link, LinkKind};
use netlink_tests::{Netns, in_netns, skip};
use serde_json::Value;

fn veth(h: &Handle, name: &str, peer: &str) -> Result<(u32, u32)> {
    h.link_add(&Link::new(name).kind(LinkKind::veth(peer)))?;
    h.link_set_up(name)?;
    h.link_set_up(peer)?;
    Ok((h.link_index(name)?, h.link_index(peer)?))
}

/// Runs a facade call; a kind the kernel lacks becomes a skip. Only the
/// kernel's "no such kind" answers count: another ENOENT (a missing parent)
/// is a failure.
fn need_kind<T>(r: netlink::Result<T>, kind: &str) -> Result<T> {
    const MISSING: [&str; 3] = [
        "Specified qdisc kind is unknown",
        "TC classifier not found",
        "Failed to load TC action module",
    ];
    match r {
        Err(e)
            if e.errno() == Some(netlink::nl_sock::Errno::ENOENT)
                && e.message()
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

fn find_qdisc(h: &Handle, dev: &str, handle: TcHandle) -> Result<Qdisc> {
    let all = h.qdisc_list(dev)?;
    all.iter()
        .find(|q| q.handle == handle)
        .cloned()
        .with_context(|| format!("qdisc {handle} on {dev}: {all:?}"))
}

#[test]
fn htb_qdisc_and_classes() {
    in_netns("tc_htb", |ns| {
        let h = Handle::new()?;
        let (a, _) = veth(&h, "ht0", "ht1")?;
        let root = Qdisc::new(
            a,
            TcHandle::ROOT,
            QdiscKind::Htb(Htb {
                default_class: 0x10,
                r2q: 100,
                direct_qlen: Some(500),
                ..Htb::default()
            }),
        )
        .handle("1:".parse()?);
        h.qdisc_add(&root)?;
        let got = find_qdisc(&h, "ht0", TcHandle::new(1, 0))?;
        ensure!(got.parent == TcHandle::ROOT && got.index == a, "{got:?}");
        // direct_packets counts what the up veth already sent (IPv6
        // solicitations): a counter, not a setting.
        let mut kind = got.kind.clone();
        if let QdiscKind::Htb(x) = &mut kind {
            x.direct_packets = 0;
        }
        ensure!(kind == root.kind, "{:?}", got.kind);
        ensure!(got.stats.is_some(), "no stats: {got:?}");
        // tc reads what we wrote
        let j = tc_json(ns, &["qdisc", "show", "dev", "ht0"])?;
        let q = &j[0];
        ensure!(
            q["kind"] == "htb" && q["handle"] == "1:" && q["root"] == true,
            "{q}"
        );
        ensure!(
            q["options"]["r2q"] == 100
                && q["options"]["default"] == "0x10"
                && q["options"]["direct_qlen"] == 500,
            "{q}"
        );

        let parent = Class::new(a, "1:".parse()?, HtbClass::new("100mbit".parse()?).into())
            .classid("1:1".parse()?);
        h.class_add(&parent)?;
        let leaf = Class::new(
            a,
            "1:1".parse()?,
            HtbClass {
                burst: Some(15 * 1024),
                prio: 2,
                quantum: 1514,
                ..HtbClass::new("10mbit".parse()?).ceil("50mbit".parse()?)
            }
            .into(),
        )
        .classid("1:10".parse()?);
        h.class_add(&leaf)?;
        // a class beyond 32 bits of bytes per second (RATE64)
        let fast = Class::new(a, "1:".parse()?, HtbClass::new(Rate::gbit(40)).into())
            .classid("1:20".parse()?);
        h.class_add(&fast)?;

        let classes = h.class_list("ht0")?;
        ensure!(classes.len() == 3, "{classes:?}");
        for want in [&parent, &leaf, &fast] {
            let got = classes
                .iter()
                .find(|c| c.handle == want.handle)
                .with_context(|| format!("{}: {classes:?}", want.handle))?;
            // The kernel reports a class right under the qdisc as a root class.
            let parent = if want.parent.minor() == 0 {
                TcHandle::ROOT
            } else {
                want.parent
            };
            ensure!(got.parent == parent, "{got:?}");
            let (ClassKind::Htb(w), ClassKind::Htb(g)) = (&want.kind, &got.kind) else {
                bail!("{got:?}");
            };
            ensure!(
                g.rate == w.rate && g.ceil == w.ceil && g.prio == w.prio,
                "{g:?}"
            );
            if w.quantum != 0 {
                ensure!(g.quantum == w.quantum, "{g:?}");
            }
            if let Some(b) = w.burst {
                ensure!(g.burst.is_some_and(|x| x.abs_diff(b) <= 1), "{g:?}");
            }
            ensure!(got.stats.is_some() && got.xstats.is_some(), "{got:?}");
        }
        // tc prints what we read: `class htb 1:10 parent 1:1 prio 2 rate
        // 10Mbit ceil 50Mbit burst 15Kb cburst 1600b` (tc 6.1 has no JSON
        // for classes).
        let text = ns.cmd("tc", ["class", "show", "dev", "ht0", "classid", "1:10"])?;
        let words: Vec<&str> = text.split_whitespace().collect();
        let after = |w: &str| {
            words
                .iter()
                .position(|x| *x == w)
                .and_then(|i| words.get(i + 1))
                .copied()
                .unwrap_or("")
        };
        let ClassKind::Htb(g) = &classes
            .iter()
            .find(|c| c.handle == leaf.handle)
            .context("leaf")?
            .kind
        else {
            bail!("not htb");
        };
        ensure!(after("parent") == "1:1" && after("prio") == "2", "{text}");
        ensure!(after("rate").parse::<Rate>()? == g.rate, "{text}");
        ensure!(after("ceil").parse::<Rate>()? == g.ceil, "{text}");
        ensure!(after("rate") == g.rate.to_string(), "{text} vs {}", g.rate);

        // change, then replace, then delete
        let mut changed = leaf.clone();
        if let ClassKind::Htb(c) = &mut changed.kind {
            c.rate = Rate::mbit(20);
        }
        h.class_change(&changed)?;
        let got = h.class_list("ht0")?;
        ensure!(
            got.iter().any(|c| c.handle == leaf.handle
                && matches!(&c.kind, ClassKind::Htb(x) if x.rate == Rate::mbit(20))),
            "{got:?}"
        );
        h.class_del(&fast)?;
        ensure!(h.class_list("ht0")?.len() == 2);

        // the other way: classes tc made, read by us
        ns.cmd(
            "tc",
            [
                "class", "add", "dev", "ht0", "parent", "1:", "classid", "1:30", "htb", "rate",
                "3mbit", "ceil", "6mbit", "prio", "5",
            ],
        )?;
        let c = h
            .class_list("ht0")?
            .into_iter()
            .find(|c| c.handle == TcHandle::new(1, 0x30))
            .context("1:30")?;
        ensure!(
            matches!(&c.kind, ClassKind::Htb(x) if x.rate == Rate::mbit(3) && x.ceil == Rate::mbit(6) && x.prio == 5),
            "{c:?}"
        );
        h.qdisc_del(&root)?;
        ensure!(h.qdisc_list("ht0")?.iter().all(|q| q.handle != root.handle));
        Ok(())
    });
}

#[test]
fn tbf_pfifo_bfifo_prio() {
    in_netns("tc_tbf", |ns| {
        let h = Handle::new()?;
        let (a, _) = veth(&h, "tb0", "tb1")?;
        let tbf = Tbf::with_latency("1mbit".parse()?, 10 * 1024, Duration::from_millis(50));
        let q = Qdisc::new(a, TcHandle::ROOT, QdiscKind::Tbf(tbf)).handle("2:".parse()?);
        h.qdisc_add(&q)?;
        let got = find_qdisc(&h, "tb0", TcHandle::new(2, 0))?;
        let QdiscKind::Tbf(t) = got.kind else {
            bail!("{got:?}")
        };
        ensure!(
            t.rate == tbf.rate && t.limit == tbf.limit && t.burst.abs_diff(tbf.burst) <= 1,
            "{t:?}"
        );
        let j = tc_json(ns, &["qdisc", "show", "dev", "tb0"])?;
        let o = &j[0]["options"];
        ensure!(
            o["rate"] == 125_000 && o["burst"] == 10240 && o["lat"] == 50_000,
            "{o}"
        );

        // tc's tbf, read by us
        ns.cmd(
            "tc",
            [
                "qdisc", "replace", "dev", "tb0", "root", "handle", "2:", "tbf", "rate", "5gbit",
                "burst", "100k", "latency", "10ms", "peakrate", "6gbit", "mtu", "9000",
            ],
        )?;
        let got = find_qdisc(&h, "tb0", TcHandle::new(2, 0))?;
        let QdiscKind::Tbf(t) = got.kind else {
            bail!("{got:?}")
        };
        ensure!(
            t.rate == Rate::gbit(5) && t.peakrate == Some(Rate::gbit(6)),
            "{t:?}"
        );

        // Replacing with another kind needs another handle (the kernel only
        // changes options of a qdisc with the same handle and kind).
        for (kind, limit, word, major) in [
            (QdiscKind::Pfifo(Fifo::new(50)), 50, "pfifo", 3),
            (QdiscKind::Bfifo(Fifo::new(5000)), 5000, "bfifo", 0x30),
        ] {
            let handle = TcHandle::new(major, 0);
            let q = Qdisc::new(a, TcHandle::ROOT, kind.clone()).handle(handle);
            h.qdisc_replace(&q)?;
            let got = find_qdisc(&h, "tb0", handle)?;
            ensure!(got.kind == kind, "{got:?}");
            let j = tc_json(ns, &["qdisc", "show", "dev", "tb0"])?;
            ensure!(
                j[0]["kind"] == word && j[0]["options"]["limit"] == limit,
                "{j}"
            );
        }
        Ok(())
    });
}

#[test]
fn prio_with_a_child_qdisc() {
    in_netns("tc_prio", |_| {
        let h = Handle::new()?;
        let (a, _) = veth(&h, "pr0", "pr1")?;
        let prio =
            Qdisc::new(a, TcHandle::ROOT, QdiscKind::Prio(Prio::default())).handle("4:".parse()?);
        need_kind(h.qdisc_add(&prio), "prio")?;
        let child =
            Qdisc::new(a, "4:2".parse()?, QdiscKind::Pfifo(Fifo::new(10))).handle("40:".parse()?);
        h.qdisc_add(&child)?;
        let got = find_qdisc(&h, "pr0", TcHandle::new(0x40, 0))?;
        ensure!(got.parent == TcHandle::new(4, 2), "{got:?}");
        ensure!(
            find_qdisc(&h, "pr0", TcHandle::new(4, 0))?.kind == prio.kind,
            "prio options"
        );
        // prio's bands are classes the kernel reports
        let classes = h.class_list("pr0")?;
        ensure!(
            classes.len() == 3 && classes.iter().all(|c| c.kind.name() == "prio"),
            "{classes:?}"
        );
        Ok(())
    });
}

#[test]
fn ingress_and_clsact() {
    in_netns("tc_ingress", |ns| {
        let h = Handle::new()?;
        let (a, b) = veth(&h, "in0", "in1")?;
        h.qdisc_add(&Qdisc::ingress(a))?;
        h.qdisc_add(&Qdisc::clsact(b))?;
        let got = find_qdisc(&h, "in0", TcHandle::new(0xffff, 0))?;
        ensure!(
            got.kind == QdiscKind::Ingress && got.parent == TcHandle::INGRESS,
            "{got:?}"
        );
        let got = find_qdisc(&h, "in1", TcHandle::new(0xffff, 0))?;
        ensure!(
            got.kind == QdiscKind::Clsact && got.parent == TcHandle::CLSACT,
            "{got:?}"
        );
        let j = tc_json(ns, &["qdisc", "show", "dev", "in1", "clsact"])?;
        ensure!(
            j[0]["kind"] == "clsact" && j[0]["parent"] == "ffff:fff1",
            "{j}"
        );
        // a second ingress qdisc is refused
        let e = h.qdisc_add(&Qdisc::ingress(a)).unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists, "{e:?}");
        h.qdisc_del(&Qdisc::ingress(a))?;
        ensure!(
            h.qdisc_list("in0")?
                .iter()
                .all(|q| q.kind != QdiscKind::Ingress)
        );
        // every device's qdiscs at once
        ensure!(
            h.qdisc_list_all()?
                .iter()
                .any(|q| q.index == b && q.kind == QdiscKind::Clsact)
        );
        Ok(())
    });
}

#[test]
fn u32_filter_with_mirred() {
    in_netns("tc_u32", |ns| {
        let h = Handle::new()?;
        let (a, b) = veth(&h, "u0", "u1")?;
        h.qdisc_add(
            &Qdisc::new(a, TcHandle::ROOT, QdiscKind::Htb(Htb::default())).handle("1:".parse()?),
        )?;
        let f = Filter::new(
            a,
            "1:".parse()?,
            Protocol::IP,
            FilterKind::U32(U32 {
                classid: Some("1:10".parse()?),
                sel: Some(U32Sel::matching(vec![
                    U32Key::ip_dst("192.0.2.0/24".parse()?),
                    U32Key::ip_proto(17),
                    U32Key::ip_dport(53),
                ])),
                actions: vec![Action::mirred(MirredAction::EgressRedirect, b)],
                ..U32::default()
            }),
        )
        .priority(5);
        h.filter_add(&f)?;
        let got = h.filter_list("u0", "1:".parse()?)?;
        // only filters: the head and the hash table 800: are left out
        ensure!(got.len() == 1, "{got:?}");
        let ours = got
            .iter()
            .find(|x| matches!(&x.kind, FilterKind::U32(u) if u.sel.is_some()))
            .with_context(|| format!("{got:?}"))?;
        ensure!(
            ours.priority == 5 && ours.protocol == Protocol::IP,
            "{ours:?}"
        );
        // 800::800: hash table 0x800, bucket 0, node 0x800
        ensure!(ours.handle == 0x8000_0800, "{:#x}", ours.handle);
        let FilterKind::U32(u) = &ours.kind else {
            bail!("")
        };
        let FilterKind::U32(want) = &f.kind else {
            bail!("")
        };
        ensure!(u.sel == want.sel && u.classid == want.classid, "{u:?}");
        ensure!(u.actions.len() == 1, "{u:?}");
        let act = &u.actions[0];
        ensure!(
            act.kind
                == (ActionKind::Mirred(Mirred {
                    action: MirredAction::EgressRedirect,
                    ifindex: b
                }))
                && act.verdict == Verdict::Stolen
                && act.index != 0
                && act.bindcnt == 1,
            "{act:?}"
        );
        // tc reads what we wrote
        let j = tc_json(ns, &["filter", "show", "dev", "u0", "parent", "1:"])?;
        let entry = j
            .as_array()
            .and_then(|a| a.iter().find(|e| e["options"]["fh"] == "800::800"))
            .with_context(|| format!("{j}"))?;
        let o = &entry["options"];
        ensure!(entry["pref"] == 5 && entry["protocol"] == "ip", "{entry}");
        ensure!(o["flowid"] == "1:10", "{o}");
        let acts = &o["actions"][0];
        ensure!(
            acts["kind"] == "mirred"
                && acts["mirred_action"] == "redirect"
                && acts["direction"] == "egress"
                && acts["to_dev"] == "u1"
                && acts["control_action"]["type"] == "stolen",
            "{acts}"
        );
        // tc's filter, read by us
        ns.cmd(
            "tc",
            [
                "filter",
                "add",
                "dev",
                "u0",
                "parent",
                "1:",
                "protocol",
                "ip",
                "prio",
                "7",
                "u32",
                "match",
                "ip",
                "src",
                "198.51.100.0/24",
                "flowid",
                "1:20",
                "action",
                "mirred",
                "egress",
                "mirror",
                "dev",
                "u1",
            ],
        )?;
        let got = h.filter_list("u0", "1:".parse()?)?;
        let theirs = got
            .iter()
            .find(|x| x.priority == 7 && matches!(&x.kind, FilterKind::U32(u) if u.sel.is_some()))
            .with_context(|| format!("{got:?}"))?;
        let FilterKind::U32(u) = &theirs.kind else {
            bail!("")
        };
        let src = U32Key::ip_src("198.51.100.0/24".parse()?);
        ensure!(
            u.classid == Some(TcHandle::new(1, 0x20))
                && u.sel.as_ref().is_some_and(|s| s.keys == [src]),
            "{u:?}"
        );
        ensure!(
            u.actions.first().is_some_and(|a| a.kind
                == ActionKind::Mirred(Mirred {
                    action: MirredAction::EgressMirror,
                    ifindex: b
                })
                && a.verdict == Verdict::Pipe),
            "{u:?}"
        );
        // delete ours by priority
        h.filter_del(&Filter {
            kind: FilterKind::U32(U32::default()),
            ..Filter::new(a, "1:".parse()?, Protocol::IP, FilterKind::default()).priority(5)
        })?;
        let left = h.filter_list("u0", "1:".parse()?)?;
        ensure!(left.iter().all(|x| x.priority == 7), "{left:?}");
        Ok(())
    });
}

/// The u32 filter of `tc -j filter show` entries whose `fh` is `fh`.
fn tc_entry<'a>(j: &'a Value, fh: &str) -> Result<&'a Value> {
    j.as_array()
        .and_then(|a| a.iter().find(|e| e["options"]["fh"] == fh))
        .with_context(|| format!("no fh {fh} in {j}"))
}

#[test]
fn u32_filter_without_selector() {
    in_netns("tc_u32_nosel", |ns| {
        let h = Handle::new()?;
        let (a, _) = veth(&h, "n0", "n1")?;
        h.qdisc_add(
            &Qdisc::new(a, TcHandle::ROOT, QdiscKind::Htb(Htb::default())).handle("1:".parse()?),
        )?;
        let u32_of = |classid: Option<TcHandle>, prio: u16| {
            Filter::new(
                a,
                TcHandle::new(1, 0),
                Protocol::IP,
                FilterKind::U32(U32 {
                    classid,
                    ..U32::default()
                }),
            )
            .priority(prio)
        };
        // The kernel refuses a u32 filter without a selector; none given,
        // the library sends the match-all one.
        h.filter_add(&u32_of(Some(TcHandle::new(1, 0x10)), 4))?;
        h.filter_add(&u32_of(None, 8))?;
        // tc's own match-all, for comparison
        ns.cmd(
            "tc",
            "filter add dev n0 parent 1: protocol ip prio 6 u32 match u32 0 0 flowid 1:10"
                .split(' '),
        )?;
        let got = h.filter_list("n0", TcHandle::new(1, 0))?;
        let sel_of = |prio: u16| -> Result<(Option<U32Sel>, Option<TcHandle>)> {
            let f = got
                .iter()
                .find(|f| f.priority == prio)
                .with_context(|| format!("prio {prio}: {got:?}"))?;
            let FilterKind::U32(u) = &f.kind else {
                bail!("not u32: {f:?}")
            };
            Ok((u.sel.clone(), u.classid))
        };
        ensure!(got.len() == 3, "{got:?}");
        let (ours, class) = sel_of(4)?;
        ensure!(ours == Some(U32Sel::match_all(true)), "{ours:?}");
        ensure!(class == Some(TcHandle::new(1, 0x10)), "{class:?}");
        ensure!(sel_of(6)?.0 == ours, "tc's match u32 0 0: {:?}", sel_of(6)?);
        ensure!(sel_of(8)?.0 == Some(U32Sel::match_all(false)), "{got:?}");
        // tc reads ours as its match u32 0 0: 800::800 is prio 4's
        let j = tc_json(ns, &["filter", "show", "dev", "n0", "parent", "1:"])?;
        // the filter (not the head, not the table) of a priority
        let filter = |prio: u16| {
            j.as_array()
                .and_then(|a| {
                    a.iter()
                        .find(|e| e["pref"] == prio && !e["options"]["order"].is_null())
                })
                .with_context(|| format!("no prio {prio} filter in {j}"))
        };
        let e = filter(4)?;
        ensure!(e["options"]["flowid"] == "1:10", "{e}");
        let m = &e["options"]["match"];
        ensure!(
            m["value"] == "0" && m["mask"] == "0" && m["off"] == 0,
            "{e}"
        );
        ensure!(filter(6)?["options"]["match"] == *m, "{j}");
        let e = filter(8)?;
        ensure!(
            e["options"].get("flowid").is_none() && e["options"]["match"] == *m,
            "{e}"
        );
        Ok(())
    });
}

#[test]
fn filter_entries_keep_heads_and_u32_tables_apart() {
    in_netns("tc_filter_entries", |ns| {
        let h = Handle::new()?;
        let (a, _) = veth(&h, "e0", "e1")?;
        let parent = TcHandle::new(1, 0);
        h.qdisc_add(&Qdisc::new(a, TcHandle::ROOT, QdiscKind::Htb(Htb::default())).handle(parent))?;
        // prio 5: a table 2: of 16 buckets with a filter in bucket 3, and a
        // filter in the root table 800:; prio 7: a filter in its 801:.
        let table = U32Table::new(a, parent, Protocol::IP, 16)
            .priority(5)
            .handle(0x0020_0000);
        h.u32_table_add(&table)?;
        let u32_in = |ht: Option<u32>, key: U32Key, prio: u16| {
            Filter::new(
                a,
                parent,
                Protocol::IP,
                FilterKind::U32(U32 {
                    classid: Some(TcHandle::new(1, 0x10)),
                    hash_table: ht,
                    sel: Some(U32Sel::matching(vec![key])),
                    ..U32::default()
                }),
            )
            .priority(prio)
        };
        h.filter_add(&u32_in(
            Some(0x0020_3000),
            U32Key::ip_src("192.0.2.1/32".parse()?),
            5,
        ))?;
        h.filter_add(&u32_in(None, U32Key::ip_dst("198.51.100.0/24".parse()?), 5))?;
        h.filter_add(&u32_in(None, U32Key::ip_src("203.0.113.0/24".parse()?), 7))?;

        // Entry by entry, what tc lists: a head (no options), a table
        // (ht_divisor) or a filter.
        let entries = h.filter_entries("e0", parent)?;
        let j = tc_json(ns, &["filter", "show", "dev", "e0", "parent", "1:"])?;
        let theirs = j.as_array().context("tc -j")?;
        ensure!(
            theirs.len() == entries.len() && entries.len() == 8,
            "tc {j}\nours {entries:?}"
        );
        for (t, e) in theirs.iter().zip(&entries) {
            let o = &t["options"];
            let same = match e {
                FilterEntry::Head(x) => o.is_null() && t["pref"] == x.priority && x.kind == "u32",
                FilterEntry::U32Table(x) => {
                    o["ht_divisor"] == x.divisor
                        && o["fh"] == format!("{:x}:", x.handle >> 20)
                        && t["pref"] == x.priority
                }
                FilterEntry::Filter(x) => {
                    o["ht_divisor"].is_null()
                        && o["order"] == x.handle & 0xfff
                        && t["pref"] == x.priority
                }
            };
            ensure!(same, "tc {t} is not our {e:?}");
        }
        let tables: Vec<u32> = entries
            .iter()
            .filter_map(|e| match e {
                FilterEntry::U32Table(t) => Some(t.handle),
                _ => None,
            })
            .collect();
        ensure!(
            tables == [0x0020_0000, 0x8000_0000, 0x8010_0000],
            "{tables:x?}"
        );

        // Deleting every listed filter leaves the tables.
        let filters = h.filter_list("e0", parent)?;
        ensure!(filters.len() == 3, "{filters:?}");
        for f in &filters {
            h.filter_del(f)?;
        }
        ensure!(h.filter_list("e0", parent)?.is_empty());
        let left = tc_json(ns, &["filter", "show", "dev", "e0", "parent", "1:"])?;
        let user = tc_entry(&left, "2:")?;
        ensure!(user["options"]["ht_divisor"] == 16, "{left}");

        // A table is not deleted as a filter; as a table it is, and the
        // kernel keeps a priority's root table.
        let as_filter = Filter::new(a, parent, Protocol::IP, FilterKind::U32(U32::default()))
            .priority(5)
            .handle(0x0020_0000);
        let err = h.filter_del(&as_filter).err().context("deleted a table")?;
        ensure!(err.kind() == ErrorKind::Invalid, "{err}");
        tc_entry(
            &tc_json(ns, &["filter", "show", "dev", "e0", "parent", "1:"])?,
            "2:",
        )?;
        let root = entries
            .iter()
            .find_map(|e| match e {
                FilterEntry::U32Table(t) if t.handle == 0x8000_0000 => Some(t.clone()),
                _ => None,
            })
            .context("800:")?;
        let err = h.u32_table_del(&root).err().context("deleted 800:")?;
        ensure!(err.message().is_some_and(|m| m.contains("root")), "{err}");
        h.u32_table_del(&table)?;
        let left = h.filter_entries("e0", parent)?;
        ensure!(
            !left
                .iter()
                .any(|e| matches!(e, FilterEntry::U32Table(t) if t.handle == 0x0020_0000)),
            "{left:?}"
        );
        Ok(())
    });
}

#[test]
fn bpf_filter_loaded_through_the_syscall() {
    in_netns("tc_bpf", |ns| {
        let h = Handle::new()?;
        let (a, _) = veth(&h, "bp0", "bp1")?;
        h.qdisc_add(&Qdisc::clsact(a))?;
        // r0 = TC_ACT_UNSPEC; exit
        let prog = Program::load(
            ProgType::SchedCls,
            "nl_test_cls",
            &[Insn::mov64_imm(0, -1), Insn::exit()],
            "GPL",
        )?;
        let info = prog.info()?;
        let fd = u32::try_from(std::os::fd::AsRawFd::as_raw_fd(&prog))?;
        let f = Filter::new(
            a,
            TcHandle::INGRESS_FILTERS,
            Protocol::ALL,
            FilterKind::Bpf(Bpf {
                fd: Some(fd),
                name: Some("nl_test_cls".into()),
                direct_action: true,
                ..Bpf::default()
            }),
        )
        .priority(1)
        .handle(1);
        h.filter_add(&f)?;
        drop(prog); // the filter holds its own reference
        let got = h.filter_list("bp0", TcHandle::INGRESS_FILTERS)?;
        let b = got
            .iter()
            .find_map(|x| match &x.kind {
                FilterKind::Bpf(b) => Some(b),
                _ => None,
            })
            .with_context(|| format!("{got:?}"))?;
        ensure!(
            b.direct_action && b.name.as_deref() == Some("nl_test_cls"),
            "{b:?}"
        );
        ensure!(
            b.id == Some(info.id) && b.tag == Some(info.tag),
            "{b:?} vs {info:?}"
        );
        let j = tc_json(ns, &["filter", "show", "dev", "bp0", "ingress"])?;
        let e = j
            .as_array()
            .and_then(|a| a.iter().find(|e| e["options"].is_object()))
            .with_context(|| format!("{j}"))?;
        ensure!(
            e["kind"] == "bpf" && e["options"]["bpf_name"] == "nl_test_cls",
            "{e}"
        );
        ensure!(
            e["options"]["direct-action"] == true && e["options"]["prog"]["id"] == info.id,
            "{e}"
        );
        Ok(())
    });
}

#[test]
fn standalone_actions() {
    in_netns("tc_actions", |ns| {
        let h = Handle::new()?;
        let (_, b) = veth(&h, "ac0", "ac1")?;
        let act = Action {
            index: 42,
            cookie: Some(vec![0xde, 0xad]),
            ..Action::mirred(MirredAction::EgressMirror, b)
        };
        h.action_add(std::slice::from_ref(&act))?;
        let got = h.action_get("mirred", 42)?;
        ensure!(
            got.kind == act.kind && got.cookie == act.cookie && got.index == 42,
            "{got:?}"
        );
        ensure!(got.stats.is_some(), "{got:?}");
        let all = h.action_list("mirred")?;
        ensure!(all.iter().any(|x| x.index == 42), "{all:?}");
        let text = ns.cmd("tc", ["actions", "get", "action", "mirred", "index", "42"])?;
        ensure!(
            text.contains("Egress Mirror to device ac1") && text.contains("index 42"),
            "{text}"
        );
        let e = h.action_add(std::slice::from_ref(&act)).unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists, "{e:?}");
        h.action_del("mirred", 42)?;
        ensure!(h.action_get("mirred", 42).is_err());
        Ok(())
    });
}

#[test]
fn bad_input_gives_clear_errors() {
    in_netns("tc_bad_input", |_| {
        let h = Handle::new()?;
        let (a, _) = veth(&h, "bd0", "bd1")?;
        // a rate that does not parse, a handle out of range: refused here
        let e = "10 megabits".parse::<Rate>().unwrap_err();
        ensure!(e.to_string().contains("rate"), "{e}");
        let e = "10000:".parse::<TcHandle>().unwrap_err();
        ensure!(e.to_string().contains("ffff"), "{e}");
        // a parent that does not exist: the kernel's words
        let c = Class::new(a, "7:".parse()?, HtbClass::new(Rate::mbit(1)).into())
            .classid("7:1".parse()?);
        let e = h.class_add(&c).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::NotFound || e.kind() == ErrorKind::Invalid,
            "{e:?}"
        );
        let f = Filter::new(
            a,
            "9:".parse()?,
            Protocol::IP,
            FilterKind::Matchall(Matchall::default()),
        );
        let e = h.filter_add(&f).unwrap_err();
        ensure!(e.message().is_some(), "no ext-ack: {e:?}");
        let q = Qdisc::new(a, "5:1".parse()?, QdiscKind::Pfifo(Fifo::default()));
        let e = h.qdisc_add(&q).unwrap_err();
        ensure!(
            e.kind() == ErrorKind::NotFound
                && e.message()
                    .is_some_and(|m| m.contains("Failed to find specified qdisc")),
            "{e:?}"
        );
        // an unknown kind
        let q = Qdisc::new(
            a,
            TcHandle::ROOT,
            QdiscKind::Other {
                kind: "nosuchqdisc".into(),
                options: None,
            },
        );
        let e = h.qdisc_add(&q).unwrap_err();
        ensure!(e.message().is_some_and(|m| m.contains("unknown")), "{e:?}");
        Ok(())
    });
}

#[test]
fn netem_fq_codel() {
    in_netns("tc_netem", |ns| {
        let h = Handle::new()?;
        let (a, b) = veth(&h, "ne0", "ne1")?;
        let netem = Netem {
            delay: Duration::from_millis(100),
            jitter: Duration::from_millis(10),
            loss: netlink::nl_route::tc::units::parse_percent("1%")?,
            duplicate: netlink::nl_route::tc::units::parse_percent("0.5%")?,
            limit: 500,
            ..Netem::default()
        };
        let q = Qdisc::new(a, TcHandle::ROOT, QdiscKind::Netem(netem)).handle("5:".parse()?);
        need_kind(h.qdisc_add(&q), "netem")?;
        let got = find_qdisc(&h, "ne0", TcHandle::new(5, 0))?;
        ensure!(got.kind == q.kind, "{:?}", got.kind);
        let j = tc_json(ns, &["qdisc", "show", "dev", "ne0"])?;
        let o = &j[0]["options"];
        ensure!(
            o["limit"] == 500 && o["delay"]["delay"].as_f64().is_some(),
            "{o}"
        );

        let fq = FqCodel {
            target: Some(5000),
            interval: Some(100_000),
            ecn: Some(1),
            limit: Some(2000),
            flows: Some(512),
            ..FqCodel::default()
        };
        let q = Qdisc::new(b, TcHandle::ROOT, QdiscKind::FqCodel(fq.clone())).handle("6:".parse()?);
        need_kind(h.qdisc_add(&q), "fq_codel")?;
        let got = find_qdisc(&h, "ne1", TcHandle::new(6, 0))?;
        let QdiscKind::FqCodel(g) = &got.kind else {
            bail!("{got:?}")
        };
        // Times are kept in 1024 ns units, so 5000 us reads back as 4999.
        let near =
            |a: Option<u32>, b: Option<u32>| a.zip(b).is_some_and(|(a, b)| a.abs_diff(b) <= 1);
        ensure!(
            near(g.target, fq.target) && near(g.interval, fq.interval),
            "{g:?}"
        );
        ensure!(
            g.limit == fq.limit && g.flows == fq.flows && g.ecn == fq.ecn,
            "{g:?}"
        );
        let j = tc_json(ns, &["qdisc", "show", "dev", "ne1"])?;
        ensure!(
            j[0]["options"]["limit"] == 2000 && j[0]["options"]["flows"] == 512,
            "{j}"
        );
        Ok(())
    });
}

#[test]
fn flower_matchall_gact_police() {
    in_netns("tc_flower", |ns| {
        let h = Handle::new()?;
        let (a, _) = veth(&h, "fl0", "fl1")?;
        h.qdisc_add(&Qdisc::clsact(a))?;
        let flower = Filter::new(
            a,
            TcHandle::INGRESS_FILTERS,
            Protocol::IP,
            FilterKind::Flower(Box::new(Flower {
                ip_proto: Some(6),
                ipv4_dst: Some("192.0.2.0".parse()?),
                ipv4_dst_mask: Some("255.255.255.0".parse()?),
                tcp_dst: Some(443),
                actions: vec![Action::gact(Verdict::Drop)],
                ..Flower::default()
            })),
        )
        .priority(1);
        need_kind(h.filter_add(&flower), "flower")?;
        let got = h.filter_list("fl0", TcHandle::INGRESS_FILTERS)?;
        let f = got
            .iter()
            .find_map(|x| match &x.kind {
                FilterKind::Flower(f) if f.tcp_dst.is_some() => Some(f),
                _ => None,
            })
            .with_context(|| format!("{got:?}"))?;
        ensure!(
            f.ip_proto == Some(6) && f.tcp_dst == Some(443) && f.eth_type == Some(0x0800),
            "{f:?}"
        );
        ensure!(
            f.actions
                .first()
                .is_some_and(|a| a.verdict == Verdict::Drop),
            "{f:?}"
        );
        let j = tc_json(ns, &["filter", "show", "dev", "fl0", "ingress"])?;
        let e = j
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|e| e["kind"] == "flower" && e["options"].is_object())
            })
            .with_context(|| format!("{j}"))?;
        ensure!(e["options"]["keys"]["dst_port"] == 443, "{e}");

        let police = Action::police(
            Police {
                rate: Rate::mbit(1),
                burst: 10_000,
                ..Police::default()
            },
            Verdict::Drop,
        );
        let m = Filter::new(
            a,
            TcHandle::INGRESS_FILTERS,
            Protocol::ALL,
            FilterKind::Matchall(Matchall {
                actions: vec![police],
                ..Matchall::default()
            }),
        )
        .priority(2);
        need_kind(h.filter_add(&m), "matchall")?;
        let got = h.filter_list("fl0", TcHandle::INGRESS_FILTERS)?;
        let m = got
            .iter()
            .find_map(|x| match &x.kind {
                FilterKind::Matchall(m) if !m.actions.is_empty() => Some(m),
                _ => None,
            })
            .with_context(|| format!("{got:?}"))?;
        let Some(ActionKind::Police(p)) = m.actions.first().map(|a| &a.kind) else {
            bail!("{m:?}")
        };
        ensure!(
            p.rate == Rate::mbit(1) && p.burst.abs_diff(10_000) <= 1,
            "{p:?}"
        );
        ensure!(
            m.actions
                .first()
                .is_some_and(|a| a.verdict == Verdict::Drop),
            "{m:?}"
        );
        Ok(())
    });
}
