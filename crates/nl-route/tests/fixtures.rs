//! nl-route on replies captured from a real kernel (see nl-wire's fixtures).

use nl_route::{Link, LinkKind, OperState};
use nl_wire::Msgs;

static LINK_DUMP: &[u8] = include_bytes!("../../nl-wire/tests/fixtures/link_dump_0.bin");

#[test]
fn real_link_dump_parses_field_by_field() {
    let links: Vec<Link> = Msgs::new(LINK_DUMP)
        .map(|m| Link::parse(&m.unwrap()).unwrap())
        .collect();
    assert_eq!(links.len(), 3);
    let lo = &links[0];
    assert_eq!(
        (lo.index, lo.name.as_str(), lo.link_type, lo.mtu),
        (1, "lo", 772, Some(65536))
    );
    assert_eq!(lo.operstate, Some(OperState::Down));
    assert!(lo.kind.is_none());
    let (fx1, fx0) = (&links[1], &links[2]);
    assert_eq!((fx1.name.as_str(), fx0.name.as_str()), ("fx1", "fx0"));
    assert_eq!(fx0.kind, Some(LinkKind::Veth(Default::default())));
    assert_eq!(fx0.parent, Some(fx1.index));
    assert_eq!(fx1.parent, Some(fx0.index));
    assert_eq!(fx0.address.map(|a| a.len()), Some(6));
    assert!(fx0.stats.is_some() && fx0.num_tx_queues.is_some() && fx0.txqlen == Some(1000));
    // Attributes newer than the 6.1 headers, from the 6.18 kernel that sent this.
    assert_eq!(
        fx0.gso_ipv4_max_size, fx0.gso_max_size,
        "IFLA_GSO_IPV4_MAX_SIZE (63) read as such"
    );
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    for cut in 0..LINK_DUMP.len() {
        for m in Msgs::new(&LINK_DUMP[..cut]).flatten() {
            let _ = Link::parse(&m);
            let _ = nl_route::Addr::parse(&m);
        }
    }
}
