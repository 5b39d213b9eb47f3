//! The tokio driver against scripted kernel replies (no root) and, as
//! root, a real socket in a private network namespace.
#![cfg(feature = "tokio")]

use nl_sock::fake::{self, Fake};
use nl_sock::tokio::AsyncSocket;
use nl_sock::{ErrorKind, Socket};
use nl_wire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nl_wire::{Msg, MsgBuilder, Msgs};

const RTM_NEWLINK: u16 = 16;
const RTM_GETLINK: u16 = 18;

fn request(value: u32) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut m = MsgBuilder::new(&mut buf, RTM_NEWLINK, NLM_F_REQUEST);
    m.header(&[0u8; 16]).put_u32(4, value);
    m.finish().unwrap();
    buf
}

fn dump_request() -> Vec<u8> {
    let mut buf = Vec::new();
    let mut m = MsgBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
    m.header(&[0u8; 16]);
    m.finish().unwrap();
    buf
}

fn first(d: &[u8]) -> Msg<'_> {
    Msgs::new(d).next().unwrap().unwrap()
}

/// Links 0..n with their index in attribute 4; requests with value 13
/// fail with EEXIST and ext-ack text, others are acked.
fn kernel(n: u32) -> Fake {
    Fake::new(move |d| {
        let m = first(d);
        if m.ty() == RTM_GETLINK {
            let links: Vec<Vec<u8>> = (0..n)
                .map(|i| {
                    fake::reply(&m, RTM_NEWLINK, 0, |b| {
                        b.header(&[0u8; 16]).put_u32(4, i);
                    })
                })
                .collect();
            return fake::multipart(&m, &links, 3, false);
        }
        // A batch: every failed request gets its error, acks only where asked.
        let mut out = Vec::new();
        for m in Msgs::new(d).map(Result::unwrap) {
            if value(&m) == 13 {
                out.push(fake::error(&m, 17, Some("unlucky"), Some(32)));
            } else if m.flags() & nl_wire::netlink::NLM_F_ACK != 0 {
                out.push(fake::ack(&m));
            }
        }
        out
    })
}

fn value(m: &Msg<'_>) -> u32 {
    m.attrs_after(16).get(4).unwrap().unwrap().u32().unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn requests_dumps_and_batches_await_like_their_blocking_twins() {
    let mut sock = AsyncSocket::new(Socket::with_transport(kernel(10), 0).unwrap()).unwrap();
    sock.request(&mut request(1)).await.unwrap();
    let e = sock.request(&mut request(13)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Exists);
    assert_eq!(e.message(), Some("unlucky"));
    assert_eq!(e.attr_path().map(|p| p.to_string()), Some("4".into()));
    let mut req = dump_request();
    let mut dump = sock.dump(&mut req).await.unwrap();
    let mut got = Vec::new();
    while let Some(m) = dump.next().await {
        got.push(value(&m.unwrap()));
    }
    assert_eq!(got, (0..10).collect::<Vec<_>>());
    drop(dump);
    let mut batch: Vec<u8> = [1, 13, 2, 13, 3].iter().flat_map(|&v| request(v)).collect();
    let report = sock.batch(&mut batch).await.unwrap();
    assert_eq!(report.len(), 5);
    let failed: Vec<usize> = report.failures().iter().map(|(i, _)| *i).collect();
    assert_eq!(failed, [1, 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dump_dropped_midway_leaves_the_socket_usable() {
    let mut sock = AsyncSocket::new(Socket::with_transport(kernel(100), 0).unwrap()).unwrap();
    {
        let mut req = dump_request();
        let mut dump = sock.dump(&mut req).await.unwrap();
        for _ in 0..7 {
            dump.next().await.unwrap().unwrap();
        }
    }
    sock.request(&mut request(5)).await.unwrap();
    // A future dropped before its reply: the late ack is skipped.
    let mut req = request(6);
    let fut = sock.request(&mut req);
    drop(fut);
    let mut req = dump_request();
    let mut dump = sock.dump(&mut req).await.unwrap();
    let mut n = 0;
    while let Some(m) = dump.next().await {
        m.unwrap();
        n += 1;
    }
    assert_eq!(n, 100);
}

#[tokio::test(flavor = "current_thread")]
async fn a_silent_kernel_times_out_and_the_socket_goes_on() {
    let mut answered = false;
    let fake = Fake::new(move |d| {
        let m = first(d);
        if std::mem::replace(&mut answered, true) {
            vec![fake::ack(&m)]
        } else {
            Vec::new()
        }
    });
    let mut sock = AsyncSocket::new(Socket::with_transport(fake, 0).unwrap()).unwrap();
    let e = sock.request(&mut request(1)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    sock.request(&mut request(2)).await.unwrap();
}
