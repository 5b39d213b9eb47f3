//! `tc monitor`: each traffic control change the kernel announces, as
//! `tc monitor` prints it (`deleted ` before what went away, `added ` or
//! `replaced ` before a filter or chain, `dev NAME` in every line).

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Result, bail};
use netlink::Handle;
use netlink::nl_route::tc::{Action, Class, FilterEntry, Qdisc, TcHandle};
use netlink::nl_route::uapi::pkt_cls::TCA_ACT_KIND;
use netlink::nl_route::uapi::rtnetlink::*;
use netlink::nl_route::uapi::types::{TcMsg, TcaMsg};
use netlink::nl_wire::Msg;
use netlink::nl_wire::netlink::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NLM_F_ROOT};

use super::common::Names;
use super::{action, class, common, filter, qdisc};
use crate::args::{Args, Opts};

/// `tc monitor`: runs until the socket fails, flushing after each event.
pub fn run(h: &Handle, opts: &Opts, mut args: Args<'_>, out: &mut dyn Write) -> Result<()> {
    if let Some(w) = args.next() {
        if w == "help" {
            writeln!(out, "Usage: tc monitor")?;
            return Ok(());
        }
        bail!("Argument \"{w}\" is unknown, try \"tc monitor help\".");
    }
    let mut sock = h.open_socket(netlink::NETLINK_ROUTE)?;
    sock.join(RTNLGRP_TC)?;
    let mut names = common::names(h)?;
    let mut text = String::new();
    loop {
        let received = sock.recv_with(|m| {
            if let Err(e) = print(&mut text, &m, h, &mut names, opts) {
                eprintln!("Error: {e}");
            }
            Ok(())
        });
        match received {
            Ok(_) => {}
            Err(e) if e.kind() == netlink::ErrorKind::Overrun => {
                eprintln!("netlink receive error No buffer space available (105)");
            }
            Err(e) => return Err(e.into()),
        }
        out.write_all(text.as_bytes())?;
        text.clear();
        out.flush()?;
    }
}

/// The name of link `index`, asked of the kernel when not known yet.
fn dev(names: &mut Names, h: &Handle, index: u32) -> String {
    if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(index) {
        if let Ok(l) = h.link_by_index(index) {
            slot.insert(l.name);
        }
    }
    common::name(names, index)
}

/// `text` with `dev NAME ` put after its first `skip` words.
fn with_dev(text: &str, skip: usize, dev: &str) -> String {
    let mut at = 0;
    for _ in 0..skip {
        match text.get(at..).and_then(|rest| rest.find(' ')) {
            Some(i) => at += i + 1,
            None => return format!("{text} dev {dev} "),
        }
    }
    let (head, tail) = text.split_at(at.min(text.len()));
    format!("{head}dev {dev} {tail}")
}

/// `added `, `replaced ` or `deleted `, as tc prints before a filter or chain.
fn change_word(m: &Msg<'_>, deleted: bool) -> &'static str {
    let f = m.flags();
    if deleted {
        "deleted "
    } else if f & NLM_F_CREATE != 0 && f & NLM_F_EXCL != 0 {
        "added "
    } else if f & NLM_F_CREATE != 0 {
        "replaced "
    } else {
        ""
    }
}

fn print(t: &mut String, m: &Msg<'_>, h: &Handle, names: &mut Names, opts: &Opts) -> Result<()> {
    let ty = m.ty();
    match ty {
        RTM_NEWQDISC | RTM_DELQDISC => {
            let q = Qdisc::parse(m)?;
            if ty == RTM_DELQDISC {
                t.push_str("deleted ");
            }
            let d = dev(names, h, q.index);
            writeln!(
                t,
                "{}",
                qdisc::text(&q, names, false, opts.stats).replacen(
                    &format!("qdisc {} {} ", q.kind.name(), qdisc_handle(q.handle)),
                    &format!(
                        "qdisc {} {} dev {d} ",
                        q.kind.name(),
                        qdisc_handle(q.handle)
                    ),
                    1,
                )
            )?;
        }
        RTM_NEWTCLASS | RTM_DELTCLASS => {
            let c = Class::parse(m)?;
            if ty == RTM_DELTCLASS {
                t.push_str("deleted ");
            }
            let d = dev(names, h, c.index);
            writeln!(t, "{}", with_dev(&class::text(&c, opts.stats), 3, &d))?;
        }
        RTM_NEWTFILTER | RTM_DELTFILTER => {
            let e = FilterEntry::parse(m)?;
            let index = match &e {
                FilterEntry::Filter(f) => f.index,
                FilterEntry::Head(x) => x.index,
                FilterEntry::U32Table(x) => x.index,
            };
            t.push_str(change_word(m, ty == RTM_DELTFILTER));
            let d = dev(names, h, index);
            writeln!(
                t,
                "{}",
                with_dev(&filter::text(&e, names, None, opts.stats), 1, &d)
            )?;
        }
        RTM_NEWCHAIN | RTM_DELCHAIN => {
            let hdr: TcMsg = m.family_header();
            let mut chain = None;
            for a in m.attrs_after(std::mem::size_of::<TcMsg>()).flatten() {
                if a.ty() == TCA_CHAIN {
                    chain = a.u32().ok();
                }
            }
            t.push_str(change_word(m, ty == RTM_DELCHAIN));
            let index = u32::try_from(hdr.tcm_ifindex.get()).unwrap_or(0);
            let d = dev(names, h, index);
            write!(t, "chain dev {d} ")?;
            match TcHandle(hdr.tcm_parent.get()) {
                TcHandle::ROOT => t.push_str("root "),
                p => write!(t, "parent {p} ")?,
            }
            if let Some(c) = chain {
                write!(t, "chain {c} ")?;
            }
            t.push('\n');
        }
        RTM_NEWACTION | RTM_DELACTION => actions(t, m, names, opts)?,
        _ => {}
    }
    Ok(())
}

/// Standalone actions as tc's monitor prints them: the count line, what
/// happened, then each action (or, for a flush, the kind and how many).
fn actions(t: &mut String, m: &Msg<'_>, names: &Names, opts: &Opts) -> Result<()> {
    let root = m.attrs_after(std::mem::size_of::<TcaMsg>());
    let count = root
        .clone()
        .flatten()
        .find(|a| a.ty() == TCA_ROOT_COUNT)
        .and_then(|a| a.u32().ok())
        .unwrap_or(0);
    writeln!(t, "total acts {count}")?;
    let flags = m.flags();
    if m.ty() == RTM_DELACTION && flags & NLM_F_ROOT != 0 {
        // A flush: the table's one entry names the kind and the number gone.
        let entry = root
            .flatten()
            .find(|a| a.ty() == TCA_ROOT_TAB)
            .and_then(|tab| tab.nested().flatten().next());
        let (mut kind, mut gone) = (String::new(), 0);
        for a in entry.iter().flat_map(|e| e.nested().flatten()) {
            match a.ty() {
                TCA_ACT_KIND => kind = a.str().unwrap_or_default().to_string(),
                TCA_FCNT => gone = a.u32().unwrap_or(0),
                _ => {}
            }
        }
        writeln!(t, "Flushed table  {kind} ({gone} entries)")?;
        return Ok(());
    }
    t.push_str(match m.ty() {
        RTM_DELACTION => "Deleted action ",
        _ if flags & NLM_F_REPLACE != 0 => "Replaced action ",
        _ if flags & NLM_F_CREATE != 0 => "Added action ",
        _ => "",
    });
    t.push('\n');
    for (i, a) in Action::parse_msg(m)?.iter().enumerate() {
        writeln!(t, "{}", action::text(a, i + 1, names, opts.stats, false))?;
    }
    Ok(())
}

/// A qdisc handle as tc prints it (`1:`, `ffff:`).
fn qdisc_handle(h: TcHandle) -> String {
    format!("{:x}:", h.major())
}
