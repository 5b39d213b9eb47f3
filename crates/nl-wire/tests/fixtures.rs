//! Replies captured from a real kernel (Linux 6.18, by
//! `tests/tests/fixtures.rs`), decoded with nl-wire alone.

use nl_wire::netlink::{NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI};
use nl_wire::{Control, Msgs, Walk, looks_nested};

static ACK: &[u8] = include_bytes!("fixtures/ack.bin");
static EXT_ACK_CAPPED: &[u8] = include_bytes!("fixtures/ext_ack_capped.bin");
static EXT_ACK_ECHOED: &[u8] = include_bytes!("fixtures/ext_ack_echoed.bin");
static EXT_ACK_REQUEST: &[u8] = include_bytes!("fixtures/ext_ack_echoed.request.bin");
static LINK_DUMP: &[u8] = include_bytes!("fixtures/link_dump_0.bin");
static LINK_DUMP_DONE: &[u8] = include_bytes!("fixtures/link_dump_done.bin");

const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_LINKINFO: u16 = 18;
const IFLA_INFO_KIND: u16 = 1;

#[test]
fn ack_of_a_link_creation() {
    let msgs: Vec<_> = Msgs::new(ACK).collect::<Result<_, _>>().unwrap();
    assert_eq!(msgs.len(), 1);
    let Some(Control::Ack(ack)) = msgs[0].control().unwrap() else {
        panic!("not an ack")
    };
    assert_eq!(ack.errno(), 0);
    assert_eq!(ack.request().nlmsg_type.get(), 16, "answers RTM_NEWLINK");
    assert_ne!(msgs[0].flags() & NLM_F_CAPPED, 0, "acks are always capped");
    assert!(ack.request_payload().is_empty());
}

#[test]
fn error_with_kernel_text_capped() {
    let (msg, rest) = nl_wire::Msg::parse(EXT_ACK_CAPPED).unwrap();
    assert!(rest.is_empty());
    assert_eq!(msg.flags(), NLM_F_CAPPED | NLM_F_ACK_TLVS);
    let Some(Control::Error(e)) = msg.control().unwrap() else {
        panic!("not an error")
    };
    assert_eq!(e.errno(), 95, "EOPNOTSUPP");
    assert_eq!(e.message(), Some("Unknown device type"));
    assert!(e.request_payload().is_empty());
}

#[test]
fn error_with_kernel_text_and_echoed_request() {
    let (msg, _) = nl_wire::Msg::parse(EXT_ACK_ECHOED).unwrap();
    assert_eq!(msg.flags() & NLM_F_CAPPED, 0);
    let Some(Control::Error(e)) = msg.control().unwrap() else {
        panic!("not an error")
    };
    assert_eq!(e.message(), Some("Unknown device type"));
    // the echo is the request we sent, payload for payload
    assert_eq!(e.request_payload(), &EXT_ACK_REQUEST[16..]);
    assert_eq!(
        e.request().nlmsg_seq.get(),
        u32::from_ne_bytes(EXT_ACK_REQUEST[8..12].try_into().unwrap())
    );
}

#[test]
fn link_dump_part() {
    let mut names = Vec::new();
    for msg in Msgs::new(LINK_DUMP) {
        let msg = msg.unwrap();
        assert_eq!(msg.ty(), 16, "RTM_NEWLINK");
        assert_ne!(msg.flags() & NLM_F_MULTI, 0);
        assert!(msg.control().unwrap().is_none());
        let tb: nl_wire::AttrTable<'_, 80> = msg.attrs_after(16).table().unwrap();
        let name = tb.cstr(IFLA_IFNAME).unwrap().unwrap().to_string();
        let mtu = tb.u32(IFLA_MTU).unwrap().unwrap();
        let ty = tb
            .nested(IFLA_LINKINFO)
            .and_then(|li| li.get(IFLA_INFO_KIND).unwrap())
            .map(|a| a.cstr().unwrap().to_string());
        names.push((name, mtu, ty));
        // every attribute of the real message walks without error
        for item in Walk::with(msg.attrs_after(16), |a, _| a.is_nested() || looks_nested(a)) {
            item.unwrap();
        }
    }
    assert_eq!(
        names,
        [
            ("lo".to_string(), 65536, None),
            ("fx1".to_string(), 1500, Some("veth".to_string())),
            ("fx0".to_string(), 1500, Some("veth".to_string())),
        ]
    );
}

#[test]
fn end_of_dump() {
    let (msg, _) = nl_wire::Msg::parse(LINK_DUMP_DONE).unwrap();
    let Some(Control::Done(done)) = msg.control().unwrap() else {
        panic!("not DONE")
    };
    assert_eq!(done.error(), 0);
    assert!(done.ext_ack().unwrap().is_empty());
}

#[test]
fn every_truncation_of_every_fixture_is_an_error_not_a_panic() {
    for fixture in [
        ACK,
        EXT_ACK_CAPPED,
        EXT_ACK_ECHOED,
        LINK_DUMP,
        LINK_DUMP_DONE,
    ] {
        for cut in 0..fixture.len() {
            let part = &fixture[..cut];
            for msg in Msgs::new(part) {
                let Ok(msg) = msg else { continue };
                if let Ok(Some(Control::Error(e) | Control::Ack(e))) = msg.control() {
                    let _ = e.ext_ack();
                }
                for item in Walk::with(msg.attrs_after(16), |a, _| looks_nested(a)) {
                    let _ = item;
                }
            }
        }
    }
}
