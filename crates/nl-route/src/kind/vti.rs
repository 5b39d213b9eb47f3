//! vti and vti6: virtual tunnel interfaces for route-based IPsec
//! (`IFLA_VTI_*`). Traffic routed into one is encrypted by the xfrm
//! states whose mark matches the tunnel's key.

use std::net::{IpAddr, Ipv4Addr};

use crate::attrs::attr_struct;
use crate::kind::{Detail, DetailValue};
use crate::text::LinkNames;
use crate::uapi::if_tunnel::{
    IFLA_VTI_FWMARK, IFLA_VTI_IKEY, IFLA_VTI_LINK, IFLA_VTI_LOCAL, IFLA_VTI_OKEY, IFLA_VTI_REMOTE,
};

attr_struct! {
    /// vti (IPv4 outer header) and vti6 (IPv6) settings, in the order
    /// `ip` writes them.
    pub struct Vti {
        /// Input key, matched against the xfrm states' mark (`ikey`;
        /// `__be32`, `ip` prints it as an IPv4 address).
        ikey: u32 = IFLA_VTI_IKEY => Be32,
        /// Output key (`okey`; `__be32`).
        okey: u32 = IFLA_VTI_OKEY => Be32,
        /// Local address: IPv4 for vti, IPv6 for vti6.
        local: IpAddr = IFLA_VTI_LOCAL,
        /// Remote address, same family as `local`.
        remote: IpAddr = IFLA_VTI_REMOTE,
        /// Firewall mark of the outer packets (`fwmark`; `u32`).
        fwmark: u32 = IFLA_VTI_FWMARK,
        /// Underlying device index, 0 for none (`dev`; `u32`).
        link: u32 = IFLA_VTI_LINK,
    }
}

impl Vti {
    /// A tunnel between two addresses (both IPv4 for `vti`, both IPv6
    /// for `vti6`) whose input and output keys are `key`, as `ip link add
    /// NAME type vti local L remote R key K` makes it.
    pub fn between(local: IpAddr, remote: IpAddr, key: u32) -> Vti {
        Vti {
            local: Some(local),
            remote: Some(remote),
            ikey: Some(key),
            okey: Some(key),
            ..Vti::default()
        }
    }

    /// What `ip -d link show` prints (`vti_print_opt`, `vti6_print_opt`).
    fn ip_details(&self, _kind: &str, names: &dyn LinkNames) -> Vec<Detail> {
        // tnl_print_endpoint: "any" when absent or the unspecified address.
        let endpoint = |a: Option<IpAddr>| match a {
            Some(a) if !a.is_unspecified() => a.to_string(),
            _ => "any".to_string(),
        };
        let mut d = vec![
            Detail::str("remote", "remote", endpoint(self.remote)),
            Detail::str("local", "local", endpoint(self.local)),
        ];
        if let Some(l) = self.link.filter(|l| *l != 0) {
            d.push(Detail::dev("link", "dev", l, names));
        }
        for (key, v) in [("ikey", self.ikey), ("okey", self.okey)] {
            if let Some(k) = v.filter(|k| *k != 0) {
                d.push(Detail::str(key, key, Ipv4Addr::from(k).to_string()));
            }
        }
        if let Some(m) = self.fwmark.filter(|m| *m != 0) {
            let hex = format!("{m:#x}");
            d.push(Detail::new(
                "fwmark",
                DetailValue::Str(hex.clone()),
                Some(format!("fwmark {hex} ")),
            ));
        }
        d
    }
}

crate::kind::plain_link_data_with_details!(Vti);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::tests::{data_of, round_trip};
    use crate::{Link, LinkKind, NoNames};

    #[test]
    fn every_field_round_trips() {
        let v4 = Vti {
            link: Some(2),
            fwmark: Some(0x10),
            ..Vti::between(
                "192.0.2.1".parse().unwrap(),
                "198.51.100.1".parse().unwrap(),
                5,
            )
        };
        let link = Link::new("vti1").kind(LinkKind::Vti(v4));
        assert_eq!(round_trip(&link), link);
        let v6 = Vti::between(
            "2001:db8::1".parse().unwrap(),
            "2001:db8::2".parse().unwrap(),
            7,
        );
        let link = Link::new("vti6a").kind(LinkKind::Vti6(v6));
        assert_eq!(round_trip(&link), link);
    }

    /// Keys are network order, as `ip ... key 5` sends them.
    #[test]
    fn keys_are_big_endian() {
        let link = Link::new("vti1").kind(LinkKind::Vti(Vti {
            ikey: Some(5),
            ..Vti::default()
        }));
        assert_eq!(data_of(&link), [8, 0, 2, 0, 0, 0, 0, 5]);
    }

    #[test]
    fn details_read_like_ip() {
        let v = Vti {
            link: Some(0),
            fwmark: Some(0),
            okey: Some(0),
            ..Vti::between("192.0.2.1".parse().unwrap(), "0.0.0.0".parse().unwrap(), 5)
        };
        let text: String = v
            .ip_details("vti", &NoNames)
            .into_iter()
            .filter_map(|d| d.text)
            .collect();
        assert_eq!(text, "remote any local 192.0.2.1 ikey 0.0.0.5 ");
    }
}
