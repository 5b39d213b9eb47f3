//! Addresses and routes: `ip addr add`, `ip route add ... via ...`,
//! `ip route show dev ...`, `ip route get`, then everything removed again.
//!
//! ```text
//! cargo run -p netlink --example addr_route            # in a private network namespace
//! cargo run -p netlink --example addr_route -- --here  # in this one: changes this host
//! ```
//!
//! It first moves itself into a fresh network namespace of its own
//! (`unshare(CLONE_NEWNET)`, which needs root), so it touches nothing on
//! the host; with `--here` it works in the current namespace instead.

use anyhow::{Context, Result, ensure};
use netlink::{Addr, AddrFlags, Handle, Link, LinkKind, Route, RouteDump, RouteGet};

const DEV: &str = "ex-addr0";
const PEER: &str = "ex-addr1";

fn main() -> Result<()> {
    private_netns()?;
    let h = Handle::new()?;
    let outcome = configure(&h);
    // The link's addresses and routes go with it.
    match h.link_del(DEV) {
        Ok(()) => println!("deleted {DEV} (and its addresses and routes)"),
        Err(e) if e.is_not_found() => {}
        Err(e) => eprintln!("cleanup: {e}"),
    }
    outcome
}

fn configure(h: &Handle) -> Result<()> {
    // A veth pair to hang addresses on (any link would do), both ends up:
    // the kernel adds connected routes only on a link that is up.
    let dev = h.link_add(&Link::new(DEV).kind(LinkKind::veth(PEER)))?;
    h.link_set_up(PEER)?;
    h.link_set_up(dev.index)?;

    // ip addr add 192.0.2.1/24 dev ex-addr0
    h.addr_add(dev.index, &"192.0.2.1/24".parse()?)?;
    // ip addr add 2001:db8::1/64 dev ex-addr0 nodad (usable at once,
    // without waiting for duplicate address detection)
    let mut v6 = Addr::new(dev.index, "2001:db8::1/64".parse()?);
    v6.flags = AddrFlags::NODAD;
    h.addr_add(dev.index, &v6)?;
    for a in h.addr_list(Some(dev.index.into()), 0)? {
        println!("address on {DEV}: {a}");
    }

    // ip route add 198.51.100.0/24 via 192.0.2.254
    let via_v4 = Route::new("198.51.100.0/24".parse()?).via("192.0.2.254".parse()?);
    h.route_add(&via_v4)?;
    // ip route add 2001:db8:1::/48 via 2001:db8::ff dev ex-addr0
    let via_v6 = Route::new("2001:db8:1::/48".parse()?)
        .via("2001:db8::ff".parse()?)
        .dev(dev.index);
    h.route_add(&via_v6)?;
    // ip route add 203.0.113.0/24 dev ex-addr0 metric 100
    let direct = Route::new("203.0.113.0/24".parse()?)
        .dev(dev.index)
        .metric(100);
    h.route_add(&direct)?;

    // ip route show dev ex-addr0 (both families)
    let routes = h.route_list_filtered(&RouteDump {
        oif: Some(dev.index),
        ..RouteDump::default()
    })?;
    for r in &routes {
        println!("route: {r}");
    }
    ensure!(routes.len() >= 4, "connected and added routes expected");

    // ip route get 198.51.100.7: which route the kernel would use.
    let got = h.route_get(&RouteGet::to("198.51.100.7".parse()?))?;
    println!("route get 198.51.100.7: {got}");
    ensure!(got.gateway == Some("192.0.2.254".parse()?) && got.oif == Some(dev.index));

    // ip route del ...; ip addr del ...
    h.route_del(&via_v4)?;
    h.addr_del(dev.index, &v6)?;
    ensure!(
        h.addr_list(Some(dev.index.into()), netlink::AF_INET6)?
            .iter()
            .all(|a| a.prefix != v6.prefix)
    );
    println!(
        "removed route {} and address {}",
        via_v4.dst_string(),
        v6.prefix
    );
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
