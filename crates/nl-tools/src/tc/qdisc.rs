//! `tc qdisc show|add|replace|change|del`.

use std::time::Duration;

use std::io::Write;

use anyhow::{Context, Result, bail};
use netlink::Handle;
use netlink::nl_route::tc::units::{self, Rate, format_size, format_time, parse_size, parse_time};
use netlink::nl_route::tc::{
    CAKE_PRESETS, Cake, CakeAckFilter, CakeAtm, CakeDiffserv, CakeFlowMode, Cbs, ClockId, Codel,
    Etf, Ets, Fifo, Fq, FqCodel, FqPie, GRED_MAX_DPS, Gred, GredSetup, GredVq, Hfsc, Hhf, Htb,
    Mqprio, Multiq, Netem, Pie, Plug, PlugAction, Prio, Qdisc, QdiscKind, Red, SFB_MAX_PROB, Sfb,
    Sfq, Skbprio, TC_ETF_DEADLINE_MODE_ON, TC_ETF_OFFLOAD_ON, TC_ETF_SKIP_SOCK_CHECK,
    TC_MQPRIO_MODE_CHANNEL, TC_MQPRIO_SHAPER_BW_RATE, TC_TAPRIO_CMD_SET_GATES, Taprio, TaprioEntry,
    TaprioSched, Tbf, TcHandle,
};
use serde_json::{Map, Value, json};

use super::Opts;
use super::common::{self, Names, c_hex, hex, number};
use crate::args::{Args, matches};

/// `tc qdisc COMMAND ...`.
pub fn run(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    let cmd = args.next().unwrap_or("show");
    match cmd {
        c if matches(c, "show", 1) || c == "list" || c == "ls" => show(h, opts, args, out),
        "add" => h.qdisc_add(&parse(h, args)?).map_err(Into::into),
        "replace" => h.qdisc_replace(&parse(h, args)?).map_err(Into::into),
        "change" => h.qdisc_change(&parse(h, args)?).map_err(Into::into),
        "del" | "delete" => h.qdisc_del(&parse(h, args)?).map_err(Into::into),
        "help" => {
            writeln!(
                out,
                "Usage: tc qdisc [ add | del | replace | change | show ] dev STRING\n       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]\n       QDISC_KIND [ qdisc specific parameters ]"
            )?;
            Ok(())
        }
        other => bail!("Command \"{other}\" is unknown, try \"tc qdisc help\"."),
    }
}

fn show(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    // `dev X`, or just `X`.
    let dev = crate::args::dev_only(&mut args)?;
    let list = match dev {
        Some(d) => h.qdisc_list(d)?,
        None => h.qdisc_list_all()?,
    };
    let names = common::names(h)?;
    let items = list
        .iter()
        .map(|q| {
            (
                json(q, &names, dev.is_none(), opts.stats),
                text(q, &names, dev.is_none(), opts.stats),
            )
        })
        .collect();
    common::print_list(out, opts, items)?;
    Ok(())
}

/// `dev X (root|ingress|clsact|parent P) [handle H] KIND [OPTIONS]`.
pub fn parse(h: &Handle, mut args: Args<'_>) -> Result<Qdisc> {
    let mut index = None;
    let mut parent = None;
    let mut handle = TcHandle::NONE;
    let kind = loop {
        let Some(w) = args.next() else {
            // `del` names no kind.
            break QdiscKind::Other {
                kind: String::new(),
                options: None,
            };
        };
        match w {
            "dev" => index = Some(h.link_index(args.value("dev")?)?),
            "root" => parent = Some(TcHandle::ROOT),
            "parent" => parent = Some(args.parse::<TcHandle>("parent")?),
            "handle" => handle = args.parse::<TcHandle>("handle")?,
            "ingress" => {
                parent = Some(TcHandle::INGRESS);
                handle = TcHandle::new(0xffff, 0);
                break QdiscKind::Ingress;
            }
            "clsact" => {
                parent = Some(TcHandle::CLSACT);
                handle = TcHandle::new(0xffff, 0);
                break QdiscKind::Clsact;
            }
            kind => break parse_kind(kind, &mut args)?,
        }
    };
    if !args.is_empty() {
        bail!("What is \"{}\"?", args.peek().unwrap_or_default());
    }
    let Some(index) = index else {
        bail!("Cannot find device \"\"")
    };
    let Some(parent) = parent else {
        bail!("one of root, ingress, clsact or parent is needed")
    };
    Ok(Qdisc::new(index, parent, kind).handle(handle))
}

fn parse_kind(kind: &str, args: &mut Args<'_>) -> Result<QdiscKind> {
    Ok(match kind {
        "pfifo" | "bfifo" | "pfifo_head_drop" => {
            let mut limit = None;
            while let Some(w) = args.next() {
                match w {
                    "limit" if kind == "bfifo" => limit = Some(parse_size(args.value("limit")?)?),
                    "limit" => limit = Some(args.parse::<u32>("limit")?),
                    other => bail!("{kind}: what is \"{other}\"?"),
                }
            }
            match kind {
                "pfifo" => QdiscKind::Pfifo(Fifo { limit }),
                "bfifo" => QdiscKind::Bfifo(Fifo { limit }),
                _ => QdiscKind::PfifoHeadDrop(Fifo { limit }),
            }
        }
        "htb" => {
            let mut o = Htb::default();
            while let Some(w) = args.next() {
                match w {
                    "default" => o.default_class = hex(args.value("default")?)?,
                    "r2q" => o.r2q = args.parse("r2q")?,
                    "direct_qlen" => o.direct_qlen = Some(args.parse("direct_qlen")?),
                    other => bail!("htb: what is \"{other}\"?"),
                }
            }
            QdiscKind::Htb(o)
        }
        "tbf" => parse_tbf(args)?,
        "prio" => {
            let mut o = Prio::default();
            while let Some(w) = args.next() {
                match w {
                    "bands" => o.bands = args.parse("bands")?,
                    "priomap" => {
                        for slot in o.priomap.iter_mut() {
                            *slot = args.parse("priomap")?;
                        }
                    }
                    other => bail!("prio: what is \"{other}\"?"),
                }
            }
            QdiscKind::Prio(o)
        }
        "sfq" => {
            let mut o = Sfq::default();
            while let Some(w) = args.next() {
                match w {
                    "perturb" => o.perturb = args.parse("perturb")?,
                    "quantum" => o.quantum = parse_size(args.value("quantum")?)?,
                    "limit" => o.limit = args.parse("limit")?,
                    "divisor" => o.divisor = args.parse("divisor")?,
                    "flows" => o.flows = args.parse("flows")?,
                    "depth" => o.depth = args.parse("depth")?,
                    "headdrop" => o.headdrop = true,
                    other => bail!("sfq: what is \"{other}\"?"),
                }
            }
            QdiscKind::Sfq(o)
        }
        "fq_codel" => {
            let mut o = FqCodel::default();
            while let Some(w) = args.next() {
                match w {
                    "limit" => o.limit = Some(args.parse("limit")?),
                    "flows" => o.flows = Some(args.parse("flows")?),
                    "target" => o.target = Some(micros(args.value("target")?)?),
                    "interval" => o.interval = Some(micros(args.value("interval")?)?),
                    "ce_threshold" => o.ce_threshold = Some(micros(args.value("ce_threshold")?)?),
                    "ecn" => o.ecn = Some(1),
                    "noecn" => o.ecn = Some(0),
                    "quantum" => o.quantum = Some(parse_size(args.value("quantum")?)?),
                    "memory_limit" => {
                        o.memory_limit = Some(parse_size(args.value("memory_limit")?)?)
                    }
                    "drop_batch" => o.drop_batch_size = Some(args.parse("drop_batch")?),
                    other => bail!("fq_codel: what is \"{other}\"?"),
                }
            }
            QdiscKind::FqCodel(o)
        }
        "netem" => {
            let mut o = Netem::default();
            while let Some(w) = args.next() {
                match w {
                    "delay" | "latency" => {
                        o.delay = parse_time(args.value("delay")?)?;
                        if let Some(j) = args.peek().and_then(|s| parse_time(s).ok()) {
                            o.jitter = j;
                            args.next();
                        }
                    }
                    "loss" => {
                        if args.peek() == Some("random") {
                            args.next();
                        }
                        o.loss = units::parse_percent(args.value("loss")?)?;
                    }
                    "duplicate" => o.duplicate = units::parse_percent(args.value("duplicate")?)?,
                    "limit" => o.limit = args.parse("limit")?,
                    other => bail!("netem: what is \"{other}\"?"),
                }
            }
            QdiscKind::Netem(o)
        }
        "pie" => QdiscKind::Pie(parse_pie(args)?),
        "fq_pie" => QdiscKind::FqPie(parse_fq_pie(args)?),
        "hhf" => {
            let mut o = Hhf::default();
            while let Some(w) = args.next() {
                match w {
                    "limit" => o.backlog_limit = Some(args.parse("limit")?),
                    "quantum" => o.quantum = Some(args.parse("quantum")?),
                    "hh_limit" => o.hh_flows_limit = Some(args.parse("hh_limit")?),
                    "reset_timeout" => {
                        o.reset_timeout = Some(micros(args.value("reset_timeout")?)?)
                    }
                    "admit_bytes" => o.admit_bytes = Some(args.parse("admit_bytes")?),
                    "evict_timeout" => {
                        o.evict_timeout = Some(micros(args.value("evict_timeout")?)?)
                    }
                    "non_hh_weight" => o.non_hh_weight = Some(args.parse("non_hh_weight")?),
                    other => bail!("hhf: what is \"{other}\"?"),
                }
            }
            QdiscKind::Hhf(o)
        }
        "plug" => {
            let mut o = Plug::default();
            while let Some(w) = args.next() {
                o.action = Some(match w {
                    "block" => PlugAction::Buffer,
                    "release" => PlugAction::ReleaseOne,
                    "release_indefinite" => PlugAction::ReleaseIndefinite,
                    "limit" => {
                        o.limit = parse_size(args.value("limit")?)?;
                        PlugAction::Limit
                    }
                    other => bail!("plug: what is \"{other}\"?"),
                });
            }
            QdiscKind::Plug(o)
        }
        "skbprio" => {
            let mut o = Skbprio::default();
            while let Some(w) = args.next() {
                match w {
                    "limit" => o.limit = Some(parse_size(args.value("limit")?)?),
                    other => bail!("skbprio: what is \"{other}\"?"),
                }
            }
            QdiscKind::Skbprio(o)
        }
        "multiq" => {
            if let Some(w) = args.next() {
                bail!("multiq: what is \"{w}\"?");
            }
            QdiscKind::Multiq(Multiq::default())
        }
        "cbs" => {
            let mut o = Cbs::default();
            while let Some(w) = args.next() {
                match w {
                    w if matches(w, "offload", 1) => o.offload = args.parse::<u8>("offload")? != 0,
                    w if matches(w, "hicredit", 1) => o.hicredit = args.parse("hicredit")?,
                    w if matches(w, "locredit", 1) => o.locredit = args.parse("locredit")?,
                    w if matches(w, "sendslope", 1) => o.sendslope = args.parse("sendslope")?,
                    w if matches(w, "idleslope", 1) => o.idleslope = args.parse("idleslope")?,
                    other => bail!("cbs: what is \"{other}\"?"),
                }
            }
            QdiscKind::Cbs(o)
        }
        "etf" => {
            let mut o = Etf::default();
            let mut clock = None;
            while let Some(w) = args.next() {
                match w {
                    w if matches(w, "offload", 1) => o.flags |= TC_ETF_OFFLOAD_ON,
                    w if matches(w, "deadline_mode", 1) => o.flags |= TC_ETF_DEADLINE_MODE_ON,
                    "skip_sock_check" => o.flags |= TC_ETF_SKIP_SOCK_CHECK,
                    w if matches(w, "delta", 1) => o.delta = args.parse("delta")?,
                    w if matches(w, "clockid", 1) => {
                        clock = Some(args.parse::<ClockId>("clockid")?);
                    }
                    other => bail!("etf: what is \"{other}\"?"),
                }
            }
            // tc sends -1 without a clock; the kernel refuses it.
            o.clockid = clock.unwrap_or(ClockId::Other(-1));
            QdiscKind::Etf(o)
        }
        "choke" => QdiscKind::Choke(parse_choke(args)?),
        "gred" => QdiscKind::Gred(parse_gred(args)?),
        "fq" => QdiscKind::Fq(parse_fq(args)?),
        "codel" => QdiscKind::Codel(parse_codel(args)?),
        "red" => QdiscKind::Red(parse_red(args)?),
        "hfsc" => {
            let mut o = Hfsc::default();
            while let Some(w) = args.next() {
                match w {
                    "default" => o.default_class = u16::try_from(hex(args.value("default")?)?)?,
                    other => bail!("hfsc: what is \"{other}\"?"),
                }
            }
            QdiscKind::Hfsc(o)
        }
        "cake" => QdiscKind::Cake(parse_cake(args)?),
        "mqprio" => QdiscKind::Mqprio(parse_mqprio(args)?),
        "taprio" => QdiscKind::Taprio(parse_taprio(args)?),
        "ets" => {
            let mut o = Ets::default();
            let mut list = "";
            while let Some(w) = args.next() {
                match w {
                    "bands" => {
                        list = "";
                        o.nbands = args.parse("bands")?;
                    }
                    "strict" => {
                        list = "";
                        o.nstrict = Some(args.parse::<u8>("strict")?).filter(|n| *n != 0);
                    }
                    "quanta" | "priomap" => list = w,
                    v if list == "quanta" => o.quanta.push(parse_size(v)?),
                    v if list == "priomap" => o.priomap.push(v.parse()?),
                    other => bail!("ets: what is \"{other}\"?"),
                }
            }
            // tc's default: one band per strict band and quantum.
            if o.nbands == 0 {
                o.nbands = u8::try_from(o.quanta.len() + usize::from(o.nstrict.unwrap_or(0)))?;
            }
            QdiscKind::Ets(o)
        }
        "sfb" => {
            let mut o = Sfb {
                max: 0,
                bin_size: 0,
                ..Sfb::default()
            };
            let prob = |s: &str| -> Result<u32> {
                let d: f64 = s
                    .parse()
                    .map_err(|_| anyhow::anyhow!("sfb: bad probability \"{s}\""))?;
                if !(0.0..=1.0).contains(&d) {
                    bail!("sfb: bad probability \"{s}\"");
                }
                Ok((d * f64::from(SFB_MAX_PROB) + 0.5) as u32)
            };
            while let Some(w) = args.next() {
                match w {
                    "rehash" => o.rehash_interval = args.parse("rehash")?,
                    "db" => o.warmup_time = args.parse("db")?,
                    "limit" => o.limit = args.parse("limit")?,
                    "max" => o.max = args.parse("max")?,
                    "target" => o.bin_size = args.parse("target")?,
                    "increment" => o.increment = prob(args.value("increment")?)?,
                    "decrement" => o.decrement = prob(args.value("decrement")?)?,
                    "penalty_rate" => o.penalty_rate = args.parse("penalty_rate")?,
                    "penalty_burst" => o.penalty_burst = args.parse("penalty_burst")?,
                    other => bail!("sfb: what is \"{other}\"?"),
                }
            }
            // tc's defaults: max from the target, the target from max.
            if o.max == 0 {
                o.max = if o.bin_size >= 1 {
                    (o.bin_size * 5 + 1) / 4
                } else {
                    25
                };
            }
            if o.bin_size == 0 {
                o.bin_size = (o.max * 4 + 3) / 5;
            }
            QdiscKind::Sfb(o)
        }
        "drr" | "qfq" => {
            if let Some(w) = args.next() {
                bail!("{kind}: what is \"{w}\"?");
            }
            if kind == "drr" {
                QdiscKind::Drr
            } else {
                QdiscKind::Qfq
            }
        }
        other => {
            if let Some(w) = args.peek() {
                bail!("{other}: options are not supported here (\"{w}\")");
            }
            QdiscKind::Other {
                kind: other.to_string(),
                options: None,
            }
        }
    })
}

/// `pie [limit P] [target T] [tupdate T] [alpha A] [beta B] [[no]ecn]
/// [[no]bytemode] [[no_]dq_rate_estimator]`.
fn parse_pie(args: &mut Args<'_>) -> Result<Pie> {
    let mut o = Pie::default();
    while let Some(w) = args.next() {
        match w {
            "limit" => o.limit = Some(args.parse("limit")?),
            "target" => o.target = Some(micros(args.value("target")?)?),
            "tupdate" => o.tupdate = Some(micros(args.value("tupdate")?)?),
            "alpha" => o.alpha = Some(weight(args, "alpha")?),
            "beta" => o.beta = Some(weight(args, "beta")?),
            "ecn" => o.ecn = Some(true),
            "noecn" => o.ecn = Some(false),
            "bytemode" => o.bytemode = Some(true),
            "nobytemode" => o.bytemode = Some(false),
            "dq_rate_estimator" => o.dq_rate_estimator = Some(true),
            "no_dq_rate_estimator" => o.dq_rate_estimator = Some(false),
            other => bail!("pie: what is \"{other}\"?"),
        }
    }
    Ok(o)
}

/// fq_pie: pie's words plus `flows`, `quantum`, `memory_limit`, `ecn_prob`.
fn parse_fq_pie(args: &mut Args<'_>) -> Result<FqPie> {
    let mut o = FqPie::default();
    while let Some(w) = args.next() {
        match w {
            "limit" => o.limit = Some(args.parse("limit")?),
            "flows" => o.flows = Some(args.parse("flows")?),
            "target" => o.target = Some(micros(args.value("target")?)?),
            "tupdate" => o.tupdate = Some(micros(args.value("tupdate")?)?),
            "alpha" => o.alpha = Some(weight(args, "alpha")?),
            "beta" => o.beta = Some(weight(args, "beta")?),
            "quantum" => o.quantum = Some(parse_size(args.value("quantum")?)?),
            "memory_limit" => o.memory_limit = Some(parse_size(args.value("memory_limit")?)?),
            "ecn_prob" => {
                let p: u32 = args.parse("ecn_prob")?;
                if p > 100 {
                    bail!("Illegal \"ecn_prob\"");
                }
                o.ecn_prob = Some(p);
            }
            "ecn" => o.ecn = Some(true),
            "noecn" => o.ecn = Some(false),
            "bytemode" => o.bytemode = Some(true),
            "nobytemode" => o.bytemode = Some(false),
            "dq_rate_estimator" => o.dq_rate_estimator = Some(true),
            "no_dq_rate_estimator" => o.dq_rate_estimator = Some(false),
            other => bail!("fq_pie: what is \"{other}\"?"),
        }
    }
    Ok(o)
}

/// `choke limit L bandwidth BW [ecn] [min P] [max P] [burst P] [avpkt B]
/// [probability P]`.
/// `fq [limit P] [flow_limit P] [buckets N] [quantum B] [initial_quantum B]
/// [maxrate R] [low_rate_threshold R] [refill_delay T] [orphan_mask M]
/// [ce_threshold T] [timer_slack T] [horizon T] [horizon_drop|horizon_cap]
/// [pacing|nopacing]`.
fn parse_fq(args: &mut Args<'_>) -> Result<Fq> {
    let mut o = Fq::default();
    let rate = |args: &mut Args<'_>, w: &str| -> Result<u32> {
        let r = args.parse::<Rate>(w)?;
        Ok(u32::try_from(r.bytes()).unwrap_or(u32::MAX))
    };
    while let Some(w) = args.next() {
        match w {
            "limit" => o.limit = Some(number(args.value(w)?)?),
            "flow_limit" => o.flow_limit = Some(number(args.value(w)?)?),
            "buckets" => {
                let n = number(args.value(w)?)?;
                // tc sends the log2, rounded down.
                o.buckets_log = Some(n.checked_ilog2().unwrap_or(0));
            }
            "quantum" => o.quantum = Some(number(args.value(w)?)?),
            "initial_quantum" => o.initial_quantum = Some(number(args.value(w)?)?),
            "maxrate" => o.flow_max_rate = Some(rate(args, w)?),
            "low_rate_threshold" => o.low_rate_threshold = Some(rate(args, w)?),
            "refill_delay" => o.flow_refill_delay = Some(micros(args.value(w)?)?),
            "orphan_mask" => o.orphan_mask = Some(number(args.value(w)?)?),
            "ce_threshold" => o.ce_threshold = Some(micros(args.value(w)?)?),
            "timer_slack" => {
                let ns = parse_time(args.value(w)?)?.as_nanos();
                o.timer_slack = Some(u32::try_from(ns).context("fq: timer_slack is too large")?);
            }
            "horizon" => o.horizon = Some(micros(args.value(w)?)?),
            "horizon_drop" => o.horizon_drop = Some(1),
            "horizon_cap" => o.horizon_drop = Some(0),
            "pacing" => o.rate_enable = Some(1),
            "nopacing" => o.rate_enable = Some(0),
            other => bail!("fq: what is \"{other}\"?"),
        }
    }
    Ok(o)
}

/// `gred setup vqs N default D [grio] [limit B] [ecn] [harddrop]` (the
/// table), or one virtual queue's change: `gred DP|vq N limit B min B max
/// B avpkt B [burst N] [bandwidth R] [probability P] [prio P] [ecn]
/// [harddrop]`, with red's defaults.
fn parse_gred(args: &mut Args<'_>) -> Result<Gred> {
    let mut g = Gred::default();
    if args.eat("setup") {
        let mut s = GredSetup {
            default: GRED_MAX_DPS,
            ..GredSetup::default()
        };
        while let Some(w) = args.next() {
            match w {
                "vqs" | "DPs" => {
                    s.vqs = args.parse(w)?;
                    if s.vqs > GRED_MAX_DPS {
                        bail!("gred: at most {GRED_MAX_DPS} virtual queues");
                    }
                }
                "default" => s.default = args.parse(w)?,
                "grio" => s.grio = true,
                "limit" => g.limit = Some(parse_size(args.value(w)?)?),
                "ecn" => s.flags |= TC_RED_ECN,
                "harddrop" => s.flags |= TC_RED_HARDDROP,
                other => bail!("gred: what is \"{other}\"?"),
            }
        }
        if s.vqs == 0 || s.default >= s.vqs {
            bail!("gred: \"vqs\" and a \"default\" below it are required");
        }
        g.setup = Some(s);
        return Ok(g);
    }
    let (mut limit, mut min, mut max, mut avpkt, mut burst) = (0, 0, 0, 0, 0);
    let (mut rate, mut probability) = (Rate::mbit(10), 0.02);
    let (mut dp, mut prio, mut flags) = (None, 0u8, 0u32);
    while let Some(w) = args.next() {
        match w {
            "limit" => limit = parse_size(args.value(w)?)?,
            "min" => min = parse_size(args.value(w)?)?,
            "max" => max = parse_size(args.value(w)?)?,
            "avpkt" => avpkt = parse_size(args.value(w)?)?,
            "burst" => burst = number(args.value(w)?)?,
            "bandwidth" => rate = args.parse::<Rate>(w)?,
            "probability" => probability = args.parse(w)?,
            "DP" | "vq" => {
                let n: u32 = args.parse(w)?;
                if n >= GRED_MAX_DPS {
                    bail!("gred: DP is below {GRED_MAX_DPS}");
                }
                dp = Some(n);
            }
            "prio" => prio = args.parse(w)?,
            "ecn" => flags |= u32::from(TC_RED_ECN),
            "harddrop" => flags |= u32::from(TC_RED_HARDDROP),
            "setup" => bail!("gred: \"setup\" comes first"),
            other => bail!("gred: what is \"{other}\"?"),
        }
    }
    let Some(dp) = dp.filter(|_| limit != 0 && min != 0 && max != 0 && avpkt != 0) else {
        bail!("gred: DP, limit, min, max and avpkt are required");
    };
    if burst == 0 {
        burst = red_burst(min, max, avpkt);
    }
    // A queue's parameters are red's.
    let red = Red::new(limit, min, max, avpkt, burst, rate, probability)?;
    g.vqs.push(GredVq {
        dp,
        limit,
        min,
        max,
        wlog: red.wlog,
        plog: red.plog,
        scell_log: red.scell_log,
        prio,
        max_p: red.max_p,
        flags: Some(flags),
        stats: [0; 8],
    });
    g.stab = Some(red.stab);
    Ok(g)
}

/// `codel [limit P] [target T] [interval T] [ce_threshold T] [ecn|noecn]`.
fn parse_codel(args: &mut Args<'_>) -> Result<Codel> {
    let mut o = Codel::default();
    while let Some(w) = args.next() {
        match w {
            "limit" => o.limit = Some(number(args.value(w)?)?),
            "target" => o.target = Some(micros(args.value(w)?)?),
            "interval" => o.interval = Some(micros(args.value(w)?)?),
            "ce_threshold" => o.ce_threshold = Some(micros(args.value(w)?)?),
            "ecn" => o.ecn = Some(1),
            "noecn" => o.ecn = Some(0),
            other => bail!("codel: what is \"{other}\"?"),
        }
    }
    Ok(o)
}

/// `red limit B [min B] [max B] avpkt B [burst N] [bandwidth R]
/// [probability P] [ecn] [harddrop] [nodrop] [adaptive]`, with tc's
/// defaults for what is left out (max a quarter of the limit, min a
/// third of max, a 10Mbit bandwidth).
fn parse_red(args: &mut Args<'_>) -> Result<Red> {
    let (mut limit, mut min, mut max, mut burst, mut avpkt) = (0, 0, 0, 0, 0);
    let (mut rate, mut probability, mut flags) = (Rate::mbit(10), 0.02, 0u8);
    while let Some(w) = args.next() {
        match w {
            "limit" => limit = parse_size(args.value(w)?)?,
            "min" => min = parse_size(args.value(w)?)?,
            "max" => max = parse_size(args.value(w)?)?,
            "burst" => burst = number(args.value(w)?)?,
            "avpkt" => avpkt = parse_size(args.value(w)?)?,
            "probability" => probability = args.parse(w)?,
            "bandwidth" => rate = args.parse::<Rate>(w)?,
            "ecn" => flags |= TC_RED_ECN,
            "harddrop" => flags |= TC_RED_HARDDROP,
            "nodrop" => flags |= TC_RED_NODROP,
            "adaptive" | "adaptative" => flags |= TC_RED_ADAPTATIVE,
            other => bail!("red: what is \"{other}\"?"),
        }
    }
    if limit == 0 || avpkt == 0 {
        bail!("red: Required parameter (limit, avpkt) is missing");
    }
    if max == 0 {
        max = if min != 0 {
            min.saturating_mul(3)
        } else {
            limit / 4
        };
    }
    if min == 0 {
        min = max / 3;
    }
    if burst == 0 {
        burst = red_burst(min, max, avpkt);
    }
    let mut red = Red::new(limit, min, max, avpkt, burst, rate, probability)?;
    red.flags = flags;
    Ok(red)
}

fn parse_choke(args: &mut Args<'_>) -> Result<Red> {
    let (mut limit, mut rate, mut ecn) = (0, None, false);
    let (mut min, mut max, mut burst) = (None, None, None);
    let (mut avpkt, mut probability) = (1000, 0.02);
    while let Some(w) = args.next() {
        match w {
            "limit" => limit = args.parse("limit")?,
            "bandwidth" => rate = Some(args.parse::<Rate>("bandwidth")?),
            "ecn" => ecn = true,
            "min" => min = Some(args.parse("min")?),
            "max" => max = Some(args.parse("max")?),
            "burst" => burst = Some(args.parse("burst")?),
            "avpkt" => avpkt = parse_size(args.value("avpkt")?)?,
            "probability" => probability = args.parse("probability")?,
            other => bail!("choke: what is \"{other}\"?"),
        }
    }
    let Some(rate) = rate else {
        bail!("choke: Required parameter (limit, bandwidth) is missing")
    };
    let mut red = netlink::nl_route::tc::choke(limit, min, max, burst, avpkt, rate, probability)?;
    if ecn {
        red.flags |= TC_RED_ECN;
    }
    Ok(red)
}

/// cake's words: a rate, a round trip, tins, flow isolation, framing and
/// overhead, and the switches (tc's keyword presets for link framing are
/// `overhead N` and `mpu N` here).
fn parse_cake(args: &mut Args<'_>) -> Result<Cake> {
    let mut o = Cake::default();
    let mut overhead = None;
    while let Some(w) = args.next() {
        if let Some((_, rtt, target)) = CAKE_PRESETS.iter().find(|(n, _, _)| *n == w) {
            o.rtt = Some(*rtt);
            o.target = Some(*target);
            continue;
        }
        if let Ok(d) = w.parse::<CakeDiffserv>() {
            o.diffserv_mode = Some(d);
            continue;
        }
        if let Ok(f) = w.parse::<CakeFlowMode>() {
            o.flow_mode = Some(f);
            continue;
        }
        if let Ok(a) = w.parse::<CakeAckFilter>() {
            o.ack_filter = Some(a);
            continue;
        }
        match w {
            "bandwidth" => {
                o.base_rate = Some(args.parse::<Rate>("bandwidth")?.bytes());
                o.autorate = Some(false);
            }
            "unlimited" => {
                o.base_rate = Some(0);
                o.autorate = Some(false);
            }
            "autorate-ingress" => o.autorate = Some(true),
            "rtt" => {
                let rtt = micros(args.value("rtt")?)?;
                o.rtt = Some(rtt);
                o.target = Some((rtt / 20).max(1));
            }
            "nat" => o.nat = Some(true),
            "nonat" => o.nat = Some(false),
            "wash" => o.wash = Some(true),
            "nowash" => o.wash = Some(false),
            "split-gso" => o.split_gso = Some(true),
            "no-split-gso" => o.split_gso = Some(false),
            "ingress" => o.ingress = Some(true),
            "egress" => o.ingress = Some(false),
            "atm" => o.atm = Some(CakeAtm::Atm),
            "ptm" => o.atm = Some(CakeAtm::Ptm),
            "noatm" => o.atm = Some(CakeAtm::None),
            "raw" => {
                o.atm = Some(CakeAtm::None);
                overhead = Some(0);
                o.raw = true;
            }
            "overhead" => {
                let v: i32 = args.parse("overhead")?;
                if !(-64..=256).contains(&v) {
                    bail!("Illegal \"overhead\", valid range is -64 to 256");
                }
                overhead = Some(v);
            }
            "mpu" => {
                let v: u32 = args.parse("mpu")?;
                if v > 256 {
                    bail!("Illegal \"mpu\", valid range is 0 to 256");
                }
                o.mpu = (v > 0).then_some(v);
            }
            "memlimit" => o.memory = Some(parse_size(args.value("memlimit")?)?),
            "fwmark" => o.fwmark = Some(number(args.value("fwmark")?)?).filter(|m| *m != 0),
            other => bail!("cake: what is \"{other}\"?"),
        }
    }
    o.overhead = overhead;
    Ok(o)
}

/// `mqprio [num_tc N] [map P P ...] [queues C@O ...] [hw 0|1] [mode
/// dcb|channel] [shaper dcb|bw_rlimit] [min_rate R ...] [max_rate R ...]`,
/// from tc's defaults (8 classes, identity map, hw 1).
fn parse_mqprio(args: &mut Args<'_>) -> Result<Mqprio> {
    let mut o = Mqprio {
        num_tc: 8,
        hw: 1,
        ..Mqprio::default()
    };
    for (i, m) in o.map.iter_mut().take(8).enumerate() {
        *m = i as u8;
    }
    while let Some(w) = args.next() {
        match w {
            "num_tc" => o.num_tc = args.parse("num_tc")?,
            "map" => {
                o.map = [0; 16];
                let mut i = 0;
                while let Some(v) = args.peek().and_then(|v| v.parse::<u8>().ok()) {
                    args.next();
                    if let Some(slot) = o.map.get_mut(i) {
                        *slot = v;
                    }
                    i += 1;
                }
            }
            "queues" => {
                while let Some((c, off)) = args.peek().and_then(|v| v.split_once('@')) {
                    o.queues.push((c.parse()?, off.parse()?));
                    args.next();
                }
            }
            "hw" => o.hw = args.parse("hw")?,
            "mode" => {
                o.mode = match args.value("mode")? {
                    "dcb" => None,
                    "channel" => Some(TC_MQPRIO_MODE_CHANNEL),
                    other => bail!("mqprio: unknown mode \"{other}\""),
                }
            }
            "shaper" => {
                o.shaper = match args.value("shaper")? {
                    "dcb" => None,
                    "bw_rlimit" => Some(TC_MQPRIO_SHAPER_BW_RATE),
                    other => bail!("mqprio: unknown shaper \"{other}\""),
                }
            }
            "min_rate" | "max_rate" => {
                let mut list = Vec::new();
                while let Some(r) = args.peek().and_then(|v| v.parse::<Rate>().ok()) {
                    args.next();
                    list.push(r.bytes());
                }
                if w == "min_rate" {
                    o.min_rates = list;
                } else {
                    o.max_rates = list;
                }
            }
            other => bail!("mqprio: what is \"{other}\"?"),
        }
    }
    Ok(o)
}

/// `taprio num_tc N map P ... queues C@O ... [base-time NS] [cycle-time NS]
/// [cycle-time-extension NS] sched-entry S MASK NS ... clockid CLOCK
/// [flags F] [txtime-delay NS]`.
fn parse_taprio(args: &mut Args<'_>) -> Result<Taprio> {
    let mut o = Taprio::default();
    while let Some(w) = args.next() {
        match w {
            "num_tc" => o.num_tc = args.parse("num_tc")?,
            "map" => {
                let mut i = 0;
                while let Some(v) = args.peek().and_then(|v| v.parse::<u8>().ok()) {
                    args.next();
                    if let Some(slot) = o.map.get_mut(i) {
                        *slot = v;
                    }
                    i += 1;
                }
            }
            "queues" => {
                while let Some((c, off)) = args.peek().and_then(|v| v.split_once('@')) {
                    o.queues.push((c.parse()?, off.parse()?));
                    args.next();
                }
            }
            "sched-entry" => {
                if args.value("sched-entry")? != "S" {
                    bail!("taprio: sched-entry takes the command S");
                }
                o.sched.entries.push(TaprioEntry {
                    index: None,
                    cmd: TC_TAPRIO_CMD_SET_GATES,
                    gate_mask: hex(args.value("sched-entry")?)?,
                    interval: args.parse("sched-entry")?,
                });
            }
            "base-time" => o.sched.base_time = Some(args.parse("base-time")?),
            "cycle-time" => o.sched.cycle_time = Some(args.parse("cycle-time")?),
            "cycle-time-extension" => {
                o.sched.cycle_time_extension = Some(args.parse("cycle-time-extension")?)
            }
            "clockid" => o.clockid = Some(args.parse::<ClockId>("clockid")?),
            "flags" => o.flags = Some(number(args.value("flags")?)?),
            "txtime-delay" => o.txtime_delay = Some(args.parse("txtime-delay")?),
            other => bail!("taprio: what is \"{other}\"?"),
        }
    }
    Ok(o)
}

/// taprio's schedule lines as tc prints them.
fn taprio_sched_text(s: &TaprioSched, with_list: bool) -> String {
    let mut t = format!(
        "\tbase-time {} cycle-time {} cycle-time-extension {}",
        s.base_time.unwrap_or(0),
        s.cycle_time.unwrap_or(0),
        s.cycle_time_extension.unwrap_or(0)
    );
    if with_list {
        t += "\n";
        for e in &s.entries {
            let cmd = if e.cmd == TC_TAPRIO_CMD_SET_GATES {
                "S"
            } else {
                "Invalid"
            };
            t += &format!(
                "\tindex {} cmd {cmd} gatemask {} interval {}\n",
                e.index.unwrap_or(0),
                c_hex(e.gate_mask),
                e.interval
            );
        }
    }
    t
}

/// `TC_RED_*` flags.
const TC_RED_ECN: u8 = 1;
const TC_RED_HARDDROP: u8 = 2;
const TC_RED_ADAPTATIVE: u8 = 4;
const TC_RED_NODROP: u8 = 8;

/// red's default burst, as tc computes it: `(2 min + max) / (3 avpkt)`.
fn red_burst(min: u32, max: u32, avpkt: u32) -> u32 {
    (2 * u64::from(min) + u64::from(max))
        .checked_div(3 * u64::from(avpkt))
        .and_then(|b| u32::try_from(b).ok())
        .unwrap_or(0)
}

/// red's flags as tc prints them (`ecn harddrop adaptive nodrop `).
fn red_flags_text(flags: u32) -> String {
    RED_FLAGS
        .iter()
        .filter(|(_, f)| flags & u32::from(*f) != 0)
        .map(|(k, _)| format!("{k} "))
        .collect()
}

/// red's flags under -j: each a boolean.
fn red_flags_json(put: &mut impl FnMut(&str, Value), flags: u32) {
    for (k, f) in RED_FLAGS {
        put(k, json!(flags & u32::from(f) != 0));
    }
}

/// red's flags and their words, in tc's order.
const RED_FLAGS: [(&str, u8); 4] = [
    ("ecn", TC_RED_ECN),
    ("harddrop", TC_RED_HARDDROP),
    ("adaptive", TC_RED_ADAPTATIVE),
    ("nodrop", TC_RED_NODROP),
];

/// `%g` of C, as a JSON number (tc's `print_float`).
fn g(v: f64) -> Value {
    json!(units::format_g(v, 6).parse::<f64>().unwrap_or(v))
}

/// pie's `alpha`/`beta`: 0 to 32.
fn weight(args: &mut Args<'_>, what: &str) -> Result<u32> {
    let v: u32 = args.parse(what)?;
    if v > 32 {
        bail!("Illegal \"{what}\"");
    }
    Ok(v)
}

fn micros(s: &str) -> Result<u32> {
    Ok(u32::try_from(parse_time(s)?.as_micros()).unwrap_or(u32::MAX))
}

/// `tbf rate R burst B (latency T | limit B) [peakrate R mtu B]`.
fn parse_tbf(args: &mut Args<'_>) -> Result<QdiscKind> {
    let (mut rate, mut burst, mut latency, mut limit) = (None, None, None, None);
    let (mut peakrate, mut mtu) = (None, 0);
    while let Some(w) = args.next() {
        match w {
            "rate" => rate = Some(args.parse::<Rate>("rate")?),
            "burst" | "buffer" | "maxburst" => burst = Some(parse_size(args.value("burst")?)?),
            "latency" => latency = Some(parse_time(args.value("latency")?)?),
            "limit" => limit = Some(parse_size(args.value("limit")?)?),
            "peakrate" => peakrate = Some(args.parse::<Rate>("peakrate")?),
            "mtu" | "minburst" => mtu = parse_size(args.value("mtu")?)?,
            other => bail!("tbf: what is \"{other}\"?"),
        }
    }
    let (Some(rate), Some(burst)) = (rate, burst) else {
        bail!("tbf: \"rate\" and \"burst\" are required.")
    };
    let mut t = match (latency, limit) {
        (Some(l), None) => Tbf::with_latency(rate, burst, l),
        (None, Some(limit)) => Tbf {
            rate,
            burst,
            limit,
            ..Tbf::default()
        },
        _ => bail!("tbf: exactly one of \"latency\" or \"limit\" is required."),
    };
    t.peakrate = peakrate;
    t.mtu = mtu;
    Ok(QdiscKind::Tbf(t))
}

/// A qdisc handle as tc prints it (`0:` rather than `none`).
fn handle(h: TcHandle) -> String {
    format!("{:x}:", h.major())
}

fn where_json(m: &mut Map<String, Value>, q: &Qdisc) {
    if q.parent == TcHandle::ROOT {
        m.insert("root".into(), json!(true));
    } else if q.parent != TcHandle::NONE {
        m.insert("parent".into(), json!(q.parent.to_string()));
    }
}

/// One qdisc as `tc -j qdisc show` prints it.
pub fn json(q: &Qdisc, names: &Names, with_dev: bool, stats: bool) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), json!(q.kind.name()));
    m.insert("handle".into(), json!(handle(q.handle)));
    if with_dev {
        m.insert("dev".into(), json!(common::name(names, q.index)));
    }
    where_json(&mut m, q);
    if q.refcnt != 1 {
        m.insert("refcnt".into(), json!(q.refcnt));
    }
    m.insert("options".into(), options_json(&q.kind));
    if stats && let Some(s) = &q.stats {
        common::stats_json(&mut m, s);
    }
    Value::Object(m)
}

fn options_json(kind: &QdiscKind) -> Value {
    let mut o = Map::new();
    let mut put = |k: &str, v: Value| {
        o.insert(k.to_string(), v);
    };
    match kind {
        QdiscKind::Pfifo(Fifo { limit })
        | QdiscKind::Bfifo(Fifo { limit })
        | QdiscKind::PfifoHeadDrop(Fifo { limit }) => {
            if let Some(l) = limit {
                put("limit", json!(l));
            }
        }
        QdiscKind::Htb(h) => {
            put("r2q", json!(h.r2q));
            put("default", json!(c_hex(h.default_class)));
            put("direct_packets_stat", json!(h.direct_packets));
            if let Some(q) = h.direct_qlen {
                put("direct_qlen", json!(q));
            }
        }
        QdiscKind::Tbf(t) => {
            put("rate", json!(t.rate.bytes()));
            put("burst", json!(common::tc_burst(t.rate, t.burst)));
            // tc 6.1 prints the peak rate in text only, its bucket as
            // "minburst".
            if let Some(p) = t.peakrate {
                put("minburst", json!(common::tc_burst(p, t.mtu)));
            }
            put("lat", json!(t.latency().as_micros() as u64));
        }
        QdiscKind::Prio(p) | QdiscKind::PfifoFast(Some(p)) => {
            put("bands", json!(p.bands));
            put("priomap", json!(p.priomap.to_vec()));
        }
        QdiscKind::Sfq(s) => {
            put("limit", json!(s.limit));
            put("quantum", json!(s.quantum));
            put("depth", json!(s.depth));
            put("divisor", json!(s.divisor));
            put("perturb", json!(s.perturb));
        }
        QdiscKind::FqCodel(f) => {
            for (k, v) in [
                ("limit", f.limit),
                ("flows", f.flows),
                ("quantum", f.quantum),
                ("target", f.target),
                ("interval", f.interval),
                ("memory_limit", f.memory_limit),
            ] {
                if let Some(v) = v {
                    put(k, json!(v));
                }
            }
            if let Some(e) = f.ecn {
                put("ecn", json!(e != 0));
            }
            if let Some(d) = f.drop_batch_size {
                put("drop_batch", json!(d));
            }
        }
        QdiscKind::Fq(f) => {
            for (k, v) in [
                ("limit", f.limit),
                ("flow_limit", f.flow_limit),
                (
                    "buckets",
                    f.buckets_log.map(|l| 1u32.checked_shl(l).unwrap_or(0)),
                ),
                ("orphan_mask", f.orphan_mask),
            ] {
                if let Some(v) = v {
                    put(k, json!(v));
                }
            }
            if f.rate_enable == Some(0) {
                put("pacing", json!(false));
            }
            for (k, v) in [
                ("quantum", f.quantum),
                ("initial_quantum", f.initial_quantum),
            ] {
                if let Some(v) = v {
                    put(k, json!(v));
                }
            }
            if let Some(r) = f.flow_max_rate.filter(|r| *r != u32::MAX) {
                put("maxrate", json!(r));
            }
            if let Some(r) = f.low_rate_threshold.filter(|r| *r != 0) {
                put("low_rate_threshold", json!(r));
            }
            if let Some(v) = f.flow_refill_delay {
                put("refill_delay", json!(v));
            }
            if let Some(v) = f.ce_threshold.filter(|v| *v != u32::MAX) {
                put("ce_threshold", json!(v));
            }
            for (k, v) in [("timer_slack", f.timer_slack), ("horizon", f.horizon)] {
                if let Some(v) = v {
                    put(k, json!(v));
                }
            }
            match f.horizon_drop {
                Some(0) => put("horizon_cap", Value::Null),
                Some(_) => put("horizon_drop", Value::Null),
                None => {}
            }
        }
        QdiscKind::Codel(c) => {
            for (k, v) in [
                ("limit", c.limit),
                ("target", c.target),
                ("ce_threshold", c.ce_threshold),
                ("interval", c.interval),
            ] {
                if let Some(v) = v {
                    put(k, json!(v));
                }
            }
            if c.ecn.is_some_and(|e| e != 0) {
                put("ecn", json!(true));
            }
        }
        QdiscKind::Red(r) => {
            put("limit", json!(r.limit));
            put("min", json!(r.min));
            put("max", json!(r.max));
            red_flags_json(&mut put, u32::from(r.flags));
        }
        QdiscKind::Gred(g) => {
            if let Some(t) = &g.setup {
                put("dp_cnt", json!(t.vqs));
                put("dp_default", json!(t.default));
                put("grio", json!(t.grio));
                if let Some(l) = g.limit {
                    put("limit", json!(l));
                }
                red_flags_json(&mut put, u32::from(t.flags));
            }
            let vqs: Vec<Value> = g
                .vqs
                .iter()
                .map(|q| {
                    let mut m = Map::new();
                    let mut put = |k: &str, v: Value| {
                        m.insert(k.to_string(), v);
                    };
                    put("vq", json!(q.dp));
                    put("prio", json!(q.prio));
                    put("limit", json!(q.limit));
                    put("min", json!(q.min));
                    put("max", json!(q.max));
                    if let Some(f) = q.flags {
                        red_flags_json(&mut put, f);
                    }
                    Value::Object(m)
                })
                .collect();
            put("vqs", Value::Array(vqs));
        }
        // tc prints hfsc's default as text even under -j (its JSON is
        // broken there); this is the key it would use.
        QdiscKind::Hfsc(h) if h.default_class != 0 => {
            put("default", json!(format!("{:x}", h.default_class)));
        }
        QdiscKind::Netem(n) => {
            put("limit", json!(n.limit));
            if n.delay > Duration::ZERO {
                put(
                    "delay",
                    json!({"delay": n.delay.as_secs_f64(), "jitter": n.jitter.as_secs_f64()}),
                );
            }
            if n.loss > 0 {
                put(
                    "loss-random",
                    json!({"loss": f64::from(n.loss) / f64::from(u32::MAX)}),
                );
            }
            if n.duplicate > 0 {
                put(
                    "duplicate",
                    json!({"duplicate": f64::from(n.duplicate) / f64::from(u32::MAX)}),
                );
            }
        }
        QdiscKind::Pie(p) => {
            pie_json(&mut put, p.limit, p.target, p.tupdate, p.alpha, p.beta);
            pie_flags_json(&mut put, p.ecn, p.bytemode, p.dq_rate_estimator);
        }
        QdiscKind::FqPie(p) => {
            if let Some(v) = p.limit {
                put("limit", json!(v));
            }
            if let Some(v) = p.flows {
                put("flows", json!(v));
            }
            pie_json(&mut put, None, p.target, p.tupdate, p.alpha, p.beta);
            for (k, v) in [
                ("quantum", p.quantum),
                ("memory_limit", p.memory_limit),
                ("ecn_prob", p.ecn_prob),
            ] {
                if let Some(v) = v {
                    put(k, json!(v));
                }
            }
            pie_flags_json(&mut put, p.ecn, p.bytemode, p.dq_rate_estimator);
        }
        QdiscKind::Hhf(h) => {
            for (k, v) in [
                ("limit", h.backlog_limit),
                ("quantum", h.quantum),
                ("hh_limit", h.hh_flows_limit),
                ("reset_timeout", h.reset_timeout),
                ("admit_bytes", h.admit_bytes),
                ("evict_timeout", h.evict_timeout),
                ("non_hh_weight", h.non_hh_weight),
            ] {
                if let Some(v) = v {
                    put(k, json!(v));
                }
            }
        }
        QdiscKind::Skbprio(Skbprio { limit: Some(l) }) => put("limit", json!(l)),
        QdiscKind::Cake(c) => cake_json(&mut put, c),
        QdiscKind::Mqprio(q) => {
            put("tc", json!(q.num_tc));
            put("map", json!(q.map.to_vec()));
            let queues: Vec<Value> = q
                .queues
                .iter()
                .map(|(c, o)| json!([o, (u32::from(*o) + u32::from(*c)).wrapping_sub(1)]))
                .collect();
            put("queues", json!(queues));
            if q.has_attributes() {
                let channel = q.mode == Some(TC_MQPRIO_MODE_CHANNEL);
                if channel || q.mode.is_none() {
                    put("mode", json!(if channel { "channel" } else { "dcb" }));
                }
                let bw = q.shaper == Some(TC_MQPRIO_SHAPER_BW_RATE);
                if bw || q.shaper.is_none() {
                    put("shaper", json!(if bw { "bw_rlimit" } else { "dcb" }));
                }
                for (k, list) in [("min_rate", &q.min_rates), ("max_rate", &q.max_rates)] {
                    if !list.is_empty() {
                        let n = usize::from(q.num_tc);
                        let v: Vec<u64> =
                            (0..n).map(|i| list.get(i).copied().unwrap_or(0)).collect();
                        put(k, json!(v));
                    }
                }
            }
        }
        QdiscKind::Taprio(t) => {
            put("tc", json!(t.num_tc));
            put("map", json!(t.map.to_vec()));
            let queues: Vec<Value> = t
                .queues
                .iter()
                .map(|(c, o)| json!({"offset": o, "count": c}))
                .collect();
            put("queues", json!(queues));
            put(
                "clockid",
                json!(clock_name(t.clockid.unwrap_or(ClockId::Other(-1)))),
            );
            if let Some(f) = t.flags {
                put("flags", json!(c_hex(f)));
            }
            if let Some(d) = t.txtime_delay {
                put("txtime_delay", json!(d));
            }
            put("base_time", json!(t.sched.base_time.unwrap_or(0)));
            put("cycle_time", json!(t.sched.cycle_time.unwrap_or(0)));
            put(
                "cycle_time_extension",
                json!(t.sched.cycle_time_extension.unwrap_or(0)),
            );
            let entries: Vec<Value> = t
                .sched
                .entries
                .iter()
                .map(|e| {
                    json!({
                        "index": e.index.unwrap_or(0),
                        "cmd": if e.cmd == TC_TAPRIO_CMD_SET_GATES { "S" } else { "Invalid" },
                        "gatemask": c_hex(e.gate_mask),
                        "interval": e.interval,
                    })
                })
                .collect();
            put("schedule", json!(entries));
        }
        QdiscKind::Ets(e) => {
            put("bands", json!(e.nbands));
            if let Some(n) = e.nstrict {
                put("strict", json!(n));
            }
            if !e.quanta.is_empty() {
                put("quanta", json!(e.quanta));
            }
            put("priomap", json!(e.priomap));
        }
        QdiscKind::Cbs(c) => {
            put("hicredit", json!(c.hicredit));
            put("locredit", json!(c.locredit));
            put("sendslope", json!(c.sendslope));
            put("idleslope", json!(c.idleslope));
            put("offload", json!(u8::from(c.offload)));
        }
        QdiscKind::Etf(e) => {
            put("clockid", json!(clock_name(e.clockid)));
            // tc prints the signed delta through print_uint.
            put("delta", json!(e.delta as u32));
            for (k, f) in [
                ("offload", TC_ETF_OFFLOAD_ON),
                ("deadline_mode", TC_ETF_DEADLINE_MODE_ON),
                ("skip_sock_check", TC_ETF_SKIP_SOCK_CHECK),
            ] {
                put(k, json!(if e.flags & f != 0 { "on" } else { "off" }));
            }
        }
        QdiscKind::Choke(r) => {
            put("limit", json!(r.limit));
            put("min", json!(r.min));
            put("max", json!(r.max));
            red_flags_json(&mut put, u32::from(r.flags));
        }
        QdiscKind::Sfb(b) => {
            put("rehash", json!(b.rehash_interval.wrapping_mul(1000)));
            put("db", json!(b.warmup_time.wrapping_mul(1000)));
            put("limit", json!(b.limit));
            put("max", json!(b.max));
            put("target", json!(b.bin_size));
            put(
                "increment",
                g(f64::from(b.increment) / f64::from(SFB_MAX_PROB)),
            );
            put(
                "decrement",
                g(f64::from(b.decrement) / f64::from(SFB_MAX_PROB)),
            );
            put("penalty_rate", json!(b.penalty_rate));
            put("penalty_burst", json!(b.penalty_burst));
        }
        _ => {}
    }
    Value::Object(o)
}

/// pie's and fq_pie's numbers as `tc -j` prints them (times in µs).
fn pie_json(
    put: &mut impl FnMut(&str, Value),
    limit: Option<u32>,
    target: Option<u32>,
    tupdate: Option<u32>,
    alpha: Option<u32>,
    beta: Option<u32>,
) {
    for (k, v) in [
        ("limit", limit),
        ("target", target),
        ("tupdate", tupdate),
        ("alpha", alpha),
        ("beta", beta),
    ] {
        if let Some(v) = v {
            put(k, json!(v));
        }
    }
}

/// pie's flags: tc prints the ones that are on.
fn pie_flags_json(
    put: &mut impl FnMut(&str, Value),
    ecn: Option<bool>,
    bytemode: Option<bool>,
    dq: Option<bool>,
) {
    for (k, v) in [
        ("ecn", ecn),
        ("bytemode", bytemode),
        ("dq_rate_estimator", dq),
    ] {
        if v == Some(true) {
            put(k, json!(true));
        }
    }
}

/// pie's and fq_pie's timing words as `tc qdisc show` prints them.
fn pie_text(
    target: Option<u32>,
    tupdate: Option<u32>,
    alpha: Option<u32>,
    beta: Option<u32>,
) -> String {
    let mut s = String::new();
    if let Some(v) = target {
        s += &format!("target {} ", us_text(v));
    }
    if let Some(v) = tupdate {
        s += &format!("tupdate {} ", us_text(v));
    }
    if let Some(v) = alpha {
        s += &format!("alpha {v} ");
    }
    if let Some(v) = beta {
        s += &format!("beta {v} ");
    }
    s
}

fn pie_flags_text(ecn: Option<bool>, bytemode: Option<bool>, dq: Option<bool>) -> String {
    let mut s = String::new();
    for (k, v) in [
        ("ecn", ecn),
        ("bytemode", bytemode),
        ("dq_rate_estimator", dq),
    ] {
        if v == Some(true) {
            s += k;
            s += " ";
        }
    }
    s
}

/// cake's options as `tc -j` prints them.
fn cake_json(put: &mut impl FnMut(&str, Value), c: &Cake) {
    match c.base_rate {
        Some(0) => put("bandwidth", json!("unlimited")),
        Some(r) => put("bandwidth", json!(r)),
        None => {}
    }
    if c.autorate == Some(true) {
        put("autorate", json!("autorate-ingress"));
    }
    if let Some(d) = c.diffserv_mode {
        put(
            "diffserv",
            json!(cake_word(d, matches!(d, CakeDiffserv::Other(_)))),
        );
    }
    if let Some(f) = c.flow_mode {
        put(
            "flowmode",
            json!(cake_word(f, matches!(f, CakeFlowMode::Other(_)))),
        );
    }
    put("nat", json!(c.nat == Some(true)));
    put("wash", json!(c.wash == Some(true)));
    put("ingress", json!(c.ingress == Some(true)));
    let ack = match c.ack_filter {
        Some(CakeAckFilter::Aggressive) => "aggressive",
        Some(CakeAckFilter::Filter) => "enabled",
        _ => "disabled",
    };
    put("ack-filter", json!(ack));
    put("split_gso", json!(c.split_gso == Some(true)));
    put("rtt", json!(c.rtt.unwrap_or(0)));
    put("raw", json!(c.raw));
    match c.atm {
        Some(CakeAtm::Atm) => put("atm", json!("atm")),
        Some(CakeAtm::Ptm) => put("atm", json!("ptm")),
        _ if !c.raw => put("atm", json!("noatm")),
        _ => {}
    }
    put("overhead", json!(c.overhead.unwrap_or(0)));
    if let Some(m) = c.mpu.filter(|m| *m != 0) {
        put("mpu", json!(m));
    }
    if let Some(m) = c.memory.filter(|m| *m != 0) {
        put("memlimit", json!(m));
    }
    put("fwmark", json!(c_hex(c.fwmark.unwrap_or(0))));
}

/// A cake mode's word, or `unknown` for a value tc has no name for.
fn cake_word(v: impl std::fmt::Display, unknown: bool) -> String {
    if unknown {
        "unknown".into()
    } else {
        v.to_string()
    }
}

/// cake's options as `tc qdisc show` prints them.
fn cake_text(c: &Cake) -> String {
    let mut s = String::new();
    match c.base_rate {
        Some(0) => s += "bandwidth unlimited ",
        Some(r) => s += &format!("bandwidth {} ", Rate::bytes_per_sec(r)),
        None => {}
    }
    if c.autorate == Some(true) {
        s += "autorate-ingress ";
    }
    if let Some(d) = c.diffserv_mode {
        s += &match d {
            CakeDiffserv::Other(_) => "(?diffserv?)".into(),
            d => format!("{d} "),
        };
    }
    if let Some(f) = c.flow_mode {
        s += &match f {
            CakeFlowMode::Other(_) => "(?flowmode?)".into(),
            f => format!("{f} "),
        };
    }
    s += if c.nat == Some(true) {
        "nat "
    } else {
        "nonat "
    };
    s += if c.wash == Some(true) {
        "wash "
    } else {
        "nowash "
    };
    if c.ingress == Some(true) {
        s += "ingress ";
    }
    s += match c.ack_filter {
        Some(CakeAckFilter::Aggressive) => "ack-filter-aggressive ",
        Some(CakeAckFilter::Filter) => "ack-filter ",
        _ => "no-ack-filter ",
    };
    s += if c.split_gso == Some(true) {
        "split-gso "
    } else {
        "no-split-gso "
    };
    if let Some(r) = c.rtt.filter(|r| *r != 0) {
        s += &format!("rtt {} ", us_text(r));
    }
    if c.raw {
        s += "raw ";
    }
    match c.atm {
        Some(CakeAtm::Atm) => s += "atm ",
        Some(CakeAtm::Ptm) => s += "ptm ",
        _ if !c.raw => s += "noatm ",
        _ => {}
    }
    s += &format!("overhead {} ", c.overhead.unwrap_or(0));
    if let Some(m) = c.mpu.filter(|m| *m != 0) {
        s += &format!("mpu {m} ");
    }
    if let Some(m) = c.memory.filter(|m| *m != 0) {
        s += &format!("memlimit {} ", format_size(m));
    }
    if let Some(m) = c.fwmark.filter(|m| *m != 0) {
        s += &format!("fwmark {m:#x} ");
    }
    s
}

/// etf's and taprio's clock names (`invalid` for others).
fn clock_name(c: ClockId) -> String {
    match c {
        ClockId::Other(_) => "invalid".into(),
        known => known.to_string(),
    }
}

/// tc's `sprint_time` of microseconds.
/// tc's `sprint_time`: microseconds below a millisecond as a whole
/// number (`0us`, `500us`), above as three digits (`1.5ms`, `2s`).
fn us_text(us: u32) -> String {
    common::us_time(us.into())
}

fn where_text(q: &Qdisc) -> String {
    if q.parent == TcHandle::ROOT {
        "root ".into()
    } else {
        format!("parent {} ", q.parent)
    }
}

/// One qdisc as `tc qdisc show` prints it.
pub fn text(q: &Qdisc, names: &Names, with_dev: bool, stats: bool) -> String {
    let mut s = format!("qdisc {} {} ", q.kind.name(), handle(q.handle));
    if with_dev {
        s += &format!("dev {} ", common::name(names, q.index));
    }
    s += &where_text(q);
    if q.refcnt != 1 {
        s += &format!("refcnt {} ", q.refcnt);
    }
    s += &options_text(&q.kind);
    if stats && let Some(st) = &q.stats {
        s += "\n";
        s += &common::stats_text(st);
    }
    s
}

fn options_text(kind: &QdiscKind) -> String {
    match kind {
        QdiscKind::Pfifo(Fifo { limit: Some(l) })
        | QdiscKind::PfifoHeadDrop(Fifo { limit: Some(l) }) => {
            format!("limit {l}p")
        }
        QdiscKind::Bfifo(Fifo { limit: Some(l) }) => format!("limit {}", format_size(*l)),
        QdiscKind::Htb(h) => {
            let mut s = format!(
                "r2q {} default {} direct_packets_stat {}",
                h.r2q,
                c_hex(h.default_class),
                h.direct_packets
            );
            if let Some(q) = h.direct_qlen {
                s += &format!(" direct_qlen {q}");
            }
            s
        }
        QdiscKind::Tbf(t) => {
            let burst = common::tc_burst(t.rate, t.burst);
            let mut s = format!("rate {} burst {} ", t.rate, format_size(burst));
            if let Some(p) = t.peakrate {
                let mtu = common::tc_burst(p, t.mtu);
                s += &format!("peakrate {p} minburst {} ", format_size(mtu));
            }
            s + &format!("lat {} ", format_time(t.latency()))
        }
        QdiscKind::Prio(p) | QdiscKind::PfifoFast(Some(p)) => {
            let map: Vec<String> = p.priomap.iter().map(u8::to_string).collect();
            format!("bands {} priomap {}", p.bands, map.join(" "))
        }
        QdiscKind::Ingress => "---------------- ".into(),
        QdiscKind::Sfq(s) => format!(
            "limit {}p quantum {} depth {} divisor {} {}",
            s.limit,
            format_size(s.quantum),
            s.depth,
            s.divisor,
            if s.perturb > 0 {
                format!("perturb {}sec ", s.perturb)
            } else {
                String::new()
            }
        ),
        QdiscKind::FqCodel(f) => {
            let mut s = String::new();
            let time = us_text;
            if let Some(v) = f.limit {
                s += &format!("limit {v}p ");
            }
            if let Some(v) = f.flows {
                s += &format!("flows {v} ");
            }
            if let Some(v) = f.quantum {
                s += &format!("quantum {v} ");
            }
            if let Some(v) = f.target {
                s += &format!("target {} ", time(v));
            }
            if let Some(v) = f.interval {
                s += &format!("interval {} ", time(v));
            }
            if let Some(v) = f.memory_limit {
                s += &format!("memory_limit {} ", format_size(v));
            }
            if f.ecn == Some(1) {
                s += "ecn ";
            }
            if let Some(v) = f.drop_batch_size {
                s += &format!("drop_batch {v} ");
            }
            s
        }
        QdiscKind::Fq(f) => {
            let mut s = String::new();
            let time = us_text;
            let rate = |r: u32| Rate::bytes_per_sec(u64::from(r)).to_string();
            if let Some(v) = f.limit {
                s += &format!("limit {v}p ");
            }
            if let Some(v) = f.flow_limit {
                s += &format!("flow_limit {v}p ");
            }
            if let Some(l) = f.buckets_log {
                s += &format!("buckets {} ", 1u32.checked_shl(l).unwrap_or(0));
            }
            if let Some(v) = f.orphan_mask {
                s += &format!("orphan_mask {v} ");
            }
            if f.rate_enable == Some(0) {
                s += "nopacing ";
            }
            if let Some(v) = f.quantum {
                s += &format!("quantum {} ", format_size(v));
            }
            if let Some(v) = f.initial_quantum {
                s += &format!("initial_quantum {} ", format_size(v));
            }
            if let Some(r) = f.flow_max_rate.filter(|r| *r != u32::MAX) {
                s += &format!("maxrate {} ", rate(r));
            }
            if let Some(r) = f.low_rate_threshold.filter(|r| *r != 0) {
                s += &format!("low_rate_threshold {} ", rate(r));
            }
            if let Some(v) = f.flow_refill_delay {
                s += &format!("refill_delay {} ", time(v));
            }
            if let Some(v) = f.ce_threshold.filter(|v| *v != u32::MAX) {
                s += &format!("ce_threshold {} ", time(v));
            }
            if let Some(v) = f.timer_slack {
                s += &format!(
                    "timer_slack {} ",
                    format_time(Duration::from_nanos(u64::from(v)))
                );
            }
            if let Some(v) = f.horizon {
                s += &format!("horizon {} ", time(v));
            }
            match f.horizon_drop {
                Some(0) => s += "horizon_cap ",
                Some(_) => s += "horizon_drop ",
                None => {}
            }
            s
        }
        QdiscKind::Codel(c) => {
            let mut s = String::new();
            let time = us_text;
            if let Some(v) = c.limit {
                s += &format!("limit {v}p ");
            }
            if let Some(v) = c.target {
                s += &format!("target {} ", time(v));
            }
            if let Some(v) = c.ce_threshold {
                s += &format!("ce_threshold {} ", time(v));
            }
            if let Some(v) = c.interval {
                s += &format!("interval {} ", time(v));
            }
            if c.ecn.is_some_and(|e| e != 0) {
                s += "ecn ";
            }
            s
        }
        QdiscKind::Red(r) => {
            let mut s = format!(
                "limit {} min {} max {} ",
                format_size(r.limit),
                format_size(r.min),
                format_size(r.max)
            );
            s += &red_flags_text(u32::from(r.flags));
            s
        }
        QdiscKind::Hfsc(h) if h.default_class != 0 => format!("default {:x} ", h.default_class),
        QdiscKind::Gred(g) => {
            let mut s = String::new();
            if let Some(t) = &g.setup {
                s += &format!("vqs {} default {} ", t.vqs, t.default);
                if t.grio {
                    s += "grio ";
                }
                if let Some(l) = g.limit {
                    s += &format!("limit {} ", format_size(l));
                }
                s += &red_flags_text(u32::from(t.flags));
            }
            for q in &g.vqs {
                s += &format!(
                    "\n vq {} prio {} limit {} min {} max {} ",
                    q.dp,
                    q.prio,
                    format_size(q.limit),
                    format_size(q.min),
                    format_size(q.max)
                );
                if let Some(f) = q.flags {
                    s += &red_flags_text(f);
                }
            }
            s
        }
        QdiscKind::Netem(n) => {
            let mut s = format!("limit {} ", n.limit);
            if n.delay > Duration::ZERO {
                s += &format!("delay {} ", format_time(n.delay));
                if n.jitter > Duration::ZERO {
                    s += &format!(" {} ", format_time(n.jitter));
                }
            }
            if n.loss > 0 {
                s += &format!("loss {} ", units::format_percent(n.loss));
            }
            if n.duplicate > 0 {
                s += &format!("duplicate {} ", units::format_percent(n.duplicate));
            }
            s
        }
        QdiscKind::Pie(p) => {
            let mut s = String::new();
            if let Some(v) = p.limit {
                s += &format!("limit {v}p ");
            }
            s += &pie_text(p.target, p.tupdate, p.alpha, p.beta);
            s + &pie_flags_text(p.ecn, p.bytemode, p.dq_rate_estimator)
        }
        QdiscKind::FqPie(p) => {
            let mut s = String::new();
            if let Some(v) = p.limit {
                s += &format!("limit {v}p ");
            }
            if let Some(v) = p.flows {
                s += &format!("flows {v} ");
            }
            s += &pie_text(p.target, p.tupdate, p.alpha, p.beta);
            if let Some(v) = p.quantum {
                s += &format!("quantum {} ", format_size(v));
            }
            if let Some(v) = p.memory_limit {
                s += &format!("memory_limit {} ", format_size(v));
            }
            if let Some(v) = p.ecn_prob {
                s += &format!("ecn_prob {v} ");
            }
            s + &pie_flags_text(p.ecn, p.bytemode, p.dq_rate_estimator)
        }
        QdiscKind::Hhf(h) => {
            let mut s = String::new();
            if let Some(v) = h.backlog_limit {
                s += &format!("limit {v}p ");
            }
            if let Some(v) = h.quantum {
                s += &format!("quantum {} ", format_size(v));
            }
            if let Some(v) = h.hh_flows_limit {
                s += &format!("hh_limit {v} ");
            }
            if let Some(v) = h.reset_timeout {
                s += &format!("reset_timeout {} ", us_text(v));
            }
            if let Some(v) = h.admit_bytes {
                s += &format!("admit_bytes {} ", format_size(v));
            }
            if let Some(v) = h.evict_timeout {
                s += &format!("evict_timeout {} ", us_text(v));
            }
            if let Some(v) = h.non_hh_weight {
                s += &format!("non_hh_weight {v} ");
            }
            s
        }
        QdiscKind::Skbprio(Skbprio { limit: Some(l) }) => format!("limit {l} "),
        QdiscKind::Cake(c) => cake_text(c),
        QdiscKind::Mqprio(q) => {
            let map: String = q.map.iter().map(|m| format!("{m} ")).collect();
            let queues: String = q
                .queues
                .iter()
                .map(|(c, o)| format!("({o}:{}) ", (u32::from(*o) + u32::from(*c)).wrapping_sub(1)))
                .collect();
            let mut s = format!("tc {} map {map}\n             queues:{queues}", q.num_tc);
            if q.has_attributes() {
                let channel = q.mode == Some(TC_MQPRIO_MODE_CHANNEL);
                if channel || q.mode.is_none() {
                    let m = if channel { "channel" } else { "dcb" };
                    s += &format!("\n             mode:{m}");
                }
                let bw = q.shaper == Some(TC_MQPRIO_SHAPER_BW_RATE);
                if bw || q.shaper.is_none() {
                    let sh = if bw { "bw_rlimit" } else { "dcb" };
                    s += &format!("\n             shaper:{sh}");
                }
                for (k, list) in [("min_rate", &q.min_rates), ("max_rate", &q.max_rates)] {
                    if !list.is_empty() {
                        s += &format!("\t{k}:");
                        for i in 0..usize::from(q.num_tc) {
                            let r = Rate::bytes_per_sec(list.get(i).copied().unwrap_or(0));
                            s += &format!("{r} ");
                        }
                    }
                }
            }
            s
        }
        QdiscKind::Taprio(t) => {
            let map: String = t.map.iter().map(|m| format!(" {m}")).collect();
            let queues: String = t
                .queues
                .iter()
                .map(|(c, o)| format!(" offset {o} count {c}"))
                .collect();
            let mut s = format!("tc {} map{map}\nqueues{queues}\n", t.num_tc);
            s += &format!(
                "clockid {}",
                clock_name(t.clockid.unwrap_or(ClockId::Other(-1)))
            );
            if let Some(f) = t.flags {
                s += &format!(" flags {}", c_hex(f));
            }
            if let Some(d) = t.txtime_delay {
                s += &format!(" txtime delay {d}");
            }
            // The kernel always reports the list; a request may have none.
            s += &taprio_sched_text(&t.sched, true);
            if let Some(a) = &t.admin {
                s += &taprio_sched_text(a, !a.entries.is_empty());
            }
            s
        }
        QdiscKind::Ets(e) => {
            let mut s = format!("bands {} ", e.nbands);
            if let Some(n) = e.nstrict {
                s += &format!("strict {n} ");
            }
            let list = |name: &str, v: Vec<String>| {
                let items: String = v.iter().map(|x| format!(" {x}")).collect();
                format!("{name}{items} ")
            };
            if !e.quanta.is_empty() {
                s += &list("quanta", e.quanta.iter().map(u32::to_string).collect());
            }
            s + &list("priomap", e.priomap.iter().map(u8::to_string).collect())
        }
        QdiscKind::Cbs(c) => format!(
            "hicredit {} locredit {} sendslope {} idleslope {} offload {} ",
            c.hicredit,
            c.locredit,
            c.sendslope,
            c.idleslope,
            u8::from(c.offload)
        ),
        QdiscKind::Etf(e) => {
            let on = |f: u32| if e.flags & f != 0 { "on" } else { "off" };
            format!(
                "clockid {} delta {} offload {} deadline_mode {} skip_sock_check {}",
                clock_name(e.clockid),
                e.delta as u32,
                on(TC_ETF_OFFLOAD_ON),
                on(TC_ETF_DEADLINE_MODE_ON),
                on(TC_ETF_SKIP_SOCK_CHECK)
            )
        }
        QdiscKind::Choke(r) => {
            let mut s = format!("limit {}p min {}p max {}p ", r.limit, r.min, r.max);
            s += &red_flags_text(u32::from(r.flags));
            s
        }
        QdiscKind::Sfb(b) => {
            let prob = |v: u32| units::format_g(f64::from(v) / f64::from(SFB_MAX_PROB), 6);
            format!(
                "rehash {} db {} limit {}p max {}p target {}p increment {} decrement {} penalty_rate {}pps penalty_burst {}p ",
                us_text(b.rehash_interval.wrapping_mul(1000)),
                us_text(b.warmup_time.wrapping_mul(1000)),
                b.limit,
                b.max,
                b.bin_size,
                prob(b.increment),
                prob(b.decrement),
                b.penalty_rate,
                b.penalty_burst
            )
        }
        // tc prints these with fprintf only: text, no JSON.
        QdiscKind::Multiq(m) => format!("bands {}/{} ", m.bands, m.max_bands),
        _ => String::new(),
    }
}
