//! What recording costs: a 10,000-route dump through a socket over the
//! fake transport (no kernel, so the socket's own work is all there is),
//! with no recorder and with a recorder writing to `io::sink()`.
//!
//! ```text
//! cargo bench -p netlink-benches --bench record
//! ```

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use nl_sock::fake::{self, Fake};
use nl_sock::{Recorder, Socket};
use nl_wire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{MsgBuilder, Msgs};

const N: u32 = 10_000;

/// A socket whose "kernel" answers every dump with the same 10,000 routes,
/// about 32 KiB per datagram as the kernel packs them, re-stamped with the
/// request's sequence number.
fn socket() -> Socket {
    let dump = netlink_benches::route_dump(N);
    let msgs: Vec<Vec<u8>> = Msgs::new(&dump)
        .map(|m| m.map(|m| m.bytes().to_vec()))
        .collect::<Result<_, _>>()
        .expect("valid dump");
    let fake = Fake::new(move |req| {
        let req = Msgs::new(req).next().expect("a request").expect("valid");
        let mut datagrams = fake::multipart(&req, &msgs, 480, false);
        for d in &mut datagrams {
            let mut at = 0;
            while let Some(hdr) = d.get_mut(at..at + 16) {
                let len = u32::from_ne_bytes(hdr[0..4].try_into().expect("4")) as usize;
                hdr[8..12].copy_from_slice(&req.seq().to_ne_bytes());
                at += nl_wire::align::align(len.max(16));
            }
        }
        datagrams
    });
    Socket::with_transport(fake, 0).expect("socket")
}

fn dump_all(sock: &mut Socket) -> usize {
    let mut req = Vec::new();
    let mut m = MsgBuilder::new(&mut req, 26, NLM_F_REQUEST | NLM_F_DUMP);
    m.header(&[2u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    m.finish().expect("request");
    let mut dump = sock.dump(&mut req).expect("dump");
    let mut n = 0;
    while let Some(m) = dump.next() {
        black_box(m.expect("message").ty());
        n += 1;
    }
    n
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("dump_10k_routes_fake_transport");
    let mut off = socket();
    let mut on = socket();
    on.record_to(Recorder::new(std::io::sink()).expect("recorder"));
    assert_eq!(dump_all(&mut off), N as usize);
    assert_eq!(dump_all(&mut on), N as usize);
    g.bench_function("recording off", |b| b.iter(|| dump_all(&mut off)));
    g.bench_function("recording to io::sink()", |b| b.iter(|| dump_all(&mut on)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
