//! ipset on literal bytes: requests as the `ipset` tool sends them
//! (strace captures), replies as the kernel sent them (captures in
//! `testdata/`), and the tool's text both ways.

use std::net::IpAddr;

use nl_wire::Msgs;

use super::*;
use crate::uapi::ip_set_bitmap::IPSET_ERR_BITMAP_RANGE;

fn msg(bytes: &[u8]) -> nl_wire::Msg<'_> {
    Msgs::new(bytes).next().unwrap().unwrap()
}

/// Without sequence number and port id.
fn body(b: &[u8]) -> (&[u8], &[u8]) {
    (&b[..8], &b[16..])
}

/// `ipset create foo hash:ip timeout 60 counters comment`, from strace.
const CREATE: [u8; 84] = [
    0x54, 0, 0, 0, 0x02, 0x06, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, //
    0x02, 0, 0, 0, 0x05, 0, 0x01, 0, 0x07, 0, 0, 0, 0x08, 0, 0x02, 0, //
    b'f', b'o', b'o', 0, 0x0c, 0, 0x03, 0, b'h', b'a', b's', b'h', b':', b'i', b'p', 0, //
    0x05, 0, 0x04, 0, 0x06, 0, 0, 0, 0x05, 0, 0x05, 0, 0x02, 0, 0, 0, //
    0x14, 0, 0x07, 0x80, 0x08, 0, 0x06, 0x40, 0, 0, 0, 0x3c, 0x08, 0, 0x08, 0x40, //
    0, 0, 0, 0x18,
];

/// `ipset add foo 192.0.2.1 timeout 5 comment hi`, from strace.
const ADD: [u8; 76] = [
    0x4c, 0, 0, 0, 0x09, 0x06, 0x05, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, //
    0x02, 0, 0, 0, 0x05, 0, 0x01, 0, 0x07, 0, 0, 0, 0x08, 0, 0x02, 0, //
    b'f', b'o', b'o', 0, 0x28, 0, 0x07, 0x80, 0x0c, 0, 0x01, 0x80, 0x08, 0, 0x01, 0x40, //
    0xc0, 0, 0x02, 0x01, 0x08, 0, 0x06, 0x40, 0, 0, 0, 0x05, 0x07, 0, 0x1a, 0, //
    b'h', b'i', 0, 0, 0x08, 0, 0x09, 0x40, 0, 0, 0, 0,
];

#[test]
fn test_emit_create_as_the_tool() {
    let mut buf = Vec::new();
    let o = CreateOptions {
        timeout: Some(60),
        counters: true,
        comment: true,
        ..Default::default()
    };
    write_create(&mut buf, "foo", "hash:ip", 6, Family::Inet, &o, false).unwrap();
    assert_eq!(body(&buf), body(&CREATE));
}

#[test]
fn test_emit_add_as_the_tool() {
    let mut buf = Vec::new();
    let e = Entry::ip("192.0.2.1".parse().unwrap())
        .with_timeout(5)
        .with_comment("hi");
    write_entry(&mut buf, Adt::Add, "foo", &e, false).unwrap();
    assert_eq!(body(&buf), body(&ADD));
    // The same member read back from its DATA nest.
    let nf = parse(&msg(&buf)).unwrap();
    let data = nf.attrs().get(IPSET_ATTR_DATA).unwrap().unwrap();
    assert_eq!(Entry::from_attrs(data.nested()).unwrap(), e);
}

#[test]
fn test_parse_list_of_hash_ip() {
    let bytes = include_bytes!("testdata/list_hash_ip");
    let set = IpSet::parse(&msg(bytes)).unwrap();
    assert_eq!(
        (
            set.name.as_str(),
            set.type_name.as_str(),
            set.family,
            set.revision
        ),
        ("t_ip", "hash:ip", Family::Inet, 6)
    );
    assert_eq!(set.elements, Some(1));
    assert_eq!(set.options.hashsize, Some(64));
    assert!(set.options.counters && set.options.comment && set.options.skbinfo);
    let h = set.header_text();
    assert!(
        h.starts_with(
            "family inet hashsize 64 maxelem 1000 timeout 0 counters comment skbinfo bucketsize 12 initval 0x"
        ),
        "{h}"
    );
    assert_eq!(
        set.entries[0].to_text("hash:ip"),
        "192.0.2.1 timeout 0 packets 3 bytes 300 comment \"x y\" skbmark 0x10/0xff skbprio 1:2 skbqueue 3"
    );
    let text = set.to_string();
    assert!(text.starts_with("Name: t_ip\nType: hash:ip\nRevision: 6\nHeader: family inet"));
    assert!(text.ends_with("Number of entries: 1\nMembers:\n192.0.2.1 timeout 0 packets 3 bytes 300 comment \"x y\" skbmark 0x10/0xff skbprio 1:2 skbqueue 3\n"));
    assert!(
        set.save()
            .to_string()
            .contains("\nadd t_ip 192.0.2.1 timeout 0 packets 3")
    );
}

#[test]
fn test_merge_members_across_messages() {
    let first = include_bytes!("testdata/list_big_first");
    let more = include_bytes!("testdata/list_big_more");
    let (name, starts) = list_message_set(&msg(more)).unwrap();
    assert_eq!((name, starts), ("big", false));
    let mut list = SetList::default();
    list.push(&msg(first)).unwrap();
    let n1 = list.sets()[0].entries.len();
    list.push(&msg(more)).unwrap();
    let sets = list.into_sets();
    assert_eq!(sets.len(), 1);
    assert!(n1 > 100 && sets[0].entries.len() > n1, "{n1}");
    assert_eq!(sets[0].elements, Some(3000));
    assert_eq!(sets[0].family, Family::Inet6);
    assert!(
        sets[0]
            .entries
            .iter()
            .all(|e| matches!(e.ip, Some(IpAddr::V6(a)) if a.segments()[..2] == [0x2001, 0xdb8]))
    );
}

#[test]
fn test_parse_protocol_and_type_replies() {
    let p = Protocol::parse(&msg(include_bytes!("testdata/protocol_reply"))).unwrap();
    assert_eq!(p, Protocol { version: 7, min: 6 });
    assert!(p.compatible() && p.supports(6) && !p.supports(5));
    let old = Protocol { version: 9, min: 8 };
    assert!(!old.compatible());
    assert_eq!(
        old.mismatch_text(PROTOCOL),
        "Cannot communicate with kernel: Kernel support protocol versions 8-9 while userspace supports protocol versions 6-7"
    );
    let t = TypeInfo::parse(&msg(include_bytes!("testdata/type_reply"))).unwrap();
    assert_eq!(t.name, "hash:net,port");
    assert!(t.revision >= t.revision_min && t.revision >= 7, "{t:?}");
}

#[test]
fn test_impossible_len() {
    let mut bytes = include_bytes!("testdata/list_hash_ip").to_vec();
    // The DATA nest's length runs past the message.
    let at = bytes.windows(2).position(|w| w == [0x07, 0x80]).unwrap() - 2;
    bytes[at] = 0xff;
    assert!(IpSet::parse(&msg(&bytes)).is_err());
    // Every truncation fails cleanly or parses.
    let whole = include_bytes!("testdata/list_hash_ip");
    for n in 0..whole.len() {
        let mut b = whole[..n].to_vec();
        if b.len() >= 4 {
            b[..4].copy_from_slice(&(n as u32).to_ne_bytes());
        }
        if let Some(Ok(m)) = Msgs::new(&b).next() {
            let _ = IpSet::parse(&m);
        }
    }
}

#[test]
fn member_text_round_trips() {
    for (ty, text) in [
        ("hash:ip", "192.0.2.1"),
        ("hash:ip", "192.0.2.0/30"),
        ("hash:net", "2001:db8::/64"),
        ("hash:net", "198.51.100.7"),
        ("hash:ip,port", "192.0.2.1,udp:53"),
        ("hash:ip,port", "192.0.2.1,icmp:echo-request"),
        ("hash:ip,port", "192.0.2.1,icmp:3/8"),
        ("hash:ip,port", "2001:db8::1,icmpv6:packet-too-big"),
        ("hash:ip,port", "192.0.2.1,gre:0"),
        ("hash:net,port", "192.0.2.0/24,tcp:1-1024"),
        ("hash:ip,port,ip", "192.0.2.1,sctp:9,198.51.100.2"),
        ("hash:ip,port,net", "192.0.2.1,tcp:80,198.51.100.0/24"),
        ("hash:net,iface", "192.0.2.0/24,physdev:veth+"),
        ("hash:mac", "02:AA:00:00:00:01"),
        ("bitmap:ip,mac", "192.0.2.1,02:AA:00:00:00:01"),
        ("bitmap:ip,mac", "192.0.2.1"),
        ("bitmap:port", "80"),
        ("list:set", "other"),
        ("hash:ip,mark", "192.0.2.1,0x00000010"),
    ] {
        let e = Entry::parse(ty, text).unwrap_or_else(|e| panic!("{ty} {text}: {e}"));
        assert_eq!(e.key_text(ty), text, "{ty}: {e:?}");
    }
    // hash types default to TCP; bitmap:port keeps bare ports.
    assert_eq!(
        Entry::parse("hash:ip,port", "192.0.2.1,80").unwrap().proto,
        Some(6)
    );
    assert_eq!(Entry::parse("bitmap:port", "udp:80").unwrap().proto, None);
    for (ty, bad) in [
        ("hash:ip", "192.0.2.300"),
        ("hash:ip,port", "192.0.2.1"),
        ("hash:ip,port", "192.0.2.1,nope:80"),
        ("hash:ip", "192.0.2.1,extra"),
        ("hash:net", "192.0.2.0/33"),
        ("hash", "x"),
        ("list:set", "a-name-longer-than-thirty-one-bytes"),
    ] {
        assert!(Entry::parse(ty, bad).is_err(), "{ty} {bad}");
    }
}

#[test]
fn requests_refuse_bad_names() {
    let mut buf = Vec::new();
    assert!(write_destroy(&mut buf, Some("")).is_err());
    assert!(write_swap(&mut buf, "a", &"x".repeat(32)).is_err());
    let long = Entry::ip("192.0.2.1".parse().unwrap()).with_comment("c".repeat(256));
    assert!(write_entry(&mut buf, Adt::Add, "s", &long, false).is_err());
    assert!(buf.is_empty());
}

#[test]
fn many_members_fill_messages_under_the_attribute_limit() {
    let entries: Vec<Entry> = (0..10_000u32)
        .map(|i| Entry::ip(IpAddr::V4((0xc612_0000 + i).into())))
        .collect();
    let mut buf = Vec::new();
    let counts = write_entries(&mut buf, Adt::Add, "s", &entries, true).unwrap();
    assert!(counts.len() > 1);
    assert_eq!(counts.iter().sum::<usize>(), 10_000);
    let mut seen = 0;
    for (m, n) in Msgs::new(&buf).zip(&counts) {
        let nf = parse(&m.unwrap()).unwrap();
        assert_eq!(nf.command(), IPSET_CMD_ADD);
        let adt = nf.attrs().get(IPSET_ATTR_ADT).unwrap().unwrap();
        let got: Vec<Entry> = adt
            .nested()
            .map(|d| Entry::from_attrs(d.unwrap().nested()).unwrap())
            .collect();
        assert_eq!(got.len(), *n);
        assert_eq!(got[..], entries[seen..seen + n]);
        seen += n;
    }
}

#[test]
fn error_words_are_the_tools() {
    assert_eq!(
        error_text(IPSET_ERR_FIND_TYPE, IPSET_CMD_CREATE, None),
        Some("Kernel error received: set type not supported")
    );
    assert_eq!(
        error_text(IPSET_ERR_EXIST, IPSET_CMD_DEL, None),
        Some("Element cannot be deleted from the set: it's not added")
    );
    assert_eq!(
        error_text(IPSET_ERR_BITMAP_RANGE, IPSET_CMD_ADD, Some("bitmap:ip")),
        Some("Element is out of the range of the set")
    );
    assert_eq!(
        error_text(IPSET_ERR_BITMAP_RANGE, IPSET_CMD_ADD, Some("hash:ip")),
        Some("Hash is full, cannot add more elements")
    );
    assert_eq!(
        error_text(IPSET_ERR_BITMAP_RANGE, IPSET_CMD_ADD, None),
        None
    );
    assert_eq!(error_text(1, IPSET_CMD_ADD, None), None);
    assert_eq!(
        error_text(2, IPSET_CMD_LIST, None),
        Some("The set with the given name does not exist")
    );
}
