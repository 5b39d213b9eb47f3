//! The receive engine fed an arbitrary sequence of datagrams, waiting for
//! any kind of exchange: no panic, and every datagram is consumed in a
//! bounded number of steps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_sock::engine::{Expect, Receiver, Step};

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let seq = u32::from(head >> 4);
    let port = if head & 8 != 0 { 4242 } else { 0 };
    let expect = match head & 3 {
        0 => Expect::Reply { seq },
        1 => Expect::Dump { seq },
        2 => Expect::Batch { first: seq, count: 3, last: seq + 2 },
        _ => Expect::Events,
    };
    let mut rx = Receiver::new(expect, port);
    // Datagrams: a length byte, then that many bytes.
    let mut input = rest;
    while let Some((&len, tail)) = input.split_first() {
        let len = usize::from(len).min(tail.len());
        let (datagram, next) = tail.split_at(len);
        input = next;
        if let Expect::Batch { .. } = expect {
            rx.expect_batch_last(seq + 2);
        }
        rx.feed(datagram.len());
        let mut steps = 0usize;
        loop {
            steps += 1;
            assert!(steps <= datagram.len() / 16 + 3, "a datagram never yields more steps than messages");
            match rx.next(datagram) {
                Step::NeedData | Step::Finished => break,
                Step::Message(span) => {
                    let m = span.msg(datagram).expect("a span the engine gave reads back");
                    assert!(m.len() >= 16);
                }
                Step::Failed { error, .. } => {
                    let _ = error.locate(datagram).to_string();
                }
                Step::Ack(a) => {
                    let _ = a.locate(datagram).warning();
                }
                Step::Done { .. } | Step::Overrun | Step::Malformed(_) => {}
            }
        }
    }
});
