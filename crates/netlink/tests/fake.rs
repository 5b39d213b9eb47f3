//! Facade logic against a scripted kernel (no root): which requests the
//! calls send, and how they read the answers.

use std::sync::{Arc, Mutex};

use netlink::nl_route::uapi::if_link::{IFLA_EXT_MASK, IFLA_IFNAME, IFLA_LINKINFO, IFLA_MASTER};
use netlink::nl_route::uapi::rtnetlink::{RTEXT_FILTER_VF, RTM_GETLINK, RTM_NEWLINK};
use netlink::nl_route::uapi::types::IfInfoMsg;
use netlink::nl_sock::Socket;
use netlink::nl_sock::fake::{self, Fake};
use netlink::nl_wire::netlink::NLM_F_DUMP;
use netlink::nl_wire::{Msg, Msgs};
use netlink::{ErrorKind, Handle, Link, LinkDump};

type Log = Arc<Mutex<Vec<Vec<u8>>>>;

/// A kernel with one link, `eth7` (index 7), logging every request.
fn kernel(log: Log) -> Handle {
    let fake = Fake::new(move |d| {
        log.lock().unwrap().push(d.to_vec());
        let req = Msgs::new(d).next().unwrap().unwrap();
        let link = fake::reply(&req, RTM_NEWLINK, 0, |m| {
            m.header(&IfInfoMsg {
                ifi_index: 7.into(),
                ..IfInfoMsg::default()
            });
            m.put_str(IFLA_IFNAME, "eth7").put_u32(4, 1500);
        });
        let tb = req.attrs::<IfInfoMsg>();
        let by_name = tb.get(IFLA_IFNAME).unwrap();
        let by_alt = tb
            .get(netlink::nl_route::uapi::if_link::IFLA_ALT_IFNAME)
            .unwrap();
        let asked = by_name.or(by_alt).map(|a| a.cstr().unwrap().to_string());
        if req.ty() == RTM_NEWLINK {
            vec![fake::ack(&req)]
        } else if req.flags() & NLM_F_DUMP != 0 {
            fake::multipart(&req, &[link], 1, false)
        } else if asked.as_deref().is_none_or(|n| n == "eth7") {
            vec![link, fake::ack(&req)]
        } else {
            vec![fake::error(&req, 19, None, None)]
        }
    });
    Handle::with_route_socket(Socket::with_transport(fake, 0).unwrap())
}

fn sent(log: &Log, i: usize) -> Vec<u8> {
    log.lock().unwrap()[i].clone()
}

#[test]
fn link_by_name_asks_the_kernel_not_a_dump() {
    let log = Log::default();
    let h = kernel(log.clone());
    let l = h.link_by_name("eth7").unwrap();
    assert_eq!((l.index, l.name.as_str(), l.mtu), (7, "eth7", Some(1500)));
    let req = sent(&log, 0);
    let (m, _) = Msg::parse(&req).unwrap();
    assert_eq!(m.ty(), RTM_GETLINK);
    assert_eq!(m.flags() & NLM_F_DUMP, 0, "a lookup, not a dump");
    let tb = m.attrs::<IfInfoMsg>();
    assert_eq!(
        tb.get(IFLA_IFNAME).unwrap().unwrap().cstr().unwrap(),
        "eth7"
    );
    let mask = tb.get(IFLA_EXT_MASK).unwrap().unwrap().u32().unwrap();
    assert_eq!(mask & RTEXT_FILTER_VF, 0, "no VF details unless asked");
}

#[test]
fn long_names_are_looked_up_as_alternative_names() {
    let log = Log::default();
    let h = kernel(log.clone());
    let e = h.link_by_name("a-name-longer-than-ifnamsiz").unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    let req = sent(&log, 0);
    let (m, _) = Msg::parse(&req).unwrap();
    let alt = m
        .attrs::<IfInfoMsg>()
        .get(netlink::nl_route::uapi::if_link::IFLA_ALT_IFNAME)
        .unwrap();
    assert_eq!(alt.unwrap().cstr().unwrap(), "a-name-longer-than-ifnamsiz");
}

#[test]
fn vf_details_only_when_asked() {
    let log = Log::default();
    let h = kernel(log.clone());
    h.link_get("eth7", true).unwrap();
    h.link_list().unwrap();
    let get_bytes = sent(&log, 0);
    let (get, _) = Msg::parse(&get_bytes).unwrap();
    let mask = get
        .attrs::<IfInfoMsg>()
        .get(IFLA_EXT_MASK)
        .unwrap()
        .unwrap()
        .u32()
        .unwrap();
    assert_ne!(mask & RTEXT_FILTER_VF, 0);
    let dump_bytes = sent(&log, 1);
    let (dump, _) = Msg::parse(&dump_bytes).unwrap();
    let mask = dump
        .attrs::<IfInfoMsg>()
        .get(IFLA_EXT_MASK)
        .unwrap()
        .map(|a| a.u32().unwrap())
        .unwrap_or(0);
    assert_eq!(mask & RTEXT_FILTER_VF, 0, "plain dumps never ask for VFs");
}

#[test]
fn dump_filters_go_to_the_kernel() {
    let log = Log::default();
    let h = kernel(log.clone());
    let filter = LinkDump {
        master: Some(3),
        kind: Some("veth".into()),
        ..LinkDump::default()
    };
    // The fake ignores filters, so the library's own check drops eth7.
    assert!(h.link_list_filtered(&filter).unwrap().is_empty());
    let bytes = sent(&log, 0);
    let (m, _) = Msg::parse(&bytes).unwrap();
    let tb = m.attrs::<IfInfoMsg>();
    assert_eq!(tb.get(IFLA_MASTER).unwrap().unwrap().u32().unwrap(), 3);
    let info = tb.get(IFLA_LINKINFO).unwrap().unwrap();
    assert_eq!(
        info.nested().get(1).unwrap().unwrap().cstr().unwrap(),
        "veth"
    );
}

#[test]
fn names_are_checked_before_any_syscall() {
    let log = Log::default();
    let h = kernel(log.clone());
    let e = h
        .link_add(&Link::new("sixteen-chars-xx").kind(netlink::LinkKind::Ifb))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    let e = h
        .link_add(&Link::new("bad/name").kind(netlink::LinkKind::Ifb))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(log.lock().unwrap().is_empty(), "nothing was sent");
}

#[test]
fn nested_calls_like_go() {
    let log = Log::default();
    let h = kernel(log.clone());
    // Lookups inside the arguments of another call on the same handle.
    h.link_set_master(
        &h.link_by_name("eth7").unwrap(),
        &h.link_by_name("eth7").unwrap(),
    )
    .unwrap();
    let last = log.lock().unwrap().last().unwrap().clone();
    let (m, _) = Msg::parse(&last).unwrap();
    assert_eq!(m.ty(), RTM_NEWLINK);
    assert_eq!(
        m.attrs::<IfInfoMsg>()
            .get(IFLA_MASTER)
            .unwrap()
            .unwrap()
            .u32()
            .unwrap(),
        7
    );
}
