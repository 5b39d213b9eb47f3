//! A bridge with a veth pair on it: `ip link add ... type bridge`,
//! `ip link add ... type veth peer name ...`, `ip link set ... master ...`,
//! `ip link set ... up`, then everything deleted again.
//!
//! ```text
//! cargo run -p netlink --example bridge_veth            # in a private network namespace
//! cargo run -p netlink --example bridge_veth -- --here  # in this one: changes this host
//! ```
//!
//! It first moves itself into a fresh network namespace of its own
//! (`unshare(CLONE_NEWNET)`, which needs root), so it touches nothing on
//! the host; with `--here` it works in the current namespace instead.

use anyhow::{Context, Result, ensure};
use netlink::{Handle, Link, LinkDump, LinkKind};

const BRIDGE: &str = "ex-br0";
const VETH: &str = "ex-veth0";
const PEER: &str = "ex-veth1";

fn main() -> Result<()> {
    private_netns()?;
    let h = Handle::new()?;
    let outcome = build(&h);
    // Deleting one end of a veth pair deletes the other end too.
    for name in [VETH, BRIDGE] {
        match h.link_del(name) {
            Ok(()) => println!("deleted {name}"),
            Err(e) if e.is_not_found() => {}
            Err(e) => eprintln!("cleanup: {e}"),
        }
    }
    outcome
}

fn build(h: &Handle) -> Result<()> {
    // ip link add ex-br0 type bridge
    let br = h.link_add(&Link::new(BRIDGE).kind(LinkKind::bridge()))?;
    println!("created {br}");
    // ip link add ex-veth0 type veth peer name ex-veth1
    let veth = h.link_add(&Link::new(VETH).kind(LinkKind::veth(PEER)))?;
    println!("created {veth} (peer {PEER})");
    // ip link set ex-veth0 master ex-br0
    h.link_set_master(veth.index, br.index)?;
    // ip link set ... up
    for name in [BRIDGE, VETH, PEER] {
        h.link_set_up(name)?;
    }

    // ip link show master ex-br0
    let ports = h.link_list_filtered(&LinkDump {
        master: Some(br.index),
        ..LinkDump::default()
    })?;
    for port in &ports {
        println!("port of {BRIDGE}: {port}");
    }
    ensure!(
        ports.iter().map(|l| l.name.as_str()).eq([VETH]),
        "{BRIDGE} should have exactly {VETH} as port"
    );
    let veth = h.link_by_name(VETH)?;
    ensure!(veth.master == Some(br.index) && veth.is_up());
    Ok(())
}

/// Moves this process into a fresh network namespace, unless `--here` is
/// given. Called first, while the main thread is the only one: threads
/// started later (a runtime's, a helper's) are created in it too.
fn private_netns() -> Result<()> {
    if std::env::args().any(|a| a == "--here") {
        return Ok(());
    }
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .context("unshare(CLONE_NEWNET) needs root; --here runs in this namespace instead")
}
