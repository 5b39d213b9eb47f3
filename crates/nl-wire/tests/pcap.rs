//! A capture the kernel took itself: `tcpdump -i nlmon0` in the VM tier's
//! Debian 6.1 kernel while the facade added a veth pair, dumped links and
//! sent a request for an unknown link ty (tests/tests/pcap.rs,
//! `nlmon_capture_decodes`, prints it; regenerate from the VM's console
//! log between the NLMON-PCAP markers).

use nl_wire::pcap::{Capture, Direction, LINKTYPE_NETLINK, PACKET_OUTGOING, PcapError};
use nl_wire::{Control, Msg};

const NLMON: &[u8] = include_bytes!("fixtures/nlmon.pcap");

fn ifname(m: &Msg<'_>) -> Option<String> {
    m.attrs_after(16)
        .filter_map(Result::ok)
        .find(|a| a.ty() == 3)
        .and_then(|a| a.cstr().ok().map(str::to_owned))
}

#[test]
fn nlmon_capture_decodes() {
    let cap = Capture::new(NLMON).unwrap();
    assert_eq!(cap.link_type(), Some(LINKTYPE_NETLINK));
    let mut seen = Vec::new();
    let mut last_time = None;
    for record in cap {
        let record = record.unwrap();
        assert!(!record.is_cut());
        // Frames come in time order.
        assert!(last_time <= Some(record.time));
        last_time = Some(record.time);
        let frame = record.netlink().unwrap();
        assert_eq!(frame.protocol, 0, "NETLINK_ROUTE");
        assert_eq!(frame.packet_type, PACKET_OUTGOING);
        for m in frame.msgs() {
            let m = m.unwrap();
            let what = match m.control().unwrap() {
                Some(Control::Ack(_)) => "ack".to_string(),
                Some(Control::Error(e)) => format!("error {:?}", e.message()),
                Some(Control::Done(_)) => "done".to_string(),
                _ => format!("type {} {:?}", m.ty(), ifname(&m)),
            };
            seen.push((frame.direction(), what));
        }
    }
    let find = |dir: Direction, what: &str| seen.iter().position(|s| *s == (dir, what.to_string()));
    let add = find(Direction::ToKernel, "type 16 Some(\"nm0\")").expect("add request");
    let ack = find(Direction::ToUser, "ack").expect("ack");
    let dump = find(Direction::ToKernel, "type 18 None").expect("dump request");
    let listed = find(Direction::ToUser, "type 16 Some(\"nm0\")").expect("nm0 in the dump");
    let done = find(Direction::ToUser, "done").expect("done");
    let bad = find(Direction::ToKernel, "type 16 Some(\"pcbad\")").expect("bad request");
    let refused = find(Direction::ToUser, "error Some(\"Unknown device type\")").expect("ext-ack");
    assert!(
        add < ack && ack < dump && dump < listed && listed < done && done < bad && bad < refused
    );
}

/// Every cut of the capture reads to an error at the cut, never a panic
/// and never a record past it.
#[test]
fn truncated_capture_ends_in_an_error() {
    let full = Capture::new(NLMON).unwrap().count();
    for cut in (0..NLMON.len()).step_by(7) {
        let Ok(cap) = Capture::new(&NLMON[..cut]) else {
            assert!(cut < 24);
            continue;
        };
        let items: Vec<_> = cap.collect();
        assert!(items.len() <= full);
        if let Some(Err(e)) = items.last() {
            assert!(matches!(e, PcapError::Truncated { .. }), "{cut}: {e}");
            assert!(e.offset() <= cut);
        }
    }
}

/// Flipped bytes never panic the reader, the cooked header or the
/// message walk.
#[test]
fn corrupted_capture_never_panics() {
    for at in 0..NLMON.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bad = NLMON.to_vec();
            bad[at] ^= flip;
            let Ok(cap) = Capture::new(&bad) else {
                continue;
            };
            for record in cap {
                let Ok(record) = record else { break };
                let Ok(frame) = record.netlink() else {
                    continue;
                };
                let _ = frame.direction();
                for m in frame.msgs() {
                    let Ok(m) = m else { break };
                    let _ = (m.control(), ifname(&m));
                }
            }
        }
    }
}
