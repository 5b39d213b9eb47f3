//! A generic netlink family that goes away between resolution and use,
//! and comes back under a new id: the fou module unloaded and loaded again
//! while a handle holds its resolved id.
//!
//! Unloading a module changes the whole kernel, not one namespace, so this
//! runs only in the VM tier (strict mode), in a test binary of its own (the
//! guest runs the binaries one after another). On the host it skips, saying
//! why.

use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use netlink::Handle;
use netlink_tests::{in_netns, need_module, skip, strict};

fn modprobe(args: &[&str]) -> Result<()> {
    let out = Command::new("modprobe")
        .args(args)
        .output()
        .context("modprobe")?;
    if !out.status.success() {
        bail!(
            "modprobe {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

#[test]
fn a_reloaded_family_is_resolved_again() {
    in_netns("genl_reloaded_family", |ns| {
        if !strict() {
            return Err(skip(
                "unloads and reloads the fou module, which changes the whole kernel: VM tier only",
            ));
        }
        need_module("fou")?;
        let h = Handle::new()?;
        let before = h.genl_family_get(netlink::fou::FAMILY)?;
        ensure!(h.fou_list()?.is_empty(), "a fresh namespace has fou ports");

        // Gone: the cached id must not be used for a family that left.
        modprobe(&["-r", "fou"])?;
        match h.genl_family_get(netlink::fou::FAMILY) {
            Err(e) if e.is_not_found() => {}
            other => bail!("fou resolved after its module went: {other:?}"),
        }
        match h.fou_list() {
            Err(e) if e.is_not_found() => {
                ensure!(
                    e.to_string().contains("fou"),
                    "the error names the family: {e}"
                );
            }
            other => bail!("fou_list without the family: {other:?}"),
        }

        // Back, under the next id (genl allocates ids cyclically).
        modprobe(&["fou"])?;
        let after = h.genl_family_get(netlink::fou::FAMILY)?;
        ensure!(after.id != before.id, "same id after reload: {}", after.id);
        let listed = ns.cmd("genl", ["ctrl", "get", "name", "fou"])?;
        let want = format!("ID: {:#x} ", after.id);
        ensure!(
            listed.contains(&want),
            "genl says {listed:?}, we say {want:?}"
        );
        ensure!(h.fou_list()?.is_empty(), "fou ports after the reload");
        Ok(())
    });
}
