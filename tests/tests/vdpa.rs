//! vDPA against the kernel and the `vdpa` tool (iproute2).
//!
//! The family is registered without `netnsok`, so it exists only in the
//! initial network namespace. In a test's private namespace both the
//! library and `vdpa` must find no family. In the test process's own
//! namespace (the initial one in the VM tier, where the tests run as
//! init's children) the test only reads (management devices, devices,
//! their configurations) and compares with `vdpa -j` run there through
//! `nsenter`; where the family is absent (no module, or not the initial
//! namespace) both must agree that it is. Only when the net simulator's
//! management device (`vdpasim_net`) is there does it create a device of
//! its own, compare it and delete it.

use std::collections::BTreeSet;

use anyhow::{Context, Result, bail, ensure};
use netlink::vdpa::{MgmtDev, NewDev};
use netlink::{AsyncHandle, Handle};
use netlink_tests::{Netns, Skip, in_netns};

/// The test process's own network namespace (its main thread's; test
/// bodies run on threads of private namespaces).
fn process_net() -> String {
    format!("/proc/{}/ns/net", std::process::id())
}
/// The device this test may create.
const TEST_DEV: &str = "nltest-vdpa0";

/// `vdpa -j ARGS` in the process's namespace: `Some(json)`, or `None`
/// when `vdpa` found no family there (a missing tool skips).
fn vdpa_json(ns: &Netns, args: &[&str]) -> Result<Option<serde_json::Value>> {
    let net = format!("--net={}", process_net());
    let mut all = vec![net.as_str(), "vdpa", "-j"];
    all.extend_from_slice(args);
    match ns.cmd("nsenter", &all) {
        Ok(out) => Ok(Some(
            serde_json::from_str(&out).with_context(|| out.clone())?,
        )),
        Err(e) if e.downcast_ref::<Skip>().is_some() => Err(e),
        Err(e) if e.to_string().contains("Failed to connect to vdpa Netlink") => Ok(None),
        Err(e) => Err(e),
    }
}

/// The keys of `json[outer]` (`vdpa -j` prints objects keyed by name).
fn names(json: &serde_json::Value, outer: &str) -> Result<BTreeSet<String>> {
    Ok(json[outer]
        .as_object()
        .with_context(|| format!("no {outer:?} object in {json}"))?
        .keys()
        .cloned()
        .collect())
}

#[test]
fn vdpa_family_is_not_in_private_namespaces() {
    in_netns("vdpa_family_is_not_in_private_namespaces", |ns| {
        let h = Handle::new()?;
        let e = h.vdpa_dev_list().unwrap_err();
        ensure!(
            e.is_not_found() && e.to_string().contains("\"vdpa\""),
            "{e}"
        );
        match ns.cmd("vdpa", ["dev", "show"]) {
            Ok(out) => bail!("vdpa found a family in a private namespace: {out}"),
            Err(e) if e.downcast_ref::<Skip>().is_some() => return Err(e),
            Err(e) => ensure!(e.to_string().contains("vdpa Netlink"), "{e}"),
        }
        Ok(())
    });
}

#[test]
fn vdpa_dumps_match_the_vdpa_tool() {
    in_netns("vdpa_dumps_match_the_vdpa_tool", |ns| {
        let h = Handle::in_netns(process_net())?;
        let tool = vdpa_json(ns, &["mgmtdev", "show"])?;
        let mgmt = match (h.vdpa_mgmtdev_list(), tool) {
            // No module: both say so, and there is nothing more to read.
            (Err(e), None) if e.is_not_found() => return Ok(()),
            (Ok(list), Some(json)) => {
                let ours: BTreeSet<String> = list.iter().map(MgmtDev::handle).collect();
                ensure!(ours == names(&json, "mgmtdev")?, "{list:?} vs {json}");
                list
            }
            (ours, tool) => bail!("the library and vdpa disagree: {ours:?} vs {tool:?}"),
        };
        // Devices and their configurations, as the tool lists them.
        let devs = h.vdpa_dev_list()?;
        let json = vdpa_json(ns, &["dev", "show"])?.context("vdpa dev show")?;
        let ours: BTreeSet<String> = devs.iter().map(|d| d.name.clone()).collect();
        ensure!(ours == names(&json, "dev")?, "{devs:?} vs {json}");
        for d in &devs {
            let theirs = &json["dev"][&d.name];
            ensure!(
                theirs["max_vqs"].as_u64() == Some(u64::from(d.max_vqs)),
                "{d:?} vs {theirs}"
            );
            ensure!(h.vdpa_dev_get(&d.name)? == *d);
        }
        let configs = h.vdpa_dev_config_list()?;
        ensure!(configs.len() == devs.len(), "{configs:?}");
        // A device of our own, only from the simulator.
        if !mgmt.iter().any(|m| m.handle() == "vdpasim_net") {
            return Ok(());
        }
        let new = NewDev {
            mac: Some("02:00:00:00:00:01".parse()?),
            ..NewDev::new(TEST_DEV, "vdpasim_net")
        };
        h.vdpa_new_dev(&new)?;
        let checked = (|| -> Result<()> {
            let dev = h.vdpa_dev_get(TEST_DEV)?;
            ensure!(dev.mgmtdev_dev.as_deref() == Some("vdpasim_net"), "{dev:?}");
            let json = vdpa_json(ns, &["dev", "show", TEST_DEV])?.context("dev show")?;
            ensure!(
                names(&json, "dev")? == BTreeSet::from([TEST_DEV.to_string()]),
                "{json}"
            );
            let config = h.vdpa_dev_config_get(TEST_DEV)?;
            ensure!(config.mac == new.mac, "{config:?}");
            Ok(())
        })();
        h.vdpa_del_dev(TEST_DEV)?;
        checked?;
        let e = h.vdpa_dev_get(TEST_DEV).unwrap_err();
        ensure!(e.is_not_found(), "{e}");
        Ok(())
    });
}

#[test]
fn async_vdpa() {
    in_netns("async_vdpa", |_ns| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async {
            // Here, in a private namespace: no family.
            let h = AsyncHandle::new()?;
            let e = h.vdpa_mgmtdev_list().await.unwrap_err();
            ensure!(e.is_not_found(), "{e}");
            // In the process's: the same answer as the blocking handle.
            let blocking = Handle::in_netns(process_net())?.vdpa_dev_list();
            let h = AsyncHandle::in_netns(process_net())?;
            match (h.vdpa_dev_list().await, blocking) {
                (Ok(a), Ok(b)) => ensure!(a == b, "{a:?} vs {b:?}"),
                (Err(a), Err(b)) => ensure!(a.is_not_found() && b.is_not_found(), "{a} / {b}"),
                (a, b) => bail!("async and blocking disagree: {a:?} vs {b:?}"),
            }
            Ok(())
        })
    });
}
