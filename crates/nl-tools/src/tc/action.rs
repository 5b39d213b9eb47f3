//! Actions: parsed after a filter's `action` word or by `tc actions`,
//! printed under filters and by `tc actions list|get`.

use std::io::Write;

use anyhow::{Result, bail};
use netlink::Handle;
use netlink::nl_route::tc::action::Skbedit;
use netlink::nl_route::tc::units::{Rate, format_size, parse_size};
use netlink::nl_route::tc::{Action, ActionKind, Mirred, MirredAction, Police, Verdict};
use serde_json::{Map, Value, json};

use super::Opts;
use super::common::{self, Names, number};
use crate::args::Args;

/// The bare verdict words tc takes as a `gact` action.
const VERDICTS: [&str; 8] = [
    "pass",
    "ok",
    "drop",
    "shot",
    "continue",
    "pipe",
    "reclassify",
    "trap",
];

/// `tc actions COMMAND ...`.
pub fn run(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("list");
    match cmd {
        "add" => h.action_add(&parse_list(h, &mut args)?).map_err(Into::into),
        "replace" | "change" => h
            .action_replace(&parse_list(h, &mut args)?)
            .map_err(Into::into),
        "del" | "delete" | "get" => {
            let (kind, index) = kind_index(&mut args)?;
            if cmd == "get" {
                let a = h.action_get(&kind, index)?;
                let names = common::names(h)?;
                print(out, opts, &names, &[a])
            } else {
                h.action_del(&kind, index).map_err(Into::into)
            }
        }
        "list" | "ls" | "show" => {
            let kind = match args.next() {
                Some("action") => args.value("action")?,
                Some(k) => k,
                None => bail!("\"list\" needs \"action KIND\""),
            };
            args.done()?;
            let list = h.action_list(kind)?;
            let names = common::names(h)?;
            print(out, opts, &names, &list)
        }
        other => bail!("Command \"{other}\" is unknown, try \"tc actions help\"."),
    }
}

/// `action KIND index N`.
fn kind_index(args: &mut Args<'_>) -> Result<(String, u32)> {
    if args.peek() == Some("action") {
        args.next();
    }
    let kind = args.value("action")?;
    let mut index = None;
    while let Some(w) = args.next() {
        match w {
            "index" => index = Some(number(args.value("index")?)?),
            other => bail!("What is \"{other}\"?"),
        }
    }
    let Some(index) = index else {
        bail!("\"{kind}\" needs \"index N\"")
    };
    Ok((kind.to_string(), index))
}

fn print(out: &mut dyn Write, opts: &Opts, names: &Names, list: &[Action]) -> Result<()> {
    if opts.json {
        let acts: Vec<Value> = list
            .iter()
            .enumerate()
            .map(|(i, a)| json(a, i, names, opts.stats))
            .collect();
        let v = json!([{"total acts": list.len()}, {"actions": acts}]);
        crate::json::print(out, &v, opts.pretty)?;
    } else {
        writeln!(out, "total acts {}\n", list.len())?;
        for (i, a) in list.iter().enumerate() {
            writeln!(out, "{}\n", text(a, i, names, opts.stats))?;
        }
    }
    Ok(())
}

/// `action KIND ...` words, as many as follow.
pub fn parse_list(h: &Handle, args: &mut Args<'_>) -> Result<Vec<Action>> {
    let mut out = Vec::new();
    while matches!(args.peek(), Some("action" | "actions")) {
        args.next();
        out.push(parse_one(h, args)?);
    }
    if let Some(w) = args.peek() {
        bail!("What is \"{w}\"?");
    }
    Ok(out)
}

fn verdict_word(args: &mut Args<'_>) -> Option<Verdict> {
    let w = args.peek()?;
    if !VERDICTS.contains(&w) {
        return None;
    }
    let v = w.parse().ok();
    args.next();
    v
}

fn parse_one(h: &Handle, args: &mut Args<'_>) -> Result<Action> {
    let kind = args.value("action")?;
    let mut a = match kind {
        "mirred" => {
            let direction = args.value("mirred")?;
            let what = args.value("mirred")?;
            let how = MirredAction::from_words(direction, what)?;
            if args.next() != Some("dev") {
                bail!("mirred: \"dev X\" is required");
            }
            let ifindex = h.link_index(args.value("dev")?)?;
            Action::mirred(how, ifindex)
        }
        "gact" => {
            let Some(v) = verdict_word(args) else {
                bail!("gact: a verdict (pass, drop, ...) is required");
            };
            Action::gact(v)
        }
        w if VERDICTS.contains(&w) => Action::gact(w.parse()?),
        "police" => parse_police(args)?,
        "skbedit" => {
            let mut s = Skbedit::default();
            while let Some(w) = args.peek() {
                match w {
                    "mark" => {
                        args.next();
                        let v = args.value("mark")?;
                        match v.split_once('/') {
                            Some((m, mask)) => {
                                s.mark = Some(number(m)?);
                                s.mask = Some(number(mask)?);
                            }
                            None => s.mark = Some(number(v)?),
                        }
                    }
                    "priority" => {
                        args.next();
                        let p: netlink::nl_route::tc::TcHandle = args.parse("priority")?;
                        s.priority = Some(p.0);
                    }
                    "queue_mapping" => {
                        args.next();
                        s.queue_mapping = Some(args.parse("queue_mapping")?);
                    }
                    _ => break,
                }
            }
            Action::new(ActionKind::Skbedit(s), Verdict::Pipe)
        }
        other => bail!("action \"{other}\" is not supported here"),
    };
    // A trailing verdict, then `index N`, as tc takes them.
    if kind != "police"
        && let Some(v) = verdict_word(args)
    {
        a.verdict = v;
    }
    if args.peek() == Some("index") {
        args.next();
        a.index = number(args.value("index")?)?;
    }
    Ok(a)
}

/// `police rate R burst B [mtu B] [peakrate R] [conform-exceed EXCEED[/CONFORM]]`.
fn parse_police(args: &mut Args<'_>) -> Result<Action> {
    let mut p = Police::default();
    let mut exceed = Verdict::Reclassify;
    while let Some(w) = args.peek() {
        match w {
            "rate" => {
                args.next();
                p.rate = args.parse::<Rate>("rate")?;
            }
            "burst" | "buffer" | "maxburst" => {
                args.next();
                p.burst = parse_size(args.value("burst")?)?;
            }
            "mtu" | "minburst" => {
                args.next();
                p.mtu = parse_size(args.value("mtu")?)?;
            }
            "peakrate" => {
                args.next();
                p.peakrate = Some(args.parse::<Rate>("peakrate")?);
            }
            "conform-exceed" => {
                args.next();
                let v = args.value("conform-exceed")?;
                let (e, c) = match v.split_once('/') {
                    Some((e, c)) => (e, Some(c)),
                    None => (v, None),
                };
                exceed = e.parse()?;
                if let Some(c) = c {
                    p.conform = Some(c.parse()?);
                }
            }
            w if VERDICTS.contains(&w) => {
                exceed = w.parse()?;
                args.next();
            }
            _ => break,
        }
    }
    if p.rate.bytes() == 0 || p.burst == 0 {
        bail!("police: \"rate\" and \"burst\" are required");
    }
    Ok(Action::police(p, exceed))
}

/// One action as tc prints it (`\taction order N: ...`).
pub fn text(a: &Action, order: usize, names: &Names, stats: bool) -> String {
    let mut s = format!("\taction order {order}: ");
    match &a.kind {
        ActionKind::Mirred(Mirred { action, ifindex }) => {
            let (dir, what) = action.words();
            let cap = |w: &str| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            };
            s += &format!(
                "mirred ({} {} to device {}) {}",
                cap(dir),
                cap(what),
                common::name(names, *ifindex),
                a.verdict
            );
        }
        ActionKind::Gact(_) => {
            s += &format!("gact action {}\n\t random type none pass val 0", a.verdict)
        }
        ActionKind::Police(p) => {
            s += &format!(
                " police {:#x} rate {} burst {} mtu {} action {}",
                a.index,
                p.rate,
                format_size(p.burst),
                format_size(p.mtu),
                a.verdict
            );
            if let Some(c) = p.conform {
                s += &format!("/{c}");
            }
        }
        ActionKind::Skbedit(k) => {
            s += "skbedit ";
            if let Some(m) = k.mark {
                s += &format!(" mark {m}");
            }
            if let Some(p) = k.priority {
                s += &format!(" priority {}", netlink::nl_route::tc::TcHandle(p));
            }
            if let Some(q) = k.queue_mapping {
                s += &format!(" queue_mapping {q}");
            }
            s += &format!(" {}", a.verdict);
        }
        other => s += &format!("{} {}", other.name(), a.verdict),
    }
    s += &format!("\n\tindex {} ref {} bind {}", a.index, a.refcnt, a.bindcnt);
    if stats && let Some(st) = &a.stats {
        s += &format!(
            "\n\tAction statistics:\n\t{}",
            common::stats_text(st).replace('\n', "\n\t")
        );
    }
    s
}

/// One action as `tc -j` prints it.
pub fn json(a: &Action, order: usize, names: &Names, stats: bool) -> Value {
    let mut m = Map::new();
    m.insert("order".into(), json!(order));
    m.insert("kind".into(), json!(a.kind.name()));
    let verdict = json!({"type": a.verdict.to_string()});
    match &a.kind {
        ActionKind::Mirred(Mirred { action, ifindex }) => {
            let (dir, what) = action.words();
            m.insert("mirred_action".into(), json!(what));
            m.insert("direction".into(), json!(dir));
            m.insert("to_dev".into(), json!(common::name(names, *ifindex)));
            m.insert("control_action".into(), verdict);
        }
        ActionKind::Police(p) => {
            m.insert("index".into(), json!(a.index));
            m.insert("rate".into(), json!(p.rate.bytes()));
            m.insert("burst".into(), json!(p.burst));
            m.insert("mtu".into(), json!(p.mtu));
            m.insert("control_action".into(), verdict);
            if let Some(c) = p.conform {
                m.insert("conform".into(), json!({"type": c.to_string()}));
            }
        }
        ActionKind::Skbedit(k) => {
            if let Some(v) = k.mark {
                m.insert("mark".into(), json!(v));
            }
            if let Some(v) = k.priority {
                m.insert(
                    "priority".into(),
                    json!(netlink::nl_route::tc::TcHandle(v).to_string()),
                );
            }
            m.insert("control_action".into(), verdict);
        }
        _ => {
            m.insert("control_action".into(), verdict);
        }
    }
    m.insert("index".into(), json!(a.index));
    m.insert("ref".into(), json!(a.refcnt));
    m.insert("bind".into(), json!(a.bindcnt));
    if stats && let Some(s) = &a.stats {
        let mut st = Map::new();
        common::stats_json(&mut st, s);
        m.insert("stats".into(), Value::Object(st));
    }
    Value::Object(m)
}
