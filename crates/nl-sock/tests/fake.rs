//! The receive state machine against scripted kernel replies (no root).

use std::sync::{Arc, Mutex};

use nl_sock::fake::{self, Fake};
use nl_sock::{ErrorKind, Op, Socket};
use nl_wire::netlink::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, NLMSG_OVERRUN};
use nl_wire::{Msg, MsgBuilder, Msgs};

const RTM_NEWLINK: u16 = 16;
const RTM_GETLINK: u16 = 18;

/// A request with a 16-byte family header and one u32 attribute (type 4).
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

fn each<'a>(datagram: &'a [u8]) -> impl Iterator<Item = Msg<'a>> {
    Msgs::new(datagram).map(Result::unwrap)
}

fn value_of(m: &Msg<'_>) -> u32 {
    m.attrs_after(16).get(4).unwrap().unwrap().u32().unwrap()
}

/// `n` link messages answering `req`, each with its index as attribute 4.
fn links(req: &Msg<'_>, n: u32) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            fake::reply(req, RTM_NEWLINK, 0, |m| {
                m.header(&[0u8; 16]).put_u32(4, i);
            })
        })
        .collect()
}

#[test]
fn request_is_acked_with_ack_flag_and_fresh_seq() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let fake = Fake::new(move |d| {
        log.lock().unwrap().push(d.to_vec());
        each(d).map(|m| fake::ack(&m)).collect()
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let mut a = request(1);
    let mut b = request(2);
    assert!(sock.request(&mut a).unwrap().warning().is_none());
    sock.request(&mut b).unwrap();
    let sent = seen.lock().unwrap();
    let (m1, _) = Msg::parse(&sent[0]).unwrap();
    let (m2, _) = Msg::parse(&sent[1]).unwrap();
    assert_ne!(m1.flags() & NLM_F_ACK, 0, "request() asks for an ack");
    assert_eq!(m2.seq(), m1.seq() + 1);
    assert_ne!(m1.seq(), 0, "seq 0 is left to notifications");
}

#[test]
fn error_carries_errno_text_and_attribute_path() {
    let fake = Fake::new(|d| {
        each(d)
            .map(|m| fake::error(&m, 22, Some("Invalid MTU"), Some(32)))
            .collect()
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let mut req = request(9000);
    let err = sock.request(&mut req).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.op(), Op::Request);
    assert_eq!(err.errno(), Some(nix::errno::Errno::EINVAL));
    assert_eq!(err.message(), Some("Invalid MTU"));
    assert_eq!(
        err.attr_path().unwrap().types(),
        &[4],
        "offset 32 is the u32 attribute"
    );
    assert_eq!(err.kernel_detail().unwrap().offset, Some(32));
    assert!(
        err.to_string()
            .ends_with("Error: Invalid MTU (attribute 4)"),
        "{err}"
    );
}

#[test]
fn warning_on_ack_is_kept() {
    let fake = Fake::new(|d| {
        each(d)
            .map(|m| fake::ack_with_warning(&m, "careful"))
            .collect()
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let ack = sock.request(&mut request(1)).unwrap();
    assert_eq!(ack.warning(), Some("careful"));
}

#[test]
fn stale_replies_are_skipped() {
    // An ack for a request this socket never made, and a notification with seq 0.
    let stale_req = request(0);
    let (stale, _) = Msg::parse(&stale_req).unwrap();
    let mut stale_ack = fake::error(&stale, 1, None, None);
    stale_ack[8..12].copy_from_slice(&999u32.to_ne_bytes());
    let fake = Fake::new(|d| each(d).map(|m| fake::ack(&m)).collect()).preload([stale_ack]);
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    sock.request(&mut request(1))
        .expect("the stale EPERM is not ours");
}

#[test]
fn exchange_hands_out_the_reply_before_the_ack() {
    let fake = Fake::new(|d| {
        each(d)
            .flat_map(|m| {
                let mut v = links(&m, 1);
                v.push(fake::ack(&m));
                v
            })
            .collect()
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let mut got = Vec::new();
    sock.exchange(&mut request(1), |m| {
        got.push(value_of(&m));
        Ok(())
    })
    .unwrap();
    assert_eq!(got, [0]);
}

#[test]
fn dump_streams_across_datagrams() {
    let fake = Fake::new(|d| {
        let m = each(d).next().unwrap();
        fake::multipart(&m, &links(&m, 10), 3, false)
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let mut req = dump_request();
    let mut dump = sock.dump(&mut req).unwrap();
    let mut seen = Vec::new();
    while let Some(msg) = dump.next() {
        seen.push(value_of(&msg.unwrap()));
    }
    assert_eq!(seen, (0..10).collect::<Vec<_>>());
    assert!(!dump.interrupted());
    assert!(dump.next().is_none(), "fused after the end");
}

#[test]
fn interrupted_dump_delivers_everything_then_says_so() {
    let fake = Fake::new(|d| {
        let m = each(d).next().unwrap();
        fake::multipart(&m, &links(&m, 5), 2, true)
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let mut req = dump_request();
    let mut dump = sock.dump(&mut req).unwrap();
    let mut seen = 0;
    let mut end = None;
    while let Some(msg) = dump.next() {
        match msg {
            Ok(_) => seen += 1,
            Err(e) => end = Some(e),
        }
    }
    assert_eq!(seen, 5, "every result delivered");
    assert_eq!(end.unwrap().kind(), ErrorKind::DumpInterrupted);
    assert!(dump.interrupted());
}

#[test]
fn dump_retry_restarts_then_succeeds_or_gives_up() {
    let attempts = Arc::new(Mutex::new(0));
    let counter = attempts.clone();
    let fake = Fake::new(move |d| {
        let m = each(d).next().unwrap();
        let mut n = counter.lock().unwrap();
        *n += 1;
        // first attempt interrupted with 3 messages, second clean with 4
        if *n == 1 {
            fake::multipart(&m, &links(&m, 3), 2, true)
        } else {
            fake::multipart(&m, &links(&m, 4), 2, false)
        }
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let got = sock
        .dump_collect(&mut dump_request(), 3, |m| Ok(Some(value_of(&m))))
        .unwrap();
    assert_eq!(
        got,
        [0, 1, 2, 3],
        "the interrupted attempt's results were dropped"
    );
    assert_eq!(*attempts.lock().unwrap(), 2);

    let fake = Fake::new(|d| {
        let m = each(d).next().unwrap();
        fake::multipart(&m, &links(&m, 2), 2, true)
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let err = sock
        .dump_collect(&mut dump_request(), 2, |m| Ok(Some(value_of(&m))))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DumpInterrupted);
}

#[test]
fn dump_failing_midway_reports_the_kernel_error() {
    let fake = Fake::new(|d| {
        let m = each(d).next().unwrap();
        let mut v = fake::multipart(&m, &links(&m, 2), 2, false);
        v.pop();
        v.push(fake::done(&m, -90)); // EMSGSIZE
        v
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let mut req = dump_request();
    let mut dump = sock.dump(&mut req).unwrap();
    assert!(dump.next().unwrap().is_ok());
    assert!(dump.next().unwrap().is_ok());
    let err = dump.next().unwrap().unwrap_err();
    assert_eq!(err.raw_errno(), 90);
    assert_eq!(err.op(), Op::Dump);
    assert!(dump.next().is_none());
}

#[test]
fn dropping_a_dump_early_drains_it() {
    let fake = Fake::new(|d| {
        let m = each(d).next().unwrap();
        if m.ty() == RTM_GETLINK {
            fake::multipart(&m, &links(&m, 50), 4, false)
        } else {
            vec![fake::ack(&m)]
        }
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    {
        let mut req = dump_request();
        let mut dump = sock.dump(&mut req).unwrap();
        dump.next().unwrap().unwrap();
    }
    // With the dump drained, the next request sees only its own ack.
    sock.request(&mut request(1)).unwrap();
}

/// A transport whose dump never ends: every receive is one more message
/// of the last request sent, for ever.
struct Endless {
    last: Vec<u8>,
}

impl nl_sock::Transport for Endless {
    fn send(&mut self, datagram: &[u8]) -> nl_sock::Result<()> {
        self.last = datagram.to_vec();
        Ok(())
    }

    fn recv(&mut self, buf: &mut Vec<u8>) -> nl_sock::Result<usize> {
        let req = each(&self.last).next().unwrap();
        let m = fake::reply(&req, RTM_NEWLINK, nl_wire::netlink::NLM_F_MULTI, |b| {
            b.header(&[0u8; 16]);
        });
        buf.clear();
        buf.extend_from_slice(&m);
        Ok(m.len())
    }

    fn port_id(&self) -> u32 {
        4242
    }
}

#[test]
fn dropping_a_dump_that_never_ends_is_bounded() {
    let mut sock = Socket::with_transport(Endless { last: Vec::new() }, 0).unwrap();
    let started = std::time::Instant::now();
    {
        let mut req = dump_request();
        let mut dump = sock.dump(&mut req).unwrap();
        for _ in 0..10 {
            dump.next().unwrap().unwrap();
        }
    }
    assert!(started.elapsed() < std::time::Duration::from_millis(500));
    // The next call tries to drain it for a bounded time, then says why.
    let started = std::time::Instant::now();
    let e = sock.request(&mut request(1)).unwrap_err();
    let took = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::Busy, "{e}");
    assert!(e.to_string().contains("abandoned dump"), "{e}");
    assert!(took < std::time::Duration::from_secs(3), "{took:?}");
}

#[test]
fn malformed_reply_is_an_error_not_a_panic() {
    let fake = Fake::new(|_| vec![vec![200, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]]);
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let err = sock.request(&mut request(1)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    assert!(err.wire().is_some());
}

#[test]
fn silent_kernel_times_out() {
    let fake = Fake::new(|_| Vec::new());
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let err = sock.request(&mut request(1)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
}

#[test]
fn a_timed_out_call_leaves_the_socket_usable() {
    // The kernel answers the first request only when the second arrives,
    // and a dump times out halfway.
    let mut late: Option<Vec<u8>> = None;
    let fake = Fake::new(move |d| {
        let m = each(d).next().unwrap();
        match value_of_req(&m) {
            Some(1) => {
                late = Some(fake::error(&m, 17, None, None));
                Vec::new()
            }
            _ if m.ty() == RTM_GETLINK => {
                let mut all = fake::multipart(&m, &links(&m, 8), 2, false);
                all.truncate(2); // no NLMSG_DONE: the kernel goes quiet
                all
            }
            _ => late.take().into_iter().chain([fake::ack(&m)]).collect(),
        }
    });
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    assert_eq!(
        sock.request(&mut request(1)).unwrap_err().kind(),
        ErrorKind::Timeout
    );
    // The late EEXIST of request 1 is not taken for request 2's answer.
    sock.request(&mut request(2)).unwrap();
    let mut req = dump_request();
    let mut dump = sock.dump(&mut req).unwrap();
    let mut got = 0;
    let end = loop {
        match dump.next() {
            Some(Ok(_)) => got += 1,
            Some(Err(e)) => break e,
            None => panic!("a dump without NLMSG_DONE cannot end well"),
        }
    };
    assert_eq!((got, end.kind()), (4, ErrorKind::Timeout));
    drop(dump);
    sock.request(&mut request(3)).unwrap();
}

fn value_of_req(m: &Msg<'_>) -> Option<u32> {
    m.attrs_after(16).get(4).ok()?.and_then(|a| a.u32().ok())
}

#[test]
fn invalid_request_is_refused_before_sending() {
    let fake = Fake::new(|_| panic!("nothing must be sent"));
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let mut bad = vec![100, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(
        sock.request(&mut bad).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    assert_eq!(
        sock.request(&mut Vec::new()).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    let mut two = request(1);
    two.extend(request(2));
    assert_eq!(
        sock.request(&mut two).unwrap_err().kind(),
        ErrorKind::Invalid
    );
}

/// A fake kernel for batches: fails requests whose value is in `bad`,
/// acks those that ask for it, stays silent otherwise (as the kernel does).
fn batch_kernel(bad: Vec<u32>, datagrams: Arc<Mutex<Vec<(usize, usize)>>>) -> Fake {
    Fake::new(move |d| {
        let mut replies = Vec::new();
        let mut n = 0;
        let mut acks = 0;
        for m in each(d) {
            n += 1;
            if bad.contains(&value_of(&m)) {
                replies.push(fake::error(&m, 17, Some("exists"), Some(32)));
            } else if m.flags() & NLM_F_ACK != 0 {
                acks += 1;
                replies.push(fake::ack(&m));
            }
        }
        datagrams.lock().unwrap().push((n, acks));
        replies
    })
}

#[test]
fn batch_of_1000_with_one_failure() {
    let datagrams = Arc::new(Mutex::new(Vec::new()));
    let mut sock = Socket::with_transport(batch_kernel(vec![500], datagrams.clone()), 0).unwrap();
    let mut buf = Vec::new();
    for i in 0..1000 {
        buf.extend(request(i));
    }
    let report = sock.batch(&mut buf).unwrap();
    assert_eq!(report.len(), 1000);
    assert_eq!(report.succeeded(), 999);
    assert_eq!(report.failures().len(), 1);
    let (index, err) = &report.failures()[0];
    assert_eq!(*index, 500);
    assert_eq!(err.kind(), ErrorKind::Exists);
    assert_eq!(err.message(), Some("exists"));
    assert_eq!(err.attr_path().unwrap().types(), &[4]);
    assert!(report.result(499).is_ok());
    assert!(report.result(500).is_err());
    let results = report.results();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 999);
    // 1000 requests of 40 bytes: one 64 KiB datagram or so each, one ack each.
    let d = datagrams.lock().unwrap();
    assert_eq!(d.iter().map(|(n, _)| n).sum::<usize>(), 1000);
    assert!(d.len() <= 2, "{} datagrams", d.len());
    assert!(
        d.iter().all(|&(_, acks)| acks == 1),
        "only the last request of a datagram asks for an ack"
    );
}

#[test]
fn batch_failure_on_the_last_request_of_a_chunk() {
    let datagrams = Arc::new(Mutex::new(Vec::new()));
    let mut sock = Socket::with_transport(batch_kernel(vec![0, 9], datagrams.clone()), 0).unwrap();
    sock.set_batch_bytes(5 * 40);
    let mut buf = Vec::new();
    for i in 0..10 {
        buf.extend(request(i));
    }
    let report = sock.batch(&mut buf).unwrap();
    assert_eq!(datagrams.lock().unwrap().len(), 2);
    let failed: Vec<_> = report.failures().iter().map(|(i, _)| *i).collect();
    assert_eq!(failed, [0, 9]);
}

#[test]
fn notifications_and_overrun() {
    let req = request(1);
    let (m, _) = Msg::parse(&req).unwrap();
    let note = fake::reply(&m, RTM_NEWLINK, 0, |b| {
        b.header(&[0u8; 16]).put_u32(4, 7);
    });
    let mut overrun = Vec::new();
    MsgBuilder::new(&mut overrun, NLMSG_OVERRUN, 0)
        .finish()
        .unwrap();
    let mut two = note.clone();
    two.extend(note.clone());
    let fake = Fake::new(|_| Vec::new()).preload([two, overrun, note]);
    let mut sock = Socket::with_transport(fake, 0).unwrap();
    let mut events = sock.messages();
    assert_eq!(value_of(&events.next().unwrap()), 7);
    assert!(events.has_buffered());
    assert_eq!(value_of(&events.next().unwrap()), 7);
    assert_eq!(events.next().unwrap_err().kind(), ErrorKind::Overrun);
    assert_eq!(
        value_of(&events.next().unwrap()),
        7,
        "the stream goes on after an overrun"
    );
    assert_eq!(events.next().unwrap_err().kind(), ErrorKind::Timeout);
}

#[test]
fn options_on_a_fake_are_unsupported() {
    let mut sock = Socket::with_transport(Fake::new(|_| Vec::new()), 0).unwrap();
    assert_eq!(sock.join(1).unwrap_err().kind(), ErrorKind::Unsupported);
    assert_eq!(
        sock.set_strict(true).unwrap_err().kind(),
        ErrorKind::Unsupported
    );
    assert!(sock.fd().is_none());
    // Still AsFd for event loops: a placeholder descriptor.
    use std::os::fd::{AsFd, AsRawFd};
    assert!(sock.as_raw_fd() >= 0);
    assert_eq!(sock.as_fd().as_raw_fd(), sock.as_raw_fd());
}

#[test]
fn empty_batch_is_an_empty_report() {
    let mut sock =
        Socket::with_transport(Fake::new(|_| panic!("nothing must be sent")), 0).unwrap();
    let report = sock.batch(&mut []).unwrap();
    assert!(report.is_empty() && report.is_ok());
}
