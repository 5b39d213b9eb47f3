//! RDMA over NETLINK_RDMA (the nldev interface) against the kernel and
//! iproute2's `rdma`, both ways: the system's namespace mode, the device
//! list, and a soft RoCE (rxe) device over a veth: added, listed with its
//! port, resources and counters, renamed, refused a namespace move,
//! deleted.
//!
//! This host's kernel has no RDMA core (`NETLINK_RDMA` does not exist),
//! so every test skips here naming the module; the VM tier loads ib_core
//! on both kernels and rdma_rxe on 6.12 (6.1's cloud build declares it
//! absent). Devices are visible from every namespace in shared mode, so
//! the comparisons leave out the devices other tests make (`nlt*`).

use std::collections::BTreeMap;

use anyhow::{Context, Result, ensure};
use netlink::{Handle, RdmaLink, RdmaNetnsMode};
use netlink_tests::{Netns, in_netns, need_feature, need_module};
use nl_tools::Tool;
use serde_json::Value;

/// `nl rdma -j ARGS`, as a list of objects.
fn nl_json(args: &[&str]) -> Result<Vec<Value>> {
    let mut words = vec!["-j".to_string()];
    words.extend(args.iter().map(|w| (*w).to_string()));
    let mut out = Vec::new();
    Tool::Rdma
        .run(&words, &mut out)
        .with_context(|| format!("nl rdma {}", words.join(" ")))?;
    let v: Value = serde_json::from_slice(&out)?;
    Ok(match v {
        Value::Array(items) => items,
        other => vec![other],
    })
}

/// `nl rdma -j ARGS` and `rdma -j ARGS` agree: the same objects, each of
/// `rdma`'s keys with the same value; `nl` may add only `extra` keys
/// (attributes newer than the VM's iproute2 6.1 prints).
fn same_json(ns: &Netns, args: &[&str], extra: &[&str]) -> Result<()> {
    let theirs = rdma_json(ns, args)?;
    let ours = nl_json(args)?;
    ensure!(
        theirs.len() == ours.len(),
        "rdma -j {args:?}: {theirs:?}\nnl: {ours:?}"
    );
    for (t, o) in theirs.iter().zip(&ours) {
        let (Some(t), Some(o)) = (t.as_object(), o.as_object()) else {
            anyhow::bail!("not objects: {t} / {o}");
        };
        for (k, v) in t {
            assert_eq!(o.get(k), Some(v), "rdma -j {args:?}: key {k}");
        }
        for k in o.keys() {
            assert!(
                t.contains_key(k) || extra.contains(&k.as_str()),
                "nl rdma -j {args:?} prints {k}, rdma does not"
            );
        }
    }
    Ok(())
}

/// `rdma -j ARGS`, as a list of objects.
fn rdma_json(ns: &Netns, args: &[&str]) -> Result<Vec<Value>> {
    let mut all = vec!["-j"];
    all.extend_from_slice(args);
    let out = ns.cmd("rdma", &all)?;
    if out.trim().is_empty() {
        return Ok(Vec::new());
    }
    let v: Value = serde_json::from_str(&out).with_context(|| format!("rdma -j output: {out}"))?;
    Ok(match v {
        Value::Array(items) => items,
        other => vec![other],
    })
}

/// A handle whose RDMA requests work here: skips where the kernel has no
/// RDMA core.
fn rdma_handle() -> Result<Handle> {
    need_module("ib_core")?;
    let h = Handle::new()?;
    need_feature(h.rdma_system_get(), "RDMA netlink (ib_core)")?;
    Ok(h)
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn u64_of(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// Device names of `rdma -j dev`, without other tests' devices.
fn tool_devices(ns: &Netns) -> Result<Vec<String>> {
    let mut names: Vec<String> = rdma_json(ns, &["dev"])?
        .iter()
        .filter_map(|d| str_of(d, "ifname").map(str::to_string))
        .filter(|n| !n.starts_with("nlt"))
        .collect();
    names.sort();
    Ok(names)
}

#[test]
fn system_netns_mode_matches_rdma_tool() {
    in_netns("rdma_system", |ns| {
        let h = rdma_handle()?;
        let sys = h.rdma_system_get()?;
        let mode = h.rdma_system_get_netns_mode()?;
        assert_eq!(sys.netns_mode, Some(mode));
        // iproute2 6.1's `rdma system show` prints text even with -j:
        // "netns shared copy-on-fork on".
        let text = ns.cmd("rdma", ["system", "show"])?;
        let words: Vec<&str> = text.split_whitespace().collect();
        let after = |k: &str| {
            words
                .iter()
                .position(|w| *w == k)
                .and_then(|i| words.get(i + 1).copied())
        };
        let word = after("netns").context("rdma system show without netns")?;
        assert_eq!(mode.to_string(), word);
        assert_eq!(word.parse::<RdmaNetnsMode>()?, mode);
        let ours = nl_json(&["system"])?;
        let o = ours.first().context("nl rdma -j system: nothing")?;
        assert_eq!(str_of(o, "netns"), Some(word), "{o}");
        if let Some(cof) = after("copy-on-fork") {
            assert_eq!(
                o.get("copy-on-fork").and_then(Value::as_bool),
                Some(cof == "on"),
                "{o}"
            );
        }
        // Setting the mode it has is a no-op the kernel acks.
        h.rdma_system_set_netns_mode(mode)?;
        // A change is refused while another namespace (this test's) exists.
        let other = match mode {
            RdmaNetnsMode::Shared => RdmaNetnsMode::Exclusive,
            RdmaNetnsMode::Exclusive => RdmaNetnsMode::Shared,
        };
        // (EBUSY while namespaces other than the initial one exist; the
        // refusal is what counts, whichever errno a kernel picks.)
        let err = h
            .rdma_system_set_netns_mode(other)
            .err()
            .context("the kernel changed the netns mode with namespaces alive")?;
        assert!(err.errno().is_some(), "{err}");
        assert_eq!(h.rdma_system_get_netns_mode()?, mode);
        Ok(())
    });
}

#[test]
fn device_list_matches_rdma_tool() {
    in_netns("rdma_dev_list", |ns| {
        let h = rdma_handle()?;
        let mut ours: Vec<String> = h
            .rdma_link_list()?
            .into_iter()
            .map(|l| l.name)
            .filter(|n| !n.starts_with("nlt"))
            .collect();
        ours.sort();
        assert_eq!(ours, tool_devices(ns)?);
        let mut res: Vec<String> = h
            .rdma_resource_list()?
            .into_iter()
            .map(|r| r.name)
            .filter(|n| !n.starts_with("nlt"))
            .collect();
        res.sort();
        assert_eq!(res, ours);
        Ok(())
    });
}

/// Compares `link` with its `rdma -j dev show` object.
fn check_dev(ns: &Netns, link: &RdmaLink) -> Result<()> {
    let tool = rdma_json(ns, &["dev", "show", &link.name])?;
    let d = tool.first().context("rdma -j dev show: nothing")?;
    assert_eq!(u64_of(d, "ifindex"), Some(u64::from(link.index)));
    assert_eq!(str_of(d, "ifname"), Some(link.name.as_str()));
    assert_eq!(str_of(d, "node_type"), link.node_type_name());
    assert_eq!(
        str_of(d, "node_guid"),
        Some(link.node_guid_string().as_str())
    );
    assert_eq!(
        str_of(d, "sys_image_guid"),
        Some(link.sys_image_guid_string().as_str())
    );
    assert_eq!(str_of(d, "fw"), link.fw_version.as_deref());
    if let Some(p) = str_of(d, "protocol") {
        assert_eq!(link.protocol.as_deref(), Some(p));
    }
    Ok(())
}

#[test]
fn rxe_link_both_ways() {
    in_netns("rdma_rxe", |ns| {
        let h = rdma_handle()?;
        need_module("rdma_rxe")?;
        ns.ip([
            "link", "add", "nlt-rx0", "type", "veth", "peer", "name", "nlt-rx1",
        ])?;
        ns.ip(["link", "set", "nlt-rx0", "up"])?;
        ns.ip(["link", "set", "nlt-rx1", "up"])?;

        // Ours adds, the tool sees it.
        h.rdma_link_add("nltrxe0", "rxe", "nlt-rx0")?;
        let link = h.rdma_link_by_name("nltrxe0")?;
        ensure!(link.ports == 1, "rxe has one port: {link:?}");
        assert_eq!(h.rdma_link_by_index(link.index)?, link);
        check_dev(ns, &link)?;
        // And `nl rdma` prints what `rdma` prints.
        same_json(ns, &["dev", "show", "nltrxe0"], &["protocol"])?;
        same_json(ns, &["link", "show", "nltrxe0/1"], &[])?;
        same_json(ns, &["resource", "show", "nltrxe0"], &[])?;

        // Its port, as `rdma link` shows it.
        let ports = h.rdma_port_list(&link)?;
        let [port] = ports.as_slice() else {
            anyhow::bail!("one port expected: {ports:?}");
        };
        let tool = rdma_json(ns, &["link", "show", "nltrxe0/1"])?;
        let t = tool.first().context("rdma -j link show: nothing")?;
        assert_eq!(u64_of(t, "port"), Some(1));
        // rdma -j names the device in "ifname" (text: "link DEV/PORT").
        assert_eq!(str_of(t, "ifname"), Some(port.name.as_str()));
        assert_eq!(str_of(t, "state"), port.state_name());
        assert_eq!(str_of(t, "physical_state"), port.phys_state_name());
        assert_eq!(str_of(t, "netdev"), Some("nlt-rx0"));
        assert_eq!(port.netdev.as_deref(), Some("nlt-rx0"));
        assert_eq!(u64_of(t, "netdev_index"), port.netdev_index.map(u64::from));

        // Resources, as `rdma res` counts them.
        let res = h
            .rdma_resource_list()?
            .into_iter()
            .find(|r| r.name == "nltrxe0")
            .context("no resource summary for nltrxe0")?;
        let tool = rdma_json(ns, &["res", "show"])?;
        let t = tool
            .iter()
            .find(|v| str_of(v, "ifname") == Some("nltrxe0"))
            .context("rdma -j res show: no nltrxe0")?;
        let tool_counts: BTreeMap<String, u64> = t
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k != "ifindex" && *k != "ifname")
            .filter_map(|(k, v)| v.as_u64().map(|v| (k.clone(), v)))
            .collect();
        let ours: BTreeMap<String, u64> = res.summary.iter().cloned().collect();
        assert_eq!(ours, tool_counts);

        // Counters, as `rdma statistic` shows them (nothing flows: stable).
        let stats = h.rdma_statistic(&link)?;
        let [stat] = stats.as_slice() else {
            anyhow::bail!("one port's counters expected: {stats:?}");
        };
        assert_eq!((stat.index, stat.port), (link.index, 1));
        let tool = rdma_json(ns, &["statistic", "show", "link", "nltrxe0/1"])?;
        let t = tool.first().context("rdma -j statistic show: nothing")?;
        let tool_counters: BTreeMap<String, u64> = t
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !matches!(k.as_str(), "ifindex" | "ifname" | "port"))
            .filter_map(|(k, v)| v.as_u64().map(|v| (k.clone(), v)))
            .collect();
        let ours: BTreeMap<String, u64> = stat.counters.iter().cloned().collect();
        ensure!(!ours.is_empty(), "rxe has hardware counters");
        assert_eq!(ours, tool_counters);

        // The tool renames, ours follows; ours renames, the tool follows.
        ns.cmd("rdma", ["dev", "set", "nltrxe0", "name", "nltrxe1"])?;
        let renamed = h.rdma_link_by_name("nltrxe1")?;
        assert_eq!(renamed.index, link.index);
        assert!(
            h.rdma_link_by_name("nltrxe0")
                .err()
                .is_some_and(|e| e.is_not_found())
        );
        h.rdma_link_set_name(&renamed, "nltrxe2")?;
        let renamed = h.rdma_link_by_name("nltrxe2")?;
        check_dev(ns, &renamed)?;

        // A move needs a driver that can disassociate its users, and
        // exclusive mode: rxe has neither way (ib_device_set_netns_put).
        let here = std::fs::File::open(ns.path())?;
        let err = h
            .rdma_link_set_ns_fd(&renamed, std::os::fd::AsFd::as_fd(&here))
            .err()
            .context("rxe moved to a namespace")?;
        assert_eq!(err.errno(), Some(netlink::Errno::EOPNOTSUPP), "{err}");

        // Ours deletes, the tool no longer lists it.
        h.rdma_link_del(&renamed)?;
        assert!(
            !rdma_json(ns, &["dev"])?
                .iter()
                .any(|d| str_of(d, "ifname") == Some("nltrxe2"))
        );
        assert!(
            h.rdma_link_by_name("nltrxe2")
                .err()
                .is_some_and(|e| e.is_not_found())
        );

        // The tool adds, ours sees it and deletes it.
        ns.cmd(
            "rdma",
            ["link", "add", "nltrxe3", "type", "rxe", "netdev", "nlt-rx1"],
        )?;
        let added = h.rdma_link_by_name("nltrxe3")?;
        check_dev(ns, &added)?;
        assert_eq!(
            h.rdma_port_list(&added)?
                .first()
                .and_then(|p| p.netdev.clone()),
            Some("nlt-rx1".to_string())
        );
        h.rdma_link_del(&added)?;
        assert!(
            !rdma_json(ns, &["dev"])?
                .iter()
                .any(|d| str_of(d, "ifname") == Some("nltrxe3"))
        );
        Ok(())
    });
}
