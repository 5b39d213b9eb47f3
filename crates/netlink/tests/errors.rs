//! Errors read once and name their object (no root: a scripted kernel
//! and files that are not namespaces).

use netlink::nl_route::uapi::rtnetlink::RTM_NEWLINK;
use netlink::nl_sock::Socket;
use netlink::nl_sock::fake::{self, Fake};
use netlink::nl_wire::Msgs;
use netlink::{ErrorKind, Handle};

/// A kernel that refuses every request with EEXIST and ext-ack text.
fn refusing() -> Handle {
    let fake = Fake::new(|d| {
        let req = Msgs::new(d).next().unwrap().unwrap();
        vec![fake::error(&req, 17, Some("Link already exists"), None)]
    });
    Handle::with_route_socket(Socket::with_transport(fake, 0).unwrap())
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn every_message_appears_once_in_a_chain() {
    let h = refusing();
    let mut req = Vec::new();
    let mut m = netlink::nl_wire::MsgBuilder::new(&mut req, RTM_NEWLINK, 0);
    m.header(&[0u8; 16]);
    m.finish().unwrap();
    let e = h.route_request(&mut req).unwrap_err();
    let chain = format!("{:#}", anyhow::Error::from(e.clone()));
    assert_eq!(count(&chain, "File exists"), 1, "{chain}");
    assert_eq!(count(&chain, "Link already exists"), 1, "{chain}");
    assert_eq!(chain, e.to_string());
    // With context in front, still once.
    let e = e.about("link add \"br0\"");
    let chain = format!("{:#}", anyhow::Error::from(e.clone()));
    assert_eq!(
        chain,
        "link add \"br0\": netlink request: File exists (EEXIST): Error: Link already exists"
    );
    assert_eq!(e.kind(), ErrorKind::Exists);
    assert_eq!(e.message(), Some("Link already exists"));
    assert_eq!(e.context(), Some("link add \"br0\""));
    assert!(matches!(e.inner(), netlink::Error::Netlink(_)));
    // Context is attached once: a second `about` keeps the first.
    assert_eq!(e.clone().about("other").context(), Some("link add \"br0\""));
    assert!(std::error::Error::source(&e).is_none());
}

#[test]
fn parse_errors_quote_the_input_and_work_with_question_mark() {
    fn add(text: &str) -> netlink::Result<netlink::Addr> {
        Ok(text.parse()?)
    }
    let e = add("192.0.2.3/33").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(
        e.to_string(),
        r#"invalid prefix "192.0.2.3/33": length 33 is out of range for IPv4 (0 to 32)"#
    );
    // std's and ipnet's parse errors convert too (they do not keep the input).
    fn std_ip(text: &str) -> netlink::Result<std::net::IpAddr> {
        Ok(text.parse()?)
    }
    fn net(text: &str) -> netlink::Result<netlink::ipnet::IpNet> {
        Ok(text.parse()?)
    }
    fn mac(text: &str) -> netlink::Result<netlink::HwAddr> {
        Ok(text.parse()?)
    }
    assert_eq!(std_ip("x").unwrap_err().kind(), ErrorKind::Invalid);
    assert_eq!(net("192.0.2.0/40").unwrap_err().kind(), ErrorKind::Invalid);
    assert_eq!(mac("zz").unwrap_err().kind(), ErrorKind::Invalid);
    // The library's own parsers keep it.
    let e = netlink::parse_prefix("2001:db8::/129").unwrap_err();
    assert!(e.to_string().contains("\"2001:db8::/129\""), "{e}");
}

#[test]
fn a_namespace_path_is_checked_at_once_and_named() {
    let e = Handle::in_netns("/nonexistent/netns/blue").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.to_string().contains("\"/nonexistent/netns/blue\""), "{e}");
    // A file that exists but is not a namespace is refused now, not at the
    // first socket.
    let e = Handle::in_netns("/proc/self/status").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    let text = e.to_string();
    assert!(text.contains("\"/proc/self/status\""), "{text}");
    assert!(text.contains("not a network namespace"), "{text}");
    // Another kind of namespace is refused too.
    let e = Handle::in_netns("/proc/self/ns/uts").unwrap_err();
    assert!(e.to_string().contains("not a network namespace"), "{e}");
    // A real one is accepted.
    assert!(Handle::in_netns("/proc/self/ns/net").is_ok());
    let fd = std::fs::File::open("/proc/self/status").unwrap();
    assert!(Handle::in_netns_fd(fd.into()).is_err());
}
