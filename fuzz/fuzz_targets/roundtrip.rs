//! Builder-then-parse driven by arbitrary input: whatever is built reads
//! back identically, and failed builds leave nothing behind.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use nl_wire::{MsgBuilder, Msgs};

#[derive(Arbitrary, Debug)]
enum Op {
    U8(u16, u8),
    U16(u16, u16),
    U32(u16, u32),
    U64(u16, u64),
    Net32(u16, u32),
    Str(u16, String),
    Bytes(u16, Vec<u8>),
    Flag(u16),
    Open(u16),
    Close,
}

#[derive(Arbitrary, Debug)]
struct Input {
    ty: u16,
    flags: u16,
    header: Vec<u8>,
    ops: Vec<Op>,
}

fuzz_target!(|inputs: Vec<Input>| {
    let mut buf = vec![0xaau8; 3]; // an unaligned prefix the builder must pad
    let mut built = Vec::new();
    for input in &inputs {
        let before = buf.len();
        let mut m = MsgBuilder::new(&mut buf, input.ty, input.flags);
        m.header(&input.header[..]);
        let mut open = Vec::new();
        let mut expect: Vec<(u16, Vec<u8>)> = Vec::new();
        for op in &input.ops {
            let depth = open.len();
            let k = |k: u16| k & 0x3fff;
            match op {
                Op::U8(t, v) => {
                    m.put_u8(k(*t), *v);
                    if depth == 0 { expect.push((k(*t), vec![*v])) }
                }
                Op::U16(t, v) => {
                    m.put_u16(k(*t), *v);
                    if depth == 0 { expect.push((k(*t), v.to_ne_bytes().to_vec())) }
                }
                Op::U32(t, v) => {
                    m.put_u32(k(*t), *v);
                    if depth == 0 { expect.push((k(*t), v.to_ne_bytes().to_vec())) }
                }
                Op::U64(t, v) => {
                    m.put_u64(k(*t), *v);
                    if depth == 0 { expect.push((k(*t), v.to_ne_bytes().to_vec())) }
                }
                Op::Net32(t, v) => {
                    m.put_net32(k(*t), *v);
                    if depth == 0 { expect.push((k(*t), v.to_be_bytes().to_vec())) }
                }
                Op::Str(t, s) => {
                    m.put_str(k(*t), s);
                    let mut p = s.as_bytes().to_vec();
                    p.push(0);
                    if depth == 0 { expect.push((k(*t), p)) }
                }
                Op::Bytes(t, b) => {
                    m.put_bytes(k(*t), b);
                    if depth == 0 { expect.push((k(*t), b.clone())) }
                }
                Op::Flag(t) => {
                    m.put_flag(k(*t));
                    if depth == 0 { expect.push((k(*t), Vec::new())) }
                }
                Op::Open(t) => open.push((k(*t), m.nest_start(k(*t)))),
                Op::Close => {
                    if let Some((_, n)) = open.pop() {
                        m.nest_end(n);
                    }
                }
            }
        }
        while let Some((_, n)) = open.pop() {
            m.nest_end(n);
        }
        let failed = m.error().is_some();
        match m.finish() {
            Ok(range) => {
                assert!(!failed);
                assert_eq!(range.start % 4, 0);
                built.push((range, input, expect));
            }
            Err(_) => assert_eq!(buf.len(), before.next_multiple_of(4), "failed message removed"),
        }
    }
    for (range, input, expect) in built {
        let (msg, _) = nl_wire::Msg::parse(&buf[range.clone()]).expect("built message parses");
        assert_eq!(msg.ty(), input.ty);
        assert_eq!(msg.flags(), input.flags);
        assert_eq!(&msg.payload()[..input.header.len()], &input.header[..]);
        // top-level attributes that were not nests read back exactly
        let got: Vec<_> = msg.attrs_after(input.header.len()).map(|a| a.expect("valid")).collect();
        let mut it = got.iter();
        for (k, payload) in &expect {
            let a = it.find(|a| a.ty() == *k && a.payload() == &payload[..]);
            assert!(a.is_some(), "attribute {k} read back");
        }
    }
    // the builder padded the 3-byte prefix to 4: whole messages from there on
    assert!(Msgs::new(buf.get(4..).unwrap_or_default()).all(|m| m.is_ok()));
});
