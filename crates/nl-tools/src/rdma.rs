//! `rdma`: RDMA devices, their ports, the system's namespace mode,
//! resource counts and port counters, as iproute2's `rdma` prints them
//! (with `-j`, its JSON keys and values).
//!
//! ```text
//! nl rdma [-j] [-p] [-d] { dev [show [DEV]] | dev set DEV name NEW |
//!                          link [show [DEV[/PORT]]] | link add NAME type TYPE netdev NETDEV |
//!                          link delete NAME | system [show] | system set netns { shared | exclusive } |
//!                          resource [show [DEV]] | statistic [show [link DEV[/PORT]]] }
//! ```

use std::io::Write;

use anyhow::{Context, Result, bail};
use netlink::{
    Handle, RdmaLink, RdmaNetnsMode, RdmaPort, RdmaPortStatistic, RdmaResource, RdmaSystem,
};
use serde_json::{Map, Value, json};

use crate::args::{Args, matches};

/// How `rdma` prints: `-j`, `-p`, `-d`.
#[derive(Debug, Clone, Copy, Default)]
struct Opts {
    json: bool,
    pretty: bool,
    details: bool,
}

/// `rdma`'s whole command line, printing to `out`.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<()> {
    let mut args = Args::new(words.iter().map(String::as_str));
    let mut o = Opts::default();
    while let Some(w) = args.peek().filter(|w| w.starts_with('-')) {
        args.next();
        match w {
            w if matches(w, "-json", 2) => o.json = true,
            w if matches(w, "-pretty", 2) => o.pretty = true,
            w if matches(w, "-details", 2) => o.details = true,
            other => bail!("Unknown option \"{other}\" (nl rdma: -j, -p, -d)"),
        }
    }
    let h = Handle::new()?;
    let mut objs = Vec::new();
    match args.next() {
        Some(c) if matches(c, "dev", 1) => dev(&h, &mut args, &mut objs, out, o)?,
        Some(c) if matches(c, "link", 1) => link(&h, &mut args, &mut objs, out, o)?,
        Some(c) if matches(c, "system", 2) => system(&h, &mut args, &mut objs, out, o)?,
        Some(c) if matches(c, "resource", 1) => resource(&h, &mut args, &mut objs, out, o)?,
        Some(c) if matches(c, "statistic", 2) => statistic(&h, &mut args, &mut objs, out, o)?,
        Some(other) => {
            bail!("Unknown object \"{other}\" (nl rdma: dev, link, system, resource, statistic)")
        }
        None => bail!("Usage: rdma [-j] {{ dev | link | system | resource | statistic }} ..."),
    }
    args.done()?;
    if o.json {
        crate::json::print(out, &Value::Array(objs), o.pretty)?;
    }
    Ok(())
}

/// Reads `show` (or `list`), or nothing: the listing commands.
fn show(args: &mut Args<'_>) -> bool {
    match args.peek() {
        None => true,
        Some(w) if matches(w, "show", 1) || matches(w, "list", 1) => {
            args.next();
            true
        }
        Some(_) => false,
    }
}

/// The devices named `name`, or all.
fn devices(h: &Handle, name: Option<&str>) -> Result<Vec<RdmaLink>> {
    let all = h.rdma_link_list()?;
    match name {
        None => Ok(all),
        Some(n) => {
            let one: Vec<_> = all.into_iter().filter(|l| l.name == n).collect();
            if one.is_empty() {
                bail!("Wrong device name");
            }
            Ok(one)
        }
    }
}

fn dev(
    h: &Handle,
    args: &mut Args<'_>,
    objs: &mut Vec<Value>,
    out: &mut dyn Write,
    o: Opts,
) -> Result<()> {
    if show(args) {
        for l in devices(h, args.next())? {
            if o.json {
                objs.push(dev_json(&l));
            } else {
                writeln!(out, "{l} ")?;
            }
        }
        return Ok(());
    }
    match args.next() {
        Some(w) if matches(w, "set", 1) => {
            let name = args.value("set")?;
            let link = h.rdma_link_by_name(name)?;
            match args.next() {
                Some("name") => h.rdma_link_set_name(&link, args.value("name")?)?,
                Some(other) => bail!("Unknown parameter \"{other}\" (nl rdma dev set: name)"),
                None => bail!("Please provide device new name."),
            }
            Ok(())
        }
        Some(other) => bail!("Unknown dev command \"{other}\""),
        None => Ok(()),
    }
}

/// `rdma -j dev`'s object.
pub fn dev_json(l: &RdmaLink) -> Value {
    let mut m = Map::new();
    m.insert("ifindex".into(), json!(l.index));
    m.insert("ifname".into(), json!(l.name));
    if let Some(t) = l.node_type_name() {
        m.insert("node_type".into(), json!(t));
    }
    if let Some(p) = &l.protocol {
        m.insert("protocol".into(), json!(p));
    }
    if let Some(fw) = &l.fw_version {
        m.insert("fw".into(), json!(fw));
    }
    m.insert("node_guid".into(), json!(l.node_guid_string()));
    m.insert("sys_image_guid".into(), json!(l.sys_image_guid_string()));
    Value::Object(m)
}

fn link(
    h: &Handle,
    args: &mut Args<'_>,
    objs: &mut Vec<Value>,
    out: &mut dyn Write,
    o: Opts,
) -> Result<()> {
    if show(args) {
        let (name, port) = match args.next() {
            Some(w) => match w.split_once('/') {
                Some((d, p)) => (Some(d), Some(p.parse::<u32>().context("port number")?)),
                None => (Some(w), None),
            },
            None => (None, None),
        };
        for l in devices(h, name)? {
            for p in h.rdma_port_list(&l)? {
                if port.is_some_and(|want| want != p.port) {
                    continue;
                }
                if o.json {
                    objs.push(port_json(&p));
                } else {
                    writeln!(out, "{p}")?;
                }
            }
        }
        return Ok(());
    }
    match args.next() {
        Some(w) if matches(w, "add", 1) => {
            let name = args.value("add")?;
            let (mut ty, mut netdev) = (None, None);
            while let Some(k) = args.next() {
                match k {
                    "type" => ty = Some(args.value(k)?),
                    "netdev" => netdev = Some(args.value(k)?),
                    other => {
                        bail!("Unknown parameter \"{other}\" (nl rdma link add: type, netdev)")
                    }
                }
            }
            let ty = ty.context("Please provide a link type")?;
            let netdev = netdev.context("Please provide a net device name")?;
            Ok(h.rdma_link_add(name, ty, netdev)?)
        }
        Some(w) if matches(w, "delete", 1) => {
            let link = h.rdma_link_by_name(args.value("delete")?)?;
            Ok(h.rdma_link_del(&link)?)
        }
        Some(other) => bail!("Unknown link command \"{other}\""),
        None => Ok(()),
    }
}

/// `rdma -j link`'s object.
pub fn port_json(p: &RdmaPort) -> Value {
    let mut m = Map::new();
    m.insert("ifindex".into(), json!(p.index));
    m.insert("port".into(), json!(p.port));
    // iproute2 6.1 prints the device here; "DEV/PORT" is its text only.
    m.insert("ifname".into(), json!(p.name));
    if let Some(s) = p.subnet_prefix {
        m.insert(
            "subnet_prefix".into(),
            json!(netlink::nl_rdma::guid_string(s)),
        );
    }
    if let Some(l) = p.lid {
        m.insert("lid".into(), json!(l));
    }
    if let Some(l) = p.sm_lid {
        m.insert("sm_lid".into(), json!(l));
    }
    if let Some(l) = p.lmc {
        m.insert("lmc".into(), json!(l));
    }
    if let Some(s) = p.state_name() {
        m.insert("state".into(), json!(s));
    }
    if let Some(s) = p.phys_state_name() {
        m.insert("physical_state".into(), json!(s));
    }
    // rdma prints the netdev only with both its name and index.
    if let (Some(n), Some(i)) = (&p.netdev, p.netdev_index) {
        m.insert("netdev".into(), json!(n));
        m.insert("netdev_index".into(), json!(i));
    }
    Value::Object(m)
}

fn system(
    h: &Handle,
    args: &mut Args<'_>,
    objs: &mut Vec<Value>,
    out: &mut dyn Write,
    o: Opts,
) -> Result<()> {
    if show(args) {
        let s = h.rdma_system_get()?;
        if o.json {
            objs.push(system_json(&s));
        } else {
            let mut line = String::new();
            if let Some(m) = s.netns_mode {
                line.push_str(&format!("netns {m} "));
            }
            if let Some(q) = s.privileged_qkey {
                line.push_str(&format!("privileged-qkey {} ", on_off(q)));
            }
            if let Some(c) = s.copy_on_fork {
                line.push_str(&format!("copy-on-fork {}", on_off(c)));
            }
            writeln!(out, "{line}")?;
        }
        return Ok(());
    }
    match args.next() {
        Some(w) if matches(w, "set", 1) => {
            match args.next() {
                Some("netns") => {
                    let mode: RdmaNetnsMode = args.parse("netns")?;
                    h.rdma_system_set_netns_mode(mode)?;
                }
                Some(other) => bail!("Unknown parameter \"{other}\" (nl rdma system set: netns)"),
                None => bail!("Please provide a system parameter"),
            }
            Ok(())
        }
        Some(other) => bail!("Unknown system command \"{other}\""),
        None => Ok(()),
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// `rdma -j system`'s object.
pub fn system_json(s: &RdmaSystem) -> Value {
    let mut m = Map::new();
    if let Some(mode) = s.netns_mode {
        m.insert("netns".into(), json!(mode.to_string()));
    }
    if let Some(q) = s.privileged_qkey {
        m.insert("privileged-qkey".into(), json!(on_off(q)));
    }
    if let Some(c) = s.copy_on_fork {
        m.insert("copy-on-fork".into(), json!(c));
    }
    Value::Object(m)
}

fn resource(
    h: &Handle,
    args: &mut Args<'_>,
    objs: &mut Vec<Value>,
    out: &mut dyn Write,
    o: Opts,
) -> Result<()> {
    if !show(args) {
        bail!("nl rdma resource: only show");
    }
    let name = args.next();
    for r in h.rdma_resource_list()? {
        if name.is_some_and(|n| n != r.name) {
            continue;
        }
        if o.json {
            objs.push(resource_json(&r));
        } else {
            let counts: Vec<String> = r.summary.iter().map(|(k, v)| format!("{k} {v}")).collect();
            writeln!(out, "{}: {}: {} ", r.index, r.name, counts.join(" "))?;
        }
    }
    Ok(())
}

/// `rdma -j resource`'s object.
pub fn resource_json(r: &RdmaResource) -> Value {
    let mut m = Map::new();
    m.insert("ifindex".into(), json!(r.index));
    m.insert("ifname".into(), json!(r.name));
    for (k, v) in &r.summary {
        m.insert(k.clone(), json!(v));
    }
    Value::Object(m)
}

fn statistic(
    h: &Handle,
    args: &mut Args<'_>,
    objs: &mut Vec<Value>,
    out: &mut dyn Write,
    o: Opts,
) -> Result<()> {
    if !show(args) {
        bail!("nl rdma statistic: only show");
    }
    let (name, port) = match args.next() {
        Some("link") => {
            let w = args.value("link")?;
            match w.split_once('/') {
                Some((d, p)) => (Some(d), Some(p.parse::<u32>().context("port number")?)),
                None => (Some(w), None),
            }
        }
        Some(other) => bail!("Unknown parameter \"{other}\" (nl rdma statistic show: link)"),
        None => (None, None),
    };
    for l in devices(h, name)? {
        let stats = match port {
            Some(p) => vec![h.rdma_port_statistic(&l, p)?],
            None => h.rdma_statistic(&l)?,
        };
        for s in stats {
            if o.json {
                objs.push(statistic_json(&l, &s));
            } else {
                let counters: Vec<String> =
                    s.counters.iter().map(|(k, v)| format!("{k} {v}")).collect();
                writeln!(out, "link {}/{} {} ", l.name, s.port, counters.join(" "))?;
            }
        }
    }
    Ok(())
}

/// `rdma -j statistic`'s object.
pub fn statistic_json(l: &RdmaLink, s: &RdmaPortStatistic) -> Value {
    let mut m = Map::new();
    m.insert("ifname".into(), json!(l.name));
    m.insert("port".into(), json!(s.port));
    for (k, v) in &s.counters {
        m.insert(k.clone(), json!(v));
    }
    Value::Object(m)
}
