//! `tc class show|add|replace|change|del` (htb, hfsc, drr, qfq).

use std::io::Write;

use std::time::Duration;

use anyhow::{Result, bail, ensure};
use netlink::Handle;
use netlink::nl_route::tc::qdisc::Xstats;
use netlink::nl_route::tc::units::{Rate, format_size, parse_size, parse_time};
use netlink::nl_route::tc::{
    Class, ClassKind, DrrClass, HfscClass, HtbClass, QfqClass, ServiceCurve, TcHandle,
};
use serde_json::{Map, Value, json};

use super::Opts;
use super::common;
use crate::args::{Args, matches};

/// `tc class COMMAND ...`.
pub fn run(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    match cmd {
        c if matches(c, "show", 1) || c == "list" || c == "ls" => show(h, opts, args, out),
        "add" => h.class_add(&parse(h, args)?).map_err(Into::into),
        "replace" => h.class_replace(&parse(h, args)?).map_err(Into::into),
        "change" => h.class_change(&parse(h, args)?).map_err(Into::into),
        "del" | "delete" => h.class_del(&parse(h, args)?).map_err(Into::into),
        other => bail!("Command \"{other}\" is unknown, try \"tc class help\"."),
    }
}

fn show(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    // `dev X`, or just `X`.
    let dev = crate::args::dev_only(&mut args)?;
    let Some(dev) = dev else {
        bail!("Cannot find device \"\"")
    };
    let items = h
        .class_list(dev)?
        .iter()
        .map(|c| (json(c, opts.stats), text(c, opts.stats)))
        .collect();
    common::print_list(out, opts, items)?;
    Ok(())
}

/// `dev X parent P classid C [htb rate R [ceil R] [burst B] [cburst B]
/// [prio N] [quantum N] | hfsc [rt|ls|sc|ul CURVE]... | drr [quantum B] |
/// qfq [weight N] [maxpkt B]]`.
pub fn parse(h: &Handle, mut args: Args<'_>) -> Result<Class> {
    let mut index = None;
    let mut parent = TcHandle::ROOT;
    let mut classid = TcHandle::NONE;
    let mut kind = None;
    while let Some(w) = args.next() {
        match w {
            "dev" => index = Some(h.link_index(args.value("dev")?)?),
            "root" => parent = TcHandle::ROOT,
            "parent" => parent = args.parse("parent")?,
            "classid" => classid = args.parse("classid")?,
            "htb" => {
                kind = Some(ClassKind::Htb(parse_htb(&mut args)?));
            }
            "hfsc" => kind = Some(ClassKind::Hfsc(parse_hfsc(&mut args)?)),
            "drr" => {
                let mut c = DrrClass::default();
                while let Some(w) = args.next() {
                    match w {
                        "quantum" => c.quantum = Some(parse_size(args.value("quantum")?)?),
                        other => bail!("drr: what is \"{other}\"?"),
                    }
                }
                kind = Some(ClassKind::Drr(c));
            }
            "qfq" => {
                let mut c = QfqClass::default();
                while let Some(w) = args.next() {
                    match w {
                        "weight" => c.weight = Some(args.parse("weight")?),
                        "maxpkt" => c.lmax = Some(args.parse("maxpkt")?),
                        other => bail!("qfq: what is \"{other}\"?"),
                    }
                }
                kind = Some(ClassKind::Qfq(c));
            }
            other => {
                kind = Some(ClassKind::Other {
                    kind: other.to_string(),
                    options: None,
                });
                if let Some(w) = args.peek() {
                    bail!("{other}: options are not supported here (\"{w}\")");
                }
            }
        }
    }
    let Some(index) = index else {
        bail!("Cannot find device \"\"")
    };
    let kind = kind.unwrap_or(ClassKind::Other {
        kind: String::new(),
        options: None,
    });
    Ok(Class::new(index, parent, kind).classid(classid))
}

/// hfsc's curves: `rt`, `ls`, `sc` (both) or `ul`, each `[m1 R] [d T]
/// m2 R` or `[umax B] [dmax T] rate R`, as tc reads them.
fn parse_hfsc(args: &mut Args<'_>) -> Result<HfscClass> {
    let mut c = HfscClass::default();
    while let Some(w) = args.next() {
        let curve = curve(args).map_err(|e| e.context(format!("hfsc: illegal \"{w}\" curve")))?;
        match w {
            "rt" => c.rsc = Some(curve),
            "ls" => c.fsc = Some(curve),
            "sc" => (c.rsc, c.fsc) = (Some(curve), Some(curve)),
            "ul" => c.usc = Some(curve),
            other => bail!("hfsc: what is \"{other}\"?"),
        }
    }
    ensure!(
        c.rsc.is_some() || c.fsc.is_some() || c.usc.is_some(),
        "hfsc: no parameters given"
    );
    ensure!(
        c.usc.is_none() || c.fsc.is_some(),
        "hfsc: Upper-limit Service Curve without Link-Share Service Curve"
    );
    Ok(c)
}

/// One hfsc curve, in either of tc's two forms.
fn curve(args: &mut Args<'_>) -> Result<ServiceCurve> {
    // A curve's time is whole microseconds, as tc's.
    let time = |s: &str| -> Result<u64> { Ok(parse_time(s)?.as_micros().try_into()?) };
    let mut c = ServiceCurve::default();
    if matches!(args.peek(), Some("m1" | "d" | "m2")) {
        if args.eat("m1") {
            c.m1 = args.parse::<Rate>("m1")?;
        }
        if args.eat("d") {
            c.d = Duration::from_micros(time(args.value("d")?)?);
        }
        ensure!(args.eat("m2"), "m2 is required");
        c.m2 = args.parse::<Rate>("m2")?;
        return Ok(c);
    }
    let (mut umax, mut dmax) = (0u64, 0u64);
    if args.eat("umax") {
        umax = parse_size(args.value("umax")?)?.into();
    }
    if args.eat("dmax") {
        dmax = time(args.value("dmax")?)?;
    }
    ensure!(args.eat("rate"), "m2 or rate is required");
    let rate = args.parse::<Rate>("rate")?;
    ensure!(umax == 0 || dmax != 0, "umax given but dmax is zero");
    c.m2 = rate;
    let r = rate.bytes();
    // umax bytes within dmax: a steeper first segment when that is
    // faster than the rate (concave), else a delay (convex).
    let first = (umax * 1_000_000).checked_div(dmax).map(|q| {
        if q * dmax < umax * 1_000_000 {
            q + 1
        } else {
            q
        }
    });
    match first {
        Some(m1) if m1 > r => {
            c.m1 = Rate::bytes_per_sec(m1);
            c.d = Duration::from_micros(dmax);
        }
        _ => {
            // tc: ceil(dmax - umax / rate), dmax whole: dmax - floor(umax / rate).
            let wait = (umax * 1_000_000).checked_div(r).unwrap_or(0);
            c.d = Duration::from_micros(dmax.saturating_sub(wait));
        }
    }
    Ok(c)
}

fn parse_htb(args: &mut Args<'_>) -> Result<HtbClass> {
    let (mut rate, mut ceil) = (None, None);
    let mut c = HtbClass::default();
    while let Some(w) = args.next() {
        match w {
            "rate" => rate = Some(args.parse::<Rate>("rate")?),
            "ceil" => ceil = Some(args.parse::<Rate>("ceil")?),
            "burst" | "buffer" | "maxburst" => c.burst = Some(parse_size(args.value("burst")?)?),
            "cburst" | "cbuffer" | "cmaxburst" => {
                c.cburst = Some(parse_size(args.value("cburst")?)?)
            }
            "prio" => c.prio = args.parse("prio")?,
            "quantum" => c.quantum = args.parse("quantum")?,
            other => bail!("htb: what is \"{other}\"?"),
        }
    }
    let Some(rate) = rate else {
        bail!("\"rate\" is required.")
    };
    c.rate = rate;
    c.ceil = ceil.unwrap_or(rate);
    Ok(c)
}

fn where_text(c: &Class) -> String {
    if c.parent == TcHandle::ROOT {
        "root ".into()
    } else {
        format!("parent {} ", c.parent)
    }
}

/// One class as `tc class show` prints it.
pub fn text(c: &Class, stats: bool) -> String {
    let mut s = format!("class {} {} {}", c.kind.name(), c.handle, where_text(c));
    if let ClassKind::Htb(o) = &c.kind {
        if o.level == 0 {
            s += &format!("prio {} ", o.prio);
        }
        s += &format!("rate {} ceil {} ", o.rate, o.ceil);
        if let Some(b) = o.burst {
            s += &format!("burst {} ", format_size(common::tc_burst(o.rate, b)));
        }
        if let Some(b) = o.cburst {
            s += &format!("cburst {} ", format_size(common::tc_burst(o.ceil, b)));
        }
    }
    // tc prints these three with bare fprintf (text only).
    match &c.kind {
        ClassKind::Hfsc(h) => {
            let curve = |name: &str, c: &ServiceCurve| {
                let d = u64::try_from(c.d.as_micros()).unwrap_or(u64::MAX);
                format!("{name} m1 {} d {} m2 {} ", c.m1, common::us_time(d), c.m2)
            };
            match (&h.rsc, &h.fsc) {
                (Some(r), Some(f)) if r == f => s += &curve("sc", r),
                (r, f) => {
                    if let Some(r) = r {
                        s += &curve("rt", r);
                    }
                    if let Some(f) = f {
                        s += &curve("ls", f);
                    }
                }
            }
            if let Some(u) = &h.usc {
                s += &curve("ul", u);
            }
        }
        ClassKind::Drr(DrrClass { quantum: Some(q) }) => {
            s += &format!("quantum {} ", format_size(*q));
        }
        ClassKind::Qfq(q) => {
            if let Some(w) = q.weight {
                s += &format!("weight {w} ");
            }
            if let Some(l) = q.lmax {
                s += &format!("maxpkt {l} ");
            }
        }
        _ => {}
    }
    if stats && let Some(st) = &c.stats {
        s += "\n";
        s += &common::stats_text(st);
        if let Some(Xstats::Htb {
            lends,
            borrows,
            giants,
            tokens,
            ctokens,
        }) = &c.xstats
        {
            s += &format!(
                "\n lended: {lends} borrowed: {borrows} giants: {giants}\n tokens: {tokens} ctokens: {ctokens}\n"
            );
        }
    }
    s
}

/// One class as JSON. tc 6.1 has no JSON for classes (`tc -j class
/// show` prints text); these keys follow its qdisc ones and its text.
pub fn json(c: &Class, stats: bool) -> Value {
    let mut m = Map::new();
    m.insert("class".into(), json!(c.kind.name()));
    m.insert("handle".into(), json!(c.handle.to_string()));
    if c.parent == TcHandle::ROOT {
        m.insert("root".into(), json!(true));
    } else {
        m.insert("parent".into(), json!(c.parent.to_string()));
    }
    if let ClassKind::Htb(o) = &c.kind {
        m.insert("prio".into(), json!(o.prio));
        m.insert("rate".into(), json!(o.rate.bytes()));
        m.insert("ceil".into(), json!(o.ceil.bytes()));
        if let Some(b) = o.burst {
            m.insert("burst".into(), json!(common::tc_burst(o.rate, b)));
        }
        if let Some(b) = o.cburst {
            m.insert("cburst".into(), json!(common::tc_burst(o.ceil, b)));
        }
    }
    if let ClassKind::Hfsc(h) = &c.kind {
        let curve = |c: &ServiceCurve| json!({"m1": c.m1.bytes(), "d": u64::try_from(c.d.as_micros()).unwrap_or(u64::MAX), "m2": c.m2.bytes()});
        for (k, v) in [("rt", &h.rsc), ("ls", &h.fsc), ("ul", &h.usc)] {
            if let Some(v) = v {
                m.insert(k.into(), curve(v));
            }
        }
    }
    if stats && let Some(s) = &c.stats {
        common::stats_json(&mut m, s);
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve_of(words: &str) -> Result<ServiceCurve> {
        curve(&mut Args::split(words))
    }

    #[test]
    fn hfsc_curves_read_as_tc_reads_them() -> Result<()> {
        let c = curve_of("m1 2mbit d 10ms m2 1mbit")?;
        assert_eq!(
            (c.m1, c.d, c.m2),
            (Rate::mbit(2), Duration::from_millis(10), Rate::mbit(1))
        );
        let c = curve_of("rate 1mbit")?;
        assert_eq!(
            (c.m1, c.d, c.m2),
            (Rate::default(), Duration::ZERO, Rate::mbit(1))
        );
        // 1500 bytes in 20ms is slower than 1mbit: convex, a delay of
        // 20ms less the 12ms 1500 bytes take at 1mbit.
        let c = curve_of("umax 1500 dmax 20ms rate 1mbit")?;
        assert_eq!((c.m1, c.d), (Rate::default(), Duration::from_millis(8)));
        // 1500 bytes in 5ms is faster: concave, 300000 bytes/s for 5ms.
        let c = curve_of("umax 1500 dmax 5ms rate 1mbit")?;
        assert_eq!(
            (c.m1, c.d),
            (Rate::bytes_per_sec(300_000), Duration::from_millis(5))
        );
        assert!(curve_of("m1 2mbit d 10ms").is_err());
        assert!(curve_of("umax 1500 rate 1mbit").is_err());
        assert!(parse_hfsc(&mut Args::split("ul rate 1mbit")).is_err());
        assert!(parse_hfsc(&mut Args::split("")).is_err());
        let sc = parse_hfsc(&mut Args::split("sc rate 1mbit ul rate 2mbit"))?;
        assert_eq!(sc.rsc, sc.fsc);
        Ok(())
    }
}
