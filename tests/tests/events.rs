//! Link and address notifications against the real kernel.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Result, bail, ensure};
use netlink::{Addr, ErrorKind, Event, Handle, Link, LinkKind, Store, Subscribe, Subscription};
use netlink_tests::in_netns;

/// Next event that is not about `lo` or an address family we ignore.
fn next_interesting(sub: &mut Subscription) -> Result<Event> {
    loop {
        match sub.next()? {
            Event::Other { .. } => continue,
            e => return Ok(e),
        }
    }
}

#[test]
fn existing_objects_first_then_changes() {
    in_netns("existing_objects_first_then_changes", |_| {
        let h = Handle::new()?;
        h.link_set_up("lo")?;
        let mut sub = h.subscribe(&Subscribe::new().links().addrs().list_existing())?;
        sub.set_timeout(Some(Duration::from_secs(5)))?;
        // The listing: lo and its addresses, then Synced.
        let mut listed = Vec::new();
        loop {
            match sub.next()? {
                Event::Synced => break,
                e => listed.push(e),
            }
        }
        ensure!(
            listed
                .iter()
                .any(|e| matches!(e, Event::NewLink(l) if l.name == "lo")),
            "{listed:?}"
        );
        ensure!(
            listed
                .iter()
                .any(|e| matches!(e, Event::NewAddr(a) if a.ip().is_loopback())),
            "{listed:?}"
        );

        h.link_add(&Link::new("ev0").kind(LinkKind::veth("ev1")))?;
        let mut seen = Vec::new();
        while seen.len() < 2 {
            if let Event::NewLink(l) = next_interesting(&mut sub)? {
                if !seen.contains(&l.name) {
                    seen.push(l.name);
                }
            }
        }
        seen.sort();
        ensure!(seen == ["ev0", "ev1"], "{seen:?}");

        h.addr_add("ev0", &"192.0.2.33/24".parse::<Addr>()?)?;
        loop {
            if let Event::NewAddr(a) = next_interesting(&mut sub)? {
                if a.ip().to_string() == "192.0.2.33" {
                    ensure!(a.prefix.prefix_len() == 24);
                    break;
                }
            }
        }
        h.addr_del("ev0", &"192.0.2.33/24".parse::<Addr>()?)?;
        loop {
            if let Event::DelAddr(a) = next_interesting(&mut sub)? {
                if a.ip().to_string() == "192.0.2.33" {
                    break;
                }
            }
        }
        h.link_del("ev0")?;
        loop {
            if let Event::DelLink(l) = next_interesting(&mut sub)? {
                if l.name == "ev0" {
                    break;
                }
            }
        }
        Ok(())
    });
}

#[test]
fn subscription_in_another_namespace() {
    in_netns("subscription_in_another_namespace", |_| {
        let (tx, rx) = std::sync::mpsc::channel();
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let other = std::thread::spawn(move || -> Result<()> {
            nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)?;
            tx.send(format!(
                "/proc/{}/task/{}/ns/net",
                std::process::id(),
                nix::unistd::gettid()
            ))?;
            go_rx.recv()?;
            Handle::new()?.link_add(&Link::new("far0").kind(LinkKind::Ifb))?;
            let _ = done_rx.recv();
            Ok(())
        });
        let path = rx.recv()?;
        let result = (|| -> Result<()> {
            let remote = Handle::in_netns(&path)?;
            let mut sub = remote.subscribe(&Subscribe::new().links())?;
            sub.set_timeout(Some(Duration::from_secs(5)))?;
            // A change here must not show up there.
            Handle::new()?.link_add(&Link::new("near0").kind(LinkKind::Ifb))?;
            go_tx.send(())?;
            loop {
                match next_interesting(&mut sub)? {
                    Event::NewLink(l) if l.name == "far0" => return Ok(()),
                    Event::NewLink(l) if l.name == "near0" => bail!("saw another namespace's link"),
                    _ => {}
                }
            }
        })();
        let _ = done_tx.send(());
        other
            .join()
            .map_err(|_| anyhow::anyhow!("other thread panicked"))??;
        result
    });
}

#[test]
fn another_thread_stops_a_blocked_subscription() {
    in_netns("another_thread_stops_a_blocked_subscription", |_| {
        let h = Handle::new()?;
        let mut sub = h.subscribe(&Subscribe::new().links())?;
        let stop = sub.stop_handle();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            stop.stop()
        });
        let started = std::time::Instant::now();
        let e = sub.next().unwrap_err();
        stopper
            .join()
            .map_err(|_| anyhow::anyhow!("stopper panicked"))??;
        ensure!(e.kind() == ErrorKind::Cancelled, "{e:?}");
        ensure!(started.elapsed() < Duration::from_secs(5));
        drop(sub); // dropping closes the socket
        Ok(())
    });
}

/// What the kernel has: links by index and name, addresses by link and
/// prefix.
/// Links by index and name, addresses by link and prefix.
type State = (BTreeMap<u32, String>, Vec<(u32, String)>);

fn kernel_state(h: &Handle) -> Result<State> {
    let links = h
        .link_list()?
        .into_iter()
        .map(|l| (l.index, l.name))
        .collect();
    let mut addrs: Vec<(u32, String)> = h
        .addr_list(None, 0)?
        .into_iter()
        .map(|a| (a.index, a.prefix.to_string()))
        .collect();
    addrs.sort();
    Ok((links, addrs))
}

fn store_state(store: &Store) -> State {
    let links = store.links().map(|l| (l.index, l.name.clone())).collect();
    let mut addrs: Vec<(u32, String)> = store
        .addrs()
        .map(|a| (a.index, a.prefix.to_string()))
        .collect();
    addrs.sort();
    (links, addrs)
}

/// Rounds of links and addresses created and deleted while a subscriber
/// with a 4 KiB receive buffer follows with `resync`: it must lose
/// notifications (an overrun), and once the storm is over its mirror must
/// be the kernel's state exactly. Objects are created and deleted within
/// a round, so applying notifications queued before a resync's listing
/// (the old recipe) would bring deleted ones back.
fn storm(h: &Handle, rounds: usize, per_round: usize) -> Result<()> {
    for round in 0..rounds {
        let mut batch = Vec::new();
        for i in 0..per_round {
            Link::new(format!("s{round}x{i}"))
                .kind(LinkKind::Ifb)
                .write_add(&mut batch)?;
        }
        let report = h.route_batch(&mut batch)?;
        ensure!(report.is_ok(), "{:?}", report.failures().first());
        let links = h.link_list_filtered(&netlink::LinkDump {
            kind: Some("ifb".into()),
            ..netlink::LinkDump::default()
        })?;
        let mine: Vec<_> = links
            .iter()
            .filter(|l| l.name.starts_with(&format!("s{round}x")))
            .collect();
        let mut batch = Vec::new();
        for (n, l) in mine.iter().enumerate() {
            let octet = u8::try_from(n % 250).unwrap_or(0);
            let mut a: Addr = format!("198.51.100.{}/32", octet + 1).parse()?;
            a.index = l.index;
            a.write_add(&mut batch)?;
        }
        ensure!(h.route_batch(&mut batch)?.is_ok());
        // Delete two links of three and every fourth address of the rest.
        let mut batch = Vec::new();
        for (n, l) in mine.iter().enumerate() {
            if n % 3 != 0 {
                netlink::nl_route::link::write_del(&mut batch, &l.index.into())?;
            } else if n % 4 == 0 {
                let octet = u8::try_from(n % 250).unwrap_or(0);
                let mut a: Addr = format!("198.51.100.{}/32", octet + 1).parse()?;
                a.index = l.index;
                a.write_del(&mut batch)?;
            }
        }
        ensure!(h.route_batch(&mut batch)?.is_ok());
    }
    Ok(())
}

#[test]
fn event_storm_into_4k_converges_by_resync() {
    in_netns("event_storm_into_4k_converges_by_resync", |_| {
        // The resync's listing runs while the storm goes on, and each batch
        // interrupts it (NLM_F_DUMP_INTR): let it restart until the storm
        // pauses. Under emulation (the VM tier) a listing spans many
        // batches and the default 10 restarts ran out.
        let h = Handle::new()?.with_dump_retries(10_000);
        let mut sub = h.subscribe(
            &Subscribe::new()
                .links()
                .addrs()
                .list_existing()
                .resync()
                .recv_buffer(4096),
        )?;
        sub.set_timeout(Some(Duration::from_secs(2)))?;
        let done = Arc::new(AtomicBool::new(false));
        let done_flag = done.clone();
        let follower = std::thread::spawn(move || -> Result<(Store, usize, usize)> {
            let mut store = Store::default();
            let (mut events, mut overruns) = (0usize, 0usize);
            loop {
                match sub.next() {
                    Ok(e) => {
                        events += 1;
                        overruns += usize::from(e == Event::Overrun);
                        store.apply(&e);
                        // A slow reader: the queue overflows.
                        if events % 64 == 0 && !done_flag.load(Ordering::SeqCst) {
                            std::thread::sleep(Duration::from_millis(5));
                        }
                    }
                    Err(e)
                        if e.kind() == ErrorKind::Timeout && done_flag.load(Ordering::SeqCst) =>
                    {
                        break;
                    }
                    Err(e) if e.kind() == ErrorKind::Timeout => continue,
                    Err(e) => return Err(e.into()),
                }
            }
            Ok((store, events, overruns))
        });
        storm(&h, 6, 150)?;
        done.store(true, Ordering::SeqCst);
        let (store, events, overruns) = follower
            .join()
            .map_err(|_| anyhow::anyhow!("follower panicked"))??;
        let kernel = kernel_state(&h)?;
        eprintln!(
            "storm: {events} events, {overruns} overruns, {} links, {} addresses",
            kernel.0.len(),
            kernel.1.len()
        );
        ensure!(overruns >= 1, "a 4 KiB queue cannot hold this storm");
        ensure!(kernel.0.len() == 1 + 6 * 50, "{} links", kernel.0.len());
        let ours = store_state(&store);
        ensure!(
            ours.0 == kernel.0,
            "links differ: {} vs {}",
            ours.0.len(),
            kernel.0.len()
        );
        ensure!(
            ours.1 == kernel.1,
            "addresses differ: {:?} vs {:?}",
            ours.1.len(),
            kernel.1.len()
        );
        Ok(())
    });
}

/// Without `resync`, an overrun is reported (never a silent loss) and
/// the iterator goes on.
#[test]
fn overrun_is_reported_as_an_event() {
    in_netns("overrun_is_reported_as_an_event", |_| {
        let h = Handle::new()?;
        let mut sub = h.subscribe(&Subscribe::new().links().recv_buffer(4096))?;
        sub.set_timeout(Some(Duration::from_millis(500)))?;
        let mut batch = Vec::new();
        for i in 0..300 {
            Link::new(format!("o{i}"))
                .kind(LinkKind::Ifb)
                .write_add(&mut batch)?;
        }
        ensure!(h.route_batch(&mut batch)?.is_ok());
        let mut overruns = 0;
        let mut after = 0;
        loop {
            match sub.next() {
                Ok(Event::Overrun) => overruns += 1,
                Ok(_) if overruns > 0 => after += 1,
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::Timeout => break,
                Err(e) => return Err(e.into()),
            }
        }
        ensure!(overruns >= 1, "a 4 KiB queue cannot hold 300 notifications");
        // The notifications still queued after the loss are delivered.
        ensure!(after >= 1, "nothing after the overrun");
        Ok(())
    });
}

/// Every group delivers typed events: changes made by iproute2 (and one
/// nsid assignment) arrive as the right `Event` variants.
#[test]
fn every_group_delivers_typed_events() {
    in_netns("every_group_delivers_typed_events", |ns| {
        let h = Handle::new()?;
        let mut sub = h.subscribe(&Subscribe::new().all())?;
        sub.set_timeout(Some(Duration::from_secs(3)))?;
        for cmd in [
            "link add e0 type veth peer name e1",
            "link set e0 up",
            "link set e1 up",
            "addr add 192.0.2.1/24 dev e0",
            "-6 addr add 2001:db8::1/64 dev e0 nodad",
            "route add 198.51.100.0/24 via 192.0.2.2",
            "-6 route add 2001:db8:1::/48 via 2001:db8::2",
            "neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev e0",
            "rule add pref 100 to 203.0.113.0/24 table 100",
            "-6 rule add pref 100 to 2001:db8:2::/48 table 100",
            "nexthop add id 7 via 192.0.2.2 dev e0",
        ] {
            ns.ip(cmd.split(' '))?;
        }
        ns.cmd(
            "tc",
            ["qdisc", "add", "dev", "e0", "root", "handle", "1:", "htb"],
        )?;
        std::fs::write("/proc/sys/net/ipv4/conf/e0/forwarding", "1")?;
        // An id for another private namespace, held by a helper thread.
        let (tx, rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let holder = std::thread::spawn(move || -> Result<()> {
            nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)?;
            let path = format!("/proc/self/task/{}/ns/net", nix::unistd::gettid());
            tx.send(std::fs::File::open(path)?)?;
            let _ = done_rx.recv();
            Ok(())
        });
        let other = rx.recv()?;
        let mut req = Vec::new();
        use std::os::fd::AsRawFd;
        let fd = u32::try_from(other.as_raw_fd())?;
        netlink::nl_route::Nsid::write_set(netlink::nl_route::NsTarget::Fd(fd), 5, &mut req)?;
        h.route_request(&mut req)?;
        let ids = h.nsid_list()?;
        ensure!(ids.iter().any(|i| i.nsid == 5), "{ids:?}");
        drop(done_tx);
        holder
            .join()
            .map_err(|_| anyhow::anyhow!("holder panicked"))??;

        let want = [
            "link", "addr4", "addr6", "route4", "route6", "neigh", "rule4", "rule6", "nexthop",
            "qdisc", "netconf", "nsid",
        ];
        let mut seen = std::collections::BTreeSet::new();
        while !want.iter().all(|w| seen.contains(*w)) {
            let e = match sub.next() {
                Ok(e) => e,
                Err(e) if e.kind() == ErrorKind::Timeout => {
                    bail!(
                        "missing {:?}",
                        want.iter()
                            .filter(|w| !seen.contains(**w))
                            .collect::<Vec<_>>()
                    )
                }
                Err(e) => return Err(e.into()),
            };
            let tag = match &e {
                Event::NewLink(l) if l.name == "e0" => "link",
                Event::NewAddr(a) if a.prefix.to_string() == "192.0.2.1/24" => "addr4",
                Event::NewAddr(a) if a.prefix.to_string() == "2001:db8::1/64" => "addr6",
                Event::NewRoute(r) if r.dst_string() == "198.51.100.0/24" => "route4",
                Event::NewRoute(r) if r.dst_string() == "2001:db8:1::/48" => "route6",
                Event::NewNeigh(n) if n.dst == Some("192.0.2.9".parse()?) => "neigh",
                Event::NewRule(r) if r.priority == Some(100) && r.family == netlink::AF_INET => {
                    "rule4"
                }
                Event::NewRule(r) if r.priority == Some(100) && r.family == netlink::AF_INET6 => {
                    "rule6"
                }
                Event::NewNexthop(n) if n.id == 7 => "nexthop",
                Event::NewQdisc(q) if q.handle.to_string() == "1:" => "qdisc",
                Event::NewNetconf(c) if c.forwarding == Some(1) => "netconf",
                Event::NewNsid(i) if i.nsid == 5 => "nsid",
                _ => continue,
            };
            seen.insert(tag);
        }
        Ok(())
    });
}

/// A subscription driven by an event loop: its descriptor becomes
/// readable when an event is queued, and in non-blocking mode `next`
/// says "would block" instead of waiting.
#[test]
fn a_subscription_is_pollable() {
    in_netns("a_subscription_is_pollable", |_| {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        use std::os::fd::AsFd;
        let h = Handle::new()?;
        let mut sub = h.subscribe(&Subscribe::new().links())?;
        sub.set_nonblocking(true)?;
        let e = sub.next().unwrap_err();
        ensure!(e.kind() == ErrorKind::WouldBlock, "{e}");
        h.link_add(&Link::new("pl0").kind(LinkKind::Ifb))?;
        let mut fds = [PollFd::new(sub.as_fd(), PollFlags::POLLIN)];
        ensure!(
            poll(&mut fds, PollTimeout::from(2000u16))? == 1,
            "not readable"
        );
        loop {
            match sub.next() {
                Ok(Event::NewLink(l)) if l.name == "pl0" => break,
                Ok(_) => {}
                Err(e) => return Err(e.into()),
            }
        }
        ensure!(sub.next().unwrap_err().kind() == ErrorKind::WouldBlock);
        Ok(())
    });
}

/// Filter chains and standalone actions arrive typed: `tc chain add/del`
/// and `tc actions add/del` made by tc, and a listing of existing state
/// includes the chains.
#[test]
fn chains_and_actions_are_typed_events() {
    use netlink::nl_route::tc::TcHandle;
    in_netns("chains_and_actions_are_typed_events", |ns| {
        let h = Handle::new()?;
        ns.ip(["link", "add", "e0", "type", "veth", "peer", "name", "e1"])?;
        let e0 = h.link_by_name("e0")?.index;
        ns.cmd("tc", ["qdisc", "add", "dev", "e0", "clsact"])?;
        let mut sub = h.subscribe(&Subscribe::new().tc())?;
        sub.set_timeout(Some(Duration::from_secs(3)))?;
        let tc = |args: &str| ns.cmd("tc", args.split(' '));
        tc("chain add dev e0 ingress chain 5")?;
        tc("actions add action mirred egress redirect dev e1 index 7")?;
        tc("chain del dev e0 ingress chain 5")?;
        tc("actions del action mirred index 7")?;
        let mut seen = Vec::new();
        while seen.len() < 4 {
            let tag = match sub.next()? {
                Event::NewChain(c) => {
                    // The kernel names a clsact qdisc's blocks by its handle.
                    ensure!(
                        c.index == e0 && c.parent == TcHandle::new(0xffff, 0),
                        "{c:?}"
                    );
                    ensure!(c.chain == 5, "{c:?}");
                    "new chain"
                }
                Event::DelChain(c) => {
                    ensure!(c.index == e0 && c.chain == 5, "{c:?}");
                    "del chain"
                }
                Event::NewAction(list) => {
                    ensure!(list.len() == 1, "{list:?}");
                    ensure!(list[0].index == 7, "{list:?}");
                    ensure!(list[0].kind.name() == "mirred", "{list:?}");
                    "new action"
                }
                Event::DelAction(list) => {
                    ensure!(list.iter().any(|a| a.kind.name() == "mirred"), "{list:?}");
                    "del action"
                }
                _ => continue,
            };
            seen.push(tag);
        }
        ensure!(
            seen == ["new chain", "new action", "del chain", "del action"],
            "{seen:?}"
        );

        // A listing of what exists includes the chains of each filter block.
        tc("chain add dev e0 egress chain 9")?;
        let mut listing = h.subscribe(&Subscribe::new().tc().list_existing())?;
        listing.set_timeout(Some(Duration::from_secs(3)))?;
        let mut chains = Vec::new();
        loop {
            match listing.next()? {
                Event::NewChain(c) => chains.push((c.parent, c.chain)),
                Event::Synced => break,
                _ => {}
            }
        }
        ensure!(
            chains.contains(&(TcHandle::new(0xffff, 0), 9)),
            "listing: {chains:?}"
        );
        Ok(())
    });
}
