//! A link moved into another network namespace and configured there,
//! the way a container runtime wires a container: a veth pair, one end
//! moved in (`ip link set ... netns ...`), then addressed, brought up and
//! given a default route inside (`ip -n NS ...`) through a handle on that
//! namespace; no thread of this program enters it.
//!
//! ```text
//! cargo run -p netlink --example netns                       # a new namespace
//! cargo run -p netlink --example netns -- /run/netns/blue    # one made by `ip netns add blue`
//! cargo run -p netlink --example netns -- 4242               # the namespace of process 4242
//! ```
//!
//! It first moves itself into a fresh network namespace of its own
//! (`unshare(CLONE_NEWNET)`, which needs root), so it touches nothing on
//! the host; with `--here` it works in the current namespace instead. The
//! namespace it configures is the one named by the argument (a namespace
//! file or a pid), or one it creates and that goes away when it exits.

use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};

use anyhow::{Context, Result, anyhow, ensure};
use netlink::{AF_INET, Handle, Link, LinkKind, Route, RouteGet};

const HOST_END: &str = "ex-host0";
const GUEST_END: &str = "ex-guest0";

fn main() -> Result<()> {
    private_netns()?;
    let target = std::env::args().skip(1).find(|a| a != "--here");
    let ns = match &target {
        Some(t) if t.bytes().all(|b| b.is_ascii_digit()) => open(&format!("/proc/{t}/ns/net"))?,
        Some(path) => open(path)?,
        None => new_netns()?,
    };
    let h = Handle::new()?;
    let outcome = wire(&h, ns);
    // Deleting our end deletes the end in the other namespace too.
    match h.link_del(HOST_END) {
        Ok(()) => println!("deleted {HOST_END} (and {GUEST_END} with it)"),
        Err(e) if e.is_not_found() => {}
        Err(e) => eprintln!("cleanup: {e}"),
    }
    outcome
}

fn wire(h: &Handle, ns: OwnedFd) -> Result<()> {
    // ip link add ex-host0 type veth peer name ex-guest0
    h.link_add(&Link::new(HOST_END).kind(LinkKind::veth(GUEST_END)))?;
    // ip link set ex-guest0 netns NS
    h.link_set_netns_fd(GUEST_END, ns.as_fd())?;
    ensure!(h.link_by_name(GUEST_END).is_err_and(|e| e.is_not_found()));
    println!("moved {GUEST_END} into the other namespace");

    // This side: ip addr add 192.0.2.1/24 dev ex-host0; ip link set ex-host0 up
    h.addr_add(HOST_END, &"192.0.2.1/24".parse()?)?;
    h.link_set_up(HOST_END)?;

    // The other side, through a handle on that namespace (`ip -n NS ...`).
    let there = Handle::in_netns_fd(ns)?;
    there.link_set_up("lo")?;
    there.link_set_up(GUEST_END)?;
    there.addr_add(GUEST_END, &"192.0.2.2/24".parse()?)?;
    // ip -n NS route add default via 192.0.2.1
    there.route_add(&Route::default_v4().via("192.0.2.1".parse()?))?;

    for link in there.link_list()? {
        println!("there: {link}");
    }
    for route in there.route_list(AF_INET)? {
        println!("there: route {route}");
    }
    // ip -n NS route get 198.51.100.1: out through the moved link.
    let got = there.route_get(&RouteGet::to("198.51.100.1".parse()?))?;
    let guest = there.link_by_name(GUEST_END)?;
    println!("there: route get 198.51.100.1: {got}");
    ensure!(got.gateway == Some("192.0.2.1".parse()?) && got.oif == Some(guest.index));
    Ok(())
}

/// A namespace file (`/run/netns/NAME`, `/proc/PID/ns/net`).
fn open(path: &str) -> Result<OwnedFd> {
    let file = File::open(path).with_context(|| format!("network namespace {path}"))?;
    Ok(file.into())
}

/// A new, empty network namespace, held by the returned descriptor: a
/// short-lived thread enters one and opens it, so this thread stays put.
fn new_netns() -> Result<OwnedFd> {
    std::thread::spawn(|| -> Result<OwnedFd> {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET).context("unshare")?;
        open("/proc/thread-self/ns/net")
    })
    .join()
    .map_err(|_| anyhow!("the namespace thread panicked"))?
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
