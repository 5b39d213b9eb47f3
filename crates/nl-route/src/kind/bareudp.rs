//! bareudp: a UDP tunnel carrying one layer-3 protocol (IPv4, IPv6 or
//! MPLS) with no header of its own (`IFLA_BAREUDP_*`, Linux 5.7+);
//! endpoints come from tunnel metadata (tc, lwtunnel), as for external
//! vxlan or geneve devices.

use crate::attrs::attr_struct;
use crate::kind::{Detail, DetailValue};
use crate::text::LinkNames;
use crate::uapi::if_ether::{ETH_P_IP, ETH_P_IPV6, ETH_P_MPLS_MC, ETH_P_MPLS_UC};
use crate::uapi::if_link::{
    IFLA_BAREUDP_ETHERTYPE, IFLA_BAREUDP_MULTIPROTO_MODE, IFLA_BAREUDP_PORT,
    IFLA_BAREUDP_SRCPORT_MIN,
};

attr_struct! {
    /// bareudp settings. `port` and `ethertype` are required to create one.
    pub struct Bareudp {
        /// UDP destination port (`dstport`; `__be16`).
        port: u16 = IFLA_BAREUDP_PORT => Be16,
        /// The carried protocol, an `ETH_P_*` value (`ethertype`; `__be16`):
        /// the kernel takes IPv4, IPv6, MPLS unicast and multicast.
        ethertype: u16 = IFLA_BAREUDP_ETHERTYPE => Be16,
        /// Lowest UDP source port (`srcportmin`; `u16`).
        srcport_min: u16 = IFLA_BAREUDP_SRCPORT_MIN,
        /// Carry IPv6 beside IPv4, or MPLS multicast beside unicast
        /// (`multiproto`; flag).
        multiproto_mode: bool = IFLA_BAREUDP_MULTIPROTO_MODE => Flag,
    }
}

/// An ethertype as iproute2's `ll_proto_n2a` names those bareudp takes
/// (`[N]` for another).
pub fn ethertype_name(t: u16) -> String {
    match t {
        ETH_P_IP => "ip".into(),
        ETH_P_IPV6 => "ipv6".into(),
        ETH_P_MPLS_UC => "mpls_uc".into(),
        ETH_P_MPLS_MC => "mpls_mc".into(),
        other => format!("[{other}]"),
    }
}

/// An ethertype from `ip`'s words (`ll_proto_a2n`: `ip`/`ipv4`, `ipv6`,
/// `mpls_uc`, `mpls_mc`, or a number, `0x` for hex).
pub fn ethertype_from_name(s: &str) -> Option<u16> {
    Some(match s.to_ascii_lowercase().as_str() {
        "ip" | "ipv4" => ETH_P_IP,
        "ipv6" => ETH_P_IPV6,
        "mpls_uc" => ETH_P_MPLS_UC,
        "mpls_mc" => ETH_P_MPLS_MC,
        n => match n.strip_prefix("0x") {
            Some(hex) => u16::from_str_radix(hex, 16).ok()?,
            None => n.parse().ok()?,
        },
    })
}

impl Bareudp {
    /// A device on UDP port `port` carrying `ethertype`.
    pub fn new(port: u16, ethertype: u16) -> Bareudp {
        Bareudp {
            port: Some(port),
            ethertype: Some(ethertype),
            ..Bareudp::default()
        }
    }

    /// What `ip -d link show` prints (`bareudp_print_opt`).
    fn ip_details(&self, _kind: &str, _names: &dyn LinkNames) -> Vec<Detail> {
        let mut d = Vec::new();
        if let Some(p) = self.port {
            d.push(Detail::uint("dstport", "dstport", p));
        }
        if let Some(t) = self.ethertype {
            d.push(Detail::str("ethertype", "ethertype", ethertype_name(t)));
        }
        if let Some(p) = self.srcport_min {
            d.push(Detail::uint("srcportmin", "srcportmin", p));
        }
        let multi = self.multiproto_mode == Some(true);
        let word = if multi {
            "multiproto "
        } else {
            "nomultiproto "
        };
        d.push(Detail::new(
            "multiproto",
            DetailValue::Bool(multi),
            Some(word.into()),
        ));
        d
    }
}

crate::kind::plain_link_data_with_details!(Bareudp);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind, NoNames};

    #[test]
    fn every_field_round_trips() {
        let b = Bareudp {
            srcport_min: Some(1000),
            multiproto_mode: Some(true),
            ..Bareudp::new(6635, ETH_P_MPLS_UC)
        };
        let link = Link::new("bareudp0").kind(LinkKind::Bareudp(b));
        assert_eq!(round_trip(&link), link);
    }

    /// What `ip link add bareudp0 type bareudp dstport 6635 ethertype
    /// mpls_uc` sends: port and ethertype, both network order.
    #[test]
    fn ip_link_add_bareudp() {
        let link = Link::new("bareudp0").kind(LinkKind::Bareudp(Bareudp::new(6635, ETH_P_MPLS_UC)));
        assert_eq!(
            data_of(&link),
            [6, 0, 1, 0, 0x19, 0xeb, 0, 0, 6, 0, 2, 0, 0x88, 0x47, 0, 0]
        );
    }

    #[test]
    fn details_and_words() {
        let b = Bareudp::new(6635, ETH_P_IP);
        let text: String = b
            .ip_details("bareudp", &NoNames)
            .into_iter()
            .filter_map(|d| d.text)
            .collect();
        assert_eq!(text, "dstport 6635 ethertype ip nomultiproto ");
        assert_eq!(ethertype_from_name("ipv4"), Some(ETH_P_IP));
        assert_eq!(ethertype_from_name("0x8848"), Some(ETH_P_MPLS_MC));
        assert_eq!(ethertype_from_name("arp?"), None);
        assert_eq!(ethertype_name(1), "[1]");
    }
}
