//! Events under another runtime, without the `tokio` feature: an nl-sock
//! [`Socket`] joined to the link and address groups, made non-blocking
//! and watched by `async-io` (smol's reactor), each message parsed with
//! [`Event::parse`] into a [`Store`] mirror. After lost notifications it
//! resyncs as the library's own subscriptions do: throw away what is
//! queued (it is stale), then list. A helper thread makes changes to
//! watch: a bridge with an address, then deletes it.
//!
//! ```text
//! cargo run -p netlink --example smol            # in a private network namespace
//! cargo run -p netlink --example smol -- --here  # this namespace's events (and changes!)
//! ```
//!
//! It stops when the helper's bridge is gone or after 2 seconds without an
//! event. It first moves itself into a fresh network namespace of its own
//! (`unshare(CLONE_NEWNET)`, which needs root), so it touches nothing on
//! the host; with `--here` it works in the current namespace instead.

use std::os::fd::{AsFd, OwnedFd};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, ensure};
use async_io::{Async, Timer};
use futures_lite::future;
use netlink::{ErrorKind, Event, Handle, Link, LinkKind, NETLINK_ROUTE, Socket, Store, Subscribe};

const BRIDGE: &str = "ex-sbr0";

fn main() -> Result<()> {
    private_netns()?;
    async_io::block_on(run())
}

async fn run() -> Result<()> {
    let subscribe = Subscribe::new().links().addrs();
    let mut sock = Socket::open(NETLINK_ROUTE)?;
    for group in subscribe.groups() {
        sock.join(group)?;
    }
    // Non-blocking, and no receive timeout: the reactor does the waiting
    // (with the default timeout, "nothing yet" would read as a timeout).
    sock.set_recv_timeout(None)?;
    sock.set_nonblocking(true)?;
    // The reactor watches a duplicate of the descriptor (the same socket),
    // so `sock` stays ours to read with `&mut`.
    let readable = Async::new(sock.as_fd().try_clone_to_owned()?)?;

    // Joined first, then listed: no change in between is missed.
    let h = Handle::new()?;
    let mut store = Store::default();
    for event in h.events_snapshot(&subscribe)? {
        store.apply(&event);
    }
    println!(
        "listed: {} links, {} addresses",
        store.links().count(),
        store.addrs().count()
    );

    let changes = std::thread::spawn(|| make_changes(&Handle::new()?));
    loop {
        let quiet = async {
            Timer::after(Duration::from_secs(2)).await;
            None
        };
        let Some(event) = future::or(
            async { Some(next_event(&mut sock, &readable).await) },
            quiet,
        )
        .await
        else {
            println!("no event for 2 s: stopping");
            break;
        };
        let event = event?;
        store.apply(&event);
        match &event {
            Event::NewLink(l) => println!("link    {l}"),
            Event::DelLink(l) => println!("link    {} deleted", l.name),
            Event::NewAddr(a) => println!("address {a} (link {})", a.index),
            Event::DelAddr(a) => println!("address {} deleted (link {})", a.prefix, a.index),
            Event::Overrun => {
                // The store was cleared; what is queued is older than the
                // listing that follows, so it goes first.
                println!("-- notifications lost: listing again --");
                sock.discard_queued(1 << 16)?;
                for event in h.events_snapshot(&subscribe)? {
                    store.apply(&event);
                }
            }
            _ => {}
        }
        if matches!(&event, Event::DelLink(l) if l.name == BRIDGE) {
            break;
        }
    }
    changes
        .join()
        .map_err(|_| anyhow!("the thread making changes panicked"))??;
    ensure!(
        store.links().all(|l| l.name != BRIDGE),
        "the mirror still has {BRIDGE}"
    );
    println!(
        "mirror: {} links, {} addresses",
        store.links().count(),
        store.addrs().count()
    );
    Ok(())
}

/// The next notification: read while the socket has one, else wait until
/// the reactor says it is readable. Lost notifications are `Event::Overrun`.
async fn next_event(sock: &mut Socket, readable: &Async<OwnedFd>) -> Result<Event> {
    loop {
        let mut messages = sock.messages();
        match messages.next() {
            Ok(msg) => match Event::parse(&msg)? {
                Event::Other { .. } => continue,
                event => return Ok(event),
            },
            Err(e) if e.kind() == ErrorKind::WouldBlock => readable.readable().await?,
            Err(e) if e.kind() == ErrorKind::Overrun => return Ok(Event::Overrun),
            Err(e) => return Err(e.into()),
        }
    }
}

/// A bridge with an address, deleted again.
fn make_changes(h: &Handle) -> netlink::Result<()> {
    let br = h.link_add(&Link::new(BRIDGE).kind(LinkKind::bridge()))?;
    h.link_set_up(br.index)?;
    h.addr_add(br.index, &"192.0.2.1/24".parse()?)?;
    h.link_del(br.index)
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
