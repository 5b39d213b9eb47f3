//! nl-xfrm on replies captured from a real kernel: `fixtures/*.pcap`,
//! captured by `tests/tests/capture.rs` from Linux 6.18 (xfrm_state from
//! Debian 6.12 in the VM tier)
//! (`NETLINK_WRITE_FIXTURES=1 cargo test -p netlink-tests --test capture`,
//! which says how it built each object). `xfrm_state` comes from kernels
//! with ESP (the VM tier); whatever is there is parsed.

use std::net::{IpAddr, Ipv4Addr};

use nl_wire::Msg;
use nl_wire::pcap::Capture;
use nl_xfrm::uapi::{XFRM_MSG_NEWPOLICY, XFRM_MSG_NEWSA};
use nl_xfrm::{Action, Dir, Mode, Proto, XfrmPolicy, XfrmState};

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The reply messages of capture `name` (its frames to user space but
/// `NLMSG_DONE` and acks), each as its own bytes.
fn replies(name: &str) -> Vec<Vec<u8>> {
    let path = dir().join(format!("{name}.pcap"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let out: Vec<Vec<u8>> = Capture::new(&bytes)
        .unwrap()
        .flat_map(|record| record.unwrap().netlink().unwrap().replies())
        .map(|msg| msg.unwrap().bytes().to_vec())
        .collect();
    assert!(!out.is_empty(), "{name}: no replies");
    out
}

#[test]
fn every_capture_parses_and_no_truncation_panics() {
    let mut files = 0;
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "pcap") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        for bytes in replies(&name) {
            let parse = |m: &Msg<'_>| match m.ty() {
                XFRM_MSG_NEWPOLICY => XfrmPolicy::parse(m).map(|p| format!("{p:?}")),
                XFRM_MSG_NEWSA => XfrmState::parse(m).map(|s| format!("{s:?}")),
                other => panic!("{name}: no parser for message type {other}"),
            };
            parse(&Msg::parse(&bytes).unwrap().0).unwrap_or_else(|e| panic!("{name}: {e}"));
            for cut in 0..bytes.len() {
                if let Ok((m, _)) = Msg::parse(&bytes[..cut]) {
                    let _ = parse(&m);
                }
            }
        }
        files += 1;
    }
    assert!(files >= 1);
}

#[test]
fn policies() {
    let policies: Vec<XfrmPolicy> = replies("xfrm_policy")
        .iter()
        .map(|b| XfrmPolicy::parse(&Msg::parse(b).unwrap().0).unwrap())
        .collect();
    assert_eq!(policies.len(), 2);
    // ip xfrm policy add src 192.0.2.0/24 dst 198.51.100.0/24 dir out
    //   priority 10 mark 0x5 mask 0xff tmpl src 192.0.2.1 dst 198.51.100.1
    //   proto esp reqid 7 mode tunnel
    let out = policies.iter().find(|p| p.dir == Dir::Out).unwrap();
    assert_eq!(out.selector.src, "192.0.2.0/24".parse().unwrap());
    assert_eq!(out.selector.dst, "198.51.100.0/24".parse().unwrap());
    assert_eq!((out.priority, out.action), (10, Action::Allow));
    assert_eq!(out.mark.map(|m| (m.value, m.mask)), Some((5, 0xff)));
    assert!(out.index > 0, "the kernel numbers policies");
    let t = &out.templates[0];
    assert_eq!((t.proto, t.mode, t.reqid), (Proto::Esp, Mode::Tunnel, 7));
    assert_eq!(t.src, Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))));
    assert_eq!(t.dst, Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1))));
    // ... dir in action block
    let block = policies.iter().find(|p| p.dir == Dir::In).unwrap();
    assert_eq!(block.action, Action::Block);
    assert!(block.templates.is_empty());
}

#[test]
fn states() {
    // Captured in the VM tier (Debian 6.12; this host has no ESP):
    // ip xfrm state add src 192.0.2.1 dst 198.51.100.1 proto esp spi 0x100
    //   reqid 7 mode tunnel auth-trunc hmac(sha256) 0x0123..ef 128
    //   enc cbc(aes) 0x0123456789abcdef0123456789abcdef
    let states: Vec<XfrmState> = replies("xfrm_state")
        .iter()
        .map(|b| XfrmState::parse(&Msg::parse(b).unwrap().0).unwrap())
        .collect();
    assert_eq!(states.len(), 1);
    let s = &states[0];
    assert_eq!(s.src, Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))));
    assert_eq!(s.dst, Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1))));
    assert_eq!(
        (s.proto, s.spi, s.reqid, s.mode),
        (Proto::Esp, 0x100, 7, Mode::Tunnel)
    );
    let auth = s.auth.as_ref().unwrap();
    assert_eq!(
        (auth.name.as_str(), auth.trunc_len),
        ("hmac(sha256)", Some(128))
    );
    assert_eq!(auth.key.len(), 32);
    let crypt = s.crypt.as_ref().unwrap();
    assert_eq!(crypt.name, "cbc(aes)");
    assert_eq!(crypt.key.reveal()[..4], [0x01, 0x23, 0x45, 0x67]);
    // Keys never print.
    assert!(!format!("{s:?}").contains("0123456789abcdef"));
}
