//! Parsing a dump of 10,000 RTM_NEWROUTE messages: nl-wire views against
//! netlink-packet-route, same bytes, same run, same fields extracted.
//!
//! `cargo bench -p netlink-benches --bench parse_routes`

use std::hint::black_box;
use std::net::IpAddr;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use netlink_benches::{CountingAlloc, count_allocations, route_dump};
use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::route::{RouteAddress, RouteAttribute};
use nl_wire::{AttrTable, Msgs};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const N: u32 = 10_000;

/// Sum of the fields both parsers extract, so nothing is optimised away.
#[derive(Default, PartialEq, Debug)]
struct Sum {
    dst: u64,
    gw: u64,
    oif: u64,
    table: u64,
    metric: u64,
}

fn ip_bits(a: IpAddr) -> u64 {
    match a {
        IpAddr::V4(v) => u64::from(u32::from(v)),
        IpAddr::V6(v) => (u128::from(v) as u64) ^ ((u128::from(v) >> 64) as u64),
    }
}

fn ours(buf: &[u8]) -> Sum {
    let mut s = Sum::default();
    for msg in Msgs::new(buf) {
        let msg = msg.expect("valid dump");
        let tb: AttrTable<'_, 32> = msg.attrs_after(12).table().expect("valid attrs");
        if let Ok(Some(a)) = tb.ip(1) {
            s.dst += ip_bits(a);
        }
        if let Ok(Some(a)) = tb.ip(5) {
            s.gw += ip_bits(a);
        }
        s.oif += u64::from(tb.u32(4).ok().flatten().unwrap_or(0));
        s.table += u64::from(tb.u32(15).ok().flatten().unwrap_or(0));
        s.metric += u64::from(tb.u32(6).ok().flatten().unwrap_or(0));
    }
    s
}

fn theirs(buf: &[u8]) -> Sum {
    let mut s = Sum::default();
    let mut off = 0;
    while off < buf.len() {
        let len = u32::from_ne_bytes(buf[off..off + 4].try_into().unwrap()) as usize;
        let msg = NetlinkMessage::<RouteNetlinkMessage>::deserialize(&buf[off..off + len])
            .expect("valid");
        if let NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewRoute(route)) = msg.payload {
            for attr in &route.attributes {
                match attr {
                    RouteAttribute::Destination(RouteAddress::Inet(a)) => {
                        s.dst += ip_bits((*a).into())
                    }
                    RouteAttribute::Gateway(RouteAddress::Inet(a)) => s.gw += ip_bits((*a).into()),
                    RouteAttribute::Oif(i) => s.oif += u64::from(*i),
                    RouteAttribute::Table(t) => s.table += u64::from(*t),
                    RouteAttribute::Priority(p) => s.metric += u64::from(*p),
                    _ => {}
                }
            }
        }
        off += (len + 3) & !3;
    }
    s
}

fn bench(c: &mut Criterion) {
    let buf = route_dump(N);
    assert_eq!(
        ours(&buf),
        theirs(&buf),
        "both parsers read the same values"
    );
    let (_, a_ours) = count_allocations(|| black_box(ours(black_box(&buf))));
    let (_, a_theirs) = count_allocations(|| black_box(theirs(black_box(&buf))));
    let (_, a_owned) = count_allocations(|| {
        let v: Vec<_> = Msgs::new(&buf)
            .map(|m| nl_route::Route::parse(&m.expect("valid")).expect("route"))
            .collect();
        black_box(v)
    });
    println!(
        "allocations per message: nl-route owned Route {:.2}",
        a_owned as f64 / f64::from(N)
    );
    println!(
        "size_of::<Route>() = {}",
        std::mem::size_of::<nl_route::Route>()
    );
    println!(
        "allocations per message: nl-wire {:.2}, netlink-packet-route {:.2}",
        a_ours as f64 / f64::from(N),
        a_theirs as f64 / f64::from(N)
    );
    let mut g = c.benchmark_group("parse_10k_routes");
    g.throughput(Throughput::Elements(u64::from(N)));
    g.bench_function("nl-wire views", |b| {
        b.iter(|| black_box(ours(black_box(&buf))))
    });
    g.bench_function("nl-route owned Route::parse", |b| {
        b.iter(|| {
            let mut v = Vec::with_capacity(N as usize);
            for m in Msgs::new(black_box(&buf)) {
                v.push(nl_route::Route::parse(&m.expect("valid")).expect("route"));
            }
            black_box(v)
        })
    });
    g.bench_function("nl-route owned Route, parsed in place", |b| {
        b.iter(|| {
            let mut v: Vec<nl_route::Route> = Vec::with_capacity(N as usize);
            for m in Msgs::new(black_box(&buf)) {
                v.push(nl_route::Route::default());
                if let Some(slot) = v.last_mut() {
                    slot.parse_from(&m.expect("valid")).expect("route");
                }
            }
            black_box(v)
        })
    });
    g.bench_function("netlink-packet-route", |b| {
        b.iter(|| black_box(theirs(black_box(&buf))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches, build_benches);

/// Building 100,000 RTM_NEWROUTE requests (what `Handle::routes_add` does
/// before sending), to tell building cost from kernel cost.
fn build(c: &mut Criterion) {
    let dev = 2;
    let routes: Vec<nl_route::Route> = (0..100_000u32)
        .map(|i| {
            let dst = std::net::IpAddr::V4(std::net::Ipv4Addr::from(0xc612_0000 + i));
            nl_route::Route::new(ipnet::IpNet::from(dst)).dev(dev)
        })
        .collect();
    let mut g = c.benchmark_group("build_100k_route_requests");
    g.throughput(Throughput::Elements(100_000));
    g.bench_function("Route::write_add", |b| {
        b.iter(|| {
            let mut buf = Vec::with_capacity(routes.len() * 64);
            for r in &routes {
                r.write_add(&mut buf).expect("build");
            }
            black_box(buf)
        })
    });
    g.finish();
}

criterion_group!(build_benches, build);
