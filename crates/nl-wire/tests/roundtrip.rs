//! Property tests: whatever the builder writes, the views read back
//! unchanged; and no byte string makes a view panic.

use std::net::{Ipv4Addr, Ipv6Addr};

use nl_wire::{Attr, AttrTable, Attrs, HwAddr, MsgBuilder, Msgs, Walk, looks_nested};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Value {
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    I32(i32),
    Be16(u16),
    Be32(u32),
    Net16(u16),
    Str(String),
    Flag,
    V4(Ipv4Addr),
    V6(Ipv6Addr),
    Hw(Vec<u8>),
    Bytes(Vec<u8>),
    Nest(Vec<(u16, Value)>),
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<u8>().prop_map(Value::U8),
        any::<u16>().prop_map(Value::U16),
        any::<u32>().prop_map(Value::U32),
        any::<u64>().prop_map(Value::U64),
        any::<i32>().prop_map(Value::I32),
        any::<u16>().prop_map(Value::Be16),
        any::<u32>().prop_map(Value::Be32),
        any::<u16>().prop_map(Value::Net16),
        "[a-z0-9]{0,20}".prop_map(Value::Str),
        Just(Value::Flag),
        any::<[u8; 4]>().prop_map(|b| Value::V4(b.into())),
        any::<[u8; 16]>().prop_map(|b| Value::V6(b.into())),
        proptest::collection::vec(any::<u8>(), 0..=32).prop_map(Value::Hw),
        proptest::collection::vec(any::<u8>(), 0..100).prop_map(Value::Bytes),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        proptest::collection::vec((1u16..0x3fff, inner), 0..6).prop_map(Value::Nest)
    })
}

fn put(m: &mut MsgBuilder<'_>, ty: u16, v: &Value) {
    match v {
        Value::U8(x) => drop(m.put_u8(ty, *x)),
        Value::U16(x) => drop(m.put_u16(ty, *x)),
        Value::U32(x) => drop(m.put_u32(ty, *x)),
        Value::U64(x) => drop(m.put_u64(ty, *x)),
        Value::I32(x) => drop(m.put_i32(ty, *x)),
        Value::Be16(x) => drop(m.put_be16(ty, *x)),
        Value::Be32(x) => drop(m.put_be32(ty, *x)),
        Value::Net16(x) => drop(m.put_net16(ty, *x)),
        Value::Str(s) => drop(m.put_str(ty, s)),
        Value::Flag => drop(m.put_flag(ty)),
        Value::V4(a) => drop(m.put_ipv4(ty, *a)),
        Value::V6(a) => drop(m.put_ipv6(ty, *a)),
        Value::Hw(b) => drop(m.put_hwaddr(ty, &HwAddr::new(b).unwrap())),
        Value::Bytes(b) => drop(m.put_bytes(ty, b)),
        Value::Nest(children) => drop(m.nest(ty | nl_wire::netlink::NLA_F_NESTED, |m| {
            for (k, c) in children {
                put(m, *k, c);
            }
        })),
    }
}

fn check(a: &Attr<'_>, ty: u16, v: &Value) {
    assert_eq!(a.ty(), ty);
    match v {
        Value::U8(x) => assert_eq!(a.u8().unwrap(), *x),
        Value::U16(x) => assert_eq!(a.u16().unwrap(), *x),
        Value::U32(x) => assert_eq!(a.u32().unwrap(), *x),
        Value::U64(x) => assert_eq!(a.u64().unwrap(), *x),
        Value::I32(x) => assert_eq!(a.i32().unwrap(), *x),
        Value::Be16(x) => assert_eq!(a.be16().unwrap(), *x),
        Value::Be32(x) => assert_eq!(a.be32().unwrap(), *x),
        Value::Net16(x) => {
            assert!(a.is_net_byteorder());
            assert_eq!(a.u16().unwrap(), *x);
        }
        Value::Str(s) => assert_eq!(a.cstr().unwrap(), s),
        Value::Flag => assert!(a.is_empty()),
        Value::V4(x) => assert_eq!(a.ipv4().unwrap(), *x),
        Value::V6(x) => assert_eq!(a.ipv6().unwrap(), *x),
        Value::Hw(b) => assert_eq!(a.hwaddr().unwrap().as_bytes(), &b[..]),
        Value::Bytes(b) => assert_eq!(a.payload(), &b[..]),
        Value::Nest(children) => {
            assert!(a.is_nested());
            let got: Vec<_> = a.nested().map(Result::unwrap).collect();
            assert_eq!(got.len(), children.len());
            for (g, (k, c)) in got.iter().zip(children) {
                check(g, *k, c);
            }
        }
    }
}

proptest! {
    #[test]
    fn build_then_parse(
        msgs in proptest::collection::vec(
            (any::<u16>(), proptest::collection::vec(any::<u8>(), 0..24),
             proptest::collection::vec((1u16..0x3fff, value()), 0..10)),
            1..4)
    ) {
        let mut buf = Vec::new();
        for (ty, header, attrs) in &msgs {
            let mut m = MsgBuilder::new(&mut buf, *ty, 0);
            m.header(&header[..]);
            for (k, v) in attrs {
                put(&mut m, *k, v);
            }
            m.finish().unwrap();
        }
        let parsed: Vec<_> = Msgs::new(&buf).map(Result::unwrap).collect();
        prop_assert_eq!(parsed.len(), msgs.len());
        for (m, (ty, header, attrs)) in parsed.iter().zip(&msgs) {
            prop_assert_eq!(m.ty(), *ty);
            prop_assert_eq!(&m.payload()[..header.len()], &header[..]);
            let got: Vec<_> = m.attrs_after(header.len()).map(Result::unwrap).collect();
            prop_assert_eq!(got.len(), attrs.len());
            for (g, (k, v)) in got.iter().zip(attrs) {
                check(g, *k, v);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        for msg in Msgs::new(&bytes) {
            let Ok(msg) = msg else { break };
            let _ = msg.control();
            for hdr in [0usize, 4, 12, 16] {
                let _ = msg.attrs_after(hdr).table::<64>();
                for (_, a) in Walk::with(msg.attrs_after(hdr), |a, _| looks_nested(a)).map_while(Result::ok) {
                    let _ = (a.u32(), a.cstr(), a.ip(), a.hwaddr(), a.uint());
                }
            }
        }
        let _: Result<AttrTable<'_, 8>, _> = Attrs::new(&bytes).table();
        if bytes.len() >= 4 {
            let off = u32::from_ne_bytes(bytes[..4].try_into().unwrap()) % 600;
            let _ = nl_wire::locate_any(&bytes, off);
        }
    }
}
