//! Replies captured from Linux 6.18 (`capture_sock_diag_fixtures` in
//! tests/tests/sock_diag.rs): parsed whole, then cut and damaged.

use nl_diag::{
    Error, InetMsg, InetProto, InetSocket, TcpState, UnixName, UnixSocket, UnixType, is_diag,
};
use nl_wire::{Msg, Msgs};

const TCP4: &[u8] = include_bytes!("fixtures/tcp4_info.bin");
const TCP6: &[u8] = include_bytes!("fixtures/tcp6_info.bin");
const UDP4: &[u8] = include_bytes!("fixtures/udp4.bin");
const UNIX: &[u8] = include_bytes!("fixtures/unix.bin");
const GET: &[u8] = include_bytes!("fixtures/tcp_get.bin");

fn diag_msgs(bytes: &[u8]) -> Vec<Msg<'_>> {
    Msgs::new(bytes)
        .map(|m| m.unwrap())
        .filter(is_diag)
        .collect()
}

fn inet(bytes: &[u8], proto: InetProto) -> Vec<InetSocket> {
    diag_msgs(bytes)
        .iter()
        .map(|m| InetSocket::parse(m, proto).unwrap())
        .collect()
}

#[test]
fn tcp_dump_with_every_extension() {
    for (bytes, v6) in [(TCP4, false), (TCP6, true)] {
        let socks = inet(bytes, InetProto::Tcp);
        assert_eq!(socks.len(), 3, "a listener and both ends of a connection");
        let listeners: Vec<_> = socks
            .iter()
            .filter(|s| s.state == TcpState::Listen)
            .collect();
        assert_eq!(listeners.len(), 1);
        let l = listeners[0];
        assert!(l.id.dst.ip().is_unspecified() && l.id.dst.port() == 0);
        for s in &socks {
            assert_eq!(s.id.src.is_ipv6(), v6);
            assert_ne!(s.inode, 0);
            let info = s.tcp_info.unwrap();
            assert_eq!(info.state, u8::from(s.state));
            assert!(info.len >= 232, "6.18 sends at least the 232 bytes we know");
            assert!(s.congestion.is_some() && s.skmeminfo.is_some() && s.meminfo.is_some());
            assert_eq!(s.shutdown, Some(0));
            assert!(s.cgroup_id.is_some());
            if v6 {
                // The kernel tells v6only of listening and closed sockets only.
                assert_eq!(s.v6only.is_some(), s.state == TcpState::Listen);
                assert!(s.tclass.is_some());
            } else {
                assert!(s.tos.is_some());
            }
        }
        let est: Vec<_> = socks
            .iter()
            .filter(|s| s.state == TcpState::Established)
            .collect();
        assert_eq!(est.len(), 2);
        // The two ends mirror each other.
        assert_eq!(est[0].id.src, est[1].id.dst);
        assert_eq!(est[0].id.dst, est[1].id.src);
        // The server side holds the 100 unread bytes.
        assert!(est.iter().any(|s| s.rqueue == 100));
        assert!(
            est.iter()
                .all(|s| s.tcp_info.unwrap().snd_cwnd > 0 && s.tcp_info.unwrap().rtt > 0)
        );
    }
}

#[test]
fn views_read_what_the_owned_parse_reads() {
    for bytes in [TCP4, TCP6] {
        for m in diag_msgs(bytes) {
            let v = InetMsg::new(&m).unwrap();
            let s = InetSocket::parse(&m, InetProto::Tcp).unwrap();
            assert_eq!((v.family(), v.state(), v.id()), (s.family, s.state, s.id));
            assert_eq!(
                (v.rqueue(), v.wqueue(), v.uid(), v.inode()),
                (s.rqueue, s.wqueue, s.uid, s.inode)
            );
            assert_eq!(v.tcp_info().unwrap(), s.tcp_info);
            assert_eq!(v.congestion().unwrap(), s.congestion.as_deref());
            assert_eq!(v.header().idiag_timer, s.timer);
        }
    }
}

#[test]
fn udp_and_get() {
    let socks = inet(UDP4, InetProto::Udp);
    assert_eq!(socks.len(), 1);
    assert_eq!(socks[0].state, TcpState::Close);
    assert!(
        socks[0].tcp_info.is_none(),
        "INET_DIAG_INFO of UDP is not a tcp_info"
    );
    let got = inet(GET, InetProto::Tcp);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].state, TcpState::Established);
    assert!(got[0].tcp_info.is_some());
}

#[test]
fn unix_dump() {
    let socks: Vec<_> = diag_msgs(UNIX)
        .iter()
        .map(|m| UnixSocket::parse(m).unwrap())
        .collect();
    let l = socks.iter().find(|s| s.state == TcpState::Listen).unwrap();
    assert_eq!(l.kind, UnixType::Stream);
    assert_eq!(l.name, Some(UnixName::Abstract(b"nl-fixture".to_vec())));
    assert_eq!(l.name.as_ref().unwrap().to_string(), "@nl-fixture");
    assert_eq!(l.icons.len(), 1);
    assert_eq!(l.queues.map(|q| q.0), Some(1));
    assert!(
        socks
            .iter()
            .all(|s| s.uid == Some(0) && s.meminfo.is_some())
    );
    let pair: Vec<_> = socks
        .iter()
        .filter(|s| s.name.is_none() && s.peer.is_some_and(|p| p != 0))
        .collect();
    assert_eq!(pair.len(), 2);
    assert_eq!(pair[0].peer, Some(pair[1].inode));
}

#[test]
fn cut_headers_are_truncated_errors() {
    let msgs = diag_msgs(TCP4);
    let m = &msgs[0];
    let bytes = m.bytes();
    for cut in [16, 20, 40, 87] {
        let mut b = bytes[..cut].to_vec();
        b[..4].copy_from_slice(&(cut as u32).to_ne_bytes());
        let (short, _) = Msg::parse(&b).unwrap();
        match InetSocket::parse(&short, InetProto::Tcp) {
            Err(e @ Error::Truncated { need: 72, .. }) => {
                assert!(e.to_string().contains("struct inet_diag_msg"), "{e}")
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    let u = &diag_msgs(UNIX)[0];
    let mut b = u.bytes()[..24].to_vec();
    b[..4].copy_from_slice(&24u32.to_ne_bytes());
    let (short, _) = Msg::parse(&b).unwrap();
    assert!(matches!(
        UnixSocket::parse(&short),
        Err(Error::Truncated { need: 16, .. }) | Ok(_)
    ));
}

#[test]
fn damaged_attributes_are_errors_never_panics() {
    for bytes in [TCP4, TCP6, UDP4, GET] {
        for m in diag_msgs(bytes) {
            let raw = m.bytes();
            // Every cut and every single-byte change past the header.
            for cut in 16..raw.len() {
                let mut b = raw[..cut].to_vec();
                b[..4].copy_from_slice(&(cut as u32).to_ne_bytes());
                let (msg, _) = Msg::parse(&b).unwrap();
                let _ = InetSocket::parse(&msg, InetProto::Tcp);
            }
            for at in 88..raw.len() {
                let mut b = raw.to_vec();
                b[at] ^= 0xff;
                if let Ok((msg, _)) = Msg::parse(&b) {
                    if let Err(e) = InetSocket::parse(&msg, InetProto::Tcp) {
                        assert!(matches!(e, Error::Wire { .. }), "{e:?}");
                    }
                }
            }
        }
    }
    // An attribute length past the message is reported with its offset.
    let m = &diag_msgs(TCP4)[0];
    let mut b = m.bytes().to_vec();
    b[88..90].copy_from_slice(&0xfff0u16.to_ne_bytes());
    let (msg, _) = Msg::parse(&b).unwrap();
    let e = InetSocket::parse(&msg, InetProto::Tcp).unwrap_err();
    assert!(
        e.to_string()
            .contains("malformed sock_diag message type 20"),
        "{e}"
    );
}
