//! Link and address notifications against the real kernel.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Result, bail, ensure};
use netlink::{Addr, ErrorKind, Event, Handle, Link, LinkKind, Subscribe, Subscription};
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

        h.link_add(&Link::new("ev0").with_kind(LinkKind::veth("ev1")))?;
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
            Handle::new()?.link_add(&Link::new("far0").with_kind(LinkKind::Ifb))?;
            let _ = done_rx.recv();
            Ok(())
        });
        let path = rx.recv()?;
        let result = (|| -> Result<()> {
            let remote = Handle::in_netns(&path)?;
            let mut sub = remote.subscribe(&Subscribe::new().links())?;
            sub.set_timeout(Some(Duration::from_secs(5)))?;
            // A change here must not show up there.
            Handle::new()?.link_add(&Link::new("near0").with_kind(LinkKind::Ifb))?;
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

/// 2,000 veth pairs created and 1,000 of them deleted while a subscriber
/// with a small receive buffer follows. It either sees every event or gets
/// an overrun; after resyncing, its set of links equals the kernel's.
#[test]
fn event_storm_converges_after_resync() {
    in_netns("event_storm_converges_after_resync", |_| {
        const PAIRS: usize = 2000;
        let h = Handle::new()?;
        let mut sub = h.subscribe(
            &Subscribe::new()
                .links()
                .list_existing()
                .recv_buffer(64 * 1024),
        )?;
        sub.set_timeout(Some(Duration::from_secs(3)))?;
        let done = Arc::new(AtomicBool::new(false));
        let done_flag = done.clone();

        let follower =
            std::thread::spawn(move || -> Result<(BTreeMap<u32, String>, usize, usize)> {
                let mut state: BTreeMap<u32, String> = BTreeMap::new();
                let (mut events, mut overruns) = (0usize, 0usize);
                loop {
                    match sub.next() {
                        Ok(Event::NewLink(l)) => {
                            events += 1;
                            state.insert(l.index, l.name);
                        }
                        Ok(Event::DelLink(l)) => {
                            events += 1;
                            state.remove(&l.index);
                        }
                        Ok(_) => {}
                        Err(e) if Subscription::is_overrun(&e) => {
                            overruns += 1;
                            let snap = sub.snapshot()?;
                            state = snap.links.into_iter().map(|l| (l.index, l.name)).collect();
                        }
                        Err(e)
                            if e.kind() == ErrorKind::Timeout
                                && done_flag.load(Ordering::SeqCst) =>
                        {
                            break;
                        }
                        Err(e) if e.kind() == ErrorKind::Timeout => continue,
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok((state, events, overruns))
            });

        let mut batch = Vec::new();
        for i in 0..PAIRS {
            Link::new(format!("s{i}"))
                .with_kind(LinkKind::veth(format!("t{i}")))
                .write_add(&mut batch)?;
        }
        let report = h.route_batch(&mut batch)?;
        ensure!(report.is_ok(), "{:?}", report.failures().first());
        let mut batch = Vec::new();
        for i in (0..PAIRS).step_by(2) {
            netlink::nl_route::link::write_del(&mut batch, &format!("s{i}").into())?;
        }
        let report = h.route_batch(&mut batch)?;
        ensure!(report.is_ok(), "{:?}", report.failures().first());
        done.store(true, Ordering::SeqCst);

        let (state, events, overruns) = follower
            .join()
            .map_err(|_| anyhow::anyhow!("follower panicked"))??;
        let kernel: BTreeMap<u32, String> = h
            .link_list()?
            .into_iter()
            .map(|l| (l.index, l.name))
            .collect();
        eprintln!(
            "storm: {events} events, {overruns} overruns, {} links",
            kernel.len()
        );
        ensure!(
            kernel.len() == PAIRS + 1,
            "lo + 1000 pairs left, got {}",
            kernel.len()
        );
        let missing: Vec<_> = kernel
            .iter()
            .filter(|(i, _)| !state.contains_key(i))
            .take(5)
            .collect();
        let extra: Vec<_> = state
            .iter()
            .filter(|(i, _)| !kernel.contains_key(i))
            .take(5)
            .collect();
        ensure!(
            missing.is_empty() && extra.is_empty(),
            "missing {missing:?} extra {extra:?}"
        );
        ensure!(state == kernel, "names differ");
        ensure!(
            overruns > 0 || events >= 3 * PAIRS,
            "without an overrun every event arrived: {events}"
        );
        Ok(())
    });
}

/// A subscriber that does not read while 300 links appear must get an
/// overrun (not silently lose events), then resync to the kernel's state.
#[test]
fn overrun_is_reported_and_resync_converges() {
    in_netns("overrun_is_reported_and_resync_converges", |_| {
        let h = Handle::new()?;
        let mut sub = h.subscribe(&Subscribe::new().links().recv_buffer(4096))?;
        sub.set_timeout(Some(Duration::from_millis(500)))?;
        let mut batch = Vec::new();
        for i in 0..300 {
            Link::new(format!("o{i}"))
                .with_kind(LinkKind::Ifb)
                .write_add(&mut batch)?;
        }
        ensure!(h.route_batch(&mut batch)?.is_ok());
        let mut state: BTreeMap<u32, String> = BTreeMap::new();
        let mut overruns = 0;
        loop {
            match sub.next() {
                Ok(Event::NewLink(l)) => drop(state.insert(l.index, l.name)),
                Ok(Event::DelLink(l)) => drop(state.remove(&l.index)),
                Ok(_) => {}
                Err(e) if Subscription::is_overrun(&e) => {
                    overruns += 1;
                    state = sub
                        .snapshot()?
                        .links
                        .into_iter()
                        .map(|l| (l.index, l.name))
                        .collect();
                }
                Err(e) if e.kind() == ErrorKind::Timeout => break,
                Err(e) => return Err(e.into()),
            }
        }
        ensure!(overruns >= 1, "a 4 KiB queue cannot hold 300 notifications");
        let kernel: BTreeMap<u32, String> = h
            .link_list()?
            .into_iter()
            .map(|l| (l.index, l.name))
            .collect();
        ensure!(state == kernel, "{} vs {}", state.len(), kernel.len());
        Ok(())
    });
}
