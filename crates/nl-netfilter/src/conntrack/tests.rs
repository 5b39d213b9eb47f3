//! Replies and events captured from the kernel (6.18, by the
//! `capture_conntrack_fixtures` test in tests/tests/conntrack.rs), and
//! requests compared with what conntrack-tools 1.4.7 sends (strace).

use super::*;
use crate::uapi::r#in::{IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP};
use crate::uapi::nfnetlink::NFNL_SUBSYS_CTNETLINK;
use nl_wire::Msgs;
use std::net::IpAddr;

const DUMP: &[u8] = include_bytes!("../../tests/fixtures/conntrack/dump.bin");
const EVENTS: &[u8] = include_bytes!("../../tests/fixtures/conntrack/events.bin");
const EXPECT_DUMP: &[u8] = include_bytes!("../../tests/fixtures/conntrack/expect_dump.bin");
const STATS: &[u8] = include_bytes!("../../tests/fixtures/conntrack/stats.bin");
const STATS_CPU: &[u8] = include_bytes!("../../tests/fixtures/conntrack/stats_cpu.bin");

fn entries(bytes: &[u8]) -> Vec<(Option<EventKind>, Entry)> {
    Msgs::new(bytes)
        .map(Result::unwrap)
        .filter(is_entry)
        .map(|m| parse_event(&m).unwrap())
        .collect()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn find(all: &[Entry], src_port: u16) -> &Entry {
    all.iter()
        .find(|e| e.orig.src_port == Some(src_port) || e.orig.icmp_id == Some(src_port))
        .unwrap()
}

#[test]
fn test_parse_dump() {
    let all: Vec<Entry> = entries(DUMP).into_iter().map(|(_, e)| e).collect();
    assert_eq!(all.len(), 9);
    // Real TCP traffic, accounting and timestamps on.
    let tcp = find(&all, 41164);
    assert_eq!(tcp.family, AF_INET);
    assert_eq!(
        (tcp.orig.src, tcp.orig.dst),
        (ip("192.0.2.1"), ip("192.0.2.2"))
    );
    assert_eq!(
        (tcp.orig.proto, tcp.orig.dst_port),
        (IPPROTO_TCP, Some(7200))
    );
    assert_eq!(tcp.reply, tcp.orig.reversed());
    assert_eq!(
        tcp.status,
        Some(Status::SEEN_REPLY | Status::ASSURED | Status::CONFIRMED)
    );
    assert_eq!(
        tcp.counters_orig,
        Some(Counters {
            packets: 5,
            bytes: 275
        })
    );
    assert_eq!(
        tcp.counters_reply,
        Some(Counters {
            packets: 4,
            bytes: 223
        })
    );
    let Some(ProtoInfo::Tcp(info)) = tcp.protoinfo else {
        panic!("{:?}", tcp.protoinfo)
    };
    assert_eq!(info.state, TcpState::CLOSE_WAIT);
    assert_eq!((info.wscale_orig, info.wscale_reply), (Some(10), Some(10)));
    assert_eq!(info.flags_orig.map(|f| f.flags), Some(0x23));
    assert_eq!(tcp.timeout, Some(59));
    assert_eq!(
        (tcp.mark, tcp.use_count, tcp.id),
        (Some(0), Some(1), Some(1870378388))
    );
    assert!(
        tcp.timestamp
            .is_some_and(|t| t.start > 0 && t.stop.is_none())
    );
    assert!(tcp.labels.is_none() && tcp.unknown.is_empty());
    // ICMP echo with its answer.
    let icmp = find(&all, 258);
    assert_eq!(icmp.orig.proto, IPPROTO_ICMP);
    assert_eq!(
        (
            icmp.orig.icmp_type,
            icmp.orig.icmp_code,
            icmp.reply.icmp_type
        ),
        (Some(8), Some(0), Some(0))
    );
    assert_eq!(icmp.counters_orig.map(|c| c.bytes), Some(28));
    // A zone and labels.
    let udp = find(&all, 5353);
    assert_eq!((udp.zone, udp.zone_id()), (Some(3), 3));
    let labels = udp.labels.unwrap();
    assert_eq!(labels.bits().collect::<Vec<_>>(), [1, 100]);
    // A helper and sequence adjustments.
    let ftp = find(&all, 40000);
    assert_eq!(ftp.helper.as_deref(), Some("ftp"));
    assert!(ftp.status().contains(Status::SEQ_ADJUST | Status::HELPER));
    assert_eq!(
        ftp.seq_adj_orig,
        Some(SeqAdj {
            correction_pos: 7,
            offset_before: -1,
            offset_after: 3
        })
    );
    // Source NAT set up by the create: the reply goes to the NAT address.
    let nat = find(&all, 5000);
    assert_eq!(nat.reply.dst, ip("203.0.113.1"));
    assert!(
        nat.status()
            .contains(Status::SRC_NAT | Status::SRC_NAT_DONE)
    );
    // IPv6 and ICMPv6.
    let v6 = find(&all, 5);
    assert_eq!((v6.family, v6.orig.proto), (AF_INET6, 58));
    assert_eq!((v6.mark, v6.reply.icmp_type), (Some(255), Some(129)));
}

#[test]
fn test_text_is_conntracks() {
    let all: Vec<Entry> = entries(DUMP).into_iter().map(|(_, e)| e).collect();
    assert_eq!(
        find(&all, 41164).to_string(),
        "ipv4     2 tcp      6 59 CLOSE_WAIT src=192.0.2.1 dst=192.0.2.2 sport=41164 dport=7200 \
         packets=5 bytes=275 src=192.0.2.2 dst=192.0.2.1 sport=7200 dport=41164 packets=4 \
         bytes=223 [ASSURED] mark=0 use=1"
    );
    assert_eq!(
        find(&all, 5353).to_string(),
        "ipv4     2 udp      17 30 src=192.0.2.1 dst=192.0.2.3 sport=5353 dport=53 packets=0 \
         bytes=0 [UNREPLIED] src=192.0.2.3 dst=192.0.2.1 sport=53 dport=5353 packets=0 bytes=0 \
         mark=0 zone=3 use=1"
    );
    let mut s = String::new();
    find(&all, 40000).write_text(
        &mut s,
        &TextOptions {
            id: true,
            ..TextOptions::default()
        },
    );
    assert_eq!(
        s,
        "tcp      6 300 ESTABLISHED src=192.0.2.1 dst=192.0.2.2 sport=40000 dport=21 packets=0 \
         bytes=0 src=192.0.2.2 dst=192.0.2.1 sport=21 dport=40000 packets=0 bytes=0 mark=0 \
         helper=ftp use=1 id=3930715188"
    );
}

#[test]
fn test_parse_events() {
    let evs = entries(EVENTS);
    let count = |k| evs.iter().filter(|(kind, _)| *kind == Some(k)).count();
    assert_eq!(
        (
            count(EventKind::New),
            count(EventKind::Update),
            count(EventKind::Destroy)
        ),
        (9, 6, 9)
    );
    // A destroyed entry carries its final counters.
    let gone = evs
        .iter()
        .find(|(k, e)| *k == Some(EventKind::Destroy) && e.orig.src_port == Some(41164))
        .unwrap();
    assert_eq!(gone.1.counters_orig.map(|c| c.packets), Some(5));
    let mut s = String::new();
    gone.1.write_text(
        &mut s,
        &TextOptions {
            event: gone.0,
            ..TextOptions::default()
        },
    );
    assert!(
        s.starts_with("[DESTROY] tcp      6 59 CLOSE_WAIT src=192.0.2.1"),
        "{s}"
    );
    let first = &evs[0];
    let mut s = String::new();
    first.1.write_text(
        &mut s,
        &TextOptions {
            event: first.0,
            ..TextOptions::default()
        },
    );
    assert_eq!(
        s,
        "    [NEW] tcp      6 120 SYN_SENT src=192.0.2.1 dst=192.0.2.2 sport=41164 dport=7200 \
         [UNREPLIED] src=192.0.2.2 dst=192.0.2.1 sport=7200 dport=41164"
    );
}

#[test]
fn test_parse_expect_and_stats() {
    let exps: Vec<Expect> = Msgs::new(EXPECT_DUMP)
        .map(Result::unwrap)
        .filter(is_expect)
        .map(|m| {
            Expect::parse(
                &NfMsg::parse(&m, crate::uapi::nfnetlink::NFNL_SUBSYS_CTNETLINK_EXP).unwrap(),
            )
            .unwrap()
        })
        .collect();
    assert_eq!(exps.len(), 1);
    let e = &exps[0];
    assert_eq!(e.master.dst_port, Some(21));
    assert_eq!(
        (e.tuple.dst_port, e.mask.dst_port),
        (Some(2000), Some(65535))
    );
    assert_eq!(
        (e.helper.as_deref(), e.class, e.flags),
        (Some("ftp"), Some(0), Some(0))
    );
    assert_eq!(
        e.to_string(),
        "299 proto=6 src=192.0.2.1 dst=192.0.2.2 sport=0 dport=2000 mask-src=255.255.255.255 \
         mask-dst=255.255.255.255 sport=0 dport=65535 master-src=192.0.2.1 master-dst=192.0.2.2 \
         sport=40000 dport=21 class=0 helper=ftp"
    );

    let stats: Vec<Stats> = Msgs::new(STATS)
        .map(Result::unwrap)
        .filter_map(|m| NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK).ok())
        .map(|nf| Stats::parse(&nf).unwrap())
        .collect();
    assert_eq!(
        stats,
        [Stats {
            entries: 9,
            max_entries: Some(262144)
        }]
    );
    let cpus: Vec<CpuStats> = Msgs::new(STATS_CPU)
        .map(Result::unwrap)
        .filter_map(|m| NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK).ok())
        .map(|nf| CpuStats::parse(&nf).unwrap())
        .collect();
    assert_eq!(cpus.len(), 2);
    assert_eq!(
        (cpus[0].cpu, cpus[0].insert(), cpus[0].found()),
        (0, Some(7), Some(0))
    );
    assert_eq!(
        cpus[1].to_string(),
        "cpu=1   \tfound=0 invalid=0 insert=0 insert_failed=0 drop=0 early_drop=0 error=0 \
         search_restart=0 clash_resolve=0 chaintoolong=0 "
    );
}

/// Every attribute of a message after its nfgenmsg, depth first, with
/// padding left out: conntrack-tools leaves garbage in padding bytes.
/// Depth, raw type and payload (empty for a nest) of each attribute.
type Flat = Vec<(usize, u16, Vec<u8>)>;

fn canonical(msg: &[u8]) -> (u16, u16, [u8; 4], Flat) {
    fn walk(attrs: nl_wire::Attrs<'_>, depth: usize, out: &mut Flat) {
        for a in attrs {
            let a = a.unwrap();
            if a.is_nested() {
                out.push((depth, a.raw_type(), Vec::new()));
                walk(a.nested(), depth + 1, out);
            } else {
                out.push((depth, a.raw_type(), a.payload().to_vec()));
            }
        }
    }
    let (m, _) = nl_wire::Msg::parse(msg).unwrap();
    let mut out = Vec::new();
    walk(m.attrs::<NfGenMsg>(), 0, &mut out);
    let hdr: [u8; 4] = m.payload()[..4].try_into().unwrap();
    (m.ty(), m.flags(), hdr, out)
}

/// `conntrack -I -p tcp -s 192.0.2.1 -d 192.0.2.2 --sport 1000 --dport 80
/// --state ESTABLISHED -t 120 -u ASSURED,SEEN_REPLY -m 7`.
const CONNTRACK_I_TCP: &str = "b4000000000105069384156b0000000002000000340001801400018008000100c000020108000200c00002021c00028005000100060000000600020003e800000600030000500000340002801400018008000100c000020208000200c00002011c000280050001000610000006000200005000000600030003e80000080003000000000e08000700000000780800080000000007200004801c0001800500010003100000060004000a0a0000060005000a0a0000";
/// `conntrack -I -p udp -s 192.0.2.1 -d 192.0.2.3 --sport 5353 --dport 53
/// -t 30 -w 3 -m 5`.
const CONNTRACK_I_UDP: &str = "94000000000105069384156b0000000002000000340001801400018008000100c000020108000200c00002031c00028005000100110000000600020014e900000600030000350000340002801400018008000100c000020308000200c00002011c000280050001001110000006000200003500000600030014e90000080007000000001e08000800000000050600120000030000";
/// `conntrack -I -p icmpv6 -s 2001:db8::1 -d 2001:db8::3 --icmpv6-type 128
/// --icmpv6-code 0 --icmpv6-id 5 -t 30 -m 255`.
const CONNTRACK_I_ICMPV6: &str = "cc000000000105069384156b000000000a000000540001802c0001801400030020010db80000000000000000000000011400040020010db800000000000000000000000324000280050001003a000000050009000000000005000800800000000600070000050000540002802c0001801400030020010db80000000000000000000000031400040020010db800000000000000000000000124000280050001003a100000050009000060000005000800810000000600070000050000080007000000001e08000800000000ff";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn test_create_is_conntracks() {
    let sa = |s: &str| s.parse::<std::net::SocketAddr>().unwrap();
    let mut tcp = Entry::new(Tuple::tcp(sa("192.0.2.1:1000"), sa("192.0.2.2:80")))
        .with_timeout(120)
        .with_status(Status::ASSURED | Status::SEEN_REPLY)
        .with_mark(7);
    // conntrack -I sets these TCP flags (SACK permitted, be liberal).
    let liberal = Some(TcpFlags {
        flags: 0x0a,
        mask: 0x0a,
    });
    tcp.protoinfo = Some(ProtoInfo::Tcp(TcpInfo {
        state: TcpState::ESTABLISHED,
        flags_orig: liberal,
        flags_reply: liberal,
        ..TcpInfo::default()
    }));
    let udp = Entry::new(Tuple::udp(sa("192.0.2.1:5353"), sa("192.0.2.3:53")))
        .with_timeout(30)
        .with_zone(3)
        .with_mark(5);
    let icmp6 = Entry::new(Tuple::icmp(ip("2001:db8::1"), ip("2001:db8::3"), 5, 128, 0))
        .with_timeout(30)
        .with_mark(255);
    for (e, theirs) in [
        (tcp, CONNTRACK_I_TCP),
        (udp, CONNTRACK_I_UDP),
        (icmp6, CONNTRACK_I_ICMPV6),
    ] {
        let mut ours = Vec::new();
        e.write_create(&mut ours).unwrap();
        let theirs = hex(theirs);
        assert_eq!(ours.len(), theirs.len());
        assert_eq!(canonical(&ours), canonical(&theirs), "{e}");
        // Our padding is zero.
        let (m, _) = nl_wire::Msg::parse(&ours).unwrap();
        let back = Entry::parse(&NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK).unwrap()).unwrap();
        assert_eq!(
            (back.orig, back.reply, back.mark),
            (e.orig, e.reply, e.mark)
        );
    }
}

#[test]
fn test_round_trip_everything() {
    let sa = |s: &str| s.parse::<std::net::SocketAddr>().unwrap();
    let mut e = Entry::new(Tuple::udp(sa("[2001:db8::1]:1"), sa("[2001:db8::2]:2")))
        .with_timeout(9)
        .with_status(Status::ASSURED)
        .with_mark(3)
        .with_zone(4)
        .with_labels(Labels::from_bits([0, 63, 64, 127]));
    e.orig.zone = Some(5);
    e.mark_mask = Some(0xff);
    e.labels_mask = Some(Labels::from_bits([0, 127]));
    e.seq_adj_orig = Some(SeqAdj {
        correction_pos: 1,
        offset_before: i32::MIN,
        offset_after: i32::MAX,
    });
    e.synproxy = Some(Synproxy {
        isn: 1,
        its: 2,
        tsoff: 3,
    });
    e.protoinfo = Some(ProtoInfo::Sctp(StateInfo {
        state: 3,
        vtag_orig: Some(10),
        vtag_reply: Some(11),
    }));
    e.master = Some(Tuple::tcp(sa("[2001:db8::1]:21"), sa("[2001:db8::2]:3000")));
    e.helper = Some("sip".into());
    e.nat_dst = Some(Nat {
        min_ip: ip("2001:db8::9"),
        max_ip: Some(ip("2001:db8::a")),
        min_port: Some(1000),
        max_port: None,
    });
    let mut buf = Vec::new();
    e.write_create(&mut buf).unwrap();
    let (m, rest) = nl_wire::Msg::parse(&buf).unwrap();
    assert!(rest.is_empty());
    let back = Entry::parse(&NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK).unwrap()).unwrap();
    let mut want = e.clone();
    // Only in requests; CONFIRMED is always sent; NAT is not read back.
    want.status = Some(Status::ASSURED | Status::CONFIRMED);
    want.nat_dst = None;
    want.mark_mask = None;
    want.labels_mask = None;
    let mut back = back;
    back.unknown
        .retain(|&k| k != CTA_NAT_DST && k != CTA_MARK_MASK && k != CTA_LABELS_MASK);
    assert_eq!(back, want);
    // Update and delete carry the original tuple, and no NAT.
    buf.clear();
    e.write_update(&mut buf).unwrap();
    let (_, _, _, attrs) = canonical(&buf);
    assert!(
        attrs
            .iter()
            .all(|(d, t, _)| *d > 0 || t & 0xff != CTA_NAT_DST)
    );
    assert!(
        !attrs
            .iter()
            .any(|(d, t, _)| *d == 0 && t & 0xff == CTA_TUPLE_REPLY)
    );
}

#[test]
fn test_flush_and_requests() {
    let mut buf = Vec::new();
    write_flush(AF_INET6, &mut buf).unwrap();
    assert_eq!(&buf[16..20], &[AF_INET6, 1, 0, 0]);
    buf.clear();
    write_flush(0, &mut buf).unwrap();
    assert_eq!(&buf[16..20], &[0, 0, 0, 0]);
    assert_eq!(buf.len(), 20);
    // A create without a timeout is refused, naming it.
    let e = Entry::new(Tuple::new(ip("192.0.2.1"), ip("192.0.2.2"), 47));
    let err = e.write_create(&mut buf).unwrap_err();
    assert!(err.to_string().contains("timeout"), "{err}");
    assert_eq!(buf.len(), 20, "nothing written on error");
    // Mixed families.
    let mut bad = Entry::new(Tuple::new(ip("192.0.2.1"), ip("2001:db8::1"), IPPROTO_UDP));
    bad.timeout = Some(1);
    assert!(bad.write_delete(&mut buf).is_err());
}

#[test]
fn test_impossible_len() {
    // Every prefix and every one-byte corruption of a captured dump is
    // an error or an entry, never a panic.
    let (first, _) = nl_wire::Msg::parse(DUMP).unwrap();
    let bytes = first.bytes().to_vec();
    for cut in 0..bytes.len() {
        let mut b = bytes[..cut].to_vec();
        if b.len() >= 4 {
            let len = u32::try_from(b.len()).unwrap();
            b[..4].copy_from_slice(&len.to_ne_bytes());
        }
        if let Ok((m, _)) = nl_wire::Msg::parse(&b) {
            if let Ok(nf) = NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK) {
                let _ = Entry::parse(&nf);
            }
        }
    }
    for i in 20..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0xff;
        let (m, _) = nl_wire::Msg::parse(&b).unwrap();
        let nf = NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK).unwrap();
        let _ = Entry::parse(&nf);
    }
    // A truncated nest says where.
    let mut b = bytes.clone();
    b[20..22].copy_from_slice(&500u16.to_ne_bytes());
    let (m, _) = nl_wire::Msg::parse(&b).unwrap();
    let err = Entry::parse(&NfMsg::parse(&m, NFNL_SUBSYS_CTNETLINK).unwrap()).unwrap_err();
    assert!(
        err.to_string().contains("malformed netfilter message"),
        "{err}"
    );
}

#[test]
fn test_labels_bits() {
    let l = Labels::from_bits([0, 63, 64, 127, 200]);
    assert_eq!(l.bits().collect::<Vec<_>>(), [0, 63, 64, 127]);
    assert!(l.contains(&Labels::from_bits([63, 127])));
    assert!(!l.contains(&Labels::from_bits([1])));
    assert!(l.intersects(&Labels::from_bits([1, 64])));
    assert!(Labels::default().is_empty());
    assert_eq!(
        Status::parse_names("ASSURED,SEEN_REPLY"),
        Some(Status::ASSURED | Status::SEEN_REPLY)
    );
    assert_eq!(TcpState::from_name("TIME_WAIT"), Some(TcpState::TIME_WAIT));
    assert_eq!(TcpState(42).name(), "NONE");
    assert_eq!(proto_by_name("icmpv6"), Some(58));
    assert_eq!(proto_name(IPPROTO_UDP), "udp");
}
