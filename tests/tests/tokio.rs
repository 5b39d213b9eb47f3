//! The whole library from async Rust: `AsyncHandle` calls, streams and
//! subscriptions under tokio's current-thread and multi-thread runtimes,
//! each test in a private network namespace.

use std::future::poll_fn;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use netlink::{
    AF_INET, Addr, AsyncHandle, ErrorKind, Event, Link, LinkDump, LinkKind, Route, RouteDump,
    Store, Stream, Subscribe,
};
use netlink_tests::{Netns, in_netns};

/// Runs `body` on a tokio runtime of the given flavor, inside the test's
/// namespace (the runtime's threads are started from the test thread and
/// share its namespace).
fn on<F, Fut>(multi: bool, body: F) -> Result<()>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let rt = if multi {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    };
    rt.block_on(body())
}

/// The next item of a stream.
async fn next<S: Stream + Unpin>(s: &mut S) -> Option<S::Item> {
    poll_fn(|cx| std::pin::Pin::new(&mut *s).poll_next(cx)).await
}

/// The `i`th /64 of the documentation range 2001:db8::/32.
fn doc_prefix(i: u32) -> netlink::IpNet {
    let addr = std::net::Ipv6Addr::new(0x2001, 0xdb8, (i >> 16) as u16, i as u16, 0, 0, 0, 0);
    netlink::IpNet::V6(netlink::Ipv6Net::new(addr, 64).unwrap_or_default())
}

async fn veth(h: &AsyncHandle, a: &str, b: &str) -> Result<Link> {
    let l = h.link_add(&Link::new(a).kind(LinkKind::veth(b))).await?;
    h.link_set_up(a).await?;
    h.link_set_up(b).await?;
    Ok(l)
}

fn requests_with_errors(multi: bool) -> Result<()> {
    on(multi, || async {
        let h = AsyncHandle::new()?.connect().await?;
        let made = veth(&h, "a0", "a1").await?;
        ensure!(made.name == "a0" && made.index > 0, "{made:?}");
        h.addr_add("a0", &"192.0.2.1/24".parse()?).await?;
        let addrs = h.addr_list(Some("a0".into()), AF_INET).await?;
        ensure!(addrs.len() == 1 && addrs[0].prefix.to_string() == "192.0.2.1/24");
        // The kernel's refusals arrive with errno and ext-ack text.
        let e = h
            .link_add(&Link::new("a0").kind(LinkKind::veth("a9")))
            .await
            .unwrap_err();
        ensure!(e.kind() == ErrorKind::Exists, "{e}");
        ensure!(e.to_string().contains("\"a0\""), "the link is named: {e}");
        let e = h.link_set_mtu("a0", 70000).await.unwrap_err();
        ensure!(
            e.kind() == ErrorKind::Invalid && e.message().is_some(),
            "{e:?}"
        );
        let e = h.link_by_name("nope0").await.unwrap_err();
        ensure!(e.is_not_found(), "{e}");
        // Nested calls in one future, and results that match the blocking handle.
        let blocking = h.blocking();
        ensure!(h.link_list().await?.len() == blocking.link_list()?.len());
        Ok(())
    })
}

#[test]
fn requests_and_kernel_errors_current_thread() {
    in_netns("requests_and_kernel_errors_current_thread", |_| {
        requests_with_errors(false)
    });
}

#[test]
fn requests_and_kernel_errors_multi_thread() {
    in_netns("requests_and_kernel_errors_multi_thread", |_| {
        requests_with_errors(true)
    });
}

/// 100,000 routes added in one async batch and streamed back one by one.
#[test]
fn a_100k_route_dump_streams() {
    in_netns("a_100k_route_dump_streams", |_| {
        on(true, || async {
            const N: u32 = 100_000;
            let h = AsyncHandle::new()?;
            veth(&h, "r0", "r1").await?;
            let dev = h.link_index("r0").await?;
            let routes: Vec<Route> = (0..N)
                .map(|i| {
                    let mut r = Route::new(doc_prefix(i));
                    r.oif = Some(dev);
                    r.table = 100;
                    r
                })
                .collect();
            let report = h.routes_add(&routes).await?;
            ensure!(
                report.is_ok() && report.len() == N as usize,
                "{:?}",
                report.failures().first()
            );
            let filter = RouteDump {
                table: Some(100),
                ..RouteDump::default()
            };
            let mut stream = pin!(h.route_stream(&filter)?);
            let mut n = 0u32;
            while let Some(r) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
                let r = r?;
                ensure!(r.table == 100 && r.oif == Some(dev), "{r:?}");
                n += 1;
            }
            ensure!(n == N, "streamed {n}");
            // The collected listing agrees.
            ensure!(h.route_list_filtered(&filter).await?.len() == N as usize);
            Ok(())
        })
    });
}

/// Events for links, addresses, routes and neighbours as a Stream.
#[test]
fn events_as_a_stream() {
    in_netns("events_as_a_stream", |ns| {
        on(false, || async {
            let h = AsyncHandle::new()?;
            let sub = h
                .subscribe(
                    &Subscribe::new()
                        .links()
                        .addrs()
                        .routes()
                        .neighbours()
                        .list_existing(),
                )
                .await?;
            let mut sub = Box::pin(sub);
            // The listing first: lo, then Synced.
            loop {
                match next(&mut sub).await.context("ended")?? {
                    Event::Synced => break,
                    Event::NewLink(l) if l.name == "lo" => {}
                    other => bail!("unexpected in the listing: {other:?}"),
                }
            }
            change_things(ns)?;
            let mut seen = std::collections::BTreeSet::new();
            let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
            while seen.len() < 4 {
                let e = tokio::time::timeout_at(deadline, next(&mut sub))
                    .await
                    .map_err(|_| anyhow::anyhow!("only saw {seen:?}"))?
                    .context("ended")??;
                match e {
                    Event::NewLink(l) if l.name == "v0" => seen.insert("link"),
                    Event::NewAddr(a) if a.prefix.to_string() == "192.0.2.1/24" => {
                        seen.insert("addr")
                    }
                    Event::NewRoute(r) if r.dst_string() == "198.51.100.0/24" => {
                        seen.insert("route")
                    }
                    Event::NewNeigh(n) if n.dst == Some("192.0.2.9".parse()?) => {
                        seen.insert("neigh")
                    }
                    _ => false,
                };
            }
            Ok(())
        })
    });
}

fn change_things(ns: &Netns) -> Result<()> {
    for cmd in [
        "link add v0 type veth peer name v1",
        "link set v0 up",
        "link set v1 up",
        "addr add 192.0.2.1/24 dev v0",
        "route add 198.51.100.0/24 via 192.0.2.2",
        "neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev v0",
    ] {
        ns.ip(cmd.split(' '))?;
    }
    Ok(())
}

/// A storm into a 4 KiB receive buffer: overruns, then the resync brings
/// the mirror to the kernel's true state.
#[test]
fn overrun_into_4k_then_resync() {
    in_netns("overrun_into_4k_then_resync", |_| {
        on(true, || async {
            // The resync's listing runs while the storm goes on, and each
            // batch interrupts it (NLM_F_DUMP_INTR): let it restart until
            // the storm pauses. Under emulation (the VM tier) a listing
            // spans many batches and the default 10 restarts ran out.
            let h = AsyncHandle::new()?.with_dump_retries(10_000);
            let sub = h
                .subscribe(
                    &Subscribe::new()
                        .links()
                        .addrs()
                        .list_existing()
                        .resync()
                        .recv_buffer(4096),
                )
                .await?;
            let mut sub = Box::pin(sub);
            let blocking = h.blocking();
            // The storm runs on another thread while this task reads slowly.
            let storm = std::thread::spawn(move || -> Result<()> {
                for round in 0..4 {
                    let mut batch = Vec::new();
                    for i in 0..200 {
                        Link::new(format!("z{round}x{i}"))
                            .kind(LinkKind::Ifb)
                            .write_add(&mut batch)?;
                    }
                    ensure!(blocking.route_batch(&mut batch)?.is_ok());
                    let mut batch = Vec::new();
                    for (n, l) in blocking
                        .link_list_filtered(&LinkDump {
                            kind: Some("ifb".into()),
                            ..LinkDump::default()
                        })?
                        .iter()
                        .filter(|l| l.name.starts_with(&format!("z{round}x")))
                        .enumerate()
                    {
                        if n % 2 == 0 {
                            netlink::nl_route::link::write_del(&mut batch, &l.index.into())?;
                        } else {
                            let mut a: Addr = "203.0.113.7/32".parse()?;
                            a.index = l.index;
                            a.write_add(&mut batch)?;
                        }
                    }
                    ensure!(blocking.route_batch(&mut batch)?.is_ok());
                }
                Ok(())
            });
            let mut store = Store::default();
            let mut overruns = 0;
            let mut events = 0usize;
            loop {
                match tokio::time::timeout(Duration::from_secs(2), next(&mut sub)).await {
                    Err(_) if storm.is_finished() => break,
                    Err(_) => continue,
                    Ok(e) => {
                        let e = e.context("ended")??;
                        events += 1;
                        overruns += usize::from(e == Event::Overrun);
                        store.apply(&e);
                        if events % 50 == 0 && !storm.is_finished() {
                            tokio::time::sleep(Duration::from_millis(5)).await;
                        }
                    }
                }
            }
            storm
                .join()
                .map_err(|_| anyhow::anyhow!("storm panicked"))??;
            ensure!(
                overruns >= 1,
                "4 KiB cannot hold the storm ({events} events)"
            );
            let mut kernel: Vec<(u32, String)> = h
                .link_list()
                .await?
                .into_iter()
                .map(|l| (l.index, l.name))
                .collect();
            let mut ours: Vec<(u32, String)> =
                store.links().map(|l| (l.index, l.name.clone())).collect();
            // Kernels before 6.7 dump links in hash order, not by index.
            kernel.sort();
            ours.sort();
            ensure!(kernel.len() == 401, "{} links", kernel.len());
            ensure!(ours == kernel, "links: {} vs {}", ours.len(), kernel.len());
            let mut kernel: Vec<(u32, String)> = h
                .addr_list(None, 0)
                .await?
                .into_iter()
                .map(|a| (a.index, a.prefix.to_string()))
                .collect();
            let mut ours: Vec<(u32, String)> = store
                .addrs()
                .map(|a| (a.index, a.prefix.to_string()))
                .collect();
            kernel.sort();
            ours.sort();
            ensure!(
                ours == kernel,
                "addresses: {} vs {}",
                ours.len(),
                kernel.len()
            );
            Ok(())
        })
    });
}

/// Dropping a dump stream and a batch future midway leaves the handle
/// usable and the kernel consistent.
#[test]
fn cancelled_dump_and_batch_leave_the_handle_usable() {
    in_netns("cancelled_dump_and_batch_leave_the_handle_usable", |_| {
        on(false, || async {
            let h = AsyncHandle::new()?;
            veth(&h, "c0", "c1").await?;
            let dev = h.link_index("c0").await?;
            let routes = |n: u32, table: u32| -> Vec<Route> {
                (0..n)
                    .map(|i| {
                        let mut r = Route::new(doc_prefix(i));
                        r.oif = Some(dev);
                        r.table = table;
                        r
                    })
                    .collect()
            };
            ensure!(h.routes_add(&routes(20_000, 10)).await?.is_ok());
            let filter = RouteDump {
                table: Some(10),
                ..RouteDump::default()
            };
            {
                let mut stream = pin!(h.route_stream(&filter)?);
                for _ in 0..100 {
                    poll_fn(|cx| stream.as_mut().poll_next(cx))
                        .await
                        .context("ended")??;
                }
            } // dropped after 100 of 20,000
            ensure!(h.route_list_filtered(&filter).await?.len() == 20_000);
            // A batch of 50,000 cancelled after a few milliseconds.
            let big = routes(50_000, 20);
            let cut = tokio::time::timeout(Duration::from_millis(3), h.routes_add(&big)).await;
            let table20 = RouteDump {
                table: Some(20),
                ..RouteDump::default()
            };
            let added = h.route_list_filtered(&table20).await?.len();
            match cut {
                Ok(report) => ensure!(report?.is_ok() && added == 50_000),
                Err(_) => ensure!(added <= 50_000, "{added}"),
            }
            // The handle goes on: the rest can be added, nothing is lost.
            let report = h.routes_replace(&big).await?;
            ensure!(report.is_ok(), "{:?}", report.failures().first());
            ensure!(h.route_list_filtered(&table20).await?.len() == 50_000);
            eprintln!("cancelled batch had added {added} of 50000");
            Ok(())
        })
    });
}

/// 64 calls at once on one handle: all complete, each correctly.
#[test]
fn sixty_four_concurrent_calls() {
    in_netns("sixty_four_concurrent_calls", |_| {
        on(true, || async {
            let h = Arc::new(AsyncHandle::new()?);
            veth(&h, "m0", "m1").await?;
            h.addr_add("m0", &"192.0.2.1/24".parse()?).await?;
            let mut tasks = tokio::task::JoinSet::new();
            for i in 0..64u32 {
                let h = h.clone();
                tasks.spawn(async move {
                    if i % 2 == 0 {
                        let mut r = Route::new(format!("198.51.100.{i}/32").parse()?);
                        r.gateway = Some("192.0.2.2".parse()?);
                        h.route_add(&r).await?;
                        anyhow::Ok(())
                    } else {
                        let links = h.link_list().await?;
                        ensure!(links.iter().any(|l| l.name == "m0"));
                        let l = h.link_by_name("m1").await?;
                        ensure!(l.name == "m1");
                        Ok(())
                    }
                });
            }
            while let Some(done) = tasks.join_next().await {
                done??;
            }
            let routes = h.route_list(AF_INET).await?;
            let ours = routes
                .iter()
                .filter(|r| r.dst_string().starts_with("198.51.100."))
                .count();
            ensure!(ours == 32, "{ours} routes");
            Ok(())
        })
    });
}

/// Futures of the async handle are `Send`: tasks of a multi-thread
/// runtime can hold them.
#[allow(dead_code)]
fn futures_are_send(h: &AsyncHandle, l: &Link, f: &RouteDump) {
    fn send<T: Send>(_: &T) {}
    send(&h.link_add(l));
    send(&h.route_list(AF_INET));
    send(&h.events_snapshot(&Subscribe::new().all()));
    send(&h.subscribe(&Subscribe::new().all()));
    send(&h.route_stream(f));
}

/// An async handle on another namespace: its sockets are made there by a
/// helper thread; the runtime's threads stay where they are.
#[test]
fn an_async_handle_in_another_namespace() {
    in_netns("an_async_handle_in_another_namespace", |_| {
        let (tx, rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let holder = std::thread::spawn(move || -> Result<()> {
            nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)?;
            tx.send(format!("/proc/self/task/{}/ns/net", nix::unistd::gettid()))?;
            let _ = done_rx.recv();
            Ok(())
        });
        let path = rx.recv()?;
        let here_before = std::fs::read_link("/proc/thread-self/ns/net")?;
        let result = on(true, || async {
            let there = AsyncHandle::in_netns(&path)?.connect().await?;
            there
                .link_add(&Link::new("far0").kind(LinkKind::veth("far1")))
                .await?;
            ensure!(there.link_by_name("far0").await.is_ok());
            let here = AsyncHandle::new()?;
            ensure!(
                here.link_by_name("far0").await.is_err(),
                "the link is over there"
            );
            Ok(())
        });
        ensure!(
            std::fs::read_link("/proc/thread-self/ns/net")? == here_before,
            "no thread of ours moved"
        );
        drop(done_tx);
        holder
            .join()
            .map_err(|_| anyhow::anyhow!("holder panicked"))??;
        result
    });
}
