//! Listing links and addresses into owned objects: the facade against
//! rtnetlink (netlink-packet-route underneath), same namespace, same run.
//!
//! The bench process moves itself into a private network namespace
//! (needs root) and fills it with 2,000 veth pairs (4,000 links) and
//! 20,000 IPv6 addresses before measuring.
//!
//! `cargo bench -p netlink-benches --bench list`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::TryStreamExt;
use netlink::{Addr, AddrFlags, Handle, Link, LinkDump, LinkKind};
use netlink_benches::{CountingAlloc, peak_heap};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const PAIRS: usize = 2000;
const ADDRS: u32 = 20_000;

fn setup(h: &Handle) -> anyhow::Result<()> {
    let mut batch = Vec::new();
    for i in 0..PAIRS {
        Link::new(format!("b{i}"))
            .kind(LinkKind::veth(format!("c{i}")))
            .write_add(&mut batch)?;
    }
    anyhow::ensure!(h.route_batch(&mut batch)?.is_ok());
    h.link_add(&Link::new("addrs0").kind(LinkKind::Ifb))?;
    let index = h.link_by_name("addrs0")?.index;
    let mut batch = Vec::new();
    for i in 0..ADDRS {
        let mut a: Addr = format!("2001:db8:a::{:x}:{:x}/128", i >> 16, i & 0xffff).parse()?;
        a.index = index;
        a.flags = AddrFlags::NODAD;
        a.write_add(&mut batch)?;
    }
    let report = h.route_batch(&mut batch)?;
    anyhow::ensure!(report.is_ok(), "{:?}", report.failures().first());
    Ok(())
}

fn bench(c: &mut Criterion) {
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
        .expect("unshare(CLONE_NEWNET): run as root");
    let h = Handle::new().expect("handle");
    setup(&h).expect("setup");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _entered = rt.enter();
    let (conn, rh, _) = rtnetlink::new_connection().expect("rtnetlink connection");
    rt.spawn(conn);

    let links = h.link_list().expect("links").len();
    let theirs = rt
        .block_on(async { rh.link().get().execute().try_collect::<Vec<_>>().await })
        .expect("rtnetlink");
    assert_eq!(links, theirs.len());
    assert_eq!(links, 2 * PAIRS + 2);
    let addrs = h.addr_list(None, netlink::AF_INET6).expect("addrs").len();
    assert!(addrs >= ADDRS as usize);

    let (_, peak_collect) = peak_heap(|| black_box(h.link_list().expect("links")));
    let (_, peak_stream) = peak_heap(|| {
        let mut n = 0usize;
        h.link_for_each(&LinkDump::default(), |l| {
            n += usize::from(!l.name.is_empty());
            Ok(())
        })
        .expect("stream");
        black_box(n)
    });
    let (_, peak_theirs) = peak_heap(|| {
        black_box(rt.block_on(async { rh.link().get().execute().try_collect::<Vec<_>>().await }))
    });
    println!(
        "peak heap listing {links} links: ours collected {} KiB, ours streaming {} KiB, rtnetlink {} KiB",
        peak_collect / 1024,
        peak_stream / 1024,
        peak_theirs / 1024
    );

    let mut g = c.benchmark_group("list_4000_links");
    g.throughput(Throughput::Elements(links as u64));
    g.sample_size(20);
    let mut raw = nl_sock::Socket::open(0).expect("socket");
    g.bench_function("floor: raw dump, count messages", |b| {
        b.iter(|| {
            let mut req = Vec::new();
            let mut m = nl_wire::MsgBuilder::new(
                &mut req,
                18,
                nl_wire::netlink::NLM_F_REQUEST | nl_wire::netlink::NLM_F_DUMP,
            );
            m.header(&[0u8; 16]);
            m.finish().expect("req");
            let mut n = 0u64;
            raw.dump(&mut req)
                .expect("dump")
                .for_each(|_| {
                    n += 1;
                    Ok(())
                })
                .expect("dump");
            black_box(n)
        })
    });
    g.bench_function("netlink link_list (owned Link)", |b| {
        b.iter(|| black_box(h.link_list().expect("links")))
    });
    g.bench_function("netlink link_for_each (streaming)", |b| {
        b.iter(|| {
            let mut n = 0u64;
            h.link_for_each(&LinkDump::default(), |l| {
                n += u64::from(l.index);
                Ok(())
            })
            .expect("stream");
            black_box(n)
        })
    });
    g.bench_function("rtnetlink link().get()", |b| {
        b.iter(|| {
            black_box(
                rt.block_on(async { rh.link().get().execute().try_collect::<Vec<_>>().await })
                    .expect("x"),
            )
        })
    });
    g.finish();

    let mut g = c.benchmark_group("list_20000_addrs");
    g.throughput(Throughput::Elements(addrs as u64));
    g.sample_size(20);
    let mut raw = nl_sock::Socket::open(0).expect("socket");
    g.bench_function("floor: raw dump, count messages", |b| {
        b.iter(|| {
            let mut req = Vec::new();
            let mut m = nl_wire::MsgBuilder::new(
                &mut req,
                22,
                nl_wire::netlink::NLM_F_REQUEST | nl_wire::netlink::NLM_F_DUMP,
            );
            m.header(&[10u8, 0, 0, 0, 0, 0, 0, 0]);
            m.finish().expect("req");
            let mut n = 0u64;
            raw.dump(&mut req)
                .expect("dump")
                .for_each(|_| {
                    n += 1;
                    Ok(())
                })
                .expect("dump");
            black_box(n)
        })
    });
    g.bench_function("netlink addr_list (owned Addr)", |b| {
        b.iter(|| black_box(h.addr_list(None, netlink::AF_INET6).expect("addrs")))
    });
    g.bench_function("rtnetlink address().get()", |b| {
        b.iter(|| {
            black_box(
                rt.block_on(async { rh.address().get().execute().try_collect::<Vec<_>>().await })
                    .expect("x"),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
