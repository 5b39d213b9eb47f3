//! The same calls under tokio (feature `tokio`): requests awaited, two at
//! once on one handle; a route dump read as a stream, in constant memory
//! whatever the table's size; and events, as a stream that lists the
//! current state first and resyncs by itself after lost notifications.
//!
//! ```text
//! cargo run -p netlink --features tokio --example tokio            # in a private network namespace
//! cargo run -p netlink --features tokio --example tokio -- --here  # in this one: changes this host
//! ```
//!
//! It first moves itself into a fresh network namespace of its own
//! (`unshare(CLONE_NEWNET)`, which needs root) before the runtime starts
//! its threads, so they are all in it and nothing touches the host; with
//! `--here` it works in the current namespace instead.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use futures_lite::StreamExt;
use netlink::{AsyncHandle, ErrorKind, Event, Link, LinkKind, Route, RouteDump, Store, Subscribe};

const BRIDGE: &str = "ex-tbr0";
const VETH: &str = "ex-tveth0";
const PEER: &str = "ex-tveth1";

fn main() -> Result<()> {
    private_netns()?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> Result<()> {
    let h = AsyncHandle::new()?;
    // Events: subscribed first, so every change below is seen.
    let subscribe = Subscribe::new().links().addrs().list_existing().resync();
    let mut events = h.subscribe(&subscribe).await?;
    events.set_timeout(Some(Duration::from_secs(2)));

    let outcome = requests(&h).await;
    for name in [VETH, BRIDGE] {
        match h.link_del(name).await {
            Ok(()) => println!("deleted {name}"),
            Err(e) if e.is_not_found() => {}
            Err(e) => eprintln!("cleanup: {e}"),
        }
    }
    outcome?;

    // Everything above arrived meanwhile, in order: read it into a mirror
    // until the bridge's deletion.
    let mut store = Store::default();
    loop {
        let event = match events.next().await {
            Some(Ok(event)) => event,
            Some(Err(e)) if e.kind() == ErrorKind::Timeout => break,
            Some(Err(e)) => return Err(e.into()),
            None => break,
        };
        store.apply(&event);
        match &event {
            Event::NewLink(l) => println!("event: link {}", l.name),
            Event::DelLink(l) => println!("event: link {} deleted", l.name),
            Event::NewAddr(a) => println!("event: address {}", a.prefix),
            Event::DelAddr(a) => println!("event: address {} deleted", a.prefix),
            Event::Overrun => println!("event: notifications lost, listing again"),
            Event::Synced => println!("event: in step, {} links", store.links().count()),
            _ => {}
        }
        if matches!(&event, Event::DelLink(l) if l.name == BRIDGE) {
            break;
        }
    }
    ensure!(
        store.links().all(|l| l.name != BRIDGE && l.name != VETH),
        "the mirror still has deleted links"
    );
    Ok(())
}

async fn requests(h: &AsyncHandle) -> Result<()> {
    // Two requests at once on one handle (each runs on a socket of its own).
    let bridge = Link::new(BRIDGE).kind(LinkKind::bridge());
    let pair = Link::new(VETH).kind(LinkKind::veth(PEER));
    let (br, veth) = tokio::try_join!(h.link_add(&bridge), h.link_add(&pair))?;
    println!("created {} and {} (peer {PEER})", br.name, veth.name);
    h.link_set_master(veth.index, br.index).await?;
    h.link_set_up(br.index).await?;
    h.addr_add(br.index, &"192.0.2.1/24".parse()?).await?;
    h.route_add(&Route::new("198.51.100.0/24".parse()?).via("192.0.2.254".parse()?))
        .await?;

    // ip route show: a dump as a stream, each route parsed as it arrives.
    let filter = RouteDump::default();
    let mut routes = h.route_stream(&filter)?;
    let mut count = 0;
    while let Some(route) = routes.next().await {
        println!("route {}", route?);
        count += 1;
    }
    ensure!(count >= 2, "the connected route and ours expected");
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
