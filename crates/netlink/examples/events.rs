//! Events: `ip monitor link address route`, kept in step with the kernel
//! by a [`Store`] mirror. The subscription lists what exists first, and
//! after lost notifications (an overrun) throws away what is stale and
//! lists again by itself (`resync`), so the mirror is never wrong for
//! long. A helper thread makes changes to watch: a bridge with an address
//! and a route, then deletes it.
//!
//! ```text
//! cargo run -p netlink --example events                 # in a private network namespace
//! cargo run -p netlink --example events -- --count 5    # stop after 5 events
//! cargo run -p netlink --example events -- --here       # this namespace's events (and changes!)
//! ```
//!
//! It stops when the helper's bridge is gone, after `--count` events, or
//! after 2 seconds without one. It first moves itself into a fresh network
//! namespace of its own (`unshare(CLONE_NEWNET)`, which needs root), so it
//! touches nothing on the host; with `--here` it works in the current
//! namespace instead.

use std::time::Duration;

use anyhow::{Context, Result, anyhow, ensure};
use netlink::{ErrorKind, Event, Handle, Link, LinkKind, Route, Store, Subscribe};

const BRIDGE: &str = "ex-ev0";

fn main() -> Result<()> {
    private_netns()?;
    let max = count_arg()?;
    let h = Handle::new()?;

    // ip monitor link address route, starting from the current state.
    let subscribe = Subscribe::new()
        .links()
        .addrs()
        .routes()
        .list_existing()
        .resync();
    let mut sub = h.subscribe(&subscribe)?;
    sub.set_timeout(Some(Duration::from_secs(2)))?;

    // Changes to watch, made by another thread (any program would do).
    let changes = std::thread::spawn(|| make_changes(&Handle::new()?));

    let mut store = Store::default();
    let mut seen = 0;
    while seen < max {
        let event = match sub.next() {
            Ok(event) => event,
            Err(e) if e.kind() == ErrorKind::Timeout => {
                println!("no event for 2 s: stopping");
                break;
            }
            Err(e) => return Err(e.into()),
        };
        seen += 1;
        store.apply(&event);
        match &event {
            Event::NewLink(l) => println!("link    {l}"),
            Event::DelLink(l) => println!("link    {} deleted", l.name),
            Event::NewAddr(a) => println!("address {a} (link {})", a.index),
            Event::DelAddr(a) => println!("address {} deleted (link {})", a.prefix, a.index),
            Event::NewRoute(r) => println!("route   {r}"),
            Event::DelRoute(r) => println!("route   {} deleted", r.dst_string()),
            // The mirror was cleared; the current state follows.
            Event::Overrun => println!("-- notifications lost: listing again --"),
            Event::Synced => println!(
                "-- in step: {} links, {} addresses, {} routes --",
                store.links().count(),
                store.addrs().count(),
                store.routes().count()
            ),
            other => println!("other   {other:?}"),
        }
        if matches!(&event, Event::DelLink(l) if l.name == BRIDGE) {
            break;
        }
    }
    changes
        .join()
        .map_err(|_| anyhow!("the thread making changes panicked"))??;

    // The mirror holds what the kernel holds.
    let mut mirrored: Vec<u32> = store.links().map(|l| l.index).collect();
    let mut kernel: Vec<u32> = h.link_list()?.iter().map(|l| l.index).collect();
    mirrored.sort_unstable();
    kernel.sort_unstable();
    println!("{seen} events; mirror: {} links", mirrored.len());
    if seen < max {
        ensure!(
            mirrored == kernel,
            "mirror {mirrored:?} != kernel {kernel:?}"
        );
    }
    Ok(())
}

/// A bridge with an address and a route, deleted again.
fn make_changes(h: &Handle) -> netlink::Result<()> {
    let br = h.link_add(&Link::new(BRIDGE).kind(LinkKind::bridge()))?;
    h.link_set_up(br.index)?;
    h.addr_add(br.index, &"192.0.2.1/24".parse()?)?;
    h.route_add(&Route::new("198.51.100.0/24".parse()?).via("192.0.2.254".parse()?))?;
    h.link_del(br.index)
}

/// `--count N`: stop after N events (default: no limit).
fn count_arg() -> Result<usize> {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == "--count") {
        Some(i) => args
            .get(i + 1)
            .context("--count needs a number")?
            .parse()
            .context("--count needs a number"),
        None => Ok(usize::MAX),
    }
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
